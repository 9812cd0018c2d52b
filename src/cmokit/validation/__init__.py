"""Validation of a programme theory for explanatory completeness, the way a linter checks code.

:func:`validate` runs the rules of :data:`RULES` (each with a stable code, a severity and a
rationale; see docs/rules.md) and returns a :class:`Report` of :class:`Finding` objects.
``ProgrammeTheory.validate()`` is the same call as a method.

Example:
    >>> import cmokit
    >>> theory = cmokit.ProgrammeTheory(items=[
    ...     cmokit.Context("audit_data", "Audit data"),
    ...     cmokit.Outcome("engaged", "Staff engage"),
    ...     cmokit.Configuration("CMOC1", contexts=["audit_data"], outcomes=["engaged"])])
    >>> report = validate(theory, select="CMO001")
    >>> report.ok
    False
    >>> print(report)  # doctest: +ELLIPSIS
    1 error
    errors:
      CMO001 [CMOC1] configuration 'CMOC1' has no mechanism: it is not a context-mechanism-...
        hint: add the missing mechanism ids to 'CMOC1', or remove it
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cmokit._collector import paused
from cmokit.validation.report import (
    COLUMNS,
    Finding,
    Report,
    Severity,
    dump_csv,
    dump_json,
    reports_from_csv,
    reports_from_json,
)
from cmokit.validation.rules import RULES, Options, Rule, TheoryIndex, resolve_codes

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = [
    "COLUMNS",
    "RULES",
    "Finding",
    "Options",
    "Report",
    "Rule",
    "Severity",
    "dump_csv",
    "dump_json",
    "reports_from_csv",
    "reports_from_json",
    "resolve_codes",
    "validate",
]


def validate(
    theory: ProgrammeTheory,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    *,
    mechanism_parts: Severity | str | bool = Severity.INFO,
    path: str | None = None,
) -> Report:
    """Check a theory for explanatory completeness and return every finding.

    Args:
        theory: The theory to check.
        select: Run only these rules: codes (``"CMO001"``), code prefixes (``"CMO02"``) or
            rule names (``"cycle"``), as a list or a comma-separated string. All when
            ``None``.
        ignore: Skip these rules (same forms); wins over ``select``.
        mechanism_parts: Severity of CMO005 (a mechanism without resource or reasoning):
            ``"info"`` (default) or ``"warning"``; ``True`` means ``"warning"``.
        path: The model file the theory came from, kept on the report.

    Returns:
        The findings, errors first.

    Raises:
        UnknownReferenceError: ``select`` or ``ignore`` names no rule (with "did you mean").
        ValueError: ``mechanism_parts`` is not info or warning.

    Example:
        >>> import cmokit.examples
        >>> report = validate(cmokit.examples.hand_hygiene(), select="CMO005",
        ...                   mechanism_parts="warning")
        >>> for finding in report:
        ...     print(finding.code, finding.severity.value, finding.ids)
        CMO005 warning ('habit',)
    """
    if isinstance(mechanism_parts, bool):
        mechanism_parts = Severity.WARNING if mechanism_parts else Severity.INFO
    codes = resolve_codes(select, ignore)
    options = Options(mechanism_parts=mechanism_parts, index=TheoryIndex(theory))
    # The rules' indexes and findings make no reference cycles; without the pause, the
    # collector would scan a large theory again and again while they are built.
    with paused():
        findings = [finding for code in codes for finding in RULES[code].check(theory, options)]
        return Report(findings, path=path)
