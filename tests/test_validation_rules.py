"""Tests for cmokit.validation.rules: a failing and a passing theory for every rule.

Each case starts from ``clean()``, a small two-stage theory with a chain, a theme, a
statement on every configuration and evidence from two participants and two cases, which
no rule finds anything wrong with. A case changes it in one way (failing) and in a nearby
way that is fine (passing).
"""

from __future__ import annotations

import copy
import gc
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

import cmokit
import cmokit.examples
from cmokit import RULES, Finding, ProgrammeTheory, Severity, UnknownReferenceError
from cmokit.validation import Options, _vectorised, rules, validate
from cmokit.validation.rules import resolve_codes
from strategies import interleaved_items, theories

Model = dict[str, Any]


def clean() -> Model:
    return {
        "cmokit": 1,
        "title": "Clean",
        "stages": [{"id": "s1"}, {"id": "s2"}],
        "themes": [{"id": "t"}],
        "contexts": [{"id": "c", "stage": "s1"}],
        "mechanisms": [
            {"id": "m", "stage": "s1", "resource": "sessions", "reasoning": "feel accountable"},
            {"id": "m2", "stage": "s2", "resource": "reminders", "reasoning": "remember"},
        ],
        "outcomes": [{"id": "o", "stage": "s1"}, {"id": "o2", "stage": "s2"}],
        "configurations": [
            {
                "id": "K1",
                "contexts": ["c"],
                "mechanisms": ["m"],
                "outcomes": ["o"],
                "statement": "In c, m leads to o.",
            },
            {
                "id": "K2",
                "theme": "t",
                "contexts": ["o"],
                "mechanisms": ["m2"],
                "outcomes": ["o2"],
                "statement": "Once o, m2 leads to o2.",
            },
        ],
        "evidence": [
            {"id": "E1", "participant": "P1", "case": "A", "about": ["K1"]},
            {"id": "E2", "participant": "P2", "case": "B", "about": ["K1"]},
            {"id": "E3", "participant": "P1", "case": "A", "about": ["K2"]},
            {"id": "E4", "participant": "P2", "case": "B", "about": ["K2"]},
        ],
    }


def build(change: Callable[[Model], object] | None = None) -> ProgrammeTheory:
    data = clean()
    if change is not None:
        change(data)
    return cmokit.from_dict(data)


def config(data: Model, config_id: str) -> Model:
    found: Model = next(c for c in data["configurations"] if c["id"] == config_id)
    return found


def add(data: Model, section: str, *items: Model) -> None:
    data.setdefault(section, []).extend(items)


def evidence(data: Model, evidence_id: str) -> Model:
    found: Model = next(e for e in data["evidence"] if e["id"] == evidence_id)
    return found


def test_clean_theory_has_no_finding() -> None:
    report = validate(build())
    assert list(report) == []


# --------------------------------------------------------------------- failing cases
# (code, change that breaks the clean theory, ids of the first finding expected)


def _cmo001(d: Model) -> None:
    config(d, "K1")["mechanisms"] = []


def _cmo002(d: Model) -> None:
    add(d, "contexts", {"id": "orphan", "stage": "s1"})


def _cmo003(d: Model) -> None:
    # o is used as K2's context, but K1 no longer generates it
    config(d, "K1")["outcomes"] = ["o3"]
    add(d, "outcomes", {"id": "o3", "stage": "s1"})


def _cmo004(d: Model) -> None:
    # m is used, but only by a configuration whose context is itself generated later on
    config(d, "K1")["contexts"] = ["o2"]
    d["contexts"] = []


def _cmo005(d: Model) -> None:
    del d["mechanisms"][1]["resource"]


def _cmo006(d: Model) -> None:
    config(d, "K1")["contexts"] = ["c", "o"]


def _cmo007(d: Model) -> None:
    add(d, "contexts", {"id": "c2", "stage": "s1"})
    config(d, "K1")["mechanisms"] = ["m", "c2"]


def _cmo010(d: Model) -> None:
    add(d, "themes", {"id": "t2"})


def _cmo011(d: Model) -> None:
    del config(d, "K2")["statement"]


def _cmo012(d: Model) -> None:
    config(d, "K1")["theme"] = "t2"
    add(d, "themes", {"id": "t2"})


def _cmo013(d: Model) -> None:
    del d["contexts"][0]["stage"]


def _cmo020(d: Model) -> None:
    d["evidence"] = [e for e in d["evidence"] if e["about"] != ["K2"]]
    evidence(d, "E1")["about"] = ["K1", "m2"]


def _cmo021(d: Model) -> None:
    d["evidence"] = [e for e in d["evidence"] if e["about"] != ["K2"]]


def _cmo022(d: Model) -> None:
    d["evidence"] = []


def _cmo023(d: Model) -> None:
    for item in d["evidence"]:
        if item["about"] == ["K2"]:
            item["stance"] = "contradicts"


