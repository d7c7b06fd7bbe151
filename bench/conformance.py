"""The conformance report: ``verify`` on vendor specs' Postman conversions, against Prism.

    python bench/conformance.py                 # all 3 specs x 2 conversions x static/dynamic
    python bench/conformance.py --spec paystack --mode static
    python bench/conformance.py --strict        # exit 1 on a false failure or a stale entry

For each run it prints the tests, how many passed, failed and were skipped, how many failures
are false (not in ``tests/conformance/known_failures.json``) and how many entries are stale;
then the failures grouped by check and title. Report-only by default (exit 0, as CI runs it
until the fixes of issue 12 land); ``--strict`` enforces what ``pytest tests/conformance -m
conformance`` enforces. Prism is found as the suite finds it (``PRISM``, ``PRISM_PREFIX``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conformance.known import Comparison, compare, describe, load_known
from tests.conformance.prism import find_prism, in_ci, missing_reason, prism_server
from tests.conformance.runs import (
    MAX_EXAMPLES,
    MODES,
    SEED,
    SPEC_FILES,
    VARIANTS,
    Outcome,
    check_of,
    collection_path,
    run_verify,
    spec_path,
    title_of,
)


def table(rows: list[list[str]]) -> str:
    """Rows as aligned columns, the first row a header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def failures_by_title(results: dict[str, Outcome]) -> str:
    """Per spec, one table: failures grouped by check and title, a column per variant/mode."""
    out: list[str] = []
    for spec in sorted({run.split("/")[0] for run in results}):
        runs = [r for r in results if r.startswith(spec + "/")]
        groups: dict[tuple[str, str], Counter[str]] = {}
        for run in runs:
            for test, message in results[run].failed.items():
                groups.setdefault((check_of(test), title_of(message)), Counter())[run] += 1
        header = ["CHECK", "TITLE", *(r.split("/", 1)[1] for r in runs)]
        rows = [header]
        for (check, title), per_run in sorted(groups.items(), key=lambda kv: -sum(kv[1].values())):
            rows.append([check, title[:72], *(str(per_run.get(r, 0)) for r in runs)])
        out.append(f"\n{spec}: failures by check and title\n" + table(rows))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", action="append", choices=sorted(SPEC_FILES))
    parser.add_argument("--variant", action="append", choices=VARIANTS)
    parser.add_argument("--mode", action="append", choices=MODES)
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--strict", action="store_true", help="exit 1 on false failures or stale")
    parser.add_argument("--json", metavar="FILE", help="also write every failure as JSON")
    args = parser.parse_args(argv)
    binary = find_prism()
    if binary is None:
        print(missing_reason(), file=sys.stderr)
        return 1 if in_ci() or args.strict else 0
    known = load_known()
    results: dict[str, Outcome] = {}
    comparisons: list[Comparison] = []
    for spec in args.spec or sorted(SPEC_FILES):
        for mode in args.mode or MODES:
            with prism_server(spec_path(spec), dynamic=mode == "dynamic", binary=binary) as p:
                for variant in args.variant or VARIANTS:
                    run = f"{spec}/{variant}/{mode}"
                    start = time.perf_counter()
                    outcome = run_verify(
                        collection_path(spec, variant),
                        p.url,
                        max_examples=args.max_examples,
                        seed=args.seed,
                    )
                    took = time.perf_counter() - start
                    if not outcome.outcomes:
                        print(f"{run}: no JUnit report, exit {outcome.returncode}")
                        print(outcome.output[-3000:])
                        return 1
                    results[run] = outcome
                    failed = {t: title_of(m) for t, m in outcome.failed.items()}
                    comparisons.append(compare(run, failed, known))
                    print(f"{run}: {len(outcome.outcomes)} tests in {took:.0f} s", flush=True)

    rows = [["RUN", "TESTS", "PASSED", "FAILED", "SKIPPED", "FALSE", "KNOWN", "STALE"]]
    for c in comparisons:
        o = results[c.run]
        rows.append(
            [
                c.run,
                *(str(n) for n in (len(o.outcomes), o.count("passed"), len(o.failed))),
                *(str(n) for n in (o.count("skipped"), len(c.unexpected), len(c.expected))),
                str(len(c.stale)),
            ]
        )
    print("\n" + table(rows))

    print(failures_by_title(results))

    dirty = [c for c in comparisons if not c.clean]
    for c in dirty:
        print("\n" + describe(c, limit=10))
    if args.json:
        payload = {
            run: {t: {"check": check_of(t), "title": title_of(m)} for t, m in o.failed.items()}
            for run, o in results.items()
        }
        Path(args.json).write_text(json.dumps(payload, indent=1, sort_keys=True), encoding="utf-8")
    verdict = "clean" if not dirty else f"{len(dirty)} of {len(comparisons)} runs not clean"
    print(
        f"\nconformance: {verdict}" + ("" if args.strict else " (report only; --strict enforces)")
    )
    return 1 if dirty and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
