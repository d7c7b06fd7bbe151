"""postman-contracts: hold an API to its Postman collection.

The layers import one way: :mod:`postman_contracts.collection` (the Postman model and
loader) → :mod:`postman_contracts.contracts` (schemas, error catalog, checks, drift) →
:mod:`postman_contracts.generators` (Hypothesis strategies) → the surfaces: the pytest
plugin, the CLI and the mock server. See ARCHITECTURE.md.
"""

from __future__ import annotations

from postman_contracts._errors import (
    CollectionError,
    ContractError,
    InvalidArgument,
    PostmanContractsError,
)

__all__ = [
    "CollectionError",
    "ContractError",
    "InvalidArgument",
    "PostmanContractsError",
    "__version__",
]

__version__ = "0.1.0"
