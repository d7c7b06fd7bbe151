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
    def __init__(self, base_url: str, credentials: Credentials, contracts: ContractSet) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.trust_env = False
        auths = [op.request.auth for op in contracts.operations if op.request.auth.required]
        if auths and auths[0].location == "header":
            a = auths[0]
            self.headers[a.name] = credentials.value(a)

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if "://" not in text:
            text = self.base_url + "/" + text.lstrip("/")
        return super().request(method, text, *args, **kwargs)
