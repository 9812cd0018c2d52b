"""The tables of Steven et al. (2022) as tidy pandas DataFrames.

The worked example's paper (doi 10.24384/wape-nv13) prints four tables and an appendix
table; :func:`mentorship_tables` returns each as a long-format DataFrame. Counts are
carried over exactly as printed. Where the paper prints percentages they are kept in a
``printed_percent`` column and recomputed from the counts in a ``percent`` column, so the
two can be compared; the tests in ``tests/test_examples_tables.py`` do that.

Sentences in the paper (Table 2's component descriptions, Table 5's configuration
statements, Appendix 1's model descriptions) are paraphrased here, not quoted; short
labels (issues, response options, category names) are kept as printed.

The data live in plain tuples so that importing this module does not import pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["mentorship_tables"]

QUESTIONNAIRE_RESPONDENTS = 57
"""People who returned the questionnaire (57 of 181 invited)."""

TABLE3_ANSWERED = 49
"""Respondents who answered the Table 3 question (8 skipped it)."""

TABLE4_ANSWERED = 50
"""Respondents who answered the Table 4 questions (7 skipped all three)."""

# Table 1: (section, response, count, respondents could give several answers).
_TABLE1: tuple[tuple[str, str, int, bool], ...] = (
    ("Job role", "Consultant", 45, True),
    ("Job role", "Trainee", 4, True),
    ("Job role", "Retired", 2, True),
    ("Job role", "'Other'", 9, True),
    ("Length of time in practice", "21+ years", 13, False),
    ("Length of time in practice", "16-20 years", 14, False),
    ("Length of time in practice", "11-15 years", 14, False),
    ("Length of time in practice", "6-10 years", 9, False),
    ("Length of time in practice", "less than 5 years", 7, False),
    ("Specialties", "Anaesthesia/ Surgery", 15, False),
    ("Specialties", "Medical specialties", 11, False),
    ("Specialties", "Obstetrics/gynaecology/ Paediatrics", 6, False),
    ("Specialties", "Specialties working with longer term patient groups", 6, False),
    ("Specialties", "Biomedical specialties", 5, False),
    ("Specialties", "No information given", 14, False),
    ("Mentor training completed", "16-20 years ago", 7, False),
    ("Mentor training completed", "11-15 years ago", 15, False),
    ("Mentor training completed", "6-10 years ago", 21, False),
    ("Mentor training completed", "2-5 years ago", 13, False),
    ("Mentor training completed", "No information given", 1, False),
    ("Mentoring models taught", "The Egan Skilled Helper model", 44, True),
    ("Mentoring models taught", "GROW", 10, True),
    ("Mentoring models taught", "OSKAR", 2, True),
    ("Mentoring models taught", "CLEAR", 7, True),
    ("Mentoring models taught", "Cannot remember", 8, True),
    ("Mentoring models taught", "More than one model", 4, True),
    ("Mentoring models taught", "Other", 2, True),
)

# Table 2: (component as printed, paraphrase of the paper's description).
_TABLE2: tuple[tuple[str, str], ...] = (
    (
        "Better work",
        "A working environment that engages and supports staff, with clear values and goals.",
    ),
    (
        "Better relationships",
        "Good relationships with colleagues and wider networks, giving the social capital "
        "that promotes health and engagement.",
    ),
    (
        "Better specialist support",
        "Help and interventions for health and wellbeing, such as training, counselling, "
        "occupational health and human resources.",
    ),
    (
        "Better physical and psychological health",
        "A safe and pleasant place to work, and encouragement of healthy behaviour such as "
        "diet, exercise and emotional resilience.",
    ),
)

TABLE3_RESPONSES: tuple[str, ...] = (
    "Very often",
    "Fairly Often",
    "Sometimes",
    "Almost Never",
    "Never",
    "Do not Recall",
)
"""Table 3's six response options, in printed order."""

