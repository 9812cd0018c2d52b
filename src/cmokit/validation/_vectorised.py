"""The graph rules' shared walk done with NumPy arrays, for large acyclic theories.

A theory of tens of thousands of configurations has hundreds of thousands of edges, and
walking them one by one in Python (building each element's list of targets, then peeling
them in topological order) is most of what validating it costs. Here each element id is
numbered once, the edges become two integer arrays, and the peeling goes a whole layer of
elements at a time, so the per-edge work runs in NumPy. The Python walk in
:meth:`cmokit.validation.rules.TheoryIndex.graph_facts` stays the reference: this one
gives the same :class:`~cmokit.validation.rules.GraphFacts` or none at all (a theory with
a cycle, or one so deep that layer after layer would cost more than the Python walk), and
the caller then walks in Python. NumPy is imported only when a theory is large enough.

The same numbers serve the configuration facts and three narrower questions some rules
ask of a large theory: which elements the chosen configurations name (:func:`named_by`,
for CMO021), which configurations generate given outcomes (:func:`generating`, for CMO030)
and which draw an edge back to an earlier stage (``GraphFacts.drawing_back``, for CMO032).
Each rule's plain reading stays the reference for small theories, and tests compare the two.

Example:
    >>> import cmokit.examples
    >>> from cmokit.validation.rules import TheoryIndex
    >>> index = TheoryIndex(cmokit.examples.hand_hygiene())
    >>> facts = graph_facts(index, encode(index))
    >>> facts._replace(drawing_back=None) == index.graph_facts  # the same, and more
    True
    >>> facts.drawing_back  # no configuration draws an edge back to an earlier stage
    []
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from cmokit._fields import CONTEXTS as _CONTEXTS
from cmokit._fields import MECHANISMS as _MECHANISMS
from cmokit._fields import OUTCOMES as _OUTCOMES
from cmokit._fields import STAGE as _STAGE
from cmokit._fields import THEME as _THEME

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from cmokit.validation.rules import ConfigurationFacts, GraphFacts, TheoryIndex

    _Ints = npt.NDArray[np.int64]

__all__ = [
    "MAX_LAYERS",
    "Columns",
    "configuration_facts",
    "encode",
    "generating",
    "graph_facts",
    "named_by",
]

MAX_LAYERS = 256
"""The deepest theory (in layers of peeling) walked here; deeper ones are walked in Python."""

_flatten = itertools.chain.from_iterable


class Columns(NamedTuple):
    """A theory's element ids numbered, and its configurations' roles as numbers.

    Attributes:
        ids: The element ids, contexts first, then mechanisms, then outcomes; an id's
            number is its position here.
        number: Element id -> its number.
        contexts: Each configuration's context numbers, end to end, and how many each has.
        mechanisms: The same for mechanisms.
        outcomes: The same for outcomes.
    """

    ids: list[str]
    number: Callable[[str], int]
    contexts: tuple[_Ints, _Ints]
    mechanisms: tuple[_Ints, _Ints]
    outcomes: tuple[_Ints, _Ints]


def encode(index: TheoryIndex) -> Columns:
    """Number the theory's element ids and write its configurations' roles as numbers.

    Looking up every id a configuration names is the one step here that reads the ids
    themselves; both functions below work on these numbers.

    Example:
        >>> import cmokit.examples
        >>> from cmokit.validation.rules import TheoryIndex
        >>> columns = encode(TheoryIndex(cmokit.examples.hand_hygiene()))
        >>> columns.contexts[1].tolist()  # how many contexts each configuration has
        [1, 1, 1]
    """
    import numpy as np

    ids = list(index.kinds)  # contexts, then mechanisms, then outcomes: theory.elements
    number = dict(zip(ids, range(len(ids)), strict=True)).__getitem__
    configurations = index.configurations
    size = len(configurations)

    def column(role: operator.attrgetter[tuple[str, ...]]) -> tuple[_Ints, _Ints]:
        lengths = np.fromiter(map(len, map(role, configurations)), np.int64, size)
        numbers = np.fromiter(
            map(number, _flatten(map(role, configurations))), np.int64, int(lengths.sum())
        )
        return numbers, lengths

    return Columns(ids, number, column(_CONTEXTS), column(_MECHANISMS), column(_OUTCOMES))


def named_by(columns: Columns, chosen: list[bool]) -> npt.NDArray[np.bool_]:
    """Flags by element number: whether a chosen configuration names the element.

    ``chosen`` has a flag for each configuration, in order.

    Example:
        >>> import cmokit.examples
        >>> from cmokit.validation.rules import TheoryIndex
        >>> columns = encode(TheoryIndex(cmokit.examples.hand_hygiene()))
        >>> named = named_by(columns, [True, False, False])  # the first configuration only
        >>> sorted(columns.ids[number] for number in named.nonzero()[0].tolist())
        ['audit_data', 'engaged', 'peer_feedback']
    """
    import numpy as np

    flags = np.array(chosen, np.bool_)
    named = np.zeros(len(columns.ids), np.bool_)
    for numbers, counts in (columns.contexts, columns.mechanisms, columns.outcomes):
        named[numbers[np.repeat(flags, counts)]] = True
    return named


def generating(columns: Columns, outcome_ids: set[str]) -> list[int]:
    """The positions of the configurations generating one of ``outcome_ids``, in order.

    Example:
        >>> import cmokit.examples
        >>> from cmokit.validation.rules import TheoryIndex
        >>> columns = encode(TheoryIndex(cmokit.examples.hand_hygiene()))
        >>> generating(columns, {"compliance"})
        [1]
    """
    import numpy as np

    wanted = np.zeros(len(columns.ids), np.bool_)
    wanted[list(map(columns.number, outcome_ids))] = True
    numbers, counts = columns.outcomes
    owner = np.repeat(np.arange(counts.size), counts)
    positions: list[int] = _distinct(owner[wanted[numbers]], counts.size).tolist()
    return positions


def configuration_facts(index: TheoryIndex, columns: Columns) -> ConfigurationFacts:
    """What :attr:`TheoryIndex.configuration_facts` gives, from the numbered roles.

    Each role's set is made from its distinct numbers, so each id is read once, not once
    per configuration naming it.

    Example:
        >>> import cmokit.examples
        >>> from cmokit.validation.rules import TheoryIndex
        >>> index = TheoryIndex(cmokit.examples.hand_hygiene())
        >>> configuration_facts(index, encode(index)) == index.configuration_facts
        True
    """
    import numpy as np

    from cmokit.validation.rules import ConfigurationFacts

    ids = columns.ids
    configurations = index.configurations

    def named(numbers: _Ints) -> set[str]:
        return set(map(ids.__getitem__, _distinct(numbers, len(ids)).tolist()))

    (contexts, context_counts), (mechanisms, mechanism_counts), (outcomes, outcome_counts) = (
        columns.contexts,
        columns.mechanisms,
        columns.outcomes,
    )
    as_context, as_mechanism, generated = named(contexts), named(mechanisms), named(outcomes)
    consumed = as_context | as_mechanism
    firing = mechanism_counts > 0
    idle = list(itertools.compress(configurations, (~firing).tolist()))
    # Without idle configurations every generated outcome is explained.
    explained = named(outcomes[np.repeat(firing, outcome_counts)]) if idle else generated
    # Triggered directly: the mechanisms of configurations with a context of kind context
    # (numbered first) among their contexts.
    kind_context = (contexts < len(index.theory._contexts)).astype(np.int64)
    owner = np.repeat(np.arange(len(configurations)), context_counts)
    with_context = np.bincount(owner, weights=kind_context, minlength=len(configurations)) > 0
    triggered = named(mechanisms[np.repeat(firing & with_context, mechanism_counts)])
    return ConfigurationFacts(
        configured=consumed | generated,
        consumed=consumed,
        explained=explained,
        triggered=triggered,
        themes=set(map(_THEME, configurations)),
        as_context=as_context,
        as_mechanism=as_mechanism,
        idle=idle,
    )


def graph_facts(index: TheoryIndex, columns: Columns) -> GraphFacts | None:
    """The graph rules' facts for an acyclic theory, or None to walk it in Python.

    Example:
        >>> import cmokit.examples
        >>> from cmokit.validation.rules import TheoryIndex
        >>> index = TheoryIndex(cmokit.examples.hand_hygiene())
        >>> sorted(graph_facts(index, encode(index)).reached)[:3]
        ['audit_data', 'blame', 'compliance']
        >>> mentorship = TheoryIndex(cmokit.examples.mentorship())  # it has cycles
        >>> graph_facts(mentorship, encode(mentorship)) is None
        True
    """
    import numpy as np

    from cmokit.validation.rules import GraphFacts

    theory = index.theory
    ids, number = columns.ids, columns.number
    count = len(ids)
    contexts, mechanisms, outcomes = columns.contexts, columns.mechanisms, columns.outcomes
    links = theory.links
    drawn_from, drawn_to, drawn_by = _pairs(contexts, mechanisms)
    fed_from, fed_to, fed_by = _pairs(mechanisms, outcomes)
    link_sources = np.fromiter((number(link.source) for link in links), np.int64, len(links))
    link_targets = np.fromiter((number(link.target) for link in links), np.int64, len(links))
    source = np.concatenate([drawn_from, fed_from, link_sources])
    target = np.concatenate([drawn_to, fed_to, link_targets])

    stage_order = index.stage_order
    last = len(stage_order)
    first = theory.stages[0].id if theory.stages else None
    elements = theory.elements
    # No stage (None, never a key) ranks last, with the elements of stages not in order.
    rank = np.fromiter(
        map(stage_order.get, map(_STAGE, elements), itertools.repeat(last)), np.int64, count
    )
    reached = rank == 0 if first is not None else np.zeros(count, np.bool_)

    # Edges grouped by source (compressed rows), then Kahn's peeling a layer at a time: a
    # layer's elements have every edge into them followed, so whether each is reached from
    # the first stage is settled before its own edges are followed.
    order = np.argsort(source)  # the order of a source's edges does not matter here
    by_source, to_target = source[order], target[order]
    row_start = np.searchsorted(by_source, np.arange(count + 1))
    incoming = np.bincount(target, minlength=count)
    layer = np.flatnonzero(incoming == 0)
    peeled = layer.size
    for _ in range(MAX_LAYERS + 1):  # the last turn only finds that no layer is left
        if not layer.size:
            break
        starts, ends = row_start[layer], row_start[layer + 1]
        sizes = ends - starts
        edges = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
        followed_from, followed_to = by_source[edges], to_target[edges]
        reached[followed_to[reached[followed_from]]] = True
        incoming -= np.bincount(followed_to, minlength=count)
        layer = _distinct(followed_to[incoming[followed_to] == 0], count)
        peeled += layer.size
    else:
        return None  # deeper than MAX_LAYERS: the Python walk is cheaper
    if peeled != count:
        return None  # a cycle: the Python walk names what peeling leaves

    leading_back: set[str] = set()
    drawing_back: list[int] = []
    if last >= 2:
        back = (rank[source] > rank[target]) & (rank[source] < last)
        leading_back.update(map(ids.__getitem__, _distinct(source[back], count).tolist()))
        # The configurations drawing those edges (the pairs come first, links last).
        drawn_back = back[: drawn_by.size], back[drawn_by.size : drawn_by.size + fed_by.size]
        makers = np.concatenate([drawn_by[drawn_back[0]], fed_by[drawn_back[1]]])
        drawing_back = _distinct(makers, len(index.configurations)).tolist()
    reached_ids = set(itertools.compress(ids, reached.tolist())) if first is not None else set()
    return GraphFacts(
        reached=reached_ids,
        on_cycles=set(),
        leading_back=leading_back,
        stage_rank=dict(zip(ids, rank.tolist(), strict=True)),
        drawing_back=drawing_back,
    )


def _pairs(left: tuple[_Ints, _Ints], right: tuple[_Ints, _Ints]) -> tuple[_Ints, _Ints, _Ints]:
    """Every (left id, right id) pair of each configuration: the edges that role pair draws.

    ``left`` and ``right`` are columns as ``graph_facts`` makes them (ids end to end, and
    each configuration's count); a configuration with ``a`` ids on the left and ``b`` on the
    right draws ``a * b`` edges, none when either is empty. The third array gives each
    pair's configuration (its position).

    Example:
        >>> import numpy as np
        >>> left = np.array([1, 2, 3]), np.array([2, 0, 1])  # [1, 2], [], [3]
        >>> right = np.array([7, 8, 9]), np.array([1, 1, 1])  # [7], [8], [9]
        >>> [pairs.tolist() for pairs in _pairs(left, right)]
        [[1, 2, 3], [7, 7, 9], [0, 0, 2]]
    """
    import numpy as np

    left_ids, left_counts = left
    right_ids, right_counts = right
    per_configuration = left_counts * right_counts
    total = int(per_configuration.sum())
    configuration = np.repeat(np.arange(per_configuration.size), per_configuration)
    first_pair = np.cumsum(per_configuration) - per_configuration
    within = np.arange(total) - np.repeat(first_pair, per_configuration)
    width = right_counts[configuration]  # never 0: such configurations draw no pair
    left_start = (np.cumsum(left_counts) - left_counts)[configuration]
    right_start = (np.cumsum(right_counts) - right_counts)[configuration]
    return (
        left_ids[left_start + within // width],
        right_ids[right_start + within % width],
        configuration,
    )


def _distinct(numbers: _Ints, count: int) -> _Ints:
    """The distinct numbers among ``numbers`` (each below ``count``), in increasing order.

    What ``numpy.unique`` gives, by marking each number in a table of ``count`` flags
    rather than sorting: linear, and many times faster for the numbers of a theory.

    Example:
        >>> import numpy as np
        >>> _distinct(np.array([4, 1, 4, 0]), 6).tolist()
        [0, 1, 4]
    """
    import numpy as np

    seen = np.zeros(count, np.bool_)
    seen[numbers] = True
    return np.flatnonzero(seen)
