"""Classify what changed between two sets of contracts, and for whom it breaks.

Why it exists: when the collection updates, a team must know before merging whether existing
clients or existing servers stop conforming. Each change is classified from both sides:

- *breaking for clients*: a client that conformed to the old contracts may fail against a server
  that conforms to the new ones (an operation removed, a request field became required, a
  response field removed or no longer required, a response enum widened, a status added...).
- *breaking for servers*: a server that conformed to the old contracts fails the new ones (an
  operation added, a request field became optional, a response field became required, a
  response enum narrowed, a status removed...).
- *compatible*: neither (a description changed, an optional response field added...).

A retyped field breaks both. Request and response sides mirror each other: what a client sends
a server must accept, and what a server sends a client must handle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from postman_contracts.contracts._model import ContractSet, OperationContract

__all__ = ["Change", "diff_contracts"]

CLIENTS, SERVERS = "clients", "servers"


@dataclass(frozen=True)
class Change:
    """One difference between old and new contracts.

    Attributes:
        operation: the operation id.
        kind: what changed (``operation-removed``, ``required-added``, ``type-changed``...).
        where: ``request``, ``response 200``... with a JSON path (``$.data[*].code``).
        message: a sentence for people.
        breaks: who it breaks: ``clients``, ``servers``, both, or neither (compatible).
    """

    operation: str
    kind: str
    where: str
    message: str
    breaks: frozenset[str]

    @property
    def severity(self) -> str:
        """One of: breaking for clients, for servers, for both; or compatible."""
        if self.breaks == {CLIENTS, SERVERS}:
            return "breaking for both"
        if self.breaks:
            return f"breaking for {next(iter(self.breaks))}"
        return "compatible"

    def as_json(self) -> dict[str, Any]:
        """The change as ``diff --format json`` prints it."""
        return {
            "operation": self.operation,
            "kind": self.kind,
            "where": self.where,
            "message": self.message,
            "severity": self.severity,
            "breaks": sorted(self.breaks),
        }


def _types(schema: dict[str, Any]) -> frozenset[str]:
    t = schema.get("type")
    if t is None:
        return frozenset()
    return frozenset([t] if isinstance(t, str) else t)


class _SchemaDiff:
    """Walk two schemas side by side. ``side`` is ``request`` or ``response``."""

    def __init__(self, op: str, where: str, side: str, out: list[Change]) -> None:
        self.op, self.where, self.side, self.out = op, where, side, out

    def add(self, kind: str, path: str, message: str, *, tightens: bool | None) -> None:
        """``tightens``: the new schema accepts less (True), more (False), or other (None)."""
        if tightens is None:
            breaks = frozenset({CLIENTS, SERVERS})
        elif tightens:  # accepts less: senders break (clients for requests, servers for responses)
            breaks = frozenset({CLIENTS if self.side == "request" else SERVERS})
        else:  # accepts more: receivers break
            breaks = frozenset({SERVERS if self.side == "request" else CLIENTS})
        self.out.append(Change(self.op, kind, f"{self.where} {path}", message, breaks))

    def walk(self, old: Any, new: Any, path: str = "$") -> None:
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        ot, nt = _types(old), _types(new)
        if ot and nt and ot != nt:
            kind = "type-narrowed" if nt < ot else "type-widened" if nt > ot else "type-changed"
            tightens = True if nt < ot else False if nt > ot else None
            self.add(kind, path, f"type {sorted(ot)} became {sorted(nt)}", tightens=tightens)
        self._enum(old, new, path)
        for key in ("format", "pattern"):
            if old.get(key) != new.get(key):
                tightens = None if old.get(key) and new.get(key) else new.get(key) is not None
                self.add(
                    f"{key}-changed",
                    path,
                    f"{key} {old.get(key)!r} became {new.get(key)!r}",
                    tightens=tightens,
                )
        self._properties(old, new, path)
        self.walk(old.get("items"), new.get("items"), f"{path}[*]")

    def _enum(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        oe, ne = old.get("enum"), new.get("enum")
        if oe == ne or (oe is None and ne is None):
            return
        o = set(map(repr, oe)) if oe is not None else None
        n = set(map(repr, ne)) if ne is not None else None
        if n is not None and (o is None or n < o):
            self.add("enum-narrowed", path, f"enum {oe} became {ne}", tightens=True)
        elif o is not None and (n is None or n > o):
            self.add("enum-widened", path, f"enum {oe} became {ne}", tightens=False)
        else:
            self.add("enum-changed", path, f"enum {oe} became {ne}", tightens=None)

    def _properties(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        op_, np_ = old.get("properties") or {}, new.get("properties") or {}
        oreq, nreq = set(old.get("required") or []), set(new.get("required") or [])
        for key in sorted(set(op_) | set(np_)):
            sub = f"{path}.{key}"
            if key not in np_:
                # A client may no longer send it / may no longer rely on reading it.
                self.out.append(
                    Change(
                        self.op,
                        "property-removed",
                        f"{self.where} {sub}",
                        f"property {key!r} removed",
                        frozenset({CLIENTS}),
                    )
                )
            elif key not in op_:
                # A new required request field breaks clients that do not send it; a new
                # optional one, servers that reject unknown fields. A new required response
                # field breaks servers that do not send it; a new optional one, nobody.
                required = key in nreq
                if self.side == "request":
                    breaks = frozenset({CLIENTS if required else SERVERS})
                else:
                    breaks = frozenset({SERVERS}) if required else frozenset()
                kind = "required-property-added" if required else "property-added"
                self.out.append(
                    Change(
                        self.op,
                        kind,
                        f"{self.where} {sub}",
                        f"property {key!r} added" + (" (required)" if required else ""),
                        breaks,
                    )
                )
            else:
                self.walk(op_[key], np_[key], sub)
                if key in nreq and key not in oreq:
                    self.add("required-added", sub, f"{key!r} became required", tightens=True)
                elif key in oreq and key not in nreq:
                    self.add(
                        "required-removed", sub, f"{key!r} is no longer required", tightens=False
                    )


def _operation(old: OperationContract, new: OperationContract, out: list[Change]) -> None:
    o, n = old.request, new.request
    if (o.method, o.path) != (n.method, n.path):
        out.append(
            Change(
                old.id,
                "endpoint-changed",
                "request",
                f"{o.method} {o.path} became {n.method} {n.path}",
                frozenset({CLIENTS, SERVERS}),
            )
        )
    if o.auth != n.auth:
        out.append(
            Change(
                old.id,
                "auth-changed",
                "request",
                f"auth {o.auth.type} became {n.auth.type}",
                frozenset({CLIENTS, SERVERS}),
            )
        )
    _SchemaDiff(old.id, "request", "request", out).walk(o.schema, n.schema)
    old_status = {r.status: r for r in old.responses}
    new_status = {r.status: r for r in new.responses}
    for status in sorted(set(old_status) | set(new_status), key=lambda s: s or 0):
        if status not in new_status:
            out.append(
                Change(
                    old.id,
                    "status-removed",
                    f"response {status}",
                    f"status {status} no longer documented",
                    frozenset({SERVERS}),
                )
            )
        elif status not in old_status:
            out.append(
                Change(
                    old.id,
                    "status-added",
                    f"response {status}",
                    f"status {status} newly documented",
                    frozenset({CLIENTS}),
                )
            )
        else:
            _SchemaDiff(old.id, f"response {status}", "response", out).walk(
                old_status[status].schema, new_status[status].schema
            )
    old_codes = {e.code for e in old.errors if e.code}
    new_codes = {e.code for e in new.errors if e.code}
    for code in sorted(old_codes - new_codes):
        out.append(
            Change(
                old.id,
                "error-removed",
                "errors",
                f"error {code} no longer documented",
                frozenset({SERVERS}),
            )
        )
    for code in sorted(new_codes - old_codes):
        out.append(
            Change(
                old.id,
                "error-added",
                "errors",
                f"error {code} newly documented",
                frozenset({CLIENTS}),
            )
        )


def diff_contracts(old: ContractSet, new: ContractSet) -> list[Change]:
    """Every change from ``old`` to ``new``, per operation, in a stable order."""
    out: list[Change] = []
    old_ops = {op.id: op for op in old.operations}
    new_ops = {op.id: op for op in new.operations}
    for op_id in old_ops:
        if op_id not in new_ops:
            out.append(
                Change(
                    op_id,
                    "operation-removed",
                    "operation",
                    "operation removed",
                    frozenset({CLIENTS}),
                )
            )
        else:
            _operation(old_ops[op_id], new_ops[op_id], out)
    for op_id in new_ops:
        if op_id not in old_ops:
            out.append(
                Change(
                    op_id, "operation-added", "operation", "operation added", frozenset({SERVERS})
                )
            )
    return out
