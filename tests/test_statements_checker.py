"""Tests for cmokit.statements.checker: verdicts, evidence, missing links, check_all."""

from __future__ import annotations

import sys

import pytest

import cmokit
import cmokit.examples
from cmokit import (
    Configuration,
    Context,
    Link,
    Mechanism,
    Outcome,
    ProgrammeTheory,
    StatementError,
    check,
    check_all,
)


@pytest.fixture(scope="module")
def hygiene() -> ProgrammeTheory:
    return cmokit.examples.hand_hygiene()


@pytest.fixture(scope="module")
def mentorship() -> ProgrammeTheory:
    return cmokit.examples.mentorship()


@pytest.fixture(scope="module")
def stigma() -> ProgrammeTheory:
    """Stigma lowers receptiveness, which leads nowhere; engagement comes from support."""
    return ProgrammeTheory(
        title="Stigma",
        items=[
            Context("stigma", "Stigma of being mentored"),
            Context("access", "Access to schemes"),
            Mechanism("receptiveness", "Receptiveness"),
            Mechanism("support", "Support from the employer"),
            Outcome("engagement", "Engagement"),
            Outcome("wellbeing", "Wellbeing"),
            Outcome("orphan", "Nobody produces this"),
            Configuration(
                "cmo_access", contexts=["access"], mechanisms=["support"], outcomes=["engagement"]
            ),
            Configuration(
                "cmo_wellbeing",
                contexts=["engagement"],
                mechanisms=["support"],
                outcomes=["wellbeing"],
            ),
            Link("stigma", "receptiveness", "lowers"),
        ],
    )


# ------------------------------------------------------------------ reach clauses


@pytest.mark.parametrize(
    "text",
    [
        "Audit data enables peer feedback.",
        "Peer feedback brings about staff engage with feedback.",
        "Audit data leads to higher hand-hygiene compliance.",
        "Audit data enables peer feedback, which leads to staff engage with feedback.",
        "Engaged feeds into habit formation. Habit formation results in compliance.",
        "A steep ward hierarchy can give rise to feedback felt as blame.",
        "Audit data and hierarchy both contribute to blame.",
        "Peer feedback directly leads to habit.",
        "Blame does not lead to compliance.",
        "Audit data does not directly lead to engaged.",
    ],
)
def test_true_statements_hold(hygiene: ProgrammeTheory, text: str) -> None:
    result = check(hygiene, text)
    assert result.holds, str(result)
    assert bool(result)
    assert result.failures == ()


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Habit leads to engaged.", "no path from habit to engaged"),
        ("Compliance enables peer feedback.", "no path from compliance to peer_feedback"),
        ("Audit data directly leads to engaged.", "no direct edge from audit_data to engaged"),
        ("Peer feedback does not lead to blame.", "but peer_feedback reaches blame"),
        ("Engaged leads to engaged.", "no path from engaged to engaged"),
    ],
)
def test_false_statements_do_not_hold_and_name_the_missing_link(
    hygiene: ProgrammeTheory, text: str, missing: str
) -> None:
    result = check(hygiene, text)
    assert not result.holds
    assert missing in result.clauses[0].reason


def test_missing_link_reason_says_where_the_paths_stop(stigma: ProgrammeTheory) -> None:
    result = check(stigma, "Stigma leads to engagement.")
    (clause,) = result.clauses
    assert clause.reason == (
        "no path from stigma to engagement; stigma reaches receptiveness, which reaches"
        " nothing further; engagement is reached only from support"
    )
    assert clause.path is None


def test_reason_when_the_source_reaches_nothing(stigma: ProgrammeTheory) -> None:
    reason = check(stigma, "Wellbeing leads to engagement").clauses[0].reason
    assert "wellbeing reaches nothing (no configuration or link leads on from it)" in reason


def test_reason_when_nothing_leads_to_the_target(stigma: ProgrammeTheory) -> None:
    reason = check(stigma, "Access leads to orphan").clauses[0].reason
    assert "access reaches support, engagement, wellbeing" in reason
    assert "those paths stop at wellbeing" in reason
    assert reason.endswith("nothing leads to orphan")


def test_holding_clause_carries_the_path_and_configurations(hygiene: ProgrammeTheory) -> None:
    (clause,) = check(hygiene, "Audit data leads to compliance.").clauses
    assert clause.path == ("audit_data", "peer_feedback", "habit", "compliance")
    assert clause.configurations == ("CMOC1", "link peer_feedback->habit (reinforces)", "CMOC2")
    assert clause.reason.startswith("audit_data → peer_feedback → habit → compliance (via CMOC1")


def test_every_source_must_reach_every_target(hygiene: ProgrammeTheory) -> None:
    result = check(hygiene, "Audit data and habit lead to engaged and compliance.")
    (clause,) = result.clauses
    assert not clause.holds
    assert "no path from habit to engaged" in clause.reason
    assert "audit_data" not in clause.reason.split("no path from")[1]
    assert len(clause.paths) == 3


