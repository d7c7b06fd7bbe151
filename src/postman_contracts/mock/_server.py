"""A mock server that answers the way a collection documents.

Why it exists: it is the embedded default of ``postman-contracts verify`` and the reference
server the plugin's own tests run against, so it must be *right*: a request that matches the
success contract gets the documented success example; a request that matches a documented
trigger gets that error example (missing ``ids`` → MANDATORY_NOT_FOUND in ``data[]`` under
200, ``COPY`` → INVALID_REQUEST_METHOD, no credentials → AUTHENTICATION_FAILURE, an ``http``
callback URL → INVALID_CALLBACK_URL); any other invalid request gets the documented envelope
with the closest documented code, never a 5xx and never a success. It is plain WSGI, served by
a threaded stdlib server by default, and never makes an outbound request.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from postman_contracts.checking import (
    Checker,
    HttpRequest,
    Issue,
    documented_error,
    judge_request,
    match_route,
)
from postman_contracts.collection import Redactor
from postman_contracts.contracts import (
    ContractSet,
    Envelope,
    ErrorEntry,
    ExampleExchange,
    OperationContract,
    is_contract_header,
    redact_json,
    reports_failure,
)

__all__ = ["MockApp", "MockServer", "serve"]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
}

log = logging.getLogger("postman_contracts.mock")


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    note: str
    headers: tuple[tuple[str, str], ...] = ()  # documented headers, secrets redacted


class MockApp:
    """The WSGI application.

    Args:
        contracts: what to serve.
        max_body: the largest request body read, in bytes; larger ones get a documented error.
        logger: called with one line per request (secrets redacted); default: the
            ``postman_contracts.mock`` logger at INFO.
        strict: judge requests by every inferred constraint (the default), or only by those
            the evidence policy asserts.
    """

    def __init__(
        self,
        contracts: ContractSet,
        *,
        max_body: int = 1024 * 1024,
        logger: Callable[[str], None] | None = None,
        strict: bool = True,
    ) -> None:
        self.contracts = contracts
        self.max_body = max_body
        # The mock answers as the documentation would have the server answer: a request
        # breaking any inferred constraint gets the closest documented error (strict=False:
        # only the constraints with enough evidence, as the default checks hold them).
        self.checker = Checker(contracts, strict=strict)
        self.redact = Redactor(contracts.secrets)
        self.logger = logger or log.info
        self._template = self._error_template()
        self._header_names = _documented_header_names(contracts)

    # -- WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request."""
        try:
            request, too_large = self._read(environ)
        except OSError as err:  # the client stalled or hung up while sending its body
            request, too_large = (
                HttpRequest(environ.get("REQUEST_METHOD", "GET"), "http://mock/"),
                False,
            )
            reply = self._synthetic(
                400, "INVALID_REQUEST", f"the body could not be read ({type(err).__name__})"
            )
            return self._respond(request, reply, start_response)
        try:
            reply = self.answer(request, too_large=too_large)
        except Exception as err:  # noqa: BLE001 -- the one boundary: input must never crash the mock
            reply = self._synthetic(
                400, "INVALID_REQUEST", f"the request could not be processed ({type(err).__name__})"
            )
        return self._respond(request, reply, start_response)

    def _respond(
        self, request: HttpRequest, reply: _Reply, start_response: StartResponse
    ) -> list[bytes]:
        self.logger(self.redact(f"{request.method} {request.path} -> {reply.status} {reply.note}"))
        headers = [("Content-Type", reply.content_type), ("Content-Length", str(len(reply.body)))]
        headers += reply.headers
        start_response(f"{reply.status} {_REASONS.get(reply.status, 'Status')}", headers)
        return [reply.body]

    def _read(self, environ: dict[str, Any]) -> tuple[HttpRequest, bool]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        stream = environ.get("wsgi.input")
        body = (
            stream.read(min(length, self.max_body + 1))
            if stream is not None and length > 0
            else b""
        )
        if stream is not None and length > len(body):
            self._drain(stream, length - len(body))
        headers = [
            (name, v)
            for k, v in environ.items()
            if k.startswith("HTTP_")
            for name in self._header_names.get(k[5:], (k[5:].replace("_", "-").title(),))
        ]
        if environ.get("CONTENT_TYPE"):
            headers.append(("Content-Type", environ["CONTENT_TYPE"]))
        query = environ.get("QUERY_STRING", "")
        raw = environ.get("RAW_URI", "")
        if raw.startswith("/"):  # split as sent, then decoded, a "/" in a segment kept as %2F
            segments = raw.split("?", 1)[0].split("/")
            path = "/".join(unquote(part).replace("/", "%2F") for part in segments)
        else:
            path = environ.get("PATH_INFO", "/") or "/"
        # Routing ignores the host, and a malformed Host header or request target ("[") must
        # not make the URL unparseable: a fixed host, and a path that starts with "/".
        path = path if path.startswith("/") else "/" + path
        url = f"http://mock{path}" + (f"?{query}" if query else "")
        request = HttpRequest(
            environ.get("REQUEST_METHOD", "GET").upper(), url, tuple(headers), body
        )
        return request, length > self.max_body

    def _drain(self, stream: Any, remaining: int) -> None:
        """Read and drop the rest of an oversized body (up to 64 times ``max_body``).

        A server that answers and closes while the client is still sending resets the
        connection, and the client sees a broken pipe instead of the documented error.
        """
        remaining = min(remaining, 64 * self.max_body)
        while remaining > 0:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                return
            remaining -= len(chunk)

    # -- behaviour ----------------------------------------------------------------------------

    def answer(self, request: HttpRequest, *, too_large: bool = False) -> _Reply:
        """The documented answer to ``request``, by the one request policy (``judge_request``,
        which the client mock applies too)."""
        if too_large:  # the body was not read whole: say so before judging what was read
            route = match_route(self.contracts, request.method, request.path)
            if route.operation is not None and route.method_allowed:
                limit = Issue("malformed", "", f"body over the limit of {self.max_body:,} bytes")
                return self._issue(route.operation, limit, 413)
        verdict = judge_request(self.contracts, self.checker, request, max_bytes=self.max_body)
        op = verdict.operation
        if op is None:
            closest = [{"operation": op_id, "why": why} for op_id, why in verdict.route.closest]
            return self._synthetic(
                404,
                "NOT_FOUND",
                f"no documented operation matches {request.method} {request.path}",
                {"closest": closest},
            )
        issue = verdict.answered
        if issue is not None:
            return self._issue(op, issue, 405 if issue.kind == "method" else 400)
        success = op.shown_response
        if success is None:
            return _Reply(
                204 if not op.responses else (op.responses[0].status or 200),
                b"",
                "application/json",
                "no success documented",
            )
        return self._example(op, success.example, "success")

    def _example(self, op: OperationContract, name: str, note: str) -> _Reply:
        x = next(x for x in op.examples if x.name == name)
        content_type = next(
            (v for k, v in x.response_headers if k.lower() == "content-type"), "application/json"
        )
        if x.response_is_json:
            body = json.dumps(x.response_body, ensure_ascii=False).encode("utf-8")
        else:
            body = str(x.response_body or "").encode("utf-8")
        return _Reply(x.status or 200, body, content_type, f"{op.id}::{name} ({note})", _served(x))

    def _status_headers(self, op: OperationContract, status: int) -> tuple[tuple[str, str], ...]:
        """The documented headers of an example of ``status``, for the mock's own answer of
        that status (the checks demand what every example of a status shows)."""
        x = next((x for x in op.examples if x.status == status), None)
        return _served(x) if x is not None else ()

    def _issue(self, op: OperationContract, issue: Issue, fallback_status: int = 400) -> _Reply:
        reply = self._answer_issue(op, issue, fallback_status)
        if issue.kind == "auth" and op.request.auth.type == "digest":
            # RFC 7616: the challenge a Digest client answers (requests' HTTPDigestAuth),
            # whatever another operation's documented 401 carries
            kept = tuple((k, v) for k, v in reply.headers if k.lower() != "www-authenticate")
            return replace(reply, headers=(*kept, ("WWW-Authenticate", _DIGEST_CHALLENGE)))
        return reply

    def _answer_issue(self, op: OperationContract, issue: Issue, fallback_status: int) -> _Reply:
        entry: ErrorEntry | None = documented_error(self.contracts, op, issue)
        if entry is not None:
            owner = self.contracts.owner(entry) or op
            return self._example(owner, entry.example, issue.message)
        status = 401 if issue.kind == "auth" else fallback_status
        code = {"auth": "UNAUTHORIZED", "method": "METHOD_NOT_ALLOWED"}.get(
            issue.kind, "INVALID_REQUEST"
        )
        reply = self._synthetic(
            status,
            code,
            issue.message,
            note=f"{code} ({issue.message})",
            shape=self._own_error_shape(op, status),
        )
        return replace(reply, headers=self._status_headers(op, status))

    def _own_error_shape(self, op: OperationContract, status: int) -> dict[str, Any] | None:
        """The body of an error ``op`` documents under ``status`` (top level), whole: the mock's
        own error of that status then has every member the documented one has, not only the
        members all of the collection's errors share."""
        for entry in op.errors:
            if entry.status == status and entry.placement == "top":
                x = next((x for x in op.examples if x.name == entry.example), None)
                if x is not None and isinstance(x.response_body, dict):
                    return x.response_body
        return None

    def _error_template(self) -> dict[str, Any] | None:
        """A documented error, cut to the collection's envelope keys, to shape the mock's own
        errors like documented ones: a top-level error body if one is documented, else a
        per-record error; its status member saying failure (``"error"``, ``false``) if any
        documented error's does."""
        env = self.contracts.envelope
        if env is None:
            return None
        samples = [r for r in _documented_error_records(self.contracts) if set(env.keys) <= set(r)]
        if not samples:
            return None
        template = {k: samples[0][k] for k in env.keys}
        if env.status_key is not None and not reports_failure(template, env):
            failing = next((r for r in samples if reports_failure(r, env)), None)
            if failing is not None:
                template[env.status_key] = failing[env.status_key]
        return template

    def _synthetic(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        note: str = "",
        shape: dict[str, Any] | None = None,
    ) -> _Reply:
        """The mock's own error (no documented one applies), in the documented envelope when
        the collection has one: every envelope key (or every member of ``shape``, an error
        body documented for this status) filled with a value of its documented type."""
        # The message and details quote the request (its path, a field name): never a secret,
        # even back. The rest is documentation, served as the contracts hold it.
        message = self.redact(message)
        details = redact_json(details, self.redact) if details else details
        env = self.contracts.envelope
        template = shape if shape is not None and env is not None else self._template
        if shape is not None and env is not None and isinstance(shape.get(env.code_key or ""), str):
            # the operation documents this status with this code: the mock cannot know a
            # truer one, and an invented code would break what the documentation shows
            code = shape[env.code_key or ""]
        if env is not None and template is not None:
            body = _fill_envelope(template, env, status, code, message, details, top=True)
        else:
            body = {"error": code, "message": message, **({"details": details} if details else {})}
        text = json.dumps(body, ensure_ascii=False)
        return _Reply(status, text.encode("utf-8"), "application/json", note or code)


