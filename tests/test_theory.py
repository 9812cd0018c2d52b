"""Tests for cmokit.theory: the ProgrammeTheory container, its graph, access and equality."""

from __future__ import annotations

from typing import Any

import attrs
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

import cmokit.examples
from cmokit import (
    CmokitError,
    Configuration,
    Context,
    DuplicateIdError,
    ElementKind,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    ProgrammeTheory,
    Source,
    Stage,
    Theme,
    UnknownReferenceError,
)
from cmokit.theory import suggest
from strategies import interleaved_items


def small_items() -> list[Any]:
    """Stages, a theme, elements, two chained configurations, a link and evidence."""
    return [
        Stage("s1", "First"),
        Stage("s2", "Second"),
        Theme("t1", "Theme"),
        Context("c1", "Context", stage="s1"),
        Mechanism("m1", "Mechanism", stage="s1"),
        Mechanism("m2", "Second mechanism", stage="s2"),
        Outcome("o1", "Outcome", stage="s1"),
        Outcome("o2", "Later outcome", stage="s2"),
        Configuration("K1", contexts=["c1"], mechanisms=["m1"], outcomes=["o1"]),
        Configuration("K2", contexts=["o1"], mechanisms=["m2"], outcomes=["o2"], theme="t1"),
        Link("m1", "m2", "reinforces"),
        Evidence("E1", "quote", about=["K1", "c1"]),
        Figure("fig", stages=["s1"], themes=["t1"], around="o1"),
    ]


@pytest.fixture
def theory() -> ProgrammeTheory:
    return ProgrammeTheory("Small", items=small_items())


def test_collections_hold_items_in_the_order_added(theory: ProgrammeTheory) -> None:
    assert [s.id for s in theory.stages] == ["s1", "s2"]
    assert [t.id for t in theory.themes] == ["t1"]
    assert [c.id for c in theory.contexts] == ["c1"]
    assert [m.id for m in theory.mechanisms] == ["m1", "m2"]
    assert [o.id for o in theory.outcomes] == ["o1", "o2"]
    assert [e.id for e in theory.elements] == ["c1", "m1", "m2", "o1", "o2"]
    assert [c.id for c in theory.configurations] == ["K1", "K2"]
    assert theory.links == (Link("m1", "m2", "reinforces"),)
    assert [e.id for e in theory.evidence] == ["E1"]
    assert [f.id for f in theory.figures] == ["fig"]


def test_every_id_is_reachable_by_indexing(theory: ProgrammeTheory) -> None:
    assert list(theory) == ["s1", "s2", "t1", "c1", "m1", "m2", "o1", "o2", "K1", "K2", "E1"]
    assert len(theory) == 11
    for item_id in theory:
        assert theory[item_id].id == item_id
        assert item_id in theory
    assert "fig" not in theory  # figures have their own names, outside the id space
    assert theory.figure("fig").around == "o1"


def test_indexing_an_unknown_id_suggests_near_misses(theory: ProgrammeTheory) -> None:
    with pytest.raises(UnknownReferenceError) as caught:
        theory["K3"]
    assert isinstance(caught.value, KeyError)
    assert set(caught.value.suggestions) == {"K1", "K2"}
    assert str(caught.value).startswith("no item with id 'K3' in this theory; did you mean 'K")


def test_indexing_with_an_unhashable_key_is_an_unknown_reference(theory: ProgrammeTheory) -> None:
    with pytest.raises(UnknownReferenceError):
        theory[["c1"]]


def test_get_returns_the_default_for_unknown_ids(theory: ProgrammeTheory) -> None:
    assert theory.get("c1") == Context("c1", "Context", stage="s1")
    assert theory.get("nope") is None
    sentinel = Context("x")
    assert theory.get("nope", sentinel) is sentinel


