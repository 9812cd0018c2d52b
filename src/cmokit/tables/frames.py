"""A theory as a set of pandas DataFrames, and back again without loss.

:func:`to_frames` returns one DataFrame per kind of item; :func:`from_frames` is its exact
inverse, so ``from_frames(to_frames(theory)) == theory`` for every theory, ``meta``
included. The frames and their columns (also in :data:`FRAME_COLUMNS`):

``elements``
    ``id``, ``kind`` (``"context"``, ``"mechanism"`` or ``"outcome"``), ``label``,
    ``description``, ``stage``, ``tags`` (list), ``aliases`` (list), ``resource`` and
    ``reasoning`` (mechanisms only), ``outcome_kind`` (``"intended"`` or ``"unintended"``;
    outcomes only), ``meta``. Contexts come first, then mechanisms, then outcomes.
``configurations``
    ``id``, ``theme``, ``statement``, ``contexts``, ``mechanisms``, ``outcomes`` (lists of
    element ids), ``meta``.
``links``
    ``source``, ``target``, ``label``, ``meta``.
``evidence``
    ``id``, ``text``, ``source``, ``participant``, ``case``, ``stance`` (``"supports"`` or
    ``"contradicts"``), ``about`` (list of ids), ``meta``.
``stages``
    ``id``, ``label``, ``description``, ``meta``; in process order.
``themes``
    ``id``, ``label``, ``description``, ``meta``.
``figures``
    ``id``, ``title``, ``stages``, ``themes`` (lists), ``around``, ``steps``,
    ``direction``, ``legend``, ``wrap``, ``edge_labels``, ``evidence_counts``,
    ``collapse`` (list), ``meta``.
``theory``
    One row: ``title``, ``description``, ``citation``, ``doi``, ``url``, ``meta``.

Every column has ``object`` dtype: unset values are ``None``, list-valued cells are Python
lists and ``meta`` cells are dicts (deep copies, so changing a frame never changes the
theory). One row per item, in the theory's order, with a default ``RangeIndex``.

:func:`from_frames` is forgiving where pandas is: ``NaN`` and ``pd.NA`` count as unset,
tuples and arrays as lists, whole floats as integers; missing frames are empty and missing
optional columns unset. Anything else wrong is collected and raised at once as a
:class:`~cmokit.LoadError` whose problems name the frame, the row and the column.

Example:
    >>> import cmokit.examples
    >>> frames = to_frames(cmokit.examples.hand_hygiene())
    >>> frames["configurations"].loc[0, "contexts"]
    ['audit_data']
    >>> from_frames(frames) == cmokit.examples.hand_hygiene()
    True
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cmokit._collector import paused
from cmokit.exceptions import LoadError, Problem
from cmokit.model import (
    Configuration,
    Context,
    Element,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    Stage,
    Theme,
)
from cmokit.theory import ProgrammeTheory, Source, suggest

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "from_frames", "to_frames"]

FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "elements": (
        "id",
        "kind",
        "label",
        "description",
        "stage",
        "tags",
        "aliases",
        "resource",
        "reasoning",
        "outcome_kind",
        "meta",
    ),
    "configurations": ("id", "theme", "statement", "contexts", "mechanisms", "outcomes", "meta"),
    "links": ("source", "target", "label", "meta"),
    "evidence": ("id", "text", "source", "participant", "case", "stance", "about", "meta"),
    "stages": ("id", "label", "description", "meta"),
    "themes": ("id", "label", "description", "meta"),
    "figures": (
        "id",
        "title",
        "stages",
        "themes",
        "around",
        "steps",
        "direction",
        "legend",
        "wrap",
        "edge_labels",
        "evidence_counts",
        "collapse",
        "meta",
    ),
    "theory": ("title", "description", "citation", "doi", "url", "meta"),
}
"""The frames :func:`to_frames` returns, each with its columns in order."""

_KIND_CLASSES: dict[str, type[Context | Mechanism | Outcome]] = {
    "context": Context,
    "mechanism": Mechanism,
    "outcome": Outcome,
}


# ------------------------------------------------------------------------------ to frames


def _enum_value(value: object) -> object:
    return getattr(value, "value", value)


# The frames hold a few Python objects per cell and make no reference cycles, yet with the
# collector running each few hundred of them start a collection that rescans the theory
# and the rows built so far: that made the cost per configuration grow with the theory
# (14 -> 45 us per configuration from 1,000 to 50,000 configurations; paused, 15 -> 17).
@paused()
def to_frames(theory: ProgrammeTheory) -> dict[str, pd.DataFrame]:
    """Return the theory as DataFrames: elements, configurations, links, evidence and more.

    See the module documentation for the frames and their columns.

    Args:
        theory: The theory to tabulate.

    Returns:
        A dict of DataFrames keyed ``elements``, ``configurations``, ``links``,
        ``evidence``, ``stages``, ``themes``, ``figures`` and ``theory``.

    Example:
        >>> import cmokit.examples
        >>> frames = to_frames(cmokit.examples.hand_hygiene())
        >>> list(frames)
        ['elements', 'configurations', 'links', 'evidence', 'stages', 'themes', 'figures', 'theory']
        >>> frames["elements"][["id", "kind", "stage"]].head(3)
                      id       kind   stage
        0     audit_data    context  uptake
        1      hierarchy    context  uptake
        2  peer_feedback  mechanism  uptake
    """
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FRAME_COLUMNS}
    for stage in theory.stages:
        rows["stages"].append(_plain_row(stage, FRAME_COLUMNS["stages"]))
    for theme in theory.themes:
        rows["themes"].append(_plain_row(theme, FRAME_COLUMNS["themes"]))
    for element in theory.elements:
        row = {
            "id": element.id,
            "kind": element.element_kind.value,
            "label": element.label,
            "description": element.description,
            "stage": element.stage,
            "tags": list(element.tags),
            "aliases": list(element.aliases),
            "resource": element.resource if isinstance(element, Mechanism) else None,
            "reasoning": element.reasoning if isinstance(element, Mechanism) else None,
            "outcome_kind": element.kind.value if isinstance(element, Outcome) else None,
            "meta": copy.deepcopy(element.meta) if element.meta else {},
        }
        rows["elements"].append(row)
    for config in theory.configurations:
        rows["configurations"].append(_plain_row(config, FRAME_COLUMNS["configurations"]))
    for link in theory.links:
        rows["links"].append(_plain_row(link, FRAME_COLUMNS["links"]))
    for item in theory.evidence:
        rows["evidence"].append(_plain_row(item, FRAME_COLUMNS["evidence"]))
    for figure in theory.figures:
        rows["figures"].append(_plain_row(figure, FRAME_COLUMNS["figures"]))
    rows["theory"].append(
        {
            "title": theory.title,
            "description": theory.description,
            "citation": theory.source.citation,
            "doi": theory.source.doi,
            "url": theory.source.url,
            "meta": copy.deepcopy(theory.meta),
        }
    )
    return {name: _frame(rows[name], FRAME_COLUMNS[name]) for name in FRAME_COLUMNS}


def _plain_row(item: object, columns: Iterable[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in columns:
        value = getattr(item, column)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            # Most items carry no meta: a fresh empty dict is what deepcopy would give, at a
            # fraction of its cost (it was about 30% of to_frames).
            value = copy.deepcopy(value) if value else {}
        else:
            value = _enum_value(value)
        row[column] = value
    return row


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    # Built column by column with object dtype: inference would turn all-None columns into
    # float NaN and strings into pandas' string dtype, breaking the exact round trip.
    data = {column: pd.Series([row[column] for row in rows], dtype=object) for column in columns}
    return pd.DataFrame(data, columns=list(columns))


# ---------------------------------------------------------------------------- from frames


class _RowReader:
    """Reads the cells of one row, recording a problem for each bad one."""

    def __init__(
        self, frame: str, row: object, record: Mapping[str, Any], problems: list[Problem]
    ) -> None:
        self.frame = frame
        self.row = row
        self.record = record
        self.problems = problems
        self.item: str | None = None
        self.bad = False

    def problem(self, column: str | None, message: str) -> None:
        where = f"row {self.row}"
        if column is not None:
            where += f", column {column!r}"
        self.problems.append(
            Problem(
                f"{where}: {message}",
                path=f"frames[{self.frame!r}]",
                item=self.item,
                field=column,
            )
        )
        self.bad = True

    def _raw(self, column: str) -> Any:
        value = self.record.get(column)
        return None if _is_missing(value) else value

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self._raw(column)
        if value is None:
            if required:
                self.problem(column, f"{column} is missing; every row needs one")
            return None
        if not isinstance(value, str):
            self.problem(column, f"must be text, not {type(value).__name__} {value!r}")
            return None
        return str(value)

    def texts(self, column: str) -> tuple[str, ...]:
        value = self._raw(column)
        if value is None:
            return ()
        if isinstance(value, str | bytes | Mapping) or not _is_list_like(value):
            self.problem(
                column,
                f"must be a list of text, not {type(value).__name__} {value!r}"
                " (write ['a', 'b'], not 'a; b')",
            )
            return ()
        items = list(value)
        for entry in items:
            if not isinstance(entry, str):
                self.problem(column, f"must hold text only, not {type(entry).__name__} {entry!r}")
                return ()
        return tuple(str(entry) for entry in items)

    def meta(self) -> dict[str, Any]:
        value = self._raw("meta")
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.problem("meta", f"must be a dict, not {type(value).__name__} {value!r}")
            return {}
        return copy.deepcopy(dict(value))

    def whole_number(self, column: str) -> int | None:
        value = self._raw(column)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            self.problem(column, f"must be a whole number, not {type(value).__name__} {value!r}")
            return None
        number = float(value)
        if isinstance(value, numbers.Integral) or number.is_integer():
            return int(number) if not isinstance(value, numbers.Integral) else int(str(value))
        self.problem(column, f"must be a whole number, not {value!r}")
        return None

    def flag(self, column: str) -> bool | None:
        value = self._raw(column)
        if value is None:
            return None
        # numpy's bool_ is not a bool subclass; it does compare equal to True or False.
        if type(value).__name__ in ("bool", "bool_") and value in (True, False):
            return bool(value)
        self.problem(column, f"must be True or False, not {type(value).__name__} {value!r}")
        return None

    def build(
        self,
        factory: Callable[..., Any],
        fields: Mapping[str, Any],
        columns: Mapping[str, str] | None = None,
    ) -> Any:
        """Build an item; a model error becomes a problem naming the frame's column."""
        try:
            return factory(**fields)
        except (TypeError, ValueError) as err:
            message = str(err)
            field = message.split(" ", 1)[0]
            column = (columns or {}).get(field, field)
            self.problem(column if field in fields else None, message)
            return None


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pd.NA and pd.NaT without importing pandas here: both are singletons of these types.
    return type(value).__name__ in ("NAType", "NaTType")


