"""Figure 3: examples per second of our strategies vs a hand translation and hypothesis-jsonschema.

Why it exists: generation speed bounds how many cases a fuzz test sends per second. The goal
is to be within 10% of what a person would write by hand with Hypothesis. The schemas and
the measuring loop are ``bench/bench_generators.py``'s (``CASES``, ``examples_per_second``);
this stage adds the bundled Zoho operations, through the public ``valid_requests(op)`` (whole
requests) against a hand translation of the same requests.

hypothesis-jsonschema 0.23.1 needs Hypothesis <= 6.170.9, so its figures come from a worker
run in its own venv (``../venv-hjs``, this module's ``--hjs-worker`` mode), which measures
``from_schema`` and hypothesis-jsonschema side by side in one process, interleaved.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_generators as bg
from _harness import ROOT, VENV_HJS, Row, log, python_of, ratios, run_json, spread
from hypothesis import strategies as st

ZOHO = ROOT / "collection" / "zoho-crm.postman_collection.json"
Strategy = st.SearchStrategy[Any]

_URL = r"^https://[a-z][a-z0-9-]{0,15}(\.[a-z][a-z0-9-]{0,15}){1,3}(/[A-Za-z0-9._~-]{0,15}){0,3}\Z"


def leads_by_hand() -> Strategy:
    """The Leads mass-update body, as a person would write it."""
    return st.fixed_dictionaries(
        {
            "data": st.lists(st.fixed_dictionaries({"No_of_Employees": st.integers()})),
            "ids": st.lists(st.from_regex(r"^[0-9]{18}\Z")),
            "over_write": st.booleans(),
        }
    )


def bulk_by_hand() -> Strategy:
    """The Bulk Write job body, as a person would write it."""
    mapping = st.fixed_dictionaries(
        {"api_name": st.text(), "index": st.integers()}, optional={"format": st.text()}
    )
    resource = st.fixed_dictionaries(
        {
            "field_mappings": st.lists(mapping),
            "file_id": st.from_regex(r"^[0-9]{19}\Z"),
            "module": st.text(),
            "type": st.sampled_from(["data"]),
        }
    )
    return st.fixed_dictionaries(
        {
            "callback": st.fixed_dictionaries(
                {"method": st.sampled_from(["post"]), "url": st.from_regex(_URL)}
            ),
            "ignore_empty": st.booleans(),
            "operation": st.sampled_from(["insert"]),
            "resource": st.lists(resource),
        }
    )


_BY_HAND = {"leads": leads_by_hand, "bulk-write/create-bulk-write-job": bulk_by_hand}


def _zoho() -> list[tuple[Any, dict[str, Any], Callable[[], Strategy]]]:
    from postman_contracts.contracts import open_contracts
    from postman_contracts.generators._requests import valid_schema

    out = []
    for op in open_contracts(ZOHO).operations:
        schema = valid_schema(op)
        if schema is not None and op.id in _BY_HAND:
            out.append((op, schema, _BY_HAND[op.id]))
    return out


def _whole_request_by_hand(op: Any, body: Strategy) -> Strategy:
    from postman_contracts.checking._exchange import RequestSpec

    req = op.request
    headers = tuple(req.headers.items())
    return st.builds(lambda b: RequestSpec(req.method, req.path, (), headers, b), body)


def _hjs() -> Callable[[dict[str, Any]], Strategy]:
    """hypothesis-jsonschema's ``from_schema``, as ``bench_generators`` imported it."""
    found: Callable[[dict[str, Any]], Strategy] = getattr(bg, "hjs_from_schema")  # noqa: B009
    return found


def _for_hjs(schema: dict[str, Any]) -> dict[str, Any]:
    """hypothesis-jsonschema reads drafts 4-7: drop the 2020-12 dialect and annotations."""
    out = copy.deepcopy(schema)
    for key in ("$schema", "examples", "title", "description"):
        out.pop(key, None)
    return out


def _measure(impls: dict[str, Strategy], rounds: int, count: int) -> dict[str, list[float]]:
    speed: dict[str, list[float]] = {label: [] for label in impls}
    for strategy in impls.values():
        bg.examples_per_second(strategy, 20)  # warm up: compile regexes, fill caches
    for _ in range(rounds):
        for label, strategy in impls.items():
            speed[label].append(bg.examples_per_second(strategy, count))
    return speed


