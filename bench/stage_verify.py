"""Figure 8: ``postman-contracts verify`` of a 2,000-operation collection, default settings.

Why it exists: checking a large collection must take minutes, not a quarter of an hour. This
stage synthesizes a collection (``synth.py``), runs ``postman-contracts verify COLLECTION -n 2``
against the embedded mock with every other setting at its default (25 requests per fuzz test,
a budget of 20,000 generated requests shared by the fuzz tests), and reports the wall-clock
time next to its goal, with the CPU time of verify and its workers beside it: on a machine
shared with other jobs the wall clock carries their load, the CPU time much less of it.
``--quick`` runs 500 operations, which shows the trend but is not judged.

Usage (alone): ``python bench/stage_verify.py [--quick]``
"""

from __future__ import annotations

import re
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from _harness import Row, log, this_python, user_env
from synth import write_collection

GOAL_OPS, GOAL_SECONDS = 2_000, 300.0


def _cpu() -> float:
    """User and system seconds of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(quick: bool) -> list[Row]:
    """One verify run (minutes long: one round is what a user would wait through)."""
    ops = 500 if quick else GOAL_OPS
    verify = Path(this_python()).parent / "postman-contracts"
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as name:
        tmp = Path(name)
        collection = write_collection(ops, tmp / "big.json")
        log(f"verify: {ops:,} operations, -n 2, default settings")
        cpu, start = _cpu(), time.perf_counter()
        done = subprocess.run(
            [str(verify), "verify", str(collection), "-n", "2"],
            capture_output=True,
            text=True,
            cwd=tmp,
            timeout=3600,
            check=False,
            env=user_env(),
        )
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"verify exited {done.returncode}: {done.stdout[-2000:]}")
    passed = re.search(r"(\d+) passed", done.stdout)
    tests = f"{int(passed.group(1)):,} tests" if passed else "tests: ?"
    judged = ops == GOAL_OPS
    return [
        Row(
            f"8 verify, {ops:,} operations ({tests}), embedded mock, -n 2, default settings: "
            f"wall clock (CPU of verify and its workers: {cpu:.0f} s)",
            f"{seconds:.0f} s",
            f"< {GOAL_SECONDS:.0f} s" + ("" if judged else f" at {GOAL_OPS:,} ops"),
            seconds < GOAL_SECONDS if judged else None,
        )
    ]


if __name__ == "__main__":
    import sys

    from _harness import render

    print(render(run("--quick" in sys.argv)))
