"""Mermaid flowcharts, for Markdown files, GitHub pages and MkDocs.

One ``subgraph`` per stage, in the theory's stage order and titled with the stage's
label; elements without a stage stand outside every subgraph. Contexts are drawn as
rectangles, mechanisms as stadiums and outcomes as rounded boxes, each kind with its own
class (``context``, ``mechanism``, ``outcome``) for styling. Configuration edges are
solid arrows labelled with configuration ids; an edge made only by explicit links is
dotted and labelled with the link labels.

Mermaid node ids may only use letters, digits and ``_`` and must not be keywords, so
element ids that are not like that get a safe stand-in (``n1``, ``n2``...); the label
always shows the element's own label. Label text is quoted; ``"``, ``#``, ``<``, ``>``,
``&`` and backticks are written as Mermaid entity codes (``#quot;`` and so on), and line
breaks and runs of spaces as one space.

Example:
    >>> import cmokit.examples
    >>> print(to_mermaid(cmokit.examples.hand_hygiene()))  # doctest: +ELLIPSIS
    flowchart LR
        subgraph stage_uptake["Uptake"]
            audit_data["Ward has regular audit data"]:::context
    ...
        audit_data -->|"CMOC1"| peer_feedback
    ...
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cmokit.exports._attributes import edge_attributes, edge_caption

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = ["escape_label", "to_mermaid"]

_SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Words Mermaid's flowchart grammar reads as keywords wherever a node id could stand.
_KEYWORDS = frozenset(
    {
        "end",
        "graph",
        "flowchart",
        "subgraph",
        "direction",
        "style",
        "class",
        "classdef",
        "click",
        "linkstyle",
        "call",
        "href",
        "default",
    }
)
_SHAPES = {"context": ('["', '"]'), "mechanism": ('(["', '"])'), "outcome": ('("', '")')}
# A backtick would start a Markdown string; the others end the label or read as HTML.
_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
}
_CLASS_STYLES = {
    "context": "fill:#e8f1fb,stroke:#3a6ea5",
    "mechanism": "fill:#fdf1dc,stroke:#b8860b",
    "outcome": "fill:#e6f4ea,stroke:#2e7d32",
}


def escape_label(text: str) -> str:
    """Return text safe inside a quoted Mermaid label.

    Example:
        >>> escape_label('Say "no" & <mean> it #1')
        'Say #quot;no#quot; #amp; #lt;mean#gt; it #35;1'
    """
    escaped = "".join(_ENTITIES.get(char, char) for char in text)
    return " ".join(escaped.split())


def _node_ids(element_ids: list[str], reserved: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    used = set(reserved)
    for number, element_id in enumerate(element_ids, start=1):
        name = element_id
        if not _SAFE_ID.fullmatch(name) or name.lower() in _KEYWORDS or name in used:
            name = f"n{number}"
            while name in used or name in element_ids:
                name += "_"
        used.add(name)
        names[element_id] = name
    return names


def to_mermaid(theory: ProgrammeTheory, *, direction: str = "LR") -> str:
    """Return the theory's graph as a Mermaid flowchart.

    Args:
        theory: The theory.
        direction: ``LR`` (left to right), ``TB``, ``RL`` or ``BT``.

    Raises:
        ValueError: ``direction`` is not one of those.

    Example:
        >>> import cmokit.examples
        >>> text = to_mermaid(cmokit.examples.hand_hygiene(), direction="TB")
        >>> [line.strip() for line in text.splitlines() if "subgraph" in line]
        ['subgraph stage_uptake["Uptake"]', 'subgraph stage_practice["Practice"]']
    """
    if direction not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"direction must be LR, TB, RL or BT, not {direction!r}")
    stage_names: dict[str, str] = {}
    for number, stage in enumerate(theory.stages, start=1):
        name = f"stage_{stage.id}"
        if not _SAFE_ID.fullmatch(name) or name in stage_names.values():
            name = f"stage_{number}"
        stage_names[stage.id] = name
    elements = list(theory.elements)
    names = _node_ids([e.id for e in elements], set(stage_names.values()))
    lines = [f"flowchart {direction}"]

    def node_line(element_id: str, indent: str) -> str:
        element = theory.element(element_id)
        kind = element.element_kind.value
        opening, closing = _SHAPES[kind]
        return (
            f"{indent}{names[element_id]}{opening}{escape_label(element.label)}{closing}:::{kind}"
        )

    for stage in theory.stages:
        lines.append(f'    subgraph {stage_names[stage.id]}["{escape_label(stage.label)}"]')
        for element in elements:
            if element.stage == stage.id:
                lines.append(node_line(element.id, "        "))
        lines.append("    end")
    for element in elements:
        if element.stage is None:
            lines.append(node_line(element.id, "    "))
    for source, target, attributes in edge_attributes(theory):
        arrow = "-->" if attributes["configurations"] else "-.->"
        caption = edge_caption(attributes)
        label = f'|"{escape_label(caption)}"|' if caption else ""
        lines.append(f"    {names[source]} {arrow}{label} {names[target]}")
    for kind, style in _CLASS_STYLES.items():
        lines.append(f"    classDef {kind} {style}")
    return "\n".join(lines) + "\n"
