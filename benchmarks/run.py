"""Benchmark cmokit at realist-synthesis scale and check the performance targets.

Usage::

    python benchmarks/run.py [--sizes 1000 10000 100000] [--repeats 5] [--seed 0] [--json OUT]

For each size (number of configurations) a synthetic theory is generated
(``benchmarks/generate.py``) and every step below is timed ``--repeats`` times; the median
is reported, with its cost per configuration (per query for ``explain``):

* ``load_json`` / ``load_yaml``: ``cmokit.load`` of the theory saved as JSON / YAML;
* ``build``: ``cmokit.from_dict`` on the parsed mapping: the items, checks and indexes;
* ``validate``: ``theory.validate()``;
* ``graph``: the theory's networkx graph, which it builds when something first reads it
  (queries, figures, exports, ``to_networkx``); validating an acyclic theory does not;
* ``query_indexes``: the indexes ``explain`` and ``configurations_with`` build on their
  first call;
* ``explain``: ``theory.explain()`` for 100 outcomes;
* ``to_graphviz``: the Graphviz source of ``theory.to_graphviz()`` for the whole theory;
* ``to_frames``: ``theory.to_frames()``;
* ``baseline``: the floor for a networkx-based library: the same nodes and edges added to
  a plain ``networkx.DiGraph``, then ``networkx.is_directed_acyclic_graph``;
* ``json_baseline``: ``json.load`` of the same file plus the baseline build;
* ``baseline_gc`` / ``json_baseline_gc``: the same with the collector running, as plain
  code runs them (for reference only: what the collector costs code that does not pause it).

How the cycle collector is treated (the same for cmokit and the baselines): ``load_json``,
``load_yaml``, ``build``, ``baseline`` and ``json_baseline`` run with the collector paused
around the whole timed call, and the collection of what they made runs after the timer
stops (``gc.collect()``, its time recorded apart as ``collect_*``). cmokit's loader pauses
the collector itself; without this its first collection after switching it back on could
fall inside its timer while the baseline's matching one fell outside. The other steps run
with the collector on, as a user's code runs them, and their timer ends with a collection
of the youngest generation (``gc.collect(0)``): a method that pauses the collector leaves
the objects it made to that collection, and it is counted as part of the method.

It also times ``import cmokit`` against ``import networkx`` in fresh interpreters, and the
whole-process wall time and peak memory of ``cmokit validate`` and ``cmokit render -o x.svg``
on the bundled example. Steps whose feature this cmokit lacks are reported as not available.
The targets of issue 8 are checked and reported, never asserted: the exit status is 0
whether or not they are met (it is 2 only for bad arguments).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from generate import generate

import cmokit
import cmokit.examples
import cmokit.fileformat
from cmokit import ProgrammeTheory

EXPLAIN_QUERIES = 100
"""How many outcomes ``explain`` is asked about at each size."""

PROCESS_RUNS = 5
"""Fresh-process measurements (imports, command line) take the median of at least this many."""

BUILD_VALIDATE_LIMIT = 2.0
BUILD_VALIDATE_AIM = 1.5
FLATNESS_LIMIT = 0.30
JSON_LOAD_LIMIT = 2.0
IMPORT_LIMIT = 1.5
VALIDATE_COMMAND_LIMIT = 0.5
RENDER_COMMAND_LIMIT = 1.0
TARGET_SIZES = (1_000, 100_000)
"""The sizes between which the targets are defined; other sizes are reported all the same."""


@dataclass(frozen=True)
class Step:
    """One timed operation of the benchmark."""

    name: str
    description: str
    unit: str = "configuration"
    collector_paused: bool = False
    """Time with the cycle collector off around the whole call (see the module docs)."""


STEPS = (
    Step("load_json", "cmokit.load() of the JSON model file", collector_paused=True),
    Step("load_yaml", "cmokit.load() of the YAML model file", collector_paused=True),
    Step(
        "build",
        "cmokit.from_dict(): the theory from the parsed mapping (its graph is built when"
        " first read: see graph)",
        collector_paused=True,
    ),
    Step(
        "graph", "the theory's networkx graph, built when queries, figures or exports first read it"
    ),
    Step("validate", "theory.validate()"),
    Step(
        "query_indexes",
        "the indexes explain() and configurations_with() build on their first call",
    ),
    Step("explain", f"theory.explain() for {EXPLAIN_QUERIES} outcomes", unit="query"),
    Step("to_graphviz", "theory.to_graphviz() source for the whole theory"),
    Step("to_frames", "theory.to_frames()"),
    Step(
        "baseline",
        "plain networkx.DiGraph of the same edges + is_directed_acyclic_graph",
        collector_paused=True,
    ),
    Step("json_baseline", "json.load() + the baseline build", collector_paused=True),
    Step("baseline_gc", "the baseline with the cycle collector running"),
    Step("json_baseline_gc", "json.load() + the baseline with the cycle collector running"),
)

REFERENCE_STEPS = ("baseline", "json_baseline", "baseline_gc", "json_baseline_gc")
"""Steps that time plain networkx and json, the yardsticks, rather than cmokit."""

FEATURES = {"validate": "validate", "to_graphviz": "to_graphviz", "to_frames": "to_frames"}
"""Steps that need a ProgrammeTheory method another issue adds, and that method's name."""


# ------------------------------------------------------------------------------ timing


