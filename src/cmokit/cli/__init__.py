"""The ``cmokit`` command line.

Every command shares one contract for its exit status (see :class:`ExitCode`): 0 when done
and nothing is wrong, 1 when the model or a statement has problems, 2 for unusable input or
usage. Results go to standard output; problems go to standard error as ``path:line:
message``. A user's mistake never produces a Python traceback.

Each command lives in its own module of this package with a ``register`` function that
adds its sub-parser; :data:`COMMANDS` lists them in the order ``--help`` shows them.

Example:
    >>> from cmokit.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    cmokit ...
    0
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from cmokit._version import __version__
from cmokit.cli._common import ExitCode, report_error
from cmokit.exceptions import CmokitError

__all__ = ["COMMANDS", "ExitCode", "build_parser", "main"]

COMMANDS: tuple[str, ...] = (
    "show",
    "convert",
    "render",
    "validate",
    "check",
    "import_table",
    "table",
    "export",
)
"""Modules of :mod:`cmokit.cli` that each add one sub-command."""

_DESCRIPTION = """\
Model realist programme theories: contexts (C), mechanisms (M) and outcomes (O)
joined by configurations. Each command takes one or more model files (YAML or JSON,
format version 1; see the model file format reference).

exit status: 0 done and nothing wrong; 1 the model or a statement has problems;
2 unusable input or usage (missing file, malformed YAML/JSON, unknown reference,
bad option)."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="cmokit",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cmokit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name in COMMANDS:
        module = importlib.import_module(f"cmokit.cli.{name}")
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status.

    Args:
        argv: The arguments, without the program name (``sys.argv[1:]`` when ``None``).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return ExitCode.UNUSABLE
    try:
        return int(args.run(args))
    except CmokitError as err:
        report_error(err)
        return ExitCode.UNUSABLE
    except KeyboardInterrupt:
        print("cmokit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `cmokit show m.yaml | head`); nothing to report.
        return ExitCode.OK


def _entry_point() -> None:  # pragma: no cover - exercised through the console script
    sys.exit(main())
