"""Tests for cmokit.pytest_plugin: statement files collected and run as test items."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmokit.examples import model_path

pytest_plugins = ["pytester"]

MODEL = Path(model_path("hand_hygiene.yaml")).read_text(encoding="utf-8")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the hand hygiene model in models/ and no other tests."""
    pytester.mkdir("models")
    (pytester.path / "models" / "hand_hygiene.yaml").write_text(MODEL, encoding="utf-8")
    return pytester


def write(pytester: pytest.Pytester, name: str, text: str) -> Path:
    path = pytester.path / name
    path.write_text(text, encoding="utf-8")
    return path


CLAIMS = """\
# Claims about the hand hygiene theory
model: models/hand_hygiene.yaml

Audit data enables peer feedback, which leads to engaged.
Habit leads to blame.   # a claim the model does not support

Blame does not lead to compliance.
"""


def test_each_statement_is_an_item_named_by_its_line(project: pytest.Pytester) -> None:
    write(project, "claims.cmo", CLAIMS)
    result = project.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        ["claims.cmo::line 4", "claims.cmo::line 5", "claims.cmo::line 7", "3 tests collected*"]
    )


def test_items_pass_and_fail_with_the_reason(project: pytest.Pytester) -> None:
    write(project, "claims.cmo", CLAIMS)
    result = project.runpytest("-rf")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*claims.cmo:5: statement does not hold: Habit leads to blame.",
            "*habit → blame: no path from habit to blame; habit reaches compliance, which*",
            "FAILED claims.cmo::line 5*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "cmokit/statements" not in result.stdout.str()


def test_a_typo_fails_the_item_with_a_suggestion(project: pytest.Pytester) -> None:
    write(project, "typo.cmo", "model: models/hand_hygiene.yaml\nHabbit leads to compliance.\n")
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*typo.cmo:2: cannot check this statement: no element is named 'Habbit'*"
            "did you mean 'habit' (Habit formation)?",
            "  Habbit leads to compliance.",
            "  ^",
        ]
    )


def test_a_missing_model_line_is_a_collection_error(project: pytest.Pytester) -> None:
    write(project, "bad.cmo", "# no model\nHabit leads to compliance.\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        ["*bad.cmo:2: a statement file must start with a 'model: path/to/model.yaml' line*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_missing_model_file_fails_each_item(project: pytest.Pytester) -> None:
    write(project, "lost.cmo", "model: nowhere.yaml\nHabit leads to compliance.\nA leads to B.\n")
    result = project.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*lost.cmo:2: cannot load the model for this statement:*"])
    assert "nowhere.yaml" in result.stdout.str()


def test_a_malformed_model_fails_with_its_problems(project: pytest.Pytester) -> None:
    write(project, "broken.yaml", "cmokit: 1\ncontexts: [{id: c, label: C, stage: nowhere}]\n")
    write(project, "broken.cmo", "model: broken.yaml\nc leads to c.\n")
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*broken.cmo:2: cannot load the model for this statement:", "*broken.yaml:2*nowhere*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_model_path_is_relative_to_the_statement_file(project: pytest.Pytester) -> None:
    project.mkdir("claims")
    write(
        project,
        "claims/nested.cmo",
        "model: ../models/hand_hygiene.yaml\nHabit leads to compliance.\n",
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1)


def test_keyword_selection_picks_one_line(project: pytest.Pytester) -> None:
    write(project, "claims.cmo", CLAIMS)
    result = project.runpytest("-k", "7")
    result.assert_outcomes(passed=1, deselected=2)


def test_ini_option_changes_the_patterns(project: pytest.Pytester) -> None:
    write(project, "claims.statements", CLAIMS)
    write(project, "ignored.cmo", CLAIMS)
    project.makeini("[pytest]\ncmokit_statement_files = *.statements\n")
    result = project.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["claims.statements::line 4", "3 tests collected*"])
    assert "ignored.cmo" not in result.stdout.str()


def test_binary_cmo_files_are_not_collected(project: pytest.Pytester) -> None:
    # OCaml compiles to .cmo files too.
    (project.path / "module.cmo").write_bytes(b"Caml1999O\x00\x01\x02binary")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
