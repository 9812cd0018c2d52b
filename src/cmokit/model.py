"""The value classes of a programme theory: elements, configurations and their companions.

All classes are frozen ``attrs`` classes, validated when built. Change one with
:func:`attrs.evolve`, which validates the copy again. Sequences are normalised to tuples so
values compare and hash; free-form ``meta`` mappings take part in equality but not in hashing.

Example:
    >>> import attrs
    >>> from cmokit import Context, Mechanism, Outcome, Configuration
    >>> c = Context("audit_data", "Ward has regular audit data", stage="uptake")
    >>> m = Mechanism("peer_feedback", "Peer feedback", reasoning="Staff feel accountable")
    >>> o = Outcome("engaged", "Staff engage with feedback")
    >>> cmoc = Configuration("CMOC1", contexts=["audit_data"], mechanisms=["peer_feedback"],
    ...                      outcomes=["engaged"])
    >>> cmoc.contexts
    ('audit_data',)
    >>> attrs.evolve(c, label="Audit data available").label
    'Audit data available'
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar

import attrs

__all__ = [
    "Configuration",
    "Context",
    "Element",
    "ElementKind",
    "Evidence",
    "Figure",
    "Link",
    "Mechanism",
    "Outcome",
    "OutcomeKind",
    "Stage",
    "Stance",
    "Theme",
]


class ElementKind(enum.Enum):
    """The realist role of an element: context (C), mechanism (M) or outcome (O).

    Example:
        >>> ElementKind("mechanism").letter
        'M'
    """

    CONTEXT = "context"
    MECHANISM = "mechanism"
    OUTCOME = "outcome"

    @property
    def letter(self) -> str:
        """The one-letter abbreviation used in realist writing (C, M or O).

        Example:
            >>> [kind.letter for kind in ElementKind]
            ['C', 'M', 'O']
        """
        return self.value[0].upper()


class OutcomeKind(enum.Enum):
    """Whether an outcome was an aim of the programme or a side effect.

    Example:
        >>> OutcomeKind("unintended") is OutcomeKind.UNINTENDED
        True
    """

    INTENDED = "intended"
    UNINTENDED = "unintended"


class Stance(enum.Enum):
    """Whether an evidence item supports or contradicts what it is about.

    Example:
        >>> Stance("contradicts")
        <Stance.CONTRADICTS: 'contradicts'>
    """

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


_EnumT = TypeVar("_EnumT", bound=enum.Enum)


def _to_enum(enum_type: type[_EnumT], field: str, value: object) -> _EnumT:
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum_type)
        raise ValueError(f"{field} must be one of {allowed}, not {value!r}") from None


def _outcome_kind(value: object) -> OutcomeKind:
    if type(value) is OutcomeKind:  # the default, and what a loaded item usually holds
        return value
    return _to_enum(OutcomeKind, "kind", value)


def _stance(value: object) -> Stance:
    if type(value) is Stance:
        return value
    return _to_enum(Stance, "stance", value)


def _to_str_tuple(field: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items: tuple[Any, ...]
    # Lists and tuples, what model files and callers give, skip the slower ABC check.
    if type(value) is list or type(value) is tuple:
        items = tuple(value)
    elif isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"{field} must be a list of strings, not {type(value).__name__}")
    else:
        items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{field} must hold strings, not {type(item).__name__} {item!r}")
    return items


# attrs converters take only the value; one named function per field keeps the field's
# name in the error message (and keeps mypy's attrs plugin able to read the types).
def _tags(value: object) -> tuple[str, ...]:
    return _to_str_tuple("tags", value)


def _aliases(value: object) -> tuple[str, ...]:
    return _to_str_tuple("aliases", value)


def _contexts(value: object) -> tuple[str, ...]:
    return _to_str_tuple("contexts", value)


def _mechanisms(value: object) -> tuple[str, ...]:
    return _to_str_tuple("mechanisms", value)


def _outcomes(value: object) -> tuple[str, ...]:
    return _to_str_tuple("outcomes", value)


def _about(value: object) -> tuple[str, ...]:
    return _to_str_tuple("about", value)


def _stages(value: object) -> tuple[str, ...]:
    return _to_str_tuple("stages", value)


def _themes(value: object) -> tuple[str, ...]:
    return _to_str_tuple("themes", value)


def _collapse(value: object) -> tuple[str, ...]:
    return _to_str_tuple("collapse", value)


def _no_repeats(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        raise ValueError(f"{attribute.name} lists {', '.join(map(repr, repeated))} more than once")


def _meta(value: Mapping[str, Any] | None) -> dict[str, Any]:
    if value is None:
        return {}
    # A plain dict, the usual case, skips the slower ABC check.
    if type(value) is not dict and not isinstance(value, Mapping):
        raise TypeError(f"meta must be a mapping, not {type(value).__name__}")
    return dict(value)


def _check_id(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__} {value!r}")
    if not value or value != value.strip() or "\n" in value:
        raise ValueError(
            f"{attribute.name} must be non-empty text without surrounding spaces or line breaks,"
            f" not {value!r}"
        )


def _check_optional_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be text, not {type(value).__name__} {value!r}")


def _check_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be text, not {type(value).__name__} {value!r}")


def _label_default(self: Any) -> str:
    return str(self.id)


_id = attrs.field(validator=_check_id)
_optional_text = attrs.field(default=None, kw_only=True, validator=_check_optional_str)
# Defaults that need no factory call (None and the empty tuple, both immutable): the
# converters turn them into a fresh dict and keep the tuple, one call cheaper per item.
_meta_field: dict[str, Any] = attrs.field(default=None, converter=_meta, kw_only=True, hash=False)


@attrs.frozen
class Element:
    """What contexts, mechanisms and outcomes share. Not built directly; use a subclass.

    Attributes:
        id: Unique id across the whole theory.
        label: Short human-readable name; defaults to the id.
        description: Longer explanation, e.g. with page references.
        stage: Id of the stage the element belongs to, if any.
        tags: Free labels for selection (``theory.select(tag=...)``).
        aliases: Other names by which statements may refer to the element.
        meta: Anything else to keep; survives every round trip.

    Example:
        >>> isinstance(Mechanism("m", "A mechanism"), Element)
        True
    """

    element_kind: ClassVar[ElementKind]
    id: str = _id
    label: str = attrs.field(
        default=attrs.Factory(_label_default, takes_self=True), validator=_check_str
    )
    description: str | None = _optional_text
    stage: str | None = _optional_text
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tags, kw_only=True)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_aliases, kw_only=True)
    meta: dict[str, Any] = _meta_field


@attrs.frozen
class Context(Element):
    """A circumstance that shapes whether and how a mechanism fires (the C of CMO).

    Example:
        >>> Context("hierarchy", "Steep ward hierarchy", tags=["barrier"]).tags
        ('barrier',)
    """

    element_kind: ClassVar[ElementKind] = ElementKind.CONTEXT


@attrs.frozen
class Mechanism(Element):
    """A resource offered and the reasoning it triggers (the M of CMO; Dalkin et al. 2015).

    Attributes:
        resource: What the programme offers (e.g. "monthly feedback sessions").
        reasoning: The response it triggers in people (e.g. "staff feel accountable").

    Example:
        >>> m = Mechanism("feedback", "Peer feedback", resource="Monthly sessions")
        >>> (m.resource, m.reasoning)
        ('Monthly sessions', None)
    """

    element_kind: ClassVar[ElementKind] = ElementKind.MECHANISM
    resource: str | None = _optional_text
    reasoning: str | None = _optional_text


@attrs.frozen
class Outcome(Element):
    """What a mechanism generates in a context (the O of CMO), intended or not.

    Example:
        >>> Outcome("blame", "Feedback felt as blame", kind="unintended").kind
        <OutcomeKind.UNINTENDED: 'unintended'>
    """

    element_kind: ClassVar[ElementKind] = ElementKind.OUTCOME
    kind: OutcomeKind = attrs.field(
        default=OutcomeKind.INTENDED, converter=_outcome_kind, kw_only=True
    )


@attrs.frozen
class Configuration:
    """A context-mechanism-outcome configuration (CMOC): ids of the elements it joins.

    An outcome id may stand among the ``contexts`` (or ``mechanisms``) of another
    configuration: that chains the two, one configuration's outcome becoming the next
    one's context.

    Attributes:
        id: Unique id across the whole theory.
        contexts: Ids of the contexts (or chained outcomes) in which it holds.
        mechanisms: Ids of the mechanisms it fires.
        outcomes: Ids of the outcomes it generates.
        statement: The configuration statement, in words.
        theme: Id of the theme it belongs to, if any.
        meta: Anything else to keep.

    Example:
        >>> Configuration("CMOC2", contexts=["engaged"], mechanisms=["habit"],
        ...               outcomes=["compliance"], theme="safety").theme
        'safety'
    """

    id: str = _id
    contexts: tuple[str, ...] = attrs.field(default=(), converter=_contexts, kw_only=True)
    mechanisms: tuple[str, ...] = attrs.field(default=(), converter=_mechanisms, kw_only=True)
    outcomes: tuple[str, ...] = attrs.field(default=(), converter=_outcomes, kw_only=True)
    statement: str | None = _optional_text
    theme: str | None = _optional_text
    meta: dict[str, Any] = _meta_field

    @property
    def elements(self) -> tuple[str, ...]:
        """Every element id this configuration joins, contexts first, without repeats.

        Example:
            >>> Configuration("K", contexts=["c"], mechanisms=["m"], outcomes=["o"]).elements
            ('c', 'm', 'o')
        """
        return tuple(dict.fromkeys((*self.contexts, *self.mechanisms, *self.outcomes)))


@attrs.frozen
class Stage:
    """A step of the programme's process; stages are ordered as the theory lists them.

    Example:
        >>> Stage("engagement", "Engagement").label
        'Engagement'
    """

    id: str = _id
    label: str = attrs.field(
        default=attrs.Factory(_label_default, takes_self=True), validator=_check_str
    )
    description: str | None = _optional_text
    meta: dict[str, Any] = _meta_field


@attrs.frozen
class Theme:
    """A group of configurations that explain one kind of outcome.

    Example:
        >>> Theme("safety", "Safer care").id
        'safety'
    """

    id: str = _id
    label: str = attrs.field(
        default=attrs.Factory(_label_default, takes_self=True), validator=_check_str
    )
    description: str | None = _optional_text
    meta: dict[str, Any] = _meta_field


@attrs.frozen
class Link:
    """An explicit relation from one element to another, outside any configuration.

    Example:
        >>> Link("peer_feedback", "habit", "reinforces")
        Link(source='peer_feedback', target='habit', label='reinforces', meta={})
    """

    source: str = attrs.field(validator=_check_id)
    target: str = attrs.field(validator=_check_id)
    label: str | None = attrs.field(default=None, validator=_check_optional_str)
    meta: dict[str, Any] = _meta_field


@attrs.frozen
class Evidence:
    """A piece of data (a quote, a survey answer) behind an element or configuration.

    Attributes:
        id: Unique id across the whole theory.
        text: The excerpt or its paraphrase.
        source: Where it came from, e.g. "interview" or "questionnaire".
        participant: The participant code as printed.
        case: The case (site, programme, group) it belongs to.
        stance: Whether it supports (default) or contradicts what it is about.
        about: Ids of the elements or configurations it bears on.

    Example:
        >>> e = Evidence("E1", "Nurses liked the chart", participant="N3", about=["CMOC1"])
        >>> e.stance
        <Stance.SUPPORTS: 'supports'>
    """

    id: str = _id
    text: str = attrs.field(default="", validator=_check_str)
    # Positional, as the signature Evidence(id, text, source, participant, case) has it.
    source: str | None = attrs.field(default=None, validator=_check_optional_str)
    participant: str | None = attrs.field(default=None, validator=_check_optional_str)
    case: str | None = attrs.field(default=None, validator=_check_optional_str)
    stance: Stance = attrs.field(default=Stance.SUPPORTS, converter=_stance, kw_only=True)
    about: tuple[str, ...] = attrs.field(default=(), converter=_about, kw_only=True)
    meta: dict[str, Any] = _meta_field


def _optional_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise TypeError(f"{attribute.name} must be a whole number >= 0, not {value!r}")


def _optional_bool(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be true or false, not {value!r}")


_DIRECTIONS = ("LR", "TB", "RL", "BT")


def _check_direction(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # attrs' own `in_` validator puts the whole Attribute object in its message.
    if value is not None and value not in _DIRECTIONS:
        allowed = ", ".join(repr(d) for d in _DIRECTIONS)
        raise ValueError(f"{attribute.name} must be one of {allowed}, not {value!r}")


@attrs.frozen
class Figure:
    """A named view of the theory to draw, as kept in a model file's ``figures`` section.

    Unset options (``None``) fall back to the renderer's defaults.

    Attributes:
        id: The figure's name, e.g. ``figure1``.
        title: Caption drawn above the diagram.
        stages: Only draw elements of these stages (all when empty).
        themes: Only draw configurations of these themes (all when empty).
        around: Only draw the neighbourhood of this element id.
        steps: How many steps from ``around`` to include.
        direction: Graphviz rank direction: ``LR`` (default), ``TB``, ``RL`` or ``BT``.
        legend: Draw the legend.
        wrap: Label wrapping width in characters.
        edge_labels: Label edges with configuration ids and link labels.
        evidence_counts: Show evidence counts on nodes.
        collapse: Stage and theme ids each drawn as one box listing its elements' labels
            (an overview; none when empty).
        meta: Anything else to keep.

    Example:
        >>> Figure("figure2", title="Engagement", stages=["engagement"]).stages
        ('engagement',)
    """

    id: str = _id
    title: str | None = _optional_text
    stages: tuple[str, ...] = attrs.field(default=(), converter=_stages, kw_only=True)
    themes: tuple[str, ...] = attrs.field(default=(), converter=_themes, kw_only=True)
    around: str | None = _optional_text
    steps: int | None = attrs.field(default=None, kw_only=True, validator=_optional_int)
    direction: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_check_direction,
    )
    legend: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    wrap: int | None = attrs.field(default=None, kw_only=True, validator=_optional_int)
    edge_labels: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    evidence_counts: bool | None = attrs.field(default=None, kw_only=True, validator=_optional_bool)
    collapse: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_collapse, validator=_no_repeats, kw_only=True
    )
    meta: dict[str, Any] = _meta_field


# ------------------------------------------------------------------ plain builders
#
# A large model file holds hundreds of thousands of items, and making each with
# ``cls(**entry)`` runs eight converters and validators per item through attrs. The plain
# builders below take the same keywords as the class (so ``builder(**entry)`` refuses an
# unknown or missing key exactly as ``cls(**entry)`` does), check the values the way a model
# file gives them (exact ``str``, ``list``, ``dict`` and ``None``) in one go, and set the
# slots directly: about half the cost. Anything else, valid or not (a str subclass, a
# tuple, a Mapping that is not a dict, a bad value), raises :class:`_NotPlain`, and the
# caller makes the items with the class after all, which accepts or refuses them exactly as
# it always does. So a plain builder gives what the class gives, or nothing.


class _NotPlain(Exception):
    """A value a plain builder does not vouch for; build the item with its class instead."""


# Keyword defaults the plain builders can tell apart from any value a file gives.
_ABSENT: Any = object()

_NO_STRS: tuple[str, ...] = ()
_SUPPORTS = Stance.SUPPORTS
_STANCES = {member.value: member for member in Stance}
_OUTCOME_KINDS = {member.value: member for member in OutcomeKind}


def _slot_setters(cls: type[Any], *names: str) -> tuple[Callable[[object, object], None], ...]:
    """The ``__set__`` of each named slot: stores a value past the frozen ``__setattr__``."""
    setters = []
    for name in names:
        descriptor = getattr(cls, name)
        # attrs makes frozen classes slotted; anything else and the builders must not be used.
        if not isinstance(descriptor, types.MemberDescriptorType):
            raise TypeError(f"{cls.__name__}.{name} is not a slot")
        setters.append(descriptor.__set__)
    return tuple(setters)


def _plain_strs(value: object) -> tuple[str, ...]:
    """What ``_to_str_tuple`` gives for a list (or tuple, or None) of exact strings."""
    if type(value) is list:
        items = tuple(value)
    elif type(value) is tuple:
        items = value
    elif value is None:
        return ()
    else:
        raise _NotPlain
    for item in items:
        if type(item) is not str:
            raise _NotPlain
    return items


def _plain_meta(value: object) -> dict[str, Any]:
    """What ``_meta`` gives for None or a plain dict: a fresh dict (a copy)."""
    if value is None:
        return {}
    if type(value) is dict:
        return dict(value)
    raise _NotPlain


_EVIDENCE_SLOTS = _slot_setters(
    Evidence, "id", "text", "source", "participant", "case", "stance", "about", "meta"
)


def _plain_evidence(
    id: object,
    text: object = "",
    source: object = None,
    participant: object = None,
    case: object = None,
    *,
    stance: object = Stance.SUPPORTS,
    about: object = (),
    meta: object = None,
) -> Evidence:
    """``Evidence(**entry)`` for an entry of plain values; see the section's comment."""
    # Checks written out rather than called: a call costs as much as a check here.
    if (
        type(id) is not str
        or not id
        or id != id.strip()
        or "\n" in id
        or type(text) is not str
        or (source is not None and type(source) is not str)
        or (participant is not None and type(participant) is not str)
        or (case is not None and type(case) is not str)
    ):
        raise _NotPlain
    if stance is not _SUPPORTS:
        if type(stance) is str:
            stance = _STANCES.get(stance)
        if type(stance) is not Stance:
            raise _NotPlain
    if type(about) is list:
        about = tuple(about)
        for ref in about:
            if type(ref) is not str:
                raise _NotPlain
    else:
        about = _plain_strs(about)
    item: Evidence = object.__new__(Evidence)
    set_id, set_text, set_source, set_participant, set_case, set_stance, set_about, set_meta = (
        _EVIDENCE_SLOTS
    )
    set_id(item, id)
    set_text(item, text)
    set_source(item, source)
    set_participant(item, participant)
    set_case(item, case)
    set_stance(item, stance)
    set_about(item, about)
    set_meta(item, {} if meta is None else _plain_meta(meta))
    return item


