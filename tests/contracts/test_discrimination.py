"""Schemas reject what the documentation rules out: wrong variants of every example fail."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from postman_contracts.collection import load_collection
from postman_contracts.contracts import build_contracts
from tests.contracts.helpers import schema_errors
from tests.paths import ALL_COLLECTIONS

_OTHER_TYPES = {
    "string": 12345,
    "integer": "12345",
    "number": "1.5",
    "boolean": "true",
    "object": ["x"],
    "array": {"x": 1},
    "null": "null",
}


def _cases() -> list[tuple[str, dict[str, Any], Any]]:
    """(label, schema, instance) for every JSON example response of every collection."""
    out = []
    for path in ALL_COLLECTIONS:
        collection = load_collection(path)
        contracts = build_contracts(collection)
        for op, contract in zip(collection.operations, contracts.operations, strict=True):
            for example in op.examples:
                schema = contract.response(example.name).schema
                if example.is_json and schema is not None:
                    out.append((f"{path.name}::{op.id}::{example.name}", schema, example.json))
    return out


CASES = _cases()


def _mutations(
    schema: dict[str, Any], value: Any, path: tuple[Any, ...] = ()
) -> list[tuple[str, tuple[Any, ...], Any]]:
    """Every wrong variant the schema must reject: (rule, path, replacement or KeyError)."""
    out: list[tuple[str, tuple[Any, ...], Any]] = []
    stack = [(schema, value, path)]
    while stack:
        s, v, p = stack.pop()
        types = s.get("type")
        types = [types] if isinstance(types, str) else types or []
        if types and p:
            for t, other in _OTHER_TYPES.items():
                if t in types:
                    other_type = {
                        "string": "integer",
                        "integer": "string",
                        "number": "string",
                        "boolean": "string",
                        "object": "array",
                        "array": "object",
                        "null": "string",
                    }[t]
                    if other_type not in types and not (
                        other_type == "integer" and "number" in types
                    ):
                        out.append((f"type {t} -> {other_type}", p, other))
                    break
        if "enum" in s and p:
            out.append(("enum value replaced", p, "NOT_A_DOCUMENTED_VALUE"))
        if isinstance(v, dict):
            for key in s.get("required", []):
                if key in v:
                    out.append((f"required {key!r} removed", (*p, key), KeyError))
            for key, sub in (s.get("properties") or {}).items():
                if key in v:
                    stack.append((sub, v[key], (*p, key)))
        elif isinstance(v, list) and isinstance(s.get("items"), dict):
            stack.extend((s["items"], item, (*p, i)) for i, item in enumerate(v))
    return out


def _apply(value: Any, path: tuple[Any, ...], replacement: Any) -> Any:
    value = copy.deepcopy(value)
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    if replacement is KeyError:
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return value


@st.composite
def wrong_variants(draw: st.DrawFn) -> tuple[str, dict[str, Any], Any]:
    label, schema, value = draw(st.sampled_from(CASES))
    mutations = _mutations(schema, value)
    if not mutations:
        return label, schema, None
    rule, path, replacement = draw(st.sampled_from(mutations))
    return f"{label}: {rule} at {path}", schema, _apply(value, path, replacement)


def test_the_corpus_offers_mutations_of_every_kind() -> None:
    rules = {rule.split(" ")[0] for _, s, v in CASES for rule, _, _ in _mutations(s, v)}
    assert {"type", "enum", "required"} <= rules


@settings(max_examples=500)
@given(wrong_variants())
def test_every_wrong_variant_is_rejected(case: tuple[str, dict[str, Any], Any]) -> None:
    label, schema, wrong = case
    if wrong is None:
        return
    assert schema_errors(schema, wrong), f"accepted: {label}"