CLOCKS = ("cpu", "wall")
"""``cpu``: this process's processor time, steady on a shared machine; ``wall``: elapsed time."""


def _time_once(
    operation: Callable[[], object], *, collector_paused: bool = False
) -> tuple[float, float, float]:
    """Wall and CPU seconds one call takes, and the CPU seconds of the collection after it.

    Collects garbage first and frees the result after. With ``collector_paused`` the cycle
    collector is off for the whole call, for cmokit and baseline alike, and the collection
    of what the call made runs after the timer stops (its CPU time is the third value).
    Otherwise the collector runs as it would in a user's code and the timer includes a
    collection of the youngest generation, where a call that paused the collector left its
    objects; the third value is then 0.

    Example:
        >>> wall, cpu, collect = _time_once(lambda: [[] for _ in range(1000)])
        >>> wall >= 0 and cpu >= 0 and collect == 0
        True
    """
    gc.collect()
    enabled = gc.isenabled()
    if collector_paused:
        gc.disable()
    try:
        wall_start = time.perf_counter()
        cpu_start = time.process_time()
        result = operation()
        if not collector_paused:
            gc.collect(0)
        cpu = time.process_time() - cpu_start
        wall = time.perf_counter() - wall_start
    finally:
        if enabled:
            gc.enable()
    collect = 0.0
    if collector_paused:
        collect_start = time.process_time()
        gc.collect()
        collect = time.process_time() - collect_start
    del result  # freeing a large theory is not part of the step
    return wall, cpu, collect


def baseline_graph(data: dict[str, Any]) -> nx.DiGraph:
    """The floor: the theory's nodes and edges in a plain ``DiGraph``, checked for cycles.

    Example:
        >>> graph = baseline_graph(generate(10))
        >>> graph.number_of_nodes() > 0
        True
    """
    graph = nx.DiGraph()
    for section in ("contexts", "mechanisms", "outcomes"):
        graph.add_nodes_from(element["id"] for element in data.get(section, ()))
    configurations = data.get("configurations", ())
    graph.add_edges_from(
        (context, mechanism)
        for configuration in configurations
        for context in configuration.get("contexts", ())
        for mechanism in configuration.get("mechanisms", ())
    )
    graph.add_edges_from(
        (mechanism, outcome)
        for configuration in configurations
        for mechanism in configuration.get("mechanisms", ())
        for outcome in configuration.get("outcomes", ())
    )
    graph.add_edges_from((link["source"], link["target"]) for link in data.get("links", ()))
    nx.is_directed_acyclic_graph(graph)
    return graph


def _json_baseline(path: Path) -> nx.DiGraph:
    with path.open(encoding="utf-8") as stream:
        data = json.load(stream)
    return baseline_graph(data)


def _feature(theory: ProgrammeTheory, method: str) -> Callable[[], object]:
    """A method another issue adds; looked up by name so this file runs without it."""
    bound: Callable[[], object] = getattr(theory, method)
    return bound


def _query_indexes(theory: ProgrammeTheory) -> object:
    """Build afresh the indexes queries build on first use (loading leaves them out).

    Example:
        >>> theory = cmokit.from_dict(generate(10))
        >>> members, producers = _query_indexes(theory)
        >>> len(producers) > 0
        True
    """
    theory._element_configurations = None
    theory._producers = None
    return theory._configurations_of(), theory._producers_of()


def _fresh_graph(theory: ProgrammeTheory) -> object:
    """Build afresh the networkx graph a theory builds when something first reads it.

    Example:
        >>> _fresh_graph(cmokit.from_dict(generate(10))).number_of_nodes() > 0
        True
    """
    theory._graph_built = None
    return theory._graph


def _explain_many(theory: ProgrammeTheory, outcome_ids: Sequence[str]) -> int:
    return sum(len(theory.explain(outcome_id).chains) for outcome_id in outcome_ids)


def _graphviz_source(theory: ProgrammeTheory) -> str:
    graph = _feature(theory, "to_graphviz")()
    source = getattr(graph, "source", None)
    return str(graph) if source is None else str(source)


def _frames(theory: ProgrammeTheory) -> object:
    return _feature(theory, "to_frames")()


def available_steps() -> dict[str, bool]:
    """Which steps this cmokit can run (a feature may not have landed yet).

    Example:
        >>> available_steps()["build"]
        True
    """
    return {
        step.name: hasattr(ProgrammeTheory, FEATURES[step.name]) if step.name in FEATURES else True
        for step in STEPS
    }


