"""How far `postman-contracts diff` can be trusted on real collection histories.

Why it exists: issue 14's goal is a diff whose reports are API changes (precision) and that
misses none of them, each with the right side (recall). ``../shared/histories`` holds pairs of
consecutive versions of real collections with a hand-made answer key (``pairs.json``; its
README gives the rules). This script diffs every pair and matches what the diff reports to
the key:

* A reported change is counted when it is an API change (``api: true``): renames, moves and
  documentation-only changes are reported as compatible, marked ``api: false``, and the key
  lists those as non-changes.
* It matches a key entry when both name the same operation (method + path template, path
  parameters in any syntax, host aside), the same part (``operation``, ``host``, ``query``,
  ``request body``, ``response 200 body``...), the same field (``a.b[].c``; a query
  parameter's name) and the same direction (added, removed, or changed). A rename or a moved
  operation is one change with two halves and may match one key entry per half, as the key
  allows ("reporting them as one rename is fine"). Each key entry is matched at most once:
  a second report of one change is a false positive.
* Precision: matched reported changes / reported changes. Recall: key entries matched by a
  change whose ``breaks`` includes the key's side / key entries (the share found whatever
  the side is printed beside it).

Usage: ``python bench/diff_histories.py [--histories DIR] [--verbose]``; exits 1 when the goal
(both at least 95%) is missed. ``tests/contracts/test_diff_histories.py`` runs the same.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postman_contracts.contracts import diff_contracts, open_contracts

GOAL = 0.95
DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "histories"
_PARAM = re.compile(r"^:.+$|\{\{[^{}]*\}\}|\{[^{}]*\}")


def route(text: str) -> tuple[str, str]:
    """``"POST {{baseUrl}}/a/:id"`` -> ``("POST", "/a/{}")``: the method and the path template
    without its host, each path parameter as ``{}`` whatever its syntax or name."""
    method, _, url = text.partition(" ")
    url = re.sub(r"^[a-z]+://", "", url.split("?")[0])
    path = url[url.index("/") :] if "/" in url else "/"
    segments = [_PARAM.sub("{}", s) for s in path.split("/")]
    return method.upper(), "/".join(segments)


def field_of(json_path: str) -> str:
    """``$.balances[*].pendingAvailable`` -> ``balances[].pendingAvailable``."""
    text = json_path.removeprefix("$").replace("[*]", "[]")
    text = re.sub(r"\['([^']*)'\]", r".\1", text)
    return text.lstrip(".")


def _direction(word: str) -> str:
    return word if word in ("added", "removed") else "changed"


@dataclass(frozen=True)
class Claim:
    """One half of a reported change, in the key's terms."""

    route: tuple[str, str] | None  # None: collection-wide
    part: str
    field: str
    direction: str


def claims(change: dict[str, Any]) -> list[Claim]:
    """What a reported change (``diff --format json``) says, as key-comparable halves."""
    kind, loc = change["kind"], change["location"]
    op = None if change["operation"] == "collection" else route(change["operation"])
    if kind == "operation-moved":
        return [
            Claim(route(change["before"]), "operation", "", "removed"),
            Claim(route(change["after"]), "operation", "", "added"),
        ]
    if loc["place"] == "operation":
        return [Claim(op, "operation", "", _direction(kind.rsplit("-", 1)[-1]))]
    if loc["place"] in ("host", "auth"):
        return [Claim(None, loc["place"], "", "changed")]
    if loc["side"] == "response":
        part = f"response {loc['status']} {loc['place']}"
    else:
        part = f"{loc['side']} {loc['place']}" if loc["place"] != "query" else "query"
    if kind.endswith("-renamed"):
        return [
            Claim(op, part, field_of(change["before"]), "removed"),
            Claim(op, part, field_of(change["after"]), "added"),
        ]
    name = loc["path"] if loc["place"] == "query" else field_of(loc["path"])
    return [Claim(op, part, name, _direction(kind.rsplit("-", 1)[-1]))]


def _key_claim(entry: dict[str, Any]) -> Claim:
    op = None if entry["part"] == "host" else route(entry["op"])
    return Claim(op, entry["part"], entry["field"], _direction(entry["change"].split()[0]))


