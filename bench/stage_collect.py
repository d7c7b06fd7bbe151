"""Figure 6: ``pytest --collect-only`` over a 5,000-operation collection vs plain tests.

Why it exists: a large collection must not make every pytest start slow. Our collection run
(load, infer, make one item per case) is timed against pytest collecting 5,000 plain
parametrized tests, and against as many plain tests as our run makes items (the same amount
of pytest's own per-item work), and collecting the same operations from their committed
contracts directory (read, not inferred). One profiled run checks that the collection is
loaded once per session, and names where the time goes. Every run has bytecode caches, as a
user's installed environment has (``_harness.user_env``).
"""

from __future__ import annotations

import io
import pstats
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _harness import Row, log, ratios, spread, this_python, user_env
from synth import write_collection


def _collect(argv: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        argv, capture_output=True, text=True, cwd=cwd, timeout=900, check=False, env=user_env()
    )
    seconds = time.perf_counter() - start
    # Count the listed node ids: pytest's "N tests collected" leaves out items that a plugin
    # adds in pytest_collection_modifyitems, as ours does (it prints "no tests collected").
    items = sum(1 for line in done.stdout.splitlines() if "::" in line)
    if done.returncode not in (0, 5) or not items:
        raise RuntimeError(f"{argv} exited {done.returncode}: {done.stdout[-1500:]}{done.stderr}")
    return seconds, items


def _generate(collection: Path, out: Path) -> Path:
    """The contracts directory ``postman-contracts generate`` writes for ``collection``."""
    from postman_contracts.cli import main

    if main(["generate", str(collection), "-o", str(out)], stdout=io.StringIO()) != 0:
        raise RuntimeError(f"postman-contracts generate {collection} failed")
    return out


def _plain(directory: Path, count: int) -> Path:
    directory.mkdir()
    (directory / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (directory / "test_plain.py").write_text(
        "import pytest\n\n\n"
        f"@pytest.mark.parametrize('i', range({count}))\n"
        "def test_plain(i):\n    pass\n",
        encoding="utf-8",
    )
    return directory


def _argv(directory: Path, *extra: str | Path) -> list[str]:
    return [
        this_python(),
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "-p",
        "no:cacheprovider",
        "-c",
        str(directory / "pytest.ini"),
        "--rootdir",
        str(directory),
        str(directory),
        *map(str, extra),
    ]


_COUNTING = """
import sys
import pytest
import postman_contracts.contracts._open as opener
calls = []
real = opener.load_collection
def counted(*args, **kwargs):
    calls.append(1)
    return real(*args, **kwargs)
opener.load_collection = counted
code = pytest.main(sys.argv[1:])
print("LOADS", len(calls))
"""


def _count_loads(argv: list[str], cwd: Path) -> int:
    """Calls of ``load_collection`` in one run, counted by a wrapper (cheaper than a profile)."""
    counting = [argv[0], "-c", _COUNTING, *argv[3:]]  # argv is python -m pytest ARGS...
    done = subprocess.run(
        counting, capture_output=True, text=True, cwd=cwd, timeout=900, check=False, env=user_env()
    )
    found = [line for line in done.stdout.splitlines() if line.startswith("LOADS ")]
    if not found:
        raise RuntimeError(f"counting run failed: {done.stdout[-800:]}{done.stderr[-800:]}")
    return int(found[-1].split()[1])


def _profile(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Calls of ``load_collection`` in one profiled run, and the top five functions by time."""
    out = cwd / "collect.prof"
    profiled = [argv[0], "-m", "cProfile", "-o", str(out), *argv[1:]]
    subprocess.run(
        profiled, capture_output=True, text=True, cwd=cwd, timeout=900, check=True, env=user_env()
    )
    stats = pstats.Stats(str(out))
    raw = stats.stats  # type: ignore[attr-defined]
    loads = sum(v[1] for k, v in raw.items() if k[2] == "load_collection")
    top = sorted(raw.items(), key=lambda kv: kv[1][3], reverse=True)
    total = max(v[3] for v in raw.values())
    names = []
    for (file, _line, func), v in top:
        if "postman_contracts" in file and func not in ("<module>",):
            names.append(f"{Path(file).name}:{func} {v[3] / total:.0%}")
        if len(names) == 5:
            break
    return loads, "; ".join(names)


def run(quick: bool) -> list[Row]:
    """Time collection, interleaved, then profile one run of ours."""
    ops, rounds = 5_000, 2 if quick else 5
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as name:
        tmp = Path(name)
        ours_dir = tmp / "ours"
        ours_dir.mkdir()
        (ours_dir / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        collection = write_collection(ops, tmp / "ops.json")
        ours = _argv(
            ours_dir, "--contracts", collection, "--contracts-base-url", "http://127.0.0.1:9"
        )
        # The same operations as a committed contracts directory, read without inferring.
        contracts_dir = _generate(collection, tmp / "contracts")
        ours_committed = _argv(
            ours_dir, "--contracts", contracts_dir, "--contracts-base-url", "http://127.0.0.1:9"
        )
        log(f"collect: {ops:,} operations, counting load_collection calls and items")
        loads = _count_loads(ours, ours_dir)
        items = 9 * ops  # replaced by the real count after the first run of ours
        plain = _argv(_plain(tmp / "plain", ops))
        times: dict[str, list[float]] = {"ours": [], "plain": [], "same": [], "committed": []}
        same: list[str] = []
        # The counting run above cached the bytecode of every module ours imports; the plain
        # runs import fewer, and their test file is compiled once, here (see user_env).
        _collect(plain, tmp)
        for i in range(rounds):
            log(f"collect: round {i + 1} of {rounds}")
            seconds, items = _collect(ours, ours_dir)
            times["ours"].append(seconds)
            if not same:
                same = _argv(_plain(tmp / "same", items))
            times["plain"].append(_collect(plain, tmp)[0])
            times["same"].append(_collect(same, tmp)[0])
            times["committed"].append(_collect(ours_committed, ours_dir)[0])
        top = "not profiled in --quick"
        if not quick:
            log("collect: one profiled run")
            loads, top = _profile(ours, ours_dir)
    vs_plain = ratios(times["ours"], times["plain"])
    vs_same = ratios(times["ours"], times["same"])
    committed = ratios(times["committed"], times["same"])
    missed = statistics.median(vs_plain) >= 2
    return [
        Row(
            f"6 collect-only, {ops:,} ops ({items:,} items, "
            f"{statistics.median(times['ours']):.1f} s) / {ops:,} plain parametrized tests",
            spread(vs_plain),
            "< 2x",
            not missed,
        ),
        Row(
            f"6 collect-only, same / {items:,} plain parametrized tests (per item)",
            spread(vs_same),
            "< 2x",
            statistics.median(vs_same) < 2,
        ),
        Row(
            f"6 collect-only from its committed contracts directory "
            f"({statistics.median(times['committed']):.1f} s) / {items:,} plain tests (per item)",
            spread(committed),
            "< 2x",
            statistics.median(committed) < 2,
        ),
        Row(
            "6 collect-only: load_collection calls in the session",
            str(loads),
            "1",
            loads == 1,
        ),
        Row("6 collect-only: where the time goes (cumulative)", top),
    ]
