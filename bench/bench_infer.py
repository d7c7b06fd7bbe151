"""Benchmark schema inference against genson and against ``json.loads``.

Why it exists: inference runs on every saved example of every collection, and a later issue
requires at least twice genson's ``SchemaBuilder`` throughput. This script, run by hand,
generates N Zoho-CRM-shaped response bodies of about 1 KB each (modelled on the Leads
mass-update success response), then times interleaved rounds of our ``SchemaBuilder``,
genson's (when it is importable; it is not a project dependency) and ``json.loads`` of the
same bytes, and prints median times, throughputs and ratios. It installs nothing.

Usage: ``python bench/bench_infer.py --n 10000 [--rounds 7] [--seed 0] [--vary-all]``
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import random
import statistics
import string
import time
from collections.abc import Callable
from typing import Any

from postman_contracts.contracts._infer import SchemaBuilder

_FIRST = ("Patricia", "John", "Maria", "Wei", "Aisha", "Carlos", "Olga", "Kenji", "Amara")
_LAST = ("Boyle", "Smith", "Garcia", "Chen", "Khan", "Silva", "Ivanova", "Sato", "Okafor")
_ERRORS = ("INVALID_DATA", "MANDATORY_NOT_FOUND", "NOT_APPROVED", "RECORD_LOCKED")


def _timestamp(rng: random.Random) -> str:
    return (
        f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
        f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+{rng.choice(('00', '05'))}:30"
    )


def _record_id(rng: random.Random) -> str:
    return "7389640000" + "".join(rng.choices(string.digits, k=8))


def _user(rng: random.Random) -> dict[str, Any]:
    return {"name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "id": _record_id(rng)}


def _record(rng: random.Random, modified: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    if rng.random() < 0.1:
        return {
            "code": rng.choice(_ERRORS),
            "details": {"api_name": "No_of_Employees1"},
            "message": "This field cannot be updated in the Mass Update",
            "status": "error",
        }
    return {
        "code": "SUCCESS",
        "details": {
            "Modified_Time": modified[0],
            "Modified_By": modified[1],
            "Created_Time": _timestamp(rng),
            "id": _record_id(rng),
            "Created_By": _user(rng),
        },
        "message": "record updated",
        "status": "success",
    }


def make_bodies(n: int, seed: int, *, vary_all: bool = False) -> list[bytes]:
    """Return ``n`` Zoho-shaped JSON bodies, each grown to about 1 KB.

    As in the real response, one mass update stamps every record with the same
    ``Modified_Time`` and ``Modified_By``; ``vary_all`` draws those per record too, the
    harder case (more distinct timestamps and ids to check).
    """
    rng = random.Random(seed)
    bodies = []
    for _ in range(n):
        records: list[dict[str, Any]] = []
        modified = (_timestamp(rng), _user(rng))
        raw = b""
        while len(raw) < 1000:
            if vary_all:
                modified = (_timestamp(rng), _user(rng))
            records.append(_record(rng, modified))
            raw = json.dumps({"data": records}, indent=1).encode()
        bodies.append(raw)
    return bodies


def _ours(values: list[Any]) -> None:
    builder = SchemaBuilder()
    for value in values:
        builder.add(value)
    builder.to_schema()


def _loads(raw: list[bytes]) -> None:
    for body in raw:
        json.loads(body)


def _genson(module: Any) -> Callable[[list[Any]], None]:
    def run(values: list[Any]) -> None:
        builder = module.SchemaBuilder()
        for value in values:
            builder.add_object(value)
        builder.to_schema()

    return run


def main() -> None:
    """Run the benchmark and print one line per contender."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="bodies per round")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--vary-all", action="store_true", help="draw Modified_Time/Modified_By per record"
    )
    args = parser.parse_args()

    raw = make_bodies(args.n, args.seed, vary_all=args.vary_all)
    values = [json.loads(body) for body in raw]
    contenders: dict[str, Callable[[], None]] = {
        "postman-contracts": lambda: _ours(values),
        "json.loads": lambda: _loads(raw),
    }
    try:
        genson = importlib.import_module("genson")
    except ImportError:
        print("genson is not importable: comparing with json.loads only")
    else:
        contenders["genson"] = lambda: _genson(genson)(values)

    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name, run in contenders.items():
            # As timeit does: no collector pauses, whose cost depends on what else is alive.
            gc.collect()
            gc.disable()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
            gc.enable()

    size = sum(map(len, raw)) / len(raw)
    print(f"{args.n} bodies of {size:.0f} bytes on average, {args.rounds} interleaved rounds")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"  {name:<18} {median * 1000:9.1f} ms   {args.n / median:10,.0f} bodies/s")
    ours = medians["postman-contracts"]
    for name in ("genson", "json.loads"):
        if name in medians:
            print(f"  throughput of ours / {name}: {medians[name] / ours:.2f}x")


if __name__ == "__main__":
    main()