def _cmo024(d: Model) -> None:
    evidence(d, "E4")["participant"] = "P1"


def _cmo025(d: Model) -> None:
    evidence(d, "E4")["case"] = "A"


def _cmo026(d: Model) -> None:
    add(d, "evidence", {"id": "E5", "about": []})


def _cmo030(d: Model) -> None:
    # K2 no longer chains from K1: its outcome floats free of the first stage
    add(d, "contexts", {"id": "c2", "stage": "s2"})
    config(d, "K2")["contexts"] = ["c2"]


def _cmo031(d: Model) -> None:
    add(d, "links", {"source": "o2", "target": "c", "label": "sustains"})


def _cmo032(d: Model) -> None:
    add(d, "links", {"source": "m2", "target": "m", "label": "reinforces"})


FAILING: list[tuple[str, Callable[[Model], None], tuple[str, ...]]] = [
    ("CMO001", _cmo001, ("K1",)),
    ("CMO002", _cmo002, ("orphan",)),
    ("CMO003", _cmo003, ("o",)),
    ("CMO004", _cmo004, ("m",)),
    ("CMO005", _cmo005, ("m2",)),
    ("CMO006", _cmo006, ("K1", "o")),
    ("CMO007", _cmo007, ("K1", "c2")),
    ("CMO010", _cmo010, ("t2",)),
    ("CMO011", _cmo011, ("K2",)),
    ("CMO012", _cmo012, ("t2", "K1")),
    ("CMO013", _cmo013, ("c",)),
    ("CMO020", _cmo020, ("K2",)),
    ("CMO021", _cmo021, ("m2",)),
    ("CMO022", _cmo022, ()),
    ("CMO023", _cmo023, ("K2", "E3", "E4")),
    ("CMO024", _cmo024, ("K2", "E3", "E4")),
    ("CMO025", _cmo025, ("K2", "E3", "E4")),
    ("CMO026", _cmo026, ("E5",)),
    ("CMO030", _cmo030, ("o2",)),
    ("CMO031", _cmo031, ("c", "m", "o", "m2", "o2")),
    ("CMO032", _cmo032, ("m2", "m")),
]

# --------------------------------------------------------------------- passing cases
# (code, a nearby change that is fine)


def _ok001(d: Model) -> None:
    # an outcome standing as the mechanism of a later configuration still fills the slot
    config(d, "K2")["mechanisms"] = ["o"]
    config(d, "K2")["contexts"] = ["c"]


def _ok002(d: Model) -> None:
    add(d, "contexts", {"id": "orphan", "stage": "s1"})
    add(d, "links", {"source": "orphan", "target": "m", "label": "shapes"})


def _ok003(d: Model) -> None:
    # an outcome used as a later context is fine when a mechanism generates it
    config(d, "K2")["contexts"] = ["o", "c"]


def _ok004(d: Model) -> None:
    # m2 has no context of its own kind, but is triggered through the chain from c
    config(d, "K2")["contexts"] = ["o"]


def _ok005(d: Model) -> None:
    d["mechanisms"][1]["resource"] = "reminder cards"


def _ok006(d: Model) -> None:
    add(d, "contexts", {"id": "c2", "stage": "s1"})
    config(d, "K1")["contexts"] = ["c", "c2"]


def _ok007(d: Model) -> None:
    # realist chains: an outcome as a later context, or as a later mechanism
    config(d, "K2")["mechanisms"] = ["m2", "o"]


def _ok010(d: Model) -> None:
    add(d, "themes", {"id": "t2"})
    config(d, "K1")["theme"] = "t2"


def _ok011(d: Model) -> None:
    config(d, "K2")["statement"] = "Engaged staff remember."


def _ok012(d: Model) -> None:
    config(d, "K1")["theme"] = "t"


def _ok013(d: Model) -> None:
    d["contexts"][0]["stage"] = "s2"


def _ok020(d: Model) -> None:
    evidence(d, "E1")["about"] = ["K1", "K2"]


def _ok021(d: Model) -> None:
    d["evidence"] = [e for e in d["evidence"] if e["about"] != ["K2"]]
    evidence(d, "E1")["about"] = ["K1", "m2", "o2"]


def _ok022(d: Model) -> None:
    d["evidence"] = d["evidence"][:1]


def _ok023(d: Model) -> None:
    evidence(d, "E3")["stance"] = "contradicts"


def _ok024(d: Model) -> None:
    # evidence without a participant summarises several participants
    del evidence(d, "E4")["participant"]
    evidence(d, "E3")["participant"] = "P2"


def _ok025(d: Model) -> None:
    # a single-case study: comparing cases is not possible, so nothing is flagged
    for item in d["evidence"]:
        item["case"] = "A"


def _ok026(d: Model) -> None:
    add(d, "evidence", {"id": "E5", "about": ["o"]})


