"""Model files, format version 1: YAML and JSON in, YAML and JSON out.

Both forms share one structure (see ``docs/file-format.md``). Loading is strict: unknown
keys, wrong types, duplicate ids and unknown references are all collected and raised
together as one :class:`~cmokit.LoadError`, each problem naming the file, the line (for
YAML), the item id and the field, with a "did you mean" for near misses. Saving is atomic.

Example:
    >>> import cmokit
    >>> theory = cmokit.from_dict({"cmokit": 1, "title": "Tiny",
    ...     "contexts": [{"id": "c", "label": "A context"}]})
    >>> cmokit.to_dict(theory)["contexts"]
    [{'id': 'c', 'label': 'A context'}]
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cmokit._collector import paused
from cmokit._files import write_text_atomically
from cmokit.exceptions import FormatVersionError, LoadError, Problem
from cmokit.model import (
    _PLAIN_BUILDERS,
    Configuration,
    Context,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    OutcomeKind,
    Stage,
    Stance,
    Theme,
    _NotPlain,
)
from cmokit.theory import ProgrammeTheory, Source, suggest

if TYPE_CHECKING:
    import yaml

__all__ = [
    "FORMAT_VERSION",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "to_dict",
]

FORMAT_VERSION = 1
"""The model file format version this release reads and writes."""


@functools.cache
def _yaml_loader_and_dumper() -> tuple[type[yaml.SafeLoader], type[yaml.SafeDumper]]:
    """PyYAML's safe loader and dumper: libyaml's fast C versions when PyYAML has them.

    PyYAML is imported here, on first use, rather than with this module: it would add a
    tenth to the time of `import cmokit` (see docs/performance.md).
    """
    import yaml

    fast: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(fast):  # type: ignore[valid-type,misc]
        """Refuses a key written twice in one mapping, which PyYAML would let the last win."""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
            first_lines: dict[str, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                line = key_node.start_mark.line + 1
                earlier = first_lines.setdefault(key_node.value, line)
                if earlier != line:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"key {key_node.value!r} appears twice in one mapping (first on line"
                        f" {earlier}); keep one",
                        key_node.start_mark,
                    )
            return super().construct_mapping(node, deep)

    loader: type[yaml.SafeLoader] = Loader
    base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[valid-type,misc]
        """Writes a value shared by two items twice rather than as an ``&id001`` anchor."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    return loader, Dumper


_TOP_KEYS = (
    "cmokit",
    "title",
    "description",
    "source",
    "stages",
    "themes",
    "contexts",
    "mechanisms",
    "outcomes",
    "configurations",
    "links",
    "evidence",
    "figures",
    "meta",
)
_TOP_KEY_SET = frozenset(_TOP_KEYS)
_ONLY_DICTS = frozenset((dict,))
_SOURCE_KEYS = ("citation", "doi", "url")

Location = tuple[str | int, ...]


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if f.init)


_SECTIONS: dict[str, type[Any]] = {
    "stages": Stage,
    "themes": Theme,
    "contexts": Context,
    "mechanisms": Mechanism,
    "outcomes": Outcome,
    "configurations": Configuration,
    "links": Link,
    "evidence": Evidence,
}
_ALLOWED = {name: _field_names(cls) for name, cls in _SECTIONS.items()}
_FIGURE_KEYS = tuple(name for name in _field_names(Figure) if name != "id")
_REQUIRED = {
    name: tuple(f.name for f in attrs.fields(cls) if f.init and f.default is attrs.NOTHING)
    for name, cls in _SECTIONS.items()
}
_SINGULAR = {
    "stages": "stage",
    "themes": "theme",
    "contexts": "context",
    "mechanisms": "mechanism",
    "outcomes": "outcome",
    "configurations": "configuration",
    "links": "link",
    "evidence": "evidence item",
}


