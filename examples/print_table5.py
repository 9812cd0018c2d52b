"""Print Table 5 of Steven et al. (2022) from the bundled model and check it against the paper.

Table 5 of the paper lists, for each of the four outcome themes, its categories with their
role (C for context, M for mechanism) and a configuration statement. This script builds the
same summary from the model file and then checks that every category printed in Table 5
(as held by ``cmokit.examples.mentorship_tables()["table5"]``) is in the model, with the
printed role, inside the configuration of its theme.

Usage::

    python examples/print_table5.py

Exit status 0 when every Table 5 category is found with its role, 1 otherwise.
"""

from __future__ import annotations

import sys
import textwrap

import cmokit
from cmokit import ElementKind, ProgrammeTheory

ROLE_OF_KIND = {ElementKind.CONTEXT: "C", ElementKind.MECHANISM: "M", ElementKind.OUTCOME: "O"}


def table5_configurations(theory: ProgrammeTheory) -> list[cmokit.Configuration]:
    """The configurations that stand for Table 5's rows, in the paper's order."""
    rows = [c for c in theory.configurations if "table5_row" in c.meta]
    return sorted(rows, key=lambda configuration: int(configuration.meta["table5_row"]))


def summary_lines(theory: ProgrammeTheory) -> list[str]:
    """Table 5 as plain text: theme, categories with their role, the statement."""
    lines: list[str] = []
    for configuration in table5_configurations(theory):
        theme = theory[configuration.theme] if configuration.theme else None
        heading = theme.label if isinstance(theme, cmokit.Theme) else configuration.id
        lines.append(f"{configuration.meta['table5_row']}. {heading}")
        placed = [("C", i) for i in configuration.contexts]
        placed += [("M", i) for i in configuration.mechanisms]
        for role, element_id in placed:
            element = theory.element(element_id)
            if element.element_kind is ElementKind.OUTCOME:
                marker = "   (added: chained outcome of an earlier configuration)"
            elif "table5_role" not in element.meta:
                marker = "   (added to the model)"
            else:
                marker = ""
            lines.append(f"     {role}  {element.label}{marker}")
        lines.extend(
            textwrap.wrap(
                configuration.statement or "",
                width=92,
                initial_indent="     Statement: ",
                subsequent_indent="                ",
            )
        )
        lines.append("")
    return lines


def compare_with_paper(theory: ProgrammeTheory) -> list[str]:
    """Return one problem per Table 5 category missing from the model or in the wrong role."""
    table5 = cmokit.examples.mentorship_tables()["table5"]
    by_row = {int(c.meta["table5_row"]): c for c in table5_configurations(theory)}
    problems: list[str] = []
    for row in table5.itertuples(index=False):
        where = f"Table 5, theme {row.theme_number}, {row.category!r}"
        element = theory.get(row.element_id)
        if not isinstance(element, cmokit.Context | cmokit.Mechanism | cmokit.Outcome):
            problems.append(f"{where}: no element {row.element_id!r} in the model")
            continue
        role = ROLE_OF_KIND[element.element_kind]
        if role != row.role:
            problems.append(f"{where}: printed as {row.role}, modelled as {role}")
        configuration = by_row.get(int(row.theme_number))
        if configuration is None or row.element_id not in configuration.elements:
            problems.append(f"{where}: not in the theme's configuration")
    return problems


def main() -> int:
    theory = cmokit.examples.mentorship()
    print("Table 5. Themes, categories and configurations (from the model)")
    print()
    print("\n".join(summary_lines(theory)))
    problems = compare_with_paper(theory)
    categories = len(cmokit.examples.mentorship_tables()["table5"])
    if problems:
        print(f"{len(problems)} of the paper's Table 5 entries do not match:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"All {categories} Table 5 categories are in the model with their printed role.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
