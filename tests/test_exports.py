"""Tests for cmokit.exports: each format read back and compared with the theory."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings

import cmokit
from cmokit import Context, Link, Mechanism, Outcome, ProgrammeTheory, Stage
from cmokit.examples import hand_hygiene, mentorship
from cmokit.exports import (
    EXPORT_FORMATS,
    export,
    export_to,
    format_for_path,
    to_dagitty,
    to_graphml,
    to_kumu,
    to_mermaid,
    to_node_link_json,
)
from cmokit.exports.dagitty import dagitty_names
from cmokit.exports.graphml import xml_safe
from cmokit.exports.mermaid import escape_label
from strategies import theories

EXAMPLES = [hand_hygiene, mentorship]
EXAMPLE_IDS = ["hand_hygiene", "mentorship"]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _edges(theory: ProgrammeTheory) -> set[tuple[str, str]]:
    return set(theory.graph_view.edges)


def _awkward() -> ProgrammeTheory:
    """Labels and ids that need escaping in every format."""
    return ProgrammeTheory(
        'Quotes "and" <markup> & more',
        items=[
            Stage("s 1", 'Stage "one" # <b>'),
            Stage("graph", "end"),
            Context("end", 'He said "no" & left <now> #1 `code`', stage="s 1"),
            Mechanism("peer feedback", "Line\nbreak | pipe ; semicolon", stage="graph"),
            Mechanism("back\\slash", "Back\\slash"),
            Outcome('say "yes"', "Ünïcødé 🙂 עברית"),
            cmokit.Configuration(
                "K1",
                contexts=["end"],
                mechanisms=["peer feedback", "back\\slash"],
                outcomes=['say "yes"'],
            ),
            Link("end", 'say "yes"', "because <reasons>"),
        ],
    )


# ------------------------------------------------------------------------- GraphML


def _read_graphml(text: str) -> nx.DiGraph:
    return nx.parse_graphml(text)


@pytest.mark.parametrize("load", [*EXAMPLES, _awkward], ids=[*EXAMPLE_IDS, "awkward"])
def test_graphml_reads_back_with_networkx(load: Any) -> None:
    theory = load()
    graph = _read_graphml(to_graphml(theory))
    assert set(graph.nodes) == {e.id for e in theory.elements}
    assert set(graph.edges) == _edges(theory)
    for element in theory.elements:
        data = graph.nodes[element.id]
        assert data["kind"] == element.element_kind.value
        assert data["label"] == element.label
        assert data.get("stage") == element.stage
        configurations = [c.id for c in theory.configurations_with(element.id)]
        assert data.get("configurations", "") == ";".join(configurations)
    for source, target, data in theory.graph_view.edges(data=True):
        exported = graph.edges[source, target]
        assert exported.get("configurations", "") == ";".join(data["configurations"])
        assert exported["kind"] in ("configuration", "link", "configuration+link")


def test_graphml_themes_are_joined_with_semicolons() -> None:
    graph = _read_graphml(to_graphml(mentorship()))
    assert graph.nodes["mentorship_enacted"]["themes"].split(";") == [
        "specialist_support",
        "relationships",
        "wellbeing",
        "communities",
    ]


@PROPERTY
@given(theories())
def test_graphml_of_generated_theories(theory: ProgrammeTheory) -> None:
    ids = [e.id for e in theory.elements]
    assume(len({xml_safe(i) for i in ids}) == len(ids))
    graph = _read_graphml(to_graphml(theory))
    assert set(graph.nodes) == {xml_safe(i) for i in ids}
    assert set(graph.edges) == {(xml_safe(s), xml_safe(t)) for s, t in _edges(theory)}
    for element in theory.elements:
        assert graph.nodes[xml_safe(element.id)]["kind"] == element.element_kind.value


# ---------------------------------------------------------------- node-link JSON


@pytest.mark.parametrize("load", [*EXAMPLES, _awkward], ids=[*EXAMPLE_IDS, "awkward"])
def test_node_link_json_reads_back_with_networkx(load: Any) -> None:
    theory = load()
    graph = nx.node_link_graph(json.loads(to_node_link_json(theory)))
    assert graph.is_directed()
    assert set(graph.nodes) == {e.id for e in theory.elements}
    assert set(graph.edges) == _edges(theory)
    for element in theory.elements:
        data = graph.nodes[element.id]
        assert (data["kind"], data["stage"], data["label"]) == (
            element.element_kind.value,
            element.stage,
            element.label,
        )
        configurations = theory.configurations_with(element.id)
        assert data["configurations"] == [c.id for c in configurations]
        assert set(data["themes"]) == {c.theme for c in configurations if c.theme}
    for source, target, data in theory.graph_view.edges(data=True):
        assert graph.edges[source, target]["configurations"] == data["configurations"]
        assert graph.edges[source, target]["links"] == data["links"]


@PROPERTY
@given(theories())
def test_node_link_json_of_generated_theories(theory: ProgrammeTheory) -> None:
    graph = nx.node_link_graph(json.loads(to_node_link_json(theory)))
    assert set(graph.nodes) == {e.id for e in theory.elements}
    assert set(graph.edges) == _edges(theory)


# ------------------------------------------------------------------------- Mermaid

_NODE = re.compile(r'^(\w+)(\["|\(\["|\(")(.*)("\]|"\]\)|"\)):::(\w+)$')
_EDGE = re.compile(r'^(\w+) (-->|-\.->)(?:\|"(.*)"\|)? (\w+)$')
_SUBGRAPH = re.compile(r'^subgraph (\w+)\["(.*)"\]$')
_SHAPE_KIND = {'["': "context", '(["': "mechanism", '("': "outcome"}


def _unescape(text: str) -> str:
    codes = {"quot": '"', "lt": "<", "gt": ">", "amp": "&", "35": "#", "96": "`"}
    return re.sub(r"#(quot|lt|gt|amp|35|96);", lambda m: codes[m.group(1)], text)


def _parse_mermaid(text: str) -> dict[str, Any]:
    """Read a flowchart back: subgraphs with their nodes, nodes in order, edges."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert re.fullmatch(r"flowchart (LR|TB|RL|BT)", lines[0])
    subgraphs: list[dict[str, Any]] = []
    nodes: list[tuple[str, str, str, str | None]] = []  # name, label, kind, subgraph
    edges: list[tuple[str, str, str, str | None]] = []
    current: dict[str, Any] | None = None
    for line in lines[1:]:
        if match := _SUBGRAPH.match(line):
            assert current is None, "subgraphs are not nested"
            current = {"name": match[1], "label": _unescape(match[2]), "nodes": []}
            subgraphs.append(current)
        elif line == "end":
            assert current is not None
            current = None
        elif match := _NODE.match(line):
            assert _SHAPE_KIND[match[2]] == match[5]
            assert '"' not in match[3]
            name = match[1]
            nodes.append((name, _unescape(match[3]), match[5], current and current["name"]))
            if current is not None:
                current["nodes"].append(name)
        elif match := _EDGE.match(line):
            edges.append((match[1], match[4], match[2], match[3]))
        else:
            assert line.startswith("classDef "), line
    assert current is None, "every subgraph is closed"
    return {"subgraphs": subgraphs, "nodes": nodes, "edges": edges}


