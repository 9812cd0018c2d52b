"""Run a Graphviz layout program: every subprocess cmokit starts is started here.

Two programs can lay out a figure: the system Graphviz ``dot`` (``apt-get install graphviz``,
``brew install graphviz``...) and ``graphviz-pure``, a self-contained port of the ``dot``
command line installed from PyPI with ``pip install cmokit[render]``. ``dot`` is preferred
when both are present. Writing DOT source needs neither.

Example:
    >>> Engine("graphviz-pure").formats
    ('svg', 'png', 'dot')
    >>> "pdf" in Engine.DOT.formats
    True
"""

from __future__ import annotations

import enum
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cmokit.exceptions import CmokitError, EngineNotFoundError

__all__ = ["FORMATS", "Engine", "find_engine", "layout", "missing_engine_message"]

FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "dot")
"""Output formats cmokit writes; ``dot`` is the DOT source itself and needs no engine."""

_TIMEOUT_SECONDS = 120


class Engine(enum.Enum):
    """A Graphviz layout program cmokit knows how to run.

    Example:
        >>> Engine.DOT.program
        'dot'
    """

    DOT = "dot"
    GRAPHVIZ_PURE = "graphviz-pure"

    @property
    def program(self) -> str:
        """The name of the program on PATH."""
        return self.value

    @property
    def formats(self) -> tuple[str, ...]:
        """The output formats this engine can write."""
        if self is Engine.GRAPHVIZ_PURE:
            return ("svg", "png", "dot")  # graphviz-pure 0.2 writes no PDF
        return FORMATS


def missing_engine_message(wanted: Engine | None = None, format: str | None = None) -> str:
    """Return the message of the error raised when no engine can draw a figure.

    Example:
        >>> print(missing_engine_message())  # doctest: +NORMALIZE_WHITESPACE
        no Graphviz layout program found: neither 'dot' nor 'graphviz-pure' is on PATH.
        Install one: the system Graphviz (e.g. 'apt-get install graphviz' or
        'brew install graphviz') or the pip-only engine ('pip install cmokit[render]').
        Writing a .dot file needs neither.
    """
    if wanted is not None:
        head = f"the Graphviz layout program {wanted.program!r} is not on PATH."
    else:
        head = "no Graphviz layout program found: neither 'dot' nor 'graphviz-pure' is on PATH."
    if format is not None:
        return (
            f"no Graphviz layout program that writes {format.upper()} found: {format.upper()}"
            " needs the system Graphviz 'dot' (e.g. 'apt-get install graphviz' or"
            " 'brew install graphviz').\nThe pip-only engine ('pip install cmokit[render]')"
            " writes SVG and PNG. Writing a .dot file needs neither."
        )
    return (
        f"{head}\nInstall one: the system Graphviz (e.g. 'apt-get install graphviz' or"
        " 'brew install graphviz') or the pip-only engine ('pip install cmokit[render]')."
        "\nWriting a .dot file needs neither."
    )


def _search_path() -> str:
    """PATH, then the folder of this Python's scripts: a venv that is not activated counts."""
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    return os.pathsep.join(part for part in (path, scripts) if part)


def _which(engine: Engine) -> str | None:
    return shutil.which(engine.program, path=_search_path())


def find_engine(engine: Engine | str | None = None, *, format: str = "svg") -> tuple[Engine, str]:
    """Return the engine to use and the path of its program.

    Args:
        engine: The engine to use, or ``None`` for ``dot`` if present, else ``graphviz-pure``.
        format: The output format wanted; an engine that cannot write it is passed over.

    Raises:
        EngineNotFoundError: No suitable engine is installed (the message names both
            remedies).
        ValueError: ``engine`` names no known engine.

    Example:
        >>> engine, program = find_engine(format="svg")
        >>> engine in Engine
        True
    """
    if isinstance(engine, str):
        try:
            engine = Engine(engine)
        except ValueError:
            known = ", ".join(e.value for e in Engine)
            raise ValueError(f"unknown engine {engine!r}; use one of {known}") from None
    candidates = [engine] if engine is not None else list(Engine)
    for candidate in candidates:
        if format not in candidate.formats:
            continue
        program = _which(candidate)
        if program is not None:
            return candidate, program
    if engine is not None and format not in engine.formats:
        raise EngineNotFoundError(
            f"{engine.program!r} cannot write {format.upper()}; it writes"
            f" {', '.join(engine.formats)}. Use the system Graphviz 'dot' for {format.upper()}"
            " (e.g. 'apt-get install graphviz')."
        )
    if engine is None and format not in Engine.GRAPHVIZ_PURE.formats:
        raise EngineNotFoundError(missing_engine_message(format=format))
    raise EngineNotFoundError(missing_engine_message(engine))


def layout(source: str, format: str, engine: Engine | str | None = None) -> bytes:
    """Lay out DOT source with a Graphviz program and return the output file's bytes.

    Args:
        source: The DOT source.
        format: ``"svg"``, ``"png"`` or ``"pdf"``.
        engine: Which program to run (default: ``dot`` if present, else ``graphviz-pure``).

    Raises:
        EngineNotFoundError: No engine that writes ``format`` is installed.
        CmokitError: The engine failed (its message is included).

    Example:
        >>> layout("digraph { a -> b }", "svg").startswith(b"<?xml")
        True
    """
    chosen, program = find_engine(engine, format=format)
    finished = _run(chosen, program, source, format)
    if finished.returncode < 0 and engine is None and chosen is Engine.DOT:
        # Some Graphviz releases crash (a signal, not an error message) on a few cluster
        # layouts. When the caller left the engine to us, try the other one before giving up.
        other = _which(Engine.GRAPHVIZ_PURE)
        if other is not None and format in Engine.GRAPHVIZ_PURE.formats:
            retry = _run(Engine.GRAPHVIZ_PURE, other, source, format)
            if retry.returncode == 0 and retry.stdout:
                return retry.stdout
    if finished.returncode != 0 or not finished.stdout:
        detail = finished.stderr.decode("utf-8", errors="replace").strip()
        if finished.returncode < 0:
            detail = (
                f"the program crashed (signal {-finished.returncode}); try the other engine"
                " (--engine graphviz-pure, or pip install cmokit[render]) or draw a part of"
                " the theory (stages, themes, around)"
            )
        raise CmokitError(
            f"{chosen.program} failed to lay out the figure (exit status"
            f" {finished.returncode}): {detail or 'no message'}"
        )
    return finished.stdout


def _run(
    chosen: Engine, program: str, source: str, format: str
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [program, f"-T{format}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except OSError as err:
        raise EngineNotFoundError(f"could not run {program!r}: {err}") from err
    except subprocess.TimeoutExpired as err:
        raise CmokitError(
            f"{chosen.program} took more than {_TIMEOUT_SECONDS} s to lay out the figure;"
            " draw a part of the theory (stages, themes, around)"
        ) from err
