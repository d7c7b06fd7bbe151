"""What every stage of ``bench/run.py`` shares: interleaved timing, ratios, slopes, the table.

Why it exists: these machines are noisy, so no figure is a lone absolute time. Contenders are
timed in interleaved rounds (noise hits them alike), each round gives a ratio, and the table
shows the median ratio with its spread (the lowest and highest round), next to its goal.
"""

from __future__ import annotations

import gc
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# The peers that cannot share the project's venv live in venvs of their own, beside the
# checkout unless these variables say where.
VENV_HJS = Path(os.environ.get("BENCH_VENV_HJS", ROOT.parent / "venv-hjs"))
VENV_ST = Path(os.environ.get("BENCH_VENV_ST", ROOT.parent / "venv-st"))


@dataclass(frozen=True)
class Row:
    """One line of the table.

    Attributes:
        figure: what is measured, e.g. ``"1 inference, N=10,000: ours / genson"``.
        value: the measured figure with its spread, e.g. ``"2.31x (2.20-2.41)"``.
        goal: the goal in words, e.g. ``">= 2x"``.
        met: whether the goal is met; ``None`` when there is no goal or it was skipped.
    """

    figure: str
    value: str
    goal: str = ""
    met: bool | None = None


def timed_rounds(
    contenders: Mapping[str, Callable[[], object]], rounds: int, *, collect: bool = True
) -> dict[str, list[float]]:
    """Seconds of each contender in each of ``rounds`` interleaved rounds.

    The collector is paused during a run (as ``timeit`` does): its pauses depend on what else
    is alive, not on the code measured.
    """
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            if collect:
                gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return times


def ratios(numerator: Sequence[float], denominator: Sequence[float]) -> list[float]:
    """Round-by-round ratios (same machine state for both), not a ratio of medians."""
    return [a / b for a, b in zip(numerator, denominator, strict=True)]


def spread(values: Sequence[float], unit: str = "x", digits: int = 2) -> str:
    """``median (lowest-highest)`` of some rounds."""
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.{digits}f}{unit}"
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def slope(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """The least-squares slope of log(seconds) against log(size): 1.0 is linear."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den


def python_of(venv: Path) -> Path | None:
    """The interpreter of ``venv``, when it exists."""
    path = venv / "bin" / "python"
    return path if path.exists() else None


def run_json(
    argv: Sequence[object], *, timeout: float = 600, cwd: Path | None = None
) -> dict[str, Any]:
    """Run a worker that prints one JSON object as its last line of stdout; return it."""
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{' '.join(map(str, argv))} exited {done.returncode}:\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def user_env() -> dict[str, str]:
    """The environment to time a command in as its users run it: with bytecode caches.

    pip compiles an installed package's modules at install time, and Python caches any other
    module's bytecode on first import, so a user's second run compiles nothing. A benchmark
    run under ``PYTHONDONTWRITEBYTECODE`` (as this machine's shells are) would compile every
    imported module in every run instead: that is not what a user waits for. Time a command
    after one run that writes the caches.
    """
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def this_python() -> str:
    """The interpreter running the benchmark (the project's venv)."""
    return sys.executable


def render(rows: Sequence[Row]) -> str:
    """The table: figure, measured (median and spread), goal, and whether it is met."""
    head = ("FIGURE", "MEASURED (median, lowest-highest)", "GOAL", "")
    marks = {True: "ok", False: "MISSED", None: ""}
    table = [head, *((r.figure, r.value, r.goal, marks[r.met]) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    out = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in table
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