def _check_mermaid(theory: ProgrammeTheory) -> None:
    parsed = _parse_mermaid(to_mermaid(theory))
    assert [s["label"] for s in parsed["subgraphs"]] == [
        " ".join(s.label.split()) for s in theory.stages
    ]
    # Nodes come stage by stage, then the elements without a stage.
    expected = [e for s in theory.stages for e in theory.elements if e.stage == s.id]
    expected += [e for e in theory.elements if e.stage is None]
    assert len(parsed["nodes"]) == len(expected)
    names: dict[str, str] = {}
    stage_of_subgraph = {
        sub["name"]: stage.id for sub, stage in zip(parsed["subgraphs"], theory.stages, strict=True)
    }
    for (name, label, kind, subgraph), element in zip(parsed["nodes"], expected, strict=True):
        assert label == " ".join(element.label.split())
        assert kind == element.element_kind.value
        assert (stage_of_subgraph[subgraph] if subgraph else None) == element.stage
        names[name] = element.id
    assert len(names) == len(expected), "node names are unique"
    edges = {(names[s], names[t]) for s, t, _, _ in parsed["edges"]}
    assert edges == _edges(theory)
    assert len(parsed["edges"]) == len(edges)


@pytest.mark.parametrize("load", [*EXAMPLES, _awkward], ids=[*EXAMPLE_IDS, "awkward"])
def test_mermaid_has_one_subgraph_per_stage(load: Any) -> None:
    _check_mermaid(load())


