"""JSON bodies are checked at load and parsed on use: a large collection holds them as text.

A collection's parsed bodies are more than half its model in memory, yet only building the
contracts reads them, one operation at a time. These tests hold the loader to the same
answers as before (the value, ``is_json``, errors and warnings at load) and the build to
letting the parsed values go.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.collection import NOT_JSON, Example, forget_parsed, load_collection
from postman_contracts.contracts import build_contracts
from tests.paths import ALL_COLLECTIONS


def _collection(tmp_path: Path, body: str, language: str = "json") -> Path:
    item = {
        "name": "Get",
        "request": {"method": "POST", "url": "https://api.test/things",
                    "body": {"mode": "raw", "raw": body,
                             "options": {"raw": {"language": language}}}},
        "response": [
            {"name": "OK", "code": 200, "header": [{"key": "Content-Type",
                                                   "value": "application/json"}],
             "body": body, "originalRequest": {"method": "POST", "url": "https://api.test/things"}}
        ],
    }  # fmt: skip
    doc = {"info": {"name": "c", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/"},
           "item": [item]}  # fmt: skip
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_json_body_reads_as_parsed_again_after_it_is_let_go(tmp_path: Path) -> None:
    op = load_collection(_collection(tmp_path, '{"id": 1, "tags": ["a"]}')).operations[0]
    example, body = op.examples[0], op.request.body
    assert body is not None
    assert example.is_json and body.is_json
    assert example.json == body.json == {"id": 1, "tags": ["a"]}
    first = example.json
    assert example.json is first  # kept while in use
    forget_parsed(op)
    assert example.json == first and example.json is not first  # parsed again
    assert example.is_json


def test_a_body_that_does_not_parse_is_text_with_its_warning_at_load(tmp_path: Path) -> None:
    collection = load_collection(_collection(tmp_path, '{"id": 1,'))
    example = collection.operations[0].examples[0]
    assert not example.is_json and example.json is NOT_JSON
    assert any("does not parse" in w.message for w in collection.warnings)


def test_a_body_nested_too_deeply_is_an_error_at_load(tmp_path: Path) -> None:
    from postman_contracts.collection import CollectionError, Limits

    with pytest.raises(CollectionError, match="nested deeper"):
        load_collection(_collection(tmp_path, "[" * 30 + "]" * 30), limits=Limits(max_depth=10))


def test_an_example_made_with_a_value_keeps_it() -> None:
    value: Any = {"a": 1}
    example = Example(name="e", status=200, json=value)
    assert example.json is value and example.is_json
    assert not Example(name="e", status=200).is_json


#: Collections with bodies enough to tell kilobytes of caches from their parsed bodies.
_LARGE = [p for p in ALL_COLLECTIONS if p.stat().st_size > 100_000]


@pytest.mark.parametrize("path", _LARGE, ids=lambda p: p.name.split(".")[0])
def test_building_contracts_leaves_the_collection_as_small_as_loading_did(path: Path) -> None:
    """The model does not grow by its parsed bodies once its contracts are built (without
    letting them go, Adyen's grows by 430 KB and Apideck's by 1.1 MB)."""
    collection = load_collection(path)
    text = sum(len(e.body) for op in collection.operations for e in op.examples)
    gc.collect()
    tracemalloc.start()  # counts what is allocated from here and still alive at the end
    try:
        contracts = build_contracts(collection)
        del contracts
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # What may stay is the builder's caches (a few kilobytes); parsed bodies take several
    # times their text.
    assert grown < 16 * 1024 + text // 10, (grown, text)
