"""Hooks the pytest plugin offers to conftest files."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.hookspec(firstresult=True)
def pytest_contracts_arrange_state(operation: Any, example: str, base_url: str) -> bool | None:
    """Arrange server state so that a ``state`` error example can be replayed.

    Some documented errors (Zoho's NOT_APPROVED, RECORD_LOCKED) are caused by the state of the
    server, not by the shape of the request, so the plugin cannot provoke them on its own. Return
    ``True`` after arranging the state for ``example`` of ``operation`` (an
    :class:`~postman_contracts.contracts.OperationContract`) on the server at ``base_url``; the
    example is then replayed instead of skipped. The first implementation that returns a value
    wins.
    """
