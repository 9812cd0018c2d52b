"""Kumu blueprints: JSON with ``elements`` and ``connections`` to drop onto a Kumu map.

Each element has ``id`` (the element id), ``label``, ``type`` (``Context``, ``Mechanism``
or ``Outcome``), ``description``, ``tags`` (the element's tags) and the custom fields
``stage``, ``themes``, ``configurations``, ``resource``, ``reasoning`` and
``outcome kind`` where set. Each connection has ``id``, ``from`` and ``to`` (element ids,
so elements sharing a label stay apart), ``type`` (``configuration``, ``link`` or
``configuration+link``), ``direction`` (``directed``), ``label`` (configuration ids and
link labels) and ``configurations``. Kumu wants ids unique across elements and
connections; connection ids are ``source -> target``, made unique where needed. JSON
escaping is done by the JSON writer.

Example:
    >>> import cmokit.examples, json
    >>> blueprint = json.loads(to_kumu(cmokit.examples.hand_hygiene()))
    >>> blueprint["elements"][2]["type"], blueprint["connections"][0]["from"]
    ('Mechanism', 'audit_data')
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cmokit.exports._attributes import edge_attributes, edge_caption, node_attributes

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = ["kumu_blueprint", "to_kumu"]

_CUSTOM_FIELDS = {
    "stage": "stage",
    "themes": "themes",
    "configurations": "configurations",
    "resource": "resource",
    "reasoning": "reasoning",
    "outcome_kind": "outcome kind",
}


def kumu_blueprint(theory: ProgrammeTheory) -> dict[str, Any]:
    """Return the Kumu blueprint as Python data (what :func:`to_kumu` writes).

    Example:
        >>> import cmokit.examples
        >>> blueprint = kumu_blueprint(cmokit.examples.hand_hygiene())
        >>> blueprint["elements"][1]["tags"]
        ['barrier']
    """
    elements = []
    for node, attributes in node_attributes(theory).items():
        element: dict[str, Any] = {
            "id": node,
            "label": attributes["label"],
            "type": attributes["kind"].capitalize(),
            "tags": attributes["tags"],
        }
        if attributes["description"] is not None:
            element["description"] = attributes["description"]
        for key, field in _CUSTOM_FIELDS.items():
            if attributes[key] not in (None, []):
                element[field] = attributes[key]
        elements.append(element)
    taken = {element["id"] for element in elements}
    connections = []
    for source, target, attributes in edge_attributes(theory):
        connection_id = f"{source} -> {target}"
        while connection_id in taken:
            connection_id += "'"
        taken.add(connection_id)
        connections.append(
            {
                "id": connection_id,
                "from": source,
                "to": target,
                "type": attributes["kind"],
                "direction": "directed",
                "label": edge_caption(attributes),
                "configurations": attributes["configurations"],
            }
        )
    return {"elements": elements, "connections": connections}


def to_kumu(theory: ProgrammeTheory) -> str:
    """Return the theory as a Kumu blueprint (JSON text).

    In Kumu, open a map and drag the ``.json`` file onto it (or use Import > JSON).

    Example:
        >>> import cmokit.examples, json
        >>> blueprint = json.loads(to_kumu(cmokit.examples.hand_hygiene()))
        >>> len(blueprint["elements"]), len(blueprint["connections"])
        (7, 7)
    """
    return json.dumps(kumu_blueprint(theory), indent=2, ensure_ascii=False) + "\n"
