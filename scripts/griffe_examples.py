"""Griffe extension for the API docs: read ``Example:`` sections as doctest examples.

cmokit's docstrings follow the house style and head their doctests ``Example:``. Griffe's
Google-style parser only treats ``Examples:`` (plural) as an examples section; the singular
becomes an admonition whose ``>>>`` lines Markdown then renders as nested quotes. This
extension renames the heading before the docstring is parsed, so the examples render as
Python code in every module's API page.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Turn ``Example:`` headings into ``Examples:`` so Griffe parses them as examples."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _EXAMPLE_HEADING.sub(r"\1Examples:", obj.docstring.value)