# Table 3: issue -> six (count, printed percent or None where the paper prints a bare 0).
_TABLE3: tuple[tuple[str, tuple[tuple[int, int | None], ...]], ...] = (
    ("Career development", ((21, 43), (21, 43), (6, 12), (1, 2), (0, None), (0, None))),
    ("Work-life balance", ((20, 41), (16, 33), (8, 16), (4, 8), (1, 2), (0, None))),
    ("Assessments/education", ((17, 35), (13, 27), (15, 31), (4, 8), (0, None), (0, None))),
    ("Relationships with colleagues", ((16, 33), (20, 41), (9, 18), (2, 4), (2, 4), (0, None))),
    ("Career choice", ((14, 29), (22, 45), (8, 16), (3, 6), (2, 4), (0, None))),
    ("Workload", ((14, 29), (27, 55), (6, 12), (1, 2), (1, 2), (0, None))),
    ("Stress", ((13, 27), (20, 41), (11, 22), (3, 6), (2, 4), (0, None))),
    ("Taking an opportunity", ((12, 24), (20, 41), (12, 24), (2, 4), (3, 6), (0, None))),
    ("Morale", ((11, 22), (21, 43), (12, 24), (4, 8), (1, 2), (0, None))),
    ("Developing teams/services", ((10, 20), (13, 27), (15, 31), (8, 16), (3, 6), (0, None))),
    ("Managing change", ((9, 18), (23, 47), (11, 22), (4, 8), (2, 4), (0, None))),
    ("Managing a crisis", ((8, 16), (21, 43), (10, 20), (8, 16), (2, 4), (0, None))),
    ("Engagement", ((8, 16), (10, 20), (17, 35), (4, 8), (6, 12), (4, 8))),
    ("Self-confidence", ((6, 12), (20, 41), (16, 33), (4, 8), (3, 6), (0, None))),
    (
        "Thinking through clinical situations",
        ((6, 12), (13, 27), (14, 29), (11, 22), (5, 10), (0, None)),
    ),
    (
        "Coping with work after injury or illness",
        ((4, 8), (8, 16), (23, 47), (4, 8), (9, 18), (1, 2)),
    ),
    ("Dealing with illness", ((4, 8), (5, 10), (28, 57), (5, 10), (6, 12), (1, 2))),
    ("Personal relationships", ((4, 8), (9, 18), (12, 24), (13, 27), (10, 20), (1, 2))),
    ("Bullying/harassment", ((2, 4), (10, 20), (21, 43), (8, 16), (6, 12), (2, 4))),
    (
        "Return to work after injury or illness",
        ((3, 6), (9, 18), (16, 33), (9, 18), (10, 20), (2, 4)),
    ),
    (
        "Mental health issues e.g., depression, substance abuse, addictions",
        ((1, 2), (5, 10), (14, 29), (11, 22), (15, 31), (3, 6)),
    ),
    (
        "Negative thoughts or suicidal ideation",
        ((1, 2), (1, 2), (7, 14), (10, 20), (27, 55), (3, 6)),
    ),
    ("Physical health", ((1, 2), (4, 8), (17, 35), (13, 27), (13, 27), (1, 2))),
    ("Dealing with injury", ((0, None), (3, 6), (12, 24), (12, 24), (19, 39), (3, 6))),
)

_TABLE4_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "On the whole, do you think involvement in mentoring influences:",
        ("Very Positively", "Positively", "Undecided", "Negatively", "Very Negatively"),
    ),
    (
        "Overall to what extent do you think involvement in mentoring affects Drs health "
        "and well-being?",
        ("Very Positively", "Positively", "Undecided", "Negatively", "Very Negatively"),
    ),
    (
        "To what extent do you think mentoring leads to a supportive environment?",
        ("Very much", "Somewhat", "Undecided", "Not Really", "Not at all"),
    ),
)

# Table 4: (question number, item as printed, subject, five (count, printed percent)).
_TABLE4: tuple[tuple[int, str, str, tuple[tuple[int, int | None], ...]], ...] = (
    (
        1,
        "Mentees Health and Wellbeing",
        "mentee",
        ((17, 34), (30, 60), (3, 6), (0, None), (0, None)),
    ),
    (1, "Mentors Health and Wellbeing", "mentor", ((12, 24), (29, 58), (7, 14), (2, 4), (0, None))),
    (
        2,
        "Mentees Health and Wellbeing",
        "mentee",
        ((21, 42), (25, 50), (4, 8), (0, None), (0, None)),
    ),
    (2, "Mentors Health and Wellbeing", "mentor", ((17, 34), (23, 46), (9, 18), (1, 2), (0, None))),
    (3, "For the mentee", "mentee", ((33, 66), (16, 32), (1, 2), (0, None), (0, None))),
    (3, "For the mentor", "mentor", ((22, 44), (16, 32), (8, 16), (4, 8), (0, None))),
)

# Table 5: (theme number, theme id, theme as printed, category as printed, role,
# element id in mentorship.yaml, the printed bullet the category comes from).
_TABLE5_THEMES: tuple[tuple[int, str, str, str], ...] = (
    (
        1,
        "specialist_support",
        "Mentorship as a vehicle for better specialist support",
        "Availability and access make engagement possible; engagement lets mentorship be "
        "enacted, enacted mentorship is experienced as support, and so mentorship serves as "
        "a vehicle for better specialist support.",
    ),
    (
        2,
        "relationships",
        "Mentorship supporting better personal and professional relationship building",
        "Mentoring skills applied to relationship issues, in formal sessions or informally, "
        "let collegiate relationships grow, so mentorship supports better relationship "
        "building.",
    ),
    (
        3,
        "wellbeing",
        "Mentorship supporting better professional and personal well being",
        "When mentoring skills are turned on threats to wellbeing, wellbeing improves, so "
        "mentorship supports better professional and personal wellbeing.",
    ),
    (
        4,
        "communities",
        "Mentorship supporting better working communities and cultures",
        "Used to soften unsupportive workplaces and the views people hold of them, "
        "mentorship helps improve culture, community and care, and so supports better "
        "working communities and cultures.",
    ),
)

