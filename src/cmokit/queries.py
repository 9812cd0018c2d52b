"""Queries over a programme theory's graph: neighbourhoods, paths, explanations, selections.

The functions here back the query methods of :class:`~cmokit.ProgrammeTheory`; call them
through the theory (``theory.explain("compliance")``). Their result types live here.

Example:
    >>> import cmokit.examples
    >>> theory = cmokit.examples.hand_hygiene()
    >>> explanation = theory.explain("compliance")
    >>> explanation.chains[0].configurations
    ('CMOC1', 'CMOC2')
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs
import networkx as nx

from cmokit.exceptions import UnknownReferenceError
from cmokit.model import (
    Configuration,
    Context,
    ElementKind,
    Evidence,
    Mechanism,
    Outcome,
)

if TYPE_CHECKING:
    import pandas as pd

    from cmokit.theory import ProgrammeTheory

__all__ = ["Chain", "ChainStep", "Explanation"]


@attrs.frozen
class ChainStep:
    """One configuration in an explanatory chain.

    Attributes:
        configuration: The configuration's id.
        contexts: Its context ids (a chained outcome among them where the chain enters).
        mechanisms: Its mechanism ids.
        outcome: The outcome this step hands on (the explained outcome at the last step).

    Example:
        >>> import cmokit.examples
        >>> first = cmokit.examples.hand_hygiene().explain("compliance").chains[0].steps[0]
        >>> (first.configuration, first.outcome)
        ('CMOC1', 'engaged')
    """

    configuration: str
    contexts: tuple[str, ...]
    mechanisms: tuple[str, ...]
    outcome: str


@attrs.frozen
class Chain:
    """A sequence of configurations, each one's outcome feeding the next, ending at an outcome.

    Example:
        >>> import cmokit.examples
        >>> chain = cmokit.examples.hand_hygiene().explain("compliance").chains[0]
        >>> chain.path
        ('audit_data', 'peer_feedback', 'engaged', 'habit', 'compliance')
    """

    steps: tuple[ChainStep, ...]

    @property
    def configurations(self) -> tuple[str, ...]:
        """The configuration ids, first cause first.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().explain("compliance").chains[0].configurations
            ('CMOC1', 'CMOC2')
        """
        return tuple(step.configuration for step in self.steps)

    @property
    def path(self) -> tuple[str, ...]:
        """The element ids along the chain: contexts, mechanisms, outcome, and so on.

        Where the chain enters a step through a chained outcome, that outcome stands once;
        the step's other contexts are left out of the path (they are in ``steps``).
        """
        path: list[str] = []
        for index, step in enumerate(self.steps):
            if index == 0:
                path.extend(step.contexts)
            path.extend(step.mechanisms)
            path.append(step.outcome)
        return tuple(path)

    def __str__(self) -> str:
        parts: list[str] = []
        for index, step in enumerate(self.steps):
            if index == 0 and step.contexts:
                parts.append(" + ".join(step.contexts))
            if step.mechanisms:
                parts.append(" + ".join(step.mechanisms))
            parts.append(step.outcome)
        return " → ".join(parts)


@attrs.frozen
class Explanation:
    """The answer to "what explains this outcome?".

    Attributes:
        outcome: The outcome explained.
        chains: Every explanatory chain found, shortest first.
        truncated: True when the chain limit cut the answer short.

    Example:
        >>> import cmokit.examples
        >>> print(cmokit.examples.hand_hygiene().explain("compliance"))
        compliance: 1 chain(s)
          audit_data → peer_feedback → engaged → habit → compliance
    """

    outcome: str
    chains: tuple[Chain, ...]
    truncated: bool = False

    @property
    def configurations(self) -> tuple[str, ...]:
        """Every configuration taking part in some chain, without repeats.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().explain("compliance").configurations
            ('CMOC1', 'CMOC2')
        """
        seen: dict[str, None] = {}
        for chain in self.chains:
            seen.update(dict.fromkeys(chain.configurations))
        return tuple(seen)

    @property
    def roots(self) -> tuple[str, ...]:
        """The contexts where the chains start, without repeats.

        Example:
            >>> import cmokit.examples
            >>> cmokit.examples.hand_hygiene().explain("compliance").roots
            ('audit_data',)
        """
        seen: dict[str, None] = {}
        for chain in self.chains:
            seen.update(dict.fromkeys(chain.steps[0].contexts))
        return tuple(seen)

    def __bool__(self) -> bool:
        return bool(self.chains)

    def __str__(self) -> str:
        lines = [f"{self.outcome}: {len(self.chains)} chain(s)"]
        lines += [f"  {chain}" for chain in self.chains]
        if self.truncated:
            lines.append("  (stopped at the chain limit; more chains exist)")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per chain step.

        Columns: ``chain`` (0-based chain number), ``step`` (0-based position),
        ``configuration``, ``contexts`` (list), ``mechanisms`` (list), ``outcome``.

        Example:
            >>> import cmokit.examples
            >>> frame = cmokit.examples.hand_hygiene().explain("compliance").to_frame()
            >>> list(frame["configuration"])
            ['CMOC1', 'CMOC2']
        """
        import pandas as pd

        rows = [
            {
                "chain": number,
                "step": index,
                "configuration": step.configuration,
                "contexts": list(step.contexts),
                "mechanisms": list(step.mechanisms),
                "outcome": step.outcome,
            }
            for number, chain in enumerate(self.chains)
            for index, step in enumerate(chain.steps)
        ]
        columns = ["chain", "step", "configuration", "contexts", "mechanisms", "outcome"]
        return pd.DataFrame(rows, columns=columns)


