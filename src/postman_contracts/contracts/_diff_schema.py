"""Two schemas compared by what their examples assert: the body part of the diff.

Why it exists: an inferred schema holds everything the examples showed, with how much they
showed it (``x-evidence``). A diff of those schemas as written reports example values as
contract changes: a status shown once as ``"FAILED"`` then as ``"EXPIRED"`` is an enum
changed, an id of six digits then seven is a pattern changed. So both sides are first cut
down to what the evidence asserts (:func:`~._evidence.asserted_schema`), then to the few
facts a change is made of (:func:`view`); several variants of one operation are joined
into the union of what they document (:func:`join`); :func:`compare` walks two views and
says what changed, in which direction, without deciding for whom it breaks (``_diff``
does, from the side of the exchange).

What a view keeps, and why:

* **Types**, without ``null``: whether an example shows ``null`` is a value, and the
  evidence policy adds ``null`` where a position was seen once. ``integer`` and ``number``
  are compared as one family (:data:`REFINED`): JSON has one number type, and ``12`` then
  ``12.5`` is a value edit. A position whose values were all unquoted ``{{variables}}``
  has no type: inference wrote every type one might be (a quoted one is a string).
* **Properties**, map values (``additionalProperties``) and array items. **Required keys**
  where written by hand; inferred ones only for a property added (see :func:`compare`).
* **Enums, formats and patterns** only where both sides assert one (a constraint one side
  has too little evidence for is no evidence of a change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from postman_contracts.contracts._evidence import EVIDENCE_KEY, EvidencePolicy, asserted_schema

__all__ = ["Finding", "compare", "contains", "join", "render_path", "view"]

#: Directions of a finding. ``added``/``removed``: a property or key; ``narrowed``: the
#: new side accepts less; ``widened``: more; ``changed``: some of each; ``renamed``: one
#: property removed and one of the same type added in one object; ``refined``: integer and
#: number exchanged, not a change of the JSON type.
ADDED, REMOVED, NARROWED, WIDENED, CHANGED, RENAMED, REFINED = (
    "added",
    "removed",
    "narrowed",
    "widened",
    "changed",
    "renamed",
    "refined",
)
_NUMBERS: Final = frozenset({"integer", "number"})

#: A path into a view: property names, ``[*]`` for array items, ``*`` for map values.
Path = tuple[str, ...]
ITEMS, VALUES = "[*]", "*"


@dataclass(frozen=True)
class Finding:
    """One difference between two views, before anyone is blamed.

    Attributes:
        what: ``property``, ``type``, ``enum``, ``format``, ``pattern`` or ``required``.
        direction: one of the directions above.
        path: where, in the instance (see :func:`render_path`).
        before: the old fact (a type list, enum values, a pattern...), ``None`` if absent.
        after: the new fact.
        required: for an added property, whether the new side requires it.
    """

    what: str
    direction: str
    path: Path
    before: Any
    after: Any
    required: bool = False


def view(schema: Mapping[str, Any] | None, policy: EvidencePolicy) -> dict[str, Any] | None:
    """The facts of ``schema`` that its evidence asserts under ``policy`` (see the module)."""
    if schema is None:
        return None
    return _view(asserted_schema(schema, policy))


def _view(node: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    evidence = node.get(EVIDENCE_KEY)
    raw = node.get("type")
    types = {raw} if isinstance(raw, str) else set(raw or ())
    types.discard("null")
    guessed = False
    if isinstance(evidence, Mapping) and len(types) > 1:
        # Only unquoted ``{{variables}}`` here: inference wrote every type they might be.
        values = int(evidence.get("values", evidence.get("seen", 0)))
        guessed = values > 0 and int(evidence.get("variables", 0)) >= values
    if types and not guessed:
        out["type"] = _family(frozenset(types))
    for key in ("format", "pattern"):
        if isinstance(node.get(key), str):
            out[key] = node[key]
    if isinstance(node.get("enum"), list):
        out["enum"] = frozenset(_hashable(v) for v in node["enum"])
    props = node.get("properties")
    if props is None and "object" in types and "additionalProperties" not in node:
        props = {}  # objects shown only empty: no field is documented
    if isinstance(props, Mapping):
        out["properties"] = {k: _view(v) for k, v in props.items() if isinstance(v, Mapping)}
        out["required"] = frozenset(node.get("required") or ())
        if isinstance(evidence, Mapping):
            out["inferred"] = True  # required keys from examples: see _properties
    if isinstance(node.get("additionalProperties"), Mapping):
        out["values"] = _view(node["additionalProperties"])
    if isinstance(node.get("items"), Mapping):
        out["items"] = _view(node["items"])
    return out


def _family(types: frozenset[str]) -> frozenset[str]:
    """``integer`` beside ``number`` says nothing more: keep ``number``."""
    return types - {"integer"} if types >= _NUMBERS else types


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def join(a: dict[str, Any] | None, b: dict[str, Any] | None) -> dict[str, Any] | None:
    """The union of what two views document: what either shows, required where both require.

    Several items of one operation are variants of it: a field one variant shows and another
    does not is documented, and not required.
    """
    if a is None or b is None:
        return a if b is None else b
    out: dict[str, Any] = {}
    if "type" in a or "type" in b:
        out["type"] = _family(a.get("type", frozenset()) | b.get("type", frozenset()))
    for key in ("format", "pattern"):
        if key in a and a.get(key) == b.get(key):
            out[key] = a[key]
    if "enum" in a and "enum" in b:
        out["enum"] = a["enum"] | b["enum"]
    if "properties" in a or "properties" in b:
        pa, pb = a.get("properties", {}), b.get("properties", {})
        out["properties"] = {
            k: join(pa.get(k), pb.get(k)) for k in sorted(set(pa) | set(pb), key=str)
        }
        if "properties" in a and "properties" in b:
            out["required"] = a["required"] & b["required"]
        else:
            out["required"] = (a if "properties" in a else b)["required"]
        if a.get("inferred") or b.get("inferred"):
            out["inferred"] = True
    for key in ("values", "items"):
        if key in a or key in b:
            out[key] = join(a.get(key), b.get(key))
    return out


def compare(old: dict[str, Any], new: dict[str, Any], path: Path = ()) -> list[Finding]:
    """What changed from ``old`` to ``new``, outermost first, properties in sorted order."""
    out: list[Finding] = []
    _compare(old, new, path, out)
    return out


def _compare(old: dict[str, Any], new: dict[str, Any], path: Path, out: list[Finding]) -> None:
    ot, nt = old.get("type"), new.get("type")
    if ot and nt and ot != nt:
        out.append(Finding("type", _type_direction(ot, nt), path, sorted(ot), sorted(nt)))
    for key in ("format", "pattern"):
        if key in old and key in new and old[key] != new[key]:
            out.append(Finding(key, CHANGED, path, old[key], new[key]))
    oe, ne = old.get("enum"), new.get("enum")
    if oe is not None and ne is not None and oe != ne:
        direction = NARROWED if ne < oe else WIDENED if ne > oe else CHANGED
        out.append(Finding("enum", direction, path, sorted(oe, key=repr), sorted(ne, key=repr)))
    if ot and nt and not (ot & nt):
        return  # a different type altogether: its insides are not comparable
    _properties(old, new, path, out)
    for key, step in (("values", VALUES), ("items", ITEMS)):
        if key in old and key in new:
            _compare(old[key], new[key], (*path, step), out)


def _type_direction(ot: frozenset[str], nt: frozenset[str]) -> str:
    if _numbers_as_one(ot) == _numbers_as_one(nt):
        return REFINED
    if nt < ot:
        return NARROWED
    if nt > ot or _numbers_as_one(nt) > _numbers_as_one(ot):
        return WIDENED
    return CHANGED


def _numbers_as_one(types: frozenset[str]) -> frozenset[str]:
    return frozenset("number" if t in _NUMBERS else t for t in types)


def _properties(old: dict[str, Any], new: dict[str, Any], path: Path, out: list[Finding]) -> None:
    if "properties" not in old or "properties" not in new:
        return
    op_, np_ = old["properties"], new["properties"]
    oreq, nreq = old["required"], new["required"]
    # Which keys every example shows is coverage, not contract: a variant added without a key,
    # or every example now showing one, changes it. So required keys are compared only where
    # both sides were written by hand (an override, a schema without evidence); inferred ones
    # only say whether a property added is required.
    by_hand = not old.get("inferred") and not new.get("inferred")
    removed = [k for k in sorted(op_) if k not in np_]
    added = [k for k in sorted(np_) if k not in op_]
    if len(removed) == 1 and len(added) == 1 and _same_kind(op_[removed[0]], np_[added[0]]):
        # One field gone and one of the same kind in its place: a rename, one change.
        r, a = removed[0], added[0]
        out.append(Finding("property", RENAMED, (*path, a), (*path, r), (*path, a), a in nreq))
        removed, added = [], []
    for key in sorted(set(op_) | set(np_)):
        sub = (*path, key)
        if key in removed:
            out.append(Finding("property", REMOVED, sub, _kind(op_[key]), None))
        elif key in added:
            out.append(Finding("property", ADDED, sub, None, _kind(np_[key]), key in nreq))
        elif key in op_ and key in np_:
            if by_hand and key in nreq and key not in oreq:
                out.append(Finding("required", NARROWED, sub, False, True))
            elif by_hand and key in oreq and key not in nreq:
                out.append(Finding("required", WIDENED, sub, True, False))
            _compare(op_[key], np_[key], sub, out)


def _same_kind(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same documented type, or both of none (``{{variables}}`` on both sides)."""
    return a.get("type") == b.get("type")


def _kind(v: dict[str, Any]) -> str:
    """A short description of a value's documented type, for before/after."""
    types = v.get("type")
    return "|".join(sorted(types)) if types else "type not documented"


def contains(v: dict[str, Any] | None, path: Path) -> bool:
    """Whether the view documents a value at ``path``."""
    for step in path:
        if v is None:
            return False
        if step == ITEMS:
            v = v.get("items")
        elif step == VALUES:
            v = v.get("values")
        else:
            v = v.get("properties", {}).get(step)
    return v is not None


def render_path(path: Path) -> str:
    """``$.data[*].code``; a map's values as ``$.rates.*``; keys that are not names quoted."""
    out = "$"
    for step in path:
        if step == ITEMS:
            out += "[*]"
        elif step == VALUES:
            out += ".*"
        elif step.isidentifier():
            out += f".{step}"
        else:
            out += "[" + repr(step) + "]"
    return out
