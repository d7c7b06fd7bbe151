"""Infer a JSON Schema (draft 2020-12) from sample JSON values.

Why it exists: a Postman collection documents an API only by example (saved responses,
request bodies with ``{{variable}}`` slots). Contracts need schemas, and the schema must
accept every example while saying as much as the examples really show: which fields are
always there, which strings are timestamps or ids, which are a closed set of codes.

How: :class:`SchemaBuilder` walks each sample once and folds it into a tree of compact
per-position statistics (types seen, key counts, for strings a bitmask of the formats and
shapes still possible, a few distinct values, digit lengths); :meth:`SchemaBuilder.to_schema`
turns that tree into a schema. A position is a path of property names from the root,
where every element of an array shares the array's one ``items`` position.

Policies:

* **Types.** ``integer`` and ``number`` stay apart (``bool`` is never an integer); both at
  one position give ``number``. ``null`` is its own type. Several types give a ``type``
  list in the order null, boolean, integer, number, string, array, object, and one schema
  object carries the keywords of all of them (``properties`` and ``format`` only constrain
  instances of their own type), so no ``anyOf`` is needed.
* **Objects.** ``properties`` for every key seen. ``required``: ``observed`` lists the keys
  present in every object seen at the position (across examples and array elements),
  ``all`` every key seen, ``none`` nothing. ``additionalProperties: false`` only under
  ``strict``. Properties and ``required`` are sorted.
* **Arrays.** ``items`` merges every element of every example; empty arrays add nothing;
  with no element ever seen there is no ``items``.
* **Formats.** ``date-time``, ``date``, ``uuid``, ``ipv4``, ``email``, ``uri`` when every
  string at the position matches the strict detector of :mod:`._formats`.
* **Numeric ids.** When no format applies and every string is ASCII digits, at least 6
  long: ``pattern`` ``^[0-9]{a,b}$`` with the shortest and longest lengths (``{a}`` if equal).
* **Enums**, for discriminators only: a string-only position gets a sorted ``enum`` when
  its values are token-like (``^[A-Za-z][A-Za-z0-9_.-]{0,39}$``), at most ``max_enum``
  distinct, no format applies, and either the property name is discriminator-like
  (``status``, ``code``, ``type``... case-insensitive; array items take the name of their
  array) or every value is an UPPER_SNAKE constant of at least 2 characters (letters and
  underscores only: an upper-case token with digits, such as ``FKSPNCQ8HXSKGK82``, is an id).
* **Placeholders.** A :class:`Placeholder` adds no type and never adds or vetoes formats,
  patterns or enum values; it does count as the key being present. Where a position holds
  only placeholders, a dynamic kind decides (uuid, date-time, email, uri, ipv4: a string
  of that format; integer and unix-timestamp: integer; boolean), any other quoted one is a
  string, and an unquoted one is ``["boolean", "number", "string"]``.
* **Determinism.** The schema depends on neither sample order nor key order, and holds only
  plain dicts, lists, strings, numbers and booleans: no ``title``, ``description``,
  ``examples`` or ``$schema`` (the caller adds those).
* **Limits.** A value nested deeper than ``max_depth`` (the root is depth 0) raises
  :class:`ContractError` naming its JSON pointer; ``max_depth`` is capped so the walk stays
  far inside Python's recursion limit. A value that is not JSON raises the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal, NoReturn

from postman_contracts._errors import ContractError, InvalidArgument
from postman_contracts.collection import Placeholder, TypeSlot, to_pointer
from postman_contracts.contracts._evidence import EvidencePolicy, without_evidence
from postman_contracts.contracts._formats import (
    ALL_FORMATS,
    DATE,
    DATE_TIME,
    DETECTORS,
    EMAIL,
    FORMAT_NAMES,
    IPV4,
    URI,
    UUID,
    matching_formats,
)

__all__ = ["InferenceOptions", "SchemaBuilder", "infer_schema"]

#: The deepest ``max_depth`` accepted. The walk recurses once per level and CPython's
#: default recursion limit is 1000 frames, shared with the caller's own stack; and a schema
#: nests two JSON levels per object level (``properties``, then the name), which
#: ``json.dumps`` must still be able to write within the same limit.
MAX_DEPTH_LIMIT: Final = 400

_NULL, _BOOL, _INT, _NUM, _STR, _ARR, _OBJ = 1, 2, 4, 8, 16, 32, 64
_TYPE_NAMES: Final = (
    (_NULL, "null"),
    (_BOOL, "boolean"),
    (_INT, "integer"),
    (_NUM, "number"),
    (_STR, "string"),
    (_ARR, "array"),
    (_OBJ, "object"),
)
# String evidence bits above the format bits: still all-digit ids, token-like values
# (discriminator names), UPPER_SNAKE values (any name).
_DIGITS, _TOKEN, _UPPER = 1 << 8, 1 << 9, 1 << 10
_ENUM_BITS: Final = _TOKEN | _UPPER
_TOKEN_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}", re.ASCII)
# Letters and underscores only: ``INVALID_DATA`` is a constant, ``FKSPNCQ8HXSKGK82`` an id.
_UPPER_RE: Final = re.compile(r"[A-Z][A-Z_]*[A-Z]", re.ASCII)
_DISCRIMINATORS: Final = frozenset(
    name.lower()
    for name in (
        "status", "code", "type", "kind", "state", "operation", "method", "action", "mode",
        "category", "level", "result", "object", "error_code", "status_code", "errorCode",
    )
)  # fmt: skip
_FORMAT_KINDS: Final = frozenset(FORMAT_NAMES.values())
_TYPE_KINDS: Final = {"integer": _INT, "unix-timestamp": _INT, "boolean": _BOOL}
_UNQUOTED: Final = "<unquoted>"
_QUOTED: Final = "<quoted>"
_UNTYPED: Final = "<untyped>"  # a descriptive type slot: present, of no known type
_SLOT_TYPES: Final = {
    "null": _NULL,
    "boolean": _BOOL,
    "integer": _INT,
    "number": _NUM,
    "string": _STR,
    "array": _ARR,
    "object": _OBJ,
}


_DEFAULT_POLICY: Final = EvidencePolicy()


@dataclass(frozen=True)
class InferenceOptions:
    """How :class:`SchemaBuilder` turns samples into a schema.

    Attributes:
        required: ``observed`` (keys present in every object seen), ``all`` (every key
            seen) or ``none``.
        strictness: ``lenient`` leaves objects open; ``strict`` adds
            ``additionalProperties: false`` to every object.
        max_enum: the most distinct values an ``enum`` may have (``0`` turns enums off).
        max_depth: the deepest nesting accepted, 1 to 400; deeper samples raise
            :class:`ContractError`.
        evidence: write each position's evidence as ``x-evidence`` (how many values were
            seen there, how many distinct strings, how many slots), from which the checks
            decide which constraints are asserted.
        policy: how much evidence a constraint needs to be asserted (recorded with the
            contracts; see :class:`~postman_contracts.contracts.EvidencePolicy`).
    """

    required: Literal["observed", "all", "none"] = "observed"
    strictness: Literal["lenient", "strict"] = "lenient"
    max_enum: int = 12
    max_depth: int = 200
    evidence: bool = False
    policy: EvidencePolicy = _DEFAULT_POLICY

    def __post_init__(self) -> None:
        if self.required not in ("observed", "all", "none"):
            raise InvalidArgument(f"required must be observed, all or none, not {self.required!r}")
        if self.strictness not in ("lenient", "strict"):
            raise InvalidArgument(f"strictness must be lenient or strict, not {self.strictness!r}")
        if type(self.max_enum) is not int or self.max_enum < 0:
            raise InvalidArgument(f"max_enum must be an int >= 0, not {self.max_enum!r}")
        if not isinstance(self.policy, EvidencePolicy):
            raise InvalidArgument(f"policy must be an EvidencePolicy, not {self.policy!r}")
        if type(self.max_depth) is not int or not 1 <= self.max_depth <= MAX_DEPTH_LIMIT:
            raise InvalidArgument(
                f"max_depth must be an int from 1 to {MAX_DEPTH_LIMIT}, not {self.max_depth!r}"
            )


_DEFAULT_OPTIONS: Final = InferenceOptions()


_Handler = Callable[["_Node", str], None]


class _Node:
    """Statistics of one position: everything :meth:`SchemaBuilder.to_schema` needs.

    A node is created for every new position of every sample, so creation stores only what
    every position needs. Strings are handled in two steps, because most positions of a
    collection's examples only ever see one string (a message, a name, an id in one saved
    response): the first string is just kept (:func:`_lone`), and its evidence is worked
    out once, either when a different string arrives (:func:`_second`, which sets up
    ``mask`` and what it draws on) or when the schema is written (:func:`_lone_keywords`).
    """

    __slots__ = (
        "count",
        "depth",
        "detector",
        "empties",
        "handler",
        "items",
        "last",
        "mask",
        "max_enum",
        "max_len",
        "min_len",
        "name",
        "objects",
        "placeholders",
        "props",
        "sample",
        "samples",
        "slots",
        "types",
        "values",
        "variables",
    )

    # Set up by ``_evidence`` at the second distinct string, and only read after it.
    mask: int  # string evidence still possible, narrowed by every string
    values: set[str] | None  # distinct strings while an enum is possible
    min_len: int  # lengths of the all-digit strings, while ``_DIGITS`` is possible
    max_len: int
    detector: Callable[[str], object]  # set by ``_choose`` when a format is the only hope

    def __init__(self, name: str | None, depth: int, max_enum: int) -> None:
        self.name = name  # the property name, which decides whether enums may apply
        self.depth = depth  # fixed by the position, so it is checked once, at creation
        self.types = 0  # bits of the JSON types seen
        self.objects = 0  # how many objects were seen here
        self.count = 0  # how many values were seen here (for a property: objects with the key)
        self.samples = 0  # in how many samples (saved examples) the position had a value
        self.sample = 0  # the last of them, numbered from 1
        self.slots = 0  # how many of them were slots: ``{{variables}}`` or ``<type>`` slots
        self.variables = 0  # how many were ``{{variables}}``, whose value is not shown
        self.empties = 0  # how many were "": a string, or a value a converter left untyped
        self.props: dict[str, _Node] | None = None
        self.items: _Node | None = None
        self.placeholders: set[str] | None = None
        self.last: str | None = None  # the last string seen, already accounted for
        self.max_enum = max_enum
        self.handler: _Handler | None = _lone  # what a new string costs: see _choose


# -- string evidence: each node calls the cheapest handler its remaining mask allows -----


def _lone(node: _Node, text: str) -> None:
    """The first string at a position: only kept, as it may stay the only one."""
    node.types |= _STR
    node.last = text
    node.handler = _second


def _second(node: _Node, text: str) -> None:
    """A second distinct string: set up the evidence of the first, then narrow it.

    Only a format both strings could have can survive both, so only those are tested on
    the first (usually none, and then no detector runs at all).
    """
    first: str = node.last  # type: ignore[assignment]  # set by _lone
    _evidence(node, first, _possible_formats(first) & _possible_formats(text))
    handler = node.handler
    if handler is not None:
        handler(node, text)


def _possible_formats(text: str) -> int:
    """The format bits whose detector could accept ``text``: a cheap filter before them.

    Each test is a necessary condition read off the detector's pattern in :mod:`._formats`
    (a separator it always contains, its fixed or bounded length), so a bit left out here
    is one :func:`matching_formats` would not have found; most strings (names, messages)
    pass none and cost no detector call at all. A property test holds this to
    :func:`matching_formats` on strings generated from the detectors' own patterns.
    """
    size = len(text)
    bits = 0
    if ":" in text:  # every URI, and the time of a date-time
        bits = (URI | DATE_TIME) if size >= 20 and text[10] == "T" else URI
    if "@" in text:
        bits |= EMAIL
    if size == 10:  # YYYY-MM-DD
        bits |= DATE
    elif size == 36:  # 8-4-4-4-12
        bits |= UUID
    if 7 <= size <= 15 and "." in text:  # 0.0.0.0 to 255.255.255.255
        bits |= IPV4
    return bits


def _matching(text: str, formats: int) -> int:
    """:func:`matching_formats`, calling the detector itself when one format is left.

    As :func:`_one_format` does: the prefilter usually leaves one format (a ``:`` makes
    only ``uri`` possible), and its detector alone costs less than the general dispatch.
    """
    detector = DETECTORS.get(formats)
    if detector is not None:
        return formats if detector(text) else 0
    return matching_formats(text, formats)


def _evidence(node: _Node, text: str, formats: int) -> None:
    """Set up the string evidence of a position from its first string, ``text``.

    It has the effect of :func:`_narrow` on the full starting mask (the ``formats`` still
    worth testing, digits, and the enum bit the name allows), computed directly: what
    ``text`` shows is all the position knows, so the evidence is built up rather than
    narrowed down. A property test holds the two to the same result.
    """
    mask = _matching(text, formats) if formats else 0
    size = len(text)
    if size >= 6 and text.isdigit() and text.isascii():
        mask |= _DIGITS
        node.min_len = node.max_len = size
    node.values = None
    # One value is always within ``max_enum`` when enums are on at all. An UPPER_SNAKE
    # string of at most 40 characters is token-like.
    if node.max_enum and size <= 40:
        name = node.name
        if name is not None and name.lower() in _DISCRIMINATORS:
            if _TOKEN_RE.fullmatch(text) is not None:
                mask |= _TOKEN  # any token will do; UPPER_SNAKE adds nothing
                node.values = {text}
        elif text.isupper() and _UPPER_RE.fullmatch(text) is not None:
            mask |= _UPPER
            node.values = {text}
    node.mask = mask
    _choose(node)


def _choose(node: _Node) -> None:
    """Pick the handler for the evidence still possible at ``node``."""
    mask = node.mask
    if not mask:
        node.handler = None  # nothing left to learn from strings here
    elif mask == _DIGITS:
        node.handler = _digits_only
    elif mask in DETECTORS:
        node.handler, node.detector = _one_format, DETECTORS[mask]
    elif not mask & ~_ENUM_BITS:
        node.handler = _enum_only
    else:
        node.handler = _narrow


def _narrow(node: _Node, text: str) -> None:
    """The general case: test ``text`` against every kind of evidence still possible."""
    node.last = text
    mask = node.mask
    formats = mask & ALL_FORMATS
    if formats:
        formats &= _possible_formats(text)
        mask &= (_matching(text, formats) if formats else 0) | ~ALL_FORMATS
    if mask & _DIGITS:
        size = len(text)
        if size >= 6 and text.isdigit() and text.isascii():
            node.min_len = min(node.min_len, size)
            node.max_len = max(node.max_len, size)
        else:
            mask &= ~_DIGITS
    if mask & _ENUM_BITS:
        mask = _enum_value(node, text, mask)
    node.mask = mask
    _choose(node)


def _digits_only(node: _Node, text: str) -> None:
    node.last = text
    size = len(text)
    if size >= 6 and text.isdigit() and text.isascii():
        if size < node.min_len:
            node.min_len = size
        if size > node.max_len:
            node.max_len = size
    else:
        node.mask = 0
        node.handler = None


def _one_format(node: _Node, text: str) -> None:
    node.last = text
    if not node.detector(text):
        node.mask = 0
        node.handler = None


def _enum_only(node: _Node, text: str) -> None:
    node.last = text
    values = node.values
    if values is None or text not in values:
        node.mask = _enum_value(node, text, node.mask)
        _choose(node)


def _enum_value(node: _Node, text: str, mask: int) -> int:
    """Add ``text`` to the enum candidates of ``node``; return the narrowed ``mask``."""
    values = node.values
    assert values is not None  # kept while an enum bit is set
    if text in values:
        return mask
    if _TOKEN_RE.fullmatch(text) is None:
        mask &= ~_ENUM_BITS
    elif mask & _UPPER and _UPPER_RE.fullmatch(text) is None:
        mask &= ~_UPPER
    if mask & _ENUM_BITS:
        values.add(text)
        if len(values) <= node.max_enum:
            return mask
    node.values = None
    return mask & ~_ENUM_BITS


class _Located(Exception):
    """A problem inside a sample; frames add their key as it propagates to ``add``."""

    def __init__(self, reason: str, parts: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.parts = parts  # pointer parts, innermost first


def _pointer(parts: list[str]) -> str:
    return "#" + to_pointer(reversed(parts))


def _index_of(arr: list[Any], value: object) -> int:
    """The index of ``value`` (by identity) in ``arr``: the element being visited."""
    return next(index for index, item in enumerate(arr) if item is value)


class SchemaBuilder:
    """Accumulates samples, one example each, into a draft 2020-12 schema.

    Args:
        options: the inference policies; see :class:`InferenceOptions`.

    Example:
        >>> builder = SchemaBuilder()
        >>> builder.add({"status": "success", "id": "738964000002131001"})
        >>> builder.add({"status": "error"})
        >>> builder.to_schema()["properties"]["status"]
        {'type': 'string', 'enum': ['error', 'success']}
    """

    def __init__(self, options: InferenceOptions = _DEFAULT_OPTIONS) -> None:
        if not isinstance(options, InferenceOptions):
            raise InvalidArgument(f"options must be InferenceOptions, not {options!r}")
        self._options = options
        self._max_depth = options.max_depth
        self._max_enum = options.max_enum
        # The options ``_emit`` asks about at every object, read once.
        self._strict = options.strictness == "strict"
        self._required = options.required
        self._evidence = options.evidence
        self._root = _Node(None, 0, options.max_enum)
        self._samples = 0
        self._broken = False

    def add(self, sample: object) -> None:
        """Fold one example into the schema.

        Args:
            sample: one JSON value (dict, list, str, int, float, bool, None) in which
                :class:`Placeholder` objects may stand for ``{{variable}}`` slots.

        Raises:
            ContractError: the sample is nested deeper than ``max_depth`` or holds a value
                that is not JSON. The builder is then unusable, as the sample is half-added.
        """
        if self._broken:
            self._unusable()
        try:
            if type(sample) is dict:  # as almost every example is
                self._object(self._root, sample)
            else:
                self._visit(self._root, sample)
        except _Located as err:
            self._broken = True
            raise ContractError(
                f"sample {self._samples + 1}: {err.reason} at {_pointer(err.parts)}"
            ) from err
        except RecursionError as err:  # only when the caller's own stack is near the limit
            self._broken = True
            raise ContractError(f"sample {self._samples + 1}: nested too deeply") from err
        self._samples += 1
        self._root.count += 1
        self._root.samples += 1

    def to_schema(self) -> dict[str, Any]:
        """Return a schema of every sample added so far (``{}`` before the first).

        Returns:
            A new JSON-serialisable dict; the builder can go on taking samples.
        """
        if self._broken:
            self._unusable()
        if self._samples == 0:
            return {}
        return self._emit(self._root)

    @staticmethod
    def _unusable() -> NoReturn:
        raise ContractError("this SchemaBuilder failed on a sample; start a new one")

    # -- walking samples: one frame per nesting level, scalars handled inline -----------

    def _visit(self, node: _Node, value: object) -> None:
        kind = type(value)
        if kind is dict:
            self._object(node, value)  # type: ignore[arg-type]
        elif kind is list:
            self._array(node, value)  # type: ignore[arg-type]
        elif kind is str:
            if not value:
                node.empties += 1
                return
            handler = node.handler
            if handler is not None and value != node.last:
                handler(node, value)  # type: ignore[arg-type]
        elif kind is int:
            node.types |= _INT
        elif kind is float:
            node.types |= _NUM
        elif kind is bool:
            node.types |= _BOOL
        elif value is None:
            node.types |= _NULL
        else:
            self._unusual(node, value)

    def _object(self, node: _Node, obj: dict[Any, Any]) -> None:
        node.objects += 1  # the object type is read from this count
        props = node.props
        if props is None:
            props = node.props = {}
        get = props.get
        current = self._samples + 1  # the number of the sample being added
        key: Any = None
        try:
            for key, value in obj.items():
                child = get(key)
                if child is None:  # a new position, created inline: it is frequent
                    if type(key) is not str or node.depth >= self._max_depth:
                        self._refuse(node, key)
                    child = props[key] = _Node(key, node.depth + 1, self._max_enum)
                    if type(value) is str and value:  # what _lone would do, without the call
                        child.count = 1
                        child.samples = 1
                        child.sample = current
                        child.types = _STR
                        child.last = value
                        child.handler = _second
                        continue
                child.count += 1
                if child.sample != current:  # the first value in this sample
                    child.sample = current
                    child.samples += 1
                kind = type(value)
                if kind is str:
                    if not value:
                        child.empties += 1
                        continue
                    handler = child.handler
                    if handler is not None and value != child.last:
                        handler(child, value)
                elif kind is dict:
                    self._object(child, value)
                elif kind is list:
                    self._array(child, value)
                elif kind is int:
                    child.types |= _INT
                elif value is None:
                    child.types |= _NULL
                else:
                    self._visit(child, value)
        except _Located as err:
            err.parts.append(str(key))
            raise

    def _refuse(self, node: _Node, key: object) -> None:
        """Raise why a key seen for the first time at ``node`` cannot have a position."""
        if type(key) is not str:
            raise _Located(f"object key {key!r} is not a string", [])
        raise _Located(f"nested deeper than max_depth={self._max_depth}", [])

    def _array(self, node: _Node, arr: list[Any]) -> None:
        node.types |= _ARR
        if not arr:
            return
        items = node.items
        if items is None:
            if node.depth >= self._max_depth:
                raise _Located(f"nested deeper than max_depth={self._max_depth}", ["0"])
            items = node.items = _Node(node.name, node.depth + 1, self._max_enum)
        items.count += len(arr)
        if items.sample != self._samples + 1:
            items.sample = self._samples + 1
            items.samples += 1
        value: Any = None
        try:
            for value in arr:
                kind = type(value)
                if kind is dict:
                    self._object(items, value)
                elif kind is str:
                    if not value:
                        items.empties += 1
                        continue
                    handler = items.handler
                    if handler is not None and value != items.last:
                        handler(items, value)
                elif kind is list:
                    self._array(items, value)
                else:
                    self._visit(items, value)
        except _Located as err:
            err.parts.append(str(_index_of(arr, value)))
            raise

    def _unusual(self, node: _Node, value: object) -> None:
        """Placeholders, subclasses of JSON types, and values that are not JSON at all."""
        if isinstance(value, TypeSlot):
            node.slots += 1
            for name in value.types:
                bit = _SLOT_TYPES[name]
                if bit == _OBJ:
                    node.objects += 1
                else:
                    node.types |= bit
            if node.placeholders is None:
                node.placeholders = set()
            if not value.types:
                node.placeholders.add(_UNTYPED)
            elif value.format is not None:
                node.placeholders.add("@" + value.format)
        elif isinstance(value, Placeholder):
            node.slots += 1
            node.variables += 1
            kind = value.dynamic_kind or (_QUOTED if value.quoted else _UNQUOTED)
            if value.quoted and kind in _TYPE_KINDS:
                kind = _QUOTED  # "{{$randomInt}}" in quotes is sent as a string
            if node.placeholders is None:
                node.placeholders = set()
            node.placeholders.add(kind)
        elif isinstance(value, bool):
            node.types |= _BOOL
        elif isinstance(value, int):
            node.types |= _INT
        elif isinstance(value, float):
            node.types |= _NUM
        elif isinstance(value, str):
            if not value:
                node.empties += 1
                return
            node.types |= _STR
            if node.handler is not None:
                node.handler(node, str(value))
        elif isinstance(value, dict):
            self._object(node, value)
        elif isinstance(value, list):
            self._array(node, value)
        else:
            raise _Located(f"{type(value).__name__} is not a JSON value", [])

    # -- building the schema: one frame per nesting level too ---------------------------

    def _emit(self, node: _Node) -> dict[str, Any]:
        types = node.types
        if node.objects:
            types |= _OBJ
        if node.empties:
            types |= _STR
        kind = _TYPE_LISTS[types]
        schema: dict[str, Any] = {"type": kind if type(kind) is str else list(kind)}
        evidence = self._evidence
        if not types & (_STR | _ARR | _OBJ):  # a leaf of scalars: nothing but its type
            if not types:
                schema = _placeholder_schema(node.placeholders or set())
            if evidence:
                schema["x-evidence"] = _evidence_of(node, schema)
            return schema
        if types & _STR and not node.empties:  # "" has no format, pattern or enum value
            handler = node.handler
            if handler is _lone:  # no string value, only slots of a string type
                fmt = _slot_format(node)
                if fmt is not None:
                    schema["format"] = fmt
            elif handler is _second:  # one string only, its evidence never worked out
                _lone_keywords(node, schema, types == _STR)
            else:
                mask = node.mask
                if mask:
                    _string_keywords(node, schema, mask, only_strings=types == _STR)
        if types & _ARR:
            items = node.items
            if items is not None:
                schema["items"] = self._emit(items)
        if types & _OBJ:
            props = node.props
            if props and _is_map(props):
                schema["additionalProperties"] = self._map_values(props)
            elif props:  # set by the first object here; empty while every object was
                names = sorted(props)
                properties: dict[str, Any] = {}
                # ``observed``: the keys every object here had, collected on the way.
                required: list[str] | None = [] if self._required == "observed" else None
                objects = node.objects
                for name in names:  # a loop, not a comprehension: one frame per level
                    child = props[name]
                    if (
                        child.types == _STR
                        and child.handler is _second
                        and not child.objects
                        and not child.empties
                        and not evidence
                    ):
                        # The most common position of all: one string, nothing else.
                        leaf: dict[str, Any] = {"type": "string"}
                        _lone_keywords(child, leaf, True)
                        properties[name] = leaf
                    else:
                        properties[name] = self._emit(child)
                    if required is not None and child.count == objects:
                        required.append(name)
                schema["properties"] = properties
                if required:
                    schema["required"] = required
                elif self._required == "all":
                    schema["required"] = names
            if self._strict and "additionalProperties" not in schema:
                schema["additionalProperties"] = False
        if evidence:
            schema["x-evidence"] = _evidence_of(node, schema)
        return schema

    def _map_values(self, props: dict[str, _Node]) -> dict[str, Any]:
        """The one schema of a map's values: theirs when all agree, else any value.

        The evidence kept is the first value's: a map's entries, like an array's elements,
        are not independent examples of each other.
        """
        schemas = [self._emit(child) for child in props.values()]
        bare = [without_evidence(one) for one in schemas]
        return schemas[0] if all(one == bare[0] for one in bare) else {}


#: Keys that are data, not names: ids, dates, uuids, and the converter's ``key_0``, ``key_1``
#: (openapi-to-postmanv2 writes those for ``additionalProperties``).
_DATA_KEY_RE: Final = re.compile(
    r"key_[0-9]+|[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+Z?)?",
    re.ASCII,
)


def _is_map(props: dict[str, _Node]) -> bool:
    """Whether an object's keys are data (a map from ids to values) rather than field names."""
    return all(_DATA_KEY_RE.fullmatch(key) is not None for key in props)


