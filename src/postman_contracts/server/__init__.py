"""Checking a server over HTTP: the cases of every operation, sent and judged.

The plugin turns these into pytest items and ``verify`` runs the plugin; nothing here imports
pytest. :class:`ContractRun` is one run's shared state (contracts, credentials, the HTTP client,
the checker); :class:`Settings` is what it is configured with, as plain data.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from postman_contracts.server._settings import CHECKS, PHASES, Settings

if TYPE_CHECKING:
    from postman_contracts.server._cases import Case
    from postman_contracts.server._hosts import resolve_targets, run_variables
    from postman_contracts.server._run import ContractRun, NotChecked
    from postman_contracts.server._stats import Stats as Stats

#: The run and all it needs (jsonschema, hypothesis, requests) are imported when first asked
#: for: the pytest plugin is loaded by every pytest run where this package is installed, with
#: or without ``--contracts``, and reads only the settings until it is given contracts.
_LAZY = {
    "Case": "_cases",
    "ContractRun": "_run",
    "NotChecked": "_run",
    "Stats": "_stats",
    "resolve_targets": "_hosts",
    "run_variables": "_hosts",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


__all__ = [
    "CHECKS",
    "PHASES",
    "Case",
    "ContractRun",
    "NotChecked",
    "Settings",
    "resolve_targets",
    "run_variables",
]
