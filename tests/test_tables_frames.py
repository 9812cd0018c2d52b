"""Tests for cmokit.tables.frames: to_frames and its exact inverse from_frames."""

from __future__ import annotations

import gc
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import cmokit
from cmokit import ProgrammeTheory
from cmokit.examples import hand_hygiene, mentorship
from cmokit.tables.frames import FRAME_COLUMNS, from_frames, to_frames
from strategies import theories


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theories())
def test_round_trip_of_generated_theories(theory: ProgrammeTheory) -> None:
    assert from_frames(to_frames(theory)) == theory


@pytest.mark.parametrize("load", [hand_hygiene, mentorship], ids=["hand_hygiene", "mentorship"])
def test_round_trip_of_bundled_examples(load: object) -> None:
    theory = load()  # type: ignore[operator]
    again = from_frames(to_frames(theory))
    assert again == theory
    assert [s.id for s in again.stages] == [s.id for s in theory.stages]


MODELS_BY_OTHERS = sorted(
    path for path in (Path(__file__).parent / "data").iterdir() if path.suffix in (".yaml", ".json")
)


@pytest.mark.parametrize("path", MODELS_BY_OTHERS, ids=lambda path: path.name)
def test_round_trip_of_model_files(path: Path) -> None:
    theory = cmokit.load(path)
    assert from_frames(to_frames(theory)) == theory


def test_round_trip_keeps_meta_and_figures() -> None:
    theory = mentorship()
    again = ProgrammeTheory.from_frames(theory.to_frames())
    assert again.figure("figure1").meta == theory.figure("figure1").meta
    assert again.meta == theory.meta
    assert again.source == theory.source


def test_frames_have_the_documented_columns_in_order() -> None:
    frames = to_frames(hand_hygiene())
    assert list(frames) == list(FRAME_COLUMNS)
    for name, frame in frames.items():
        assert tuple(frame.columns) == FRAME_COLUMNS[name], name
        assert all(str(dtype) == "object" for dtype in frame.dtypes), name


def test_empty_theory_gives_empty_frames_with_columns() -> None:
    frames = to_frames(ProgrammeTheory(title="Empty"))
    assert len(frames["elements"]) == 0
    assert tuple(frames["elements"].columns) == FRAME_COLUMNS["elements"]
    assert frames["theory"].loc[0, "title"] == "Empty"
    assert from_frames(frames) == ProgrammeTheory(title="Empty")


def test_cells_are_lists_and_none_not_nan() -> None:
    theory = hand_hygiene()
    elements = to_frames(theory)["elements"].set_index("id")
    assert elements.loc["hierarchy", "tags"] == ["barrier"]
    assert elements.loc["audit_data", "resource"] is None
    assert elements.loc["peer_feedback", "resource"] == theory.element("peer_feedback").resource
    assert elements.loc["blame", "outcome_kind"] == "unintended"
    assert elements.loc["audit_data", "outcome_kind"] is None
    evidence = to_frames(theory)["evidence"]
    assert evidence.loc[0, "stance"] == "supports"
    assert evidence.loc[0, "about"] == list(theory.evidence[0].about)


@pytest.mark.parametrize("enabled", [True, False])
def test_to_frames_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    # to_frames pauses the collector while it works; a caller's setting must survive it.
    was_enabled = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        frames = to_frames(hand_hygiene())
        assert gc.isenabled() is enabled
        assert len(frames["elements"]) == len(hand_hygiene().elements)
    finally:
        gc.enable() if was_enabled else gc.disable()


def test_frames_are_copies() -> None:
    theory = mentorship()
    frames = to_frames(theory)
    frames["figures"].loc[0, "meta"]["paper_figure"] = 99
    frames["configurations"].loc[0, "contexts"].append("nowhere")
    assert theory.figure("figure1").meta == {"paper_figure": 1}
    assert "nowhere" not in theory.configurations[0].contexts


def test_from_frames_accepts_what_pandas_produces() -> None:
    """NaN for unset, tuples and arrays for lists, numpy numbers, missing frames/columns."""
    frames = {
        "stages": pd.DataFrame({"id": ["s1"], "label": ["Stage one"]}),
        "elements": pd.DataFrame(
            {
                "id": ["c1", "m1", "o1"],
                "kind": ["context", "mechanism", "outcome"],
                "stage": ["s1", np.nan, None],
                "tags": [("a", "b"), np.array(["x"]), None],
            }
        ),
        "configurations": pd.DataFrame(
            {"id": ["K1"], "contexts": [["c1"]], "mechanisms": [["m1"]], "outcomes": [["o1"]]}
        ),
        "figures": pd.DataFrame(
            {"id": ["f"], "steps": [np.int64(2)], "wrap": [30.0], "legend": [np.bool_(True)]}
        ),
    }
    theory = from_frames(frames)
    assert theory.element("c1").tags == ("a", "b")
    assert theory.element("m1").tags == ("x",)
    assert theory.element("m1").stage is None
    assert theory.element("c1").label == "c1"
    figure = theory.figure("f")
    assert (figure.steps, figure.wrap, figure.legend) == (2, 30, True)
    assert type(figure.steps) is int and type(figure.legend) is bool


def _problems(frames: dict[str, pd.DataFrame]) -> list[cmokit.Problem]:
    with pytest.raises(cmokit.LoadError) as caught:
        from_frames(frames)
    return list(caught.value.problems)