_TABLE5_CATEGORIES: tuple[tuple[int, str, str, str, str], ...] = (
    (
        1,
        "Availability",
        "C",
        "availability",
        "Availability, access (Cs) and engagement with mentorship (M)",
    ),
    (1, "Access", "C", "access", "Availability, access (Cs) and engagement with mentorship (M)"),
    (
        1,
        "Engagement with mentorship",
        "M",
        "engagement_with_mentorship",
        "Availability, access (Cs) and engagement with mentorship (M)",
    ),
    (1, "Mentorship enactment", "M", "mentorship_enactment", "Mentorship enactment (M)"),
    (1, "Mentorship as support", "M", "mentorship_as_support", "Mentorship as support (M)"),
    (
        2,
        "Relationship Issues brought to Formal Mentoring",
        "C",
        "relationship_issues",
        "Relationship Issues brought to Formal Mentoring (C)",
    ),
    (
        2,
        "Informal application of mentoring skills to relationships",
        "M",
        "informal_skills_application",
        "Informal application of mentoring skills to relationships (M)",
    ),
    (
        2,
        "Developing Collegiate relationships",
        "M",
        "collegiate_relationships",
        "Developing Collegiate relationships (M)",
    ),
    (3, "Threats to wellbeing", "C", "wellbeing_threats", "Threats to wellbeing (C)"),
    (
        3,
        "Mentoring Responses to wellbeing threats",
        "M",
        "responses_to_threats",
        "Mentoring Responses to wellbeing threats (M)",
    ),
    (
        3,
        "Mentoring Impacts on wellbeing",
        "M",
        "impacts_on_wellbeing",
        "Mentoring Impacts on wellbeing (M)",
    ),
    (
        4,
        "Perceptions of existing communities and cultures",
        "C",
        "existing_cultures",
        "Perceptions of existing communities and cultures (C)",
    ),
    (
        4,
        "Mentoring mitigating unsupportive workplace context (cultures & communities)",
        "M",
        "mitigating_unsupportive_context",
        "Mentoring mitigating unsupportive workplace context (cultures & communities) (M)",
    ),
    (
        4,
        "Mentoring enhancing culture, community, and care",
        "M",
        "enhancing_culture",
        "Mentoring enhancing culture, community, and care (M)",
    ),
)

# Appendix 1: (model as printed, element id, paraphrase, steps, reference as printed,
# Table 1 count of respondents taught it).
_APPENDIX1: tuple[tuple[str, str, str, str, str, int], ...] = (
    (
        "Egan Skilled Helper Model",
        "egan_skilled_helper",
        "A framework for managing problems and developing opportunities.",
        "",
        "Egan 2010",
        44,
    ),
    (
        "GROW",
        "grow_model",
        "A coaching model that sets out the process in four key steps.",
        "Goal, Reality, Options, Will/ Wrap up",
        "Grant (2011)",
        10,
    ),
    (
        "OSKAR",
        "oskar_model",
        "Solution-focused coaching that looks for solutions rather than analysing the problem.",
        "",
        "Passmore and Sinclair, 2020",
        2,
    ),
    (
        "CLEAR",
        "clear_model",
        "A model similar to GROW, in five phases.",
        "contract, listen, explore, action, review",
        "Hawkins (2020)",
        7,
    ),
)


def _percent(count: int, base: int) -> float:
    return 100.0 * count / base


def _table1() -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "section": section,
                "response": response,
                "count": count,
                "percent": _percent(count, QUESTIONNAIRE_RESPONDENTS),
                "multiple_answers": multiple,
            }
            for section, response, count, multiple in _TABLE1
        ]
    )
    return frame


def _table2() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(_TABLE2, columns=["component", "summary"])


def _with_percent_columns(frame: pd.DataFrame, base: int) -> pd.DataFrame:
    frame["printed_percent"] = frame["printed_percent"].astype("Float64")
    frame["percent"] = frame["count"] * 100.0 / base
    return frame


def _table3() -> pd.DataFrame:
    import pandas as pd

    rows = [
        {
            "issue": issue,
            "response": response,
            "count": count,
            "printed_percent": printed,
        }
        for issue, cells in _TABLE3
        for response, (count, printed) in zip(TABLE3_RESPONSES, cells, strict=True)
    ]
    frame = pd.DataFrame(rows)
    frame["issue"] = pd.Categorical(
        frame["issue"], categories=[issue for issue, _ in _TABLE3], ordered=True
    )
    frame["response"] = pd.Categorical(
        frame["response"], categories=list(TABLE3_RESPONSES), ordered=True
    )
    return _with_percent_columns(frame, TABLE3_ANSWERED)


