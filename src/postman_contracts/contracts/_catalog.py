"""The error catalog: which documented errors an operation has, where they sit, what causes them.

Why it exists: APIs document errors two ways, and a checker that knows only one of them is
wrong about the other. Zoho answers some errors with an HTTP error status and a top-level
envelope (``{"code": "INVALID_REQUEST_METHOD", "status": "error", ...}`` under 400) and others
per record inside ``data[]`` under 200. This module finds the envelope shape a collection's
errors share, classifies every example as success or error (and where the error sits), and
finds each error's **trigger** by diffing the error example's ``originalRequest`` against the
success example's: the one change that makes the documented request fail.

Policies (each general, from HTTP semantics and the shape of the examples, not from names):

- An *error record* is an object with a status-like member whose value says failure (``error``,
  ``failed``, ``fail``, ``false``...), or any JSON object body under a 4xx/5xx status.
  :func:`reports_failure` is that rule, and the only copy: the catalog, the server checks and
  the client fuzz all ask it.
- The *envelope* is the set of keys every error record has; its *code key* is the envelope key
  whose values are token-like strings (``INVALID_DATA``) with the most distinct values; a key
  with one value throughout is a code key only when its name says so (``code``, ``type``...):
  ``"message": "string"`` on every error is a placeholder, not a code.
- An error under 2xx is ``record`` placed when its error records are elements of a top-level
  array (``data[]``); otherwise ``top``.
- Trigger precedence: a changed method; then 401/407 (RFC 9110: no or bad credentials) as
  ``auth``; then body changes, most specific first: an unknown field added, an object emptied,
  a required key removed, a type changed, a value changed. No change at all means only server
  state explains the error: ``state``. ``{{placeholders}}`` match any value.
- A changed *value* is a trigger only with evidence that the value is what the error is
  about, since examples are often saved with different values by chance (an amount of
  ``"12.50"`` in the success, ``"80"`` in the error: it may be over a balance, not invalid).
  The evidence is either the error naming the field or the value (a word of the field's name,
  or the value itself, in any text of the error body: ``FILE_NOT_SUPPORTED`` names
  ``file_id``, ``Invalid URL 'http://...'`` names ``callback.url`` and its value), or the
  change crossing a boundary any validator draws: ``https`` to another scheme, text to the
  empty string, a recognisable format (date, email, uri, uuid...) to text without it, a
  numeric string to a non-numeric one, a non-negative number to a negative one, an integer
  to a fraction, short text to text over 255 characters. Without evidence the error is
  ``state`` (detail ``unexplained: value_changed``, with where and what changed): its
  replay waits for a ``pytest_contracts_arrange_state`` hook, as any state error's, and no
  generated request is expected to get it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from postman_contracts.collection import (
    Example,
    Operation,
    Placeholder,
    Request,
    escape_token,
    to_pointer,
    unescape_token,
)
from postman_contracts.contracts._fastjson import same_json
from postman_contracts.contracts._formats import detect_format

__all__ = [
    "Envelope",
    "ErrorEntry",
    "Trigger",
    "classify",
    "detect_envelope",
    "escape_token",
    "find_trigger",
    "generic_pointer",
    "reports_failure",
    "to_pointer",
]

_FAILURE_WORDS = frozenset({"error", "errors", "failed", "failure", "fail", "invalid", "rejected"})
_STATUS_KEYS = ("status", "result", "state", "outcome", "success")
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$")


@dataclass(frozen=True)
class Envelope:
    """The shape a collection's documented errors share.

    Attributes:
        keys: the keys every error record has, sorted.
        code_key: the key holding the error code (``code``), or ``None``.
        status_key: the key saying success or failure (``status``), or ``None``.
        message_key: the key holding a human message, or ``None``.
    """

    keys: tuple[str, ...]
    code_key: str | None
    status_key: str | None = None
    message_key: str | None = None


@dataclass(frozen=True)
class Trigger:
    """The request change that provokes a documented error.

    Attributes:
        kind: ``method``, ``auth``, ``unknown_field``, ``empty_object``, ``missing_required``,
            ``type_changed``, ``value_changed`` or ``state``.
        pointer: a JSON pointer into the request body (``/resource/0/file_id``), or ``""``.
        detail: what changed: ``method``, ``name``, ``from``/``to`` values...
    """

    kind: str
    pointer: str = ""
    detail: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def path(self) -> str:
        """The pointer as a readable path: ``resource[0].file_id``."""
        return pointer_to_path(self.pointer)

    def as_json(self) -> dict[str, Any]:
        """The trigger as written to ``index.json``."""
        doc: dict[str, Any] = {"kind": self.kind}
        if self.pointer:
            doc["pointer"] = self.pointer
            doc["path"] = self.path
        doc.update(self.detail)
        return doc


@dataclass(frozen=True)
class ErrorEntry:
    """One documented error of an operation."""

    example: str
    code: str | None
    status: int | None
    placement: str  # "top" or "record"
    record_path: str | None
    message: str | None
    trigger: Trigger
    details_schema: dict[str, Any] | None = field(default=None, hash=False)


def pointer_to_path(pointer: str) -> str:
    """``/resource/0/file_id`` → ``resource[0].file_id``."""
    out = ""
    for part in pointer.split("/")[1:]:
        part = unescape_token(part)
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def generic_pointer(pointer: str) -> str:
    """A pointer with array indexes as ``*``: the same place in every element."""
    return re.sub(r"/\d+(?=/|$)", "/*", pointer)


# --- records and envelope --------------------------------------------------------------------


def _status_member(record: dict[str, Any]) -> tuple[str, Any] | None:
    for key in _STATUS_KEYS:
        if key in record:
            return key, record[key]
    return None


def _says_failure(value: object) -> bool:
    if isinstance(value, bool):
        return value is False
    return isinstance(value, str) and value.strip().lower() in _FAILURE_WORDS


def reports_failure(record: object, envelope: Envelope | None = None) -> bool:
    """Whether a JSON object says, by its status-like member, that it is a failure.

    With the collection's envelope, the member is its ``status_key``, and an envelope without
    one means the collection's errors say nothing in the body (a ``"status": "failed"`` among a
    response's data is then data, not an error). Without an envelope (while the catalog is
    being found), it is the first of ``status``, ``result``, ``state``, ``outcome``,
    ``success`` the object has. It
    says failure when it is ``false`` or one of ``error(s)``, ``fail(ed)``, ``failure``,
    ``invalid``, ``rejected`` (any case). The HTTP status is the caller's to weigh.
    """
    if not isinstance(record, dict):
        return False
    if envelope is not None:
        key = envelope.status_key
        return key is not None and key in record and _says_failure(record[key])
    member = _status_member(record)
    return member is not None and _says_failure(member[1])


def _record_arrays(body: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for key, value in body.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            yield key, value


def error_records(example: Example) -> tuple[str | None, list[dict[str, Any]]]:
    """The error records of an example: ``(None, [body])`` for a top-level error, ``(key, recs)``
    for per-record errors inside ``body[key]``, ``(None, [])`` for a success."""
    body = example.json
    if not isinstance(body, dict):
        return None, []
    if (example.status or 0) >= 400 or reports_failure(body):
        return None, [body]
    for key, records in _record_arrays(body):
        failing = [r for r in records if reports_failure(r)]
        if failing:
            return key, failing
    return None, []


_CODE_NAMES = frozenset({"error", "type", "reason", "kind", "errortype", "error_type"})


def _code_like(key: str) -> bool:
    """Whether a key's name says it holds an error code (``code``, ``errorCode``, ``type``)."""
    name = key.lower()
    return "code" in name or name in _CODE_NAMES


