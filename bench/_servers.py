"""The loopback server the end-to-end stages send to: the mock, counted, optionally slowed.

Why it exists: figures 4, 5 and 7 need the same server for every contender, and a count of
the requests it really received (what a client *says* it sent is not comparable across
tools). :class:`Counted` wraps ``MockApp`` in a WSGI middleware that counts requests, notes
the first and last arrival, and can sleep a fixed latency before answering (a slow API, for
the parallel figure). The server is threaded, so concurrent clients overlap their waits.
It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from postman_contracts.contracts import open_contracts
from postman_contracts.mock import MockApp, serve


class Counted:
    """A WSGI middleware: count requests, time them, optionally sleep ``latency`` seconds."""

    def __init__(self, app: Callable[..., Iterable[bytes]], latency: float = 0.0) -> None:
        self.app = app
        self.latency = latency
        self.lock = threading.Lock()
        self.count = 0
        self.first = 0.0
        self.last = 0.0

    def reset(self) -> None:
        """Forget what was counted."""
        with self.lock:
            self.count, self.first, self.last = 0, 0.0, 0.0

    def window(self) -> float:
        """Seconds from the first request's arrival to the last one's answer."""
        return self.last - self.first

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Count, sleep, answer."""
        now = time.perf_counter()
        with self.lock:
            self.count += 1
            if self.first == 0.0:
                self.first = now
        if self.latency:
            time.sleep(self.latency)
        body = list(self.app(environ, start_response))
        with self.lock:
            self.last = time.perf_counter()
        return body


@contextmanager
def mock_server(path: Path, *, latency: float = 0.0) -> Iterator[tuple[str, Counted]]:
    """Serve the mock of ``path`` on a free loopback port; yield its URL and its counter."""
    app = Counted(MockApp(open_contracts(path), logger=lambda line: None), latency)
    server = serve(app, "127.0.0.1", 0)  # type: ignore[arg-type]  # any WSGI app will do
    thread = threading.Thread(target=server.serve_forever, name="bench-mock", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        yield f"http://{name}:{port}", app
    finally:
        server.shutdown()
        server.server_close()
