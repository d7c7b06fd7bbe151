"""Fault injection: the share of deliberately broken operations each tool catches.

    python bench/conformance_faults.py              # 3 specs, 5 faults, 8 operations each
    python bench/conformance_faults.py --per-spec 0 --spec meilisearch   # every operation
    python bench/conformance_faults.py --peer none  # ours only

For each spec, Prism serves the vendor's definition (static mode) behind
``tests/conformance/faults.py``'s proxy. For each fault kind (a property's type changed, a
required property dropped, a value outside its enum, null for a non-null property, the
success status moved to an undocumented 2xx), the sample is the first ``--per-spec``
operations (sorted by path, then method; one per path, so no two faulty operations share a
URL) that the spec gives something to break. All of a kind's sample is broken at once, and:

- ours: the plugin's tests of the sampled operations (``pytest -p postman_contracts
  --contracts-select``, as ``verify`` runs them; ``verify`` cannot select), once per
  converter variant, with the default checks and with ``--contracts-strict``. An operation
  is caught when one of its tests fails that passed against the same proxy without faults.
- schemathesis (``$BENCH_VENV_ST``, default ``../venv-st``; skipped when absent): ``st run``
  on the vendor's definition, ``--include-name`` per sampled operation, ``--checks all``.
  An operation is caught when a check fails on it (an ``ST`` code) that did not fail on it
  without faults.

Caught shares are over the planned faults. "Hit" counts the operations whose fault really
changed at least one response in that tool's run: a tool that never obtains a success
response from an operation cannot meet its fault.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conformance.catch import caught, definition, operation_ids, plugin_outcomes, sample
from tests.conformance.faults import Fault, FaultProxy, fault_proxy
from tests.conformance.openapi import FAULTS, Operation
from tests.conformance.prism import find_prism, in_ci, missing_reason, prism_server
from tests.conformance.runs import SEED, SPEC_FILES, VARIANTS, spec_path

ROOT = Path(__file__).resolve().parents[1]
VENV_ST = Path(os.environ.get("BENCH_VENV_ST", ROOT.parent / "venv-st"))
ST_EXAMPLES = 10


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- schemathesis ----------------------------------------------------------------------------


def st_binary() -> Path | None:
    binary = VENV_ST / "bin" / "schemathesis"
    return binary if binary.exists() else None


def st_outcomes(spec: Path, url: str, ops: list[Operation | Fault]) -> dict[str, set[str]]:
    """Operation name (``GET /path``) -> the check codes that failed on it."""
    binary = st_binary()
    assert binary is not None
    with tempfile.TemporaryDirectory(prefix="conformance-st-") as tmp:
        xml = Path(tmp) / "st.xml"
        argv = [str(binary), "run", str(spec), "--url", url, "--checks", "all"]
        for op in ops:
            argv += ["--include-name", _name(op)]
        argv += ["--max-examples", str(ST_EXAMPLES), "--seed", str(SEED), "--workers", "1"]
        argv += ["-H", "Authorization: Bearer conformance", "--phases", "examples,coverage,fuzzing"]
        argv += ["--report", "junit", "--report-junit-path", str(xml)]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, cwd=tmp)
        if not xml.exists():
            raise RuntimeError(
                f"schemathesis wrote no report:\n{(proc.stdout + proc.stderr)[-3000:]}"
            )
        out: dict[str, set[str]] = {}
        for case in ET.parse(xml).getroot().iter("testcase"):
            codes: set[str] = set()
            for child in case:
                if child.tag == "failure":
                    codes |= {c.strip() for c in (child.get("message") or "").split(",")}
                elif child.tag == "error":
                    codes.add("error")
            out[case.get("name", "")] = codes
        return out


# -- the measure -----------------------------------------------------------------------------


@dataclass
class Tally:
    """Planned faults, and per tool the operations caught and the faults really hit."""

    planned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caught: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    hit: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    missed: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))


#: ``--checks``: which of our checking modes to measure (default checks, --contracts-strict).
CHECKS = {"default": (False,), "strict": (True,), "both": (False, True)}


def _tool(variant: str, strict: bool) -> str:
    return f"ours{', strict' if strict else ''} ({variant})"


def measure(
    spec_name: str, k: int, peer: bool, tally: Tally, binary: Path, checks: str = "both"
) -> None:
    """Break each kind's sample of ``spec_name`` and count what each tool catches."""
    spec = definition(spec_name)
    ids = {v: operation_ids(spec_name, v) for v in VARIANTS}
    plans = {kind: sample(spec, kind, list(ids.values()), k) for kind in FAULTS}
    union = list({(f.method, f.path): f for fs in plans.values() for f in fs}.values())
    with (
        prism_server(spec_path(spec_name), binary=binary) as prism,
        fault_proxy(prism.url) as proxy,
    ):
        # Without faults first: what passes (ours) and which checks fail (schemathesis).
        base = {
            (v, strict): plugin_outcomes(spec_name, v, proxy.url, union, ids[v], strict=strict)
            for v in VARIANTS
            for strict in CHECKS[checks]
        }
        base_st = st_outcomes(spec_path(spec_name), proxy.url, union) if peer else {}
        for kind, faults in plans.items():
            if not faults:
                continue
            tally.planned[kind] += len(faults)
            for v in VARIANTS:
                for strict in CHECKS[checks]:
                    proxy.set_faults(faults)
                    now = plugin_outcomes(spec_name, v, proxy.url, faults, ids[v], strict=strict)
                    found = caught(faults, ids[v], base[(v, strict)], now)
                    where = (spec_name, _tool(v, strict), kind)
                    _count(tally, where, proxy, {f: bool(t) for f, t in found.items()})
            if peer:
                proxy.set_faults(faults)
                now_st = st_outcomes(spec_path(spec_name), proxy.url, faults)
                found_st = {
                    f: bool(now_st.get(_name(f), set()) - base_st.get(_name(f), set()))
                    for f in faults
                }
                _count(tally, (spec_name, "schemathesis", kind), proxy, found_st)
            print(f"  {spec_name}: {kind} on {len(faults)} operation(s)", flush=True)


