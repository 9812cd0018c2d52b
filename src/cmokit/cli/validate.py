"""``cmokit validate``: check model files for explanatory completeness, like a linter.

Findings go to standard output, errors first, one per line as ``path:line: severity CODE
[ids] message`` with a ``hint:`` line below, then a count per file. ``--format json`` and
``--format csv`` write the stable forms of :mod:`cmokit.validation.report` instead (fields
``path, code, severity, ids, message, hint``), which read back with
:func:`cmokit.validation.reports_from_json` and :func:`cmokit.validation.reports_from_csv`.

Exit status: 0 when no file has an error (with ``--strict``, no warning either); 1 when one
does; 2 when a file cannot be used (missing, malformed, unknown reference) or an option is
wrong (e.g. an unknown rule code), reported on standard error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from cmokit.cli._common import ExitCode, UsageError, load_model, report_error
from cmokit.exceptions import CmokitError
from cmokit.validation import RULES, Report, Severity, dump_csv, dump_json, validate
from cmokit.validation.rules import resolve_codes

__all__ = ["format_text", "register", "run"]

_EPILOG = """\
rule codes: CMO00x configurations, CMO01x themes, statements and stages,
CMO02x evidence, CMO03x reachability, cycles and feedback; see docs/rules.md
or `cmokit validate --list-rules`. CODES may be codes (CMO001), prefixes
(CMO02) or rule names (cycle), comma-separated or repeated.

json output: {"cmokit_validation": 1, "files": [paths], "summary": {"error":
n, "warning": n, "info": n}, "findings": [{"path", "code", "severity", "ids",
"message", "hint"}]}. csv output: a header row path,code,severity,ids,message,
hint, every cell quoted; ids is a JSON array in one cell.

exit status: 0 no errors (with --strict: no warnings either); 1 findings at
that level; 2 unusable input or usage (missing or malformed file, unknown
reference, unknown rule code)."""


def register(commands: Any) -> None:
    """Add the ``validate`` command."""
    parser = commands.add_parser(
        "validate",
        help="check models for explanatory completeness, like a linter",
        description=(
            "Check each model for explanatory completeness: configurations that lack a"
            " context, mechanism or outcome; factors listed but never configured; outcomes"
            " no mechanism explains; mechanisms no context triggers; missing evidence;"
            " unreachable outcomes, cycles and feedback. Findings are errors, warnings or"
            " infos, each with a stable rule code."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="model file (YAML or JSON)")
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="run only these rules (codes, prefixes or names; comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="skip these rules (wins over --select)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings as well as errors"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--mechanism-parts",
        choices=("info", "warning"),
        default="info",
        help="severity of CMO005, a mechanism without resource or reasoning (default: info)",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list every rule's code, severity and title"
    )
    parser.set_defaults(run=run)


def list_rules() -> str:
    """Return the table ``--list-rules`` prints: code, severity, name and title per rule.

    Example:
        >>> print(list_rules().splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
        CMO001 error incomplete-configuration A configuration lacks a context, a mechanism ...
    """
    width = max(len(rule.name) for rule in RULES.values())
    return "\n".join(
        f"{rule.code}  {rule.severity.value:<7}  {rule.name:<{width}}  {rule.title}"
        for rule in RULES.values()
    )


# An ``id:`` key in YAML block or flow style, or an ``"id":`` key in JSON, with its value.
_ID_KEY = re.compile(
    r"""(?:^|[\s{,])["']?id["']?\s*:\s*["']?([^"',}\n]+?)["']?\s*(?:[,}]|$)""", re.M
)


def id_lines(text: str) -> dict[str, int]:
    """Return the 1-based line where each item id is first declared in a model file's text.

    A quick scan rather than a parse: good enough to point a reader at an item.

    Example:
        >>> id_lines("contexts:\\n  - id: c1\\n  - {id: c2, label: Two}\\n")
        {'c1': 2, 'c2': 3}
    """
    lines: dict[str, int] = {}
    # Count line breaks only between one match and the next, so the scan stays linear.
    line, counted_to = 1, 0
    for match in _ID_KEY.finditer(text):
        line += text.count("\n", counted_to, match.start(1))
        counted_to = match.start(1)
        lines.setdefault(match.group(1).strip(), line)
    return lines


def _line_finder(path: str) -> dict[str, int]:
    try:
        return id_lines(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def format_text(report: Report, lines: dict[str, int] | None = None) -> str:
    """Return the linter-style text for one report, errors first, then its count.

    Args:
        report: The findings of one file.
        lines: Item id -> line in the file (see :func:`id_lines`), for ``path:line:``.

    Example:
        >>> from cmokit.validation import Finding
        >>> report = Report([Finding("CMO002", "warning", ["blame"], "not configured", "use it")],
        ...                 path="m.yaml")
        >>> print(format_text(report, {"blame": 9}))
        m.yaml:9: warning CMO002 [blame] not configured
            hint: use it
        m.yaml: 1 warning
    """
    lines = lines or {}
    name = report.path or "<model>"
    out = []
    for finding in report.findings:
        line = next((lines[i] for i in finding.ids if i in lines), None)
        where = f"{name}:{line}" if line is not None else name
        out.append(f"{where}: {finding.severity.value} {finding}")
        if finding.hint:
            out.append(f"    hint: {finding.hint}")
    out.append(f"{name}: {report.summary()}")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    """Validate each model named and print the findings."""
    if args.list_rules:
        print(list_rules())
        return ExitCode.OK
    if not args.paths:
        raise UsageError("validate needs at least one model file (or --list-rules)")
    # Check the rule codes before reading any file, so a typo is reported once.
    resolve_codes(args.select, args.ignore)
    reports: list[Report] = []
    unusable = False
    for path in args.paths:
        try:
            theory = load_model(path)
        except CmokitError as err:
            report_error(err)
            unusable = True
            continue
        report = validate(
            theory,
            args.select,
            args.ignore,
            mechanism_parts=args.mechanism_parts,
            path=path,
        )
        reports.append(report)
        if args.format == "text":
            if len(reports) > 1:
                print()
            print(format_text(report, _line_finder(path) if report.findings else {}))
            sys.stdout.flush()
    if args.format == "json":
        print(dump_json(reports))
    elif args.format == "csv":
        sys.stdout.write(dump_csv(reports))
    if unusable:
        return ExitCode.UNUSABLE
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    if any(f.severity in failing for report in reports for f in report.findings):
        return ExitCode.PROBLEMS
    return ExitCode.OK
