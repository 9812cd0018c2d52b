"""``cmokit show``: a summary of a model: title, counts, stages, themes and chains."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from cmokit.cli._common import ExitCode, load_model
from cmokit.theory import ProgrammeTheory

__all__ = ["register", "summary"]


def register(commands: Any) -> None:
    """Add the ``show`` command."""
    parser = commands.add_parser(
        "show",
        help="summarise a model: counts by kind, stages, themes, chains",
        description=(
            "Print a model's title, how many contexts, mechanisms, outcomes,"
            " configurations and evidence items it holds, its stages in order, its themes,"
            " and its chains (outcomes that become the context or mechanism of a later"
            " configuration)."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="model file (YAML or JSON)")
    parser.set_defaults(run=run)


def summary(theory: ProgrammeTheory) -> str:
    """Return the text ``cmokit show`` prints for one theory.

    Example:
        >>> import cmokit.examples
        >>> text = summary(cmokit.examples.hand_hygiene())
        >>> print(text)  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
        Peer feedback and hand hygiene (illustrative)
          2 contexts, 2 mechanisms, 3 outcomes (1 unintended), 3 configurations, 1 link,
          2 evidence items
        ...
    """
    unintended = sum(1 for o in theory.outcomes if o.kind.value == "unintended")
    lines = [theory.title or "(untitled theory)"]
    lines.append(
        f"  {_count(len(theory.contexts), 'context')},"
        f" {_count(len(theory.mechanisms), 'mechanism')},"
        f" {_count(len(theory.outcomes), 'outcome')} ({unintended} unintended),"
        f" {_count(len(theory.configurations), 'configuration')},"
        f" {_count(len(theory.links), 'link')},"
        f" {_count(len(theory.evidence), 'evidence item')}"
    )
    per_stage = Counter(e.stage for e in theory.elements)
    if theory.stages:
        lines.append("stages, in order:")
        for number, stage in enumerate(theory.stages, start=1):
            lines.append(
                f"  {number}. {stage.id}: {stage.label} ({_count(per_stage[stage.id], 'element')})"
            )
    if theory.themes:
        per_theme = Counter(c.theme for c in theory.configurations)
        lines.append("themes:")
        for theme in theory.themes:
            lines.append(
                f"  {theme.id}: {theme.label} ({_count(per_theme[theme.id], 'configuration')})"
            )
    chains = _chains(theory)
    if chains:
        lines.append("chains (an outcome feeding a later configuration):")
        lines.extend(f"  {chain}" for chain in chains)
    if theory.figures:
        lines.append("figures: " + ", ".join(f.id for f in theory.figures))
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _chains(theory: ProgrammeTheory) -> list[str]:
    lines = []
    for config in theory.configurations:
        for entry in (*config.contexts, *config.mechanisms):
            for producer in theory.producers(entry):
                lines.append(f"{producer.id} → {entry} → {config.id}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Print a summary of each model named."""
    for index, path in enumerate(args.paths):
        theory = load_model(path)
        if index:
            print()
        if len(args.paths) > 1:
            print(f"== {path}")
        print(summary(theory))
    return ExitCode.OK
