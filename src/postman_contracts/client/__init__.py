"""Types of the client-side fixtures, for annotating tests.

``contract_mock`` is a :class:`ContractMock`, ``contract_responses`` a
:class:`ContractResponses`, and ``contract_mock.calls`` holds :class:`ClientCall` records::

    from postman_contracts.client import ContractMock

    def test_mass_update(contract_mock: ContractMock) -> None: ...
"""

from __future__ import annotations

from postman_contracts.client._fuzz import ContractResponses
from postman_contracts.client._mock import ClientCall, ContractMock

__all__ = ["ClientCall", "ContractMock", "ContractResponses"]
