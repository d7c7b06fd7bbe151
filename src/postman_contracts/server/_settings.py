"""What a run of the server checks is configured with, as plain data.

Why it exists: the plugin reads these from pytest's options and ini file (the one place that
does), ``verify`` from its command line; everything below takes them as this frozen record and
never sees pytest.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

__all__ = ["CHECKS", "PHASES", "Settings"]

#: The kinds of generated test, in the order they are reported.
CHECKS = ("examples", "fuzz", "invalid", "method", "auth")
#: The phases of the generated requests, in the order they run: ``coverage`` (one request per
#: rule the contract asserts, the same on every run), then ``fuzz`` (Hypothesis's draws).
PHASES = ("coverage", "fuzz")


@dataclass(frozen=True)
class Settings:
    """The configuration of one run: what to check, against which server, how hard."""

    path: str
    base_url: str
    env: str
    variables: dict[str, str] = field(hash=False)
    auth_env: str
    max_examples: int
    budget: int
    seed: int
    timeout: float
    checks: frozenset[str]
    select: tuple[str, ...]
    strict: bool
    #: ``--contracts-host NAME=URL``: the base URL of a host other than the base URL's, by
    #: its variable's name or as written (``*``: every other host); see ``contracts._hosts``
    hosts: dict[str, str] = field(default_factory=dict, hash=False)
    phases: frozenset[str] = frozenset(PHASES)

    def fuzz_examples(self, fuzz_tests: int) -> int:
        """Generated requests for each of ``fuzz_tests`` fuzz tests: ``max_examples``, or
        under a ``budget`` its even share of it (at least one), when that is fewer.

        Why: ``max_examples`` alone makes a run grow with the collection (2,000 operations
        at 25 requests per fuzz test is 100,000 requests); a budget bounds the whole run, and
        only collections too large to fuzz fully within it get fewer requests per test.
        """
        if self.budget <= 0 or fuzz_tests <= 0:
            return self.max_examples
        return min(self.max_examples, max(1, self.budget // fuzz_tests))

    def selected(self, name: str, operation: str) -> bool:
        """Whether ``--contracts-select`` keeps a test of ``operation`` named ``name``."""
        return not self.select or any(
            fnmatch.fnmatchcase(n, g) for g in self.select for n in (operation, name)
        )