def test_negation_holds_only_when_no_source_reaches_any_target(hygiene: ProgrammeTheory) -> None:
    assert check(hygiene, "Habit and compliance do not lead to blame.").holds
    result = check(hygiene, "Habit and hierarchy do not lead to blame.")
    assert not result.holds
    assert result.clauses[0].paths == (("hierarchy", "peer_feedback", "blame"),)
    assert "but hierarchy reaches blame" in result.clauses[0].reason


def test_directly_needs_an_edge(hygiene: ProgrammeTheory) -> None:
    assert check(hygiene, "Audit data directly enables peer feedback.").holds
    result = check(hygiene, "Audit data directly enables engaged.")
    assert not result.holds
    assert "only a longer path: audit_data → peer_feedback → engaged" in result.clauses[0].reason
    unreachable = check(hygiene, "Habit directly enables blame.").clauses[0].reason
    assert "no direct edge from habit to blame; no path from habit to blame" in unreachable


def test_negated_directly(hygiene: ProgrammeTheory) -> None:
    assert check(hygiene, "Audit data does not directly lead to engaged.").holds
    result = check(hygiene, "Audit data does not directly lead to peer feedback.")
    assert not result.holds
    assert "but audit_data leads directly to peer_feedback" in result.clauses[0].reason


def test_explicit_links_are_edges(hygiene: ProgrammeTheory) -> None:
    (clause,) = check(hygiene, "Peer feedback directly leads to habit").clauses
    assert clause.holds
    assert clause.configurations == ("link peer_feedback->habit (reinforces)",)


def test_a_chain_fails_at_the_clause_that_breaks(hygiene: ProgrammeTheory) -> None:
    result = check(
        hygiene, "Audit data enables peer feedback, which leads to engaged, which leads to blame."
    )
    assert [clause.holds for clause in result.clauses] == [True, True, False]
    assert not result.holds
    assert [c.clause.text for c in result.failures] == ["engaged, which leads to blame"]
    assert "does not hold: Audit data" in str(result)


def test_unknown_reference_is_an_error_not_a_verdict(hygiene: ProgrammeTheory) -> None:
    with pytest.raises(StatementError, match="did you mean 'habit'"):
        check(hygiene, "Audit data leads to habbit.")


# ----------------------------------------------------------- configuration clauses


@pytest.mark.parametrize(
    "text",
    [
        "In audit data, peer feedback leads to engaged.",
        "In a steep ward hierarchy, peer feedback leads to feedback felt as blame.",
        "In engaged, habit directly leads to compliance.",
        # a chain: CMOC1 then CMOC2
        "In audit data, peer feedback and habit lead to compliance.",
        "When audit data, peer feedback leads to engaged and compliance.",
        "In hierarchy, habit does not lead to compliance.",
    ],
)
def test_configuration_form_holds(hygiene: ProgrammeTheory, text: str) -> None:
    result = check(hygiene, text)
    assert result.holds, str(result)


def test_configuration_form_reports_the_chain(hygiene: ProgrammeTheory) -> None:
    (clause,) = check(hygiene, "In audit data, habit leads to compliance.").clauses
    assert clause.configurations == ("CMOC1", "CMOC2")
    assert clause.reason == "CMOC1 → CMOC2 joins them for compliance"
    (single,) = check(hygiene, "In engaged, habit leads to compliance.").clauses
    assert single.configurations == ("CMOC2",)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # both are in the theory, but no configuration or chain joins them
        (
            "In a steep ward hierarchy, peer feedback leads to engaged.",
            "no configuration or chain of configurations ending at engaged joins contexts"
            " hierarchy and mechanisms peer_feedback; the nearest (CMOC1) lacks context hierarchy",
        ),
        (
            "In hierarchy, habit leads to compliance.",
            "lacks context hierarchy",
        ),
        # a chain joins them, but directly asks for one configuration
        (
            "In audit data, habit directly leads to compliance.",
            "no single configuration producing compliance joins contexts audit_data and"
            " mechanisms habit; the nearest (CMOC2) lacks context audit_data",
        ),
        # a mechanism in the contexts slot
        ("In peer feedback, habit leads to compliance.", "lacks context peer_feedback"),
        ("In audit data, peer feedback leads to hierarchy.", "no configuration produces hierarchy"),
        (
            "In audit data, peer feedback does not lead to engaged.",
            "but CMOC1 joins them for engaged",
        ),
    ],
)
def test_configuration_form_fails_for_elements_that_share_no_configuration(
    hygiene: ProgrammeTheory, text: str, missing: str
) -> None:
    result = check(hygiene, text)
    assert not result.holds
    assert missing in result.clauses[0].reason


