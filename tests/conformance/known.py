"""The committed list of known disagreements, and a run's failures compared with it.

Why it exists: against a spec-conforming server, ``verify`` may fail only where the vendor's
own documents disagree (an example that breaks its schema, a request the converter cannot
write). Each such failure is listed in ``known_failures.json`` with its reason; any other
failure is a false failure of the tool. An entry that no longer fails is stale and must go,
so the list stays honest.

Entry format: ``{"where": GLOB, "tests": [GLOB, ...], "reason": TEXT}``. ``where`` matches the
run, ``SPEC/VARIANT/MODE`` (``meilisearch/*/static``); each of ``tests`` matches JUnit test
names (``tasks/get-all-tasks::test_example[*]``) and must match a failure of every run
``where`` matches, or it is stale. Runs are deterministic (a fixed Hypothesis seed, Prism's
``--dynamic`` seeded and ``verify`` serial: two runs gave the same failures), so staleness is
enforced in dynamic mode too; a change in how many requests the tool sends does re-draw
Prism's dynamic bodies, though.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

KNOWN = Path(__file__).with_name("known_failures.json")


@dataclass(frozen=True)
class Entry:
    """One known disagreement."""

    where: str
    test: str
    reason: str

    def applies(self, run: str) -> bool:
        """Whether this entry concerns the run ``SPEC/VARIANT/MODE``."""
        return bool(_glob(self.where).fullmatch(run))

    def covers(self, test: str) -> bool:
        """Whether this entry excuses the failing test ``test``."""
        return bool(_glob(self.test).fullmatch(test))


@functools.cache
def _glob(pattern: str) -> re.Pattern[str]:
    """``*`` matches anything; every other character, ``[`` and ``]`` included, itself."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


def load_known(path: Path = KNOWN) -> list[Entry]:
    """The entries of ``known_failures.json``."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [Entry(e["where"], t, e["reason"]) for e in raw["entries"] for t in e["tests"]]


@dataclass(frozen=True)
class Comparison:
    """A run's failures against the known list."""

    run: str
    unexpected: dict[str, str]  # false failures: test id -> failure title
    expected: dict[str, Entry]  # known failures seen: test id -> its entry
    stale: list[Entry]  # entries for this run that matched no failure

    @property
    def clean(self) -> bool:
        """No false failure and no stale entry."""
        return not self.unexpected and not self.stale


def compare(run: str, failed: dict[str, str], entries: list[Entry]) -> Comparison:
    """Compare ``failed`` (test id -> failure title) of ``run`` with the known entries."""
    mine = [e for e in entries if e.applies(run)]
    unexpected: dict[str, str] = {}
    expected: dict[str, Entry] = {}
    for test, title in sorted(failed.items()):
        entry = next((e for e in mine if e.covers(test)), None)
        if entry is None:
            unexpected[test] = title
        else:
            expected[test] = entry
    used = set(expected.values())
    stale = [e for e in mine if e not in used]
    return Comparison(run, unexpected, expected, stale)


def describe(c: Comparison, *, limit: int = 40) -> str:
    """The comparison in words, for a failing test or the report."""
    lines: list[str] = []
    if c.unexpected:
        lines.append(f"{c.run}: {len(c.unexpected)} failure(s) not in {KNOWN.name}:")
        for test, title in list(c.unexpected.items())[:limit]:
            lines.append(f"  {test}: {title}")
        if len(c.unexpected) > limit:
            lines.append(f"  ... and {len(c.unexpected) - limit} more")
    if c.stale:
        lines.append(
            f"{c.run}: {len(c.stale)} stale entry(ies) in {KNOWN.name}, no longer failing:"
        )
        lines += [f"  {e.where} {e.test} ({e.reason})" for e in c.stale]
    return "\n".join(lines)
