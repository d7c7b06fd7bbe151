"""One entry point for "the contracts at this path", whether a collection or a directory.

Why it exists: every surface (CLI, plugin, mock) accepts either a Postman collection, from which
contracts are inferred on the fly, or a committed contracts directory, which is used as
reviewed. Both give the same :class:`ContractSet`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from postman_contracts.collection import Variable, load_collection
from postman_contracts.contracts._build import build_contracts
from postman_contracts.contracts._infer import InferenceOptions
from postman_contracts.contracts._model import ContractSet
from postman_contracts.contracts._read import is_contracts_dir, load_contracts

__all__ = ["open_contracts"]


def open_contracts(
    path: str | os.PathLike[str],
    *,
    environment: str | os.PathLike[str] | tuple[Variable, ...] | None = None,
    variables: Mapping[str, str] | None = None,
    options: InferenceOptions | None = None,
) -> ContractSet:
    """Contracts from a collection file (inferred as they are read: see
    ``build_contracts(lazy=True)``) or a contracts directory (as committed)."""
    if is_contracts_dir(Path(path)):
        return load_contracts(Path(path))
    collection = load_collection(path, environment=environment, variables=variables)
    return build_contracts(collection, options, lazy=True)