def _pick_outcomes(theory: ProgrammeTheory) -> list[str]:
    """``EXPLAIN_QUERIES`` outcome ids spread evenly over the theory (repeats if few)."""
    outcome_ids = [outcome.id for outcome in theory.outcomes]
    if not outcome_ids:
        return []
    return [outcome_ids[n * len(outcome_ids) // EXPLAIN_QUERIES] for n in range(EXPLAIN_QUERIES)]


def _operations(
    data: dict[str, Any], theory: ProgrammeTheory, json_path: Path, yaml_path: Path
) -> dict[str, Callable[[], object]]:
    outcome_ids = _pick_outcomes(theory)
    return {
        "load_json": lambda: cmokit.load(json_path),
        "load_yaml": lambda: cmokit.load(yaml_path),
        "build": lambda: cmokit.from_dict(data),
        "validate": lambda: _feature(theory, "validate")(),
        "graph": lambda: _fresh_graph(theory),
        "query_indexes": lambda: _query_indexes(theory),
        "explain": lambda: _explain_many(theory, outcome_ids),
        "to_graphviz": lambda: _graphviz_source(theory),
        "to_frames": lambda: _frames(theory),
        "baseline": lambda: baseline_graph(data),
        "json_baseline": lambda: _json_baseline(json_path),
        "baseline_gc": lambda: baseline_graph(data),
        "json_baseline_gc": lambda: _json_baseline(json_path),
    }


def _write_files(data: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    json_path = folder / "theory.json"
    yaml_path = folder / "theory.yaml"
    json_path.write_text(json.dumps(data), encoding="utf-8")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    yaml_path.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False), encoding="utf-8")
    return json_path, yaml_path


def _warm_up(folder: Path) -> None:
    """Run every step once on a tiny theory so lazy imports (pandas...) are not timed."""
    data = generate(20, seed=1)
    json_path, yaml_path = _write_files(data, folder)
    theory = cmokit.from_dict(data)
    available = available_steps()
    for name, operation in _operations(data, theory, json_path, yaml_path).items():
        if available[name]:
            operation()


def measured(entry: dict[str, Any]) -> bool:
    """Whether a step's entry holds timings (its feature exists and it was not skipped)."""
    return bool(entry.get("available")) and "median_s" in entry


def predict_seconds(name: str, size: int, earlier: dict[str, dict[str, Any]]) -> float | None:
    """One run's expected time at ``size``, from the smaller sizes measured so far.

    The cost per unit is assumed to keep growing as it grew between the two largest earlier
    sizes (a quadratic step keeps getting worse), and never to fall.

    Example:
        >>> earlier = {"1000": {"steps": {"x": {"available": True, "median_s": 0.1,
        ...                                   "per_unit_us": 100.0}}},
        ...            "10000": {"steps": {"x": {"available": True, "median_s": 2.0,
        ...                                    "per_unit_us": 200.0}}}}
        >>> round(predict_seconds("x", 100_000, earlier), 1)
        40.0
    """
    known = sorted(
        (int(size_name), result["steps"][name])
        for size_name, result in earlier.items()
        if measured(result["steps"].get(name, {}))
    )
    if not known:
        return None
    last_size, last = known[-1]
    growth = 1.0
    if len(known) >= 2:
        before_size, before = known[-2]
        per_decade = max(1.0, last["per_unit_us"] / before["per_unit_us"])
        growth = per_decade ** (math.log(size / last_size) / math.log(last_size / before_size))
    return float(last["median_s"]) * size / last_size * growth


def measure_size(
    size: int,
    *,
    repeats: int,
    seed: int,
    folder: Path,
    progress: Callable[[str], None],
    clock: str = "cpu",
    budget: float = float("inf"),
    earlier: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Generate a theory of ``size`` configurations and time every available step on it.

    A step expected (from ``earlier`` sizes) to take longer than ``budget`` seconds for one
    run is skipped; repeats stop once the runs so far have used the budget.

    Returns:
        The size's counts, each step's runs, medians and cost per unit, and the ratios.
        ``median_s`` and ``per_unit_us`` use ``clock``; both clocks' runs are kept.
    """
    data = generate(size, seed=seed)
    json_path, yaml_path = _write_files(data, folder)
    theory = cmokit.from_dict(data)
    # explain() and to_graphviz() are timed without the graph and the index their first
    # call builds (timed as the graph and query_indexes steps).
    _fresh_graph(theory)
    _query_indexes(theory)
    graph = theory.to_networkx()
    available = available_steps()
    operations = _operations(data, theory, json_path, yaml_path)
    steps: dict[str, dict[str, Any]] = {}
    for step in STEPS:
        if not available[step.name]:
            steps[step.name] = {"available": False, "description": step.description}
            continue
        expected = predict_seconds(step.name, size, earlier or {})
        if expected is not None and expected > budget:
            steps[step.name] = {
                "available": True,
                "description": step.description,
                "skipped": f"one run expected to take {expected:.0f} s, over the"
                f" {budget:.0f} s budget",
            }
            progress(f"  {size:>7} {step.name}: skipped, {steps[step.name]['skipped']}")
            continue
        progress(f"  {size:>7} {step.name}")
        runs: list[tuple[float, float, float]] = []
        while len(runs) < repeats and sum(wall for wall, _, _ in runs) < budget:
            runs.append(_time_once(operations[step.name], collector_paused=step.collector_paused))
        wall_runs = [wall for wall, _, _ in runs]
        cpu_runs = [cpu for _, cpu, _ in runs]
        collect_runs = [collect for _, _, collect in runs]
        median = statistics.median(cpu_runs if clock == "cpu" else wall_runs)
        units = EXPLAIN_QUERIES if step.unit == "query" else size
        steps[step.name] = {
            "available": True,
            "description": step.description,
            "median_s": median,
            "unit": step.unit,
            "per_unit_us": median / units * 1e6,
            "wall_median_s": statistics.median(wall_runs),
            "cpu_median_s": statistics.median(cpu_runs),
            "wall_runs_s": wall_runs,
            "cpu_runs_s": cpu_runs,
            "collector": "paused, collected after the timer"
            if step.collector_paused
            else "running, young generation collected inside the timer",
        }
        if step.collector_paused:
            steps[step.name]["collect_cpu_runs_s"] = collect_runs
            steps[step.name]["collect_cpu_median_s"] = statistics.median(collect_runs)
    result: dict[str, Any] = {
        "configurations": size,
        "contexts": len(theory.contexts),
        "mechanisms": len(theory.mechanisms),
        "outcomes": len(theory.outcomes),
        "evidence": len(theory.evidence),
        "links": len(theory.links),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "json_bytes": json_path.stat().st_size,
        "yaml_bytes": yaml_path.stat().st_size,
        "steps": steps,
        "ratios": _ratios(steps),
    }
    return result


def _median(steps: dict[str, dict[str, Any]], name: str) -> float | None:
    step = steps.get(name, {})
    return float(step["median_s"]) if measured(step) else None


def _ratios(steps: dict[str, dict[str, Any]]) -> dict[str, Any]:
    build = _median(steps, "build")
    validate = _median(steps, "validate")
    baseline = _median(steps, "baseline")
    load_json = _median(steps, "load_json")
    json_baseline = _median(steps, "json_baseline")
    graph = _median(steps, "graph")
    ratios: dict[str, Any] = {
        "build_validate_vs_baseline": None,
        "build_graph_validate_vs_baseline": None,
        "build_vs_baseline": None,
        "validate_available": validate is not None,
        "load_json_vs_json_baseline": None,
    }
    if build is not None and baseline:
        ratios["build_vs_baseline"] = build / baseline
        if validate is not None:
            ratios["build_validate_vs_baseline"] = (build + validate) / baseline
            if graph is not None:
                ratios["build_graph_validate_vs_baseline"] = (build + graph + validate) / baseline
    if load_json is not None and json_baseline:
        ratios["load_json_vs_json_baseline"] = load_json / json_baseline
    return ratios


def scaling(sizes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each step's cost per unit at every size and its change from smallest to largest size.

    ``change`` is ``largest / smallest - 1``; ``worst_change`` is the largest departure of any
    size from the smallest; ``flat`` says whether ``worst_change`` is within ±30%.
    ``change_beyond_baseline`` divides out the baseline's own change over the same sizes:
    what the machine (caches, memory) adds to every step is not the step's fault.

    Example:
        >>> def step(cost):
        ...     return {"available": True, "median_s": 1.0, "per_unit_us": cost}
        >>> sizes = {"10": {"steps": {"build": step(2.0), "baseline": step(1.0)}},
        ...          "100": {"steps": {"build": step(2.2), "baseline": step(1.1)}}}
        >>> build = scaling(sizes)["build"]
        >>> round(build["change"], 2), build["flat"], round(build["change_beyond_baseline"], 2)
        (0.1, True, 0.0)
    """
    ordered = sorted(sizes, key=int)
    result: dict[str, Any] = {}
    names = {name for size in ordered for name in sizes[size]["steps"]}
    for step in STEPS:
        if step.name not in names:
            continue
        per_unit = {
            size: sizes[size]["steps"][step.name]["per_unit_us"]
            for size in ordered
            if measured(sizes[size]["steps"].get(step.name, {}))
        }
        entry: dict[str, Any] = {
            "unit": step.unit,
            "per_unit_us": per_unit,
            "skipped_at": [
                s for s in ordered if sizes[s]["steps"].get(step.name, {}).get("skipped")
            ],
            "change_beyond_baseline": None,
        }
        if len(per_unit) >= 2:
            values = list(per_unit.values())
            first = values[0]
            entry["change"] = values[-1] / first - 1
            entry["worst_change"] = max((v / first - 1 for v in values[1:]), key=abs)
            entry["flat"] = abs(entry["worst_change"]) <= FLATNESS_LIMIT
            smallest, largest = next(iter(per_unit)), list(per_unit)[-1]
            baseline = [sizes[s]["steps"].get("baseline", {}) for s in (smallest, largest)]
            if all(measured(b) for b in baseline):
                baseline_growth = baseline[1]["per_unit_us"] / baseline[0]["per_unit_us"]
                entry["change_beyond_baseline"] = (entry["change"] + 1) / baseline_growth - 1
        else:
            entry["change"] = entry["worst_change"] = entry["flat"] = None
        result[step.name] = entry
    return result


# ------------------------------------------------------------------ fresh processes


_IMPORT_PROBE = (
    "import sys, time\n"
    "wall, cpu = time.perf_counter(), time.process_time()\n"
    "import {module}\n"
    "print(time.perf_counter() - wall, time.process_time() - cpu, 'pandas' in sys.modules)\n"
)


def measure_imports(runs: int, clock: str = "cpu") -> dict[str, Any]:
    """Median time of ``import cmokit`` and ``import networkx``, each in fresh interpreters.

    The two are measured in turn, so a slow moment of the machine hits both alike.
    ``cmokit_s``, ``networkx_s`` and ``ratio`` use ``clock``; both clocks' runs are kept.
    """
    byte_compiled = _byte_compile(("cmokit", "networkx"))
    times: dict[str, dict[str, list[float]]] = {
        "cmokit": {"wall": [], "cpu": []},
        "networkx": {"wall": [], "cpu": []},
    }
    pandas_imported = False
    for _ in range(runs):
        for module, runs_of in times.items():
            completed = subprocess.run(
                [sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
                capture_output=True,
                text=True,
                check=True,
            )
            wall, cpu, pandas = completed.stdout.split()
            runs_of["wall"].append(float(wall))
            runs_of["cpu"].append(float(cpu))
            if module == "cmokit":
                pandas_imported = pandas_imported or pandas == "True"
    cmokit_median = statistics.median(times["cmokit"][clock])
    networkx_median = statistics.median(times["networkx"][clock])
    return {
        "cmokit_s": cmokit_median,
        "networkx_s": networkx_median,
        "ratio": cmokit_median / networkx_median,
        "clock": clock,
        "cmokit_wall_runs_s": times["cmokit"]["wall"],
        "cmokit_cpu_runs_s": times["cmokit"]["cpu"],
        "networkx_wall_runs_s": times["networkx"]["wall"],
        "networkx_cpu_runs_s": times["networkx"]["cpu"],
        "pandas_imported_by_cmokit": pandas_imported,
        "byte_compiled": byte_compiled,
        "slowest_cmokit_imports": _slowest_imports(),
    }


def _byte_compile(packages: Sequence[str]) -> list[str]:
    """Write the byte code of each package's modules where it is missing or stale.

    pip does this when it installs a package (networkx's byte code is on disk), but not for
    an editable install, and with ``PYTHONDONTWRITEBYTECODE`` set Python never caches it:
    every ``import cmokit`` would then compile cmokit's source first, which is not the cost
    of importing it. Compiling both packages alike keeps the comparison even.

    Returns:
        The folders compiled.

    Example:
        >>> _byte_compile(["cmokit"])[0].endswith("cmokit")
        True
    """
    compiled: list[str] = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=1)
            compiled.append(str(folder))
    return compiled


def _slowest_imports(count: int = 8) -> list[dict[str, Any]]:
    """The top-level packages that take longest to import with cmokit (``-X importtime``)."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cmokit"],
        capture_output=True,
        text=True,
        check=True,
    )
    by_package: dict[str, int] = {}
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
        package = name.split(".")[0]
        by_package[package] = by_package.get(package, 0) + int(self_us)
    ranked = sorted(by_package.items(), key=lambda pair: pair[1], reverse=True)[:count]
    return [{"package": name, "self_s": micros / 1e6} for name, micros in ranked]


def _cmokit_command() -> list[str]:
    script = Path(sys.executable).with_name("cmokit")
    if script.exists():
        return [str(script)]
    found = shutil.which("cmokit")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from cmokit.cli import main; sys.exit(main())"]


_PROCESS_PROBE = """\
import json, os, subprocess, sys, time
command, folder = json.loads(sys.argv[1]), sys.argv[2]
with open(os.devnull, "w") as quiet, open(os.path.join(folder, "stderr.txt"), "w") as errors:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=quiet, stderr=errors, cwd=folder)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
scale = 1024 * 1024 if sys.platform == "darwin" else 1024
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / scale,
                  os.waitstatus_to_exitcode(status)]))
