"""Strategies for the container parts of a schema: objects, arrays, and any JSON value.

Why it exists: request bodies are objects of arrays of objects, and their strategies are
where generation speed and validity are won or lost. An object is
``st.fixed_dictionaries(required, optional=optional)`` with exactly the listed keys (the
documented APIs reject unknown fields), an array is ``st.lists`` or ``st.tuples`` for
``prefixItems``: the strategies a person would write, so nothing is filtered and no layer
is added per draw except where ``minProperties``/``maxProperties`` or
``extra_properties=True`` need a composite to count keys.

Every sub-schema is compiled through the :class:`Compiler` that calls in here, so
``$ref`` caching, examples and recursion bookkeeping stay in one place.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol

from hypothesis import strategies as st

from postman_contracts._errors import InvalidArgument
from postman_contracts.generators._scalars_st import integer_bounds
from postman_contracts.generators._schema_check import Unsatisfiable, pointer_join

__all__ = ["NO_EXAMPLE", "Compiler", "any_json", "array_strategy", "disjoint", "object_strategy"]

Schema = Mapping[str, Any] | bool
Strategy = st.SearchStrategy[Any]

_SCALAR_TYPES = frozenset({"null", "boolean", "integer", "number", "string"})


class _Missing(enum.Enum):
    NO_EXAMPLE = "NO_EXAMPLE"

    def __repr__(self) -> str:
        return self.value


#: The default of ``from_schema(example=...)``: no documented example.
NO_EXAMPLE: Final = _Missing.NO_EXAMPLE


class Compiler(Protocol):
    """What the container strategies need from the schema compiler."""

    extra_properties: bool

    def compile(self, schema: Schema, pointer: str, example: object = ...) -> Strategy:
        """The strategy for a sub-schema."""

    def valid(self, value: object, schema: Schema) -> bool:
        """Whether ``value`` is valid under the sub-schema ``schema``."""

    def any_json(self) -> Strategy:
        """Any JSON value."""

    def resolve(self, ref: str) -> Schema:
        """The target of a local ``$ref``."""

    def optional(self, really: bool = True) -> AbstractContextManager[None]:
        """Context in which compiled nodes are optional parts of a value."""

    @property
    def array_depth(self) -> int:
        """How many arrays enclose the node being compiled."""

    def inside_array(self) -> AbstractContextManager[None]:
        """Context in which compiled nodes are elements of an array."""


def any_json() -> Strategy:
    """Any JSON value: null, booleans, integers, finite floats, text, arrays and objects."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(),
    )
    return st.recursive(leaves, _json_containers, max_leaves=8)


def _json_containers(children: Strategy) -> Strategy:
    return st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)


def object_strategy(
    compiler: Compiler, schema: Mapping[str, Any], pointer: str, example: object
) -> Strategy:
    """Objects with every required property and any of the optional listed ones.

    Raises:
        InvalidArgument: a required property is forbidden, or the property counts
            cannot be met with the listed properties.
    """
    properties: Mapping[str, Schema] = schema.get("properties", {})
    extra: Schema = schema.get("additionalProperties", True)
    examples = example if isinstance(example, dict) else {}
    required: dict[str, Strategy] = {}
    for name in dict.fromkeys(schema.get("required", ())):
        where = pointer_join(pointer, "properties", name)
        sub = properties.get(name, extra)
        if name not in properties:
            where = pointer_join(pointer, "additionalProperties")
        if sub is False:
            raise Unsatisfiable(f"required property {name!r} is forbidden at {where}")
        required[name] = compiler.compile(sub, where, examples.get(name, NO_EXAMPLE))
    optional: dict[str, Strategy] = {}
    with compiler.optional():
        for name, sub in properties.items():
            if name not in required and sub is not False:
                where = pointer_join(pointer, "properties", name)
                optional[name] = compiler.compile(sub, where, examples.get(name, NO_EXAMPLE))
    extras = None
    if compiler.extra_properties and extra is not False:
        with compiler.optional():
            values = compiler.any_json() if extra is True else compiler.compile(extra, pointer)
        # Documented filter: random text rarely collides with a listed name.
        listed = frozenset(properties) | frozenset(required)
        extras = (st.text().filter(functools.partial(_unlisted, listed)), values)
    strategy = _sized_object(schema, pointer, required, optional, extras)
    present = [name for name in optional if name in examples]
    if present and extras is None and not ("minProperties" in schema or "maxProperties" in schema):
        # Shrink toward the example's set of keys too: first a branch where the keys the
        # example has are always drawn (their values shrink to the example's), then the
        # ordinary one where every optional key may be left out.
        near = {**required, **{name: optional[name] for name in present}}
        rest = {name: sub for name, sub in optional.items() if name not in near}
        strategy = st.one_of(st.fixed_dictionaries(near, optional=rest), strategy)
    return strategy


