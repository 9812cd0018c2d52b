"""Tests for cmokit.queries: neighbourhoods, paths, explanations, selection and subtheories."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import cmokit
from cmokit import (
    Chain,
    ChainStep,
    Configuration,
    Context,
    ElementKind,
    Evidence,
    Explanation,
    Figure,
    Link,
    Mechanism,
    Outcome,
    ProgrammeTheory,
    Stage,
    Theme,
    UnknownReferenceError,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def example() -> ProgrammeTheory:
    """The issue's example, loaded from the verbatim copy in tests/data."""
    return cmokit.load(DATA / "issue_example.yaml")


def fan_in(count: int) -> ProgrammeTheory:
    """One outcome produced by ``count`` configurations, each from its own context."""
    items: list[Any] = [Mechanism("m"), Outcome("o")]
    for number in range(count):
        items.append(Context(f"c{number}"))
        items.append(
            Configuration(f"K{number}", contexts=[f"c{number}"], mechanisms=["m"], outcomes=["o"])
        )
    # Contexts must come before the configurations that use them.
    items.sort(key=lambda item: isinstance(item, Configuration))
    return ProgrammeTheory("fan", items=items)


def ladder(rungs: int) -> ProgrammeTheory:
    """Each rung's outcome is produced two ways from the previous rung: 2**rungs chains."""
    items: list[Any] = [Context("start"), Mechanism("m")]
    items += [Outcome(f"o{rung}") for rung in range(rungs)]
    previous = "start"
    for rung in range(rungs):
        for way in ("a", "b"):
            items.append(
                Configuration(
                    f"K{rung}{way}", contexts=[previous], mechanisms=["m"], outcomes=[f"o{rung}"]
                )
            )
        previous = f"o{rung}"
    return ProgrammeTheory("ladder", items=items)


# ------------------------------------------------------------------------------ explain


def test_explain_follows_the_issue_example_chain(example: ProgrammeTheory) -> None:
    explanation = example.explain("compliance")
    assert len(explanation.chains) == 1
    chain = explanation.chains[0]
    assert chain.path == ("audit_data", "peer_feedback", "engaged", "habit", "compliance")
    assert chain.configurations == ("CMOC1", "CMOC2")
    assert str(chain) == "audit_data → peer_feedback → engaged → habit → compliance"
    assert chain.steps == (
        ChainStep("CMOC1", ("audit_data",), ("peer_feedback",), "engaged"),
        ChainStep("CMOC2", ("engaged",), ("habit",), "compliance"),
    )
    assert not explanation.truncated
    assert explanation.roots == ("audit_data",)
    assert explanation.configurations == ("CMOC1", "CMOC2")


def test_explain_a_single_configuration(example: ProgrammeTheory) -> None:
    explanation = example.explain("blame")
    assert [chain.path for chain in explanation.chains] == [("hierarchy", "peer_feedback", "blame")]
    assert explanation


def test_explain_an_outcome_nothing_produces() -> None:
    theory = ProgrammeTheory(items=[Outcome("lonely")])
    explanation = theory.explain("lonely")
    assert explanation.chains == ()
    assert not explanation
    assert str(explanation) == "lonely: 0 chain(s)"


@pytest.mark.parametrize("not_an_outcome", ["audit_data", "CMOC1", "complaince"])
def test_explain_refuses_what_is_not_an_outcome(
    example: ProgrammeTheory, not_an_outcome: str
) -> None:
    with pytest.raises(UnknownReferenceError, match=repr(not_an_outcome)):
        example.explain(not_an_outcome)


def test_explain_suggests_the_outcome_meant(example: ProgrammeTheory) -> None:
    with pytest.raises(UnknownReferenceError) as caught:
        example.explain("complaince")
    assert caught.value.suggestions == ("compliance",)


def test_explain_lists_every_chain_shortest_first() -> None:
    theory = fan_in(3)
    explanation = theory.explain("o")
    assert sorted(chain.configurations for chain in explanation.chains) == [
        ("K0",),
        ("K1",),
        ("K2",),
    ]
    assert set(explanation.roots) == {"c0", "c1", "c2"}
    assert not explanation.truncated