class _Collector:
    """Gathers problems with their place in the document, to be given lines later."""

    def __init__(self) -> None:
        self.found: list[tuple[Location, Problem]] = []

    def add(
        self,
        location: Location,
        message: str,
        *,
        item: str | None = None,
        field: str | None = None,
    ) -> None:
        self.found.append((location, Problem(message, item=item, field=field)))


# ------------------------------------------------------------------------------ reading


@paused()
def from_dict(
    data: Mapping[str, Any], *, path: str | os.PathLike[str] | None = None
) -> ProgrammeTheory:
    """Build a theory from the mapping form of a model file.

    Args:
        data: The parsed model file.
        path: The file it came from, used in error messages.

    Raises:
        FormatVersionError: ``data["cmokit"]`` names a version this release does not read.
        LoadError: Anything else is wrong; carries every problem found.

    Example:
        >>> import cmokit
        >>> try:
        ...     cmokit.from_dict({"cmokit": 1, "contexts": [{"id": "c", "lable": "x"}]})
        ... except cmokit.LoadError as err:
        ...     print(err.problems[0].message)
        contexts item has unknown key 'lable'; did you mean 'label'?
    """
    problems = _Collector()
    theory = _build(data, problems)
    if problems.found:
        name = None if path is None else os.fspath(path)
        raise LoadError([attrs.evolve(p, path=name) for _, p in problems.found])
    assert theory is not None
    return theory


def _build(data: Mapping[str, Any], problems: _Collector) -> ProgrammeTheory | None:
    theory = _build_quickly(data)
    if theory is not None:
        return theory
    return _build_carefully(data, problems)


def _build_quickly(data: Mapping[str, Any]) -> ProgrammeTheory | None:
    """Build the theory of a model file in which nothing is wrong, or give None.

    Nearly every file loaded is good, so this tries the cheap way first: each section's
    items are made by their class in one go (the class refuses unknown or missing keys and
    bad values), and ids and references are checked in bulk by ``ProgrammeTheory._fill``.
    Anything amiss gives None, and :func:`_build_carefully` reads the file again item by
    item to find and word every problem. Both ways build the same theory.
    """
    # Plain dicts only, what JSON and YAML give; the checks below lean on the validators.
    if type(data) is not dict or attrs.validators.get_disabled():
        return None
    _check_version(data)
    if not _TOP_KEY_SET.issuperset(data):
        return None
    title = data.get("title", "")
    description = data.get("description")
    meta = data.get("meta") or {}
    if (
        (title is not None and not isinstance(title, str))
        or (description is not None and not isinstance(description, str))
        or not isinstance(meta, Mapping)
    ):
        return None
    problems = _Collector()
    source = _read_source(data.get("source"), problems)
    figures = _read_figures(data.get("figures"), problems)
    if problems.found:
        return None
    sections: dict[str, list[Any]] = {}
    for section, cls in _SECTIONS.items():
        raw = data.get(section)
        if raw is None:
            continue
        if type(raw) is not list:
            return None
        items = _make_items(cls, raw)
        if items is None:
            return None
        sections[section] = items
    theory = ProgrammeTheory(title or "", description=description, source=source, meta=meta)
    if not theory._fill(sections, [figure for _, figure in figures]):
        return None
    return theory


def _make_items(cls: type[Any], raw: list[Any]) -> list[Any] | None:
    """``[cls(**entry) for entry in raw]`` for a list of plain dicts, or None.

    None when an entry is not a plain dict (what JSON and YAML give) or the class refuses
    it. A class with a plain builder (see ``cmokit.model``) has its items made by that
    first, at about half the cost; when the builder is unsure of an entry, the class makes
    them all after all, so the result, or the refusal, is always what the class gives.
    """
    builder = _PLAIN_BUILDERS.get(cls)
    if builder is not None:
        try:
            # Each entry's type is checked as it is read, not in a pass of its own: a large
            # file's entries are spread over more memory than the caches hold.
            return [builder(**entry) if type(entry) is dict else _not_a_dict() for entry in raw]
        except (TypeError, _NotPlain):
            pass
    # Plain dicts only: the checks in _build_quickly lean on the class's own.
    if not _ONLY_DICTS.issuperset(map(type, raw)):
        return None
    try:
        return [cls(**entry) for entry in raw]
    except (TypeError, ValueError):
        return None


