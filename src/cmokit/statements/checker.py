"""Decide whether a theory supports a statement, and say why or what is missing.

A reach clause (``A enables B``) holds when a path runs from A to B through the theory's
graph, whose edges are made by configurations (context → mechanism → outcome) and by
explicit links. A configuration clause (``In C, M leads to O``) holds when a configuration,
or a chain of configurations ending at O, joins C and M. The evidence is the path or the
configurations found; a clause that does not hold names the link that is missing.

Example:
    >>> import cmokit.examples
    >>> theory = cmokit.examples.hand_hygiene()
    >>> result = check(theory, "Habit leads to engaged.")
    >>> result.holds
    False
    >>> print(result.clauses[0].reason.replace("; ", ";\\n"))
    no path from habit to engaged;
    habit reaches compliance, which reaches nothing further;
    engaged is reached only from peer_feedback
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from cmokit.exceptions import StatementError
from cmokit.queries import Chain, ChainStep
from cmokit.statements.parser import (
    Clause,
    ConfigurationClause,
    NameIndex,
    ReachClause,
    Reference,
    parse,
)
from cmokit.theory import ProgrammeTheory

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "CheckResult", "ClauseResult", "check", "check_all"]

_LISTED = 6
"""How many elements a reason names before it says "and N more"."""

_CHAIN_LIMIT = 1000
"""How many explanatory chains the configuration form examines per outcome."""


@attrs.frozen
class ClauseResult:
    """The verdict on one clause of a statement.

    Attributes:
        clause: The clause checked.
        holds: Whether the theory supports it.
        reason: Why: the evidence when it holds, what is missing when it does not.
        paths: Element paths that bear on the verdict: the paths found for a clause that
            holds, or the offending paths for a negated clause that does not.
        configurations: Configuration ids joining the elements (configuration form), or
            making the edges of the paths.

    Example:
        >>> import cmokit.examples
        >>> result = check(cmokit.examples.hand_hygiene(), "Audit data enables habit.")
        >>> result.clauses[0].path
        ('audit_data', 'peer_feedback', 'habit')
    """

    clause: Clause
    holds: bool
    reason: str
    paths: tuple[tuple[str, ...], ...] = ()
    configurations: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...] | None:
        """The first path of :attr:`paths`, or ``None`` when there is none."""
        return self.paths[0] if self.paths else None

    def __str__(self) -> str:
        return f"{self.clause}: {self.reason}"


@attrs.frozen
class CheckResult:
    """The verdict on a statement: it holds when every clause holds.

    Attributes:
        statement: The statement as written.
        clauses: One result per clause, in the order written.

    Example:
        >>> import cmokit.examples
        >>> result = check(cmokit.examples.hand_hygiene(), "Peer feedback leads to blame.")
        >>> bool(result), len(result.clauses)
        (True, 1)
    """

    statement: str
    clauses: tuple[ClauseResult, ...]

    @property
    def holds(self) -> bool:
        """Whether every clause holds."""
        return all(result.holds for result in self.clauses)

    @property
    def failures(self) -> tuple[ClauseResult, ...]:
        """The clauses that do not hold."""
        return tuple(result for result in self.clauses if not result.holds)

    def __bool__(self) -> bool:
        return self.holds

    def __str__(self) -> str:
        verdict = "holds" if self.holds else "does not hold"
        lines = [f"{verdict}: {self.statement}"]
        lines += [f"  {result}" for result in self.clauses]
        return "\n".join(lines)


def check(theory: ProgrammeTheory | NameIndex, text: str) -> CheckResult:
    """Check a statement against a theory.

    Args:
        theory: The theory, or a :class:`~cmokit.statements.NameIndex` of it when checking
            many statements.
        text: One or more sentences in the statement language (docs/statements.md).

    Returns:
        The verdict, clause by clause, with the evidence or the missing link.

    Raises:
        StatementError: The statement cannot be parsed, or names an element that is unknown
            (the message suggests near names) or ambiguous (the message lists candidates).
            Such a statement is never reported as "does not hold".

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.hand_hygiene()
        >>> check(theory, "Peer feedback directly leads to habit formation.").holds
        True
        >>> check(theory, "Audit data directly leads to habit.").holds
        False
        >>> check(theory, "Blame does not lead to compliance.").holds
        True
    """
    index = theory if isinstance(theory, NameIndex) else NameIndex(theory)
    clauses = parse(index, text)
    return CheckResult(text, tuple(_check_clause(index.theory, clause) for clause in clauses))


FRAME_COLUMNS: tuple[str, ...] = (
    "statement",
    "clause",
    "clause_text",
    "holds",
    "statement_holds",
    "evidence",
    "configurations",
    "reason",
    "error",
)
"""Columns of :func:`check_all`'s DataFrame, in order:

