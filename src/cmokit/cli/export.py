"""``cmokit export``: write a model's graph for Gephi, yEd, Kumu, DAGitty or Mermaid."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cmokit.cli._common import ExitCode, UsageError, load_model, writing

__all__ = ["register", "run"]


def register(commands: Any) -> None:
    """Add the ``export`` command."""
    from cmokit.exports import EXPORT_FORMATS

    parser = commands.add_parser(
        "export",
        help="export a model's graph: GraphML, node-link JSON, Mermaid, Kumu or DAGitty",
        description=(
            "Write the graph of a model (elements as nodes, with kind, stage, themes and"
            " configuration ids; configuration and link edges) in a format other tools open:"
            " graphml (Gephi, yEd, Cytoscape), json (node-link JSON for networkx and D3),"
            " mermaid (a flowchart with one subgraph per stage, for Markdown and GitHub),"
            " kumu (a Kumu blueprint) or dagitty (DAGitty model code). Without --to, the"
            " format follows the output's name (.graphml, .json, .kumu.json, .mmd,"
            " .dagitty). Without -o, the text goes to standard output."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="model file (YAML or JSON)")
    parser.add_argument("--to", choices=EXPORT_FORMATS, help="the export format")
    parser.add_argument("-o", "--output", metavar="OUT", help="file to write (default: stdout)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export one model."""
    from cmokit.exports import EXPORT_FORMATS, export, export_to, format_for_path

    format = args.to
    if format is None and args.output is not None:
        format = format_for_path(args.output)
    if format is None:
        where = f"{args.output}: cannot tell the format from the file name; " if args.output else ""
        raise UsageError(f"{where}give the format with --to ({', '.join(EXPORT_FORMATS)})")
    theory = load_model(args.path)
    if args.output is None:
        sys.stdout.write(export(theory, format))
    else:
        with writing(args.output):
            export_to(theory, args.output, format)
    return ExitCode.OK
