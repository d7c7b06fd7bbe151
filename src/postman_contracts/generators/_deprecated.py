"""The strategies' old names, ``requests`` and ``responses``, as deprecated aliases.

Why it exists: those are the names of the two HTTP libraries this package depends on and its
users import beside it (``from postman_contracts.generators import requests`` shadowed
``import requests``). The strategies are now :func:`valid_requests` and
:func:`documented_responses`; the old names warn and delegate for one release.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

from hypothesis import strategies as st

from postman_contracts.checking import RequestSpec
from postman_contracts.contracts import OperationContract
from postman_contracts.generators._requests import requests as _valid_requests
from postman_contracts.generators._responses import GeneratedResponse
from postman_contracts.generators._responses import responses as _documented_responses

__all__ = ["requests", "responses"]


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"postman_contracts.generators.{old} is deprecated (it shadows the HTTP library of that "
        f"name) and will be removed in the next release: use {new}",
        DeprecationWarning,
        stacklevel=3,
    )


def requests(
    operation: OperationContract, *, variables: Mapping[str, str] | None = None
) -> st.SearchStrategy[RequestSpec]:
    """Deprecated: :func:`~postman_contracts.generators.valid_requests`."""
    _warn("requests", "valid_requests")
    return _valid_requests(operation, variables=variables)


def responses(
    operation: OperationContract, *, status: int | None = None, example: str | None = None
) -> st.SearchStrategy[GeneratedResponse]:
    """Deprecated: :func:`~postman_contracts.generators.documented_responses`."""
    _warn("responses", "documented_responses")
    return _documented_responses(operation, status=status, example=example)
