"""Tests for cmokit.model: the frozen value classes and their validation."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    model,
)
from strategies import ids, metas, texts

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


# ------------------------------------------------------------------ plain builders
#
# The plain builders (cmokit.model._PLAIN_BUILDERS) make a large model file's items without
# running attrs' converters and validators per item. What they make must be exactly what
# the class makes, and whatever they are unsure of they must refuse, leaving it to the class.

PLAIN = list(model._PLAIN_BUILDERS.items())


class _Text(str):
    """A str subclass: the classes accept it, the plain builders leave it to them."""


class _Dict(dict[str, Any]):
    """A dict subclass, for the same reason."""


class _Tuple(tuple[str, ...]):
    """A tuple subclass, for the same reason."""


class _List(list[str]):
    """A list subclass, for the same reason."""


def _built(make: Callable[..., Any], entry: dict[str, Any]) -> tuple[str, Any]:
    try:
        return ("made", make(**entry))
    except (TypeError, ValueError, model._NotPlain) as err:
        return ("refused", type(err))


def _assert_identical(plain: Any, made: Any, entry: dict[str, Any]) -> None:
    """Equal, hashed, printed and typed alike, field by field, with meta a fresh copy."""
    assert type(plain) is type(made)
    assert plain == made
    assert hash(plain) == hash(made)
    assert repr(plain) == repr(made)
    for field in attrs.fields(type(made)):
        ours, theirs = getattr(plain, field.name), getattr(made, field.name)
        assert type(ours) is type(theirs), field.name
        assert ours == theirs, field.name
        if isinstance(theirs, tuple):
            assert [type(x) for x in ours] == [type(x) for x in theirs], field.name
    assert type(plain.meta) is dict
    assert plain.meta is not entry.get("meta")
    assert plain.meta is not made.meta


@pytest.mark.parametrize(("cls", "builder"), PLAIN)
def test_a_plain_builder_takes_the_keywords_of_its_class(
    cls: type[Any], builder: Callable[..., Any]
) -> None:
    # Same names, kinds and defaults: builder(**entry) refuses a key just as cls(**entry) does.
    theirs = list(inspect.signature(cls.__init__).parameters.values())[1:]  # without self
    ours = list(inspect.signature(builder).parameters.values())
    assert [(p.name, p.kind) for p in ours] == [(p.name, p.kind) for p in theirs]
    defaults = {f.name: f.default for f in attrs.fields(cls)}
    for parameter in ours:
        default = defaults[parameter.name]
        if default is attrs.NOTHING:
            assert parameter.default is inspect.Parameter.empty
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            assert parameter.default is model._ABSENT  # the label, which defaults to the id
        else:
            assert parameter.default == default


@pytest.mark.parametrize(("cls", "builder"), PLAIN)
def test_a_plain_builder_sets_every_slot(cls: type[Any], builder: Callable[..., Any]) -> None:
    item = builder(id="x")
    for field in attrs.fields(cls):
        getattr(item, field.name)  # an unset slot raises AttributeError
    _assert_identical(item, cls(id="x"), {"id": "x"})


def _good_value(name: str) -> st.SearchStrategy[Any]:
    """Values a model file gives a field, which a plain builder must take itself."""
    strs = st.lists(ids, max_size=3)
    choices: dict[str, st.SearchStrategy[Any]] = {
        "id": ids,
        "label": texts,
        "text": texts,
        "kind": st.sampled_from([*(k.value for k in OutcomeKind), *OutcomeKind]),
        "stance": st.sampled_from([*(s.value for s in Stance), *Stance]),
        "meta": st.one_of(st.none(), metas),
    }
    if name in choices:
        return choices[name]
    if name in {"tags", "aliases", "contexts", "mechanisms", "outcomes", "about"}:
        return st.one_of(strs, strs.map(tuple), st.none())
    return st.one_of(st.none(), texts)  # the optional text fields


ODD_VALUES: list[Any] = [
    0,
    1,
    -1,
    1.5,
    True,
    False,
    None,
    b"bytes",
    "",
    " padded",
    "padded ",
    "two\nlines",
    "\n",
    "maybe",
    [1],
    [None],
    ["ok", 2],
    [True],
    [["nested"]],
    ["dup", "dup"],
    [_Text("sub")],
    (_Text("sub"),),
    {"a", "b"},
    {"key": "value"},
    frozenset(),
    _Tuple(("a",)),
    _List(["a"]),
    _Text("subclass"),
    _Text(""),
    _Text("supports"),
    _Text("unintended"),
    _Dict(),
    _Dict(a=1),
    types.MappingProxyType({"a": 1}),
    ElementKind.CONTEXT,
    Stance.CONTRADICTS,
    OutcomeKind.UNINTENDED,
]
"""Values of every type, good and bad for one field or another."""

_bad_values: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.lists(st.one_of(ids, st.integers(), st.none()), max_size=3),
    st.text(max_size=5),
)

ODD_IDS: list[Any] = ["", " ", " padded", "padded ", "two\nlines", "\n", "tab\t", 5, None]

_bad_ids: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(ODD_IDS),
    st.text(max_size=4),
    ids.map(_Text),
)
"""Ids the classes refuse, or take but leave to the class (a str subclass)."""


@st.composite
def _entries(draw: st.DrawFn, cls: type[Any], *, good: bool) -> dict[str, Any]:
    names = [f.name for f in attrs.fields(cls) if f.init]
    chosen = draw(st.lists(st.sampled_from(names), unique=True))
    entry = {name: draw(_good_value(name)) for name in chosen}
    entry["id"] = draw(ids)
    if good:
        return entry
    # One field at least gets a value of any type (the id one of its own, often enough).
    spoilt = draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=3))
    for name in spoilt:
        entry[name] = draw(_bad_ids if name == "id" else _bad_values)
    if draw(st.integers(0, 4)) == 0:
        entry[draw(st.sampled_from(["self", "lable", "kind", "stance", "about", "x"]))] = 1
    if draw(st.integers(0, 9)) == 0:
        del entry["id"]
    return entry


def _compare(cls: type[Any], builder: Callable[..., Any], entry: dict[str, Any]) -> None:
    expected = _built(cls, entry)
    got = _built(builder, entry)
    if got[0] == "made":
        assert expected[0] == "made", f"{cls.__name__}(**{entry!r}) refuses what the builder takes"
        _assert_identical(got[1], expected[1], entry)
    else:
        assert got[1] in (TypeError, model._NotPlain)  # what the file reader catches


@pytest.mark.parametrize(("cls", "builder"), PLAIN)
def test_a_plain_builder_makes_what_the_class_makes_of_each_odd_value(
    cls: type[Any], builder: Callable[..., Any]
) -> None:
    full = {
        f.name: (["a", "b"] if f.converter is not None and f.name != "meta" else "x")
        for f in attrs.fields(cls)
    }
    full.update(meta={"k": [1]}, id="x")
    if cls is Outcome:
        full["kind"] = "unintended"
    if cls is Evidence:
        full["stance"] = "contradicts"
    _assert_identical(builder(**full), cls(**full), full)
    for name in full:
        for value in [*ODD_VALUES, *ODD_IDS, *map(_Text, ODD_IDS[:8])]:
            for entry in ({"id": "x", name: value}, {**full, name: value}):
                _compare(cls, builder, entry)


@pytest.mark.parametrize(("cls", "builder"), PLAIN)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_plain_builder_makes_what_the_class_makes_or_leaves_it_to_the_class(
    cls: type[Any], builder: Callable[..., Any], data: st.DataObject
) -> None:
    _compare(cls, builder, data.draw(_entries(cls, good=False)))


@pytest.mark.parametrize(("cls", "builder"), PLAIN)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_plain_builder_takes_a_plain_entry_itself(
    cls: type[Any], builder: Callable[..., Any], data: st.DataObject
) -> None:
    entry = data.draw(_entries(cls, good=True))
    _assert_identical(builder(**entry), cls(**entry), entry)


@pytest.mark.parametrize(
    ("cls", "entry"),
    [
        (Evidence, {"id": "e", "about": ["k", _Text("sub")]}),
        (Evidence, {"id": _Text("e")}),
        (Evidence, {"id": "e", "text": _Text("t")}),
        (Evidence, {"id": "e", "meta": _Dict(a=1)}),
        (Evidence, {"id": "e", "stance": _Text("supports")}),
        (Configuration, {"id": "k", "contexts": ("c", _Text("d"))}),
        (Configuration, {"id": "k", "outcomes": iter(["o"])}),
        (Context, {"id": "c", "label": _Text("L")}),
        (Mechanism, {"id": "m", "resource": _Text("r")}),
        (Outcome, {"id": "o", "kind": _Text("unintended")}),
    ],
)
def test_a_plain_builder_leaves_valid_but_unusual_values_to_the_class(
    cls: type[Any], entry: dict[str, Any]
) -> None:
    with pytest.raises(model._NotPlain):
        model._PLAIN_BUILDERS[cls](**entry)
    cls(**entry)  # which takes them


@pytest.mark.parametrize(
    ("cls", "entry"),
    [
        (Evidence, {"text": "no id"}),
        (Evidence, {"id": "e", "stance": "supports", "lable": "x"}),
        (Configuration, {"id": "k", "self": 1}),
        (Context, {"id": "c", "kind": "intended"}),
        (Outcome, {"id": "o", "resource": "r"}),
    ],
)
def test_a_plain_builder_refuses_the_keys_its_class_refuses(
    cls: type[Any], entry: dict[str, Any]
) -> None:
    with pytest.raises(TypeError):
        cls(**entry)
    with pytest.raises(TypeError):
        model._PLAIN_BUILDERS[cls](**entry)