def _table4() -> pd.DataFrame:
    import pandas as pd

    rows = [
        {
            "question_number": number,
            "question": _TABLE4_QUESTIONS[number - 1][0],
            "item": item,
            "subject": subject,
            "response": response,
            "position": position,
            "count": count,
            "printed_percent": printed,
        }
        for number, item, subject, cells in _TABLE4
        for position, (response, (count, printed)) in enumerate(
            zip(_TABLE4_QUESTIONS[number - 1][1], cells, strict=True), start=1
        )
    ]
    return _with_percent_columns(pd.DataFrame(rows), TABLE4_ANSWERED)


def _table5() -> pd.DataFrame:
    import pandas as pd

    themes = {
        number: (theme_id, theme, statement)
        for number, theme_id, theme, statement in _TABLE5_THEMES
    }
    rows = [
        {
            "theme_number": number,
            "theme_id": themes[number][0],
            "theme": themes[number][1],
            "category": category,
            "role": role,
            "element_id": element_id,
            "printed_category": printed,
            "statement": themes[number][2],
        }
        for number, category, role, element_id, printed in _TABLE5_CATEGORIES
    ]
    return pd.DataFrame(rows)


def _appendix1() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        _APPENDIX1,
        columns=["model", "element_id", "summary", "steps", "reference", "table1_count"],
    )


def mentorship_tables() -> dict[str, pd.DataFrame]:
    """Return the tables of Steven et al. (2022) as tidy DataFrames.

    Each call builds fresh DataFrames, so callers may change them freely. Labels are as
    printed; sentences are paraphrased. ``percent`` columns are recomputed from the counts
    and not rounded; ``printed_percent`` holds the whole-number percentage the paper prints
    and is missing (``<NA>``) where the paper prints a bare ``0``.

    The keys and their columns:

    - ``table1``: questionnaire respondent characteristics (57 respondents). Columns
      ``section``, ``response``, ``count``, ``percent`` (of 57; the paper prints no
      percentages) and ``multiple_answers`` (True for the job role and model sections, where
      respondents could tick several answers, so counts there add up to more than 57).
    - ``table2``: the four components of the Business in the Community Workwell model.
      Columns ``component`` and ``summary`` (paraphrased).
    - ``table3``: issues discussed in mentoring sessions, 24 issues by 6 response options,
      one row per issue and option (144 rows; 49 answered). Columns ``issue`` and
      ``response`` (ordered categoricals in printed order), ``count``, ``printed_percent``
      and ``percent`` (of 49).
    - ``table4``: perceived impact of mentoring, 3 questions by 2 subjects by 5 options
      (30 rows; 50 answered). Columns ``question_number`` (1-3), ``question`` and ``item``
      (as printed), ``subject`` (``"mentee"`` or ``"mentor"``), ``response``, ``position``
      (1 is the most positive option, 5 the most negative), ``count``, ``printed_percent``
      and ``percent`` (of 50).
    - ``table5``: outcome themes and their categories, one row per category (14 rows).
      Columns ``theme_number`` (1-4), ``theme_id`` (the theme's id in the bundled model),
      ``theme`` (as printed), ``category`` (as printed, the first bullet of theme 1 split
      into its three categories), ``role`` (``"C"`` or ``"M"`` as printed), ``element_id``
      (the element's id in the bundled model), ``printed_category`` (the bullet it comes
      from) and ``statement`` (the theme's configuration statement, paraphrased).
    - ``appendix1``: the four mentoring models. Columns ``model`` (as printed),
      ``element_id``, ``summary`` (paraphrased), ``steps`` (the named steps, empty where the
      appendix names none), ``reference`` (as printed) and ``table1_count`` (respondents who
      said they were taught it, from Table 1).

    Returns:
        A new dict mapping ``"table1"`` ... ``"table5"`` and ``"appendix1"`` to DataFrames.

    Example:
        >>> tables = mentorship_tables()
        >>> sorted(tables)
        ['appendix1', 'table1', 'table2', 'table3', 'table4', 'table5']
        >>> table3 = tables["table3"]
        >>> table3.groupby("issue", observed=True)["count"].sum().unique().tolist()
        [49]
        >>> row = table3[(table3.issue == "Workload") & (table3.response == "Fairly Often")]
        >>> int(row["count"].iloc[0]), int(row["printed_percent"].iloc[0])
        (27, 55)
        >>> tables["table5"].groupby("role").size().to_dict()
        {'C': 5, 'M': 9}
    """
    return {
        "table1": _table1(),
        "table2": _table2(),
        "table3": _table3(),
        "table4": _table4(),
        "table5": _table5(),
        "appendix1": _appendix1(),
    }