def _not_a_dict() -> Any:
    raise _NotPlain


def _build_carefully(data: Mapping[str, Any], problems: _Collector) -> ProgrammeTheory | None:
    """Build a theory item by item, collecting every problem with its place in the file."""
    if not isinstance(data, Mapping):
        problems.add((), f"a model file must be a mapping of keys, not {type(data).__name__}")
        return None
    _check_version(data)
    for key in data:
        if key not in _TOP_KEYS:
            problems.add((key,), _unknown_key("the model", key, _TOP_KEYS))
    title = data.get("title", "")
    if title is None:
        title = ""
    if not isinstance(title, str):
        problems.add(("title",), f"title must be text, not {type(title).__name__}", field="title")
        title = ""
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        problems.add(("description",), "description must be text", field="description")
        description = None
    source = _read_source(data.get("source"), problems)
    meta = data.get("meta") or {}
    if not isinstance(meta, Mapping):
        problems.add(("meta",), "meta must be a mapping", field="meta")
        meta = {}

    theory = ProgrammeTheory(title, description=description, source=source, meta=meta)
    first_seen: dict[str, str] = {}
    broken: set[str] = set()
    parsed: dict[str, _Read] = {}
    for section, cls in _SECTIONS.items():
        parsed[section] = _read_section(data, section, cls, problems, first_seen, broken)
    figures = _read_figures(data.get("figures"), problems)

    _check_references(parsed, figures, first_seen, broken, problems)
    if problems.found:
        return theory
    insert = theory._insert
    for section in _SECTIONS:
        for item in parsed[section].items:
            insert(item)
    for _, figure in figures:
        theory._insert(figure)
    return theory


def _check_version(data: Mapping[str, Any]) -> None:
    version = data.get("cmokit")
    if version == FORMAT_VERSION and not isinstance(version, bool):
        return
    if version is None:
        message = "missing the format version: add 'cmokit: 1' as the first line of the model file"
    elif isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        message = (
            f"format version {version} is newer than this release of cmokit reads (it reads"
            f" version {FORMAT_VERSION}); upgrade cmokit to load this file"
        )
    else:
        message = (
            f"unknown format version {version!r}; this release reads 'cmokit: {FORMAT_VERSION}'"
        )
    raise FormatVersionError([Problem(message, field="cmokit")])


def _unknown_key(where: str, key: object, allowed: Sequence[str]) -> str:
    message = f"{where} has unknown key {key!r}"
    close = suggest(str(key), allowed, count=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message}; allowed keys: {', '.join(allowed)} (keep extra data under 'meta')"


def _read_source(value: object, problems: _Collector) -> Source:
    if value is None:
        return Source()
    if not isinstance(value, Mapping):
        problems.add(("source",), "source must be a mapping with citation, doi and url")
        return Source()
    fields: dict[str, Any] = {}
    for key, item in value.items():
        if key not in _SOURCE_KEYS:
            problems.add(("source", key), _unknown_key("source", key, _SOURCE_KEYS))
        elif item is not None and not isinstance(item, str):
            problems.add(("source", key), f"source {key} must be text", field=key)
        else:
            fields[key] = item
    return Source(**fields)


class _Read:
    """The good items of one section, with the index of each in the file's list."""

    __slots__ = ("indexes", "items", "section")

    def __init__(self, section: str, items: list[Any], indexes: Sequence[int]) -> None:
        self.section = section
        self.items = items
        self.indexes = indexes

    def location(self, position: int) -> Location:
        """Where the item at ``position`` of :attr:`items` stands in the document."""
        return (self.section, self.indexes[position])


