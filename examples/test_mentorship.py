"""Check the configuration statements of Steven et al. (2022) against the bundled model.

Run it like any test file: ``pytest examples/test_mentorship.py``. Each statement is a claim
the paper makes (Table 5, the Results on engagement and enactment, the unintended outcomes),
written in cmokit's statement language; ``assert_holds`` fails with the missing link when
the model does not bear the claim out. The last tests follow every theme's outcome back to
the engagement stage with ``explain``.
"""

from __future__ import annotations

import pytest

import cmokit
from cmokit import ElementKind, OutcomeKind, ProgrammeTheory
from cmokit.testing import assert_holds, assert_not_holds

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

# (where the paper says it, the statement). "Engagement" and "enactment" are aliases of the
# chain outcomes `engaged` and `mentorship_enacted`.
PAPER_STATEMENTS = [
    # Table 5, row 1, and the Results on the two steps.
    ("Table 5, row 1", "Availability and access enable engagement."),
    ("Table 5, row 1", "Engagement facilitates enactment."),
    (
        "Table 5, row 1",
        "In availability and access, engagement with mentorship leads to engagement.",
    ),
    ("Table 5, row 1", "In engagement, mentorship enactment leads to enactment."),
    (
        "Table 5, row 1",
        "In availability and access, enactment and mentorship as support lead to better "
        "specialist support.",
    ),
    (
        "Results, enactment",
        "Enactment leads to better specialist support, better relationships, better "
        "wellbeing and better communities.",
    ),
    # Table 5, rows 2 to 4.
    (
        "Table 5, row 2",
        "Informal application of mentoring skills to relationships enables developing "
        "collegiate relationships, which leads to better relationships.",
    ),
    (
        "Table 5, row 2",
        "In relationship issues, informal application of mentoring skills to relationships "
        "and developing collegiate relationships lead to better relationships.",
    ),
    (
        "Table 5, row 3",
        "Mentoring responses to wellbeing threats enable mentoring impacts on wellbeing, "
        "which leads to better wellbeing.",
    ),
    (
        "Table 5, row 3",
        "In threats to wellbeing, mentoring responses to wellbeing threats lead to better "
        "wellbeing.",
    ),
    (
        "Table 5, row 4",
        "Mentoring mitigating unsupportive workplace contexts facilitates mentoring "
        "enhancing culture, community and care, which leads to better communities.",
    ),
    (
        "Table 5, row 4",
        "In perceptions of existing communities and cultures, mentoring mitigating "
        "unsupportive workplace contexts leads to better communities.",
    ),
    # The engagement factors of Figure 2 (Results, engagement; Discussion).
    ("Results, engagement", "Availability leads to awareness, which leads to access."),
    (
        "Results, engagement",
        "Organisational support leads to resource provision, which leads to access.",
    ),
    ("Results, engagement", "Value placed leads to valuing mentoring, which leads to engagement."),
    ("Discussion", "Valuing mentoring influences resource provision."),
    (
        "Results, engagement",
        "Workplace cultures lead to receptiveness, which leads to engagement.",
    ),
    # The enactment components of Figure 1 (Results, theme 1).
    (
        "Results, theme 1",
        "Egan's Skilled Helper model, GROW, OSKAR and CLEAR lead to enactment.",
    ),
    (
        "Results, theme 1",
        "Listening, non-directive questioning and suspending diagnosis and advice lead to "
        "enactment.",
    ),
    ("Results, theme 1", "Trust and confidentiality lead to mentorship as support."),
    ("Results, theme 1", "Mentorship as support leads to route on to further specialist help."),
    # Outcomes the Results and Discussion report.
    (
        "Results, themes 2 to 4; Discussion",
        "Enactment leads to agency, resilience, social capital, self-mentoring and listening "
        "to patients differently.",
    ),
    ("Discussion", "Social capital contributes to better communities."),
    ("Discussion", "Self-mentoring leads to resilience."),
    # Unintended outcomes (Results, themes 1 and 3).
    ("Results, theme 1", "In enactment, mentorship as support leads to risk of dependency."),
    (
        "Results, theme 3",
        "Mentoring impacts on wellbeing lead to mentoring felt stressful or tiring and "
        "sleepless nights.",
    ),
]

