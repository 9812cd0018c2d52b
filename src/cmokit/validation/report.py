"""Validation findings and the report that collects them.

A :class:`Finding` is one thing a rule noticed about a theory: a stable rule code, a
:class:`Severity`, the ids it concerns, a message and a hint saying how to fix it. A
:class:`Report` holds every finding of one validation run, in a stable order (errors, then
warnings, then infos; by rule code within each), and turns them into a readable list, a
DataFrame with fixed columns, JSON or CSV.

The JSON and CSV forms are a contract: their fields are listed in :data:`COLUMNS` and they
read back with :func:`reports_from_json` and :func:`reports_from_csv`.

Example:
    >>> finding = Finding("CMO002", Severity.WARNING, ("blame",), "listed but not configured")
    >>> report = Report([finding])
    >>> report.ok
    True
    >>> print(report)
    1 warning
    warnings:
      CMO002 [blame] listed but not configured
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import json
import operator
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from cmokit.exceptions import LoadError, Problem, ValidationError
from cmokit.model import _to_enum

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "JSON_FORMAT_VERSION",
    "Finding",
    "Report",
    "Severity",
    "dump_csv",
    "dump_json",
    "reports_from_csv",
    "reports_from_json",
]

COLUMNS: tuple[str, ...] = ("path", "code", "severity", "ids", "message", "hint")
"""The fields of a finding in :meth:`Report.to_frame`, JSON and CSV, in this order.

- ``path``: the model file the finding is about (empty when the theory came from no file);
- ``code``: the rule code, e.g. ``CMO001``; stable across releases;
- ``severity``: ``error``, ``warning`` or ``info``;
- ``ids``: the ids of the items concerned (a list in JSON and in the DataFrame; in CSV a
  JSON array in one cell, since ids may hold spaces or commas);
- ``message``: what is wrong;
- ``hint``: how to fix it (may be empty).
"""

JSON_FORMAT_VERSION = 1
"""The version of the JSON document :func:`dump_json` writes, kept under ``cmokit_validation``."""


class Severity(enum.Enum):
    """How serious a finding is.

    ``ERROR`` means the theory is not a set of CMO configurations as it stands; ``WARNING``
    means a careful reviewer would ask about it; ``INFO`` is worth knowing and may be fine.

    Example:
        >>> Severity("warning").rank < Severity.INFO.rank
        True
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: the order reports list them in."""
        return _RANKS[self]

    @property
    def plural(self) -> str:
        """The heading for a group of findings, e.g. ``"warnings"``."""
        return f"{self.value}s"


_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _to_severity(value: object) -> Severity:
    return _to_enum(Severity, "severity", value)


def _to_ids(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    ids = tuple(value)
    for item_id in ids:
        if not isinstance(item_id, str):
            raise TypeError(f"ids must hold strings, not {type(item_id).__name__} {item_id!r}")
    return ids


@attrs.frozen
class Finding:
    """One thing a validation rule noticed about a theory.

    Attributes:
        code: The rule's stable code, e.g. ``"CMO001"``.
        severity: Error, warning or info.
        ids: Ids of the items concerned, most relevant first.
        message: What is wrong, naming the items.
        hint: How to fix it.

    Example:
        >>> finding = Finding("CMO001", "error", ["CMOC2"], "'CMOC2' has no mechanism")
        >>> finding.severity, finding.ids
        (<Severity.ERROR: 'error'>, ('CMOC2',))
        >>> str(finding)
        "CMO001 [CMOC2] 'CMOC2' has no mechanism"
    """

    code: str = attrs.field(validator=attrs.validators.instance_of(str))
    severity: Severity = attrs.field(converter=_to_severity)
    ids: tuple[str, ...] = attrs.field(converter=_to_ids)
    message: str = attrs.field(validator=attrs.validators.instance_of(str))
    hint: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __str__(self) -> str:
        subject = f" [{', '.join(self.ids)}]" if self.ids else ""
        return f"{self.code}{subject} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a plain mapping (``ids`` as a list), as JSON writes it.

        Example:
            >>> Finding("CMO011", "info", ["CMOC1"], "no statement").to_dict()["ids"] == ["CMOC1"]
            True
        """
        return {
            "code": self.code,
            "severity": self.severity.value,
            "ids": list(self.ids),
            "message": self.message,
            "hint": self.hint,
        }


_new_object = object.__new__
_SET_FINDING_FIELDS = tuple(
    Finding.__dict__[name].__set__ for name in ("code", "severity", "ids", "message", "hint")
)


