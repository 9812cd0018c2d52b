"""Pausing Python's cycle collector around work that allocates much and makes no cycles.

Loading, validating or tabulating a large theory allocates hundreds of thousands of
containers and creates no reference cycles, yet every few hundred allocations start a
collection, and the older generations scan the whole, growing heap again and again: about
half the time of loading a large theory (see docs/performance.md). The collector is
switched back on however the work ends, and a collector the caller had switched off stays
off.

Example:
    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Switch the cycle collector off for the ``with`` block (or decorated function)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