@pytest.mark.parametrize(
    ("limit", "found", "truncated"), [(1, 1, True), (4, 4, True), (5, 5, False)]
)
def test_explain_limit_caps_chains_and_says_so(limit: int, found: int, truncated: bool) -> None:
    explanation = fan_in(5).explain("o", limit=limit)
    assert len(explanation.chains) == found
    assert explanation.truncated is truncated
    assert ("stopped at the chain limit" in str(explanation)) is truncated


def test_explain_stays_quick_on_an_exponential_number_of_chains() -> None:
    theory = ladder(30)  # 2**30 chains end at o29
    started = time.perf_counter()
    explanation = theory.explain("o29", limit=50)
    assert time.perf_counter() - started < 5
    assert len(explanation.chains) == 50
    assert explanation.truncated
    assert all(len(chain.steps) == 30 for chain in explanation.chains)


def test_explain_counts_every_path_through_a_small_ladder() -> None:
    explanation = ladder(4).explain("o3")
    assert len(explanation.chains) == 2**4
    assert len(set(explanation.chains)) == 2**4


def test_explain_terminates_on_a_cycle() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("seed"),
            Mechanism("m"),
            Outcome("a"),
            Outcome("b"),
            Configuration("K0", contexts=["seed"], mechanisms=["m"], outcomes=["a"]),
            Configuration("K1", contexts=["a"], mechanisms=["m"], outcomes=["b"]),
            Configuration("K2", contexts=["b"], mechanisms=["m"], outcomes=["a"]),
        ]
    )
    explanation = theory.explain("b")
    chains = {chain.configurations for chain in explanation.chains}
    assert chains == {("K0", "K1"), ("K2", "K1")}
    assert not explanation.truncated


def test_explain_terminates_on_a_configuration_feeding_itself() -> None:
    theory = ProgrammeTheory(
        items=[
            Mechanism("m"),
            Outcome("o"),
            Configuration("K", contexts=["o"], mechanisms=["m"], outcomes=["o"]),
        ]
    )
    assert [chain.configurations for chain in theory.explain("o").chains] == [("K",)]


def test_explain_follows_an_outcome_standing_among_mechanisms() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c"),
            Mechanism("m"),
            Outcome("trust"),
            Outcome("uptake"),
            Configuration("K1", contexts=["c"], mechanisms=["m"], outcomes=["trust"]),
            Configuration("K2", contexts=[], mechanisms=["trust"], outcomes=["uptake"]),
        ]
    )
    (chain,) = theory.explain("uptake").chains
    assert chain.configurations == ("K1", "K2")
    assert chain.path == ("c", "m", "trust", "trust", "uptake")


def test_chain_text_starts_with_mechanisms_when_there_is_no_context() -> None:
    chain = Chain((ChainStep("K", (), ("m1", "m2"), "o"),))
    assert str(chain) == "m1 + m2 → o"
    assert chain.path == ("m1", "m2", "o")


def test_explanation_text_lists_chains() -> None:
    explanation = Explanation(
        "o", (Chain((ChainStep("K", ("c1", "c2"), ("m",), "o"),)),), truncated=True
    )
    assert str(explanation).splitlines() == [
        "o: 1 chain(s)",
        "  c1 + c2 → m → o",
        "  (stopped at the chain limit; more chains exist)",
    ]


def test_explanation_to_frame_has_one_row_per_step(example: ProgrammeTheory) -> None:
    frame = example.explain("compliance").to_frame()
    assert list(frame.columns) == [
        "chain",
        "step",
        "configuration",
        "contexts",
        "mechanisms",
        "outcome",
    ]
    assert frame.to_dict("records") == [
        {
            "chain": 0,
            "step": 0,
            "configuration": "CMOC1",
            "contexts": ["audit_data"],
            "mechanisms": ["peer_feedback"],
            "outcome": "engaged",
        },
        {
            "chain": 0,
            "step": 1,
            "configuration": "CMOC2",
            "contexts": ["engaged"],
            "mechanisms": ["habit"],
            "outcome": "compliance",
        },
    ]


def test_an_empty_explanation_gives_an_empty_frame_with_the_columns() -> None:
    frame = ProgrammeTheory(items=[Outcome("o")]).explain("o").to_frame()
    assert frame.empty
    assert list(frame.columns)[:3] == ["chain", "step", "configuration"]


