"""Schema inference: every documented policy, and the properties that make it trustworthy."""

from __future__ import annotations

import enum
import json
import random
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from postman_contracts._errors import ContractError, InvalidArgument
from postman_contracts.collection._placeholders import Placeholder, whole_placeholder
from postman_contracts.contracts._formats import (
    ALL_FORMATS,
    DATE_RE,
    DATE_TIME_RE,
    EMAIL_RE,
    FORMAT_CHECKER,
    IPV4_RE,
    OPAQUE_URI_RE,
    URI_RE,
    UUID_RE,
    matching_formats,
)
from postman_contracts.contracts._infer import (
    _DIGITS,
    _DISCRIMINATORS,
    _TOKEN,
    _UPPER,
    MAX_DEPTH_LIMIT,
    InferenceOptions,
    SchemaBuilder,
    _evidence,
    _narrow,
    _Node,
    _possible_formats,
    infer_schema,
)
from tests.paths import SEEDS

SEED = SEEDS / "000_d3a50647f3908668.txt"  # Zoho CRM: Leads / mass update
PROPERTY = settings(max_examples=80, deadline=None)
POLICIES = [
    InferenceOptions(required=required, strictness=strictness)
    for required in ("observed", "none")
    for strictness in ("lenient", "strict")
]


def errors(schema: dict[str, Any], value: object) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(value)]


def infer(*samples: object, **options: Any) -> dict[str, Any]:
    return infer_schema(samples, InferenceOptions(**options))


def prop(*samples: object, **options: Any) -> dict[str, Any]:
    """The schema of property ``x`` when each sample is the value of ``x``."""
    schema = infer(*({"x": sample} for sample in samples), **options)
    result: dict[str, Any] = schema["properties"]["x"]
    return result


# -- strategies ---------------------------------------------------------------------------

_INTERESTING = [
    "2021-05-12T07:26:48+00:00",
    "2021-05-07T06:23:10Z",
    "2021-05-12",
    "738964000002131001",
    "1306462000000496025",
    "12345",
    "SUCCESS",
    "INVALID_DATA",
    "success",
    "error",
    "record updated",
    "Patricia Boyle",
    "patricia@zylker.com",
    "https://www.zohoapis.com/crm/v2/Leads",
    "123e4567-e89b-12d3-a456-426614174000",
    "10.0.0.1",
    "",
]
STRINGS = st.sampled_from(_INTERESTING) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | STRINGS
)
KEYS = st.sampled_from(["id", "name", "status", "code", "Type", "data", "message"]) | st.text(
    max_size=3
)


def json_values(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaves,
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(KEYS, kids, max_size=4),
        max_leaves=16,
    )


JSON = json_values(SCALARS)
PLACEHOLDERS = st.builds(
    Placeholder,
    st.sampled_from(["record_id1", "$guid", "$timestamp", "$randomInt", "$randomEmail", "n"]),
    st.booleans(),
)
JSON_WITH_PLACEHOLDERS = json_values(SCALARS | PLACEHOLDERS)
SAMPLES = st.lists(JSON, min_size=1, max_size=4)


_ITEMS = ("items",)  # the position of array elements: not a string, so never a key


