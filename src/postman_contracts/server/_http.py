"""Send a request to a server under test and record the exchange, whatever the server does.

Why it exists: servers under test misbehave (refuse connections, hang, send 50 MB, redirect in
a loop, hang up mid-response). Each of those must become a clear, located failure of that one
test within the configured timeout, never a crash of the run. Credentials are attached here,
from configuration, and never echoed.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPDigestAuth
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from postman_contracts.checking import Exchange, HttpRequest, HttpResponse, RequestSpec, Violation
from postman_contracts.collection import CREDENTIAL_HEADERS
from postman_contracts.contracts import AuthContract

__all__ = [
    "Credentials",
    "HttpClient",
    "TransportError",
    "credential_headers",
    "request_key",
    "strip_credentials",
]

_CHUNK = 64 * 1024
_C = TypeVar("_C", bound=HTTPConnection)


class TransportError(Violation):
    """The server could not be talked to (refused, timed out, hung up, too large...)."""

    #: the request that was being sent, once known
    exchange: Exchange | None = None


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _encoded_pair(token: str) -> bool:
    """Whether ``token`` is already ``base64(user:password)``."""
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return ":" in decoded and decoded.isprintable()


@dataclass(frozen=True)
class Credentials:
    """The credential to send, and how (from the operation's auth contract).

    Attributes:
        token: the run's credential: ``--contracts-auth-env``'s value when ``configured``, else
            the value of the first auth variable given, else a stand-in.
        variables: the run's variables, for credentials made of several (Basic auth's user
            name and password).
        configured: whether ``token`` was given explicitly (it then wins over variables).
    """

    token: str
    variables: Mapping[str, str] = field(default_factory=dict, hash=False)
    configured: bool = False

    def value(self, auth: AuthContract) -> str:
        """What to send for ``auth``, scheme included (``Basic dXNlcjpwYXNz``)."""
        if auth.type == "basic" or auth.scheme.lower() == "basic":
            return "Basic " + self.basic(auth)
        return f"{auth.scheme} {self.token}".strip() if auth.scheme else self.token

    def basic(self, auth: AuthContract) -> str:
        """``base64(user:password)`` (RFC 7617): from the configured token (``user:password``,
        or already encoded), else from the auth's user name and password variables."""
        user = self.variables.get(auth.token_variable, "") if auth.token_variable else ""
        password = self.variables.get(auth.password_variable, "") if auth.password_variable else ""
        if (user or password) and not self.configured:
            return _b64(f"{user}:{password}")
        if ":" in self.token:
            return _b64(self.token)
        return self.token if _encoded_pair(self.token) else _b64(self.token + ":")

    def pair(self, auth: AuthContract) -> tuple[str, str]:
        """The user name and password of ``auth`` (Digest): from the configured token
        (``user:password``), else from the auth's variables."""
        user = self.variables.get(auth.token_variable, "") if auth.token_variable else ""
        password = self.variables.get(auth.password_variable, "") if auth.password_variable else ""
        if (user or password) and not self.configured:
            return user, password
        name, _, secret = self.token.partition(":")
        return name, secret

    def digest(self, auth: AuthContract) -> HTTPDigestAuth | None:
        """``requests``' Digest handshake for ``auth`` (RFC 7616), or ``None`` for another
        scheme: Digest answers the server's challenge, so no header is set beforehand."""
        if auth.type != "digest" or not self.token:
            return None
        return HTTPDigestAuth(*self.pair(auth))

    def apply(
        self, auth: AuthContract, headers: dict[str, str], query: list[tuple[str, str]]
    ) -> None:
        """Add the credential where ``auth`` says it goes (Digest: by :meth:`digest`)."""
        if not auth.required or not self.token or auth.type == "digest":
            return
        if auth.location == "query":
            query.append((auth.name, self.token))
        else:
            headers[auth.name] = self.value(auth)


def request_key(request: HttpRequest) -> tuple[str, str, bytes]:
    """What makes two sent requests the same request: method, URL and body."""
    return (request.method, request.url, request.body)


def credential_headers(auth: AuthContract) -> frozenset[str]:
    """The lower-case names of the headers that carry credentials for ``auth``."""
    names = set(CREDENTIAL_HEADERS)
    if auth.location == "header" and auth.name:
        names.add(auth.name.lower())
    return frozenset(names)


