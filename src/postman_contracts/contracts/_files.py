"""Contracts as reviewable files: ``index.json``, one schema file per request and response.

Why it exists: contracts are committed and reviewed in pull requests, and CI checks them for
drift, so the bytes must be the same on every run and machine (sorted keys, 2-space indent,
UTF-8, one trailing newline) and a write must never leave a half-updated tree. Hand edits live
in ``overrides/`` as JSON Merge Patch (RFC 7396) files keyed by operation, applied on every
regeneration, so they survive a collection update.
"""

from __future__ import annotations

import contextlib
import difflib
import itertools
import json
import math
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from json.encoder import encode_basestring as _quote
from pathlib import Path
from typing import Any, Final

import orjson

from postman_contracts._errors import ContractError
from postman_contracts.collection import collector_paused
from postman_contracts.contracts._atomic import recover, replace_tree
from postman_contracts.contracts._catalog import ErrorEntry
from postman_contracts.contracts._model import (
    ContractSet,
    ExampleExchange,
    OperationContract,
    Parameter,
    ResponseContract,
)

__all__ = ["check_tree", "dump_json", "merge_patch", "render", "write_contracts"]

INDEX = "index.json"
OVERRIDES = "overrides"
FORMAT = 1


def dump_json(value: Any) -> bytes:
    """The one serialisation of every file we write: stable on every run and machine.

    The bytes are exactly those of ``json.dumps(value, indent=2, sort_keys=True,
    ensure_ascii=False)`` plus a newline. With ``indent`` the standard library leaves its C
    encoder for a pure-Python one; writing a large collection's contracts spent most of its
    time there. orjson writes the same bytes from C for every value :func:`_orjson_writes`
    accepts; any other goes to our own Python encoder, held to the standard library too.
    """
    return _dumps(value, "\n") + b"\n"


def _dumps(value: Any, newline: str) -> bytes:
    """``value`` as ``json.dumps(indent=2, ...)`` writes it, at the indentation ``newline``."""
    if _orjson_writes(value):
        try:
            text = orjson.dumps(value, option=_ORJSON)
        except TypeError:  # a key that is not a string, an integer wider than 64 bits
            pass
        else:
            # JSON text holds no raw line breaks but its own, so re-indenting is a replace.
            return text if newline == "\n" else text.replace(b"\n", newline.encode("ascii"))
    return _encode(value, newline).encode("utf-8")


_ORJSON: Final = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
#: Leaves orjson writes exactly as the standard library does (``bool`` is its own type).
_ORJSON_LEAVES: Final = frozenset({str, int, bool, type(None)})


def _orjson_writes(value: Any) -> bool:
    """Whether orjson writes ``value`` byte for byte as ``json.dumps`` does.

    It does for plain dicts, lists, tuples, strings, integers, booleans and None (a key that
    is not a string, or an integer beyond 64 bits, makes it raise instead). Floats differ in
    two ways: NaN and the infinities, which orjson writes as ``null``, and magnitudes below
    1e-4, which it writes ``0.00001`` where ``repr`` writes ``1e-05`` (the only differences
    in two million random floats). Anything else (subclasses, dataclasses, enums, dates,
    which orjson writes and the standard library refuses) is left to our own encoder.
    """
    leaves = _ORJSON_LEAVES
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            extend(item.values())
        elif kind in leaves:
            continue
        elif kind is list or kind is tuple:
            extend(item)
        elif kind is float:
            if not (math.isfinite(item) and (item == 0 or abs(item) >= 1e-4)):
                return False
        else:
            return False
    return True


