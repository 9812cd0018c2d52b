"""The programme theory: the container of a realist model and the public face of its graph.

A :class:`ProgrammeTheory` holds stages, themes, elements (contexts, mechanisms, outcomes),
configurations, links, evidence and named figures, keyed by ids that are unique across the
whole theory. It keeps a :class:`networkx.DiGraph` by composition, built when first needed:
a node per element and, for every configuration, an edge from each context to each mechanism
and from each mechanism to each outcome, each edge carrying the ids of the configurations
that make it.

Example:
    >>> from cmokit import ProgrammeTheory, Context, Mechanism, Outcome, Configuration
    >>> theory = ProgrammeTheory(title="Peer feedback")
    >>> theory.add(Context("audit_data", "Ward has regular audit data"))
    >>> theory.add(Mechanism("peer_feedback", "Peer feedback"))
    >>> theory.add(Outcome("engaged", "Staff engage"))
    >>> theory.add(Configuration("CMOC1", contexts=["audit_data"],
    ...     mechanisms=["peer_feedback"], outcomes=["engaged"]))
    >>> theory["CMOC1"].outcomes
    ('engaged',)
    >>> sorted(theory.to_networkx().edges)
    [('audit_data', 'peer_feedback'), ('peer_feedback', 'engaged')]
"""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import networkx as nx

from cmokit._collector import paused
from cmokit._fields import CONTEXTS as _CONTEXTS
from cmokit._fields import ID as _ID
from cmokit._fields import MECHANISMS as _MECHANISMS
from cmokit._fields import OUTCOMES as _OUTCOMES
from cmokit._fields import SOURCE as _SOURCE
from cmokit._fields import STAGE as _STAGE
from cmokit._fields import TARGET as _TARGET
from cmokit._fields import THEME as _THEME
from cmokit.exceptions import DuplicateIdError, UnknownReferenceError
from cmokit.model import (
    Configuration,
    Context,
    Element,
    ElementKind,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    Stage,
    Theme,
)

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

    from cmokit.queries import Explanation
    from cmokit.validation.report import Report, Severity

__all__ = ["Item", "ProgrammeTheory", "Source"]

Item = Stage | Theme | Context | Mechanism | Outcome | Configuration | Evidence
"""Anything in a theory that has an id in the shared id space."""

_ItemT = TypeVar("_ItemT", bound=Item)


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be text, not {type(value).__name__} {value!r}")


@attrs.frozen
class Source:
    """The publication or report a theory comes from.

    Example:
        >>> Source(doi="10.24384/wape-nv13").doi
        '10.24384/wape-nv13'
    """

    citation: str | None = attrs.field(default=None, validator=_optional_text)
    doi: str | None = attrs.field(default=None, validator=_optional_text)
    url: str | None = attrs.field(default=None, validator=_optional_text)


_KIND_NAMES: dict[type[Any], str] = {
    Stage: "stage",
    Theme: "theme",
    Context: "context",
    Mechanism: "mechanism",
    Outcome: "outcome",
    Configuration: "configuration",
    Evidence: "evidence item",
}


def _kind_name(item: object) -> str:
    return _KIND_NAMES.get(type(item), type(item).__name__)


def suggest(name: str, candidates: Iterable[str], *, count: int = 3) -> list[str]:
    """Return the candidates closest to ``name``, for "did you mean" messages.

    Example:
        >>> suggest("habbit", ["habit", "hierarchy", "engaged"])
        ['habit']
        >>> suggest("C3", ["C1", "M1"])
        ['C1']
    """
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    # Short ids such as C1 or M2 are common; one wrong character out of two scores 0.5.
    cutoff = 0.5 if len(name) <= 3 else 0.6
    close = difflib.get_close_matches(name.lower(), list(lowered), n=count, cutoff=cutoff)
    return [lowered[c] for c in close]