def _require_element(theory: ProgrammeTheory, element_id: str) -> None:
    theory.element(element_id)


def neighbourhood(
    theory: ProgrammeTheory, element_id: str, steps: int | None, *, reverse: bool
) -> tuple[str, ...]:
    """Breadth-first ids reachable from (or reaching) an element, nearest first."""
    _require_element(theory, element_id)
    if steps is not None and steps < 0:
        raise ValueError(f"steps must be >= 0, not {steps}")
    graph = theory._graph
    adjacency = graph._pred if reverse else graph._succ
    seen = {element_id: 0}
    order: list[str] = []
    queue = deque([element_id])
    while queue:
        node = queue.popleft()
        depth = seen[node]
        if steps is not None and depth >= steps:
            continue
        for neighbour in adjacency[node]:
            if neighbour not in seen:
                seen[neighbour] = depth + 1
                order.append(neighbour)
                queue.append(neighbour)
    return tuple(order)


def simple_paths(
    theory: ProgrammeTheory,
    source: str,
    target: str,
    *,
    cutoff: int | None = None,
    limit: int | None = None,
) -> list[tuple[str, ...]]:
    """Simple paths from ``source`` to ``target``, shortest first."""
    _require_element(theory, source)
    _require_element(theory, target)
    if source == target:
        return [(source,)]
    generator = nx.all_simple_paths(theory._graph, source, target, cutoff=cutoff)
    found = [tuple(p) for p in itertools.islice(generator, limit)]
    found.sort(key=len)
    return found


def explain(theory: ProgrammeTheory, outcome_id: str, *, limit: int = 1000) -> Explanation:
    """Follow configurations back from an outcome through chained outcomes."""
    if outcome_id not in theory._outcomes:
        from cmokit.theory import suggest

        raise UnknownReferenceError(
            outcome_id, suggestions=suggest(outcome_id, theory._outcomes)
        ) from None
    configurations = theory._configurations
    producers = theory._producers_of()
    chains: list[Chain] = []
    truncated = False

    # Depth-first over configurations; each partial chain is a list of steps, last cause
    # first. `on_path` keeps cycles from looping forever.
    stack: list[tuple[list[ChainStep], frozenset[str]]] = []
    for config_id in producers.get(outcome_id, ()):
        config = configurations[config_id]
        step = ChainStep(config_id, config.contexts, config.mechanisms, outcome_id)
        stack.append(([step], frozenset((config_id,))))
    while stack:
        if len(chains) >= limit:
            truncated = True
            break
        partial, on_path = stack.pop()
        head = configurations[partial[-1].configuration]
        extended = False
        for entry in (*head.contexts, *head.mechanisms):
            for producer_id in producers.get(entry, ()):
                if producer_id in on_path:
                    continue
                producer = configurations[producer_id]
                step = ChainStep(producer_id, producer.contexts, producer.mechanisms, entry)
                stack.append(([*partial, step], on_path | {producer_id}))
                extended = True
        if not extended:
            chains.append(Chain(tuple(reversed(partial))))
    chains.sort(key=lambda chain: len(chain.steps))
    return Explanation(outcome_id, tuple(chains), truncated)