def detect_envelope(operations: Iterable[Operation]) -> Envelope | None:
    """The envelope shared by every error record in the collection, or ``None``."""
    records = [r for op in operations for e in op.examples for r in error_records(e)[1]]
    if not records:
        return None
    shared = set(records[0])
    for record in records:  # one set narrowed, not one set per record (175,000 in a big one)
        shared.intersection_update(record.keys())
    keys = sorted(shared)
    best: tuple[int, int, str] | None = None
    for key in keys:
        values = [r[key] for r in records]
        if all(isinstance(v, str) and _TOKEN.match(v) for v in values):
            distinct = len(set(values))
            named = _code_like(key)
            if distinct < 2 and not named:
                continue  # one value under any name ("message": "string") is no evidence of codes
            rank = (distinct, named, key)
            best = rank if best is None or rank > best else best
    status_key = next((k for k in _STATUS_KEYS if k in keys), None)
    message_key = next(
        (k for k in ("message", "msg", "detail", "error_description") if k in keys), None
    )
    code_key = best[2] if best is not None and best[2] != status_key else None
    return Envelope(tuple(keys), code_key, status_key, message_key)


def classify(
    operation: Operation, envelope: Envelope | None
) -> tuple[list[Example], list[tuple[Example, str | None, dict[str, Any]]]]:
    """Split an operation's examples into successes and errors (with record path and record)."""
    successes: list[Example] = []
    errors: list[tuple[Example, str | None, dict[str, Any]]] = []
    for example in operation.examples:
        key, records = error_records(example)
        if records:
            errors.append((example, key, records[0]))
        elif example.status is not None and example.status >= 400:
            errors.append((example, None, {}))
        else:
            successes.append(example)
    return successes, errors