def _read_section(
    data: Mapping[str, Any],
    section: str,
    cls: type[Any],
    problems: _Collector,
    first_seen: dict[str, str],
    broken: set[str],
) -> _Read:
    raw = data.get(section)
    if raw is None:
        return _Read(section, [], ())
    if not isinstance(raw, list):
        problems.add((section,), f"{section} must be a list of items, not {type(raw).__name__}")
        return _Read(section, [], ())
    good = _read_good_section(raw, section, cls, first_seen)
    if good is not None:
        return good
    return _read_section_checking(raw, section, cls, problems, first_seen, broken)


def _read_good_section(
    raw: list[Any], section: str, cls: type[Any], first_seen: dict[str, str]
) -> _Read | None:
    """Read a section in which nothing is wrong, or give None to have it read item by item.

    Nearly every section of nearly every file is good, so this tries the cheap way first:
    the class itself refuses unknown or missing keys and bad values, and the ids are checked
    for repeats all at once. Anything amiss sends the whole section to
    :func:`_read_section_checking`, which finds and words every problem.
    """
    # The checks below lean on the validators: the item-by-item reader does not.
    if attrs.validators.get_disabled():
        return None
    # Plain dicts only, what JSON and YAML give: anything else gets the careful reading.
    if set(map(type, raw)) - {dict}:
        return None
    try:
        items = [cls(**entry) for entry in raw]
    except (TypeError, ValueError):
        return None
    if section != "links":
        ids = [item.id for item in items]
        new = dict.fromkeys(ids, _SINGULAR[section])
        if len(new) != len(ids) or not first_seen.keys().isdisjoint(new):
            return None
        first_seen.update(new)
    return _Read(section, items, range(len(items)))


def _read_section_checking(
    raw: list[Any],
    section: str,
    cls: type[Any],
    problems: _Collector,
    first_seen: dict[str, str],
    broken: set[str],
) -> _Read:
    allowed = _ALLOWED[section]
    # Set forms for the checks every item passes: one C-level call instead of a loop.
    allowed_set = frozenset(allowed)
    required = _REQUIRED[section]
    singular = _SINGULAR[section]
    has_id = section != "links"
    # An item that gets this far has its id: only the other required fields need a look.
    required_besides_id = [name for name in required if not (has_id and name == "id")]
    items: list[Any] = []
    indexes: list[int] = []
    for index, entry in enumerate(raw):
        location: Location = (section, index)
        # A plain dict, what JSON and YAML give, skips the slower ABC check.
        if type(entry) is not dict and not isinstance(entry, Mapping):
            problems.add(
                location, f"each of {section} must be a mapping, not {type(entry).__name__}"
            )
            continue
        item_id = entry.get("id") if has_id else None
        label = item_id if isinstance(item_id, str) else None
        if not has_id:
            label = f"link {entry.get('source')}->{entry.get('target')}"
        bad = False
        if not allowed_set.issuperset(entry):
            for key in entry:
                if key not in allowed:
                    problems.add(
                        (*location, key), _unknown_key(f"{section} item", key, allowed), item=label
                    )
                    bad = True
        if has_id:
            if item_id is None:
                problems.add(location, f"this {singular} has no id; give it a unique 'id'")
                continue
            if not isinstance(item_id, str):
                hint = ""
                if not isinstance(item_id, (list, dict)):
                    hint = f"; quote it: id: '{item_id}'"
                problems.add(
                    (*location, "id"),
                    f"id must be text, not {type(item_id).__name__} {item_id!r}{hint}",
                    field="id",
                )
                continue
        if required_besides_id:
            missing = [name for name in required_besides_id if name not in entry]
            for name in missing:
                problems.add(
                    location,
                    f"this {singular} has no {name!r}; add the id of an element",
                    item=label,
                )
            if missing:
                continue
        fields = {k: v for k, v in entry.items() if k in allowed} if bad else entry
        try:
            item = cls(**fields)
        except (TypeError, ValueError):
            # attrs stops at the first bad field; try each field alone to report them all.
            for field, message in _field_errors(cls, required, fields):
                where = (*location, field) if field else location
                problems.add(where, message, item=label, field=field)
            bad = True
        if isinstance(item_id, str):
            kind = first_seen.get(item_id)
            if kind is not None:
                problems.add(
                    (*location, "id"),
                    f"duplicate id {item_id!r}: already used by {_a(kind)}; ids must be unique"
                    " across the whole theory",
                    item=item_id,
                    field="id",
                )
                continue
            first_seen[item_id] = singular
        if bad:
            if isinstance(item_id, str):
                # Already reported: references to it would only repeat the same problem.
                broken.add(item_id)
            continue
        items.append(item)
        indexes.append(index)
    return _Read(section, items, indexes)


