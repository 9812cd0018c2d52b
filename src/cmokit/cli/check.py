"""``cmokit check``: check configuration statements against a model.

Example:
    >>> from cmokit.cli import main
    >>> from cmokit.examples import model_path
    >>> main(["check", model_path("hand_hygiene.yaml"), "Peer feedback leads to blame."])
    holds: Peer feedback leads to blame.
        peer_feedback → blame (via CMOC3)
    0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cmokit.cli._common import ExitCode, UsageError, load_model
from cmokit.exceptions import StatementError
from cmokit.statements import NameIndex, check
from cmokit.statements.files import parse_statement_file

__all__ = ["register", "run"]

_DESCRIPTION = """\
Check configuration statements against a model and say whether each holds.

A statement names elements by id, label or alias and joins them with a verb that means
"reaches": "Availability and access enable engagement with mentorship." Chains
(", which leads to ..."), "directly", "does not" and the configuration form
"In <contexts>, <mechanisms> lead to <outcomes>." are understood; see the statement
language guide for the grammar.

For each statement, prints "holds" or "does not hold" and the reason: the path found, or
what is missing. A statement that cannot be parsed, or names an unknown or ambiguous
element, is reported on stderr with a pointer to the word.

exit status: 0 every statement holds; 1 some statement does not hold; 2 unusable input
(missing or malformed model or statement file, a statement that cannot be parsed or
resolved, no statements given)."""

_EPILOG = """\
examples:
  cmokit check model.yaml "Peer feedback leads to staff engage with feedback."
  cmokit check model.yaml "Stigma does not lead to engagement." "In A, M leads to O."
  cmokit check model.yaml --file claims.cmo"""


def register(commands: Any) -> None:
    """Add the ``check`` command."""
    parser = commands.add_parser(
        "check",
        help="check configuration statements against a model",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", metavar="PATH", help="model file (YAML or JSON)")
    parser.add_argument("statements", nargs="*", metavar="STATEMENT", help="a statement")
    parser.add_argument(
        "--file",
        dest="files",
        action="append",
        default=[],
        metavar="FILE",
        help=(
            "read statements from FILE, one a line, '#' comments and blank lines ignored;"
            " a 'model:' line in it is skipped (PATH names the model); may be repeated"
        ),
    )
    parser.set_defaults(run=run)


def _read_statements(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Every statement with where it came from: ``statement N`` or ``FILE:LINE``."""
    found = [(f"statement {number}", text) for number, text in enumerate(args.statements, start=1)]
    for name in args.files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"{name}: cannot read the statement file: {err.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{name}: not a UTF-8 text file") from None
        contents = parse_statement_file(text, path=name, require_model=False)
        found += [(f"{name}:{line.line}", line.text) for line in contents.statements]
    return found


def run(args: argparse.Namespace) -> int:
    """Check each statement; return 0 if all hold, 1 if some do not, 2 on unusable input."""
    statements = _read_statements(args)
    theory = load_model(args.path)
    if not statements:
        raise UsageError(
            "no statements to check: give them after the model path or with --file FILE"
        )
    index = NameIndex(theory)
    failed = unusable = False
    for where, text in statements:
        try:
            result = check(index, text)
        except StatementError as err:
            unusable = True
            print(f"{where}: {err}", file=sys.stderr)
            continue
        failed = failed or not result.holds
        print(f"{'holds' if result.holds else 'does not hold'}: {text}")
        for clause in result.clauses:
            if len(result.clauses) > 1:
                verdict = "holds" if clause.holds else "does not hold"
                print(f"  {clause.clause.text!r} {verdict}:")
            print(f"    {clause.reason}")
    if unusable:
        return ExitCode.UNUSABLE
    return ExitCode.PROBLEMS if failed else ExitCode.OK
