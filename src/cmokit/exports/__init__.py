"""Exports to the tools evaluators share maps in: one module per format.

========  ===========================================  ==========================
format    module and function                          open it in
========  ===========================================  ==========================
graphml   :func:`~cmokit.exports.graphml.to_graphml`   Gephi, yEd, Cytoscape
json      :func:`~cmokit.exports.node_link.to_node_link_json`  networkx, D3, web tools
mermaid   :func:`~cmokit.exports.mermaid.to_mermaid`   Markdown, GitHub, MkDocs
kumu      :func:`~cmokit.exports.kumu.to_kumu`         Kumu
dagitty   :func:`~cmokit.exports.dagitty.to_dagitty`   dagitty.net, R ``dagitty``
========  ===========================================  ==========================

:func:`export` returns the text of any of them; :func:`export_to` writes a file,
choosing the format from its name when not told.

Example:
    >>> import cmokit.examples
    >>> print(export(cmokit.examples.hand_hygiene(), "dagitty").splitlines()[0])
    dag {
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cmokit._files import write_text_atomically
from cmokit.exports.dagitty import to_dagitty
from cmokit.exports.graphml import to_graphml
from cmokit.exports.kumu import to_kumu
from cmokit.exports.mermaid import to_mermaid
from cmokit.exports.node_link import to_node_link_json

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = [
    "EXPORT_FORMATS",
    "export",
    "export_to",
    "format_for_path",
    "to_dagitty",
    "to_graphml",
    "to_kumu",
    "to_mermaid",
    "to_node_link_json",
]

_WRITERS: dict[str, Callable[[ProgrammeTheory], str]] = {
    "graphml": to_graphml,
    "json": to_node_link_json,
    "mermaid": to_mermaid,
    "kumu": to_kumu,
    "dagitty": to_dagitty,
}

EXPORT_FORMATS: tuple[str, ...] = tuple(_WRITERS)
"""The formats :func:`export` writes."""

# Longest suffix first: ".kumu.json" must win over ".json".
_SUFFIXES = (
    (".kumu.json", "kumu"),
    (".graphml", "graphml"),
    (".json", "json"),
    (".mmd", "mermaid"),
    (".mermaid", "mermaid"),
    (".dagitty", "dagitty"),
    (".dag", "dagitty"),
)


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """Return the export format a file name implies, or ``None`` when it implies none.

    ``.graphml``; ``.json`` (node-link) but ``.kumu.json`` (Kumu); ``.mmd`` or
    ``.mermaid``; ``.dagitty`` or ``.dag``.

    Example:
        >>> format_for_path("map.kumu.json"), format_for_path("graph.json")
        ('kumu', 'json')
        >>> format_for_path("notes.txt") is None
        True
    """
    name = Path(os.fspath(path)).name.lower()
    for suffix, format in _SUFFIXES:
        if name.endswith(suffix):
            return format
    return None


def export(theory: ProgrammeTheory, format: str) -> str:
    """Return the theory exported as text in one of :data:`EXPORT_FORMATS`.

    Raises:
        ValueError: ``format`` is not one of :data:`EXPORT_FORMATS`.

    Example:
        >>> import cmokit.examples
        >>> export(cmokit.examples.hand_hygiene(), "mermaid").splitlines()[0]
        'flowchart LR'
    """
    writer = _WRITERS.get(format)
    if writer is None:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {format!r}")
    return writer(theory)


def export_to(
    theory: ProgrammeTheory, path: str | os.PathLike[str], format: str | None = None
) -> None:
    """Write the theory exported to a file, replacing it in one step when complete.

    Args:
        theory: The theory.
        path: The file to write (UTF-8).
        format: One of :data:`EXPORT_FORMATS`; by default the one the file name implies
            (see :func:`format_for_path`).

    Raises:
        ValueError: No format was given and the file name implies none, or the format is
            unknown.
        OSError: The file cannot be written; an existing file is left as it was.

    Example:
        >>> import cmokit.examples, pathlib, tempfile
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "theory.graphml"
        >>> export_to(cmokit.examples.hand_hygiene(), target)
        >>> "<graphml" in target.read_text(encoding="utf-8")
        True
    """
    name = os.fspath(path)
    if format is None:
        format = format_for_path(name)
        if format is None:
            raise ValueError(
                f"{name}: cannot tell the export format from the file name; give one of"
                f" {', '.join(EXPORT_FORMATS)}"
            )
    write_text_atomically(name, export(theory, format))
