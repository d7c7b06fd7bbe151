"""Which operation of the old collection is which of the new: identity for the diff.

Why it exists: a Postman item is a name in a folder, but an API operation is a method on a
path. Matching by item name reports a renamed or moved item as an operation removed and
another added, and two same-named items swapped as both changed. So:

* An **endpoint** is a method and a normalised path template: ``:id``, ``{{id}}`` and
  ``{id}`` are one path parameter, whatever its name (the name never reaches the wire).
  The host is not part of it; the diff compares hosts on their own.
* **Several items on one endpoint are variants of it** (a transfer by IBAN, one by card...):
  the endpoint documents the union of what they show. Unless they have routing keys (SOAP
  actions, GraphQL operations: see ``_routing``): then each key is an endpoint of its own,
  ``POST /soap`` for ``SOAPAction 'urn:Create'``. An endpoint keyed on one side only (a
  second action documented beside the first) is matched by its method and path first.
* Endpoints are matched by method and path first. What is left on each side is paired by
  the Postman item path, then by the item name where it is unique on both sides: the item
  kept its name but its method or path changed.
* Items of matched endpoints are paired by item path, then by name (moved to another
  folder), then one left on each side is a rename. Renames and moves change no API.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from postman_contracts.contracts._model import ContractSet, OperationContract

__all__ = [
    "Endpoint",
    "ItemPairing",
    "endpoints",
    "is_parameter",
    "match_endpoints",
    "normalise_host",
    "normalise_path",
    "pair_items",
]

_TEMPLATE_RE: Final = re.compile(r"\{\{[^{}]*\}\}|\{[^{}]*\}")


def normalise_path(path: str) -> str:
    """The path with every parameter as ``{}``: ``/a/:id``, ``/a/{{id}}`` and ``/a/{x}`` agree."""
    out = "/".join(_normalise_segment(s) for s in path.split("/"))
    return out if out.startswith("/") else "/" + out


def _normalise_segment(segment: str) -> str:
    if segment.startswith(":") and len(segment) > 1:
        return "{}"
    return _TEMPLATE_RE.sub("{}", segment)


def is_parameter(segment: str) -> bool:
    """Whether a path segment is one parameter, whatever its syntax."""
    return _normalise_segment(segment) == "{}"


def normalise_host(host: str) -> str | None:
    """A literal host in lower case; ``None`` for a templated one (``{{baseUrl}}``), whose
    value the collection's variables decide, not its text: a renamed variable is no change."""
    if "{{" in host or not host:
        return None
    return host.lower()


@dataclass(frozen=True)
class Endpoint:
    """One method on one path template, with the items (variants) that document it."""

    method: str
    path: str  # normalised
    ops: tuple[OperationContract, ...]
    route: str = ""  # the routing key, in words, when several operations share the route

    @property
    def key(self) -> tuple[str, str]:
        """``(METHOD, normalised path)``, and the routing key: the identity."""
        return (self.method, self.path + (f" {self.route}" if self.route else ""))

    @property
    def label(self) -> str:
        """``METHOD URL`` as the first item writes it (and its routing key), for people."""
        req = self.ops[0].request
        return f"{self.method} {req.host}{req.path}" + (f" ({self.route})" if self.route else "")

    @property
    def url(self) -> str:
        """The first item's URL template."""
        req = self.ops[0].request
        return req.host + req.path

    @property
    def items(self) -> tuple[str, ...]:
        """The Postman item paths of its variants, in collection order."""
        return tuple(op.item_path for op in self.ops)


def endpoints(contracts: ContractSet) -> dict[tuple[str, str], Endpoint]:
    """The endpoints of a set, in the order of their first item."""
    groups: dict[tuple[str, str, str], list[OperationContract]] = {}
    for op in contracts.operations:
        key = op.request.route_key
        route = key.describe() if key is not None else ""
        groups.setdefault(
            (op.request.method.upper(), normalise_path(op.request.path), route), []
        ).append(op)
    found = [Endpoint(m, path, tuple(ops), route) for (m, path, route), ops in groups.items()]
    return {e.key: e for e in found}


