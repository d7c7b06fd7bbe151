"""The module pytest loads (entry point ``pytest11``): the plugin's hooks and fixtures.

Everything is implemented in :mod:`postman_contracts.plugin`; this module only names it, so
``-p postman_contracts.pytest_plugin`` keeps working.
"""

from __future__ import annotations

from postman_contracts.plugin import (
    RUN_KEY,
    SETTINGS_KEY,
    check_response,
    contract_mock,
    contract_responses,
    contract_session,
    contracts,
    pytest_addhooks,
    pytest_addoption,
    pytest_collect_file,
    pytest_collection,
    pytest_configure,
    pytest_configure_node,
    pytest_ignore_collect,
    pytest_report_header,
    pytest_unconfigure,
)

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