@PROPERTY
@given(theories())
def test_mermaid_of_generated_theories(theory: ProgrammeTheory) -> None:
    _check_mermaid(theory)


def test_mermaid_styles_link_edges_and_keywords() -> None:
    text = to_mermaid(_awkward())
    parsed = _parse_mermaid(text)
    kinds = {(s, t): (arrow, label) for s, t, arrow, label in parsed["edges"]}
    # "end" is a Mermaid keyword: it gets a stand-in name.
    assert all(name != "end" for name, *_ in parsed["nodes"])
    dotted = [label for arrow, label in kinds.values() if arrow == "-.->"]
    assert dotted == ["because #lt;reasons#gt;"]
    assert "classDef context" in text


def test_escape_label_and_direction() -> None:
    assert escape_label('a "b" #c <d> &e `f`') == "a #quot;b#quot; #35;c #lt;d#gt; #amp;e #96;f#96;"
    assert to_mermaid(hand_hygiene(), direction="TB").startswith("flowchart TB")
    with pytest.raises(ValueError, match="direction must be"):
        to_mermaid(hand_hygiene(), direction="UP")


# ---------------------------------------------------------------------------- Kumu


def _check_kumu(theory: ProgrammeTheory) -> None:
    blueprint = json.loads(to_kumu(theory))
    elements = blueprint["elements"]
    assert [e["id"] for e in elements] == [e.id for e in theory.elements]
    for exported, element in zip(elements, theory.elements, strict=True):
        assert exported["label"] == element.label
        assert exported["type"] == element.element_kind.value.capitalize()
        assert exported["tags"] == list(element.tags)
        assert exported.get("stage") == element.stage
    connections = blueprint["connections"]
    assert {(c["from"], c["to"]) for c in connections} == _edges(theory)
    assert len(connections) == len(_edges(theory))
    every_id = [e["id"] for e in elements] + [c["id"] for c in connections]
    assert len(every_id) == len(set(every_id))
    assert all(c["direction"] == "directed" for c in connections)


@pytest.mark.parametrize("load", [*EXAMPLES, _awkward], ids=[*EXAMPLE_IDS, "awkward"])
def test_kumu_carries_every_element(load: Any) -> None:
    _check_kumu(load())


@PROPERTY
@given(theories())
def test_kumu_of_generated_theories(theory: ProgrammeTheory) -> None:
    _check_kumu(theory)


def test_kumu_connection_types() -> None:
    blueprint = json.loads(to_kumu(hand_hygiene()))
    types = {(c["from"], c["to"]): c["type"] for c in blueprint["connections"]}
    assert types["peer_feedback", "habit"] == "link"
    assert types["audit_data", "peer_feedback"] == "configuration"
    unintended = [e for e in blueprint["elements"] if e.get("outcome kind") == "unintended"]
    assert [e["id"] for e in unintended] == ["blame"]


# ------------------------------------------------------------------------- DAGitty

_TOKEN = re.compile(
    r'(?P<space>[\s;]+)|(?P<string>"(?:[^"\\\x00-\x1f\x7f]|\\"|\\[\r\n]+|\\)*")'
    r"|(?P<edge>->)|(?P<bare>-?[0-9A-Za-z_.]+)|(?P<punct>[{}\[\]=,])"
)


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r'\\"|\\[\r\n]+', lambda m: '"' if m.group(0) == '\\"' else "", body)


