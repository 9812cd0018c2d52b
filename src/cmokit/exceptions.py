"""Exceptions raised by cmokit.

Every error cmokit raises for a user's mistake derives from :class:`CmokitError`, so an
application can catch one class. Specific subclasses mix in the matching built-in
(``KeyError``, ``ValueError``) where that is what Python code would expect.

Example:
    >>> import cmokit
    >>> try:
    ...     cmokit.ProgrammeTheory(title="t")["nowhere"]
    ... except cmokit.UnknownReferenceError as err:
    ...     print(err)
    no item with id 'nowhere' in this theory
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from cmokit.validation.report import Report

__all__ = [
    "CmokitError",
    "DuplicateIdError",
    "EngineNotFoundError",
    "FormatVersionError",
    "LoadError",
    "Problem",
    "StatementError",
    "UnknownReferenceError",
    "ValidationError",
]


class CmokitError(Exception):
    """Base class of every error cmokit raises on purpose.

    Example:
        >>> import cmokit
        >>> issubclass(cmokit.LoadError, cmokit.CmokitError)
        True
    """


class UnknownReferenceError(CmokitError, KeyError):
    """An id was referenced that the theory does not hold.

    Attributes:
        ref: The id that could not be found.
        referrer: The id of the item that holds the reference, if any.
        field: The referring item's field, if any.
        suggestions: Near-miss ids, closest first.

    Args:
        kind: What was looked for ("stage", "theme"...), for the message when there is
            no referrer (a query rather than an item).

    Example:
        >>> import cmokit
        >>> err = cmokit.UnknownReferenceError("habbit", referrer="CMOC2", suggestions=["habit"])
        >>> print(err)
        'CMOC2' refers to unknown id 'habbit'; did you mean 'habit'?
    """

    def __init__(
        self,
        ref: str,
        *,
        referrer: str | None = None,
        field: str | None = None,
        suggestions: Sequence[str] = (),
        kind: str | None = None,
    ) -> None:
        self.ref = ref
        self.referrer = referrer
        self.field = field
        self.suggestions = tuple(suggestions)
        if referrer is not None:
            where = f"{referrer!r}" + (f" ({field})" if field else "") + " refers to unknown id "
            message = f"{where}{ref!r}"
        else:
            message = f"no {kind or 'item'} with id {ref!r} in this theory"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        # KeyError.__str__ would repr() the message; show it as written instead.
        return self.message


class DuplicateIdError(CmokitError, ValueError):
    """Two items in one theory share an id.

    Example:
        >>> import cmokit
        >>> print(cmokit.DuplicateIdError("engaged", existing="outcome", new="context"))
        duplicate id 'engaged': a context cannot reuse the id of an existing outcome
    """

    def __init__(self, item_id: str, *, existing: str, new: str) -> None:
        self.item_id = item_id
        self.existing = existing
        self.new = new
        article = "an" if new[:1] in "aeiou" else "a"
        super().__init__(
            f"duplicate id {item_id!r}: {article} {new} cannot reuse the id of an existing"
            f" {existing}"
        )


@attrs.frozen
class Problem:
    """One problem found while loading a model file.

    Attributes:
        message: What is wrong and what to do about it.
        path: The file, if the problem came from one.
        line: The 1-based line in the file, where known.
        item: The id of the item concerned, where known.
        field: The field concerned, where known.

    Example:
        >>> import cmokit
        >>> str(cmokit.Problem("unknown key 'lable'", path="m.yaml", line=4, item="c1"))
        "m.yaml:4: c1: unknown key 'lable'"
    """

    message: str
    path: str | None = None
    line: int | None = None
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        location = self.path or "<model>"
        if self.line is not None:
            location += f":{self.line}"
        subject = f" {self.item}:" if self.item else ""
        return f"{location}:{subject} {self.message}"


class LoadError(CmokitError, ValueError):
    """A model file or mapping could not be turned into a theory.

    Carries every problem found, not only the first, so a user can fix them all in one pass.

    Attributes:
        problems: The problems, in file order.

    Example:
        >>> import cmokit
        >>> err = cmokit.LoadError([cmokit.Problem("bad", path="m.yaml", line=2)])
        >>> print(err)
        m.yaml:2: bad
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FormatVersionError(LoadError):
    """The model file declares a format version this release does not read.

    Example:
        >>> import cmokit
        >>> issubclass(cmokit.FormatVersionError, cmokit.LoadError)
        True
    """


class ValidationError(CmokitError):
    """A theory has validation findings of error severity.

    Attributes:
        report: The full validation report.

    Example:
        >>> import cmokit
        >>> theory = cmokit.ProgrammeTheory(
        ...     items=[cmokit.Context("c"), cmokit.Configuration("CMOC1", contexts=["c"])]
        ... )
        >>> try:
        ...     theory.validate(select="CMO001").raise_for_errors()
        ... except cmokit.ValidationError as err:
        ...     [finding.code for finding in err.report.errors]
        ['CMO001']
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(str(report))


class StatementError(CmokitError, ValueError):
    """A configuration statement cannot be parsed, or names something ambiguous or unknown.

    Attributes:
        statement: The statement text.
        position: The character offset of the offending word, where known.

    Example:
        >>> import cmokit, cmokit.examples
        >>> try:
        ...     cmokit.check(cmokit.examples.hand_hygiene(), "Audit data leads to nothing.")
        ... except cmokit.StatementError as err:
        ...     err.position
        20
    """

    def __init__(self, message: str, *, statement: str = "", position: int | None = None) -> None:
        self.statement = statement
        self.position = position
        self.message = message
        text = message
        if statement and position is not None:
            text += f"\n  {statement}\n  {' ' * position}^"
        super().__init__(text)


class EngineNotFoundError(CmokitError, RuntimeError):
    """No Graphviz layout engine is available to render a figure.

    The message says what to install: Graphviz's ``dot``, or ``pip install
    "cmokit[render]"`` for the pure-Python ``graphviz-pure`` where it can write the format.

    Example:
        >>> import cmokit
        >>> issubclass(cmokit.EngineNotFoundError, cmokit.CmokitError)
        True
    """
