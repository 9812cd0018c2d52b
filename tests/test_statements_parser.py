"""Tests for cmokit.statements.parser: words, names, grammar and resolution errors."""

from __future__ import annotations

import pytest

import cmokit.examples
from cmokit import (
    Configuration,
    Context,
    Mechanism,
    Outcome,
    ProgrammeTheory,
    Stage,
    StatementError,
)
from cmokit.statements import ConfigurationClause, NameIndex, ReachClause, parse
from cmokit.statements.parser import normalise_name, tokenize


@pytest.fixture(scope="module")
def hygiene() -> ProgrammeTheory:
    return cmokit.examples.hand_hygiene()


@pytest.fixture(scope="module")
def tricky() -> ProgrammeTheory:
    """Names that contain grammar words: 'and', verbs, articles, commas, a prefix of another."""
    return ProgrammeTheory(
        title="Tricky names",
        items=[
            Stage("early", "Early days"),
            Context("trust", "Trust and confidentiality", stage="early"),
            Context("cohesion", "Cohesive, supportive teams"),
            Context("in_person", "In-person sessions"),
            Mechanism("support", "Mentorship as support", aliases=["the support"]),
            Mechanism("support_groups", "Support groups"),
            Mechanism("listening", "Listening", aliases=["active listening"]),
            Outcome("wellbeing", "Better wellbeing"),
            Outcome("a", "A"),
            Outcome("twin_one", "Twin outcome"),
            Outcome("twin_two", "Twin outcome"),
            Configuration(
                "cmo1",
                contexts=["trust", "cohesion", "in_person"],
                mechanisms=["support", "support_groups", "listening"],
                outcomes=["wellbeing", "a"],
            ),
        ],
    )


def clause_strings(theory: ProgrammeTheory, text: str) -> list[str]:
    return [str(clause) for clause in parse(theory, text)]


def test_tokenize_keeps_positions_and_splits_on_hyphens_and_underscores() -> None:
    tokens = tokenize("Peer-feedback_x, ok.")
    assert [(t.word, t.start, t.end, t.is_word) for t in tokens] == [
        ("peer", 0, 4, True),
        ("feedback", 5, 13, True),
        ("x", 14, 15, True),
        (",", 15, 16, False),
        ("ok", 17, 19, True),
        (".", 19, 20, False),
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("peer_feedback", ("peer", "feedback")),
        ("The Peer-Feedback", ("peer", "feedback")),
        ("Cohesive, supportive teams", ("cohesive", "supportive", "teams")),
        ("Egan\u2019s model", ("egan's", "model")),
        ("A", ("a",)),
        ("Skills & tools", ("skills", "and", "tools")),
    ],
)
def test_normalise_name(name: str, words: tuple[str, ...]) -> None:
    assert normalise_name(name) == words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Audit data enables peer feedback.", ["audit_data → peer_feedback"]),
        ("audit_data ENABLES Peer-Feedback", ["audit_data → peer_feedback"]),
        ("The audit data leads to the engaged", ["audit_data → engaged"]),
        ("Ward has regular audit data triggers peer feedback", ["audit_data → peer_feedback"]),
        ("Audit data can also often lead to engaged.", ["audit_data → engaged"]),
        ("Audit data in turn gives rise to engaged.", ["audit_data → engaged"]),
        (
            "Audit data and hierarchy enable peer feedback.",
            ["audit_data + hierarchy → peer_feedback"],
        ),
        (
            "Audit data, hierarchy, and peer feedback lead to blame.",
            ["audit_data + hierarchy + peer_feedback → blame"],
        ),
        (
            "Audit data enables peer feedback, which leads to engaged, which becomes habit.",
            ["audit_data → peer_feedback", "peer_feedback → engaged", "engaged → habit"],
        ),
        (
            "Peer feedback leads to engaged and results in blame.",
            ["peer_feedback → engaged", "peer_feedback → blame"],
        ),
        (
            "Audit data enables peer feedback. Habit leads to compliance; Habit causes compliance",
            ["audit_data → peer_feedback", "habit → compliance", "habit → compliance"],
        ),
        ("Habit does not lead to blame.", ["habit ↛ blame"]),
        ("Habit doesn't produce blame.", ["habit ↛ blame"]),
        ("Habit don\u2019t produce blame.", ["habit ↛ blame"]),
        ("Habit cannot cause blame.", ["habit ↛ blame"]),
        ("Habit can not cause blame.", ["habit ↛ blame"]),
        ("Peer feedback directly facilitates engaged.", ["peer_feedback directly reaches engaged"]),
        ("Peer feedback leads directly to engaged.", ["peer_feedback directly reaches engaged"]),
        (
            "Habit does not directly lead to blame.",
            ["habit does not directly reach blame"],
        ),
        (
            "In audit data, peer feedback leads to engaged.",
            ["in audit_data, peer_feedback → engaged"],
        ),
        (
            "Where audit data and hierarchy, peer feedback and habit lead to engaged and blame.",
            ["in audit_data + hierarchy, peer_feedback + habit → engaged + blame"],
        ),
        (
            "In engaged, habit directly leads to compliance, which does not lead to blame.",
            ["in engaged, habit directly leads to compliance", "compliance ↛ blame"],
        ),
    ],
)
def test_statements_parse_into_clauses(
    hygiene: ProgrammeTheory, text: str, expected: list[str]
) -> None:
    assert clause_strings(hygiene, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'and' inside a label is part of the name, not a list
        ("Trust and confidentiality leads to better wellbeing", ["trust → wellbeing"]),
        # a verb inside a label ('support') does not end the name
        ("Mentorship as support leads to better wellbeing", ["support → wellbeing"]),
        # the longest name wins over its prefix
        ("Support groups lead to better wellbeing", ["support_groups → wellbeing"]),
        # an alias made of an article and a verb-word
        ("The support leads to better wellbeing", ["support → wellbeing"]),
        ("Active listening leads to better wellbeing", ["listening → wellbeing"]),
        # a comma inside a label
        ("Cohesive, supportive teams lead to better wellbeing", ["cohesion → wellbeing"]),
        ("Cohesive supportive teams lead to better wellbeing", ["cohesion → wellbeing"]),
        # a name that begins with the configuration opener 'in'
        ("In-person sessions lead to better wellbeing", ["in_person → wellbeing"]),
        (
            "In in-person sessions, listening leads to better wellbeing",
            ["in in_person, listening → wellbeing"],
        ),
        # an element whose whole name is an article
        ("Listening leads to a", ["listening → a"]),
        # commas split contexts from mechanisms at the first comma followed only by mechanisms
        (
            "In trust, cohesion, support, support groups and listening lead to a",
            ["in trust + cohesion, support + support_groups + listening → a"],
        ),
    ],
)
def test_names_containing_grammar_words(
    tricky: ProgrammeTheory, text: str, expected: list[str]
) -> None:
    assert clause_strings(tricky, text) == expected


