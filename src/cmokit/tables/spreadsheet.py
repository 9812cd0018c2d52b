"""Import the configuration spreadsheets researchers keep by hand.

The form: one row per configuration, the first row naming the columns. Recognised columns
(case, spaces, ``_``/``-`` and a trailing ``(C)``-style note in the header do not matter):

============================  =================================================================
column                        holds
============================  =================================================================
``id`` (or ``configuration``,  the configuration's id; when empty, ``CMOC<n>`` for the n-th row
``cmoc``, ``code``)
``theme``                     the theme, by label or id; created when new
``statement``                 the configuration statement
``contexts`` (or ``context``,  contexts, by label or id, several separated by ``;`` or line
``c``)                        breaks
``mechanisms`` (``m``)        mechanisms, likewise
``outcomes`` (``o``)          outcomes, likewise
``unintended outcomes``       outcomes that are side effects (``kind: unintended``)
``stage``                     the stage of the elements this row creates, by label or id
============================  =================================================================

Any other column is kept, per row, in the configuration's ``meta`` under its header.

Elements are created from labels with stable ids: the label in lower case, accents
dropped, runs of other characters turned into ``_`` (:func:`slugify`), with ``_2``,
``_3``... added when the id is taken. A value that recurs, with different case or spacing,
is the same element; a value that is the id of an element (from the ``base`` theory or
created earlier) is that element. Every value in an outcomes column is an outcome, even
where it also stands among another row's contexts or mechanisms: that chains the two
configurations.

Bad rows are reported all at once, by row number as the spreadsheet shows it (the header
is row 1) and column, as one :class:`~cmokit.LoadError`; nothing is returned then.

Example:
    >>> import cmokit
    >>> theory, report = import_records([
    ...     {"id": "CMOC1", "contexts": "Audit data ", "mechanisms": "Peer feedback",
    ...      "outcomes": "Staff engage"},
    ...     {"id": "CMOC2", "contexts": "staff  engage", "mechanisms": "Habit",
    ...      "outcomes": "Compliance"},
    ... ])
    >>> theory["CMOC2"].contexts
    ('staff_engage',)
    >>> [item.id for item in report.of_kind("outcome")]
    ['staff_engage', 'compliance']
"""

from __future__ import annotations

import csv
import datetime
import importlib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cmokit.exceptions import LoadError, Problem
from cmokit.model import (
    Configuration,
    Context,
    Element,
    Mechanism,
    Outcome,
    OutcomeKind,
    Stage,
    Theme,
)

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = [
    "CreatedItem",
    "ImportReport",
    "import_records",
    "import_table",
    "slugify",
]

_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "configuration", "configuration id", "cmoc", "cmoc id", "cmo", "code"),
    "theme": ("theme", "themes", "outcome theme"),
    "statement": ("statement", "configuration statement", "cmoc statement"),
    "contexts": ("contexts", "context", "c"),
    "mechanisms": ("mechanisms", "mechanism", "m"),
    "outcomes": ("outcomes", "outcome", "o", "intended outcomes", "intended outcome"),
    "unintended_outcomes": ("unintended outcomes", "unintended outcome"),
    "stage": ("stage",),
}
_FIELD_OF = {name: field for field, names in _COLUMN_NAMES.items() for name in names}
_ELEMENT_COLUMNS = ("contexts", "mechanisms", "outcomes", "unintended_outcomes")
_SEPARATORS = re.compile(r"[;\n\r]+")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@attrs.frozen
class CreatedItem:
    """One item an import created: an element, theme, stage or configuration.

    Attributes:
        kind: ``"stage"``, ``"theme"``, ``"context"``, ``"mechanism"``, ``"outcome"`` or
            ``"configuration"``.
        id: Its id in the new theory.
        label: Its label (a configuration's statement).
        row: The spreadsheet row it was first met in (the header is row 1).
        column: The header of the column it was met in, as the spreadsheet spells it.

    Example:
        >>> CreatedItem("context", "audit_data", "Audit data", 2, "Contexts").id
        'audit_data'
    """

    kind: str
    id: str
    label: str
    row: int
    column: str


