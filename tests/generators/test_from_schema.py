"""Tests for ``generators._from_schema``: JSON Schema compiled to Hypothesis strategies."""

from __future__ import annotations

import json
import re
import statistics
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from jsonschema import Draft202012Validator

from postman_contracts import InvalidArgument
from postman_contracts.generators._from_schema import NO_EXAMPLE, from_schema

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER
FORMATS = ["date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6", "hostname"]

ZOHO = {
    "type": "object",
    "properties": {
        "data": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {"type": "object", "properties": {"No_of_Employees": {"type": "integer"}}},
        },
        "over_write": {"type": "boolean"},
        "ids": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{18}$"}},
    },
    "required": ["data"],
}
ZOHO_EXAMPLE = {
    "data": [{"No_of_Employees": 42}],
    "over_write": True,
    "ids": ["111111000000012345"],
}


def validator(schema: Any) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


def assert_valid(schema: Any, value: Any) -> None:
    errors = list(validator(schema).iter_errors(value))
    assert not errors, f"{value!r} is invalid: {errors[0].message}"
    json.dumps(value)  # a JSON value, nothing Python-only


def draws(schema: Any, count: int = 60, **options: Any) -> list[Any]:
    """``count`` values drawn from ``from_schema(schema)``, each checked valid."""
    strategy = from_schema(schema, **options)
    seen: list[Any] = []

    @settings(max_examples=count, database=None, deadline=None, derandomize=True)
    @given(strategy)
    def collect(value: Any) -> None:
        assert_valid(schema, value)
        seen.append(value)

    collect()
    return seen


def minimal(schema: Any, condition: Any = lambda _: True, **options: Any) -> Any:
    return find(
        from_schema(schema, **options),
        condition,
        settings=settings(database=None, max_examples=2000, derandomize=True),
    )


# --- a strategy of schemas in the supported subset ---------------------------------------

NAMES = st.text(alphabet="abcde", min_size=1, max_size=3)
PATTERNS = [r"^[a-z]{2,5}$", r"[0-9]+", r"^\d{3}-\d{4}$", "ab?c", "^(foo|bar)$", r"\w+@\w+"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))


