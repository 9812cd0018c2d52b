"""Build a Graphviz diagram of a programme theory, without needing the Graphviz programs.

The figure reads in process order: each stage is a band (a Graphviz cluster), the bands
placed one after another in the order the theory lists its stages. Inside a band, elements
whose configurations all belong to one theme are grouped in a labelled box. Contexts,
mechanisms and outcomes differ in shape and colour, unintended outcomes are vermillion
with a dashed border, and an outcome that becomes the context or mechanism of a later
configuration has a thick border and says where it goes next.

A theme or a stage can be *collapsed* into one box that lists its elements' labels, with
the arrows into and out of its elements merged: the way to draw an overview of a large
theory that still names everything in it.

Node and cluster names are made by cmokit (``n1``, ``g1``, ``cluster_stage_1``...), never
taken from ids, and every text the user wrote is escaped into an HTML-like label: no label,
id or statement can change the structure of the graph.

Example:
    >>> import cmokit.examples
    >>> graph = to_graphviz(cmokit.examples.hand_hygiene())
    >>> graph.graph_attr["rankdir"]
    'LR'
    >>> "cluster_stage_1" in graph.source and "Higher hand-hygiene" in graph.source
    True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from cmokit.exceptions import UnknownReferenceError
from cmokit.model import Element, ElementKind, Figure, Outcome, OutcomeKind, Stance
from cmokit.rendering import style

if TYPE_CHECKING:
    import graphviz

    from cmokit.model import Configuration
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
        collapse: Theme and stage ids each drawn as one box listing its elements.

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
    collapse: tuple[str, ...] = ()


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


def _check_collapse(theory: ProgrammeTheory, collapse: Sequence[str], figure: str | None) -> None:
    from cmokit.theory import suggest

    known = {**{s.id: None for s in theory.stages}, **{t.id: None for t in theory.themes}}
    for group_id in collapse:
        if group_id not in known:
            err = UnknownReferenceError(
                group_id, referrer=figure, field="collapse", suggestions=suggest(group_id, known)
            )
            err.message = f"collapse names {group_id!r}, which is no stage or theme of the theory"
            if err.suggestions:
                err.message += f"; did you mean {err.suggestions[0]!r}?"
            else:
                err.message += f"; use one of {', '.join(known) or '(none defined)'}"
            raise err


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
    collapse: Iterable[str] | None = None,
) -> DiagramOptions:
    """Combine explicit settings, a named figure's settings and the defaults, in that order.

    The title defaults to the figure's title, else the theory's title.

    Raises:
        UnknownReferenceError: ``figure`` names no figure of the theory, or ``collapse``
            names no stage or theme.

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.mentorship()
        >>> resolve_options(theory, figure="figure2").stages
        ('engagement',)
        >>> resolve_options(theory, figure="figure2", direction="TB").direction
        'TB'
        >>> resolve_options(theory, collapse=["wellbeing"]).collapse
        ('wellbeing',)
    """
    named = theory.figure(figure) if isinstance(figure, str) else figure
    if named is None:
        named = Figure("unnamed")
    chosen_title = _first(title, named.title, None if figure is not None else theory.title)
    chosen_collapse = _selection(collapse, named.collapse) or ()
    _check_collapse(theory, chosen_collapse, named.id if figure is not None else None)
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
        collapse=tuple(dict.fromkeys(chosen_collapse)),
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
    collapse: Iterable[str] | None = None,
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
        collapse: Theme and stage ids to draw each as one box listing its elements' labels,
            arrows into and out of them merged (default none). A theme's box holds the
            elements only its configurations use; a stage's box holds the rest of the stage.

    Raises:
        UnknownReferenceError: An unknown figure, stage, theme or element id.

    Example:
        >>> import cmokit.examples
        >>> graph = to_graphviz(cmokit.examples.mentorship(), figure="figure2", legend=False)
        >>> "Availability of courses" in graph.source, "cluster_legend" in graph.source
        (True, False)
        >>> overview = to_graphviz(cmokit.examples.mentorship(), collapse=["wellbeing"])
        >>> "Sleepless nights" in overview.source and "g1 [" in overview.source
        True
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
        collapse=collapse,
    )
    return _Builder(theory, options).build()


def _selected(theory: ProgrammeTheory, options: DiagramOptions) -> ProgrammeTheory:
    if options.stages is None and options.themes is None and options.around is None:
        return theory
    return theory.subtheory(
        stages=options.stages, themes=options.themes, around=options.around, steps=options.steps
    )


Container = tuple["str | None", "str | None"]
"""Where a node is drawn: (stage id, theme id); ``None`` for outside any band or box."""


@attrs.frozen
class _Group:
    """A collapsed theme or stage: one node standing for several elements."""

    name: str
    group_id: str
    title: str
    element_ids: tuple[str, ...]
    stage: str | None
    is_theme: bool


@attrs.frozen
class _Junction:
    """The small dot where one configuration joins several inputs to several outputs."""

    name: str
    configuration_id: str
    container: Container


@attrs.frozen
class _Edge:
    """One drawn edge and its Graphviz attributes."""

    source: str
    target: str
    attributes: dict[str, str]

    @property
    def constrains(self) -> bool:
        """Whether the edge takes part in ranking (places its target after its source)."""
        return self.attributes.get("constraint") != "false"


_KIND_ORDER = {ElementKind.CONTEXT: 0, ElementKind.MECHANISM: 1, ElementKind.OUTCOME: 2}

_HIDDEN = {"style": "invis", "arrowhead": "none"}


class _Builder:
    """Lays out one figure: names nodes, groups them in bands and boxes, draws edges."""

    def __init__(self, theory: ProgrammeTheory, options: DiagramOptions) -> None:
        import graphviz

        self.full = theory
        self.theory = _selected(theory, options)
        self.options = options
        self.graph = graphviz.Digraph(name="cmokit", strict=False)
        self.stage_order: dict[str, int] = {s.id: i for i, s in enumerate(self.theory.stages)}
        self.element_theme = self._element_themes()
        self.groups: list[_Group] = []
        # element id -> the node that draws it: its own, or its collapsed group's
        self.node_of: dict[str, str] = {}
        self.element_of_node: dict[str, str] = {}
        self.container: dict[str, Container] = {}
        self.kind_of_node: dict[str, int] = {}
        self.junctions: list[_Junction] = []
        self.edges: list[_Edge] = []
        self.last_band_nodes: list[str] = []
        # Indexes built once per drawing, so that no step scans every configuration, node
        # or edge for each element it draws: that made a whole synthesis quadratic.
        self.theme_labels = {theme.id: theme.label for theme in self.full.themes}
        self.stage_labels = {stage.id: stage.label for stage in self.full.stages}
        self.later_roles: dict[str, str] = {}
        self.group_named: dict[str, _Group] = {}
        self.junction_named: dict[str, _Junction] = {}
        # filled once the edges are planned: ranked edges' targets by source, and every
        # node that a ranked edge joins
        self.ranked_targets: dict[str, list[str]] = {}
        self.joined: set[str] = set()
        # filled once every node is named: the nodes of each container, in naming order
        self.nodes_by_container: dict[Container, list[str]] = {}
        # band (stage id) -> the themes of its nodes, junctions included
        self.themes_in_band: dict[str | None, list[str | None]] = {}
        # band (stage id) -> the themes of the elements and groups drawn in it
        self.element_themes_in_band: dict[str | None, dict[str | None, None]] = {}

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
            nodesep="0.18",
            ranksep="0.38",
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
            # The title spans the figure, about three labels wide: 84 characters at 28.
            width = options.wrap * 3 if options.wrap else 0
            text = style.html_lines(options.title, width, balanced=True)
            graph.graph_attr["label"] = f'<<FONT POINT-SIZE="14"><B>{text}</B></FONT>>'
        self._name_nodes()
        self.edges = self._plan_configuration_edges() + self._plan_links()
        self._index_edges()
        self._clusters()
        for edge in self.edges:
            self.graph.edge(edge.source, edge.target, **edge.attributes)
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

    def _name_nodes(self) -> None:
        """Name every node, collapse groups into one node each, and note where each goes."""
        collapse = set(self.options.collapse)
        by_theme: dict[str, list[Element]] = {}
        by_stage: dict[str, list[Element]] = {}
        for element in self.theory.elements:
            only_theme = self.element_theme.get(element.id)
            if only_theme in collapse and only_theme is not None:
                by_theme.setdefault(only_theme, []).append(element)
            elif element.stage in collapse and element.stage is not None:
                by_stage.setdefault(element.stage, []).append(element)
        for theme in self.theory.themes:
            if theme.id in by_theme:
                members = by_theme[theme.id]
                self._add_group(theme.id, theme.label, members, self._home_stage(members), True)
        for stage in self.theory.stages:
            if stage.id in by_stage:
                self._add_group(stage.id, "", by_stage[stage.id], stage.id, False)
        for element in self.theory.elements:
            if element.id in self.node_of:
                continue
            name = f"n{len(self.element_of_node) + 1}"
            self.node_of[element.id] = name
            self.element_of_node[name] = element.id
            self.container[name] = (element.stage, self.element_theme.get(element.id))
            self.kind_of_node[name] = _KIND_ORDER[element.element_kind]

    def _home_stage(self, members: Sequence[Element]) -> str | None:
        """The band of a collapsed theme: where most of its outcomes are, the later on ties."""
        outcomes: list[Element] = [m for m in members if isinstance(m, Outcome)] or list(members)
        counts: dict[str | None, int] = {}
        for member in outcomes:
            counts[member.stage] = counts.get(member.stage, 0) + 1
        return max(counts, key=lambda s: (counts[s], -1 if s is None else self.stage_order[s]))

    def _add_group(
        self, group_id: str, title: str, members: Sequence[Element], stage: str | None, theme: bool
    ) -> None:
        name = f"g{len(self.groups) + 1}"
        ids = tuple(m.id for m in members)
        group = _Group(name, group_id, title, ids, stage, theme)
        self.groups.append(group)
        self.group_named[name] = group
        for element_id in ids:
            self.node_of[element_id] = name
        self.container[name] = (stage, None)
        self.kind_of_node[name] = 1

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
        """Say where an outcome is used next, from the whole theory so a part still shows it.

        The reader gets the step by its theme, else by the stage of what it leads to, so a
        figure never has to print configuration ids.
        """
        known = self.later_roles.get(outcome_id)
        if known is None:
            known = self.later_roles[outcome_id] = self._describe_later_roles(outcome_id)
        return known

    def _describe_later_roles(self, outcome_id: str) -> str:
        roles: dict[str, None] = {}
        steps: dict[str, None] = {}
        # Only the configurations the outcome takes part in (from the theory's index, in
        # the theory's order): scanning them all for each outcome was quadratic.
        for config in self.full.configurations_with(outcome_id):
            if outcome_id in config.contexts:
                roles["context"] = None
            if outcome_id in config.mechanisms:
                roles["mechanism"] = None
            if outcome_id in config.contexts or outcome_id in config.mechanisms:
                steps[self._step_name(config)] = None
        if not roles:
            return ""
        role = " and ".join(roles)
        if len(steps) == 1:
            return f"→ {role} of {next(iter(steps))}"
        themed = all(step.startswith("theme ") for step in steps)
        return f"→ {role} of {len(steps)} {'themes' if themed else 'later steps'}"

    def _step_name(self, config: Configuration) -> str:
        if config.theme is not None:
            return "theme " + self.theme_labels[config.theme]
        for outcome_id in config.outcomes:
            stage = self.full.element(outcome_id).stage
            if stage is not None:
                return self.stage_labels[stage]
        return "a later configuration"

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
        graph.node(self.node_of[element_id], label=self._node_label(element_id), **attributes)

    def _add_group_node(self, graph: graphviz.Digraph, group: _Group) -> None:
        """Draw a collapsed theme or stage as one box: a title, then its elements by kind.

        Each kind is a block in that kind's colour, its elements one to a line after their
        letter (C, M, O); unintended outcomes get a block of their own with a dashed border.
        The letters keep the box readable in grey print.
        """
        width = self.options.wrap + 6 if self.options.wrap else 0
        rows = []
        if group.title:
            title = style.html_lines(group.title, width)
            # The title stands in the text column: spanning the letters' column too, a long
            # title would widen that column and push every label away from its letter.
            rows.append(f'<TR><TD></TD><TD ALIGN="LEFT" BALIGN="LEFT"><B>{title}</B></TD></TR>')
        sections: list[tuple[style.NodeLook, list[Element]]] = [
            (style.look_of(ElementKind.CONTEXT), []),
            (style.look_of(ElementKind.MECHANISM), []),
            (style.look_of(ElementKind.OUTCOME), []),
            (style.UNINTENDED_LOOK, []),
        ]
        for element_id in group.element_ids:
            element = self.theory.element(element_id)
            index = _KIND_ORDER[element.element_kind]
            if isinstance(element, Outcome) and element.kind is OutcomeKind.UNINTENDED:
                index = 3
            sections[index][1].append(element)
        for look, members in sections:
            for member in members:
                unintended = look is style.UNINTENDED_LOOK
                text = style.html_lines(member.label, width)
                if unintended:
                    # Italic as well as vermillion, so unintended outcomes stand out in grey.
                    text = f"<I>{text}</I>"
                roles = self._later_roles(member.id) if isinstance(member, Outcome) else ""
                if roles:
                    note = style.html_lines(roles, width)
                    text += f'<BR/><FONT POINT-SIZE="8"><I>{note}</I></FONT>'
                cell = f'BGCOLOR="{look.fill}" ALIGN="LEFT" VALIGN="TOP"'
                rows.append(
                    f'<TR><TD {cell}><FONT COLOR="{look.border}"><B>'
                    f"{member.element_kind.letter}</B></FONT></TD>"
                    f'<TD {cell} BALIGN="LEFT">{text}</TD></TR>'
                )
        table = (
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            + "".join(rows)
            + "</TABLE>"
        )
        graph.node(
            group.name,
            label=f"<{table}>",
            shape="box",
            style="rounded,filled",
            fillcolor="white",
            color=style.THEME_BORDER if group.is_theme else style.STAGE_BORDER,
            penwidth="1.4",
            margin="0.05,0.05",
        )

    # --------------------------------------------------------------- clusters

    def _nodes_in(self, container: Container) -> list[str]:
        return self.nodes_by_container.get(container, [])

    def _add_node(self, graph: graphviz.Digraph, name: str) -> None:
        if name.startswith("g"):
            self._add_group_node(graph, self.group_named[name])
        elif name.startswith("j"):
            junction = self.junction_named[name]
            attributes = {"shape": "point", "width": "0.07", "color": style.EDGE_COLOUR}
            label = self._edge_label(junction.configuration_id)
            if label is not None:
                attributes.update(xlabel=label, fontsize="9", fontcolor=style.MUTED_TEXT_COLOUR)
            graph.node(name, label="", **attributes)
        else:
            self._add_element(graph, self.element_of_node[name])

    def _index_nodes(self) -> None:
        """Note the nodes of each (stage, theme) container, and each band's themes."""
        for name, where in self.container.items():
            names = self.nodes_by_container.get(where)
            if names is None:
                names = self.nodes_by_container[where] = []
                self.themes_in_band.setdefault(where[0], []).append(where[1])
            names.append(name)
            if not name.startswith("j"):
                self.element_themes_in_band.setdefault(where[0], {})[where[1]] = None

    def _clusters(self) -> None:
        themes = {theme.id: (number, theme) for number, theme in enumerate(self.theory.themes, 1)}
        self._index_nodes()
        anchors: list[tuple[str, list[str]]] = []
        # Bands are numbered as in the whole theory, so a part of it keeps the reader's steps.
        position = {stage.id: number for number, stage in enumerate(self.full.stages, 1)}
        for number, stage in enumerate(self.theory.stages, 1):
            cluster_name = f"cluster_stage_{number}"
            with self.graph.subgraph(name=cluster_name) as band:
                wrap = self.options.wrap
                step = position.get(stage.id, number)
                title = style.html_lines(f"{step} · {stage.label}", wrap * 2, align="LEFT")
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
                anchors.append((anchor, members))
        only_theme = self._only_theme(None)
        self._fill(self.graph, None, themes, "cluster", boxes=only_theme is None)
        self._order_bands(anchors)
        if anchors:
            self.last_band_nodes = anchors[-1][1]

    def _only_theme(self, stage_id: str | None) -> str | None:
        """Return the theme of every element of the band, when they all share one."""
        groups = self.element_themes_in_band.get(stage_id, {})
        return next(iter(groups)) if len(groups) == 1 else None

    def _fill(
        self,
        graph: graphviz.Digraph,
        stage_id: str | None,
        themes: dict[str, tuple[int, Any]],
        prefix: str,
        *,
        boxes: bool,
    ) -> list[str]:
        """Add the nodes of one band, boxed by theme; return their names."""
        names: list[str] = []
        for name in self._nodes_in((stage_id, None)):
            self._add_node(graph, name)
            names.append(name)
        # Only the themes with something in this band, in the theory's order: going through
        # every theme for every band costs stages x themes.
        present = [
            theme_id
            for theme_id in self.themes_in_band.get(stage_id, ())
            if theme_id is not None and theme_id in themes
        ]
        for theme_id in sorted(present, key=lambda present_id: themes[present_id][0]):
            number, theme = themes[theme_id]
            in_box = self._nodes_in((stage_id, theme_id))
            if not boxes:
                for name in in_box:
                    self._add_node(graph, name)
                    names.append(name)
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
                for name in in_box:
                    self._add_node(box, name)
                    names.append(name)
        return names

    def _order_bands(self, anchors: list[tuple[str, list[str]]]) -> None:
        """Keep each band after the previous one with invisible edges through band anchors.

        Only a band's first and last nodes need the hidden edges: every other node is tied
        to them by the band's own edges. Fewer hidden edges spanning many ranks leave fewer
        invisible bends taking room in the drawing.
        """
        hidden = {**_HIDDEN, "weight": "0"}
        for (anchor, _), (following, _) in itertools.pairwise(anchors):
            # Heavy, so the bands line up along the reading direction instead of stepping
            # down the page in a diagonal.
            self.graph.edge(anchor, following, weight="20", **_HIDDEN)
        for index, (anchor, members) in enumerate(anchors):
            firsts, lasts = self._ends(members)
            for member in firsts:
                # A member joined to nothing is kept in the band's first rank (weight 1):
                # left free it would wander to any rank, even past the band's end.
                # (Every last is joined, so no search of the list of lasts is needed.)
                weight = "0" if member in self.joined else "1"
                self.graph.edge(anchor, member, minlen="0", **{**hidden, "weight": weight})
            if index + 1 < len(anchors):
                following = anchors[index + 1][0]
                for member in lasts:
                    self.graph.edge(member, following, **hidden)

    def _index_edges(self) -> None:
        """Note the ranked edges by source, and every node they join, once for all bands."""
        for edge in self.edges:
            if edge.constrains:
                self.ranked_targets.setdefault(edge.source, []).append(edge.target)
                self.joined.update((edge.source, edge.target))

    def _ends(self, members: Sequence[str]) -> tuple[list[str], list[str]]:
        """The members no ranked edge from the group enters, and those none leaves.

        A member joined to nothing is a first, never a last: held in the band's first rank
        by the band's anchor, it needs no hidden edge on to what follows, and such an edge
        would thread invisible bends through every rank between (blank space in the figure).
        """
        inside = set(members)
        entered: set[str] = set()
        left: set[str] = set()
        # Only the edges leaving the members: going through every edge for every band
        # costs bands x edges.
        for source in inside:
            for target in self.ranked_targets.get(source, ()):
                if target in inside:
                    entered.add(target)
                    left.add(source)
        firsts = [m for m in members if m not in entered]
        lasts = [m for m in members if m not in left and m in self.joined]
        return firsts, lasts

    # ------------------------------------------------------------------ edges

    def _band(self, node: str) -> int:
        stage = self.container[node][0]
        return self.stage_order.get(stage, -1) if stage is not None else -1

    def _plan_configuration_edges(self) -> list[_Edge]:
        """Plan each configuration's contexts → mechanisms → outcomes edges.

        When several inputs meet several outputs, the edges pass through one small junction
        point instead of crossing as a full mesh. A configuration without mechanisms (as a
        part of a theory may have) joins its contexts straight to its outcomes.
        """
        direct: dict[tuple[str, str], list[str]] = {}
        planned: list[_Edge] = []
        for config in self.theory.configurations:
            parts = [p for p in (config.contexts, config.mechanisms, config.outcomes) if p]
            for layer_sources, layer_targets in itertools.pairwise(parts):
                sources = tuple(dict.fromkeys(self.node_of[s] for s in layer_sources))
                targets = tuple(dict.fromkeys(self.node_of[t] for t in layer_targets))
                if len(sources) >= 2 and len(targets) >= 2 and not set(sources) & set(targets):
                    name = f"j{len(self.junctions) + 1}"
                    container = self._junction_container(sources, targets)
                    junction = _Junction(name, config.id, container)
                    self.junctions.append(junction)
                    self.junction_named[name] = junction
                    self.container[name] = container
                    planned += [self._new_edge(s, name, arrowhead="none") for s in sources]
                    planned += [self._new_edge(name, t) for t in targets]
                    continue
                for source in sources:
                    for target in targets:
                        if source != target:
                            direct.setdefault((source, target), []).append(config.id)
        for (source, target), config_ids in direct.items():
            label = self._edge_label(", ".join(config_ids))
            planned.append(self._new_edge(source, target, label))
        return planned

    def _junction_container(self, sources: Sequence[str], targets: Sequence[str]) -> Container:
        """Put a junction with its targets: their theme box, else their first band.

        Neither when a source lies in a later band: the junction then goes outside the bands.

        Drawn inside the box its outputs share, the dot sits between the box's inputs and
        outputs instead of wherever the band has room.
        """
        latest_source = max(self._band(s) for s in sources)
        places = {self.container[t] for t in targets}
        if len(places) == 1:
            place = places.pop()
            if self._band(targets[0]) >= latest_source and place[0] is not None:
                return place
        first_target = min(targets, key=self._band)
        if self._band(first_target) >= max(latest_source, 0):
            return (self.container[first_target][0], None)
        return (None, None)

    def _edge_label(self, text: str) -> str | None:
        if not self.options.edge_labels or not text:
            return None
        return "<" + style.html_lines(text, self.options.wrap) + ">"

    def _new_edge(
        self, source: str, target: str, label: str | None = None, **attributes: str
    ) -> _Edge:
        if self._band(source) > self._band(target) >= 0:
            # A backward edge must not pull a later band in front of an earlier one.
            attributes["constraint"] = "false"
        if label is not None:
            attributes["label"] = label
        return _Edge(source, target, attributes)

    def _plan_links(self) -> list[_Edge]:
        merged: dict[tuple[str, str], list[str]] = {}
        for link in self.theory.links:
            source, target = self.node_of[link.source], self.node_of[link.target]
            if source != target:
                merged.setdefault((source, target), []).append(link.label or "")
        planned = []
        for (source, target), labels in merged.items():
            attributes = {"style": "dashed", "color": style.LINK_COLOUR}
            same_band = self._band(source) == self._band(target)
            if same_band and self.kind_of_node[target] <= self.kind_of_node[source]:
                # A link back against the context → mechanism → outcome reading order, or
                # between two elements of one kind, would push columns apart or reverse
                # arrows of configurations: it is drawn without moving anything.
                attributes["constraint"] = "false"
            text = "; ".join(label for label in labels if label)
            planned.append(self._new_edge(source, target, self._edge_label(text), **attributes))
        return planned

    # ----------------------------------------------------------------- legend

    def _legend_rows(self) -> list[tuple[str, dict[str, str]]]:
        """The key's entries, always in one order: kinds of node, then kinds of line."""
        elements = self.theory.elements
        drawn = {e.id for e in elements if self.node_of[e.id].startswith("n")}
        kinds = {e.element_kind for e in elements if e.id in drawn}
        outcomes = [e for e in elements if isinstance(e, Outcome)]
        entries: list[tuple[str, dict[str, str]]] = []
        for kind in ElementKind:
            if kind in kinds or (kind is ElementKind.OUTCOME and self.groups):
                look = style.look_of(kind)
                entries.append((look.name, look.attributes()))
        if any(o.kind is OutcomeKind.UNINTENDED for o in outcomes):
            entries.append((style.UNINTENDED_LOOK.name, style.UNINTENDED_LOOK.attributes()))
        if any(o.id in drawn and self._later_roles(o.id) for o in outcomes):
            attributes = style.look_of(ElementKind.OUTCOME).attributes()
            attributes["penwidth"] = str(style.CHAINED_PENWIDTH)
            entries.append(("Outcome used in a later step", attributes))
        for is_theme, name in ((True, "Theme in brief"), (False, "Stage in brief")):
            if any(group.is_theme is is_theme for group in self.groups):
                colour = style.THEME_BORDER if is_theme else style.STAGE_BORDER
                box = {"shape": "box", "style": "rounded", "color": colour, "penwidth": "1.4"}
                entries.append((name, box))
        rows = [(f'<FONT POINT-SIZE="9">{text}</FONT>', look) for text, look in entries]
        if self._has_drawn_link():
            arrow = f'<FONT COLOR="{style.LINK_COLOUR}">- - →</FONT>'
            rows.append((f'<FONT POINT-SIZE="9">{arrow} Link</FONT>', {"shape": "plaintext"}))
        if self.junctions:
            text = "• Join of one configuration"
            rows.append((f'<FONT POINT-SIZE="9">{text}</FONT>', {"shape": "plaintext"}))
        return rows

    def _has_drawn_link(self) -> bool:
        return any(
            self.node_of[link.source] != self.node_of[link.target] for link in self.theory.links
        )

    def _legend(self) -> None:
        """Draw a compact key of the kinds of node and line the figure shows, in fixed order.

        The key takes its own rank after the last band: a narrow column to the right of a
        left-to-right figure, a row under a top-to-bottom one. It never sits inside a band,
        so no band grows to make room for it.
        """
        rows = self._legend_rows()
        if not rows:
            return
        anchor = "legend_anchor"
        # The anchor stays outside the key's box: inside, its rank would be an empty row.
        # "ordering=out" keeps the anchor's out-edges' heads in the order written: the
        # entries then stand in that order, top to bottom or left to right.
        self.graph.node(
            anchor, label="", shape="point", style="invis", width="0", height="0", ordering="out"
        )
        with self.graph.subgraph(name="cluster_legend") as key:
            key.attr(
                label="<<B>Key</B>>",
                style="rounded",
                color=style.STAGE_BORDER,
                fillcolor="white",
                fontsize="10",
                labeljust="l",
                margin="6",
            )
            with key.subgraph(name="legend_entries") as column:
                column.attr(rank="same")
                for number, (label, attributes) in enumerate(rows, 1):
                    compact = {"height": "0.26", "margin": "0.06,0.02", **attributes}
                    column.node(f"legend_{number}", label=f"<{label}>", **compact)
        sideways = self.options.direction in ("LR", "RL")
        numbers = range(1, len(rows) + 1)
        # Turned sideways, Graphviz stacks a rank's first node at the bottom: there the
        # entries are written last first. Hidden edges within the row (flat edges, which
        # Graphviz keeps pointing forward along the rank) hold the order as well.
        for number in reversed(numbers) if sideways else numbers:
            self.graph.edge(anchor, f"legend_{number}", style="invis", minlen="1")
        for number in numbers[1:]:
            pair = (f"legend_{number - 1}", f"legend_{number}")
            self.graph.edge(*(pair[::-1] if sideways else pair), style="invis")
        # Pulled by the last band's final nodes, the key settles level with them.
        members = self.last_band_nodes or list(self.container)
        lasts = self._ends(members)[1]
        for member in lasts or members:
            # Without a flow to follow (nothing in the band is joined), every member holds
            # the key after the band, none pulls it.
            self.graph.edge(member, anchor, **_HIDDEN, **({} if lasts else {"weight": "0"}))
