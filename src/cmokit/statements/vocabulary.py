"""The words of the statement language: verbs that mean "reaches", filler words, articles.

Every verb listed in :data:`VERBS` means the same thing to cmokit: the elements on its left
reach the elements on its right through the theory's graph. The list exists so that
statements can keep the wording of a paper ("Engagement facilitates enactment") instead of
one fixed keyword. Words in :data:`FILLER_WORDS` and :data:`ARTICLES` are skipped wherever
they are not part of an element's name.

Example:
    >>> ("leads", "to") in VERBS
    True
    >>> "often" in FILLER_WORDS
    True
"""

from __future__ import annotations

__all__ = [
    "ARTICLES",
    "CONFIGURATION_OPENERS",
    "FILLER_PHRASES",
    "FILLER_WORDS",
    "NEGATIONS",
    "RELATIVE_WORDS",
    "VERBS",
]


def _forms(*stems: str) -> frozenset[tuple[str, ...]]:
    """Expand ``"lead(s) to"``-like stems into word tuples: ``lead to`` and ``leads to``.

    A stem may carry one optional part in brackets; ``|`` separates whole alternatives.
    """
    forms: set[tuple[str, ...]] = set()
    for stem in stems:
        for alternative in stem.split("|"):
            if "(" in alternative:
                head, rest = alternative.split("(", 1)
                optional, tail = rest.split(")", 1)
                forms.add(tuple((head + tail).split()))
                forms.add(tuple((head + optional + tail).split()))
            else:
                forms.add(tuple(alternative.split()))
    return frozenset(forms)


VERBS: frozenset[tuple[str, ...]] = _forms(
    "enable(s)|enabled",
    "trigger(s)|triggered",
    "facilitate(s)|facilitated",
    "lead(s) to|led to",
    "lead(s) on to|led on to",
    "generate(s)|generated",
    "produce(s)|produced",
    "support(s)|supported",
    "become(s)|became",
    "cause(s)|caused",
    "result(s) in|resulted in",
    "give(s) rise to|gave rise to|given rise to",
    "contribute(s) to|contributed to",
    "bring(s) about|brought about",
    "feed(s) into|fed into",
    "activate(s)|activated",
    "allow(s)|allowed",
    "create(s)|created",
    "drive(s)|drove",
    "foster(s)|fostered",
    "promote(s)|promoted",
    "prompt(s)|prompted",
    "shape(s)|shaped",
    "influence(s)|influenced",
    "affect(s)|affected",
    "help(s)|helped",
    "reach(es)|reached",
)
"""Verb forms (as word tuples) that all mean "the left side reaches the right side".

Base form, third person and past tense are all listed, so ``enable``, ``enables`` and
``enabled`` read the same; after a negation the base form is usual (``does not enable``).
"""

FILLER_WORDS: frozenset[str] = frozenset(
    {
        "also",
        "always",
        "can",
        "could",
        "eventually",
        "generally",
        "may",
        "might",
        "often",
        "so",
        "then",
        "therefore",
        "thereby",
        "thus",
        "together",
        "typically",
        "ultimately",
        "usually",
        "will",
        "would",
        "both",
        "jointly",
    }
)
"""Words skipped where they are not part of a name: modal verbs, hedges and connectives.

``"A can also lead to B"`` reads as ``"A leads to B"``. Hedges are ignored because the
theory's graph records whether a path exists, not how likely it is.
"""

FILLER_PHRASES: frozenset[tuple[str, ...]] = frozenset({("in", "turn")})
"""Fillers of more than one word, skipped like :data:`FILLER_WORDS`."""

ARTICLES: frozenset[str] = frozenset({"a", "an", "the"})
"""Articles, ignored everywhere: in statements and in the names they are matched against."""

NEGATIONS: frozenset[tuple[str, ...]] = frozenset(
    {
        ("does", "not"),
        ("do", "not"),
        ("did", "not"),
        ("doesn't",),
        ("don't",),
        ("didn't",),
        ("doesn\u2019t",),
        ("don\u2019t",),
        ("didn\u2019t",),
        ("cannot",),
        ("can", "not"),
        ("can't",),
        ("can\u2019t",),
        ("never",),
    }
)
"""Word sequences that negate the verb after them: the statement holds when there is no path."""

RELATIVE_WORDS: frozenset[str] = frozenset({"which", "that", "who"})
"""Words that continue a chain: ``"A enables B, which leads to C"`` means B leads to C."""

CONFIGURATION_OPENERS: frozenset[str] = frozenset({"in", "where", "when"})
"""Words that open the configuration form ``"In <contexts>, <mechanisms> lead to <outcomes>"``."""
