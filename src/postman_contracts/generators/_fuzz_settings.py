"""How the tool runs Hypothesis against a server or a client: the one set of settings.

Why it exists: both fuzzers (the server checks and the client's ``contract_responses``) send
real requests or run user code, so they share one policy: no example database (a run must not
depend on a previous one), no deadline (the network sets the pace), every health check off
(slow or filtered draws are the server's business), one reported bug, and no target phase.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, settings

__all__ = ["fuzz_settings"]


def fuzz_settings(max_examples: int, **overrides: Any) -> settings:
    """The settings of a fuzz run of ``max_examples`` cases; ``overrides`` are passed on."""
    return settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        **overrides,
    )
