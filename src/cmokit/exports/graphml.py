"""GraphML for Gephi, yEd and Cytoscape.

Nodes are element ids with the attributes ``label``, ``kind`` (``context``,
``mechanism``, ``outcome``), ``stage``, ``themes``, ``configurations``, ``tags``,
``description``, ``resource``, ``reasoning`` and ``outcome_kind``; edges carry
``configurations``, ``links``, ``kind`` and ``label`` (a caption: configuration ids, then
link labels). GraphML attributes must be single values, so list-valued ones (``themes``,
``configurations``, ``tags``, ``links``) are joined with ``;``; unset ones are left out.
XML escaping is done by the XML writer; the control characters XML 1.0 cannot hold at all
are replaced by U+FFFD (see :func:`xml_safe`).

Example:
    >>> import cmokit.examples, io, networkx as nx
    >>> text = to_graphml(cmokit.examples.hand_hygiene())
    >>> graph = nx.read_graphml(io.StringIO(text))
    >>> graph.nodes["habit"]["kind"], graph.nodes["peer_feedback"]["configurations"]
    ('mechanism', 'CMOC1;CMOC3')
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import networkx as nx

from cmokit.exports._attributes import edge_attributes, edge_caption, node_attributes

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = ["LIST_SEPARATOR", "to_graphml", "xml_safe"]

LIST_SEPARATOR = ";"
"""What joins the values of a list-valued attribute in GraphML."""


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Return text with the characters XML 1.0 forbids replaced by U+FFFD.

    Example:
        >>> xml_safe("bell" + chr(7) + " & tab") == "bell" + chr(0xFFFD) + " & tab"
        True
    """
    return _NOT_IN_XML.sub("\ufffd", text)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    return xml_safe(value) if isinstance(value, str) else value


def to_graphml(theory: ProgrammeTheory) -> str:
    """Return the theory's graph as GraphML text.

    See the module documentation for the attributes. Open the file in Gephi (File >
    Open), Cytoscape (File > Import > Network from File) or yEd (then map the ``label``
    attribute to node labels with Edit > Properties Mapper).

    Example:
        >>> import cmokit.examples
        >>> to_graphml(cmokit.examples.hand_hygiene()).splitlines()[0]
        "<?xml version='1.0' encoding='utf-8'?>"
    """
    graph = nx.DiGraph()
    graph.graph["title"] = xml_safe(theory.title)
    for node, attributes in node_attributes(theory).items():
        graph.add_node(
            xml_safe(node),
            **{k: _scalar(v) for k, v in attributes.items() if v is not None and v != []},
        )
    for source, target, attributes in edge_attributes(theory):
        data = {k: _scalar(v) for k, v in attributes.items() if v != []}
        data["label"] = xml_safe(edge_caption(attributes))
        graph.add_edge(xml_safe(source), xml_safe(target), **data)
    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")