def _ok030(d: Model) -> None:
    add(d, "contexts", {"id": "c2", "stage": "s2"})
    config(d, "K2")["contexts"] = ["c2"]
    add(d, "links", {"source": "o", "target": "c2", "label": "creates"})


def _ok031(d: Model) -> None:
    add(d, "links", {"source": "o", "target": "o2", "label": "also leads to"})


def _ok032(d: Model) -> None:
    add(d, "links", {"source": "m", "target": "m2", "label": "reinforces"})


PASSING: list[tuple[str, Callable[[Model], None]]] = [
    ("CMO001", _ok001),
    ("CMO002", _ok002),
    ("CMO003", _ok003),
    ("CMO004", _ok004),
    ("CMO005", _ok005),
    ("CMO006", _ok006),
    ("CMO007", _ok007),
    ("CMO010", _ok010),
    ("CMO011", _ok011),
    ("CMO012", _ok012),
    ("CMO013", _ok013),
    ("CMO020", _ok020),
    ("CMO021", _ok021),
    ("CMO022", _ok022),
    ("CMO023", _ok023),
    ("CMO024", _ok024),
    ("CMO025", _ok025),
    ("CMO026", _ok026),
    ("CMO030", _ok030),
    ("CMO031", _ok031),
    ("CMO032", _ok032),
]


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    assert [code for code, _, _ in FAILING] == list(RULES)
    assert [code for code, _ in PASSING] == list(RULES)


@pytest.mark.parametrize(("code", "change", "ids"), FAILING, ids=[c for c, _, _ in FAILING])
def test_rule_finds_the_failing_theory(
    code: str, change: Callable[[Model], None], ids: tuple[str, ...]
) -> None:
    findings = validate(build(change), select=code).findings
    assert findings, f"{code} found nothing"
    first = findings[0]
    assert first.code == code
    assert first.severity is RULES[code].severity
    assert first.ids == ids
    assert first.message
    assert first.hint


@pytest.mark.parametrize(("code", "change"), PASSING, ids=[c for c, _ in PASSING])
def test_rule_passes_the_nearby_good_theory(code: str, change: Callable[[Model], None]) -> None:
    assert validate(build(change), select=code).findings == ()


@pytest.mark.parametrize("code", list(RULES))
def test_rule_check_matches_its_registry_entry(code: str) -> None:
    rule = RULES[code]
    assert rule.code == code
    assert rule.name and rule.title and rule.rationale
    change = next(c for k, c, _ in FAILING if k == code)
    for finding in rule.check(build(change), Options()):
        assert isinstance(finding, Finding)
        assert finding.code == code


# ------------------------------------------------------------ behaviour in detail


def test_incomplete_configuration_names_every_missing_part() -> None:
    def change(d: Model) -> None:
        config(d, "K1").update(contexts=[], mechanisms=[])

    (finding,) = validate(build(change), select="CMO001").findings
    assert "no context and no mechanism" in finding.message
    assert finding.severity is Severity.ERROR


def test_unconfigured_outcome_is_reported_once_by_cmo002_not_cmo003() -> None:
    theory = build(lambda d: add(d, "outcomes", {"id": "lonely", "stage": "s2"}))
    codes = [f.code for f in validate(theory, select="CMO00") if "lonely" in f.ids]
    assert codes == ["CMO002"]


def test_outcome_generated_only_without_mechanism_is_unexplained() -> None:
    theory = build(lambda d: config(d, "K2").update(mechanisms=[]))
    found = {(f.code, f.ids) for f in validate(theory, select=["CMO001", "CMO003"])}
    assert found == {("CMO001", ("K2",)), ("CMO003", ("o2",))}


def test_mechanism_only_in_a_link_is_untriggered() -> None:
    def change(d: Model) -> None:
        add(d, "mechanisms", {"id": "m3", "stage": "s2", "resource": "r", "reasoning": "q"})
        add(d, "links", {"source": "m3", "target": "o2"})

    assert [f.ids for f in validate(build(change), select="CMO004")] == [("m3",)]


def test_mechanism_parts_names_both_missing_parts() -> None:
    theory = build(lambda d: d["mechanisms"][0].clear() or d["mechanisms"][0].update(id="m"))
    (finding,) = validate(theory, select="CMO005").findings
    assert "no resource and no reasoning" in finding.message


@pytest.mark.parametrize(
    ("setting", "severity"),
    [
        ("info", Severity.INFO),
        ("warning", Severity.WARNING),
        (Severity.WARNING, Severity.WARNING),
        (True, Severity.WARNING),
        (False, Severity.INFO),
    ],
)
def test_mechanism_parts_severity_can_be_raised(setting: Any, severity: Severity) -> None:
    theory = build(_cmo005)
    (finding,) = validate(theory, select="CMO005", mechanism_parts=setting).findings
    assert finding.severity is severity
    (method_finding,) = theory.validate(select="CMO005", mechanism_parts=setting).findings
    assert method_finding == finding