class ProgrammeTheory:
    """A realist programme theory: elements joined by configurations, drawn as a graph.

    Items are added in dependency order (stages and themes, then elements, then
    configurations, links, evidence and figures) because every reference must resolve
    when the item is added.

    Args:
        title: The theory's title.
        description: A longer description.
        source: The publication it comes from.
        meta: Anything else to keep.
        items: Items to add, in order.

    Raises:
        DuplicateIdError: An item's id is taken.
        UnknownReferenceError: An item refers to an id the theory does not hold.

    Example:
        >>> theory = ProgrammeTheory(title="Minimal")
        >>> theory.title
        'Minimal'
        >>> len(theory)
        0
    """

    __hash__ = None  # type: ignore[assignment]  # mutable container

    def __init__(
        self,
        title: str = "",
        *,
        description: str | None = None,
        source: Source | None = None,
        meta: Mapping[str, Any] | None = None,
        items: Iterable[Item | Link | Figure] = (),
    ) -> None:
        self.title = title
        self.description = description
        self.source = source if source is not None else Source()
        self.meta: dict[str, Any] = dict(meta or {})
        self._items: dict[str, Item] = {}
        self._stages: dict[str, Stage] = {}
        self._themes: dict[str, Theme] = {}
        self._contexts: dict[str, Context] = {}
        self._mechanisms: dict[str, Mechanism] = {}
        self._outcomes: dict[str, Outcome] = {}
        self._configurations: dict[str, Configuration] = {}
        self._links: list[Link] = []
        self._evidence: dict[str, Evidence] = {}
        self._figures: dict[str, Figure] = {}
        # Indexes only queries read, built on their first use (by _configurations_of and
        # _producers_of) and kept up to date by _insert_configuration from then on, so that
        # loading and validating a large theory do not pay for them.
        # element id -> ids of the configurations it takes part in, in insertion order
        self._element_configurations: dict[str, dict[str, None]] | None = None
        # outcome id -> ids of the configurations that generate it
        self._producers: dict[str, dict[str, None]] | None = None
        # item id -> the evidence items about it, in the order added (validation reads it)
        self._evidence_about: dict[str, list[Evidence]] = {}
        # The graph is built when something first reads it (see _graph) and kept up to date
        # from then on: loading and validating a theory need no networkx graph.
        self._graph_built: nx.DiGraph | None = None
        # For each link, how many configurations were added before it, so that a graph
        # built later lists its edges in the order adding the items one by one gives.
        self._link_positions: list[int] = []
        # Whether the elements were added contexts first, then mechanisms, then outcomes
        # (as a model file lists them), so that `elements` lists them in the order added:
        # the order of the graph's nodes. Validation's CMO032 sorts by it.
        self._elements_by_kind = True
        for item in items:
            self.add(item)

    # ----------------------------------------------------------------- adding

    def add(self, item: Item | Link | Figure) -> None:
        """Add one item, checking its id is free and its references resolve.

        Args:
            item: A stage, theme, element, configuration, link, evidence item or figure.

        Raises:
            DuplicateIdError: The id is already taken (the message names both items).
            UnknownReferenceError: A referenced id is unknown (with near-miss suggestions).
            TypeError: ``item`` is not a cmokit item.

        Example:
            >>> theory = ProgrammeTheory()
            >>> theory.add(Context("c1", "A context"))
            >>> try:
            ...     theory.add(Outcome("c1", "Clash"))
            ... except DuplicateIdError as err:
            ...     print(err)
            duplicate id 'c1': an outcome cannot reuse the id of an existing context
        """
        if isinstance(item, Link):
            self._check_refs(_link_label(item), "source", (item.source,), self._element_ids())
            self._check_refs(_link_label(item), "target", (item.target,), self._element_ids())
        elif isinstance(item, Figure):
            if item.id in self._figures:
                raise DuplicateIdError(item.id, existing="figure", new="figure")
            self._check_refs(item.id, "stages", item.stages, self._stages)
            self._check_refs(item.id, "themes", item.themes, self._themes)
            if item.around is not None:
                self._check_refs(item.id, "around", (item.around,), self._element_ids())
        elif isinstance(item, Item):
            existing = self._items.get(item.id)
            if existing is not None:
                raise DuplicateIdError(item.id, existing=_kind_name(existing), new=_kind_name(item))
            self._check_item_refs(item)
        else:
            raise TypeError(f"cannot add {type(item).__name__} {item!r} to a programme theory")
        self._insert(item)

    def _element_ids(self) -> Mapping[str, object]:
        return _ElementView(self)

    def _require(self, item_id: str, known: Mapping[str, object], kind: str) -> None:
        """Raise a query's error for an id the theory does not hold, with suggestions."""
        if item_id not in known:
            raise UnknownReferenceError(item_id, kind=kind, suggestions=suggest(item_id, known))

    def _check_refs(
        self, referrer: str, field: str, refs: Iterable[str], known: Mapping[str, object]
    ) -> None:
        for ref in refs:
            if ref not in known:
                raise UnknownReferenceError(
                    ref, referrer=referrer, field=field, suggestions=suggest(ref, known)
                )

    def _check_item_refs(self, item: Item) -> None:
        if isinstance(item, Element):
            if item.stage is not None:
                self._check_refs(item.id, "stage", (item.stage,), self._stages)
        elif isinstance(item, Configuration):
            elements = self._element_ids()
            self._check_refs(item.id, "contexts", item.contexts, elements)
            self._check_refs(item.id, "mechanisms", item.mechanisms, elements)
            self._check_refs(item.id, "outcomes", item.outcomes, self._outcomes)
            if item.theme is not None:
                self._check_refs(item.id, "theme", (item.theme,), self._themes)
        elif isinstance(item, Evidence):
            targets = _AboutView(self)
            self._check_refs(item.id, "about", item.about, targets)

    def _insert(self, item: Item | Link | Figure) -> None:
        """Store an item whose id and references are known to be good; update the graph."""
        # The exact classes of the two commonest items first (about three evidence items and
        # one configuration per configuration); subclasses go the general way below.
        if type(item) is Evidence:
            evidence_id = item.id
            self._items[evidence_id] = item
            self._evidence[evidence_id] = item
            _index_evidence(self._evidence_about, item)
            return
        if type(item) is Configuration:
            self._items[item.id] = item
            self._insert_configuration(item)
            return
        graph = self._graph_built
        if isinstance(item, Link):
            self._links.append(item)
            self._link_positions.append(len(self._configurations))
            if graph is not None:
                _add_link_edge(graph, item)
                _clear_networkx_cache(graph)
            return
        if isinstance(item, Figure):
            self._figures[item.id] = item
            return
        item_id = item.id
        self._items[item_id] = item
        # Evidence first: a theory holds about three evidence items per configuration.
        if isinstance(item, Evidence):
            self._evidence[item_id] = item
            _index_evidence(self._evidence_about, item)
        elif isinstance(item, Configuration):
            self._insert_configuration(item)
        elif isinstance(item, (Context, Mechanism, Outcome)):
            if isinstance(item, Context):
                if self._mechanisms or self._outcomes:
                    self._elements_by_kind = False
                self._contexts[item_id] = item
            elif isinstance(item, Mechanism):
                if self._outcomes:
                    self._elements_by_kind = False
                self._mechanisms[item_id] = item
            else:
                self._outcomes[item_id] = item
            if graph is not None:
                _add_element_node(graph, item)
                _clear_networkx_cache(graph)
        elif isinstance(item, Stage):
            self._stages[item.id] = item
        else:
            self._themes[item.id] = item

    def _insert_configuration(self, item: Configuration) -> None:
        config_id = item.id
        self._configurations[config_id] = item
        if self._element_configurations is not None:
            _index_members(self._element_configurations, item)
        if self._producers is not None:
            _index_producers(self._producers, item)
        graph = self._graph_built
        if graph is not None:
            _add_configuration_edges(graph, item)
            _clear_networkx_cache(graph)

    def _fill(
        self,
        sections: Mapping[str, Sequence[Any]],
        figures: Sequence[Figure] = (),
    ) -> bool:
        """Fill an empty theory with every item of a model file at once.

        ``sections`` maps the model file's section names (``stages`` ... ``evidence``) to
        their items. The result is the theory that adding the items one by one, in section
        order, would build, at a fraction of the cost for a large theory: ids and references
        are checked in bulk with set operations, and the stores are filled in tight loops (the
        graph is built when first read). Nothing is kept, and False returned, when an id
        repeats or a reference does not resolve; the caller then adds the items one by one
        to find out which.
        """
        if self._items or self._links or self._figures:
            raise ValueError("_fill needs an empty theory")
        empty: Sequence[Any] = ()
        stage_items = sections.get("stages", empty)
        theme_items = sections.get("themes", empty)
        context_items = sections.get("contexts", empty)
        mechanism_items = sections.get("mechanisms", empty)
        outcome_items = sections.get("outcomes", empty)
        configuration_items = sections.get("configurations", empty)
        links: Sequence[Link] = sections.get("links", empty)
        evidence_items = sections.get("evidence", empty)
        counted = (
            stage_items,
            theme_items,
            context_items,
            mechanism_items,
            outcome_items,
            configuration_items,
            evidence_items,
        )
        by_section = [_by_id(items) for items in counted]
        stages, themes, contexts, mechanisms, outcomes, configurations, evidence = by_section
        # Every id but the evidence ids first: an evidence item may be about any of these
        # but a stage or a theme, so its references are checked against this below.
        every: dict[str, Item] = {}
        for store in by_section[:-1]:
            every.update(store)
        if len(every) != sum(map(len, counted[:-1])):
            return False  # an id repeats, in one section or across two
        elements = (contexts, mechanisms, outcomes)
        flatten = itertools.chain.from_iterable
        if (
            _unresolved(map(_STAGE, flatten(counted[2:5])), stages)
            or _unresolved(flatten(map(_CONTEXTS, configuration_items)), *elements)
            or _unresolved(flatten(map(_MECHANISMS, configuration_items)), *elements)
            or _unresolved(flatten(map(_OUTCOMES, configuration_items)), outcomes)
            or _unresolved(map(_THEME, configuration_items), themes)
            or _unresolved(map(_SOURCE, links), *elements)
            or _unresolved(map(_TARGET, links), *elements)
        ):
            return False
        # The index's keys are each id some evidence is about, once: checking them rather
        # than every reference looks each id up once instead of about twice.
        evidence_about = _evidence_index(evidence_items)
        about = evidence_about.keys()
        if not (every.keys() >= about and about.isdisjoint(stages) and about.isdisjoint(themes)):
            return False
        every.update(evidence)
        if len(every) != sum(map(len, counted)):
            return False  # an evidence id repeats, or is the id of another item
        for figure in figures:
            if (
                _unresolved(figure.stages, stages)
                or _unresolved(figure.themes, themes)
                or _unresolved((figure.around,), *elements)
                or _unresolved(figure.collapse, stages, themes)
                or figure.id in self._figures
            ):
                self._figures.clear()
                return False
            self._figures[figure.id] = figure

        self._items = every
        self._stages, self._themes = stages, themes
        self._contexts, self._mechanisms, self._outcomes = contexts, mechanisms, outcomes
        self._configurations, self._evidence = configurations, evidence
        self._links = list(links)
        # The links section follows the configurations section.
        self._link_positions = [len(configurations)] * len(self._links)
        self._evidence_about = evidence_about
        return True

    @property
    def _graph(self) -> nx.DiGraph:
        """The theory's graph, built on first use; cmokit's modules read it, users get copies."""
        graph = self._graph_built
        if graph is None:
            graph = self._graph_built = self._build_graph()
        return graph

    def _build_graph(self) -> nx.DiGraph:
        """The graph that adding the theory's items one by one builds, nodes and edges in order.

        Nodes come in the order the elements were added, edges in the order configurations
        and links were added (a link after the configurations added before it).
        """
        graph = nx.DiGraph()
        with paused():  # many small dicts and no cycles: see cmokit._collector
            for item in self._items.values():
                if isinstance(item, (Context, Mechanism, Outcome)):
                    _add_element_node(graph, item)
            for maker in self._configurations_and_links():
                if isinstance(maker, Link):
                    _add_link_edge(graph, maker)
                else:
                    _add_configuration_edges(graph, maker)
        return graph

    def _configurations_and_links(
        self, only: Iterable[tuple[int, Configuration]] | None = None
    ) -> Iterator[Configuration | Link]:
        """The configurations and links in the order they were added: the graph's edge order.

        ``only``: some of the configurations, each with its position among them all (in
        increasing order); every link still comes, in its place among them.
        """
        links = zip(self._link_positions, self._links, strict=True)
        pending = next(links, None)
        numbered = enumerate(self._configurations.values()) if only is None else only
        for count, configuration in numbered:
            while pending is not None and pending[0] <= count:
                yield pending[1]
                pending = next(links, None)
            yield configuration
        while pending is not None:
            yield pending[1]
            pending = next(links, None)

    def _configurations_of(self) -> dict[str, dict[str, None]]:
        """Element id -> ids of the configurations it takes part in (built on first use)."""
        if self._element_configurations is None:
            self._element_configurations = self._index_configurations(_index_members)
        return self._element_configurations

    def _producers_of(self) -> dict[str, dict[str, None]]:
        """Outcome id -> ids of the configurations that generate it (built on first use)."""
        if self._producers is None:
            self._producers = self._index_configurations(_index_producers)
        return self._producers

    def _index_configurations(
        self, record: Callable[[dict[str, dict[str, None]], Configuration], None]
    ) -> dict[str, dict[str, None]]:
        index: dict[str, dict[str, None]] = {}
        with paused():  # many small dicts and no cycles: see cmokit._collector
            for configuration in self._configurations.values():
                record(index, configuration)
        return index

    # ------------------------------------------------------------ collections

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages, in process order.

        Example:
            >>> import cmokit.examples
            >>> [stage.id for stage in cmokit.examples.hand_hygiene().stages]
            ['uptake', 'practice']
        """
        return tuple(self._stages.values())

    @property
    def themes(self) -> tuple[Theme, ...]:
        """The themes, in the order added."""
        return tuple(self._themes.values())

    @property
    def contexts(self) -> tuple[Context, ...]:
        """The contexts, in the order added."""
        return tuple(self._contexts.values())

    @property
    def mechanisms(self) -> tuple[Mechanism, ...]:
        """The mechanisms, in the order added."""
        return tuple(self._mechanisms.values())

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes, in the order added."""
        return tuple(self._outcomes.values())

    @property
    def elements(self) -> tuple[Context | Mechanism | Outcome, ...]:
        """All elements: contexts, then mechanisms, then outcomes.

        Example:
            >>> import cmokit.examples
            >>> [e.element_kind.letter for e in cmokit.examples.hand_hygiene().elements]
            ['C', 'C', 'M', 'M', 'O', 'O', 'O']
        """
        elements: tuple[Context | Mechanism | Outcome, ...] = (
            *self._contexts.values(),
            *self._mechanisms.values(),
            *self._outcomes.values(),
        )
        return elements

    @property
    def configurations(self) -> tuple[Configuration, ...]:
        """The configurations, in the order added."""
        return tuple(self._configurations.values())

    @property
    def links(self) -> tuple[Link, ...]:
        """The explicit element-to-element links, in the order added."""
        return tuple(self._links)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence items, in the order added."""
        return tuple(self._evidence.values())

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The named figures, in the order added."""
        return tuple(self._figures.values())

    def figure(self, name: str) -> Figure:
        """Return the named figure.

        Raises:
            UnknownReferenceError: No figure has that name (with suggestions).

        Example:
            >>> try:
            ...     ProgrammeTheory().figure("figure1")
            ... except UnknownReferenceError as err:
            ...     print(err)
            no figure named 'figure1'; this theory defines none
        """
        try:
            return self._figures[name]
        except KeyError:
            err = UnknownReferenceError(name, suggestions=suggest(name, self._figures))
            known = ", ".join(self._figures) or "none"
            err.message = f"no figure named {name!r}; this theory defines {known}"
            if err.suggestions:
                err.message = f"no figure named {name!r}; did you mean {err.suggestions[0]!r}?"
            err.args = (err.message,)
            raise err from None

    # ----------------------------------------------------------------- access

    def __getitem__(self, item_id: object) -> Item:
        """Return the item with this id: a stage, theme, element, configuration or evidence."""
        try:
            return self._items[item_id]  # type: ignore[index]
        except (KeyError, TypeError):
            raise UnknownReferenceError(
                str(item_id), suggestions=suggest(str(item_id), self._items)
            ) from None

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[str]:
        """Iterate over every id in the shared id space, in the order added."""
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, item_id: str, default: Item | None = None) -> Item | None:
        """Return the item with this id, or ``default``.

        Example:
            >>> ProgrammeTheory().get("missing") is None
            True
        """
        return self._items.get(item_id, default)

    def element(self, element_id: str) -> Context | Mechanism | Outcome:
        """Return the element with this id.

        Raises:
            UnknownReferenceError: No element has that id.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().element("habit").reasoning
            'Cleaning hands becomes automatic'
        """
        item = self._items.get(element_id)
        if not isinstance(item, Context | Mechanism | Outcome):
            raise UnknownReferenceError(
                element_id, suggestions=suggest(element_id, self._element_ids())
            )
        return item

    def kind_of(self, element_id: str) -> ElementKind:
        """Return whether an element is a context, mechanism or outcome.

        Example:
            >>> t = ProgrammeTheory(items=[Outcome("o1", "An outcome")])
            >>> t.kind_of("o1")
            <ElementKind.OUTCOME: 'outcome'>
        """
        return self.element(element_id).element_kind

    def producers(self, outcome_id: str) -> tuple[Configuration, ...]:
        """Return the configurations that generate this outcome.

        Example:
            >>> import cmokit.examples
            >>> [c.id for c in cmokit.examples.hand_hygiene().producers("engaged")]
            ['CMOC1']
        """
        return tuple(self._configurations[c] for c in self._producers_of().get(outcome_id, ()))

    def evidence_for(self, item_id: str) -> tuple[Evidence, ...]:
        """Return the evidence items about an element or configuration.

        Example:
            >>> t = ProgrammeTheory(items=[Context("c", "C"), Evidence("e", "x", about=["c"])])
            >>> [e.id for e in t.evidence_for("c")]
            ['e']
        """
        return tuple(self._evidence_about.get(item_id, ()))

    def to_networkx(self) -> nx.DiGraph:
        """Return a copy of the theory's graph.

        Nodes are element ids with attributes ``kind`` (``"context"``, ``"mechanism"`` or
        ``"outcome"``) and ``stage``; edges carry ``configurations`` (ids of the
        configurations that make the edge) and ``links`` (labels of explicit links).

        Example:
            >>> t = ProgrammeTheory(items=[Context("c", "C")])
            >>> g = t.to_networkx()
            >>> g.nodes["c"]["kind"]
            'context'
        """
        graph = nx.DiGraph()
        graph.graph["title"] = self.title
        graph.add_nodes_from((n, dict(d)) for n, d in self._graph.nodes(data=True))
        graph.add_edges_from(
            (
                s,
                t,
                {"configurations": list(d["configurations"]), "links": list(d["links"])},
            )
            for s, t, d in self._graph.edges(data=True)
        )
        return graph

    @property
    def graph_view(self) -> nx.DiGraph:
        """A read-only view of the internal graph, for fast queries; do not modify it.

        Example:
            >>> ProgrammeTheory().graph_view.number_of_nodes()
            0
        """
        return nx.graphviews.subgraph_view(self._graph)

    # --------------------------------------------------------------- equality

    def _comparable(self) -> tuple[object, ...]:
        def link_key(link: Link) -> tuple[str, str, str, str]:
            return (link.source, link.target, link.label or "", repr(link.meta))

        return (
            self.title,
            self.description,
            self.source,
            self.meta,
            list(self._stages.values()),
            self._themes,
            self._contexts,
            self._mechanisms,
            self._outcomes,
            self._configurations,
            sorted(self._links, key=link_key),
            self._evidence,
            self._figures,
        )

    def __eq__(self, other: object) -> bool:
        """Theories are equal when they hold the same contents.

        Stage order matters (stages are a sequence); the order in which other items were
        added does not.
        """
        if not isinstance(other, ProgrammeTheory):
            return NotImplemented
        return self._comparable() == other._comparable()

    def __repr__(self) -> str:
        return (
            f"<ProgrammeTheory {self.title!r}: {len(self._contexts)} contexts, "
            f"{len(self._mechanisms)} mechanisms, {len(self._outcomes)} outcomes, "
            f"{len(self._configurations)} configurations>"
        )

    # ---------------------------------------------------------------- queries

    def configurations_with(self, element_id: str) -> tuple[Configuration, ...]:
        """Return the configurations in which an element takes part, in any role.

        Raises:
            UnknownReferenceError: No element has that id.

        Example:
            >>> import cmokit.examples
            >>> t = cmokit.examples.hand_hygiene()
            >>> [c.id for c in t.configurations_with("peer_feedback")]
            ['CMOC1', 'CMOC3']
        """
        self.element(element_id)
        return tuple(self._configurations[c] for c in self._configurations_of().get(element_id, ()))

    def upstream(self, element_id: str, steps: int | None = None) -> tuple[str, ...]:
        """Return the ids of the elements from which this one can be reached.

        Args:
            element_id: Where to start.
            steps: Follow at most this many edges back (all when ``None``).

        Returns:
            Element ids, nearest first.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().upstream("engaged")
            ('peer_feedback', 'audit_data', 'hierarchy')
        """
        from cmokit import queries

        return queries.neighbourhood(self, element_id, steps, reverse=True)

    def downstream(self, element_id: str, steps: int | None = None) -> tuple[str, ...]:
        """Return the ids of the elements this one can reach.

        Args:
            element_id: Where to start.
            steps: Follow at most this many edges (all when ``None``).

        Returns:
            Element ids, nearest first.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().downstream("engaged", steps=1)
            ('habit',)
        """
        from cmokit import queries

        return queries.neighbourhood(self, element_id, steps, reverse=False)

    def paths(
        self, source: str, target: str, cutoff: int | None = None, *, limit: int | None = None
    ) -> list[tuple[str, ...]]:
        """Return the simple paths from one element to another, shortest first.

        Args:
            source: Start element id.
            target: End element id.
            cutoff: Only paths of at most this many edges.
            limit: Stop after this many paths.

        Example:
            >>> import cmokit.examples
            >>> for path in cmokit.examples.hand_hygiene().paths("audit_data", "habit"):
            ...     print(" → ".join(path))
            audit_data → peer_feedback → habit
            audit_data → peer_feedback → engaged → habit
        """
        from cmokit import queries

        return queries.simple_paths(self, source, target, cutoff=cutoff, limit=limit)

    def explain(self, outcome_id: str, *, limit: int = 1000) -> Explanation:
        """Return every explanatory chain that ends at an outcome.

        A chain is a sequence of configurations, each one's outcome standing among the next
        one's contexts or mechanisms, followed back until a configuration with no chained
        input (or a cycle) is met.

        Args:
            outcome_id: The outcome to explain.
            limit: Stop after this many chains; ``Explanation.truncated`` says when it did.

        Raises:
            UnknownReferenceError: No outcome has that id.

        Example:
            >>> import cmokit.examples
            >>> result = cmokit.examples.hand_hygiene().explain("compliance")
            >>> [str(chain) for chain in result.chains]
            ['audit_data → peer_feedback → engaged → habit → compliance']
        """
        from cmokit import queries

        return queries.explain(self, outcome_id, limit=limit)

    def select(
        self,
        *,
        kind: ElementKind | str | None = None,
        stage: str | None = None,
        theme: str | None = None,
        tag: str | None = None,
    ) -> tuple[Context | Mechanism | Outcome, ...]:
        """Return the elements that match every given criterion.

        Args:
            kind: ``"context"``, ``"mechanism"`` or ``"outcome"`` (or an :class:`ElementKind`).
            stage: A stage id.
            theme: A theme id: elements taking part in a configuration of that theme.
            tag: A tag the element carries.

        Example:
            >>> import cmokit.examples
            >>> theory = cmokit.examples.hand_hygiene()
            >>> [e.id for e in theory.select(kind="outcome", stage="uptake")]
            ['engaged', 'blame']
        """
        from cmokit import queries

        return queries.select(self, kind=kind, stage=stage, theme=theme, tag=tag)

    def subtheory(
        self,
        *,
        stages: Iterable[str] | None = None,
        themes: Iterable[str] | None = None,
        around: str | None = None,
        steps: int | None = None,
    ) -> ProgrammeTheory:
        """Return a smaller theory for a focused figure or analysis.

        Elements are kept when they pass every filter given: in one of ``stages``; taking
        part in a configuration of one of ``themes``; within ``steps`` edges (either
        direction, default 1) of ``around``. Configurations keep only their kept elements
        and are dropped when none is left; links need both ends, evidence at least one
        subject.

        Example:
            >>> import cmokit.examples
            >>> small = cmokit.examples.hand_hygiene().subtheory(stages=["uptake"])
            >>> [c.id for c in small.configurations]
            ['CMOC1', 'CMOC2', 'CMOC3']
            >>> small["CMOC2"].mechanisms
            ()
        """
        from cmokit import queries

        return queries.subtheory(self, stages=stages, themes=themes, around=around, steps=steps)

    # ---- validation (issue 3): methods go here ----

    def validate(
        self,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
        *,
        mechanism_parts: Severity | str | bool = "info",
    ) -> Report:
        """Check the theory for explanatory completeness, the way a linter checks code.

        See :func:`cmokit.validation.validate` for the arguments and docs/rules.md for
        every rule.

        Example:
            >>> import cmokit.examples
            >>> report = cmokit.examples.hand_hygiene().validate(ignore="CMO02")
            >>> report.ok, [f.code for f in report.infos]
            (True, ['CMO005'])
        """
        from cmokit.validation import validate

        return validate(self, select, ignore, mechanism_parts=mechanism_parts)

    # ---- rendering (issue 4): methods go here ----

    def to_graphviz(
        self,
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
        """Return a ``graphviz.Digraph`` of the theory; building it needs no Graphviz program.

        Options left as ``None`` come from the named ``figure``, else the defaults: every
        stage and theme, the theory's title, left to right, a key, labels wrapped at 28
        characters, no edge labels, no evidence counts, nothing collapsed. See
        :func:`cmokit.rendering.to_graphviz` for each option.

        Example:
            >>> import cmokit.examples
            >>> graph = cmokit.examples.mentorship().to_graphviz(figure="figure2")
            >>> "What shapes initial engagement" in graph.source
            True
        """
        from cmokit.rendering import to_graphviz

        return to_graphviz(
            self,
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

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str] | None:
        """Show the theory as an SVG figure in Jupyter; nothing when no Graphviz is installed.

        Example:
            >>> import cmokit.examples
            >>> bundle = cmokit.examples.hand_hygiene()._repr_mimebundle_()
            >>> bundle is None or "<svg" in bundle["image/svg+xml"]
            True
        """
        from cmokit.exceptions import EngineNotFoundError
        from cmokit.rendering import to_svg

        try:
            return {"image/svg+xml": to_svg(self)}
        except EngineNotFoundError:
            # Jupyter then falls back to the plain text representation.
            return None

    # ---- tables and frames (issue 7): methods go here ----

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Return the theory as pandas DataFrames, one per kind of item.

        Keys ``elements``, ``configurations``, ``links``, ``evidence``, ``stages``,
        ``themes``, ``figures`` and ``theory``; see :mod:`cmokit.tables.frames` for the
        columns. :meth:`from_frames` turns them back into an equal theory.

        Example:
            >>> import cmokit.examples
            >>> frames = cmokit.examples.hand_hygiene().to_frames()
            >>> frames["links"].loc[0, ["source", "target", "label"]].tolist()
            ['peer_feedback', 'habit', 'reinforces']
        """
        from cmokit.tables import frames

        return frames.to_frames(self)

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> ProgrammeTheory:
        """Build a theory from the DataFrames :meth:`to_frames` returns: its exact inverse.

        Raises:
            LoadError: Bad input; every problem names the frame, the row and the column.

        Example:
            >>> import cmokit.examples
            >>> theory = cmokit.examples.hand_hygiene()
            >>> ProgrammeTheory.from_frames(theory.to_frames()) == theory
            True
        """
        from cmokit.tables import frames as tables_frames

        return tables_frames.from_frames(frames)

    def configuration_table(self) -> pd.DataFrame:
        """Return the Table 5-style summary of the configurations, one row each.

        Columns: theme, contexts and mechanisms with their roles (C/M), outcomes and
        statement. See :func:`cmokit.tables.summaries.configuration_table`.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().configuration_table()["configuration"].tolist()
            ['CMOC2', 'CMOC1', 'CMOC3']
        """
        from cmokit.tables import summaries

        return summaries.configuration_table(self)

    def evidence_table(self, *, by: str | None = None) -> pd.DataFrame:
        """Return supporting and contradicting evidence counted per configuration and element.

        See :func:`cmokit.tables.summaries.evidence_table`.

        Example:
            >>> import cmokit.examples
            >>> table = cmokit.examples.hand_hygiene().evidence_table()
            >>> int(table["supporting"].sum())
            2
        """
        from cmokit.tables import summaries

        return summaries.evidence_table(self, by=by)

    def case_matrix(self) -> pd.DataFrame:
        """Return configurations against cases: where the mechanism fired and where it did not.

        See :func:`cmokit.tables.summaries.case_matrix`.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().case_matrix().loc["CMOC1", "Ward A"]
            'fired'
        """
        from cmokit.tables import summaries

        return summaries.case_matrix(self)

    def elements_in_theme(self, theme_id: str) -> tuple[str, ...]:
        """Return the ids of the elements in configurations of a theme, in order met.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().elements_in_theme("safety")
            ('engaged', 'habit', 'compliance')
        """
        self._require(theme_id, self._themes, "theme")
        seen: dict[str, None] = {}
        for config in self._configurations.values():
            if config.theme == theme_id:
                seen.update(dict.fromkeys(config.elements))
        return tuple(seen)


def _by_id(items: Sequence[_ItemT]) -> dict[str, _ItemT]:
    """Items keyed by id, in order (a repeated id keeps its last item: compare lengths)."""
    return dict(zip(map(_ID, items), items, strict=True))


def _unresolved(refs: Iterable[str | None], *known: Mapping[str, object]) -> bool:
    """Whether a reference other than None is in none of the ``known`` mappings."""
    missing = set(refs)
    missing.discard(None)
    for mapping in known:
        if not missing:
            break
        # A set minus a dict looks each member up in the dict: linear in the references.
        missing = missing.difference(mapping)
    return bool(missing)


def _index_evidence(evidence_about: dict[str, list[Evidence]], item: Evidence) -> None:
    """Record an evidence item under each id it is about (once, however often it names it)."""
    about = item.about
    # One id, the usual case, needs no de-duplicating.
    for ref in about if len(about) == 1 else dict.fromkeys(about):
        listed = evidence_about.get(ref)
        if listed is None:
            evidence_about[ref] = [item]
        else:
            listed.append(item)


def _evidence_index(items: Iterable[Evidence]) -> dict[str, list[Evidence]]:
    """The index ``_index_evidence`` builds from the items one by one, built in one go."""
    # A defaultdict makes each id's list in C; the theory keeps a plain dict, whose
    # readers get None or a KeyError for an id no evidence is about.
    index: defaultdict[str, list[Evidence]] = defaultdict(list)
    for item in items:
        about = item.about
        # One id, or two different ones, nearly always: no de-duplicating needed.
        if len(about) == 1:
            index[about[0]].append(item)
        elif len(about) == 2 and about[0] != about[1]:
            index[about[0]].append(item)
            index[about[1]].append(item)
        else:
            for ref in dict.fromkeys(about):
                index[ref].append(item)
    return dict(index)


def _index_members(index: dict[str, dict[str, None]], configuration: Configuration) -> None:
    config_id = configuration.id
    # Marking a configuration twice is harmless, so repeated ids need no removing here.
    for element_id in (*configuration.contexts, *configuration.mechanisms, *configuration.outcomes):
        configurations = index.get(element_id)
        if configurations is None:
            index[element_id] = {config_id: None}
        else:
            configurations[config_id] = None


def _index_producers(index: dict[str, dict[str, None]], configuration: Configuration) -> None:
    config_id = configuration.id
    for outcome_id in configuration.outcomes:
        configurations = index.get(outcome_id)
        if configurations is None:
            index[outcome_id] = {config_id: None}
        else:
            configurations[config_id] = None


def _add_configuration_edges(graph: nx.DiGraph, configuration: Configuration) -> None:
    """Add a configuration's edges, context to mechanism and mechanism to outcome.

    Writing the adjacency dicts directly (as ``DiGraph.add_edge`` does inside) keeps
    building linear and about twice as cheap as one ``add_edge`` call per edge. The caller
    clears networkx's cache.
    """
    config_id = configuration.id
    mechanisms = configuration.mechanisms
    succ = graph._succ
    pred = graph._pred
    outcomes = configuration.outcomes
    for sources, targets in ((configuration.contexts, mechanisms), (mechanisms, outcomes)):
        if not targets:
            continue
        for source in sources:
            successors = succ[source]
            for target in targets:
                data = successors.get(target)
                if data is None:
                    # Both ends are nodes: an element is added before what names it.
                    data = {"configurations": [config_id], "links": []}
                    successors[target] = data
                    pred[target][source] = data
                    continue
                # A configuration is added once, so if it is on this edge already (a
                # repeated id in its lists) it is the last one there.
                edge_configurations = data["configurations"]
                if not edge_configurations or edge_configurations[-1] != config_id:
                    edge_configurations.append(config_id)


def _add_element_node(graph: nx.DiGraph, element: Context | Mechanism | Outcome) -> None:
    """Add an element's node, with its kind and stage; the caller clears networkx's cache."""
    if isinstance(element, Context):
        kind = "context"
    elif isinstance(element, Mechanism):
        kind = "mechanism"
    else:
        kind = "outcome"
    element_id = element.id
    # As DiGraph.add_node does inside, without its checks and keyword dict: an element is
    # added before anything that names it, so it is always a new node.
    graph._succ[element_id] = {}
    graph._pred[element_id] = {}
    graph._node[element_id] = {"kind": kind, "stage": element.stage}


def _add_link_edge(graph: nx.DiGraph, link: Link) -> None:
    data = graph.get_edge_data(link.source, link.target)
    if data is None:
        graph.add_edge(link.source, link.target, configurations=[], links=[link.label])
    else:
        data["links"].append(link.label)


def _clear_networkx_cache(graph: nx.DiGraph) -> None:
    """Drop what networkx (3.3 and later) cached about a graph changed behind its back."""
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()


def _link_label(link: Link) -> str:
    return f"link {link.source}->{link.target}"


class _ElementView(Mapping[str, object]):
    """A live mapping of the element ids of a theory, for reference checks."""

    def __init__(self, theory: ProgrammeTheory) -> None:
        self._theory = theory

    def __getitem__(self, key: str) -> object:
        item = self._theory._items[key]
        if not isinstance(item, Element):
            raise KeyError(key)
        return item

    def __contains__(self, key: object) -> bool:
        t = self._theory
        return key in t._contexts or key in t._mechanisms or key in t._outcomes

    def __iter__(self) -> Iterator[str]:
        t = self._theory
        yield from t._contexts
        yield from t._mechanisms
        yield from t._outcomes

    def __len__(self) -> int:
        t = self._theory
        return len(t._contexts) + len(t._mechanisms) + len(t._outcomes)


class _AboutView(_ElementView):
    """Element and configuration ids: what evidence may be about."""

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self._theory._configurations

    def __iter__(self) -> Iterator[str]:
        yield from super().__iter__()
        yield from self._theory._configurations