# --- triggers --------------------------------------------------------------------------------


def _is_slot(value: object) -> bool:
    return isinstance(value, Placeholder)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


def _diff(good: Any, bad: Any, pointer: str, found: list[Trigger]) -> None:
    """Collect body differences between a succeeding and a failing request body."""
    stack = [(good, bad, pointer)]
    while stack:
        g, b, ptr = stack.pop()
        if _is_slot(g) or _is_slot(b):
            continue
        if isinstance(g, (dict, list)) and type(g) is type(b) and same_json(g, b):
            continue  # most of an error's request is the success's: compared in C, not here
        if isinstance(g, dict) and isinstance(b, dict):
            if g and not b:
                found.append(Trigger("empty_object", ptr))
                continue
            for key in sorted(set(b) - set(g)):
                found.append(Trigger("unknown_field", f"{ptr}/{escape_token(key)}", {"name": key}))
            for key in sorted(set(g) - set(b)):
                found.append(
                    Trigger("missing_required", f"{ptr}/{escape_token(key)}", {"name": key})
                )
            stack.extend((g[k], b[k], f"{ptr}/{escape_token(k)}") for k in sorted(set(g) & set(b)))
        elif isinstance(g, list) and isinstance(b, list):
            if len(g) == len(b):
                stack.extend(
                    (x, y, f"{ptr}/{i}") for i, (x, y) in enumerate(zip(g, b, strict=True))
                )
        elif _type_name(g) != _type_name(b) and not (
            isinstance(g, (int, float))
            and isinstance(b, (int, float))
            and not isinstance(g, bool)
            and not isinstance(b, bool)
        ):
            found.append(Trigger("type_changed", ptr, {"from": _type_name(g), "to": _type_name(b)}))
        elif g != b:
            found.append(Trigger("value_changed", ptr, {"from": g, "to": b}))


_BODY_PRECEDENCE = (
    "unknown_field",
    "empty_object",
    "missing_required",
    "type_changed",
    "value_changed",
)


def _body_json(request: Request | None) -> Any:
    if request is None or request.body is None or not request.body.is_json:
        return None
    return request.body.json