def _is_list_like(value: object) -> bool:
    return isinstance(value, list | tuple) or type(value).__name__ == "ndarray"


def from_frames(frames: Mapping[str, pd.DataFrame]) -> ProgrammeTheory:
    """Build a theory from the DataFrames :func:`to_frames` returns: its exact inverse.

    Args:
        frames: DataFrames keyed by frame name; missing frames count as empty, missing
            optional columns as unset.

    Returns:
        The theory, equal to the one the frames were made from.

    Raises:
        LoadError: Anything is wrong: an unknown frame or column, a cell of the wrong
            type, a duplicate id, a reference to an unknown id. Every problem is listed,
            each naming the frame, the row (its index label) and the column.

    Example:
        >>> import cmokit, pandas as pd
        >>> frames = {"elements": pd.DataFrame({"id": ["c1", "o1"],
        ...                                     "kind": ["context", "outcmoe"]})}
        >>> try:
        ...     from_frames(frames)
        ... except cmokit.LoadError as err:
        ...     print(err.problems[0].path, err.problems[0].message)
        frames['elements'] row 1, column 'kind': 'outcmoe' is not a kind; did you mean 'outcome'?
    """
    import pandas as pd

    problems: list[Problem] = []
    for name in frames:
        if name not in FRAME_COLUMNS:
            close = suggest(str(name), FRAME_COLUMNS, count=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use {', '.join(FRAME_COLUMNS)}"
            problems.append(Problem(f"unknown frame {name!r}; {hint}", path="frames"))
    records: dict[str, list[tuple[object, dict[str, Any]]]] = {}
    for name, columns in FRAME_COLUMNS.items():
        frame = frames.get(name)
        records[name] = []
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            problems.append(
                Problem(
                    f"must be a DataFrame, not {type(frame).__name__}", path=f"frames[{name!r}]"
                )
            )
            continue
        usable = True
        for column in frame.columns:
            if column not in columns:
                close = suggest(str(column), columns, count=1)
                hint = f"did you mean {close[0]!r}?" if close else "keep extra data in 'meta'"
                problems.append(
                    Problem(
                        f"unknown column {column!r}; {hint}", path=f"frames[{name!r}]", field=column
                    )
                )
                usable = False
        key = columns[0]
        if key not in frame.columns and name != "theory" and len(frame):
            problems.append(Problem(f"has no {key!r} column", path=f"frames[{name!r}]", field=key))
            usable = False
        if usable:
            rows: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
            records[name] = list(zip(frame.index, rows, strict=True))
    builder = _Builder(problems)
    theory = builder.build(records)
    if problems:
        raise LoadError(problems)
    return theory


class _Builder:
    """Turns the rows of each frame into items, checks them together, and inserts them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        # id -> (frame, row, kind name) of the first item to use it
        self.seen: dict[str, tuple[str, object, str]] = {}
        # figures have their own id space: figure id -> row
        self.figure_rows: dict[str, object] = {}

    def build(self, records: dict[str, list[tuple[object, dict[str, Any]]]]) -> ProgrammeTheory:
        theory = self._theory(records["theory"])
        stages = self._simple(records["stages"], "stages", Stage, "stage")
        themes = self._simple(records["themes"], "themes", Theme, "theme")
        elements = [e for e in map(self._element, records["elements"]) if e is not None]
        configurations = [c for c in map(self._configuration, records["configurations"]) if c]
        links = [link for link in map(self._link, records["links"]) if link is not None]
        evidence = [e for e in map(self._evidence, records["evidence"]) if e is not None]
        figures = [f for f in map(self._figure, records["figures"]) if f is not None]
        self._check_references(stages, themes, elements, configurations, links, evidence, figures)
        if self.problems:
            return theory
        for group in (stages, themes):
            for _reader, item in group:
                theory._insert(item)
        for kind in (Context, Mechanism, Outcome):
            for _reader, element in elements:
                if type(element) is kind:
                    theory._insert(element)
        for group2 in (configurations, links, evidence, figures):
            for _reader, item in group2:
                theory._insert(item)
        return theory

    def _claim(self, reader: _RowReader, item_id: str, kind: str) -> bool:
        previous = self.seen.get(item_id)
        if previous is not None:
            frame, row, other = previous
            reader.problem(
                "id",
                f"duplicate id {item_id!r}: already used by a {other} in"
                f" frames[{frame!r}] row {row}; ids must be unique across the whole theory",
            )
            return False
        self.seen[item_id] = (reader.frame, reader.row, kind)
        return True

    def _theory(self, rows: list[tuple[object, dict[str, Any]]]) -> ProgrammeTheory:
        if not rows:
            return ProgrammeTheory()
        if len(rows) > 1:
            self.problems.append(
                Problem(f"must have one row, not {len(rows)}", path="frames['theory']")
            )
        row, record = rows[0]
        reader = _RowReader("theory", row, record, self.problems)
        title = reader.text("title") or ""
        description = reader.text("description")
        source = Source(
            citation=reader.text("citation"), doi=reader.text("doi"), url=reader.text("url")
        )
        return ProgrammeTheory(title, description=description, source=source, meta=reader.meta())

    def _simple(
        self,
        rows: list[tuple[object, dict[str, Any]]],
        frame: str,
        cls: type[Stage | Theme],
        kind: str,
    ) -> list[tuple[_RowReader, Any]]:
        built = []
        for row, record in rows:
            reader = _RowReader(frame, row, record, self.problems)
            item_id = reader.text("id", required=True)
            reader.item = item_id
            fields: dict[str, Any] = {
                "id": item_id,
                "description": reader.text("description"),
                "meta": reader.meta(),
            }
            label = reader.text("label")
            if label is not None:
                fields["label"] = label
            if reader.bad or item_id is None:
                continue
            item = reader.build(cls, fields)
            if item is not None and self._claim(reader, item_id, kind):
                built.append((reader, item))
        return built

    def _element(self, entry: tuple[object, dict[str, Any]]) -> tuple[_RowReader, Element] | None:
        row, record = entry
        reader = _RowReader("elements", row, record, self.problems)
        item_id = reader.text("id", required=True)
        reader.item = item_id
        kind = reader.text("kind", required=True)
        cls = _KIND_CLASSES.get(kind) if kind is not None else None
        if kind is not None and cls is None:
            close = suggest(kind, _KIND_CLASSES, count=1)
            hint = f"did you mean {close[0]!r}?" if close else "use context, mechanism or outcome"
            reader.problem("kind", f"{kind!r} is not a kind; {hint}")
        fields: dict[str, Any] = {
            "id": item_id,
            "description": reader.text("description"),
            "stage": reader.text("stage"),
            "tags": reader.texts("tags"),
            "aliases": reader.texts("aliases"),
            "meta": reader.meta(),
        }
        label = reader.text("label")
        if label is not None:
            fields["label"] = label
        resource = reader.text("resource")
        reasoning = reader.text("reasoning")
        outcome_kind = reader.text("outcome_kind")
        if cls is Mechanism:
            fields["resource"] = resource
            fields["reasoning"] = reasoning
        elif cls is not None:
            for column, value in (("resource", resource), ("reasoning", reasoning)):
                if value is not None:
                    reader.problem(column, f"only mechanisms have a {column}; this is a {kind}")
        if cls is Outcome:
            if outcome_kind is not None:
                fields["kind"] = outcome_kind
        elif cls is not None and outcome_kind is not None:
            reader.problem("outcome_kind", f"only outcomes have an outcome_kind; this is a {kind}")
        if reader.bad or cls is None or item_id is None:
            return None
        built = reader.build(cls, fields, {"kind": "outcome_kind"})
        if built is None:
            return None
        if not self._claim(reader, item_id, kind or "element"):
            return None
        return reader, built

    def _configuration(
        self, entry: tuple[object, dict[str, Any]]
    ) -> tuple[_RowReader, Configuration] | None:
        row, record = entry
        reader = _RowReader("configurations", row, record, self.problems)
        item_id = reader.text("id", required=True)
        reader.item = item_id
        fields = {
            "id": item_id,
            "theme": reader.text("theme"),
            "statement": reader.text("statement"),
            "contexts": reader.texts("contexts"),
            "mechanisms": reader.texts("mechanisms"),
            "outcomes": reader.texts("outcomes"),
            "meta": reader.meta(),
        }
        if reader.bad or item_id is None:
            return None
        built = reader.build(Configuration, fields)
        if built is None or not self._claim(reader, item_id, "configuration"):
            return None
        return reader, built

    def _link(self, entry: tuple[object, dict[str, Any]]) -> tuple[_RowReader, Link] | None:
        row, record = entry
        reader = _RowReader("links", row, record, self.problems)
        source = reader.text("source", required=True)
        target = reader.text("target", required=True)
        reader.item = f"link {source}->{target}"
        fields = {
            "source": source,
            "target": target,
            "label": reader.text("label"),
            "meta": reader.meta(),
        }
        if reader.bad:
            return None
        built = reader.build(Link, fields)
        return None if built is None else (reader, built)

    def _evidence(self, entry: tuple[object, dict[str, Any]]) -> tuple[_RowReader, Evidence] | None:
        row, record = entry
        reader = _RowReader("evidence", row, record, self.problems)
        item_id = reader.text("id", required=True)
        reader.item = item_id
        fields: dict[str, Any] = {
            "id": item_id,
            "text": reader.text("text") or "",
            "source": reader.text("source"),
            "participant": reader.text("participant"),
            "case": reader.text("case"),
            "about": reader.texts("about"),
            "meta": reader.meta(),
        }
        stance = reader.text("stance")
        if stance is not None:
            fields["stance"] = stance
        if reader.bad or item_id is None:
            return None
        built = reader.build(Evidence, fields)
        if built is None or not self._claim(reader, item_id, "evidence item"):
            return None
        return reader, built

    def _figure(self, entry: tuple[object, dict[str, Any]]) -> tuple[_RowReader, Figure] | None:
        row, record = entry
        reader = _RowReader("figures", row, record, self.problems)
        item_id = reader.text("id", required=True)
        reader.item = item_id
        fields = {
            "id": item_id,
            "title": reader.text("title"),
            "stages": reader.texts("stages"),
            "themes": reader.texts("themes"),
            "around": reader.text("around"),
            "steps": reader.whole_number("steps"),
            "direction": reader.text("direction"),
            "legend": reader.flag("legend"),
            "wrap": reader.whole_number("wrap"),
            "edge_labels": reader.flag("edge_labels"),
            "evidence_counts": reader.flag("evidence_counts"),
            "collapse": reader.texts("collapse"),
            "meta": reader.meta(),
        }
        if reader.bad or item_id is None:
            return None
        built = reader.build(Figure, fields)
        if built is None:
            return None
        previous = self.figure_rows.get(item_id)
        if previous is not None:
            reader.problem("id", f"duplicate figure id {item_id!r}: already used in row {previous}")
            return None
        self.figure_rows[item_id] = reader.row
        return reader, built

    def _check_references(
        self,
        stages: list[tuple[_RowReader, Stage]],
        themes: list[tuple[_RowReader, Theme]],
        elements: list[tuple[_RowReader, Element]],
        configurations: list[tuple[_RowReader, Configuration]],
        links: list[tuple[_RowReader, Link]],
        evidence: list[tuple[_RowReader, Evidence]],
        figures: list[tuple[_RowReader, Figure]],
    ) -> None:
        stage_ids = {item.id for _, item in stages}
        theme_ids = {item.id for _, item in themes}
        element_ids = {item.id for _, item in elements}
        outcome_ids = {item.id for _, item in elements if isinstance(item, Outcome)}
        about_ids = element_ids | {item.id for _, item in configurations}

        def check(
            reader: _RowReader, column: str, refs: Iterable[str | None], known: set[str], what: str
        ) -> None:
            for ref in refs:
                if ref is None or ref in known:
                    continue
                message = f"refers to unknown {what} {ref!r}"
                if ref in self.seen:
                    message = f"refers to {ref!r}, which is a {self.seen[ref][2]}, not a {what}"
                else:
                    close = suggest(ref, known, count=1)
                    if close:
                        message += f"; did you mean {close[0]!r}?"
                reader.problem(column, message)

        for reader, element in elements:
            check(reader, "stage", [element.stage], stage_ids, "stage")
        for reader, config in configurations:
            check(reader, "contexts", config.contexts, element_ids, "element")
            check(reader, "mechanisms", config.mechanisms, element_ids, "element")
            check(reader, "outcomes", config.outcomes, outcome_ids, "outcome")
            check(reader, "theme", [config.theme], theme_ids, "theme")
        for reader, link in links:
            check(reader, "source", [link.source], element_ids, "element")
            check(reader, "target", [link.target], element_ids, "element")
        for reader, item in evidence:
            check(reader, "about", item.about, about_ids, "element or configuration")
        for reader, figure in figures:
            check(reader, "stages", figure.stages, stage_ids, "stage")
            check(reader, "themes", figure.themes, theme_ids, "theme")
            check(reader, "around", [figure.around], element_ids, "element")
            check(reader, "collapse", figure.collapse, stage_ids | theme_ids, "stage or theme")