def _slot_format(node: _Node) -> str | None:
    """The format that every type slot of a string position documents, if they agree."""
    kinds = node.placeholders or set()
    formats = {k[1:] for k in kinds if k[:1] == "@"}
    plain = node.variables or any(k[:1] != "@" and k != _UNTYPED for k in kinds)
    return formats.pop() if len(formats) == 1 and not plain else None


def _evidence_of(node: _Node, schema: dict[str, Any]) -> dict[str, Any]:
    """How much the examples show at ``node``: the basis of each constraint's assertion.

    ``seen``: in how many samples (saved examples) the position had a value: independent
    evidence, where the elements of one array are not; ``values``: how many values it had in
    all, when more than ``seen``; ``slots``: how many of them were slots (``{{variables}}``
    or ``<type>``), of which ``variables`` were ``{{variables}}``; ``empty``: how many were
    ``""`` (a converter's value of no known type); ``distinct``: for a
    position with a ``format``, ``pattern`` or ``enum`` from its values, the distinct strings
    seen (counted exactly for an ``enum``, else as 1 or 2, where 2 means "more than one").
    """
    evidence: dict[str, Any] = {"seen": node.samples}
    if node.count > node.samples:
        evidence["values"] = node.count
    if node.slots:
        evidence["slots"] = node.slots
    if node.empties:
        evidence["empty"] = node.empties
    if node.variables:
        evidence["variables"] = node.variables
    if (
        node.types & _STR
        and node.handler is not _lone
        and ("format" in schema or "pattern" in schema or "enum" in schema)
    ):
        if node.handler is _second:
            evidence["distinct"] = 1
        elif "enum" in schema:
            evidence["distinct"] = len(schema["enum"])
        else:
            evidence["distinct"] = 2
    return evidence