def _encode(value: Any, newline: str) -> str:
    """``value`` as ``json.dumps`` with ``indent=2`` writes it, ``newline`` being the line
    break and indentation of its own level. Plain JSON types take the fast path; anything
    else (keys that are not strings, NaN, subclasses) goes to ``json.dumps`` itself."""
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is _Encoded:
        return str(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        try:
            keys = sorted(value)
        except TypeError:  # a key that is not a string: the standard library decides
            return _by_json(value, newline)
        if type(keys[0]) is not str:
            return _by_json(value, newline)
        items = []
        for key in keys:
            item = value[key]
            # Strings and integers, the common leaves, are written here rather than by a call.
            kind = type(item)
            if kind is str:
                items.append(_quote(key) + ": " + _quote(item))
            elif kind is int:
                items.append(_quote(key) + ": " + int.__repr__(item))
            else:
                items.append(_quote(key) + ": " + _encode(item, inner))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        texts = [_quote(v) if type(v) is str else _encode(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(texts) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return _by_json(value, newline)


def _by_json(value: Any, newline: str) -> str:
    # JSON text holds no raw line breaks but its own, so re-indenting is a replace.
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return text.replace("\n", newline)


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7396) and return the result; inputs are not changed."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ContractError(f"{path}: no such file") from err
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ContractError(f"{path}: cannot read: {err}") from err


def _overrides(directory: Path, op_id: str) -> dict[str, Any]:
    path = directory / OVERRIDES / f"{op_id}.json"
    if not path.is_file():
        return {}
    patch = _read_json(path)
    if not isinstance(patch, dict) or not set(patch) <= {"request", "responses"}:
        raise ContractError(
            f"{path}: an override is an object with 'request' (a merge patch of the request "
            "schema) and/or 'responses' (status code → merge patch)"
        )
    return patch


def _overridden(op: OperationContract, directory: Path | None) -> OperationContract:
    """``op`` with its reviewed overrides from ``directory`` (if any) applied."""
    patch = {} if directory is None else _overrides(directory, op.id)
    if not patch:
        return op
    request = op.request
    if "request" in patch and request.schema is not None:
        request = replace(request, schema=merge_patch(request.schema, patch["request"]))
    by_status = patch.get("responses") or {}
    responses = tuple(
        replace(r, schema=merge_patch(r.schema, by_status[str(r.status)]))
        if r.schema is not None and str(r.status) in by_status
        else r
        for r in op.responses
    )
    return replace(op, request=request, responses=responses)


def _schema_files(op: OperationContract) -> tuple[dict[str, Any], dict[int, str]]:
    """Name each distinct response schema of an operation ``responses/<status>[-n].schema.json``."""
    files: dict[str, Any] = {}
    names: dict[int, str] = {}
    for r in op.responses:
        if r.schema is None or id(r.schema) in names:
            continue
        stem = str(r.status) if r.status is not None else "default"
        name, n = f"{op.id}/responses/{stem}.schema.json", 1
        while name in files:
            n += 1
            name = f"{op.id}/responses/{stem}-{n}.schema.json"
        names[id(r.schema)] = name
        files[name] = r.schema
    return files, names


def _with_id(schema: dict[str, Any], rel: str) -> dict[str, Any]:
    return {"$id": rel, **schema}


def _error_json(e: ErrorEntry) -> dict[str, Any]:
    return {
        "example": e.example,
        "code": e.code,
        "status": e.status,
        "placement": e.placement,
        "record_path": e.record_path,
        "message": e.message,
        "details_schema": e.details_schema,
        "trigger": e.trigger.as_json(),
    }


def _exchange_json(x: ExampleExchange) -> dict[str, Any]:
    return {
        "name": x.name,
        "request": {
            "method": x.method,
            "path": x.path,
            "query": [list(q) for q in x.query],
            "headers": [list(h) for h in x.headers],
            "body": x.body,
            "json": x.body_is_json,
        },
        "response": {
            "status": x.status,
            "headers": [list(h) for h in x.response_headers],
            "body": x.response_body,
            "json": x.response_is_json,
        },
    }


def _operation_json(op: OperationContract, files: dict[str, bytes]) -> dict[str, Any]:
    req = op.request
    request_file = None
    if req.schema is not None:
        request_file = f"{op.id}/request.schema.json"
        files[request_file] = dump_json(_with_id(req.schema, request_file))
    schemas, names = _schema_files(op)
    for rel, schema in schemas.items():
        files[rel] = dump_json(_with_id(schema, rel))
    examples_file = f"{op.id}/examples.json"
    files[examples_file] = dump_json([_exchange_json(x) for x in op.examples])
    auth = req.auth
    doc: dict[str, Any] = {
        "id": op.id,
        "name": op.name,
        "folder": list(op.folder),
        "description": op.description,
        "method": req.method,
        "url": req.host + req.path,
        "host": req.host,
        "path": req.path,
        "auth": {
            "type": auth.type,
            "in": auth.location,
            "name": auth.name,
            "scheme": auth.scheme,
            "variable": auth.token_variable,
            **({"password_variable": auth.password_variable} if auth.password_variable else {}),
            **({"token_url": auth.token_url} if auth.token_url else {}),
        },
        "parameters": [_parameter_json(p) for p in req.parameters],
        "headers": req.headers,
        "request": {
            "schema": request_file,
            "content_type": req.content_type,
            "body_mode": req.body_mode,
        },
        "responses": [_response_json(r, names) for r in op.responses],
        "errors": [_error_json(e) for e in op.errors],
        "examples": examples_file,
    }
    if req.disabled_query:  # written only when there are some: older trees stay byte-identical
        doc["disabled_query"] = [_parameter_json(p) for p in req.disabled_query]
    if req.header_params:  # likewise
        doc["request_headers"] = [_parameter_json(p) for p in req.header_params]
    if req.route_key is not None:  # likewise
        doc["route_key"] = req.route_key.as_json()
    if req.graphql is not None:
        doc["request"]["graphql"] = req.graphql
    if req.text_body is not None:
        doc["request"]["text"] = req.text_body
    if req.protocol:  # likewise (a literal host's scheme)
        doc["protocol"] = req.protocol
    return doc


def _response_json(r: ResponseContract, names: dict[int, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "example": r.example,
        "status": r.status,
        "content_type": r.content_type,
        "success": r.success,
        "schema": names.get(id(r.schema)) if r.schema is not None else None,
    }
    if r.headers:  # written only when there are some: older trees stay byte-identical
        doc["headers"] = [_parameter_json(p) for p in r.headers]
    return doc


def _parameter_json(p: Parameter) -> dict[str, Any]:
    return {
        "name": p.name,
        "in": p.location,
        "required": p.required,
        "schema": p.schema,
        "example": p.example,
    }


def render(contracts: ContractSet, directory: Path | None = None) -> dict[str, bytes]:
    """Every file of a contracts directory, as bytes, overrides from ``directory`` applied."""
    with collector_paused():  # the heap holds the whole model, and nothing here is garbage
        return {
            rel: data if isinstance(data, bytes) else b"".join(data)
            for rel, data in sorted(_render(contracts, directory), key=lambda f: f[0])
        }


#: A file's content: its bytes, or its bytes in pieces (the index of a large collection).
Content = bytes | Iterable[bytes]


def _render(
    contracts: ContractSet,
    directory: Path | None,
    operations: Iterable[OperationContract] | None = None,
) -> Iterator[tuple[str, Content]]:
    """Each file as soon as it is made: an operation's files, one operation at a time, then
    the index. A writer that takes them as they come holds one operation's bytes, not all
    (and, given ``operations`` as they are built, one operation's contracts)."""
    # The index lists every operation: a quarter of a gigabyte of text for 50,000. Each
    # entry is encoded at its indentation in the index and spooled to a temporary file
    # (in memory while small), and the index is handed over in pieces from there.
    # Beside the contracts when writing them: the same file system, not the system's /tmp.
    parent = None if directory is None else directory.absolute().parent
    spool_dir = str(parent) if parent is not None and parent.is_dir() else None
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, dir=spool_dir) as spool:
        count = 0
        for op in contracts.operations if operations is None else operations:
            files: dict[str, bytes] = {}
            entry = _dumps(_operation_json(_overridden(op, directory), files), _ENTRY)
            spool.write(_FIRST if count == 0 else _NEXT)
            spool.write(entry)
            count += 1
            yield from files.items()
        env = contracts.envelope
        index = {
            "collection": contracts.name,
            "format": FORMAT,
            "options": contracts.options,
            "envelope": None
            if env is None
            else {
                "keys": list(env.keys),
                "code": env.code_key,
                "status": env.status_key,
                "message": env.message_key,
            },
            "operations": _Encoded(_OPERATIONS),
        }
        head, tail = dump_json(index).split(_OPERATIONS.encode("utf-8"))
        if count == 0:
            yield INDEX, head + b"[]" + tail
            return
        spool.seek(0)
        yield INDEX, [head + b"[", *iter(lambda: spool.read(_SPOOL_BYTES), b""), b"\n  ]" + tail]


_SPOOL_BYTES = 8 * 1024 * 1024
_ENTRY = "\n    "  # the line break and indentation of an item of a top-level list
_FIRST, _NEXT = _ENTRY.encode("ascii"), ("," + _ENTRY).encode("ascii")
_OPERATIONS = "\x00operations\x00"  # where the entries go: no encoded JSON holds a NUL


class _Encoded(str):
    """JSON text already encoded at its place in the document, written as it is."""


@contextlib.contextmanager
def file_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn an operating system error (no space, no permission, a path too long) into ours."""
    try:
        yield
    except OSError as err:
        detail = err.strerror or type(err).__name__
        raise ContractError(f"{path}: cannot {doing}: {detail}") from err


def write_contracts(
    contracts: ContractSet,
    directory: Path,
    *,
    operations: Iterable[OperationContract] | None = None,
) -> list[str]:
    """Write a contracts directory atomically, keeping its ``overrides/``.

    Each file is written as soon as it is rendered, so memory holds one operation's files
    at a time, whatever the size of the collection. ``operations``, if given, are written
    instead of ``contracts.operations``, consumed once as they come: with
    :func:`stream_contracts` no more than one operation's contracts exist at a time.
    Returns the relative paths written, sorted.
    """
    with file_errors(directory, "write the contracts"), collector_paused():
        files = _render(contracts, directory, operations)
        return replace_tree(directory, files, keep=(OVERRIDES,))


def _committed(directory: Path) -> Iterator[str]:
    """The relative paths of ``directory``'s files, but for its ``overrides/``."""
    if not directory.is_dir():
        return
    for p in directory.rglob("*"):
        rel = p.relative_to(directory)
        if rel.parts[0] != OVERRIDES and p.is_file():
            yield rel.as_posix()


def check_tree(
    contracts: ContractSet,
    directory: Path,
    *,
    context: int = 3,
    operations: Iterable[OperationContract] | None = None,
) -> list[str]:
    """What differs between fresh contracts and ``directory``: empty when up to date.

    Each file is compared with the committed one as soon as it is rendered, so memory holds
    one operation's files at a time, as :func:`write_contracts` does (and, given
    ``operations`` from :func:`stream_contracts`, one operation's contracts).
    """
    found: dict[str, str] = {}
    with file_errors(directory, "read the contracts"), collector_paused():
        recover(directory)
        generated: set[str] = set()
        for rel, data in _render(contracts, directory, operations):
            if not isinstance(data, (bytes, list)):
                data = list(data)  # read twice when it differs: once to compare, once to show
            generated.add(rel)
            path = directory / rel
            if not path.is_file():
                found[rel] = f"missing: {rel}"
            elif not _same_bytes(path, data):
                new = data if isinstance(data, bytes) else b"".join(data)
                found[rel] = _drift(rel, path.read_bytes(), new, context)
        for rel in _committed(directory):
            if rel not in generated:
                found[rel] = f"stale (no longer generated): {rel}"
    return [found[rel] for rel in sorted(found)]


def _same_bytes(path: Path, data: Content) -> bool:
    """Whether ``path`` holds ``data``, read piece by piece beside it (the index of a large
    collection is hundreds of megabytes: neither side is held whole)."""
    pieces = (data,) if isinstance(data, bytes) else data
    with path.open("rb") as f:
        return all(f.read(len(piece)) == piece for piece in pieces) and not f.read(1)


def _drift(rel: str, old: bytes, new: bytes, context: int) -> str:
    """A differing file's report: its first 60 lines of unified diff.

    Only the lines between the two texts' common head and tail (and ``context`` lines around
    them) go to difflib, whose hunks are then numbered as in the whole files: one changed line
    of a large collection's index (millions of lines) would otherwise keep difflib busy for
    minutes. At most ``_DIFF_LINES`` of that middle are compared, past which nothing is shown.
    """
    a = old.decode("utf-8", "replace").splitlines()
    b = new.decode("utf-8").splitlines()
    shorter = min(len(a), len(b))
    head = next((i for i in range(shorter) if a[i] != b[i]), shorter)
    tail = next((i for i in range(shorter - head) if a[-1 - i] != b[-1 - i]), shorter - head)
    start = max(0, head - context)
    keep = max(0, tail - context)
    diff = difflib.unified_diff(
        a[start : len(a) - keep][:_DIFF_LINES],
        b[start : len(b) - keep][:_DIFF_LINES],
        f"{rel} (committed)",
        f"{rel} (generated)",
        lineterm="",
        n=context,
    )
    lines = [_HUNK.sub(lambda m: _renumber(m, start), line) for line in itertools.islice(diff, 60)]
    return f"differs: {rel}\n" + "\n".join(lines)


_DIFF_LINES = 5_000
_HUNK = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@$")


def _renumber(match: re.Match[str], offset: int) -> str:
    old, old_len, new, new_len = match.groups()
    return f"@@ -{int(old) + offset}{old_len} +{int(new) + offset}{new_len} @@"