def test_element_and_kind_of(theory: ProgrammeTheory) -> None:
    assert theory.element("m2").label == "Second mechanism"
    assert theory.kind_of("c1") is ElementKind.CONTEXT
    assert theory.kind_of("o2") is ElementKind.OUTCOME
    with pytest.raises(UnknownReferenceError, match="'K1'"):
        theory.element("K1")  # a configuration, not an element


def test_producers_and_evidence_for(theory: ProgrammeTheory) -> None:
    assert [c.id for c in theory.producers("o1")] == ["K1"]
    assert theory.producers("c1") == ()
    assert [e.id for e in theory.evidence_for("K1")] == ["E1"]
    assert [e.id for e in theory.evidence_for("c1")] == ["E1"]
    assert theory.evidence_for("o2") == ()


def test_query_indexes_built_by_a_first_query_follow_later_additions() -> None:
    theory = ProgrammeTheory(items=[Context("c"), Mechanism("m"), Outcome("o"), Outcome("p")])
    theory.add(Configuration("K1", contexts=["c"], mechanisms=["m"], outcomes=["o"]))
    assert [k.id for k in theory.configurations_with("m")] == ["K1"]
    assert [k.id for k in theory.producers("o")] == ["K1"]
    theory.add(Configuration("K2", contexts=["o"], mechanisms=["m"], outcomes=["p", "o"]))
    assert [k.id for k in theory.configurations_with("m")] == ["K1", "K2"]
    assert [k.id for k in theory.configurations_with("o")] == ["K1", "K2"]
    assert [k.id for k in theory.producers("o")] == ["K1", "K2"]
    assert [k.id for k in theory.producers("p")] == ["K2"]


def test_evidence_naming_an_item_twice_is_counted_once() -> None:
    theory = ProgrammeTheory(items=[Context("c"), Evidence("E", about=["c", "c"])])
    assert [e.id for e in theory.evidence_for("c")] == ["E"]


# ------------------------------------------------------------------------------ adding


@pytest.mark.parametrize(
    ("first", "second", "existing", "new"),
    [
        (Context("x"), Outcome("x"), "context", "an outcome"),
        (Outcome("x"), Context("x"), "outcome", "a context"),
        (Stage("x"), Mechanism("x"), "stage", "a mechanism"),
        (Theme("x"), Configuration("x"), "theme", "a configuration"),
        (Context("x"), Evidence("x"), "context", "an evidence item"),
        (Context("x"), Context("x", "Other label"), "context", "a context"),
    ],
)
def test_a_duplicate_id_names_the_id_and_both_items(
    first: Any, second: Any, existing: str, new: str
) -> None:
    theory = ProgrammeTheory(items=[first])
    with pytest.raises(DuplicateIdError) as caught:
        theory.add(second)
    message = str(caught.value)
    assert message == f"duplicate id 'x': {new} cannot reuse the id of an existing {existing}"
    assert isinstance(caught.value, CmokitError)
    assert isinstance(caught.value, ValueError)
    assert theory[("x")] is first  # the failed add changed nothing


def test_a_duplicate_figure_name_is_refused() -> None:
    theory = ProgrammeTheory(items=[Figure("f")])
    with pytest.raises(DuplicateIdError, match="a figure cannot reuse"):
        theory.add(Figure("f", title="again"))


