"""The loader reads what real collections contain, in every variant the format allows."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.collection import (
    NOT_JSON,
    CollectionError,
    Placeholder,
    load_collection,
    load_environment,
)
from tests.paths import ALL_COLLECTIONS, BUNDLED


def _walk_counts(doc: dict[str, Any]) -> tuple[int, int]:
    """Count requests and examples by walking the JSON, independently of the loader."""
    requests = examples = 0
    stack = list(doc["item"])
    while stack:
        node = stack.pop()
        if "item" in node:
            stack.extend(node["item"])
        else:
            requests += 1
            examples += len(node.get("response") or [])
    return requests, examples


@pytest.mark.parametrize("path", ALL_COLLECTIONS, ids=lambda p: p.name)
def test_every_real_collection_loads_with_all_operations_and_examples(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    collection = load_collection(path)
    assert (len(collection.operations), sum(len(op.examples) for op in collection.operations)) == (
        _walk_counts(doc)
    )
    assert len({op.id for op in collection.operations}) == len(collection.operations)


def test_corpus_counts_are_the_documented_ones() -> None:
    # ../shared/README.md documents these figures for the corpus.
    by_name = {p.name.split(".")[0]: load_collection(p) for p in ALL_COLLECTIONS}
    assert len(by_name["apideck-crm"].operations) == 40
    assert sum(len(o.examples) for o in by_name["apideck-crm"].operations) == 280
    assert sum(len(o.examples) for o in by_name["zoho-crm"].operations) == 12
    assert by_name["newman-echo-v2"].schema_version == "2.0.0"


def _collection(*items: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "info": {
            "name": "t",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": list(items),
        **top,
    }


def _item(name: str = "op", **request: Any) -> dict[str, Any]:
    return {"name": name, "request": {"method": "GET", "url": "https://x.test/a", **request}}


# --- versions and shapes -------------------------------------------------------------------


def test_v20_auth_objects_and_v21_auth_lists_read_the_same() -> None:
    v21 = _collection(
        _item(
            auth={
                "type": "basic",
                "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "p4ss"}],
            }
        )
    )
    v20 = copy.deepcopy(v21)
    v20["info"]["schema"] = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"
    v20["item"][0]["request"]["auth"]["basic"] = {"username": "u", "password": "p4ss"}
    a, b = load_collection(v21), load_collection(v20)
    assert (a.schema_version, b.schema_version) == ("2.1.0", "2.0.0")
    assert a.operations[0].auth == b.operations[0].auth
    assert a.operations[0].auth is not None
    assert a.operations[0].auth.params == {"username": "u", "password": "p4ss"}


def test_a_bare_item_is_a_one_operation_collection() -> None:
    item = json.loads(BUNDLED.read_text())["item"][0]
    collection = load_collection(item)
    assert collection.schema_version == "item"
    assert [op.id for op in collection.operations] == ["leads"]
    assert collection.operations[0].pointer == "#"
    assert len(collection.operations[0].examples) == 8


def test_a_bare_folder_keeps_its_folder_path() -> None:
    folder = {"name": "Bulk Write", "item": [_item("Create Job")]}
    collection = load_collection(folder)
    assert [op.id for op in collection.operations] == ["bulk-write/create-job"]
    assert collection.operations[0].item_path == "Bulk Write / Create Job"
    assert collection.operations[0].pointer == "#/item/0"


def test_nested_folders_get_paths_and_pointers() -> None:
    doc = _collection({"name": "A", "item": [{"name": "B", "item": [_item("C")]}]})
    op = load_collection(doc).operations[0]
    assert (op.folder, op.id, op.pointer) == (("A", "B"), "a/b/c", "#/item/0/item/0/item/0")


def _deep_folders(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = _item("leaf")
    for i in range(depth):
        node = {"name": f"f{i}", "item": [node]}
    return _collection(node)


def test_a_deep_folder_chain_within_the_limit_loads() -> None:
    assert load_collection(_deep_folders(150)).operations[0].name == "leaf"


@pytest.mark.parametrize("depth", [300, 3000])
def test_a_3000_deep_folder_chain_is_refused_cleanly(depth: int, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(_deep_folders(depth)) if depth < 900 else _deep_text(depth))
    with pytest.raises(CollectionError, match="nested") as info:
        load_collection(path)
    assert not isinstance(info.value.__cause__, RecursionError) or "JSON nested" in str(info.value)


def _deep_text(depth: int) -> str:
    # json.dumps itself cannot write this deep; build the text directly.
    head = '{"info": {"name": "t", "schema": "v2.1.0"}, "item": ['
    return head + '{"name": "f", "item": [' * depth + "]}" * depth + "]}"


def test_a_3000_deep_json_body_is_refused_with_its_pointer() -> None:
    raw = "[" * 3000 + "]" * 3000
    doc = _collection(
        _item(
            method="POST",
            body={"mode": "raw", "raw": raw, "options": {"raw": {"language": "json"}}},
        )
    )
    with pytest.raises(CollectionError, match="nested deeper") as info:
        load_collection(doc)
    assert info.value.pointer == "#/item/0/request/body/raw"


# --- URLs, headers, bodies -------------------------------------------------------------------


def test_url_as_text_is_split_like_postman() -> None:
    op = load_collection(
        _collection(_item(url="https://api.test:8443/v1/users/:id?x=1&flag"))
    ).operations[0]
    url = op.request.url
    assert (url.protocol, url.host, url.port, url.path) == (
        "https",
        ("api", "test"),
        "8443",
        ("v1", "users", ":id"),
    )
    assert [(q.key, q.value) for q in url.query] == [("x", "1"), ("flag", None)]
    assert url.path_template == "/v1/users/{id}"


def test_url_object_with_disabled_query_and_path_variables() -> None:
    url = {
        "raw": "{{base}}/users/:id?a=1",
        "host": ["{{base}}"],
        "path": ["users", ":id"],
        "query": [{"key": "a", "value": "1"}, {"key": "b", "value": "2", "disabled": True}],
        "variable": [{"key": "id", "value": "42", "description": "user id"}],
    }
    op = load_collection(_collection(_item(url=url))).operations[0]
    assert op.request.url.template == "{{base}}/users/{id}"
    assert [q.key for q in op.request.url.enabled_query] == ["a"]
    assert [(v.key, v.value) for v in op.request.url.variables] == [("id", "42")]


def test_headers_disabled_null_and_text() -> None:
    listed = _item(
        header=[{"key": "A", "value": "1"}, {"key": "B", "value": "2", "disabled": True}]
    )
    op = load_collection(_collection(listed)).operations[0]
    assert [h.key for h in op.request.enabled_headers] == ["A"]
    assert op.request.header("b") is None
    assert load_collection(_collection(_item(header=None))).operations[0].request.headers == ()
    text = load_collection(_collection(_item(header="X-A: 1\nX-B: two\n"))).operations[0]
    assert text.request.header("x-b") == "two"


def _raw(raw: str, language: str | None = "json") -> dict[str, Any]:
    body: dict[str, Any] = {"mode": "raw", "raw": raw}
    if language:
        body["options"] = {"raw": {"language": language}}
    return _item(method="POST", body=body)


def test_raw_json_keeps_quoted_and_unquoted_placeholders_as_slots() -> None:
    raw = '{"ids": ["{{record_id1}}"], "count": {{n}}, "note": "id {{x}} here", "g": "{{$guid}}"}'
    body = load_collection(_collection(_raw(raw))).operations[0].request.body
    assert body is not None and body.is_json
    assert body.json == {
        "ids": [Placeholder("record_id1", quoted=True)],
        "count": Placeholder("n", quoted=False),
        "note": "id {{x}} here",
        "g": Placeholder("$guid"),
    }
    assert body.json["g"].dynamic and body.json["g"].dynamic_kind == "uuid"
    assert body.placeholders == ("record_id1", "n", "x", "$guid")


def test_raw_json_with_comments_parses_and_strings_keep_slashes() -> None:
    raw = '{\n  // a comment\n  "url": "https://a.test//b", /* block\n comment */ "n": 1\n}'
    body = load_collection(_collection(_raw(raw))).operations[0].request.body
    assert body is not None and body.json == {"url": "https://a.test//b", "n": 1}


def test_raw_non_json_languages_are_kept_as_text() -> None:
    body = load_collection(_collection(_raw("<a>1</a>", "xml"))).operations[0].request.body
    assert body is not None and (body.language, body.json, body.raw) == (
        "xml",
        NOT_JSON,
        "<a>1</a>",
    )


def test_raw_json_that_does_not_parse_is_a_warning_not_an_error() -> None:
    collection = load_collection(_collection(_raw('{"a": ')))
    assert collection.operations[0].request.body.json is NOT_JSON  # type: ignore[union-attr]
    assert [w.pointer for w in collection.warnings] == ["#/item/0/request/body/raw"]


def test_every_body_mode() -> None:
    modes = [
        {
            "mode": "urlencoded",
            "urlencoded": [
                {"key": "a", "value": "1"},
                {"key": "b", "value": "2", "disabled": True},
            ],
        },
        {
            "mode": "formdata",
            "formdata": [
                {"key": "t", "value": "v", "type": "text"},
                {"key": "f", "type": "file", "src": ["/tmp/x.csv"]},
            ],
        },
        {"mode": "graphql", "graphql": {"query": "{ me { id } }", "variables": '{"a": 1}'}},
        {"mode": "file", "file": {"src": "/tmp/upload.bin"}},
        {"mode": "none"},
    ]
    ops = load_collection(
        _collection(*(_item(f"m{i}", method="POST", body=b) for i, b in enumerate(modes)))
    ).operations
    bodies = [op.request.body for op in ops]
    assert all(b is not None for b in bodies)
    urlenc, form, gql, file, none = bodies  # type: ignore[misc]
    assert [(p.key, p.disabled) for p in urlenc.parts] == [("a", False), ("b", True)]
    assert [(p.type, p.src) for p in form.parts] == [("text", ()), ("file", ("/tmp/x.csv",))]
    assert (gql.raw, gql.graphql_variables) == ("{ me { id } }", '{"a": 1}')
    assert file.file_src == "/tmp/upload.bin"
    assert none.mode == "none"


# --- auth ----------------------------------------------------------------------------------


def test_auth_inherits_collection_to_folder_to_item_with_inherit_and_noauth() -> None:
    bearer = {"type": "bearer", "bearer": [{"key": "token", "value": "{{tok}}"}]}
    apikey = {
        "type": "apikey",
        "apikey": [{"key": "key", "value": "X-Key"}, {"key": "value", "value": "{{k}}"}],
    }
    doc = _collection(
        _item("top"),
        {
            "name": "F",
            "auth": apikey,
            "item": [_item("in-folder"), _item("explicit-none", auth={"type": "noauth"})],
        },
        {
            "name": "G",
            "auth": {"type": "inherit"},
            "item": [_item("inherits", auth={"type": "inherit"})],
        },
        _item("custom", auth={"type": "hawk", "hawk": [{"key": "authId", "value": "i"}]}),
        auth=bearer,
    )
    types = {op.name: op.auth.type if op.auth else None for op in load_collection(doc).operations}
    assert types == {
        "top": "bearer",
        "in-folder": "apikey",
        "explicit-none": "noauth",
        "inherits": "bearer",
        "custom": "hawk",
    }


@pytest.mark.parametrize(
    "kind", ["bearer", "basic", "apikey", "oauth2", "digest", "oauth1", "awsv4"]
)
def test_every_auth_type_loads_with_its_parameters(kind: str) -> None:
    op = load_collection(
        _collection(_item(auth={"type": kind, kind: [{"key": "k", "value": "v"}]}))
    ).operations[0]
    assert op.auth is not None and (op.auth.type, op.auth.get("k")) == (kind, "v")


# --- variables -----------------------------------------------------------------------------


def test_variable_precedence_collection_then_environment_then_overrides(tmp_path: Path) -> None:
    doc = _collection(
        _item(),
        variable=[
            {"key": "a", "value": "c"},
            {"key": "b", "value": "c"},
            {"key": "c", "value": "c"},
            {"key": "off", "value": "x", "disabled": True},
        ],
    )
    env = tmp_path / "dev.postman_environment.json"
    env.write_text(
        json.dumps(
            {
                "name": "dev",
                "values": [
                    {"key": "b", "value": "e", "enabled": True},
                    {"key": "c", "value": "e", "enabled": True},
                    {"key": "ignored", "value": "e", "enabled": False},
                ],
            }
        )
    )
    collection = load_collection(doc, environment=env, variables={"c": "o"})
    assert collection.values == {"a": "c", "b": "e", "c": "o"}


def test_environment_errors_name_the_environment_file(tmp_path: Path) -> None:
    env = tmp_path / "bad.postman_environment.json"
    env.write_text('{"name": "x"}')
    with pytest.raises(CollectionError, match="no 'values' list") as info:
        load_environment(env)
    assert info.value.file == str(env)


def test_secret_variables_and_credentials_are_known_secrets() -> None:
    doc = _collection(
        _item(
            auth={
                "type": "basic",
                "basic": [
                    {"key": "username", "value": "me"},
                    {"key": "password", "value": "hunter22"},
                ],
            }
        ),
        variable=[
            {"key": "access-token", "value": "tok-123456"},
            {"key": "opaque", "value": "s3cr3t!", "type": "secret"},
            {"key": "api-domain", "value": "https://x.test"},
        ],
    )
    assert load_collection(doc).secrets == frozenset({"hunter22", "tok-123456", "s3cr3t!"})


# --- examples ------------------------------------------------------------------------------


def _with_examples(*responses: dict[str, Any]) -> dict[str, Any]:
    item = _item()
    item["response"] = list(responses)
    return _collection(item)


def test_examples_of_every_body_kind_load() -> None:
    examples = (
        load_collection(
            _with_examples(
                {
                    "name": "json",
                    "code": 200,
                    "header": None,
                    "body": '{"a": 1}',
                    "_postman_previewlanguage": "json",
                },
                {
                    "name": "xml",
                    "code": 200,
                    "header": [{"key": "Content-Type", "value": "application/xml"}],
                    "body": "<a/>",
                    "_postman_previewlanguage": "xml",
                },
                {
                    "name": "html",
                    "code": 500,
                    "body": "<html></html>",
                    "_postman_previewlanguage": "html",
                },
                {"name": "empty", "code": 204, "body": ""},
                {"name": "no body", "code": "404", "status": "Not Found"},
            )
        )
        .operations[0]
        .examples
    )
    assert [(e.name, e.status, e.is_json) for e in examples] == [
        ("json", 200, True),
        ("xml", 200, False),
        ("html", 500, False),
        ("empty", 204, False),
        ("no body", 404, False),
    ]
    assert examples[0].json == {"a": 1} and examples[0].headers == ()
    assert examples[4].status_text == "Not Found"


def test_an_example_json_body_that_does_not_parse_is_kept_with_a_warning() -> None:
    collection = load_collection(
        _with_examples(
            {"name": "bad", "code": 200, "body": '{"a": tru', "_postman_previewlanguage": "json"}
        )
    )
    example = collection.operations[0].examples[0]
    assert (example.body, example.is_json) == ('{"a": tru', False)
    assert [w.pointer for w in collection.warnings] == ["#/item/0/response/0/body"]


def test_examples_keep_their_original_request() -> None:
    op = load_collection(BUNDLED).operations[0]
    by_name = {e.name: e for e in op.examples}
    copy_request = by_name["INVALID_REQUEST_METHOD"].original_request
    assert copy_request is not None and copy_request.method == "COPY"
    body = by_name["SUCCESS RESPONSE"].original_request.body  # type: ignore[union-attr]
    assert body is not None and body.json["ids"] == ["738964000002131001", "738964000002130131"]
    assert by_name["NOT_APPROVED"].json["data"][0]["code"] == "NOT_APPROVED"


# --- ids -----------------------------------------------------------------------------------


def test_bundled_operation_ids() -> None:
    assert [op.id for op in load_collection(BUNDLED).operations] == [
        "leads",
        "bulk-write/create-bulk-write-job",
    ]


def test_ids_are_unique_readable_and_safe_for_awkward_names() -> None:
    names = [
        "Get user",
        "Get user",
        "get-user",
        "a/b",
        "../../etc/passwd",
        "CON",
        "🚀" * 300,
        "Ünïcödé naïve",
        "x" * 200,
    ]
    ids = [op.id for op in load_collection(_collection(*(_item(n) for n in names))).operations]
    assert ids[:6] == ["get-user", "get-user-2", "get-user-3", "a-b", "etc-passwd", "con-item"]
    assert ids[6].startswith("item-") and ids[7] == "ünïcödé-naïve"
    assert len(set(ids)) == len(ids) and all(len(i) <= 64 and "/" not in i for i in ids)
    assert ids == [
        op.id for op in load_collection(_collection(*(_item(n) for n in names))).operations
    ]
