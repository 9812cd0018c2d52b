"""Regenerate the figures of docs/gallery.md: ``python scripts/make_gallery.py``.

The SVG files are committed next to the page (docs/gallery/), so the documentation builds
without Graphviz. Run this after changing how figures look or the example models; it needs
the system Graphviz ``dot`` (the committed figures are drawn with it) or, failing that,
``graphviz-pure``. ``--check`` compares instead of writing and exits 1 when a figure is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmokit.examples
from cmokit.rendering import to_svg

GALLERY = Path(__file__).resolve().parent.parent / "docs" / "gallery"

FIGURES: list[tuple[str, Callable[[], cmokit.ProgrammeTheory], dict[str, Any]]] = [
    ("hand-hygiene.svg", cmokit.examples.hand_hygiene, {}),
    ("hand-hygiene-top-to-bottom.svg", cmokit.examples.hand_hygiene, {"direction": "TB"}),
    (
        "hand-hygiene-annotated.svg",
        cmokit.examples.hand_hygiene,
        {"edge_labels": True, "evidence_counts": True, "title": "With edge labels and evidence"},
    ),
    (
        "hand-hygiene-around-engaged.svg",
        cmokit.examples.hand_hygiene,
        {"around": "engaged", "steps": 1, "legend": False, "title": ""},
    ),
    ("mentorship-figure2.svg", cmokit.examples.mentorship, {"figure": "figure2"}),
    ("mentorship-figure1.svg", cmokit.examples.mentorship, {"figure": "figure1"}),
    (
        "mentorship-themes-collapsed.svg",
        cmokit.examples.mentorship,
        {
            "stages": ["outcomes"],
            "collapse": ["specialist_support", "relationships", "wellbeing", "communities"],
            "title": "The four outcome themes, collapsed",
            "direction": "TB",
        },
    ),
    (
        "mentorship-wellbeing.svg",
        cmokit.examples.mentorship,
        {"themes": ["wellbeing"], "title": "Outcome theme 3: wellbeing", "wrap": 22},
    ),
]
"""File name, theory, options: one gallery figure each."""


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every gallery figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale figures, write none")
    parser.add_argument("--engine", choices=("dot", "graphviz-pure"), default=None)
    args = parser.parse_args(argv)
    GALLERY.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, example, options in FIGURES:
        svg = to_svg(example(), engine=args.engine, **options)
        target = GALLERY / name
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != svg:
                stale.append(name)
            continue
        target.write_text(svg, encoding="utf-8")
        print(f"wrote {target.relative_to(GALLERY.parent.parent)}")
    if stale:
        print("stale gallery figures: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
