"""Check a JSON Schema against the subset that :func:`from_schema` can generate from.

Why it exists: a generator that silently ignores a keyword produces values the schema
rejects (``not``, ``if``/``then``) or misses the values it allows, and the test that uses
it then lies. So before anything is compiled, every keyword at every location of the
schema is looked at once: annotations are skipped, supported keywords have their values
checked (type, range, a ``pattern`` that compiles, a ``$ref`` that resolves), and anything
else raises :class:`~postman_contracts.InvalidArgument` naming the keyword and the JSON
pointer to it, such as ``unsupported keyword 'not' at #/properties/a``.

jsonschema's own ``check_schema`` is not used: it costs several milliseconds for a
50-property schema, and it would still let unsupported keywords through.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from postman_contracts._errors import InvalidArgument
from postman_contracts.collection import escape_token, unescape_token

__all__ = [
    "ANNOTATIONS",
    "FORMATS",
    "JSON_TYPES",
    "Unsatisfiable",
    "check_schema",
    "is_annotation",
    "pointer_join",
    "resolve_ref",
]

#: Keywords that only describe; generation ignores them.
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "$vocabulary",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
    }
)

JSON_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})

#: The ``format`` values with a generator (see ``_formats_st``).
FORMATS = frozenset(
    {"date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6", "hostname"}
)


class Unsatisfiable(InvalidArgument):
    """A schema (or part of one) that no value satisfies: ``minLength`` > ``maxLength``..."""


def is_annotation(key: str) -> bool:
    """Whether ``key`` is a keyword that generation ignores."""
    return key in ANNOTATIONS or key.startswith("x-")


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Extend the JSON pointer ``pointer`` (``#`` or ``#/...``) by escaped ``parts``."""
    escaped = (escape_token(part) for part in parts)
    return "/".join((pointer, *escaped))


def resolve_ref(
    root: Mapping[str, Any] | bool, ref: str, at: str
) -> tuple[Mapping[str, Any] | bool, str]:
    """Resolve a local ``$ref`` against ``root``; return the target and its pointer.

    Only references into the same document are supported: ``#``, ``#/$defs/...``,
    ``#/definitions/...`` (and any other local JSON pointer).

    Raises:
        InvalidArgument: the reference is not local or points at nothing.
    """
    if ref != "#" and not ref.startswith("#/"):
        raise InvalidArgument(f"unsupported $ref {ref!r} at {at}: only local '#/...' references")
    node: object = root
    for raw in ref[2:].split("/") if ref != "#" else ():
        part = unescape_token(raw)
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise InvalidArgument(f"$ref {ref!r} at {at} does not resolve")
    if not isinstance(node, (Mapping, bool)):
        raise InvalidArgument(f"$ref {ref!r} at {at} does not point at a schema")
    return node, ref


def check_schema(root: Mapping[str, Any] | bool) -> None:
    """Raise :class:`InvalidArgument` unless every keyword of ``root`` is supported and sound.

    Raises:
        InvalidArgument: an unsupported keyword, a keyword with a bad value, or an
            unresolvable ``$ref``; the message names the keyword and its JSON pointer.
    """
    _Checker(root).schema(root, "#")


def _fail(pointer: str, what: str) -> InvalidArgument:
    return InvalidArgument(f"{what} at {pointer}")


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    """Walks one schema document; ``root`` is kept to resolve ``$ref``."""

    def __init__(self, root: Mapping[str, Any] | bool) -> None:
        self.root = root
        simple: dict[str, Callable[[object, str], None]] = {
            "type": self._type,
            "required": self._required,
            "pattern": self._pattern,
            "format": self._format,
            "uniqueItems": self._boolean,
            "multipleOf": self._multiple_of,
            "enum": self._enum,
            "const": _ignore,
            "$ref": self._ref,
        }
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            simple[key] = self._number
        for key in ("minLength", "maxLength", "minItems", "maxItems"):
            simple[key] = self._count
        for key in ("minProperties", "maxProperties"):
            simple[key] = self._count
        for key in ("properties", "$defs", "definitions"):
            simple[key] = self._schema_map
        for key in ("items", "additionalProperties"):
            simple[key] = self.schema
        for key in ("prefixItems", "anyOf", "oneOf", "allOf"):
            simple[key] = self._schema_list
        self._checks = simple

    def schema(self, node: object, pointer: str) -> None:
        if isinstance(node, bool):
            return
        if not isinstance(node, Mapping):
            raise _fail(pointer, f"a schema must be an object or a boolean, not {node!r}")
        for key, value in node.items():
            if not isinstance(key, str):
                raise _fail(pointer, f"schema keys must be strings, not {key!r}")
            if is_annotation(key):
                continue
            check = self._checks.get(key)
            if check is None:
                raise _fail(pointer, f"unsupported keyword {key!r}")
            check(value, pointer_join(pointer, key))

    def _schema_map(self, value: object, pointer: str) -> None:
        if not isinstance(value, Mapping):
            raise _fail(pointer, "expected an object of schemas")
        for name, sub in value.items():
            self.schema(sub, pointer_join(pointer, name))

    def _schema_list(self, value: object, pointer: str) -> None:
        if not isinstance(value, list) or not value:
            raise _fail(pointer, "expected a non-empty array of schemas")
        for index, sub in enumerate(value):
            self.schema(sub, pointer_join(pointer, index))

    def _type(self, value: object, pointer: str) -> None:
        names = value if isinstance(value, list) else [value]
        if not names or any(name not in JSON_TYPES for name in names):
            raise _fail(pointer, f"'type' must name JSON types, not {value!r}")
        if len(set(names)) != len(names):
            raise _fail(pointer, f"'type' lists a type twice: {value!r}")

    def _required(self, value: object, pointer: str) -> None:
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise _fail(pointer, "'required' must be an array of strings")

    def _pattern(self, value: object, pointer: str) -> None:
        if not isinstance(value, str):
            raise _fail(pointer, "'pattern' must be a string")
        try:
            re.compile(value)
        except re.error as err:
            raise _fail(pointer, f"'pattern' {value!r} is not a valid regex ({err})") from err

    def _format(self, value: object, pointer: str) -> None:
        if value not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            raise _fail(pointer, f"unknown format {value!r} (known: {known})")

    def _boolean(self, value: object, pointer: str) -> None:
        if not isinstance(value, bool):
            raise _fail(pointer, "expected true or false")

    def _number(self, value: object, pointer: str) -> None:
        if not _is_number(value) or not math.isfinite(value):
            raise _fail(pointer, f"expected a finite number, not {value!r}")

    def _multiple_of(self, value: object, pointer: str) -> None:
        if not _is_number(value) or not math.isfinite(value) or value <= 0:
            raise _fail(pointer, f"'multipleOf' must be greater than 0, not {value!r}")

    def _count(self, value: object, pointer: str) -> None:
        if not _is_number(value) or not float(value).is_integer() or value < 0:
            raise _fail(pointer, f"expected a non-negative integer, not {value!r}")

    def _enum(self, value: object, pointer: str) -> None:
        if not isinstance(value, list):
            raise _fail(pointer, "'enum' must be an array")
        if not value:
            raise Unsatisfiable(f"'enum' is empty, so no value is valid at {pointer}")

    def _ref(self, value: object, pointer: str) -> None:
        if not isinstance(value, str):
            raise _fail(pointer, "'$ref' must be a string")
        resolve_ref(self.root, value, pointer)


def _ignore(value: object, pointer: str) -> None:
    """``const`` takes any JSON value."""
