"""Compile a JSON Schema (a draft 2020-12 subset) into a Hypothesis strategy, by construction.

Why it exists: request bodies documented by a collection must be generated valid, fast,
and shrinking toward the documented example. Generating loosely and filtering with a
validator makes Hypothesis reject most draws (health checks fire, examples per second
collapse), so every keyword is compiled into the strategy a person would write by hand:
``st.fixed_dictionaries(required, optional=...)`` for objects, ``st.lists`` and
``st.tuples`` for arrays, ``st.text``/``st.from_regex``/``st.integers``/``st.floats`` for
scalars, ``st.sampled_from`` for ``enum``, ``st.one_of`` for ``anyOf`` and
``st.deferred`` for recursive ``$ref``. hypothesis-jsonschema does the same for drafts
04 to 07 only (no ``prefixItems``, no ``$defs``) and does not work with current
Hypothesis, hence this module.

The few filters left are narrow and documented where they are made: ``oneOf``
exclusivity (only when branches may overlap by type), length bounds that cut into a
``pattern`` or ``format``, a ``pattern`` beside a ``format``, ``uniqueItems`` across
``prefixItems``, float ``multipleOf``, and extra key names colliding with listed ones.

``$ref`` resolves local pointers (``#``, ``#/$defs/...``, ``#/definitions/...``) against
the root document; ``$id`` is an annotation here and does not change the base. When no
``type`` is given, the type-specific keywords present pick the types generated (a schema
with ``properties`` only generates objects); with none, any JSON value is generated.

Objects never get keys the schema does not list (the APIs these schemas describe reject
unknown fields) unless ``extra_properties=True``. Unsupported keywords and impossible
schemas raise :class:`~postman_contracts.InvalidArgument` when :func:`from_schema` is
called, never silently generate wrong values or nothing.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from postman_contracts._errors import InvalidArgument
from postman_contracts.generators import _collections_st as coll
from postman_contracts.generators._collections_st import NO_EXAMPLE
from postman_contracts.generators._scalars_st import (
    integer_strategy,
    number_strategy,
    string_strategy,
)
from postman_contracts.generators._schema_check import (
    Unsatisfiable,
    check_schema,
    is_annotation,
    pointer_join,
    resolve_ref,
)
from postman_contracts.generators._schema_merge import conjoin, merge_all

__all__ = ["NO_EXAMPLE", "from_schema"]

Schema = Mapping[str, Any] | bool
Strategy = st.SearchStrategy[Any]

_MAX_MERGE_DEPTH = 32
_REPR_LIMIT = 60
#: Keywords that imply a type when ``type`` is absent.
_TYPE_HINTS = (
    ("string", ("minLength", "maxLength", "pattern", "format")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
    (
        "object",
        ("properties", "required", "additionalProperties", "minProperties", "maxProperties"),
    ),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")),
)


def from_schema(
    schema: Mapping[str, Any] | bool,
    *,
    example: object = NO_EXAMPLE,
    extra_properties: bool = False,
) -> st.SearchStrategy[Any]:
    """Return a strategy of JSON values valid under ``schema``.

    The strategy is compiled once, here, from native strategies (no filtering beyond a
    few documented narrow cases), so Hypothesis health checks do not fire.

    Args:
        schema: a JSON Schema (draft 2020-12 subset: see the module docstring) as a
            mapping, or ``True``/``False``.
        example: a documented example value, valid under ``schema``. At every node
            where the example's part is valid under the node's schema, the strategy is
            ``st.one_of(st.just(part), generated)``, so the minimal value is the example
            and values shrink toward its parts. The example is drawn as documented,
            including any keys it has that the schema does not list.
        extra_properties: allow object keys that the schema does not list, where
            ``additionalProperties`` permits them. Off by default: documented APIs
            usually reject unknown fields.

    Returns:
        A strategy whose repr is ``from_schema(<schema, truncated>, ...)``.

    Raises:
        InvalidArgument: ``schema`` is not a mapping or boolean, ``extra_properties`` is
            not a boolean, the schema uses an unsupported keyword (the message names it
            and its JSON pointer) or cannot be satisfied, or ``example`` is not valid
            under it.
    """
    if not isinstance(schema, (Mapping, bool)):
        raise InvalidArgument(f"schema must be a mapping or a boolean, not {schema!r}")
    if not isinstance(extra_properties, bool):
        raise InvalidArgument(f"extra_properties must be a boolean, not {extra_properties!r}")
    check_schema(schema)
    compiler = _Compiler(schema, extra_properties=extra_properties)
    if example is not NO_EXAMPLE:
        compiler.check_example(example)
    strategy = compiler.compile_root(example)
    shown = example if example is NO_EXAMPLE else _Shown(example)
    return _from_schema(_Shown(schema, strategy), example=shown, extra_properties=extra_properties)


class _Shown:
    """An argument of the returned strategy: reprs truncated, carries the compiled strategy."""

    __slots__ = ("_text", "strategy")

    def __init__(self, value: object, strategy: Strategy | None = None) -> None:
        text = repr(value)
        self._text = text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 4] + " ..."
        self.strategy = strategy

    def __repr__(self) -> str:
        return self._text


def _draw_compiled(
    draw: st.DrawFn,
    schema: _Shown,
    *,
    example: object = NO_EXAMPLE,
    extra_properties: bool = False,
) -> Any:
    # The public way to give a strategy a repr that says how it was built: st.composite
    # shows the function's name and arguments. It costs one nested draw per example.
    assert schema.strategy is not None
    return draw(schema.strategy)


_draw_compiled.__name__ = _draw_compiled.__qualname__ = "from_schema"
_from_schema = st.composite(_draw_compiled)


def _just(value: object) -> Strategy:
    strategy = st.just(value)
    # Containers are copied so a test that mutates a drawn body cannot change the example.
    return strategy.map(copy.deepcopy) if isinstance(value, (list, dict)) else strategy


def _constraints(schema: Mapping[str, Any], *skip: str) -> bool:
    ignored = {*skip, "$defs", "definitions"}
    return any(key not in ignored and not is_annotation(key) for key in schema)


class _Compiler:
    """Compiles the nodes of one schema document; caches ``$ref`` targets by pointer."""

    def __init__(self, root: Schema, *, extra_properties: bool) -> None:
        self._root = root
        self.extra_properties = extra_properties
        self._validator = Draft202012Validator(
            root, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        self._refs: dict[str, Strategy] = {}
        self._active: dict[str, int] = {}  # $ref being compiled -> optional depth at entry
        self._pending: set[str] = set()
        self._optional_depth = 0
        self._merge_depth = 0
        self._array_depth = 0
        self._any: Strategy | None = None

    def check_example(self, example: object) -> None:
        error = best_match(self._validator.iter_errors(example))
        if error is not None:
            raise InvalidArgument(
                f"example is not valid under the schema: {error.message} (at {error.json_path})"
            )

    def compile_root(self, example: object) -> Strategy:
        strategy = self._ref("#", "#", example)  # as a $ref, so "#" recursion is cached
        while missing := sorted(self._pending - self._refs.keys()):
            for ref in missing:
                self._ref(ref, ref, NO_EXAMPLE)
        return strategy

    def valid(self, value: object, schema: Schema) -> bool:
        return bool(self._validator.evolve(schema=schema).is_valid(value))

    def any_json(self) -> Strategy:
        if self._any is None:
            self._any = coll.any_json()
        return self._any

    @contextmanager
    def optional(self, really: bool = True) -> Iterator[None]:
        """Mark the nodes compiled inside as ones a value can do without (for recursion)."""
        self._optional_depth += really
        try:
            yield
        finally:
            self._optional_depth -= really

    @property
    def array_depth(self) -> int:
        return self._array_depth

    @contextmanager
    def inside_array(self) -> Iterator[None]:
        """Mark the nodes compiled inside as array elements (nested arrays are shorter)."""
        self._array_depth += 1
        try:
            yield
        finally:
            self._array_depth -= 1

    def compile(self, schema: Schema, pointer: str, example: object = NO_EXAMPLE) -> Strategy:
        """The strategy for ``schema`` at ``pointer``, shrinking toward ``example`` if valid."""
        strategy = self._build(schema, pointer, example)
        if example is not NO_EXAMPLE and self.valid(example, schema):
            return st.one_of(_just(example), strategy)
        return strategy

    def _build(self, schema: Schema, pointer: str, example: object) -> Strategy:
        if schema is True:
            return self.any_json()
        if schema is False:
            raise Unsatisfiable(f"no value is valid under the schema false at {pointer}")
        if "$ref" in schema and not _constraints(schema, "$ref"):
            return self._ref(schema["$ref"], pointer, example)
        if "$ref" in schema or "allOf" in schema:
            return self._merged(schema, pointer, example)
        if "anyOf" in schema or "oneOf" in schema:
            return self._alternatives(schema, pointer, example)
        if "const" in schema or "enum" in schema:
            return self._enum(schema, pointer)
        return self._typed(schema, pointer, example)

    def resolve(self, ref: str) -> Schema:
        return resolve_ref(self._root, ref, ref)[0]

    def _ref(self, ref: str, pointer: str, example: object) -> Strategy:
        target, where = resolve_ref(self._root, ref, pointer)
        if example is NO_EXAMPLE and where in self._active:
            if self._active[where] == self._optional_depth:
                raise Unsatisfiable(
                    f"$ref {ref!r} at {pointer} recurses through required parts only, "
                    "so no finite value is valid"
                )
            self._pending.add(where)
            return st.deferred(lambda: self._refs[where])
        if example is NO_EXAMPLE and where in self._refs:
            return self._refs[where]
        # With an example the target is compiled afresh (the example is finite, so this
        # recursion ends); without one it is compiled once and cached.
        outer = self._active.get(where)
        self._active[where] = self._optional_depth
        try:
            strategy = self.compile(target, where, example)
        finally:
            if outer is None:
                del self._active[where]
            else:
                self._active[where] = outer
        if example is NO_EXAMPLE:
            self._refs[where] = strategy
        return strategy

    def _merged(self, schema: Mapping[str, Any], pointer: str, example: object) -> Strategy:
        if self._merge_depth >= _MAX_MERGE_DEPTH:
            raise InvalidArgument(f"allOf over a recursive $ref is unsupported at {pointer}")
        self._merge_depth += 1
        try:
            return self._build(merge_all([schema], self.resolve, pointer), pointer, example)
        finally:
            self._merge_depth -= 1

    def _alternatives(self, schema: Mapping[str, Any], pointer: str, example: object) -> Strategy:
        keyword = "anyOf" if "anyOf" in schema else "oneOf"
        base = {key: value for key, value in schema.items() if key != keyword}
        branches: list[Schema] = schema[keyword]
        strategies: list[Strategy] = []
        failures: list[Unsatisfiable] = []
        for index, branch in enumerate(branches):
            merged = conjoin(base, branch) if _constraints(base) else branch
            try:
                with self.optional(len(branches) > 1):
                    strategy = self.compile(merged, pointer_join(pointer, keyword, index), example)
            except Unsatisfiable as err:
                failures.append(err)
                continue
            others = branches[:index] + branches[index + 1 :]
            if keyword == "oneOf" and not coll.disjoint(branch, others, self):
                # Documented filter: a value of this branch must fail every other branch.
                strategy = strategy.filter(functools.partial(self._in_none, others))
            strategies.append(strategy)
        if not strategies:
            raise Unsatisfiable(f"no branch of {keyword} can be satisfied at {pointer}") from (
                failures[0]
            )
        return st.one_of(strategies)

    def _in_none(self, schemas: list[Schema], value: object) -> bool:
        return not any(self.valid(value, schema) for schema in schemas)

    def _enum(self, schema: Mapping[str, Any], pointer: str) -> Strategy:
        keyword = "const" if "const" in schema else "enum"
        values = [schema["const"]] if keyword == "const" else list(schema["enum"])
        if _constraints(schema, keyword):
            values = [value for value in values if self.valid(value, schema)]
            if not values:
                raise Unsatisfiable(f"no value of const/enum is valid at {pointer}")
        strategy = st.just(values[0]) if len(values) == 1 else st.sampled_from(values)
        if any(isinstance(value, (list, dict)) for value in values):
            strategy = strategy.map(copy.deepcopy)
        return strategy

    def _typed(self, schema: Mapping[str, Any], pointer: str, example: object) -> Strategy:
        declared = schema.get("type")
        if declared is None:
            types = [name for name, hints in _TYPE_HINTS if any(key in schema for key in hints)]
            if not types:
                return self.any_json()
        else:
            types = [declared] if isinstance(declared, str) else list(declared)
        builders: dict[str, Callable[[], Strategy]] = {
            "null": st.none,
            "boolean": st.booleans,
            "integer": functools.partial(integer_strategy, schema, pointer),
            "number": functools.partial(number_strategy, schema, pointer),
            "string": functools.partial(string_strategy, schema, pointer),
            "object": functools.partial(coll.object_strategy, self, schema, pointer, example),
            "array": functools.partial(coll.array_strategy, self, schema, pointer, example),
        }
        strategies: list[Strategy] = []
        failures: list[Unsatisfiable] = []
        for name in types:
            try:
                with self.optional(len(types) > 1):
                    strategies.append(builders[name]())
            except Unsatisfiable as err:
                failures.append(err)
        if not strategies:
            raise failures[0]
        return st.one_of(strategies)
