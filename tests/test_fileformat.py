"""Tests for cmokit.fileformat: model files, format version 1, in YAML and JSON."""

from __future__ import annotations

import collections
import json
import os
import textwrap
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cmokit
import cmokit.examples
from cmokit import (
    Configuration,
    Context,
    Evidence,
    Figure,
    FormatVersionError,
    Link,
    LoadError,
    Mechanism,
    Outcome,
    OutcomeKind,
    ProgrammeTheory,
    Source,
    Stage,
    Stance,
    Theme,
    fileformat,
    model,
)
from strategies import theories

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(p.name for p in DATA.iterdir() if p.suffix in {".yaml", ".json"})


def problems_of(text: str, *, format: str = "yaml", path: str = "m.yaml") -> list[str]:
    """Load text that must fail and return its problems as printed."""
    with pytest.raises(LoadError) as caught:
        cmokit.loads(textwrap.dedent(text), format=format, path=path)
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first line holding ``marker``."""
    for number, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in the text")


# ------------------------------------------------------------------- the issue's example


def test_the_issue_example_loads_as_written() -> None:
    theory = cmokit.load(DATA / "issue_example.yaml")
    assert theory.title == "Peer feedback and hand hygiene (illustrative)"
    assert [s.id for s in theory.stages] == ["uptake", "practice"]
    assert [c.id for c in theory.contexts] == ["audit_data", "hierarchy"]
    assert theory["hierarchy"].tags == ("barrier",)
    peer_feedback = theory["peer_feedback"]
    assert isinstance(peer_feedback, Mechanism)
    assert peer_feedback.resource == "Monthly peer feedback sessions"
    assert peer_feedback.reasoning == "Staff see their own results and feel accountable"
    assert theory["blame"].kind is OutcomeKind.UNINTENDED  # type: ignore[union-attr]
    assert theory["compliance"].kind is OutcomeKind.INTENDED  # type: ignore[union-attr]
    assert theory["CMOC2"].theme == "safety"  # type: ignore[union-attr]
    assert theory.links == (Link("peer_feedback", "habit", "reinforces"),)
    e2 = theory["E2"]
    assert isinstance(e2, Evidence)
    assert (e2.source, e2.participant, e2.case, e2.stance, e2.about) == (
        "interview",
        "D1",
        "Ward B",
        Stance.SUPPORTS,
        ("CMOC3",),
    )


def test_the_bundled_example_is_the_issue_example_plus_a_description() -> None:
    issue = cmokit.to_dict(cmokit.load(DATA / "issue_example.yaml"))
    bundled = cmokit.to_dict(cmokit.examples.hand_hygiene())
    assert bundled.pop("description")
    assert bundled == issue


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("format", ["yaml", "json"])
def test_every_fixture_survives_a_round_trip(name: str, format: str) -> None:
    theory = cmokit.load(DATA / name)
    assert cmokit.loads(cmokit.dumps(theory, format=format), format=format) == theory


# ------------------------------------------------------------------------- round trips


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theories())
def test_load_dump_load_is_lossless_in_yaml_and_json(theory: ProgrammeTheory) -> None:
    for format in ("yaml", "json"):
        text = cmokit.dumps(theory, format=format)
        again = cmokit.loads(text, format=format)
        assert again == theory
        assert cmokit.dumps(again, format=format) == text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theories(max_items=2))
def test_from_dict_inverts_to_dict(theory: ProgrammeTheory) -> None:
    assert cmokit.from_dict(cmokit.to_dict(theory)) == theory


META = {"page": 4, "nested": {"list": [1, "two", None, True, 2.5]}, "ünï": "🙂"}


@pytest.mark.parametrize(
    "items",
    [
        [Stage("s", meta=META)],
        [Theme("t", meta=META)],
        [Context("c", meta=META)],
        [Mechanism("m", meta=META)],
        [Outcome("o", meta=META)],
        [Configuration("K", meta=META)],
        [Context("c"), Link("c", "c", meta=META)],
        [Evidence("E", meta=META)],
        [Figure("f", meta=META)],
    ],
    ids=[
        "stage",
        "theme",
        "context",
        "mechanism",
        "outcome",
        "configuration",
        "link",
        "evidence",
        "figure",
    ],
)
@pytest.mark.parametrize("format", ["yaml", "json"])
def test_meta_survives_the_round_trip_on_every_item_kind(
    items: list[Any], format: str, tmp_path: Path
) -> None:
    theory = ProgrammeTheory("M", meta=META, items=items)
    path = tmp_path / f"model.{format}"
    cmokit.dump(theory, path)
    again = cmokit.load(path)
    assert again == theory
    kept = [
        *again.stages,
        *again.themes,
        *again.elements,
        *again.configurations,
        *again.links,
        *again.evidence,
        *again.figures,
    ]
    assert [item.meta for item in kept if item.meta] == [META]
    assert again.meta == META


def test_to_dict_leaves_out_unset_fields_and_defaults() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c"),
            Outcome("o"),
            Outcome("u", kind="unintended"),
            Evidence("E", about=["c"]),
            Evidence("F", stance="contradicts"),
            Figure("f", legend=False, steps=0),
        ]
    )
    data = cmokit.to_dict(theory)
    assert data == {
        "cmokit": 1,
        "contexts": [{"id": "c", "label": "c"}],
        "outcomes": [{"id": "o", "label": "o"}, {"id": "u", "label": "u", "kind": "unintended"}],
        "evidence": [
            {"id": "E", "text": "", "about": ["c"]},
            {"id": "F", "text": "", "stance": "contradicts"},
        ],
        "figures": {"f": {"steps": 0, "legend": False}},
    }


def test_to_dict_writes_the_theory_fields() -> None:
    theory = ProgrammeTheory(
        "T", description="D", source=Source(citation="C", doi="10.1/x"), meta={"k": [1]}
    )
    assert cmokit.to_dict(theory) == {
        "cmokit": 1,
        "title": "T",
        "description": "D",
        "source": {"citation": "C", "doi": "10.1/x"},
        "meta": {"k": [1]},
    }


def test_yaml_output_repeats_shared_values_instead_of_anchoring_them() -> None:
    shared = {"note": ["same", "list"]}
    theory = ProgrammeTheory(items=[Context("a", meta=shared), Context("b", meta=shared)])
    text = cmokit.dumps(theory)
    assert "&" not in text and "*" not in text
    assert cmokit.loads(text) == theory


def test_json_output_keeps_unicode_readable() -> None:
    text = cmokit.dumps(ProgrammeTheory("Ünïcödé 🙂 עברית"), format="json")
    assert "Ünïcödé 🙂 עברית" in text
    assert json.loads(text)["title"] == "Ünïcödé 🙂 עברית"


@pytest.mark.parametrize("format", ["toml", "YAML", ""])
def test_an_unknown_text_format_is_refused(format: str) -> None:
    with pytest.raises(ValueError, match="format must be 'yaml' or 'json'"):
        cmokit.loads("cmokit: 1", format=format)
    with pytest.raises(ValueError, match="format must be 'yaml' or 'json'"):
        cmokit.dumps(ProgrammeTheory(), format=format)


# --------------------------------------------------------------------------- file forms


def test_the_loader_accepts_empty_configuration_parts() -> None:
    theory = cmokit.loads(
        """\
