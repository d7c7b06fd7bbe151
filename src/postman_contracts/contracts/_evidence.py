"""Which inferred constraints the examples really assert: the evidence policy.

Why it exists: a saved example is evidence, not law. One example showing ``"status":
"pending"`` does not document that ``pending`` is the only status; one id of six digits does
not document that every id has six; one response showing a key does not document that the
key is always there, nor that it is never ``null``. Inference writes everything it sees,
with how much it saw (``x-evidence`` on each position: ``seen`` in how many examples,
``values`` in all, ``distinct`` strings, ``slots``); this module decides, from a stated
policy, which of those constraints the checks hold a server or a client to by default.
``--contracts-strict`` holds them to all of them.

The policy (:class:`EvidencePolicy`, written to ``index.json``), by default:

* **Types** are asserted: what the examples and ``<type>`` slots show. A position seen in
  fewer than ``min_seen`` examples also accepts ``null`` (a field shown once with a value
  may be nullable; two examples or more without a ``null`` are evidence that it is not),
  and any number where it showed an integer (``12`` documents a number as well as
  ``12.5`` would). A ``<type>`` slot documents its type: ``<long>`` an integer; but not
  that it is never ``null``, as the importer writes ``<integer>`` for an OpenAPI 3.0
  ``nullable: true`` integer too (``<integer,null>`` only for 3.1).
* **Required keys** need objects at the position in ``min_seen`` examples, each object
  with the key. The elements of one array are not independent evidence: a converter
  writes two copies of one generated element, a writer pastes one record several times.
* **Formats** need ``min_distinct`` distinct values that all have it, or a ``<type>`` slot
  that documents it (``<dateTime>``). **Digit patterns** need ``min_distinct`` distinct
  values and then only assert "digits", never a length.
* **Enums** need at least two distinct values and ``enum_min_seen`` values in all (array
  elements count here: a list of records showing each status is evidence of the set).
* A position where every value was ``null`` asserts no type: a ``null`` shows that the
  value may be absent, not what it is when present.
* A position where every value was ``""`` asserts no type: Postman's OpenAPI importer
  writes ``""`` for a value whose type the definition does not give.
* A number or boolean read from literal text (a query parameter ``limit=10``, a form field;
  ``x-evidence.text``) in fewer than ``min_seen`` examples, without a ``<type>`` slot, also
  accepts any text: one example of ``q=2024`` does not document that ``q`` is a number.
* ``{{variables}}`` and ``<type>`` slots add no evidence for or against a format, pattern
  or enum: only the values shown count.

Schemas without ``x-evidence`` (hand-written overrides) are asserted as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final

from postman_contracts._errors import InvalidArgument

__all__ = [
    "EVIDENCE_KEY",
    "EvidencePolicy",
    "asserted_schema",
    "presence_asserted",
    "without_evidence",
]

#: The annotation inference writes on every position it saw.
EVIDENCE_KEY: Final = "x-evidence"
_DIGITS_RE: Final = re.compile(r"\^\[0-9\]\{[0-9]+(,[0-9]+)?\}\$")
_SUBSCHEMA_MAPS: Final = ("properties", "$defs", "patternProperties")
_SUBSCHEMA_LISTS: Final = ("anyOf", "oneOf", "allOf", "prefixItems")
_SUBSCHEMAS: Final = ("items", "additionalProperties", "not", "contains")


@dataclass(frozen=True)
class EvidencePolicy:
    """How much the examples must show before a constraint is asserted.

    Attributes:
        min_seen: examples a position needs before its keys are required and ``null`` is
            refused there.
        min_distinct: distinct values a ``format`` or digit ``pattern`` needs.
        enum_min_seen: values an ``enum`` needs (it also needs two distinct ones).
    """

    min_seen: int = 2
    min_distinct: int = 2
    enum_min_seen: int = 5

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if type(value) is not int or value < 1:
                raise InvalidArgument(f"{name} must be an int >= 1, not {value!r}")

    def as_json(self) -> dict[str, int]:
        """The policy as written to ``index.json``."""
        return asdict(self)

    @classmethod
    def from_json(cls, doc: Mapping[str, Any] | None) -> EvidencePolicy:
        """The policy ``index.json`` records (the defaults for an older file)."""
        if not doc:
            return cls()
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def asserted_schema(schema: Mapping[str, Any], policy: EvidencePolicy) -> dict[str, Any]:
    """``schema`` with only the constraints its evidence asserts under ``policy``.

    A new schema; ``schema`` is not changed. The root keeps its type whatever its evidence
    (a body is not ``null`` because one example was seen).
    """
    return _assert(schema, policy, root=True)


def presence_asserted(
    required: bool,
    schema: Any,
    policy: EvidencePolicy,
    *,
    requests: int | None = None,
    strict: bool = False,
) -> bool:
    """Whether a required query parameter or header (``schema`` its value's) is asserted
    present, for the request checks and the coverage phase alike.

    Marked required by its description (the OpenAPI importer's ``(Required)``, recorded as
    ``x-evidence.marked``): yes. Otherwise only when shown in ``min_seen`` examples of
    ``requests`` distinct requests at least ``min_seen`` when they are a request's (``None``:
    a response's header, shown by responses, not requests; see
    :attr:`~postman_contracts.contracts.OperationContract.distinct_requests`): a request saved
    identically under several responses is one example, however many copies. Without
    ``x-evidence`` (a hand-written override): as written. ``strict``: as written.
    """
    evidence = schema.get(EVIDENCE_KEY) if isinstance(schema, Mapping) else None
    if not required or strict or not isinstance(evidence, Mapping):
        return required
    if evidence.get("marked") == "required":
        return True
    varied = requests is None or requests >= policy.min_seen
    return int(evidence.get("seen", 0)) >= policy.min_seen and varied


def _assert(schema: Mapping[str, Any], policy: EvidencePolicy, *, root: bool) -> dict[str, Any]:
    out = {key: _children(key, value, policy) for key, value in schema.items()}
    evidence = out.get(EVIDENCE_KEY)
    if not isinstance(evidence, Mapping):
        return out
    seen = int(evidence.get("seen", 0))
    values = int(evidence.get("values", seen))
    slots = int(evidence.get("slots", 0))
    # ``<long>`` documents an integer (``{{variables}}`` document nothing). Not non-null:
    # the importer writes ``<integer>`` for an OpenAPI 3.0 ``nullable: true`` integer too.
    typed = slots - int(evidence.get("variables", 0)) > 0
    distinct = evidence.get("distinct")
    if "required" in out and seen < policy.min_seen:
        del out["required"]
    if distinct is not None:  # format, pattern or enum learned from values
        weak = int(distinct) < policy.min_distinct
        if "format" in out and weak:
            del out["format"]
        if "pattern" in out:
            if weak:
                del out["pattern"]
            elif _DIGITS_RE.fullmatch(str(out["pattern"])):
                out["pattern"] = "^[0-9]+$"
        if "enum" in out and (weak or int(distinct) < 2 or values - slots < policy.enum_min_seen):
            del out["enum"]
    if not root and seen < policy.min_seen and not typed and "type" in out:
        out["type"] = _integer_as_number(out["type"])
        if int(evidence.get("text", 0)):
            out["type"] = _with_string(out["type"])
    if int(evidence.get("empty", 0)) >= values and "type" in out:
        del out["type"]  # only "": a string, or a value of no documented type
    elif out.get("type") in ("null", ["null"]):
        del out["type"]  # only null: the value was absent, its type is not shown
    elif not root and seen < policy.min_seen and "type" in out:
        out["type"] = _with_null(out["type"])
    return out


def _integer_as_number(types: Any) -> Any:
    names = [types] if isinstance(types, str) else list(types)
    if "integer" not in names:
        return types
    widened = list(dict.fromkeys("number" if n == "integer" else n for n in names))
    return widened[0] if len(widened) == 1 else widened


def _with_string(types: Any) -> Any:
    names = [types] if isinstance(types, str) else list(types)
    return types if "string" in names else [*names, "string"]


def _with_null(types: Any) -> Any:
    names = [types] if isinstance(types, str) else list(types)
    if "null" in names:
        return types
    return ["null", *names]


def _children(key: str, value: Any, policy: EvidencePolicy) -> Any:
    if key in _SUBSCHEMAS and isinstance(value, Mapping):
        return _assert(value, policy, root=False)
    if key in _SUBSCHEMA_MAPS and isinstance(value, Mapping):
        return {
            k: _assert(v, policy, root=False) if isinstance(v, Mapping) else v
            for k, v in value.items()
        }
    if key in _SUBSCHEMA_LISTS and isinstance(value, list):
        return [_assert(v, policy, root=False) if isinstance(v, Mapping) else v for v in value]
    return value


def without_evidence(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` without its ``x-evidence`` annotations (for an export, or to compare)."""
    return _map_schemas(schema, without_evidence)


def _map_schemas(schema: Mapping[str, Any], each: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == EVIDENCE_KEY:
            continue
        if key in _SUBSCHEMAS and isinstance(value, Mapping):
            value = each(value)
        elif key in _SUBSCHEMA_MAPS and isinstance(value, Mapping):
            value = {k: each(v) if isinstance(v, Mapping) else v for k, v in value.items()}
        elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
            value = [each(v) if isinstance(v, Mapping) else v for v in value]
        out[key] = value
    return out