def _field_errors(
    cls: type[Any], required: Sequence[str], fields: Mapping[str, Any]
) -> list[tuple[str | None, str]]:
    """Every field of ``fields`` that ``cls`` refuses on its own, with the reason."""
    placeholders = {name: "placeholder" for name in required}
    errors: list[tuple[str | None, str]] = []
    for name, value in fields.items():
        try:
            cls(**{**placeholders, name: value})
        except (TypeError, ValueError) as err:
            errors.append((name, str(err)))
    if not errors:
        # Each field is fine alone: the combination is wrong.
        try:
            cls(**fields)
        except (TypeError, ValueError) as err:
            errors.append((_field_in(str(err), tuple(fields)), str(err)))
    return errors


def _a(noun: str) -> str:
    """The noun with its indefinite article: "a context", "an outcome"."""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _field_in(message: str, allowed: Sequence[str]) -> str | None:
    head = message.split(" ", 1)[0]
    if head in allowed:
        return head
    for name in allowed:
        if f"'{name}'" in message:
            return name
    return None


def _read_figures(value: object, problems: _Collector) -> list[tuple[Location, Figure]]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        problems.add(("figures",), "figures must be a mapping of figure names to settings")
        return []
    figures: list[tuple[Location, Figure]] = []
    for name, spec in value.items():
        location: Location = ("figures", name)
        spec = {} if spec is None else spec
        if not isinstance(name, str) or not isinstance(spec, Mapping):
            problems.add(location, "each figure must be a name followed by a mapping of settings")
            continue
        bad = False
        for key in spec:
            if key not in _FIGURE_KEYS:
                problems.add((*location, key), _unknown_key("figure", key, _FIGURE_KEYS), item=name)
                bad = True
        fields = {"id": name, **{k: v for k, v in spec.items() if k in _FIGURE_KEYS}}
        try:
            figure = Figure(**fields)
        except (TypeError, ValueError):
            for field, message in _field_errors(Figure, ("id",), fields):
                where = (*location, field) if field and field != "id" else location
                problems.add(where, message, item=name, field=field)
            continue
        if not bad:
            figures.append((location, figure))
    return figures


