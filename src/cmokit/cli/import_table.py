"""``cmokit import-table``: turn a configuration spreadsheet into a model file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cmokit.cli._common import ExitCode, UsageError, load_model, writing
from cmokit.exceptions import LoadError, Problem

__all__ = ["register", "run"]

_SUFFIXES = (".yaml", ".yml", ".json")


def register(commands: Any) -> None:
    """Add the ``import-table`` command."""
    parser = commands.add_parser(
        "import-table",
        help="create a model file from a spreadsheet of configurations (CSV or Excel)",
        description=(
            "Read a spreadsheet with one row per configuration and columns such as id,"
            " theme, statement, contexts, mechanisms and outcomes (several values separated"
            " by ';'), given as labels or ids, and write a model file. Elements are created"
            " from labels with stable ids and reused when a label recurs (case and spacing do"
            " not matter). Prints what was created. Bad rows are all reported as"
            " 'path:row N: column X: message' and nothing is written (exit status 2)."
            " Excel files need: pip install 'cmokit[excel]'."
        ),
    )
    parser.add_argument("table", metavar="TABLE", help="spreadsheet: .csv, .tsv or .xlsx")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="model file to write (.yaml or .json)"
    )
    parser.add_argument("--title", help="title of the new theory (default: the file's name)")
    parser.add_argument("--sheet", help="Excel sheet to read (default: the active one)")
    parser.add_argument(
        "--base",
        metavar="MODEL",
        help="model file whose stages, themes and elements the rows may name; the output"
        " holds everything it holds plus the imported configurations",
    )
    parser.set_defaults(run=run)


def _problem_line(problem: Problem) -> str:
    if problem.line is None:
        return str(problem)
    return f"{problem.path}:row {problem.line}: {problem.message}"


def run(args: argparse.Namespace) -> int:
    """Import one spreadsheet and write the model file."""
    from cmokit.fileformat import dump
    from cmokit.tables.spreadsheet import import_table

    if Path(args.output).suffix.lower() not in _SUFFIXES:
        raise UsageError(
            f"{args.output}: cannot tell the output format; name the file .yaml, .yml or .json"
        )
    base = load_model(args.base) if args.base else None
    try:
        theory, report = import_table(args.table, title=args.title, base=base, sheet=args.sheet)
    except LoadError as err:
        for problem in err.problems:
            print(_problem_line(problem), file=sys.stderr)
        print(f"{args.output}: not written", file=sys.stderr)
        return ExitCode.UNUSABLE
    with writing(args.output):
        dump(theory, args.output)
    print(report)
    print(f"wrote {args.output}")
    return ExitCode.OK
