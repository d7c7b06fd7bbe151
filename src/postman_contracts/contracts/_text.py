"""Values that travel as text: query parameters, form fields, headers.

Why it exists: on the wire ``limit=10`` is the text ``10``; the documentation means an
integer. Inference reads each documented text as the JSON value it spells (``10``, ``true``,
a ``<long>`` slot) so the schema says ``integer``; a check reads the text sent back as the
type the schema documents (``"10"`` is a valid integer, ``"ten"`` is not); the generators
write a drawn value as text (``true``, not ``True``). One module, so the three agree.

Evidence: a type read from literal text in fewer than ``min_seen`` examples is not asserted
on its own (``q=2024`` may be a search for a year): :func:`mark_text_types` writes how many
values were read so (``x-evidence.text``), and the evidence policy then also accepts any
text there. A ``<integer>`` slot, or the same reading in enough examples, asserts the type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from postman_contracts.collection import Placeholder, as_text, slot_of_text

__all__ = [
    "FILE_SCHEMA",
    "FILE_VALUE",
    "as_text",
    "mark_text_types",
    "read_as_schema",
    "text_sample",
]

# What a documented text must look like to be read as a number: no leading zero (``007`` is a
# code), no exponent, at most 18 digits (a longer one is an id).
_INTEGER: Final = re.compile(r"-?(?:0|[1-9][0-9]{0,17})", re.ASCII)
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17}", re.ASCII)
# What a received text may look like to be read as one: any JSON number.
_ANY_INTEGER: Final = re.compile(r"[-+]?[0-9]+", re.ASCII)
_ANY_NUMBER: Final = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
_BOOLEANS: Final = {"true": True, "false": False}
#: Values a file part is documented or received as: its content is not text to type.
FILE_VALUE: Final = "<file>"
#: The schema of a file part: any bytes (OpenAPI 3.1 writes a file so; 3.0 wrote
#: ``format: binary``, which JSON Schema does not define).
FILE_SCHEMA: Final = {"type": "string", "contentMediaType": "application/octet-stream"}


def text_sample(text: str) -> Any:
    """A documented text as the value it spells: a slot (``{{id}}``, ``<long>``), an integer,
    a number, a boolean, else the text itself. ``007`` stays text (a leading zero is a code,
    not a number)."""
    slot = slot_of_text(text)
    if isinstance(slot, Placeholder):
        return slot
    return _literal(text)


def _literal(text: str) -> Any:
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        return float(text)
    return _BOOLEANS.get(text, text)


def mark_text_types(schema: dict[str, Any], samples: Iterable[Mapping[str, Any]]) -> None:
    """Write ``x-evidence.text`` on each property of ``schema`` whose values include literal
    text read as a number or boolean (in place): the evidence policy asserts such a type only
    with enough examples. ``samples`` are the objects inferred from. A repeated field (an
    array) gets ``minItems: 1``: on the wire it is there once at least, or not at all."""
    counts: dict[str, int] = {}
    for sample in samples:
        for key, value in sample.items():
            values = value if isinstance(value, list) else [value]
            n = sum(1 for v in values if not isinstance(v, (str, Placeholder)) and v is not None)
            if n:
                counts[key] = counts.get(key, 0) + n
    props = schema.get("properties")
    if not isinstance(props, dict):
        return
    for prop in props.values():
        if isinstance(prop, dict) and prop.get("type") == "array":
            prop["minItems"] = 1  # a repeated field sent is sent at least once
    for key, n in counts.items():
        prop = props.get(key)
        if isinstance(prop, dict):
            target = prop.get("items") if prop.get("type") == "array" else prop
            if isinstance(target, dict) and isinstance(target.get("x-evidence"), dict):
                target["x-evidence"]["text"] = n


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


def read_as_schema(value: str | list[str], schema: Mapping[str, Any]) -> Any:
    """Text as received, read as the type ``schema`` documents: ``"10"`` as ``10`` under
    ``integer``, ``"true"`` as ``True`` under ``boolean``; text that spells no such value
    stays text (and fails the schema, as it should). A list (a repeated key) is read element
    by element, against ``items`` when the schema is an array."""
    types = _types(schema)
    if isinstance(value, list):
        if "array" not in types and value:
            # A field documented once, sent repeated: a repeat is not evidence against the
            # documentation (one example of one value does not document "only one"), so
            # each copy is judged as the field; the first that fails the type stands for all.
            read = [read_as_schema(v, schema) for v in value]
            return next((r for r in read if isinstance(r, str) and "string" not in types), read[0])
        items = schema.get("items")
        inner = items if isinstance(items, Mapping) else {}
        return [read_as_schema(v, inner) for v in value]
    if "array" in types and not ({"string"} & set(types)):
        items = schema.get("items")
        return [read_as_schema(value, items if isinstance(items, Mapping) else {})]
    for kind in types:
        if kind == "integer" and _ANY_INTEGER.fullmatch(value):
            return int(value)
        if kind == "number" and _ANY_NUMBER.fullmatch(value):
            if _ANY_INTEGER.fullmatch(value):
                return int(value)
            number = float(value)
            if math.isfinite(number):
                return number
        if kind == "boolean" and value in _BOOLEANS:
            return _BOOLEANS[value]
        if kind == "null" and value in ("", "null"):
            return None
    return value