def match_endpoints(
    old: dict[tuple[str, str], Endpoint], new: dict[tuple[str, str], Endpoint]
) -> tuple[
    list[tuple[Endpoint, Endpoint]], list[tuple[Endpoint, Endpoint]], list[Endpoint], list[Endpoint]
]:
    """``(same, moved, removed, added)``: endpoints on the same route, endpoints whose items
    kept their Postman path or name but changed method or path, and the rest."""
    same = [(old[k], new[k]) for k in old if k in new]
    left_old = [e for k, e in old.items() if k not in new]
    left_new = [e for k, e in new.items() if k not in old]
    # Keyed on one side only, or keyed otherwise: the same method and path first, paired by
    # their items (an operation that gained a sibling action is the same operation).
    for of in (lambda e: set(e.items), lambda e: {op.name for op in e.ops}):
        for a, b in _pair_unique(left_old, left_new, of):
            if (a.method, a.path) == (b.method, b.path):
                same.append((a, b))
                left_old.remove(a)
                left_new.remove(b)
    moved: list[tuple[Endpoint, Endpoint]] = []
    for of in (
        lambda e: set(e.items),
        lambda e: {op.name for op in e.ops},
    ):
        moved += _pair_unique(left_old, left_new, of)
        paired_old = {id(a) for a, _ in moved}
        paired_new = {id(b) for _, b in moved}
        left_old = [e for e in left_old if id(e) not in paired_old]
        left_new = [e for e in left_new if id(e) not in paired_new]
    return same, moved, left_old, left_new


def _pair_unique(
    olds: list[Endpoint], news: list[Endpoint], names: Callable[[Endpoint], set[str]]
) -> list[tuple[Endpoint, Endpoint]]:
    """Pairs that share a name no other endpoint on either side has."""
    once_old = _once(olds, names)
    once_new = _once(news, names)
    out: list[tuple[Endpoint, Endpoint]] = []
    used: set[int] = set()
    for name in sorted(set(once_old) & set(once_new)):
        a, b = once_old[name], once_new[name]
        if id(a) not in used and id(b) not in used:
            out.append((a, b))
            used |= {id(a), id(b)}
    return out


def _once(side: list[Endpoint], names: Callable[[Endpoint], set[str]]) -> dict[str, Endpoint]:
    seen: dict[str, list[Endpoint]] = {}
    for e in side:
        for n in names(e):
            seen.setdefault(n, []).append(e)
    return {n: es[0] for n, es in seen.items() if len(es) == 1}


@dataclass(frozen=True)
class ItemPairing:
    """How the items of two matched endpoints correspond.

    Attributes:
        renamed: ``(old item path, new item path)`` pairs whose path changed.
        removed: old items with no counterpart (a variant dropped).
        added: new items with no counterpart (a variant added).
    """

    renamed: tuple[tuple[str, str], ...]
    removed: tuple[str, ...]
    added: tuple[str, ...]


def pair_items(old: Iterable[OperationContract], new: Iterable[OperationContract]) -> ItemPairing:
    """Pair the items of one endpoint: by path, then by name (moved), then one-to-one."""
    left_old = [op.item_path for op in old]
    left_new = [op.item_path for op in new]
    for p in list(left_old):
        if p in left_new:
            left_old.remove(p)
            left_new.remove(p)
    renamed: list[tuple[str, str]] = []
    for p in list(left_old):
        name = p.rsplit(" / ", 1)[-1]
        match = [q for q in left_new if q.rsplit(" / ", 1)[-1] == name]
        if len(match) == 1:
            renamed.append((p, match[0]))
            left_old.remove(p)
            left_new.remove(match[0])
    if len(left_old) == 1 and len(left_new) == 1:
        renamed.append((left_old.pop(), left_new.pop()))
    return ItemPairing(tuple(renamed), tuple(left_old), tuple(left_new))
