"""Tests for cmokit.tables.spreadsheet: importing configuration spreadsheets."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd
import pytest

import cmokit
from cmokit import Context, Mechanism, Outcome, OutcomeKind, ProgrammeTheory, Stage, Theme
from cmokit.tables.spreadsheet import ImportReport, import_records, import_table, slugify

DATA = Path(__file__).parent / "data"
SHEET = DATA / "mentorship_configurations.csv"
EXPECTED = DATA / "mentorship_configurations.yaml"
BAD_ROW = 11  # the draft row CMOC10, its outcomes cell left empty


def _without_draft_row(tmp_path: Path) -> Path:
    lines = SHEET.read_text(encoding="utf-8").splitlines(keepends=True)
    clean = tmp_path / "configs.csv"
    clean.write_text("".join(lines[: BAD_ROW - 1] + lines[BAD_ROW:]), encoding="utf-8")
    return clean


def _problems(rows: list[dict[str, object]], **options: object) -> list[cmokit.Problem]:
    with pytest.raises(cmokit.LoadError) as caught:
        import_records(rows, **options)  # type: ignore[arg-type]
    return list(caught.value.problems)


# --------------------------------------------------------------- the published study


def test_bad_row_of_the_published_study_is_reported_by_number() -> None:
    with pytest.raises(cmokit.LoadError) as caught:
        import_table(SHEET)
    problems = caught.value.problems
    assert [(p.path, p.line, p.field) for p in problems] == [(str(SHEET), BAD_ROW, "Outcomes (O)")]
    assert problems[0].message.startswith("column Outcomes (O): no outcome")


def test_published_study_imports_to_the_hand_written_theory(tmp_path: Path) -> None:
    expected = cmokit.load(EXPECTED)
    theory, report = import_table(_without_draft_row(tmp_path), title=expected.title)
    assert theory == expected
    assert report.rows == 9
    assert len(report.of_kind("configuration")) == 9
    assert {item.id for item in report.of_kind("outcome")} == {o.id for o in expected.outcomes}
    assert report.meta_columns == ("Notes",)


def test_published_study_from_excel(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Table 5"
    with _without_draft_row(tmp_path).open(encoding="utf-8", newline="") as stream:
        for row in csv.reader(stream):
            sheet.append(row)
    workbook.create_sheet("notes").append(["nothing here"])
    path = tmp_path / "configs.xlsx"
    workbook.save(path)
    expected = cmokit.load(EXPECTED)
    theory, _ = import_table(path, title=expected.title, sheet="Table 5")
    assert theory == expected


# ----------------------------------------------------------------- matching and ids


def test_labels_recur_case_and_space_insensitively() -> None:
    theory, report = import_records(
        [
            {"contexts": "Audit data", "mechanisms": "Peer feedback", "outcomes": "Engaged"},
            {"contexts": " audit   DATA ", "mechanisms": "peer feedback", "outcomes": "engaged"},
        ]
    )
    assert [c.id for c in theory.contexts] == ["audit_data"]
    assert theory.element("audit_data").label == "Audit data"
    assert theory["CMOC2"].contexts == ("audit_data",)  # type: ignore[union-attr]
    assert len(report.of_kind("context")) == 1


def test_ids_are_collision_safe() -> None:
    theory, _ = import_records(
        [{"contexts": "Peer feedback; Peer-feedback!", "mechanisms": "peer_feedback", "o": "X"}]
    )
    # Two different labels that make the same id; the id itself names the first.
    assert [c.id for c in theory.contexts] == ["peer_feedback", "peer_feedback_2"]
    assert theory["CMOC1"].mechanisms == ("peer_feedback",)  # type: ignore[union-attr]


def test_ids_avoid_configuration_ids_and_generated_ids_avoid_given_ones() -> None:
    theory, _ = import_records(
        [
            {"id": "", "c": "cmoc2", "m": "M", "o": "O"},
            {"id": "CMOC1", "c": "C", "m": "M", "o": "O"},
        ]
    )
    assert [c.id for c in theory.configurations] == ["CMOC1_2", "CMOC1"]
    assert theory.element("cmoc2").label == "cmoc2"


def test_existing_ids_are_recognised() -> None:
    theory, _ = import_records(
        [
            {"c": "Audit data", "m": "Peer feedback", "o": "Engaged"},
            {"c": "engaged", "m": "habit", "o": "Compliance"},
        ]
    )
    # "engaged" is the id of the outcome made in row 2: a chain, not a new context.
    assert [c.id for c in theory.contexts] == ["audit_data"]
    assert theory["CMOC2"].contexts == ("engaged",)  # type: ignore[union-attr]


def test_an_outcome_named_earlier_as_a_context_is_one_outcome() -> None:
    theory, _ = import_records(
        [
            {"c": "Staff engage", "m": "Habit", "o": "Compliance"},
            {"c": "Audit data", "m": "Peer feedback", "o": "Staff engage"},
        ]
    )
    assert theory.kind_of("staff_engage") is cmokit.ElementKind.OUTCOME
    assert [c.id for c in theory.contexts] == ["audit_data"]
    assert [p.id for p in theory.producers("staff_engage")] == ["CMOC2"]


def test_base_theory_items_are_reused() -> None:
    base = ProgrammeTheory(
        "Base",
        items=[
            Stage("uptake", "Uptake"),
            Theme("safety", "Safer care"),
            Context("audit", "Ward has audit data"),
            Mechanism("feedback", "Peer feedback", aliases=["PF"]),
            Outcome("engaged", "Staff engage"),
        ],
    )
    theory, report = import_records(
        [
            {
                "theme": "SAFER CARE",
                "stage": "uptake",
                "c": "ward has audit data; New context",
                "m": "pf",
                "o": "engaged",
            }
        ],
        base=base,
    )
    assert theory.title == "Base"
    assert theory["CMOC1"].contexts == ("audit", "new_context")  # type: ignore[union-attr]
    assert theory["CMOC1"].mechanisms == ("feedback",)  # type: ignore[union-attr]
    assert theory["CMOC1"].theme == "safety"  # type: ignore[union-attr]
    assert theory.element("new_context").stage == "uptake"
    assert set(report.reused) == {"safety", "uptake", "audit", "feedback", "engaged"}
    assert [item.id for item in report.created if item.kind != "configuration"] == ["new_context"]
    assert len(base.configurations) == 0  # the base is not changed


def test_unintended_outcomes_column() -> None:
    theory, _ = import_records([{"c": "C", "m": "M", "unintended outcomes": "Blame"}])
    assert theory.element("blame").kind is OutcomeKind.UNINTENDED  # type: ignore[union-attr]


def test_stage_applies_to_elements_the_row_creates() -> None:
    theory, _ = import_records(
        [
            {"stage": "Uptake", "c": "C", "m": "M", "o": "O"},
            {"stage": "Practice", "c": "C", "m": "M2", "o": "O2"},
        ]
    )
    assert [s.id for s in theory.stages] == ["uptake", "practice"]
    assert theory.element("c").stage == "uptake"
    assert theory.element("m2").stage == "practice"


def test_unknown_columns_are_kept_as_meta_and_line_breaks_separate() -> None:
    theory, report = import_records(
        [{"Configuration": "K1", "C": "A\nB", "M": "M;", "O": "O", "Page": 12, "Empty": None}]
    )
    config = theory["K1"]
    assert config.contexts == ("a", "b")  # type: ignore[union-attr]
    assert config.meta == {"Page": "12"}  # type: ignore[union-attr]
    assert report.meta_columns == ("Page", "Empty")


def test_dataframe_rows_are_numbered_like_a_spreadsheet() -> None:
    frame = pd.DataFrame({"c": ["A", "B"], "m": ["M", "M"], "o": ["O", None]})
    with pytest.raises(cmokit.LoadError) as caught:
        import_records(frame, source="frame")
    assert [(p.path, p.line) for p in caught.value.problems] == [("frame", 3)]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Peer feedback", "peer_feedback"),
        ("  Peer   Feedback  ", "peer_feedback"),
        ("Café crème", "cafe_creme"),
        ("Egan\u2019s model", "egans_model"),
        ("Patient-centred care", "patient_centred_care"),
        ("Ärztinnen: Vertrauen", "arztinnen_vertrauen"),
        ("信任 trust", "信任_trust"),
        ("!!!", ""),
        ("a" * 60, "a" * 48),
        ("word " * 20, "_".join(["word"] * 9)),
    ],
)
def test_slugify(label: str, expected: str) -> None:
    assert slugify(label) == expected


def test_report_text_lists_what_was_created() -> None:
    _, report = import_records(
        [{"theme": "Safety", "c": "Audit data", "m": "Feedback", "o": "Engaged", "x": "1"}],
        source="sheet.csv",
    )
    text = str(report)
    assert text.splitlines()[0] == "read 1 row from sheet.csv: 1 configuration"
    assert "created 1 theme, 1 context, 1 mechanism, 1 outcome:" in text
    assert '  context    audit_data  "Audit data" (row 2, column c)' in text
    assert text.splitlines()[-1] == "kept as configuration meta: x"
    assert isinstance(report, ImportReport)


# ---------------------------------------------------------------------- bad rows


def test_every_bad_row_is_reported_at_once() -> None:
    problems = _problems(
        [
            {"id": "K1", "contexts": "A", "mechanisms": "M", "outcomes": "O"},
            {"id": "K1", "contexts": "B", "mechanisms": "M", "outcomes": "O"},
            {"id": "K3", "contexts": "", "mechanisms": "", "outcomes": "O"},
            {"id": "K4", "contexts": "A", "mechanisms": "M", "outcomes": " ; "},
        ]
    )
    assert [(p.line, p.field) for p in problems] == [
        (3, "id"),
        (4, "contexts"),
        (5, "outcomes"),
    ]
    assert "duplicate id 'K1': row 2 already uses it" in problems[0].message


@pytest.mark.parametrize(
    ("rows", "line", "field", "needle"),
    [
        ([{"contexts": "A", "mechanisms": "M"}], 1, "outcomes", "no outcomes column"),
        ([{"outcomes": "O", "statement": "s"}], 1, "contexts", "no contexts or mechanisms column"),
        (
            [{"contexts": "A", "C": "B", "m": "M", "o": "O"}],
            1,
            "C",
            "a second contexts column (the first is 'contexts')",
        ),
        ([{"id": "a\nb", "c": "A", "m": "M", "o": "O"}], 2, "id", "line breaks"),
        ([{"c": "A", "m": "M", "o": "O", "": "lost"}], 1, "D", "has values but no header"),
    ],
)
def test_bad_sheets(rows: list[dict[str, object]], line: int, field: str, needle: str) -> None:
    problems = _problems(rows)
    assert any(p.line == line and p.field == field and needle in p.message for p in problems), [
        str(p) for p in problems
    ]


def test_a_base_context_cannot_be_an_outcome() -> None:
    base = ProgrammeTheory(items=[Context("audit", "Audit data")])
    problems = _problems([{"c": "X", "m": "M", "o": "audit data"}], base=base)
    assert problems[0].message == (
        "column o: 'audit data' is a context in the base model, not an outcome;"
        " move it to the right column or use another name"
    )


def test_a_base_id_cannot_be_a_configuration_id() -> None:
    base = ProgrammeTheory(items=[Context("K1", "Audit data")])
    problems = _problems([{"id": "K1", "c": "X", "m": "M", "o": "O"}], base=base)
    assert "id 'K1' is already used in the base model" in problems[0].message


# ------------------------------------------------------------------------ reading


def test_csv_with_semicolons_tabs_and_a_byte_order_mark(tmp_path: Path) -> None:
    semicolons = tmp_path / "excel-europe.csv"
    semicolons.write_text(
        '\ufeffid;contexts;mechanisms;outcomes\nK1;"A; B";M;O\n', encoding="utf-8"
    )
    theory, _ = import_table(semicolons)
    assert theory["K1"].contexts == ("a", "b")  # type: ignore[union-attr]
    tabs = tmp_path / "sheet.tsv"
    tabs.write_text("id\tcontexts\tmechanisms\toutcomes\nK1\tA, with comma\tM\tO\n")
    theory, _ = import_table(tabs, title="T")
    assert theory.title == "T"
    assert theory.element("a_with_comma").label == "A, with comma"


def test_multi_line_cells_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "configs.csv"
    path.write_text('id,contexts,mechanisms,outcomes\nK1,"A\nB",M,O\n\nK2,C,M,\n')
    with pytest.raises(cmokit.LoadError) as caught:
        import_table(path)
    # Record 4 of the file (a blank record 3 in between), though line 6 of the text.
    assert [p.line for p in caught.value.problems] == [4]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b"id,contexts,outcomes\nK1,caf\xe9,O\n", "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, needle: str) -> None:
    path = tmp_path / "configs.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(cmokit.LoadError) as caught:
        import_table(path)
    assert needle in str(caught.value)
    assert caught.value.problems[0].path == str(path)


def test_excel_without_openpyxl_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(cmokit.LoadError, match=r"pip install 'cmokit\[excel\]'"):
        import_table(tmp_path / "configs.xlsx")


def test_excel_unknown_sheet_and_damaged_file(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Configurations"
    path = tmp_path / "configs.xlsx"
    workbook.save(path)
    with pytest.raises(cmokit.LoadError, match="no sheet named 'Table 5'; the sheets are"):
        import_table(path, sheet="Table 5")
    with pytest.raises(cmokit.LoadError, match="the sheet is empty"):
        import_table(path)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"not a zip file")
    with pytest.raises(cmokit.LoadError, match="not a readable Excel workbook"):
        import_table(damaged)


def test_excel_numbers_and_leading_blank_rows(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([None])
    sheet.append(["id", "contexts", "mechanisms", "outcomes"])
    sheet.append([1, "A", "M", "O"])
    sheet.append([2.0, "A", "M", None])
    path = tmp_path / "configs.xlsx"
    workbook.save(path)
    with pytest.raises(cmokit.LoadError) as caught:
        import_table(path)
    assert [(p.line, p.field) for p in caught.value.problems] == [(4, "outcomes")]
    sheet.delete_rows(4)
    workbook.save(path)
    theory, _ = import_table(path)
    assert [c.id for c in theory.configurations] == ["1"]
