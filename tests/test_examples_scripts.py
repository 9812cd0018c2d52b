"""Tests for the worked example's scripts and tutorial.

examples/reproduce_figures.py and examples/print_table5.py run in a subprocess, as a user
would run them; their functions are also loaded from the file to test the paths a healthy
model never takes. The Python examples of docs/tutorial-mentorship.md run as doctests.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

import cmokit
from cmokit import ElementKind, ProgrammeTheory
from cmokit.exceptions import EngineNotFoundError
from cmokit.fileformat import from_dict, to_dict

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLES = REPOSITORY / "examples"
TUTORIAL = REPOSITORY / "docs" / "tutorial-mentorship.md"
SVG = "{http://www.w3.org/2000/svg}"

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is missing")


def run_script(name: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def squash(text: str) -> str:
    """Text without whitespace: the renderer wraps labels wherever there was a space."""
    return "".join(text.split())


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return squash(" ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text")))


def cluster_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [
        squash(" ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text")))
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "cluster"
    ]


@pytest.fixture(scope="module")
def theory() -> ProgrammeTheory:
    return cmokit.examples.mentorship()


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("figures")
    result = run_script("reproduce_figures.py", str(folder), "--format", "svg", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(folder / "figure1.svg"), str(folder / "figure2.svg")]
    return folder


# ---------------------------------------------------------------- reproduce_figures.py


def test_figure2_holds_every_engagement_factor(figures: Path, theory: ProgrammeTheory) -> None:
    text = svg_text(figures / "figure2.svg")
    factors = theory.select(tag="figure2")
    assert len(factors) == 10
    assert [f.id for f in factors if squash(f.label) not in text] == []


def test_figure2_holds_no_outcome_theme(figures: Path, theory: ProgrammeTheory) -> None:
    text = svg_text(figures / "figure2.svg").lower()
    later = [e for e in theory.elements if e.stage != "engagement"]
    assert [t.id for t in theory.themes if squash(t.label).lower() in text] == []
    assert [e.id for e in later if squash(e.label).lower() in text] == []


def test_figure1_holds_all_three_stages(figures: Path, theory: ProgrammeTheory) -> None:
    clusters = cluster_texts(figures / "figure1.svg")
    for stage in theory.stages:
        assert any(squash(stage.label) in cluster for cluster in clusters), stage.id
    text = svg_text(figures / "figure1.svg")
    assert [e.id for e in theory.elements if squash(e.label) not in text] == []


def test_figure2_draws_only_the_engagement_stage(figures: Path) -> None:
    clusters = cluster_texts(figures / "figure2.svg")
    assert any("Engagement" in cluster for cluster in clusters)
    assert not any("Enactment" in cluster or "Outcomethemes" in cluster for cluster in clusters)


@needs_dot
@pytest.mark.exe
def test_default_folder_gets_svg_and_png(tmp_path: Path) -> None:
    result = run_script("reproduce_figures.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == ["figure1.png", "figure1.svg", "figure2.png", "figure2.svg"]
    assert (tmp_path / "out" / "figure1.png").read_bytes().startswith(b"\x89PNG")


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_script("reproduce_figures.py", str(tmp_path), "--format", "gif", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'gif'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_engine_skips_the_file_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script("reproduce_figures.py")

    def no_png(theory: ProgrammeTheory, path: Path, **options: object) -> Path:
        if Path(path).suffix == ".png":
            raise EngineNotFoundError("no engine writes png")
        Path(path).write_text("<svg/>")
        return Path(path)

    monkeypatch.setattr(cmokit, "render", no_png)
    assert script.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure1.svg", "figure2.svg"]
    assert capsys.readouterr().err.count("no engine writes png") == 2


def test_no_engine_at_all_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = load_script("reproduce_figures.py")

    def no_engine(theory: ProgrammeTheory, path: Path, **options: object) -> Path:
        raise EngineNotFoundError("no engine")

    monkeypatch.setattr(cmokit, "render", no_engine)
    assert script.main([str(tmp_path)]) == 2


# ---------------------------------------------------------------- print_table5.py


def test_table_lists_the_four_themes(tmp_path: Path, theory: ProgrammeTheory) -> None:
    result = run_script("print_table5.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for theme in theory.themes:
        assert f"\n{theme.label}\n" in result.stdout, theme.id
    assert "All 14 categories of the paper's Table 5 are in the model" in result.stdout
    assert result.stderr == ""


def test_table_in_markdown(tmp_path: Path, theory: ProgrammeTheory) -> None:
    result = run_script("print_table5.py", "--markdown", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(theory.configurations)
    for theme in theory.themes:
        assert theme.label in result.stdout


def test_table5_categories_are_printed_with_their_role(theory: ProgrammeTheory) -> None:
    script = load_script("print_table5.py")
    assert script.compare_with_paper(theory, theory.configuration_table()) == []


@pytest.mark.parametrize(
    ("replace", "by", "problem"),
    [
        (
            "Availability of courses and schemes (C)",
            "Availability of courses and schemes (M)",
            "printed as 'Availability of courses and schemes (M)'",
        ),
        ("Threats to wellbeing (C); ", "", "'Threats to wellbeing (C)' in cmo_wellbeing, missing"),
    ],
)
def test_wrong_or_missing_category_is_reported(
    theory: ProgrammeTheory, replace: str, by: str, problem: str
) -> None:
    script = load_script("print_table5.py")
    table = theory.configuration_table()
    table["contexts_and_mechanisms"] = table["contexts_and_mechanisms"].str.replace(replace, by)
    problems = script.compare_with_paper(theory, table)
    assert len(problems) == 1
    assert problem in problems[0]


def test_model_without_a_table5_category_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], theory: ProgrammeTheory
) -> None:
    data = to_dict(theory)
    for configuration in data["configurations"]:
        if configuration["id"] == "cmo_specialist_support":
            configuration["contexts"].remove("access")
    broken = from_dict(data)
    assert broken.kind_of("access") is ElementKind.CONTEXT
    script = load_script("print_table5.py")
    monkeypatch.setattr(cmokit.examples, "mentorship", lambda: broken)
    assert script.main([]) == 1
    error = capsys.readouterr().err
    assert "1 of the 14 Table 5 categories do not match" in error
    assert "'Access to courses and mentoring (C)' in cmo_specialist_support, missing" in error


# ---------------------------------------------------------------- the tutorial


def python_blocks(markdown: str) -> str:
    """The bodies of the page's ```python blocks, each ending in a blank line for doctest."""
    blocks = re.findall(r"^```python\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)
    return "\n".join(blocks)


def test_tutorial_examples_run_as_shown() -> None:
    source = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    test = doctest.DocTestParser().get_doctest(source, {}, TUTORIAL.name, str(TUTORIAL), 0)
    assert len(test.examples) >= 15
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_python_blocks_keep_each_block_separate() -> None:
    page = "```python\n>>> 1 + 1\n2\n```\n\ntext\n\n```python\n>>> 2 + 2\n5\n```\n"
    test = doctest.DocTestParser().get_doctest(python_blocks(page), {}, "page", "page", 0)
    runner = doctest.DocTestRunner()
    runner.run(test, out=lambda text: None)
    assert [example.want for example in test.examples] == ["2\n", "5\n"]
    assert runner.summarize(verbose=False).failed == 1


def shown_output(markdown: str, command: str) -> str:
    """The text block that shows ``$ command`` and its output, without the command line."""
    match = re.search(rf"^```text\n\$ {re.escape(command)}\n(.*?)^```$", markdown, re.M | re.S)
    assert match is not None, f"the page does not show {command!r}"
    return match.group(1)


def test_tutorial_shows_the_real_validate_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmokit.cli import main

    command = "cmokit validate examples/mentorship.yaml"
    shown = shown_output(TUTORIAL.read_text(encoding="utf-8"), command)
    monkeypatch.chdir(REPOSITORY)
    assert main(command.split()[1:]) == 0
    assert capsys.readouterr().out == shown


def test_tutorial_shows_real_lines_of_print_table5(tmp_path: Path) -> None:
    command = "python examples/print_table5.py"
    shown = shown_output(TUTORIAL.read_text(encoding="utf-8"), command).splitlines()
    head, tail = shown[: shown.index("...")], shown[shown.index("...") + 1 :]
    result = run_script("print_table5.py", cwd=tmp_path)
    printed = result.stdout.splitlines()
    assert printed[: len(head)] == head
    assert printed[-len(tail) :] == tail


@pytest.mark.parametrize("figure", ["figure1.svg", "figure2.svg"])
def test_tutorial_embeds_figures_made_by_the_script(figure: str, figures: Path) -> None:
    page = TUTORIAL.read_text(encoding="utf-8")
    assert f"](tutorial/{figure})" in page
    committed = TUTORIAL.parent / "tutorial" / figure
    assert svg_text(committed) == svg_text(figures / figure)
