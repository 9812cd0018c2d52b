"""Hypothesis strategies for random valid cmokit values, shared by every test module.

``theories()`` builds a :class:`cmokit.ProgrammeTheory` whose references all resolve: stages,
themes, elements with awkward Unicode text (quotes, line breaks, emoji, right-to-left
script, YAML look-alikes), configurations that chain (an outcome standing among a later
configuration's contexts or mechanisms), links, evidence, named figures and nested
JSON-compatible ``meta`` on every item. Everything it builds can be written to a model
file, in YAML or JSON, and read back unchanged.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cmokit import (
    Configuration,
    Context,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    OutcomeKind,
    ProgrammeTheory,
    Source,
    Stage,
    Stance,
    Theme,
)

__all__ = ["AWKWARD_TEXT", "ids", "interleaved_items", "meta_values", "metas", "texts", "theories"]

AWKWARD_TEXT = (
    "",
    'it\'s "quoted"',
    "line one\nline two\n",
    "  leading and trailing spaces  ",
    "tab\there",
    "emoji 🙂🧼 and ZWJ 👩‍⚕️",
    "عربي ‏right-to-left‏ עברית",
    "null",
    "~",
    "yes",
    "no",
    "on",
    "1.5",
    "0x1F",
    "2024-05-01",
    "- not a list",
    "key: value",
    "# not a comment",
    "&anchor *alias",
    "{not: a mapping}",
    "[not, a, list]",
    "back\\slash",
    "windows\r\nline",
    "line\u2028separator",
    "next\x85line",
    "nul\x00byte",
    "\ufeffbyte order mark",
)
"""Strings that trip up naive YAML or JSON writers."""

texts: st.SearchStrategy[str] = st.one_of(st.sampled_from(AWKWARD_TEXT), st.text(max_size=30))
"""Any text, biased towards the awkward."""


def _valid_id(value: str) -> bool:
    return bool(value) and value == value.strip() and "\n" not in value


ids: st.SearchStrategy[str] = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True),
    st.sampled_from(["null", "yes", "1", "1.0", "E1", "ünïcödé", "🙂", "a b", "x:y", "-z"]),
    st.text(min_size=1, max_size=10),
).filter(_valid_id)
"""Ids as a model file may hold them, including ones YAML would read as other types."""

_scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)

meta_values: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(texts, children, max_size=3),
    ),
    max_leaves=8,
)
"""JSON-compatible values: what ``meta`` may hold and still survive YAML and JSON."""

metas: st.SearchStrategy[dict[str, Any]] = st.dictionaries(texts, meta_values, max_size=3)
"""A ``meta`` mapping."""


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def theories(draw: st.DrawFn, *, max_items: int = 4) -> ProgrammeTheory:
    """A random valid programme theory, every reference resolving.

    Args:
        max_items: The most items of each kind (stages, contexts, configurations, ...).
    """
    counts = draw(st.lists(st.integers(0, max_items), min_size=8, max_size=8))
    stage_count, theme_count, context_count, mechanism_count, outcome_count = counts[:5]
    configuration_count, evidence_count, figure_count = counts[5:]
    total = sum(counts[:7])
    all_ids = draw(st.lists(ids, min_size=total, max_size=total, unique=True))
    taken = iter(all_ids)

    def next_ids(count: int) -> list[str]:
        return [next(taken) for _ in range(count)]

    stage_ids = next_ids(stage_count)
    theme_ids = next_ids(theme_count)
    context_ids = next_ids(context_count)
    mechanism_ids = next_ids(mechanism_count)
    outcome_ids = next_ids(outcome_count)
    configuration_ids = next_ids(configuration_count)
    evidence_ids = next_ids(evidence_count)
    element_ids = context_ids + mechanism_ids + outcome_ids

    def some(pool: list[str], max_size: int = 3) -> list[str]:
        if not pool:
            return []
        return draw(st.lists(st.sampled_from(pool), max_size=max_size))

    def optional_in(pool: list[str]) -> str | None:
        return draw(_optional(st.sampled_from(pool))) if pool else None

    def element_fields() -> dict[str, Any]:
        return {
            "description": draw(_optional(texts)),
            "stage": optional_in(stage_ids),
            "tags": draw(st.lists(texts, max_size=2)),
            "aliases": draw(st.lists(texts, max_size=2)),
            "meta": draw(metas),
        }

    items: list[Any] = []
    items += [
        Stage(i, draw(texts), description=draw(_optional(texts)), meta=draw(metas))
        for i in stage_ids
    ]
    items += [
        Theme(i, draw(texts), description=draw(_optional(texts)), meta=draw(metas))
        for i in theme_ids
    ]
    items += [Context(i, draw(texts), **element_fields()) for i in context_ids]
    items += [
        Mechanism(
            i,
            draw(texts),
            resource=draw(_optional(texts)),
            reasoning=draw(_optional(texts)),
            **element_fields(),
        )
        for i in mechanism_ids
    ]
    items += [
        Outcome(i, draw(texts), kind=draw(st.sampled_from(OutcomeKind)), **element_fields())
        for i in outcome_ids
    ]
    for configuration_id in configuration_ids:
        # Contexts and mechanisms may name outcomes: that is how configurations chain.
        items.append(
            Configuration(
                configuration_id,
                contexts=some(element_ids),
                mechanisms=some(element_ids),
                outcomes=some(outcome_ids),
                statement=draw(_optional(texts)),
                theme=optional_in(theme_ids),
                meta=draw(metas),
            )
        )
    if element_ids:
        for _ in range(draw(st.integers(0, max_items))):
            items.append(
                Link(
                    draw(st.sampled_from(element_ids)),
                    draw(st.sampled_from(element_ids)),
                    draw(_optional(texts)),
                    meta=draw(metas),
                )
            )
    about_pool = element_ids + configuration_ids
    items += [
        Evidence(
            i,
            draw(texts),
            draw(_optional(texts)),
            draw(_optional(texts)),
            draw(_optional(texts)),
            stance=draw(st.sampled_from(Stance)),
            about=some(about_pool),
            meta=draw(metas),
        )
        for i in evidence_ids
    ]
    figure_ids = draw(st.lists(ids, min_size=figure_count, max_size=figure_count, unique=True))
    items += [
        Figure(
            i,
            title=draw(_optional(texts)),
            stages=some(stage_ids),
            themes=some(theme_ids),
            around=optional_in(element_ids),
            steps=draw(_optional(st.integers(0, 5))),
            direction=draw(_optional(st.sampled_from(["LR", "TB", "RL", "BT"]))),
            legend=draw(_optional(st.booleans())),
            wrap=draw(_optional(st.integers(0, 80))),
            edge_labels=draw(_optional(st.booleans())),
            evidence_counts=draw(_optional(st.booleans())),
            meta=draw(metas),
        )
        for i in figure_ids
    ]
    source = Source(
        citation=draw(_optional(texts)), doi=draw(_optional(texts)), url=draw(_optional(texts))
    )
    return ProgrammeTheory(
        draw(texts),
        description=draw(_optional(texts)),
        source=source,
        meta=draw(metas),
        items=items,
    )


@st.composite
def interleaved_items(draw: st.DrawFn) -> list[Any]:
    """A random theory's items in a random order one may add them in.

    Each item comes after everything it names and nothing else is fixed: elements may come
    after configurations and links, links among configurations, evidence anywhere after
    what it is about, stages and themes late.
    """
    theory = draw(theories())
    waiting: list[Any] = [
        *theory.stages,
        *theory.themes,
        *theory.elements,
        *theory.configurations,
        *theory.links,
        *theory.evidence,
        *theory.figures,
    ]
    added: set[str] = set()
    order: list[Any] = []
    while waiting:
        ready = [n for n, item in enumerate(waiting) if _names(item) <= added]
        item = waiting.pop(ready[draw(st.integers(0, len(ready) - 1))])
        order.append(item)
        if not isinstance(item, (Link, Figure)):  # figures have names of their own
            added.add(item.id)
    return order


def _names(item: Any) -> set[str]:
    """The ids an item refers to, which must be in the theory before it."""
    if isinstance(item, Configuration):
        names = {*item.contexts, *item.mechanisms, *item.outcomes, item.theme}
    elif isinstance(item, Link):
        names = {item.source, item.target}
    elif isinstance(item, Evidence):
        names = set(item.about)
    elif isinstance(item, Figure):
        names = {*item.stages, *item.themes, *item.collapse, item.around}
    else:
        names = {getattr(item, "stage", None)}
    names.discard(None)
    return names