_DIGEST_CHALLENGE = 'Digest realm="postman-contracts mock", qop="auth", nonce="mock", algorithm=MD5'


def _served(x: ExampleExchange) -> tuple[tuple[str, str], ...]:
    """An example's documented response headers as the mock sends them: only those that
    can be the API's (``is_contract_header``), values as the contracts hold them (secrets
    redacted when written), none that could split a header line."""
    return tuple(
        (k, v)
        for k, v in x.response_headers
        if is_contract_header(k) and "\r" not in v and "\n" not in v
    )


_MESSAGE_KEYS = frozenset({"message", "msg", "detail", "description", "error_description"})
_CODE_KEYS = frozenset({"code", "error_code", "errorcode"})


def _documented_error_records(contracts: ContractSet) -> Iterator[dict[str, Any]]:
    """Every documented error record: top-level error bodies, then per-record errors."""
    env = contracts.envelope
    for placement in ("top", "record"):
        for op in contracts.operations:
            for e in op.errors:
                if e.placement != placement:
                    continue
                x = next((x for x in op.examples if x.name == e.example), None)
                body = x.response_body if x is not None else None
                if placement == "top" and isinstance(body, dict):
                    yield body
                elif isinstance(body, dict) and isinstance(body.get(e.record_path or ""), list):
                    records = body[e.record_path or ""]
                    yield from (r for r in records if reports_failure(r, env))


