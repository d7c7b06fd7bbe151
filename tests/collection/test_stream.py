"""A collection file is read item by item, and gives exactly what reading it whole gives."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import random
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postman_contracts.collection import (
    Collection,
    CollectionError,
    Limits,
    _loader,
    load_collection,
)
from postman_contracts.collection._source import read_json_document
from tests.paths import ALL_COLLECTIONS, BUNDLED
from tests.reliability.builders import collection, folder, request_item

BEARER = {"type": "bearer", "bearer": [{"key": "token", "value": "collection-token"}]}


@contextlib.contextmanager
def streaming_only() -> Iterator[None]:
    """Fail if the loader reads the whole document (the fallback) instead of streaming it."""

    def whole(*_: object) -> None:
        raise AssertionError("the document was parsed whole, not streamed")

    with mock.patch.object(_loader, "parse_document", whole):
        yield


def read_whole(path: Path, limits: Limits | None = None) -> Collection | CollectionError:
    """What loading ``path`` gave before streaming: parse the whole text, then walk the tree."""
    limits = limits or Limits()
    try:
        doc, file = read_json_document(path, limits=limits)
        loader = _loader._Loader(file, limits)
        return loader.collection(loader.read(doc), (), {})
    except CollectionError as err:
        return err


def read_streaming(path: Path, limits: Limits | None = None) -> Collection | CollectionError:
    try:
        return load_collection(path, limits=limits)
    except CollectionError as err:
        return err


def _error_fields(err: CollectionError) -> tuple[Any, ...]:
    return (str(err), err.reason, err.file, err.item_path, err.pointer, err.line, err.column)


def assert_same(
    streamed: Collection | CollectionError, whole: Collection | CollectionError
) -> None:
    if isinstance(whole, CollectionError):
        assert isinstance(streamed, CollectionError), "loaded what reading it whole refuses"
        assert _error_fields(streamed) == _error_fields(whole)
    else:
        assert not isinstance(streamed, CollectionError), streamed
        assert_same_model(streamed, whole)


def assert_same_model(streamed: Collection, whole: Collection) -> None:
    """Field by field (operations one by one, for a readable diff), ``source`` aside."""
    for field in dataclasses.fields(Collection):
        if field.name == "operations":
            assert len(streamed.operations) == len(whole.operations)
            for a, b in zip(streamed.operations, whole.operations, strict=True):
                assert a == b, a.pointer
        elif field.name != "source":
            assert getattr(streamed, field.name) == getattr(whole, field.name), field.name


def write(directory: Path, text: str, name: str = "c.postman_collection.json") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# -- real collections --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_COLLECTIONS, ids=lambda p: p.name)
def test_a_real_collection_streams_to_the_model_of_its_parsed_json(path: Path) -> None:
    with streaming_only():
        streamed = load_collection(path)
    whole = load_collection(json.loads(path.read_text(encoding="utf-8")))
    assert streamed.source == str(path)
    assert_same_model(streamed, whole)


# -- key order ---------------------------------------------------------------------------------

_NAMES = st.sampled_from(["Get user", "get user", "Get-User", "a/b", "Leads", "", "🚀"])
_AUTHS = st.sampled_from(
    [
        None,
        {"type": "inherit"},
        {"type": "noauth"},
        {"type": "bearer", "bearer": [{"key": "token", "value": "folder-token-1"}]},
        {"type": "apikey", "apikey": [{"key": "value", "value": "folder-key-2"}]},
        {"type": "basic", "basic": {"username": "u", "password": "folder-pass-3"}},
    ]
)


def _with_auth(node: dict[str, Any], auth: dict[str, Any] | None) -> dict[str, Any]:
    return node if auth is None else {**node, "auth": auth}


@st.composite
def _requests(draw: st.DrawFn) -> dict[str, Any]:
    # A body that does not parse gives a warning: their order must be kept too.
    raw = draw(st.sampled_from(['{"a": 1}', '{"a": ', "[1, 2]"]))
    item = request_item(draw(_NAMES), raw=raw, response=draw(st.sampled_from(['{"b', {"ok": 1}])))
    item["request"] = _with_auth(item["request"], draw(_AUTHS))
    if draw(st.booleans()):
        item["description"] = "an item"
    return item


def _folders(children: st.SearchStrategy[list[dict[str, Any]]]) -> st.SearchStrategy[Any]:
    return st.builds(
        lambda name, items, auth, described: _with_auth(
            {**folder(name, items), **({"description": "a folder"} if described else {})}, auth
        ),
        _NAMES,
        children,
        _AUTHS,
        st.booleans(),
    )


_TREES = st.lists(
    st.recursive(_requests(), lambda inner: _folders(st.lists(inner, max_size=3)), max_leaves=8),
    max_size=4,
)


def _shuffled(node: Any, rng: random.Random) -> Any:
    """``node`` with the keys of every object in a random order (items before auth, name...)."""
    if isinstance(node, dict):
        keys = list(node)
        rng.shuffle(keys)
        return {k: _shuffled(node[k], rng) for k in keys}
    if isinstance(node, list):
        return [_shuffled(v, rng) for v in node]
    return node


@settings(max_examples=150)
@given(
    items=_TREES,
    auth=_AUTHS,
    variables=st.booleans(),
    rng=st.randoms(use_true_random=False),
)
def test_any_key_order_streams_to_the_same_model(
    items: list[dict[str, Any]], auth: dict[str, Any] | None, variables: bool, rng: random.Random
) -> None:
    doc = _with_auth(collection(items), auth)
    if variables:
        doc["variable"] = [{"key": "access-token", "value": "variable-token-4"}]
    text = json.dumps(_shuffled(doc, rng), ensure_ascii=False)
    with tempfile.TemporaryDirectory() as tmp, streaming_only():
        streamed = load_collection(write(Path(tmp), text))
    assert_same_model(streamed, load_collection(json.loads(text)))


def test_auth_after_the_items_still_reaches_them(tmp_path: Path) -> None:
    apikey = {"type": "apikey", "apikey": [{"key": "value", "value": "folder-key"}]}
    doc = collection(
        [
            folder("F", [request_item("in F"), folder("G", [request_item("in G")])]),
            request_item("top"),
        ]
    )
    text = json.dumps(doc)
    # Postman's own export order: a folder's auth, and the collection's, after their items.
    text = text.replace(
        '"name": "G", "item": [', '"name": "G", "auth": {"type": "noauth"}, "item": ['
    )
    text = text[:-1] + f', "auth": {json.dumps(BEARER)}}}'
    text = text.replace(
        ']}, {"name": "top"', f'], "auth": {json.dumps(apikey)}}}, {{"name": "top"', 1
    )
    with streaming_only():
        loaded = load_collection(write(tmp_path, text))
    assert [(op.name, op.auth and op.auth.type) for op in loaded.operations] == [
        ("in F", "apikey"),
        ("in G", "noauth"),
        ("top", "bearer"),
    ]
    assert loaded.secrets == {"folder-key", "collection-token"}
    assert_same_model(loaded, load_collection(json.loads(text)))


# -- what streaming cannot take is read whole, with the same result or error --------------------


def _deep_doc() -> dict[str, Any]:
    """A collection whose item "deep" sits three folders down, followed by more items."""
    inner = folder("C", [request_item("deep", path="/deep"), request_item("after")])
    tree = folder("A", [request_item("first"), folder("B", [inner]), request_item("last")])
    return collection([tree, request_item("top")], auth=BEARER)


DEEP = json.dumps(_deep_doc(), indent=1)
DEEP_ITEM = DEEP.index('"name": "deep"')


def _at_deep_item(old: str, new: str) -> str:
    """``DEEP`` with the first ``old`` at or after the deep item replaced by ``new``."""
    at = DEEP.index(old, DEEP_ITEM)
    return DEEP[:at] + new + DEEP[at + len(old) :]


def _span(name: str) -> tuple[int, int]:
    """Where the object named ``name`` (its first key) starts and ends in ``DEEP``."""
    start = DEEP.rindex("{", 0, DEEP.index(f'"name": "{name}"'))
    return start, json.JSONDecoder().raw_decode(DEEP, start)[1]


def _before_end_of(name: str, members: str) -> str:
    """``DEEP`` with ``members`` added at the end of the object named ``name``."""
    end = _span(name)[1] - 1
    return DEEP[:end] + members + DEEP[end:]


def _variant(change: Any) -> str:
    doc = _deep_doc()
    change(doc)
    return json.dumps(doc, indent=1)


def _folder_b(doc: dict[str, Any]) -> dict[str, Any]:
    b: dict[str, Any] = doc["item"][0]["item"][1]
    return b


CASES = {
    # JSON that does not parse, inside an item three folders down
    "a missing comma": _at_deep_item('"POST",', '"POST"'),
    "a trailing comma in an item": _at_deep_item('"POST",', '"POST",}'),
    "a trailing comma in an item list": DEEP[: _span("after")[0]] + DEEP[_span("after")[1] :],
    "an unquoted value": _at_deep_item('"POST"', "POST"),
    "a control character in a string": _at_deep_item('"deep"', '"de\x01ep"'),
    "a truncated file": DEEP[: DEEP_ITEM + 40],
    "extra data after the collection": DEEP + " {}",
    "a number of 5000 digits": _at_deep_item('"code": 200', '"code": ' + "9" * 5000),
    "a lone surrogate in a name": _at_deep_item('"deep"', '"d\\ud800eep"'),
    "a lone surrogate in a key": _at_deep_item('"method"', '"\\udc00method"'),
    "a lone surrogate in a folder key": _before_end_of("B", ', "\\udc00": 1'),
    "a surrogate pair": _at_deep_item('"deep"', '"d\\ud83d\\ude80eep"'),
    # errors of the model, in the order reading it whole finds them
    "a bad method deep down": _at_deep_item('"POST"', "3"),
    "a bad method and a bad collection auth after it": _at_deep_item('"POST"', "3").replace(
        '"type": "bearer"', '"type": 7'
    ),
    "a bad folder description after its items": _before_end_of("C", ', "description": []'),
    "a bad folder auth after its items": _before_end_of("C", ', "auth": {"type": null}'),
    "info is not an object": DEEP.replace('"info": {', '"info": 7, "x": {', 1),
    # repeated keys: json.loads keeps the last
    "a repeated folder name": _before_end_of("C", ', "name": "D"'),
    "a repeated item list": _before_end_of("B", ', "item": []'),
    "a repeated item name": _at_deep_item('"name": "deep"', '"name": "deep", "name": "x"'),
    "a repeated top-level key": DEEP[:-1] + ', "auth": null}',
    # shapes streaming leaves to the whole-document reader, or takes another way
    "info after the items": DEEP.replace('"info": {', '"x": {', 1)[:-1]
    + ', "info": {"name": "late", "schema": "v2.0.0"}}',
    "a folder named after its items": _variant(
        lambda doc: _folder_b(doc).update(name=_folder_b(doc).pop("name"))
    ),
    "an item list of null": _variant(lambda doc: _folder_b(doc).update(item=None)),
    "a string as an item": _variant(lambda doc: doc["item"][0]["item"].insert(1, "first")),
    "a bare folder": json.dumps(folder("Bare", [request_item("r"), folder("F", [])])),
    "a bare item": json.dumps(request_item("r")),
    "a bare folder with info null": json.dumps({"info": None, **folder("N", [request_item("r")])}),
    "an array": "[" + DEEP + "]",
    "a string": '"collection"',
    "empty": "",
    "blank": " \n\t ",
    "unicode blank": "\u00a0",
    "a v1 collection": json.dumps({"name": "v1", "requests": [], "order": []}),
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_streaming_gives_what_reading_whole_gives(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert_same(read_streaming(path), read_whole(path))


def test_malformed_json_deep_in_a_folder_is_located_as_before(tmp_path: Path) -> None:
    path = write(tmp_path, CASES["a missing comma"])
    err = read_streaming(path)
    assert isinstance(err, CollectionError)
    line = DEEP[:DEEP_ITEM].count("\n") + 1
    assert err.reason.startswith("not JSON: Expecting ',' delimiter")
    assert err.file == str(path) and err.line is not None and err.line > line
    assert _error_fields(err) == _error_fields(read_whole(path))  # type: ignore[arg-type]


def test_the_deep_item_streams_when_nothing_is_wrong(tmp_path: Path) -> None:
    with streaming_only():
        loaded = load_collection(write(tmp_path, DEEP))
    deep = loaded.operation("a/b/c/deep")
    assert (deep.pointer, deep.item_path) == ("#/item/0/item/1/item/0/item/0", "A / B / C / deep")
    assert_same_model(loaded, load_collection(json.loads(DEEP)))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_bom_is_handled_as_before(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(DEEP.encode(encoding))
    assert_same(read_streaming(path), read_whole(path))


@pytest.mark.parametrize(
    "limits",
    [
        Limits(max_items=5),
        Limits(max_depth=2),
        Limits(max_body_bytes=10),
        Limits(max_file_bytes=99),
    ],
    ids=["items", "depth", "body", "file"],
)
def test_limits_are_refused_as_before(tmp_path: Path, limits: Limits) -> None:
    path = write(tmp_path, DEEP)
    whole = read_whole(path, limits)
    assert isinstance(whole, CollectionError)
    assert_same(read_streaming(path, limits), whole)


_EDITS = st.sampled_from([*'{}[],:"\\ 0-eu', '"x"', "null", '"item"', '"name"'])


@settings(max_examples=300)
@given(
    base=st.sampled_from([DEEP, BUNDLED.read_text(encoding="utf-8")]),
    where=st.floats(0, 1),
    cut=st.integers(0, 3),
    insert=_EDITS | st.just(""),
)
def test_any_edit_of_the_text_gives_what_reading_whole_gives(
    base: str, where: float, cut: int, insert: str
) -> None:
    at = int(where * len(base))
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), base[:at] + insert + base[at + cut :])
        assert_same(read_streaming(path), read_whole(path))


# -- memory --------------------------------------------------------------------------------------


def _traced_peak(path: Path, *, whole: bool) -> int:
    tracemalloc.start()
    try:
        if whole:
            loaded = read_whole(path)
        else:
            with streaming_only():
                loaded = load_collection(path)
        assert isinstance(loaded, Collection) and len(loaded.operations) == 100
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_json_of_an_item_is_dropped_once_converted(tmp_path: Path) -> None:
    # Each item carries 2,000 empty arrays it does not use: 6 KB of text, 150 KB as objects.
    items = [{**request_item(f"r{i}"), "event": [[]] * 2000} for i in range(100)]
    path = write(tmp_path, json.dumps(collection([folder("f", items)])))
    streamed, whole = _traced_peak(path, whole=False), _traced_peak(path, whole=True)
    assert streamed < whole / 3, (streamed, whole)


def test_a_mapping_is_not_changed_by_loading(tmp_path: Path) -> None:
    doc = json.loads(DEEP)
    before = copy.deepcopy(doc)
    load_collection(doc)
    assert doc == before


def test_equal_headers_are_one_object_in_the_model() -> None:
    # Saved examples repeat the same response headers; sharing them keeps a large
    # collection's model a quarter smaller (the model is frozen, so sharing is safe).
    collection = load_collection(BUNDLED)
    headers = [
        h
        for op in collection.operations
        for e in op.examples
        for h in (*e.headers, *(e.original_request.headers if e.original_request else ()))
    ]
    distinct = {(h.key, h.value, h.disabled) for h in headers}
    assert len(headers) > len(distinct)
    assert len({id(h) for h in headers}) == len(distinct)


# -- a window on the text ------------------------------------------------------------------------


def _in_pieces(text: str, cuts: list[int]) -> Iterator[str]:
    at = 0
    for size in cuts:
        yield text[at : at + size]
        at += size
    yield text[at:]


@settings(max_examples=60, deadline=None)
@given(
    base=st.sampled_from([DEEP, BUNDLED.read_text(encoding="utf-8")]),
    cuts=st.lists(st.integers(1, 400), max_size=400),
)
def test_read_through_a_window_of_any_pieces_gives_the_whole_text_model(
    base: str, cuts: list[int]
) -> None:
    # A file is read a megabyte at a time; wherever a piece ends (inside a key, a string, a
    # number, between a backslash and its escape) the model must be the same.
    limits = Limits()
    streamed = _loader._Loader("c.json", limits)
    read = streamed.stream(_in_pieces(base, cuts))
    assert read is not None
    whole = _loader._Loader("c.json", limits)
    assert_same_model(
        streamed.collection(read, (), {}),
        whole.collection(whole.read(json.loads(base)), (), {}),
    )


def test_a_number_cut_by_the_window_is_read_whole() -> None:
    # A folder's members are decoded one by one: a number that the window's end cuts
    # (123|4567) is complete JSON on its own, and must be read on past the window.
    doc = collection([{**folder("f", [request_item("r")]), "name": 1234567}])
    text = json.dumps(doc)
    cut = text.index("1234567") + 3
    loader = _loader._Loader(None, Limits())
    read = loader.stream(iter([text[:cut], text[cut:]]))
    assert read is not None
    streamed = loader.collection(read, (), {})
    assert streamed.operations[0].folder == ("1234567",)
    assert streamed == load_collection(doc)
