"""What every export says about an element and an edge, gathered in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cmokit.model import Mechanism, Outcome

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = ["edge_attributes", "node_attributes"]


def node_attributes(theory: ProgrammeTheory) -> dict[str, dict[str, Any]]:
    """Element id -> its attributes, in the theory's element order.

    Keys: ``label``, ``kind``, ``stage`` (or None), ``themes`` and ``configurations``
    (ids, in theory order, of the themes and configurations the element takes part in),
    ``tags``, ``description``, ``resource``, ``reasoning``, ``outcome_kind``.
    """
    theme_rank = {theme.id: position for position, theme in enumerate(theory.themes)}
    result: dict[str, dict[str, Any]] = {}
    for element in theory.elements:
        configurations = theory.configurations_with(element.id)
        themes = {c.theme: None for c in configurations if c.theme is not None}
        result[element.id] = {
            "label": element.label,
            "kind": element.element_kind.value,
            "stage": element.stage,
            "themes": sorted(themes, key=lambda theme: theme_rank.get(theme, 0)),
            "configurations": [c.id for c in configurations],
            "tags": list(element.tags),
            "description": element.description,
            "resource": element.resource if isinstance(element, Mechanism) else None,
            "reasoning": element.reasoning if isinstance(element, Mechanism) else None,
            "outcome_kind": element.kind.value if isinstance(element, Outcome) else None,
        }
    return result


def edge_attributes(theory: ProgrammeTheory) -> list[tuple[str, str, dict[str, Any]]]:
    """(source, target, attributes) of every edge of the theory's graph.

    Attributes: ``configurations`` (ids of the configurations making the edge), ``links``
    (labels of explicit links, ``None`` for an unlabelled one) and ``kind``
    (``"configuration"``, ``"link"`` or ``"configuration+link"``).
    """
    edges = []
    for source, target, data in theory.graph_view.edges(data=True):
        configurations = list(data["configurations"])
        links = list(data["links"])
        kinds = ["configuration"] if configurations else []
        kinds += ["link"] if links else []
        edges.append(
            (
                source,
                target,
                {"configurations": configurations, "links": links, "kind": "+".join(kinds)},
            )
        )
    return edges


def edge_caption(attributes: dict[str, Any]) -> str:
    """A short text for an edge: its configuration ids, then its link labels."""
    parts = list(attributes["configurations"])
    parts += [label for label in attributes["links"] if label]
    return ", ".join(parts)