def _checked_finding(
    code: str, severity: Severity, ids: tuple[str, ...], message: str, hint: str
) -> Finding:
    """Return the finding of values a rule made, which already have the fields' types.

    A large theory's validation can make a finding for most of its items; writing the
    slots directly skips the converters and validators, which would only confirm what the
    rule built (about two thirds of a finding's cost). Callers pass a tuple of strings for
    ``ids`` and a ``Severity`` member; :meth:`cmokit.validation.rules.Rule.finding` does.
    """
    finding: Finding = _new_object(Finding)
    set_code, set_severity, set_ids, set_message, set_hint = _SET_FINDING_FIELDS
    set_code(finding, code)
    set_severity(finding, severity)
    set_ids(finding, ids)
    set_message(finding, message)
    set_hint(finding, hint)
    return finding


_CODE = operator.attrgetter("code")
_SEVERITY = operator.attrgetter("severity")


def _in_report_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Sort by severity (errors first), then by code, keeping each rule's own order.

    Two stable sorts and three filters, all with C-level keys: a validation of a large
    theory can report a finding for most of its items, and a Python key function per
    finding would cost more than the rest of the report.
    """
    by_code = sorted(findings, key=_CODE)
    severities = list(map(_SEVERITY, by_code))
    ordered: list[Finding] = []
    for severity in _RANKS:  # errors, warnings, infos
        chosen = map(operator.is_, severities, itertools.repeat(severity))
        ordered.extend(itertools.compress(by_code, chosen))
    if len(ordered) != len(by_code):
        # Only something that is not a Finding can hold another severity: say so rather
        # than leave it out of the report.
        odd = next(item for item in by_code if item.severity not in _RANKS)
        raise TypeError(
            f"a report holds findings with a Severity, not {type(odd).__name__} with"
            f" severity {odd.severity!r}"
        )
    return tuple(ordered)


class Report:
    """Every finding of one validation run, errors first.

    Findings are kept in a stable order: by severity, then by rule code, then in the order
    the rule found them (which follows the order items were added to the theory).

    Args:
        findings: The findings, in any order.
        path: The model file validated, if it came from one.

    Example:
        >>> import cmokit.examples
        >>> report = cmokit.examples.hand_hygiene().validate()
        >>> report.ok
        True
        >>> print(*(f.code for f in report.warnings))
        CMO020
    """

    def __init__(self, findings: Iterable[Finding] = (), *, path: str | None = None) -> None:
        self.findings: tuple[Finding, ...] = _in_report_order(findings)
        self.path = path

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of error severity."""
        return self.of_severity(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings of warning severity."""
        return self.of_severity(Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """The findings of info severity."""
        return self.of_severity(Severity.INFO)

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings and infos may remain).

        Example:
            >>> report = Report([Finding("CMO011", "info", ["c"], "no statement")])
            >>> report.ok, len(report.errors), len(report.infos)
            (True, 0, 1)
        """
        return not self.errors

    def of_severity(self, severity: Severity | str) -> tuple[Finding, ...]:
        """Return the findings of one severity.

        Example:
            >>> report = Report([Finding("CMO011", "info", ["c"], "no statement")])
            >>> report.of_severity("info")[0].code
            'CMO011'
        """
        wanted = _to_severity(severity)
        return tuple(f for f in self.findings if f.severity is wanted)

    def counts(self) -> dict[Severity, int]:
        """Return how many findings there are of each severity, every severity listed.

        Example:
            >>> Report().counts()[Severity.ERROR]
            0
        """
        found = Counter(f.severity for f in self.findings)
        return {severity: found[severity] for severity in Severity}

    def summary(self) -> str:
        """Return a one-line count such as ``"1 error, 2 warnings"`` (``"no findings"``).

        Example:
            >>> Report([Finding("CMO001", "error", ["c"], "x")]).summary()
            '1 error'
        """
        parts = [
            f"{number} {severity.value if number == 1 else severity.plural}"
            for severity, number in self.counts().items()
            if number
        ]
        return ", ".join(parts) or "no findings"

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __bool__(self) -> bool:
        """A report is truthy when it holds any finding."""
        return bool(self.findings)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (self.findings, self.path) == (other.findings, other.path)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"<Report{where}: {self.summary()}>"

    def __str__(self) -> str:
        lines = [self.summary()]
        for severity in Severity:
            group = self.of_severity(severity)
            if not group:
                continue
            lines.append(f"{severity.plural}:")
            for finding in group:
                lines.append(f"  {finding}")
                if finding.hint:
                    lines.append(f"    hint: {finding.hint}")
        return "\n".join(lines)

    def raise_for_errors(self) -> None:
        """Raise :class:`cmokit.ValidationError` carrying this report if it holds an error.

        Example:
            >>> Report([Finding("CMO001", "error", ["CMOC9"], "no mechanism")]).raise_for_errors()
            Traceback (most recent call last):
            ...
            cmokit.exceptions.ValidationError: 1 error
            errors:
              CMO001 [CMOC9] no mechanism
        """
        if not self.ok:
            raise ValidationError(self)

    def to_frame(self) -> pd.DataFrame:
        """Return the findings as a DataFrame with the columns of :data:`COLUMNS`.

        ``ids`` holds a tuple per row; ``severity`` holds the severity's text.

        Example:
            >>> frame = Report([Finding("CMO011", "info", ["CMOC1"], "no statement")]).to_frame()
            >>> list(frame.columns)
            ['path', 'code', 'severity', 'ids', 'message', 'hint']
            >>> frame.loc[0, "ids"]
            ('CMOC1',)
        """
        import pandas as pd

        rows = [
            {
                "path": self.path or "",
                "code": f.code,
                "severity": f.severity.value,
                "ids": f.ids,
                "message": f.message,
                "hint": f.hint,
            }
            for f in self.findings
        ]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def to_json(self) -> str:
        """Return the report as the JSON document of :func:`dump_json`.

        Example:
            >>> import json
            >>> data = json.loads(Report([Finding("CMO011", "info", ["c"], "x")]).to_json())
            >>> data["summary"]
            {'error': 0, 'warning': 0, 'info': 1}
        """
        return dump_json([self])

    def to_csv(self) -> str:
        """Return the report as the CSV text of :func:`dump_csv`.

        Example:
            >>> print(Report([Finding("CMO011", "info", ["c"], "x")]).to_csv().splitlines()[0])
            "path","code","severity","ids","message","hint"
        """
        return dump_csv([self])

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Read back a report written by :meth:`to_json` (one file's findings).

        Raises:
            LoadError: The text is not such a document, or holds findings of several files.

        Example:
            >>> report = Report([Finding("CMO011", "info", ["c"], "x")], path="m.yaml")
            >>> Report.from_json(report.to_json()) == report
            True
        """
        return _single(reports_from_json(text), "JSON")

    @classmethod
    def from_csv(cls, text: str) -> Report:
        """Read back a report written by :meth:`to_csv` (one file's findings).

        Raises:
            LoadError: The text is not such a table, or holds findings of several files.

        Example:
            >>> report = Report([Finding("CMO002", "warning", ["a, b", "c"], "x", "y")])
            >>> Report.from_csv(report.to_csv()) == report
            True
        """
        return _single(reports_from_csv(text), "CSV")


def _single(reports: list[Report], form: str) -> Report:
    if not reports:
        return Report()
    if len(reports) > 1:
        paths = ", ".join(repr(r.path) for r in reports)
        raise LoadError(
            [
                Problem(
                    f"the {form} holds findings of several files ({paths});"
                    f" read it with reports_from_{form.lower()}()"
                )
            ]
        )
    return reports[0]


def _rows(reports: Iterable[Report]) -> Iterator[dict[str, Any]]:
    for report in reports:
        for finding in report.findings:
            yield {"path": report.path or "", **finding.to_dict()}


def dump_json(reports: Iterable[Report]) -> str:
    """Return the JSON document for the findings of one or more reports.

    The document is an object with ``cmokit_validation`` (the version of this form, 1),
    ``files`` (the paths validated, in order, findings or not; ``""`` for a theory from no
    file), ``summary`` (the number of errors, warnings and infos) and ``findings``: a list
    of objects with the keys of :data:`COLUMNS`, ``ids`` a list of strings.

    Example:
        >>> finding = Finding("CMO001", "error", ["CMOC2"], "x", "y")
        >>> text = dump_json([Report([finding], path="m.yaml")])
        >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
        {"cmokit_validation": 1, "files": ["m.yaml"],
         "summary": {"error": 1, "warning": 0, "info": 0},
         "findings": [{"path": "m.yaml", "code": "CMO001", "severity": "error",
         "ids": ["CMOC2"], "message": "x", "hint": "y"}]}
    """
    reports = list(reports)
    rows = list(_rows(reports))
    counts = Counter(row["severity"] for row in rows)
    document = {
        "cmokit_validation": JSON_FORMAT_VERSION,
        "files": [report.path or "" for report in reports],
        "summary": {severity.value: counts[severity.value] for severity in Severity},
        "findings": [{column: row[column] for column in COLUMNS} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False)


def dump_csv(reports: Iterable[Report]) -> str:
    """Return CSV text for the findings of one or more reports: a header row of :data:`COLUMNS`.

    Every cell is quoted and rows end with a line feed. ``ids`` is written as a JSON array
    in one cell so ids holding commas or spaces survive. Unlike the JSON form, CSV has no
    row for a file without findings.

    Example:
        >>> print(dump_csv([Report([Finding("CMO002", "warning", ["blame"], "unconfigured")])]))
        "path","code","severity","ids","message","hint"
        "","CMO002","warning","[""blame""]","unconfigured",""
        <BLANKLINE>
    """
    buffer = io.StringIO()
    # Every cell quoted: a bare carriage return in a message would otherwise end the row.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for row in _rows(reports):
        row["ids"] = json.dumps(row["ids"], ensure_ascii=False)
        writer.writerow([row[column] for column in COLUMNS])
    return buffer.getvalue()


def _group(rows: Iterable[tuple[str, Finding]], files: Iterable[str] = ()) -> list[Report]:
    by_path: dict[str, list[Finding]] = {path: [] for path in files}
    for path, finding in rows:
        by_path.setdefault(path, []).append(finding)
    return [Report(findings, path=path or None) for path, findings in by_path.items()]


def _finding(row: dict[str, Any], where: str, line: int | None = None) -> Finding:
    try:
        return Finding(row["code"], row["severity"], row["ids"], row["message"], row["hint"] or "")
    except KeyError as err:
        raise LoadError(
            [Problem(f"{where}: missing the field {err.args[0]!r}", line=line)]
        ) from None
    except (TypeError, ValueError) as err:
        raise LoadError([Problem(f"{where}: {err}", line=line)]) from None


def reports_from_json(text: str) -> list[Report]:
    """Read the JSON document of :func:`dump_json` back into reports, one per file.

    Raises:
        LoadError: The text is not JSON or not such a document.

    Example:
        >>> reports = reports_from_json(dump_json([
        ...     Report([Finding("CMO001", "error", ["a"], "x")], path="one.yaml"),
        ...     Report([Finding("CMO002", "warning", ["b"], "y")], path="two.yaml")]))
        >>> for report in reports:
        ...     print(report.path, report.findings[0].code)
        one.yaml CMO001
        two.yaml CMO002
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise LoadError([Problem(f"not valid JSON: {err.msg}", line=err.lineno)]) from None
    if not isinstance(document, dict) or "findings" not in document:
        raise LoadError([Problem("not a cmokit validation document: no 'findings' list")])
    if document.get("cmokit_validation") != JSON_FORMAT_VERSION:
        version = document.get("cmokit_validation")
        raise LoadError([Problem(f"unsupported cmokit_validation version {version!r}")])
    rows = document["findings"]
    if not isinstance(rows, list):
        raise LoadError([Problem("'findings' must be a list")])
    files = document.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise LoadError([Problem("'files' must be a list of paths")])
    found = []
    for number, row in enumerate(rows):
        if not isinstance(row, dict):
            raise LoadError([Problem(f"finding {number}: must be an object")])
        found.append((row.get("path") or "", _finding(row, f"finding {number}")))
    return _group(found, files)


def reports_from_csv(text: str) -> list[Report]:
    """Read the CSV text of :func:`dump_csv` back into reports, one per file.

    Raises:
        LoadError: The header is not :data:`COLUMNS` or a row is malformed.

    Example:
        >>> text = dump_csv([Report([Finding("CMO011", "info", ["CMOC1"], "no statement")])])
        >>> reports_from_csv(text)[0].findings[0].ids
        ('CMOC1',)
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return []
    if tuple(header) != COLUMNS:
        expected = ",".join(COLUMNS)
        raise LoadError([Problem(f"the CSV header must be {expected!r}", line=1)])
    found = []
    for line, cells in enumerate(reader, start=2):
        if len(cells) != len(COLUMNS):
            raise LoadError([Problem(f"expected {len(COLUMNS)} cells", line=line)])
        row: dict[str, Any] = dict(zip(COLUMNS, cells, strict=True))
        try:
            row["ids"] = json.loads(row["ids"])
        except json.JSONDecodeError:
            raise LoadError([Problem("ids must be a JSON array of strings", line=line)]) from None
        if not isinstance(row["ids"], list):
            raise LoadError([Problem("ids must be a JSON array of strings", line=line)])
        found.append((row["path"], _finding(row, "finding", line)))
    return _group(found)
