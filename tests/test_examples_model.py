"""Tests for the bundled worked example model, src/cmokit/examples/mentorship.yaml."""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path

import pytest

import cmokit
from cmokit import ElementKind, OutcomeKind, ProgrammeTheory, Stance
from cmokit.examples import mentorship, mentorship_tables, model_path

REPO = Path(__file__).resolve().parent.parent
THEME_CONFIGURATIONS = [
    "cmo_specialist_support",
    "cmo_relationships",
    "cmo_wellbeing",
    "cmo_communities",
]


@pytest.fixture(scope="module")
def theory() -> ProgrammeTheory:
    return mentorship()


def test_loads_through_cmokit_load(theory: ProgrammeTheory) -> None:
    assert cmokit.load(model_path("mentorship.yaml")) == theory
    assert theory.source.doi == "10.24384/wape-nv13"


def test_examples_folder_holds_the_packaged_file() -> None:
    link = REPO / "examples" / "mentorship.yaml"
    packaged = Path(str(files("cmokit.examples") / "mentorship.yaml"))
    assert link.is_symlink()
    assert os.readlink(link) == "../src/cmokit/examples/mentorship.yaml"
    assert os.path.samefile(link, packaged)


def test_three_stages_in_order(theory: ProgrammeTheory) -> None:
    assert [stage.id for stage in theory.stages] == ["engagement", "enactment", "outcomes"]


def test_four_outcome_themes(theory: ProgrammeTheory) -> None:
    assert [(theme.id, theme.label) for theme in theory.themes] == [
        ("specialist_support", "Mentorship as a vehicle for better specialist support"),
        ("relationships", "Supporting better personal and professional relationship building"),
        ("wellbeing", "Supporting better professional and personal well-being"),
        ("communities", "Supporting better working communities and cultures"),
    ]


ROLE_KIND = {"C": ElementKind.CONTEXT, "M": ElementKind.MECHANISM}
TABLE5 = mentorship_tables()["table5"]


@pytest.mark.parametrize(
    ("element_id", "role", "category"),
    list(TABLE5[["element_id", "role", "category"]].itertuples(index=False, name=None)),
)
def test_every_table5_category_is_an_element_with_its_role(
    theory: ProgrammeTheory, element_id: str, role: str, category: str
) -> None:
    element = theory.element(element_id)
    assert theory.kind_of(element_id) is ROLE_KIND[role]
    assert element.meta["table5_role"] == role
    assert element.meta["table5_category"] == category


def test_only_table5_categories_carry_a_table5_role(theory: ProgrammeTheory) -> None:
    tagged = {element.id for element in theory.elements if "table5_role" in element.meta}
    assert tagged == set(TABLE5["element_id"])


@pytest.mark.parametrize("configuration_id", THEME_CONFIGURATIONS)
def test_table5_configurations_hold_their_categories(
    theory: ProgrammeTheory, configuration_id: str
) -> None:
    configuration = theory[configuration_id]
    assert isinstance(configuration, cmokit.Configuration)
    row = configuration.meta["table5_row"]
    categories = set(TABLE5[TABLE5["theme_number"] == row]["element_id"])
    assert categories <= set(configuration.elements)
    assert configuration.statement


def test_contexts_functioning_as_mechanisms_show_both_readings(theory: ProgrammeTheory) -> None:
    contexts = theory.select(kind="context", tag="context_as_mechanism")
    assert {context.id for context in contexts} == {
        "organisational_support",
        "value_placed",
        "workplace_cultures",
    }
    links = {(link.source, link.target) for link in theory.links}
    for context in contexts:
        counterpart = context.meta["counterpart"]
        assert theory.kind_of(counterpart) is ElementKind.MECHANISM
        assert (context.id, counterpart) in links
        assert theory.element(counterpart).meta["counterpart"] == context.id


def test_the_chain_runs_engagement_to_enactment_to_themes(theory: ProgrammeTheory) -> None:
    assert {c.id for c in theory.producers("engaged")} == {"cmo_engagement", "cmo_receptiveness"}
    assert "engaged" in theory["cmo_enactment"].contexts
    assert [c.id for c in theory.producers("mentorship_enacted")] == ["cmo_enactment"]
    for configuration_id in THEME_CONFIGURATIONS:
        configuration = theory[configuration_id]
        assert "mentorship_enacted" in (*configuration.contexts, *configuration.mechanisms)


