"""Tests for ``cmokit validate``: output formats, exit codes, rule selection, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cmokit.examples
from cmokit import RULES
from cmokit.cli import main
from cmokit.cli.validate import format_text, id_lines
from cmokit.validation import Finding, Report, reports_from_csv, reports_from_json

CLEAN = """\
cmokit: 1
title: Clean
contexts:
  - {id: audit_data, label: Audit data}
mechanisms:
  - {id: peer_feedback, label: Peer feedback, resource: Sessions, reasoning: Accountable}
outcomes:
  - {id: engaged, label: Staff engage}
configurations:
  - id: CMOC1
    statement: Where audit data exist, peer feedback makes staff engage.
    contexts: [audit_data]
    mechanisms: [peer_feedback]
    outcomes: [engaged]
evidence:
  - {id: E1, text: Nurses liked it, about: [CMOC1]}
"""

# An incomplete configuration (an error), a listed-but-unconfigured factor (a warning) and,
# since nothing explains it, an unexplained outcome (a warning).
BROKEN = """\
cmokit: 1
title: Broken
contexts:
  - {id: audit_data, label: Audit data}
  - {id: hierarchy, label: Steep hierarchy}
outcomes:
  - {id: engaged, label: Staff engage}
configurations:
  - id: CMOC1
    statement: Audit data make staff engage.
    contexts: [audit_data]
    outcomes: [engaged]
evidence:
  - {id: E1, text: Nurses liked it, about: [CMOC1]}
