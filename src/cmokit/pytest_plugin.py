"""A pytest plugin that runs statement files: one test item per configuration statement.

Installed with cmokit (entry point ``pytest11``), it collects files named ``*.cmo`` (change
the patterns with the ``cmokit_statement_files`` ini option). Each file names a model on
its first line and holds one statement per line; each statement becomes a test item named
by its line, e.g. ``tests/claims.cmo::line 4``, which passes when the statement holds and
fails with the missing link when it does not. The file format is in docs/statements.md.

Example:
    >>> from cmokit.pytest_plugin import StatementItem
    >>> StatementItem.__name__
    'StatementItem'
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import pytest

from cmokit.exceptions import CmokitError, LoadError, Problem, StatementError
from cmokit.statements import CheckResult, NameIndex, check
from cmokit.statements.files import STATEMENT_FILE_PATTERN, StatementFile, parse_statement_file

__all__ = ["StatementFailure", "StatementFileCollector", "StatementItem"]

_INI_NAME = "cmokit_statement_files"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``cmokit_statement_files`` ini option (glob patterns of statement files)."""
    parser.addini(
        _INI_NAME,
        type="args",
        default=[STATEMENT_FILE_PATTERN],
        help="glob patterns of cmokit statement files to collect (default: *.cmo)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> StatementFileCollector | None:
    """Collect a file whose name matches one of the statement file patterns."""
    patterns: list[str] = parent.config.getini(_INI_NAME)
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns) and _is_text(
        file_path
    ):
        collector: StatementFileCollector = StatementFileCollector.from_parent(
            parent, path=file_path
        )
        return collector
    return None


def _is_text(path: Path) -> bool:
    """Whether a file looks like text: OCaml also writes ``.cmo`` files, as binaries."""
    try:
        with path.open("rb") as file:
            head = file.read(4096)
    except OSError:
        return False
    return b"\0" not in head


class StatementFailure(AssertionError):
    """A statement of a statement file does not hold.

    Attributes:
        result: The check result, with the reason of each failing clause.

    Example:
        >>> import cmokit, cmokit.examples
        >>> result = cmokit.check(cmokit.examples.hand_hygiene(), "Habit leads to blame.")
        >>> print(StatementFailure(result))  # doctest: +ELLIPSIS
        statement does not hold: Habit leads to blame.
          habit → blame: no path from habit to blame; ...
    """

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        lines = [f"statement does not hold: {result.statement}"]
        lines += [f"  {clause}" for clause in result.failures]
        super().__init__("\n".join(lines))


class StatementFileCollector(pytest.File):
    """A statement file: reads it, loads its model once, yields one item per statement."""

    def _read(self) -> StatementFile:
        text = self.path.read_text(encoding="utf-8")
        return parse_statement_file(text, path=str(self.path))

    def collect(self) -> list[StatementItem]:
        """Yield one :class:`StatementItem` per statement line."""
        contents = self._read()
        self._model_path = contents.model_path()
        self._index: NameIndex | CmokitError | None = None
        return [
            StatementItem.from_parent(
                self, name=f"line {statement.line}", statement=statement.text, line=statement.line
            )
            for statement in contents.statements
        ]

    def name_index(self) -> NameIndex:
        """Load the model the first time an item needs it; reuse it (or its error) after."""
        if self._index is None:
            from cmokit.fileformat import load

            try:
                self._index = NameIndex(load(self._model_path))  # type: ignore[arg-type]
            except CmokitError as err:
                self._index = err
            except OSError as err:
                message = f"cannot read the model {str(self._model_path)!r}: {err.strerror}"
                self._index = LoadError([Problem(message, path=str(self.path))])
        if isinstance(self._index, CmokitError):
            raise self._index
        return self._index

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        """Show a malformed statement file as its problems, without a traceback."""
        if isinstance(excinfo.value, CmokitError):
            return str(excinfo.value)
        if isinstance(excinfo.value, UnicodeDecodeError):
            return f"{self.path}: not a UTF-8 text file: {excinfo.value.reason}"
        return super().repr_failure(excinfo)


class StatementItem(pytest.Item):
    """One statement of a statement file, run as a test."""

    def __init__(self, *, statement: str, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.statement = statement
        self.line = line

    def runtest(self) -> None:
        """Check the statement; fail with the reason when it does not hold."""
        assert isinstance(self.parent, StatementFileCollector)
        result = check(self.parent.name_index(), self.statement)
        if not result.holds:
            raise StatementFailure(result)

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        """Show why the statement failed, instead of a traceback into cmokit."""
        error = excinfo.value
        where = f"{self.path}:{self.line}"
        if isinstance(error, StatementFailure):
            return f"{where}: {error}"
        if isinstance(error, StatementError):
            return f"{where}: cannot check this statement: {error}"
        if isinstance(error, CmokitError):
            return f"{where}: cannot load the model for this statement:\n{error}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the item is: the file, its line (from 0) and the statement."""
        return self.path, self.line - 1, f"{self.name}: {self.statement}"
