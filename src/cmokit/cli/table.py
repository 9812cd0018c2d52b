"""``cmokit table``: print a model's configurations, evidence or case matrix as a table."""

from __future__ import annotations

import argparse
from typing import Any

from cmokit.cli._common import ExitCode, load_model

__all__ = ["HEADERS", "register", "run"]

HEADERS = {
    "configuration": "Configuration",
    "theme": "Theme",
    "contexts_and_mechanisms": "Contexts and mechanisms (C/M)",
    "outcomes": "Outcomes",
    "statement": "Statement",
}
"""Display names of the configuration table's columns."""

_TABLES = ("configurations", "evidence", "cases")


def register(commands: Any) -> None:
    """Add the ``table`` command."""
    from cmokit.tables.formats import TABLE_FORMATS

    parser = commands.add_parser(
        "table",
        help="print the Table 5-style configuration table (or evidence counts, or cases)",
        description=(
            "Print a table of a model. 'configurations' (the default) is the table realist"
            " papers print: theme, contexts and mechanisms with their roles (C/M), outcomes"
            " and statement, one row per configuration, grouped by theme. 'evidence' counts"
            " supporting and contradicting evidence per configuration and element, by"
            " source, participant and case. 'cases' shows, per configuration and case,"
            " whether the mechanism fired there."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="model file (YAML or JSON)")
    parser.add_argument(
        "--format",
        choices=TABLE_FORMATS,
        default="markdown",
        help="markdown (default), csv, latex (booktabs) or html",
    )
    parser.add_argument(
        "--table",
        choices=_TABLES,
        default="configurations",
        help="which table: configurations (default), evidence or cases",
    )
    parser.add_argument(
        "--by",
        choices=("source", "participant", "case"),
        help="with --table evidence: one row per item and source, participant or case",
    )
    parser.set_defaults(run=run)


def _header(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def run(args: argparse.Namespace) -> int:
    """Print the table."""
    from cmokit.cli._common import UsageError
    from cmokit.tables.formats import format_table

    if args.by is not None and args.table != "evidence":
        raise UsageError("--by only applies to --table evidence")
    theory = load_model(args.path)
    if args.table == "configurations":
        frame = theory.configuration_table()
    elif args.table == "evidence":
        frame = theory.evidence_table(by=args.by)
    else:
        frame = theory.case_matrix()
    headers = {}
    if args.table != "cases":  # the case matrix's columns are case names: print them as given
        headers = {str(column): _header(str(column)) for column in frame.columns}
    if frame.index.name is not None:
        headers[str(frame.index.name)] = _header(str(frame.index.name))
    print(format_table(frame, args.format, headers=headers))
    return ExitCode.OK
