"""What every ``cmokit`` command shares: exit codes, loading, error reporting."""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Iterator
from pathlib import Path

from cmokit.exceptions import CmokitError, LoadError
from cmokit.fileformat import load
from cmokit.theory import ProgrammeTheory

__all__ = ["ExitCode", "UsageError", "load_model", "report_error", "writing"]


class ExitCode(enum.IntEnum):
    """The exit status of every cmokit command."""

    OK = 0
    """Done, and nothing is wrong."""
    PROBLEMS = 1
    """The model or a statement has problems (validation findings, a statement that fails)."""
    UNUSABLE = 2
    """Unusable input or usage: missing file, malformed file, unknown reference, bad option."""


class UsageError(CmokitError):
    """A command was given something it cannot use; reported on stderr, exit status 2."""


def report_error(err: CmokitError) -> None:
    """Print a cmokit error to stderr, one problem a line, as ``path:line: message``."""
    if isinstance(err, LoadError):
        for problem in err.problems:
            print(str(problem), file=sys.stderr)
    else:
        print(f"cmokit: error: {err}", file=sys.stderr)


def load_model(path: str) -> ProgrammeTheory:
    """Load a model file named on the command line."""
    return load(Path(path))


@contextlib.contextmanager
def writing(path: str) -> Iterator[None]:
    """Report a failure to write ``path`` as a usage error, ``path: cannot write: reason``.

    A missing folder, a folder in the file's place or a read-only target is the user's to
    fix, not a crash: every command that writes a file wraps the writing in this.
    """
    try:
        yield
    except OSError as err:
        raise UsageError(f"{path}: cannot write: {err.strerror or err}") from err