def test_every_outcome_is_explained_back_to_engagement(theory: ProgrammeTheory) -> None:
    engagement = {e.id for e in theory.elements if e.stage == "engagement"}
    for outcome in theory.outcomes:
        chains = theory.explain(outcome.id).chains
        assert chains, outcome.id
        for chain in chains:
            assert set(chain.steps[0].contexts) <= engagement, (outcome.id, str(chain))


def test_every_element_is_configured_or_linked(theory: ProgrammeTheory) -> None:
    used = {i for c in theory.configurations for i in c.elements}
    used |= {i for link in theory.links for i in (link.source, link.target)}
    assert [e.id for e in theory.elements if e.id not in used] == []


def test_every_element_has_a_stage(theory: ProgrammeTheory) -> None:
    stages = {stage.id for stage in theory.stages}
    assert {e.id for e in theory.elements if e.stage not in stages} == set()


def test_mechanisms_give_resource_or_reasoning(theory: ProgrammeTheory) -> None:
    assert [m.id for m in theory.mechanisms if not (m.resource or m.reasoning)] == []


@pytest.mark.parametrize(
    "element_id",
    [
        "egan_skilled_helper",
        "grow_model",
        "oskar_model",
        "clear_model",
        "active_listening",
        "non_directive_questioning",
        "suspending_diagnosis",
        "trust_and_confidentiality",
        "formal_sessions",
        "informal_use",
        "onward_specialist_help",
    ],
)
def test_figure1_enactment_components(theory: ProgrammeTheory, element_id: str) -> None:
    assert "figure1" in theory.element(element_id).tags


@pytest.mark.parametrize(
    "element_id",
    [
        "availability",
        "awareness",
        "access",
        "organisational_support",
        "value_placed",
        "workplace_cultures",
        "receptiveness",
        "engagement_with_mentorship",
    ],
)
def test_figure2_engagement_factors(theory: ProgrammeTheory, element_id: str) -> None:
    element = theory.element(element_id)
    assert element.stage == "engagement"
    assert "figure2" in element.tags


@pytest.mark.parametrize(
    "element_id",
    ["agency", "resilience", "social_capital", "self_mentoring", "listening_to_patients"],
)
def test_reported_outcomes_present(theory: ProgrammeTheory, element_id: str) -> None:
    assert theory.kind_of(element_id) is ElementKind.OUTCOME


def test_unintended_outcomes(theory: ProgrammeTheory) -> None:
    unintended = {o.id for o in theory.outcomes if o.kind is OutcomeKind.UNINTENDED}
    assert unintended == {"mentor_strain", "sleepless_nights", "dependency_risk"}


def test_figures(theory: ProgrammeTheory) -> None:
    figure1, figure2 = theory.figure("figure1"), theory.figure("figure2")
    assert figure1.stages == ("engagement", "enactment", "outcomes")
    assert figure2.stages == ("engagement",)
    assert figure1.title and figure2.title


def test_every_evidence_about_id_resolves(theory: ProgrammeTheory) -> None:
    known = {e.id for e in theory.elements} | {c.id for c in theory.configurations}
    assert [(ev.id, a) for ev in theory.evidence for a in ev.about if a not in known] == []


def test_every_configuration_has_evidence(theory: ProgrammeTheory) -> None:
    assert [c.id for c in theory.configurations if not theory.evidence_for(c.id)] == []


def test_evidence_sources_and_participant_codes(theory: ProgrammeTheory) -> None:
    for item in theory.evidence:
        assert item.source in (None, "interview", "questionnaire"), item.id
        if item.participant is None:
            continue
        if item.source == "interview":
            assert re.fullmatch(r"P[A-Z]", item.participant), item.id
        else:
            assert re.fullmatch(r"(QP|P)\d{2,3}", item.participant), item.id


def test_contrary_evidence_is_marked(theory: ProgrammeTheory) -> None:
    contrary = {ev.id for ev in theory.evidence if ev.stance is Stance.CONTRADICTS}
    assert contrary == {"ev_table4_mentors_negative", "ev_table4_supportive_mentor_doubt"}


def test_ids_are_snake_case(theory: ProgrammeTheory) -> None:
    ids = [*theory, *(s.id for s in theory.stages), *(t.id for t in theory.themes)]
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9_]*", i)] == []
