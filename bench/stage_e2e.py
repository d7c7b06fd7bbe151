"""Figures 4, 5 and 7: cases per second end to end, the cost of checking, parallel speed-up.

Why it exists: what a user feels is how many generated cases per second the plugin sends to
a server and checks, against what schemathesis does with our own OpenAPI export of the same
collection against the same server. Every contender talks to one loopback mock
(:mod:`_servers`), which counts the requests it really received.

4. Our plugin (``--contracts-checks fuzz,invalid``) and ``schemathesis run`` (fuzzing phase,
   the response checks our plugin also makes) each send the same number of cases; the rate
   is requests over the server-side window (first request to last answer), which leaves
   out both tools' start-up; the wall-clock rate, start-up included, is shown beside it.
5. ``Checker.check`` of one exchange as a fraction of its round trip, with jsonschema and
   (measured only) jsonschema-rs.
7. A suite against the mock slowed by 20 ms a request, ``pytest -n 2`` against ``-n 0``:
   the speed-up and whether both give the same outcome for every test (JUnit XML).
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from _harness import ROOT, VENV_ST, Row, log, ratios, spread, this_python, user_env
from _servers import mock_server
from synth import write_collection

ZOHO = ROOT / "collection" / "zoho-crm.postman_collection.json"
_ST_CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


def pytest_argv(tmp: Path, collection: Path, url: str, *extra: str) -> list[str]:
    """Our plugin in an empty directory with an empty ini, as ``verify`` runs it."""
    ini = tmp / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    return [
        this_python(),
        "-m",
        "pytest",
        str(tmp),
        "-c",
        str(ini),
        "--rootdir",
        str(tmp),
        "-q",
        "-p",
        "no:cacheprovider",
        "--contracts",
        str(collection),
        "--contracts-base-url",
        url,
        "--contracts-seed",
        "1",
        *extra,
    ]


def _timed(argv: Sequence[object], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=900,
        check=False,
        env=user_env(),
    )
    return time.perf_counter() - start, done


def end_to_end(quick: bool) -> list[Row]:
    """Figure 4."""
    schemathesis = VENV_ST / "bin" / "schemathesis"
    if not schemathesis.exists():
        return [
            Row(
                "4 end to end: cases/s ours / schemathesis",
                f"skipped: python -m venv {VENV_ST} && {VENV_ST}/bin/pip install schemathesis",
            )
        ]
    per_op = 50 if quick else 200  # schemathesis examples per operation
    rounds = 3 if quick else 5
    ours_rate: list[float] = []
    theirs_rate: list[float] = []
    ours_wall: list[float] = []
    theirs_wall: list[float] = []
    counts: dict[str, list[int]] = {"ours": [], "schemathesis": []}
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as name, mock_server(ZOHO) as (url, app):
        tmp = Path(name)
        openapi = tmp / "openapi.json"
        subprocess.run(
            [Path(this_python()).parent / "postman-contracts", "openapi", ZOHO, "-o", openapi],
            check=True,
            capture_output=True,
        )
        # fuzz_valid and fuzz_invalid per operation: half of schemathesis's examples each.
        ours = pytest_argv(
            tmp,
            ZOHO,
            url,
            "--contracts-checks",
            "fuzz,invalid",
            "--contracts-max-examples",
            str(per_op // 2),
        )
        theirs = [
            schemathesis,
            "run",
            openapi,
            "--url",
            url,
            "--max-examples",
            str(per_op),
            "--phases",
            "fuzzing",
            "--checks",
            _ST_CHECKS,
            "-H",
            "Authorization: Bearer postman-contracts-test-token",
            "--seed",
            "1",
            "--workers",
            "1",
        ]
        for i in range(rounds):
            log(f"end to end: round {i + 1} of {rounds}")
            for label, argv, rate, wall in (
                ("ours", ours, ours_rate, ours_wall),
                ("schemathesis", theirs, theirs_rate, theirs_wall),
            ):
                app.reset()
                seconds, done = _timed(argv, tmp)
                if done.returncode not in (0, 1):
                    raise RuntimeError(f"{label} exited {done.returncode}: {done.stdout[-2000:]}")
                counts[label].append(app.count)
                rate.append(app.count / app.window())
                wall.append(app.count / seconds)
    sent = {k: statistics.median(v) for k, v in counts.items()}
    ratio = ratios(ours_rate, theirs_rate)
    return [
        Row(
            f"4 end to end, Zoho vs the mock: cases/s ours / schemathesis "
            f"({sent['ours']:.0f} vs {sent['schemathesis']:.0f} cases, "
            f"{statistics.median(ours_rate):.0f}/s vs {statistics.median(theirs_rate):.0f}/s)",
            spread(ratio),
            ">= 3x",
            statistics.median(ratio) >= 3,
        ),
        Row(
            "4 end to end, same, wall clock with both tools' start-up",
            spread(ratios(ours_wall, theirs_wall)),
        ),
    ]


def _outcomes(junit: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        tags = {child.tag for child in case}
        outcome = next((t for t in ("failure", "error", "skipped") if t in tags), "passed")
        found[f"{case.get('classname')}::{case.get('name')}"] = outcome
    return found


def parallel(quick: bool) -> list[Row]:
    """Figure 7."""
    ops, rounds = (30, 2) if quick else (80, 3)
    serial: list[float] = []
    two: list[float] = []
    same = True
    tests = 0
    with tempfile.TemporaryDirectory(prefix="bench-xdist-") as name:
        tmp = Path(name)
        collection = write_collection(ops, tmp / "suite.json")
        with mock_server(collection, latency=0.020) as (url, _app):
            base = pytest_argv(tmp, collection, url, "--contracts-max-examples", "10")
            for i in range(rounds):
                results = {}
                for workers, times in (("0", serial), ("2", two)):
                    log(f"parallel: {ops} operations, -n {workers}, round {i + 1} of {rounds}")
                    junit = tmp / f"junit-{workers}.xml"
                    seconds, done = _timed([*base, "-n", workers, "--junitxml", junit], tmp)
                    if done.returncode not in (0, 1):
                        raise RuntimeError(f"-n {workers} exited {done.returncode}")
                    times.append(seconds)
                    results[workers] = _outcomes(junit)
                same = same and results["0"] == results["2"]
                tests = len(results["0"])
    ratio = ratios(serial, two)
    return [
        Row(
            f"7 parallel, {ops} ops ({tests} tests), 20 ms latency: speed-up -n 2 vs -n 0 "
            f"({statistics.median(serial):.0f} s serial)",
            spread(ratio),
            ">= 1.7x",
            statistics.median(ratio) >= 1.7,
        ),
        Row("7 parallel: identical outcome for every test", "yes" if same else "NO", "yes", same),
    ]