@pytest.mark.parametrize("setting", ["error", "loud"])
def test_mechanism_parts_rejects_other_severities(setting: str) -> None:
    with pytest.raises(ValueError, match="mechanism_parts"):
        validate(build(), mechanism_parts=setting)


def test_role_mismatch_flags_a_mechanism_used_as_context() -> None:
    theory = build(lambda d: config(d, "K2").update(contexts=["o", "m"]))
    (finding,) = validate(theory, select="CMO007").findings
    assert finding.ids == ("K2", "m")
    assert "mechanism 'm' is used as a context" in finding.message


def test_outcome_chains_are_never_role_mismatches() -> None:
    # o is K2's context (a chain) and, here, also another configuration's mechanism
    def change(d: Model) -> None:
        add(
            d,
            "configurations",
            {"id": "K3", "contexts": ["c"], "mechanisms": ["o"], "outcomes": ["o2"]},
        )

    assert validate(build(change), select="CMO007").findings == ()


def test_single_participant_skipped_when_the_study_names_one_participant() -> None:
    def change(d: Model) -> None:
        for item in d["evidence"]:
            item["participant"] = "P1"

    assert validate(build(change), select="CMO024").findings == ()


def test_contradicting_evidence_mixed_with_support_is_not_only_contradicted() -> None:
    theory = build(_ok023)
    assert validate(theory, select="CMO023").findings == ()
    assert validate(build(_cmo023), select="CMO020").findings[0].ids == ("K2",)


def test_unreachable_outcome_uses_every_outcome_when_there_are_no_themes() -> None:
    def change(d: Model) -> None:
        _cmo030(d)
        d["themes"] = []
        del config(d, "K2")["theme"]

    assert [f.ids for f in validate(build(change), select="CMO030")] == [("o2",)]


def test_unreachable_outcome_skipped_without_stages() -> None:
    def change(d: Model) -> None:
        _cmo030(d)
        d["stages"] = []
        for section in ("contexts", "mechanisms", "outcomes"):
            for item in d[section]:
                item.pop("stage", None)

    assert validate(build(change), select="CMO030").findings == ()


def test_cycle_through_a_self_loop() -> None:
    theory = build(lambda d: add(d, "links", {"source": "c", "target": "c"}))
    (finding,) = validate(theory, select="CMO031").findings
    assert finding.ids == ("c",)
    assert "c → c" in finding.message


def test_each_cycle_is_reported_with_its_path() -> None:
    def change(d: Model) -> None:
        _cmo031(d)
        add(d, "contexts", {"id": "x", "stage": "s1"}, {"id": "y", "stage": "s1"})
        add(d, "links", {"source": "x", "target": "y"}, {"source": "y", "target": "x"})

    findings = validate(build(change), select="cycle").findings
    assert sorted(sorted(f.ids) for f in findings) == [
        sorted(["c", "m", "o", "m2", "o2"]),
        ["x", "y"],
    ]
    for finding in findings:
        path = finding.message.removeprefix("cycle: ").split(" → ")
        assert path[0] == path[-1] == finding.ids[0]
        assert tuple(path[:-1]) == finding.ids


def test_long_cycle_is_found_in_linear_time() -> None:
    size = 20_000
    items: list[Any] = [cmokit.Context("c0", "start")]
    items += [cmokit.Outcome(f"o{i}", f"o{i}") for i in range(size)]
    items += [cmokit.Mechanism(f"m{i}", f"m{i}") for i in range(size)]
    items += [
        cmokit.Configuration(
            f"K{i}", contexts=[f"o{i - 1}" if i else "c0"], mechanisms=[f"m{i}"], outcomes=[f"o{i}"]
        )
        for i in range(size)
    ]
    items.append(cmokit.Link(f"o{size - 1}", "c0"))
    theory = ProgrammeTheory(items=items)
    (finding,) = validate(theory, select="CMO031").findings
    assert len(finding.ids) == 2 * size + 1


def test_backward_edge_names_what_makes_it() -> None:
    (finding,) = validate(build(_cmo032), select="CMO032").findings
    assert "link reinforces" in finding.message
    assert "'s2'" in finding.message and "'s1'" in finding.message


# ------------------------------------------------------------------- select / ignore


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        ("CMO001", None, ("CMO001",)),
        ("cmo001", None, ("CMO001",)),
        ("CMO03", None, ("CMO030", "CMO031", "CMO032")),
        (["CMO001", "cycle"], None, ("CMO001", "CMO031")),
        ("CMO001,CMO002", None, ("CMO001", "CMO002")),
        (
            "CMO0",
            "CMO02,CMO03,CMO01",
            ("CMO001", "CMO002", "CMO003", "CMO004", "CMO005", "CMO006", "CMO007"),
        ),
        (None, "CMO0", ()),
        ("CMO001", "CMO001", ()),
    ],
)
def test_select_and_ignore(select: Any, ignore: Any, expected: tuple[str, ...]) -> None:
    assert resolve_codes(select, ignore) == expected


