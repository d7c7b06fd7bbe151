"""The ``contract_session`` fixture's session: relative URLs to the base URL, credentials attached.

Why it exists: hand-written tests beside the generated ones talk to the same server with the
same credentials, without repeating the base URL.
"""

from __future__ import annotations

from typing import Any

import requests

from postman_contracts.contracts import ContractSet
from postman_contracts.server._http import Credentials

__all__ = ["BaseUrlSession"]


class BaseUrlSession(requests.Session):
    """Relative URLs go to the base URL; credentials go where the collection's first auth
    says, by the policy the generated tests send them with (``Credentials``): a header, a
    query parameter (an API key ``in: query``, an OAuth 2 token added to the query), or the
    Digest handshake."""

    def __init__(self, base_url: str, credentials: Credentials, contracts: ContractSet) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.trust_env = False
        auths = [op.request.auth for op in contracts.operations if op.request.auth.required]
        if not auths:
            return
        headers: dict[str, str] = {}
        query: list[tuple[str, str]] = []
        credentials.apply(auths[0], headers, query)
        self.headers.update(headers)
        self.params = dict(query)
        self.auth = credentials.digest(auths[0])

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if "://" not in text:
            text = self.base_url + "/" + text.lstrip("/")
        return super().request(method, text, *args, **kwargs)