def _parse_dagitty(text: str) -> tuple[list[str], list[tuple[str, str]], dict[str, list[str]]]:
    """Read DAGitty model code back, following the dagitty grammar (GraphDotParser)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None, f"cannot read {text[position : position + 20]!r}"
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "space":
            continue
        value = _unquote(match.group()) if kind == "string" else match.group()
        tokens.append(("id" if kind in ("string", "bare") else match.group(), value))
    assert tokens[0] == ("id", "dag") and tokens[1][0] == "{" and tokens[-1][0] == "}"
    nodes: list[str] = []
    edges: list[tuple[str, str]] = []
    attributes: dict[str, list[str]] = {}
    body = tokens[2:-1]
    index = 0
    while index < len(body):
        kind, value = body[index]
        assert kind == "id"
        if index + 1 < len(body) and body[index + 1][0] == "->":
            edges.append((value, body[index + 2][1]))
            index += 3
            continue
        nodes.append(value)
        index += 1
        if index < len(body) and body[index][0] == "[":
            close = next(i for i in range(index, len(body)) if body[i][0] == "]")
            attributes[value] = [v for k, v in body[index + 1 : close] if k == "id"]
            index = close + 1
    return nodes, edges, attributes


@pytest.mark.parametrize("load", [*EXAMPLES, _awkward], ids=[*EXAMPLE_IDS, "awkward"])
def test_dagitty_carries_every_element_and_edge(load: Any) -> None:
    theory = load()
    nodes, edges, _ = _parse_dagitty(to_dagitty(theory))
    assert nodes == [e.id for e in theory.elements]
    assert set(edges) == _edges(theory)


@PROPERTY
@given(theories())
def test_dagitty_of_generated_theories(theory: ProgrammeTheory) -> None:
    nodes, edges, _ = _parse_dagitty(to_dagitty(theory))
    ids = [e.id for e in theory.elements]
    assert len(nodes) == len(set(nodes)) == len(ids)
    readable = {
        i: name
        for i, name in zip(ids, nodes, strict=True)
        if not re.search(r"[\x00-\x1f\x7f]|\\$", i)
    }
    assert all(name == i for i, name in readable.items())
    by_id = dict(zip(ids, nodes, strict=True))
    assert {(by_id[s], by_id[t]) for s, t in _edges(theory)} == set(edges)


def test_dagitty_marks_and_name_clashes() -> None:
    text = to_dagitty(hand_hygiene(), exposures=["audit_data"], outcomes=["compliance"])
    _, _, attributes = _parse_dagitty(text)
    assert attributes == {"audit_data": ["exposure"], "compliance": ["outcome"]}
    names = dagitty_names(["a\tb", "a b", "x\\"])
    assert names == {"a\tb": '"a b"', "a b": '"a b\'"', "x\\": '"x\u2216"'}
    with pytest.raises(cmokit.UnknownReferenceError, match="did you mean 'compliance'"):
        to_dagitty(hand_hygiene(), latent=["complaince"])
    with pytest.raises(cmokit.UnknownReferenceError):
        to_dagitty(hand_hygiene(), exposures=["CMOC1"])  # a configuration, not an element


# ---------------------------------------------------------------- export, export_to


@pytest.mark.parametrize("format", EXPORT_FORMATS)
def test_export_dispatches(format: str) -> None:
    writers = {
        "graphml": to_graphml,
        "json": to_node_link_json,
        "mermaid": to_mermaid,
        "kumu": to_kumu,
        "dagitty": to_dagitty,
    }
    theory = hand_hygiene()
    assert export(theory, format) == writers[format](theory)
    assert cmokit.export(theory, format) == writers[format](theory)


def test_export_unknown_format() -> None:
    with pytest.raises(ValueError, match="format must be one of graphml, json"):
        export(hand_hygiene(), "gexf")


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("map.graphml", "graphml"),
        ("MAP.GRAPHML", "graphml"),
        ("graph.json", "json"),
        ("map.kumu.json", "kumu"),
        ("flow.mmd", "mermaid"),
        ("flow.mermaid", "mermaid"),
        ("model.dagitty", "dagitty"),
        ("model.dag", "dagitty"),
        ("notes.txt", None),
        ("graphml", None),
    ],
)
def test_format_for_path(name: str, format: str | None) -> None:
    assert format_for_path(name) == format


def test_export_to_writes_by_suffix_or_format(tmp_path: Path) -> None:
    theory = hand_hygiene()
    export_to(theory, tmp_path / "map.kumu.json")
    assert (tmp_path / "map.kumu.json").read_text(encoding="utf-8") == to_kumu(theory)
    export_to(theory, tmp_path / "model.txt", "dagitty")
    assert (tmp_path / "model.txt").read_text(encoding="utf-8") == to_dagitty(theory)
    with pytest.raises(ValueError, match="cannot tell the export format"):
        export_to(theory, tmp_path / "model.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.kumu.json", "model.txt"]


def test_export_to_keeps_an_existing_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "model.dagitty"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    export_to(hand_hygiene(), target)
    assert target.read_text(encoding="utf-8") == to_dagitty(hand_hygiene())
    assert target.stat().st_mode & 0o777 == 0o600


def test_export_to_a_folder_raises_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "map.mmd").mkdir()
    with pytest.raises(IsADirectoryError):
        export_to(hand_hygiene(), tmp_path / "map.mmd")
    assert [p.name for p in tmp_path.rglob("*")] == ["map.mmd"]