def test_nothing_selected_means_every_rule() -> None:
    assert resolve_codes() == tuple(RULES)


@pytest.mark.parametrize(
    ("select", "ignore", "bad", "suggestion"),
    [
        ("CM0001", None, "CM0001", "CMO001"),
        (None, "CMO0011", "CMO0011", "CMO011"),
        ("cylce", None, "cylce", "cycle"),
        ("XYZ", None, "XYZ", None),
    ],
)
def test_unknown_codes_are_named_with_a_suggestion(
    select: Any, ignore: Any, bad: str, suggestion: str | None
) -> None:
    with pytest.raises(UnknownReferenceError) as caught:
        validate(build(), select=select, ignore=ignore)
    message = str(caught.value)
    assert repr(bad) in message
    assert ("select" if select else "ignore") in message
    if suggestion is None:
        assert "CMO001" in message and "CMO032" in message
    else:
        assert f"did you mean {suggestion!r}" in message


# ------------------------------------------------------------------- the examples


def test_hand_hygiene_example_validates_without_errors() -> None:
    report = cmokit.examples.hand_hygiene().validate()
    assert report.ok
    assert report.errors == ()


def test_mentorship_example_validates_without_errors_or_warnings() -> None:
    report = cmokit.examples.mentorship().validate()
    assert report.errors == ()
    assert report.warnings == ()


def test_validation_does_not_change_the_theory() -> None:
    theory = build(_cmo031)
    before = copy.deepcopy(cmokit.to_dict(theory))
    validate(theory)
    assert cmokit.to_dict(theory) == before


# ------------------------------------------------------------- docs/rules.md in step

RULES_PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
SECTION = re.compile(r"^## (CMO\d{3}) (\S+)\n(.*?)(?=^## |\Z)", re.M | re.S)
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)


def rule_sections() -> dict[str, tuple[str, str]]:
    text = RULES_PAGE.read_text(encoding="utf-8")
    return {code: (name, body) for code, name, body in SECTION.findall(text)}


def test_rules_page_has_a_section_for_every_rule_and_no_other() -> None:
    sections = rule_sections()
    assert list(sections) == list(RULES)
    for code, (name, body) in sections.items():
        assert name == RULES[code].name, code
        assert f"**Severity:** {RULES[code].severity.value}" in body, code


@pytest.mark.parametrize("code", list(RULES))
def test_rules_page_examples_fail_and_pass(code: str) -> None:
    _, body = rule_sections()[code]
    failing, passing = YAML_BLOCK.findall(body)
    assert [f.code for f in validate(cmokit.loads(failing), select=code)], code
    assert validate(cmokit.loads(passing), select=code).findings == ()


def test_unused_element_is_left_to_cmo002_by_the_evidence_rules() -> None:
    theory = build(lambda d: add(d, "contexts", {"id": "orphan", "stage": "s1"}))
    codes = [f.code for f in validate(theory) if "orphan" in f.ids]
    assert codes == ["CMO002"]


@pytest.mark.parametrize("enabled", [True, False])
def test_validate_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    # validate pauses the collector while the rules run; a caller's setting must survive.
    was_enabled = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        report = cmokit.examples.hand_hygiene().validate()
        assert gc.isenabled() is enabled
        assert report.ok and "CMO005" in {finding.code for finding in report.infos}
    finally:
        gc.enable() if was_enabled else gc.disable()


def test_validate_leaves_the_cycle_collector_on_when_a_rule_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(theory: object, options: object) -> list[object]:
        raise RuntimeError("a rule that fails")

    monkeypatch.setitem(rules._REGISTRY, "CMO001", attrs.evolve(RULES["CMO001"], check=broken))
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="a rule that fails"):
        cmokit.examples.hand_hygiene().validate()
    assert gc.isenabled()


# ------------------------------------------- graph rules against a reading of the graph


def _reference_backward_edges(theory: ProgrammeTheory) -> list[tuple[tuple[str, ...], str]]:
    """CMO032 as a plain walk over the networkx graph's edges gives it."""
    order = {stage.id: number for number, stage in enumerate(theory.stages)}
    if len(order) < 2:
        return []
    graph = theory.to_networkx()
    found = []
    for source, target, data in graph.edges(data=True):
        source_stage = order.get(graph.nodes[source]["stage"])
        target_stage = order.get(graph.nodes[target]["stage"])
        if source_stage is None or target_stage is None or source_stage <= target_stage:
            continue
        makers = [*data["configurations"], *(f"link {x or '(unlabelled)'}" for x in data["links"])]
        found.append(
            (
                (source, target),
                f"{source!r} (stage {graph.nodes[source]['stage']!r}) leads back to {target!r}"
                f" (stage {graph.nodes[target]['stage']!r}) through {', '.join(makers)}",
            )
        )
    return found