# ------------------------------------------------------------- upstream and downstream


def test_upstream_lists_nearest_first(example: ProgrammeTheory) -> None:
    assert example.upstream("compliance") == (
        "habit",
        "engaged",
        "peer_feedback",
        "audit_data",
        "hierarchy",
    )
    assert example.upstream("compliance", steps=1) == ("habit",)
    assert example.upstream("compliance", steps=0) == ()
    assert example.upstream("audit_data") == ()


def test_downstream_lists_nearest_first(example: ProgrammeTheory) -> None:
    found = example.downstream("audit_data")
    assert found[0] == "peer_feedback"
    assert set(found[1:4]) == {"engaged", "blame", "habit"}  # two steps away
    assert found[4:] == ("compliance",)
    assert set(example.downstream("audit_data", steps=2)) == set(found[:4])
    assert example.downstream("compliance") == ()


def test_neighbourhoods_refuse_unknown_ids_and_negative_steps(example: ProgrammeTheory) -> None:
    with pytest.raises(UnknownReferenceError, match="did you mean 'habit'"):
        example.upstream("habbit")
    with pytest.raises(UnknownReferenceError):
        example.downstream("CMOC1")
    with pytest.raises(ValueError, match="steps must be >= 0, not -1"):
        example.downstream("habit", steps=-1)


def test_neighbourhoods_terminate_on_cycles() -> None:
    theory = cmokit.load(DATA / "falls_prevention.yaml")
    found = theory.downstream("attendance")
    assert set(found) == {"group_classes", "strength", "visible_progress", "confidence"} | {
        "fewer_falls",
        "risk_taking",
    }
    assert "attendance" not in found  # where the walk starts is never in the answer


def test_configurations_with_finds_every_role(example: ProgrammeTheory) -> None:
    assert [c.id for c in example.configurations_with("engaged")] == ["CMOC1", "CMOC2"]
    assert [c.id for c in example.configurations_with("hierarchy")] == ["CMOC3"]
    with pytest.raises(UnknownReferenceError):
        example.configurations_with("CMOC1")


def test_an_element_in_no_configuration_takes_part_in_none() -> None:
    assert ProgrammeTheory(items=[Context("c")]).configurations_with("c") == ()


# ------------------------------------------------------------------------------- paths


def test_paths_are_shortest_first(example: ProgrammeTheory) -> None:
    assert example.paths("audit_data", "compliance") == [
        ("audit_data", "peer_feedback", "habit", "compliance"),
        ("audit_data", "peer_feedback", "engaged", "habit", "compliance"),
    ]


@pytest.mark.parametrize(("cutoff", "count"), [(None, 2), (4, 2), (3, 1), (2, 0)])
def test_paths_cutoff_bounds_the_number_of_edges(
    example: ProgrammeTheory, cutoff: int | None, count: int
) -> None:
    paths = example.paths("audit_data", "compliance", cutoff=cutoff)
    assert len(paths) == count
    assert all(len(path) - 1 <= (cutoff or 99) for path in paths)


def test_paths_limit_stops_early() -> None:
    assert len(ladder(3).paths("start", "o2", limit=1)) == 1


def test_paths_from_an_element_to_itself_and_to_the_unreachable(
    example: ProgrammeTheory,
) -> None:
    assert example.paths("habit", "habit") == [("habit",)]
    assert example.paths("compliance", "audit_data") == []
    with pytest.raises(UnknownReferenceError):
        example.paths("audit_data", "nowhere")


# ------------------------------------------------------------------------------ select


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (
            {},
            ["audit_data", "hierarchy", "peer_feedback", "habit", "engaged", "compliance", "blame"],
        ),
        ({"kind": "context"}, ["audit_data", "hierarchy"]),
        ({"kind": ElementKind.MECHANISM}, ["peer_feedback", "habit"]),
        ({"kind": "outcome", "stage": "uptake"}, ["engaged", "blame"]),
        ({"stage": "practice"}, ["habit", "compliance"]),
        ({"theme": "safety"}, ["habit", "engaged", "compliance"]),
        ({"theme": "safety", "kind": "outcome"}, ["engaged", "compliance"]),
        ({"tag": "barrier"}, ["hierarchy"]),
        ({"tag": "nothing has this"}, []),
        ({"kind": "mechanism", "stage": "uptake", "tag": "barrier"}, []),
    ],
)
def test_select_keeps_elements_matching_every_criterion(
    example: ProgrammeTheory, criteria: dict[str, Any], expected: list[str]
) -> None:
    assert [element.id for element in example.select(**criteria)] == expected


