"""Values for the coverage phase: wrong types, values outside enums and bounds, and the
body walks that place them (``_coverage.py`` says why the phase exists).

Why it exists apart: these are plain functions of a schema and a value, with no operation
in sight; keeping them here keeps the case-building module about which rules to cover.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator

from postman_contracts.contracts import FORMAT_CHECKER, read_as_schema
from postman_contracts.generators._mutations import _WRONG_TEXT

__all__ = [
    "DELETE",
    "bounds",
    "changed",
    "complete",
    "json_type",
    "json_types",
    "minimal",
    "outside_enum",
    "valid_under",
    "walk",
    "wrong_value",
]

#: How deep the body is walked: deeper fields are left to random fuzzing.
_MAX_DEPTH = 8
#: A value of another JSON type that no lenient reader takes for the documented one.
_UNREADABLE: dict[str, Any] = {
    "string": {"unexpected": "object"},
    "integer": "not-a-number",
    "number": "not-a-number",
    "boolean": "not-a-boolean",
    "object": "not-an-object",
    "array": "not-an-array",
}
_JSON_TYPE = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array"}
#: The change that removes a member.
DELETE = object()


def json_type(value: Any) -> str:
    """The JSON type of a Python value (``dict`` is an object)."""
    return _JSON_TYPE.get(type(value), "object")


def valid_under(schema: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` is valid under ``schema`` (formats checked)."""
    return bool(Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid(value))


def json_types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


def wrong_value(types: list[str], *, text: bool) -> Any:
    """A value of no type in ``types`` that no lenient reader takes for one: text for a form
    field or a query parameter (any text is a string there), else a value of another JSON
    type; ``None`` where no type is asserted."""
    named = [t for t in types if t != "null"]
    if not named:
        return None
    if text:
        if "string" in named:
            return None
        return next((w for t, w in _WRONG_TEXT.items() if t in named), None)
    taken = set(named) | ({"number"} if "integer" in named else set())
    for kind in (named[0], *_UNREADABLE):
        wrong = _UNREADABLE.get(kind)
        got = json_type(wrong)
        if wrong is not None and got not in taken and not (got == "integer" and "number" in taken):
            return copy.deepcopy(wrong)
    return None


def outside_enum(schema: Mapping[str, Any]) -> Any:
    """A value of the enum's type outside it, or ``None`` (no enum, or one of booleans)."""
    enum = schema.get("enum")
    if not isinstance(enum, list) or not enum:
        return None
    if all(isinstance(v, str) for v in enum):
        return next(c for c in ("NOT_DOCUMENTED", "NOT_DOCUMENTED_2", "") if c not in enum)
    numbers = [v for v in enum if isinstance(v, int | float) and not isinstance(v, bool)]
    return max(numbers) + 1 if numbers and len(numbers) == len(enum) else None