def _fill_envelope(
    template: dict[str, Any],
    env: Envelope,
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None,
    *,
    top: bool,
    depth: int = 0,
) -> dict[str, Any]:
    """``template`` with each member given a value of its documented type that tells this
    error: the code and message where the envelope (or a member's name) says they go, the
    documented failure status, the HTTP status where a number echoes one, empty objects and
    lists (a documented error's details would claim that error happened)."""
    out: dict[str, Any] = {}
    for key, value in template.items():
        lowered = key.lower()
        if (top and key == env.code_key) or (
            not env.code_key and lowered in _CODE_KEYS and isinstance(value, str)
        ):
            out[key] = code
        elif (top and key == env.message_key) or lowered in _MESSAGE_KEYS:
            out[key] = [message] if isinstance(value, list) else message
        elif top and key == env.status_key:
            out[key] = status if _http_status(value) else value
        elif isinstance(value, dict):
            if lowered == "details" or depth >= 3:
                out[key] = details or {}
            else:
                out[key] = _fill_envelope(
                    value, env, status, code, message, details, top=False, depth=depth + 1
                )
        elif isinstance(value, list):
            out[key] = []
        else:
            out[key] = status if _http_status(value) else value
    return out


def _http_status(value: Any) -> bool:
    """An HTTP status echoed in a body (``"status": 400``)."""
    return isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599