def _string_keywords(node: _Node, schema: dict[str, Any], mask: int, *, only_strings: bool) -> None:
    if mask & ALL_FORMATS:
        for bit, name in FORMAT_NAMES.items():
            if mask & bit:
                schema["format"] = name
                return
    if mask & _DIGITS:
        low, high = node.min_len, node.max_len
        schema["pattern"] = f"^[0-9]{{{low}}}$" if low == high else f"^[0-9]{{{low},{high}}}$"
    elif mask & _ENUM_BITS and only_strings and node.values:
        schema["enum"] = sorted(node.values)


def _lone_keywords(node: _Node, schema: dict[str, Any], only_strings: bool) -> None:
    """The keywords of a position whose strings all equal its first, ``node.last``.

    What :func:`_evidence` of ``node.last`` then :func:`_string_keywords` would write,
    without setting up the evidence: only what decides the schema is tested, in the order
    it decides it (a property test holds the two to the same result).
    """
    text: str = node.last  # type: ignore[assignment]  # set by _lone
    formats = _possible_formats(text)
    if formats:
        found = _matching(text, formats)
        if found:
            for bit, name in FORMAT_NAMES.items():
                if found & bit:
                    schema["format"] = name
                    return
    size = len(text)
    if size >= 6 and text.isdigit() and text.isascii():
        schema["pattern"] = f"^[0-9]{{{size}}}$"
    elif only_strings and node.max_enum and size <= 40:
        prop = node.name
        if prop is not None and prop.lower() in _DISCRIMINATORS:
            if _TOKEN_RE.fullmatch(text) is not None:
                schema["enum"] = [text]
        elif text.isupper() and _UPPER_RE.fullmatch(text) is not None:
            schema["enum"] = [text]