@pytest.mark.parametrize(
    ("criteria", "error"),
    [
        ({"stage": "uptak"}, UnknownReferenceError),
        ({"theme": "saftey"}, UnknownReferenceError),
        ({"kind": "contexts"}, ValueError),
    ],
)
def test_select_refuses_unknown_criteria(
    example: ProgrammeTheory, criteria: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        example.select(**criteria)


# --------------------------------------------------------------------------- subtheory


def test_subtheory_by_stage_keeps_only_that_stage(example: ProgrammeTheory) -> None:
    small = example.subtheory(stages=["practice"])
    assert [s.id for s in small.stages] == ["practice"]
    assert [e.id for e in small.elements] == ["habit", "compliance"]
    assert [c.id for c in small.configurations] == ["CMOC2"]
    assert small["CMOC2"].contexts == ()  # engaged belongs to the uptake stage
    assert small.links == ()  # peer_feedback is gone, so its link goes too
    assert small.evidence == ()
    assert [t.id for t in small.themes] == ["safety"]


def test_subtheory_by_stage_trims_configurations_and_evidence(example: ProgrammeTheory) -> None:
    small = example.subtheory(stages=["uptake"])
    assert [c.id for c in small.configurations] == ["CMOC1", "CMOC2", "CMOC3"]
    assert small["CMOC2"].mechanisms == ()
    assert small["CMOC2"].outcomes == ()
    assert small["CMOC2"].contexts == ("engaged",)
    assert [e.id for e in small.evidence] == ["E1", "E2"]


def test_subtheory_by_theme(example: ProgrammeTheory) -> None:
    small = example.subtheory(themes=["safety"])
    assert [c.id for c in small.configurations] == ["CMOC2"]
    assert {e.id for e in small.elements} == {"engaged", "habit", "compliance"}
    assert [t.id for t in small.themes] == ["safety"]
    assert [s.id for s in small.stages] == ["uptake", "practice"]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (None, {"peer_feedback", "audit_data", "hierarchy", "engaged", "blame", "habit"}),
        (0, {"peer_feedback"}),
        (1, {"peer_feedback", "audit_data", "hierarchy", "engaged", "blame", "habit"}),
        (
            2,
            {"peer_feedback", "audit_data", "hierarchy", "engaged", "blame", "habit", "compliance"},
        ),
    ],
)
def test_subtheory_around_an_element(
    example: ProgrammeTheory, steps: int | None, expected: set[str]
) -> None:
    small = example.subtheory(around="peer_feedback", steps=steps)
    assert {e.id for e in small.elements} == expected


def test_subtheory_filters_combine(example: ProgrammeTheory) -> None:
    small = example.subtheory(stages=["uptake"], around="hierarchy", steps=2)
    # Two steps in either direction, and only in the uptake stage (so not habit).
    assert {e.id for e in small.elements} == {
        "hierarchy",
        "peer_feedback",
        "blame",
        "engaged",
        "audit_data",
    }


def test_subtheory_keeps_title_and_drops_a_theme_without_configurations() -> None:
    theory = ProgrammeTheory(
        "T",
        description="D",
        meta={"k": 1},
        items=[
            Stage("s"),
            Theme("t"),
            Context("c", stage="s"),
            Context("d"),
            Configuration("K", contexts=["d"], theme="t"),
            Figure("f", stages=["s"]),
        ],
    )
    small = theory.subtheory(stages=["s"])
    assert (small.title, small.description, small.meta) == ("T", "D", {"k": 1})
    assert small.configurations == ()
    assert small.themes == ()
    assert small.figures == ()


def test_a_subtheory_is_a_new_theory(example: ProgrammeTheory) -> None:
    small = example.subtheory(stages=["practice"])
    small.add(Context("extra"))
    assert "extra" not in example
    assert example.explain("compliance").chains  # the original is untouched