_CONFIGURATION_SLOTS = _slot_setters(
    Configuration, "id", "contexts", "mechanisms", "outcomes", "statement", "theme", "meta"
)


def _plain_configuration(
    id: object,
    *,
    contexts: object = (),
    mechanisms: object = (),
    outcomes: object = (),
    statement: object = None,
    theme: object = None,
    meta: object = None,
) -> Configuration:
    """``Configuration(**entry)`` for an entry of plain values; see the section's comment."""
    if (
        type(id) is not str
        or not id
        or id != id.strip()
        or "\n" in id
        or (statement is not None and type(statement) is not str)
        or (theme is not None and type(theme) is not str)
    ):
        raise _NotPlain
    item: Configuration = object.__new__(Configuration)
    set_id, set_contexts, set_mechanisms, set_outcomes, set_statement, set_theme, set_meta = (
        _CONFIGURATION_SLOTS
    )
    set_id(item, id)
    set_contexts(item, _plain_strs(contexts))
    set_mechanisms(item, _plain_strs(mechanisms))
    set_outcomes(item, _plain_strs(outcomes))
    set_statement(item, statement)
    set_theme(item, theme)
    set_meta(item, {} if meta is None else _plain_meta(meta))
    return item


_ElementT = TypeVar("_ElementT", bound=Element)