# ------------------------------------------------------------ the worked example


@pytest.mark.parametrize(
    "text",
    [
        "Availability and access enable engagement with mentorship.",
        "Engagement with mentorship facilitates mentorship enactment, which leads to better"
        " specialist support.",
        "Workplace cultures trigger receptiveness.",
        "Received views lead to receptiveness.",
        "The Skilled Helper leads to mentorship enacted.",
        "Mentorship enacted leads to better wellbeing and better working communities and cultures.",
        "In availability and access, engagement with mentorship leads to engagement established.",
        "In threats to wellbeing, mentoring impacts on wellbeing lead to sleepless nights.",
        "Better wellbeing does not lead to engagement established.",
    ],
)
def test_worked_example_statements_hold(mentorship: ProgrammeTheory, text: str) -> None:
    assert check(mentorship, text).holds


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        (
            "Self-mentoring leads to better wellbeing.",
            "no path from self_mentoring to better_wellbeing",
        ),
        (
            "In workplace cultures, receptiveness directly leads to better wellbeing.",
            "no single configuration",
        ),
        ("Availability directly leads to better specialist support.", "no direct edge"),
    ],
)
def test_worked_example_false_statements(
    mentorship: ProgrammeTheory, text: str, missing: str
) -> None:
    result = check(mentorship, text)
    assert not result.holds
    assert missing in result.clauses[0].reason


def test_paper_wording_holds_through_the_models_aliases(mentorship: ProgrammeTheory) -> None:
    result = check(
        mentorship, "Availability and access enable engagement. Engagement facilitates enactment."
    )
    assert result.holds
    assert [c.clause.targets[0].id for c in result.clauses] == ["engaged", "mentorship_enacted"]


# --------------------------------------------------------------------------- check_all


def test_check_all_gives_one_row_per_clause(hygiene: ProgrammeTheory) -> None:
    frame = check_all(
        hygiene,
        ["Audit data enables peer feedback, which leads to blame.", "Habit leads to blame."],
    )
    assert tuple(frame.columns) == cmokit.statements.checker.FRAME_COLUMNS
    assert frame["clause"].tolist() == [0, 1, 0]
    assert frame["holds"].tolist() == [True, True, False]
    assert frame["statement_holds"].tolist() == [True, True, False]
    assert frame["evidence"].iloc[1] == "peer_feedback → blame"
    assert frame["configurations"].iloc[0] == "CMOC1"
    assert frame["reason"].iloc[2].startswith("no path from habit to blame")
    assert str(frame["holds"].dtype) == "boolean"


def test_check_all_raises_on_a_bad_statement_by_default(hygiene: ProgrammeTheory) -> None:
    with pytest.raises(StatementError, match="Habbit"):
        check_all(hygiene, ["Habit leads to blame.", "Habbit leads to blame."])


def test_check_all_can_record_errors(hygiene: ProgrammeTheory) -> None:
    frame = check_all(
        hygiene, ["Habbit leads to blame.", "Habit leads to compliance."], errors="record"
    )
    assert frame["holds"].isna().tolist() == [True, False]
    assert "did you mean 'habit'" in frame["error"].iloc[0]
    assert frame["error"].iloc[1] == ""


def test_check_all_rejects_an_unknown_errors_mode(hygiene: ProgrammeTheory) -> None:
    with pytest.raises(ValueError, match="errors must be 'raise' or 'record'"):
        check_all(hygiene, [], errors="ignore")  # type: ignore[arg-type]


def test_importing_cmokit_does_not_import_pandas() -> None:
    import subprocess

    code = "import sys, cmokit; cmokit.check; print('pandas' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"


def test_configuration_form_says_when_the_chain_search_was_cut_short() -> None:
    # Four levels of six alternative configurations: 6**4 = 1296 chains to the last outcome.
    items: list[object] = [Context("start", "Start"), Context("elsewhere", "Elsewhere")]
    items += [Outcome(f"o{level}", f"Level {level}") for level in range(1, 5)]
    items += [
        Mechanism(f"m{level}_{n}", f"M {level} {n}") for level in range(1, 5) for n in range(6)
    ]
    for level in range(1, 5):
        entry = "start" if level == 1 else f"o{level - 1}"
        items += [
            Configuration(
                f"c{level}_{n}",
                contexts=[entry],
                mechanisms=[f"m{level}_{n}"],
                outcomes=[f"o{level}"],
            )
            for n in range(6)
        ]
    theory = ProgrammeTheory(items=items)  # type: ignore[arg-type]
    (clause,) = check(theory, "In elsewhere, m 1 0 leads to level 4").clauses
    assert not clause.holds
    assert "(only the first 1000 chains were examined)" in clause.reason
    assert check(theory, "In start, m 1 0 and m 4 5 lead to level 4").holds
