"""``cmokit render``: draw a model, or one of its named figures, to SVG, PNG, PDF or DOT."""

from __future__ import annotations

import argparse
from typing import Any

from cmokit.cli._common import ExitCode, UsageError, load_model, writing

__all__ = ["register", "run"]

_EPILOG = """\
examples:
  cmokit render model.yaml -o theory.svg
  cmokit render model.yaml --figure figure2 -o figure2.png
  cmokit render model.yaml --stages engagement enactment --direction TB -o part.pdf
  cmokit render model.yaml --around engaged --steps 2 --edge-labels -o near.svg
  cmokit render model.yaml --collapse wellbeing communities -o overview.png
  cmokit render model.yaml -o theory.dot          (DOT source: needs no Graphviz)

engines: the system Graphviz 'dot' is used when it is on PATH, else 'graphviz-pure'
(pip install cmokit[render]). With neither, install one: 'apt-get install graphviz'
(or 'brew install graphviz') or 'pip install cmokit[render]'.

exit status: 0 written; 2 unusable input or usage (missing file, unknown figure,
stage, theme or element, a --collapse id that is no stage or theme, no layout engine)."""


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def register(commands: Any) -> None:
    """Add the ``render`` command."""
    parser = commands.add_parser(
        "render",
        help="draw a model or one of its named figures (SVG, PNG, PDF, DOT)",
        description=(
            "Draw a programme theory as a figure: stages as bands read in order, outcome"
            " themes as labelled boxes, contexts, mechanisms and outcomes in distinct shapes"
            " and colour-blind-safe colours, and a key. A named figure from the model file"
            " ('figures:' section) gives the settings; options given here override them."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", metavar="PATH", help="model file (YAML or JSON)")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="file to write, e.g. figure1.svg"
    )
    parser.add_argument(
        "--figure", metavar="NAME", help="a named figure of the model, e.g. figure1"
    )
    parser.add_argument(
        "--format",
        choices=("svg", "png", "pdf", "dot"),
        help="output format (default: from the extension of OUT)",
    )
    parser.add_argument("--stages", nargs="+", metavar="STAGE", help="only these stage ids")
    parser.add_argument("--themes", nargs="+", metavar="THEME", help="only these theme ids")
    parser.add_argument("--around", metavar="ID", help="only elements near this element id")
    parser.add_argument(
        "--steps", type=_whole_number, metavar="N", help="how far from --around to go (default 1)"
    )
    parser.add_argument("--title", help="caption above the figure ('' for none)")
    parser.add_argument(
        "--direction",
        choices=("LR", "TB", "RL", "BT"),
        help="LR: left to right (default); TB: top to bottom, narrower for one column",
    )
    parser.add_argument(
        "--no-legend", dest="legend", action="store_false", default=None, help="leave out the key"
    )
    parser.add_argument(
        "--wrap",
        type=_whole_number,
        metavar="N",
        help="wrap labels at N characters (default 28; 0 never wraps)",
    )
    parser.add_argument(
        "--edge-labels",
        action="store_true",
        default=None,
        help="label edges with configuration ids and link labels",
    )
    parser.add_argument(
        "--evidence-counts",
        action="store_true",
        default=None,
        help="show how much evidence supports or contradicts each element",
    )
    parser.add_argument(
        "--collapse",
        nargs="+",
        metavar="ID",
        help="draw each of these themes or stages as one box listing its elements (an overview)",
    )
    parser.add_argument(
        "--engine",
        choices=("dot", "graphviz-pure"),
        help="layout program (default: dot if on PATH, else graphviz-pure)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Draw the model named on the command line to the output file."""
    from cmokit.rendering import format_of, render

    theory = load_model(args.path)
    try:
        chosen = format_of(args.output, args.format)
    except ValueError as err:
        raise UsageError(str(err)) from None
    if args.figure is not None:
        theory.figure(args.figure)  # an unknown name fails here, with "did you mean"
    if args.steps is not None and args.around is None:
        raise UsageError("--steps needs --around ID: the element to count steps from")
    with writing(args.output):
        written = render(
            theory,
            args.output,
            format=chosen,
            figure=args.figure,
            engine=args.engine,
            stages=args.stages,
            themes=args.themes,
            around=args.around,
            steps=args.steps,
            title=args.title,
            direction=args.direction,
            legend=args.legend,
            wrap=args.wrap,
            edge_labels=args.edge_labels,
            evidence_counts=args.evidence_counts,
            collapse=args.collapse,
        )
    print(f"wrote {written}")
    return ExitCode.OK