@attrs.frozen
class ImportReport:
    """What an import read and created.

    Attributes:
        source: The file read, if any.
        rows: How many rows with data were read (blank rows are skipped).
        created: Everything created, stages and themes first, then elements, then
            configurations.
        reused: Ids of items of the ``base`` theory the spreadsheet referred to.
        meta_columns: Headers of columns cmokit does not know, kept in each
            configuration's ``meta``.

    Example:
        >>> _, report = import_records([{"c": "Audit data", "m": "Feedback", "o": "Engaged"}])
        >>> print(report)
        read 1 row: 1 configuration
        created 1 context, 1 mechanism, 1 outcome:
          context    audit_data  "Audit data" (row 2, column c)
          mechanism  feedback    "Feedback" (row 2, column m)
          outcome    engaged     "Engaged" (row 2, column o)
    """

    source: str | None
    rows: int
    created: tuple[CreatedItem, ...]
    reused: tuple[str, ...] = ()
    meta_columns: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> tuple[CreatedItem, ...]:
        """Return the created items of one kind, e.g. ``"context"``, in order.

        Example:
            >>> _, report = import_records([{"c": "A", "m": "B", "o": "C"}])
            >>> [item.label for item in report.of_kind("mechanism")]
            ['B']
        """
        return tuple(item for item in self.created if item.kind == kind)

    def __str__(self) -> str:
        configurations = self.of_kind("configuration")
        where = f" from {self.source}" if self.source else ""
        lines = [
            f"read {_plural(self.rows, 'row')}{where}:"
            f" {_plural(len(configurations), 'configuration')}"
        ]
        others = [item for item in self.created if item.kind != "configuration"]
        if others:
            counts = []
            for kind in ("stage", "theme", "context", "mechanism", "outcome"):
                number = len(self.of_kind(kind))
                if number:
                    counts.append(_plural(number, kind))
            lines.append(f"created {', '.join(counts)}:")
            id_width = max(len(item.id) for item in others)
            for item in others:
                lines.append(
                    f'  {item.kind:<10} {item.id:<{id_width}}  "{item.label}"'
                    f" (row {item.row}, column {item.column})"
                )
        if self.reused:
            lines.append("reused from the base model: " + ", ".join(self.reused))
        if self.meta_columns:
            lines.append("kept as configuration meta: " + ", ".join(self.meta_columns))
        return "\n".join(lines)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def slugify(label: str, *, max_length: int = 48) -> str:
    """Return the id an import gives an element made from a label.

    Lower case, accents and apostrophes dropped, every run of characters other than letters
    and digits turned into one ``_``; cut at a word boundary after ``max_length``
    characters. Letters of any script are kept. The same label always gives the same id.

    Example:
        >>> slugify("  Café culture & 'speaking up'  ")
        'cafe_culture_speaking_up'
        >>> slugify("Egan's Skilled Helper model")
        'egans_skilled_helper_model'
        >>> slugify("???")
        ''
    """
    text = unicodedata.normalize("NFKD", label)
    text = "".join(char for char in text if not unicodedata.combining(char))
    # An apostrophe joins its word ("Egan's" gives "egans"), it does not split it.
    text = text.replace("'", "").replace("\u2019", "")
    text = re.sub(r"[\W_]+", "_", text.casefold()).strip("_")
    if len(text) > max_length:
        cut = text.rfind("_", 0, max_length + 1)
        text = text[: cut if cut > max_length // 2 else max_length].strip("_")
    return text


def _key(text: str) -> str:
    """How values are matched: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


def _clean(text: str) -> str:
    return " ".join(text.split())


def _cell(value: object) -> str:
    """The text of a spreadsheet cell, whatever type the reader gave it."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell read by pandas
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _normalise_header(header: str) -> str:
    text = re.sub(r"\s*\([^)]*\)\s*$", "", header)
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


class _Importer:
    """Turns the rows of a configuration spreadsheet into a theory, collecting problems."""

    def __init__(self, path: str | None, base: ProgrammeTheory | None) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.created: list[CreatedItem] = []
        self.reused: dict[str, None] = {}
        self.taken: set[str] = set()
        self.elements: dict[str, Element] = {}
        self.stages: dict[str, Stage] = {}
        self.themes: dict[str, Theme] = {}
        # case- and space-insensitive label or id -> id, one index per namespace
        self.element_index: dict[str, str] = {}
        self.theme_index: dict[str, str] = {}
        self.stage_index: dict[str, str] = {}
        self.base_ids: set[str] = set()
        if base is not None:
            self.base_ids = set(base)
            self.taken |= set(base)
            for element in base.elements:
                self.elements[element.id] = element
                self._index(self.element_index, element.id, element.label, element.aliases)
            for theme in base.themes:
                self.themes[theme.id] = theme
                self._index(self.theme_index, theme.id, theme.label)
            for stage in base.stages:
                self.stages[stage.id] = stage
                self._index(self.stage_index, stage.id, stage.label)

    @staticmethod
    def _index(
        index: dict[str, str], item_id: str, label: str, aliases: Iterable[str] = ()
    ) -> None:
        for text in (label, *aliases, item_id):
            index.setdefault(_key(text), item_id)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(
            Problem(f"column {column}: {message}", path=self.path, line=row, field=column)
        )

    def new_id(self, label: str, fallback: str) -> str:
        stem = slugify(label) or fallback
        candidate, number = stem, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{stem}_{number}"
        self.taken.add(candidate)
        return candidate

    def resolve(
        self,
        value: str,
        index: dict[str, str],
        known: dict[str, Any],
        make: Any,
        kind: str,
        row: int,
        column: str,
    ) -> str:
        """Return the id a value names, creating the item when it is new."""
        found = value if value in known else index.get(_key(value), "")
        if found:
            if found in self.base_ids:
                self.reused[found] = None
            return found
        label = _clean(value)
        item_id = self.new_id(label, kind)
        known[item_id] = make(item_id, label)
        self._index(index, item_id, label)
        self.created.append(CreatedItem(kind, item_id, label, row, column))
        return item_id


def _read_rows(
    header: Sequence[object], rows: Iterable[tuple[int, Sequence[object]]]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    headers = [_cell(h).strip() for h in header]
    table = []
    for number, values in rows:
        cells = [_cell(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        table.append((number, cells))
    # Values beyond the last header must not vanish: pad the header so they are reported.
    width = max([len(headers), *(len(cells) for _, cells in table)])
    headers += [""] * (width - len(headers))
    for _, cells in table:
        cells += [""] * (width - len(cells))
    return headers, table


def _import(
    header: Sequence[object],
    rows: Iterable[tuple[int, Sequence[object]]],
    *,
    path: str | None,
    header_row: int,
    title: str | None,
    base: ProgrammeTheory | None,
) -> tuple[ProgrammeTheory, ImportReport]:
    from cmokit.fileformat import from_dict, to_dict

    headers, table = _read_rows(header, rows)
    importer = _Importer(path, base)
    fields: dict[str, int] = {}
    extra: dict[int, str] = {}
    for position, text in enumerate(headers):
        if not text:
            if any(position < len(cells) and cells[position].strip() for _, cells in table):
                importer.problem(
                    header_row,
                    _column_letter(position),
                    "this column has values but no header; name it, e.g. 'contexts'",
                )
            continue
        field = _FIELD_OF.get(_normalise_header(text))
        if field is None:
            extra[position] = text
        elif field in fields:
            importer.problem(
                header_row,
                text,
                f"a second {field.replace('_', ' ')} column (the first is"
                f" {headers[fields[field]]!r}); merge them into one",
            )
        else:
            fields[field] = position
    if "outcomes" not in fields and "unintended_outcomes" not in fields:
        importer.problem(header_row, "outcomes", "no outcomes column; name one column 'outcomes'")
    if "contexts" not in fields and "mechanisms" not in fields:
        importer.problem(
            header_row,
            "contexts",
            "no contexts or mechanisms column; name columns 'contexts' and 'mechanisms'",
        )
    if importer.problems:
        raise LoadError(importer.problems)

    def cell(cells: list[str], field: str) -> str:
        position = fields.get(field)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    def values(cells: list[str], field: str) -> list[str]:
        return [v.strip() for v in _SEPARATORS.split(cell(cells, field)) if v.strip()]

    def header_of(field: str) -> str:
        return headers[fields[field]]

    # Explicit configuration ids first, so that ids made from labels keep clear of them.
    config_ids: dict[int, str] = {}
    first_row: dict[str, int] = {}
    for number, cells in table:
        given = cell(cells, "id")
        if not given:
            continue
        if given in first_row:
            importer.problem(
                number,
                header_of("id"),
                f"duplicate id {given!r}: row {first_row[given]} already uses it;"
                " give each configuration its own id",
            )
            continue
        if given in importer.taken:
            importer.problem(
                number,
                header_of("id"),
                f"id {given!r} is already used in the base model; choose another",
            )
            continue
        first_row[given] = number
        config_ids[number] = given
        importer.taken.add(given)

    stage_of_row: dict[int, str | None] = {}
    theme_of_row: dict[int, str | None] = {}
    for number, cells in table:
        stage = cell(cells, "stage")
        stage_of_row[number] = (
            importer.resolve(
                stage,
                importer.stage_index,
                importer.stages,
                Stage,
                "stage",
                number,
                header_of("stage"),
            )
            if stage
            else None
        )
    for number, cells in table:
        theme = cell(cells, "theme")
        theme_of_row[number] = (
            importer.resolve(
                theme,
                importer.theme_index,
                importer.themes,
                Theme,
                "theme",
                number,
                header_of("theme"),
            )
            if theme
            else None
        )

    def element_maker(cls: type[Element], stage: str | None, **extra_fields: Any) -> Any:
        def make(item_id: str, label: str) -> Element:
            return cls(item_id, label, stage=stage, **extra_fields)

        return make

    # Outcomes first: a value in any outcomes column is an outcome, also where an earlier
    # row names it among its contexts (a chain).
    resolved: dict[tuple[int, str], list[str]] = {}
    for field, outcome_kind in (
        ("outcomes", OutcomeKind.INTENDED),
        ("unintended_outcomes", OutcomeKind.UNINTENDED),
    ):
        if field not in fields:
            continue
        for number, cells in table:
            ids = []
            for value in values(cells, field):
                found = importer.resolve(
                    value,
                    importer.element_index,
                    importer.elements,
                    element_maker(Outcome, stage_of_row[number], kind=outcome_kind),
                    "outcome",
                    number,
                    header_of(field),
                )
                if not isinstance(importer.elements[found], Outcome):
                    kind_name = importer.elements[found].element_kind.value
                    importer.problem(
                        number,
                        header_of(field),
                        f"{value!r} is a {kind_name} in the base model, not an outcome;"
                        " move it to the right column or use another name",
                    )
                ids.append(found)
            resolved[(number, field)] = ids
    for number, cells in table:
        for field, cls, kind_name in (
            ("contexts", Context, "context"),
            ("mechanisms", Mechanism, "mechanism"),
        ):
            if field not in fields:
                continue
            resolved[(number, field)] = [
                importer.resolve(
                    value,
                    importer.element_index,
                    importer.elements,
                    element_maker(cls, stage_of_row[number]),
                    kind_name,
                    number,
                    header_of(field),
                )
                for value in values(cells, field)
            ]

    configurations = []
    for ordinal, (number, cells) in enumerate(table, start=1):
        contexts = resolved.get((number, "contexts"), [])
        mechanisms = resolved.get((number, "mechanisms"), [])
        outcomes = resolved.get((number, "outcomes"), []) + resolved.get(
            (number, "unintended_outcomes"), []
        )
        if not outcomes:
            column = header_of("outcomes" if "outcomes" in fields else "unintended_outcomes")
            importer.problem(
                number,
                column,
                "no outcome; every configuration needs at least one (separate several with ;)",
            )
        if not contexts and not mechanisms:
            column = header_of("contexts" if "contexts" in fields else "mechanisms")
            importer.problem(number, column, "no context or mechanism; give at least one of them")
        config_id = config_ids.get(number)
        if config_id is None:
            config_id, suffix = f"CMOC{ordinal}", 1
            while config_id in importer.taken:
                suffix += 1
                config_id = f"CMOC{ordinal}_{suffix}"
            importer.taken.add(config_id)
        meta = {extra[p]: cells[p].strip() for p in extra if p < len(cells) and cells[p].strip()}
        statement = cell(cells, "statement") or None
        try:
            configuration = Configuration(
                config_id,
                contexts=list(dict.fromkeys(contexts)),
                mechanisms=list(dict.fromkeys(mechanisms)),
                outcomes=list(dict.fromkeys(outcomes)),
                statement=statement,
                theme=theme_of_row[number],
                meta=meta,
            )
        except (TypeError, ValueError) as err:
            importer.problem(number, header_of("id") if "id" in fields else "id", str(err))
            continue
        configurations.append(configuration)
        importer.created.append(
            CreatedItem(
                "configuration",
                config_id,
                statement or config_id,
                number,
                header_of("id") if "id" in fields else "",
            )
        )
    if importer.problems:
        importer.problems.sort(key=lambda p: p.line or 0)
        raise LoadError(importer.problems)

    theory = from_dict(to_dict(base)) if base is not None else None
    if theory is None:
        from cmokit.theory import ProgrammeTheory

        theory = ProgrammeTheory()
    if title is not None:
        theory.title = title
    base_ids = set(theory)
    new_items: list[Any] = [
        *(s for s in importer.stages.values() if s.id not in base_ids),
        *(t for t in importer.themes.values() if t.id not in base_ids),
    ]
    fresh = [e for e in importer.elements.values() if e.id not in base_ids]
    for kind in (Context, Mechanism, Outcome):
        new_items.extend(e for e in fresh if type(e) is kind)
    new_items.extend(configurations)
    for item in new_items:
        theory._insert(item)
    order = {"stage": 0, "theme": 1, "context": 2, "mechanism": 3, "outcome": 4, "configuration": 5}
    created = sorted(importer.created, key=lambda item: order[item.kind])
    report = ImportReport(
        source=path,
        rows=len(table),
        created=tuple(created),
        reused=tuple(importer.reused),
        meta_columns=tuple(extra.values()),
    )
    return theory, report


def import_records(
    records: Iterable[Mapping[str, object]] | Any,
    *,
    title: str | None = None,
    base: ProgrammeTheory | None = None,
    source: str | None = None,
) -> tuple[ProgrammeTheory, ImportReport]:
    """Import configurations from rows already read: dicts, or a pandas DataFrame.

    Row numbers in problems count as a spreadsheet would: the header is row 1, the first
    record row 2.

    Args:
        records: One mapping per configuration (column name to cell), or a DataFrame.
        title: The new theory's title (the base theory's when ``None``).
        base: A theory whose stages, themes and elements the rows may refer to by label or
            id; the result holds everything it holds, plus what the rows add.
        source: A name for the rows in problems and the report, e.g. a file name.

    Returns:
        The theory and a report of what was created.

    Raises:
        LoadError: Bad rows; every problem names the row and the column.

    Example:
        >>> import cmokit
        >>> try:
        ...     import_records([{"c": "A", "m": "B", "o": " "}], source="sheet")
        ... except cmokit.LoadError as err:
        ...     print(err.problems[0].line, err.problems[0].field)
        2 o
    """
    if hasattr(records, "itertuples") and hasattr(records, "columns"):
        frame: Any = records
        header: list[object] = [str(c) for c in frame.columns]
        rows = [list(values) for values in frame.itertuples(index=False, name=None)]
    else:
        mappings = [dict(r) for r in records]
        header = list(dict.fromkeys(key for record in mappings for key in record))
        rows = [[record.get(str(key)) for key in header] for record in mappings]
    return _import(
        header,
        [(number, row) for number, row in enumerate(rows, start=2)],
        path=source,
        header_row=1,
        title=title,
        base=base,
    )


def import_table(
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    base: ProgrammeTheory | None = None,
    sheet: str | None = None,
) -> tuple[ProgrammeTheory, ImportReport]:
    """Import a configuration spreadsheet: CSV, TSV or Excel (``.xlsx``).

    CSV files are read as UTF-8 (a byte-order mark is fine); the delimiter (comma, tab or
    semicolon) is the one that makes the most recognised headers. Excel files need the
    optional ``openpyxl`` package (``pip install 'cmokit[excel]'``); the first non-blank
    row of the sheet is the header.

    Args:
        path: The spreadsheet.
        title: The new theory's title; by default the base's title, or the file's name.
        base: A theory whose stages, themes and elements the rows may refer to.
        sheet: The Excel sheet to read (the active one when ``None``).

    Returns:
        The theory and a report of what was created.

    Raises:
        LoadError: The file cannot be read, or rows are bad; every problem names the file,
            the row (as the spreadsheet numbers it) and the column.

    Example:
        >>> import pathlib, tempfile
        >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "configs.csv"
        >>> _ = sheet.write_text("id,contexts,mechanisms,outcomes\\n"
        ...                      "CMOC1,Audit data,Peer feedback; Praise,Staff engage\\n")
        >>> theory, report = import_table(sheet)
        >>> theory.title, theory["CMOC1"].mechanisms
        ('configs', ('peer_feedback', 'praise'))
    """
    name = os.fspath(path)
    if base is None and title is None:
        title = Path(name).stem
    if Path(name).suffix.lower() in _EXCEL_SUFFIXES:
        header_row, header, rows = _read_excel(name, sheet)
    else:
        header_row, header, rows = _read_csv(name)
    return _import(header, rows, path=name, header_row=header_row, title=title, base=base)


def _file_problem(name: str, message: str) -> LoadError:
    return LoadError([Problem(message, path=name)])


def _read_csv(name: str) -> tuple[int, list[object], list[tuple[int, Sequence[object]]]]:
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _file_problem(name, "no such file; check the path") from None
    except IsADirectoryError:
        raise _file_problem(name, "is a folder, not a spreadsheet") from None
    except UnicodeDecodeError as err:
        raise _file_problem(
            name, f"not UTF-8 text ({err.reason}); save it as 'CSV UTF-8' and try again"
        ) from None
    except OSError as err:
        raise _file_problem(name, f"cannot read: {err.strerror}") from None
    delimiter = "\t" if Path(name).suffix.lower() == ".tsv" else _guess_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise _file_problem(name, f"not a readable CSV file: {err}") from None
    numbered = list(enumerate(records, start=1))
    while numbered and not any(c.strip() for c in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise _file_problem(name, "the file is empty; the first row must name the columns")
    header_row, header = numbered[0]
    return header_row, list(header), [(n, list(r)) for n, r in numbered[1:]]


def _guess_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")

    def recognised(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(_normalise_header(c) in _FIELD_OF for c in cells)

    return max((",", "\t", ";"), key=recognised)


def _read_excel(
    name: str, sheet: str | None
) -> tuple[int, list[object], list[tuple[int, Sequence[object]]]]:
    try:
        openpyxl = importlib.import_module("openpyxl")
    except ImportError:
        raise _file_problem(
            name,
            "reading Excel files needs the openpyxl package; install it with"
            " pip install 'cmokit[excel]' (or save the sheet as CSV)",
        ) from None
    if not Path(name).exists():
        raise _file_problem(name, "no such file; check the path")
    try:
        workbook = openpyxl.load_workbook(name, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged or foreign file
        raise _file_problem(name, f"not a readable Excel workbook ({err})") from None
    try:
        if sheet is None:
            worksheet = workbook.active
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise _file_problem(
                name, f"no sheet named {sheet!r}; the sheets are {', '.join(workbook.sheetnames)}"
            )
        numbered = [
            (number, list(values))
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    while numbered and not any(_cell(c).strip() for c in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise _file_problem(name, "the sheet is empty; the first row must name the columns")
    header_row, header = numbered[0]
    return header_row, header, [(n, r) for n, r in numbered[1:]]
