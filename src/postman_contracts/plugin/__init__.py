"""The pytest plugin: ``pytest --contracts PATH --contracts-base-url URL``.

Why it exists: this is what users put in CI, with no test code to write. It generates, for
every documented operation, tests that replay the documented examples, fuzz valid and invalid
requests, and try an undocumented method and missing credentials, and it offers fixtures for
hand-written tests. Everything that imports pytest lives in this package: the options
(:mod:`._options`, the one place that reads pytest's configuration), the hooks and the
collection tree (:mod:`._hooks`, :mod:`._items`), the fixtures (:mod:`._fixtures`) and the
``pytest_contracts_arrange_state`` hook specification (:mod:`._hookspec`). The entry point
registered with pytest is :mod:`postman_contracts.pytest_plugin`, which re-exports these names.
Secrets (the token, secret variables) never reach pytest output.
"""

from __future__ import annotations

from postman_contracts.plugin._fixtures import (
    check_response,
    contract_mock,
    contract_responses,
    contract_session,
    contracts,
)
from postman_contracts.plugin._hooks import (
    pytest_addhooks,
    pytest_collect_file,
    pytest_collection,
    pytest_configure,
    pytest_configure_node,
    pytest_ignore_collect,
    pytest_report_header,
    pytest_unconfigure,
)
from postman_contracts.plugin._options import RUN_KEY, SETTINGS_KEY, pytest_addoption

__all__ = [
    "RUN_KEY",
    "SETTINGS_KEY",
    "check_response",
    "contract_mock",
    "contract_responses",
    "contract_session",
    "contracts",
    "pytest_addhooks",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_collection",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_ignore_collect",
    "pytest_report_header",
    "pytest_unconfigure",
]
