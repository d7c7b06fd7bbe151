"""The mock under load, short form: 1,000 hostile requests from 16 clients, on 127.0.0.1.

The long form is ``python bench/load_mock.py --requests 20000 --clients 16 --seconds 120``;
both share bench/load_mock.py, so they check the same things: no 5xx, no dropped connection,
every answer a documented example or the documented envelope, memory flat.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from postman_contracts.contracts import ContractSet, open_contracts
from tests.paths import BUNDLED, ROOT


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_mock", ROOT / "bench" / "load_mock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """bench/load_mock.py, imported."""
    return _bench()


@pytest.fixture
def mock(bench: ModuleType) -> Iterator[object]:
    """The mock of the bundled collection, in its own process."""
    process = bench.MockProcess(BUNDLED)
    yield process
    process.close()


def _kb(figure: str) -> int:
    return int(figure.split()[0])


def test_the_mock_answers_1000_hostile_requests_from_16_clients(
    bench: ModuleType, mock: object
) -> None:
    contracts: ContractSet = open_contracts(BUNDLED)
    report = bench.run_load(mock, contracts, requests=1000, clients=16, seconds=20, seed=1)

    assert report.errors == []
    assert report.total == 1000, "the time ran out first"
    assert set(report.sent) == set(bench.WEIGHTS), "every kind of request was sent"
    assert not [s for s in report.statuses if s >= 500 or s < 0]
    growth = _kb(report.memory_end["rss"]) - _kb(report.memory_start["rss"])
    assert growth < 50 * 1024, f"the mock grew by {growth:,} kB over 1,000 requests"


def test_the_load_check_rejects_what_the_mock_must_never_send(bench: ModuleType) -> None:
    bodies, envelope = bench.documented(open_contracts(BUNDLED))
    assert envelope == {"code", "details", "message", "status"}

    def check(status: int, body: bytes) -> object:
        return bench.check_response("k", status, body, bodies, envelope)

    documented = json.dumps(bodies[0]).encode()
    assert check(200, documented) is None
    assert check(400, b'{"code": "X", "details": {}, "message": "m", "status": "error"}') is None
    assert check(500, documented) is not None
    assert check(200, b"<html>") is not None
    assert check(200, b'{"code": "X"}') is not None
