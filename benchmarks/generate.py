"""Seeded synthetic programme theories for the benchmarks, as model-file mappings.

A synthetic theory has ``size`` configurations drawn from shared pools of contexts,
mechanisms and outcomes whose sizes grow with ``size`` (about ``size / 2`` each), so
elements are shared between configurations the way they are in a realist synthesis. The
theory is split into stages (process steps); a configuration of a later stage may take an
outcome of an earlier stage among its contexts or, less often, as its mechanism: a chain.
Because chained outcomes always come from an earlier stage, the graph stays acyclic, as a
well-formed theory's graph should. Each configuration has about three evidence items, and
configurations are spread over themes (about one per 50 configurations).

The result is the mapping form of a model file (format version 1), ready for
``cmokit.from_dict``, ``json.dump`` or ``yaml.dump``. The same ``size`` and ``seed`` always
give the same mapping.

Example:
    >>> data = generate(20, seed=1)
    >>> len(data["configurations"])
    20
    >>> generate(20, seed=1) == data
    True

Run it on its own to write a model file: ``python benchmarks/generate.py 1000 -o t.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

__all__ = ["STAGE_COUNT", "generate"]

STAGE_COUNT = 4
"""How many stages a synthetic theory has; a handful, as in published realist theories."""

CHAIN_SHARE = 0.3
"""Share of configurations (after the first stage) that take an earlier stage's outcome."""

MECHANISM_CHAIN_SHARE = 0.05
"""Share of configurations (after the first stage) whose mechanism is an earlier outcome."""

EVIDENCE_PER_CONFIGURATION = 3

_WORDS = (
    "staff",
    "feedback",
    "trust",
    "time",
    "training",
    "peer",
    "support",
    "workload",
    "leadership",
    "confidence",
    "autonomy",
    "resources",
    "hierarchy",
    "mentoring",
    "wellbeing",
    "reflection",
)


def _label(rng: random.Random, kind: str, number: int) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5)))
    return f"{kind} {number}: {words}"


def _pool_size(size: int, share: float) -> int:
    """Pool size per stage: ``share * size`` spread over the stages, at least one each."""
    return max(1, round(size * share / STAGE_COUNT))