def select(
    theory: ProgrammeTheory,
    *,
    kind: ElementKind | str | None = None,
    stage: str | None = None,
    theme: str | None = None,
    tag: str | None = None,
) -> tuple[Context | Mechanism | Outcome, ...]:
    """Elements matching every criterion given."""
    candidates: Iterable[Context | Mechanism | Outcome]
    if kind is None:
        candidates = theory.elements
    else:
        wanted = ElementKind(kind)
        if wanted is ElementKind.CONTEXT:
            candidates = theory.contexts
        elif wanted is ElementKind.MECHANISM:
            candidates = theory.mechanisms
        else:
            candidates = theory.outcomes
    if stage is not None:
        theory._require(stage, theory._stages, "stage")
        candidates = [e for e in candidates if e.stage == stage]
    if theme is not None:
        in_theme = set(theory.elements_in_theme(theme))
        candidates = [e for e in candidates if e.id in in_theme]
    if tag is not None:
        candidates = [e for e in candidates if tag in e.tags]
    return tuple(candidates)


def subtheory(
    theory: ProgrammeTheory,
    *,
    stages: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    around: str | None = None,
    steps: int | None = None,
) -> ProgrammeTheory:
    """A smaller theory holding the elements that pass every filter given."""
    from cmokit.theory import ProgrammeTheory

    keep: dict[str, None] = {e.id: None for e in theory.elements}
    stage_ids = None if stages is None else tuple(stages)
    theme_ids = None if themes is None else dict.fromkeys(themes)
    if stage_ids is not None:
        for stage_id in stage_ids:
            theory._require(stage_id, theory._stages, "stage")
        wanted = set(stage_ids)
        keep = {k: None for k in keep if theory.element(k).stage in wanted}
    if theme_ids is not None:
        for theme_id in theme_ids:
            theory._require(theme_id, theory._themes, "theme")
        in_themes: set[str] = set()
        for theme_id in theme_ids:
            in_themes.update(theory.elements_in_theme(theme_id))
        keep = {k: None for k in keep if k in in_themes}
    if around is not None:
        _require_element(theory, around)
        radius = 1 if steps is None else steps
        near = _undirected_ball(theory, around, radius)
        keep = {k: None for k in keep if k in near}

    result = ProgrammeTheory(
        theory.title, description=theory.description, source=theory.source, meta=theory.meta
    )
    used_stages = {theory.element(k).stage for k in keep}
    for stage in theory.stages:
        if stage.id in used_stages or (stage_ids is not None and stage.id in stage_ids):
            result._insert(stage)
    kept_configs: list[Configuration] = []
    for config in theory.configurations:
        if theme_ids is not None and config.theme not in theme_ids:
            continue
        trimmed = attrs.evolve(
            config,
            contexts=[c for c in config.contexts if c in keep],
            mechanisms=[m for m in config.mechanisms if m in keep],
            outcomes=[o for o in config.outcomes if o in keep],
        )
        if trimmed.elements:
            kept_configs.append(trimmed)
    used_themes = {c.theme for c in kept_configs}
    for theme in theory.themes:
        if theme.id in used_themes or (theme_ids is not None and theme.id in theme_ids):
            result._insert(theme)
    for element in theory.elements:
        if element.id in keep:
            result._insert(element)
    for config in kept_configs:
        if config.theme is not None and config.theme not in result._themes:
            config = attrs.evolve(config, theme=None)
        result._insert(config)
    for link in theory.links:
        if link.source in keep and link.target in keep:
            result._insert(link)
    kept_ids = set(keep) | {c.id for c in kept_configs}
    for item in theory.evidence:
        about = [ref for ref in item.about if ref in kept_ids]
        if about:
            result._insert(_evolve_evidence(item, about))
    return result


def _evolve_evidence(item: Evidence, about: list[str]) -> Evidence:
    return item if list(item.about) == about else attrs.evolve(item, about=about)


def _undirected_ball(theory: ProgrammeTheory, start: str, radius: int) -> set[str]:
    graph = theory._graph
    seen = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if seen[node] >= radius:
            continue
        for neighbour in itertools.chain(graph._succ[node], graph._pred[node]):
            if neighbour not in seen:
                seen[neighbour] = seen[node] + 1
                queue.append(neighbour)
    return set(seen)