def _reference_reached(theory: ProgrammeTheory, starts: list[str], *, links: bool) -> set[str]:
    graph = theory.to_networkx()
    if not links:
        graph = graph.edge_subgraph(
            [(s, t) for s, t, data in graph.edges(data=True) if data["configurations"]]
        )
    reached = set(starts)
    for start in starts:
        if start in graph:
            reached |= nx.descendants(graph, start)
    return reached


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interleaved_items())
def test_graph_rules_agree_with_a_reading_of_the_graph(items: list[Any]) -> None:
    theory = ProgrammeTheory(items=items)
    report = theory.validate(select=["CMO004", "CMO030", "CMO031", "CMO032"])
    assert theory._graph_built is None or not nx.is_directed_acyclic_graph(theory._graph)
    backward = [(f.ids, f.message) for f in report if f.code == "CMO032"]
    assert backward == _reference_backward_edges(theory)
    saved = rules.VECTORISE_FROM
    rules.VECTORISE_FROM = 1  # the same with the NumPy walk, where it walks
    try:
        vectorised = validate(theory, select="CMO032").findings
        assert vectorised == tuple(f for f in report if f.code == "CMO032")
    finally:
        rules.VECTORISE_FROM = saved
    contexts = [context.id for context in theory.contexts]
    triggered = _reference_reached(theory, contexts, links=False)
    used = {e for config in theory.configurations for e in config.elements}
    used |= {end for link in theory.links for end in (link.source, link.target)}
    untriggered = [
        (mechanism.id,)
        for mechanism in theory.mechanisms
        if mechanism.id not in triggered and mechanism.id in used
    ]
    assert [f.ids for f in report if f.code == "CMO004"] == untriggered
    cycles = [f for f in report if f.code == "CMO031"]
    assert bool(cycles) == (not nx.is_directed_acyclic_graph(theory.to_networkx()))
    unreachable: list[tuple[str, ...]] = []
    if theory.stages:
        first = theory.stages[0].id
        starts = [element.id for element in theory.elements if element.stage == first]
        if starts:
            reached = _reference_reached(theory, starts, links=True)
            themed = bool(theory.themes)
            for config in theory.configurations:
                if themed and config.theme is None:
                    continue
                for outcome in config.outcomes:
                    if outcome not in reached and (outcome,) not in unreachable:
                        unreachable.append((outcome,))
    assert [f.ids for f in report if f.code == "CMO030"] == unreachable


def _reference_two_roles(theory: ProgrammeTheory) -> list[tuple[str, ...]]:
    """CMO006 read off each configuration, with no shortcut through the graph."""
    found = []
    for config in theory.configurations:
        roles: dict[str, int] = {}
        for ids in (config.contexts, config.mechanisms, config.outcomes):
            for element_id in set(ids):
                roles[element_id] = roles.get(element_id, 0) + 1
        found += [(config.id, e) for e in dict.fromkeys(config.elements) if roles[e] > 1]
    return found


def _reference_role_mismatches(theory: ProgrammeTheory) -> list[tuple[str, ...]]:
    found = []
    for config in theory.configurations:
        for ids, wrong in ((config.mechanisms, "context"), (config.contexts, "mechanism")):
            kinds = {element.id: element.element_kind.value for element in theory.elements}
            found += [(config.id, e) for e in dict.fromkeys(ids) if kinds.get(e) == wrong]
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interleaved_items())
def test_role_rules_agree_with_a_reading_of_each_configuration(items: list[Any]) -> None:
    # CMO006 looks only where the graph has a cycle (or a configuration draws no edge), and
    # CMO007 only when the role sets overlap: both must still find every case.
    theory = ProgrammeTheory(items=items)
    report = theory.validate(select=["CMO006", "CMO007"])
    assert sorted(f.ids for f in report if f.code == "CMO006") == sorted(
        _reference_two_roles(theory)
    )
    assert [f.ids for f in report if f.code == "CMO007"] == _reference_role_mismatches(theory)


@pytest.mark.parametrize(
    ("contexts", "mechanisms", "outcomes", "twice"),
    [
        (["a"], ["a"], ["o"], "a"),  # an edge from a to itself
        (["c"], ["a"], ["a"], "a"),  # the same, from mechanism to outcome
        (["a"], ["m"], ["a"], "a"),  # a loop through the mechanism
        (["a"], [], ["a"], "a"),  # no mechanism, so no edge and no cycle at all
    ],
)
def test_an_element_in_two_roles_is_found_whatever_edge_it_draws(
    contexts: list[str], mechanisms: list[str], outcomes: list[str], twice: str
) -> None:
    elements: list[Any] = [cmokit.Context("c"), cmokit.Mechanism("m"), cmokit.Outcome("o")]
    elements += [cmokit.Outcome("a"), cmokit.Context("d")]
    other = cmokit.Configuration("K0", contexts=["d"], mechanisms=["m"], outcomes=["o"])
    config = cmokit.Configuration("K1", contexts=contexts, mechanisms=mechanisms, outcomes=outcomes)
    report = ProgrammeTheory(items=[*elements, other, config]).validate(select="CMO006")
    assert [finding.ids for finding in report] == [("K1", twice)]


