"""Tests for cmokit.tables.summaries and cmokit.tables.formats."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cmokit import (
    Configuration,
    Context,
    Evidence,
    Mechanism,
    Outcome,
    ProgrammeTheory,
    Theme,
)
from cmokit.examples import hand_hygiene, mentorship
from cmokit.tables.formats import TABLE_FORMATS, format_table
from cmokit.tables.summaries import (
    CONFIGURATION_TABLE_COLUMNS,
    EVIDENCE_TABLE_COLUMNS,
    case_matrix,
    configuration_table,
    evidence_table,
)


@pytest.fixture
def small() -> ProgrammeTheory:
    """Two configurations, one chained, with evidence from three cases in both stances."""
    return ProgrammeTheory(
        "Small",
        items=[
            Theme("t1", "Theme one"),
            Theme("t2", "Theme two"),
            Context("c", "Context"),
            Mechanism("m", "Mechanism"),
            Mechanism("m2", "Second mechanism"),
            Outcome("o", "Outcome"),
            Outcome("o2", "Later outcome"),
            Configuration("K2", contexts=["o"], mechanisms=["m2"], outcomes=["o2"], theme="t1"),
            Configuration(
                "K1", contexts=["c"], mechanisms=["m"], outcomes=["o"], theme="t2", statement="S"
            ),
            Configuration("K3", mechanisms=["m"], outcomes=["o2"]),
            Evidence("e1", "a", "interview", "P1", "Site A", about=["K1"]),
            Evidence("e2", "b", "interview", "P2", "Site A", about=["K1"]),
            Evidence("e3", "c", "survey", "P1", "Site B", stance="contradicts", about=["K1"]),
            Evidence("e4", "d", "survey", None, "Site C", about=["K2", "m"]),
            Evidence("e5", "e", "survey", None, "Site C", stance="contradicts", about=["K2"]),
            Evidence("e6", "f", None, None, None, about=["K2"]),
        ],
    )


def test_configuration_table_marks_roles_and_groups_by_theme(small: ProgrammeTheory) -> None:
    table = configuration_table(small)
    assert tuple(table.columns) == CONFIGURATION_TABLE_COLUMNS
    assert table["configuration"].tolist() == ["K2", "K1", "K3"]
    rows = table.set_index("configuration")
    # The chained outcome plays the context role in K2 and is marked (C).
    assert rows.loc["K2", "contexts_and_mechanisms"] == "Outcome (C); Second mechanism (M)"
    assert rows.loc["K1", "theme"] == "Theme two"
    assert rows.loc["K1", "statement"] == "S"
    assert rows.loc["K3", "theme"] == ""
    assert rows.loc["K3", "statement"] == ""
    assert rows.loc["K3", "contexts_and_mechanisms"] == "Mechanism (M)"


def test_configuration_table_of_the_worked_example() -> None:
    theory = mentorship()
    table = theory.configuration_table()
    assert sorted(table["configuration"]) == sorted(c.id for c in theory.configurations)
    for row in table.itertuples():
        config = theory[row.configuration]
        assert isinstance(config, Configuration)
        assert row.contexts_and_mechanisms.count("(C)") == len(config.contexts)
        assert row.contexts_and_mechanisms.count("(M)") == len(config.mechanisms)
        if config.theme is None:
            assert row.theme == ""
        else:
            assert row.theme == theory[config.theme].label  # type: ignore[union-attr]
    rank = {theme.id: position for position, theme in enumerate(theory.themes)}
    themes = [theory[c].theme for c in table["configuration"]]  # type: ignore[union-attr]
    ranks = [rank.get(theme, len(rank)) for theme in themes]
    assert ranks == sorted(ranks)


def test_evidence_table_counts_items_sources_participants_cases(small: ProgrammeTheory) -> None:
    table = evidence_table(small).set_index("item")
    assert tuple(table.reset_index().columns) == EVIDENCE_TABLE_COLUMNS
    k1 = table.loc["K1"]
    assert (k1.supporting, k1.supporting_sources, k1.supporting_participants) == (2, 1, 2)
    assert (k1.supporting_cases, k1.contradicting, k1.contradicting_cases) == (1, 1, 1)
    k2 = table.loc["K2"]
    # e6 has no source, participant or case: counted as an item, not as a source.
    assert (k2.supporting, k2.supporting_sources, k2.supporting_participants) == (2, 1, 0)
    assert k2.contradicting == 1
    assert table.loc["m", "supporting"] == 1
    assert table.loc["m", "kind"] == "mechanism"
    # Every configuration and element has a row, with zeros where there is no evidence.
    assert table.loc["c", "supporting"] == 0
    assert len(table) == len(small.configurations) + len(small.elements)


@pytest.mark.parametrize(
    ("by", "item", "value", "supporting", "contradicting"),
    [
        ("source", "K1", "interview", 2, 0),
        ("source", "K1", "survey", 0, 1),
        ("participant", "K1", "P1", 1, 1),
        ("case", "K2", "Site C", 1, 1),
        ("case", "K2", None, 1, 0),
    ],
)
def test_evidence_table_by_field(
    small: ProgrammeTheory,
    by: str,
    item: str,
    value: str | None,
    supporting: int,
    contradicting: int,
) -> None:
    table = small.evidence_table(by=by)
    assert list(table.columns) == ["item", "kind", by, "supporting", "contradicting"]
    match = table[(table["item"] == item) & table[by].map(lambda v: v == value)]
    assert len(match) == 1
    assert (match.iloc[0].supporting, match.iloc[0].contradicting) == (supporting, contradicting)


def test_evidence_table_rejects_unknown_by(small: ProgrammeTheory) -> None:
    with pytest.raises(ValueError, match="by must be None, 'source', 'participant' or 'case'"):
        evidence_table(small, by="site")


def test_case_matrix_shows_where_the_mechanism_fired(small: ProgrammeTheory) -> None:
    matrix = case_matrix(small)
    assert matrix.index.name == "configuration"
    assert list(matrix.index) == ["K2", "K1", "K3"]
    assert list(matrix.columns) == ["Site A", "Site B", "Site C"]
    assert matrix.loc["K1"].tolist() == ["fired", "did not fire", ""]
    assert matrix.loc["K2"].tolist() == ["", "", "mixed"]
    assert matrix.loc["K3"].tolist() == ["", "", ""]
    assert small.case_matrix().equals(matrix)


def test_case_matrix_without_cases_has_no_columns() -> None:
    theory = ProgrammeTheory(items=[Outcome("o", "O"), Configuration("K", outcomes=["o"])])
    matrix = case_matrix(theory)
    assert list(matrix.index) == ["K"]
    assert list(matrix.columns) == []


def test_mentorship_tables_build() -> None:
    theory = mentorship()
    evidence = theory.evidence_table()
    assert evidence["supporting"].sum() + evidence["contradicting"].sum() == sum(
        len(e.about) for e in theory.evidence
    )


# ------------------------------------------------------------------------------ formats


def _markdown_cells(line: str) -> list[str]:
    cells, current, escaped = [], "", False
    for char in line.strip()[1:-1]:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += char
    cells.append(current.strip())
    return cells


def test_markdown_escapes_pipes_and_line_breaks() -> None:
    frame = pd.DataFrame({"a": ["x|y", "line\nbreak"], "b": [None, ["p", "q"]]})
    lines = format_table(frame, "markdown").splitlines()
    assert len(lines) == 4
    assert set(lines[1]) <= {"|", "-"}
    assert _markdown_cells(lines[2]) == ["x|y", ""]
    assert _markdown_cells(lines[3]) == ["line break", "p; q"]


def test_markdown_shows_a_named_index() -> None:
    matrix = case_matrix(hand_hygiene())
    lines = format_table(matrix, "markdown").splitlines()
    assert _markdown_cells(lines[0]) == ["configuration", "Ward A", "Ward B"]
    assert _markdown_cells(lines[2]) == ["CMOC1", "fired", ""]


def test_latex_escapes_specials() -> None:
    frame = pd.DataFrame({"id": ["a_b"], "text": ["50% & $5 #1 {x} ~ ^ \\"]})
    text = format_table(frame, "latex")
    assert "a\\_b & 50\\% \\& \\$5 \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{}" in text
    assert "\\textbackslash{}" in text
    assert text.startswith("\\begin{tabular}") and text.endswith("\\end{tabular}")


def test_html_escapes_markup() -> None:
    text = format_table(pd.DataFrame({"a": ["<b>bold</b> & co"]}), "html")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in text
    assert text.startswith("<table")


def test_csv_reads_back() -> None:
    table = configuration_table(hand_hygiene())
    text = format_table(table, "csv", headers={"statement": "ignored in CSV"})
    again = pd.read_csv(io.StringIO(text), keep_default_na=False, dtype=str)
    assert list(again.columns) == list(CONFIGURATION_TABLE_COLUMNS)
    assert again.values.tolist() == table.astype(str).values.tolist()


def test_headers_rename_columns_for_display() -> None:
    table = configuration_table(hand_hygiene())
    text = format_table(table, "markdown", headers={"statement": "Statement"})
    assert "Statement" in text.splitlines()[0]


@pytest.mark.parametrize("bad", ["md", "xlsx", ""])
def test_unknown_format_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="format must be one of"):
        format_table(pd.DataFrame(), bad)


@pytest.mark.parametrize("name", TABLE_FORMATS)
def test_every_format_writes_every_configuration(name: str) -> None:
    theory = hand_hygiene()
    text = format_table(configuration_table(theory), name)
    for config in theory.configurations:
        assert config.id in text
