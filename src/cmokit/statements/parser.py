"""Read configuration statements: words with positions, names resolved, clauses built.

The parser knows the theory it reads for, because element names run over several words and
may contain words the grammar also uses ("Trust and confidentiality", "Mentorship as
support"). At every place where the grammar expects an element it takes the longest id,
label or alias that matches there, so a name is never cut short by the words inside it.

Example:
    >>> import cmokit.examples
    >>> theory = cmokit.examples.hand_hygiene()
    >>> print(*parse(theory, "Peer feedback leads to engaged."))
    peer_feedback → engaged
    >>> try:
    ...     parse(theory, "Peer feedback leads to staff engaging.")
    ... except StatementError as err:
    ...     print(err.message.replace("; ", ";\\n"))
    ...     print(err.position)
    no element is named 'staff engaging' (by id, label or alias);
    did you mean 'engaged' (Staff engage with feedback)?
    23
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from cmokit.exceptions import StatementError
from cmokit.model import Element
from cmokit.statements.vocabulary import (
    ARTICLES,
    CONFIGURATION_OPENERS,
    FILLER_PHRASES,
    FILLER_WORDS,
    NEGATIONS,
    RELATIVE_WORDS,
    VERBS,
)
from cmokit.theory import ProgrammeTheory, suggest

__all__ = [
    "Clause",
    "ConfigurationClause",
    "NameIndex",
    "ReachClause",
    "Reference",
    "Token",
    "normalise_name",
    "parse",
    "tokenize",
]

_TOKEN_PATTERN = re.compile(
    r"(?P<word>[^\W_]+(?:['\u2019][^\W_]+)*)|(?P<space>[\s_\-\u2010\u2011\u2013\u2014]+)|(?P<mark>\S)",
    re.UNICODE,
)
_SENTENCE_ENDS = frozenset({".", ";", "!", "?"})
_LIST_WORDS = frozenset({"and", "&"})


@attrs.frozen
class Token:
    """One word or punctuation mark of a statement.

    Attributes:
        text: The text as written.
        word: The lower-cased form matched against names and keywords (``&`` reads as
            ``and``).
        start: Character offset of the token in the statement.
        end: Offset just past the token.
        is_word: True for a word, False for a punctuation mark.

    Example:
        >>> tokenize("Peer-feedback, then")[1]
        Token(text='feedback', word='feedback', start=5, end=13, is_word=True)
    """

    text: str
    word: str
    start: int
    end: int
    is_word: bool


def tokenize(text: str) -> list[Token]:
    """Split a statement into words and punctuation marks, keeping character positions.

    Whitespace, underscores and hyphens separate words, so ``peer_feedback``,
    ``peer-feedback`` and ``peer feedback`` give the same words.

    Example:
        >>> print(*(token.word for token in tokenize("Audit_data & Peer Feedback.")))
        audit data and peer feedback .
    """
    tokens: list[Token] = []
    for match in _TOKEN_PATTERN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        raw = match.group()
        if kind == "word":
            tokens.append(Token(raw, raw.casefold().replace("\u2019", "'"), *match.span(), True))
        elif raw == "&":
            tokens.append(Token(raw, "and", *match.span(), True))
        else:
            tokens.append(Token(raw, raw, *match.span(), False))
    return tokens


def normalise_name(name: str) -> tuple[str, ...]:
    """Return the words a name is matched by: lower case, no articles, no punctuation.

    A name made only of articles (an element with id ``a``) keeps them, so it can still
    be named.

    Example:
        >>> normalise_name("The Skilled-Helper model")
        ('skilled', 'helper', 'model')
        >>> normalise_name("A")
        ('a',)
    """
    words = tuple(token.word for token in tokenize(name) if token.is_word)
    without_articles = tuple(word for word in words if word not in ARTICLES)
    return without_articles or words


@attrs.frozen
class Reference:
    """An element named in a statement.

    Attributes:
        id: The element's id.
        text: The words that named it, as written.
        position: Character offset of those words in the statement.

    Example:
        >>> Reference("engaged", "Engaged staff", 0).id
        'engaged'
    """

    id: str
    text: str
    position: int


def _ids(references: Sequence[Reference]) -> str:
    return " + ".join(reference.id for reference in references)


@attrs.frozen
class ReachClause:
    """A claim that elements reach other elements: ``A and B enable C``.

    Holds when every source reaches every target through the theory's graph (by an edge
    when ``direct``); a negated clause holds when no source reaches any target.

    Attributes:
        sources: The elements on the left of the verb.
        targets: The elements on the right.
        direct: The statement said ``directly``: an edge is needed, not a path.
        negated: The statement said ``does not`` (or another negation).
        text: The words of the statement this clause comes from.
        position: Character offset of ``text`` in the statement.

    Example:
        >>> import cmokit.examples
        >>> clause = parse(cmokit.examples.hand_hygiene(), "Habit does not lead to blame")[0]
        >>> str(clause)
        'habit ↛ blame'
    """

    sources: tuple[Reference, ...]
    targets: tuple[Reference, ...]
    direct: bool = False
    negated: bool = False
    text: str = ""
    position: int = 0

    def __str__(self) -> str:
        if self.direct:
            arrow = "does not directly reach" if self.negated else "directly reaches"
        else:
            arrow = "↛" if self.negated else "→"
        return f"{_ids(self.sources)} {arrow} {_ids(self.targets)}"


@attrs.frozen
class ConfigurationClause:
    """A claim in the configuration form: ``In <contexts>, <mechanisms> lead to <outcomes>``.

    Holds when, for each outcome, one configuration, or a chain of configurations ending
    at that outcome, has all the named contexts among its contexts and all the named
    mechanisms among its mechanisms (a single configuration when ``direct``).

    Attributes:
        contexts: The elements after ``In``.
        mechanisms: The elements before the verb.
        outcomes: The elements after the verb.
        direct: One configuration must join them, not a chain.
        negated: The statement holds when nothing joins them.
        text: The words of the statement this clause comes from.
        position: Character offset of ``text`` in the statement.

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.hand_hygiene()
        >>> str(parse(theory, "In a steep ward hierarchy, peer feedback leads to blame.")[0])
        'in hierarchy, peer_feedback → blame'
    """

    contexts: tuple[Reference, ...]
    mechanisms: tuple[Reference, ...]
    outcomes: tuple[Reference, ...]
    direct: bool = False
    negated: bool = False
    text: str = ""
    position: int = 0

    def __str__(self) -> str:
        verb = "↛" if self.negated else "→"
        if self.direct:
            verb = "does not directly lead to" if self.negated else "directly leads to"
        return f"in {_ids(self.contexts)}, {_ids(self.mechanisms)} {verb} {_ids(self.outcomes)}"


Clause = ReachClause | ConfigurationClause
"""One checkable claim of a statement."""


class _TrieNode:
    __slots__ = ("children", "names")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        # element id -> the name (id, label or alias) that ends here
        self.names: dict[str, str] = {}


class NameIndex:
    """Every name by which a theory's elements can be referred to, ready for matching.

    Build one per theory and pass it to :func:`parse` to check many statements quickly.

    Args:
        theory: The theory whose element ids, labels and aliases are indexed.

    Example:
        >>> import cmokit.examples
        >>> index = NameIndex(cmokit.examples.hand_hygiene())
        >>> index.lookup("the peer-feedback")
        {'peer_feedback': 'peer_feedback'}
    """

    def __init__(self, theory: ProgrammeTheory) -> None:
        self.theory = theory
        self._root = _TrieNode()
        self._all_names: dict[str, str] = {}
        for element in theory.elements:
            for name in (element.id, element.label, *element.aliases):
                self._add(name, element.id)
        # Names of non-elements, so a statement naming a stage gets a helpful message.
        self._other_items: dict[tuple[str, ...], str] = {}
        for kind, items in (
            ("stage", theory.stages),
            ("theme", theory.themes),
            ("configuration", theory.configurations),
        ):
            for item in items:
                names = [item.id, getattr(item, "label", item.id)]
                for name in names:
                    self._other_items.setdefault(normalise_name(name), f"{kind} {item.id!r}")

    def _add(self, name: str, element_id: str) -> None:
        words = normalise_name(name)
        if not words:
            return
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _TrieNode())
        node.names.setdefault(element_id, name)
        self._all_names.setdefault(name, element_id)

    def lookup(self, name: str) -> dict[str, str]:
        """Return the elements a whole name refers to: element id -> the name matched.

        Example:
            >>> import cmokit.examples
            >>> NameIndex(cmokit.examples.hand_hygiene()).lookup("nothing like it")
            {}
        """
        node: _TrieNode | None = self._root
        for word in normalise_name(name):
            node = node.children.get(word) if node else None
        return dict(node.names) if node else {}

    def match(self, tokens: Sequence[Token], start: int) -> tuple[int, dict[str, str]] | None:
        """Return the end and the elements of the longest name starting at ``tokens[start]``.

        Articles and commas inside the matched words are skipped, so ``the audit data`` and
        ``Cohesive, supportive communities`` match names written without them.

        Example:
            >>> import cmokit.examples
            >>> index = NameIndex(cmokit.examples.hand_hygiene())
            >>> index.match(tokenize("the peer feedback leads"), 0)
            (3, {'peer_feedback': 'peer_feedback'})
        """
        best: tuple[int, dict[str, str]] | None = None
        # Depth-first over (position, node): a word may follow the trie or, when it is an
        # article or a comma, be skipped; the longest complete name wins.
        stack: list[tuple[int, _TrieNode]] = [(start, self._root)]
        while stack:
            position, node = stack.pop()
            if position >= len(tokens):
                continue
            token = tokens[position]
            child = node.children.get(token.word) if token.is_word else None
            if child is not None:
                if child.names and (best is None or position + 1 > best[0]):
                    best = (position + 1, child.names)
                stack.append((position + 1, child))
            skippable = token.word in ARTICLES or (node is not self._root and token.word == ",")
            if skippable:
                stack.append((position + 1, node))
        return best

    def suggestions(self, phrase: str) -> list[str]:
        """Return "did you mean" candidates for a phrase that names no element.

        Close spellings come from :func:`cmokit.theory.suggest`; names that contain all
        the phrase's words are added, since a paper often shortens a label.

        Example:
            >>> import cmokit.examples
            >>> NameIndex(cmokit.examples.hand_hygiene()).suggestions("peer fedback")
            ["'peer_feedback' (Peer feedback)"]
        """
        close = suggest(phrase, self._all_names)
        words = set(normalise_name(phrase))
        containing = [
            name
            for name in self._all_names
            if words and words <= set(normalise_name(name)) and name not in close
        ]
        element_ids: dict[str, None] = {}
        for name in (*close, *containing):
            element_ids.setdefault(self._all_names[name], None)
        return [self.describe(element_id) for element_id in list(element_ids)[:5]]

    def other_item(self, phrase: str) -> str | None:
        """Return what a phrase names when it names a stage, theme or configuration.

        Example:
            >>> import cmokit.examples
            >>> NameIndex(cmokit.examples.hand_hygiene()).other_item("Uptake")
            "stage 'uptake'"
        """
        return self._other_items.get(normalise_name(phrase))

    def describe(self, element_id: str) -> str:
        """Return an element's id with its label, as shown in messages.

        Example:
            >>> import cmokit.examples
            >>> NameIndex(cmokit.examples.hand_hygiene()).describe("habit")
            "'habit' (Habit formation)"
        """
        element = self.theory.get(element_id)
        label = element.label if isinstance(element, Element) else ""
        return f"{element_id!r} ({label})" if label and label != element_id else repr(element_id)


def _phrase_matches(tokens: Sequence[Token], start: int, phrases: Iterable[tuple[str, ...]]) -> int:
    """Return the end of the longest phrase matching at ``start``, or ``start`` for none."""
    best = start
    for phrase in phrases:
        end = start + len(phrase)
        if end <= len(tokens) and end > best:
            window = tokens[start:end]
            if all(t.is_word and t.word == w for t, w in zip(window, phrase, strict=True)):
                best = end
    return best


class _Parser:
    """Recursive descent over the tokens of one statement; see docs/statements.md."""

    def __init__(self, index: NameIndex, text: str) -> None:
        self.index = index
        self.text = text
        self.tokens = tokenize(text)
        self.position = 0
        # The words of the last element read, for messages about what follows it.
        self.last_reference = ""

    # ------------------------------------------------------------------ helpers

    def error(self, message: str, position: int | None = None) -> StatementError:
        if position is None:
            position = self.char_at(self.position)
        return StatementError(message, statement=self.text, position=position)

    def char_at(self, index: int) -> int:
        if index < len(self.tokens):
            return self.tokens[index].start
        return len(self.text.rstrip())

    def current(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def describe_current(self) -> str:
        token = self.current()
        return f"{token.text!r}" if token else "the end of the statement"

    def word_is(self, *words: str) -> bool:
        token = self.current()
        return token is not None and token.word in words

    def skip_fillers(self) -> None:
        while True:
            token = self.current()
            if token is None:
                return
            end = _phrase_matches(self.tokens, self.position, FILLER_PHRASES)
            if end > self.position:
                self.position = end
            elif token.is_word and token.word in FILLER_WORDS:
                self.position += 1
            else:
                return

    def span_text(self, start: int, end: int) -> str:
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    # ------------------------------------------------------------------ grammar

    def parse(self) -> list[Clause]:
        clauses: list[Clause] = []
        while True:
            while self.word_is(*_SENTENCE_ENDS):
                self.position += 1
            if self.current() is None:
                break
            clauses.extend(self.sentence())
            token = self.current()
            if token is not None and token.word not in _SENTENCE_ENDS:
                raise self.error(
                    f"expected the end of the sentence after {self.last_reference!r},"
                    f" found {token.text!r}"
                )
        if not clauses:
            raise self.error("the statement is empty; write e.g. 'A leads to B.'", 0)
        return clauses

    def sentence(self) -> list[Clause]:
        start = self.position
        if self.word_is(*CONFIGURATION_OPENERS):
            try:
                return self.configuration_sentence()
            except StatementError as configuration_error:
                # A name may itself begin with "in" or "when"; try the plain form before
                # reporting, and report whichever reading got further.
                self.position = start
                try:
                    return self.chain_sentence()
                except StatementError as chain_error:
                    if (chain_error.position or 0) > (configuration_error.position or 0):
                        raise chain_error from None
                    raise configuration_error from None
        return self.chain_sentence()

    def chain_sentence(self) -> list[Clause]:
        subject_start = self.position
        subject = self.group()
        clauses: list[Clause] = []
        objects, object_start = self.predicate(subject, subject_start, clauses)
        self.continuations(subject, subject_start, objects, object_start, clauses)
        return clauses

    def configuration_sentence(self) -> list[Clause]:
        start = self.position
        self.position += 1  # the opener: in, where, when
        items, separators = self.listing()
        if "," not in separators:
            raise self.error(
                "the configuration form needs a comma between contexts and mechanisms:"
                " 'In <contexts>, <mechanisms> lead to <outcomes>'"
            )
        split = self.split_contexts(items, separators)
        contexts, mechanisms = tuple(items[:split]), tuple(items[split:])
        direct, negated = self.modifiers()
        direct = self.verb() or direct
        object_start = self.position
        outcomes = self.group()
        clauses: list[Clause] = [
            ConfigurationClause(
                contexts,
                mechanisms,
                outcomes,
                direct=direct,
                negated=negated,
                text=self.span_text(start, self.position),
                position=self.char_at(start),
            )
        ]
        self.continuations(mechanisms, start, outcomes, object_start, clauses)
        return clauses

    def split_contexts(self, items: Sequence[Reference], separators: Sequence[str]) -> int:
        """Where the contexts end: the first comma after which only mechanisms follow.

        Without such a comma, the last comma splits them.
        """
        commas = [index + 1 for index, separator in enumerate(separators) if separator == ","]
        theory = self.index.theory
        for split in commas:
            rest = items[split:]
            if all(theory.kind_of(item.id).value == "mechanism" for item in rest):
                return split
        return commas[-1]

    def continuations(
        self,
        subject: tuple[Reference, ...],
        subject_start: int,
        objects: tuple[Reference, ...],
        object_start: int,
        clauses: list[Clause],
    ) -> None:
        """Read ``, which leads to C`` and ``and leads to C`` after a predicate."""
        while True:
            save = self.position
            self.skip_fillers()
            if self.word_is(","):
                self.position += 1
                self.skip_fillers()
            if self.word_is(*RELATIVE_WORDS):
                self.position += 1
                objects, object_start = self.predicate(objects, object_start, clauses)
            elif self.word_is(*_LIST_WORDS) and self.starts_predicate(self.position + 1):
                self.position += 1
                objects, object_start = self.predicate(subject, subject_start, clauses)
            else:
                self.position = save
                return

    def starts_predicate(self, index: int) -> bool:
        save = self.position
        self.position = index
        try:
            self.skip_fillers()
            start = self.position
            self.modifiers()
            return self.position > start or self.verb_end() > self.position
        finally:
            self.position = save

    def predicate(
        self, subject: tuple[Reference, ...], subject_start: int, clauses: list[Clause]
    ) -> tuple[tuple[Reference, ...], int]:
        """Read ``[directly] [does not] verb <group>`` and add its clause."""
        direct, negated = self.modifiers()
        direct = self.verb() or direct
        object_start = self.position
        objects = self.group()
        clauses.append(
            ReachClause(
                subject,
                objects,
                direct=direct,
                negated=negated,
                text=self.span_text(subject_start, self.position),
                position=self.char_at(subject_start),
            )
        )
        return objects, object_start

    def modifiers(self) -> tuple[bool, bool]:
        direct = negated = False
        while True:
            # Negations first: "can not" is a negation although "can" alone is a filler.
            end = _phrase_matches(self.tokens, self.position, NEGATIONS)
            if end > self.position:
                negated = True
                self.position = end
                continue
            if self.word_is("directly"):
                direct = True
                self.position += 1
                continue
            before = self.position
            self.skip_fillers()
            if self.position == before:
                return direct, negated

    def verb_end(self) -> int:
        """The end of the verb at the current position ("directly" may stand inside it)."""
        words = [
            (index, token.word)
            for index, token in enumerate(self.tokens[self.position :], self.position)
            if token.word != "directly"
        ]
        best = self.position
        for verb in VERBS:
            if len(words) >= len(verb) and all(
                word == expected for (_, word), expected in zip(words, verb, strict=False)
            ):
                end = words[len(verb) - 1][0] + 1
                best = max(best, end)
        return best

    def verb(self) -> bool:
        """Read a verb; return True when ``directly`` stood inside it (``leads directly to``)."""
        end = self.verb_end()
        if end == self.position:
            after = f" after {self.last_reference!r}" if self.last_reference else ""
            message = (
                f"expected a verb such as 'enables' or 'leads to'{after},"
                f" found {self.describe_current()}"
            )
            token = self.current()
            if token is not None and token.word == "or":
                message += "; 'or' is not part of the statement language: write two statements"
            raise self.error(message)
        direct = any(t.word == "directly" for t in self.tokens[self.position : end])
        self.position = end
        return direct

    def listing(self) -> tuple[list[Reference], list[str]]:
        """Read references joined by commas and ``and``; return them and their separators."""
        items = [self.reference()]
        separators: list[str] = []
        while True:
            save = self.position
            separator = ""
            if self.word_is(","):
                separator = ","
                self.position += 1
            if self.word_is(*_LIST_WORDS):
                separator = separator or "and"
                self.position += 1
            if not separator:
                return items, separators
            self.skip_articles()
            token = self.current()
            if self.index.match(self.tokens, self.position) is None and (
                token is None
                or not token.is_word
                or token.word in RELATIVE_WORDS
                or self.starts_predicate(self.position)
            ):
                self.position = save
                return items, separators
            items.append(self.reference())
            separators.append(separator)

    def group(self) -> tuple[Reference, ...]:
        return tuple(self.listing()[0])

    def skip_articles(self) -> None:
        while self.word_is(*ARTICLES) and self.index.match(self.tokens, self.position) is None:
            self.position += 1

    def reference(self) -> Reference:
        self.skip_fillers()
        start = self.position
        found = self.index.match(self.tokens, start)
        if found is None:
            self.skip_articles()
            start = self.position
            found = self.index.match(self.tokens, start)
        if found is None:
            raise self.unknown(start)
        end, names = found
        # Leave a leading article out of the words reported, unless the name needs it.
        while self.tokens[start].word in ARTICLES:
            rest = self.index.match(self.tokens, start + 1)
            if rest is None or rest[0] != end:
                break
            start += 1
        text = self.span_text(start, end)
        self.position = end
        self.last_reference = text
        if len(names) > 1:
            exact = [element_id for element_id in names if element_id == text]
            if len(exact) == 1:
                return Reference(exact[0], text, self.char_at(start))
            candidates = "; ".join(
                f"{self.index.describe(element_id)} by {name!r}"
                for element_id, name in sorted(names.items())
            )
            raise self.error(
                f"{text!r} is ambiguous: it names {candidates}; write an id to choose one",
                self.char_at(start),
            )
        return Reference(next(iter(names)), text, self.char_at(start))

    def unknown(self, start: int) -> StatementError:
        token = self.current()
        if token is None or not token.is_word:
            return self.error(f"expected the name of an element, found {self.describe_current()}")
        end = start
        while end < len(self.tokens):
            word = self.tokens[end]
            if not word.is_word or word.word in _LIST_WORDS or word.word in RELATIVE_WORDS:
                break
            if word.word == "or" or word.word == "directly":
                break
            if end > start and (
                _phrase_matches(self.tokens, end, NEGATIONS) > end or self.starts_predicate(end)
            ):
                break
            end += 1
        phrase = self.span_text(start, max(end, start + 1))
        message = f"no element is named {phrase!r} (by id, label or alias)"
        other = self.index.other_item(phrase)
        if other is not None:
            message += f"; it names {other}, but statements name contexts, mechanisms and outcomes"
        candidates = self.index.suggestions(phrase)
        if candidates:
            message += "; did you mean " + " or ".join(candidates) + "?"
        else:
            message += "; `cmokit show` lists the model's elements"
        return self.error(message, self.char_at(start))


def parse(theory: ProgrammeTheory | NameIndex, text: str) -> tuple[Clause, ...]:
    """Read a statement into clauses whose references are resolved to element ids.

    Args:
        theory: The theory whose names the statement uses, or a :class:`NameIndex` of it
            (faster when reading many statements).
        text: One or more sentences.

    Returns:
        The clauses in the order written: one per verb.

    Raises:
        StatementError: The statement cannot be parsed, or names an element that is unknown
            or ambiguous. The error's ``position`` points at the offending word.

    Example:
        >>> import cmokit.examples
        >>> theory = cmokit.examples.hand_hygiene()
        >>> text = "Audit data enables peer feedback, which leads to engaged."
        >>> for clause in parse(theory, text):
        ...     print(clause)
        audit_data → peer_feedback
        peer_feedback → engaged
    """
    index = theory if isinstance(theory, NameIndex) else NameIndex(theory)
    return tuple(_Parser(index, text).parse())
