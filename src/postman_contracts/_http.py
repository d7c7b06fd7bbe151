"""Send a request to a server under test and record the exchange, whatever the server does.

Why it exists: servers under test misbehave (refuse connections, hang, send 50 MB, redirect in
a loop, hang up mid-response). Each of those must become a clear, located failure of that one
test within the configured timeout, never a crash of the run. Credentials are attached here,
from configuration, and never echoed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from postman_contracts.contracts import AuthContract
from postman_contracts.contracts._exchange import Exchange, HttpRequest, HttpResponse, RequestSpec
from postman_contracts.contracts._violations import Violation

__all__ = ["Credentials", "HttpClient", "TransportError"]

_CHUNK = 64 * 1024


class TransportError(Violation):
    """The server could not be talked to (refused, timed out, hung up, too large...)."""

    #: the request that was being sent, once known
    exchange: Exchange | None = None


@dataclass(frozen=True)
class Credentials:
    """The credential to send, and how (from the operation's auth contract)."""

    token: str

    def apply(
        self, auth: AuthContract, headers: dict[str, str], query: list[tuple[str, str]]
    ) -> None:
        """Add the credential where ``auth`` says it goes."""
        if not auth.required or not self.token:
            return
        if auth.location == "query":
            query.append((auth.name, self.token))
        else:
            headers[auth.name] = (
                f"{auth.scheme} {self.token}".strip() if auth.scheme else self.token
            )


class HttpClient:
    """Sends :class:`RequestSpec` objects to ``base_url`` and returns exchanges."""

    def __init__(
        self,
        base_url: str,
        *,
        credentials: Credentials,
        timeout: float = 10.0,
        max_response_bytes: int = 10 * 1024 * 1024,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self.session = requests.Session()
        self.session.trust_env = False  # never route tests through a proxy from the environment
        self.session.max_redirects = 5

    def close(self) -> None:
        """Release the connection pool."""
        self.session.close()

    def build(self, spec: RequestSpec, auth: AuthContract) -> HttpRequest:
        """The request exactly as it will be sent."""
        headers = dict(spec.headers)
        query = list(spec.query)
        if spec.credentials:
            self.credentials.apply(auth, headers, query)
        url = self.base_url + spec.path + (("?" + urlencode(query)) if query else "")
        return HttpRequest(spec.method, url, tuple(headers.items()), spec.encoded_body())

    def send(
        self, spec: RequestSpec, auth: AuthContract, *, operation: str = "", item_path: str = ""
    ) -> Exchange:
        """Send and record; transport problems raise :class:`TransportError` with the exchange."""
        request = self.build(spec, auth)
        try:
            response = self._send(request)
        except TransportError as err:
            err.exchange = Exchange(request, None, operation, item_path)
            raise
        return Exchange(request, response, operation, item_path)

    def _send(self, request: HttpRequest) -> HttpResponse:
        try:
            with self.session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body or None,
                timeout=self.timeout,
                stream=True,
                allow_redirects=True,
            ) as r:
                body = self._read(r)
                return HttpResponse(r.status_code, tuple(r.headers.items()), body)
        except requests.exceptions.ConnectTimeout as err:
            raise TransportError(
                check="transport",
                title=f"Timed out connecting after {self.timeout}s",
                message=str(err),
            ) from err
        except requests.exceptions.ReadTimeout as err:
            raise TransportError(
                check="transport",
                title=f"No response within {self.timeout}s",
                message="the server accepted the connection but did not answer in time",
            ) from err
        except requests.exceptions.TooManyRedirects as err:
            raise TransportError(
                check="transport",
                title="Redirect loop",
                message=f"more than {self.session.max_redirects} redirects",
            ) from err
        except requests.exceptions.ConnectionError as err:
            refused = "refused" in str(err).lower() or "failed to establish" in str(err).lower()
            title = (
                "Connection refused"
                if refused
                else "The connection failed or was closed mid-response"
            )
            raise TransportError(check="transport", title=title, message=_first_line(err)) from err
        except requests.exceptions.RequestException as err:
            raise TransportError(
                check="transport", title="The request failed", message=_first_line(err)
            ) from err

    def _read(self, r: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.timeout
        for chunk in r.iter_content(_CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_response_bytes:
                raise TransportError(
                    check="transport",
                    title="Response too large",
                    message=f"over {self.max_response_bytes:,} bytes; stopped reading",
                )
            if time.monotonic() > deadline:
                raise TransportError(
                    check="transport",
                    title=f"The response took over {self.timeout}s to arrive",
                    message=f"{size:,} bytes received so far",
                )
        return b"".join(chunks)


def _first_line(err: BaseException) -> str:
    text = str(err)
    return text.splitlines()[0][:300] if text else type(err).__name__