def _type_names(types: int) -> str | list[str]:
    if types & _INT and types & _NUM:
        types &= ~_INT  # every integer is a number
    names = [name for bit, name in _TYPE_NAMES if types & bit]
    return names[0] if len(names) == 1 else names


#: ``_type_names`` of every combination of type bits, a list as a tuple (copied per use).
_TYPE_LISTS: Final[tuple[str | tuple[str, ...], ...]] = tuple(
    names if isinstance(names, str) else tuple(names)
    for names in map(_type_names, range(_OBJ << 1))
)


def _placeholder_schema(kinds: set[str]) -> dict[str, Any]:
    """The schema of a position where only placeholders were seen."""
    types = 0
    formats = set()
    plain_string = False
    if kinds <= {_UNTYPED} or all(k[:1] == "@" or k == _UNTYPED for k in kinds):
        return {}
    for kind in kinds:
        if kind[:1] == "@" or kind == _UNTYPED:
            continue
        if kind in _FORMAT_KINDS:
            types |= _STR
            formats.add(kind)
        elif kind in _TYPE_KINDS:
            types |= _TYPE_KINDS[kind]
        elif kind == _UNQUOTED:
            types |= _BOOL | _NUM | _STR
            plain_string = True
        else:  # quoted, with no known meaning
            types |= _STR
            plain_string = True
    schema: dict[str, Any] = {"type": _type_names(types)}
    if len(formats) == 1 and not plain_string:
        schema["format"] = formats.pop()
    return schema


def infer_schema(
    samples: Iterable[object], options: InferenceOptions = _DEFAULT_OPTIONS
) -> dict[str, Any]:
    """Infer one draft 2020-12 schema from ``samples``, each one example.

    Args:
        samples: JSON values, in which :class:`Placeholder` objects may stand for
            ``{{variable}}`` slots.
        options: the inference policies; see :class:`InferenceOptions`.

    Returns:
        The schema, as plain JSON-serialisable dicts and lists (``{}`` for no samples).

    Raises:
        ContractError: a sample is nested deeper than ``options.max_depth`` or is not JSON.
    """
    builder = SchemaBuilder(options)
    for sample in samples:
        builder.add(sample)
    return builder.to_schema()
