"""``{{placeholders}}``: Postman's template slots, kept visible in the model.

Why it exists: a Postman body such as ``{"ids": ["{{record_id1}}"], "n": {{n}}}`` is a
template, not data. If the loader replaced the slots with strings, inference would type
``n`` as a string and generators would send the literal ``{{...}}`` text. So a JSON value
that *is* a placeholder becomes a :class:`Placeholder`, and text that merely *contains*
placeholders (``"Bearer {{token}}"``) stays text whose slots :func:`find_placeholders`
lists.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Final

__all__ = [
    "DYNAMIC_VARIABLES",
    "Placeholder",
    "TypeSlot",
    "as_text",
    "dynamic_value",
    "fill_slots",
    "find_placeholders",
    "slot_of_text",
    "slot_sample",
    "substitute",
    "type_slot",
]

#: ``{{name}}``; Postman allows any characters but braces inside.
PLACEHOLDER_RE = re.compile(r"\{\{([^{}]+?)\}\}")
_WHOLE_RE = re.compile(r"^\{\{([^{}]+?)\}\}$")

#: Postman's dynamic variables that carry a fixed meaning (faker-based ``$random...``
#: variables are recognised by their ``$`` prefix; these are the ones whose type is known).
DYNAMIC_VARIABLES: dict[str, str] = {
    "$guid": "uuid",
    "$randomUUID": "uuid",
    "$timestamp": "unix-timestamp",
    "$isoTimestamp": "date-time",
    "$randomInt": "integer",
    "$randomEmail": "email",
    "$randomExampleEmail": "email",
    "$randomUrl": "uri",
    "$randomIP": "ipv4",
    "$randomDateFuture": "date-time",
    "$randomDatePast": "date-time",
    "$randomDateRecent": "date-time",
    "$randomBoolean": "boolean",
}


@dataclass(frozen=True)
class Placeholder:
    """A ``{{name}}`` slot standing where a JSON value would be.

    Attributes:
        name: the variable name between the braces, as written.
        quoted: ``True`` for ``"{{name}}"`` (a string slot), ``False`` for a bare ``{{name}}``
            in raw JSON, which Postman fills with whatever text the variable holds.
    """

    name: str
    quoted: bool = True

    @property
    def dynamic(self) -> bool:
        """Whether this is one of Postman's ``{{$dynamic}}`` variables."""
        return self.name.startswith("$")

    @property
    def dynamic_kind(self) -> str | None:
        """The known meaning of a dynamic variable (``uuid``, ``date-time``...), if any."""
        return DYNAMIC_VARIABLES.get(self.name)

    def __str__(self) -> str:
        return "{{" + self.name + "}}"


#: JSON Schema's types, as the converter writes them in ``<type>`` and ``<type,null>``.
_JSON_TYPES: Final = frozenset(
    {"string", "integer", "number", "boolean", "null", "object", "array"}
)

#: The single words Postman's OpenAPI importer (openapi-to-postmanv2) writes for a value it
#: knows only by type: its ``typesMap`` (``<long>`` for int64, ``<dateTime>`` for a string of
#: format date-time...) and ``<format>`` for any other string format. A word outside this
#: table (``<em>``, an HTML tag used as a value) is a literal string, not a slot.
_SLOT_WORDS: Final[dict[str, tuple[tuple[str, ...], str | None]]] = {
    "long": (("integer",), None),
    "int32": (("integer",), None),
    "int64": (("integer",), None),
    "float": (("number",), None),
    "double": (("number",), None),
    "byte": (("string",), None),
    "binary": (("string",), None),
    "password": (("string",), None),
    "date": (("string",), "date"),
    "dateTime": (("string",), "date-time"),
    "date-time": (("string",), "date-time"),
    "time": (("string",), None),
    "duration": (("string",), None),
    "uuid": (("string",), "uuid"),
    "uri": (("string",), "uri"),
    "url": (("string",), "uri"),
    "uri-reference": (("string",), None),
    "email": (("string",), "email"),
    "hostname": (("string",), None),
    "ipv4": (("string",), "ipv4"),
    "ipv6": (("string",), None),
}
#: The formats a slot may carry into a schema: those inference labels and checks.
_SLOT_FORMATS: Final = frozenset({"date-time", "date", "uuid", "uri", "email", "ipv4"})
_TYPED_RE: Final = re.compile(r"<([a-z]+(?:,[a-z]+)*)(?:-([A-Za-z0-9-]+))?>", re.ASCII)
_WORD_RE: Final = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)>", re.ASCII)
# ``<A note for the reviewer.>``: words with spaces, nothing that makes it markup.
_DESCRIPTIVE_RE: Final = re.compile(r"<[A-Za-z][^<>=\"/]*\s[^<>=\"/]*>")