@pytest.mark.parametrize(
    ("item", "referrer", "field", "ref", "suggestions"),
    [
        (Context("c2", stage="s3"), "c2", "stage", "s3", ("s1", "s2")),
        (Configuration("K", contexts=["cl"]), "K", "contexts", "cl", ("c1",)),
        (Configuration("K", mechanisms=["m3"]), "K", "mechanisms", "m3", ("m1", "m2")),
        (Configuration("K", outcomes=["o3"]), "K", "outcomes", "o3", ("o1", "o2")),
        (Configuration("K", outcomes=["c1"]), "K", "outcomes", "c1", ("o1",)),
        (Configuration("K", theme="t2"), "K", "theme", "t2", ("t1",)),
        (Link("m1", "zzz"), "link m1->zzz", "target", "zzz", ()),
        (Link("mm1", "m2"), "link mm1->m2", "source", "mm1", ("m1",)),
        (Evidence("E2", about=["K3"]), "E2", "about", "K3", ("K1", "K2")),
        (Evidence("E2", about=["stage_one"]), "E2", "about", "stage_one", ()),
        (Figure("g", stages=["s9"]), "g", "stages", "s9", ("s1", "s2")),
        (Figure("g", themes=["t9"]), "g", "themes", "t9", ("t1",)),
        (Figure("g", around="K2"), "g", "around", "K2", ("m2", "o2")),
    ],
)
def test_an_unknown_reference_names_the_referrer_field_and_id(
    theory: ProgrammeTheory,
    item: Any,
    referrer: str,
    field: str,
    ref: str,
    suggestions: tuple[str, ...],
) -> None:
    before = len(theory)
    with pytest.raises(UnknownReferenceError) as caught:
        theory.add(item)
    err = caught.value
    assert (err.ref, err.referrer, err.field) == (ref, referrer, field)
    assert set(err.suggestions) == set(suggestions)
    assert str(err).startswith(f"{referrer!r} ({field}) refers to unknown id {ref!r}")
    assert len(theory) == before


def test_an_outcome_may_stand_among_contexts_and_mechanisms(theory: ProgrammeTheory) -> None:
    theory.add(Configuration("K3", contexts=["o2"], mechanisms=["o1"], outcomes=["o1"]))
    assert theory["K3"].contexts == ("o2",)


def test_adding_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="cannot add str"):
        ProgrammeTheory().add("c1")  # type: ignore[arg-type]


def test_items_must_come_after_what_they_refer_to() -> None:
    with pytest.raises(UnknownReferenceError, match=r"'c' \(stage\) refers to unknown id 's'"):
        ProgrammeTheory(items=[Context("c", stage="s"), Stage("s")])


def test_figure_lookup_suggests_or_lists_what_exists() -> None:
    theory = ProgrammeTheory(items=[Figure("figure1"), Figure("overview")])
    with pytest.raises(UnknownReferenceError, match="did you mean 'figure1'"):
        theory.figure("figure2")
    with pytest.raises(UnknownReferenceError, match="this theory defines figure1, overview"):
        theory.figure("zzz")
    with pytest.raises(UnknownReferenceError, match="this theory defines none"):
        ProgrammeTheory().figure("figure1")


def test_source_fields_must_be_text() -> None:
    assert Source(citation="A", doi="10.1/x", url="https://x").doi == "10.1/x"
    with pytest.raises(TypeError, match="doi must be text"):
        Source(doi=10)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- graph


def test_graph_has_a_node_per_element_with_kind_and_stage(theory: ProgrammeTheory) -> None:
    graph = theory.to_networkx()
    assert set(graph.nodes) == {"c1", "m1", "m2", "o1", "o2"}
    assert graph.nodes["c1"] == {"kind": "context", "stage": "s1"}
    assert graph.nodes["m2"] == {"kind": "mechanism", "stage": "s2"}
    assert graph.nodes["o2"]["kind"] == "outcome"
    assert graph.graph["title"] == "Small"


def test_graph_edges_carry_configurations_and_links(theory: ProgrammeTheory) -> None:
    graph = theory.to_networkx()
    assert graph.edges["c1", "m1"] == {"configurations": ["K1"], "links": []}
    assert graph.edges["m1", "o1"] == {"configurations": ["K1"], "links": []}
    assert graph.edges["o1", "m2"] == {"configurations": ["K2"], "links": []}
    assert graph.edges["m2", "o2"] == {"configurations": ["K2"], "links": []}
    assert graph.edges["m1", "m2"] == {"configurations": [], "links": ["reinforces"]}
    assert graph.number_of_edges() == 5