cmokit: 1
contexts: [{id: c}]
outcomes: [{id: o}]
configurations:
  - {id: K1, contexts: [c], mechanisms: [], outcomes: [o]}
  - {id: K2, contexts: [], mechanisms: [], outcomes: []}
  - {id: K3}
"""
    )
    assert theory["K1"].mechanisms == ()  # type: ignore[union-attr]
    assert theory["K2"].elements == ()  # type: ignore[union-attr]
    assert theory["K3"].contexts == ()  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["cmokit: 1", "cmokit: 1\ntitle:\nstages:\nmeta:\n"])
def test_a_file_with_only_the_version_is_an_empty_theory(text: str) -> None:
    theory = cmokit.loads(text)
    assert theory == ProgrammeTheory()
    assert theory.title == ""


def test_json_and_yaml_describe_the_same_theory() -> None:
    yaml_theory = cmokit.load(DATA / "issue_example.yaml")
    data = yaml.safe_load((DATA / "issue_example.yaml").read_text(encoding="utf-8"))
    assert cmokit.loads(json.dumps(data), format="json") == yaml_theory


@pytest.mark.parametrize(
    ("suffix", "first"),
    [(".json", "{"), (".yaml", "cmokit: 1"), (".yml", "cmokit: 1"), (".txt", "cmokit: 1")],
)
def test_dump_picks_the_format_from_the_extension(suffix: str, first: str, tmp_path: Path) -> None:
    path = tmp_path / f"model{suffix}"
    theory = cmokit.examples.hand_hygiene()
    cmokit.dump(theory, path)
    assert path.read_text(encoding="utf-8").startswith(first)
    assert cmokit.load(path) == theory


def test_json_file_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "MODEL.JSON"
    cmokit.dump(ProgrammeTheory("T"), path)
    assert json.loads(path.read_text(encoding="utf-8"))["title"] == "T"
    assert cmokit.load(path).title == "T"


def test_load_accepts_str_paths() -> None:
    assert cmokit.load(str(DATA / "issue_example.yaml")).title.startswith("Peer feedback")


# ------------------------------------------------------------------------- atomic saves


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "model.yaml")


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.yaml"
    cmokit.dump(ProgrammeTheory("Old"), path)
    before = path.read_bytes()

    def fail(source: Any, target: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        cmokit.dump(ProgrammeTheory("New"), path)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_an_unwritable_meta_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    cmokit.dump(ProgrammeTheory("Old"), path)
    before = path.read_bytes()
    with pytest.raises(yaml.YAMLError):
        cmokit.dump(ProgrammeTheory("New", meta={"thing": object()}), path)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_failed_write_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.yaml"
    cmokit.dump(ProgrammeTheory("Old"), path)

    def fail(descriptor: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="I/O error"):
        cmokit.dump(ProgrammeTheory("New"), path)
    assert cmokit.load(path).title == "Old"
    assert leftovers(tmp_path) == []


def test_a_successful_save_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    cmokit.dump(ProgrammeTheory("Old"), path)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    cmokit.dump(ProgrammeTheory("New"), path)
    assert cmokit.load(path).title == "New"
    assert path.stat().st_mode & 0o777 == 0o600
    assert leftovers(tmp_path) == []


def test_dump_into_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cmokit.dump(ProgrammeTheory("Here"), "model.yaml")
    assert cmokit.load(tmp_path / "model.yaml").title == "Here"


# ------------------------------------------------------------------------ format version


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: x\n", 1, "missing the format version: add 'cmokit: 1'"),
        ("", 1, "missing the format version"),
        ("# a comment only\n", 1, "missing the format version"),
        ("title: x\ncmokit: 2\n", 2, "format version 2 is newer than this release of cmokit"),
        ("cmokit: '1'\n", 1, "unknown format version '1'; this release reads 'cmokit: 1'"),
        ("cmokit: true\n", 1, "unknown format version True"),
        ("cmokit: 0\n", 1, "unknown format version 0"),
    ],
)
def test_an_unknown_format_version_is_refused_with_a_reason(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(FormatVersionError) as caught:
        cmokit.loads(text, path="m.yaml")
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"m.yaml:{line}: {message}")
    assert problem.field == "cmokit"
    assert isinstance(caught.value, LoadError)


def test_a_newer_format_version_is_refused_in_json_and_from_dict() -> None:
    with pytest.raises(FormatVersionError, match="newer"):
        cmokit.loads('{"cmokit": 3}', format="json")
    with pytest.raises(FormatVersionError, match="newer"):
        cmokit.from_dict({"cmokit": 3})


# ------------------------------------------------------------------------- broken files


BROKEN = {
    "unknown key": (
        """\
        cmokit: 1
        contexts:
          - id: c1
            lable: Typo  # here
        """,
        "c1: contexts item has unknown key 'lable'; did you mean 'label'?",
    ),
    "unknown key without a near miss": (
        """\
        cmokit: 1
        contexts:
          - {id: c1, colour: red}  # here
        """,
        "c1: contexts item has unknown key 'colour'; allowed keys: id, label,",
    ),
    "unknown top-level key": (
        """\
        cmokit: 1
        configuration: []  # here
        """,
        "the model has unknown key 'configuration'; did you mean 'configurations'?",
    ),
    "typo'd reference": (
        """\
        cmokit: 1
        contexts: [{id: audit_data}]
        mechanisms: [{id: habit}]
        outcomes: [{id: compliance}]
        configurations:
          - id: CMOC2
            contexts: [audit_data]
            mechanisms:
              - habbit  # here
            outcomes: [compliance]
        """,
        "CMOC2: mechanisms refers to unknown element 'habbit'; did you mean 'habit'?",
    ),
    "reference without a near miss": (
        """\
        cmokit: 1
        contexts: [{id: c1}]
        evidence:
          - {id: E1, about: [zebra]}  # here
        """,
        "E1: about refers to unknown element or configuration 'zebra'; add an element or"
        " configuration with id 'zebra'",
    ),
    "reference to the wrong kind": (
        """\
        cmokit: 1
        contexts: [{id: c1}]
        configurations:
          - id: K1
            outcomes: [c1]  # here
        """,
        "K1: outcomes refers to 'c1', which is a context, not an outcome",
    ),
    "unknown stage": (
        """\
        cmokit: 1
        stages: [{id: uptake}]
        outcomes:
          - id: o1
            stage: uptak  # here
        """,
        "o1: stage refers to unknown stage 'uptak'; did you mean 'uptake'?",
    ),
    "unknown theme": (
        """\
        cmokit: 1
        themes: [{id: safety}]
        configurations:
          - {id: K1, theme: saftey}  # here
        """,
        "K1: theme refers to unknown theme 'saftey'; did you mean 'safety'?",
    ),
    "link to an unknown element": (
        """\
        cmokit: 1
        mechanisms: [{id: m1}]
        links:
          - {source: m1, target: m2}  # here
        """,
        "link m1->m2: target refers to unknown element 'm2'; did you mean 'm1'?",
    ),
    "link without a source": (
        """\
        cmokit: 1
        mechanisms: [{id: m1}]
        links:
          - {target: m1}  # here
        """,
        "link None->m1: this link has no 'source'; add the id of an element",
    ),
    "duplicate id across kinds": (
        """\
        cmokit: 1
        contexts: [{id: engaged}]
        outcomes:
          - {id: engaged}  # here
        """,
        "engaged: duplicate id 'engaged': already used by a context; ids must be unique",
    ),
    "duplicate id in one section": (
        """\
        cmokit: 1
        outcomes:
          - {id: o1}
          - {id: o1}  # here
        """,
        "o1: duplicate id 'o1': already used by an outcome",
    ),
    "wrong type of label": (
        """\
        cmokit: 1
        contexts:
          - id: c1
            label: 12  # here
        """,
        "c1: label must be text, not int 12",
    ),
    "bare string for a list": (
        """\
        cmokit: 1
        contexts:
          - id: c1
            tags: barrier  # here
        """,
        "c1: tags must be a list of strings, not str",
    ),
    "number for an id": (
        """\
        cmokit: 1
        contexts:
          - id: 7  # here
        """,
        "id must be text, not int 7; quote it: id: '7'",
    ),
    "list for an id": (
        """\
        cmokit: 1
        contexts:
          - id: [a, b]  # here
        """,
        "id must be text, not list ['a', 'b']",
    ),
    "missing id": (
        """\
        cmokit: 1
        themes:
          - label: No id  # here
        """,
        "this theme has no id; give it a unique 'id'",
    ),
    "bad outcome kind": (
        """\
        cmokit: 1
        outcomes:
          - {id: o1, kind: side-effect}  # here
        """,
        "o1: kind must be one of 'intended', 'unintended', not 'side-effect'",
    ),
    "bad evidence stance": (
        """\
        cmokit: 1
        evidence:
          - {id: E1, stance: refutes}  # here
        """,
        "E1: stance must be one of 'supports', 'contradicts', not 'refutes'",
    ),
    "section that is not a list": (
        """\
        cmokit: 1
        contexts:  # here
          c1: A context
        """,
        "contexts must be a list of items, not dict",
    ),
    "entry that is not a mapping": (
        """\
        cmokit: 1
        contexts:
          - c1  # here
        """,
        "each of contexts must be a mapping, not str",
    ),
    "meta that is not a mapping": (
        """\
        cmokit: 1
        contexts:
          - id: c1
            meta: [1, 2]  # here
        """,
        "c1: meta must be a mapping, not list",
    ),
    "theory meta that is not a mapping": (
        """\
        cmokit: 1
        meta: [1, 2]  # here
        """,
        "meta must be a mapping",
    ),
    "title that is not text": (
        """\
        cmokit: 1
        title: [a, b]  # here
        """,
        "title must be text, not list",
    ),
    "description that is not text": (
        """\
        cmokit: 1
        description: {a: b}  # here
        """,
        "description must be text",
    ),
    "source that is not a mapping": (
        """\
        cmokit: 1
        source: Smith 2020  # here
        """,
        "source must be a mapping with citation, doi and url",
    ),
    "unknown source key": (
        """\
        cmokit: 1
        source:
          citation: Smith 2020
          dio: 10.1/x  # here
        """,
        "source has unknown key 'dio'; did you mean 'doi'?",
    ),
    "source field that is not text": (
        """\
        cmokit: 1
        source:
          doi: 10.1  # here
        """,
        "source doi must be text",
    ),
    "figures that are not a mapping": (
        """\
        cmokit: 1
        figures:  # here
          - figure1
        """,
        "figures must be a mapping of figure names to settings",
    ),
    "figure that is not a mapping": (
        """\
        cmokit: 1
        figures:
          figure1: big  # here
        """,
        "each figure must be a name followed by a mapping of settings",
    ),
    "unknown figure key": (
        """\
        cmokit: 1
        figures:
          figure1:
            titel: Overview  # here
        """,
        "figure1: figure has unknown key 'titel'; did you mean 'title'?",
    ),
    "bad figure direction": (
        """\
        cmokit: 1
        figures:
          figure1:
            direction: sideways  # here
        """,
        "figure1: direction must be one of 'LR', 'TB', 'RL', 'BT', not 'sideways'",
    ),
    "figure around an unknown element": (
        """\
        cmokit: 1
        contexts: [{id: c1}]
        figures:
          figure1:
            around: c2  # here
        """,
        "figure1: around refers to unknown element 'c2'; did you mean 'c1'?",
    ),
    "bad YAML": (
        """\
        cmokit: 1
        contexts:
          - {id: c1, label: "unclosed}  # here
        mechanisms: []
        """,
        "not valid YAML: found unexpected end of stream while scanning a quoted scalar that"
        " starts on line 3",
    ),
    "bad indentation": (
        """\
        cmokit: 1
        title: x
          oops: indented  # here
        """,
        "not valid YAML: mapping values are not allowed",
    ),
    "top level that is a list": (
        """\
        - cmokit: 1  # here
        """,
        "a model file must be a mapping of keys, not list",
    ),
    "top level that is text": (
        """\
        just some words  # here
        """,
        "a model file must be a mapping of keys, not str",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_broken_file_names_file_line_and_item(case: str) -> None:
    text, expected = BROKEN[case]
    (problem,) = problems_of(text)
    line = line_of(text, "# here")
    assert problem.startswith(f"m.yaml:{line}: "), problem
    assert expected in problem


def test_a_file_with_many_problems_reports_every_one_in_file_order() -> None:
    text = """\
    cmokit: 1
    title: Many problems
    stages:
      - {id: uptake}
    contexts:
      - id: c1
        lable: Typo  # A
      - id: c2
        stage: uptak  # B
      - id: c3
        label: 5  # C
        tags: 7  # D
    mechanisms:
      - {id: c2}  # E
    outcomes:
      - {id: o1, kind: maybe}  # F
    configurations:
      - id: K1
        contexts:
          - c1
          - c4  # G
        mechanisms: [m1]  # H
        outcomes: [o1]
    evidence:
      - {id: E1, about: [K2]}  # I
    """
    found = problems_of(text)
    lines = [line_of(text, f"# {mark}") for mark in "ABCDEFGHI"]
    assert [int(p.split(":")[1]) for p in found] == lines
    assert [p.split(": ", 2)[1] for p in found] == [
        "c1",
        "c2",
        "c3",
        "c3",
        "c2",
        "o1",
        "K1",
        "K1",
        "E1",
    ]
    # c1 and c3 were broken and o1 too, so references to them are not reported again.
    assert not any("'c1'" in p or "'c3'" in p or "'o1'" in p for p in found[6:])


def test_a_reference_to_a_broken_item_is_not_reported_twice() -> None:
    text = """\
    cmokit: 1
    contexts:
      - {id: c1, label: 5}  # here
    configurations:
      - {id: K1, contexts: [c1]}
    """
    (problem,) = problems_of(text)
    assert problem.startswith(f"m.yaml:{line_of(text, '# here')}: c1: label must be text")


def test_every_bad_field_of_one_item_is_reported() -> None:
    text = """\
    cmokit: 1
    mechanisms:
      - id: m1
        label: 1  # A
        resource: [x]  # B
        reasoning: {y: z}  # C
        tags: t  # D
    """
    found = problems_of(text)
    assert [int(p.split(":")[1]) for p in found] == [line_of(text, f"# {m}") for m in "ABCD"]
    assert [p.split(": ", 2)[2].split(" ", 1)[0] for p in found] == [
        "label",
        "resource",
        "reasoning",
        "tags",
    ]


def test_problems_carry_item_field_and_path() -> None:
    with pytest.raises(LoadError) as caught:
        cmokit.load(DATA / "missing.yaml")
    (problem,) = caught.value.problems
    assert problem.path == str(DATA / "missing.yaml")
    with pytest.raises(LoadError) as caught:
        cmokit.loads("cmokit: 1\ncontexts:\n  - {id: c1, label: 5}\n", path="x.yaml")
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.item, problem.field) == ("x.yaml", 3, "c1", "label")


def test_from_dict_reports_without_lines() -> None:
    with pytest.raises(LoadError) as caught:
        cmokit.from_dict({"cmokit": 1, "contexts": [{"id": "c", "lable": "x"}]})
    assert str(caught.value) == (
        "<model>: c: contexts item has unknown key 'lable'; did you mean 'label'?"
    )
    with pytest.raises(LoadError, match=r"^m\.json: a model file must be a mapping"):
        cmokit.from_dict(["not", "a", "mapping"], path="m.json")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- JSON


def test_json_problems_have_line_numbers() -> None:
    text = """\
    {
      "cmokit": 1,
      "contexts": [
        {"id": "c1"},
        {"id": "c2", "lable": "x"}
      ],
      "configurations": [
        {"id": "K1", "contexts": ["c3"]}
      ]
    }
    """
    found = problems_of(text, format="json", path="m.json")
    assert found == [
        "m.json:5: c2: contexts item has unknown key 'lable'; did you mean 'label'?",
        "m.json:8: K1: contexts refers to unknown element 'c3'; did you mean 'c1'?",
    ]


def test_malformed_json_names_the_line_and_column() -> None:
    (problem,) = problems_of(
        '{\n  "cmokit": 1,\n  "title": "x",\n}\n', format="json", path="m.json"
    )
    assert problem.startswith("m.json:4: not valid JSON: ")
    assert "column" in problem


def test_json_the_yaml_reader_cannot_follow_still_reports_its_problems() -> None:
    # A surrogate pair escape is fine JSON but not YAML, so no line can be given.
    text = '{"cmokit": 1, "title": "\\ud83d\\ude00", "contexts": [{"id": "c1", "lable": "x"}]}'
    found = problems_of(text, format="json", path="m.json")
    assert found == ["m.json: c1: contexts item has unknown key 'lable'; did you mean 'label'?"]


# ------------------------------------------------------------------------ reading files


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(LoadError, match=r"nowhere\.yaml: no such file; check the path"):
        cmokit.load(path)


def test_a_folder_is_not_a_model_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a folder, not a model file"):
        cmokit.load(tmp_path)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("cmokit: 1\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(LoadError, match=r"not UTF-8 text .* save the file as UTF-8"):
        cmokit.load(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("cmokit: 1\n", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(LoadError, match="cannot read"):
        cmokit.load(path)


def test_a_file_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "model.yaml"
    path.write_text("cmokit: 1\n", encoding="utf-8")

    def refuse(self: Path, encoding: str | None = None) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(LoadError) as caught:
        cmokit.load(path)
    assert str(caught.value) == f"{path}: cannot read: Permission denied"


def test_a_control_character_is_reported_on_its_line() -> None:
    (problem,) = problems_of("cmokit: 1\ntitle: ok\ndescription: bell\x07\n")
    assert problem == (
        "m.yaml:3: not valid YAML: character U+0007 is not allowed (control characters are"
        " not allowed); delete it"
    )


def test_yaml_tags_that_would_run_code_are_refused() -> None:
    (problem,) = problems_of("cmokit: 1\ntitle: !!python/object/apply:os.system ['true']\n")
    assert problem.startswith("m.yaml:2: not valid YAML")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("dup.yaml", "cmokit: 1\ntitle: x\ntitle: y\n", 3),
        ("dup.json", '{"cmokit": 1,\n "title": "x",\n "title": "y"}\n', 3),
        ("nested.yaml", "cmokit: 1\ncontexts:\n  - id: c\n    id: d\n", 4),
    ],
)
def test_a_key_written_twice_is_a_load_problem_on_its_line(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cmokit.LoadError) as caught:
        cmokit.load(path)
    (problem,) = caught.value.problems
    assert problem.line == line
    assert "appears twice" in problem.message
    assert "keep one" in problem.message


@pytest.mark.parametrize(
    ("name", "text"),
    [("deep.json", "[" * 100_000), ("deep.yaml", "cmokit: 1\nmeta: " + "[" * 100_000)],
)
def test_absurdly_deep_nesting_is_a_load_problem_not_a_crash(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cmokit.LoadError) as caught:
        cmokit.load(path)
    assert "not valid" in str(caught.value)


# ----------------------------------------------- the quick reader and the careful reader


def internals(theory: ProgrammeTheory) -> dict[str, Any]:
    """Everything a theory stores, in order, so two ways of building it can be compared."""
    graph = theory._graph
    return {
        "items": list(theory._items.items()),
        "by_kind": [
            list(store.items())
            for store in (
                theory._stages,
                theory._themes,
                theory._contexts,
                theory._mechanisms,
                theory._outcomes,
                theory._configurations,
                theory._evidence,
                theory._figures,
            )
        ],
        "links": list(theory._links),
        "evidence_about": [
            (ref, [item.id for item in items]) for ref, items in theory._evidence_about.items()
        ],
        "nodes": list(graph.nodes(data=True)),
        "successors": [(node, list(targets.items())) for node, targets in graph._succ.items()],
        "predecessors": [(node, list(sources.items())) for node, sources in graph._pred.items()],
        "members": list(theory._configurations_of().items()),
        "producers": list(theory._producers_of().items()),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theories())
def test_the_quick_and_the_careful_reader_build_the_same_theory(theory: ProgrammeTheory) -> None:
    data = cmokit.to_dict(theory)
    quick = fileformat._build_quickly(data)
    careful = fileformat._build_carefully(data, fileformat._Collector())
    assert quick is not None and careful is not None
    assert internals(quick) == internals(careful) == internals(theory)
    assert quick == theory


def _good_model() -> dict[str, Any]:
    return {
        "cmokit": 1,
        "title": "t",
        "stages": [{"id": "s"}],
        "themes": [{"id": "th"}],
        "contexts": [{"id": "c", "stage": "s"}],
        "mechanisms": [{"id": "m"}],
        "outcomes": [{"id": "o"}],
        "configurations": [
            {"id": "K", "contexts": ["c"], "mechanisms": ["m"], "outcomes": ["o"], "theme": "th"}
        ],
        "links": [{"source": "o", "target": "c"}],
        "evidence": [{"id": "E", "about": ["K", "m"]}],
        "figures": {"f": {"stages": ["s"], "themes": ["th"], "around": "m", "collapse": ["s"]}},
    }


BROKEN_MODELS: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown top key": lambda d: d.update(extra=1),
    "title not text": lambda d: d.update(title=0),
    "description not text": lambda d: d.update(description=["x"]),
    "meta not a mapping": lambda d: d.update(meta=[1]),
    "source with an unknown key": lambda d: d.update(source={"doi2": "x"}),
    "figure with an unknown key": lambda d: d["figures"]["f"].update(colour="red"),
    "section not a list": lambda d: d.update(contexts={"id": "c"}),
    "item not a mapping": lambda d: d["mechanisms"].append("m2"),
    "bad field value": lambda d: d["outcomes"][0].update(kind="maybe"),
    "unknown field": lambda d: d["outcomes"][0].update(knd="intended"),
    "id repeated in a section": lambda d: d["mechanisms"].append({"id": "m"}),
    "id repeated across sections": lambda d: d["evidence"].append({"id": "c"}),
    "unknown stage": lambda d: d["contexts"][0].update(stage="s2"),
    "unknown context": lambda d: d["configurations"][0]["contexts"].append("c2"),
    "unknown mechanism": lambda d: d["configurations"][0]["mechanisms"].append("m2"),
    "outcome that is a context": lambda d: d["configurations"][0]["outcomes"].append("c"),
    "unknown theme": lambda d: d["configurations"][0].update(theme="th2"),
    "unknown link source": lambda d: d["links"][0].update(source="x"),
    "unknown link target": lambda d: d["links"][0].update(target="x"),
    "evidence about nothing known": lambda d: d["evidence"][0]["about"].append("x"),
    "figure with an unknown stage": lambda d: d["figures"]["f"].update(stages=["x"]),
    "figure with an unknown theme": lambda d: d["figures"]["f"].update(themes=["x"]),
    "figure around an unknown element": lambda d: d["figures"]["f"].update(around="x"),
    "figure collapsing an unknown group": lambda d: d["figures"]["f"].update(collapse=["x"]),
    "evidence about a stage": lambda d: d["evidence"][0]["about"].append("s"),
    "evidence about a theme": lambda d: d["evidence"][0].update(about=["th"]),
    "evidence about itself": lambda d: d["evidence"][0].update(about=["E"]),
    "evidence about other evidence": lambda d: d["evidence"].append({"id": "E2", "about": ["E"]}),
    "evidence id repeated": lambda d: d["evidence"].append({"id": "E", "about": ["K"]}),
    "evidence with a configuration's id": lambda d: d["evidence"].append({"id": "K"}),
    "evidence with a stage's id": lambda d: d["evidence"].append({"id": "s", "about": ["K"]}),
    "evidence about an id that is not text": lambda d: d["evidence"][0]["about"].append(5),
    "evidence text not text": lambda d: d["evidence"][0].update(text=5),
    "evidence with an unknown stance": lambda d: d["evidence"][0].update(stance="neutral"),
    "configuration listing an id that is not text": lambda d: d["configurations"][0].update(
        contexts=["c", None]
    ),
    "element id with a line break": lambda d: d["mechanisms"][0].update(id="m\nx"),
    "element label not text": lambda d: d["contexts"][0].update(label=None),
    "evidence without an id": lambda d: d["evidence"][0].pop("id"),
}


def test_the_good_model_of_the_broken_ones_loads_quickly() -> None:
    data = _good_model()
    quick = fileformat._build_quickly(data)
    assert quick is not None
    assert quick == cmokit.from_dict(_good_model())
    assert [e.id for e in quick.evidence_for("K")] == ["E"]


@pytest.mark.parametrize("name", list(BROKEN_MODELS))
def test_the_quick_reader_leaves_every_problem_to_the_careful_one(name: str) -> None:
    data = _good_model()
    BROKEN_MODELS[name](data)
    assert fileformat._build_quickly(data) is None
    with pytest.raises(LoadError) as caught:
        cmokit.from_dict(data)
    assert caught.value.problems


def test_the_quick_reader_leaves_a_mapping_that_is_not_a_dict_to_the_careful_one() -> None:
    data = types.MappingProxyType(_good_model())
    assert fileformat._build_quickly(data) is None
    assert cmokit.from_dict(data) == cmokit.from_dict(_good_model())


def test_the_quick_reader_checks_the_format_version_first() -> None:
    with pytest.raises(FormatVersionError):
        fileformat._build_quickly({**_good_model(), "cmokit": 2})


def test_fill_refuses_a_theory_that_holds_items() -> None:
    theory = ProgrammeTheory(items=[Context("c", "C")])
    with pytest.raises(ValueError, match="empty theory"):
        theory._fill({"contexts": [Context("d", "D")]})


def test_evidence_naming_an_id_twice_is_indexed_once_either_way() -> None:
    data = _good_model()
    data["evidence"] = [
        {"id": "E1", "about": ["K", "K"]},
        {"id": "E2", "about": ["m", "K", "m", "c"]},
        {"id": "E3", "about": ["c"]},
        {"id": "E4", "about": []},
        {"id": "E5"},
        {"id": "E6", "about": ["o", "K"]},
    ]
    quick = fileformat._build_quickly(data)
    careful = fileformat._build_carefully(data, fileformat._Collector())
    assert quick is not None and careful is not None
    assert internals(quick) == internals(careful)
    assert [(ref, [e.id for e in items]) for ref, items in quick._evidence_about.items()] == [
        ("K", ["E1", "E2", "E6"]),
        ("m", ["E2"]),
        ("c", ["E2", "E3"]),
        ("o", ["E6"]),
    ]
    assert type(quick._evidence_about) is dict  # a plain dict: no defaultdict surprises
    with pytest.raises(KeyError):
        quick._evidence_about["unknown"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theories())
def test_the_quick_reader_makes_a_plain_files_items_with_the_plain_builders(
    theory: ProgrammeTheory,
) -> None:
    # What to_dict writes (and JSON and YAML give back) is plain: exact str, list, dict.
    data = json.loads(cmokit.dumps(theory, format="json"))
    for section, cls in fileformat._SECTIONS.items():
        builder = model._PLAIN_BUILDERS.get(cls)
        if builder is not None:
            made = [builder(**entry) for entry in data.get(section, [])]
            assert made == [cls(**entry) for entry in data.get(section, [])]
    quick = fileformat._build_quickly(data)
    careful = fileformat._build_carefully(data, fileformat._Collector())
    assert quick is not None and careful is not None
    assert internals(quick) == internals(careful) == internals(theory)


def _outcome(build: Callable[[], ProgrammeTheory]) -> tuple[str, Any]:
    """What building gives: the theory's internals, or the problems of its LoadError."""
    try:
        return ("theory", internals(build()))
    except LoadError as err:
        return ("problems", [(p.message, p.item, p.field, p.line) for p in err.problems])


def _carefully(data: dict[str, Any]) -> ProgrammeTheory:
    """from_dict without the quick reader: the careful reader's theory or its LoadError."""
    problems = fileformat._Collector()
    theory = fileformat._build_carefully(data, problems)
    if problems.found:
        raise LoadError([p for _, p in problems.found])
    assert theory is not None
    return theory


_SPOILERS: list[Any] = [
    0,
    1.5,
    True,
    None,
    "",
    " padded",
    "two\nlines",
    "maybe",
    "unintended",
    "contradicts",
    [1],
    [None],
    ["c", 2],
    ["K"],
    ["c", "c"],
    [],
    ("c",),
    {"k": "v"},
    OutcomeKind.UNINTENDED,
    Stance.CONTRADICTS,
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_spoilt_entry_loads_as_the_careful_reader_alone_loads_it(data: st.DataObject) -> None:
    model_data = json.loads(cmokit.dumps(data.draw(theories()), format="json"))
    sections = [s for s in fileformat._SECTIONS if model_data.get(s)]
    if sections:
        section = data.draw(st.sampled_from(sections))
        entry = data.draw(st.sampled_from(model_data[section]))
        keys = [*fileformat._ALLOWED[section], "lable", "x"]
        for key in data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2)):
            entry[key] = data.draw(
                st.one_of(st.sampled_from(_SPOILERS), st.builds(_Text, st.sampled_from("cmK")))
            )
        if data.draw(st.booleans()) and "id" in entry:
            del entry["id"]
    assert _outcome(lambda: cmokit.from_dict(model_data)) == _outcome(
        lambda: _carefully(model_data)
    )


class _Text(str):
    """A str subclass, which the item classes take as they take a str."""


def test_a_json_file_loads_as_the_careful_reader_reads_it(tmp_path: Path) -> None:
    theory = cmokit.examples.hand_hygiene()
    path = tmp_path / "model.json"
    cmokit.dump(theory, path)
    loaded = cmokit.load(path)
    assert internals(loaded) == internals(_carefully(json.loads(path.read_text("utf-8"))))
    assert loaded == theory


@pytest.mark.parametrize("section", ["contexts", "configurations", "evidence", "stages"])
@pytest.mark.parametrize("wrap", [collections.OrderedDict, types.MappingProxyType])
def test_the_quick_reader_leaves_an_entry_that_is_not_a_plain_dict_to_the_careful_one(
    section: str, wrap: Callable[[dict[str, Any]], Any]
) -> None:
    data = _good_model()
    data[section][0] = wrap(data[section][0])
    assert fileformat._build_quickly(data) is None
    assert _outcome(lambda: cmokit.from_dict(data)) == _outcome(lambda: _carefully(data))