def _check_references(
    parsed: dict[str, _Read],
    figures: list[tuple[Location, Figure]],
    first_seen: dict[str, str],
    broken: set[str],
    problems: _Collector,
) -> None:
    def ids_of(*sections: str) -> dict[str, None]:
        return {item.id: None for s in sections for item in parsed[s].items}

    stages = ids_of("stages")
    themes = ids_of("themes")
    elements = ids_of("contexts", "mechanisms", "outcomes")
    outcomes = ids_of("outcomes")
    about_targets = {**elements, **ids_of("configurations")}

    def check(
        location: Location,
        item: str,
        field: str,
        refs: Sequence[str],
        known: Mapping[str, None],
        what: str,
    ) -> None:
        for index, ref in enumerate(refs):
            if ref in known or ref in broken:
                continue
            spot: Location = (
                (*location, field, index)
                if len(refs) > 1 or field in _LIST_FIELDS
                else (*location, field)
            )
            close = suggest(ref, known, count=1)
            message = f"{field} refers to unknown {what} {ref!r}"
            if ref in first_seen:
                message = (
                    f"{field} refers to {ref!r}, which is {_a(first_seen[ref])}, not {_a(what)}"
                )
            elif close:
                message += f"; did you mean {close[0]!r}?"
            else:
                message += f"; add {_a(what)} with id {ref!r} or correct the reference"
            problems.add(spot, message, item=item, field=field)

    # Set membership first: nearly every reference is good, and check() has nothing to say
    # about a reference that is known.
    element_ids, outcome_ids = set(elements), set(outcomes)
    # Locations are built only for an item with a problem.
    for section in ("contexts", "mechanisms", "outcomes"):
        read = parsed[section]
        for position, element in enumerate(read.items):
            if element.stage is not None and element.stage not in stages:
                location = read.location(position)
                check(location, element.id, "stage", (element.stage,), stages, "stage")
    read = parsed["configurations"]
    for position, config in enumerate(read.items):
        if not element_ids.issuperset(config.contexts):
            location = read.location(position)
            check(location, config.id, "contexts", config.contexts, elements, "element")
        if not element_ids.issuperset(config.mechanisms):
            location = read.location(position)
            check(location, config.id, "mechanisms", config.mechanisms, elements, "element")
        if not outcome_ids.issuperset(config.outcomes):
            location = read.location(position)
            check(location, config.id, "outcomes", config.outcomes, outcomes, "outcome")
        if config.theme is not None and config.theme not in themes:
            location = read.location(position)
            check(location, config.id, "theme", (config.theme,), themes, "theme")
    read = parsed["links"]
    for position, link in enumerate(read.items):
        location = read.location(position)
        name = f"link {link.source}->{link.target}"
        check(location, name, "source", (link.source,), elements, "element")
        check(location, name, "target", (link.target,), elements, "element")
    about_ids = set(about_targets)
    read = parsed["evidence"]
    for position, item in enumerate(read.items):
        if not about_ids.issuperset(item.about):
            location = read.location(position)
            check(location, item.id, "about", item.about, about_targets, "element or configuration")
    for location, figure in figures:
        check(location, figure.id, "stages", figure.stages, stages, "stage")
        check(location, figure.id, "themes", figure.themes, themes, "theme")
        if figure.around is not None:
            check(location, figure.id, "around", (figure.around,), elements, "element")
        groups = {**stages, **themes}
        check(location, figure.id, "collapse", figure.collapse, groups, "stage or theme")


_LIST_FIELDS = {"contexts", "mechanisms", "outcomes", "about", "stages", "themes", "collapse"}


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key written twice (``json`` would keep the last)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


def _line_of_second(text: str, key: str) -> int | None:
    """The line of the second ``"key":`` in a JSON text, for a duplicate key's message."""
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    matches = pattern.finditer(text)
    next(matches, None)
    second = next(matches, None)
    return None if second is None else text.count("\n", 0, second.start()) + 1