"""

# Only warnings: an unconfigured context.
WARNS = CLEAN.replace(
    "  - {id: audit_data, label: Audit data}\n",
    "  - {id: audit_data, label: Audit data}\n  - {id: orphan, label: Never used}\n",
)

# Only an info: a mechanism without reasoning.
INFOS = CLEAN.replace(", reasoning: Accountable", "")


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    ("text", "strict", "expected"),
    [
        (CLEAN, False, 0),
        (CLEAN, True, 0),
        (INFOS, False, 0),
        (INFOS, True, 0),
        (WARNS, False, 0),
        (WARNS, True, 1),
        (BROKEN, False, 1),
        (BROKEN, True, 1),
    ],
)
def test_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, strict: bool, expected: int
) -> None:
    path = write(tmp_path, "model.yaml", text)
    code, _, err = run([path, *(["--strict"] if strict else [])], capsys)
    assert code == expected
    assert err == ""


def test_clean_model_prints_no_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "clean.yaml", CLEAN)
    code, out, _ = run([path], capsys)
    assert code == 0
    assert out == f"{path}: no findings\n"


def test_examples_validate_without_errors(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [cmokit.examples.model_path(n) for n in ("hand_hygiene.yaml", "mentorship.yaml")]
    code, out, err = run(paths, capsys)
    assert code == 0, out
    assert " error " not in out
    assert err == ""


# --------------------------------------------------------------------------- text


def test_text_output_is_linter_like(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run([path], capsys)
    assert code == 1
    lines = out.splitlines()
    # the error first, at the configuration's line, then the warning at the context's line
    assert lines[0].startswith(f"{path}:9: error CMO001 [CMOC1] configuration 'CMOC1' has no")
    assert lines[1].startswith("    hint: ")
    assert f"{path}:5: warning CMO002 [hierarchy]" in out
    severities = [line.split(": ", 1)[1].split()[0] for line in lines if "CMO0" in line]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert f"{path}:7: warning CMO003 [engaged]" in out
    assert lines[-1] == f"{path}: 1 error, 2 warnings"


def test_format_text_without_lines_names_the_file() -> None:
    report = Report([Finding("CMO022", "info", [], "no evidence")], path="m.json")
    assert format_text(report).splitlines() == ["m.json: info CMO022 no evidence", "m.json: 1 info"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contexts:\n  - id: c1\n    label: x\n", {"c1": 2}),
        ("contexts:\n  - {id: 'c 2', label: x}\n", {"c 2": 2}),
        ('{"contexts": [\n {"id": "c3",\n "label": "x"}]}', {"c3": 2}),
        ("a:\n  - id: dup\n  - id: dup\n", {"dup": 2}),
        ("title: no ids here\n", {}),
    ],
)
def test_id_lines(text: str, expected: dict[str, int]) -> None:
    assert id_lines(text) == expected


def test_several_files_are_reported_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = write(tmp_path, "clean.yaml", CLEAN)
    broken = write(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run([clean, broken], capsys)
    assert code == 1
    assert f"{clean}: no findings" in out
    assert f"{broken}: 1 error, 2 warnings" in out


# ---------------------------------------------------------------------- JSON / CSV


def test_json_output_parses_and_carries_every_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run([path, "--format", "json"], capsys)
    assert code == 1
    document = json.loads(out)
    assert document["files"] == [path]
    assert document["summary"] == {"error": 1, "warning": 2, "info": 0}
    for finding in document["findings"]:
        assert set(finding) == {"path", "code", "severity", "ids", "message", "hint"}
        assert finding["code"] in RULES
        assert finding["path"] == path
    assert [(f["code"], f["severity"], f["ids"]) for f in document["findings"]] == [
        ("CMO001", "error", ["CMOC1"]),
        ("CMO002", "warning", ["hierarchy"]),
        ("CMO003", "warning", ["engaged"]),
    ]
    (report,) = reports_from_json(out)
    assert [f.code for f in report] == ["CMO001", "CMO002", "CMO003"]


def test_json_lists_clean_files_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path, "clean.yaml", CLEAN)
    broken = write(tmp_path, "broken.yaml", BROKEN)
    _, out, _ = run([clean, broken, "--format", "json"], capsys)
    reports = reports_from_json(out)
    assert [(r.path, len(r)) for r in reports] == [(clean, 0), (broken, 3)]


def test_csv_output_parses_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run([path, "--format", "csv"], capsys)
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["code"], r["severity"], json.loads(r["ids"])) for r in rows] == [
        ("CMO001", "error", ["CMOC1"]),
        ("CMO002", "warning", ["hierarchy"]),
        ("CMO003", "warning", ["engaged"]),
    ]
    assert reports_from_csv(out)[0].path == path


@pytest.mark.parametrize("form", ["json", "csv"])
def test_machine_formats_print_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    path = write(tmp_path, "clean.yaml", CLEAN)
    _, out, _ = run([path, "--format", form], capsys)
    if form == "json":
        assert json.loads(out)["findings"] == []
    else:
        assert out.splitlines() == ['"path","code","severity","ids","message","hint"']


# ------------------------------------------------------------------ select / ignore


@pytest.mark.parametrize(
    ("options", "codes", "expected"),
    [
        ([], ["CMO001", "CMO002", "CMO003"], 1),
        (["--select", "CMO002"], ["CMO002"], 0),
        (["--select", "CMO002", "--strict"], ["CMO002"], 1),
        (["--ignore", "CMO001"], ["CMO002", "CMO003"], 0),
        (["--ignore", "CMO001,CMO002"], ["CMO003"], 0),
        (["--ignore", "CMO001", "--ignore", "unconfigured-element"], ["CMO003"], 0),
        (["--select", "CMO00", "--ignore", "CMO002"], ["CMO001", "CMO003"], 1),
    ],
)
def test_select_and_ignore(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    codes: list[str],
    expected: int,
) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run([path, "--format", "json", *options], capsys)
    assert [f["code"] for f in json.loads(out)["findings"]] == codes
    assert code == expected


def test_mechanism_parts_can_be_raised_to_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "infos.yaml", INFOS)
    assert run([path, "--strict"], capsys)[0] == 0
    code, out, _ = run([path, "--strict", "--mechanism-parts", "warning"], capsys)
    assert code == 1
    assert "warning CMO005 [peer_feedback]" in out


def test_list_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--list-rules"], capsys)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(RULES)


# -------------------------------------------------------------------- unusable input


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--select", "CM0001"], "unknown rule code 'CM0001' in select; did you mean 'CMO001'"),
        (["--ignore", "cylce"], "unknown rule code 'cylce' in ignore; did you mean 'cycle'"),
        ([], "validate needs at least one model file"),
    ],
)
def test_bad_options_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    paths = [write(tmp_path, "clean.yaml", CLEAN)] if args else []
    code, out, err = run([*paths, *args], capsys)
    assert code == 2
    assert words in err
    assert "Traceback" not in err
    assert out == ""


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("missing.yaml", None, "no such file"),
        ("bad.yaml", "cmokit: 1\ncontexts: [\n", "not valid YAML"),
        ("bad.json", '{"cmokit": 1,', "not valid JSON"),
        ("version.yaml", "cmokit: 99\n", "version"),
        (
            "reference.yaml",
            "cmokit: 1\noutcomes: [{id: o}]\nconfigurations:\n"
            "  - {id: K, contexts: [nowhere], mechanisms: [], outcomes: [o]}\n",
            "nowhere",
        ),
    ],
)
def test_unusable_files_exit_2_naming_the_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str | None,
    words: str,
) -> None:
    path = str(tmp_path / name) if text is None else write(tmp_path, name, text)
    code, _, err = run([path], capsys)
    assert code == 2
    assert path in err
    assert words in err
    assert "Traceback" not in err


def test_unusable_file_among_good_ones_still_reports_the_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write(tmp_path, "broken.yaml", BROKEN)
    missing = str(tmp_path / "missing.yaml")
    code, out, err = run([missing, broken, "--format", "json"], capsys)
    assert code == 2
    assert missing in err
    assert [r.path for r in reports_from_json(out)] == [broken]
