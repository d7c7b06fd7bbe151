"""Load the mock server with hostile traffic and check that it never fails or drops anyone.

Usage::

    python bench/load_mock.py --requests 20000 --clients 16 --seconds 120

The mock (``MockServer(open_contracts(BUNDLED))``, threaded wsgiref) runs in its own process
on 127.0.0.1, so its memory is measured alone. ``--clients`` threads send, until
``--requests`` have been sent or ``--seconds`` have passed (both bounded), a mix of valid
requests (the documented examples), invalid ones (a required key removed, a wrong type),
malformed JSON, a wrong Content-Type, non-UTF-8 bodies, oversized bodies, slow senders
(slowloris-style: headers a few bytes at a time, bounded to about a second) and unknown paths.
Every request goes over a fresh raw socket, so a dropped connection is seen as one.

Checked: no 5xx, no dropped connection, no incomplete response, every response either a
documented example body or a JSON object with the documented envelope keys; and the mock's
resident memory, read from /proc at the start (after a warm-up) and at the end.
Exit status 0 when all checks pass.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "collection" / "zoho-crm.postman_collection.json"
TOKEN = "load-test-token"

_SERVER = """
import sys
from postman_contracts.contracts import open_contracts
from postman_contracts.mock import MockServer
server = MockServer(open_contracts(sys.argv[1]), logger=lambda line: None).start()
print(server.url, flush=True)
for line in sys.stdin:  # each line asks for the memory figures
    status = dict(
        l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l
    )
    print(status["VmRSS"].strip(), "|", status["VmHWM"].strip(), "|", status["Threads"].strip(),
          flush=True)
