"""A DataFrame as text to paste into a paper or a page: Markdown, LaTeX, HTML or CSV.

Markdown and LaTeX are written here rather than through pandas, whose ``to_markdown``
needs the ``tabulate`` package and whose ``to_latex`` needs ``jinja2``: cmokit needs
neither. Cell text is escaped for each format; missing values print as empty cells and
list cells as their items joined with ``"; "``.

Example:
    >>> import pandas as pd
    >>> print(format_table(pd.DataFrame({"a": ["x|y"], "b": [None]}), "markdown"))
    | a    | b   |
    |------|-----|
    | x\\|y |     |
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLE_FORMATS", "format_table"]

TABLE_FORMATS = ("markdown", "csv", "latex", "html")
"""The formats :func:`format_table` writes."""

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell_text(item) for item in value)
    return str(value)


def _shows_index(frame: pd.DataFrame) -> bool:
    """A named or non-default index carries meaning (e.g. the case matrix's rows)."""
    import pandas as pd

    if frame.index.name is not None:
        return True
    return not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0)


def _grid(frame: pd.DataFrame, headers: Mapping[str, str]) -> tuple[list[str], list[list[str]]]:
    columns = [headers.get(str(c), str(c)) for c in frame.columns]
    show_index = _shows_index(frame)
    if show_index:
        columns.insert(0, headers.get(str(frame.index.name), str(frame.index.name or "")))
    rows = []
    for label, values in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        cells = [_cell_text(v) for v in values]
        if show_index:
            cells.insert(0, _cell_text(label))
        rows.append(cells)
    return columns, rows


def _markdown_escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    # A line break would end the table row; Markdown tables have no multi-line cells.
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _markdown(columns: list[str], rows: list[list[str]]) -> str:
    header = [_markdown_escape(c) for c in columns]
    body = [[_markdown_escape(c) for c in row] for row in rows]
    widths = [max(3, len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in body)])


def _latex_escape(text: str) -> str:
    text = "".join(_LATEX_SPECIALS.get(char, char) for char in text)
    return " ".join(text.split())


def _latex(columns: list[str], rows: list[list[str]]) -> str:
    # p-columns wrap long statements; booktabs rules are what journals ask for.
    spec = "".join("l" if i == 0 else "p{0.2\\linewidth}" for i in range(len(columns)))
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule"]
    lines.append(" & ".join(_latex_escape(c) for c in columns) + " \\\\")
    lines.append("\\midrule")
    lines.extend(" & ".join(_latex_escape(c) for c in row) + " \\\\" for row in rows)
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines)


def format_table(
    frame: pd.DataFrame, format: str, *, headers: Mapping[str, str] | None = None
) -> str:
    """Return a DataFrame as text in one of :data:`TABLE_FORMATS`.

    Args:
        frame: The table. A named or non-default index is printed as the first column.
        format: ``"markdown"`` (a GitHub-style pipe table), ``"csv"``, ``"latex"`` (a
            ``tabular`` with ``booktabs`` rules: add ``\\usepackage{booktabs}``) or
            ``"html"`` (a ``<table>``).
        headers: Display names for columns, e.g. ``{"statement": "Statement"}``; CSV
            keeps the column names as they are, for reading back.

    Raises:
        ValueError: ``format`` is not one of :data:`TABLE_FORMATS`.

    Example:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"id": ["CMOC1"], "statement": ["50% & more"]})
        >>> print(format_table(frame, "latex", headers={"id": "ID"}))
        \\begin{tabular}{lp{0.2\\linewidth}}
        \\toprule
        ID & statement \\\\
        \\midrule
        CMOC1 & 50\\% \\& more \\\\
        \\bottomrule
        \\end{tabular}
    """
    if format not in TABLE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(TABLE_FORMATS)}, not {format!r}")
    if format == "csv":
        text = frame.map(_cell_text).to_csv(index=_shows_index(frame), lineterminator="\n")
        return text.rstrip("\n")
    columns, rows = _grid(frame, headers or {})
    if format == "markdown":
        return _markdown(columns, rows)
    if format == "latex":
        return _latex(columns, rows)
    import pandas as pd

    shown = pd.DataFrame(rows, columns=columns, dtype=object)
    # to_html escapes &, < and > in cells and headers itself.
    return str(shown.to_html(index=False, border=0, escape=True))
