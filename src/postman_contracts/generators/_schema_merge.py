"""Merge the members of an ``allOf`` (and a ``$ref`` with siblings) into one schema.

Why it exists: generating from each member and keeping the values that satisfy all of
them is filtering, and almost every draw would be rejected. Instead the members are
folded into one schema whose constraints are the conjunction: types intersect, bounds
tighten, ``required`` lists unite, object and array keywords combine with the
``properties``/``additionalProperties`` and ``prefixItems``/``items`` interplay the
specification gives them. Sub-schemas that both sides constrain become a nested
``allOf`` that the compiler merges when (and only when) it reaches it.

Where a conjunction has no single-schema form here (two different ``pattern`` or
``format`` values, two ``oneOf``, fractional ``multipleOf`` values) the merge raises
:class:`~postman_contracts.InvalidArgument` rather than generate values that fail.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from postman_contracts._errors import InvalidArgument
from postman_contracts.generators._schema_check import Unsatisfiable, is_annotation

__all__ = ["conjoin", "json_equal", "merge_all"]

Schema = Mapping[str, Any] | bool
Resolver = Callable[[str], Schema]

_MAX_REF_DEPTH = 32
_MAX_BRANCHES = 64
_LINKED = ("properties", "additionalProperties", "prefixItems", "items")
_NOT_CONSTRAINTS = frozenset({"$defs", "definitions"})


def json_equal(one: object, two: object) -> bool:
    """JSON equality: ``1 == 1.0`` but ``True != 1``, lists and objects compared deeply."""
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(json_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(json_equal(one[k], two[k]) for k in one)
    if (
        isinstance(one, (list, dict, str))
        or isinstance(two, (list, dict, str))
        or None in (one, two)
    ):
        return type(one) is type(two) and one == two
    return bool(one == two)  # numbers: 1 == 1.0


def conjoin(one: Schema, two: Schema) -> Schema:
    """A schema for "valid under both", without merging yet (``allOf`` when needed)."""
    if one is True or one == two:
        return two
    if two is True:
        return one
    if one is False or two is False:
        return False
    return {"allOf": [one, two]}


def merge_all(members: list[Schema], resolve: Resolver, pointer: str) -> Schema:
    """Fold ``members`` (schemas under ``allOf``) into one schema without ``allOf``/``$ref``.

    Args:
        members: the schemas that must all hold.
        resolve: turns a ``$ref`` value into its target schema.
        pointer: where the ``allOf`` is, for error messages.

    Raises:
        InvalidArgument: the conjunction cannot be expressed (see the module docstring),
            or is unsatisfiable (:class:`Unsatisfiable`).
    """
    flat: list[Mapping[str, Any]] = []
    for member in members:
        _flatten(member, resolve, pointer, flat, 0)
    merged: dict[str, Any] = {}
    for member in flat:
        merged = _merge_pair(merged, member, pointer)
    return merged


def _flatten(
    member: Schema, resolve: Resolver, pointer: str, out: list[Mapping[str, Any]], depth: int
) -> None:
    if depth > _MAX_REF_DEPTH:
        raise InvalidArgument(f"allOf over a recursive $ref is unsupported at {pointer}")
    if member is True:
        return
    if member is False:
        raise Unsatisfiable(f"allOf holds the schema false, so no value is valid at {pointer}")
    assert isinstance(member, Mapping)
    if "$ref" in member:
        _flatten(resolve(member["$ref"]), resolve, pointer, out, depth + 1)
    for sub in member.get("allOf", ()):
        _flatten(sub, resolve, pointer, out, depth + 1)
    rest = {
        key: value
        for key, value in member.items()
        if key not in ("$ref", "allOf") and key not in _NOT_CONSTRAINTS and not is_annotation(key)
    }
    if rest:
        out.append(rest)


def _merge_pair(one: Mapping[str, Any], two: Mapping[str, Any], pointer: str) -> dict[str, Any]:
    merged = {key: value for key, value in one.items() if key not in _LINKED}
    for key, value in two.items():
        if key in _LINKED:
            continue
        merged[key] = (
            value if key not in merged else _merge_keyword(key, merged[key], value, pointer)
        )
    _merge_objects(one, two, merged)
    _merge_arrays(one, two, merged)
    return merged


def _merge_objects(one: Mapping[str, Any], two: Mapping[str, Any], out: dict[str, Any]) -> None:
    # A name listed on one side only is still governed by the other's additionalProperties.
    props_one, props_two = one.get("properties", {}), two.get("properties", {})
    extra_one = one.get("additionalProperties", True)
    extra_two = two.get("additionalProperties", True)
    names = dict.fromkeys([*props_one, *props_two])
    if names:
        out["properties"] = {
            name: conjoin(props_one.get(name, extra_one), props_two.get(name, extra_two))
            for name in names
        }
    extra = conjoin(extra_one, extra_two)
    if extra is not True:
        out["additionalProperties"] = extra


def _merge_arrays(one: Mapping[str, Any], two: Mapping[str, Any], out: dict[str, Any]) -> None:
    prefix_one, prefix_two = one.get("prefixItems", []), two.get("prefixItems", [])
    items_one, items_two = one.get("items", True), two.get("items", True)
    if prefix_one or prefix_two:
        out["prefixItems"] = [
            conjoin(
                prefix_one[i] if i < len(prefix_one) else items_one,
                prefix_two[i] if i < len(prefix_two) else items_two,
            )
            for i in range(max(len(prefix_one), len(prefix_two)))
        ]
    items = conjoin(items_one, items_two)
    if items is not True:
        out["items"] = items


def _merge_keyword(key: str, one: Any, two: Any, pointer: str) -> Any:
    if key in ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"):
        return max(one, two)
    if key in ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"):
        return min(one, two)
    if key == "uniqueItems":
        return one or two
    if key == "required":
        return list(dict.fromkeys([*one, *two]))
    merge = _MERGERS.get(key)
    if merge is None:
        raise InvalidArgument(f"allOf with two {key!r} keywords is unsupported at {pointer}")
    return merge(one, two, pointer)


def _merge_type(one: Any, two: Any, pointer: str) -> list[str]:
    ones = set(one if isinstance(one, list) else [one])
    twos = set(two if isinstance(two, list) else [two])
    both = ones & twos
    for side, other in ((ones, twos), (twos, ones)):
        if "integer" in side and "number" in other:
            both.add("integer")
    if not both:
        raise Unsatisfiable(f"allOf requires types {one!r} and {two!r} at once at {pointer}")
    return sorted(both)


def _merge_same(key: str) -> Callable[[Any, Any, str], Any]:
    def merge(one: Any, two: Any, pointer: str) -> Any:
        if one == two:
            return one
        raise InvalidArgument(
            f"allOf with two different {key!r} values is unsupported at {pointer}"
        )

    return merge


def _merge_multiple_of(one: Any, two: Any, pointer: str) -> Any:
    if one == two:
        return one
    if isinstance(one, int) and isinstance(two, int):
        return math.lcm(one, two)
    raise InvalidArgument(f"allOf with two fractional 'multipleOf' is unsupported at {pointer}")


def _merge_const(one: Any, two: Any, pointer: str) -> Any:
    if json_equal(one, two):
        return one
    raise Unsatisfiable(f"allOf requires two different 'const' values at {pointer}")


def _merge_enum(one: Any, two: Any, pointer: str) -> Any:
    both = [value for value in one if any(json_equal(value, other) for other in two)]
    if not both:
        raise Unsatisfiable(f"allOf 'enum' lists have no value in common at {pointer}")
    return both


def _merge_any_of(one: Any, two: Any, pointer: str) -> Any:
    if len(one) * len(two) > _MAX_BRANCHES:
        raise InvalidArgument(f"allOf of two large 'anyOf' is unsupported at {pointer}")
    return [conjoin(first, second) for first in one for second in two]


_MERGERS: dict[str, Callable[[Any, Any, str], Any]] = {
    "type": _merge_type,
    "pattern": _merge_same("pattern"),
    "format": _merge_same("format"),
    "oneOf": _merge_same("oneOf"),
    "multipleOf": _merge_multiple_of,
    "const": _merge_const,
    "enum": _merge_enum,
    "anyOf": _merge_any_of,
}
