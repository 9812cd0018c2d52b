"""Read the parts of a Graphviz SVG that tests check: nodes, clusters, edges and their text."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import attrs
import pytest

__all__ = ["Drawing", "needs_dot", "needs_graphviz_pure", "parse_svg", "squash"]

_SVG = "{http://www.w3.org/2000/svg}"

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed"
)
"""Skip a test that runs the system Graphviz ``dot`` when it is missing (mark it ``exe`` too)."""


def _graphviz_pure_installed() -> bool:
    from cmokit.rendering import engines

    return engines._which(engines.Engine.GRAPHVIZ_PURE) is not None


needs_graphviz_pure = pytest.mark.skipif(
    not _graphviz_pure_installed(), reason="graphviz-pure is not installed"
)
"""Skip a test that runs ``graphviz-pure`` when it is missing (``pip install cmokit[render]``)."""


def squash(text: str) -> str:
    """Text without any whitespace: wrapping may break lines anywhere there was a space."""
    return "".join(text.split())


@attrs.frozen
class Drawing:
    """What an SVG shows, keyed by the Graphviz names cmokit gave."""

    nodes: dict[str, str]
    """Node name -> all its text, lines joined by spaces."""
    clusters: dict[str, str]
    """Cluster name -> its label text, in drawing order."""
    cluster_left: dict[str, float]
    """Cluster name -> the x coordinate of its left edge."""
    edges: list[tuple[str, str]]
    """(tail, head) node names of every drawn edge."""

    def text(self) -> str:
        """Every text in the drawing, joined."""
        return " ".join([*self.nodes.values(), *self.clusters.values()])


def _texts(group: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in group.iter(f"{_SVG}text"))


def parse_svg(svg: str | bytes) -> Drawing:
    """Parse a Graphviz SVG into its nodes, clusters and edges."""
    root = ET.fromstring(svg)
    nodes: dict[str, str] = {}
    clusters: dict[str, str] = {}
    left: dict[str, float] = {}
    edges: list[tuple[str, str]] = []
    for group in root.iter(f"{_SVG}g"):
        kind = group.get("class")
        title_element = group.find(f"{_SVG}title")
        if title_element is None or kind not in ("node", "cluster", "edge"):
            continue
        title = title_element.text or ""
        if kind == "node":
            nodes[title] = _texts(group)
        elif kind == "cluster":
            clusters[title] = _texts(group)
            shape = group.find(f"{_SVG}path")
            if shape is None:
                shape = group.find(f"{_SVG}polygon")
            outline = "" if shape is None else (shape.get("d") or shape.get("points") or "")
            xs = re.findall(r"-?\d+(?:\.\d+)?", outline)[::2]
            left[title] = min(float(x) for x in xs) if xs else 0.0
        else:
            tail, _, head = title.partition("->")
            edges.append((tail, head))
    return Drawing(nodes, clusters, left, edges)