"""
"""Runs one command and reports its wall time, CPU time, peak memory (MB) and exit status.

It runs in a small interpreter of its own because on Linux a child's ``ru_maxrss`` counts
the memory it had before ``exec``, i.e. its parent's: started from this process, which
holds large theories, every command would seem to take hundreds of megabytes. ``wait4``
gives the one child's usage (``getrusage(RUSAGE_CHILDREN)`` would mix in earlier ones).
"""


def _run_process(
    command: Sequence[str], folder: Path
) -> tuple[float, float | None, float | None, int, str]:
    """Wall time, CPU time, peak resident memory (MB), exit status and stderr of a process."""
    errors = folder / "stderr.txt"
    if hasattr(os, "wait4"):
        probe = subprocess.run(
            [sys.executable, "-c", _PROCESS_PROBE, json.dumps(list(command)), str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu, peak, status = json.loads(probe.stdout)
        message = errors.read_text(encoding="utf-8", errors="replace")
        return float(wall), float(cpu), float(peak), int(status), message
    start = time.perf_counter()  # pragma: no cover - Windows: no peak memory, no CPU time
    completed = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    elapsed = time.perf_counter() - start
    return elapsed, None, None, completed.returncode, completed.stderr


def example_model() -> str:
    """The bundled example the command-line timings use: the worked example if present."""
    for name in ("mentorship.yaml", "hand_hygiene.yaml"):
        path = cmokit.examples.model_path(name)
        if Path(path).exists():
            return path
    raise FileNotFoundError("no bundled example model found")


def measure_commands(runs: int, folder: Path) -> dict[str, Any]:
    """Whole-process wall time and peak memory of ``cmokit validate`` and ``cmokit render``.

    CPU time (user + system) is kept as well: on a busy machine it is the steadier figure.
    """
    from cmokit.cli import COMMANDS

    model = example_model()
    base = _cmokit_command()
    commands = {
        "validate": [*base, "validate", model],
        "render": [*base, "render", model, "-o", str(folder / "x.svg")],
    }
    result: dict[str, Any] = {"model": Path(model).name, "command": base}
    for name, command in commands.items():
        if name not in COMMANDS:
            result[name] = {"available": False}
            continue
        walls: list[float] = []
        cpus: list[float] = []
        peaks: list[float] = []
        statuses: list[int] = []
        message = ""
        for _ in range(runs):
            wall, cpu, peak, status, message = _run_process(command, folder)
            walls.append(wall)
            statuses.append(status)
            if cpu is not None:
                cpus.append(cpu)
            if peak is not None:
                peaks.append(peak)
        result[name] = {
            "available": True,
            "wall_s": statistics.median(walls),
            "cpu_s": statistics.median(cpus) if cpus else None,
            "wall_runs_s": walls,
            "cpu_runs_s": cpus,
            "peak_memory_mb": max(peaks) if peaks else None,
            "exit_status": statuses[-1],
            # 0 = no problems, 1 = findings; 2 means the command could not run.
            "succeeded": all(status in (0, 1) for status in statuses),
            "stderr_tail": message[-500:] if any(s not in (0, 1) for s in statuses) else "",
        }
    return result


# --------------------------------------------------------------------------- machine


def _yaml_loader() -> type | None:
    """The PyYAML loader class cmokit reads model files with (a private detail of cmokit)."""
    loader_and_dumper = getattr(cmokit.fileformat, "_yaml_loader_and_dumper", None)
    if loader_and_dumper is not None:
        loader: type = loader_and_dumper()[0]
        return loader
    older: type | None = getattr(cmokit.fileformat, "_SafeLoader", None)  # before 2d685cf
    return older


def _describe_loader(loader: type) -> str:
    """The loader's name, with the PyYAML class it builds on when it is a subclass."""
    base = next((c for c in loader.__mro__ if c.__module__.startswith("yaml")), None)
    if base is None or base is loader:
        return loader.__name__
    return f"{loader.__name__} (a {base.__name__})"


