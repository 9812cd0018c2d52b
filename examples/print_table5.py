"""Print Table 5 of Steven et al. (2022) from the bundled model and check it against the paper.

Table 5 of the paper lists, for each of the four outcome themes, its categories with their
role (C for context, M for mechanism) and a configuration statement. This script prints the
same kind of table from the model with ``theory.configuration_table()``, one row per
configuration grouped by theme, and then checks that every category printed in Table 5
(as held by ``cmokit.examples.mentorship_tables()["table5"]``) appears, with its printed
role, in the row of the configuration that stands for its theme.

Usage::

    python examples/print_table5.py              # readable text
    python examples/print_table5.py --markdown   # a Markdown table, for a report

Exit status 0 when every Table 5 category is found with its role, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING

import cmokit
from cmokit.tables import format_table

if TYPE_CHECKING:
    import pandas as pd

WIDTH = 96


def as_text(table: pd.DataFrame) -> str:
    """The configuration table as indented plain text, one block per configuration."""
    lines: list[str] = []
    theme = None
    for row in table.itertuples(index=False):
        if row.theme != theme:
            theme = row.theme
            heading = theme or "Configurations without a theme"
            lines += (
                ["", heading, "=" * len(heading)]
                if lines[-1:] != [""]
                else [heading, "=" * len(heading)]
            )
        lines.append(f"{row.configuration}")
        for part in row.contexts_and_mechanisms.split("; "):
            lines.append(f"    {part}")
        lines += textwrap.wrap(
            row.outcomes,
            WIDTH,
            initial_indent="    => ",
            subsequent_indent="       ",
        )
        lines += textwrap.wrap(
            row.statement, WIDTH, initial_indent="    ", subsequent_indent="    "
        )
        lines.append("")
    return "\n".join(lines)


def compare_with_paper(theory: cmokit.ProgrammeTheory, table: pd.DataFrame) -> list[str]:
    """Return one problem per Table 5 category missing from the printed table or in the wrong role.

    A category is found when its element's label, followed by the printed role in
    brackets, stands in the row of the configuration whose ``meta.table5_row`` is the
    category's theme number.
    """
    paper = cmokit.examples.mentorship_tables()["table5"]
    row_of_theme = {
        int(configuration.meta["table5_row"]): configuration.id
        for configuration in theory.configurations
        if "table5_row" in configuration.meta
    }
    printed = dict(zip(table["configuration"], table["contexts_and_mechanisms"], strict=True))
    problems: list[str] = []
    for category in paper.itertuples(index=False):
        where = f"Table 5, theme {category.theme_number}, {category.category!r}"
        configuration = row_of_theme.get(int(category.theme_number))
        if configuration is None:
            problems.append(
                f"{where}: no configuration has meta.table5_row {category.theme_number}"
            )
            continue
        element = theory.get(category.element_id)
        if element is None:
            problems.append(f"{where}: the model has no element {category.element_id!r}")
            continue
        entries = printed[configuration].split("; ")
        wanted = f"{element.label} ({category.role})"
        if wanted not in entries:
            found = [entry for entry in entries if entry.startswith(f"{element.label} (")]
            detail = f"printed as {found[0]!r}" if found else "missing"
            problems.append(f"{where}: expected {wanted!r} in {configuration}, {detail}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)

    theory = cmokit.examples.mentorship()
    table = theory.configuration_table()
    if args.markdown:
        print(format_table(table, "markdown"))
    else:
        print(f"Table 5-style summary of {theory.title}")
        print(as_text(table))

    problems = compare_with_paper(theory, table)
    categories = len(cmokit.examples.mentorship_tables()["table5"])
    if problems:
        print(
            f"{len(problems)} of the {categories} Table 5 categories do not match:", file=sys.stderr
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"All {categories} categories of the paper's Table 5 are in the model with their role.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
