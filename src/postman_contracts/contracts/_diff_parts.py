"""The request of one endpoint compared (media types, body, query, path parameters and
headers), and what the response side shares with it (headers too): a change before it is
named, who it breaks.

Why it exists: ``_diff`` decides which endpoint is which and reports collection-wide
changes; this module and ``_diff_responses`` compare what one endpoint documents on each
side, each part as the union of its variants (every item on the endpoint, every saved
example under a status), and say for whom each difference breaks (the rules are in
``_diff``'s docstring).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from postman_contracts.contracts._build import NEVER_REQUIRED_HEADERS
from postman_contracts.contracts._diff_identity import Endpoint, is_parameter
from postman_contracts.contracts._diff_schema import (
    ADDED,
    CHANGED,
    NARROWED,
    REFINED,
    REMOVED,
    RENAMED,
    WIDENED,
    Finding,
    compare,
    contains,
    join,
    render_path,
    view,
)
from postman_contracts.contracts._evidence import EVIDENCE_KEY, EvidencePolicy, presence_asserted
from postman_contracts.contracts._model import OperationContract, Parameter
from postman_contracts.contracts._response_headers import header_asserted

__all__ = [
    "BOTH",
    "CLIENTS",
    "NOBODY",
    "ONLY_CLIENTS",
    "ONLY_SERVERS",
    "SERVERS",
    "Part",
    "Source",
    "compare_parts",
    "findings_parts",
    "media_parts",
    "response_header_parts",
    "status_label",
    "union",
]

CLIENTS, SERVERS = "clients", "servers"
BOTH: Final = frozenset({CLIENTS, SERVERS})
NOBODY: Final[frozenset[str]] = frozenset()
ONLY_CLIENTS: Final = frozenset({CLIENTS})
ONLY_SERVERS: Final = frozenset({SERVERS})

Policies = tuple[EvidencePolicy, EvidencePolicy]


def status_label(status: int | None) -> str:
    """``200``, or ``(no status)`` for an example saved without one."""
    return str(status) if status is not None else "(no status)"


@dataclass(frozen=True)
class Part:
    """One change inside an endpoint, before it is given the endpoint's name."""

    kind: str
    message: str
    breaks: frozenset[str]
    side: str
    place: str
    status: int | None = None
    path: str = ""
    items: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    before: Any = None
    after: Any = None
    api: bool = True


@dataclass(frozen=True)
class Source:
    """One variant's view of a part: the item, the examples that show it, the view."""

    item: str
    examples: tuple[str, ...]
    view: dict[str, Any] | None


def compare_parts(old: Endpoint, new: Endpoint, policies: Policies) -> list[Part]:
    """Every difference between what two matched endpoints' requests document (the
    responses are ``_diff_responses``'s)."""
    out: list[Part] = []
    out += _request_media(old, new)
    out += _request_body(old, new, policies)
    out += _query(old, new, policies)
    out += _path_parameters(old, new, policies)
    out += _request_headers(old, new, policies)
    return out


# -- for whom -------------------------------------------------------------------------------


def blame(side: str, f: Finding) -> frozenset[str]:
    """Who a finding breaks, from the side of the exchange it is on (see ``_diff``)."""
    if f.what == "property":
        if f.direction == ADDED:
            return BOTH if side == "request" and f.required else ONLY_SERVERS
        return ONLY_CLIENTS if f.direction == REMOVED else BOTH
    if f.direction == REFINED:
        return NOBODY
    if f.direction == CHANGED:
        return BOTH
    accepts_less = f.direction == NARROWED
    if side == "request":
        return ONLY_CLIENTS if accepts_less else ONLY_SERVERS
    return ONLY_SERVERS if accepts_less else ONLY_CLIENTS


def _kind(f: Finding) -> str:
    if f.what == "required":
        return "required-added" if f.direction == NARROWED else "required-removed"
    if f.what == "type" and f.direction == REFINED:
        return "number-refined"
    return f"{f.what}-{f.direction}"


def _message(f: Finding, subject: str) -> str:
    """A sentence without the location, which the report prints beside it."""
    if f.what == "property":
        if f.direction == ADDED:
            return f"{subject} added ({f.after}{', required' if f.required else ''})"
        if f.direction == REMOVED:
            return f"{subject} removed (was {f.before})"
        # One removed and one of the same type added in one object: most often a rename.
        return f"{render_path(f.before)} removed, {render_path(f.after)} added in its place"
    if f.what == "required":
        return (
            f"{subject} became required"
            if f.direction == NARROWED
            else (f"{subject} is no longer required")
        )
    if f.direction == REFINED:
        return f"type {f.before} became {f.after} (a number either way)"
    return f"{f.what} {f.before} became {f.after}"