def test_an_edge_made_by_several_configurations_lists_each_once() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c"),
            Mechanism("m"),
            Outcome("o"),
            Configuration("K1", contexts=["c", "c"], mechanisms=["m"], outcomes=["o"]),
            Configuration("K2", contexts=["c"], mechanisms=["m"], outcomes=["o"]),
            Link("c", "m", "also"),
            Link("c", "m"),
        ]
    )
    assert theory.to_networkx().edges["c", "m"] == {
        "configurations": ["K1", "K2"],
        "links": ["also", None],
    }


def test_each_context_joins_each_mechanism_and_each_mechanism_each_outcome() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c1"),
            Context("c2"),
            Mechanism("m1"),
            Mechanism("m2"),
            Outcome("o1"),
            Configuration("K", contexts=["c1", "c2"], mechanisms=["m1", "m2"], outcomes=["o1"]),
        ]
    )
    assert sorted(theory.to_networkx().edges) == [
        ("c1", "m1"),
        ("c1", "m2"),
        ("c2", "m1"),
        ("c2", "m2"),
        ("m1", "o1"),
        ("m2", "o1"),
    ]


def test_a_configuration_without_mechanisms_adds_no_edges() -> None:
    theory = ProgrammeTheory(
        items=[Context("c"), Outcome("o"), Configuration("K", contexts=["c"], outcomes=["o"])]
    )
    assert theory.to_networkx().number_of_edges() == 0
    assert [c.id for c in theory.configurations_with("c")] == ["K"]


def test_to_networkx_returns_an_independent_copy(theory: ProgrammeTheory) -> None:
    copy = theory.to_networkx()
    assert isinstance(copy, nx.DiGraph)
    copy.add_node("intruder")
    copy.edges["c1", "m1"]["configurations"].append("fake")
    copy.nodes["c1"]["kind"] = "changed"
    again = theory.to_networkx()
    assert "intruder" not in again
    assert again.edges["c1", "m1"]["configurations"] == ["K1"]
    assert again.nodes["c1"]["kind"] == "context"


def test_graph_view_reflects_the_theory_and_cannot_be_changed(theory: ProgrammeTheory) -> None:
    view = theory.graph_view
    assert set(view.nodes) == set(theory.to_networkx().nodes)
    with pytest.raises(nx.NetworkXError):
        view.add_node("intruder")


def test_the_theory_is_not_a_graph_subclass(theory: ProgrammeTheory) -> None:
    assert not isinstance(theory, nx.Graph)


def test_elements_in_theme(theory: ProgrammeTheory) -> None:
    assert theory.elements_in_theme("t1") == ("o1", "m2", "o2")
    with pytest.raises(UnknownReferenceError, match="did you mean 't1'"):
        theory.elements_in_theme("t2")


# ---------------------------------------------------------------------------- equality


def test_equal_theories_ignore_the_order_items_were_added_in() -> None:
    items = small_items()
    # Keep dependencies first: reverse within each kind instead of overall.
    reordered = [
        *items[:2],
        items[2],
        items[3],
        items[5],
        items[4],
        items[7],
        items[6],
        items[8],
        items[9],
        items[10],
        items[11],
        items[12],
    ]
    assert ProgrammeTheory("T", items=items) == ProgrammeTheory("T", items=reordered)


def test_link_order_does_not_matter() -> None:
    base = [Context("a"), Context("b")]
    one = ProgrammeTheory(items=[*base, Link("a", "b", "x"), Link("b", "a")])
    two = ProgrammeTheory(items=[*base, Link("b", "a"), Link("a", "b", "x")])
    assert one == two


