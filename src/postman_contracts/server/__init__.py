"""Checking a server over HTTP: the cases of every operation, sent and judged.

The plugin turns these into pytest items and ``verify`` runs the plugin; nothing here imports
pytest. :class:`ContractRun` is one run's shared state (contracts, credentials, the HTTP client,
the checker); :class:`Settings` is what it is configured with, as plain data.
"""

from __future__ import annotations

from postman_contracts.server._cases import Case
from postman_contracts.server._hosts import resolve_targets, run_variables
from postman_contracts.server._run import ContractRun, NotChecked
from postman_contracts.server._settings import CHECKS, PHASES, Settings
from postman_contracts.server._stats import Stats as Stats

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