def _unlisted(listed: frozenset[str], name: str) -> bool:
    return name not in listed


def _sized_object(
    schema: Mapping[str, Any],
    pointer: str,
    required: dict[str, Strategy],
    optional: dict[str, Strategy],
    extras: tuple[st.SearchStrategy[str], Strategy] | None,
) -> Strategy:
    low = int(schema.get("minProperties", 0))
    high = None if "maxProperties" not in schema else int(schema["maxProperties"])
    if high is not None and low > high:
        raise Unsatisfiable(f"minProperties {low} > maxProperties {high} at {pointer}")
    if high is not None and high < len(required):
        raise Unsatisfiable(f"maxProperties {high} < {len(required)} required at {pointer}")
    if low > len(required) + len(optional) and extras is None:
        raise InvalidArgument(
            f"minProperties {low} needs more properties than the schema lists at {pointer}"
            " (extra_properties=True allows unlisted ones where additionalProperties does)"
        )
    if (
        extras is None
        and low <= len(required)
        and (high is None or high >= len(required) + len(optional))
    ):
        if not optional:
            return st.fixed_dictionaries(required)
        return st.fixed_dictionaries(required, optional=optional)
    return _open_object(st.fixed_dictionaries(required), optional, extras, low, high)


@st.composite
def _open_object(
    draw: st.DrawFn,
    required: st.SearchStrategy[dict[str, Any]],
    optional: dict[str, Strategy],
    extras: tuple[st.SearchStrategy[str], Strategy] | None,
    low: int,
    high: int | None,
) -> dict[str, Any]:
    """An object whose size is counted: used for min/maxProperties and extra keys."""
    value = draw(required)
    room = None if high is None else high - len(value)
    need = max(0, low - len(value))
    if optional:
        most = len(optional) if room is None else min(room, len(optional))
        least = min(need, most) if extras is not None else need
        names = st.lists(
            st.sampled_from(list(optional)), min_size=least, max_size=most, unique=True
        )
        for name in draw(names):
            value[name] = draw(optional[name])
    if extras is not None:
        room = None if high is None else high - len(value)
        keys, values = extras
        value.update(
            draw(st.dictionaries(keys, values, min_size=max(0, low - len(value)), max_size=room))
        )
    return value


DEFAULT_EXTRA_ITEMS = 8


#: About how many scalar values one unbounded array may hold at most, all its elements together.
LEAF_BUDGET = 384