@dataclass(frozen=True)
class TypeSlot(Placeholder):
    """A value documented only by its type: ``"<long>"``, ``"<dateTime>"``, ``"<string,null>"``.

    Postman's OpenAPI importer writes these where a definition gives no example. They are
    slots, like ``{{variables}}``: the type and format are documented, the value is not. A
    descriptive one (``"<A note for the reviewer.>"``) documents nothing but its presence and
    has no ``types``.

    Attributes:
        name: the slot as written, ``<long>``.
        types: the JSON types it stands for (``("integer",)``), empty when untyped.
        format: the JSON Schema format it implies (``date-time``), or ``None``.
    """

    types: tuple[str, ...] = ()
    format: str | None = None

    @property
    def dynamic(self) -> bool:
        return False

    @property
    def dynamic_kind(self) -> str | None:
        return None

    def __str__(self) -> str:
        return self.name


def type_slot(text: str) -> TypeSlot | None:
    """The :class:`TypeSlot` that ``text`` is, or ``None`` for any other text."""
    if len(text) < 3 or text[0] != "<" or text[-1] != ">" or len(text) > 200:
        return None
    word = _WORD_RE.fullmatch(text)
    if word is not None and word.group(1) in _SLOT_WORDS:
        types, fmt = _SLOT_WORDS[word.group(1)]
        return TypeSlot(text, True, types, fmt)
    typed = _TYPED_RE.fullmatch(text)
    if typed is not None:
        names = tuple(typed.group(1).split(","))
        if all(n in _JSON_TYPES for n in names):
            fmt = typed.group(2)
            if fmt is not None and fmt in _SLOT_WORDS:
                fmt = _SLOT_WORDS[fmt][1]
            return TypeSlot(text, True, names, fmt if fmt in _SLOT_FORMATS else None)
    if _DESCRIPTIVE_RE.fullmatch(text) is not None:
        return TypeSlot(text, True)
    return None


def slot_of_text(text: str) -> str | Placeholder:
    """``text`` as a slot when it is exactly one (``{{id}}``, ``<long>``), else ``text``."""
    name = whole_placeholder(text)
    if name is not None:
        return Placeholder(name)
    return type_slot(text) or text


_FORMAT_SAMPLES: Final = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com/",
    "email": "user@example.com",
    "ipv4": "192.0.2.1",
}
_TYPE_SAMPLES: Final[dict[str, object]] = {
    "integer": 1,
    "number": 1.5,
    "boolean": True,
    "object": {},
    "array": [],
}


def slot_sample(slot: TypeSlot, index: int = 0) -> object:
    """A fixed JSON value of the slot's type: what a replay sends and the mock serves.

    Fixed, not random, so a replayed example is the same request on every run; the first
    type that is not ``null`` decides (``<string,null>`` is a string). ``index`` tells the
    elements of one array apart (``["<string>", "<string>"]`` must not break
    ``uniqueItems``): each index gives another value of the same type and format.
    """
    kind = next((t for t in slot.types if t != "null"), "null" if slot.types else "string")
    if kind == "null":
        return None
    if kind == "string":
        sample = _FORMAT_SAMPLES.get(slot.format or "")
        if sample is None:
            return "string" if index == 0 else f"string{index}"
        return _vary(sample, slot.format or "", index)
    if kind == "integer":
        return 1 + index
    if kind == "number":
        return 1.5 + index
    value = _TYPE_SAMPLES[kind]
    return (
        dict(value)
        if isinstance(value, dict)
        else list(value)
        if isinstance(value, list)
        else value
    )


def _vary(sample: str, fmt: str, index: int) -> str:
    """The ``index``-th value of a format sample (the same for 0)."""
    if index == 0:
        return sample
    n = index % 28 + 1
    if fmt in ("date-time", "date"):
        return sample.replace("-01T", f"-{n:02d}T") if fmt == "date-time" else f"2024-01-{n:02d}"
    if fmt == "uuid":
        return sample[:-12] + f"{index:012d}"[-12:]
    if fmt == "email":
        return f"user{index}@example.com"
    if fmt == "uri":
        return f"https://example.com/{index}"
    return f"192.0.2.{index % 254 + 1}"


