"""Smoke tests for the benchmark suite in benchmarks/: it must keep working as cmokit grows.

No timing is asserted here: the numbers depend on the machine. The targets are reported by
``benchmarks/run.py`` itself (see docs/performance.md).
"""

from __future__ import annotations

import doctest
import gc
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest

import cmokit

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(file_name: str, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate_module() -> ModuleType:
    # run.py imports its sibling as `generate`, as it does when started as a script.
    return _load("generate.py", "generate")


@pytest.fixture(scope="module")
def run_module(generate_module: ModuleType) -> ModuleType:
    return _load("run.py", "cmokit_benchmarks_run")


def test_examples_in_the_benchmark_docstrings_run(
    generate_module: ModuleType, run_module: ModuleType
) -> None:
    for module in (generate_module, run_module):
        failed, attempted = doctest.testmod(module)
        assert attempted > 0
        assert failed == 0


def test_generator_is_deterministic_for_a_seed(generate_module: ModuleType) -> None:
    first = generate_module.generate(60, seed=7)
    assert generate_module.generate(60, seed=7) == first
    assert generate_module.generate(60, seed=8) != first


@pytest.mark.parametrize("size", [1, 7, 120])
def test_generator_makes_a_model_cmokit_loads(generate_module: ModuleType, size: int) -> None:
    data = generate_module.generate(size, seed=3)
    theory = cmokit.loads(json.dumps(data), format="json")
    assert len(theory.configurations) == size
    assert len(theory.evidence) == 3 * size
    assert [stage.id for stage in theory.stages] == [
        f"stage{n}" for n in range(1, generate_module.STAGE_COUNT + 1)
    ]
    assert theory.themes
    assert nx.is_directed_acyclic_graph(theory.to_networkx())


def test_generator_pools_grow_with_size_and_are_shared(generate_module: ModuleType) -> None:
    small = generate_module.generate(400, seed=0)
    large = generate_module.generate(4000, seed=0)
    for section in ("contexts", "mechanisms", "outcomes"):
        assert 0.3 * 400 <= len(small[section]) <= 0.7 * 400
        assert 0.3 * 4000 <= len(large[section]) <= 0.7 * 4000
    theory = cmokit.from_dict(large)
    used = {element for c in theory.configurations for element in c.elements}
    assert used == {element.id for element in theory.elements}, "every element takes part"
    assert len(theory.configurations_with(theory.contexts[0].id)) > 1, "elements are shared"


def test_generator_makes_chains(generate_module: ModuleType) -> None:
    theory = cmokit.from_dict(generate_module.generate(400, seed=0))
    outcome_ids = {outcome.id for outcome in theory.outcomes}
    chained = [c for c in theory.configurations if outcome_ids & set(c.contexts)]
    assert 0.1 * 400 <= len(chained) <= 0.5 * 400
    assert any(len(theory.explain(o.id).chains[0].steps) > 1 for o in theory.outcomes)


def test_generator_refuses_an_empty_theory(generate_module: ModuleType) -> None:
    with pytest.raises(ValueError, match="size must be at least 1"):
        generate_module.generate(0)


def test_generator_writes_a_model_file(generate_module: ModuleType, tmp_path: Path) -> None:
    for name in ("t.json", "t.yaml"):
        assert generate_module.main(["5", "--seed", "2", "-o", str(tmp_path / name)]) == 0
        assert len(cmokit.load(tmp_path / name).configurations) == 5


def test_baseline_holds_the_same_edges_as_the_theory(
    generate_module: ModuleType, run_module: ModuleType
) -> None:
    data = generate_module.generate(200, seed=5)
    baseline = run_module.baseline_graph(data)
    theory_graph = cmokit.from_dict(data).to_networkx()
    assert set(baseline.edges) == set(theory_graph.edges)
    assert set(baseline.nodes) == set(theory_graph.nodes)


@pytest.mark.parametrize("collector_paused", [True, False])
def test_timing_pauses_the_collector_only_when_asked_and_restores_it(
    run_module: ModuleType, collector_paused: bool
) -> None:
    seen: list[bool] = []
    wall, cpu, collect = run_module._time_once(
        lambda: seen.append(gc.isenabled()), collector_paused=collector_paused
    )
    assert seen == [not collector_paused]
    assert gc.isenabled()
    assert wall >= 0 and cpu >= 0
    assert (collect >= 0) if collector_paused else (collect == 0)


def test_cmokit_loads_and_their_baselines_are_timed_alike(run_module: ModuleType) -> None:
    # A fair ratio needs both sides of each comparison measured the same way.
    paused = {step.name: step.collector_paused for step in run_module.STEPS}
    assert paused["build"] == paused["baseline"]
    assert paused["load_json"] == paused["json_baseline"]
    assert not paused["baseline_gc"] and not paused["json_baseline_gc"]


@pytest.mark.parametrize(
    ("costs", "flat"),
    [
        ((2.0, 2.2, 2.5), True),
        ((2.0, 2.2, 2.7), False),
        ((2.0, 1.3, 2.0), False),
    ],
)
def test_scaling_judges_cost_per_configuration(
    run_module: ModuleType, costs: tuple[float, ...], flat: bool
) -> None:
    sizes = {
        str(size): {"steps": {"build": {"available": True, "median_s": 1.0, "per_unit_us": cost}}}
        for size, cost in zip((10, 100, 1000), costs, strict=True)
    }
    entry = run_module.scaling(sizes)["build"]
    assert entry["flat"] is flat
    assert entry["change"] == pytest.approx(costs[-1] / costs[0] - 1)


@pytest.fixture(scope="module")
def report(run_module: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "out.json"
    status = run_module.main(["--sizes", "30", "60", "--repeats", "1", "--json", str(out)])
    assert status == 0
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


def test_runner_writes_every_section(report: dict[str, Any]) -> None:
    assert set(report) >= {
        "machine",
        "settings",
        "available",
        "sizes",
        "scaling",
        "imports",
        "commands",
        "targets",
    }
    assert set(report["sizes"]) == {"30", "60"}
    assert report["machine"]["python"]
    assert report["settings"]["repeats"] == 1


def test_runner_times_every_available_step(report: dict[str, Any], run_module: ModuleType) -> None:
    for size in ("30", "60"):
        steps = report["sizes"][size]["steps"]
        assert set(steps) == {step.name for step in run_module.STEPS}
        for name, entry in steps.items():
            assert entry["available"] is report["available"][name]
            if entry["available"]:
                assert len(entry["wall_runs_s"]) == len(entry["cpu_runs_s"]) == 1
                assert entry["median_s"] == entry["cpu_median_s"]
                assert entry["per_unit_us"] > 0
        ratios = report["sizes"][size]["ratios"]
        assert ratios["build_vs_baseline"] > 0
        assert ratios["load_json_vs_json_baseline"] > 0


def test_runner_reports_imports_commands_and_targets(report: dict[str, Any]) -> None:
    imports = report["imports"]
    assert imports["cmokit_s"] > 0 and imports["networkx_s"] > 0
    assert imports["pandas_imported_by_cmokit"] is False
    assert report["commands"]["model"] in ("mentorship.yaml", "hand_hygiene.yaml")
    names = {target["name"] for target in report["targets"]}
    assert names == {
        "build_validate_vs_baseline",
        "per_configuration_flat",
        "yaml_c_loader",
        "load_json_vs_json_baseline",
        "import_vs_networkx",
        "cli_validate_wall",
        "cli_render_wall",
    }
    for target in report["targets"]:
        assert target["met"] in (True, False, None)


def test_runner_refuses_bad_sizes(run_module: ModuleType) -> None:
    with pytest.raises(SystemExit) as stop:
        run_module.main(["--sizes", "0"])
    assert stop.value.code == 2