def _documented_header_names(contracts: ContractSet) -> dict[str, tuple[str, ...]]:
    """The documented spellings of each header name as WSGI gives it (``HTTP_X_API_KEY``
    without its prefix): WSGI turns both ``-`` and ``_`` into ``_``, so ``X_API_KEY`` and
    ``X-Api-Key`` arrive alike, and only the documentation can say which was meant. A name
    documented both ways is given under both."""
    names: dict[str, dict[str, str]] = {}  # WSGI key -> lower-case name -> a spelling
    for op in contracts.operations:
        documented = [*op.request.headers, *(k for x in op.examples for k, _ in x.headers)]
        if op.request.auth.location == "header" and op.request.auth.name:
            documented.append(op.request.auth.name)
        for name in documented:
            names.setdefault(name.upper().replace("-", "_"), {}).setdefault(name.lower(), name)
    return {key: tuple(sorted(spellings.values())) for key, spellings in names.items()}


class _QuietHandler(WSGIRequestHandler):
    timeout = 10  # a slow or stalled client cannot hold a thread for ever

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the app logs one redacted line per request itself."""

    def get_environ(self) -> dict[str, Any]:
        """The environ, without the ``text/plain`` wsgiref puts in ``CONTENT_TYPE`` when the
        request has no Content-Type (PEP 3333 allows it absent): a body sent without one is a
        problem the request policy names, and a guess would hide it."""
        environ: dict[str, Any] = super().get_environ()
        if self.headers.get("Content-Type") is None:
            environ.pop("CONTENT_TYPE", None)
        # The request target as sent (gunicorn's name for it): PATH_INFO is percent-decoded,
        # and a "/" sent as %2F inside one path variable would route as two segments.
        environ["RAW_URI"] = self.path
        return environ

    def get_stderr(self) -> Any:
        return _Null()


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: 16 clients connecting at once must all wait

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up or misbehaves is not the server's error."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, socket.timeout, TimeoutError)):
            log.warning("error while serving %s: %r", client_address, exc)


def serve(app: MockApp, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """A threaded stdlib server for ``app`` (not started; call ``serve_forever``)."""
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)


class MockServer:
    """The mock on a free loopback port, in a background thread; a context manager."""

    def __init__(
        self, contracts: ContractSet, *, host: str = "127.0.0.1", port: int = 0, **options: Any
    ) -> None:
        self.app = MockApp(contracts, **options)
        self.server = serve(self.app, host, port)
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="postman-contracts-mock", daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321``."""
        host, port = self.server.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"

    def start(self) -> MockServer:
        """Start serving."""
        self.thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