def machine_info() -> dict[str, Any]:
    """Where the numbers come from: processor, memory, Python and library versions."""
    cpu_model = platform.processor() or None
    memory_gb: float | None = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("cmokit", "networkx", "attrs", "PyYAML", "pandas", "graphviz"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    loader = _yaml_loader()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": None if memory_gb is None else round(memory_gb, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "versions": versions,
        "libyaml_available": bool(getattr(yaml, "__with_libyaml__", False)),
        "yaml_loader": None if loader is None else _describe_loader(loader),
        # cmokit may subclass the C loader (to refuse repeated keys): look for it in the bases.
        "yaml_c_loader": loader is not None
        and hasattr(yaml, "CSafeLoader")
        and issubclass(loader, yaml.CSafeLoader),
    }


# --------------------------------------------------------------------------- targets


def _target(
    name: str, description: str, value: float | None, limit: float, *, note: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "value": value,
        "limit": limit,
        "met": None if value is None else value <= limit,
        "note": note,
    }


def _beyond_baseline_note(flat: dict[str, dict[str, Any]]) -> str:
    """Which steps grow more than 30% beyond the baseline's own growth (the machine's)."""
    beyond = [
        name
        for name, entry in flat.items()
        if entry["change_beyond_baseline"] is not None
        and entry["change_beyond_baseline"] > FLATNESS_LIMIT
    ]
    if not any(entry["change_beyond_baseline"] is not None for entry in flat.values()):
        return ""
    return f"growing 30% beyond the baseline's own growth: {', '.join(beyond) or 'none'}"


