"""Test-suite wide settings: the Hypothesis profiles (``dev`` locally, ``ci`` under CI=true)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# No deadline: a loaded machine must not turn a slow example into a failure.
settings.register_profile("dev", max_examples=100, deadline=None)
# CI is deterministic (same examples on every run) and prints blobs to reproduce failures.
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