def bounds(
    schema: Mapping[str, Any], value: Any, name: str, *, form: bool
) -> Iterator[tuple[str, str, Any]]:
    """``(kind, label, value)`` just outside each bound ``schema`` states (``bounds``) and at
    it (``valid``): numbers, lengths, and (not in a form, where an empty field is an absent
    one) array sizes. Each is checked against the schema by the caller."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        whole = "integer" in json_types(schema) or isinstance(value, int)
        step = 1 if whole else 0.5
        for key, outside, at in (
            ("minimum", -step, 0),
            ("maximum", step, 0),
            ("exclusiveMinimum", 0, step),
            ("exclusiveMaximum", 0, -step),
        ):
            bound = schema.get(key)
            if isinstance(bound, int | float) and not isinstance(bound, bool):
                if not math.isfinite(bound):
                    continue
                yield "bounds", f"{name} past its {key} {bound}", _number(bound + outside)
                yield "valid", f"valid: {name} at its {key} {bound}", _number(bound + at)
    elif isinstance(value, str):
        for key, outside in (("minLength", -1), ("maxLength", 1)):
            bound = schema.get(key)
            if type(bound) is int and 0 <= bound <= 10_000:
                if bound + outside >= 0:
                    yield "bounds", f"{name} past its {key} {bound}", _sized(value, bound + outside)
                yield "valid", f"valid: {name} at its {key} {bound}", _sized(value, bound)
    elif isinstance(value, list) and value and not form:
        for key, outside in (("minItems", -1), ("maxItems", 1)):
            bound = schema.get(key)
            if type(bound) is int and 0 <= bound <= 1_000:
                if bound + outside >= 0:
                    yield "bounds", f"{name} past its {key} {bound}", _items(value, bound + outside)
                yield "valid", f"valid: {name} at its {key} {bound}", _items(value, bound)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _sized(text: str, n: int) -> str:
    """``text`` repeated or cut to ``n`` characters (``a``s for an empty one)."""
    seed = text or "a"
    return (seed * (n // len(seed) + 1))[:n]


def _items(items: list[Any], n: int) -> list[Any]:
    """``n`` elements: ``items`` cut, or repeated in turn."""
    return [copy.deepcopy(items[i % len(items)]) for i in range(n)]


def walk(
    schema: dict[str, Any], body: Any
) -> Iterator[tuple[dict[str, Any], Any, tuple[Any, ...], bool]]:
    """``(subschema, value, parts, required)`` for each member of ``body`` the schema
    describes, depth first, keys sorted, the first element of an array standing for all."""
    stack: list[tuple[dict[str, Any], Any, tuple[Any, ...], int]] = [(schema, body, (), 0)]
    while stack:
        node, value, parts, depth = stack.pop(0)
        if depth > _MAX_DEPTH:
            continue
        children: list[tuple[dict[str, Any], Any, tuple[Any, ...], int]] = []
        if isinstance(value, dict) and isinstance(node.get("properties"), dict):
            props, required = node["properties"], set(node.get("required") or ())
            for key in sorted(value):
                sub = props.get(key)
                if isinstance(sub, dict):
                    yield sub, value[key], (*parts, key), key in required
                    children.append((sub, value[key], (*parts, key), depth + 1))
        elif isinstance(value, list) and value and isinstance(node.get("items"), dict):
            yield node["items"], value[0], (*parts, 0), False
            children.append((node["items"], value[0], (*parts, 0), depth + 1))
        stack[:0] = children


def changed(body: Any, parts: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``body`` with the member at ``parts`` set to ``new`` (or removed)."""
    out = copy.deepcopy(body)
    parent = out
    for key in parts[:-1]:
        parent = parent[key]
    if new is DELETE:
        del parent[parts[-1]]
    else:
        parent[parts[-1]] = copy.deepcopy(new)
    return out


def minimal(schema: Mapping[str, Any], value: Any, depth: int) -> Any:
    """``value`` without the members ``schema`` does not require, at every depth; an object
    left with none keeps its members (an emptied object is another rule, ``empty_object``,
    which catalogs document as an error: Zoho's INVALID_DATA)."""
    if depth > _MAX_DEPTH:
        return value
    props = schema.get("properties")
    if isinstance(value, dict) and isinstance(props, dict):
        required = set(schema.get("required") or ())
        kept = [k for k in value if k in required or k not in props] or list(value)
        return {
            k: minimal(props[k], value[k], depth + 1)
            if isinstance(props.get(k), dict)
            else value[k]
            for k in kept
        }
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        return [minimal(items, v, depth + 1) for v in value]
    return value


def _shown_at(donors: list[Any], parts: tuple[Any, ...]) -> Iterator[Any]:
    """The values the ``donors`` show at ``parts``, any element standing for an index."""
    found = list(donors)
    for key in parts:
        step: list[Any] = []
        for v in found:
            if isinstance(key, int) and isinstance(v, list):
                step.extend(v)
            elif isinstance(key, str) and isinstance(v, dict) and key in v:
                step.append(v[key])
        found = step
    yield from found


def complete(
    schema: Mapping[str, Any],
    value: Any,
    donors: list[Any],
    *,
    form: bool,
    parts: tuple[Any, ...] = (),
    depth: int = 0,
) -> Any:
    """``value`` with each member ``schema`` documents and it lacks taken from the ``donors``
    (other documented requests): the first value one shows that is valid there; in a
    ``form``, read from its text as the member's type."""
    if depth > _MAX_DEPTH:
        return value
    props = schema.get("properties")
    if isinstance(value, dict) and isinstance(props, dict):
        out = dict(value)
        for key in sorted(props):
            sub = props[key]
            if key in out or not isinstance(sub, dict):
                continue
            for shown in _shown_at(donors, (*parts, key)):
                if form and isinstance(shown, str):
                    shown = read_as_schema(shown, sub)
                if valid_under(sub, shown):
                    out[key] = copy.deepcopy(shown)
                    break
        return {
            k: complete(props[k], v, donors, form=form, parts=(*parts, k), depth=depth + 1)
            if isinstance(props.get(k), dict)
            else v
            for k, v in out.items()
        }
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        return [
            complete(items, v, donors, form=form, parts=(*parts, i), depth=depth + 1)
            for i, v in enumerate(value)
        ]
    return value
