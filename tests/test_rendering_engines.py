"""Tests for cmokit.rendering.engines and cmokit.render: finding and running a layout program."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import cmokit
import cmokit.examples
from cmokit.rendering import engines, format_of, render, to_svg
from cmokit.rendering.engines import Engine, find_engine, layout
from svg_helpers import needs_dot, needs_graphviz_pure, parse_svg

REMEDIES = ("apt-get install graphviz", "pip install cmokit[render]")


@pytest.fixture
def no_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide both layout programs: an empty PATH and no scripts folder."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(engines, "_search_path", lambda: "")


@pytest.fixture
def only_graphviz_pure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A search path holding graphviz-pure but no dot."""
    program = engines._which(Engine.GRAPHVIZ_PURE)
    if program is None:
        pytest.skip("graphviz-pure is not installed")
    (tmp_path / "graphviz-pure").symlink_to(program)
    monkeypatch.setattr(engines, "_search_path", lambda: str(tmp_path))


def test_missing_engines_give_an_error_naming_both_remedies(no_engines: None) -> None:
    with pytest.raises(cmokit.EngineNotFoundError) as caught:
        find_engine()
    for remedy in REMEDIES:
        assert remedy in str(caught.value)


@pytest.mark.parametrize("engine", ["dot", "graphviz-pure"])
def test_a_named_missing_engine_is_named(no_engines: None, engine: str) -> None:
    with pytest.raises(cmokit.EngineNotFoundError, match=f"'{engine}' is not on PATH"):
        find_engine(engine)


def test_render_to_svg_without_engines_fails_with_both_remedies(
    no_engines: None, tmp_path: Path
) -> None:
    with pytest.raises(cmokit.EngineNotFoundError) as caught:
        render(cmokit.examples.hand_hygiene(), tmp_path / "figure.svg")
    assert all(remedy in str(caught.value) for remedy in REMEDIES)
    assert not (tmp_path / "figure.svg").exists()


def test_dot_output_needs_no_engine(no_engines: None, tmp_path: Path) -> None:
    written = render(cmokit.examples.hand_hygiene(), tmp_path / "figure.dot")
    source = written.read_text(encoding="utf-8")
    assert source.startswith("digraph cmokit {") and "Peer feedback" in source


def test_jupyter_display_falls_back_without_an_engine(no_engines: None) -> None:
    assert cmokit.examples.hand_hygiene()._repr_mimebundle_() is None


@pytest.mark.exe
@needs_dot
def test_jupyter_display_is_svg() -> None:
    bundle = cmokit.examples.hand_hygiene()._repr_mimebundle_()
    assert bundle is not None
    assert "Peer feedback" in bundle["image/svg+xml"]


def test_unknown_engine_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine 'neato'"):
        find_engine("neato")


@pytest.mark.exe
@needs_dot
def test_dot_is_preferred_when_present() -> None:
    assert find_engine()[0] is Engine.DOT


def test_graphviz_pure_is_the_fallback(only_graphviz_pure: None) -> None:
    assert find_engine(format="png")[0] is Engine.GRAPHVIZ_PURE


def test_pdf_without_dot_says_pdf_needs_dot(only_graphviz_pure: None) -> None:
    with pytest.raises(cmokit.EngineNotFoundError, match="PDF needs the system Graphviz"):
        find_engine(format="pdf")
    with pytest.raises(cmokit.EngineNotFoundError, match="cannot write PDF"):
        find_engine("graphviz-pure", format="pdf")


def test_a_venv_scripts_folder_is_searched_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert engines._search_path() == str(Path(engines.sys.executable).parent)
    monkeypatch.setenv("PATH", "/somewhere")
    assert engines._search_path().split(os.pathsep)[0] == "/somewhere"


@pytest.mark.exe
@needs_dot
def test_an_engine_failure_is_a_cmokit_error() -> None:
    with pytest.raises(cmokit.CmokitError, match="dot failed to lay out the figure"):
        layout("digraph { a -> ", "svg", "dot")


