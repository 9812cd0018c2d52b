"""Write a text file in one step, so a failed write never damages the file it replaces."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_text_atomically"]


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line ends, replacing it when complete.

    The text goes to a temporary file in the same folder, is flushed to disk, and then
    replaces the target with one rename; the target keeps its permissions. On any failure
    the temporary file is removed and the target is left as it was.

    Raises:
        OSError: The folder is missing or not writable, or ``path`` is a folder.

    Example:
        >>> import pathlib, tempfile
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
        >>> write_text_atomically(target, "first\\n")
        >>> target.read_text(encoding="utf-8")
        'first\\n'
    """
    target = Path(os.fspath(path))
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