def _positions(
    value: Any, abstract: tuple[Any, ...] = (), concrete: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], Any]]:
    """Every (schema position, path, value) in ``value``; array elements share one position."""
    yield abstract, concrete, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _positions(item, (*abstract, key), (*concrete, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _positions(item, (*abstract, _ITEMS), (*concrete, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


def _drop(value: Any, path: tuple[Any, ...], key: str) -> Any:
    if not path:
        return {k: v for k, v in value.items() if k != key}
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _drop(value[path[0]], path[1:], key)
    return copy


def recombine(samples: list[Any], data: st.DataObject) -> Any:
    """A value valid by construction under the schema of ``samples``, usually new.

    It is one of the samples with a part swapped for a value seen at the same position
    in some sample, or with a key dropped that some object at that position lacked.
    """
    seen: dict[tuple[Any, ...], list[Any]] = {}
    for sample in samples:
        for abstract, _, value in _positions(sample):
            seen.setdefault(abstract, []).append(value)
    value = data.draw(st.sampled_from(samples))
    for _ in range(data.draw(st.integers(1, 3))):
        abstract, concrete, part = data.draw(st.sampled_from(list(_positions(value))))
        optional = sorted(
            key
            for key in (part if isinstance(part, dict) else {})
            if any(isinstance(v, dict) and key not in v for v in seen[abstract])
        )
        drop = data.draw(st.booleans()) if optional else False
        if drop:
            value = _drop(value, concrete, data.draw(st.sampled_from(optional)))
        else:
            value = _replace(value, concrete, data.draw(st.sampled_from(seen[abstract])))
    return value


def shuffled(value: Any, rng: random.Random) -> Any:
    """``value`` with the order of every object's keys and every array's elements shuffled."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: shuffled(item, rng) for key, item in items}
    if isinstance(value, list):
        items = [shuffled(item, rng) for item in value]
        rng.shuffle(items)
        return items
    return value


def keywords(schema: dict[str, Any]) -> Iterator[str]:
    """Every keyword used anywhere in ``schema`` (property names excluded)."""
    yield from schema
    for sub in schema.get("properties", {}).values():
        yield from keywords(sub)
    if "items" in schema:
        yield from keywords(schema["items"])


def require_all(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every object's ``required`` set to all of its properties."""
    out = dict(schema)
    if "properties" in schema:
        out["properties"] = {k: require_all(v) for k, v in schema["properties"].items()}
        out["required"] = sorted(schema["properties"])
    if "items" in schema:
        out["items"] = require_all(schema["items"])
    return out


# -- properties ---------------------------------------------------------------------------


@pytest.mark.parametrize("options", POLICIES, ids=lambda o: f"{o.required}-{o.strictness}")
@PROPERTY
@given(samples=SAMPLES)
def test_every_sample_validates_against_its_schema(
    options: InferenceOptions, samples: list[Any]
) -> None:
    schema = infer_schema(samples, options)
    for sample in samples:
        assert errors(schema, sample) == []


# Objects whose keys are always the same, so that ``required: all`` is satisfiable.
HOMOGENEOUS = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=3) | st.fixed_dictionaries({"a": kids, "b": kids}),
    max_leaves=12,
)


@pytest.mark.parametrize("strictness", ["lenient", "strict"])
@PROPERTY
@given(samples=st.lists(HOMOGENEOUS, min_size=1, max_size=4))
def test_every_sample_validates_under_required_all_when_keys_agree(
    strictness: str, samples: list[Any]
) -> None:
    schema = infer(*samples, required="all", strictness=strictness)
    for sample in samples:
        assert errors(schema, sample) == []


@PROPERTY
@given(samples=SAMPLES)
def test_required_all_is_observed_with_every_property_required(samples: list[Any]) -> None:
    observed = infer(*samples, required="observed")
    assert infer(*samples, required="all") == require_all(observed)


@PROPERTY
@given(samples=st.lists(JSON_WITH_PLACEHOLDERS, min_size=1, max_size=5), rng=st.randoms())
def test_schema_is_independent_of_sample_and_key_order(
    samples: list[Any], rng: random.Random
) -> None:
    mixed = [shuffled(sample, rng) for sample in samples]
    rng.shuffle(mixed)
    for options in (InferenceOptions(), InferenceOptions(required="none", strictness="strict")):
        first, second = infer_schema(samples, options), infer_schema(mixed, options)
        assert json.dumps(first) == json.dumps(second)  # equal, and equal key order


@pytest.mark.parametrize("options", POLICIES, ids=lambda o: f"{o.required}-{o.strictness}")
@PROPERTY
@given(before=SAMPLES, after=st.lists(JSON, max_size=3), data=st.data())
def test_more_samples_only_widen_the_schema(
    options: InferenceOptions, before: list[Any], after: list[Any], data: st.DataObject
) -> None:
    narrow = infer_schema(before, options)
    wide = infer_schema(before + after, options)
    for sample in before:
        assert errors(wide, sample) == []
    for _ in range(3):
        value = recombine(before, data)
        assert errors(narrow, value) == [], "recombined value should fit the narrow schema"
        assert errors(wide, value) == []


@PROPERTY
@given(samples=st.lists(JSON_WITH_PLACEHOLDERS, max_size=4))
def test_schema_is_plain_json_without_annotations(samples: list[Any]) -> None:
    schema = infer_schema(samples, InferenceOptions(strictness="strict"))
    assert json.loads(json.dumps(schema)) == schema
    assert not {"title", "description", "examples", "$schema", "anyOf"} & set(keywords(schema))


# -- types --------------------------------------------------------------------------------


def test_integers_and_numbers_are_kept_apart() -> None:
    assert infer(1000) == {"type": "integer"}
    assert infer(1.5) == {"type": "number"}
    assert infer(1000, 1.5) == {"type": "number"}
    assert infer(2.0) == {"type": "number"}


def test_bool_is_never_an_integer() -> None:
    assert infer(True) == {"type": "boolean"}
    assert infer(True, 0) == {"type": ["boolean", "integer"]}
    assert errors(infer(1), True) != []


def test_null_is_its_own_type() -> None:
    assert infer(None) == {"type": "null"}
    assert prop("a", None) == {"type": ["null", "string"]}


def test_several_types_are_listed_in_a_fixed_order() -> None:
    expected = ["null", "boolean", "integer", "string", "array", "object"]
    assert infer({}, [], "a", 1, False, None) == {"type": expected}
    expected = ["null", "boolean", "number", "string", "array", "object"]
    assert infer({}, [], "a", 1.5, 1, False, None) == {"type": expected}


def test_a_mixed_position_carries_every_types_keywords_in_one_schema() -> None:
    schema = infer({"a": 1}, [2], "2021-05-12", None)
    assert schema == {
        "type": ["null", "string", "array", "object"],
        "format": "date",
        "items": {"type": "integer"},
        "properties": {"a": {"type": "integer"}},
        "required": ["a"],
    }
    assert errors(schema, "not a date") != []
    assert errors(schema, {"a": "x"}) != []
    assert errors(schema, ["x"]) != []


# -- objects ------------------------------------------------------------------------------


def test_required_observed_lists_keys_present_in_every_object() -> None:
    samples = [{"id": 1, "name": "a"}, {"id": 2}]
    assert infer(*samples) == {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        "required": ["id"],
    }


def test_required_observed_counts_array_elements_too() -> None:
    schema = infer({"data": [{"a": 1, "b": 2}, {"a": 3}]}, {"data": [{"a": 4, "b": 5}]})
    assert schema["properties"]["data"]["items"]["required"] == ["a"]
    assert schema["required"] == ["data"]


def test_required_observed_counts_a_key_first_seen_late() -> None:
    assert "required" not in infer({}, {"a": 1})
    assert "required" not in infer({"a": 1}, {"b": 1}, {"a": 2, "b": 2})


def test_required_all_and_none() -> None:
    samples = [{"id": 1, "name": "a"}, {"id": 2}]
    assert infer(*samples, required="all")["required"] == ["id", "name"]
    assert "required" not in infer(*samples, required="none")


def test_strict_closes_every_object_and_lenient_leaves_them_open() -> None:
    sample = {"a": {"b": 1}, "c": [{}]}
    strict = infer(sample, strictness="strict")
    assert strict == {
        "type": "object",
        "properties": {
            "a": {
                "type": "object",
                "properties": {"b": {"type": "integer"}},
                "required": ["b"],
                "additionalProperties": False,
            },
            "c": {"type": "array", "items": {"type": "object", "additionalProperties": False}},
        },
        "required": ["a", "c"],
        "additionalProperties": False,
    }
    assert errors(strict, {**sample, "d": 1}) != []
    assert errors(infer(sample), {**sample, "d": 1}) == []


def test_properties_and_required_are_sorted() -> None:
    schema = infer({"b": 1, "a": 2, "C": 3})
    assert list(schema["properties"]) == ["C", "a", "b"]
    assert schema["required"] == ["C", "a", "b"]


# -- arrays -------------------------------------------------------------------------------


def test_items_merge_every_element_of_every_example() -> None:
    assert infer([1, "a"], [2.5]) == {"type": "array", "items": {"type": ["number", "string"]}}


def test_an_empty_array_takes_items_from_other_examples() -> None:
    assert infer([], [1]) == {"type": "array", "items": {"type": "integer"}}
    assert infer({"ids": []}, {"ids": ["738964000002131001"]})["properties"]["ids"] == {
        "type": "array",
        "items": {"type": "string", "pattern": "^[0-9]{18}$"},
    }


def test_an_array_never_seen_with_elements_has_no_items() -> None:
    assert infer([], []) == {"type": "array"}


# -- string formats, ids, enums -----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "name"),
    [
        (["2021-05-12T07:26:48+00:00", "2021-05-07T06:23:10Z"], "date-time"),
        (["2021-05-12", "2020-02-29"], "date"),
        (["patricia@zylker.com"], "email"),
        (["https://www.zohoapis.com/crm/v2/Leads", "mailto:a@zylker.com"], "uri"),
        (["123e4567-e89b-12d3-a456-426614174000"], "uuid"),
        (["10.0.0.1", "255.255.255.255"], "ipv4"),
    ],
)
def test_formats_are_recognised_when_every_string_matches(values: list[str], name: str) -> None:
    assert prop(*values) == {"type": "string", "format": name}


@pytest.mark.parametrize(
    "values",
    [
        ["2021-05-12T07:26:48+00:00", "yesterday"],
        ["2021-05-12T07:26:48+00:00", "2021-05-12"],
        ["2021-05-12T07:26:48"],
        ["10.0.0.1", "010.0.0.1"],
        ["https://zylker.com", "zylker.com"],
    ],
)
def test_one_non_matching_string_vetoes_a_format(values: list[str]) -> None:
    assert prop(*values) == {"type": "string"}


def test_a_format_ignores_values_of_other_types() -> None:
    assert prop("2021-05-12", 3) == {"type": ["integer", "string"], "format": "date"}


def test_numeric_id_strings_get_a_digit_pattern() -> None:
    assert prop("738964000002131001", "738964000002130131") == {
        "type": "string",
        "pattern": "^[0-9]{18}$",
    }
    assert prop("738964000002131001", "1306462000000496025", "123456") == {
        "type": "string",
        "pattern": "^[0-9]{6,19}$",
    }


@pytest.mark.parametrize(
    "values",
    [["12345"], ["738964000002131001", "73896400000213100a"], ["٧٣٨٩٦٤٠٠٠٠٠٢"], ["-123456"]],
)
def test_short_or_non_ascii_digit_strings_get_no_pattern(values: list[str]) -> None:
    assert prop(*values) == {"type": "string"}


def test_enum_for_discriminator_names() -> None:
    samples = [{"status": "success", "Type": "lead"}, {"status": "error", "Type": "contact"}]
    props = infer(*samples)["properties"]
    assert props["status"] == {"type": "string", "enum": ["error", "success"]}
    assert props["Type"] == {"type": "string", "enum": ["contact", "lead"]}


@pytest.mark.parametrize(
    "name",
    [
        *("status", "CODE", "type", "kind", "state", "operation", "method", "action", "mode"),
        *("category", "level", "result", "object", "error_code", "status_code", "errorCode"),
    ],
)
def test_every_discriminator_name_is_recognised(name: str) -> None:
    assert infer({name: "lower_case.value-1"})["properties"][name] == {
        "type": "string",
        "enum": ["lower_case.value-1"],
    }


def test_enum_for_upper_snake_constants_under_any_name() -> None:
    assert prop("INVALID_DATA", "SUCCESS") == {
        "type": "string",
        "enum": ["INVALID_DATA", "SUCCESS"],
    }
    assert prop("SUCCESS", "Success") == {"type": "string"}  # not all constants
    assert prop("A") == {"type": "string"}  # one letter is not a constant


def test_array_items_take_the_name_of_their_array() -> None:
    assert infer({"status": ["open", "closed"]})["properties"]["status"]["items"] == {
        "type": "string",
        "enum": ["closed", "open"],
    }


@pytest.mark.parametrize(
    "values",
    [
        ["record updated"],
        ["Patricia Boyle"],
        ["ok", "no way"],
        ["x" * 41],
        ["1st"],
        ["a@b"],
    ],
)
def test_no_enum_for_free_text_even_under_a_discriminator_name(values: list[str]) -> None:
    assert infer(*({"status": value} for value in values))["properties"]["status"] == {
        "type": "string"
    }


def test_no_enum_for_ordinary_names_with_token_values() -> None:
    assert infer({"name": "lead"}, {"name": "contact"})["properties"]["name"] == {"type": "string"}


def test_no_enum_beyond_max_enum_distinct_values() -> None:
    values = [{"code": f"E{i}"} for i in range(3)]
    assert infer(*values, max_enum=3)["properties"]["code"]["enum"] == ["E0", "E1", "E2"]
    assert infer(*values, max_enum=2)["properties"]["code"] == {"type": "string"}
    assert infer(*values, max_enum=0)["properties"]["code"] == {"type": "string"}
    assert infer(*values, *values)["properties"]["code"]["enum"] == ["E0", "E1", "E2"]


def test_no_enum_at_mixed_type_positions() -> None:
    assert infer({"status": "ok"}, {"status": 1})["properties"]["status"] == {
        "type": ["integer", "string"]
    }
    assert infer({"status": "ok"}, {"status": None})["properties"]["status"] == {
        "type": ["null", "string"]
    }


def test_a_format_wins_over_an_enum() -> None:
    uuid = "abcdef12-e89b-12d3-a456-426614174000"
    assert infer({"type": uuid})["properties"]["type"] == {"type": "string", "format": "uuid"}


# -- shortcuts: the cheap paths of common positions agree with the general one -----------

_PATTERNS = (DATE_TIME_RE, DATE_RE, EMAIL_RE, URI_RE, OPAQUE_URI_RE, UUID_RE, IPV4_RE)
_FORMATTED = st.one_of(*(st.from_regex(pattern, fullmatch=True) for pattern in _PATTERNS))
# Near misses: a formatted string with one character replaced, cut short or extended.
_NEAR_MISSES = st.builds(
    lambda text, at, char, cut: (text[:at] + char + text[at + 1 :])[: len(text) - cut],
    _FORMATTED,
    st.integers(0, 40),
    st.sampled_from(["", "0", "a", "A", "-", ":", ".", "T", "@", "/", " ", "_"]),
    st.integers(0, 2),
)
# Digit ids, constants and tokens, and constants and tokens around their 40-character limit.
_SHAPES = r"[0-9]{1,22}|[A-Z][A-Z_0-9]{0,44}|[A-Za-z][A-Za-z0-9_.-]{0,44}"
_LONG = r"[A-Z][A-Z_]{37,40}[A-Z]|[a-z][a-z0-9_.-]{37,41}"
EVIDENCE = (
    _FORMATTED
    | _NEAR_MISSES
    | STRINGS
    | st.from_regex(_SHAPES, fullmatch=True)
    | st.from_regex(_LONG, fullmatch=True)
)
SHORTCUTS = settings(max_examples=200, deadline=None)


@SHORTCUTS
@given(text=_FORMATTED | EVIDENCE)
def test_the_format_prefilter_keeps_every_format_that_matches(text: str) -> None:
    assert matching_formats(text) & ~_possible_formats(text) == 0


@SHORTCUTS
@given(
    text=EVIDENCE,
    name=st.sampled_from(["status", "Code", "errorCode", "name", "id"]) | st.none(),
    max_enum=st.sampled_from([0, 1, 12]),
)
def test_the_evidence_of_a_first_string_is_what_narrowing_everything_leaves(
    text: str, name: str | None, max_enum: int
) -> None:
    built = _Node(name, 0, max_enum)
    _evidence(built, text, ALL_FORMATS)
    # The general path: every format, digits and the name's enum bit, narrowed by ``text``.
    narrowed = _Node(name, 0, max_enum)
    enum = 0
    if max_enum:
        enum = _TOKEN if name is not None and name.lower() in _DISCRIMINATORS else _UPPER
    narrowed.mask = ALL_FORMATS | _DIGITS | enum
    narrowed.values = set() if enum else None
    narrowed.min_len, narrowed.max_len = 1 << 62, 0
    _narrow(narrowed, text)
    assert (built.mask, built.values, built.handler) == (
        narrowed.mask,
        narrowed.values,
        narrowed.handler,
    )
    assert getattr(built, "detector", None) == getattr(narrowed, "detector", None)
    if built.mask & _DIGITS:
        assert (built.min_len, built.max_len) == (narrowed.min_len, narrowed.max_len)


class _Again(str):
    """A ``str`` subclass: the builder takes it on the general path, even when repeated."""


@SHORTCUTS
@given(
    texts=EVIDENCE.map(lambda text: [text]) | st.lists(EVIDENCE, min_size=1, max_size=3),
    name=st.sampled_from(["status", "Code", "name", "id"]),
    mixed=st.booleans(),
    max_enum=st.sampled_from([0, 1, 2, 12]),
)
@example(texts=["A" * 40], name="name", mixed=False, max_enum=12)  # the longest constant
@example(texts=["A" * 41], name="name", mixed=False, max_enum=12)
@example(texts=["a" * 41], name="status", mixed=False, max_enum=12)
def test_one_or_two_strings_at_a_position_give_the_general_paths_schema(
    texts: list[str], name: str, mixed: bool, max_enum: int
) -> None:
    # A position keeping one string has its keywords written directly, and a second string
    # tests only the formats both could have. Repeating the first string adds no evidence,
    # but as a str subclass it sends the position down the general path from the start.
    samples: list[Any] = [{name: text} for text in texts]
    if mixed:
        samples.append({name: None})  # strings among other types: never an enum
    general = [samples[0], {name: _Again(texts[0])}, *samples[1:]]
    assert infer(*general, max_enum=max_enum) == infer(*samples, max_enum=max_enum)


# -- placeholders -------------------------------------------------------------------------


def test_a_placeholder_defers_to_real_values_at_its_position() -> None:
    request = {"ids": [Placeholder("record_id1"), Placeholder("record_id2")]}
    example = {"ids": ["738964000002131001", "738964000002130131"]}
    assert infer(request, example)["properties"]["ids"]["items"] == {
        "type": "string",
        "pattern": "^[0-9]{18}$",
    }


def test_placeholders_neither_add_nor_veto_enums_formats_or_patterns() -> None:
    slot = Placeholder("s")
    assert infer({"status": slot}, {"status": "success"})["properties"]["status"] == {
        "type": "string",
        "enum": ["success"],
    }
    assert prop(Placeholder("$guid"), "2021-05-12") == {"type": "string", "format": "date"}
    assert prop(slot, "738964000002131001") == {"type": "string", "pattern": "^[0-9]{18}$"}
    assert prop(Placeholder("n", quoted=False), 5) == {"type": "integer"}


@pytest.mark.parametrize(
    ("placeholder", "schema"),
    [
        (Placeholder("$guid"), {"type": "string", "format": "uuid"}),
        (Placeholder("$randomUUID"), {"type": "string", "format": "uuid"}),
        (Placeholder("$isoTimestamp"), {"type": "string", "format": "date-time"}),
        (Placeholder("$randomEmail"), {"type": "string", "format": "email"}),
        (Placeholder("$randomUrl"), {"type": "string", "format": "uri"}),
        (Placeholder("$randomIP"), {"type": "string", "format": "ipv4"}),
        (Placeholder("$randomInt", quoted=False), {"type": "integer"}),
        (Placeholder("$timestamp", quoted=False), {"type": "integer"}),
        (Placeholder("$randomBoolean", quoted=False), {"type": "boolean"}),
        (Placeholder("record_id1"), {"type": "string"}),
        (Placeholder("$randomFirstName"), {"type": "string"}),
        (Placeholder("n", quoted=False), {"type": ["boolean", "number", "string"]}),
        (Placeholder("$randomFirstName", quoted=False), {"type": ["boolean", "number", "string"]}),
    ],
)
def test_a_position_with_only_placeholders(
    placeholder: Placeholder, schema: dict[str, Any]
) -> None:
    assert prop(placeholder) == schema
    assert prop(placeholder, placeholder) == schema


def test_several_placeholders_at_one_position_combine() -> None:
    assert prop(Placeholder("$guid"), Placeholder("$randomUUID")) == {
        "type": "string",
        "format": "uuid",
    }
    assert prop(Placeholder("$guid"), Placeholder("other")) == {"type": "string"}
    assert prop(Placeholder("$guid"), Placeholder("$randomInt", quoted=False)) == {
        "type": ["integer", "string"],
        "format": "uuid",
    }
    # In quotes, Postman sends a numeric dynamic variable as a string.
    assert prop(Placeholder("$randomInt")) == {"type": "string"}


def test_a_placeholder_counts_as_the_key_being_present() -> None:
    assert infer({"id": Placeholder("id")}, {"id": "738964000002131001"})["required"] == ["id"]


# -- the Zoho CRM Leads mass update -------------------------------------------------------


def _zoho_item() -> dict[str, Any]:
    text = SEED.read_text(encoding="utf-8").split("Postman Collection Item JSON", 1)[1]
    item: dict[str, Any] = json.JSONDecoder().raw_decode(text.strip())[0]
    return item


def _with_placeholders(value: Any) -> Any:
    """A parsed Postman body, with each whole ``"{{slot}}"`` string as a Placeholder."""
    if isinstance(value, str):
        name = whole_placeholder(value)
        return value if name is None else Placeholder(name)
    if isinstance(value, list):
        return [_with_placeholders(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_placeholders(item) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def zoho_bodies() -> dict[str, Any]:
    return {r["name"]: json.loads(r["body"]) for r in _zoho_item()["response"]}


_USER = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]{18}$"},
        "name": {"type": "string"},
    },
    "required": ["id", "name"],
}