@pytest.fixture
def crashing_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A search path whose 'dot' dies of a segmentation fault, as some Graphviz builds do."""
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\ncat >/dev/null\nkill -SEGV $$\n")
    fake.chmod(0o755)
    monkeypatch.setattr(engines, "_search_path", lambda: str(tmp_path))
    return tmp_path


def test_a_crashing_dot_is_reported_with_what_to_do(crashing_dot: Path) -> None:
    with pytest.raises(cmokit.CmokitError) as caught:
        layout("digraph { a -> b }", "svg")
    message = str(caught.value)
    assert "crashed (signal 11)" in message
    assert "--engine graphviz-pure" in message


def test_a_crashing_dot_falls_back_to_graphviz_pure_when_the_engine_was_not_chosen(
    crashing_dot: Path,
) -> None:
    program = shutil.which("graphviz-pure", path=str(Path(sys.executable).parent))
    if program is None:
        pytest.skip("graphviz-pure is not installed")
    (crashing_dot / "graphviz-pure").symlink_to(program)
    assert b"<svg" in layout("digraph { a -> b }", "svg")
    with pytest.raises(cmokit.CmokitError, match="crashed"):
        layout("digraph { a -> b }", "svg", "dot")


@pytest.mark.parametrize(
    ("path", "given", "expected"),
    [
        ("figure.svg", None, "svg"),
        ("figure.PNG", None, "png"),
        ("figure.pdf", None, "pdf"),
        ("figure.gv", None, "dot"),
        ("figure.out", "svg", "svg"),
        ("figure.svg", "dot", "dot"),
    ],
)
def test_format_comes_from_the_extension_unless_given(
    path: str, given: str | None, expected: str
) -> None:
    assert format_of(path, given) == expected


@pytest.mark.parametrize(("path", "given"), [("figure.txt", None), ("figure.svg", "jpeg")])
def test_unknown_formats_are_refused(path: str, given: str | None) -> None:
    with pytest.raises(ValueError, match="format"):
        format_of(path, given)


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize(
    ("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")]
)
def test_render_writes_each_format(tmp_path: Path, suffix: str, magic: bytes) -> None:
    written = render(cmokit.examples.mentorship(), tmp_path / f"figure{suffix}", figure="figure2")
    assert written.read_bytes().startswith(magic)


@pytest.mark.exe
@needs_graphviz_pure
@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG")])
def test_graphviz_pure_writes_svg_and_png(tmp_path: Path, suffix: str, magic: bytes) -> None:
    written = render(
        cmokit.examples.hand_hygiene(), tmp_path / f"f{suffix}", engine="graphviz-pure"
    )
    assert written.read_bytes().startswith(magic)


@pytest.mark.exe
@needs_dot
@needs_graphviz_pure
@pytest.mark.parametrize(
    ("example", "figure"),
    [("hand_hygiene", None), ("mentorship", "figure1"), ("mentorship", "figure2")],
)
def test_both_engines_draw_the_same_nodes_clusters_and_edges(
    example: str, figure: str | None
) -> None:
    theory = getattr(cmokit.examples, example)()
    by_dot = parse_svg(to_svg(theory, figure=figure, engine="dot"))
    by_pure = parse_svg(to_svg(theory, figure=figure, engine="graphviz-pure"))
    assert by_dot.nodes.keys() == by_pure.nodes.keys()
    assert list(by_dot.clusters) == list(by_pure.clusters)
    assert sorted(by_dot.edges) == sorted(by_pure.edges)
    assert by_dot.nodes == by_pure.nodes  # the same text in every node
    bands = [name for name in by_dot.clusters if name.count("_") == 2]
    assert [by_dot.cluster_left[b] for b in bands] == sorted(by_dot.cluster_left[b] for b in bands)
    assert [by_pure.cluster_left[b] for b in bands] == sorted(
        by_pure.cluster_left[b] for b in bands
    )