@st.composite
def string_schemas(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    kind = draw(st.sampled_from(["plain", "pattern", "format"]))
    if kind == "pattern":
        schema["pattern"] = draw(st.sampled_from(PATTERNS))
        if draw(st.booleans()):
            schema["maxLength"] = 40
    elif kind == "format":
        schema["format"] = draw(st.sampled_from(FORMATS))
    else:
        low = draw(st.integers(0, 5))
        schema["minLength"] = low
        if draw(st.booleans()):
            schema["maxLength"] = low + draw(st.integers(0, 5))
    return schema


@st.composite
def number_schemas(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["integer", "number"]))
    low = draw(st.integers(-100, 100))
    schema: dict[str, Any] = {"type": kind}
    if draw(st.booleans()):
        schema["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
    if draw(st.booleans()):
        schema["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = low + 20
    if draw(st.booleans()):
        choices = [2, 3, 5] if kind == "integer" else [2, 0.5, 0.25, 0.1]
        schema["multipleOf"] = draw(st.sampled_from(choices))
    return schema


def enum_schemas() -> st.SearchStrategy[dict[str, Any]]:
    values = st.lists(SCALARS, min_size=1, max_size=4, unique_by=lambda v: (type(v), v))
    return st.one_of(
        st.builds(lambda v: {"enum": v}, values), st.builds(lambda v: {"const": v}, SCALARS)
    )


LEAVES = st.one_of(
    string_schemas(),
    number_schemas(),
    enum_schemas(),
    st.sampled_from([{}, {"type": "boolean"}, {"type": "null"}, {"$ref": "#/$defs/shared"}]),
)


@st.composite
def object_schemas(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    properties = draw(st.dictionaries(NAMES, children, max_size=4))
    names = sorted(properties)
    required = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    extra = draw(st.sampled_from(["absent", "true", "false", "schema"]))
    if extra != "absent":
        schema["additionalProperties"] = {"true": True, "false": False}.get(extra) or draw(children)
    if draw(st.booleans()):
        schema["minProperties"] = draw(st.integers(0, len(names)))
        schema["maxProperties"] = max(schema["minProperties"], len(required)) + draw(
            st.integers(0, 2)
        )
    return schema


@st.composite
def array_schemas(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array"}
    if draw(st.booleans()):
        schema["prefixItems"] = draw(st.lists(children, min_size=1, max_size=3))
        schema["items"] = draw(st.one_of(st.just(False), children))
        top = len(schema["prefixItems"]) if schema["items"] is False else 5
        schema["minItems"] = draw(st.integers(0, top))
    else:
        schema["items"] = draw(children)
        schema["minItems"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            schema["uniqueItems"] = True
            schema["minItems"] = min(schema["minItems"], 1)
    if draw(st.booleans()):
        schema["maxItems"] = schema["minItems"] + draw(st.integers(0, 3))
    return schema


@st.composite
def one_of_schemas(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    # Branches of different types: oneOf is then exactly anyOf, and no branch can be empty.
    branches = [
        draw(string_schemas()),
        draw(number_schemas()),
        {"type": "array", "items": draw(children)},
    ]
    return {"oneOf": draw(st.permutations(branches))[: draw(st.integers(1, 3))]}


SPLIT_TOGETHER = [("properties", "additionalProperties"), ("prefixItems", "items")]


@st.composite
def all_of_schemas(draw: st.DrawFn, children: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A schema cut into an ``allOf`` of two parts: equivalent, so still satisfiable."""
    whole = draw(st.one_of(object_schemas(children), array_schemas(children), number_schemas()))
    groups = [[key for key in group if key in whole] for group in SPLIT_TOGETHER]
    groups += [[key] for key in whole if not any(key in group for group in SPLIT_TOGETHER)]
    first: dict[str, Any] = {}
    second: dict[str, Any] = {}
    for group in groups:
        target = first if draw(st.booleans()) else second
        target.update({key: whole[key] for key in group})
    return {"allOf": [first, second]}


def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        object_schemas(children),
        array_schemas(children),
        st.builds(lambda bs: {"anyOf": bs}, st.lists(children, min_size=1, max_size=3)),
        one_of_schemas(children),
        all_of_schemas(children),
        st.builds(
            lambda types: {"type": types},
            st.lists(
                st.sampled_from(["string", "null", "integer"]), min_size=1, max_size=3, unique=True
            ),
        ),
    )


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    body = draw(st.recursive(LEAVES, extend, max_leaves=12))
    shared = draw(st.recursive(LEAVES.filter(lambda s: "$ref" not in s), extend, max_leaves=4))
    return {**body, "$defs": {"shared": shared}}


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas(), data=st.data())
def test_every_generated_value_is_valid(schema: dict[str, Any], data: st.DataObject) -> None:
    strategy = from_schema(schema)
    for _ in range(3):
        assert_valid(schema, data.draw(strategy))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas(), data=st.data())
def test_a_generated_value_is_an_acceptable_example(
    schema: dict[str, Any], data: st.DataObject
) -> None:
    example = data.draw(from_schema(schema))
    strategy = from_schema(schema, example=example)
    assert_valid(schema, data.draw(strategy))


def test_no_health_check_fires_on_a_request_body() -> None:
    strategy = from_schema(ZOHO)
    check = validator(ZOHO)

    @settings(max_examples=300, database=None, deadline=None, suppress_health_check=())
    @given(strategy)
    def body(value: Any) -> None:
        assert check.is_valid(value)

    body()


# --- types and scalars ----------------------------------------------------------------------

PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}


@pytest.mark.parametrize("name", sorted(PYTHON_TYPES))
def test_type_gives_values_of_that_type(name: str) -> None:
    for value in draws({"type": name}, 40):
        assert isinstance(value, PYTHON_TYPES[name])
        assert (
            name == "integer"
            or name == "number"
            or not isinstance(value, bool)
            or name == "boolean"
        )


def test_type_list_reaches_every_listed_type() -> None:
    schema = {"type": ["string", "null"]}
    assert minimal(schema, lambda v: v is None) is None
    assert minimal(schema, lambda v: isinstance(v, str)) == ""
    assert all(v is None or isinstance(v, str) for v in draws(schema))


def test_empty_schema_and_true_give_any_json() -> None:
    for schema in ({}, True):
        draws(schema, 40)
        for kind in (dict, list, str, int, float, bool, type(None)):
            assert isinstance(minimal(schema, lambda v, kind=kind: type(v) is kind), kind)


def test_string_lengths_are_bounds_not_guesses() -> None:
    schema = {"type": "string", "minLength": 2, "maxLength": 4}
    assert all(2 <= len(v) <= 4 for v in draws(schema))
    assert minimal(schema) == "00"
    assert len(minimal(schema, lambda v: len(v) == 4)) == 4


def test_anchored_pattern_never_ends_with_a_newline() -> None:
    schema = {"type": "string", "pattern": "^[0-9]{18}$"}
    for value in draws(schema, 100):
        assert re.fullmatch("[0-9]{18}", value), repr(value)


def test_digit_class_is_ascii_like_ecma() -> None:
    for value in draws({"type": "string", "pattern": r"^\d+-\w+$"}, 100):
        assert re.fullmatch("[0-9]+-[A-Za-z0-9_]+", value), repr(value)


def test_unanchored_pattern_is_a_search() -> None:
    schema = {"type": "string", "pattern": "ab+c"}
    assert all(re.search("ab+c", v) for v in draws(schema))
    # Text around the match is allowed and generated.
    assert len(minimal(schema, lambda v: not v.startswith("a"))) > 3


def test_pattern_with_lengths_pads_an_unanchored_match() -> None:
    schema = {"type": "string", "pattern": "ab+c", "minLength": 10, "maxLength": 12}
    for value in draws(schema):
        assert 10 <= len(value) <= 12
        assert re.search("ab+c", value)


def test_pattern_with_lengths_on_an_anchored_pattern() -> None:
    schema = {"type": "string", "pattern": "^x+$", "minLength": 3, "maxLength": 5}
    assert {len(v) for v in draws(schema, 100)} <= {3, 4, 5}
    assert minimal(schema) == "xxx"


@pytest.mark.parametrize("name", FORMATS)
def test_format_values_pass_the_format_checker(name: str) -> None:
    schema = {"type": "string", "format": name}
    for value in draws(schema, 100):
        assert FORMAT_CHECKER.conforms(value, name), value


def test_date_time_is_rfc3339_with_a_fixed_offset() -> None:
    shape = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d"
    for value in draws({"type": "string", "format": "date-time"}):
        assert re.fullmatch(shape, value), value
    assert minimal({"type": "string", "format": "date-time"}) == "2000-01-01T00:00:00+00:00"


def test_uri_is_an_http_url() -> None:
    assert all(re.match("https?://", v) for v in draws({"type": "string", "format": "uri"}))


def test_format_with_lengths() -> None:
    schema = {"type": "string", "format": "hostname", "maxLength": 5}
    assert all(len(v) <= 5 for v in draws(schema))


def test_integer_bounds_and_exclusive_bounds() -> None:
    schema = {"type": "integer", "exclusiveMinimum": 3, "maximum": 7}
    assert set(draws(schema, 100)) <= {4, 5, 6, 7}
    assert minimal(schema) == 4
    assert minimal(schema, lambda v: v > 6) == 7


def test_integer_multiple_of() -> None:
    schema = {"type": "integer", "multipleOf": 7, "minimum": 1, "maximum": 50}
    assert all(v % 7 == 0 and 1 <= v <= 50 for v in draws(schema))
    assert minimal(schema) == 7


def test_number_bounds() -> None:
    schema = {"type": "number", "minimum": -1.5, "exclusiveMaximum": 2.5}
    values = draws(schema, 100)
    assert all(-1.5 <= v < 2.5 for v in values)
    assert any(isinstance(v, float) and not v.is_integer() for v in values)


def test_number_multiple_of_a_fraction() -> None:
    schema = {"type": "number", "multipleOf": 0.1, "minimum": 0, "maximum": 3}
    assert all(0 <= v <= 3 for v in draws(schema, 100))
    assert minimal(schema, lambda v: v > 1) == pytest.approx(1.1)


def test_integer_multiple_of_a_fraction() -> None:
    assert all(isinstance(v, int) for v in draws({"type": "integer", "multipleOf": 0.5}))


def test_const_and_enum() -> None:
    assert set(draws({"enum": ["a", 1, None]}, 40)) == {"a", 1, None}
    assert draws({"const": {"k": [1]}}, 5)[0] == {"k": [1]}
    # enum values that break the other keywords are never drawn.
    assert set(draws({"type": "string", "enum": ["a", 1, "bb"], "maxLength": 1}, 20)) == {"a"}


# --- objects --------------------------------------------------------------------------------


def test_required_always_present_optional_sometimes() -> None:
    values = draws(ZOHO, 100)
    assert all("data" in v for v in values)
    assert any("ids" in v for v in values)
    assert any("ids" not in v for v in values)
    assert minimal(ZOHO) == {"data": [{}]}


@pytest.mark.parametrize("extra", [None, True, {"type": "integer"}])
def test_unlisted_keys_are_never_invented(extra: Any) -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "integer"}}}
    if extra is not None:
        schema["additionalProperties"] = extra
    for value in draws(schema, 100):
        assert set(value) <= {"a"}


def test_extra_properties_follow_additional_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "null"}},
        "additionalProperties": {"type": "integer"},
    }
    value = minimal(schema, lambda v: len(v) >= 3, extra_properties=True)
    assert_valid(schema, value)
    assert all(isinstance(item, int) for key, item in value.items() if key != "a")
    closed = {**schema, "additionalProperties": False}
    assert all(set(v) <= {"a"} for v in draws(closed, extra_properties=True))


def test_required_but_unlisted_comes_from_additional_properties() -> None:
    schema = {"type": "object", "required": ["x"], "additionalProperties": {"type": "boolean"}}
    assert all(isinstance(v["x"], bool) and set(v) == {"x"} for v in draws(schema))


def test_min_and_max_properties() -> None:
    schema = {
        "type": "object",
        "properties": {name: {"type": "integer"} for name in "abcde"},
        "required": ["a"],
        "minProperties": 2,
        "maxProperties": 3,
    }
    sizes = {len(v) for v in draws(schema, 100)}
    assert sizes == {2, 3}


def test_max_properties_below_the_listed_count_without_extras() -> None:
    schema = {"type": "object", "properties": {"a": {}, "b": {}}, "maxProperties": 1}
    assert all(len(v) <= 1 for v in draws(schema))


# --- arrays ---------------------------------------------------------------------------------


def test_items_and_bounds() -> None:
    schema = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 3}
    assert all(2 <= len(v) <= 3 and all(isinstance(i, int) for i in v) for v in draws(schema))
    assert minimal(schema) == [0, 0]


def test_prefix_items_then_items() -> None:
    schema = {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "boolean"}],
        "items": {"type": "null"},
    }
    values = draws(schema, 100)
    assert all(isinstance(v[0], str) and isinstance(v[1], bool) for v in values)
    assert minimal(schema, lambda v: len(v) > 2) == ["", False, None]


def test_prefix_items_closed_and_short() -> None:
    schema = {
        "type": "array",
        "prefixItems": [{"const": 1}, {"const": 2}],
        "items": False,
        "maxItems": 1,
    }
    assert draws(schema, 10) == [[1]] * len(draws(schema, 10))


@pytest.mark.parametrize(
    "items",
    [
        {"type": "integer", "minimum": 0, "maximum": 5},
        {"type": "object", "properties": {"a": {"type": "boolean"}}},
    ],
)
def test_unique_items(items: dict[str, Any]) -> None:
    schema = {"type": "array", "items": items, "uniqueItems": True}
    for value in draws(schema, 100):
        frozen = [json.dumps(item, sort_keys=True) for item in value]
        assert len(set(frozen)) == len(frozen)
    assert len(minimal(schema, lambda v: len(v) >= 3)) == 3


def test_unique_items_across_prefix_items() -> None:
    schema = {
        "type": "array",
        "prefixItems": [{"type": "boolean"}, {"type": "boolean"}],
        "uniqueItems": True,
        "minItems": 2,
    }
    assert all(v[0] != v[1] for v in draws(schema))


# --- combinators and references -------------------------------------------------------------


def test_any_of_reaches_each_branch() -> None:
    schema = {"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]}
    assert minimal(schema, lambda v: isinstance(v, str)) == "0"
    assert minimal(schema) == 0


def test_any_of_beside_other_keywords_keeps_both() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    assert all(("a" in v or "b" in v) and set(v) <= {"a", "b"} for v in draws(schema, 100))


def test_one_of_with_overlapping_branches_is_exclusive() -> None:
    schema = {"oneOf": [{"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 3}]}
    for value in draws(schema, 100):
        assert (value % 2 == 0) != (value % 3 == 0)


def test_all_of_merges_objects_and_bounds() -> None:
    schema = {
        "allOf": [
            {
                "type": "object",
                "properties": {"a": {"type": "integer", "minimum": 0}},
                "required": ["a"],
            },
            {"properties": {"a": {"maximum": 3}, "b": {"type": "string"}}, "required": ["b"]},
            {"type": ["object", "null"]},
        ]
    }
    values = draws(schema, 100)
    assert all(0 <= v["a"] <= 3 and isinstance(v["b"], str) for v in values)
    assert minimal(schema) == {"a": 0, "b": ""}


def test_all_of_additional_properties_false_forbids_the_others_names() -> None:
    schema = {
        "allOf": [
            {"properties": {"a": {}}},
            {"properties": {"b": {}}, "additionalProperties": False},
        ]
    }
    assert all(set(v) <= {"b"} for v in draws(schema))


def test_defs_and_definitions_refs() -> None:
    schema = {
        "$defs": {"id": {"type": "string", "pattern": "^[0-9]{3}$"}},
        "definitions": {"flag": {"type": "boolean"}},
        "type": "object",
        "properties": {"id": {"$ref": "#/$defs/id"}, "flag": {"$ref": "#/definitions/flag"}},
        "required": ["id", "flag"],
    }
    assert all(
        re.fullmatch("[0-9]{3}", v["id"]) and isinstance(v["flag"], bool) for v in draws(schema)
    )


def test_ref_with_siblings_is_a_conjunction() -> None:
    schema = {"$defs": {"n": {"type": "integer", "minimum": 0}}, "$ref": "#/$defs/n", "maximum": 2}
    assert set(draws(schema, 60)) <= {0, 1, 2}


TREE = {
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "v": {"type": "integer"},
                "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "required": ["v"],
        }
    },
    "$ref": "#/$defs/node",
}


def depth(value: Any) -> int:
    return 1 + max((depth(kid) for kid in value.get("kids", [])), default=0)


def test_recursive_ref() -> None:
    assert any("kids" in v for v in draws(TREE, 50))
    deep = minimal(TREE, lambda v: depth(v) >= 3)
    assert deep == {"v": 0, "kids": [{"v": 0, "kids": [{"v": 0}]}]}


def test_recursive_root_ref_with_an_example() -> None:
    schema = {"type": "object", "properties": {"next": {"$ref": "#"}, "n": {"type": "integer"}}}
    example = {"n": 1, "next": {"n": 2}}
    assert minimal(schema, example=example) == example
    deeper = minimal(schema, lambda v: "next" in v.get("next", {}), example=example)
    # Below the top the example's part is what the recursion shrinks to.
    assert deeper["next"] == {"n": 2, "next": {}}


# --- errors ---------------------------------------------------------------------------------

UNSUPPORTED = [
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "contains",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$dynamicRef",
]


@pytest.mark.parametrize("keyword", UNSUPPORTED)
def test_unsupported_keywords_raise_with_keyword_and_pointer(keyword: str) -> None:
    schema = {"type": "object", "properties": {"a": {keyword: {}}}}
    with pytest.raises(
        InvalidArgument, match=re.escape(f"unsupported keyword '{keyword}' at #/properties/a")
    ):
        from_schema(schema)


def test_unsupported_keyword_pointer_reaches_into_arrays_and_defs() -> None:
    schema = {"$defs": {"x~/y": {"anyOf": [{}, {"not": {}}]}}}
    with pytest.raises(InvalidArgument, match=re.escape("'not' at #/$defs/x~0~1y/anyOf/1")):
        from_schema(schema)


def test_annotations_and_vendor_keys_are_ignored() -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/s",
        "$comment": "c",
        "title": "t",
        "description": "d",
        "examples": [{"not": 1}],
        "default": 3,
        "deprecated": False,
        "readOnly": False,
        "writeOnly": False,
        "x-zoho-anything": {"not": {}},
        "type": "integer",
        "contentMediaType": "text/plain",
        "contentEncoding": "base64",
    }
    assert all(isinstance(v, int) for v in draws(schema, 10))


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "string", "minLength": 5, "maxLength": 2}, "minLength 5 > maxLength 2 at #"),
        ({"enum": []}, "'enum' is empty"),
        ({"type": "integer", "minimum": 3, "maximum": 2}, "no integer lies within the bounds at #"),
        ({"type": "number", "exclusiveMinimum": 1, "maximum": 1}, "no number lies within"),
        ({"type": "integer", "multipleOf": 10, "minimum": 1, "maximum": 9}, "no multiple of 10"),
        ({"required": ["a"], "additionalProperties": False}, "required property 'a' is forbidden"),
        (
            {
                "properties": {
                    "a": {"type": "object", "required": ["b"], "properties": {"b": False}}
                }
            },
            "#/properties/a/properties/b",
        ),
        ({"type": "array", "minItems": 3, "maxItems": 1}, "minItems 3 > maxItems 1"),
        (
            {"type": "array", "items": {"enum": [1, 2]}, "uniqueItems": True, "minItems": 3},
            "only 2 distinct",
        ),
        ({"type": "string", "enum": [1, 2]}, "no value of const/enum is valid"),
        ({"allOf": [{"type": "string"}, {"type": "integer"}]}, "allOf requires types"),
        ({"anyOf": [{"type": "string", "maxLength": -0.0, "minLength": 1}, {"enum": []}]}, "empty"),
        (False, "schema false at #"),
        (
            {"type": "object", "properties": {"a": {"$ref": "#"}}, "required": ["a"]},
            "no finite value",
        ),
        ({"type": "string", "format": "uuid", "maxLength": 10}, "no 'uuid' value has a length"),
    ],
)
def test_impossible_schemas_raise(schema: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=re.escape(message)):
        from_schema(schema)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            {"type": "string", "format": "credit-card"},
            "unknown format 'credit-card' (known: date, date-time,",
        ),
        ({"type": "strin"}, "'type' must name JSON types"),
        ({"minLength": -1}, "non-negative integer"),
        ({"pattern": "("}, "not a valid regex"),
        ({"$ref": "#/$defs/missing"}, "does not resolve"),
        ({"$ref": "https://example.com/s.json"}, "only local"),
        ({"allOf": [{"pattern": "a"}, {"pattern": "b"}]}, "two different 'pattern'"),
        ({"allOf": [{"multipleOf": 0.3}, {"multipleOf": 0.5}]}, "fractional 'multipleOf'"),
        ({"properties": {"a": 3}}, "must be an object or a boolean"),
    ],
)
def test_unsupported_or_malformed_schemas_raise(schema: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=re.escape(message)):
        from_schema(schema)


@pytest.mark.parametrize("schema", [[], "string", None, 3])
def test_schema_must_be_a_mapping_or_bool(schema: Any) -> None:
    with pytest.raises(InvalidArgument, match="schema must be a mapping"):
        from_schema(schema)


@pytest.mark.parametrize("flag", [1, "yes", None])
def test_extra_properties_must_be_a_bool(flag: Any) -> None:
    with pytest.raises(InvalidArgument, match="extra_properties must be a boolean"):
        from_schema({}, extra_properties=flag)


def test_invalid_example_raises() -> None:
    with pytest.raises(InvalidArgument, match=r"example is not valid under the schema: .*\$\.data"):
        from_schema(ZOHO, example={"data": "nope"})


def test_invalid_arguments_raise_at_call_time_not_draw_time() -> None:
    # Nothing is drawn: the error comes from the call itself.
    with pytest.raises(InvalidArgument):
        from_schema({"type": "object", "properties": {"a": {"not": {}}}})


# --- examples, repr, cost -------------------------------------------------------------------


def test_shrinks_to_the_example() -> None:
    assert minimal(ZOHO, example=ZOHO_EXAMPLE) == ZOHO_EXAMPLE


def test_shrinks_toward_the_example_below_the_top() -> None:
    changed = minimal(ZOHO, lambda v: v.get("over_write") is False, example=ZOHO_EXAMPLE)
    assert changed == {**ZOHO_EXAMPLE, "over_write": False}
    more = minimal(ZOHO, lambda v: len(v["data"]) == 2, example=ZOHO_EXAMPLE)
    assert more["data"] == [{"No_of_Employees": 42}, {"No_of_Employees": 42}]


def test_invalid_parts_of_an_example_are_not_used() -> None:
    schema = {"type": "array", "items": {"type": "integer"}, "minItems": 1}
    # The example as a whole is valid; each item is the shrink target of items.
    assert minimal(schema, lambda v: len(v) == 2, example=[7]) == [7, 7]


def test_drawn_example_can_be_mutated_safely() -> None:
    first = minimal(ZOHO, example=ZOHO_EXAMPLE)
    first["data"].append("mutated")
    assert minimal(ZOHO, example=ZOHO_EXAMPLE) == ZOHO_EXAMPLE
    assert ZOHO_EXAMPLE["data"] == [{"No_of_Employees": 42}]


def test_example_sentinel_is_the_default() -> None:
    assert (
        repr(from_schema({"type": "null"}, example=NO_EXAMPLE)) == "from_schema({'type': 'null'})"
    )


def test_repr_says_how_it_was_built() -> None:
    assert repr(from_schema({"type": "string"})) == "from_schema({'type': 'string'})"
    long = repr(from_schema(ZOHO, example=ZOHO_EXAMPLE, extra_properties=True))
    assert long.startswith("from_schema({'type': 'object', 'properties': {'data'")
    assert " ...}" not in long and " ...," in long
    assert "example={'data': [{'No_of_Employees': 42}]" in long
    assert long.endswith("extra_properties=True)")
    assert len(long) < 200


def test_building_a_wide_schema_is_cheap() -> None:
    kinds = [
        {"type": "string", "maxLength": 20},
        {"type": "integer"},
        {"type": "boolean"},
        {"type": "string", "format": "date"},
    ]
    wide = {
        "type": "object",
        "properties": {f"p{i}": kinds[i % 4] for i in range(50)},
        "required": ["p0", "p7"],
    }
    times = []
    for _ in range(7):
        start = time.perf_counter()
        from_schema(wide)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.02  # the target is 2 ms; generous for a loaded CI machine


# -- sizes of unbounded arrays: nesting and wide elements do not multiply -----------------------


def _strings(n: int) -> dict[str, Any]:
    props = {f"s{i}": {"type": "string", **({"format": "uri"} if i == 0 else {})} for i in range(n)}
    return {"type": "object", "properties": props, "required": list(props)}


# The shape of apideck's list-companies (every key required): a page of wide records, each with
# eight lists of records. Half of its draws overran Hypothesis's choice budget when every
# unbounded array could hold 8 elements (data_too_large under CI=true).
WIDE_PAGE = {
    "type": "object",
    "properties": {
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    **{f"f{i}": {"type": "string"} for i in range(14)},
                    **{f"list{i}": {"type": "array", "items": _strings(3 + i)} for i in range(8)},
                },
                "required": [*(f"f{i}" for i in range(14)), *(f"list{i}" for i in range(8))],
            },
        }
    },
    "required": ["data"],
}


@settings(max_examples=30, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(from_schema(WIDE_PAGE))
def test_a_page_of_wide_records_stays_within_hypothesis_budget(body: dict[str, Any]) -> None:
    # every health check but too_slow stays on: data_too_large must not fire
    assert Draft202012Validator(WIDE_PAGE).is_valid(body)


def test_unbounded_arrays_are_shorter_when_nested_or_wide() -> None:
    flat = {"type": "array", "items": {"type": "integer"}}
    nested = {"type": "array", "items": flat}
    wide = {"type": "array", "items": {"type": "array", "items": _strings(60), "maxItems": 4}}
    quick = settings(max_examples=300, database=None)
    assert len(find(from_schema(flat), lambda v: len(v) >= 8, settings=quick)) == 8
    with pytest.raises(NoSuchExample):
        find(from_schema(flat), lambda v: len(v) > 8, settings=quick)
    inner = find(from_schema(nested), lambda v: any(len(x) >= 4 for x in v), settings=quick)
    assert max(map(len, inner)) == 4  # an array inside an array: at most 4
    with pytest.raises(NoSuchExample):
        find(from_schema(nested), lambda v: any(len(x) > 4 for x in v), settings=quick)
    # elements of up to 240 values: one fits the budget, two would not
    assert len(find(from_schema(wide), lambda v: len(v) >= 1, settings=quick)) == 1
    with pytest.raises(NoSuchExample):
        find(from_schema(wide), lambda v: len(v) > 1, settings=settings(quick, max_examples=50))