def test_zoho_success_body(zoho_bodies: dict[str, Any]) -> None:
    body = zoho_bodies["SUCCESS RESPONSE"]
    stamp = {"type": "string", "format": "date-time"}
    assert infer(body) == {
        "type": "object",
        "properties": {
            "data": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "enum": ["SUCCESS"]},
                        "details": {
                            "type": "object",
                            "properties": {
                                "Created_By": _USER,
                                "Created_Time": stamp,
                                "Modified_By": _USER,
                                "Modified_Time": stamp,
                                "id": {"type": "string", "pattern": "^[0-9]{18}$"},
                            },
                            "required": [
                                "Created_By",
                                "Created_Time",
                                "Modified_By",
                                "Modified_Time",
                                "id",
                            ],
                        },
                        "message": {"type": "string"},
                        "status": {"type": "string", "enum": ["success"]},
                    },
                    "required": ["code", "details", "message", "status"],
                },
            }
        },
        "required": ["data"],
    }


def test_zoho_every_saved_response(zoho_bodies: dict[str, Any]) -> None:
    schema = infer(*zoho_bodies.values())
    for name, body in zoho_bodies.items():
        assert errors(schema, body) == [], name
    record = schema["properties"]["data"]["items"]
    assert record["required"] == ["code", "details", "message", "status"]
    assert record["properties"]["code"] == {
        "type": "string",
        "enum": ["INVALID_DATA", "MANDATORY_NOT_FOUND", "NOT_APPROVED", "RECORD_LOCKED", "SUCCESS"],
    }
    assert record["properties"]["status"] == {"type": "string", "enum": ["error", "success"]}
    assert record["properties"]["message"] == {"type": "string"}
    details = record["properties"]["details"]
    assert "required" not in details  # some errors have empty details
    assert details["properties"]["id"] == {"type": "string", "pattern": "^[0-9]{18,19}$"}
    assert details["properties"]["api_name"] == {"type": "string"}
    assert details["properties"]["Modified_By"]["properties"]["name"] == {"type": "string"}
    # the 400/401 bodies put the record at the top level
    assert schema["properties"]["code"] == {
        "type": "string",
        "enum": ["AUTHENTICATION_FAILURE", "INVALID_REQUEST_METHOD"],
    }
    assert schema["properties"]["details"] == {"type": "object"}
    assert "required" not in schema