_ELEMENT_SLOTS = _slot_setters(
    Element, "id", "label", "description", "stage", "tags", "aliases", "meta"
)
_MECHANISM_SLOTS = _slot_setters(Mechanism, "resource", "reasoning")
_OUTCOME_KIND_SLOT = _slot_setters(Outcome, "kind")[0]


def _plain_element(
    cls: type[_ElementT],
    id: object,
    label: object,
    description: object,
    stage: object,
    tags: object,
    aliases: object,
    meta: object,
) -> _ElementT:
    """A new element of class ``cls`` with the fields all elements have, checked and set."""
    if label is _ABSENT:
        label = id  # what the default, str(id), gives for a str
    if (
        type(id) is not str
        or not id
        or id != id.strip()
        or "\n" in id
        or type(label) is not str
        or (description is not None and type(description) is not str)
        or (stage is not None and type(stage) is not str)
    ):
        raise _NotPlain
    item: _ElementT = object.__new__(cls)
    set_id, set_label, set_description, set_stage, set_tags, set_aliases, set_meta = _ELEMENT_SLOTS
    set_id(item, id)
    set_label(item, label)
    set_description(item, description)
    set_stage(item, stage)
    # Most elements have neither: the default, the one empty tuple, needs no checking.
    set_tags(item, tags if tags is _NO_STRS else _plain_strs(tags))
    set_aliases(item, aliases if aliases is _NO_STRS else _plain_strs(aliases))
    set_meta(item, {} if meta is None else _plain_meta(meta))
    return item


