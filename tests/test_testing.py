"""Tests for cmokit.testing: assertions whose failures read well in pytest output."""

from __future__ import annotations

import pytest

import cmokit.examples
from cmokit import ProgrammeTheory, StatementError, UnknownReferenceError
from cmokit.testing import assert_holds, assert_not_holds, assert_valid


@pytest.fixture(scope="module")
def hygiene() -> ProgrammeTheory:
    return cmokit.examples.hand_hygiene()


def test_assert_holds_passes_and_returns_the_evidence(hygiene: ProgrammeTheory) -> None:
    result = assert_holds(hygiene, "Audit data leads to engaged.")
    assert result.clauses[0].path == ("audit_data", "peer_feedback", "engaged")


def test_assert_holds_failure_names_the_statement_and_missing_link(
    hygiene: ProgrammeTheory,
) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_holds(
            hygiene,
            "Audit data enables peer feedback, which leads to compliance and blame."
            " Habit leads to blame.",
        )
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        "statement does not hold in 'Peer feedback and hand hygiene (illustrative)':"
    )
    assert lines[1].startswith("  Audit data enables peer feedback")
    assert "  - 'Habit leads to blame' does not hold:" in lines
    assert "      no path from habit to blame" in lines
    # the clauses that hold are not listed among the failures
    assert not any("'Audit data enables peer feedback'" in line for line in lines)


def test_assert_not_holds(hygiene: ProgrammeTheory) -> None:
    result = assert_not_holds(hygiene, "Compliance leads to audit data.")
    assert not result.holds
    with pytest.raises(AssertionError) as caught:
        assert_not_holds(hygiene, "Hierarchy leads to blame.")
    message = str(caught.value)
    assert (
        "statement holds in 'Peer feedback and hand hygiene (illustrative)', but should not"
        in message
    )
    assert "hierarchy → peer_feedback → blame (via CMOC3)" in message


@pytest.mark.parametrize("assertion", [assert_holds, assert_not_holds])
def test_a_broken_statement_is_an_error_not_a_failure(
    hygiene: ProgrammeTheory, assertion: object
) -> None:
    with pytest.raises(StatementError, match="did you mean 'blame'"):
        assertion(hygiene, "Habit leads to blam.")  # type: ignore[operator]


def test_assert_valid_passes_when_findings_are_allowed(hygiene: ProgrammeTheory) -> None:
    assert_valid(hygiene, allow=["CMO020"])
    assert_valid(hygiene, allow="CMO020")
    assert_valid(hygiene, severity="error")


def test_assert_valid_lists_findings_with_codes_and_hints(hygiene: ProgrammeTheory) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_valid(hygiene)
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        "'Peer feedback and hand hygiene (illustrative)' has 1 validation finding at warning"
        " level or worse:"
    )
    assert lines[1].startswith("  CMO020 (warning) [CMOC2] ")
    assert lines[2].startswith("    hint: ")
    assert "allow=" in lines[-1]


def test_assert_valid_at_info_level_counts_infos(hygiene: ProgrammeTheory) -> None:
    with pytest.raises(
        AssertionError, match=r"has \d+ validation findings at info level"
    ) as caught:
        assert_valid(hygiene, allow=["CMO020"], severity="info")
    assert "CMO005 (info) [habit]" in str(caught.value)


def test_assert_valid_fails_on_errors() -> None:
    theory = cmokit.loads(
        "cmokit: 1\ntitle: Broken\ncontexts: [{id: c, label: C}]\n"
        "outcomes: [{id: o, label: O}]\n"
        "configurations: [{id: k, contexts: [c], outcomes: [o]}]\n"
    )
    report = theory.validate()
    assert report.errors, "the fixture must produce an error finding"
    with pytest.raises(AssertionError, match=r"\(error\) \[k"):
        assert_valid(theory, severity="error")


def test_assert_valid_rejects_an_unknown_rule(hygiene: ProgrammeTheory) -> None:
    with pytest.raises(UnknownReferenceError):
        assert_valid(hygiene, allow=["CMO999"])
