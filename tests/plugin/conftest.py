"""Fixtures for the plugin's tests: WSGI apps served on loopback, and plugin runs through pytester.

Servers are the stdlib's ``wsgiref`` in a thread, on a free port (port 0), shut down and their
port released when the test ends, so no test leaks a thread, a socket or a warning.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Iterator
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

# Imported here, before any in-process pytester run: pytester forgets the modules a run
# imports, and a second import of ``requests`` would give it two ``CookieJar`` classes.
import postman_contracts.pytest_plugin  # noqa: F401
from postman_contracts.contracts import ContractSet, open_contracts
from postman_contracts.mock import MockApp
from tests.paths import BUNDLED

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]

#: What every run of the bundled collection passes: small and reproducible.
FAST = ("--contracts-max-examples", "20", "--contracts-seed", "1")

# PATH::OPERATION::test_kind[EXAMPLE] OUTCOME: the operation and the test, without the path
_VERBOSE_LINE = re.compile(
    r"\.json::(.+?::test_\w+(?:\[.*\])?) (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\b"
)


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would only clutter the test output."""


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False


class Served:
    """A WSGI app on a loopback port, in a background thread."""

    def __init__(self, app: WsgiApp) -> None:
        self.server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        """Stop serving, join the thread, release the port."""
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture(scope="session")
def bundled_contracts() -> ContractSet:
    """The bundled Zoho CRM contracts, loaded once."""
    return open_contracts(BUNDLED)


@pytest.fixture
def serve() -> Iterator[Callable[[WsgiApp], str]]:
    """``serve(app) -> base URL``: the app on loopback until the test ends."""
    served: list[Served] = []

    def start(app: WsgiApp) -> str:
        served.append(Served(app))
        return served[-1].url

    yield start
    for s in served:
        s.close()


@pytest.fixture
def zoho(pytester: pytest.Pytester) -> str:
    """The bundled collection, copied into the pytester directory (so that no ini file of this
    project applies to the inner run); its path relative to the run."""
    shutil.copy(BUNDLED, pytester.path / BUNDLED.name)
    return BUNDLED.name


def run_plugin(pytester: pytest.Pytester, zoho: str, url: str, *args: str) -> pytest.RunResult:
    """The plugin, in process and verbose, on ``zoho`` against ``url``, small and seeded."""
    return pytester.runpytest(
        "-v",
        "-p",
        "no:cacheprovider",
        "--contracts",
        zoho,
        "--contracts-base-url",
        url,
        *FAST,
        *args,
    )


@pytest.fixture
def mock_url(serve: Callable[[WsgiApp], str], bundled_contracts: ContractSet) -> str:
    """The real mock of the bundled collection, on loopback."""
    return serve(MockApp(bundled_contracts, logger=lambda line: None))


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """``{"leads::test_example[SUCCESS RESPONSE]": "PASSED", ...}`` from a ``-v`` run's output."""
    found: dict[str, str] = {}
    for line in result.outlines:
        m = _VERBOSE_LINE.search(line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def failed(result: pytest.RunResult) -> set[str]:
    """The generated tests a ``-v`` run reports FAILED."""
    return {name for name, outcome in outcomes(result).items() if outcome == "FAILED"}


def failure_section(result: pytest.RunResult, test: str) -> pytest.LineMatcher:
    """The lines of the FAILURES section of ``test`` (``leads::test_example[SUCCESS RESPONSE]``)."""
    lines = result.outlines
    header = re.compile(r"^_+ (.+?) _+$")
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if (m := header.match(line))
            and (m.group(1) == test or m.group(1).startswith(test + " ("))
        ),
        None,
    )
    assert start is not None, f"no failure section for {test}:\n" + "\n".join(lines)
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if header.match(lines[i]) or lines[i].startswith("=")
        ),
        len(lines),
    )
    return pytest.LineMatcher(lines[start:end])
