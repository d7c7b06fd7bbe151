"""A reverse proxy that breaks one operation's responses in one documented way.

Why it exists: a conformance suite shows the tool raises no false failures; a fault injector
shows it still catches real ones. :class:`FaultProxy` sits in front of a spec-conforming server
(Prism) and, for each :class:`Fault` (an operation, by method and path template, and a kind),
mutates that operation's success responses:

- ``type``: a property gets a value of another JSON type;
- ``required``: a required property is dropped;
- ``enum``: a property gets a value outside its enum;
- ``null``: a non-nullable property becomes null;
- ``status``: the success status becomes one the operation does not document.

Everything else passes through unchanged. Standard library only; loopback only. Each fault
counts the responses it really changed (``applied``): a fault on a property the response did
not carry changed nothing, and the measure must not count it as missed.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.conformance.openapi import Operation, Spec, outside_enum, path_regex, wrong_type

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "te", "upgrade"}


@dataclass(frozen=True)
class Fault:
    """One fault on one operation.

    Attributes:
        kind: ``type``, ``required``, ``enum``, ``null`` or ``status``.
        method, path: the operation (upper-case method, path template).
        success: the documented success status; only responses with it are broken.
        target: the property broken, as names from the body's root (``*``: each element).
        value: the value written for ``type`` and ``enum``.
        status: the status written for ``status``.
    """

    kind: str
    method: str
    path: str
    success: int
    target: tuple[str, ...] = ()
    value: Any = None
    status: int | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (method, path without query) is for the faulty operation."""
        return method.upper() == self.method and bool(path_regex(self.path).fullmatch(path))

    def describe(self) -> str:
        """``type at data.id``, ``status 200 -> 203``..."""
        if self.kind == "status":
            return f"status {self.success} -> {self.status}"
        return f"{self.kind} at {'.'.join(self.target)}"


def plan(spec: Spec, op: Operation, kind: str) -> Fault | None:
    """The fault of ``kind`` for ``op``, or ``None`` when the spec gives it nothing to break."""
    if op.success is None:
        return None
    if kind == "status":
        status = spec.undocumented_status(op)
        return Fault(kind, op.method, op.path, op.success, status=status) if status else None
    target = spec.target(op, kind)
    if target is None:
        return None
    value: Any = None
    if kind in {"type", "enum"}:
        schema = _schema_at(spec, op, target)
        value = wrong_type(schema) if kind == "type" else outside_enum(schema)
        if kind == "type" and value is None:
            return None
    return Fault(kind, op.method, op.path, op.success, target, value)


def _schema_at(spec: Spec, op: Operation, target: tuple[str, ...]) -> dict[str, Any]:
    for path, schema, _ in spec.properties(op.schema):
        if path == target:
            return schema
    raise KeyError(target)


def break_body(fault: Fault, body: Any) -> bool:
    """Break ``body`` in place as ``fault`` says; whether anything changed."""
    holders = [body]
    for name in fault.target[:-1]:
        step: list[Any] = []
        for h in holders:
            if name == "*" and isinstance(h, list):
                step.extend(h)
            elif isinstance(h, dict) and name in h:
                step.append(h[name])
        holders = step
    last = fault.target[-1]
    changed = False
    for h in holders:
        if not isinstance(h, dict) or last not in h:
            continue
        if fault.kind == "required":
            del h[last]
        elif fault.kind == "null":
            if h[last] is None:
                continue
            h[last] = None
        else:
            h[last] = fault.value
        changed = True
    return changed


def apply(fault: Fault, status: int, body: bytes) -> tuple[int, bytes, bool]:
    """The response ``fault`` makes of (status, body); and whether it changed anything."""
    if status != fault.success:
        return status, body, False
    if fault.kind == "status":
        assert fault.status is not None
        return fault.status, body, True
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return status, body, False
    if not break_body(fault, data):
        return status, body, False
    return status, json.dumps(data).encode(), True


class FaultProxy:
    """A threaded loopback reverse proxy to ``upstream`` applying ``faults``.

    ``faults`` may be replaced between runs; ``applied`` counts, per fault, the responses it
    changed.
    """

    def __init__(self, upstream: str, faults: list[Fault] | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.faults: list[Fault] = list(faults or [])
        self.applied: Counter[Fault] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def set_faults(self, faults: list[Fault]) -> None:
        """Break these from now on, with fresh counts."""
        with self._lock:
            self.faults = list(faults)
            self.applied = Counter()

    def _forward(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=60)
        try:
            sent = {k: v for k, v in headers if k.lower() not in _HOP}
            conn.request(method, target, body=body or None, headers=sent)
            response = conn.getresponse()
            data = response.read()
            return response.status, response.getheaders(), data
        finally:
            conn.close()

    def respond(self, method: str, target: str, status: int, body: bytes) -> tuple[int, bytes]:
        """The (status, body) the client gets for the upstream's (status, body)."""
        path = urlsplit(target).path
        for fault in self.faults:
            if fault.matches(method, path):
                status, body, changed = apply(fault, status, body)
                if changed:
                    with self._lock:
                        self.applied[fault] += 1
                break
        return status, body

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    status, headers, data = proxy._forward(
                        self.command, self.path, list(self.headers.items()), body
                    )
                except OSError as err:
                    status, headers, data = 502, [], f"upstream: {err}".encode()
                status, data = proxy.respond(self.command, self.path, status, data)
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in _HOP and key.lower() not in {"date", "server"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def __getattr__(self, name: str) -> Any:  # do_GET, do_COPY...: every method
                if name.startswith("do_"):
                    return self._any
                raise AttributeError(name)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        return Handler


@contextmanager
def fault_proxy(upstream: str, faults: list[Fault] | None = None) -> Iterator[FaultProxy]:
    """A running :class:`FaultProxy`, closed on exit."""
    proxy = FaultProxy(upstream, faults).start()
    try:
        yield proxy
    finally:
        proxy.close()
