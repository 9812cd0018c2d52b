"""Tests for cmokit.rendering.diagram and cmokit.rendering.style: what a figure shows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import cmokit
import cmokit.examples
from cmokit import (
    Configuration,
    Context,
    ElementKind,
    Evidence,
    Figure,
    Link,
    Mechanism,
    Outcome,
    ProgrammeTheory,
    Stage,
    Theme,
)
from cmokit.rendering import DiagramOptions, resolve_options, to_graphviz, to_svg
from cmokit.rendering import engines as engines_module
from cmokit.rendering.style import OKABE_ITO, html_lines, look_of, tint, wrap
from strategies import theories
from svg_helpers import needs_dot, parse_svg, squash


def _visible(text: str) -> str:
    """What the figure shows for a text: control characters as their Unicode pictures."""
    shown = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        code = ord(char)
        if char in "\n\t":
            shown.append(" ")
        elif code < 0x20:
            shown.append(chr(0x2400 + code))
        elif code == 0x7F:
            shown.append("\u2421")
        else:
            shown.append(char)
    return "".join(shown)


def _nodes_by_label(svg: str) -> dict[str, str]:
    return {squash(text): name for name, text in parse_svg(svg).nodes.items()}


# ----------------------------------------------------------------- style


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short", 28, ["short"]),
        ("Higher hand-hygiene compliance", 16, ["Higher hand-", "hygiene", "compliance"]),
        ("one\ntwo", 28, ["one", "two"]),
        ("a" * 40, 10, ["a" * 10] * 4),
        ("never wrapped at all", 0, ["never wrapped at all"]),
        ("nul\x00byte", 28, ["nul\u2400byte"]),
    ],
)
def test_wrap_splits_long_labels_and_keeps_line_breaks(
    text: str, width: int, expected: list[str]
) -> None:
    assert wrap(text, width) == expected


@pytest.mark.parametrize("width", [5, 12, 28])
def test_wrapped_lines_never_exceed_the_width(width: int) -> None:
    text = "Supporting better personal and professional relationship building, extraordinarily"
    assert all(len(line) <= width for line in wrap(text, width))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold?</b>", "&lt;b&gt;bold?&lt;/b&gt;"),
        ("a & b", "a &amp; b"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it&#x27;s"),
        ("plain", "plain"),
    ],
)
def test_html_lines_escape_markup(text: str, expected: str) -> None:
    assert html_lines(text, 0) == expected


def test_html_lines_justify_left_when_asked() -> None:
    assert html_lines("one two", 3, align="LEFT") == 'one<BR ALIGN="LEFT"/>two<BR ALIGN="LEFT"/>'


def test_kinds_differ_in_shape_or_style_and_colour() -> None:
    looks = [look_of(kind) for kind in ElementKind]
    looks.append(look_of(ElementKind.OUTCOME, unintended=True))
    assert len({(look.shape, look.style) for look in looks}) == len(looks)
    assert len({look.fill for look in looks}) == len(looks)
    assert "dashed" in look_of(ElementKind.OUTCOME, unintended=True).style
    assert "dashed" not in look_of(ElementKind.OUTCOME).style


def test_unintended_only_changes_outcomes() -> None:
    assert look_of(ElementKind.CONTEXT, unintended=True) == look_of(ElementKind.CONTEXT)


@pytest.mark.parametrize("amount", [-0.1, 1.5])
def test_tint_rejects_amounts_outside_zero_to_one(amount: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        tint(OKABE_ITO["blue"], amount)


def test_tint_ends_are_white_and_the_colour() -> None:
    assert tint(OKABE_ITO["blue"], 0) == "#FFFFFF"
    assert tint(OKABE_ITO["blue"], 1) == OKABE_ITO["blue"]


# --------------------------------------------------------------- options


def test_figure_settings_apply_and_explicit_ones_override() -> None:
    theory = cmokit.examples.hand_hygiene()
    theory.add(Figure("narrow", title="Narrow", stages=["practice"], direction="TB", wrap=12))
    from_figure = resolve_options(theory, figure="narrow")
    assert (from_figure.stages, from_figure.direction, from_figure.wrap) == (
        ("practice",),
        "TB",
        12,
    )
    overridden = resolve_options(theory, figure="narrow", direction="LR", stages=["uptake"])
    assert (overridden.direction, overridden.stages, overridden.wrap) == ("LR", ("uptake",), 12)


def test_defaults_without_a_figure() -> None:
    theory = cmokit.examples.hand_hygiene()
    assert resolve_options(theory) == DiagramOptions(title=theory.title)


def test_title_can_be_switched_off() -> None:
    graph = to_graphviz(cmokit.examples.hand_hygiene(), title="")
    assert "label" not in graph.graph_attr


def test_unknown_figure_suggests_the_nearest_name() -> None:
    with pytest.raises(cmokit.UnknownReferenceError, match="did you mean 'figure2'"):
        to_graphviz(cmokit.examples.mentorship(), figure="figur2")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("direction", "sideways", "direction must be one of"), ("wrap", -1, "wrap must be")],
)
def test_bad_option_values_are_refused(option: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_graphviz(cmokit.examples.hand_hygiene(), **{option: value})  # type: ignore[arg-type]


def test_unknown_stage_is_an_unknown_reference() -> None:
    with pytest.raises(cmokit.UnknownReferenceError, match="uptak"):
        to_graphviz(cmokit.examples.hand_hygiene(), stages=["uptak"])


# ----------------------------------------------------- graph (no binary)


def test_building_needs_no_graphviz_program(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(engines_module, "_search_path", lambda: "")
    source = cmokit.examples.hand_hygiene().to_graphviz().source
    assert "Ward has regular audit data" in source


def test_stage_clusters_are_listed_in_stage_order() -> None:
    source = to_graphviz(cmokit.examples.mentorship()).source
    starts = [source.index(f"subgraph cluster_stage_{n} ") for n in (1, 2, 3)]
    assert starts == sorted(starts)
    assert re.search(r"1 · Engagement", source) and re.search(r"3 · Outcome themes", source)


def test_legend_is_drawn_unless_switched_off() -> None:
    theory = cmokit.examples.hand_hygiene()
    assert "cluster_legend" in to_graphviz(theory).source
    assert "cluster_legend" not in to_graphviz(theory, legend=False).source


def test_legend_lists_only_the_kinds_shown() -> None:
    theory = ProgrammeTheory(items=[Context("c", "A context"), Mechanism("m", "A mechanism")])
    source = to_graphviz(theory).source
    assert "Context" in source and "Mechanism" in source
    assert "Unintended outcome" not in source and ">Outcome<" not in source


def test_named_figure_draws_only_its_stages() -> None:
    theory = cmokit.examples.mentorship()
    source = to_graphviz(theory, figure="figure2").source
    for element in theory.elements:
        drawn = f"label=<{html_lines(element.label, 28)}" in source
        assert drawn == (element.stage == "engagement"), element.id
    assert "cluster_stage_2" not in source


def test_unintended_outcomes_are_dashed_and_chained_outcomes_marked() -> None:
    source = to_graphviz(cmokit.examples.hand_hygiene()).source
    blame = next(line for line in source.splitlines() if "Feedback felt as blame" in line)
    engaged = next(line for line in source.splitlines() if "Staff engage with feedback" in line)
    assert "dashed" in blame
    # The note names the step a reader knows (CMOC2's theme), not a configuration id.
    assert "context of theme Safer" in engaged and "penwidth=2.6" in engaged
    assert "CMOC2" not in engaged


def test_outcome_not_reused_is_not_marked_as_chained() -> None:
    source = to_graphviz(cmokit.examples.hand_hygiene()).source
    compliance = next(line for line in source.splitlines() if "hand-hygiene" in line)
    assert "context of" not in compliance and "penwidth=2.6" not in compliance


def _two_theme_theory() -> ProgrammeTheory:
    return ProgrammeTheory(
        "Two themes",
        items=[
            Stage("s1", "Only stage"),
            Theme("t1", "First theme"),
            Theme("t2", "Second theme"),
            Context("c", "Shared context", stage="s1"),
            Mechanism("m1", "M one", stage="s1"),
            Mechanism("m2", "M two", stage="s1"),
            Outcome("o1", "O one", stage="s1"),
            Outcome("o2", "O two", stage="s1"),
            Configuration("K1", contexts=["c"], mechanisms=["m1"], outcomes=["o1"], theme="t1"),
            Configuration("K2", contexts=["c"], mechanisms=["m2"], outcomes=["o2"], theme="t2"),
        ],
    )


def test_themes_are_labelled_boxes_inside_their_band() -> None:
    source = to_graphviz(_two_theme_theory()).source
    assert "subgraph cluster_stage_1_theme_1" in source
    assert "subgraph cluster_stage_1_theme_2" in source
    box = source[source.index("cluster_stage_1_theme_1") : source.index("cluster_stage_1_theme_2")]
    assert "First theme" in box and "M one" in box and "O one" in box
    assert "Shared context" not in box  # it serves both themes


def test_a_band_of_one_theme_names_it_instead_of_boxing_it() -> None:
    source = to_graphviz(cmokit.examples.hand_hygiene()).source
    assert "cluster_stage_2_theme" not in source
    band = source[source.index("subgraph cluster_stage_2") :]
    assert "Safer care" in band.split("\n", 2)[1] or "Safer care" in band[:400]


def test_edge_labels_show_configuration_ids_and_link_labels() -> None:
    theory = cmokit.examples.hand_hygiene()
    assert "CMOC1" not in to_graphviz(theory).source
    labelled = to_graphviz(theory, edge_labels=True).source
    assert "CMOC1" in labelled and "reinforces" in labelled


def test_evidence_counts_count_element_and_configuration_evidence() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c", "C"),
            Mechanism("m", "M"),
            Outcome("o", "O"),
            Configuration("K", contexts=["c"], mechanisms=["m"], outcomes=["o"]),
            Evidence("e1", "about c", about=["c"]),
            Evidence("e2", "about K", about=["K"], stance="contradicts"),
        ]
    )
    assert "evidence:" not in to_graphviz(theory).source
    source = to_graphviz(theory, evidence_counts=True).source
    assert source.count("evidence: 1 for, 1 against") == 1  # the context: e1 and e2
    assert source.count("evidence: 0 for, 1 against") == 2  # mechanism and outcome: e2


def test_several_inputs_to_several_outputs_meet_at_one_junction() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c1", "C1"),
            Context("c2", "C2"),
            Mechanism("m1", "M1"),
            Mechanism("m2", "M2"),
            Outcome("o", "O"),
            Configuration("K", contexts=["c1", "c2"], mechanisms=["m1", "m2"], outcomes=["o"]),
        ]
    )
    source = to_graphviz(theory, legend=False).source
    edges = re.findall(r"^\s*(\w+) -> (\w+)(?! \[[^]]*invis)", source, flags=re.MULTILINE)
    visible = [edge for edge in edges if "start" not in edge[0]]
    # 2 contexts into the junction, 2 out to mechanisms, 2 mechanisms to the outcome
    assert len([e for e in visible if e[1].startswith("j") or e[0].startswith("j")]) == 4
    assert ("n3", "n5") in visible and ("n4", "n5") in visible


def test_backward_edges_do_not_reorder_bands() -> None:
    theory = ProgrammeTheory(
        items=[
            Stage("first", "First"),
            Stage("second", "Second"),
            Mechanism("early", "Early", stage="first"),
            Outcome("late", "Late", stage="second"),
            Link("late", "early", "feeds back"),
        ]
    )
    source = to_graphviz(theory).source
    feedback = next(line for line in source.splitlines() if "style=dashed" in line)
    assert "constraint=false" in feedback


AWKWARD_LABELS = [
    'say "hello" and \\"escaped\\"',
    "back\\slash and \\n not a newline and \\l \\N \\G",
    "<b>not bold</b> & <i>not italic</i> &amp; &lt;",
    "{braces}; semicolons; [brackets] -> arrows -- edges",
    "first line\nsecond line\r\nthird",
    "עברית ועוד right-to-left مرحبا",
    "中文标签 日本語 한국어",
    "emoji 🙂🧼 👩‍⚕️",
    "]]> <!-- comment --> <![CDATA[x]]>",
    "subgraph cluster_x { a -> b }",
    "trailing backslash\\",
    "tab\tand nul\x00",
]


def _awkward_theory() -> ProgrammeTheory:
    items: list[object] = [
        Stage('st"1', 'Stage "one" <1>'),
        Theme("th&1", "Theme & <two>"),
    ]
    for number, label in enumerate(AWKWARD_LABELS):
        kind = (Context, Mechanism, Outcome)[number % 3]
        items.append(kind(f'id "{number}" \\', label, stage='st"1'))
    items.append(
        Configuration(
            'K"1;{}',
            contexts=['id "0" \\'],
            mechanisms=['id "1" \\'],
            outcomes=['id "2" \\'],
            theme="th&1",
            statement="<script>alert(1)</script>",
        )
    )
    items.append(Link('id "3" \\', 'id "4" \\', 'label "with" <html> & \\ backslash'))
    return ProgrammeTheory('Title <with> "quotes" & \\ backslash', items=items)  # type: ignore[arg-type]


def test_awkward_text_cannot_change_the_graph_structure() -> None:
    source = to_graphviz(_awkward_theory(), edge_labels=True).source
    # Every node and cluster name is cmokit's own; user text appears only inside <...> labels.
    names = re.findall(r"^\s*(\S+) \[", source, flags=re.MULTILINE)
    allowed = r"n\d+|j\d+|legend_\w+|cluster_\w+|graph|node|edge"
    assert all(re.fullmatch(allowed, name) for name in names), names
    assert "<script>" not in source and "<b>not bold" not in source


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize("label", AWKWARD_LABELS)
def test_awkward_labels_are_drawn_verbatim(label: str) -> None:
    theory = ProgrammeTheory(items=[Context("c", label), Outcome("o", "plain")])
    nodes = _nodes_by_label(to_svg(theory, legend=False, engine="dot"))
    assert squash(_visible(label)) in nodes
    assert squash("plain") in nodes


@pytest.mark.exe
@needs_dot
def test_awkward_model_renders_with_every_text_verbatim() -> None:
    theory = _awkward_theory()
    svg = to_svg(theory, engine="dot", edge_labels=True)
    shown = squash(" ".join(parse_svg(svg).nodes.values()))
    for element in theory.elements:
        assert squash(_visible(element.label)) in shown, element.id
    everything = squash(_svg_text(svg))
    for text in (
        'label "with" <html> & \\ backslash',
        'Title <with> "quotes" & \\ backslash',
        'Stage "one" <1>',
    ):
        assert squash(text) in everything


def _svg_text(svg: str) -> str:
    import xml.etree.ElementTree as ET

    return " ".join(ET.fromstring(svg).itertext())


# ------------------------------------------------------ drawn with dot


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize(
    ("example", "figure"),
    [
        ("hand_hygiene", None),
        ("mentorship", None),
        ("mentorship", "figure1"),
        ("mentorship", "figure2"),
    ],
)
def test_every_element_label_appears_in_the_svg(example: str, figure: str | None) -> None:
    theory = getattr(cmokit.examples, example)()
    stages = theory.figure(figure).stages if figure else ()
    expected = theory.subtheory(stages=stages).elements if stages else theory.elements
    assert expected
    shown = squash(" ".join(parse_svg(to_svg(theory, figure=figure, engine="dot")).nodes.values()))
    for element in expected:
        assert squash(element.label) in shown, element.id


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_stage_bands_follow_stage_order_in_the_drawing(direction: str) -> None:
    drawing = parse_svg(to_svg(cmokit.examples.mentorship(), engine="dot", direction=direction))
    bands = [name for name in drawing.clusters if re.fullmatch(r"cluster_stage_\d+", name)]
    assert bands == ["cluster_stage_1", "cluster_stage_2", "cluster_stage_3"]
    titles = [drawing.clusters[name] for name in bands]
    assert [
        title.startswith(start)
        for title, start in zip(
            titles, ("1 · Engagement", "2 · Enactment", "3 · Outcome"), strict=True
        )
    ] == [True, True, True]
    if direction == "LR":
        # Reading order: each band starts to the right of the one before.
        lefts = [drawing.cluster_left[name] for name in bands]
        assert lefts == sorted(lefts)


@pytest.mark.exe
@needs_dot
def test_legend_appears_in_the_svg_unless_switched_off() -> None:
    theory = cmokit.examples.hand_hygiene()
    assert "cluster_legend" in parse_svg(to_svg(theory, engine="dot")).clusters
    assert "cluster_legend" not in parse_svg(to_svg(theory, engine="dot", legend=False)).clusters


@pytest.mark.exe
@needs_dot
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(theory=theories(max_items=3))
def test_generated_theories_render_with_labels_verbatim(theory: ProgrammeTheory) -> None:
    drawing = parse_svg(to_svg(theory, engine="dot", edge_labels=True, evidence_counts=True))
    shown = squash(" ".join(drawing.nodes.values()))
    for element in theory.elements:
        assert squash(_visible(element.label)) in shown, element.id
    element_nodes = [name for name in drawing.nodes if re.fullmatch(r"n\d+", name)]
    assert len(element_nodes) == len(theory.elements)


# ------------------------------------------------------------- collapse


def _overview(**options: object) -> str:
    theory = cmokit.examples.mentorship()
    return to_graphviz(theory, collapse=["wellbeing", "engagement"], **options).source  # type: ignore[arg-type]


def _node_lines(source: str) -> dict[str, str]:
    """Node name -> its DOT statement, for nodes cmokit drew (elements and groups)."""
    found = re.findall(r"^\s*([ng]\d+) \[(.*)\]$", source, flags=re.MULTILINE)
    return dict(found)


def _visible_edges(source: str) -> list[tuple[str, str]]:
    edges = re.findall(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", source, flags=re.MULTILINE)
    return [(tail, head) for tail, head, attributes in edges if "invis" not in attributes]


def test_a_collapsed_theme_is_one_node_holding_every_member_label() -> None:
    theory = cmokit.examples.mentorship()
    members = [e for e in theory.elements if e.id in theory.elements_in_theme("wellbeing")]
    only_wellbeing = [
        e for e in members if {c.theme for c in theory.configurations_with(e.id)} == {"wellbeing"}
    ]
    assert len(only_wellbeing) >= 10
    nodes = _node_lines(_overview())
    holders = {
        name
        for element in only_wellbeing
        for name, line in nodes.items()
        if html_lines(element.label, 34) in line
    }
    assert len(holders) == 1
    (group,) = holders
    assert group.startswith("g")
    assert html_lines(theory["wellbeing"].label, 34) in nodes[group]  # type: ignore[union-attr]
    # Members drawn in the box are drawn nowhere else.
    assert all(
        element.label not in line
        for name, line in nodes.items()
        if name != group
        for element in only_wellbeing
    )


def test_collapse_merges_edges_into_and_out_of_the_group() -> None:
    source = _overview(legend=False)
    edges = _visible_edges(source)
    assert len(edges) == len(set(edges)), "merged edges are drawn once"
    groups = set(re.findall(r"^\s*(g\d+) \[", source, flags=re.MULTILINE))
    assert len(groups) == 2
    assert not [edge for edge in edges if edge[0] == edge[1]]
    # Enacted mentorship is a context of the wellbeing configurations: one edge reaches the box.
    enacted = next(n for n, line in _node_lines(source).items() if "Mentorship enacted" in line)
    wellbeing = next(
        n for n, line in _node_lines(source).items() if n in groups and "Threats to" in line
    )
    assert edges.count((enacted, wellbeing)) == 1


def test_unintended_members_of_a_collapsed_theme_are_marked() -> None:
    nodes = _node_lines(_overview())
    group = next(line for line in nodes.values() if "Sleepless nights" in line)
    sleepless = group[group.index("Sleepless nights") - 40 : group.index("Sleepless nights")]
    assert "<I>" in sleepless  # unintended: italic, in the unintended colour
    assert style_fill_of("Unintended outcome") in group


def style_fill_of(name: str) -> str:
    from cmokit.rendering import style

    return style.UNINTENDED_LOOK.fill if name == "Unintended outcome" else ""


def test_collapsing_a_stage_keeps_its_band_and_names_no_theme() -> None:
    source = to_graphviz(cmokit.examples.hand_hygiene(), collapse=["uptake"]).source
    band = source[
        source.index("subgraph cluster_stage_1") : source.index("subgraph cluster_stage_2")
    ]
    assert re.search(r"\bg1 \[", band)
    for label in ("Ward has regular audit data", "Peer feedback", "Feedback felt as blame"):
        assert label in band
    assert "Stage in brief" in source


def test_nothing_collapsed_draws_every_element_as_its_own_node() -> None:
    source = to_graphviz(cmokit.examples.mentorship()).source
    assert not re.search(r"^\s*g\d+ \[", source, flags=re.MULTILINE)
    assert len(_node_lines(source)) == len(cmokit.examples.mentorship().elements)


def test_collapse_comes_from_the_figure_and_an_explicit_value_overrides_it() -> None:
    theory = cmokit.examples.mentorship()
    assert "wellbeing" in resolve_options(theory, figure="figure1").collapse
    assert resolve_options(theory, figure="figure1", collapse=["communities"]).collapse == (
        "communities",
    )
    assert resolve_options(theory, figure="figure2").collapse == ()


@pytest.mark.parametrize(
    ("collapse", "message"),
    [(["wellbing"], "did you mean 'wellbeing'"), (["nothing_like_it"], "no stage or theme")],
)
def test_collapse_of_an_unknown_id_is_an_unknown_reference(
    collapse: list[str], message: str
) -> None:
    with pytest.raises(cmokit.UnknownReferenceError, match=message):
        to_graphviz(cmokit.examples.mentorship(), collapse=collapse)


def test_figure_collapse_round_trips_through_the_model_file() -> None:
    theory = cmokit.examples.mentorship()
    again = cmokit.loads(cmokit.dumps(theory), format="yaml")
    assert again.figure("figure1").collapse == theory.figure("figure1").collapse
    assert "collapse" in cmokit.dumps(theory)
    assert "collapse" not in cmokit.dumps(cmokit.examples.hand_hygiene())


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("wellbeing", TypeError, "collapse must be a list"),
        (["a", "a"], ValueError, "collapse lists 'a' more than once"),
        ([1], TypeError, "collapse must hold strings"),
    ],
)
def test_figure_collapse_is_checked(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        Figure("f", collapse=value)  # type: ignore[arg-type]


def test_model_file_collapse_must_name_a_stage_or_theme() -> None:
    text = "cmokit: 1\nthemes: [{id: t1, label: T}]\nfigures:\n  f: {collapse: [t2]}\n"
    with pytest.raises(cmokit.LoadError, match="collapse refers to unknown stage or theme 't2'"):
        cmokit.loads(text, format="yaml")


# ---------------------------------------------------- layout rules


@pytest.mark.parametrize(
    ("shared", "wording"),
    [
        ("hand_hygiene", "→ context of theme Safer care"),
        ("engagement", "→ context of Enactment"),
        ("enacted", "→ mechanism and context of 4 themes"),
    ],
)
def test_reused_outcomes_name_their_next_step_not_an_id(shared: str, wording: str) -> None:
    if shared == "hand_hygiene":
        source = to_graphviz(cmokit.examples.hand_hygiene(), wrap=0).source
    else:
        source = to_graphviz(cmokit.examples.mentorship(), wrap=0).source
    assert wording in source
    assert "cmo_" not in source.replace("cmokit", "") and "CMOC" not in source


def test_junction_sits_in_the_theme_box_of_its_outputs() -> None:
    source = to_graphviz(cmokit.examples.mentorship(), legend=False).source
    box = re.search(r"subgraph cluster_stage_3_theme_3 \{(.*?)\n\t\t\}", source, flags=re.DOTALL)
    assert box is not None
    junctions = re.findall(r"^\s*(j\d+) \[", box.group(1), flags=re.MULTILINE)
    assert len(junctions) == 2  # contexts → mechanisms and mechanisms → outcomes of wellbeing


def test_links_against_the_reading_order_do_not_rank() -> None:
    theory = ProgrammeTheory(
        items=[
            Context("c1", "C one"),
            Context("c2", "C two"),
            Mechanism("m", "M"),
            Outcome("o", "O"),
            Configuration("K", contexts=["c1", "c2"], mechanisms=["m"], outcomes=["o"]),
            Link("m", "c1", "back"),
            Link("c1", "c2", "sideways"),
            Link("c2", "o", "forward"),
        ]
    )
    source = to_graphviz(theory, legend=False, edge_labels=True).source
    line = {
        label: text
        for text in source.splitlines()
        for label in ("back", "sideways", "forward")
        if f"<{label}>" in text
    }
    assert "constraint=false" in line["back"] and "constraint=false" in line["sideways"]
    assert "constraint" not in line["forward"]


_LONG_TITLE = (
    "From engagement through enactment to better specialist support and the other outcome themes"
)


@pytest.mark.parametrize(
    ("title", "width"),
    [
        (_LONG_TITLE, 84),
        (_LONG_TITLE, 66),
        ("A short title", 84),
    ],
)
def test_titles_are_wrapped_into_balanced_lines(title: str, width: int) -> None:
    lines = wrap(title, width, balanced=True)
    assert len(lines) == len(wrap(title, width))
    assert all(len(line) <= width for line in lines)
    if len(lines) > 1:
        assert min(map(len, lines)) >= max(map(len, lines)) / 2


def test_the_key_lists_its_entries_in_one_fixed_order() -> None:
    order = [
        "Context",
        "Mechanism",
        "Outcome",
        "Unintended outcome",
        "Outcome used in a later step",
        "Theme in brief",
        "Stage in brief",
        "Link",
        "Join of one configuration",
    ]
    for options in ({}, {"figure": "figure1"}, {"figure": "figure2"}, {"themes": ["wellbeing"]}):
        source = to_graphviz(cmokit.examples.mentorship(), **options).source  # type: ignore[arg-type]
        entries = re.findall(r"legend_(\d+) \[label=<<FONT POINT-SIZE=\"9\">(.*?)</FONT>>", source)
        names = [re.sub(r"<[^>]+>|- - →|•", "", text).strip() for _, text in entries]
        assert names == [name for name in order if name in names], options
        assert len(names) >= 4


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize(
    "options",
    [{}, {"figure": "figure1"}, {"figure": "figure2"}],
    ids=["whole", "figure1", "figure2"],
)
def test_the_key_is_drawn_in_order_clear_of_bands_and_edges(
    direction: str, options: dict[str, str]
) -> None:
    theory = cmokit.examples.mentorship()
    drawing = parse_svg(to_svg(theory, engine="dot", direction=direction, **options))
    key = drawing.cluster_boxes["cluster_legend"]
    entries = sorted(
        (n for n in drawing.node_boxes if re.fullmatch(r"legend_\d+", n)), key=lambda n: int(n[7:])
    )
    along = 1 if direction == "LR" else 0  # a column when left to right, else a row
    positions = [drawing.node_boxes[name].centre[along] for name in entries]
    assert positions == sorted(positions)
    for name, box in drawing.cluster_boxes.items():
        if name.startswith("cluster_stage_") and name.count("_") == 2:
            assert not key.overlaps(box), name
    for (tail, head), points in zip(drawing.edges, drawing.edge_points, strict=True):
        assert not any(key.holds(point) for point in points), (tail, head)


@pytest.mark.exe
@needs_dot
@pytest.mark.parametrize(
    ("example", "options"),
    [
        ("hand_hygiene", {}),
        ("mentorship", {"figure": "figure1"}),
        ("mentorship", {"figure": "figure2"}),
        ("mentorship", {"themes": ["wellbeing"]}),
        ("mentorship", {"themes": ["communities"]}),
    ],
)
def test_configuration_edges_run_left_to_right(example: str, options: dict[str, object]) -> None:
    theory = getattr(cmokit.examples, example)()
    graph = to_graphviz(theory, legend=False, **options)  # type: ignore[arg-type]
    ranked = [
        (tail, head)
        for tail, head, attributes in re.findall(
            r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", graph.source, flags=re.MULTILINE
        )
        if not any(word in attributes for word in ("invis", "dashed", "constraint=false"))
    ]
    assert ranked
    drawing = parse_svg(to_svg(theory, engine="dot", legend=False, **options))  # type: ignore[arg-type]
    for tail, head in ranked:
        # The head starts where the tail ends or further right (1 pt for rounding): every
        # context → join dot → mechanism → join dot → outcome arrow reads forward.
        assert drawing.node_boxes[head].left >= drawing.node_boxes[tail].right - 1, (tail, head)


# ------------------------------------------------------------------ growth with size


def _synthetic_theory(size: int) -> dict[str, object]:
    """A theory of ``size`` configurations in 3 stages with everything the builder draws.

    Shared elements, several inputs meeting several outputs (join dots), outcomes reused as
    later contexts, about ``size / 10`` themes, links and evidence for and against.
    """
    half = max(1, size // 2)

    def stage(index: int) -> str:
        return f"s{min(2, index * 6 // size)}"

    configurations = []
    for number in range(size):
        contexts = [f"c{number // 2}", f"c{number * 7 % half}"]
        if number % 3 == 0 and number // 2 - half // 3 >= 0:
            contexts.append(f"o{number // 2 - half // 3}")
        mechanisms = [f"m{number // 2}"] + ([f"m{number * 5 % half}"] if number % 4 == 0 else [])
        outcomes = [f"o{number // 2}"] + ([f"o{(number // 2 + 1) % half}"] if number % 2 else [])
        configurations.append(
            {
                "id": f"k{number}",
                "contexts": contexts,
                "mechanisms": mechanisms,
                "outcomes": outcomes,
                "theme": f"t{number // 10}",
            }
        )
    elements = {
        kind: [
            {"id": f"{kind[0]}{index}", "label": f"{kind} {index}", "stage": stage(index)}
            for index in range(half)
        ]
        for kind in ("contexts", "mechanisms", "outcomes")
    }
    return {
        "cmokit": 1,
        "title": "Synthetic",
        "stages": [{"id": f"s{index}", "label": f"Stage {index}"} for index in range(3)],
        "themes": [{"id": f"t{index}", "label": f"Theme {index}"} for index in range(size // 10)],
        **elements,
        "configurations": configurations,
        "links": [
            {"source": f"o{index}", "target": f"c{index + 1}", "label": "leads to"}
            for index in range(0, half - 1, 10)
        ],
        "evidence": [
            {
                "id": f"e{number}",
                "text": "Seen in the interviews",
                "about": [f"k{number}", f"c{number // 2}"],
                "stance": "contradicts" if number % 5 == 0 else "supports",
            }
            for number in range(size)
        ],
    }


# Counts the lines of cmokit's own code run while drawing a theory: a measure of work that,
# unlike time, does not depend on the machine or on what else runs on it.
_COUNT_LINES = """
import json, sys
from pathlib import Path
import cmokit
import cmokit.examples
from cmokit.rendering import to_graphviz
package = str(Path(cmokit.__file__).parent)
theory = cmokit.from_dict(json.loads(Path(sys.argv[1]).read_text()))
to_graphviz(cmokit.examples.hand_hygiene()).source  # imports done before counting
lines = 0
def count(frame, event, argument):
    global lines
    lines += event == "line"
    return count