# Claims the model must not make: the unintended outcomes feed nothing, and the outcome
# themes do not loop back into engagement.
CLAIMS_THE_MODEL_DOES_NOT_MAKE = [
    "Mentoring felt stressful or tiring leads to better wellbeing.",
    "Risk of dependency leads to better specialist support.",
    "Better wellbeing leads to engagement.",
    "Better communities lead to availability.",
]


@pytest.fixture(scope="module")
def theory() -> ProgrammeTheory:
    return cmokit.examples.mentorship()


@pytest.mark.parametrize(("where", "statement"), PAPER_STATEMENTS)
def test_paper_statement_holds(theory: ProgrammeTheory, where: str, statement: str) -> None:
    assert_holds(theory, statement)


@pytest.mark.parametrize("statement", CLAIMS_THE_MODEL_DOES_NOT_MAKE)
def test_claim_the_paper_does_not_make(theory: ProgrammeTheory, statement: str) -> None:
    assert_not_holds(theory, statement)


# ---------------------------------------------------------------- contexts as mechanisms


@pytest.mark.parametrize(("context", "mechanism"), CONTEXTS_AS_MECHANISMS.items())
def test_context_functioning_as_mechanism_has_both_readings(
    theory: ProgrammeTheory, context: str, mechanism: str
) -> None:
    assert theory.kind_of(context) is ElementKind.CONTEXT
    assert theory.kind_of(mechanism) is ElementKind.MECHANISM
    labels = [
        link.label for link in theory.links if (link.source, link.target) == (context, mechanism)
    ]
    assert labels == ["functions as mechanism"]
    # Both readings act on engagement inside one configuration: the context among its
    # contexts, its mechanism reading among its mechanisms.
    assert_holds(theory, f"In {context}, {mechanism} leads to engagement.")


# ---------------------------------------------------------------- unintended outcomes


@pytest.mark.parametrize("outcome", ["dependency_risk", "mentor_strain", "sleepless_nights"])
def test_unintended_outcomes_follow_enactment(theory: ProgrammeTheory, outcome: str) -> None:
    element = theory.element(outcome)
    assert isinstance(element, cmokit.Outcome)
    assert element.kind is OutcomeKind.UNINTENDED
    chains = theory.explain(outcome).chains
    assert chains
    assert all("cmo_enactment" in chain.configurations for chain in chains)


# ---------------------------------------------------------------- explained back to engagement


@pytest.mark.parametrize(("theme", "outcome"), THEME_OUTCOMES.items())
def test_every_theme_outcome_is_explained_back_to_engagement(
    theory: ProgrammeTheory, theme: str, outcome: str
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
        last = theory[chain.configurations[-1]]
        assert isinstance(last, cmokit.Configuration)
        assert last.theme == theme


def test_the_chain_never_runs_back_to_an_earlier_stage(theory: ProgrammeTheory) -> None:
    # The paper's process runs one way: engagement, then enactment, then the outcome themes.
    assert list(theory.validate(select="CMO032")) == []
    looping = {i for finding in theory.validate(select="CMO031") for i in finding.ids}
    chain_outcomes = {"engaged", "mentorship_enacted"}
    assert looping.isdisjoint(chain_outcomes), looping


def test_both_routes_into_engagement_reach_every_theme(theory: ProgrammeTheory) -> None:
    # Availability, awareness and access on one side, received views on the other: each
    # must explain every theme's outcome on its own.
    for outcome in THEME_OUTCOMES.values():
        starts = {chain.configurations[0] for chain in theory.explain(outcome).chains}
        assert starts == {"cmo_engagement", "cmo_receptiveness"}, outcome