def _same(reported: Claim, key: Claim) -> bool:
    if reported.part != key.part or reported.field != key.field:
        return False
    if key.route is not None and reported.route != key.route:
        return False
    return reported.direction == key.direction


@dataclass
class PairResult:
    """The measurement of one pair."""

    id: str
    title: str
    key: int
    reported: int = 0
    matched: int = 0  # reported changes that are API changes of the key
    found: int = 0  # key entries found, whatever the side
    right_side: int = 0  # key entries found with the right side
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def measure_pair(histories: Path, pair: dict[str, Any]) -> PairResult:
    """Diff one pair and match its reported API changes to its answer key."""
    old = open_contracts(histories / pair["old"]["file"])
    new = open_contracts(histories / pair["new"]["file"])
    reported = [c.as_json() for c in diff_contracts(old, new) if c.api]
    keys = pair["api_changes"]
    result = PairResult(pair["id"], pair["title"], len(keys), reported=len(reported))
    taken: dict[int, dict[str, Any]] = {}
    for change in reported:
        hit = False
        for half in claims(change):
            for i, entry in enumerate(keys):
                if i not in taken and _same(half, _key_claim(entry)):
                    taken[i] = change
                    hit = True
                    break
        if hit:
            result.matched += 1
        else:
            result.false_positives.append(
                f"{change['severity']}: {change['operation']} {change['message']}"
            )
    for i, entry in enumerate(keys):
        text = f"{entry['op']} {entry['part']} {entry['field']} {entry['change']}"
        if i not in taken:
            result.missed.append(f"{text} (breaks {entry['breaks']})")
            continue
        result.found += 1
        if entry["breaks"] in taken[i]["breaks"]:
            result.right_side += 1
        else:
            result.missed.append(f"{text}: side {taken[i]['breaks']}, key {entry['breaks']}")
    return result


def measure(histories: Path = DEFAULT) -> list[PairResult]:
    """Every pair of ``histories/pairs.json``, in its order."""
    doc = json.loads((histories / "pairs.json").read_text(encoding="utf-8"))
    return [measure_pair(histories, pair) for pair in doc["pairs"]]


def totals(results: list[PairResult]) -> tuple[float, float]:
    """Overall ``(precision, recall)``; a diff reporting nothing on no change is exact."""
    reported = sum(r.reported for r in results)
    keys = sum(r.key for r in results)
    precision = sum(r.matched for r in results) / reported if reported else 1.0
    recall = sum(r.right_side for r in results) / keys if keys else 1.0
    return precision, recall


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}%" if den else "-"


def report(results: list[PairResult], *, verbose: bool) -> str:
    """The table printed by the script."""
    lines = [
        f"{'pair':<5} {'key':>4} {'reported':>8} {'matched':>7} {'side ok':>7} "
        f"{'precision':>9} {'recall':>7}  title"
    ]
    for r in results:
        lines.append(
            f"{r.id:<5} {r.key:>4} {r.reported:>8} {r.matched:>7} {r.right_side:>7} "
            f"{_pct(r.matched, r.reported):>9} {_pct(r.right_side, r.key):>7}  {r.title}"
        )
        if verbose:
            lines += [f"      false positive: {fp}" for fp in r.false_positives]
            lines += [f"      missed: {m}" for m in r.missed]
    keys = sum(r.key for r in results)
    reported = sum(r.reported for r in results)
    matched = sum(r.matched for r in results)
    right = sum(r.right_side for r in results)
    lines.append(
        f"{'all':<5} {keys:>4} {reported:>8} {matched:>7} {right:>7} "
        f"{_pct(matched, reported):>9} {_pct(right, keys):>7}  goal: both >= {GOAL:.0%}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when the goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--histories", type=Path, default=DEFAULT)
    parser.add_argument("--verbose", action="store_true", help="list false positives and misses")
    args = parser.parse_args(argv)
    results = measure(args.histories)
    print(report(results, verbose=args.verbose))
    precision, recall = totals(results)
    return 0 if precision >= GOAL and recall >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
