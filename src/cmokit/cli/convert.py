"""``cmokit convert``: rewrite a model file as YAML or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cmokit.cli._common import ExitCode, UsageError, load_model, writing
from cmokit.fileformat import dump

__all__ = ["register"]

_SUFFIXES = (".yaml", ".yml", ".json")


def register(commands: Any) -> None:
    """Add the ``convert`` command."""
    parser = commands.add_parser(
        "convert",
        help="convert a model file between YAML and JSON",
        description=(
            "Read a model file and write it again in the format its new extension names"
            " (.yaml, .yml or .json). The output is written atomically: an existing file"
            " is replaced only once the new one is complete."
        ),
    )
    parser.add_argument("source", metavar="IN", help="model file to read")
    parser.add_argument("target", metavar="OUT", help="file to write (.yaml, .yml or .json)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Convert one file."""
    if Path(args.target).suffix.lower() not in _SUFFIXES:
        raise UsageError(
            f"{args.target}: cannot tell the output format; name the file .yaml, .yml or .json"
        )
    theory = load_model(args.source)
    with writing(args.target):
        dump(theory, args.target)
    return ExitCode.OK
