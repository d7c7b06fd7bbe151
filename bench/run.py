"""Every performance figure of postman-contracts, side by side with its peers, in one table.

Run by hand (not in CI, which must not depend on timing)::

    python bench/run.py [--quick] [--only 1,4]

Each figure is a ratio measured in this very run, contenders interleaved, with the median
and the spread (lowest and highest round) printed next to its goal:

1. inference: ``SchemaBuilder`` vs genson and vs ``json.loads``, and the slope in N
   (:mod:`stage_infer`);
2. the whole pipeline (load, build, write) at 1,000 to 50,000 operations: seconds, peak
   memory, slope (:mod:`stage_pipeline`);
3. generation: examples/s of ``requests(op)`` and ``from_schema`` vs a hand translation and
   hypothesis-jsonschema (:mod:`stage_generate`, on ``bench_generators``);
4. end to end: cases/s of the plugin vs schemathesis against the same mock (:mod:`stage_e2e`);
5. validation: ``Checker.check`` as a share of the round trip, jsonschema-rs beside it
   (:mod:`stage_check`);
6. plugin collection: ``--collect-only`` over 5,000 operations vs plain tests
   (:mod:`stage_collect`);
7. parallel: ``-n 2`` vs ``-n 0`` against a mock with 20 ms latency (:mod:`stage_e2e`);
8. verify: ``postman-contracts verify`` of 2,000 operations, ``-n 2``, default settings
   (:mod:`stage_verify`; ``--quick`` runs 500 and does not judge them).

Peers live outside the project's dependencies: genson and jsonschema-rs (``pip install
genson jsonschema-rs``) in this venv; hypothesis-jsonschema in ``../venv-hjs`` (it needs
``hypothesis==6.170.9``; ``BENCH_VENV_HJS`` overrides the path) and schemathesis in
``../venv-st`` (``BENCH_VENV_ST``), each with ``pip install -e .`` where the stage needs it.
A missing peer turns its rows into "skipped: ..." lines. ``--quick`` finishes in about six
minutes (on a quiet machine): it stops inference at N=10,000, the pipeline at 5,000
operations and verify at 500.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Row, log, render


def _stages() -> dict[str, Callable[[bool], list[Row]]]:
    import stage_check
    import stage_collect
    import stage_e2e
    import stage_generate
    import stage_infer
    import stage_pipeline
    import stage_verify

    return {
        "1": stage_infer.run,
        "2": stage_pipeline.run,
        "3": stage_generate.run,
        "4": stage_e2e.end_to_end,
        "5": stage_check.run,
        "6": stage_collect.run,
        "7": stage_e2e.parallel,
        "8": stage_verify.run,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the stages and print the table; exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument("--only", default="", help="comma-separated figure numbers, e.g. 1,4")
    args = parser.parse_args(argv)
    stages = _stages()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()] or list(stages)
    unknown = sorted(set(chosen) - set(stages))
    if unknown:
        parser.error(f"no figure {', '.join(unknown)}; figures are 1 to 8")
    rows: list[Row] = []
    started = time.perf_counter()
    for number in chosen:
        begun = time.perf_counter()
        try:
            rows += stages[number](args.quick)
        except Exception as err:  # noqa: BLE001 -- one failed stage must not hide the others
            rows.append(Row(f"{number} (stage failed)", f"{type(err).__name__}: {err}"[:200]))
        log(f"figure {number} took {time.perf_counter() - begun:.0f} s")
    print(render(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f} s", "(--quick)" * args.quick)
    return 1 if any(r.met is False for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
