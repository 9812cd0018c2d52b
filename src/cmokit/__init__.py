"""cmokit: Context-Mechanism-Outcome modelling for realist evaluation.

Build a programme theory from contexts, mechanisms and outcomes joined by configurations,
query it as a graph, check it for explanatory completeness, draw it, and keep its
configuration statements true with tests.

Example:
    >>> import cmokit
    >>> theory = cmokit.ProgrammeTheory(title="Peer feedback")
    >>> theory.add(cmokit.Context("audit_data", "Ward has regular audit data"))
    >>> theory.add(cmokit.Mechanism("peer_feedback", "Peer feedback"))
    >>> theory.add(cmokit.Outcome("engaged", "Staff engage"))
    >>> theory.add(cmokit.Configuration("CMOC1", contexts=["audit_data"],
    ...     mechanisms=["peer_feedback"], outcomes=["engaged"]))
    >>> str(theory.explain("engaged").chains[0])
    'audit_data → peer_feedback → engaged'
"""

import importlib
from typing import TYPE_CHECKING, Any

from cmokit import examples
from cmokit._version import __version__
from cmokit.exceptions import (
    CmokitError,
    DuplicateIdError,
    EngineNotFoundError,
    FormatVersionError,
    LoadError,
    Problem,
    StatementError,
    UnknownReferenceError,
    ValidationError,
)
from cmokit.fileformat import FORMAT_VERSION, dump, dumps, from_dict, load, loads, to_dict
from cmokit.model import (
    Configuration,
    Context,
    Element,
    ElementKind,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    OutcomeKind,
    Stage,
    Stance,
    Theme,
)
from cmokit.theory import ProgrammeTheory, Source

# The features below define many attrs classes, which take a while to create: they load
# on first use, so `import cmokit` stays close to `import networkx` (docs/performance.md).
# `from cmokit import validate` and `cmokit.validate` work as if they were imported here.
_LAZY_NAMES: dict[str, str] = {
    **dict.fromkeys(
        [
            "EXPORT_FORMATS",
            "export",
            "export_to",
            "to_dagitty",
            "to_graphml",
            "to_kumu",
            "to_mermaid",
            "to_node_link_json",
        ],
        "cmokit.exports",
    ),
    **dict.fromkeys(["Chain", "ChainStep", "Explanation"], "cmokit.queries"),
    **dict.fromkeys(["render", "to_svg"], "cmokit.rendering"),
    **dict.fromkeys(["CheckResult", "ClauseResult", "check", "check_all"], "cmokit.statements"),
    **dict.fromkeys(["ImportReport", "from_frames", "import_table", "to_frames"], "cmokit.tables"),
    **dict.fromkeys(
        ["RULES", "Finding", "Report", "Rule", "Severity", "validate"], "cmokit.validation"
    ),
}

if TYPE_CHECKING:
    from cmokit.exports import (
        EXPORT_FORMATS,
        export,
        export_to,
        to_dagitty,
        to_graphml,
        to_kumu,
        to_mermaid,
        to_node_link_json,
    )
    from cmokit.queries import Chain, ChainStep, Explanation
    from cmokit.rendering import render, to_svg
    from cmokit.statements import CheckResult, ClauseResult, check, check_all
    from cmokit.tables import ImportReport, from_frames, import_table, to_frames
    from cmokit.validation import RULES, Finding, Report, Rule, Severity, validate
else:

    def __getattr__(name: str) -> Any:
        module = _LAZY_NAMES.get(name)
        if module is None:
            raise AttributeError(f"module 'cmokit' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_LAZY_NAMES})


__all__ = [
    "EXPORT_FORMATS",
    "FORMAT_VERSION",
    "RULES",
    "Chain",
    "ChainStep",
    "CheckResult",
    "ClauseResult",
    "CmokitError",
    "Configuration",
    "Context",
    "DuplicateIdError",
    "Element",
    "ElementKind",
    "EngineNotFoundError",
    "Evidence",
    "Explanation",
    "Figure",
    "Finding",
    "FormatVersionError",
    "ImportReport",
    "Link",
    "LoadError",
    "Mechanism",
    "Outcome",
    "OutcomeKind",
    "Problem",
    "ProgrammeTheory",
    "Report",
    "Rule",
    "Severity",
    "Source",
    "Stage",
    "Stance",
    "StatementError",
    "Theme",
    "UnknownReferenceError",
    "ValidationError",
    "__version__",
    "check",
    "check_all",
    "dump",
    "dumps",
    "examples",
    "export",
    "export_to",
    "from_dict",
    "from_frames",
    "import_table",
    "load",
    "loads",
    "render",
    "to_dagitty",
    "to_dict",
    "to_frames",
    "to_graphml",
    "to_kumu",
    "to_mermaid",
    "to_node_link_json",
    "to_svg",
    "validate",
]
