"""Tests for ``cmokit check``: verdicts on stdout, problems on stderr, exit codes 0/1/2."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmokit.cli import main
from cmokit.examples import model_path

MODEL = model_path("hand_hygiene.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_all_statements_hold_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, MODEL, "Audit data leads to engaged.", "Blame does not lead to compliance."
    )
    assert code == 0
    assert out.splitlines() == [
        "holds: Audit data leads to engaged.",
        "    audit_data → peer_feedback → engaged (via CMOC1)",
        "holds: Blame does not lead to compliance.",
        "    no path from blame to compliance",
    ]
    assert err == ""


def test_a_statement_that_does_not_hold_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, MODEL, "Audit data leads to engaged.", "Habit leads to blame.")
    assert code == 1
    assert "does not hold: Habit leads to blame." in out
    assert "    no path from habit to blame; habit reaches compliance" in out
    assert err == ""


def test_clauses_of_a_chain_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, MODEL, "Peer feedback leads to engaged, which leads to blame.")
    assert code == 1
    assert "  'Peer feedback leads to engaged' holds:" in out
    assert "  'engaged, which leads to blame' does not hold:" in out


def test_a_typo_exits_2_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, MODEL, "Habit leads to compliance.", "Habbit leads to blame.")
    assert code == 2
    assert "holds: Habit leads to compliance." in out
    assert "does not hold" not in out
    assert err.startswith("statement 2: no element is named 'Habbit'")
    assert "did you mean 'habit' (Habit formation)?" in err
    assert "Traceback" not in err


def test_an_unparseable_statement_exits_2_pointing_at_the_word(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, MODEL, "Habit compliance.")
    assert code == 2
    assert (
        "expected a verb such as 'enables' or 'leads to' after 'Habit', found 'compliance'" in err
    )
    assert err.splitlines()[-2:] == ["  Habit compliance.", "        ^"]


def test_an_error_wins_over_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, MODEL, "Habit leads to blame.", "Habit leads to blam.")
    assert code == 2


def test_statements_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims = tmp_path / "claims.cmo"
    claims.write_text(
        "model: ignored.yaml\n# comment\n\nHabit leads to compliance.\nHabit leads to blam.\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, MODEL, "--file", str(claims))
    assert code == 2
    assert "holds: Habit leads to compliance." in out
    assert err.startswith(f"{claims}:5: no element is named 'blam'")


def test_statements_from_arguments_and_files_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = tmp_path / "claims.txt"
    claims.write_text("Habit leads to compliance.\n", encoding="utf-8")
    code, out, _ = run(capsys, MODEL, "Audit data leads to engaged.", "--file", str(claims))
    assert code == 0
    assert out.count("holds:") == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([MODEL], "no statements to check"),
        (["missing.yaml", "A leads to B."], "missing.yaml"),
        ([MODEL, "--file", "missing.cmo"], "missing.cmo: cannot read the statement file"),
    ],
)
def test_unusable_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert out == ""
    assert "Traceback" not in err


def test_a_malformed_statement_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = tmp_path / "claims.cmo"
    claims.write_text("Habit leads to compliance.\nmodel: m.yaml\n", encoding="utf-8")
    code, _, err = run(capsys, MODEL, "--file", str(claims))
    assert code == 2
    assert f"{claims}:2: the 'model:' line must come before the first statement" in err


def test_binary_statement_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims = tmp_path / "claims.cmo"
    claims.write_bytes(b"\xff\xfe\x00binary")
    code, _, err = run(capsys, MODEL, "--file", str(claims))
    assert code == 2
    assert "not a UTF-8 text file" in err


def test_help_explains_statements_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "exit status: 0 every statement holds; 1 some statement does not hold" in out
    assert "--file FILE" in out
