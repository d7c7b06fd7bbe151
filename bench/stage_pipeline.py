"""Figure 2: the whole pipeline (load, build, write: what ``generate`` does) at scale.

Why it exists: a collection of tens of thousands of operations must still be turned into
contracts in a CI step, linearly in its size. Each size runs in a fresh subprocess (this
module's ``--worker`` mode) so that its peak memory (``ru_maxrss``) is its own; sizes are
interleaved across repetitions so that machine noise hits them alike.

Usage (the worker): ``python bench/stage_pipeline.py --worker COLLECTION.json``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from _harness import Row, log, run_json, slope, spread, this_python
from synth import write_collection

GOAL_OPS, GOAL_SECONDS, GOAL_MIB = 50_000, 60.0, 2048


def scratch(disk: bool = False) -> str | None:
    """Where to write: a RAM-backed directory unless ``disk``.

    This machine's root disk creates files at about a millisecond each (ext4 with
    ``discard``, shared with other jobs), which would swamp what the code costs; the disk's
    own figure is reported on its own row.
    """
    ram = Path("/dev/shm")
    return str(ram) if not disk and ram.is_dir() and os.access(ram, os.W_OK) else None


def worker(path: Path, *, disk: bool = False) -> dict[str, float]:
    """Load, build and write ``path`` into a temporary directory; the seconds of each."""
    from postman_contracts.collection import Limits, collector_paused, load_collection
    from postman_contracts.contracts import stream_contracts, write_contracts

    limits = Limits(max_file_bytes=2**40)  # synthetic collections exceed the 200 MiB default

    def peak() -> float:
        # VmHWM is this process's own high-water mark. ru_maxrss would do on a fresh process,
        # but Linux carries the parent's resident size over fork and exec into it.
        with contextlib.suppress(OSError):
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # What `postman-contracts generate` does: load, then build and write one operation at a
    # time (stream_contracts feeding write_contracts), so build and write share one figure;
    # all with the collector paused, as the command line runs it (cli._main._BATCH).
    start = time.perf_counter()
    with collector_paused():
        collection = load_collection(path, limits=limits)
        loaded, rss_load = time.perf_counter(), peak()
        header, operations = stream_contracts(collection)
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-", dir=scratch(disk)) as tmp:
            files = write_contracts(header, Path(tmp) / "contracts", operations=operations)
            written = time.perf_counter()
    return {
        "rss_load_mib": rss_load,
        "operations": len(collection.operations),
        "files": len(files),
        "load": loaded - start,
        "build+write": written - loaded,
        "total": written - start,
        "maxrss_mib": peak(),
    }


def run(quick: bool) -> list[Row]:
    """Measure each size in its own subprocess."""
    sizes = (1_000, 5_000) if quick else (1_000, 10_000, 50_000)
    results: dict[int, list[dict[str, float]]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="bench-collections-") as tmp:
        paths = {}
        for n in sizes:
            paths[n] = write_collection(n, Path(tmp) / f"ops-{n}.json")
            log(f"pipeline: wrote a {n:,}-operation collection ({paths[n].stat().st_size:,} B)")
        for rep in range(2 if quick else 3):
            for n in sizes:
                if rep and n > 10_000:
                    continue  # once is enough for the largest: minutes, not milliseconds
                log(f"pipeline: {n:,} operations, repetition {rep + 1}")
                argv = [this_python(), Path(__file__), "--worker", paths[n]]
                results[n].append(run_json(argv, timeout=1800))
        log(f"pipeline: {sizes[0]:,} operations, writing to the disk instead")
        argv = [this_python(), Path(__file__), "--worker", paths[sizes[0]], "--disk"]
        on_disk = run_json(argv, timeout=1800)
    rows = []
    medians = []
    for n in sizes:
        runs = results[n]
        total = [r["total"] for r in runs]
        medians.append(statistics.median(total))
        split = ", ".join(
            f"{stage} {statistics.median(r[stage] for r in runs):.1f}s"
            for stage in ("load", "build+write")
        )
        rss = max(r["maxrss_mib"] for r in runs)
        peaks = f"peak after load {max(r['rss_load_mib'] for r in runs):,.0f} MiB"
        goal, met = "", None
        if n == GOAL_OPS:
            goal = f"< {GOAL_SECONDS:.0f} s and < {GOAL_MIB / 1024:.0f} GB"
            met = statistics.median(total) < GOAL_SECONDS and rss < GOAL_MIB
        per_op = [t / n * 1000 for t in total]
        rows.append(
            Row(
                f"2 pipeline, {n:,} ops x 5 examples: seconds ({split}), peak RSS",
                f"{spread(total, ' s', 1)}, {rss:,.0f} MiB ({peaks}), "
                f"{spread(per_op, ' ms/op', 2)}",
                goal,
                met,
            )
        )
    ram = statistics.median(r["build+write"] for r in results[sizes[0]])
    rows.append(
        Row(
            f"2 pipeline, {sizes[0]:,} ops: write_contracts to the disk (/tmp) vs to RAM "
            f"({on_disk['files']:,.0f} files)",
            f"{on_disk['build+write']:.1f} s vs {ram:.1f} s "
            f"({1000 * (on_disk['build+write'] - ram) / on_disk['files']:.2f} ms more per file)",
        )
    )
    fit = slope(sizes, medians)
    rows.append(
        Row(
            f"2 pipeline: log-log slope of seconds vs ops ({', '.join(f'{n:,}' for n in sizes)})",
            f"{fit:.3f}",
            "< 1.05 (linear)",
            fit < 1.05,
        )
    )
    if GOAL_OPS not in sizes:
        guess = medians[-1] * (GOAL_OPS / sizes[-1]) ** max(fit, 1.0)
        rows.append(
            Row(
                f"2 pipeline, {GOAL_OPS:,} ops: extrapolated from the slope (not run in --quick)",
                f"~{guess:.0f} s",
                f"< {GOAL_SECONDS:.0f} s",
                guess < GOAL_SECONDS,
            )
        )
    return rows


def main() -> None:
    """The worker entry point (or run the stage on its own)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=Path)
    parser.add_argument("--disk", action="store_true", help="write to the disk, not to RAM")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, disk=args.disk)))
        return
    from _harness import render

    print(render(run(args.quick)))


if __name__ == "__main__":
    main()
