"""Classify what changed between two sets of contracts, and for whom it breaks.

Why it exists: when the collection changes, a pull request must say whether existing clients
or existing servers stop conforming, and say nothing else: a check that reports example
values and item renames as API changes is soon ignored.

What is compared (see ``_diff_identity`` for which operation is which, ``_diff_schema`` for
bodies): per endpoint (method + path template, its items joined as variants), the host,
auth, request media types, query parameters (enabled and disabled), path parameters, the
JSON body, every documented status with its media types and the union of its shapes, and
the error codes; per item, renames and moves (compatible). Only what the examples assert
is compared (:mod:`._evidence`); titles, descriptions and example values are not.

For whom it breaks:

- *clients*: a client written against the old contracts can fail against a server that
  follows the new ones. Whatever the old version documents and the new one does not is a
  **removal** and breaks clients (an operation, a status, a response field they read, a
  request field or parameter they send, a media type, a host), and so does a new demand
  on them (a required request field or parameter, credentials, a request body).
- *servers*: a server written to the old contracts does not do what the new ones document.
  Whatever the new version documents and the old one did not is an **addition** and breaks
  servers (an operation, a status, a response field, an optional request field or query
  parameter): existing clients are unaffected.
- Constraints on values follow the data: a request that accepts less (enum narrowed, key
  now required, type narrowed) breaks clients, one that accepts more breaks servers; a
  response that may carry more breaks clients, one that promises more breaks servers.
  A change of type, or a rename, breaks both.
- *compatible*: renames and moves of items and folders, variants added or removed where the
  union is unchanged, responses documented for the first time, error codes shown by more
  or fewer examples, integer and number exchanged. These are reported, marked
  ``api: false``; they change no API.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from postman_contracts.contracts._diff_identity import (
    Endpoint,
    endpoints,
    match_endpoints,
    normalise_host,
    pair_items,
)
from postman_contracts.contracts._diff_parts import (
    BOTH,
    CLIENTS,
    NOBODY,
    SERVERS,
    Part,
    compare_parts,
    status_label,
)
from postman_contracts.contracts._diff_responses import compare_responses
from postman_contracts.contracts._evidence import EvidencePolicy
from postman_contracts.contracts._model import AuthContract, ContractSet

__all__ = ["BOTH", "CLIENTS", "SERVERS", "Change", "Location", "diff_contracts"]


@dataclass(frozen=True)
class Location:
    """Where a change is.

    Attributes:
        side: ``request``, ``response``, ``operation`` (the whole endpoint), ``item`` (a
            Postman item) or ``collection`` (every operation alike).
        place: ``body``, ``query``, ``path``, ``media type``, ``status``, ``errors``, ``auth``,
            ``host``, ``operation`` or ``item``.
        status: the response status (``None`` for an example saved without one, and off the
            response side).
        path: the JSON path in the body (``$.data[*].code``) or the parameter's name.
    """

    side: str
    place: str
    status: int | None = None
    path: str = ""

    @property
    def part(self) -> str:
        """Side, status and place without the path: ``response 200 body``."""
        text = self.side
        if self.side == "response":
            text += f" {status_label(self.status)}"
        if self.place not in ("operation", "item", self.side):
            text += f" {self.place}"
        return text

    def __str__(self) -> str:
        return f"{self.part} {self.path}" if self.path else self.part


@dataclass(frozen=True)
class Change:
    """One difference between old and new contracts.

    Attributes:
        operation: ``METHOD URL`` as the collection writes it, or ``collection`` for a
            change made to every operation alike.
        kind: what changed (``operation-removed``, ``property-added``, ``host-changed``...).
        message: a sentence for people.
        breaks: who it breaks: ``clients``, ``servers``, both, or neither (compatible).
        location: where (side, place, status, JSON path or parameter).
        items: the Postman item paths that document it (old ones for a removal).
        examples: the saved examples that show it, where it is in a response.
        before: the old value of what changed (a type, a host, a path...), or ``None``.
        after: the new value, or ``None``.
        api: ``False`` for changes of the documentation only (renames, moves).
        operations: for a collection-wide change, the operations it applies to.
    """

    operation: str
    kind: str
    message: str
    breaks: frozenset[str]
    location: Location
    items: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    before: Any = None
    after: Any = None
    api: bool = True
    operations: tuple[str, ...] = field(default=())

    @property
    def severity(self) -> str:
        """One of: breaking for clients, for servers, for both; or compatible."""
        if self.breaks == BOTH:
            return "breaking for both"
        if self.breaks:
            return f"breaking for {next(iter(self.breaks))}"
        return "compatible"

    @property
    def where(self) -> str:
        """The location as one phrase: ``response 200 body $.data[*].code``."""
        return str(self.location)

    def as_json(self) -> dict[str, Any]:
        """The change as ``diff --format json`` prints it."""
        loc = self.location
        one = self.operation != "collection"
        method, _, url = self.operation.partition(" ") if one else ("", "", "")
        return {
            "operation": self.operation,
            "method": method,
            "url": url,
            "kind": self.kind,
            "severity": self.severity,
            "breaks": sorted(self.breaks),
            "api": self.api,
            "message": self.message,
            "location": {
                "side": loc.side,
                "place": loc.place,
                "status": loc.status,
                "path": loc.path,
            },
            "items": list(self.items),
            "examples": list(self.examples),
            "before": self.before,
            "after": self.after,
            "operations": list(self.operations),
        }


def diff_contracts(old: ContractSet, new: ContractSet) -> list[Change]:
    """Every change from ``old`` to ``new``: collection-wide ones first, then per matched
    endpoint in the old collection's order, then the endpoints removed, then those added
    (in the new collection's order)."""
    old_eps, new_eps = endpoints(old), endpoints(new)
    same, moved, removed, added = match_endpoints(old_eps, new_eps)
    order = {id(e): i for i, e in enumerate(old_eps.values())}
    pairs = sorted([*same, *moved], key=lambda p: order[id(p[0])])
    moved_ids = {id(a) for a, _ in moved}
    policies = (old.evidence, new.evidence)
    per_endpoint: list[Change] = []
    hosts: dict[tuple[Any, Any], list[Endpoint]] = {}
    auths: dict[tuple[Any, Any], list[Endpoint]] = {}
    moves: dict[tuple[str, str], list[Any]] = {}
    for o, n in pairs:
        if id(o) in moved_ids:
            per_endpoint.append(_moved(o, n))
        per_endpoint += _items(o, n, moves)
        oh, nh = _hosts(o), _hosts(n)
        if oh and nh and oh != nh:
            hosts.setdefault((oh, nh), []).append(n)
        oa, na = _auths(o), _auths(n)
        if oa != na:
            auths.setdefault((oa, na), []).append(n)
        per_endpoint += _endpoint(o, n, policies)
    wide = [
        *_host_changes(hosts, len(pairs)),
        *_auth_changes(auths, len(pairs)),
        *_folder_moves(moves),
    ]
    for e in sorted(removed, key=lambda e: order[id(e)]):
        per_endpoint.append(
            _change(e, "operation-removed", "operation removed", {CLIENTS}, "operation")
        )
    for e in added:
        per_endpoint.append(
            _change(e, "operation-added", "operation added", {SERVERS}, "operation")
        )
    return wide + per_endpoint


def _change(
    e: Endpoint, kind: str, message: str, breaks: Iterable[str], place: str, **more: Any
) -> Change:
    side = more.pop("side", "operation")
    return Change(
        e.label,
        kind,
        message,
        frozenset(breaks),
        Location(side, place),
        items=more.pop("items", e.items),
        **more,
    )


def _moved(o: Endpoint, n: Endpoint) -> Change:
    before, after = f"{o.method} {o.url}", f"{n.method} {n.url}"
    return _change(
        n,
        "operation-moved",
        f"{before} is now {after} (the same item)",
        BOTH,
        "operation",
        before=before,
        after=after,
    )


def _items(o: Endpoint, n: Endpoint, moves: dict[tuple[str, str], list[Any]]) -> Iterator[Change]:
    """Item renames, and variants added or removed; moves to another folder are collected
    in ``moves`` by folder, to be reported once per folder (a folder renamed moves them all)."""
    pairing = pair_items(o.ops, n.ops)
    for a, b in pairing.renamed:
        fa, _, na = a.rpartition(" / ")
        fb, _, nb = b.rpartition(" / ")
        if na == nb:
            moves.setdefault((fa, fb), []).append((n, b))
        else:
            yield _change(
                n, "item-renamed", f"item {a!r} renamed {b!r}", NOBODY, "item",
                side="item", items=(b,), before=a, after=b, api=False,
            )  # fmt: skip
    for a in pairing.removed:
        msg = f"variant {a!r} removed (the operation's other items still document it)"
        yield _change(n, "item-removed", msg, NOBODY, "item", side="item", items=(a,), api=False)
    for b in pairing.added:
        msg = f"variant {b!r} added to an operation already documented"
        yield _change(n, "item-added", msg, NOBODY, "item", side="item", items=(b,), api=False)


def _folder_moves(moves: dict[tuple[str, str], list[Any]]) -> Iterator[Change]:
    for (fa, fb), moved in moves.items():
        operation, labels = _scope(list({id(e): e for e, _ in moved}.values()))
        count = f"{len(moved)} item{'s' if len(moved) > 1 else ''}"
        yield Change(
            operation,
            "items-moved",
            f"{count} moved from folder {fa!r} to {fb!r}",
            NOBODY,
            Location("item", "item"),
            items=tuple(b for _, b in moved),
            before=fa,
            after=fb,
            api=False,
            operations=labels,
        )


def _hosts(e: Endpoint) -> frozenset[str]:
    return frozenset(h for op in e.ops if (h := normalise_host(op.request.host)) is not None)


def _auth_text(a: AuthContract) -> str:
    if not a.required:
        return "none"
    scheme = f" {a.scheme}" if a.scheme else ""
    return f"{a.type} ({a.location} {a.name}{scheme})"


def _auths(e: Endpoint) -> frozenset[str]:
    return frozenset(_auth_text(op.request.auth) for op in e.ops)


def _scope(eps: list[Any]) -> tuple[str, tuple[str, ...]]:
    """A change made to several operations alike is one collection change, listing them."""
    labels = tuple(e.label for e in eps)
    return (labels[0] if len(eps) == 1 else "collection"), labels


def _host_changes(groups: dict[tuple[Any, Any], list[Endpoint]], total: int) -> Iterator[Change]:
    for (oh, nh), eps in groups.items():
        operation, labels = _scope(eps)
        before, after = ", ".join(sorted(oh)), ", ".join(sorted(nh))
        on = "every operation" if len(eps) == total else f"{len(eps)} operation(s)"
        yield Change(
            operation,
            "host-changed",
            f"host {before} became {after} on {on}: clients calling the old host break",
            frozenset({CLIENTS}),
            Location("collection" if operation == "collection" else "request", "host"),
            items=tuple(i for e in eps for i in e.items),
            before=before,
            after=after,
            operations=labels,
        )


def _auth_changes(groups: dict[tuple[Any, Any], list[Endpoint]], total: int) -> Iterator[Change]:
    for (oa, na), eps in groups.items():
        operation, labels = _scope(eps)
        before, after = " or ".join(sorted(oa)), " or ".join(sorted(na))
        if oa == {"none"}:
            breaks, why = {CLIENTS}, "clients must now send credentials"
        elif na == {"none"}:
            breaks, why = {SERVERS}, "servers must now answer without credentials"
        else:
            breaks, why = set(BOTH), "both must change how credentials are carried"
        on = "every operation" if len(eps) == total else f"{len(eps)} operation(s)"
        yield Change(
            operation,
            "auth-changed",
            f"auth {before} became {after} on {on}: {why}",
            frozenset(breaks),
            Location("collection" if operation == "collection" else "request", "auth"),
            items=tuple(i for e in eps for i in e.items),
            before=before,
            after=after,
            operations=labels,
        )


def _endpoint(
    o: Endpoint, n: Endpoint, policies: tuple[EvidencePolicy, EvidencePolicy]
) -> list[Change]:
    parts = [*compare_parts(o, n, policies), *compare_responses(o, n, policies)]
    return [_from_part(n, part) for part in parts]


def _from_part(e: Endpoint, p: Part) -> Change:
    return Change(
        e.label,
        p.kind,
        p.message,
        p.breaks,
        Location(p.side, p.place, p.status, p.path),
        items=p.items or e.items,
        examples=p.examples,
        before=p.before,
        after=p.after,
        api=p.api,
    )
