"""Tests for the table, import-table and export commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import cmokit
from cmokit.cli import main
from cmokit.examples import hand_hygiene, mentorship, model_path
from cmokit.exports import to_dagitty, to_kumu, to_mermaid

DATA = Path(__file__).parent / "data"
SHEET = DATA / "mentorship_configurations.csv"
HAND_HYGIENE = model_path("hand_hygiene.yaml")
MENTORSHIP = model_path("mentorship.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


# --------------------------------------------------------------------------- table


def test_table_markdown_prints_the_table_5_style_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "table", MENTORSHIP, "--format", "markdown")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert cells(lines[0]) == [
        "Configuration",
        "Theme",
        "Contexts and mechanisms (C/M)",
        "Outcomes",
        "Statement",
    ]
    assert set(lines[1]) <= {"|", "-"}
    theory = mentorship()
    rows = {cells(line)[0]: cells(line) for line in lines[2:]}
    assert set(rows) == {c.id for c in theory.configurations}
    for config in theory.configurations:
        row = rows[config.id]
        assert row[2].count("(C)") == len(config.contexts)
        assert row[2].count("(M)") == len(config.mechanisms)
        assert row[3].split("; ") == [theory.element(o).label for o in config.outcomes]


def test_table_defaults_to_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    default = run(capsys, "table", HAND_HYGIENE)
    explicit = run(capsys, "table", HAND_HYGIENE, "--format", "markdown")
    assert default == explicit
    assert default[1].startswith("| Configuration")


def test_table_csv_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "table", HAND_HYGIENE, "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert frame.equals(hand_hygiene().configuration_table().astype(str))


@pytest.mark.parametrize(
    ("format", "start", "needle"),
    [
        ("latex", "\\begin{tabular}", "Contexts and mechanisms (C/M)"),
        ("html", "<table", "<th>Contexts and mechanisms (C/M)</th>"),
    ],
)
def test_table_latex_and_html(
    capsys: pytest.CaptureFixture[str], format: str, start: str, needle: str
) -> None:
    code, out, _ = run(capsys, "table", HAND_HYGIENE, "--format", format)
    assert code == 0
    assert out.startswith(start)
    assert needle in out


def test_table_of_evidence_and_cases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "table", HAND_HYGIENE, "--table", "evidence", "--by", "case")
    assert code == 0
    assert cells(out.splitlines()[0]) == ["Item", "Kind", "Case", "Supporting", "Contradicting"]
    code, out, _ = run(capsys, "table", HAND_HYGIENE, "--table", "cases")
    assert code == 0
    lines = out.splitlines()
    assert cells(lines[0]) == ["Configuration", "Ward A", "Ward B"]
    assert cells(lines[2]) == ["CMOC1", "fired", ""]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["table", "missing.yaml"], "missing.yaml: no such file"),
        (["table", HAND_HYGIENE, "--by", "case"], "--by only applies to --table evidence"),
        (["table", HAND_HYGIENE, "--format", "docx"], "invalid choice: 'docx'"),
    ],
)
def test_table_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert needle in err
    assert "Traceback" not in err


# -------------------------------------------------------------------- import-table


def test_import_table_writes_the_model_and_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = SHEET.read_text(encoding="utf-8").splitlines(keepends=True)
    sheet = tmp_path / "configs.csv"
    sheet.write_text("".join(line for line in lines if not line.startswith("CMOC10")))
    expected = cmokit.load(DATA / "mentorship_configurations.yaml")
    output = tmp_path / "theory.yaml"
    code, out, err = run(capsys, "import-table", sheet, "-o", output, "--title", expected.title)
    assert (code, err) == (0, "")
    assert cmokit.load(output) == expected
    assert out.startswith(f"read 9 rows from {sheet}: 9 configurations\n")
    assert "created 3 stages, 4 themes, 11 contexts, 20 mechanisms, 24 outcomes:" in out
    assert out.endswith(f"wrote {output}\n")


def test_import_table_bad_rows_write_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "theory.yaml"
    output.write_text("cmokit: 1\ntitle: keep me\n")
    code, out, err = run(capsys, "import-table", SHEET, "-o", output)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{SHEET}:row 11: column Outcomes (O): no outcome; every configuration needs at least"
        " one (separate several with ;)",
        f"{output}: not written",
    ]
    assert output.read_text() == "cmokit: 1\ntitle: keep me\n"


def test_import_table_reports_every_bad_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "configs.csv"
    sheet.write_text("id,contexts,mechanisms,outcomes\nK1,A,M,\nK1,A,M,O\nK3,,,O\n")
    output = tmp_path / "theory.json"
    code, _, err = run(capsys, "import-table", sheet, "-o", output)
    assert code == 2
    assert [line.split(": column")[0] for line in err.splitlines()[:-1]] == [
        f"{sheet}:row 2",
        f"{sheet}:row 3",
        f"{sheet}:row 4",
    ]
    assert not output.exists()


def test_import_table_with_a_base_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sheet = tmp_path / "more.csv"
    sheet.write_text(
        "id,theme,contexts,mechanisms,outcomes\n"
        "CMOC4,Safer care,Ward has regular audit data,Peer feedback,Staff praise\n"
    )
    output = tmp_path / "theory.yaml"
    code, out, _ = run(capsys, "import-table", sheet, "-o", output, "--base", HAND_HYGIENE)
    assert code == 0
    theory = cmokit.load(output)
    assert theory["CMOC4"].contexts == ("audit_data",)  # type: ignore[union-attr]
    assert theory["CMOC4"].theme == "safety"  # type: ignore[union-attr]
    assert len(theory.configurations) == 4
    assert "reused from the base model: safety, audit_data, peer_feedback" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["import-table", "configs.csv", "-o", "theory.txt"], "name the file .yaml, .yml or .json"),
        (["import-table", "missing.csv", "-o", "theory.yaml"], "missing.csv: no such file"),
        (["import-table", "configs.csv"], "the following arguments are required: -o/--output"),
    ],
)
def test_import_table_usage_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    needle: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "configs.csv").write_text("contexts,mechanisms,outcomes\nA,M,O\n")
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert needle in err
    assert not (tmp_path / "theory.txt").exists()


# -------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("format", "name"),
    [
        ("graphml", "map.graphml"),
        ("json", "graph.json"),
        ("mermaid", "flow.mmd"),
        ("kumu", "map.kumu.json"),
        ("dagitty", "model.dagitty"),
    ],
)
def test_export_writes_each_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, format: str, name: str
) -> None:
    theory = hand_hygiene()
    by_option = tmp_path / f"option-{name}"
    by_name = tmp_path / name
    assert run(capsys, "export", HAND_HYGIENE, "--to", format, "-o", by_option)[0] == 0
    assert run(capsys, "export", HAND_HYGIENE, "-o", by_name)[0] == 0
    text = by_option.read_text(encoding="utf-8")
    assert text == by_name.read_text(encoding="utf-8")
    if format == "graphml":
        graph = nx.parse_graphml(text)
        assert set(graph.edges) == set(theory.graph_view.edges)
    elif format == "json":
        graph = nx.node_link_graph(json.loads(text))
        assert set(graph.edges) == set(theory.graph_view.edges)
    else:
        writer = {"mermaid": to_mermaid, "kumu": to_kumu, "dagitty": to_dagitty}[format]
        assert text == writer(theory)


def test_export_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", HAND_HYGIENE, "--to", "dagitty")
    assert (code, err) == (0, "")
    assert out == to_dagitty(hand_hygiene())


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["export", HAND_HYGIENE], "give the format with --to"),
        (["export", HAND_HYGIENE, "-o", "out.txt"], "out.txt: cannot tell the format"),
        (["export", HAND_HYGIENE, "--to", "gexf"], "invalid choice: 'gexf'"),
        (["export", "missing.yaml", "--to", "json"], "missing.yaml: no such file"),
    ],
)
def test_export_usage_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    needle: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert needle in err
    assert list(tmp_path.iterdir()) == []