def test_zoho_request_bodies_with_placeholders() -> None:
    item = _zoho_item()
    template = _with_placeholders(json.loads(item["request"]["body"]["raw"]))
    assert template["ids"][0] == Placeholder("record_id1")
    alone = infer(template)
    assert alone["properties"]["ids"] == {"type": "array", "items": {"type": "string"}}
    saved = [
        _with_placeholders(json.loads(r["originalRequest"]["body"]["raw"]))
        for r in item["response"]
    ]
    assert Placeholder("record-id") in saved[-1]["ids"]
    schema = infer(template, *saved)
    assert schema == {
        "type": "object",
        "properties": {
            "data": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "No_of_Employees": {"type": "integer"},
                        "No_of_Employees1": {"type": "integer"},
                    },
                },
            },
            "ids": {
                "type": "array",
                "items": {"type": "string", "pattern": "^[0-9]{18}$"},
            },
            "over_write": {"type": "boolean"},
        },
        "required": ["data", "over_write"],
    }


# -- limits and bad input -----------------------------------------------------------------


def _nested_lists(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _nested_objects(depth: int, key: str = "a") -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {key: value}
    return value


def test_a_3000_deep_sample_is_a_contract_error_naming_its_pointer() -> None:
    with pytest.raises(ContractError, match="max_depth=200") as caught:
        infer(_nested_lists(3000))
    assert str(caught.value).endswith(" at #" + "/0" * 201)
    with pytest.raises(ContractError) as caught:
        infer({"data": _nested_objects(3000, key="x/y~z")})
    assert str(caught.value).endswith(" at #/data" + "/x~1y~0z" * 200)


def test_max_depth_is_the_deepest_value_accepted() -> None:
    innermost = {"type": "array", "items": {"type": "integer"}}
    assert infer(_nested_lists(3), max_depth=3) == {
        "type": "array",
        "items": {"type": "array", "items": innermost},
    }
    with pytest.raises(ContractError, match=r"sample 2: nested deeper .* at #/0/0/0/0$"):
        infer(1, _nested_lists(4), max_depth=3)


def test_the_deepest_allowed_samples_infer_and_serialise() -> None:
    for sample in (_nested_objects(MAX_DEPTH_LIMIT), _nested_lists(MAX_DEPTH_LIMIT)):
        schema = infer(sample, max_depth=MAX_DEPTH_LIMIT)
        assert json.loads(json.dumps(schema)) == schema
    assert json.dumps(schema).count('"items"') == MAX_DEPTH_LIMIT


def test_empty_containers_below_max_depth_are_fine() -> None:
    assert infer([[]], max_depth=1) == {"type": "array", "items": {"type": "array"}}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"required": "some"}, "required"),
        ({"strictness": "loose"}, "strictness"),
        ({"max_enum": -1}, "max_enum"),
        ({"max_depth": 0}, "max_depth"),
        ({"max_depth": MAX_DEPTH_LIMIT + 1}, "max_depth"),
    ],
)
def test_bad_options_are_invalid_arguments(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        InferenceOptions(**options)


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ({"a": [1, {2, 3}]}, r"set is not a JSON value at #/a/1$"),
        ({"a": {1: "x"}}, r"object key 1 is not a string at #/a/1$"),
        ((1, 2), r"tuple is not a JSON value at #$"),
    ],
)
def test_values_that_are_not_json_are_contract_errors(sample: object, message: str) -> None:
    builder = SchemaBuilder()
    with pytest.raises(ContractError, match=message):
        builder.add(sample)
    with pytest.raises(ContractError, match="start a new one"):
        builder.to_schema()


def test_subclasses_of_json_types_are_their_json_type() -> None:
    class Level(enum.IntEnum):
        LOW = 1

    sample = OrderedDict([("level", Level.LOW), ("flag", True)])
    assert infer(sample) == {
        "type": "object",
        "properties": {"flag": {"type": "boolean"}, "level": {"type": "integer"}},
        "required": ["flag", "level"],
    }


def test_no_samples_give_the_empty_schema_and_builders_keep_going() -> None:
    assert infer_schema([]) == {}
    builder = SchemaBuilder()
    assert builder.to_schema() == {}
    builder.add({"a": 1})
    first = builder.to_schema()
    builder.add({"a": "x"})
    assert first == {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    assert builder.to_schema()["properties"]["a"] == {"type": ["integer", "string"]}
