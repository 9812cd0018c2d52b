"""Tests for the cmokit command line: show, convert, --help, --version and exit codes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import cmokit
from cmokit.cli import ExitCode, main
from cmokit.cli._common import UsageError

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(p.name for p in DATA.iterdir() if p.suffix in {".yaml", ".json"})
CONSOLE_SCRIPT = Path(sys.executable).parent / "cmokit"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, marker: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


# ---------------------------------------------------------------------- help and version


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert (code, out, err) == (0, f"cmokit {cmokit.__version__}\n", "")


def test_help_lists_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == ExitCode.OK
    assert "show" in out and "convert" in out
    assert "exit status: 0 done and nothing wrong; 1 the model or a statement has problems" in out


@pytest.mark.parametrize("command", ["show", "convert"])
def test_each_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == ExitCode.OK
    assert out.startswith(f"usage: cmokit {command}")


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == ExitCode.UNUSABLE
    assert out == ""
    assert "usage: cmokit" in err


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["show"], ["convert", "only-one.yaml"], ["show", "--bogus", "m.yaml"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == ExitCode.UNUSABLE
    assert out == ""
    assert "error:" in err


def test_exit_codes_are_the_documented_numbers() -> None:
    assert (ExitCode.OK, ExitCode.PROBLEMS, ExitCode.UNUSABLE) == (0, 1, 2)


# ------------------------------------------------------------------------------------ show


def test_show_summarises_the_issue_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", DATA / "issue_example.yaml")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Peer feedback and hand hygiene (illustrative)"
    assert lines[1] == (
        "  2 contexts, 2 mechanisms, 3 outcomes (1 unintended), 3 configurations, 1 link,"
        " 2 evidence items"
    )
    assert "  1. uptake: Uptake (5 elements)" in lines
    assert "  2. practice: Practice (2 elements)" in lines
    assert "  safety: Safer care (1 configuration)" in lines
    assert "  CMOC1 → engaged → CMOC2" in lines


@pytest.mark.parametrize("name", FIXTURES)
def test_show_every_fixture(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, "show", DATA / name)
    assert (code, err) == (0, "")
    assert out.startswith(cmokit.load(DATA / name).title)


def test_show_names_each_of_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = DATA / "issue_example.yaml", DATA / "falls_prevention.yaml"
    code, out, _ = run(capsys, "show", first, second)
    assert code == 0
    assert f"== {first}" in out and f"== {second}" in out
    assert out.index(f"== {first}") < out.index(f"== {second}")


def test_show_an_untitled_empty_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "cmokit: 1\n")
    code, out, _ = run(capsys, "show", path)
    assert code == 0
    assert out.splitlines()[0] == "(untitled theory)"
    assert "0 contexts" in out


def test_show_lists_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", DATA / "community_health_workers.json")
    assert code == 0
    assert "figures: overview, around_trust" in out


# --------------------------------------------------------------------------------- convert


def test_json_to_yaml_to_json_reloads_equal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    original = DATA / "community_health_workers.json"
    as_yaml, back = tmp_path / "model.yaml", tmp_path / "again.json"
    assert run(capsys, "convert", original, as_yaml) == (0, "", "")
    assert run(capsys, "convert", as_yaml, back) == (0, "", "")
    theory = cmokit.load(original)
    assert cmokit.load(as_yaml) == theory
    assert cmokit.load(back) == theory
    assert as_yaml.read_text(encoding="utf-8").startswith("cmokit: 1\n")
    assert back.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("suffix", [".json", ".yml", ".yaml"])
def test_convert_every_fixture(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, suffix: str
) -> None:
    target = tmp_path / f"out{suffix}"
    assert run(capsys, "convert", DATA / name, target)[0] == 0
    assert cmokit.load(target) == cmokit.load(DATA / name)


def test_convert_replaces_an_existing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = write(tmp_path, "out.json", "old contents")
    assert run(capsys, "convert", DATA / "issue_example.yaml", target)[0] == 0
    assert cmokit.load(target) == cmokit.load(DATA / "issue_example.yaml")


def test_convert_refuses_an_unknown_output_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out.txt"
    code, out, err = run(capsys, "convert", DATA / "issue_example.yaml", target)
    assert (code, out) == (2, "")
    assert err == (
        f"cmokit: error: {target}: cannot tell the output format; name the file .yaml, .yml or"
        " .json\n"
    )
    assert not target.exists()


def test_convert_into_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.json"
    code, _, err = run(capsys, "convert", DATA / "issue_example.yaml", target)
    assert code == 2
    assert err.startswith(f"cmokit: error: {target}: cannot write: ")
    assert "Traceback" not in err


# Every command that writes a file: its arguments before the output path, the output's name.
WRITING_COMMANDS = [
    pytest.param(["convert", str(DATA / "issue_example.yaml")], "out.json", id="convert"),
    pytest.param(["render", str(DATA / "issue_example.yaml"), "-o"], "out.dot", id="render"),
    pytest.param(["export", str(DATA / "issue_example.yaml"), "-o"], "out.mmd", id="export"),
    pytest.param(["import-table", "sheet.csv", "-o"], "out.yaml", id="import-table"),
]


@pytest.mark.parametrize(
    ("where", "reason"),
    [("missing folder", "No such file or directory"), ("a folder", "Is a directory")],
)
@pytest.mark.parametrize(("argv", "name"), WRITING_COMMANDS)
def test_an_unwritable_output_is_a_usage_error_for_every_command(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    name: str,
    where: str,
    reason: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "sheet.csv", "contexts,mechanisms,outcomes\nA,M,O\n")
    if where == "a folder":
        target = tmp_path / name
        target.mkdir()
    else:
        target = tmp_path / "no" / "such" / "folder" / name
    code, out, err = run(capsys, *argv, target)
    assert (code, out) == (2, "")
    assert err == f"cmokit: error: {target}: cannot write: {reason}\n"
    # Nothing half-written is left behind, not even a temporary file.
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["sheet.csv", name] if where == "a folder" else ["sheet.csv"]
    )


# --------------------------------------------------------------------------- broken files

BROKEN: dict[str, tuple[str, str]] = {
    "bad YAML": (
        """\
        cmokit: 1
        contexts:
          - {id: c1, label: [unclosed}  # here
        """,
        "not valid YAML",
    ),
    "unknown key": (
        """\
        cmokit: 1
        mechanisms:
          - id: peer_feedback
            reasonning: Staff feel accountable  # here
        """,
        "peer_feedback: mechanisms item has unknown key 'reasonning'; did you mean 'reasoning'?",
    ),
    "typo'd reference": (
        """\
        cmokit: 1
        contexts: [{id: audit_data}]
        mechanisms: [{id: peer_feedback}]
        outcomes: [{id: engaged}]
        configurations:
          - id: CMOC1
            contexts: [audit_date]  # here
            mechanisms: [peer_feedback]
            outcomes: [engaged]
        """,
        "CMOC1: contexts refers to unknown element 'audit_date'; did you mean 'audit_data'?",
    ),
    "duplicate id": (
        """\
        cmokit: 1
        contexts: [{id: engaged}]
        outcomes:
          - {id: engaged, label: Staff engage}  # here
        """,
        "engaged: duplicate id 'engaged': already used by a context",
    ),
    "wrong type": (
        """\
        cmokit: 1
        outcomes:
          - id: compliance
            kind: maybe  # here
        """,
        "compliance: kind must be one of 'intended', 'unintended', not 'maybe'",
    ),
    "unknown format version": (
        """\
        title: From the future
        cmokit: 9  # here
        """,
        "format version 9 is newer than this release of cmokit reads",
    ),
    "non-mapping top level": (
        """\
        - cmokit: 1  # here
        """,
        "a model file must be a mapping of keys, not list",
    ),
    "empty file": ("", "missing the format version: add 'cmokit: 1'"),
}


@pytest.mark.parametrize("command", ["show", "convert"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_exit_2_with_path_line_and_item(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str, command: str
) -> None:
    text, expected = BROKEN[case]
    path = write(tmp_path, "model.yaml", text)
    line = line_of(path, "# here") if text else 1
    extra = [tmp_path / "out.json"] if command == "convert" else []
    code, out, err = run(capsys, command, path, *extra)
    assert code == ExitCode.UNUSABLE
    assert out == ""
    assert err.startswith(f"{path}:{line}: "), err
    assert expected in err
    assert "Traceback" not in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    code, out, err = run(capsys, "show", path)
    assert (code, out, err) == (2, "", f"{path}: no such file; check the path\n")


def test_a_json_problem_has_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "model.json",
        """\
        {
          "cmokit": 1,
          "contexts": [{"id": "c1", "stage": "nowhere"}]
        }
        """,
    )
    code, _, err = run(capsys, "show", path)
    assert code == 2
    assert err == (
        f"{path}:3: c1: stage refers to unknown stage 'nowhere'; add a stage with id 'nowhere'"
        " or correct the reference\n"
    )


def test_every_problem_of_a_file_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "model.yaml",
        """\
        cmokit: 1
        stages: [{id: uptake}]
        contexts:
          - {id: c1, stage: uptak}  # one
          - {id: c2, lable: x}  # two
        outcomes:
          - {id: c1}  # three
        configurations:
          - {id: K1, contexts: [c9], outcomes: [o1]}  # four
        """,
    )
    code, _, err = run(capsys, "show", path)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 5
    expected_lines = [line_of(path, f"# {mark}") for mark in ("one", "two", "three", "four")]
    assert [int(line.split(":")[1]) for line in lines] == [*expected_lines, expected_lines[-1]]
    assert "did you mean 'uptake'?" in lines[0]
    assert "unknown key 'lable'" in lines[1]
    assert "duplicate id 'c1'" in lines[2]
    assert "'c9'" in lines[3]
    assert "'o1'" in lines[4]


def test_the_console_script_reports_a_broken_file_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "model.yaml", "cmokit: 1\ncontexts:\n  - {id: c1, tags: 5}\n")
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "show", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"{path}:3: c1: tags must be a list of strings, not int\n"


def test_the_console_script_shows_a_model(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "show", str(DATA / "issue_example.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "CMOC1 → engaged → CMOC2" in result.stdout


# ----------------------------------------------------------------- errors inside commands


def test_a_usage_error_is_printed_as_a_cmokit_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(args: Any) -> int:
        raise UsageError("nothing to do; give a model file")

    monkeypatch.setattr("cmokit.cli.show.run", refuse)
    assert run(capsys, "show", "m.yaml") == (
        2,
        "",
        "cmokit: error: nothing to do; give a model file\n",
    )


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [(KeyboardInterrupt, 130, "cmokit: interrupted\n"), (BrokenPipeError, 0, "")],
)
def test_interruptions_and_closed_pipes_are_not_tracebacks(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    raised: type[BaseException],
    code: int,
    message: str,
) -> None:
    def stop(args: Any) -> int:
        raise raised

    monkeypatch.setattr("cmokit.cli.show.run", stop)
    assert run(capsys, "show", "m.yaml") == (code, "", message)