def _elements(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


@pytest.mark.parametrize(
    ("frames", "path", "needle"),
    [
        ({"element": pd.DataFrame()}, "frames", "unknown frame 'element'; did you mean 'elements'"),
        (
            {"elements": _elements(id=["c"], kind=["context"], lable=["x"])},
            "frames['elements']",
            "unknown column 'lable'; did you mean 'label'",
        ),
        (
            {"elements": _elements(kind=["context"])},
            "frames['elements']",
            "has no 'id' column",
        ),
        ({"elements": [1, 2]}, "frames['elements']", "must be a DataFrame"),
        (
            {"elements": _elements(id=["c"], kind=["contxt"])},
            "frames['elements']",
            "row 0, column 'kind': 'contxt' is not a kind; did you mean 'context'",
        ),
        (
            {"elements": _elements(id=["c"], kind=["context"], tags=["a; b"])},
            "frames['elements']",
            "row 0, column 'tags': must be a list of text",
        ),
        (
            {"elements": _elements(id=["c"], kind=["context"], label=[3])},
            "frames['elements']",
            "row 0, column 'label': must be text, not int 3",
        ),
        (
            {"elements": _elements(id=["c"], kind=["context"], resource=["r"])},
            "frames['elements']",
            "row 0, column 'resource': only mechanisms have a resource",
        ),
        (
            {"elements": _elements(id=["c"], kind=["context"], outcome_kind=["intended"])},
            "frames['elements']",
            "row 0, column 'outcome_kind': only outcomes have an outcome_kind",
        ),
        (
            {"elements": _elements(id=["o"], kind=["outcome"], outcome_kind=["unintented"])},
            "frames['elements']",
            "row 0, column 'outcome_kind'",
        ),
        (
            {"elements": _elements(id=[None], kind=["context"])},
            "frames['elements']",
            "row 0, column 'id': id is missing",
        ),
        (
            {"elements": _elements(id=["c"], kind=["context"], meta=["x"])},
            "frames['elements']",
            "row 0, column 'meta': must be a dict",
        ),
        (
            {"elements": _elements(id=["c"], kind=["context"], stage=["nowhere"])},
            "frames['elements']",
            "row 0, column 'stage': refers to unknown stage 'nowhere'",
        ),
        (
            {"figures": pd.DataFrame({"id": ["f"], "steps": [1.5]})},
            "frames['figures']",
            "row 0, column 'steps': must be a whole number",
        ),
        (
            {"figures": pd.DataFrame({"id": ["f"], "legend": ["yes"]})},
            "frames['figures']",
            "row 0, column 'legend': must be True or False",
        ),
        (
            {"figures": pd.DataFrame({"id": ["f", "f"]})},
            "frames['figures']",
            "row 1, column 'id': duplicate figure id 'f'",
        ),
        (
            {"figures": pd.DataFrame({"id": ["f"], "direction": ["UP"]})},
            "frames['figures']",
            "row 0",
        ),
        (
            {"theory": pd.DataFrame({"title": ["a", "b"]})},
            "frames['theory']",
            "must have one row, not 2",
        ),
        (
            {"evidence": pd.DataFrame({"id": ["e"], "stance": ["neutral"]})},
            "frames['evidence']",
            "row 0, column 'stance'",
        ),
    ],
)
def test_bad_input_names_frame_row_and_column(
    frames: dict[str, pd.DataFrame], path: str, needle: str
) -> None:
    problems = _problems(frames)
    assert any(p.path == path and needle in p.message for p in problems), [str(p) for p in problems]


def test_references_are_checked_with_suggestions() -> None:
    frames = to_frames(hand_hygiene())
    configurations = frames["configurations"]
    configurations.at[1, "contexts"] = ["engagd"]
    configurations.at[2, "outcomes"] = ["hierarchy"]
    frames["links"].at[0, "target"] = "habbit"
    frames["evidence"].at[0, "about"] = ["CMOC9"]
    messages = [str(p) for p in _problems(frames)]
    assert any(
        "CMOC2: row 1, column 'contexts'" in m and "did you mean 'engaged'" in m for m in messages
    )
    assert any(
        "row 2, column 'outcomes': refers to 'hierarchy', which is a context, not a outcome" in m
        for m in messages
    )
    assert any("row 0, column 'target'" in m and "did you mean 'habit'" in m for m in messages)
    assert any("row 0, column 'about'" in m and "'CMOC9'" in m for m in messages)


def test_duplicate_ids_across_frames_name_the_first_use() -> None:
    frames = to_frames(hand_hygiene())
    frames["evidence"].at[1, "id"] = "audit_data"
    messages = [p.message for p in _problems(frames)]
    assert messages == [
        "row 1, column 'id': duplicate id 'audit_data': already used by a context in"
        " frames['elements'] row 0; ids must be unique across the whole theory"
    ]


def test_every_problem_is_reported_at_once() -> None:
    frames = {
        "elements": _elements(id=["c", "d"], kind=["contxt", "context"], tags=[None, "x"]),
        "configurations": pd.DataFrame({"id": ["K"], "outcomes": [["zzz"]]}),
    }
    problems = _problems(frames)
    assert {(p.path, p.field) for p in problems} >= {
        ("frames['elements']", "kind"),
        ("frames['elements']", "tags"),
        ("frames['configurations']", "outcomes"),
    }


def test_index_labels_name_the_rows() -> None:
    frame = pd.DataFrame({"id": ["c"], "kind": ["ctx"]}, index=["first"])
    problems = _problems({"elements": frame})
    assert problems[0].message.startswith("row first, column 'kind'")
    assert problems[0].item == "c"


def test_equal_when_unset_values_are_nan() -> None:
    theory = hand_hygiene()
    frames = to_frames(theory)
    frames["elements"]["description"] = frames["elements"]["description"].map(
        lambda value: math.nan if value is None else value
    )
    assert from_frames(frames) == theory


def test_methods_delegate() -> None:
    theory = hand_hygiene()
    frames = theory.to_frames()
    assert ProgrammeTheory.from_frames(frames) == theory
    assert cmokit.from_frames(cmokit.to_frames(theory)) == theory