def test_builtin_findings_equal_checked_ones_and_custom_rules_are_still_checked() -> None:
    rule = RULES["CMO024"]
    quick = rule.finding(["x", "E1"], "one participant", "look further")
    assert quick == Finding("CMO024", "info", ("x", "E1"), "one participant", "look further")
    assert type(quick.ids) is tuple and quick.severity is Severity.INFO
    assert rule.finding(iter(["x"]), "m", severity="warning").severity is Severity.WARNING
    with pytest.raises(TypeError, match="ids must hold strings"):
        rule.finding(["x", 3], "m")  # type: ignore[list-item]
    custom = attrs.evolve(rule, code=7)  # a user's Rule with a bad code
    with pytest.raises(TypeError, match="code"):
        custom.finding(["x"], "m")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interleaved_items())
def test_the_numpy_walk_gives_the_python_walks_facts_or_none(items: list[Any]) -> None:
    theory = ProgrammeTheory(items=items)
    index = rules.TheoryIndex(theory)
    walked = index.graph_facts  # small: the Python walk
    columns = _vectorised.encode(rules.TheoryIndex(theory))
    vectorised = _vectorised.graph_facts(rules.TheoryIndex(theory), columns)
    assert _vectorised.configuration_facts(index, columns) == index.configuration_facts
    # None exactly for a theory with a cycle, which the Python walk names
    assert (vectorised is None) == bool(walked.on_cycles)
    assert walked.drawing_back is None  # the Python walk leaves every configuration in
    if vectorised is not None:
        assert vectorised._replace(drawing_back=None) == walked
        assert vectorised.drawing_back == _drawing_back(theory, walked.stage_rank)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theories(max_items=8))
def test_validating_with_numpy_finds_what_validating_in_python_finds(
    theory: ProgrammeTheory,
) -> None:
    # Every rule with a NumPy shortcut (the facts, CMO021's at-risk check, CMO032's
    # configurations) against the plain reading, on small theories of every shape.
    walked = validate(theory).findings
    saved = rules.VECTORISE_FROM
    rules.VECTORISE_FROM = 1  # not monkeypatch: Hypothesis runs this many times per fixture
    try:
        vectorised = validate(theory).findings
    finally:
        rules.VECTORISE_FROM = saved
    assert vectorised == walked


def _drawing_back(theory: ProgrammeTheory, rank: dict[str, int]) -> list[int]:
    """Positions of the configurations with an edge to an earlier stage, read plainly."""
    last = len(theory.stages)
    if last < 2:
        return []
    return [
        position
        for position, config in enumerate(theory.configurations)
        if any(
            rank[source] > rank[target] and rank[source] < last
            for sources, targets in (
                (config.contexts, config.mechanisms),
                (config.mechanisms, config.outcomes),
            )
            for source in sources
            for target in targets
        )
    ]


