"""Read the parts of a Graphviz SVG that tests check: nodes, clusters, edges and their text."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import attrs
import pytest

__all__ = ["Box", "Drawing", "needs_dot", "needs_graphviz_pure", "parse_svg", "squash"]

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
class Box:
    """An axis-aligned box in SVG coordinates (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )

    def holds(self, point: tuple[float, float]) -> bool:
        return self.left < point[0] < self.right and self.top < point[1] < self.bottom


def _points(group: ET.Element) -> list[tuple[float, float]]:
    """Every coordinate pair of the polygons, paths and ellipses drawn in a group."""
    found: list[tuple[float, float]] = []
    for shape in group:
        tag = shape.tag.removeprefix(_SVG)
        if tag == "ellipse":
            cx, cy = float(shape.get("cx", 0)), float(shape.get("cy", 0))
            rx, ry = float(shape.get("rx", 0)), float(shape.get("ry", 0))
            found += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
        elif tag in ("polygon", "polyline", "path"):
            text = shape.get("points") or shape.get("d") or ""
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]
            found += list(zip(numbers[::2], numbers[1::2], strict=False))
    return found


def _box(points: list[tuple[float, float]]) -> Box | None:
    if not points:
        return None
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


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
    node_boxes: dict[str, Box] = attrs.field(factory=dict)
    """Node name -> the bounding box of its outline."""
    cluster_boxes: dict[str, Box] = attrs.field(factory=dict)
    """Cluster name -> the bounding box of its outline."""
    edge_points: list[list[tuple[float, float]]] = attrs.field(factory=list)
    """Every point of each drawn edge's path and arrowhead, in the order of ``edges``."""

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
    node_boxes: dict[str, Box] = {}
    cluster_boxes: dict[str, Box] = {}
    edge_points: list[list[tuple[float, float]]] = []
    for group in root.iter(f"{_SVG}g"):
        kind = group.get("class")
        title_element = group.find(f"{_SVG}title")
        if title_element is None or kind not in ("node", "cluster", "edge"):
            continue
        title = title_element.text or ""
        box = _box(_points(group))
        if kind == "node":
            nodes[title] = _texts(group)
            if box is not None:
                node_boxes[title] = box
        elif kind == "cluster":
            if box is not None:
                cluster_boxes[title] = box
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
            edge_points.append(_points(group))
    return Drawing(nodes, clusters, left, edges, node_boxes, cluster_boxes, edge_points)