- ``statement``: the statement as written;
- ``clause``: the clause's number within the statement, from 0;
- ``clause_text``: the words of the clause;
- ``holds``: whether the clause holds (missing when the statement has an error);
- ``statement_holds``: whether every clause of the statement holds (missing likewise);
- ``evidence``: the paths found, as ``a → b → c``, separated by ``; ``;
- ``configurations``: the configuration ids joining the elements, comma-separated;
- ``reason``: the evidence, or what is missing;
- ``error``: the :class:`~cmokit.StatementError` message, for a statement that cannot be
  parsed or resolved (only with ``errors="record"``), else empty.
"""


def check_all(
    theory: ProgrammeTheory,
    texts: Iterable[str],
    *,
    errors: Literal["raise", "record"] = "raise",
) -> pd.DataFrame:
    """Check many statements and return one row per clause.

    Args:
        theory: The theory.
        texts: The statements.
        errors: ``"raise"`` stops at the first statement that cannot be parsed or resolved;
            ``"record"`` gives it one row with its message in ``error`` and ``holds``
            missing.

    Returns:
        A DataFrame with the columns of :data:`FRAME_COLUMNS`; ``holds`` and
        ``statement_holds`` have pandas' nullable ``boolean`` type.

    Raises:
        StatementError: A statement cannot be parsed or resolved and ``errors="raise"``.

    Example:
        >>> import cmokit.examples
        >>> frame = check_all(cmokit.examples.hand_hygiene(),
        ...     ["Audit data leads to compliance.", "Blame leads to compliance."])
        >>> frame["holds"].tolist()
        [True, False]
        >>> list(frame.columns) == list(FRAME_COLUMNS)
        True
    """
    import pandas as pd

    if errors not in ("raise", "record"):
        raise ValueError(f"errors must be 'raise' or 'record', not {errors!r}")
    index = NameIndex(theory)
    rows: list[dict[str, object]] = []
    for text in texts:
        try:
            result = check(index, text)
        except StatementError as err:
            if errors == "raise":
                raise
            rows.append(
                {
                    "statement": text,
                    "clause": None,
                    "clause_text": "",
                    "holds": None,
                    "statement_holds": None,
                    "evidence": "",
                    "configurations": "",
                    "reason": "",
                    "error": str(err),
                }
            )
            continue
        for number, clause_result in enumerate(result.clauses):
            rows.append(
                {
                    "statement": text,
                    "clause": number,
                    "clause_text": clause_result.clause.text,
                    "holds": clause_result.holds,
                    "statement_holds": result.holds,
                    "evidence": "; ".join(" → ".join(path) for path in clause_result.paths),
                    "configurations": ", ".join(clause_result.configurations),
                    "reason": clause_result.reason,
                    "error": "",
                }
            )
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    frame["clause"] = frame["clause"].astype("Int64")
    frame["holds"] = frame["holds"].astype("boolean")
    frame["statement_holds"] = frame["statement_holds"].astype("boolean")
    return frame


# --------------------------------------------------------------------------- reach clauses


def _check_clause(theory: ProgrammeTheory, clause: Clause) -> ClauseResult:
    if isinstance(clause, ReachClause):
        return _check_reach(theory, clause)
    return _check_configuration(theory, clause)


def _shortest_path(theory: ProgrammeTheory, source: str, target: str) -> tuple[str, ...] | None:
    """The shortest path of at least one edge from source to target (a cycle when equal)."""
    graph = theory.graph_view
    previous: dict[str, str] = {}
    queue = deque([source])
    seen: set[str] = set()
    while queue:
        node = queue.popleft()
        for successor in graph.successors(node):
            if successor == target:
                path = [target, node]
                while path[-1] != source:
                    path.append(previous[path[-1]])
                return tuple(reversed(path))
            if successor not in seen and successor != source:
                seen.add(successor)
                previous[successor] = node
                queue.append(successor)
    return None


def _edge_makers(theory: ProgrammeTheory, path: Sequence[str]) -> list[str]:
    """The configurations (or links) making each edge of a path, without repeats."""
    graph = theory.graph_view
    makers: dict[str, None] = {}
    for source, target in itertools.pairwise(path):
        data = graph.get_edge_data(source, target) or {}
        if data.get("configurations"):
            makers[data["configurations"][0]] = None
        elif data.get("links") is not None:
            label = data["links"][0] if data["links"] else None
            makers[f"link {source}->{target}" + (f" ({label})" if label else "")] = None
    return list(makers)


def _show_path(theory: ProgrammeTheory, path: Sequence[str]) -> str:
    return " → ".join(path) + " (via " + ", ".join(_edge_makers(theory, path)) + ")"


def _listing(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    if len(ids) > _LISTED:
        shown += f" and {len(ids) - _LISTED} more"
    return shown


def _why_no_path(theory: ProgrammeTheory, source: str, target: str) -> str:
    """Say where the paths from ``source`` stop and where ``target`` can be reached from."""
    graph = theory.graph_view
    reached = theory.downstream(source)
    if not reached:
        onward = f"{source} reaches nothing (no configuration or link leads on from it)"
    elif len(reached) == 1 and graph.out_degree(reached[0]) == 0:
        onward = f"{source} reaches {reached[0]}, which reaches nothing further"
    else:
        onward = f"{source} reaches {_listing(reached)}"
        dead_ends = [element for element in reached if graph.out_degree(element) == 0]
        if dead_ends:
            onward += f"; those paths stop at {_listing(dead_ends)}"
    sources = theory.upstream(target, steps=1)
    if sources:
        inward = f"{target} is reached only from {_listing(sources)}"
    else:
        inward = f"nothing leads to {target}"
    return f"no path from {source} to {target}; {onward}; {inward}"


def _check_reach(theory: ProgrammeTheory, clause: ReachClause) -> ClauseResult:
    graph = theory.graph_view
    found: list[tuple[str, ...]] = []
    missing: list[str] = []
    for source_ref in clause.sources:
        for target_ref in clause.targets:
            source, target = source_ref.id, target_ref.id
            if clause.direct:
                if graph.has_edge(source, target):
                    found.append((source, target))
                else:
                    reason = f"no direct edge from {source} to {target}"
                    path = _shortest_path(theory, source, target)
                    if path is not None:
                        reason += f" (only a longer path: {_show_path(theory, path)})"
                    else:
                        reason += "; " + _why_no_path(theory, source, target)
                    missing.append(reason)
            else:
                path = _shortest_path(theory, source, target)
                if path is not None:
                    found.append(path)
                else:
                    missing.append(_why_no_path(theory, source, target))
    configurations = tuple(dict.fromkeys(m for path in found for m in _edge_makers(theory, path)))
    if clause.negated:
        if found:
            verb = "leads directly to" if clause.direct else "reaches"
            reason = "; ".join(
                f"but {path[0]} {verb} {path[-1]}: {_show_path(theory, path)}" for path in found
            )
            return ClauseResult(clause, False, reason, tuple(found), configurations)
        kind = "direct edge" if clause.direct else "path"
        pairs = [(s.id, t.id) for s in clause.sources for t in clause.targets]
        reason = "; ".join(f"no {kind} from {s} to {t}" for s, t in pairs)
        return ClauseResult(clause, True, reason)
    if missing:
        return ClauseResult(clause, False, "; ".join(missing), tuple(found), configurations)
    reason = "; ".join(_show_path(theory, path) for path in found)
    return ClauseResult(clause, True, reason, tuple(found), configurations)


# ------------------------------------------------------------------- configuration clauses


@attrs.frozen
class _Join:
    """The best chain found for one outcome: its steps and what it lacks."""

    chain: Chain
    missing: tuple[str, ...]
    truncated: bool = False


def _join(theory: ProgrammeTheory, clause: ConfigurationClause, outcome: str) -> _Join | None:
    """The shortest chain ending at ``outcome`` that joins the clause's contexts and
    mechanisms, or else the chain that comes closest; ``None`` when nothing produces it."""
    contexts = [reference.id for reference in clause.contexts]
    mechanisms = [reference.id for reference in clause.mechanisms]
    truncated = False
    if clause.direct:
        chains = [
            Chain((ChainStep(c.id, c.contexts, c.mechanisms, outcome),))
            for c in theory.producers(outcome)
        ]
    elif theory.producers(outcome):
        explanation = theory.explain(outcome, limit=_CHAIN_LIMIT)
        chains = list(explanation.chains)
        truncated = explanation.truncated
    else:
        chains = []
    best: _Join | None = None
    for chain in chains:
        # Later steps are nearer the outcome: try the shortest tail first, so the evidence
        # names no more configurations than needed.
        for start in range(len(chain.steps) - 1, -1, -1):
            steps = chain.steps[start:]
            joined_contexts = {c for step in steps for c in step.contexts}
            joined_mechanisms = {m for step in steps for m in step.mechanisms}
            lacking = tuple(
                [f"context {c}" for c in contexts if c not in joined_contexts]
                + [f"mechanism {m}" for m in mechanisms if m not in joined_mechanisms]
            )
            candidate = _Join(Chain(steps), lacking, truncated)
            if not lacking:
                return candidate
            if best is None or len(lacking) < len(best.missing):
                best = candidate
    return best


def _names(references: Sequence[Reference]) -> str:
    return ", ".join(reference.id for reference in references)


def _check_configuration(theory: ProgrammeTheory, clause: ConfigurationClause) -> ClauseResult:
    joined: list[_Join] = []
    missing: list[str] = []
    joiner = (
        "single configuration producing"
        if clause.direct
        else "configuration or chain of configurations ending at"
    )
    what = f"contexts {_names(clause.contexts)} and mechanisms {_names(clause.mechanisms)}"
    for outcome_ref in clause.outcomes:
        outcome = outcome_ref.id
        best = _join(theory, clause, outcome)
        if best is None:
            missing.append(f"no configuration produces {outcome}")
        elif best.missing:
            nearest = " → ".join(best.chain.configurations)
            missing.append(
                f"no {joiner} {outcome} joins {what};"
                f" the nearest ({nearest}) lacks {', '.join(best.missing)}"
                + (
                    f" (only the first {_CHAIN_LIMIT} chains were examined)"
                    if best.truncated
                    else ""
                )
            )
        else:
            joined.append(best)
    paths = tuple(join.chain.path for join in joined)
    configurations = tuple(dict.fromkeys(c for join in joined for c in join.chain.configurations))
    evidence = "; ".join(
        f"{' → '.join(join.chain.configurations)} joins them for {join.chain.steps[-1].outcome}"
        for join in joined
    )
    if clause.negated:
        if joined:
            return ClauseResult(clause, False, f"but {evidence}", paths, configurations)
        return ClauseResult(clause, True, "; ".join(missing))
    if missing:
        return ClauseResult(clause, False, "; ".join(missing), paths, configurations)
    return ClauseResult(clause, True, evidence, paths, configurations)