@paused()
def loads(
    text: str, *, format: str = "yaml", path: str | os.PathLike[str] | None = None
) -> ProgrammeTheory:
    """Build a theory from the text of a model file.

    Args:
        text: The file's text.
        format: ``"yaml"`` or ``"json"``.
        path: The file it came from, used in error messages.

    Raises:
        LoadError: The text does not parse or does not describe a valid theory.

    Example:
        >>> import cmokit
        >>> cmokit.loads("cmokit: 1\\ntitle: Empty").title
        'Empty'
    """
    name = None if path is None else os.fspath(path)
    if format == "json":
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys)
        except _DuplicateKeyError as err:
            raise LoadError(
                [
                    Problem(
                        f"not valid JSON for cmokit: key {err.key!r} appears twice in one"
                        " object; keep one",
                        path=name,
                        line=_line_of_second(text, err.key),
                    )
                ]
            ) from None
        except RecursionError:
            raise LoadError(
                [Problem("not valid JSON for cmokit: nested too deeply", path=name)]
            ) from None
        except json.JSONDecodeError as err:
            raise LoadError(
                [
                    Problem(
                        f"not valid JSON: {err.msg} (column {err.colno})",
                        path=name,
                        line=err.lineno,
                    )
                ]
            ) from err
        # JSON is (nearly always) YAML too, so the YAML composer can tell the lines.
        return _from_data(data, name, lambda: _yaml_lines(text))
    if format != "yaml":
        raise ValueError(f"format must be 'yaml' or 'json', not {format!r}")
    import yaml

    loader, _ = _yaml_loader_and_dumper()
    try:
        data = yaml.load(text, Loader=loader)  # a SafeLoader: plain data, never objects
    except RecursionError:
        raise LoadError(
            [Problem("not valid YAML for cmokit: nested too deeply", path=name)]
        ) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        reason = err.problem or "malformed YAML"
        if err.context and err.context_mark is not None:
            started = err.context_mark.line + 1
            reason += f" {err.context} that starts on line {started}"
            if "end of stream" in reason:
                # An unclosed quote or bracket: where it opens is what the user must fix.
                mark = err.context_mark
        line = None if mark is None else mark.line + 1
        raise LoadError(
            [
                Problem(
                    f"not valid YAML: {reason}"
                    + ("" if "appears twice" in reason else "; check the indentation and quoting"),
                    path=name,
                    line=line,
                )
            ]
        ) from err
    except yaml.reader.ReaderError as err:
        # PyYAML's own text spans two lines and counts characters, not lines.
        line = text.count("\n", 0, err.position) + 1
        code = err.character if isinstance(err.character, int) else ord(err.character)
        raise LoadError(
            [
                Problem(
                    f"not valid YAML: character U+{code:04X} is not allowed ({err.reason});"
                    " delete it",
                    path=name,
                    line=line,
                )
            ]
        ) from err
    except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error is one of the above
        first_line = str(err).splitlines()[0]
        raise LoadError([Problem(f"not valid YAML: {first_line}", path=name)]) from err
    if data is None:
        data = {}
    return _from_data(data, name, lambda: _yaml_lines(text))


def _from_data(
    data: Any, name: str | None, lines: Callable[[], dict[Location, int]]
) -> ProgrammeTheory:
    problems = _Collector()
    try:
        theory = _build(data, problems)
    except FormatVersionError as err:
        line = lines().get(("cmokit",), 1)
        raise FormatVersionError(
            [attrs.evolve(p, path=name, line=line) for p in err.problems]
        ) from None
    if problems.found:
        table = lines()
        located = [
            attrs.evolve(p, path=name, line=_line_of(loc, table)) for loc, p in problems.found
        ]
        # References are checked after every item is read; report in file order all the same.
        located.sort(key=lambda p: (p.line is None, p.line or 0))
        raise LoadError(located)
    assert theory is not None
    return theory


def _line_of(location: Location, table: dict[Location, int]) -> int | None:
    for end in range(len(location), -1, -1):
        line = table.get(location[:end])
        if line is not None:
            return line
    return None


