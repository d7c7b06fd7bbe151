"""Benchmark ``from_schema`` against a hand translation (and hypothesis-jsonschema if present).

Run by hand, not in CI::

    python bench/bench_generators.py [--quick]

For each schema it measures (a) how long building the strategy takes and (b) how many
valid examples per second Hypothesis draws from it through ``@given`` with a no-op test
body (generation phase only, fixed seed, no database). The implementations are measured in
interleaved rounds so that machine noise hits them alike; medians and ratios are printed.

``hypothesis_jsonschema`` is measured when it can be imported (it needs an older
Hypothesis than this project's venv has: use a separate venv with
``hypothesis==6.170.9 hypothesis-jsonschema==0.23.1`` and ``pip install -e . --no-deps``).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck
from jsonschema import Draft202012Validator

from postman_contracts.generators._from_schema import from_schema

try:
    from hypothesis_jsonschema import from_schema as hjs_from_schema
except ImportError:  # the usual case: it does not work with current Hypothesis
    hjs_from_schema = None

Strategy = st.SearchStrategy[Any]

# --- the schemas and their hand translations ---------------------------------------------

ZOHO = {
    "type": "object",
    "properties": {
        "data": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {"type": "object", "properties": {"No_of_Employees": {"type": "integer"}}},
        },
        "over_write": {"type": "boolean"},
        "ids": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{18}$"}},
    },
    "required": ["data"],
}


def zoho_by_hand() -> Strategy:
    return st.fixed_dictionaries(
        {
            "data": st.lists(
                st.fixed_dictionaries({}, optional={"No_of_Employees": st.integers()}),
                min_size=1,
                max_size=100,
            )
        },
        optional={
            "over_write": st.booleans(),
            "ids": st.lists(st.from_regex(r"^[0-9]{18}\Z")),
        },
    )


WIDE_KINDS: list[tuple[dict[str, Any], Callable[[], Strategy]]] = [
    ({"type": "string", "maxLength": 20}, lambda: st.text(max_size=20)),
    ({"type": "integer", "minimum": 0}, lambda: st.integers(min_value=0)),
    ({"type": "boolean"}, st.booleans),
    ({"type": "number", "maximum": 1e6}, lambda: st.floats(max_value=1e6, allow_nan=False)),
    ({"enum": ["a", "b", "c"]}, lambda: st.sampled_from(["a", "b", "c"])),
]
WIDE = {
    "type": "object",
    "properties": {f"field_{i}": WIDE_KINDS[i % 5][0] for i in range(50)},
    "required": [f"field_{i}" for i in range(0, 50, 2)],
}


def wide_by_hand() -> Strategy:
    required = {f"field_{i}": WIDE_KINDS[i % 5][1]() for i in range(0, 50, 2)}
    optional = {f"field_{i}": WIDE_KINDS[i % 5][1]() for i in range(1, 50, 2)}
    return st.fixed_dictionaries(required, optional=optional)


def _nested(depth: int) -> dict[str, Any]:
    if depth == 0:
        return {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    return {
        "type": "object",
        "properties": {"level": {"type": "integer"}, "child": _nested(depth - 1)},
        "required": ["level", "child"],
    }


NESTED = _nested(6)


def nested_by_hand(depth: int = 6) -> Strategy:
    if depth == 0:
        return st.fixed_dictionaries({"name": st.text()})
    return st.fixed_dictionaries({"level": st.integers(), "child": nested_by_hand(depth - 1)})


def _chain(depth: int) -> dict[str, Any]:
    kinds = [
        {"type": "integer"},
        {"type": "string", "maxLength": 10},
        {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        {"type": "boolean"},
        {"type": "array", "items": {"type": "integer"}, "maxItems": 5},
    ]
    if depth == 0:
        return {"type": "null"}
    return {"anyOf": [kinds[depth % len(kinds)], _chain(depth - 1)]}


ANY_OF_CHAIN = _chain(5)


def chain_by_hand(depth: int = 5) -> Strategy:
    kinds: list[Callable[[], Strategy]] = [
        st.integers,
        lambda: st.text(max_size=10),
        lambda: st.fixed_dictionaries({"id": st.integers()}),
        st.booleans,
        lambda: st.lists(st.integers(), max_size=5),
    ]
    if depth == 0:
        return st.none()
    return st.one_of(kinds[depth % len(kinds)](), chain_by_hand(depth - 1))


CASES: list[tuple[str, dict[str, Any], Callable[[], Strategy]]] = [
    ("zoho request", ZOHO, zoho_by_hand),
    ("wide 50 properties", WIDE, wide_by_hand),
    ("nested 6 deep", NESTED, nested_by_hand),
    ("anyOf chain", ANY_OF_CHAIN, chain_by_hand),
]

# --- measuring ------------------------------------------------------------------------------


def builders(
    schema: dict[str, Any], by_hand: Callable[[], Strategy]
) -> dict[str, Callable[[], Strategy]]:
    found: dict[str, Callable[[], Strategy]] = {
        "from_schema": lambda: from_schema(schema),
        "by hand": by_hand,
    }
    if hjs_from_schema is not None:
        found["hypothesis-jsonschema"] = lambda: hjs_from_schema(schema)
    return found


def build_seconds(build: Callable[[], Strategy], repeat: int) -> tuple[float, float]:
    """Median seconds to build the strategy, then to build it and have Hypothesis validate it.

    Hand-written strategies are lazy, so their cost shows up in the second figure
    (``validate()`` is what Hypothesis runs before the first draw).
    """
    calls, ready = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        strategy = build()
        calls.append(time.perf_counter() - start)
        strategy.validate()
        ready.append(time.perf_counter() - start)
    return statistics.median(calls), statistics.median(ready)


def examples_per_second(strategy: Strategy, count: int) -> float:
    calls = 0

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def noop(value: Any) -> None:
        nonlocal calls
        calls += 1

    start = time.perf_counter()
    noop()
    return calls / (time.perf_counter() - start)


def check_valid(schema: dict[str, Any], strategy: Strategy, count: int) -> str:
    """Check drawn values against ``schema``; return "ok" or the health check that fired."""
    check = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def valid(value: Any) -> None:
        assert check.is_valid(value), value

    outcome = "ok"
    try:
        settings(max_examples=count, database=None, deadline=None)(given(strategy)(valid))()
    except FailedHealthCheck as err:
        outcome = "FAILED: " + str(err).split(".")[0]
    relaxed = settings(
        max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    relaxed(given(strategy)(valid))()
    return outcome


def run(quick: bool) -> None:
    rounds, count, repeat = (3, 100, 20) if quick else (9, 500, 90)
    print(f"python {sys.version.split()[0]}, {rounds} rounds of {count} examples")
    if hjs_from_schema is None:
        print("hypothesis-jsonschema: not importable here (skipped)")
    for name, schema, by_hand in CASES:
        impls = builders(schema, by_hand)
        strategies = {label: build() for label, build in impls.items()}
        health = {label: check_valid(schema, s, 50) for label, s in strategies.items()}
        speed: dict[str, list[float]] = {label: [] for label in impls}
        build: dict[str, list[tuple[float, float]]] = {label: [] for label in impls}
        for _ in range(rounds):
            for label, make in impls.items():
                build[label].append(build_seconds(make, repeat // rounds or 1))
        for _ in range(rounds):
            for label, strategy in strategies.items():
                gc.collect()
                speed[label].append(examples_per_second(strategy, count))
        report(name, build, speed)
        for label, outcome in health.items():
            print(f"  health checks, {label}: {outcome}")


def report(
    name: str, build: dict[str, list[tuple[float, float]]], speed: dict[str, list[float]]
) -> None:
    print(f"\n{name}")
    print(f"  {'':<22} {'build ms':>9} {'+validate':>10} {'examples/s':>11} {'vs hand':>8}")
    for label in build:
        eps = statistics.median(speed[label])
        # The ratio is taken round by round (same machine state), then the median.
        ratio = statistics.median(
            a / b for a, b in zip(speed[label], speed["by hand"], strict=True)
        )
        call = statistics.median(first for first, _ in build[label]) * 1000
        ready = statistics.median(second for _, second in build[label]) * 1000
        print(f"  {label:<22} {call:9.3f} {ready:10.3f} {eps:11.0f} {ratio:8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and examples")
    run(parser.parse_args(argv).quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
