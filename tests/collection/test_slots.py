"""Type slots: the values Postman's OpenAPI importer writes where a definition has no example.

A collection made by openapi-to-postmanv2 documents ``"id": "<long>"``: the type, not a
value. The loader must read those as slots (as it reads ``{{variables}}``), not as the
string ``"<long>"``; and what is sent or served in their place must be a value of the type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.collection import load_collection
from postman_contracts.collection._jsontext import parse_json_text
from postman_contracts.collection._placeholders import (
    Placeholder,
    TypeSlot,
    fill_slots,
    slot_of_text,
    type_slot,
)
from tests.paths import SHARED


@pytest.mark.parametrize(
    ("text", "types", "fmt"),
    [
        ("<long>", ("integer",), None),
        ("<integer>", ("integer",), None),
        ("<int32>", ("integer",), None),
        ("<int64>", ("integer",), None),
        ("<number>", ("number",), None),
        ("<double>", ("number",), None),
        ("<float>", ("number",), None),
        ("<boolean>", ("boolean",), None),
        ("<string>", ("string",), None),
        ("<dateTime>", ("string",), "date-time"),
        ("<date>", ("string",), "date"),
        ("<uuid>", ("string",), "uuid"),
        ("<uri>", ("string",), "uri"),
        ("<url>", ("string",), "uri"),
        ("<email>", ("string",), "email"),
        ("<byte>", ("string",), None),
        ("<binary>", ("string",), None),
        ("<object>", ("object",), None),
        ("<string,null>", ("string", "null"), None),
        ("<string,null-date-time>", ("string", "null"), "date-time"),
        ("<number,null-double>", ("number", "null"), None),
        ("<null>", ("null",), None),
        ("<A note for the reviewer.>", (), None),
    ],
)
def test_the_importers_placeholders_are_typed_slots(
    text: str, types: tuple[str, ...], fmt: str | None
) -> None:
    slot = type_slot(text)
    assert slot is not None
    assert (slot.types, slot.format) == (types, fmt)
    assert str(slot) == text


@pytest.mark.parametrize("text", ["<em>", "</em>", '<a href="x">', "<br/>", "a <long>", "<>", ""])
def test_markup_and_other_text_stay_literal(text: str) -> None:
    assert type_slot(text) is None
    assert slot_of_text(text) == text


def test_slots_in_a_json_body_are_read_as_slots() -> None:
    body = parse_json_text(
        '{"id": "<long>", "tag": "<em>", "ref": "{{ref}}", "at": ["<dateTime>"]}'
    )
    assert isinstance(body["id"], TypeSlot)
    assert body["tag"] == "<em>"
    assert body["ref"] == Placeholder("ref")
    assert isinstance(body["at"][0], TypeSlot)


def test_filling_gives_values_of_the_type_distinct_in_an_array() -> None:
    value = parse_json_text(
        '{"n": "<long>", "ok": "<boolean>", "names": ["<string>", "<string>"],'
        ' "at": "<dateTime>", "ref": "{{ref}}", "x": "<string,null>"}'
    )
    filled = fill_slots(value, {"ref": "R1"})
    assert filled == {
        "n": 1,
        "ok": True,
        "names": ["string", "string1"],
        "at": "2024-01-01T00:00:00Z",
        "ref": "R1",
        "x": "string",
    }
    # the same on every run: a replayed example is the same request each time
    assert fill_slots(value, {"ref": "R1"}) == filled


def test_filling_text_writes_the_values_as_text() -> None:
    assert fill_slots("<long>", {}, json=False) == "1"
    assert fill_slots("<boolean>", {}, json=False) == "true"
    assert fill_slots("<float>,<float>", {}, json=False) == "1.5,2.5"
    assert fill_slots("Bearer {{token}}", {"token": "t"}, json=False) == "Bearer t"


def test_files_are_filled_without_dynamic_variables() -> None:
    """What goes to contract files must not change from run to run."""
    assert fill_slots({"id": "{{$guid}}", "n": "<long>"}, {}, dynamic=False) == {
        "id": "{{$guid}}",
        "n": 1,
    }
    assert fill_slots("{{$guid}}", {}) != "{{$guid}}"


def _default_conversions() -> list[Path]:
    return sorted((SHARED / "openapi").glob("*/collection.default.json"))


@pytest.mark.parametrize("path", _default_conversions(), ids=lambda p: p.parent.name)
def test_every_placeholder_of_a_real_conversion_is_a_slot(path: Path) -> None:
    """No JSON body of a real conversion keeps a ``<type>`` placeholder as text."""
    collection = load_collection(path)
    literal: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
            if type_slot(value) is None:
                literal.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    slots = 0
    for op in collection.operations:
        for example in op.examples:
            if example.is_json:
                slots += json.dumps(example.json, default=lambda v: "SLOT").count('"SLOT"')
                walk(example.json)
    assert slots > 100
    # what stays literal is markup used as a value (Meilisearch's highlight tags)
    assert set(literal) <= {"<em>", "</em>"}


def test_a_null_slot_filled_into_text_is_empty_as_a_generated_null_is() -> None:
    """Where only text travels (query, header, form), a null is sent as an empty value: the
    slot filler and the generators' wire text follow one rule."""
    from postman_contracts.collection._placeholders import fill_slots
    from postman_contracts.contracts._text import as_text

    assert fill_slots("<null>", {}, json=False) == as_text(None) == ""
    assert fill_slots("<null>", {}, json=True) is None