def trace(frame, event, argument):
    return count if frame.f_code.co_filename.startswith(package) else None
sys.settrace(trace)
to_graphviz(
    theory, edge_labels=True, evidence_counts=True, collapse=["t0", "s2"]
).source
sys.settrace(None)
print(lines)
"""


def _lines_run_to_draw(size: int, folder: Path) -> int:
    path = folder / f"synthetic_{size}.json"
    path.write_text(json.dumps(_synthetic_theory(size)), encoding="utf-8")
    # In a process of its own: a coverage tracer or debugger in this one would be replaced.
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_LINES, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_synthetic_theory_has_what_the_builder_draws() -> None:
    theory = cmokit.from_dict(_synthetic_theory(100))
    source = to_graphviz(theory, collapse=["t0", "s2"]).source
    assert len(theory.configurations) == 100 and len(theory.themes) == 10
    for drawn in ("cluster_stage_3", "_theme_", "j1 [", "g1 [", "g2 [", "style=dashed"):
        assert drawn in source, drawn
    assert "→ context of" in source


def test_drawing_four_times_the_configurations_takes_about_four_times_the_work(
    tmp_path: Path,
) -> None:
    # A step that scans every configuration, node or edge once per element (as the builder
    # once did to find where an outcome is used next, or which nodes a band holds) makes
    # the work grow about 16-fold here; kept linear it grows about 4-fold, a little less
    # for the fixed costs.
    small, large = (_lines_run_to_draw(size, tmp_path) for size in (100, 400))
    assert large / small < 5, (small, large)


def test_a_band_keeps_its_step_number_from_the_whole_theory() -> None:
    theory = cmokit.examples.mentorship()
    source = to_graphviz(theory, stages=["enactment", "outcomes"]).source
    assert "2 · Enactment" in source
    assert "3 · Outcome themes" in source
    assert "1 · Enactment" not in source
