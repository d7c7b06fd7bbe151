"""Stoplight Prism as a spec-conforming server: find the binary, start it, wait, stop it.

Why it exists: the conformance suite needs a server that follows a vendor's OpenAPI
definition and nothing else. Prism is found from ``$PRISM`` (the binary itself), else
``node_modules/.bin/prism`` under ``$PRISM_PREFIX`` (the ``npm install --prefix`` directory;
``.ci/run`` uses ``.prism`` in the checkout), else under ``../tools`` beside the checkout.
When it is missing, :func:`prism_or_skip` skips, unless ``CI=true``: there a missing Prism is
an error, so CI can never pass by skipping the whole suite.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPECS = Path(os.environ.get("CONFORMANCE_SPECS", ROOT.parent / "shared" / "openapi"))
VERSION = "5.14.2"
INSTALL = f"npm install --prefix <dir> @stoplight/prism-cli@{VERSION}"


def find_prism() -> Path | None:
    """The Prism binary, or ``None`` when it is not installed."""
    given = os.environ.get("PRISM")
    if given:
        path = Path(given)
        return path if path.is_file() else None
    prefixes = [
        os.environ.get("PRISM_PREFIX", ""),
        str(ROOT / ".prism"),
        str(ROOT.parent / "tools"),
    ]
    for prefix in filter(None, prefixes):
        candidate = Path(prefix) / "node_modules" / ".bin" / "prism"
        if candidate.is_file():
            return candidate
    on_path = shutil.which("prism")
    return Path(on_path) if on_path else None


def in_ci() -> bool:
    """Whether we run under CI (``CI=true``), where nothing may be skipped for lack of Prism."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing_reason() -> str:
    """Why Prism cannot be used, for a skip or an error message."""
    return (
        f"Prism {VERSION} is not installed: set PRISM to its binary or PRISM_PREFIX to the "
        f"directory of `{INSTALL}`"
    )


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Prism:
    """A running Prism: its URL, process and log file."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 20) -> str:
        """The end of Prism's log, for error messages."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def prism_server(
    spec: Path, *, dynamic: bool = False, seed: int = 1, binary: Path | None = None
) -> Iterator[Prism]:
    """Serve ``spec`` with Prism on a free loopback port; stop it on exit.

    Dynamic mode is seeded (``--seed``), so the same requests in the same order get the same
    generated bodies.
    """
    prism = binary or find_prism()
    if prism is None:
        raise RuntimeError(missing_reason())
    port = free_port()
    argv = [str(prism), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)]
    if dynamic:
        argv += ["--dynamic", "--seed", str(seed)]
    with tempfile.TemporaryDirectory(prefix="prism-") as tmp:
        log = Path(tmp) / "prism.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                argv, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = Prism(f"http://127.0.0.1:{port}", port, process, log)
        try:
            deadline = time.monotonic() + 120  # a large spec takes Prism a few seconds
            while not _listening(port):
                if process.poll() is not None:
                    raise RuntimeError(f"Prism exited ({process.returncode}):\n{server.tail()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Prism did not listen within 120 s:\n{server.tail()}")
                time.sleep(0.2)
            yield server
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate Prism and its children (it runs in a session of its own)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        process.wait(timeout=10)
