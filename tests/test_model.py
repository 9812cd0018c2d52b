"""Tests for cmokit.model: the frozen value classes and their validation."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from cmokit import (
    Configuration,
    Context,
    ElementKind,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    OutcomeKind,
    Stage,
    Stance,
    Theme,
)

ID_CLASSES = [Context, Mechanism, Outcome, Configuration, Stage, Theme, Evidence, Figure]


@pytest.mark.parametrize("cls", ID_CLASSES)
@pytest.mark.parametrize("good_id", ["c1", "CMOC 1", "ünïcödé", "🙂", "a-b.c:d"])
def test_ids_that_are_accepted(cls: type[Any], good_id: str) -> None:
    assert cls(good_id).id == good_id


@pytest.mark.parametrize("cls", ID_CLASSES)
@pytest.mark.parametrize(
    ("bad_id", "error"),
    [
        ("", ValueError),
        (" padded", ValueError),
        ("padded ", ValueError),
        ("two\nlines", ValueError),
        (5, TypeError),
        (None, TypeError),
    ],
)
def test_ids_that_are_refused_name_the_field(
    cls: type[Any], bad_id: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^id must be"):
        cls(bad_id)


@pytest.mark.parametrize("cls", [Context, Mechanism, Outcome, Stage, Theme])
def test_label_defaults_to_the_id(cls: type[Any]) -> None:
    assert cls("x1").label == "x1"
    assert cls("x1", "Given").label == "Given"


@pytest.mark.parametrize("cls", [Context, Mechanism, Outcome, Stage, Theme])
def test_label_must_be_text(cls: type[Any]) -> None:
    with pytest.raises(TypeError, match="label must be text, not int 5"):
        cls("x1", 5)


@pytest.mark.parametrize(
    ("cls", "kind", "letter"),
    [
        (Context, ElementKind.CONTEXT, "C"),
        (Mechanism, ElementKind.MECHANISM, "M"),
        (Outcome, ElementKind.OUTCOME, "O"),
    ],
)
def test_each_element_class_knows_its_kind(cls: type[Any], kind: ElementKind, letter: str) -> None:
    assert cls.element_kind is kind
    assert cls("x").element_kind.letter == letter


def test_element_fields_have_documented_defaults() -> None:
    context = Context("c")
    assert (context.description, context.stage, context.tags, context.aliases, context.meta) == (
        None,
        None,
        (),
        (),
        {},
    )


@pytest.mark.parametrize("field", ["description", "stage"])
def test_optional_text_fields_refuse_other_types(field: str) -> None:
    with pytest.raises(TypeError, match=f"^{field} must be text, not list"):
        Context("c", **{field: ["x"]})


@pytest.mark.parametrize("field", ["tags", "aliases"])
def test_string_lists_become_tuples(field: str) -> None:
    value = getattr(Context("c", **{field: ["a", "b"]}), field)
    assert value == ("a", "b")
    assert isinstance(value, tuple)


@pytest.mark.parametrize("field", ["tags", "aliases"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("barrier", "must be a list of strings, not str"),
        (5, "must be a list of strings, not int"),
        (["ok", 3], "must hold strings, not int 3"),
    ],
)
def test_string_lists_refuse_a_bare_string_or_non_strings(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(TypeError, match=f"^{field} {message}"):
        Context("c", **{field: value})


def test_none_for_a_list_field_means_empty() -> None:
    assert Context("c", tags=None).tags == ()


def test_mechanism_splits_resource_and_reasoning() -> None:
    mechanism = Mechanism("m", resource="Monthly sessions", reasoning="Staff feel accountable")
    assert (mechanism.resource, mechanism.reasoning) == (
        "Monthly sessions",
        "Staff feel accountable",
    )
    assert Mechanism("m").resource is None
    assert Mechanism("m").reasoning is None


def test_mechanism_resource_must_be_text() -> None:
    with pytest.raises(TypeError, match=r"^resource must be text"):
        Mechanism("m", resource=1)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, OutcomeKind.INTENDED),
        ("intended", OutcomeKind.INTENDED),
        ("unintended", OutcomeKind.UNINTENDED),
        (OutcomeKind.UNINTENDED, OutcomeKind.UNINTENDED),
    ],
)
def test_outcome_kind_accepts_values_and_members(given: object, expected: OutcomeKind) -> None:
    outcome = Outcome("o") if given is None else Outcome("o", kind=given)
    assert outcome.kind is expected


def test_outcome_kind_refusal_lists_the_allowed_values() -> None:
    with pytest.raises(
        ValueError, match="kind must be one of 'intended', 'unintended', not 'side'"
    ):
        Outcome("o", kind="side")


def test_configuration_holds_tuples_of_ids() -> None:
    config = Configuration(
        "K", contexts=["c"], mechanisms=["m1", "m2"], outcomes=["o"], statement="s", theme="t"
    )
    assert config.contexts == ("c",)
    assert config.mechanisms == ("m1", "m2")
    assert config.outcomes == ("o",)
    assert (config.statement, config.theme) == ("s", "t")


def test_configuration_may_have_empty_parts() -> None:
    config = Configuration("K", contexts=["c"])
    assert config.mechanisms == ()
    assert config.outcomes == ()


def test_configuration_elements_are_in_order_without_repeats() -> None:
    config = Configuration("K", contexts=["c", "o0"], mechanisms=["m", "c"], outcomes=["o1", "o0"])
    assert config.elements == ("c", "o0", "m", "o1")


@pytest.mark.parametrize("field", ["contexts", "mechanisms", "outcomes"])
def test_configuration_parts_must_be_lists_of_strings(field: str) -> None:
    with pytest.raises(TypeError, match=f"^{field} must be a list of strings, not str"):
        Configuration("K", **{field: "c"})


def test_configuration_takes_its_parts_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        Configuration("K", ["c"])  # type: ignore[misc]


def test_link_label_is_optional_and_ends_are_checked() -> None:
    assert Link("a", "b").label is None
    assert Link("a", "b", "reinforces").label == "reinforces"
    with pytest.raises(ValueError, match=r"^target must be non-empty"):
        Link("a", "")
    with pytest.raises(TypeError, match=r"^label must be text"):
        Link("a", "b", 3)  # type: ignore[arg-type]


def test_evidence_takes_source_participant_and_case_in_order() -> None:
    evidence = Evidence("E1", "Quote", "interview", "N3", "Ward A", about=["CMOC1"])
    assert (evidence.source, evidence.participant, evidence.case) == ("interview", "N3", "Ward A")
    assert evidence.about == ("CMOC1",)
    assert evidence.stance is Stance.SUPPORTS
    assert Evidence("E2").text == ""


@pytest.mark.parametrize("stance", ["contradicts", Stance.CONTRADICTS])
def test_evidence_stance_accepts_values_and_members(stance: object) -> None:
    assert Evidence("E", stance=stance).stance is Stance.CONTRADICTS


def test_evidence_stance_refusal_lists_the_allowed_values() -> None:
    with pytest.raises(ValueError, match="stance must be one of 'supports', 'contradicts'"):
        Evidence("E", stance="neutral")


def test_evidence_text_must_be_text() -> None:
    with pytest.raises(TypeError, match=r"^text must be text"):
        Evidence("E", None)  # type: ignore[arg-type]


def test_figure_defaults_leave_everything_to_the_renderer() -> None:
    figure = Figure("f")
    assert (figure.title, figure.around, figure.steps, figure.direction) == (None,) * 4
    assert (figure.legend, figure.wrap, figure.edge_labels, figure.evidence_counts) == (None,) * 4
    assert (figure.stages, figure.themes) == ((), ())


def test_figure_accepts_valid_settings() -> None:
    figure = Figure(
        "f",
        title="T",
        stages=["s"],
        themes=["t"],
        around="c",
        steps=0,
        direction="TB",
        legend=False,
        wrap=20,
        edge_labels=True,
        evidence_counts=False,
    )
    assert (figure.steps, figure.direction, figure.legend, figure.wrap) == (0, "TB", False, 20)


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"steps": -1}, TypeError, "steps must be a whole number >= 0, not -1"),
        ({"steps": True}, TypeError, "steps must be a whole number >= 0, not True"),
        ({"wrap": 2.5}, TypeError, "wrap must be a whole number >= 0, not 2.5"),
        ({"legend": "yes"}, TypeError, "legend must be true or false, not 'yes'"),
        ({"edge_labels": 1}, TypeError, "edge_labels must be true or false, not 1"),
        ({"evidence_counts": "no"}, TypeError, "evidence_counts must be true or false"),
        (
            {"direction": "up"},
            ValueError,
            "direction must be one of 'LR', 'TB', 'RL', 'BT', not 'up'",
        ),
        ({"stages": "s"}, TypeError, "stages must be a list of strings"),
        ({"title": 1}, TypeError, "title must be text"),
    ],
)
def test_figure_refuses_bad_settings_with_a_plain_message(
    settings: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        Figure("f", **settings)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "value",
    [
        Context("c"),
        Configuration("K"),
        Link("a", "b"),
        Evidence("E"),
        Figure("f"),
        Stage("s"),
    ],
)
def test_values_are_frozen(value: Any) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        value.id = "other"


def test_evolve_makes_a_validated_copy() -> None:
    context = Context("c", "Label", tags=["a"])
    changed = attrs.evolve(context, label="New")
    assert (context.label, changed.label, changed.tags) == ("Label", "New", ("a",))
    with pytest.raises(TypeError, match="tags must be a list of strings"):
        attrs.evolve(context, tags="a")


def test_meta_is_copied_and_compared_but_not_hashed() -> None:
    source = {"page": 4, "notes": ["unhashable list"]}
    context = Context("c", meta=source)
    source["page"] = 5
    assert context.meta["page"] == 4
    assert context == Context("c", meta={"page": 4, "notes": ["unhashable list"]})
    assert context != Context("c", meta={"page": 5})
    assert hash(context) == hash(Context("c"))


def test_meta_none_means_empty() -> None:
    assert Context("c", meta=None).meta == {}


def test_meta_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match=r"^meta must be a mapping, not list"):
        Context("c", meta=["x"])  # type: ignore[arg-type]


def test_equal_values_hash_alike_and_differ_by_any_field() -> None:
    assert hash(Context("c", "L", tags=["t"])) == hash(Context("c", "L", tags=["t"]))
    assert Context("c", "L") != Context("c", "M")
    assert Context("c") != Outcome("c")


@pytest.mark.parametrize(
    ("enum_type", "value", "member"),
    [
        (ElementKind, "context", ElementKind.CONTEXT),
        (OutcomeKind, "unintended", OutcomeKind.UNINTENDED),
        (Stance, "supports", Stance.SUPPORTS),
    ],
)
def test_enums_round_trip_through_their_values(
    enum_type: type[Any], value: str, member: Any
) -> None:
    assert enum_type(value) is member
    assert member.value == value
