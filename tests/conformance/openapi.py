"""What the fault injector needs from an OpenAPI definition: operations, and where to break them.

Why it exists: a fault must break the *spec*, not merely change a response: a type changed
where the schema fixes a type, a property dropped that the schema requires, a value outside a
declared enum, null where null is not allowed, a status the operation does not document. This
module reads the definition (YAML or JSON, local ``$ref`` resolved, ``allOf`` merged) and picks,
per operation and fault kind, one deterministic target in the success response's JSON body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FAULTS = ("type", "required", "enum", "null", "status")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Statuses a fault may move a success to: 2xx, so a client would take them for success.
UNDOCUMENTED = (203, 299, 206, 208, 226)


def load_spec(path: Path) -> dict[str, Any]:
    """The definition as plain data."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


@dataclass(frozen=True)
class Operation:
    """One operation of the definition and its success response."""

    method: str  # upper case
    path: str  # the template, e.g. /tasks/{taskUid}
    statuses: tuple[str, ...]  # documented response keys: "200", "4XX", "default"
    success: int | None  # the lowest documented 2xx
    schema: dict[str, Any] | None  # its application/json schema, refs resolved lazily

    @property
    def name(self) -> str:
        """``GET /tasks/{taskUid}``, as schemathesis names operations."""
        return f"{self.method} {self.path}"

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (method, path without query) is for this operation."""
        return method.upper() == self.method and bool(path_regex(self.path).fullmatch(path))


def path_regex(template: str) -> re.Pattern[str]:
    """A path template as a regex: each ``{name}`` is one segment."""
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("[^/]+".join(re.escape(p) for p in parts))


def shape(template: str) -> str:
    """A template with its variable names erased: ``/a/{id}`` and ``/a/{x}`` are one shape."""
    return re.sub(r"\{[^}]+\}", "{}", template)


class Spec:
    """A definition with ``$ref`` resolution."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def load(cls, path: Path) -> Spec:
        return cls(load_spec(path))

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """``node`` with a top-level ``$ref`` followed (local refs only) and ``allOf`` merged."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 50:
            target: Any = self.data
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node, seen = target, seen + 1
        if isinstance(node, dict) and "allOf" in node and depth < 10:
            merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
            props: dict[str, Any] = dict(merged.get("properties", {}))
            required: list[str] = list(merged.get("required", []))
            for part in node["allOf"]:
                sub = self.resolve(part, depth + 1)
                if not isinstance(sub, dict):
                    continue
                props.update(sub.get("properties", {}))
                required += [r for r in sub.get("required", []) if r not in required]
                for key, value in sub.items():
                    if key not in {"properties", "required"}:
                        merged.setdefault(key, value)
            if props:
                merged["properties"] = props
            if required:
                merged["required"] = required
            node = merged
        return node

    def operations(self) -> list[Operation]:
        """Every operation, sorted by path then method."""
        out = []
        for path, item in sorted(self.data.get("paths", {}).items()):
            for method in METHODS:
                if method not in item:
                    continue
                responses = self.resolve(item[method].get("responses", {})) or {}
                codes = tuple(str(c) for c in responses)
                two = sorted(int(c) for c in codes if c.isdigit() and c.startswith("2"))
                success = two[0] if two else None
                schema = None
                if success is not None:
                    response = self.resolve(responses[str(success)]) or {}
                    media = (response.get("content") or {}).get("application/json") or {}
                    schema = media.get("schema")
                out.append(Operation(method.upper(), path, codes, success, schema))
        return out

    # -- choosing what to break -------------------------------------------------------------

    def properties(self, schema: Any) -> Iterator[tuple[tuple[str, ...], dict[str, Any], bool]]:
        """Every property under ``schema``, breadth first: (path, its schema, required all the way).

        A path is property names, with ``*`` for "each element" of an array. ``oneOf`` and
        ``anyOf`` are not entered: which branch a response takes is not known in advance.
        """
        queue: list[tuple[tuple[str, ...], Any, bool]] = [((), schema, True)]
        seen = 0
        while queue and seen < 2000:
            path, node, always = queue.pop(0)
            node = self.resolve(node)
            seen += 1
            if not isinstance(node, dict) or len(path) > 12:
                continue
            if _types(node) == {"array"} and "items" in node:
                queue.append(((*path, "*"), node["items"], False))
                continue
            required = set(node.get("required") or [])
            for name in sorted(node.get("properties") or {}):
                sub = self.resolve(node["properties"][name])
                if not isinstance(sub, dict):
                    continue
                here = (*path, name)
                yield here, sub, always and name in required
                queue.append((here, sub, always and name in required))

    def target(self, op: Operation, fault: str) -> tuple[str, ...] | None:
        """The property of ``op``'s success body that ``fault`` breaks, or ``None``.

        Properties present in every response (required at each level, not under an array)
        come first, then shallower ones, then by name: a fault on a property the response
        happens not to carry would change nothing.
        """
        if op.schema is None or fault == "status":
            return None
        candidates = [
            (not always, len(path), path)
            for path, sub, always in self.properties(op.schema)
            if _fits(fault, sub, always)
        ]
        return min(candidates)[2] if candidates else None

    def undocumented_status(self, op: Operation) -> int | None:
        """A 2xx status ``op`` does not document; ``None`` if ``default`` or ``2XX`` covers all."""
        if op.success is None or {"default", "2XX", "2xx"} & set(op.statuses):
            return None
        return next((s for s in UNDOCUMENTED if str(s) not in op.statuses), None)


def _types(schema: dict[str, Any]) -> set[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return {str(x) for x in t}
    return {str(t)} if t else set()


def nullable(schema: dict[str, Any]) -> bool:
    """Whether null is allowed (3.0 ``nullable``, 3.1 type lists, enums, null branches)."""
    if schema.get("nullable") or "null" in _types(schema):
        return True
    if None in (schema.get("enum") or []):
        return True
    branches = (schema.get("oneOf") or []) + (schema.get("anyOf") or [])
    return any(isinstance(b, dict) and ("null" in _types(b) or b.get("nullable")) for b in branches)


def _fits(fault: str, schema: dict[str, Any], always: bool) -> bool:
    types = _types(schema) - {"null"}
    if fault == "type":
        return bool(types) and "enum" not in schema and not schema.get("oneOf")
    if fault == "required":
        return always
    if fault == "enum":
        enum = schema.get("enum") or []
        return bool(enum) and all(isinstance(v, (str, int)) or v is None for v in enum)
    if fault == "null":
        return bool(types) and not nullable(schema)
    return False


def wrong_type(schema: dict[str, Any]) -> Any:
    """A value of a JSON type ``schema`` does not allow."""
    allowed = _types(schema)
    for value, kinds in (
        ("not the documented type", {"string"}),
        (12345, {"integer", "number"}),
        ([], {"array"}),
        (True, {"boolean"}),
        ({}, {"object"}),
    ):
        if not kinds & allowed:
            return value
    return None


def outside_enum(schema: dict[str, Any]) -> Any:
    """A value of the enum's type that the enum does not list."""
    enum = schema.get("enum") or []
    if any(isinstance(v, int) and not isinstance(v, bool) for v in enum):
        return max(v for v in enum if isinstance(v, int)) + 1000
    return "not-in-the-enum"
