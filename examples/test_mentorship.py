"""Check the configuration statements of Steven et al. (2022) against the bundled model.

Run it like any test file: ``pytest examples/test_mentorship.py``. Each test takes one claim
the paper makes (Table 5, the Results on engagement and enactment, the unintended outcomes)
and asks the model whether its graph bears the claim out, through ``explain``, ``paths``
and ``configurations_with``.
"""

from __future__ import annotations

import pytest

import cmokit
from cmokit import OutcomeKind, ProgrammeTheory

THEME_OUTCOMES = {
    "specialist_support": "better_specialist_support",
    "relationships": "better_relationships",
    "wellbeing": "better_wellbeing",
    "communities": "better_communities",
}

# The three engagement factors the Results call contexts "often functioning as
# mechanisms", each with the mechanism that carries its second reading.
CONTEXTS_AS_MECHANISMS = {
    "organisational_support": "resource_provision",
    "value_placed": "valuing_mentoring",
    "workplace_cultures": "receptiveness",
}


@pytest.fixture(scope="module")
def theory() -> ProgrammeTheory:
    return cmokit.examples.mentorship()


def configurations_producing(theory: ProgrammeTheory, outcome_id: str) -> set[str]:
    return {configuration.id for configuration in theory.producers(outcome_id)}


# ---------------------------------------------------------------- the chain (Table 5, row 1)


@pytest.mark.parametrize("condition", ["availability", "access"])
def test_availability_and_access_enable_engagement(theory: ProgrammeTheory, condition: str) -> None:
    # "Availability and access enable engagement": some configuration that establishes
    # engagement must hold the condition as a context and engagement as its mechanism.
    enabling = [
        configuration
        for configuration in theory.producers("engaged")
        if condition in configuration.contexts
        and "engagement_with_mentorship" in configuration.mechanisms
    ]
    assert enabling, f"no configuration lets {condition} enable engagement"
    assert theory.paths(condition, "engagement_with_mentorship", cutoff=1)


def test_engagement_facilitates_enactment(theory: ProgrammeTheory) -> None:
    enactment = theory["cmo_enactment"]
    assert isinstance(enactment, cmokit.Configuration)
    assert "engaged" in enactment.contexts
    assert "mentorship_enactment" in enactment.mechanisms
    assert configurations_producing(theory, "mentorship_enacted") == {"cmo_enactment"}
    assert theory.paths("engagement_with_mentorship", "mentorship_enacted")


@pytest.mark.parametrize(("theme", "outcome"), THEME_OUTCOMES.items())
def test_enactment_leads_to_each_theme_outcome(
    theory: ProgrammeTheory, theme: str, outcome: str
) -> None:
    # The Results make enactment the intermediate mechanism through which every outcome
    # theme's configuration comes into play.
    for chain in theory.explain(outcome).chains:
        assert "cmo_enactment" in chain.configurations, str(chain)
        assert chain.steps[-1].contexts.count("mentorship_enacted") == 1, str(chain)
        final = theory[chain.steps[-1].configuration]
        assert isinstance(final, cmokit.Configuration)
        assert final.theme == theme


@pytest.mark.parametrize("outcome", THEME_OUTCOMES.values())
def test_every_theme_outcome_is_explained_back_to_engagement(
    theory: ProgrammeTheory, outcome: str
) -> None:
    explanation = theory.explain(outcome)
    assert explanation.chains, f"nothing explains {outcome}"
    assert not explanation.truncated
    for chain in explanation.chains:
        first = chain.steps[0]
        stages = {theory.element(context).stage for context in first.contexts}
        assert stages == {"engagement"}, str(chain)
        assert first.outcome == "engaged", str(chain)
        assert chain.configurations[1] == "cmo_enactment", str(chain)


def test_both_routes_into_engagement_reach_every_theme(theory: ProgrammeTheory) -> None:
    # Availability, awareness and access on one side, received views on the other: each
    # must explain every theme's outcome on its own.
    for outcome in THEME_OUTCOMES.values():
        starts = {chain.configurations[0] for chain in theory.explain(outcome).chains}
        assert starts == {"cmo_engagement", "cmo_receptiveness"}, outcome


# ---------------------------------------------------------------- Table 5, rows 2 to 4


