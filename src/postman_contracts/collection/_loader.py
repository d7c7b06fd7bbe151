"""Load a Postman collection (v2.0, v2.1, or a bare item or folder) into the typed model.

Why it exists: it is the one place that knows Postman's JSON. It walks the item tree with
bounded depth, resolves auth inheritance (collection → folder → item, ``inherit`` and an
explicit ``noauth``), applies variable precedence (collection < environment < overrides),
gives every operation a stable unique id, and turns every malformed input into a located
:class:`~postman_contracts.CollectionError`.

A collection file is read item by item (see :mod:`~postman_contracts.collection._stream`):
each item is converted as soon as its JSON is decoded and that JSON is dropped, so the whole
parsed document never lives next to the model. Items come either from that walk or from an
already parsed tree (a mapping, or a file the walk does not take); both go through the same
conversion. Exports often put a folder's ``auth`` (and the collection's) after its items, so
an operation without its own auth is built as :data:`_INHERITED` and given its auth once the
whole tree is known. A file whose walk fails for any reason is read again the old way, whole,
so that what it returns or raises is exactly what that way gives.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from postman_contracts._errors import CollectionError
from postman_contracts.collection._gc import collector_paused
from postman_contracts.collection._ids import IdAllocator
from postman_contracts.collection._media import media_kind
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
    deferred_json_body,
    expect_dict,
    expect_list,
    kind,
    looks_like_json,
    read_auth,
    read_body,
    read_description,
    read_headers,
    read_url,
    read_variables,
    text,
)
from postman_contracts.collection._secrets import collect_secrets, is_secret_name
from postman_contracts.collection._source import (
    Limits,
    parse_document,
    read_json_pieces,
    read_json_text,
)
from postman_contracts.collection._stream import JsonReader, Unstreamable
from postman_contracts.collection._variables import effective_values, load_environment

__all__ = ["load_collection"]

Source = str | os.PathLike[str] | Mapping[str, Any]
#: An environment: a file, its JSON, or the variables already read from it.
Environment = Source | tuple[Variable, ...]

_V1_HINT = (
    "this is a Postman Collection v1 file; postman-contracts reads v2.0 and v2.1. Convert it "
    "with `npx postman-collection-transformer convert -i IN.json -o OUT.json -j 1.0.0 -p 2.1.0` "
    "or re-export it from Postman as Collection v2.1"
)

#: The auth of an operation that inherits one, until its folders' auth is known.
_INHERITED = Auth("inherit")


def load_collection(
    source: Source,
    *,
    environment: Environment | None = None,
    variables: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> Collection:
    """Load a Postman collection into a :class:`~postman_contracts.collection.Collection`.

    Args:
        source: a path to a collection file, or the parsed JSON. A bare item or folder (as
            copied from a documentation page) is accepted as a one-item collection.
        environment: a Postman environment file (``*.postman_environment.json``), its JSON,
            or its variables as :func:`load_environment` read them.
        variables: overrides, as ``--var key=value`` gives them; they win over everything.
        limits: bounds on size and nesting; see :class:`Limits`.

    Raises:
        CollectionError: the input is not a collection this tool can read; the error names the
            file, the Postman item path and a JSON pointer.
    """
    limits = limits or Limits()
    overrides = dict(variables or {})
    with collector_paused():  # millions of live objects, no garbage: see _gc
        if isinstance(source, Mapping):
            return _load_tree(source, None, environment, overrides, limits)
        pieces, file = read_json_pieces(source, limits=limits)
        loader = _Loader(file, limits)
        try:
            read = loader.stream(pieces)
        finally:
            pieces.close()
        if read is None:  # a shape the walk does not take, or an error: read it whole
            content, file = read_json_text(source, limits=limits)
            doc = parse_document(content, file)  # a syntax error anywhere is reported first
            del content
            return _load_tree(doc, file, environment, overrides, limits)
        return loader.collection(read, _environment(environment, limits), overrides)


def _load_tree(
    doc: Any,
    file: str | None,
    environment: Environment | None,
    overrides: dict[str, str],
    limits: Limits,
) -> Collection:
    """Load a parsed document (its environment is read first: its errors come first)."""
    env = _environment(environment, limits)
    loader = _Loader(file, limits)
    return loader.collection(loader.read(doc), env, overrides)


def _environment(environment: Environment | None, limits: Limits) -> tuple[Variable, ...]:
    if isinstance(environment, tuple):  # read already (by a caller that needs it too)
        return environment
    return () if environment is None else load_environment(environment, limits=limits)


class _Read(NamedTuple):
    """What a collection's document says, before the environment and overrides."""

    version: str
    name: str
    description: str
    variables: tuple[Variable, ...]
    auth: Auth | None
    items: list[Folder | Operation]  # operations that inherit their auth hold _INHERITED


