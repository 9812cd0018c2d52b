"""Node-link JSON, the form networkx, D3 and many web tools read.

The document has ``directed`` (true), ``multigraph`` (false), ``graph`` (``title`` and
``description``), ``nodes`` and ``edges``. Each node has ``id`` and the attributes
``label``, ``kind``, ``stage``, ``themes``, ``configurations``, ``tags``,
``description``, ``resource``, ``reasoning`` and ``outcome_kind``, lists kept as JSON
arrays and unset values as ``null``. Each edge has ``source``, ``target``,
``configurations``, ``links`` and ``kind``. ``networkx.node_link_graph`` reads it back.

Example:
    >>> import cmokit.examples, json, networkx as nx
    >>> data = json.loads(to_node_link_json(cmokit.examples.hand_hygiene()))
    >>> graph = nx.node_link_graph(data)
    >>> graph.nodes["engaged"]["themes"]
    ['safety']
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cmokit.exports._attributes import edge_attributes, node_attributes

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = ["node_link_data", "to_node_link_json"]


def node_link_data(theory: ProgrammeTheory) -> dict[str, Any]:
    """Return the node-link document as Python data (what :func:`to_node_link_json` writes).

    Example:
        >>> import cmokit.examples
        >>> data = node_link_data(cmokit.examples.hand_hygiene())
        >>> data["edges"][0]["source"], data["edges"][0]["configurations"]
        ('audit_data', ['CMOC1'])
    """
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"title": theory.title, "description": theory.description},
        "nodes": [
            {"id": node, **attributes} for node, attributes in node_attributes(theory).items()
        ],
        "edges": [
            {"source": source, "target": target, **attributes}
            for source, target, attributes in edge_attributes(theory)
        ],
    }


def to_node_link_json(theory: ProgrammeTheory) -> str:
    """Return the theory's graph as node-link JSON text (UTF-8, indented).

    Example:
        >>> import cmokit.examples, json
        >>> data = json.loads(to_node_link_json(cmokit.examples.hand_hygiene()))
        >>> [node["id"] for node in data["nodes"] if node["kind"] == "outcome"]
        ['engaged', 'compliance', 'blame']
    """
    return json.dumps(node_link_data(theory), indent=2, ensure_ascii=False) + "\n"
