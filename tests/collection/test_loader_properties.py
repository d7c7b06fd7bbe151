"""Whatever a collection file holds, the loader returns a model or raises CollectionError."""

from __future__ import annotations

import copy
import json
import tempfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postman_contracts.collection import Collection, CollectionError, load_collection
from tests.paths import ALL_COLLECTIONS

# Small, varied collections: the bundled one and the two smallest corpus files.
SOURCES = [
    json.loads(p.read_text(encoding="utf-8")) for p in ALL_COLLECTIONS if p.stat().st_size < 100_000
]

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node in a JSON tree (iteratively, the corpus is deep)."""
    out: list[tuple[Any, ...]] = []
    stack = [(node, prefix)]
    while stack:
        value, path = stack.pop()
        out.append(path)
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
    return out


PATHS = [_paths(doc) for doc in SOURCES]


@st.composite
def mutated_collections(draw: st.DrawFn) -> Any:
    index = draw(st.integers(0, len(SOURCES) - 1))
    doc = copy.deepcopy(SOURCES[index])
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS[index]))
        if not path:
            return draw(json_values)
        parent: Any = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            key = path[-1]
            parent[key]  # the path may be gone after an earlier mutation
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, (dict, list)):
            continue  # an earlier mutation turned the parent into a scalar
        action = draw(st.sampled_from(["drop", "replace", "retype"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(json_values)
        else:
            old = parent[key]
            parent[key] = (
                ([old] if not isinstance(old, list) else {"x": old})
                if draw(st.booleans())
                else json.dumps(old)[:20]
            )
    return doc


@settings(max_examples=400)
@given(mutated_collections())
def test_mutated_collections_load_or_raise_collection_error(doc: Any) -> None:
    error: CollectionError | None = None
    try:
        result = load_collection(doc) if isinstance(doc, dict) else _load_non_mapping(doc)
    except CollectionError as err:
        error = err
    if error is None:
        assert isinstance(result, Collection)
    else:
        assert str(error)  # a message, rendered from its fields
        assert error.pointer is None or error.pointer.startswith("#")


def _load_non_mapping(doc: Any) -> Collection:
    # The loader's public input is a path or a mapping; other JSON reaches it through a file.
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    return load_collection(f.name)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"request": None}, "#/request: request must be an object, got null"),
        ({}, "#: not a Postman collection"),
        ({"info": {"name": 3, "schema": "v2.1.0"}, "item": []}, None),
        (
            {"info": {"name": "t"}, "item": [{"name": "x", "item": [None]}]},
            "#/item/0/item/0: an item must be an object",
        ),
    ],
)
def test_degenerate_documents(doc: dict[str, Any], message: str | None) -> None:
    if message is None:
        assert load_collection(doc).operations == ()
    else:
        with pytest.raises(CollectionError) as info:
            load_collection(doc)
        assert message in str(info.value)