def default_extra_items(items: Schema, compiler: Compiler) -> int:
    """How many elements past ``minItems`` an array without ``maxItems`` may hold: 8, halved
    per enclosing array, and fewer when each element is large (at least 1).

    Why: sizes multiply. A page of 8 apideck companies (``list-companies``), each with eight
    lists of 8 addresses, emails or links, is thousands of values; half of the draws overran
    Hypothesis's choice budget (the ``data_too_large`` health check, and seconds a body).
    Halving per level keeps nesting from multiplying, and :data:`LEAF_BUDGET` over the
    element's largest size keeps a wide element from being repeated 8 times.
    """
    extra = max(1, DEFAULT_EXTRA_ITEMS >> compiler.array_depth)
    return max(1, min(extra, LEAF_BUDGET // _leaves(items, compiler, compiler.array_depth + 1)))


def _leaves(schema: Schema, compiler: Compiler, depth: int, seen: int = 0) -> int:
    """An estimate of the most scalar values a value of ``schema`` holds, arrays at their
    default length at ``depth``; capped at :data:`LEAF_BUDGET` (and at 6 levels of ``$ref``)."""
    if seen > 6:
        return 1
    schema = _target(schema, compiler)
    if not isinstance(schema, Mapping):
        return 1
    parts = [*schema.get("anyOf", ()), *schema.get("oneOf", ()), *schema.get("allOf", ())]
    total = max((_leaves(p, compiler, depth, seen + 1) for p in parts), default=0)
    if "$ref" in schema:
        total = max(total, _leaves(compiler.resolve(schema["$ref"]), compiler, depth, seen + 1))
    for sub in (schema.get("properties") or {}).values():
        total += _leaves(sub, compiler, depth, seen + 1)
        if total >= LEAF_BUDGET:
            return LEAF_BUDGET
    if "items" in schema or "prefixItems" in schema:
        items = schema.get("items", True)
        each = _leaves(items, compiler, depth + 1, seen + 1) if items is not False else 0
        high = schema.get("maxItems")
        if high is None:
            high = int(schema.get("minItems", 0)) + max(1, DEFAULT_EXTRA_ITEMS >> depth)
        total += int(high) * each + len(schema.get("prefixItems", ()))
    return max(1, min(total, LEAF_BUDGET))


def array_strategy(
    compiler: Compiler, schema: Mapping[str, Any], pointer: str, example: object
) -> Strategy:
    """Arrays within ``minItems``/``maxItems``; ``prefixItems`` then ``items``.

    Raises:
        InvalidArgument: the length bounds cannot be met.
    """
    low = int(schema.get("minItems", 0))
    high = None if "maxItems" not in schema else int(schema["maxItems"])
    if high is not None and low > high:
        raise Unsatisfiable(f"minItems {low} > maxItems {high} at {pointer}")
    if high is None:
        # Unbounded arrays nested in large response schemas overflow Hypothesis's buffer
        # (the data_too_large health check) and cost seconds a value; documented examples show
        # short lists, so an array without maxItems holds at most minItems + 8 elements, fewer
        # inside other arrays (see default_extra_items).
        high = low + default_extra_items(schema.get("items", True), compiler)
    examples = example if isinstance(example, list) else []
    if schema.get("prefixItems"):
        return _prefixed(compiler, schema, pointer, (low, high), examples)
    items: Schema = schema.get("items", True)
    if items is False:
        if low > 0:
            raise Unsatisfiable(f"items is false, so minItems {low} cannot be met at {pointer}")
        return st.builds(list)
    item_example = next((value for value in examples if compiler.valid(value, items)), NO_EXAMPLE)
    with compiler.optional(low == 0), compiler.inside_array():
        element = compiler.compile(items, pointer_join(pointer, "items"), item_example)
    if not schema.get("uniqueItems", False):
        return st.lists(element, min_size=low, max_size=high)
    size = _finite_size(items, compiler)
    if size is not None and low > size:
        raise Unsatisfiable(
            f"minItems {low} unique items, but only {size} distinct values at {pointer}"
        )
    if _scalar_only(items, compiler):
        # Python equality is JSON equality or stricter (True == 1), so this stays valid.
        return st.lists(element, min_size=low, max_size=high, unique=True)
    return st.lists(element, min_size=low, max_size=high, unique_by=freeze)


def _prefixed(
    compiler: Compiler,
    schema: Mapping[str, Any],
    pointer: str,
    bounds: tuple[int, int | None],
    examples: list[Any],
) -> Strategy:
    low, high = bounds
    prefix: list[Schema] = schema["prefixItems"]
    items: Schema = schema.get("items", True)
    count = len(prefix) if high is None else min(len(prefix), high)
    count = next((i for i, sub in enumerate(prefix[:count]) if sub is False), count)
    heads = []
    for index in range(count):
        sub_example = examples[index] if index < len(examples) else NO_EXAMPLE
        with compiler.optional(index >= low), compiler.inside_array():
            where = pointer_join(pointer, "prefixItems", index)
            heads.append(compiler.compile(prefix[index], where, sub_example))
    rest_low = max(0, low - count)
    rest_high = None if high is None else high - count
    if count < len(prefix) or items is False or rest_high == 0:
        if rest_low:
            raise Unsatisfiable(f"minItems {low} cannot be met with prefixItems at {pointer}")
        strategy: Strategy = st.tuples(*heads).map(list)
    else:
        with compiler.optional(rest_low == 0), compiler.inside_array():
            element = compiler.compile(items, pointer_join(pointer, "items"))
        tail = st.lists(element, min_size=rest_low, max_size=rest_high)
        strategy = st.builds(_concat, st.tuples(*heads), tail)
    if schema.get("uniqueItems", False):
        # Documented filter: positions have different schemas, so equal items are rare.
        strategy = strategy.filter(_all_unique)
    return strategy


def _concat(head: tuple[Any, ...], tail: list[Any]) -> list[Any]:
    return [*head, *tail]


def freeze(value: object) -> object:
    """A hashable stand-in for a JSON value, equal for JSON-equal values (or stricter)."""
    if isinstance(value, dict):
        return frozenset((key, freeze(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    return value


def _all_unique(values: list[Any]) -> bool:
    frozen = [freeze(value) for value in values]
    return len(set(frozen)) == len(frozen)


def _target(schema: Schema, compiler: Compiler) -> Schema:
    for _ in range(8):  # a chain of plain $ref, bounded in case it loops
        if not (isinstance(schema, Mapping) and set(schema) == {"$ref"}):
            break
        schema = compiler.resolve(schema["$ref"])
    return schema


def _finite_size(schema: Schema, compiler: Compiler) -> int | None:
    schema = _target(schema, compiler)
    if not isinstance(schema, Mapping):
        return None if schema else 0
    if "const" in schema:
        return 1
    if "enum" in schema:
        return len(schema["enum"])
    declared = schema.get("type")
    if declared in ("null", ["null"]):
        return 1
    if declared in ("boolean", ["boolean"]):
        return 2
    if declared in ("object", ["object"]) and not schema.get("properties"):
        # Without listed properties only {} is generated (unless extra keys are allowed).
        return None if compiler.extra_properties else 1
    if declared in ("integer", ["integer"]) and "multipleOf" not in schema:
        low, high = integer_bounds(schema)
        if low is not None and high is not None:
            return max(0, high - low + 1)
    return None


def _scalar_only(schema: Schema, compiler: Compiler) -> bool:
    schema = _target(schema, compiler)
    if not isinstance(schema, Mapping):
        return False
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else schema["enum"]
        return not any(isinstance(value, (list, dict)) for value in values)
    declared = schema.get("type")
    names = [declared] if isinstance(declared, str) else declared or ["object"]
    return set(names) <= _SCALAR_TYPES and not _constraints_beyond_type(schema)


def _constraints_beyond_type(schema: Mapping[str, Any]) -> bool:
    # anyOf and friends could bring containers back in.
    return any(key in schema for key in ("anyOf", "oneOf", "allOf", "$ref"))


def _kinds(schema: Schema, compiler: Compiler) -> frozenset[str] | None:
    """The kinds of value a schema allows ("number" meaning non-integral), None if unknown."""
    schema = _target(schema, compiler)
    if not isinstance(schema, Mapping):
        return None if schema else frozenset()
    if "type" in schema:
        declared = schema["type"]
        names = {declared} if isinstance(declared, str) else set(declared)
        return frozenset(names | {"integer"} if "number" in names else names)
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else schema["enum"]
        return frozenset(map(_kind, values))
    return None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "integer" if float(value).is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def disjoint(branch: Schema, others: list[Schema], compiler: Compiler) -> bool:
    """Whether no value of ``branch`` can be valid under any of ``others`` (by kind)."""
    mine = _kinds(branch, compiler)
    if mine is None:
        return False
    for other in others:
        theirs = _kinds(other, compiler)
        if theirs is None or mine & theirs:
            return False
    return True
