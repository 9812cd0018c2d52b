"""C-level getters of the items' fields, shared by the code that reads whole columns.

Loading a large file and validating a large theory read one field of every item at once
(``map(CONTEXTS, configurations)``); an :func:`operator.attrgetter` does that without a
Python call per item. One set here keeps the loader, the rules and the NumPy walk reading
the same fields the same way.

Example:
    >>> from cmokit import Configuration
    >>> CONTEXTS(Configuration("K", contexts=["c"], mechanisms=["m"]))
    ('c',)
"""

from __future__ import annotations

import operator

__all__ = [
    "ABOUT",
    "CONTEXTS",
    "ID",
    "MECHANISMS",
    "OUTCOMES",
    "ROLES",
    "SOURCE",
    "STAGE",
    "STANCE",
    "TARGET",
    "THEME",
]

ID = operator.attrgetter("id")
STAGE = operator.attrgetter("stage")
THEME = operator.attrgetter("theme")
CONTEXTS = operator.attrgetter("contexts")
MECHANISMS = operator.attrgetter("mechanisms")
OUTCOMES = operator.attrgetter("outcomes")
ROLES = operator.attrgetter("contexts", "mechanisms", "outcomes")
"""A configuration's three role tuples, contexts first."""
SOURCE = operator.attrgetter("source")
TARGET = operator.attrgetter("target")
ABOUT = operator.attrgetter("about")
STANCE = operator.attrgetter("stance")