def findings_parts(
    findings: Iterable[Finding],
    side: str,
    place: str,
    *,
    status: int | None = None,
    old: Sequence[Source] = (),
    new: Sequence[Source] = (),
    name: str = "",
) -> Iterator[Part]:
    """Parts for body findings (``name`` empty) or a parameter's (``name`` its name)."""
    for f in findings:
        path = name or render_path(f.after if f.direction == RENAMED else f.path)
        subject = "parameter" if name else "field"
        items, examples = _shown_by(f, old, new)
        yield Part(
            _kind(f),
            _message(f, subject),
            blame(side, f),
            side,
            place,
            status,
            path,
            items,
            examples,
            render_path(f.before) if f.direction == RENAMED else f.before,
            render_path(f.after) if f.direction == RENAMED else f.after,
            api=f.direction != REFINED,
        )


def _shown_by(
    f: Finding, old: Sequence[Source], new: Sequence[Source]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The items and examples that document what a finding is about."""
    if f.direction == REMOVED:
        found = [s for s in old if contains(s.view, f.path)]
    elif f.direction == RENAMED:
        found = [s for s in old if contains(s.view, f.before)]
        found += [s for s in new if contains(s.view, f.after)]
    else:
        found = [s for s in new if contains(s.view, f.path)] or [
            s for s in old if contains(s.view, f.path)
        ]
    items = tuple(dict.fromkeys(s.item for s in found))
    examples = tuple(dict.fromkeys(x for s in found for x in s.examples))
    return items, examples


def union(sources: Iterable[Source]) -> dict[str, Any] | None:
    out: dict[str, Any] | None = None
    for s in sources:
        out = join(out, s.view)
    return out


def media_parts(
    old: set[str], new: set[str], side: str, status: int | None = None
) -> Iterator[Part]:
    removed, added = sorted(old - new), sorted(new - old)
    if not removed and not added:
        return
    before, after = ", ".join(sorted(old)), ", ".join(sorted(new))
    if removed and added:
        kind, breaks = "media-type-changed", BOTH
    elif removed:
        kind, breaks = "media-type-removed", ONLY_CLIENTS
    else:
        kind, breaks = "media-type-added", ONLY_SERVERS
    yield Part(
        kind, f"media type {before} became {after}", breaks, side, "media type", status,
        before=before, after=after,
    )  # fmt: skip


# -- the request ----------------------------------------------------------------------------


def _request_media(old: Endpoint, new: Endpoint) -> Iterator[Part]:
    om, nm = _body_media(old), _body_media(new)
    if om and nm:
        yield from media_parts(om, nm, "request")
    elif nm:
        yield Part(
            "request-body-added", f"a request body is now documented ({', '.join(sorted(nm))})",
            BOTH, "request", "body", after=", ".join(sorted(nm)),
        )  # fmt: skip
    elif om:
        yield Part(
            "request-body-removed", "the request no longer documents a body", ONLY_CLIENTS,
            "request", "body", before=", ".join(sorted(om)),
        )  # fmt: skip


def _body_media(e: Endpoint) -> set[str]:
    """Media types of the items that send a body (a Content-Type on a GET is no body)."""
    return {
        op.request.content_type.lower()
        for op in e.ops
        if op.request.content_type and op.request.body_mode != "none"
    }


def _request_body(old: Endpoint, new: Endpoint, policies: Policies) -> Iterator[Part]:
    os_, ns = _body_sources(old, policies[0]), _body_sources(new, policies[1])
    ov, nv = union(os_), union(ns)
    if ov is not None and nv is not None:
        yield from findings_parts(compare(ov, nv), "request", "body", old=os_, new=ns)


def _body_sources(e: Endpoint, policy: EvidencePolicy) -> list[Source]:
    return [
        Source(op.item_path, (), view(op.request.schema, policy))
        for op in e.ops
        if op.request.schema is not None
    ]


@dataclass
class _Param:
    required: bool
    view: dict[str, Any] | None
    items: list[str]
    inferred: bool


def _param_view(p: Parameter, policy: EvidencePolicy) -> dict[str, Any] | None:
    """A parameter's view; ``string``, the type of any text on the wire, is no fact."""
    v = view(p.schema, policy)
    if v is not None and v.get("type") == {"string"}:
        del v["type"]
    return v


def _asserted_required(p: Parameter, policy: EvidencePolicy, op: OperationContract) -> bool:
    """Required as the request checks hold it (the evidence policy's one rule)."""
    return presence_asserted(p.required, p.schema, policy, requests=op.distinct_requests)


def _query_params(e: Endpoint, policy: EvidencePolicy) -> dict[str, _Param]:
    out: dict[str, _Param] = {}
    for op in e.ops:
        params = [p for p in op.request.parameters if p.location == "query"]
        for p in (*params, *op.request.disabled_query):
            required = _asserted_required(p, policy, op)
            v = _param_view(p, policy)
            inferred = EVIDENCE_KEY in p.schema
            if p.name in out:
                have = out[p.name]
                have.required = have.required and required
                have.view = join(have.view, v)
                have.items.append(op.item_path)
                have.inferred = have.inferred or inferred
            else:
                out[p.name] = _Param(required, v, [op.item_path], inferred)
    for name, param in out.items():  # a variant that does not send it makes it optional
        if len(dict.fromkeys(param.items)) < len(e.ops):
            out[name].required = False
    return out


def _query(old: Endpoint, new: Endpoint, policies: Policies) -> Iterator[Part]:
    oq, nq = _query_params(old, policies[0]), _query_params(new, policies[1])
    for name in sorted(set(oq) | set(nq)):
        o, n = oq.get(name), nq.get(name)
        if n is None and o is not None:
            yield Part(
                "query-parameter-removed", f"query parameter {name!r} removed", ONLY_CLIENTS,
                "request", "query", path=name, items=tuple(dict.fromkeys(o.items)),
            )  # fmt: skip
        elif o is None and n is not None:
            how = "required" if n.required else "optional"
            yield Part(
                "query-parameter-added", f"query parameter {name!r} added ({how})",
                BOTH if n.required else ONLY_SERVERS, "request", "query", path=name,
                items=tuple(dict.fromkeys(n.items)),
            )  # fmt: skip
        elif o is not None and n is not None:
            items = tuple(dict.fromkeys(n.items))
            if o.required != n.required and not (o.inferred or n.inferred):
                # As for body keys: which examples send a parameter is coverage.
                direction = NARROWED if n.required else WIDENED
                f = Finding("required", direction, (), o.required, n.required)
                yield from findings_parts([f], "request", "query", name=name)
            if o.view is not None and n.view is not None:
                for part in findings_parts(compare(o.view, n.view), "request", "query", name=name):
                    yield Part(**{**part.__dict__, "items": items})


def _path_parameters(old: Endpoint, new: Endpoint, policies: Policies) -> Iterator[Part]:
    """Path parameters by position (their names never reach the wire)."""
    ov, nv = _positions(old, policies[0]), _positions(new, policies[1])
    for i in sorted(set(ov) & set(nv)):
        (_, o), (name, n) = ov[i], nv[i]
        if o is not None and n is not None:
            yield from findings_parts(compare(o, n), "request", "path", name=name)


def _positions(e: Endpoint, policy: EvidencePolicy) -> dict[int, tuple[str, dict[str, Any] | None]]:
    out: dict[int, tuple[str, dict[str, Any] | None]] = {}
    for op in e.ops:
        by_name = {p.name: p for p in op.request.parameters if p.location == "path"}
        for i, raw in enumerate(op.request.path.split("/")):
            if not is_parameter(raw):
                continue
            name = raw.strip("{}:")
            p = by_name.get(name)
            v = _param_view(p, policy) if p is not None else None
            have = out.get(i)
            out[i] = (name, join(have[1], v) if have else v)
    return out


# -- headers --------------------------------------------------------------------------------


@dataclass
class _Header:
    name: str  # as the collection spells it
    asserted: bool  # required as the checks hold it, by every variant that documents it
    items: list[str]


def _as_checked(op: OperationContract, policy: EvidencePolicy) -> tuple[Parameter, ...]:
    """``op``'s documented request headers, each required only as the checks hold it."""
    return tuple(
        replace(p, required=_asserted_required(p, policy, op)) for p in op.request.header_params
    )


def _request_asserted(p: Parameter, policy: EvidencePolicy) -> bool:
    return p.required  # as checked already: see _as_checked


def _header_table(
    documented: Iterable[tuple[str, Sequence[Parameter]]],
    policy: EvidencePolicy,
    variants: int,
    asserts: Callable[[Parameter, EvidencePolicy], bool] = _request_asserted,
) -> dict[str, _Header]:
    """Headers by lower-case name (HTTP field names are case-insensitive), each asserted
    only when every one of ``variants`` asserts it (as the checks do: ``asserts``)."""
    out: dict[str, _Header] = {}
    for item, params in documented:
        for p in params:
            asserted = asserts(p, policy)
            have = out.get(p.name.lower())
            if have is None:
                out[p.name.lower()] = _Header(p.name, asserted, [item])
            else:
                have.asserted = have.asserted and asserted
                have.items.append(item)
    for header in out.values():
        if len(dict.fromkeys(header.items)) < variants:
            header.asserted = False
    return out


def _request_headers(old: Endpoint, new: Endpoint, policies: Policies) -> Iterator[Part]:
    """Documented request headers. A new required one is a new demand on clients; one no
    longer documented breaks nobody, since a server ignores a header it does not know
    (RFC 9110 5.1), so a client that still sends it is served alike. Values are not
    compared: the request policy does not judge them either (most are one client's).
    Headers that choose a representation or describe the client (``Accept``,
    ``User-Agent``...), never required, are no part of the API to compare."""
    oh = _header_table(((op.item_path, _as_checked(op, policies[0])) for op in old.ops),
                       policies[0], len(old.ops))  # fmt: skip
    nh = _header_table(((op.item_path, _as_checked(op, policies[1])) for op in new.ops),
                       policies[1], len(new.ops))  # fmt: skip
    for key in sorted((set(oh) | set(nh)) - NEVER_REQUIRED_HEADERS):
        o, n = oh.get(key), nh.get(key)
        if n is None and o is not None:
            yield Part(
                "header-removed", f"request header {o.name!r} no longer documented", NOBODY,
                "request", "header", path=o.name, items=tuple(dict.fromkeys(o.items)),
            )  # fmt: skip
        elif o is None and n is not None:
            how = "required" if n.asserted else "optional"
            yield Part(
                "header-added", f"request header {n.name!r} added ({how})",
                BOTH if n.asserted else ONLY_SERVERS, "request", "header", path=n.name,
                items=tuple(dict.fromkeys(n.items)),
            )  # fmt: skip
        elif o is not None and n is not None and o.asserted != n.asserted:
            yield Part(
                "required-added" if n.asserted else "required-removed",
                f"request header {n.name!r} "
                + ("became required" if n.asserted else "is no longer required"),
                ONLY_CLIENTS if n.asserted else ONLY_SERVERS, "request", "header",
                path=n.name, items=tuple(dict.fromkeys(n.items)),
                before=o.asserted, after=n.asserted,
            )  # fmt: skip


def response_header_parts(
    old: Iterable[tuple[str, Sequence[Parameter]]],
    new: Iterable[tuple[str, Sequence[Parameter]]],
    status: int | None,
    policies: Policies,
) -> Iterator[Part]:
    """The documented response headers of one status (``(item, headers)`` of each variant
    documenting it). Only what the checks assert is compared: a header newly asserted is a
    promise an old server does not keep (servers); one asserted before and no longer is
    one clients may have relied on (clients). A header shown by some examples only is
    coverage, not a promise, on either side."""
    old, new = list(old), list(new)
    oh = _header_table(old, policies[0], len(old), header_asserted)
    nh = _header_table(new, policies[1], len(new), header_asserted)
    for key in sorted(set(oh) | set(nh)):
        o, n = oh.get(key), nh.get(key)
        before = bool(o and o.asserted)
        after = bool(n and n.asserted)
        if before == after:
            continue
        if after and n is not None:
            yield Part(
                "response-header-added", f"header {n.name!r} now in every response", ONLY_SERVERS,
                "response", "header", status, path=n.name, items=tuple(dict.fromkeys(n.items)),
                before=o is not None, after=True,
            )  # fmt: skip
        elif o is not None:
            gone = n is None
            now = "no longer documented" if gone else "no longer in every response"
            yield Part(
                "response-header-removed" if gone else "response-header-optional",
                f"header {o.name!r} {now}",
                ONLY_CLIENTS, "response", "header", status, path=o.name,
                items=tuple(dict.fromkeys(o.items)), before=True, after=not gone,
            )  # fmt: skip
