"""``verify`` stopped by SIGTERM (a CI runner's cancel, ``timeout``) removes its temporary
directory and exits 143, as a shell reports a process it terminated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tests.plugin.conftest import WsgiApp


def _slow(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A server that takes a minute to answer anything."""
    time.sleep(60)
    start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
    return [b"late"]


def _run_dirs(tmp: Path) -> Iterator[Path]:
    return tmp.glob("postman-contracts-verify-*")


def test_sigterm_removes_the_temporary_directory(
    serve: Callable[[WsgiApp], str], tmp_path: Path
) -> None:
    url = serve(_slow)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["TMPDIR"] = str(tmp_path)  # tempfile's directory: where the run's directory is made
    proc = subprocess.Popen(
        [sys.executable, "-m", "postman_contracts.cli", "verify", "--base-url", url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(_run_dirs(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(_run_dirs(tmp_path)), "verify never made its directory"
        time.sleep(2)  # inside a test by now: waiting on the slow server
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM, out + err
    assert "stopped by SIGTERM" in out
    assert "Traceback" not in out + err
    assert list(_run_dirs(tmp_path)) == []
