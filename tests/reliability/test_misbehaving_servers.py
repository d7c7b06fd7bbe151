"""The plugin against servers that misbehave at the transport level.

Each server answers the Leads path badly (refuses, hangs, trickles, floods, sends broken JSON,
redirects for ever, hangs up halfway) and every other path as the real mock would. The Leads
test must fail, naming what happened, within the configured timeout; the other tests of the
run must still run and pass.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

# Imported here, not first inside pytester's in-process runs, which drop the modules a run
# imported when it ends; a second run would then mix two copies of requests' classes.
import postman_contracts.pytest_plugin  # noqa: F401
from postman_contracts.checking._exchange import HttpRequest
from postman_contracts.contracts import ContractSet, open_contracts
from postman_contracts.mock import MockApp
from tests.paths import BUNDLED

LEADS = "/crm/v2/Leads/actions/mass_update"
TIMEOUT = 2.0
SELECT = "leads::SUCCESS RESPONSE,bulk-write/*"  # one Leads test, four that must still pass

Behaviour = Callable[[socket.socket, threading.Event], None]


def _read_request(conn: socket.socket) -> HttpRequest | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = tuple(
        (k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:])
    )
    length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return HttpRequest(method, f"http://127.0.0.1{target}", headers, body)


def _head(status: str, content_type: str, length: int, *extra: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", f"Content-Length: {length}"]
    return ("\r\n".join([*lines, *extra, "Connection: close"]) + "\r\n\r\n").encode()


class RawServer:
    """A loopback server: ``behave`` answers the Leads path, the real mock the rest."""

    def __init__(self, behave: Behaviour, contracts: ContractSet) -> None:
        self.behave = behave
        self.mock = MockApp(contracts, logger=lambda line: None)
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.sock.settimeout(0.1)
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.accepter = threading.Thread(target=self._accept, daemon=True)
        self.accepter.start()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        with conn, contextlib.suppress(OSError):
            request = _read_request(conn)
            if request is None:
                return
            if request.path.startswith(LEADS):
                self.behave(conn, self.stop)
                return
            reply = self.mock.answer(request)
            conn.sendall(_head(f"{reply.status} X", reply.content_type, len(reply.body)))
            conn.sendall(reply.body)

    def close(self) -> None:
        """Stop every handler and release the port."""
        self.stop.set()
        self.sock.close()
        self.accepter.join(timeout=5)
        for thread in self.threads:
            thread.join(timeout=5)


# -- the behaviours ----------------------------------------------------------------------------


def hang(conn: socket.socket, stop: threading.Event) -> None:
    """Accept and read the request, never answer (for 15 s: a broken client fails, not hangs)."""
    stop.wait(15)


def trickle(conn: socket.socket, stop: threading.Event) -> None:
    """Start a 10 kB answer, then send one byte every 0.2 s."""
    conn.sendall(_head("200 OK", "application/json", 10_000))
    for _ in range(75):  # 15 s at most
        if stop.wait(0.2):
            return
        conn.sendall(b" ")


def trickle_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Never finish the headers: one header line every 0.2 s."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(75):  # 15 s at most
        if stop.wait(0.2):
            return
        conn.sendall(b"X-Slow: 1\r\n")


def huge(conn: socket.socket, stop: threading.Event) -> None:
    """A 50 MB JSON body."""
    size = 50 * 1024 * 1024
    conn.sendall(_head("200 OK", "application/json", size))
    chunk = b" " * (1024 * 1024)
    for _ in range(50):
        conn.sendall(chunk)


def invalid_json(conn: socket.socket, stop: threading.Event) -> None:
    """``application/json`` that is not JSON."""
    body = b'{"data": [{"code": "SUCCESS", '
    conn.sendall(_head("200 OK", "application/json;charset=utf-8", len(body)) + body)


def redirect_loop(conn: socket.socket, stop: threading.Event) -> None:
    """Redirect to the same URL, for ever."""
    conn.sendall(_head("307 Temporary Redirect", "text/plain", 0, f"Location: {LEADS}"))


def close_mid_response(conn: socket.socket, stop: threading.Event) -> None:
    """Promise 1,000 bytes, send 20, hang up."""
    conn.sendall(_head("200 OK", "application/json", 1000) + b'{"data": [{"code": "S')


# -- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contracts() -> ContractSet:
    """The bundled contracts, loaded once."""
    return open_contracts(BUNDLED)


@pytest.fixture
def raw_server(contracts: ContractSet) -> Iterator[Callable[[Behaviour], str]]:
    """``raw_server(behaviour) -> base URL``, closed when the test ends."""
    servers: list[RawServer] = []

    def start(behave: Behaviour) -> str:
        servers.append(RawServer(behave, contracts))
        return servers[-1].url

    yield start
    for server in servers:
        server.close()


def _run(pytester: pytest.Pytester, url: str) -> tuple[pytest.RunResult, float]:
    pytester.makepyfile(test_own="def test_the_users_own_test():\n    assert True\n")
    started = time.monotonic()
    result = pytester.runpytest(
        "--contracts",
        str(BUNDLED),
        "--contracts-base-url",
        url,
        "--contracts-timeout",
        str(TIMEOUT),
        "--contracts-checks",
        "examples",
        "--contracts-select",
        SELECT,
        "-p",
        "no:cacheprovider",
        "-v",
    )
    return result, time.monotonic() - started


CASES = [
    pytest.param(hang, f"No response within {TIMEOUT}s", id="hangs"),
    pytest.param(trickle, f"The response took over {TIMEOUT}s to arrive", id="trickles-a-body"),
    pytest.param(trickle_headers, f"No response within {TIMEOUT}s", id="trickles-headers"),
    pytest.param(huge, "Response too large", id="sends-50-mb"),
    pytest.param(invalid_json, "The response body is not JSON", id="sends-invalid-json"),
    pytest.param(redirect_loop, "Redirect loop", id="redirects-in-a-loop"),
    pytest.param(
        close_mid_response,
        "The connection failed or was closed mid-response",
        id="hangs-up-mid-response",
    ),
]


@pytest.mark.parametrize(("behave", "title"), CASES)
def test_a_misbehaving_server_fails_one_test_clearly_and_the_run_goes_on(
    pytester: pytest.Pytester,
    raw_server: Callable[[Behaviour], str],
    behave: Behaviour,
    title: str,
) -> None:
    result, elapsed = _run(pytester, raw_server(behave))

    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*::leads::test_example?SUCCESS RESPONSE? FAILED*",
            f"*- {title}*",
            "*Reproduce with:*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    # one slow test at most: the timeout, plus the run itself
    assert elapsed < TIMEOUT + 8, f"{elapsed:.1f} s"


def test_a_refused_connection_fails_every_test_quickly_and_the_run_goes_on(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under CI=true pytest prints whole failure messages in its short summary too; the count
    # below is of the failure sections.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    result, elapsed = _run(pytester, f"http://127.0.0.1:{port}")

    result.assert_outcomes(passed=1, failed=5)
    assert result.stdout.str().count("- Connection refused") == 5
    assert elapsed < 10, f"{elapsed:.1f} s"