def _name(op: Operation | Fault) -> str:
    return f"{op.method} {op.path}"


def _count(
    tally: Tally, where: tuple[str, str, str], proxy: FaultProxy, found: dict[Fault, bool]
) -> None:
    """Tally ``found`` (fault -> caught) for ``where``: (spec, tool, fault kind)."""
    spec, tool, kind = where
    for f, ok in found.items():
        tally.hit[(tool, kind)] += proxy.applied[f] > 0
        if ok:
            tally.caught[(tool, kind)] += 1
        else:
            hit = "" if proxy.applied[f] else ", never hit"
            tally.missed[(tool, kind)].append(f"{spec} {_name(f)} ({f.describe()}{hit})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", action="append", choices=sorted(SPEC_FILES))
    parser.add_argument(
        "--per-spec", type=int, default=8, help="operations per fault and spec (0: all)"
    )
    parser.add_argument("--peer", choices=("schemathesis", "none"), default="schemathesis")
    parser.add_argument("--missed", action="store_true", help="list the faults each tool missed")
    parser.add_argument(
        "--checks",
        choices=sorted(CHECKS),
        default="both",
        help="our default checks, --contracts-strict, or both (default)",
    )
    args = parser.parse_args(argv)
    binary = find_prism()
    if binary is None:
        print(missing_reason(), file=sys.stderr)
        return 1 if in_ci() else 0
    peer = args.peer == "schemathesis"
    if peer and st_binary() is None:
        install = f"python3 -m venv {VENV_ST} && {VENV_ST}/bin/pip install schemathesis"
        print(f"schemathesis skipped: {install}")
        peer = False
    tally = Tally()
    start = time.perf_counter()
    for spec in args.spec or sorted(SPEC_FILES):
        measure(spec, args.per_spec, peer, tally, binary, args.checks)
    tools = [_tool(v, strict) for strict in CHECKS[args.checks] for v in VARIANTS]
    tools += ["schemathesis"] if peer else []
    rows = [["FAULT", "PLANNED", *(f"{t}: CAUGHT (HIT)" for t in tools)]]
    for kind in [*FAULTS, "all"]:
        kinds = FAULTS if kind == "all" else (kind,)
        planned = sum(tally.planned[x] for x in kinds)
        cells = []
        for t in tools:
            caught = sum(tally.caught[(t, x)] for x in kinds)
            hit = sum(tally.hit[(t, x)] for x in kinds)
            share = f"{caught / planned:.0%}" if planned else "-"
            cells.append(f"{caught}/{planned} = {share} ({hit})")
        rows.append([kind, str(planned), *cells])
    print(f"\nFaults caught, {time.perf_counter() - start:.0f} s:\n" + table(rows))
    if args.missed:
        for (tool, kind), items in sorted(tally.missed.items()):
            print(f"\n{tool} missed {kind}:")
            print("\n".join(f"  {i}" for i in items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