server.close()
"""


class MockProcess:
    """The mock in a child process, asked for its memory over a pipe."""

    def __init__(self, collection: Path = BUNDLED) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(collection)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        host, port = self.url.removeprefix("http://").split(":")
        self.address = (host, int(port))

    def memory(self) -> dict[str, str]:
        """Current and peak resident memory, and the thread count, of the mock."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write("?\n")
        self.proc.stdin.flush()
        rss, hwm, threads = (p.strip() for p in self.proc.stdout.readline().split("|"))
        return {"rss": rss, "peak": hwm, "threads": threads}

    def close(self) -> None:
        """Stop the mock."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


# -- the traffic ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """One request as raw bytes, with how to send it."""

    kind: str
    head: bytes
    body: bytes
    slow: bool = False


def _request(
    method: str, path: str, body: bytes, content_type: str = "application/json", auth: bool = True
) -> tuple[bytes, bytes]:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    if auth:
        lines.append(f"Authorization: Bearer {TOKEN}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode(), body


def traffic(contracts: Any) -> dict[str, Callable[[random.Random], Shot]]:
    """Makers of each kind of request, from the contracts' documented examples."""
    successes = []
    for op in contracts.operations:
        x = next(x for x in op.examples if x.name == op.success.example)
        successes.append((op.request.method, x.path, x.body))

    def pick(rng: random.Random) -> tuple[str, str, Any]:
        return successes[rng.randrange(len(successes))]

    def valid(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        return Shot("valid", *_request(method, path, json.dumps(body).encode()))

    def invalid(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        broken = dict(body)
        key = rng.choice(sorted(broken))
        if rng.random() < 0.5:
            del broken[key]
        else:
            broken[key] = [12345] if not isinstance(broken[key], list) else "not a list"
        return Shot("invalid", *_request(method, path, json.dumps(broken).encode()))

    def malformed(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        text = json.dumps(body)
        cut = text[: rng.randrange(1, len(text))]
        return Shot("malformed", *_request(method, path, cut.encode()))

    def wrong_type(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        ctype = rng.choice(["text/plain", "application/xml", "", "multipart/form-data"])
        return Shot("wrong-content-type", *_request(method, path, json.dumps(body).encode(), ctype))

    def non_utf8(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        raw = json.dumps(body).encode()
        at = rng.randrange(len(raw))
        return Shot("non-utf-8", *_request(method, path, raw[:at] + b"\xff\xfe\xc3" + raw[at:]))

    def oversized(rng: random.Random) -> Shot:
        method, path, _ = pick(rng)
        size = rng.choice([1024 * 1024 + 1, 2 * 1024 * 1024, 3 * 1024 * 1024])
        body = b'{"data": ["' + b"x" * size + b'"]}'
        return Shot("oversized", *_request(method, path, body))

    def slow(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        return Shot("slow-sender", *_request(method, path, json.dumps(body).encode()), slow=True)

    def unknown(rng: random.Random) -> Shot:
        path = rng.choice(["/", "/nope", "/crm/v2/Leads", "/crm/v9/x?y=1", "/%ff%fe", "/a/../b"])
        method = rng.choice(["GET", "POST", "DELETE", "PATCH"])
        return Shot("unknown-path", *_request(method, path, b"", "", auth=rng.random() < 0.5))

    def no_auth(rng: random.Random) -> Shot:
        method, path, body = pick(rng)
        raw = json.dumps(body).encode()
        return Shot("no-credentials", *_request(method, path, raw, auth=False))

    return {
        "valid": valid,
        "invalid": invalid,
        "malformed": malformed,
        "wrong-content-type": wrong_type,
        "non-utf-8": non_utf8,
        "oversized": oversized,
        "slow-sender": slow,
        "unknown-path": unknown,
        "no-credentials": no_auth,
    }


# Oversized and slow requests are costly for both sides: fewer of them.
WEIGHTS = {
    "valid": 20,
    "invalid": 15,
    "malformed": 10,
    "wrong-content-type": 10,
    "non-utf-8": 10,
    "oversized": 2,
    "slow-sender": 1,
    "unknown-path": 10,
    "no-credentials": 10,
}


# -- sending and checking ------------------------------------------------------------------------


def _send(
    address: tuple[str, int], shot: Shot, timeout: float
) -> tuple[int, dict[str, str], bytes]:
    """Send one request on a fresh connection; return status, headers and the whole body."""
    with socket.create_connection(address, timeout=timeout) as sock:
        if shot.slow:  # slowloris-style, bounded: the headers in 8 pieces over about a second
            step = max(1, len(shot.head) // 8)
            for i in range(0, len(shot.head), step):
                sock.sendall(shot.head[i : i + step])
                time.sleep(0.12)
            sock.sendall(shot.body)
        else:
            sock.sendall(shot.head + shot.body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"closed after {len(data)} bytes, before the headers")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
        length = int(headers.get("content-length", "-1"))
        while length < 0 or len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        if 0 <= length != len(body):
            raise ConnectionError(f"incomplete body: {len(body)} of {length} bytes")
        return int(status_line.split()[1]), headers, body


@dataclass
class Report:
    """What a load run saw."""

    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    memory_start: dict[str, str] = field(default_factory=dict)
    memory_end: dict[str, str] = field(default_factory=dict)
    memory_samples: list[int] = field(default_factory=list)  # kB, every few seconds

    @property
    def total(self) -> int:
        """Requests sent and answered or failed."""
        return sum(self.sent.values())

    def summary(self) -> str:
        """The figures, for people."""
        return (
            f"{self.total:,} requests in {self.seconds:.1f} s "
            f"({self.total / max(self.seconds, 1e-9):,.0f}/s), {len(self.errors)} errors\n"
            f"  by kind: {dict(sorted(self.sent.items()))}\n"
            f"  by status: {dict(sorted(self.statuses.items()))}\n"
            f"  mock memory at start {self.memory_start}, at end {self.memory_end}\n"
            f"  mock RSS every few seconds (kB): {self.memory_samples}"
        )


def documented(contracts: Any) -> tuple[list[Any], frozenset[str]]:
    bodies = [x.response_body for op in contracts.operations for x in op.examples]
    keys = frozenset(contracts.envelope.keys) if contracts.envelope is not None else frozenset()
    return bodies, keys


def check_response(
    kind: str, status: int, body: bytes, bodies: list[Any], envelope: frozenset[str]
) -> str | None:
    """What is wrong with one answer of the mock, or ``None``."""
    if status >= 500:
        return f"{kind}: status {status}"
    try:
        value = json.loads(body)
    except ValueError:
        return f"{kind}: [{status}] the body is not JSON: {body[:100]!r}"
    if value in bodies:
        return None
    if isinstance(value, dict) and envelope and envelope <= set(value):
        return None
    return f"{kind}: [{status}] neither a documented example nor the envelope: {body[:150]!r}"


def run_load(
    mock: MockProcess,
    contracts: Any,
    *,
    requests: int,
    clients: int,
    seconds: float,
    seed: int = 0,
    timeout: float = 15.0,
    sample_every: float = 5.0,
) -> Report:
    """Send up to ``requests`` from ``clients`` threads for at most ``seconds``."""
    makers = traffic(contracts)
    kinds = [k for k, w in WEIGHTS.items() for _ in range(w)]
    bodies, envelope = documented(contracts)
    report = Report()
    lock = threading.Lock()
    budget = iter(range(requests))
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < deadline:
            with lock:
                if next(budget, None) is None:
                    return
            kind = rng.choice(kinds)
            shot = makers[kind](rng)
            try:
                status, _, body = _send(mock.address, shot, timeout)
                problem = check_response(kind, status, body, bodies, envelope)
            except OSError as err:  # refused, reset, timed out, closed early: dropped
                status, problem = -1, f"{kind}: dropped: {type(err).__name__}: {err}"
            with lock:
                report.sent[kind] += 1
                report.statuses[status] += 1
                if problem:
                    report.errors.append(problem)

    warm = makers["valid"](random.Random(seed))
    for _ in range(50):
        _send(mock.address, warm, timeout)
    report.memory_start = mock.memory()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(timeout=sample_every)
            if time.monotonic() - started > sample_every * (len(report.memory_samples) + 1):
                report.memory_samples.append(_kb(mock.memory()["rss"]))
    report.seconds = time.monotonic() - started
    report.memory_end = mock.memory()
    return report


def _kb(figure: str) -> int:
    return int(figure.split()[0])


def main(argv: list[str] | None = None) -> int:
    """Run the load test; exit 1 when any check failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from postman_contracts.contracts import open_contracts

    contracts = open_contracts(BUNDLED)
    mock = MockProcess()
    try:
        report = run_load(
            mock,
            contracts,
            requests=args.requests,
            clients=args.clients,
            seconds=args.seconds,
            seed=args.seed,
        )
    finally:
        mock.close()
    print(report.summary())
    for problem in report.errors[:20]:
        print("  " + problem)
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
