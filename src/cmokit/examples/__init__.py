"""Bundled example theories: the worked example and a small illustrative one.

``hand_hygiene()`` is used by doctests across cmokit: keep it.

Example:
    >>> import cmokit.examples
    >>> cmokit.examples.hand_hygiene().title
    'Peer feedback and hand hygiene (illustrative)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from cmokit.theory import ProgrammeTheory

__all__ = ["hand_hygiene", "mentorship", "mentorship_tables", "model_path"]


def model_path(name: str) -> str:
    """Return the file system path of a bundled model file, e.g. ``"mentorship.yaml"``.

    cmokit installs as plain files, so the path stays valid after the call.

    Example:
        >>> model_path("hand_hygiene.yaml").endswith("hand_hygiene.yaml")
        True
    """
    # Imported here, not at the top: importlib.resources would add to `import cmokit`.
    from importlib.resources import files

    return str(files(__name__) / name)


def _load(name: str) -> ProgrammeTheory:
    from importlib.resources import as_file, files

    from cmokit.fileformat import loads

    resource = files(__name__) / name
    with as_file(resource) as path:
        return loads(resource.read_text(encoding="utf-8"), path=str(path))


def hand_hygiene() -> ProgrammeTheory:
    """Return a small made-up theory of peer feedback and hand hygiene (not from a paper).

    Three configurations over two stages, with one chain (``engaged`` is the outcome of
    CMOC1 and the context of CMOC2), an unintended outcome and a link.

    Example:
        >>> [c.id for c in hand_hygiene().configurations]
        ['CMOC1', 'CMOC2', 'CMOC3']
    """
    return _load("hand_hygiene.yaml")


def mentorship() -> ProgrammeTheory:
    """Return the worked example: Steven et al. (2022), trained mentors and doctors' wellbeing.

    Example:
        >>> [s.id for s in mentorship().stages]
        ['engagement', 'enactment', 'outcomes']
    """
    return _load("mentorship.yaml")


def mentorship_tables() -> dict[str, pd.DataFrame]:
    """Return the worked example's Tables 1-5 and Appendix 1 as tidy DataFrames.

    Example:
        >>> sorted(mentorship_tables())
        ['appendix1', 'table1', 'table2', 'table3', 'table4', 'table5']
    """
    from cmokit.examples.tables import mentorship_tables as build

    return build()
