"""DAGitty model syntax (``dag { ... }``), to run DAGitty's analyses on the graph.

Every element is declared on its own line, then every edge as ``source -> target``.
Element ids are the variable names: bare when they only use letters, digits, ``_`` and
``.``, otherwise in double quotes with ``"`` written ``\\"``. DAGitty's strings cannot
hold control characters or end in a backslash: those are replaced (by a space and by a
set-minus sign, U+2216), and a clash this makes is resolved with a ``'`` suffix. DAGitty
has no labels, so element labels are not exported; mark the variables of an analysis
with ``exposures``, ``outcomes`` and ``latent``.

Paste the text into dagitty.net (Model > Model code) or read it in R with
``dagitty::dagitty()``. The graph of a theory may have cycles (feedback loops); DAGitty
reads them but refuses some analyses on them.

Example:
    >>> import cmokit.examples
    >>> print(to_dagitty(cmokit.examples.hand_hygiene(), exposures=["audit_data"]), end="")
    dag {
    audit_data [exposure]
    hierarchy
    peer_feedback
    habit
    engaged
    compliance
    blame
    audit_data -> peer_feedback
    hierarchy -> peer_feedback
    peer_feedback -> engaged
    peer_feedback -> blame
    peer_feedback -> habit
    habit -> compliance
    engaged -> habit
    }
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cmokit.exceptions import UnknownReferenceError
from cmokit.theory import suggest

if TYPE_CHECKING:
    from cmokit.theory import ProgrammeTheory

__all__ = ["dagitty_names", "to_dagitty"]

_BAREWORD = re.compile(r"[0-9A-Za-z_.]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _variable_text(element_id: str) -> str:
    if _BAREWORD.fullmatch(element_id):
        return element_id
    text = _CONTROL.sub(" ", element_id)
    if text.endswith("\\"):
        text = text[:-1] + "\u2216"
    return text


def dagitty_names(element_ids: Iterable[str]) -> dict[str, str]:
    """Return the DAGitty variable name, as written in the model code, of each element id.

    Example:
        >>> dagitty_names(["habit", "peer feedback", 'say "no"'])
        {'habit': 'habit', 'peer feedback': '"peer feedback"', 'say "no"': '"say \\\\"no\\\\""'}
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for element_id in element_ids:
        text = _variable_text(element_id)
        # A bare name and the same name quoted are one variable to DAGitty.
        while text in used:
            text += "'"
        used.add(text)
        if _BAREWORD.fullmatch(text):
            names[element_id] = text
        else:
            names[element_id] = '"' + text.replace('"', '\\"') + '"'
    return names


def to_dagitty(
    theory: ProgrammeTheory,
    *,
    exposures: Iterable[str] = (),
    outcomes: Iterable[str] = (),
    latent: Iterable[str] = (),
) -> str:
    """Return the theory's graph in DAGitty model syntax.

    Args:
        theory: The theory.
        exposures: Element ids to mark ``[exposure]``.
        outcomes: Element ids to mark ``[outcome]`` (the outcome of an analysis, which need
            not be a realist outcome).
        latent: Element ids to mark ``[latent]`` (unobserved).

    Raises:
        UnknownReferenceError: A marked id is not an element of the theory.

    Example:
        >>> import cmokit.examples
        >>> try:
        ...     to_dagitty(cmokit.examples.hand_hygiene(), outcomes=["complaince"])
        ... except cmokit.UnknownReferenceError as err:
        ...     print(err.suggestions)
        ('compliance',)
    """
    element_ids = [element.id for element in theory.elements]
    marks: dict[str, list[str]] = {}
    for role, ids in (("exposure", exposures), ("outcome", outcomes), ("latent", latent)):
        for element_id in ids:
            if element_id not in theory or element_id not in element_ids:
                raise UnknownReferenceError(
                    element_id,
                    referrer="dagitty export",
                    field=f"{role}s" if role != "latent" else role,
                    suggestions=suggest(element_id, element_ids),
                )
            marks.setdefault(element_id, []).append(role)
    names = dagitty_names(element_ids)
    lines = ["dag {"]
    for element_id in element_ids:
        roles = marks.get(element_id)
        lines.append(names[element_id] + (f" [{','.join(roles)}]" if roles else ""))
    for source, target in theory.graph_view.edges:
        lines.append(f"{names[source]} -> {names[target]}")
    lines.append("}")
    return "\n".join(lines) + "\n"
