"""Statement files: a model path and one statement per line, for pytest and ``cmokit check``.

A statement file looks like this (the format is described in docs/statements.md)::

    # Claims of the hand hygiene theory that must stay true.
    model: ../models/hand_hygiene.yaml

    Audit data enables peer feedback, which leads to engaged.
    Blame does not lead to compliance.   # feedback felt as blame is a dead end

Example:
    >>> statements = parse_statement_file("model: m.yaml\\n# a comment\\n\\nA leads to B.\\n")
    >>> statements.model, [(s.line, s.text) for s in statements.statements]
    ('m.yaml', [(4, 'A leads to B.')])
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from cmokit.exceptions import LoadError, Problem

__all__ = ["STATEMENT_FILE_PATTERN", "StatementFile", "StatementLine", "parse_statement_file"]

STATEMENT_FILE_PATTERN = "*.cmo"
"""The file names the pytest plugin collects unless ``cmokit_statement_files`` says otherwise."""

_MODEL_LINE = re.compile(r"^model\s*:\s*(?P<path>.*?)\s*$", re.IGNORECASE)
# A comment starts at "#" at the start of a line or after whitespace.
_COMMENT = re.compile(r"(^|\s)#.*$")


@attrs.frozen
class StatementLine:
    """One statement of a statement file.

    Attributes:
        line: Its line number, from 1.
        text: The statement, without comment and surrounding spaces.

    Example:
        >>> StatementLine(3, "A leads to B.").line
        3
    """

    line: int
    text: str


@attrs.frozen
class StatementFile:
    """The contents of a statement file.

    Attributes:
        model: The model path as written on the ``model:`` line (``None`` when the file has
            none and none was required).
        statements: The statements, in file order.
        path: The file's path, when read from a file.

    Example:
        >>> parse_statement_file("model: m.yaml\\nA leads to B.").model_path()
        PosixPath('m.yaml')
    """

    model: str | None
    statements: tuple[StatementLine, ...]
    path: str | None = None

    def model_path(self) -> Path | None:
        """The model path resolved against the statement file's folder.

        Example:
            >>> parse_statement_file("model: m.yaml", path="tests/a.cmo").model_path()
            PosixPath('tests/m.yaml')
        """
        if self.model is None:
            return None
        model = Path(self.model).expanduser()
        if self.path is not None and not model.is_absolute():
            model = Path(self.path).parent / model
        return model


def parse_statement_file(
    text: str, *, path: str | None = None, require_model: bool = True
) -> StatementFile:
    """Read the text of a statement file.

    Args:
        text: The file's text.
        path: The file's path, for messages and for resolving the model path.
        require_model: Whether the ``model:`` line must be there (``cmokit check --file``
            names the model on the command line instead).

    Raises:
        LoadError: No ``model:`` line before the first statement, an empty model path, or a
            second ``model:`` line; each problem names the file and line.

    Example:
        >>> try:
        ...     parse_statement_file("A leads to B.", path="s.cmo")
        ... except LoadError as err:
        ...     print(err.problems[0].line, err.problems[0].message[:48])
        1 a statement file must start with a 'model: path/
    """
    model: str | None = None
    model_line: int | None = None
    statements: list[StatementLine] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        content = _COMMENT.sub("", raw).strip()
        if not content:
            continue
        found = _MODEL_LINE.match(content)
        if found is not None:
            if model_line is not None:
                problems.append(
                    Problem(
                        f"a second 'model:' line (the first is on line {model_line});"
                        " a statement file checks one model",
                        path=path,
                        line=number,
                    )
                )
            elif statements:
                problems.append(
                    Problem(
                        "the 'model:' line must come before the first statement",
                        path=path,
                        line=number,
                    )
                )
            elif not found.group("path"):
                problems.append(
                    Problem(
                        "'model:' needs a path, e.g. 'model: model.yaml'", path=path, line=number
                    )
                )
            else:
                model, model_line = found.group("path"), number
            continue
        if model_line is None and require_model and not statements and not problems:
            problems.append(
                Problem(
                    "a statement file must start with a 'model: path/to/model.yaml' line"
                    f" (relative to the file); found {content!r}",
                    path=path,
                    line=number,
                )
            )
        statements.append(StatementLine(number, content))
    if require_model and model is None and not problems:
        problems.append(
            Problem("the statement file has no 'model: path/to/model.yaml' line", path=path, line=1)
        )
    if problems:
        raise LoadError(problems)
    return StatementFile(model, tuple(statements), path)
