"""Fixtures of the reliability tests: WSGI apps served on loopback for the length of a test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would only clutter the test output."""


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False


@pytest.fixture
def serve() -> Iterator[Callable[[WsgiApp], str]]:
    """``serve(app) -> base URL``: the app on 127.0.0.1 until the test ends."""
    servers: list[tuple[WSGIServer, threading.Thread]] = []

    def start(app: WsgiApp) -> str:
        server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
