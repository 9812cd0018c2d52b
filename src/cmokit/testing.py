"""Assertions for keeping a programme theory honest with pytest.

Use them in ordinary test functions; a failure raises :class:`AssertionError` with a
message that says which statement failed and what is missing, so pytest's report reads as
an explanation rather than a traceback to decode.

Example:
    >>> import cmokit.examples
    >>> from cmokit.testing import assert_holds, assert_not_holds
    >>> theory = cmokit.examples.hand_hygiene()
    >>> result = assert_holds(theory, "Audit data enables peer feedback, which leads to engaged.")
    >>> result.clauses[1].path
    ('peer_feedback', 'engaged')
    >>> result = assert_not_holds(theory, "Blame leads to compliance.")
"""

from __future__ import annotations

from collections.abc import Iterable

from cmokit.statements import CheckResult, check
from cmokit.theory import ProgrammeTheory

__all__ = ["assert_holds", "assert_not_holds", "assert_valid"]


def _title(theory: ProgrammeTheory) -> str:
    return repr(theory.title) if theory.title else "the theory"


def _explain(result: CheckResult, *, failing: bool) -> str:
    """One line per clause: the ones that decided the verdict first."""
    chosen = [r for r in result.clauses if r.holds != failing] or list(result.clauses)
    lines = []
    for clause_result in chosen:
        verdict = "holds" if clause_result.holds else "does not hold"
        lines.append(f"  - {clause_result.clause.text!r} {verdict}:")
        lines.extend(f"      {part}" for part in clause_result.reason.split("; "))
    return "\n".join(lines)


def assert_holds(theory: ProgrammeTheory, text: str) -> CheckResult:
    """Fail unless the statement holds in the theory.

    Args:
        theory: The theory.
        text: A statement in the statement language (docs/statements.md).

    Returns:
        The check result, for further assertions on the evidence.

    Raises:
        AssertionError: The statement does not hold; the message names each clause that
            fails and the missing link.
        StatementError: The statement cannot be parsed or names an unknown or ambiguous
            element (a mistake in the test, not a finding about the theory).

    Example:
        >>> import cmokit.examples
        >>> assert_holds(cmokit.examples.hand_hygiene(), "Habit leads to blame.")
        Traceback (most recent call last):
        ...
        AssertionError: statement does not hold in 'Peer feedback and hand hygiene (illustrative)':
          Habit leads to blame.
          - 'Habit leads to blame' does not hold:
              no path from habit to blame
              habit reaches compliance, which reaches nothing further
              blame is reached only from peer_feedback
    """
    result = check(theory, text)
    if not result.holds:
        raise AssertionError(
            f"statement does not hold in {_title(theory)}:\n  {text}\n"
            + _explain(result, failing=True)
        )
    return result


def assert_not_holds(theory: ProgrammeTheory, text: str) -> CheckResult:
    """Fail if the statement holds in the theory: for claims the theory must not support.

    Args:
        theory: The theory.
        text: A statement in the statement language.

    Returns:
        The check result.

    Raises:
        AssertionError: The statement holds; the message shows the evidence found.
        StatementError: The statement cannot be parsed or resolved.

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.hand_hygiene()
        >>> assert_not_holds(theory, "Audit data leads to engaged.")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        AssertionError: statement holds in 'Peer feedback and hand hygiene (illustrative)', ...
              audit_data → peer_feedback → engaged (via CMOC1)
    """
    result = check(theory, text)
    if result.holds:
        raise AssertionError(
            f"statement holds in {_title(theory)}, but should not:\n  {text}\n"
            + _explain(result, failing=False)
        )
    return result


def assert_valid(
    theory: ProgrammeTheory,
    allow: str | Iterable[str] = (),
    *,
    severity: str = "warning",
) -> None:
    """Fail if validation finds anything at ``severity`` or worse, apart from allowed rules.

    Args:
        theory: The theory.
        allow: Rules whose findings are tolerated: codes (``"CMO020"``), code prefixes or
            rule names, as a list or a comma-separated string (as for ``validate(ignore=)``).
        severity: The least serious finding that fails: ``"error"``, ``"warning"``
            (default) or ``"info"``.

    Raises:
        AssertionError: Findings remain; the message lists each with its code, the ids
            concerned and the hint.
        UnknownReferenceError: ``allow`` names a rule that does not exist.

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.hand_hygiene()
        >>> assert_valid(theory, allow=["CMO020"])
        >>> assert_valid(theory, severity="error")
        >>> try:
        ...     assert_valid(theory)
        ... except AssertionError as failure:
        ...     print(str(failure).splitlines()[1])
          CMO020 (warning) [CMOC2] configuration 'CMOC2' has no supporting evidence
    """
    from cmokit.validation import Severity

    threshold = Severity(severity)
    allowed = allow if isinstance(allow, str) else list(allow)
    report = theory.validate(ignore=allowed or None)
    failing = [f for f in report.findings if f.severity.rank <= threshold.rank]
    if not failing:
        return
    plural = "finding" if len(failing) == 1 else "findings"
    lines = [
        f"{_title(theory)} has {len(failing)} validation {plural}"
        f" at {threshold.value} level or worse:"
    ]
    for finding in failing:
        subject = f" [{', '.join(finding.ids)}]" if finding.ids else ""
        lines.append(f"  {finding.code} ({finding.severity.value}){subject} {finding.message}")
        if finding.hint:
            lines.append(f"    hint: {finding.hint}")
    lines.append(
        '(allow a rule with assert_valid(theory, allow=["CODE"]) if the finding is intended)'
    )
    raise AssertionError("\n".join(lines))
