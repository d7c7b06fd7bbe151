"""Load a Postman collection (v2.0, v2.1, or a bare item or folder) into the typed model.

Why it exists: it is the one place that knows Postman's JSON. It walks the item tree with
bounded depth, resolves auth inheritance (collection → folder → item, ``inherit`` and an
explicit ``noauth``), applies variable precedence (collection < environment < overrides),
gives every operation a stable unique id, and turns every malformed input into a located
:class:`~postman_contracts.CollectionError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from postman_contracts.collection._gc import collector_paused
from postman_contracts.collection._ids import IdAllocator
from postman_contracts.collection._model import (
    NOT_JSON,
    Auth,
    Collection,
    Example,
    Folder,
    Operation,
    Request,
    Variable,
)
from postman_contracts.collection._parts import (
    Where,
    check_body_size,
    expect_dict,
    expect_list,
    kind,
    looks_like_json,
    parse_json_body,
    read_auth,
    read_body,
    read_description,
    read_headers,
    read_url,
    read_variables,
    text,
)
from postman_contracts.collection._secrets import collect_secrets, is_secret_name
from postman_contracts.collection._source import Limits, read_json_document
from postman_contracts.collection._variables import effective_values, load_environment

__all__ = ["load_collection"]

Source = str | os.PathLike[str] | Mapping[str, Any]

_V1_HINT = (
    "this is a Postman Collection v1 file; postman-contracts reads v2.0 and v2.1. Convert it "
    "with `npx postman-collection-transformer convert -i IN.json -o OUT.json -j 1.0.0 -p 2.1.0` "
    "or re-export it from Postman as Collection v2.1"
)


def load_collection(
    source: Source,
    *,
    environment: Source | None = None,
    variables: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> Collection:
    """Load a Postman collection into a :class:`~postman_contracts.collection.Collection`.

    Args:
        source: a path to a collection file, or the parsed JSON. A bare item or folder (as
            copied from a documentation page) is accepted as a one-item collection.
        environment: a Postman environment file (``*.postman_environment.json``) or its JSON.
        variables: overrides, as ``--var key=value`` gives them; they win over everything.
        limits: bounds on size and nesting; see :class:`Limits`.

    Raises:
        CollectionError: the input is not a collection this tool can read; the error names the
            file, the Postman item path and a JSON pointer.
    """
    limits = limits or Limits()
    with collector_paused():  # millions of live objects, no garbage: see _gc
        if isinstance(source, Mapping):
            doc: Any = source
            file: str | None = None
        else:
            doc, file = read_json_document(source, limits=limits)
        env = () if environment is None else load_environment(environment, limits=limits)
        return _Loader(file, limits).collection(doc, env, dict(variables or {}))


class _Loader:
    def __init__(self, file: str | None, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.ids = IdAllocator()
        self.count = 0
        self.root = Where(file, "", "#", limits)

    def collection(
        self, doc: Any, env: tuple[Variable, ...], overrides: dict[str, str]
    ) -> Collection:
        where = self.root
        if isinstance(doc, list):
            raise where.error(
                "the top level is an array; expected a Postman collection object "
                '({"info": ..., "item": [...]}) or a single item'
            )
        doc = expect_dict(doc, where, "the top level")
        version, name, description, raw_items = self._kind(doc)
        variables = read_variables(doc.get("variable"), where.at("variable"))
        auth = read_auth(doc.get("auth"), where.at("auth"))
        if raw_items is None:  # a bare item or folder is its own only item
            collected: list[Folder | Operation] = []
            operations: list[Operation] = []
            self._item(doc, where, (), auth, 0, collected, operations)
            items = tuple(collected)
        else:
            items, operations = self._items(raw_items, where, (), auth, 0)
        overridden = tuple(
            Variable(k, v, secret=_secret_override(k, variables)) for k, v in overrides.items()
        )
        all_vars = variables + env + overridden
        return Collection(
            name=name,
            schema_version=version,
            items=items,
            operations=tuple(operations),
            variables=all_vars,
            values=effective_values(variables, env, overrides),
            auth=auth,
            description=description,
            source=self.file,
            warnings=tuple(self.root.warnings),
            secrets=collect_secrets(all_vars, operations, auth, items),
        )

    def _kind(self, doc: dict[str, Any]) -> tuple[str, str, str, list[Any] | None]:
        """Tell a v2 collection from a v1 one and from a bare item or folder (items ``None``)."""
        where = self.root
        info = doc.get("info")
        if "requests" in doc and ("order" in doc or "folders" in doc) and "item" not in doc:
            raise where.error(_V1_HINT)
        if info is not None:
            info = expect_dict(info, where.at("info"), "info")
            schema = text(info.get("schema"), where.at("info", "schema"), "info.schema")
            if "v1.0.0" in schema:
                raise where.at("info", "schema").error(_V1_HINT)
            version = "2.0.0" if "v2.0.0" in schema else "2.1.0"
            name = text(info.get("name"), where.at("info", "name"), "info.name")
            desc = read_description(info.get("description"), where.at("info", "description"))
            if "item" not in doc:
                raise where.error("the collection has no 'item' list")
            return version, name, desc, expect_list(doc["item"], where.at("item"), "item")
        if "request" in doc or "item" in doc:  # a bare item or folder
            return "item", text(doc.get("name"), where.at("name"), "name"), "", None
        raise where.error(
            "not a Postman collection: expected 'info' and 'item' (a collection) or 'request' "
            "(a single item)"
        )

    def _items(
        self,
        raw_items: list[Any],
        where: Where,
        folders: tuple[str, ...],
        auth: Auth | None,
        depth: int,
    ) -> tuple[tuple[Folder | Operation, ...], list[Operation]]:
        if depth > self.limits.max_depth:
            raise where.error(f"folders nested deeper than {self.limits.max_depth} levels")
        items: list[Folder | Operation] = []
        operations: list[Operation] = []
        for i, raw in enumerate(raw_items):
            self._item(raw, where.at("item", i), folders, auth, depth, items, operations)
        return tuple(items), operations

    def _item(
        self,
        raw: object,
        where: Where,
        folders: tuple[str, ...],
        auth: Auth | None,
        depth: int,
        items: list[Folder | Operation],
        operations: list[Operation],
    ) -> None:
        self.count += 1
        if self.count > self.limits.max_items:
            raise where.error(f"more than {self.limits.max_items:,} items")
        item = expect_dict(raw, where, "an item")
        name = text(item.get("name"), where.at("name"), "item name")
        w = Where(
            self.file, " / ".join((*folders, name)), where.pointer, self.limits, where.warnings
        )
        if "item" in item:
            sub = expect_list(item["item"], w.at("item"), "item")
            own_auth = read_auth(item.get("auth"), w.at("auth"))
            effective = own_auth if own_auth is not None else auth
            children, ops = self._items(sub, w, (*folders, name), effective, depth + 1)
            description = read_description(item.get("description"), w.at("description"))
            items.append(Folder(name, children, own_auth, description, w.pointer))
            operations.extend(ops)
        elif "request" in item:
            op = self._operation(item, w, folders, name, auth)
            items.append(op)
            operations.append(op)
        else:
            raise w.error("the item has neither 'request' (a request) nor 'item' (a folder)")

    def _operation(
        self,
        item: dict[str, Any],
        where: Where,
        folders: tuple[str, ...],
        name: str,
        inherited: Auth | None,
    ) -> Operation:
        request = read_request(item["request"], where.at("request"))
        responses = expect_list(item.get("response"), where.at("response"), "response")
        examples = tuple(
            read_example(raw, where.at("response", i)) for i, raw in enumerate(responses)
        )
        description = request.description or read_description(
            item.get("description"), where.at("description")
        )
        return Operation(
            id=self.ids.allocate(folders, name),
            name=name,
            folder=folders,
            request=request,
            auth=request.auth if request.auth is not None else inherited,
            examples=examples,
            description=description,
            pointer=where.pointer,
        )


def _secret_override(key: str, variables: tuple[Variable, ...]) -> bool:
    return is_secret_name(key) or any(v.key == key and v.secret for v in variables)


def read_request(value: object, where: Where) -> Request:
    """A request: an object, or (v2 allows it) just a URL string."""
    if isinstance(value, str):
        return Request(method="GET", url=read_url(value, where))
    r = expect_dict(value, where, "request")
    method = r.get("method", "GET")
    if not isinstance(method, str):
        raise where.at("method").error(f"method must be a string, got {kind(method)}")
    method = method.strip().upper() or "GET"
    headers = read_headers(r.get("header"), where.at("header"))
    content_type = next((h.value for h in headers if h.key.lower() == "content-type"), "")
    return Request(
        method=method,
        url=read_url(r.get("url"), where.at("url")),
        headers=headers,
        body=read_body(r.get("body"), where.at("body"), content_type),
        auth=read_auth(r.get("auth"), where.at("auth")),
        description=read_description(r.get("description"), where.at("description")),
    )


def _status_code(value: object, where: Where) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise where.error("code must be an HTTP status number, got a boolean")
    if isinstance(value, int):
        code = value
    elif isinstance(value, str) and value.strip().isdigit():
        code = int(value)
    else:
        raise where.error(f"code must be an HTTP status number, got {kind(value)}")
    if not 100 <= code <= 599:
        raise where.error(f"code {code} is not an HTTP status (100-599)")
    return code


_NOT_JSON_LANGUAGES = frozenset({"html", "xml", "javascript"})


def read_example(value: object, where: Where) -> Example:
    """A saved example response with its originalRequest."""
    e = expect_dict(value, where, "an example (response)")
    headers = read_headers(e.get("header"), where.at("header"))
    body = check_body_size(text(e.get("body"), where.at("body"), "body"), where.at("body"))
    language = text(
        e.get("_postman_previewlanguage"), where.at("_postman_previewlanguage"), "language"
    )
    content_type = next((h.value for h in headers if h.key.lower() == "content-type"), "")
    declared = language.lower() == "json" or "json" in content_type.lower()
    shaped = language.lower() not in _NOT_JSON_LANGUAGES and looks_like_json(body, "", "")
    parsed = NOT_JSON
    if body and (declared or shaped):
        parsed = parse_json_body(body, where.at("body"), declared=declared)
    original = e.get("originalRequest")
    return Example(
        name=text(e.get("name"), where.at("name"), "example name"),
        status=_status_code(e.get("code"), where.at("code")),
        status_text=text(e.get("status"), where.at("status"), "status"),
        headers=headers,
        body=body,
        json=parsed,
        preview_language=language,
        original_request=None
        if original is None
        else read_request(original, where.at("originalRequest")),
        pointer=where.pointer,
    )