def check_targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Compare the measurements with issue 8's targets; ``met`` is None when not measured."""
    sizes = sorted(report["sizes"], key=int)
    largest = report["sizes"][sizes[-1]]
    smallest_size, largest_size = int(sizes[0]), int(sizes[-1])
    at_scale = largest_size >= TARGET_SIZES[1]
    scale_note = "" if at_scale else f"measured at {largest_size}, the target is at 100,000"
    targets: list[dict[str, Any]] = []

    ratios = largest["ratios"]
    build_validate = ratios["build_validate_vs_baseline"]
    note = scale_note
    if build_validate is None:
        note = "validate() is not available yet"
    else:
        aim_met = build_validate <= BUILD_VALIDATE_AIM
        note = "; ".join(filter(None, [note, f"aim 1.5x {'met' if aim_met else 'missed'}"]))
    targets.append(
        _target(
            "build_validate_vs_baseline",
            "build + validate within 2x a plain networkx build + acyclicity check",
            build_validate,
            BUILD_VALIDATE_LIMIT,
            note=note,
        )
    )

    # The baselines are references, not cmokit's steps: they are not judged.
    flat = {name: entry for name, entry in report["scaling"].items() if name not in REFERENCE_STEPS}
    uneven = {
        name: entry["worst_change"]
        for name, entry in flat.items()
        if entry["worst_change"] is not None and not entry["flat"]
    }
    changes = [entry["worst_change"] for entry in flat.values() if entry["worst_change"]]
    worst = max(changes, key=abs) if changes else None
    covers = smallest_size <= TARGET_SIZES[0] and at_scale
    targets.append(
        _target(
            "per_configuration_flat",
            "each step's cost per configuration flat within ±30% across sizes",
            None if worst is None else abs(worst),
            FLATNESS_LIMIT,
            note="; ".join(
                filter(
                    None,
                    [
                        "" if covers else f"sizes {smallest_size}-{largest_size} measured",
                        f"not flat: {', '.join(sorted(uneven))}" if uneven else "",
                        _beyond_baseline_note(flat),
                    ],
                )
            ),
        )
    )

    machine = report["machine"]
    targets.append(
        {
            "name": "yaml_c_loader",
            "description": "YAML is read with libyaml's C loader",
            "value": machine["yaml_loader"],
            "limit": "libyaml's CSafeLoader",
            "met": machine["yaml_c_loader"],
            "note": "" if machine["libyaml_available"] else "PyYAML was built without libyaml",
        }
    )
    targets.append(
        _target(
            "load_json_vs_json_baseline",
            "JSON loading within 2x of json.load + the baseline build",
            ratios["load_json_vs_json_baseline"],
            JSON_LOAD_LIMIT,
            note=scale_note,
        )
    )
    imports = report.get("imports")
    targets.append(
        _target(
            "import_vs_networkx",
            "import cmokit within 1.5x of import networkx",
            None if imports is None else imports["ratio"],
            IMPORT_LIMIT,
        )
    )
    commands = report.get("commands") or {}
    clock = report["settings"]["clock"]
    for name, limit in (("validate", VALIDATE_COMMAND_LIMIT), ("render", RENDER_COMMAND_LIMIT)):
        entry = commands.get(name) or {}
        usable = entry.get("available") and entry.get("succeeded")
        note = "" if usable else "command not available" if entry else "not measured"
        value = None
        if usable:
            # On a busy machine the process's CPU time is what it would take when idle.
            by_cpu = clock == "cpu" and entry.get("cpu_s") is not None
            value = entry["cpu_s"] if by_cpu else entry["wall_s"]
            note = f"{'CPU' if by_cpu else 'wall'} time; wall {entry['wall_s']:.3f} s"
        if entry.get("available") and not entry.get("succeeded"):
            note = f"command failed: {entry.get('stderr_tail', '').strip()}"
        targets.append(
            _target(
                f"cli_{name}_wall",
                f"cmokit {name} on the bundled example, whole process (s)",
                value,
                limit,
                note=note,
            )
        )
    return targets