def test_subtheory_of_everything_equals_the_theory_without_figures(
    example: ProgrammeTheory,
) -> None:
    assert example.subtheory() == example


@pytest.mark.parametrize(
    "criteria",
    [{"stages": ["uptak"]}, {"themes": ["nope"]}, {"around": "nowhere"}],
)
def test_subtheory_refuses_unknown_ids(example: ProgrammeTheory, criteria: dict[str, Any]) -> None:
    with pytest.raises(UnknownReferenceError):
        example.subtheory(**criteria)


def test_subtheory_keeps_links_only_with_both_ends() -> None:
    theory = ProgrammeTheory(
        items=[
            Stage("s1"),
            Stage("s2"),
            Context("a", stage="s1"),
            Context("b", stage="s1"),
            Context("z", stage="s2"),
            Link("a", "b"),
            Link("a", "z"),
            Evidence("E", about=["a", "z"]),
        ]
    )
    small = theory.subtheory(stages=["s1"])
    assert small.links == (Link("a", "b"),)
    assert small["E"].about == ("a",)


# ---------------------------------------------------------- other realist model files


def test_school_breakfast_chain_to_attainment() -> None:
    theory = cmokit.load(DATA / "school_breakfast.yaml")
    (chain,) = theory.explain("attainment").chains
    assert chain.configurations == ("B1", "B3", "B4")
    assert chain.path[:2] == ("universal_offer", "hungry_mornings")
    assert chain.path[-1] == "attainment"
    assert [o.id for o in theory.outcomes if o.kind is cmokit.OutcomeKind.UNINTENDED] == ["stigma"]
    assert [e.id for e in theory.evidence_for("B4")] == ["SB3"]
    assert theory["SB3"].stance is cmokit.Stance.CONTRADICTS
    assert [c.id for c in theory.select(tag="policy")] == ["universal_offer", "targeted_offer"]
    assert theory.figure("learning").stages == ("participation", "learning")


def test_community_health_workers_json_with_an_empty_mechanisms_list() -> None:
    theory = cmokit.load(DATA / "community_health_workers.json")
    assert theory["CHW4"].mechanisms == ()
    (chain,) = theory.explain("timely_treatment").chains
    assert chain.configurations == ("CHW1", "CHW3", "CHW4")
    (unintended,) = theory.explain("visits_refused").chains
    assert unintended.configurations == ("CHW5", "CHW6")
    found = theory.upstream("visits_refused", steps=2)
    assert found[0] == "trusted_neighbour"
    assert set(found[1:]) == {"local_recruit", "lost_credibility", "recognition"}
    assert theory.links[0].meta == {"confidence": "low"}
    assert theory.meta == {"draft": 2, "authors": ["cmokit maintainers"]}


def test_falls_prevention_loop_is_explained_without_hanging() -> None:
    theory = cmokit.load(DATA / "falls_prevention.yaml")
    explanation = theory.explain("fewer_falls")
    configurations = {chain.configurations for chain in explanation.chains}
    assert ("F1", "F2", "F5") in configurations
    assert all(chain.configurations[-1] == "F5" for chain in explanation.chains)
    # No configuration repeats within a chain, so every chain is finite.
    assert all(len(set(c)) == len(c) for c in configurations)
    assert not explanation.truncated
    assert "risk_taking" in theory.downstream("lives_alone")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda t: t.subtheory(stages=["uptak"]), "no stage with id 'uptak' in this theory"),
        (lambda t: t.subtheory(themes=["safty"]), "no theme with id 'safty' in this theory"),
        (lambda t: t.select(stage="uptak"), "no stage with id 'uptak' in this theory"),
        (lambda t: t.elements_in_theme("safty"), "no theme with id 'safty' in this theory"),
    ],
)
def test_a_query_naming_an_unknown_stage_or_theme_says_what_it_looked_for(
    query: Any, expected: str
) -> None:
    theory = cmokit.examples.hand_hygiene()
    with pytest.raises(cmokit.UnknownReferenceError) as caught:
        query(theory)
    assert str(caught.value).startswith(expected)
    assert "did you mean" in str(caught.value)