def generate(size: int, seed: int) -> Model:
    """The benchmark's synthetic theory (benchmarks/generate.py)."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("cmokit_benchmark_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data: Model = module.generate(size, seed=seed)
    return data


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_large_theories_validate_the_same_with_either_walk(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = generate(400, seed=seed)  # acyclic, with feedback links and unreachable outcomes
    walked = cmokit.from_dict(data).validate()
    monkeypatch.setattr(rules, "VECTORISE_FROM", 1)
    index = rules.TheoryIndex(cmokit.from_dict(data))
    assert index._columns is not None and index.graph_facts.stage_rank  # numpy is used
    assert index.theory._elements_by_kind  # a model file lists contexts, mechanisms, outcomes
    assert _vectorised.graph_facts(index, index._columns) is not None
    vectorised = cmokit.from_dict(data).validate()
    assert vectorised.findings == walked.findings
    assert {f.code for f in walked} >= {"CMO030", "CMO032"}


def test_a_theory_deeper_than_the_numpy_walk_goes_is_walked_in_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A chain of five configurations, each one's outcome the next one's context.
    items: list[Any] = [cmokit.Stage("s1"), cmokit.Stage("s2"), cmokit.Context("c", stage="s1")]
    items += [cmokit.Mechanism(f"m{n}") for n in range(5)]
    items += [cmokit.Outcome(f"o{n}", stage="s2") for n in range(5)]
    items += [
        cmokit.Configuration(
            f"K{n}",
            contexts=["c" if n == 0 else f"o{n - 1}"],
            mechanisms=[f"m{n}"],
            outcomes=[f"o{n}"],
        )
        for n in range(5)
    ]
    theory = ProgrammeTheory(items=items)
    monkeypatch.setattr(_vectorised, "MAX_LAYERS", 3)
    index = rules.TheoryIndex(theory)
    assert _vectorised.graph_facts(index, _vectorised.encode(index)) is None
    monkeypatch.setattr(rules, "VECTORISE_FROM", 1)
    facts = rules.TheoryIndex(theory).graph_facts
    assert facts.reached == {"c", *(f"m{n}" for n in range(5)), *(f"o{n}" for n in range(5))}
    assert not facts.on_cycles
    # c, then m0, o0, m1, o1 ... o4: eleven layers, the deepest walked with MAX_LAYERS = 11
    monkeypatch.setattr(_vectorised, "MAX_LAYERS", 10)
    assert _vectorised.graph_facts(index, _vectorised.encode(index)) is None
    monkeypatch.setattr(_vectorised, "MAX_LAYERS", 11)
    vectorised = _vectorised.graph_facts(index, _vectorised.encode(index))
    assert vectorised is not None and vectorised._replace(drawing_back=None) == facts


def test_backward_edges_come_in_the_graphs_order_with_links_where_they_were_added() -> None:
    # The graph lists edges by source (in the order the elements were added) and, from one
    # source, in the order the edges were first drawn, by a configuration or a link.
    theory = ProgrammeTheory(
        items=[
            cmokit.Stage("early"),
            cmokit.Stage("late"),
            cmokit.Context("a", stage="late"),
            cmokit.Context("b", stage="late"),
            cmokit.Mechanism("m1", stage="early"),
            cmokit.Mechanism("m2", stage="early"),
            cmokit.Mechanism("m3", stage="early"),
            cmokit.Configuration("K1", contexts=["b"], mechanisms=["m1"]),
            cmokit.Link("a", "m2", "loops"),
            cmokit.Configuration("K2", contexts=["a"], mechanisms=["m3", "m2"]),
        ]
    )
    report = theory.validate(select="CMO032")
    assert theory._graph_built is None  # validating an acyclic theory needs no graph
    assert [finding.ids for finding in report] == [("a", "m2"), ("a", "m3"), ("b", "m1")]
    assert [(f.ids, f.message) for f in report] == _reference_backward_edges(theory)
    assert report.findings[0].message.endswith("through K2, link loops")


@pytest.mark.parametrize("vectorise_from", [rules.VECTORISE_FROM, 1])
def test_backward_edges_follow_the_order_elements_were_added_not_their_kinds(
    vectorise_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mechanism added before a context: the graph lists its edges first.
    monkeypatch.setattr(rules, "VECTORISE_FROM", vectorise_from)
    theory = ProgrammeTheory(
        items=[
            cmokit.Stage("early"),
            cmokit.Stage("late"),
            cmokit.Mechanism("m_late", stage="late"),
            cmokit.Outcome("o_early", stage="early"),
            cmokit.Context("c_late", stage="late"),
            cmokit.Mechanism("m_early", stage="early"),
            cmokit.Configuration("K1", contexts=["c_late"], mechanisms=["m_early"]),
            cmokit.Configuration(
                "K2", contexts=["c_late"], mechanisms=["m_late"], outcomes=["o_early"]
            ),
        ]
    )
    assert not theory._elements_by_kind
    report = theory.validate(select="CMO032")
    assert [finding.ids for finding in report] == [("m_late", "o_early"), ("c_late", "m_early")]
    assert [(f.ids, f.message) for f in report] == _reference_backward_edges(theory)


def test_edge_lists_add_every_link_without_touching_the_configuration_lists() -> None:
    theory = ProgrammeTheory(
        items=[
            cmokit.Context("hub"),
            cmokit.Mechanism("m"),
            *[cmokit.Outcome(f"o{n}") for n in range(5)],
            cmokit.Configuration("K", contexts=["hub"], mechanisms=["m"], outcomes=["o0"]),
            *[cmokit.Link("hub", f"o{n}") for n in range(5)],
        ]
    )
    adjacency = rules.TheoryIndex(theory).adjacency
    assert adjacency.configured["hub"] == ["m"]
    assert adjacency.every["hub"] == ["m", "o0", "o1", "o2", "o3", "o4"]
    assert adjacency.every["m"] is adjacency.configured["m"]  # no links: shared, not copied


def test_theory_index_shortcuts_for_custom_rules() -> None:
    index = rules.TheoryIndex(cmokit.examples.hand_hygiene())
    assert index.evidence_about is index.evidence_facts.about
    assert index.supported == set(index.evidence_facts.supporting)
    assert "CMOC1" in index.supported
