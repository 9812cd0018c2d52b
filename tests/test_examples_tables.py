"""Tests for cmokit.examples.tables: the worked example's tables against the printed paper."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cmokit.examples import mentorship_tables
from cmokit.examples.tables import (
    QUESTIONNAIRE_RESPONDENTS,
    TABLE3_ANSWERED,
    TABLE3_RESPONSES,
    TABLE4_ANSWERED,
)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return mentorship_tables()


def _round_half_up(value: float) -> int:
    # The paper rounds to whole percent; Python's round() would round halves to even.
    return math.floor(value + 0.5)


def _percent_mismatches(frame: pd.DataFrame, keys: list[str]) -> list[tuple[object, ...]]:
    printed = frame[frame["printed_percent"].notna()]
    return [
        (*(row[key] for key in keys), int(row["printed_percent"]), row["percent"])
        for _, row in printed.iterrows()
        if _round_half_up(row["percent"]) != int(row["printed_percent"])
    ]


def test_keys(tables: dict[str, pd.DataFrame]) -> None:
    assert sorted(tables) == ["appendix1", "table1", "table2", "table3", "table4", "table5"]


def test_each_call_returns_fresh_frames() -> None:
    first, second = mentorship_tables(), mentorship_tables()
    first["table3"].loc[0, "count"] = -1
    assert second["table3"].loc[0, "count"] != -1


# --- Table 1 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "total"),
    [
        ("Length of time in practice", 57),
        ("Specialties", 57),
        ("Mentor training completed", 57),
        # Several answers were allowed in these two sections, so they exceed 57.
        ("Job role", 60),
        ("Mentoring models taught", 77),
    ],
)
def test_table1_section_totals(tables: dict[str, pd.DataFrame], section: str, total: int) -> None:
    table1 = tables["table1"]
    rows = table1[table1["section"] == section]
    assert rows["count"].sum() == total
    assert rows["multiple_answers"].all() == (total > QUESTIONNAIRE_RESPONDENTS)


def test_table1_percent_is_of_all_respondents(tables: dict[str, pd.DataFrame]) -> None:
    table1 = tables["table1"]
    expected = table1["count"] * 100 / QUESTIONNAIRE_RESPONDENTS
    assert (table1["percent"] - expected).abs().max() < 1e-9


# --- Table 2 -------------------------------------------------------------------------------


def test_table2_has_the_four_workwell_components(tables: dict[str, pd.DataFrame]) -> None:
    assert tables["table2"]["component"].tolist() == [
        "Better work",
        "Better relationships",
        "Better specialist support",
        "Better physical and psychological health",
    ]


# --- Table 3 -------------------------------------------------------------------------------


def test_table3_shape(tables: dict[str, pd.DataFrame]) -> None:
    table3 = tables["table3"]
    assert table3.shape[0] == 24 * 6
    assert table3["issue"].nunique() == 24
    assert table3["response"].cat.categories.tolist() == list(TABLE3_RESPONSES)
    assert (table3.groupby("issue", observed=True).size() == 6).all()


def test_table3_rows_sum_to_answered(tables: dict[str, pd.DataFrame]) -> None:
    sums = tables["table3"].groupby("issue", observed=True)["count"].sum()
    assert TABLE3_ANSWERED == 49
    assert sums[sums != TABLE3_ANSWERED].to_dict() == {}


def test_table3_answered_plus_skipped_is_all_respondents() -> None:
    assert TABLE3_ANSWERED + 8 == QUESTIONNAIRE_RESPONDENTS


def test_table3_printed_percent_missing_only_for_bare_zeros(
    tables: dict[str, pd.DataFrame],
) -> None:
    table3 = tables["table3"]
    missing = table3[table3["printed_percent"].isna()]
    assert (missing["count"] == 0).all()
    assert table3[table3["count"] == 0]["printed_percent"].isna().all()


def test_table3_spot_values(tables: dict[str, pd.DataFrame]) -> None:
    table3 = tables["table3"].set_index(["issue", "response"])
    assert table3.loc[("Career development", "Very often"), "count"] == 21
    assert table3.loc[("Engagement", "Do not Recall"), "count"] == 4
    assert table3.loc[("Dealing with injury", "Never"), "printed_percent"] == 39
    assert table3.loc[("Negative thoughts or suicidal ideation", "Never"), "count"] == 27


# --- Table 4 -------------------------------------------------------------------------------


def test_table4_shape(tables: dict[str, pd.DataFrame]) -> None:
    table4 = tables["table4"]
    assert table4.shape[0] == 3 * 2 * 5
    assert sorted(table4["subject"].unique()) == ["mentee", "mentor"]
    assert (table4.groupby(["question_number", "item"]).size() == 5).all()


def test_table4_rows_sum_to_answered(tables: dict[str, pd.DataFrame]) -> None:
    sums = tables["table4"].groupby(["question_number", "item"])["count"].sum()
    assert TABLE4_ANSWERED == 50
    assert sums[sums != TABLE4_ANSWERED].to_dict() == {}
    assert TABLE4_ANSWERED + 7 == QUESTIONNAIRE_RESPONDENTS


# --- printed against recomputed percentages ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "keys"),
    [("table3", ["issue", "response"]), ("table4", ["question_number", "item", "response"])],
)
def test_recomputed_percent_matches_printed(
    tables: dict[str, pd.DataFrame], name: str, keys: list[str]
) -> None:
    assert _percent_mismatches(tables[name], keys) == []


# Every printed count and percentage in Tables 3 and 4 was checked against its row total
# and its recomputed value; none disagree. The printed inconsistencies found in the paper
# are elsewhere (see docs/tutorial-mentorship.md) and are documented here as facts.
KNOWN_MISMATCHES: dict[str, list[tuple[object, ...]]] = {"table3": [], "table4": []}


@pytest.mark.parametrize("name", sorted(KNOWN_MISMATCHES))
def test_known_percent_mismatches_are_exactly_those_documented(
    tables: dict[str, pd.DataFrame], name: str
) -> None:
    keys = ["issue", "response"] if name == "table3" else ["question_number", "item", "response"]
    assert _percent_mismatches(tables[name], keys) == KNOWN_MISMATCHES[name]


def test_printed_interview_counts_do_not_add_up() -> None:
    # Methods: 13 mentors gave 43 interviews; 9 gave four, 2 dropped out after two and 2
    # missed one interview through illness (so gave three). That reading gives 46, not 43.
    assert 9 + 2 + 2 == 13
    assert 9 * 4 + 2 * 2 + 2 * 3 == 46 != 43


def test_printed_response_rate_matches_counts() -> None:
    assert _round_half_up(100 * QUESTIONNAIRE_RESPONDENTS / 181) == 31


# --- Table 5 and Appendix 1 ----------------------------------------------------------------


def test_table5_has_four_themes(tables: dict[str, pd.DataFrame]) -> None:
    table5 = tables["table5"]
    assert table5.drop_duplicates("theme_number")["theme"].tolist() == [
        "Mentorship as a vehicle for better specialist support",
        "Mentorship supporting better personal and professional relationship building",
        "Mentorship supporting better professional and personal well being",
        "Mentorship supporting better working communities and cultures",
    ]
    assert (table5.groupby("theme_number")["statement"].nunique() == 1).all()


@pytest.mark.parametrize(
    ("category", "role"),
    [
        ("Availability", "C"),
        ("Access", "C"),
        ("Engagement with mentorship", "M"),
        ("Mentorship enactment", "M"),
        ("Mentorship as support", "M"),
        ("Relationship Issues brought to Formal Mentoring", "C"),
        ("Informal application of mentoring skills to relationships", "M"),
        ("Developing Collegiate relationships", "M"),
        ("Threats to wellbeing", "C"),
        ("Mentoring Responses to wellbeing threats", "M"),
        ("Mentoring Impacts on wellbeing", "M"),
        ("Perceptions of existing communities and cultures", "C"),
        ("Mentoring mitigating unsupportive workplace context (cultures & communities)", "M"),
        ("Mentoring enhancing culture, community, and care", "M"),
    ],
)
def test_table5_category_role(tables: dict[str, pd.DataFrame], category: str, role: str) -> None:
    table5 = tables["table5"].set_index("category")
    assert table5.loc[category, "role"] == role


def test_table5_has_fourteen_categories(tables: dict[str, pd.DataFrame]) -> None:
    table5 = tables["table5"]
    assert len(table5) == 14
    assert table5["element_id"].is_unique
    assert table5.groupby("theme_number").size().tolist() == [5, 3, 3, 3]


def test_appendix1_has_four_models(tables: dict[str, pd.DataFrame]) -> None:
    appendix1 = tables["appendix1"]
    assert appendix1["model"].tolist() == ["Egan Skilled Helper Model", "GROW", "OSKAR", "CLEAR"]


@pytest.mark.parametrize(
    ("model", "table1_response"),
    [
        ("Egan Skilled Helper Model", "The Egan Skilled Helper model"),
        ("GROW", "GROW"),
        ("OSKAR", "OSKAR"),
        ("CLEAR", "CLEAR"),
    ],
)
def test_appendix1_counts_agree_with_table1(
    tables: dict[str, pd.DataFrame], model: str, table1_response: str
) -> None:
    table1 = tables["table1"]
    count = table1[table1["response"] == table1_response]["count"].item()
    appendix1 = tables["appendix1"].set_index("model")
    assert appendix1.loc[model, "table1_count"] == count
