"""Draw Figures 1 and 2 of Steven et al. (2022) from the bundled model.

The paper has two explanatory figures: Figure 1, the whole process from engagement through
enactment to the outcome themes, and Figure 2, what shapes initial engagement. The model
names them ``figure1`` and ``figure2``; this script renders each as SVG and PNG into a
folder.

Usage::

    python examples/reproduce_figures.py            # writes into out/
    python examples/reproduce_figures.py docs/tutorial --format svg

SVG needs Graphviz's ``dot`` or the pure-Python engine (``pip install cmokit[render]``);
PNG needs ``dot``. When no engine can write PNG, the script says so and writes the SVGs
only. Exit status 0 when every file asked for was written, 2 when none could be.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cmokit
from cmokit.exceptions import EngineNotFoundError

FIGURES = ("figure1", "figure2")
FORMATS = ("svg", "png")


def reproduce(folder: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Render both figures in each format an installed engine can write; return the files."""
    theory = cmokit.examples.mentorship()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in FIGURES:
        for extension in formats:
            target = folder / f"{name}.{extension}"
            try:
                written.append(cmokit.render(theory, target, figure=name))
            except EngineNotFoundError as error:
                print(f"skipped {target}: {error}", file=sys.stderr)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", nargs="?", default="out", type=Path, help="where to write (default: out/)"
    )
    parser.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        dest="formats",
        help="write only this format (repeat for several; default: svg and png)",
    )
    args = parser.parse_args(argv)
    written = reproduce(args.folder, tuple(args.formats or FORMATS))
    for path in written:
        print(path)
    return 0 if written else 2


if __name__ == "__main__":
    sys.exit(main())
