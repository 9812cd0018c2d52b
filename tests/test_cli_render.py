"""Tests for ``cmokit render``."""

from __future__ import annotations

from pathlib import Path

import pytest

import cmokit.examples
from cmokit.cli import main
from cmokit.rendering import engines
from svg_helpers import needs_dot, parse_svg, squash

MENTORSHIP = cmokit.examples.model_path("mentorship.yaml")
HAND_HYGIENE = cmokit.examples.model_path("hand_hygiene.yaml")


@pytest.fixture
def no_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(engines, "_search_path", lambda: "")


@pytest.mark.exe
@needs_dot
def test_renders_the_whole_theory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "theory.svg"
    assert main(["render", HAND_HYGIENE, "-o", str(out)]) == 0
    drawing = parse_svg(out.read_text(encoding="utf-8"))
    for element in cmokit.examples.hand_hygiene().elements:
        assert any(squash(element.label) in squash(text) for text in drawing.nodes.values())
    assert "cluster_legend" in drawing.clusters
    assert f"wrote {out}" in capsys.readouterr().out


@pytest.mark.exe
@needs_dot
def test_figure_selects_a_named_figure(tmp_path: Path) -> None:
    out = tmp_path / "figure2.svg"
    assert main(["render", MENTORSHIP, "--figure", "figure2", "-o", str(out)]) == 0
    drawing = parse_svg(out.read_text(encoding="utf-8"))
    bands = [name for name in drawing.clusters if name.count("_") == 2]
    assert bands == ["cluster_stage_1"]
    assert "What shapes initial engagement" in out.read_text(encoding="utf-8")


def test_unknown_figure_suggests_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["render", MENTORSHIP, "--figure", "figur2", "-o", str(tmp_path / "x.svg")])
    assert code == 2
    assert "did you mean 'figure2'" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists()


def test_missing_engine_names_both_remedies_and_exits_2(
    no_engines: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", HAND_HYGIENE, "-o", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and "pip install cmokit[render]" in err
    assert "Traceback" not in err


def test_dot_output_needs_no_engine(no_engines: None, tmp_path: Path) -> None:
    out = tmp_path / "x.dot"
    assert main(["render", HAND_HYGIENE, "-o", str(out)]) == 0
    assert "cluster_stage_1" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "present", "absent"),
    [
        ([], ["cluster_legend", "rankdir=LR"], ["CMOC1", "evidence:"]),
        (["--no-legend"], [], ["cluster_legend"]),
        (["--direction", "TB"], ["rankdir=TB"], ["rankdir=LR"]),
        (["--edge-labels"], ["CMOC1", "reinforces"], []),
        (["--evidence-counts"], ["evidence: 1 for"], []),
        (["--title", "My caption"], ["My caption"], ["Peer feedback and hand hygiene"]),
        (["--stages", "practice"], ["Habit formation"], ["Ward has regular audit data"]),
        (["--themes", "safety"], ["Habit formation"], ["Steep ward hierarchy"]),
        (["--around", "habit", "--steps", "1"], ["Habit formation"], ["Steep ward hierarchy"]),
        (["--wrap", "10"], ["Ward has<BR/>regular"], []),
    ],
)
def test_options_reach_the_figure(
    tmp_path: Path, options: list[str], present: list[str], absent: list[str]
) -> None:
    out = tmp_path / "x.dot"
    assert main(["render", HAND_HYGIENE, "-o", str(out), *options]) == 0
    source = out.read_text(encoding="utf-8")
    for text in present:
        assert text in source, text
    for text in absent:
        assert text not in source, text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-o", "x.txt"], "cannot tell the format of 'x.txt'"),
        (["-o", "x.svg", "--stages", "uptak"], "did you mean 'uptake'"),
        (["-o", "x.svg", "--around", "habbit"], "habbit"),
        (["-o", "x.svg", "--steps", "2"], "--steps needs --around"),
        (["-o", "x.svg", "--wrap", "-3"], "must be 0 or more"),
        (["-o", "x.svg", "--direction", "up"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_a_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", HAND_HYGIENE, *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_model_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(tmp_path / "nowhere.yaml"), "-o", str(tmp_path / "x.svg")]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err


def test_unwritable_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no" / "such" / "folder" / "x.dot"
    assert main(["render", HAND_HYGIENE, "-o", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_help_teaches_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--figure", "--no-legend", "--edge-labels", "--engine", "graphviz-pure"):
        assert option in text


@pytest.mark.exe
@needs_dot
def test_collapse_draws_each_theme_as_one_box(tmp_path: Path) -> None:
    out = tmp_path / "overview.svg"
    args = ["render", MENTORSHIP, "--collapse", "wellbeing", "communities", "-o", str(out)]
    assert main(args) == 0
    drawing = parse_svg(out.read_text(encoding="utf-8"))
    boxes = {name: text for name, text in drawing.nodes.items() if name.startswith("g")}
    assert len(boxes) == 2
    assert any("Sleepless nights" in text and "Self-mentoring" in text for text in boxes.values())


def test_collapse_of_an_unknown_id_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.svg"
    assert main(["render", MENTORSHIP, "--collapse", "wellbing", "-o", str(out)]) == 2
    assert "did you mean 'wellbeing'" in capsys.readouterr().err
    assert not out.exists()
