"""Pause Python's cyclic garbage collector while a large model is being built.

Why it exists: loading a collection and inferring its contracts allocate millions of small
containers (dicts, lists, dataclasses) that all stay alive. Each allocation counts toward the
collector's thresholds, so it keeps walking a heap that only grows, finding nothing: on a
5,000-operation collection that was two thirds of the load time, and it grew faster than the
collection (the oldest generation is walked again as it grows). Nothing built here forms
reference cycles that must be reclaimed early, so the collector is paused for the duration
and restored after, exactly as it was (a caller that disabled it keeps it disabled).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; re-enable it after if it was enabled."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
