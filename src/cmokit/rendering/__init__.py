"""Draw programme theories as publication-quality figures with Graphviz.

:func:`to_graphviz` builds a ``graphviz.Digraph`` (no Graphviz program needed);
:func:`render` writes SVG, PNG, PDF or DOT files, and :func:`to_svg` returns SVG text.
Layout runs the system Graphviz ``dot`` when present, else ``graphviz-pure``
(``pip install cmokit[render]``); see :mod:`cmokit.rendering.engines`.

Example:
    >>> import cmokit.examples
    >>> to_graphviz(cmokit.examples.hand_hygiene()).graph_attr["rankdir"]
    'LR'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmokit.rendering.diagram import DiagramOptions, resolve_options, to_graphviz
from cmokit.rendering.engines import FORMATS, Engine, find_engine, layout

if TYPE_CHECKING:
    from cmokit.model import Figure
    from cmokit.theory import ProgrammeTheory

__all__ = [
    "FORMATS",
    "DiagramOptions",
    "Engine",
    "find_engine",
    "format_of",
    "render",
    "resolve_options",
    "to_graphviz",
    "to_svg",
]

_EXTENSIONS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


def format_of(path: str | os.PathLike[str], format: str | None = None) -> str:
    """Return the output format: ``format`` when given, else the one the file extension names.

    Raises:
        ValueError: The format is unknown, or the extension names none.

    Example:
        >>> format_of("figure1.PNG")
        'png'
        >>> format_of("figure1.txt")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: cannot tell the format of 'figure1.txt' from its extension; ...
    """
    if format is not None:
        chosen = format.lower().lstrip(".")
        chosen = "dot" if chosen == "gv" else chosen
        if chosen not in FORMATS:
            raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        return chosen
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r} from its extension;"
            " use .svg, .png, .pdf or .dot, or give the format"
        )
    return _EXTENSIONS[suffix]


def to_svg(
    theory: ProgrammeTheory,
    *,
    figure: str | Figure | None = None,
    engine: Engine | str | None = None,
    **options: Any,
) -> str:
    """Return the figure as SVG text.

    Args:
        theory: The programme theory to draw.
        figure: A named figure of the theory.
        engine: ``"dot"`` or ``"graphviz-pure"`` (default: whichever is installed).
        **options: Any option of :func:`to_graphviz`.

    Raises:
        EngineNotFoundError: Neither Graphviz program is installed.

    Example:
        >>> import cmokit.examples
        >>> "Peer feedback" in to_svg(cmokit.examples.hand_hygiene())
        True
    """
    graph = to_graphviz(theory, figure=figure, **options)
    return layout(graph.source, "svg", engine).decode("utf-8")


def render(
    theory: ProgrammeTheory,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    figure: str | Figure | None = None,
    engine: Engine | str | None = None,
    **options: Any,
) -> Path:
    """Draw the theory to a file and return its path.

    Args:
        theory: The programme theory to draw.
        path: Where to write; the extension gives the format unless ``format`` is given.
        format: ``"svg"``, ``"png"``, ``"pdf"`` or ``"dot"`` (DOT source: needs no engine).
        figure: A named figure of the theory; explicit options override its settings.
        engine: ``"dot"`` or ``"graphviz-pure"`` (default: ``dot`` if present).
        **options: Any option of :func:`to_graphviz` (``stages``, ``themes``, ``around``,
            ``steps``, ``title``, ``direction``, ``legend``, ``wrap``, ``edge_labels``,
            ``evidence_counts``, ``collapse``).

    Raises:
        EngineNotFoundError: No installed engine writes the format (names both remedies).
        UnknownReferenceError: An unknown figure, stage, theme or element.
        ValueError: An unknown format or option value.

    Example:
        >>> import tempfile, cmokit.examples
        >>> folder = tempfile.mkdtemp()
        >>> render(cmokit.examples.hand_hygiene(), f"{folder}/figure.dot").suffix
        '.dot'
    """
    chosen = format_of(path, format)
    graph = to_graphviz(theory, figure=figure, **options)
    target = Path(path)
    data = graph.source.encode("utf-8") if chosen == "dot" else layout(graph.source, chosen, engine)
    target.write_bytes(data)
    return target