def cases(with_hjs: bool, *, zoho_only: bool = False) -> list[tuple[str, dict[str, Strategy]]]:
    """Every comparison: name and the strategies to compare (``ours`` first)."""
    from postman_contracts.generators import from_schema, valid_requests

    found: list[tuple[str, dict[str, Strategy]]] = []
    for op, schema, by_hand in _zoho():
        if not with_hjs:
            impls = {"ours": valid_requests(op), "by hand": _whole_request_by_hand(op, by_hand())}
            found.append((f"valid_requests({op.id})", impls))
        else:
            found.append(
                (
                    f"{op.id} body",
                    {
                        "ours": from_schema(schema),
                        "by hand": by_hand(),
                        "hypothesis-jsonschema": _hjs()(_for_hjs(schema)),
                    },
                )
            )
    for name, schema, by_hand in [] if zoho_only else bg.CASES:
        impls = {"ours": from_schema(schema), "by hand": by_hand()}
        if with_hjs:
            impls["hypothesis-jsonschema"] = _hjs()(schema)
        found.append((f"from_schema: {name}", impls))
    return found


def measure_all(
    with_hjs: bool, rounds: int, count: int, *, zoho_only: bool = False
) -> dict[str, dict[str, list[float]]]:
    """Examples per second, per comparison and implementation, round by round."""
    found = cases(with_hjs, zoho_only=zoho_only)
    return {name: _measure(impls, rounds, count) for name, impls in found}


def run(quick: bool) -> list[Row]:
    """Measure here (the project's Hypothesis), then hypothesis-jsonschema in its own venv."""
    rounds, count = (3, 100) if quick else (7, 300)
    log(f"generation: {rounds} rounds of {count} examples, this venv")
    rows = []
    for name, speed in measure_all(False, rounds, count).items():
        ratio = ratios(speed["ours"], speed["by hand"])
        rows.append(
            Row(
                f"3 generation, {name}: examples/s ours / by hand "
                f"({statistics.median(speed['ours']):,.0f}/s)",
                spread(ratio),
                ">= 0.90x",
                statistics.median(ratio) >= 0.9,
            )
        )
    python = python_of(VENV_HJS)
    if python is None:
        rows.append(
            Row(
                "3 generation: ours / hypothesis-jsonschema",
                f"skipped: no {VENV_HJS} (python -m venv {VENV_HJS} && "
                f"{VENV_HJS}/bin/pip install hypothesis==6.170.9 hypothesis-jsonschema==0.23.1 "
                "&& pip install -e .)",
            )
        )
        return rows
    log("generation: hypothesis-jsonschema, in its own venv")
    # hypothesis-jsonschema draws some of these schemas a hundred times slower than we do:
    # fewer, shorter rounds keep its worker to minutes.
    argv = [python, Path(__file__), "--hjs-worker", "--rounds", min(rounds, 5), "--count", 100]
    if quick:
        argv.append("--zoho-only")  # hypothesis-jsonschema takes minutes on the deep schemas
    theirs = run_json(argv, timeout=900)
    if "skipped" in theirs:
        rows.append(Row("3 generation: ours / hypothesis-jsonschema", theirs["skipped"]))
        return rows
    for name, speed in theirs.items():
        if "hypothesis-jsonschema" not in speed:
            continue
        ratio = ratios(speed["ours"], speed["hypothesis-jsonschema"])
        rows.append(
            Row(
                f"3 generation, {name}: examples/s ours / hypothesis-jsonschema (hyp 6.170.9)",
                spread(ratio),
                ">= 1x",
                statistics.median(ratio) >= 1,
            )
        )
    return rows


def main() -> None:
    """Run the stage, or (``--hjs-worker``) print the hypothesis-jsonschema venv's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hjs-worker", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--zoho-only", action="store_true", help="only the Zoho bodies")
    args = parser.parse_args()
    if not args.hjs_worker:
        from _harness import render

        print(render(run(args.quick)))
    elif getattr(bg, "hjs_from_schema", None) is None:
        print(json.dumps({"skipped": "hypothesis-jsonschema is not importable in its venv"}))
    else:
        print(json.dumps(measure_all(True, args.rounds, args.count, zoho_only=args.zoho_only)))


if __name__ == "__main__":
    main()