def strip_credentials(
    auth: AuthContract, headers: dict[str, str], query: list[tuple[str, str]]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``headers`` and ``query`` without any credential the contract knows of: the auth's own
    header or query parameter, and ``Authorization``. Saved examples carry credentials
    (``X-API-Key: {{key}}``); only the sender decides whether a request has them."""
    names = credential_headers(auth)
    kept = {k: v for k, v in headers.items() if k.lower() not in names}
    if auth.location == "query" and auth.name:
        query = [(k, v) for k, v in query if k != auth.name]
    return kept, query


class _Deadline:
    """Bounds a whole exchange, not just each read: a server that trickles one byte a second
    never lets a per-read timeout expire. At the deadline every socket the client opened is
    shut down, so the blocked read returns at once, and the exchange is reported as timed out.

    One watchdog thread serves every exchange of the client, started with the first (a timer
    thread per exchange cost a quarter of a millisecond each, thousands of times a run).
    """

    def __init__(self) -> None:
        # Weak: a response may read from a socket its connection already let go of
        # (``Connection: close``), so sockets leave this set only when nothing uses them.
        self.sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self.lock = threading.Lock()
        self.expired = False
        self._due: float | None = None  # when the running exchange expires (monotonic)
        self._wake = threading.Condition()
        self._watchdog: threading.Thread | None = None

    def add(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self.lock:
                self.sockets.add(sock)

    def expire(self) -> None:
        self.expired = True
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    @contextlib.contextmanager
    def running(self, seconds: float) -> Iterator[None]:
        self.expired = False
        with self._wake:
            self._due = time.monotonic() + seconds
            if self._watchdog is None or not self._watchdog.is_alive():  # none, or it ended
                self._watchdog = threading.Thread(
                    target=self._watch, name="postman-contracts deadline", daemon=True
                )
                self._watchdog.start()
            self._wake.notify_all()
        try:
            yield
        finally:
            with self._wake:  # once this returns, this exchange can no longer expire
                self._due = None

    def close(self) -> None:
        """Let the watchdog thread end (the next exchange starts another)."""
        with self._wake:
            self._watchdog = None
            self._wake.notify_all()

    def _watch(self) -> None:
        me = threading.current_thread()
        with self._wake:
            while self._watchdog is me:
                due = self._due
                if due is None:
                    self._wake.wait()
                elif (left := due - time.monotonic()) > 0:
                    self._wake.wait(left)
                else:
                    self._due = None
                    self.expire()


def _adapter(deadline: _Deadline) -> HTTPAdapter:
    """An adapter whose connections register their sockets with ``deadline``."""

    def tracked(base: type[_C]) -> type[_C]:
        class Tracked(base):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                deadline.add(self.sock)

        return Tracked

    class Pool(HTTPConnectionPool):
        ConnectionCls = tracked(HTTPConnection)

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = tracked(HTTPSConnection)

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TlsPool}

    return Adapter()


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
        self._deadline = _Deadline()
        adapter = _adapter(self._deadline)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        """Release the connection pool and the deadline's thread."""
        self.session.close()
        self._deadline.close()

    def build(
        self, spec: RequestSpec, auth: AuthContract, *, base_url: str | None = None
    ) -> HttpRequest:
        """The request exactly as it will be sent (to ``base_url``, else the client's)."""
        headers, query = strip_credentials(auth, spec.wire_headers(), list(spec.query))
        if spec.credentials:
            self.credentials.apply(auth, headers, query)
        base = self.base_url if base_url is None else base_url.rstrip("/")
        url = base + spec.path + (("?" + urlencode(query)) if query else "")
        return HttpRequest(spec.method, url, tuple(headers.items()), spec.encoded_body())

    def send(
        self,
        spec: RequestSpec,
        auth: AuthContract,
        *,
        operation: str = "",
        item_path: str = "",
        base_url: str | None = None,
    ) -> Exchange:
        """Send (to ``base_url``, else the client's) and record; transport problems raise
        :class:`TransportError` with the exchange."""
        request = self.build(spec, auth, base_url=base_url)
        digest = self.credentials.digest(auth) if spec.credentials else None
        try:
            response = self._send(request, digest)
        except TransportError as err:
            err.exchange = Exchange(request, None, operation, item_path)
            raise
        return Exchange(request, response, operation, item_path)

    def _send(self, request: HttpRequest, digest: HTTPDigestAuth | None = None) -> HttpResponse:
        phase = ["headers"]
        try:
            with self._deadline.running(self.timeout):
                try:
                    return self._exchange(request, phase, digest)
                except requests.exceptions.RequestException:
                    if self._deadline.expired:
                        raise self._too_slow(phase[0]) from None
                    raise
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
        except requests.exceptions.ChunkedEncodingError as err:  # the body ended early
            raise TransportError(
                check="transport",
                title="The connection failed or was closed mid-response",
                message=_first_line(err),
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

    def _exchange(
        self, request: HttpRequest, phase: list[str], digest: HTTPDigestAuth | None
    ) -> HttpResponse:
        with self.session.request(
            request.method,
            request.url,
            headers=dict(request.headers),
            data=request.body or None,
            auth=digest,
            timeout=self.timeout,
            stream=True,
            allow_redirects=True,
        ) as r:
            if self._deadline.expired:  # the headers ended only because we hung up
                raise self._too_slow("headers")
            phase[0] = "body"
            body = self._read(r)
            if self._deadline.expired:
                raise self._too_slow("body")
            return HttpResponse(r.status_code, tuple(r.headers.items()), body)

    def _too_slow(self, phase: str) -> TransportError:
        if phase == "headers":
            return TransportError(
                check="transport",
                title=f"No response within {self.timeout}s",
                message="the server accepted the connection but did not answer in time",
            )
        return TransportError(
            check="transport",
            title=f"The response took over {self.timeout}s to arrive",
            message="the server kept sending, too slowly; stopped reading",
        )

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
