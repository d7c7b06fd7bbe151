"""Collecting a collection's tests works out only what deciding the tests needs.

A large collection is collected in every pytest start and every xdist worker. Response
schemas, response headers and the examples' bodies are read only by the tests that send
requests, so collecting infers and copies none of them; a test reads them when it runs.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.collection import load_collection
from postman_contracts.contracts import _build, build_contracts, render
from postman_contracts.server import CHECKS, ContractRun, Settings
from tests.paths import ALL_COLLECTIONS, CONVERSIONS

_DEFERRED = ("response_schema", "response_headers", "json_copy")


def _settings(path: Path) -> Settings:
    return Settings(
        path=str(path), base_url="", env="", variables={}, auth_env="", max_examples=1,
        budget=0, seed=1, timeout=1.0, checks=frozenset(CHECKS), select=(), strict=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "path", [*ALL_COLLECTIONS, *CONVERSIONS], ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_collecting_infers_no_response_schema_and_copies_no_body(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: collections.Counter[str] = collections.Counter()

    def counted(name: str, real: Any, *args: Any) -> Any:
        calls[name] += 1
        return real(*args)

    for name in _DEFERRED:
        real = getattr(_build._Builder, name)
        monkeypatch.setattr(
            _build._Builder,
            name,
            lambda self, *a, name=name, real=real: counted(name, real, self, *a),
        )
    run = ContractRun(_settings(path))
    try:
        cases = [case for op in run.contracts.operations for case in run.cases(op)]
        assert cases
        assert calls == {}, "collecting the tests worked out what only running them reads"
        # The tests that run read them, and they are worked out then.
        schemas = [r.schema for op in run.contracts.operations for r in op.responses]
        assert calls["response_schema"] > 0 or not any(schemas)  # Wise saves no response
    finally:
        run.close()


@pytest.mark.parametrize(
    "path", [*ALL_COLLECTIONS, *CONVERSIONS], ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_contracts_built_lazily_are_those_built_at_once(path: Path) -> None:
    """What a run reads (built lazily, worked out as the tests read it) is what ``generate``
    writes: the same contracts, field for field, and the same files."""
    collection = load_collection(path)
    lazy = build_contracts(collection, lazy=True)
    whole = build_contracts(collection)
    assert render(lazy) == render(whole)
    assert lazy == whole