def test_relationship_issues_and_informal_skills_build_relationships(
    theory: ProgrammeTheory,
) -> None:
    # "Formal or informal application of mentoring skills to relationship issues enables
    # the development of collegiate relationships ..."
    assert theory.paths("relationship_issues", "collegiate_relationships", cutoff=1)
    assert theory.paths("informal_use", "informal_skills_application", cutoff=1)
    assert theory.paths("formal_sessions", "collegiate_relationships", cutoff=1)
    assert theory.paths("collegiate_relationships", "better_relationships", cutoff=1)


def test_responses_to_threats_improve_wellbeing(theory: ProgrammeTheory) -> None:
    # "Mentoring skills used in response to wellbeing threats enable positive impacts on
    # wellbeing."
    assert theory.paths("wellbeing_threats", "responses_to_threats", cutoff=1)
    assert theory.paths("responses_to_threats", "better_wellbeing", cutoff=1)
    assert theory.paths("impacts_on_wellbeing", "better_wellbeing", cutoff=1)


def test_mitigating_unsupportive_contexts_improves_communities(theory: ProgrammeTheory) -> None:
    # "Used as a way of mitigating unsupportive workplace contexts and existing
    # perceptions, mentorship can facilitate enhancement of culture, community, and care."
    assert theory.paths("existing_cultures", "mitigating_unsupportive_context", cutoff=1)
    assert theory.paths("enhancing_culture", "better_communities", cutoff=1)
    for outcome in ("patient_centred_care", "listening_to_patients"):
        assert theory.paths("enhancing_culture", outcome, cutoff=1), outcome


@pytest.mark.parametrize(
    ("outcome", "theme"),
    [
        ("agency", "wellbeing"),
        ("resilience", "wellbeing"),
        ("self_mentoring", "wellbeing"),
        ("social_capital", "relationships"),
        ("listening_to_patients", "communities"),
    ],
)
def test_reported_outcomes_come_from_their_theme(
    theory: ProgrammeTheory, outcome: str, theme: str
) -> None:
    assert {configuration.theme for configuration in theory.producers(outcome)} == {theme}
    assert "mentorship_enacted" in theory.upstream(outcome)


# ---------------------------------------------------------------- contexts as mechanisms


@pytest.mark.parametrize(("context", "mechanism"), CONTEXTS_AS_MECHANISMS.items())
def test_context_functioning_as_mechanism_has_both_readings(
    theory: ProgrammeTheory, context: str, mechanism: str
) -> None:
    assert theory.kind_of(context) is cmokit.ElementKind.CONTEXT
    assert theory.kind_of(mechanism) is cmokit.ElementKind.MECHANISM
    assert tuple(
        link.label for link in theory.links if (link.source, link.target) == (context, mechanism)
    ) == ("functions as mechanism",)
    # Both readings must act on engagement: the context through a configuration, the
    # mechanism as one of that configuration's mechanisms.
    producing_engagement = [
        configuration
        for configuration in theory.producers("engaged")
        if context in configuration.contexts and mechanism in configuration.mechanisms
    ]
    assert producing_engagement, f"{context} and {mechanism} do not act on engagement"


def test_received_views_limit_receptiveness(theory: ProgrammeTheory) -> None:
    receptiveness = theory.configurations_with("receptiveness")
    assert [configuration.id for configuration in receptiveness] == ["cmo_receptiveness"]
    assert "stigma" in receptiveness[0].statement


# ---------------------------------------------------------------- unintended outcomes


@pytest.mark.parametrize(
    ("outcome", "mechanism"),
    [
        ("dependency_risk", "mentorship_as_support"),
        ("mentor_strain", "impacts_on_wellbeing"),
        ("sleepless_nights", "impacts_on_wellbeing"),
    ],
)
def test_unintended_outcomes_follow_enactment(
    theory: ProgrammeTheory, outcome: str, mechanism: str
) -> None:
    element = theory.element(outcome)
    assert isinstance(element, cmokit.Outcome)
    assert element.kind is OutcomeKind.UNINTENDED
    assert theory.paths(mechanism, outcome, cutoff=1)
    for chain in theory.explain(outcome).chains:
        assert "cmo_enactment" in chain.configurations, str(chain)
