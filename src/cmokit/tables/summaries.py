"""The tables realist papers print, as DataFrames.

- :func:`configuration_table`: one row per configuration with its theme, its contexts and
  mechanisms marked with their roles (C/M), its outcomes and its statement, grouped by
  theme: the "Table 5" of a realist evaluation.
- :func:`evidence_table`: how much evidence supports and how much contradicts each
  configuration and element, counted by evidence item, source, participant and case.
- :func:`case_matrix`: configurations against cases, showing where the mechanism fired and
  where it did not.

Example:
    >>> import cmokit.examples
    >>> table = configuration_table(cmokit.examples.hand_hygiene())
    >>> table.loc[1, "contexts_and_mechanisms"]
    'Ward has regular audit data (C); Peer feedback (M)'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cmokit.model import Configuration, Stance

if TYPE_CHECKING:
    import pandas as pd

    from cmokit.theory import ProgrammeTheory

__all__ = [
    "CASE_MATRIX_VALUES",
    "CONFIGURATION_TABLE_COLUMNS",
    "EVIDENCE_TABLE_COLUMNS",
    "case_matrix",
    "configuration_table",
    "evidence_table",
]

CONFIGURATION_TABLE_COLUMNS = (
    "configuration",
    "theme",
    "contexts_and_mechanisms",
    "outcomes",
    "statement",
)
"""The columns of :func:`configuration_table`."""

EVIDENCE_TABLE_COLUMNS = (
    "item",
    "kind",
    "label",
    "supporting",
    "supporting_sources",
    "supporting_participants",
    "supporting_cases",
    "contradicting",
    "contradicting_sources",
    "contradicting_participants",
    "contradicting_cases",
)
"""The columns of :func:`evidence_table` (without ``by``)."""

CASE_MATRIX_VALUES = ("fired", "did not fire", "mixed", "")
"""What a cell of :func:`case_matrix` may say."""

_NO_THEME = object()


def _label_of(theory: ProgrammeTheory, item_id: str) -> str:
    item = theory.get(item_id)
    return str(getattr(item, "label", item_id))


def _ordered_by_theme(theory: ProgrammeTheory) -> list[Configuration]:
    """Configurations grouped by theme in theme order; those without a theme come last."""
    rank = {theme.id: position for position, theme in enumerate(theory.themes)}
    return sorted(
        theory.configurations,
        key=lambda config: rank.get(config.theme, len(rank)) if config.theme else len(rank),
    )


def configuration_table(theory: ProgrammeTheory) -> pd.DataFrame:
    """Return the Table 5-style summary: one row per configuration, grouped by theme.

    Columns (:data:`CONFIGURATION_TABLE_COLUMNS`):

    - ``configuration``: the configuration id;
    - ``theme``: the theme's label (empty when the configuration has none);
    - ``contexts_and_mechanisms``: the labels of its contexts and mechanisms, each followed
      by its role in this configuration, ``(C)`` or ``(M)``, separated by ``"; "``. An
      outcome of an earlier configuration standing among the contexts is marked ``(C)``:
      the role is the one it plays here;
    - ``outcomes``: the labels of its outcomes, separated by ``"; "``;
    - ``statement``: the configuration statement (empty when there is none).

    Rows follow the theory's theme order, configurations without a theme last, and keep
    the theory's order within a theme.

    Example:
        >>> import cmokit.examples
        >>> table = configuration_table(cmokit.examples.hand_hygiene())
        >>> table[["configuration", "theme", "outcomes"]]
          configuration       theme                        outcomes
        0         CMOC2  Safer care  Higher hand-hygiene compliance
        1         CMOC1                  Staff engage with feedback
        2         CMOC3                      Feedback felt as blame
    """
    import pandas as pd

    rows = []
    for config in _ordered_by_theme(theory):
        roles = [f"{_label_of(theory, c)} (C)" for c in config.contexts]
        roles += [f"{_label_of(theory, m)} (M)" for m in config.mechanisms]
        theme = _label_of(theory, config.theme) if config.theme else ""
        rows.append(
            {
                "configuration": config.id,
                "theme": theme,
                "contexts_and_mechanisms": "; ".join(roles),
                "outcomes": "; ".join(_label_of(theory, o) for o in config.outcomes),
                "statement": config.statement or "",
            }
        )
    return pd.DataFrame(rows, columns=list(CONFIGURATION_TABLE_COLUMNS), dtype=object)


def _subjects(theory: ProgrammeTheory) -> list[tuple[str, str, str]]:
    """(id, kind, label) of every configuration, then every element."""
    subjects = [(c.id, "configuration", c.statement or c.id) for c in theory.configurations]
    subjects += [(e.id, e.element_kind.value, e.label) for e in theory.elements]
    return subjects


def _distinct(values: Sequence[str | None]) -> int:
    return len({value for value in values if value is not None})


def evidence_table(theory: ProgrammeTheory, *, by: str | None = None) -> pd.DataFrame:
    """Return how much evidence supports and contradicts each configuration and element.

    Only evidence about an item directly is counted: evidence about a configuration does
    not count for its elements, nor the other way round.

    Args:
        theory: The theory.
        by: ``None`` for one row per configuration and element (every one, so that gaps
            show as zeros), or ``"source"``, ``"participant"`` or ``"case"`` for one row
            per item and value of that field (evidence without a value counted under
            ``None``), with only the items that have evidence.

    Returns:
        Without ``by``, the columns of :data:`EVIDENCE_TABLE_COLUMNS`: ``item`` (id),
        ``kind`` (``"configuration"``, ``"context"``, ``"mechanism"`` or ``"outcome"``),
        ``label`` (a configuration's statement), ``supporting`` (evidence items that
        support it), ``supporting_sources``, ``supporting_participants`` and
        ``supporting_cases`` (how many different sources, participants and cases those
        items come from), and the same four ``contradicting`` columns. With ``by``: ``item``,
        ``kind``, the ``by`` column, ``supporting`` and ``contradicting``.

    Raises:
        ValueError: ``by`` is not one of the allowed values.

    Example:
        >>> import cmokit.examples
        >>> table = evidence_table(cmokit.examples.hand_hygiene())
        >>> table[["item", "supporting", "supporting_cases", "contradicting"]].head(3)
            item  supporting  supporting_cases  contradicting
        0  CMOC1           1                 1              0
        1  CMOC2           0                 0              0
        2  CMOC3           1                 1              0
        >>> evidence_table(cmokit.examples.hand_hygiene(), by="case")
            item           kind    case  supporting  contradicting
        0  CMOC1  configuration  Ward A           1              0
        1  CMOC3  configuration  Ward B           1              0
    """
    import pandas as pd

    if by not in (None, "source", "participant", "case"):
        raise ValueError(f"by must be None, 'source', 'participant' or 'case', not {by!r}")
    rows: list[dict[str, Any]] = []
    for item_id, kind, label in _subjects(theory):
        evidence = theory.evidence_for(item_id)
        if by is not None:
            counts: dict[str | None, list[int]] = {}
            for item in evidence:
                tally = counts.setdefault(getattr(item, by), [0, 0])
                tally[0 if item.stance is Stance.SUPPORTS else 1] += 1
            for value, (supporting, contradicting) in counts.items():
                rows.append(
                    {
                        "item": item_id,
                        "kind": kind,
                        by: value,
                        "supporting": supporting,
                        "contradicting": contradicting,
                    }
                )
            continue
        row: dict[str, Any] = {"item": item_id, "kind": kind, "label": label}
        for stance, prefix in (
            (Stance.SUPPORTS, "supporting"),
            (Stance.CONTRADICTS, "contradicting"),
        ):
            chosen = [e for e in evidence if e.stance is stance]
            row[prefix] = len(chosen)
            row[f"{prefix}_sources"] = _distinct([e.source for e in chosen])
            row[f"{prefix}_participants"] = _distinct([e.participant for e in chosen])
            row[f"{prefix}_cases"] = _distinct([e.case for e in chosen])
        rows.append(row)
    if by is not None:
        columns = ["item", "kind", by, "supporting", "contradicting"]
        # object dtype keeps a missing value as None, as the evidence holds it
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        return frame.astype({"supporting": "int64", "contradicting": "int64"})
    frame = pd.DataFrame(rows, columns=list(EVIDENCE_TABLE_COLUMNS))
    counted = [c for c in EVIDENCE_TABLE_COLUMNS if c not in ("item", "kind", "label")]
    return frame.astype(dict.fromkeys(counted, "int64"))


def case_matrix(theory: ProgrammeTheory) -> pd.DataFrame:
    """Return the "for whom, in what circumstances" matrix: configurations against cases.

    A cell says what the evidence about that configuration from that case shows:
    ``"fired"`` when it only supports the configuration (the mechanism fired there),
    ``"did not fire"`` when it only contradicts it, ``"mixed"`` when some does each, and
    ``""`` when there is no evidence from that case. Evidence without a case, and
    evidence about elements rather than configurations, is left out.

    Returns:
        A DataFrame indexed by configuration id (index name ``configuration``; every
        configuration, in theory order) with one column per case, in the order cases are
        first met among the evidence (columns name ``case``).

    Example:
        >>> import cmokit.examples
        >>> matrix = case_matrix(cmokit.examples.hand_hygiene())
        >>> list(matrix.columns), list(matrix.index)
        (['Ward A', 'Ward B'], ['CMOC1', 'CMOC2', 'CMOC3'])
        >>> matrix.loc["CMOC3"].to_dict()
        {'Ward A': '', 'Ward B': 'fired'}
    """
    import pandas as pd

    cases: dict[str, None] = {}
    for item in theory.evidence:
        if item.case is not None:
            cases[item.case] = None
    cells: dict[str, dict[str, str]] = {}
    for config in theory.configurations:
        stances: dict[str, set[Stance]] = {}
        for item in theory.evidence_for(config.id):
            if item.case is not None:
                stances.setdefault(item.case, set()).add(item.stance)
        row = {}
        for case in cases:
            seen = stances.get(case, set())
            if seen == {Stance.SUPPORTS}:
                row[case] = "fired"
            elif seen == {Stance.CONTRADICTS}:
                row[case] = "did not fire"
            elif seen:
                row[case] = "mixed"
            else:
                row[case] = ""
        cells[config.id] = row
    frame = pd.DataFrame.from_dict(cells, orient="index", columns=list(cases), dtype=object)
    frame = frame.reindex([c.id for c in theory.configurations])
    frame.index.name = "configuration"
    frame.columns.name = "case"
    return frame