def test_references_keep_their_words_and_positions(hygiene: ProgrammeTheory) -> None:
    (clause,) = parse(hygiene, "The audit data leads to habit formation.")
    assert isinstance(clause, ReachClause)
    assert clause.sources[0].text == "audit data"
    assert clause.sources[0].position == 4
    assert clause.targets[0].id == "habit"
    assert clause.text == "The audit data leads to habit formation"


def test_configuration_clause_fields(hygiene: ProgrammeTheory) -> None:
    (clause,) = parse(hygiene, "In a steep ward hierarchy, peer feedback does not lead to blame")
    assert isinstance(clause, ConfigurationClause)
    assert [r.id for r in clause.contexts] == ["hierarchy"]
    assert [r.id for r in clause.mechanisms] == ["peer_feedback"]
    assert [r.id for r in clause.outcomes] == ["blame"]
    assert clause.negated and not clause.direct


def test_name_index_can_be_reused(hygiene: ProgrammeTheory) -> None:
    index = NameIndex(hygiene)
    assert parse(index, "Habit leads to compliance") == parse(hygiene, "Habit leads to compliance")


# ------------------------------------------------------------------------------ errors


def error_for(theory: ProgrammeTheory, text: str) -> StatementError:
    with pytest.raises(StatementError) as caught:
        parse(theory, text)
    return caught.value


def test_unknown_reference_suggests_and_points_at_the_word(hygiene: ProgrammeTheory) -> None:
    err = error_for(hygiene, "Audit data leads to habbit formation.")
    assert "no element is named 'habbit formation'" in err.message
    assert "did you mean 'habit' (Habit formation)?" in err.message
    assert err.position == 20
    assert err.statement == "Audit data leads to habbit formation."
    assert str(err).endswith("\n  " + " " * 20 + "^")


def test_unknown_subject_stops_at_the_verb(hygiene: ProgrammeTheory) -> None:
    err = error_for(hygiene, "Stigma leads to engaged")
    assert "no element is named 'Stigma'" in err.message
    assert "cmokit show" in err.message
    assert err.position == 0


def test_shortened_label_suggests_the_labels_that_contain_it(hygiene: ProgrammeTheory) -> None:
    err = error_for(hygiene, "Audit data leads to feedback")
    assert "'peer_feedback' (Peer feedback)" in err.message
    assert "'engaged' (Staff engage with feedback)" in err.message


def test_naming_a_stage_says_so(tricky: ProgrammeTheory) -> None:
    err = error_for(tricky, "Early days lead to better wellbeing")
    assert "it names stage 'early'" in err.message


def test_ambiguous_reference_lists_candidates(tricky: ProgrammeTheory) -> None:
    err = error_for(tricky, "Listening leads to twin outcome")
    assert "'twin outcome' is ambiguous" in err.message
    assert "'twin_one' (Twin outcome)" in err.message
    assert "'twin_two' (Twin outcome)" in err.message
    assert err.position == 19


def test_an_exact_id_settles_an_ambiguity() -> None:
    theory = ProgrammeTheory(
        items=[Context("habit", "Routine"), Mechanism("routine", "Habit"), Outcome("o", "O")]
    )
    with pytest.raises(StatementError, match="ambiguous"):
        parse(theory, "HABIT leads to o")
    (clause,) = parse(theory, "habit leads to o")
    assert isinstance(clause, ReachClause)
    assert clause.sources[0].id == "habit"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        (
            "Audit data peer feedback.",
            "expected a verb such as 'enables' or 'leads to' after 'Audit data', found 'peer'",
            11,
        ),
        (
            "Audit data leads to engaged staff",
            "expected the end of the sentence after 'engaged', found 'staff'",
            28,
        ),
        ("Audit data or hierarchy leads to engaged", "'or' is not part of the statement", 11),
        ("Audit data leads to", "expected the name of an element, found the end", 19),
        ("Audit data leads to , engaged", "expected the name of an element, found ','", 20),
        ("  . ", "the statement is empty", 0),
        ("In audit data peer feedback leads to engaged", "needs a comma between contexts", 14),
        ("In audit data and hierarchy leads to engaged", "needs a comma between contexts", 28),
    ],
)
def test_unparseable_statements_point_at_the_word(
    hygiene: ProgrammeTheory, text: str, message: str, position: int
) -> None:
    err = error_for(hygiene, text)
    assert message in err.message
    assert err.position == position
