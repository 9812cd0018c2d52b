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

Example:
    >>> import cmokit.examples
    >>> from cmokit.validation.rules import TheoryIndex
    >>> index = TheoryIndex(cmokit.examples.hand_hygiene())
    >>> graph_facts(index) == index.graph_facts
    True
"""

from __future__ import annotations

import itertools
import operator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from cmokit.validation.rules import GraphFacts, TheoryIndex

    _Ints = npt.NDArray[np.int64]

__all__ = ["MAX_LAYERS", "graph_facts"]

MAX_LAYERS = 256
"""The deepest theory (in layers of peeling) walked here; deeper ones are walked in Python."""

_CONTEXTS = operator.attrgetter("contexts")
_MECHANISMS = operator.attrgetter("mechanisms")
_OUTCOMES = operator.attrgetter("outcomes")
_flatten = itertools.chain.from_iterable


def graph_facts(index: TheoryIndex) -> GraphFacts | None:
    """The graph rules' facts for an acyclic theory, or None to walk it in Python.

    Example:
        >>> import cmokit.examples
        >>> from cmokit.validation.rules import TheoryIndex
        >>> sorted(graph_facts(TheoryIndex(cmokit.examples.hand_hygiene())).leading_back)
        ['habit']
    """
    import numpy as np

    from cmokit.validation.rules import GraphFacts

    theory = index.theory
    ids = list(index.kinds)  # contexts, then mechanisms, then outcomes: theory.elements
    count = len(ids)
    number = dict(zip(ids, range(count), strict=True)).__getitem__
    configurations = index.configurations

    def column(role: operator.attrgetter[tuple[str, ...]]) -> tuple[_Ints, _Ints]:
        """One role's ids, numbered, all configurations end to end, and each one's count."""
        lengths = np.fromiter(map(len, map(role, configurations)), np.int64, len(configurations))
        numbers = np.fromiter(
            map(number, _flatten(map(role, configurations))), np.int64, int(lengths.sum())
        )
        return numbers, lengths

    contexts, mechanisms, outcomes = (column(role) for role in (_CONTEXTS, _MECHANISMS, _OUTCOMES))
    links = theory.links
    drawn_from, drawn_to = _pairs(contexts, mechanisms)
    fed_from, fed_to = _pairs(mechanisms, outcomes)
    link_sources = np.fromiter((number(link.source) for link in links), np.int64, len(links))
    link_targets = np.fromiter((number(link.target) for link in links), np.int64, len(links))
    source = np.concatenate([drawn_from, fed_from, link_sources])
    target = np.concatenate([drawn_to, fed_to, link_targets])

    stage_order = index.stage_order
    last = len(stage_order)
    first = theory.stages[0].id if theory.stages else None
    elements = theory.elements
    stages = [element.stage for element in elements]
    rank = np.fromiter(
        (last if stage is None else stage_order.get(stage, last) for stage in stages),
        np.int64,
        count,
    )
    reached = np.fromiter(
        (stage == first and stage is not None for stage in stages), np.bool_, count
    )

    # Edges grouped by source (compressed rows), then Kahn's peeling a layer at a time: a
    # layer's elements have every edge into them followed, so whether each is reached from
    # the first stage is settled before its own edges are followed.
    order = np.argsort(source, kind="stable")
    by_source, to_target = source[order], target[order]
    row_start = np.searchsorted(by_source, np.arange(count + 1))
    incoming = np.bincount(target, minlength=count)
    layer = np.flatnonzero(incoming == 0)
    peeled = layer.size
    for _ in range(MAX_LAYERS):
        if not layer.size:
            break
        starts, ends = row_start[layer], row_start[layer + 1]
        sizes = ends - starts
        edges = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
        followed_from, followed_to = by_source[edges], to_target[edges]
        reached[followed_to[reached[followed_from]]] = True
        incoming -= np.bincount(followed_to, minlength=count)
        layer = np.unique(followed_to[incoming[followed_to] == 0])
        peeled += layer.size
    else:
        return None  # deeper than MAX_LAYERS: the Python walk is cheaper
    if peeled != count:
        return None  # a cycle: the Python walk names what peeling leaves

    leading_back: set[str] = set()
    if last >= 2:
        back = (rank[source] > rank[target]) & (rank[source] < last)
        leading_back.update(map(ids.__getitem__, np.unique(source[back]).tolist()))
    reached_ids = set(itertools.compress(ids, reached.tolist())) if first is not None else set()
    return GraphFacts(
        reached=reached_ids,
        on_cycles=set(),
        leading_back=leading_back,
        stage_rank=dict(zip(ids, rank.tolist(), strict=True)),
    )


def _pairs(left: tuple[_Ints, _Ints], right: tuple[_Ints, _Ints]) -> tuple[_Ints, _Ints]:
    """Every (left id, right id) pair of each configuration: the edges that role pair draws.

    ``left`` and ``right`` are columns as ``graph_facts`` makes them (ids end to end, and
    each configuration's count); a configuration with ``a`` ids on the left and ``b`` on the
    right draws ``a * b`` edges, none when either is empty.
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
    return left_ids[left_start + within // width], right_ids[right_start + within % width]