def _yaml_lines(text: str) -> dict[Location, int]:
    """Map each place in a YAML document (keys and list positions) to its 1-based line."""
    import yaml

    loader, _ = _yaml_loader_and_dumper()
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return {}
    table: dict[Location, int] = {}

    def walk(node: yaml.Node, location: Location) -> None:
        table.setdefault(location, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                table[(*location, key)] = key_node.start_mark.line + 1
                walk(value_node, (*location, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                walk(child, (*location, index))

    if root is not None:
        walk(root, ())
    return table


def load(path: str | os.PathLike[str]) -> ProgrammeTheory:
    """Load a model file: YAML (``.yaml``, ``.yml``) or JSON (``.json``).

    Args:
        path: The file to read.

    Raises:
        LoadError: The file is missing, unreadable, malformed or describes an invalid
            theory; every problem is listed with the file name and line.

    Example:
        >>> import cmokit, importlib.resources
        >>> path = importlib.resources.files("cmokit.examples") / "hand_hygiene.yaml"
        >>> cmokit.load(path).title
        'Peer feedback and hand hygiene (illustrative)'
    """
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError([Problem("no such file; check the path", path=name)]) from None
    except IsADirectoryError:
        raise LoadError([Problem("is a folder, not a model file", path=name)]) from None
    except UnicodeDecodeError as err:
        raise LoadError(
            [Problem(f"not UTF-8 text ({err.reason}); save the file as UTF-8", path=name)]
        ) from None
    except OSError as err:
        raise LoadError([Problem(f"cannot read: {err.strerror}", path=name)]) from None
    return loads(text, format=_format_of(name), path=name)


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return "json"
    return "yaml"


# ------------------------------------------------------------------------------ writing


def _item_dict(item: Any) -> dict[str, Any]:
    """The file form of one item: fields in class order, unset ones left out."""
    result: dict[str, Any] = {}
    for field in attrs.fields(type(item)):
        if not field.init:
            continue
        value = getattr(item, field.name)
        if value is None or value == () or value == {}:
            continue
        if isinstance(value, OutcomeKind):
            if value is OutcomeKind.INTENDED:
                continue
            value = value.value
        elif isinstance(value, Stance):
            if value is Stance.SUPPORTS:
                continue
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        result[field.name] = value
    return result


def to_dict(theory: ProgrammeTheory) -> dict[str, Any]:
    """Return the mapping form of a model file (format version 1).

    Unset fields are left out, so the result reads like a hand-written file.

    Example:
        >>> import cmokit.examples
        >>> data = cmokit.to_dict(cmokit.examples.hand_hygiene())
        >>> data["cmokit"], [s["id"] for s in data["stages"]]
        (1, ['uptake', 'practice'])
    """
    data: dict[str, Any] = {"cmokit": FORMAT_VERSION}
    if theory.title:
        data["title"] = theory.title
    if theory.description is not None:
        data["description"] = theory.description
    source = {k: v for k, v in attrs.asdict(theory.source).items() if v is not None}
    if source:
        data["source"] = source
    sections: dict[str, Sequence[Any]] = {
        "stages": theory.stages,
        "themes": theory.themes,
        "contexts": theory.contexts,
        "mechanisms": theory.mechanisms,
        "outcomes": theory.outcomes,
        "configurations": theory.configurations,
        "links": theory.links,
        "evidence": theory.evidence,
    }
    for name, items in sections.items():
        if items:
            data[name] = [_item_dict(item) for item in items]
    if theory.figures:
        figures: dict[str, Any] = {}
        for figure in theory.figures:
            spec = _item_dict(figure)
            del spec["id"]
            figures[figure.id] = spec
        data["figures"] = figures
    if theory.meta:
        data["meta"] = dict(theory.meta)
    return data


def dumps(theory: ProgrammeTheory, *, format: str = "yaml") -> str:
    """Return the text of a model file for a theory.

    Args:
        theory: The theory to write.
        format: ``"yaml"`` or ``"json"``.

    Example:
        >>> import cmokit
        >>> print(cmokit.dumps(cmokit.ProgrammeTheory(title="Empty")), end="")
        cmokit: 1
        title: Empty
    """
    data = to_dict(theory)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if format != "yaml":
        raise ValueError(f"format must be 'yaml' or 'json', not {format!r}")
    import yaml

    _, dumper = _yaml_loader_and_dumper()
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def dump(theory: ProgrammeTheory, path: str | os.PathLike[str]) -> None:
    """Write a theory to a model file, YAML or JSON by the file's extension.

    The text goes to a temporary file in the same folder first and then replaces the
    target in one step, so a failed save never damages an existing file.

    Example:
        >>> import cmokit, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> theory = cmokit.ProgrammeTheory(title="Saved")
        >>> cmokit.dump(theory, folder / "m.json")
        >>> cmokit.load(folder / "m.json") == theory
        True
    """
    target = Path(os.fspath(path))
    write_text_atomically(target, dumps(theory, format=_format_of(str(target))))
