"""Build a Graphviz diagram of a programme theory, without needing the Graphviz programs.

The figure reads in process order: each stage is a band (a Graphviz cluster), the bands
placed one after another in the order the theory lists its stages. Inside a band, elements
whose configurations all belong to one theme are grouped in a labelled box. Contexts,
mechanisms and outcomes differ in shape and colour, unintended outcomes are vermillion
with a dashed border, and an outcome that becomes the context or mechanism of a later
configuration has a thick border and says so.

Node and cluster names are made by cmokit (``n1``, ``cluster_stage_1``...), never taken from
ids, and every text the user wrote is escaped into an HTML-like label: no label, id or
statement can change the structure of the graph.

Example:
    >>> import cmokit.examples
    >>> graph = to_graphviz(cmokit.examples.hand_hygiene())
    >>> graph.graph_attr["rankdir"]
    'LR'
    >>> "cluster_stage_1" in graph.source and "Higher hand-hygiene" in graph.source
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from cmokit.model import ElementKind, Figure, Outcome, OutcomeKind, Stance
from cmokit.rendering import style

if TYPE_CHECKING:
    import graphviz

    from cmokit.theory import ProgrammeTheory

__all__ = ["DEFAULT_DIRECTION", "DEFAULT_WRAP", "DiagramOptions", "resolve_options", "to_graphviz"]

DEFAULT_DIRECTION = "LR"
"""Rank direction when neither the call nor the figure sets one: left to right."""

DEFAULT_WRAP = 28
"""Label wrapping width, in characters, when neither the call nor the figure sets one."""

_DIRECTIONS = ("LR", "TB", "RL", "BT")


def _check_direction(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(_DIRECTIONS)}, not {value!r}")


def _check_wrap(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"wrap must be a whole number of characters >= 0, not {value!r}")


@attrs.frozen
class DiagramOptions:
    """Every setting of one drawing, after a named figure's settings are applied.

    Attributes:
        stages: Only elements of these stages (``None``: all).
        themes: Only configurations of these themes (``None``: all).
        around: Only the neighbourhood of this element.
        steps: How far from ``around`` to go (default 1).
        title: Caption drawn above the diagram (``""``: none).
        direction: ``LR`` (left to right), ``TB``, ``RL`` or ``BT``.
        legend: Draw the key.
        wrap: Wrap labels at this many characters (0: never).
        edge_labels: Label edges with configuration ids and link labels.
        evidence_counts: Show how much evidence supports or contradicts each element.

    Example:
        >>> DiagramOptions().direction
        'LR'
        >>> DiagramOptions(direction="up")
        Traceback (most recent call last):
        ...
        ValueError: direction must be one of LR, TB, RL, BT, not 'up'
    """

    stages: tuple[str, ...] | None = None
    themes: tuple[str, ...] | None = None
    around: str | None = None
    steps: int | None = None
    title: str = ""
    direction: str = attrs.field(default=DEFAULT_DIRECTION, validator=_check_direction)
    legend: bool = True
    wrap: int = attrs.field(default=DEFAULT_WRAP, validator=_check_wrap)
    edge_labels: bool = False
    evidence_counts: bool = False


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


def _selection(values: Iterable[str] | None, from_figure: Sequence[str]) -> tuple[str, ...] | None:
    if values is not None:
        chosen = (values,) if isinstance(values, str) else tuple(values)
        return chosen or None
    return tuple(from_figure) or None


def resolve_options(
    theory: ProgrammeTheory,
    *,
    figure: str | Figure | None = None,
    stages: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    around: str | None = None,
    steps: int | None = None,
    title: str | None = None,
    direction: str | None = None,
    legend: bool | None = None,
    wrap: int | None = None,
    edge_labels: bool | None = None,
    evidence_counts: bool | None = None,
) -> DiagramOptions:
    """Combine explicit settings, a named figure's settings and the defaults, in that order.

    The title defaults to the figure's title, else the theory's title.

    Raises:
        UnknownReferenceError: ``figure`` names no figure of the theory.

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.mentorship()
        >>> resolve_options(theory, figure="figure2").stages
        ('engagement',)
        >>> resolve_options(theory, figure="figure2", direction="TB").direction
        'TB'
    """
    named = theory.figure(figure) if isinstance(figure, str) else figure
    if named is None:
        named = Figure("unnamed")
    chosen_title = _first(title, named.title, None if figure is not None else theory.title)
    return DiagramOptions(
        stages=_selection(stages, named.stages),
        themes=_selection(themes, named.themes),
        around=_first(around, named.around),
        steps=_first(steps, named.steps),
        title=chosen_title or "",
        direction=_first(direction, named.direction, DEFAULT_DIRECTION),
        legend=_first(legend, named.legend, True),
        wrap=_first(wrap, named.wrap, DEFAULT_WRAP),
        edge_labels=_first(edge_labels, named.edge_labels, False),
        evidence_counts=_first(evidence_counts, named.evidence_counts, False),
    )


def to_graphviz(
    theory: ProgrammeTheory,
    *,
    figure: str | Figure | None = None,
    stages: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    around: str | None = None,
    steps: int | None = None,
    title: str | None = None,
    direction: str | None = None,
    legend: bool | None = None,
    wrap: int | None = None,
    edge_labels: bool | None = None,
    evidence_counts: bool | None = None,
) -> graphviz.Digraph:
    """Return a ``graphviz.Digraph`` drawing the theory; building it needs no Graphviz program.

    Settings left as ``None`` come from the named ``figure`` when given, else the defaults.

    Args:
        theory: The programme theory to draw.
        figure: A named figure of the theory (or a :class:`~cmokit.model.Figure`).
        stages: Only draw elements of these stage ids.
        themes: Only draw configurations of these theme ids.
        around: Only draw elements near this element id.
        steps: How many edges from ``around`` to go (default 1).
        title: Caption above the figure; defaults to the figure's or the theory's title,
            ``""`` for none.
        direction: ``"LR"`` (default, left to right), ``"TB"``, ``"RL"`` or ``"BT"``.
        legend: Draw the key (default ``True``).
        wrap: Wrap labels at this many characters (default 28; 0 never wraps).
        edge_labels: Label edges with configuration ids and link labels (default ``False``).
        evidence_counts: Show evidence counts on elements (default ``False``).

    Raises:
        UnknownReferenceError: An unknown figure, stage, theme or element id.

    Example:
        >>> import cmokit.examples
        >>> graph = to_graphviz(cmokit.examples.mentorship(), figure="figure2", legend=False)
        >>> "Availability of courses" in graph.source, "cluster_legend" in graph.source
        (True, False)
    """
    options = resolve_options(
        theory,
        figure=figure,
        stages=stages,
        themes=themes,
        around=around,
        steps=steps,
        title=title,
        direction=direction,
        legend=legend,
        wrap=wrap,
        edge_labels=edge_labels,
        evidence_counts=evidence_counts,
    )
    return _Builder(theory, options).build()


def _selected(theory: ProgrammeTheory, options: DiagramOptions) -> ProgrammeTheory:
    if options.stages is None and options.themes is None and options.around is None:
        return theory
    return theory.subtheory(
        stages=options.stages, themes=options.themes, around=options.around, steps=options.steps
    )


_PlannedEdge = tuple[str, str, "str | None", bool]
"""Source node, target node, configuration ids to label it with, whether it ends in a junction."""


class _Builder:
    """Lays out one figure: names nodes, groups them in bands and boxes, draws edges."""

    def __init__(self, theory: ProgrammeTheory, options: DiagramOptions) -> None:
        import graphviz

        self.full = theory
        self.theory = _selected(theory, options)
        self.options = options
        self.graph = graphviz.Digraph(name="cmokit", strict=False)
        self.names: dict[str, str] = {}
        self.stage_order: dict[str, int] = {s.id: i for i, s in enumerate(self.theory.stages)}
        self.stage_of_node: dict[str, str | None] = {}
        self.members: dict[tuple[str | None, str | None], list[str]] = {}
        # stage id -> (junction node name, configuration id) of junction points in that band
        self.junctions: dict[str | None, list[tuple[str, str]]] = {}
        self.last_band_members: list[str] = []

    # ---------------------------------------------------------------- overall

    def build(self) -> graphviz.Digraph:
        options = self.options
        graph = self.graph
        graph.graph_attr.update(
            rankdir=options.direction,
            # Rank all nodes at once, clusters included: the older per-cluster ranking may
            # ignore the hidden edges that keep each band after the one before.
            newrank="true",
            # Extra crossing-reduction passes: slower, but figures with many configurations
            # come out markedly less tangled.
            mclimit="4",
            remincross="true",
            fontname=style.FONT,
            fontsize="12",
            fontcolor=style.TEXT_COLOUR,
            nodesep="0.22",
            ranksep="0.42",
            pad="0.15",
            bgcolor="white",
            labelloc="t",
            labeljust="c",
        )
        graph.node_attr.update(
            fontname=style.FONT,
            fontsize="11",
            fontcolor=style.TEXT_COLOUR,
            margin="0.10,0.05",
        )
        graph.edge_attr.update(
            fontname=style.FONT,
            fontsize="9",
            fontcolor=style.MUTED_TEXT_COLOUR,
            color=style.EDGE_COLOUR,
            arrowsize="0.7",
            penwidth="1.1",
        )
        if options.title:
            text = style.html_lines(options.title, options.wrap * 3)
            graph.graph_attr["label"] = f'<<FONT POINT-SIZE="14"><B>{text}</B></FONT>>'
        for element in self.theory.elements:
            self.names[element.id] = f"n{len(self.names) + 1}"
            self.stage_of_node[self.names[element.id]] = element.stage
        themes = self._element_themes()
        for element in self.theory.elements:
            key = (element.stage, themes.get(element.id))
            self.members.setdefault(key, []).append(element.id)
        planned = self._plan_configuration_edges()
        self._clusters()
        for source, target, label, into_junction in planned:
            attributes = {"arrowhead": "none"} if into_junction else {}
            self._edge(source, target, self._edge_label(label or ""), **attributes)
        self._links()
        if options.legend:
            self._legend()
        return graph

    def _element_themes(self) -> dict[str, str]:
        """Map each element to the one theme all its drawn configurations share, if any."""
        seen: dict[str, set[str | None]] = {}
        for config in self.theory.configurations:
            for element_id in config.elements:
                seen.setdefault(element_id, set()).add(config.theme)
        only: dict[str, str] = {}
        for element_id, themes in seen.items():
            theme = next(iter(themes))
            if len(themes) == 1 and theme is not None:
                only[element_id] = theme
        return only

    # ------------------------------------------------------------------ nodes

    def _node_label(self, element_id: str) -> str:
        element = self.theory.element(element_id)
        wrap = self.options.wrap
        parts = [style.html_lines(element.label, wrap)]
        if isinstance(element, Outcome):
            roles = self._later_roles(element_id)
            if roles:
                parts.append(f'<FONT POINT-SIZE="9"><I>{style.html_lines(roles, wrap)}</I></FONT>')
        if self.options.evidence_counts:
            counts = self._evidence_text(element_id)
            parts.append(f'<FONT POINT-SIZE="9" COLOR="{style.MUTED_TEXT_COLOUR}">{counts}</FONT>')
        return "<" + "<BR/>".join(parts) + ">"

    def _later_roles(self, outcome_id: str) -> str:
        """Say where an outcome is reused, from the whole theory so a part still shows it."""
        used: dict[str, list[str]] = {}
        for config in self.full.configurations:
            if outcome_id in config.contexts:
                used.setdefault("context", []).append(config.id)
            if outcome_id in config.mechanisms:
                used.setdefault("mechanism", []).append(config.id)
        if not used:
            return ""
        roles = " and ".join(used)
        config_ids = list(dict.fromkeys(i for ids in used.values() for i in ids))
        if len(config_ids) > 2:
            return f"→ {roles} of {len(config_ids)} configurations"
        return f"→ {roles} of {', '.join(config_ids)}"

    def _evidence_text(self, element_id: str) -> str:
        """Count the evidence about an element or about a configuration it takes part in."""
        items = {item.id: item for item in self.full.evidence_for(element_id)}
        for config in self.full.configurations_with(element_id):
            items.update((item.id, item) for item in self.full.evidence_for(config.id))
        against = sum(1 for item in items.values() if item.stance is Stance.CONTRADICTS)
        text = f"evidence: {len(items) - against} for"
        return text + (f", {against} against" if against else "")

    def _add_element(self, graph: graphviz.Digraph, element_id: str) -> None:
        element = self.theory.element(element_id)
        unintended = isinstance(element, Outcome) and element.kind is OutcomeKind.UNINTENDED
        attributes = style.look_of(element.element_kind, unintended=unintended).attributes()
        if isinstance(element, Outcome) and self._later_roles(element_id):
            attributes["penwidth"] = str(style.CHAINED_PENWIDTH)
        graph.node(self.names[element_id], label=self._node_label(element_id), **attributes)

    # --------------------------------------------------------------- clusters

    def _clusters(self) -> None:
        themes = {theme.id: (number, theme) for number, theme in enumerate(self.theory.themes, 1)}
        anchors: list[tuple[str, list[str]]] = []
        for number, stage in enumerate(self.theory.stages, 1):
            cluster_name = f"cluster_stage_{number}"
            with self.graph.subgraph(name=cluster_name) as band:
                wrap = self.options.wrap
                title = style.html_lines(f"{number} · {stage.label}", wrap * 2, align="LEFT")
                label = f"<B>{title}</B>"
                only_theme = self._only_theme(stage.id)
                if only_theme is not None:
                    # One box filling the whole band would only repeat it: name the theme instead.
                    theme = style.html_lines(themes[only_theme][1].label, wrap + 8, align="LEFT")
                    label += f'<FONT POINT-SIZE="10"><I>{theme}</I></FONT>'
                band.attr(
                    label=f"<{label}>",
                    style="filled,rounded",
                    fillcolor=style.STAGE_FILL,
                    color=style.STAGE_BORDER,
                    fontsize="12",
                    labeljust="l",
                    labelloc="t",
                    margin="10",
                )
                anchor = f"{cluster_name}_start"
                band.node(anchor, label="", shape="point", style="invis", width="0", height="0")
                members = self._fill(band, stage.id, themes, cluster_name, boxes=only_theme is None)
                members += self._add_junctions(band, stage.id)
                anchors.append((anchor, members))
        only_theme = self._only_theme(None)
        self._fill(self.graph, None, themes, "cluster", boxes=only_theme is None)
        self._add_junctions(self.graph, None)
        self._order_bands(anchors)
        if anchors:
            self.last_band_members = anchors[-1][1]

    def _only_theme(self, stage_id: str | None) -> str | None:
        """Return the theme of every element of the band, when they all share one."""
        groups = {theme for stage, theme in self.members if stage == stage_id}
        return groups.pop() if len(groups) == 1 else None

    def _fill(
        self,
        graph: graphviz.Digraph,
        stage_id: str | None,
        themes: dict[str, tuple[int, Any]],
        prefix: str,
        *,
        boxes: bool,
    ) -> list[str]:
        """Add the elements of one band, boxed by theme; return their node names."""
        names: list[str] = []
        for element_id in self.members.get((stage_id, None), []):
            self._add_element(graph, element_id)
            names.append(self.names[element_id])
        for theme_id, (number, theme) in themes.items():
            element_ids = self.members.get((stage_id, theme_id), [])
            if not element_ids:
                continue
            if not boxes:
                for element_id in element_ids:
                    self._add_element(graph, element_id)
                    names.append(self.names[element_id])
                continue
            with graph.subgraph(name=f"{prefix}_theme_{number}") as box:
                label = style.html_lines(theme.label, self.options.wrap + 8, align="LEFT")
                box.attr(
                    label=f"<<I>{label}</I>>",
                    style="rounded,dashed,filled",
                    fillcolor="white",
                    color=style.THEME_BORDER,
                    fontcolor=style.TEXT_COLOUR,
                    fontsize="10",
                    labeljust="l",
                    penwidth="1.2",
                    margin="8",
                )
                for element_id in element_ids:
                    self._add_element(box, element_id)
                    names.append(self.names[element_id])
        return names

    def _order_bands(self, anchors: list[tuple[str, list[str]]]) -> None:
        """Keep each band after the previous one with invisible edges through band anchors."""
        hidden = {"style": "invis", "weight": "0", "arrowhead": "none"}
        for index, (anchor, members) in enumerate(anchors):
            for member in members:
                self.graph.edge(anchor, member, minlen="0", **hidden)
            if index + 1 < len(anchors):
                following = anchors[index + 1][0]
                for member in members:
                    self.graph.edge(member, following, **hidden)

    # ------------------------------------------------------------------ edges

    def _band(self, node: str) -> int:
        stage = self.stage_of_node.get(node)
        return self.stage_order.get(stage, -1) if stage is not None else -1

    def _plan_configuration_edges(self) -> list[_PlannedEdge]:
        """Plan each configuration's contexts → mechanisms → outcomes edges.

        When several inputs meet several outputs, the edges pass through one small junction
        point (recorded in ``self.junctions``) instead of crossing as a full mesh.
        """
        direct: dict[tuple[str, str], list[str]] = {}
        planned: list[_PlannedEdge] = []
        for config in self.theory.configurations:
            layers = (
                (config.contexts, config.mechanisms),
                (config.mechanisms, config.outcomes),
            )
            for layer_sources, layer_targets in layers:
                sources = tuple(dict.fromkeys(layer_sources))
                targets = tuple(dict.fromkeys(layer_targets))
                if len(sources) >= 2 and len(targets) >= 2:
                    name = f"j{sum(len(j) for j in self.junctions.values()) + 1}"
                    stage = self._junction_stage(sources, targets)
                    self.junctions.setdefault(stage, []).append((name, config.id))
                    self.stage_of_node[name] = stage
                    planned += [(self.names[s], name, None, True) for s in sources]
                    planned += [(name, self.names[t], None, False) for t in targets]
                    continue
                for source in sources:
                    for target in targets:
                        direct.setdefault((source, target), []).append(config.id)
        for (source, target), config_ids in direct.items():
            label = ", ".join(config_ids)
            planned.append((self.names[source], self.names[target], label, False))
        return planned

    def _junction_stage(self, sources: Sequence[str], targets: Sequence[str]) -> str | None:
        """Put a junction in the first band its targets are in, if no source comes later."""

        def band(element_id: str) -> int:
            stage = self.theory.element(element_id).stage
            return -1 if stage is None else self.stage_order[stage]

        first_target = min(targets, key=band)
        if band(first_target) < 0 or band(first_target) < max(band(s) for s in sources):
            return None
        return self.theory.element(first_target).stage

    def _add_junctions(self, graph: graphviz.Digraph, stage_id: str | None) -> list[str]:
        names = []
        for name, config_id in self.junctions.get(stage_id, []):
            attributes = {"shape": "point", "width": "0.07", "color": style.EDGE_COLOUR}
            label = self._edge_label(config_id)
            if label is not None:
                attributes["xlabel"] = label
                attributes["fontsize"] = "9"
                attributes["fontcolor"] = style.MUTED_TEXT_COLOUR
            graph.node(name, label="", **attributes)
            names.append(name)
        return names

    def _edge_label(self, text: str) -> str | None:
        if not self.options.edge_labels or not text:
            return None
        return "<" + style.html_lines(text, self.options.wrap) + ">"

    def _edge(self, source: str, target: str, label: str | None, **attributes: str) -> None:
        if self._band(source) > self._band(target) >= 0:
            # A backward edge must not pull a later band in front of an earlier one.
            attributes["constraint"] = "false"
        if label is not None:
            attributes["label"] = label
        self.graph.edge(source, target, **attributes)

    def _links(self) -> None:
        for link in self.theory.links:
            label = self._edge_label(link.label or "")
            self._edge(
                self.names[link.source],
                self.names[link.target],
                label,
                style="dashed",
                color=style.LINK_COLOUR,
            )

    # ----------------------------------------------------------------- legend

    def _legend(self) -> None:
        """Draw a key holding only the kinds of node and edge the figure shows."""
        elements = self.theory.elements
        kinds = {e.element_kind for e in elements}
        outcomes = [e for e in elements if isinstance(e, Outcome)]
        entries: list[tuple[str, dict[str, str]]] = []
        for kind in ElementKind:
            if kind in kinds:
                look = style.look_of(kind)
                entries.append((look.name, look.attributes()))
        if any(o.kind is OutcomeKind.UNINTENDED for o in outcomes):
            entries.append((style.UNINTENDED_LOOK.name, style.UNINTENDED_LOOK.attributes()))
        if any(self._later_roles(o.id) for o in outcomes):
            attributes = style.look_of(ElementKind.OUTCOME).attributes()
            attributes["penwidth"] = str(style.CHAINED_PENWIDTH)
            entries.append(("Outcome that becomes a later context or mechanism", attributes))
        if not entries:
            return
        rows = [
            (f'<FONT POINT-SIZE="9">{style.html_lines(text, 18)}</FONT>', attributes)
            for text, attributes in entries
        ]
        if self.theory.links:
            arrow = f'<FONT COLOR="{style.LINK_COLOUR}">- - →</FONT>'
            rows.append((f'<FONT POINT-SIZE="9">{arrow} link</FONT>', {"shape": "plaintext"}))
        if self.junctions:
            text = style.html_lines("• one configuration joining several elements", 22)
            rows.append((f'<FONT POINT-SIZE="9">{text}</FONT>', {"shape": "plaintext"}))
        # The key is a column after the last band: it widens the figure by one narrow column
        # instead of stacking over the first band. Every entry hangs from one hidden anchor
        # that comes after the band, so all entries fall in the anchor's column.
        anchor = "legend_anchor"
        with self.graph.subgraph(name="cluster_legend") as key:
            key.attr(
                label="<<B>Key</B>>",
                style="rounded",
                color=style.STAGE_BORDER,
                fillcolor="white",
                fontsize="10",
                labeljust="l",
                margin="8",
            )
            key.node(
                anchor,
                label="",
                shape="point",
                style="invis",
                width="0",
                height="0",
            )
            with key.subgraph(name="legend_entries") as column:
                column.attr(rank="same")
                for number, (label, attributes) in enumerate(rows, 1):
                    compact = {"height": "0.3", "margin": "0.06,0.03", **attributes}
                    column.node(f"legend_{number}", label=f"<{label}>", **compact)
                    if number > 1:
                        # Flat hidden edges keep the entries in the order listed; a sideways
                        # layout turns the order within a rank upside down, so chain it backwards.
                        pair = (f"legend_{number - 1}", f"legend_{number}")
                        if self.options.direction in ("LR", "RL"):
                            pair = pair[::-1]
                        column.edge(*pair, style="invis")
            key.edge(anchor, "legend_1", style="invis", minlen="0")
        for member in self.last_band_members or list(self.names.values()):
            self.graph.edge(member, anchor, style="invis", weight="0")