def generate(size: int, *, seed: int = 0) -> dict[str, Any]:
    """Return a synthetic theory with ``size`` configurations as a model-file mapping.

    Args:
        size: The number of configurations (at least 1).
        seed: The random seed; the same size and seed give the same theory.

    Returns:
        The mapping form of a model file, format version 1.

    Raises:
        ValueError: ``size`` is below 1.

    Example:
        >>> data = generate(8, seed=3)
        >>> sorted(data)[:4]
        ['cmokit', 'configurations', 'contexts', 'description']
        >>> len(data["evidence"])
        24
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    rng = random.Random(seed)
    stages = [
        {"id": f"stage{level + 1}", "label": f"Stage {level + 1}"} for level in range(STAGE_COUNT)
    ]
    theme_count = max(1, size // 50)
    themes = [{"id": f"theme{n}", "label": f"Theme {n}"} for n in range(1, theme_count + 1)]

    contexts: list[dict[str, Any]] = []
    mechanisms: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    # Element ids by stage, so configurations draw from their own stage's pools.
    context_ids: list[list[str]] = []
    mechanism_ids: list[list[str]] = []
    outcome_ids: list[list[str]] = []
    for level in range(STAGE_COUNT):
        stage = stages[level]["id"]
        level_contexts = []
        for _ in range(_pool_size(size, 0.5)):
            number = len(contexts) + 1
            context: dict[str, Any] = {
                "id": f"C{number}",
                "label": _label(rng, "Context", number),
                "stage": stage,
            }
            if rng.random() < 0.2:
                context["tags"] = [rng.choice(("barrier", "enabler"))]
            contexts.append(context)
            level_contexts.append(context["id"])
        context_ids.append(level_contexts)
        level_mechanisms = []
        for _ in range(_pool_size(size, 0.5)):
            number = len(mechanisms) + 1
            mechanism: dict[str, Any] = {
                "id": f"M{number}",
                "label": _label(rng, "Mechanism", number),
                "stage": stage,
                "resource": _label(rng, "Resource", number),
                "reasoning": _label(rng, "Reasoning", number),
            }
            mechanisms.append(mechanism)
            level_mechanisms.append(mechanism["id"])
        mechanism_ids.append(level_mechanisms)
        level_outcomes = []
        for _ in range(_pool_size(size, 0.5)):
            number = len(outcomes) + 1
            outcome: dict[str, Any] = {
                "id": f"O{number}",
                "label": _label(rng, "Outcome", number),
                "stage": stage,
            }
            if rng.random() < 0.1:
                outcome["kind"] = "unintended"
            outcomes.append(outcome)
            level_outcomes.append(outcome["id"])
        outcome_ids.append(level_outcomes)

    configurations: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for index in range(size):
        level = index % STAGE_COUNT
        # Walking each stage's pools in turn first guarantees every element takes part in
        # some configuration; the extra draws then share elements at random.
        turn = index // STAGE_COUNT
        level_contexts = context_ids[level]
        level_mechanisms = mechanism_ids[level]
        level_outcomes = outcome_ids[level]
        chosen_contexts = [level_contexts[turn % len(level_contexts)]]
        chosen_contexts += rng.sample(level_contexts, min(len(level_contexts), rng.randint(0, 2)))
        chosen_mechanisms = [level_mechanisms[turn % len(level_mechanisms)]]
        if rng.random() < 0.4:
            chosen_mechanisms.append(rng.choice(level_mechanisms))
        chosen_outcomes = [level_outcomes[turn % len(level_outcomes)]]
        if rng.random() < 0.3:
            chosen_outcomes.append(rng.choice(level_outcomes))
        if level > 0:
            earlier = outcome_ids[rng.randrange(level)]
            draw = rng.random()
            if draw < MECHANISM_CHAIN_SHARE:
                chosen_mechanisms.insert(0, rng.choice(earlier))
            elif draw < MECHANISM_CHAIN_SHARE + CHAIN_SHARE:
                chosen_contexts.insert(0, rng.choice(earlier))
        number = index + 1
        configuration: dict[str, Any] = {
            "id": f"CMOC{number}",
            "statement": f"Configuration {number}: in these contexts the mechanism works.",
            "theme": f"theme{rng.randint(1, theme_count)}",
            "contexts": list(dict.fromkeys(chosen_contexts)),
            "mechanisms": list(dict.fromkeys(chosen_mechanisms)),
            "outcomes": list(dict.fromkeys(chosen_outcomes)),
        }
        configurations.append(configuration)
        # Every item bears on the configuration; two also name one of its elements, so the
        # evidence is spread over participants the way a synthesis's usually is.
        subjects = [
            [configuration["id"]],
            [configuration["id"], rng.choice(configuration["contexts"])],
            [configuration["id"], rng.choice(configuration["mechanisms"])],
        ]
        for count in range(EVIDENCE_PER_CONFIGURATION):
            item: dict[str, Any] = {
                "id": f"E{number}_{count + 1}",
                "text": f"Participant account {count + 1} about configuration {number}",
                "source": rng.choice(("interview", "questionnaire", "focus group")),
                "participant": f"P{rng.randint(1, 200):03d}",
                "case": f"Site {rng.randint(1, 20)}",
                "about": subjects[count],
            }
            if rng.random() < 0.05:
                item["stance"] = "contradicts"
            evidence.append(item)

    # A few explicit links, always from a stage to a later one so the graph stays acyclic.
    links: list[dict[str, Any]] = []
    for _ in range(max(1, size // 50)):
        level = rng.randrange(STAGE_COUNT - 1)
        links.append(
            {
                "source": rng.choice(mechanism_ids[level]),
                "target": rng.choice(mechanism_ids[rng.randrange(level + 1, STAGE_COUNT)]),
                "label": "reinforces",
            }
        )
    return {
        "cmokit": 1,
        "title": f"Synthetic realist synthesis ({size} configurations, seed {seed})",
        "description": "Generated by benchmarks/generate.py for performance measurements.",
        "stages": stages,
        "themes": themes,
        "contexts": contexts,
        "mechanisms": mechanisms,
        "outcomes": outcomes,
        "configurations": configurations,
        "links": links,
        "evidence": evidence,
        "figures": {
            "first_stage": {"title": "First stage", "stages": [stages[0]["id"]]},
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic theory to a model file (JSON or YAML by the file's extension)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("size", type=int, help="number of configurations")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    args = parser.parse_args(argv)
    data = generate(args.size, seed=args.seed)
    if args.output.suffix.lower() == ".json":
        args.output.write_text(json.dumps(data), encoding="utf-8")
    else:
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        args.output.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