def _plain_context(
    id: object,
    label: object = _ABSENT,
    *,
    description: object = None,
    stage: object = None,
    tags: object = (),
    aliases: object = (),
    meta: object = None,
) -> Context:
    """``Context(**entry)`` for an entry of plain values; see the section's comment."""
    return _plain_element(Context, id, label, description, stage, tags, aliases, meta)


def _plain_mechanism(
    id: object,
    label: object = _ABSENT,
    *,
    description: object = None,
    stage: object = None,
    tags: object = (),
    aliases: object = (),
    meta: object = None,
    resource: object = None,
    reasoning: object = None,
) -> Mechanism:
    """``Mechanism(**entry)`` for an entry of plain values; see the section's comment."""
    if (resource is not None and type(resource) is not str) or (
        reasoning is not None and type(reasoning) is not str
    ):
        raise _NotPlain
    item = _plain_element(Mechanism, id, label, description, stage, tags, aliases, meta)
    set_resource, set_reasoning = _MECHANISM_SLOTS
    set_resource(item, resource)
    set_reasoning(item, reasoning)
    return item


def _plain_outcome(
    id: object,
    label: object = _ABSENT,
    *,
    description: object = None,
    stage: object = None,
    tags: object = (),
    aliases: object = (),
    meta: object = None,
    kind: object = OutcomeKind.INTENDED,
) -> Outcome:
    """``Outcome(**entry)`` for an entry of plain values; see the section's comment."""
    if type(kind) is str:
        kind = _OUTCOME_KINDS.get(kind)
    if type(kind) is not OutcomeKind:
        raise _NotPlain
    item = _plain_element(Outcome, id, label, description, stage, tags, aliases, meta)
    _OUTCOME_KIND_SLOT(item, kind)
    return item


_PLAIN_BUILDERS: dict[type[Any], Callable[..., Any]] = {
    Context: _plain_context,
    Mechanism: _plain_mechanism,
    Outcome: _plain_outcome,
    Configuration: _plain_configuration,
    Evidence: _plain_evidence,
}
"""Each class with a plain builder (the classes a large model file holds many items of)."""