class _Loader:
    def __init__(self, file: str | None, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.ids = IdAllocator()
        self.count = 0
        self.root = Where(file, "", "#", limits)

    def collection(
        self, read: _Read, env: tuple[Variable, ...], overrides: dict[str, str]
    ) -> Collection:
        operations: list[Operation] = []
        items = _settle(read.items, read.auth, operations)
        overridden = tuple(
            Variable(k, v, secret=_secret_override(k, read.variables)) for k, v in overrides.items()
        )
        all_vars = read.variables + env + overridden
        return Collection(
            name=read.name,
            schema_version=read.version,
            items=items,
            operations=tuple(operations),
            variables=all_vars,
            values=effective_values(read.variables, env, overrides),
            auth=read.auth,
            description=read.description,
            source=self.file,
            warnings=tuple(self.root.warnings),
            secrets=collect_secrets(all_vars, operations, read.auth, items),
        )

    # -- an already parsed document ---------------------------------------------------------

    def read(self, doc: Any) -> _Read:
        """Read a parsed document."""
        where = self.root
        if isinstance(doc, list):
            raise where.error(
                "the top level is an array; expected a Postman collection object "
                '({"info": ..., "item": [...]}) or a single item'
            )
        doc = expect_dict(doc, where, "the top level")
        version, name, description = self._kind(doc)
        raw_items = None if version == "item" else _item_list(doc, where)
        variables = read_variables(doc.get("variable"), where.at("variable"))
        auth = read_auth(doc.get("auth"), where.at("auth"))
        if raw_items is None:  # a bare item or folder is its own only item
            items = [self._item(doc, where, (), 0)]
        else:
            items = self._items(raw_items, where, (), 0)
        return _Read(version, name, description, variables, auth, items)

    def _items(
        self, raw_items: list[Any], where: Where, folders: tuple[str, ...], depth: int
    ) -> list[Folder | Operation]:
        self._check_depth(where, depth)
        return [
            self._item(raw, where.at("item", i), folders, depth) for i, raw in enumerate(raw_items)
        ]

    def _item(
        self, raw: object, where: Where, folders: tuple[str, ...], depth: int
    ) -> Folder | Operation:
        item, name, w = self._begin(raw, where, folders)
        if "item" in item:
            sub = expect_list(item["item"], w.at("item"), "item")
            own_auth = read_auth(item.get("auth"), w.at("auth"))
            children = self._items(sub, w, (*folders, name), depth + 1)
            return self._folder(item, w, name, children, own_auth)
        if "request" in item:
            return self._operation(item, w, folders, name)
        raise w.error("the item has neither 'request' (a request) nor 'item' (a folder)")

    # -- a document's text, item by item ----------------------------------------------------

    def stream(self, content: str | Iterator[str]) -> _Read | None:
        """Read a collection's text item by item; ``None`` when it must be read whole.

        Only a v2 collection object with an ``item`` array is walked. Anything the walk cannot
        take, and any error, gives ``None``: parsing the whole text (a syntax error anywhere
        comes first) and walking the tree (its errors come in its own order) reports it.
        """
        try:
            return self._stream_collection(JsonReader(content))
        except (Unstreamable, CollectionError, RecursionError):
            return None

    def _stream_collection(self, reader: JsonReader) -> _Read:
        doc: dict[str, Any] = {}
        items: list[Folder | Operation] | None = None
        for key in reader.members():
            if key in doc or (key == "item" and items is not None):
                raise Unstreamable  # json.loads keeps the last of repeated keys
            if key == "item" and reader.peek() == "[":
                # A v2 collection's items, unless `info` (which may come after) says otherwise.
                items = self._stream_items(reader, self.root, (), 0)
            else:
                doc[key] = reader.value()
        reader.end()
        if items is None or not isinstance(doc.get("info"), dict):
            raise Unstreamable  # not a v2 collection: a bare item or folder, or no collection
        version, name, description = self._kind(doc)
        variables = read_variables(doc.get("variable"), self.root.at("variable"))
        auth = read_auth(doc.get("auth"), self.root.at("auth"))
        return _Read(version, name, description, variables, auth, items)

    def _stream_items(
        self, reader: JsonReader, where: Where, folders: tuple[str, ...], depth: int
    ) -> list[Folder | Operation]:
        self._check_depth(where, depth)
        return [
            self._stream_item(reader, where.at("item", i), folders, depth)
            for i in reader.elements()
        ]

    def _stream_item(
        self, reader: JsonReader, where: Where, folders: tuple[str, ...], depth: int
    ) -> Folder | Operation:
        """An item: a request decoded whole, a folder key by key so that its items stream."""
        if reader.peek() != "{":
            return self._item(reader.value(), where, folders, depth)
        start = reader.mark()  # in case the folder must be decoded whole after all
        item: dict[str, Any] = {}
        folder: tuple[str, Where, list[Folder | Operation]] | None = None
        for key in reader.members():
            if key in item or (key == "item" and folder is not None):
                raise Unstreamable  # json.loads keeps the last of repeated keys
            if key == "item" and reader.peek() == "[":
                if "name" not in item:  # the folder's path is not known yet: decode it whole
                    reader.rewind(start)
                    whole = reader.value()
                    reader.release()
                    return self._item(whole, where, folders, depth)
                reader.release()  # its items stream: the window moves on with them
                _, name, w = self._begin(item, where, folders)
                folder = name, w, self._stream_items(reader, w, (*folders, name), depth + 1)
            else:
                item[key] = reader.value()
        reader.release()
        if folder is None:
            return self._item(item, where, folders, depth)
        name, w, children = folder
        return self._folder(item, w, name, children, read_auth(item.get("auth"), w.at("auth")))

    # -- one item, whichever way it came ----------------------------------------------------

    def _kind(self, doc: dict[str, Any]) -> tuple[str, str, str]:
        """A v2 collection's version, name and description; ``"item"`` for a bare item."""
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
            return version, name, desc
        if "request" in doc or "item" in doc:  # a bare item or folder
            return "item", text(doc.get("name"), where.at("name"), "name"), ""
        raise where.error(
            "not a Postman collection: expected 'info' and 'item' (a collection) or 'request' "
            "(a single item)"
        )

    def _check_depth(self, where: Where, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise where.error(f"folders nested deeper than {self.limits.max_depth} levels")

    def _begin(
        self, raw: object, where: Where, folders: tuple[str, ...]
    ) -> tuple[dict[str, Any], str, Where]:
        """Count an item, check it is an object, and locate it by its name."""
        self.count += 1
        if self.count > self.limits.max_items:
            raise where.error(f"more than {self.limits.max_items:,} items")
        item = expect_dict(raw, where, "an item")
        name = text(item.get("name"), where.at("name"), "item name")
        w = Where(
            self.file, " / ".join((*folders, name)), where.pointer, self.limits, where.warnings
        )
        return item, name, w

    def _folder(
        self,
        item: dict[str, Any],
        where: Where,
        name: str,
        children: list[Folder | Operation],
        own_auth: Auth | None,
    ) -> Folder:
        description = read_description(item.get("description"), where.at("description"))
        return Folder(name, tuple(children), own_auth, description, where.pointer)

    def _operation(
        self, item: dict[str, Any], where: Where, folders: tuple[str, ...], name: str
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
            auth=request.auth if request.auth is not None else _INHERITED,
            examples=examples,
            description=description,
            pointer=where.pointer,
        )


def _item_list(doc: dict[str, Any], where: Where) -> list[Any]:
    if "item" not in doc:
        raise where.error("the collection has no 'item' list")
    return expect_list(doc["item"], where.at("item"), "item")


def _settle(
    items: list[Folder | Operation] | tuple[Folder | Operation, ...],
    inherited: Auth | None,
    operations: list[Operation],
) -> tuple[Folder | Operation, ...]:
    """Give each operation that inherits its auth the auth in effect where it sits.

    That is its nearest folder's auth, or the collection's (``None`` when nothing sets one).
    Every operation is appended to ``operations``, depth first, in file order.
    """
    settled: list[Folder | Operation] = []
    for node in items:
        if isinstance(node, Folder):
            effective = inherited if node.auth is None else node.auth
            node = replace(node, items=_settle(node.items, effective, operations))
        else:
            if node.auth is _INHERITED:
                node = replace(node, auth=inherited)
            operations.append(node)
        settled.append(node)
    return tuple(settled)


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
    declared = language.lower() == "json" or media_kind(content_type) == "json"
    shaped = language.lower() not in _NOT_JSON_LANGUAGES and looks_like_json(body, "", "")
    parsed = NOT_JSON
    if body and (declared or shaped):
        parsed = deferred_json_body(body, where.at("body"), declared=declared)
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
