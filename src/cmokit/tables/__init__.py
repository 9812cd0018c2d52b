"""Tables: a theory as pandas DataFrames and back, printed summaries, spreadsheet import.

- :mod:`cmokit.tables.frames`: :func:`to_frames` and its exact inverse :func:`from_frames`.
- :mod:`cmokit.tables.summaries`: the tables realist papers print
  (:func:`configuration_table`, :func:`evidence_table`, :func:`case_matrix`).
- :mod:`cmokit.tables.spreadsheet`: :func:`import_table`, for the one-row-per-configuration
  spreadsheets researchers keep by hand.
- :mod:`cmokit.tables.formats`: a DataFrame as Markdown, LaTeX, HTML or CSV text.

pandas is imported inside the functions that need it, so importing this package is cheap.

Example:
    >>> import cmokit.examples
    >>> from cmokit.tables import from_frames, to_frames
    >>> theory = cmokit.examples.hand_hygiene()
    >>> from_frames(to_frames(theory)) == theory
    True
"""

from cmokit.tables.formats import TABLE_FORMATS, format_table
from cmokit.tables.frames import FRAME_COLUMNS, from_frames, to_frames
from cmokit.tables.spreadsheet import CreatedItem, ImportReport, import_records, import_table
from cmokit.tables.summaries import case_matrix, configuration_table, evidence_table

__all__ = [
    "FRAME_COLUMNS",
    "TABLE_FORMATS",
    "CreatedItem",
    "ImportReport",
    "case_matrix",
    "configuration_table",
    "evidence_table",
    "format_table",
    "from_frames",
    "import_records",
    "import_table",
    "to_frames",
]