# ---------------------------------------------------------------------------- report


def _format_number(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_report(report: dict[str, Any]) -> str:
    """The report as readable tables."""
    lines: list[str] = []
    machine = report["machine"]
    lines.append(
        f"machine: {machine['cpus']} CPUs, {machine['cpu_model']}, {machine['memory_gb']} GB,"
        f" Python {machine['python']}; repeats: {report['settings']['repeats']};"
        f" clock: {report['settings']['clock']}"
    )
    sizes = sorted(report["sizes"], key=int)
    header = f"{'step':<14}" + "".join(f"{'median s @' + s:>18}{'µs/unit':>10}" for s in sizes)
    lines += ["", header, "-" * len(header)]
    for step in STEPS:
        row = f"{step.name:<14}"
        for size in sizes:
            entry = report["sizes"][size]["steps"].get(step.name, {})
            if measured(entry):
                row += f"{entry['median_s']:>18.4f}{entry['per_unit_us']:>10.2f}"
            else:
                row += f"{'skipped' if entry.get('skipped') else 'not available':>18}{'':>10}"
        lines.append(row)
    lines += ["", "cost per unit, change from smallest to largest size (flat: within ±30%)"]
    for name, entry in report["scaling"].items():
        change = entry["change"]
        shown = "n/a" if change is None else f"{change:+.0%}"
        worst = entry["worst_change"]
        worst_shown = "n/a" if worst is None else f"{worst:+.0%}"
        flat = {True: "flat", False: "NOT FLAT", None: ""}[entry["flat"]]
        beyond = entry["change_beyond_baseline"]
        if beyond is not None:
            flat += f" ({beyond:+.0%} beyond the baseline's own change)"
        unit = f"per {entry['unit']}"
        lines.append(f"  {name:<14} {unit:<18} change {shown:>6}  worst {worst_shown:>6}  {flat}")
    lines += ["", "ratios"]
    for size in sizes:
        ratios = report["sizes"][size]["ratios"]
        lines.append(
            f"  {size:>7}: build+validate / baseline"
            f" {_format_number(ratios['build_validate_vs_baseline'])}"
            f" (build alone {_format_number(ratios['build_vs_baseline'])}, with the graph"
            f" built too {_format_number(ratios['build_graph_validate_vs_baseline'])}),"
            f" load_json / (json.load + baseline)"
            f" {_format_number(ratios['load_json_vs_json_baseline'])}"
        )
    imports = report.get("imports")
    if imports:
        lines.append(
            f"  import cmokit {imports['cmokit_s'] * 1000:.0f} ms vs import networkx"
            f" {imports['networkx_s'] * 1000:.0f} ms: ratio {imports['ratio']:.2f};"
            f" pandas imported: {imports['pandas_imported_by_cmokit']}"
        )
    commands = report.get("commands")
    if commands:
        for name in ("validate", "render"):
            entry = commands[name]
            if not entry.get("available"):
                lines.append(f"  cmokit {name}: not available")
                continue
            lines.append(
                f"  cmokit {name} {commands['model']}: {entry['wall_s']:.3f} s wall,"
                f" {_format_number(entry['cpu_s'], 3)} s CPU,"
                f" peak {_format_number(entry['peak_memory_mb'], 0)} MB,"
                f" exit status {entry['exit_status']}"
            )
    lines += ["", "targets"]
    for target in report["targets"]:
        met = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        value = target["value"]
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        note = f"  ({target['note']})" if target["note"] else ""
        lines.append(f"  [{met:^12}] {target['description']}: {shown} <= {target['limit']}{note}")
    return "\n".join(lines)


def format_markdown(report: dict[str, Any]) -> str:
    """The report as the Markdown tables of docs/performance.md."""
    sizes = sorted(report["sizes"], key=int)
    clock = report["settings"]["clock"]
    lines = [
        f"Median of {report['settings']['repeats']} runs, {clock} time; cost per configuration"
        f" (per query for `explain`) in µs.",
        "",
        "| step | " + " | ".join(f"{int(s):,} configurations" for s in sizes) + " | change |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for step in STEPS:
        cells = []
        for size in sizes:
            entry = report["sizes"][size]["steps"].get(step.name, {})
            if measured(entry):
                cells.append(f"{entry['median_s']:.3f} s ({entry['per_unit_us']:.1f} µs)")
            else:
                cells.append("skipped" if entry.get("skipped") else "not available")
        change = report["scaling"].get(step.name, {}).get("change")
        shown = "" if change is None else f"{change:+.0%}"
        lines.append(f"| `{step.name}` | " + " | ".join(cells) + f" | {shown} |")
    lines += ["", "| ratio | " + " | ".join(f"{int(s):,}" for s in sizes) + " |"]
    lines.append("|---|" + "---:|" * len(sizes))
    for name, label in (
        ("build_validate_vs_baseline", "build + validate / baseline"),
        ("build_graph_validate_vs_baseline", "build + graph + validate / baseline"),
        ("build_vs_baseline", "build / baseline"),
        ("load_json_vs_json_baseline", "load JSON / json_baseline"),
    ):
        values = [_format_number(report["sizes"][s]["ratios"][name]) for s in sizes]
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    lines += ["", "| target | limit | measured | met |", "|---|---:|---:|---|"]
    for target in report["targets"]:
        value = target["value"]
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        met = {True: "yes", False: "**no**", None: "not measured"}[target["met"]]
        note = f" ({target['note']})" if target["note"] else ""
        lines.append(f"| {target['description']} | {target['limit']} | {shown} | {met}{note} |")
    imports = report.get("imports")
    commands = report.get("commands")
    if imports:
        lines += [
            "",
            f"`import cmokit`: {imports['cmokit_s'] * 1000:.0f} ms; `import networkx`:"
            f" {imports['networkx_s'] * 1000:.0f} ms ({clock} time, median of"
            f" {len(imports['cmokit_cpu_runs_s'])} fresh interpreters).",
        ]
    if commands:
        for name in ("validate", "render"):
            entry = commands.get(name, {})
            if entry.get("available"):
                lines.append(
                    f"`cmokit {name}` on `{commands['model']}`: {entry['wall_s']:.2f} s wall,"
                    f" {_format_number(entry['cpu_s'])} s CPU, peak"
                    f" {_format_number(entry['peak_memory_mb'], 0)} MB."
                )
    return "\n".join(lines)


def run(
    sizes: Sequence[int],
    *,
    repeats: int = 5,
    seed: int = 0,
    processes: bool = True,
    clock: str = "cpu",
    budget: float = 300.0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the whole benchmark and return the report as a JSON-ready mapping."""
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {CLOCKS}, not {clock!r}")
    say = progress or (lambda message: None)
    report: dict[str, Any] = {
        "machine": machine_info(),
        "settings": {
            "sizes": list(sizes),
            "repeats": repeats,
            "seed": seed,
            "clock": clock,
            "budget_s": budget,
            "explain_queries": EXPLAIN_QUERIES,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
        "available": available_steps(),
        "sizes": {},
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cmokit-bench-") as name:
        folder = Path(name)
        _warm_up(folder)
        for size in sizes:
            say(f"size {size}")
            report["sizes"][str(size)] = measure_size(
                size,
                repeats=repeats,
                seed=seed,
                folder=folder,
                progress=say,
                clock=clock,
                budget=budget,
                earlier=report["sizes"],
            )
        report["scaling"] = scaling(report["sizes"])
        if processes:
            runs = max(PROCESS_RUNS, repeats)
            say("import times")
            report["imports"] = measure_imports(runs, clock)
            say("command line")
            report["commands"] = measure_commands(runs, folder)
        else:
            report["imports"] = report["commands"] = None
    report["targets"] = check_targets(report)
    report["settings"]["duration_s"] = time.perf_counter() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; see the module docstring."""
    parser = argparse.ArgumentParser(
        description="Benchmark cmokit and check the performance targets of issue 8."
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1_000, 10_000, 100_000],
        help="numbers of configurations (default: 1000 10000 100000)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs per step (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    parser.add_argument(
        "--clock",
        choices=CLOCKS,
        default="cpu",
        help="time for medians and ratios: cpu (process time, steady on a busy machine;"
        " default) or wall; both are recorded",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="seconds one step may take at one size: repeats stop there, and a step expected"
        " to need more for a single run is skipped (default 300)",
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write the tables of docs/performance.md here"
    )
    parser.add_argument(
        "--no-processes",
        action="store_true",
        help="skip the fresh-process timings (imports and command line)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1 or any(size < 1 for size in args.sizes):
        parser.error("--repeats and every size must be at least 1")
    report = run(
        sorted(set(args.sizes)),
        repeats=args.repeats,
        seed=args.seed,
        processes=not args.no_processes,
        clock=args.clock,
        budget=args.budget,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    print(format_report(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    if args.markdown is not None:
        args.markdown.write_text(format_markdown(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
