"""Where a run sends each operation, settled (with every ``{{variable}}``) before it starts.

Why it exists: the plugin and ``verify`` must refuse a run that would send a request to a
host nothing names, or with a ``{{variable}}`` as its text, before the first request (a
usage error naming the variable, the item and where it occurs), and agree on it. The rules
are :mod:`postman_contracts.contracts`'s (``host_urls``, ``unresolved_variables``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from postman_contracts.collection import Variable
from postman_contracts.contracts import (
    ContractSet,
    host_urls,
    raise_unresolved,
    unresolved_variables,
)

__all__ = ["resolve_targets", "run_variables"]


def run_variables(
    contracts: ContractSet, environment: Iterable[Variable], overrides: Mapping[str, str]
) -> dict[str, str]:
    """The values a run fills ``{{variables}}`` with: the collection's, then the
    environment's (enabled, non-empty), then the overrides (``--var``), the last winning."""
    return {
        **contracts.values,
        **{v.key: v.value for v in environment if not v.disabled and v.value},
        **overrides,
    }


def resolve_targets(
    contracts: ContractSet,
    values: Mapping[str, str],
    base_url: str,
    mapping: Mapping[str, str],
    file: str | None = None,
) -> dict[str, str]:
    """The base URL of each host of ``contracts``.

    Raises:
        CollectionError: a host or a variable of a request resolves to nothing (the first,
            naming how many more).
    """
    urls, missing = host_urls(contracts, values, base_url=base_url, mapping=mapping)
    raise_unresolved([*missing, *unresolved_variables(contracts, values)], file)
    return urls
