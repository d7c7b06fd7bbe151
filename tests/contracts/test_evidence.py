"""The evidence policy: a constraint is asserted by default only when the examples show enough.

Each case is what a server that follows its documentation may really answer, where the
examples showed less than the inferred schema says: the default checks must accept it, and
``--contracts-strict`` (the full inferred schema) must not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from postman_contracts._errors import InvalidArgument
from postman_contracts.collection._jsontext import parse_json_text
from postman_contracts.contracts import (
    FORMAT_CHECKER,
    EvidencePolicy,
    InferenceOptions,
    SchemaBuilder,
    asserted_schema,
    open_contracts,
)
from postman_contracts.contracts._evidence import without_evidence


def infer(*bodies: str) -> dict[str, Any]:
    builder = SchemaBuilder(InferenceOptions(evidence=True))
    for body in bodies:
        builder.add(parse_json_text(body))
    return builder.to_schema()


def valid(schema: dict[str, Any], value: Any) -> bool:
    return bool(Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid(value))


def by_default(schema: dict[str, Any], value: Any) -> bool:
    return valid(asserted_schema(schema, EvidencePolicy()), value)


@pytest.mark.parametrize(
    ("bodies", "answer"),
    [
        # an enum from one value: another status is not a fault
        (['{"status": "pending"}'], {"status": "settled"}),
        # every upper-case value made an enum
        (['{"currency": "EUR"}', '{"currency": "EUR"}'], {"currency": "USD"}),
        # a required key from one example
        (['{"id": "a", "note": "x"}'], {"id": "b"}),
        # a digit count from one id
        (['{"id": "123456"}'], {"id": "1234567"}),
        # a format from one value
        (['{"at": "2021-05-12T07:26:03Z"}'], {"at": "yesterday"}),
        # a field shown once with a value may be null
        (['{"name": "Ada"}'], {"name": None}),
        # 12 shows a number; 12.5 is one too
        (['{"price": 12}'], {"price": 12.5}),
        # the importer writes <integer> for an OpenAPI 3.0 nullable integer too
        (['{"memberLimit": "<integer>"}'], {"memberLimit": None}),
        # null shows a value may be absent, not its type when present
        (['{"progress": null}', '{"progress": "<null>"}'], {"progress": {"done": 3}}),
        # "" is what the importer writes for a value of no known type
        (['{"results": ["", ""]}'], {"results": [{"id": 1}]}),
        # the importer's key_0, key_1: a map, whose keys are data
        (['{"stats": {"key_0": "<integer>", "key_1": "<integer>"}}'], {"stats": {"movies": 3}}),
        # a map's two generated entries are one example of its values, not two
        (
            ['{"ix": {"key_0": {"n": "<long>", "m": "<long>"}, "key_1": {"n": 2, "m": 3}}}'],
            {"ix": {"movies": {"n": 10}}},
        ),
    ],
    ids=[
        *("enum", "upper-enum", "required", "digits", "format", "null", "integer", "slot-null"),
        *("only-null", "empty"),
        *("map", "map-values"),
    ],
)
def test_too_little_evidence_asserts_nothing(bodies: list[str], answer: Any) -> None:
    schema = infer(*bodies)
    assert by_default(schema, answer)
    if not any("key_0" in b for b in bodies) or "ix" in bodies[0]:
        assert not valid(schema, answer)  # what --contracts-strict holds a server to


@pytest.mark.parametrize(
    ("bodies", "answer"),
    [
        # two examples both with the key
        (['{"id": "a", "note": "x"}', '{"id": "b", "note": "y"}'], {"id": "c"}),
        # two examples, never null
        (['{"name": "Ada"}', '{"name": "Grace"}'], {"name": None}),
        # two distinct date-times
        (['{"at": "2021-05-12T07:26:03Z"}', '{"at": "2022-01-01T00:00:00Z"}'], {"at": "now"}),
        # two distinct ids: digits, whatever their count
        (['{"id": "123456"}', '{"id": "654321"}'], {"id": "12ab"}),
        # a status seen six times with two values
        (
            ['{"data": [{"status": "ok"}, {"status": "ok"}, {"status": "error"}]}'] * 2,
            {"data": [{"status": "pending"}]},
        ),
        # a slot documents the type: the value is not a fault only when it is of that type
        (['{"id": "<long>"}'], {"id": "42"}),
        (['{"active": "<boolean>"}'], {"active": "true"}),
        (['{"at": "<dateTime>"}'], {"at": "12/05/2021"}),
        (['{"n": "<long>"}'], {"n": 1.5}),
        (['{"n": 1}', '{"n": 2}'], {"n": 1.5}),
    ],
    ids=[
        *("required", "null", "format", "digits", "enum", "long", "boolean", "date-time"),
        *("long-fraction", "integers-fraction"),
    ],
)
def test_enough_evidence_is_asserted(bodies: list[str], answer: Any) -> None:
    assert not by_default(infer(*bodies), answer)


def test_a_digit_pattern_asserts_digits_not_their_count() -> None:
    schema = infer('{"id": "123456"}', '{"id": "654321"}')
    assert by_default(schema, {"id": "1234567"})
    assert not valid(schema, {"id": "1234567"})


def test_typed_slots_accept_values_of_their_type() -> None:
    schema = infer(
        '{"id": "<long>", "ok": "<boolean>", "at": "<dateTime>", "n": "<string,null>",'
        ' "x": "<number,null-double>", "o": "<object>", "note": "<A note.>"}'
    )
    answer = {"id": 42, "ok": False, "at": "2020-02-29T10:00:00Z", "n": None, "x": 1.5}
    assert valid(schema, {**answer, "o": {"k": 1}, "note": 3})
    assert by_default(schema, answer)


def test_the_evidence_is_written_beside_each_constraint() -> None:
    schema = infer(
        '{"data": [{"status": "ok", "id": "<long>"}, {"status": "failed"}]}',
        '{"data": [{"status": "ok", "id": "{{id}}"}]}',
    )
    record = schema["properties"]["data"]["items"]
    assert record["x-evidence"] == {"seen": 2, "values": 3}
    assert record["properties"]["status"]["x-evidence"] == {
        "seen": 2,
        "values": 3,
        "distinct": 2,
    }
    assert record["properties"]["id"]["x-evidence"] == {
        "seen": 2,
        "slots": 2,
        "variables": 1,
    }
    assert without_evidence(record)["properties"]["status"] == {
        "type": "string",
        "enum": ["failed", "ok"],
    }


def test_a_property_named_like_the_annotation_is_kept() -> None:
    schema = {"type": "object", "properties": {"x-evidence": {"type": "string"}}}
    assert without_evidence(schema) == schema


def test_a_policy_is_validated_and_round_trips() -> None:
    policy = EvidencePolicy(min_seen=3, min_distinct=2, enum_min_seen=8)
    assert EvidencePolicy.from_json(policy.as_json()) == policy
    assert EvidencePolicy.from_json(None) == EvidencePolicy()
    with pytest.raises(InvalidArgument, match="min_seen"):
        EvidencePolicy(min_seen=0)


def test_stricter_thresholds_assert_less() -> None:
    schema = infer('{"id": "a", "note": "x"}', '{"id": "b", "note": "y"}')
    assert not valid(asserted_schema(schema, EvidencePolicy()), {"id": "c"})
    assert valid(asserted_schema(schema, EvidencePolicy(min_seen=3)), {"id": "c"})


def test_generate_records_the_policy_and_takes_it_from_the_command_line(tmp_path: Path) -> None:
    from postman_contracts.cli import main
    from tests.paths import BUNDLED

    out = tmp_path / "contracts"
    assert main(["generate", str(BUNDLED), "-o", str(out), "--enum-min-seen", "3"]) == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["options"]["evidence"] == {"min_seen": 2, "min_distinct": 2, "enum_min_seen": 3}
    assert open_contracts(str(out)).evidence == EvidencePolicy(enum_min_seen=3)
    # regenerating keeps the committed policy, as it keeps --required and --strictness
    assert main(["generate", str(BUNDLED), "-o", str(out), "--check"]) == 0
