"""The diff on real collections edited as their authors edit them.

Each real collection (the corpus and the OpenAPI conversions in ../shared) is edited in ways
the histories' README calls non-changes (items and folders renamed, reordered, path parameter
syntax, example values, a variant duplicated) and must report no API change; then one
response field is removed from every example of one status of each operation, and each must
be reported once, breaking clients.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.contracts import Change, diff_contracts, open_contracts
from tests.paths import CORPUS_FILES, SHARED

REAL = [*CORPUS_FILES, *sorted((SHARED / "openapi").glob("*/collection.*.json"))]


def _id(path: Path) -> str:
    return (
        path.name.split(".")[0]
        if path.parent.name == "corpus"
        else path.parent.name + "-" + (path.name.split(".")[1])
    )


def _items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in node.get("item", []):
        if "item" in child:
            yield child
            yield from _items(child)
        else:
            yield child


def _requests(item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if isinstance(item.get("request"), dict):
        yield item["request"]
    for ex in item.get("response") or []:
        if isinstance(ex.get("originalRequest"), dict):
            yield ex["originalRequest"]


def _rename(doc: dict[str, Any]) -> None:
    for node in _items(doc):
        node["name"] = f"{node.get('name', '')} (v2)"


def _reorder(doc: dict[str, Any]) -> None:
    def walk(node: dict[str, Any]) -> None:
        if "item" in node:
            node["item"].reverse()
            for child in node["item"]:
                walk(child)

    walk(doc)


_COLON = re.compile(r"/:([A-Za-z_][A-Za-z0-9_-]*)")


def _path_syntax(doc: dict[str, Any]) -> None:
    """``:id`` path variables written ``{{id}}`` (the same HTTP path)."""
    for node in _items(doc):
        for req in _requests(node):
            url = req.get("url")
            if isinstance(url, str):
                req["url"] = _COLON.sub(r"/{{\1}}", url)
            elif isinstance(url, dict):
                if isinstance(url.get("raw"), str):
                    url["raw"] = _COLON.sub(r"/{{\1}}", url["raw"])
                if isinstance(url.get("path"), list):
                    url["path"] = [
                        "{{" + s[1:] + "}}" if isinstance(s, str) and s.startswith(":") else s
                        for s in url["path"]
                    ]
                url.pop("variable", None)


def _edit_value(value: Any) -> Any:
    """Another value of the same kind: a number plus one, a sentence or URL reworded."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str) and (" " in value or "://" in value):
        return value + " (edited)" if " " in value else value + "/edited"
    if isinstance(value, list):
        return [_edit_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _edit_value(v) for k, v in value.items()}
    return value


def _values(doc: dict[str, Any]) -> None:
    for node in _items(doc):
        for ex in node.get("response") or []:
            try:
                body = json.loads(ex.get("body") or "")
            except ValueError:
                continue
            ex["body"] = json.dumps(_edit_value(body))


def _duplicate_variant(doc: dict[str, Any]) -> None:
    """Every item gets a twin (another name, same request and examples): a variant."""

    def walk(node: dict[str, Any]) -> None:
        twins = []
        for child in node.get("item", []):
            if "item" in child:
                walk(child)
            else:
                twin = copy.deepcopy(child)
                twin["name"] = f"{child.get('name', '')} (another way)"
                twins.append(twin)
        node.get("item", []).extend(twins)

    walk(doc)


NON_CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "renamed": _rename,
    "reordered": _reorder,
    "path-syntax": _path_syntax,
    "values": _values,
    "variant": _duplicate_variant,
}


def _diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return diff_contracts(
        open_contracts(tmp_path / "old.json"), open_contracts(tmp_path / "new.json")
    )


@pytest.mark.parametrize("edit", list(NON_CHANGES))
@pytest.mark.parametrize("path", REAL, ids=_id)
def test_edits_that_change_no_api_report_none(tmp_path: Path, path: Path, edit: str) -> None:
    old = json.loads(path.read_text(encoding="utf-8"))
    new = copy.deepcopy(old)
    NON_CHANGES[edit](new)
    noise = [f"{c.operation} {c.where}: {c.message}" for c in _diff(tmp_path, old, new) if c.api]
    assert noise == []


@pytest.mark.parametrize("path", REAL, ids=_id)
def test_a_response_field_removed_is_reported_once_per_operation(
    tmp_path: Path, path: Path
) -> None:
    """The last top-level key of each operation's first JSON example goes from every
    example of that status, in every item on the same method and path (wise-mca has no
    saved example: nothing changes there)."""
    old = json.loads(path.read_text(encoding="utf-8"))
    new = copy.deepcopy(old)
    leaves = list(_leaves(new))
    operations = open_contracts(path).operations
    assert len(leaves) == len(operations)
    routes: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for op, leaf in zip(operations, leaves, strict=True):
        routes.setdefault(_route(f"{op.request.method} {op.request.path}"), []).append(leaf)
    expected = set()
    for route, items in routes.items():
        first = next((e for leaf in items for e in _json_examples(leaf)), None)
        names = [k for k in sorted(first[1]) if not _DATA_KEY.fullmatch(k)] if first else []
        if first is None or not names:
            continue  # no JSON example, or a map (its keys are data, not fields)
        status, key = first[0].get("code"), names[-1]
        for leaf in items:
            for ex, body in _json_examples(leaf):
                if ex.get("code") == status and key in body:
                    del body[key]
                    ex["body"] = json.dumps(body)
        expected.add((*route, status, key))
    changes = [c for c in _diff(tmp_path, old, new) if c.api]
    assert sorted(
        (*_route(c.operation, host=True), c.location.status, c.location.path[2:], c.kind)
        for c in changes
    ) == sorted((*e, "property-removed") for e in expected)
    assert all(c.breaks == {"clients"} for c in changes)


_DATA_KEY = re.compile(r"key_[0-9]+|[0-9]+")


def _route(label: str, *, host: bool = False) -> tuple[str, str]:
    method, _, url = label.partition(" ")
    if host:
        url = url[url.index("/") :] if "/" in url else "/"
    return method, re.sub(r"\{[^/]*\}", "{}", url)


def _json_examples(item: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for ex in item.get("response") or []:
        try:
            body = json.loads(ex.get("body") or "")
        except ValueError:
            continue
        if isinstance(body, dict) and body:
            yield ex, body


def _leaves(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in node.get("item", []):
        if "item" in child:
            yield from _leaves(child)
        else:
            yield child