def as_text(value: object) -> str:
    """A value as it is written where only text travels (a query, a form field, a header,
    a ``{{slot}}`` inside a string): ``true``/``false``, numbers as Python writes them, and
    ``None`` as nothing (``?x=``, as Postman sends an empty value). The one rule, for slots
    filled into text and for generated query, header and form values alike."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def fill_slots(
    value: Any, variables: Mapping[str, str], *, json: bool = True, dynamic: bool = True
) -> Any:
    """``value`` with its slots filled: the one slot-filling policy of the tool.

    ``{{name}}`` takes the variable's value, else a fresh value of a Postman dynamic
    variable (``{{$guid}}``), else stays as written; a :class:`TypeSlot`, as an object or as
    its text (``"<long>"``, once contracts have written it out), takes :func:`slot_sample`.
    In JSON (``json=True``) a whole-value type slot becomes a value of its JSON type; in text
    (a query value, a header) it becomes that value's text. ``dynamic=False`` leaves
    ``{{variables}}`` unfilled (for files, which must not change from run to run).
    """
    if not dynamic:
        variables = {}
    return _fill(value, variables, json, dynamic, 0)


def _fill(value: Any, variables: Mapping[str, str], json: bool, dynamic: bool, index: int) -> Any:
    if isinstance(value, TypeSlot):
        sample = slot_sample(value, index)
        return sample if json else as_text(sample)
    if isinstance(value, Placeholder):
        return _fill_text(str(value), variables, dynamic)
    if isinstance(value, str):
        if "<" in value:
            slot = type_slot(value)
            if slot is not None:
                sample = slot_sample(slot, index)
                return sample if json else as_text(sample)
            if not json and "," in value:  # "<float>,<float>": an array as form text
                parts = value.split(",")
                slots = [type_slot(part) for part in parts]
                if all(slots):
                    return ",".join(
                        as_text(slot_sample(slot, i))  # type: ignore[arg-type]
                        for i, slot in enumerate(slots)
                    )
        return _fill_text(value, variables, dynamic) if "{{" in value else value
    if isinstance(value, list):
        return [_fill(v, variables, json, dynamic, i) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: fill_slots(v, variables, json=json, dynamic=dynamic) for k, v in value.items()}
    return value


def _fill_text(text: str, variables: Mapping[str, str], dynamic: bool = True) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            return variables[name]
        return (dynamic_value(name) if dynamic else None) or match.group(0)

    return PLACEHOLDER_RE.sub(one, text)


def whole_placeholder(text: str) -> str | None:
    """Return the variable name when ``text`` is exactly one ``{{name}}``, else ``None``."""
    if not text.startswith("{{"):
        return None
    match = _WHOLE_RE.match(text)
    return match.group(1) if match else None


def find_placeholders(text: str) -> tuple[str, ...]:
    """Return the names of the ``{{slots}}`` in ``text``, in order, without repeats."""
    if "{{" not in text:
        return ()
    return tuple(dict.fromkeys(PLACEHOLDER_RE.findall(text)))


def substitute(text: str, values: dict[str, str]) -> str:
    """Fill the slots of ``text`` whose names are in ``values``; leave the others as written."""
    if "{{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER_RE.sub(fill, text)


def dynamic_value(name: str) -> str | None:
    """A fresh value for a Postman dynamic variable (``$guid``...), as Postman would send it,
    or ``None`` for a name that is not a dynamic variable this tool can fill."""
    kind = DYNAMIC_VARIABLES.get(name)
    now = datetime.now(timezone.utc)
    values: dict[str | None, Callable[[], str]] = {
        "uuid": lambda: str(uuid.uuid4()),
        "unix-timestamp": lambda: str(int(now.timestamp())),
        "date-time": lambda: now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "integer": lambda: str(secrets.randbelow(1000)),
        "email": lambda: f"user{secrets.randbelow(10_000)}@example.com",
        "uri": lambda: "https://example.com/",
        "ipv4": lambda: "203.0.113.7",
        "boolean": lambda: secrets.choice(("true", "false")),
    }
    make = values.get(kind)
    return make() if make is not None else None