def test_stage_order_matters() -> None:
    one = ProgrammeTheory(items=[Stage("a"), Stage("b")])
    two = ProgrammeTheory(items=[Stage("b"), Stage("a")])
    assert one != two


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Other"},
        {"description": "Described"},
        {"source": Source(doi="10.1/x")},
        {"meta": {"k": 1}},
    ],
)
def test_theories_differ_by_their_own_fields(change: dict[str, Any]) -> None:
    fields: dict[str, Any] = {"title": "T", "items": small_items()}
    assert ProgrammeTheory(**fields) != ProgrammeTheory(**{**fields, **change})


def test_theories_differ_by_any_item() -> None:
    items = small_items()
    changed = [*items[:3], Context("c1", "Context", stage="s2"), *items[4:]]
    assert ProgrammeTheory(items=items) != ProgrammeTheory(items=changed)
    assert ProgrammeTheory(items=items) != ProgrammeTheory(items=items[:-1])


def test_a_theory_is_not_equal_to_other_things_and_not_hashable(
    theory: ProgrammeTheory,
) -> None:
    assert theory != "Small"
    assert theory != cmokit.to_dict(theory)
    with pytest.raises(TypeError):
        hash(theory)


def test_repr_gives_title_and_counts(theory: ProgrammeTheory) -> None:
    assert repr(theory) == (
        "<ProgrammeTheory 'Small': 1 contexts, 2 mechanisms, 2 outcomes, 2 configurations>"
    )


def test_the_bundled_example_is_equal_to_itself_loaded_twice() -> None:
    assert cmokit.examples.hand_hygiene() == cmokit.examples.hand_hygiene()


# ---------------------------------------------------------------------------- suggest


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("habbit", ["habit", "hierarchy"], ["habit"]),
        ("HABIT", ["habit"], ["habit"]),
        ("zzz", ["habit", "hierarchy"], []),
        ("x", [], []),
    ],
)
def test_suggest_finds_near_misses(name: str, candidates: list[str], expected: list[str]) -> None:
    assert suggest(name, candidates) == expected


def test_suggest_returns_at_most_count() -> None:
    assert len(suggest("K", ["K1", "K2", "K3", "K4"], count=2)) == 2


# ----------------------------------------------------------- the graph, built when first read


def _graph_internals(theory: ProgrammeTheory) -> list[object]:
    graph = theory._graph
    return [
        list(graph.nodes(data=True)),
        [(node, list(targets.items())) for node, targets in graph._succ.items()],
        [(node, list(sources.items())) for node, sources in graph._pred.items()],
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interleaved_items())
def test_a_graph_built_when_first_read_is_the_graph_built_item_by_item(items: list[Any]) -> None:
    late = ProgrammeTheory()
    early = ProgrammeTheory()
    assert early._graph.number_of_nodes() == 0  # built now: every add below updates it
    for item in items:
        late.add(item)
        early.add(item)
    assert late._graph_built is None
    assert _graph_internals(late) == _graph_internals(early)


def test_the_graph_follows_additions_once_built() -> None:
    theory = ProgrammeTheory(items=[Context("c"), Mechanism("m"), Outcome("o")])
    assert theory._graph_built is None
    assert sorted(theory.to_networkx().nodes) == ["c", "m", "o"]
    theory.add(Configuration("K", contexts=["c"], mechanisms=["m"], outcomes=["o"]))
    theory.add(Link("o", "c", "sustains"))
    assert theory.to_networkx().edges["o", "c"] == {"configurations": [], "links": ["sustains"]}
    assert theory.to_networkx().edges["c", "m"] == {"configurations": ["K"], "links": []}


def test_a_subclass_node_has_the_same_kind_however_the_graph_is_built() -> None:
    @attrs.frozen
    class Odd(Context):
        element_kind = ElementKind.OUTCOME  # a subclass may claim another kind

    late = ProgrammeTheory(items=[Odd("x")])
    early = ProgrammeTheory()
    assert early._graph.number_of_nodes() == 0
    early.add(Odd("x"))
    assert _graph_internals(late) == _graph_internals(early)
    assert late._graph.nodes["x"]["kind"] == "context"
