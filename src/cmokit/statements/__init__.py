"""Executable configuration statements: check realist statements against a theory.

Write a finding the way the paper words it, "Engagement with mentorship facilitates
mentorship enactment", and :func:`check` says whether the theory's graph supports it and,
when it does not, what is missing. The grammar, the verbs and the filler words are
described in the user guide (docs/statements.md).

Example:
    >>> import cmokit, cmokit.examples
    >>> theory = cmokit.examples.hand_hygiene()
    >>> cmokit.check(theory, "Audit data leads to higher hand-hygiene compliance.").holds
    True
"""

from cmokit.statements.checker import CheckResult, ClauseResult, check, check_all
from cmokit.statements.parser import (
    Clause,
    ConfigurationClause,
    NameIndex,
    ReachClause,
    Reference,
    parse,
)
from cmokit.statements.vocabulary import ARTICLES, FILLER_WORDS, NEGATIONS, VERBS

__all__ = [
    "ARTICLES",
    "FILLER_WORDS",
    "NEGATIONS",
    "VERBS",
    "CheckResult",
    "Clause",
    "ClauseResult",
    "ConfigurationClause",
    "NameIndex",
    "ReachClause",
    "Reference",
    "check",
    "check_all",
    "parse",
]