# Words too common in error texts and field names to tie one to the other.
_COMMON_WORDS = frozenset(
    {
        "and", "are", "data", "error", "errors", "field", "fields", "for", "from", "has",
        "into", "invalid", "item", "items", "not", "request", "the", "this", "value",
        "values", "was", "with",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z0-9]+")
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_MAX_TEXTS = 200
_LONG_TEXT = 255


def _error_texts(error: Example) -> list[str]:
    """The strings of an error example's body (bounded), or its raw text when not JSON."""
    body = error.json
    if body is None:
        return [error.body] if isinstance(error.body, str) else []
    texts: list[str] = []
    stack = [body]
    while stack and len(texts) < _MAX_TEXTS:
        value = stack.pop()
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            texts.append(str(value))
    return texts


def _names_field_or_value(trigger: Trigger, texts: list[str]) -> bool:
    """Whether the error's texts name the changed field (a word of its name) or the value."""
    words = {w.lower() for text in texts for w in _WORD.findall(text)}
    name = unescape_token(
        next((p for p in reversed(trigger.pointer.split("/")[1:]) if not p.isdigit()), "")
    )
    parts = {w.lower() for w in _NAME_WORD.findall(name)}
    parts = {w for w in parts if len(w) >= 3 and w not in _COMMON_WORDS}
    if parts & words or (len(name) >= 3 and re.sub(r"[^a-z0-9]", "", name.lower()) in words):
        return True
    to = trigger.detail.get("to")
    value = to if isinstance(to, str) else json.dumps(to)
    return bool(value) and (
        value.lower() in words or (len(value) >= 4 and any(value in text for text in texts))
    )


def _numeric_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return bool(value.strip())


def _crosses_boundary(good: Any, bad: Any) -> bool:
    """Whether ``good`` → ``bad`` crosses a line any validator draws (see the module doc)."""
    if isinstance(good, str) and isinstance(bad, str):
        if good.strip() and not bad.strip():
            return True
        if good.lower().startswith("https://") and not bad.lower().startswith("https://"):
            return True
        fmt = detect_format(good)
        if fmt is not None and detect_format(bad) != fmt:
            return True
        if _numeric_text(good) and not _numeric_text(bad):
            return True
        return len(good) <= _LONG_TEXT < len(bad)
    numbers = (int, float)
    if isinstance(good, numbers) and isinstance(bad, numbers):
        if isinstance(good, bool) or isinstance(bad, bool):
            return False
        if good >= 0 > bad:
            return True
        return float(good).is_integer() and not float(bad).is_integer()
    return False


def _evidenced(trigger: Trigger, texts: list[str]) -> bool:
    if trigger.kind != "value_changed":
        return True
    good, bad = trigger.detail.get("from"), trigger.detail.get("to")
    return _crosses_boundary(good, bad) or _names_field_or_value(trigger, texts)


def find_trigger(error: Example, baseline: Request | None) -> Trigger:
    """The change from ``baseline`` (the success example's request) that explains ``error``."""
    failing = error.original_request
    if failing is not None and baseline is not None and failing.method != baseline.method:
        return Trigger("method", detail={"method": failing.method})
    if error.status in (401, 407):
        return Trigger("auth")
    found: list[Trigger] = []
    good, bad = _body_json(baseline), _body_json(failing)
    if good is not None and bad is not None:
        _diff(good, bad, "", found)
    texts: list[str] | None = None
    unexplained: Trigger | None = None
    for kind in _BODY_PRECEDENCE:
        for trigger in sorted((t for t in found if t.kind == kind), key=lambda t: t.pointer):
            if kind == "value_changed":
                texts = _error_texts(error) if texts is None else texts
                if not _evidenced(trigger, texts):
                    unexplained = unexplained or trigger
                    continue
            return trigger
    if unexplained is not None:
        return Trigger(
            "state",
            detail={
                "unexplained": "value_changed",
                "at": unexplained.pointer,
                **unexplained.detail,
            },
        )
    return Trigger("state")
