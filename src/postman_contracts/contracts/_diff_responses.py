"""The responses of one endpoint compared: every documented status, its media types, the
union of every shape under it, and the error codes the catalog shows there.

Why it exists: responses are grouped by status and shape (one schema per top-level key set),
and several items of one endpoint each document their own; a diff of the last group only
missed everything else. Here every shape of every variant under one status is joined (see
``_diff_schema.join``) and compared as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from postman_contracts.contracts._diff_identity import Endpoint
from postman_contracts.contracts._diff_parts import (
    NOBODY,
    ONLY_CLIENTS,
    ONLY_SERVERS,
    Part,
    Policies,
    Source,
    findings_parts,
    media_parts,
    response_header_parts,
    status_label,
    union,
)
from postman_contracts.contracts._diff_schema import compare, view
from postman_contracts.contracts._evidence import EvidencePolicy
from postman_contracts.contracts._model import Parameter

__all__ = ["compare_responses"]


@dataclass
class _Status:
    sources: list[Source] = field(default_factory=list)
    media: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    #: ``(item, documented headers)`` of each variant documenting the status
    headers: list[tuple[str, tuple[Parameter, ...]]] = field(default_factory=list)


def _statuses(e: Endpoint, policy: EvidencePolicy) -> dict[int | None, _Status]:
    out: dict[int | None, _Status] = {}
    for op in e.ops:
        groups: dict[int, tuple[int | None, dict[str, Any] | None, list[str]]] = {}
        for r in op.responses:
            st = out.setdefault(r.status, _Status())
            if r.content_type:
                st.media.add(r.content_type.lower())
            if r.schema is not None:
                groups.setdefault(id(r.schema), (r.status, r.schema, []))[2].append(r.example)
        for status in dict.fromkeys(r.status for r in op.responses):
            first = next(r for r in op.responses if r.status == status)
            out[status].headers.append((op.item_path, first.headers))
        for status, schema, examples in groups.values():
            out[status].sources.append(Source(op.item_path, tuple(examples), view(schema, policy)))
        for err in op.errors:
            if err.code and err.status in out:
                out[err.status].codes.add(err.code)
    return out


def compare_responses(old: Endpoint, new: Endpoint, policies: Policies) -> Iterator[Part]:
    """Every difference between what two matched endpoints' responses document."""
    os_, ns = _statuses(old, policies[0]), _statuses(new, policies[1])
    if not os_ and ns:
        statuses = ", ".join(status_label(s) for s in ns)
        yield Part(
            "responses-documented", f"responses documented for the first time ({statuses}); "
            "nothing was promised before", NOBODY, "response", "status", api=False,
            examples=_examples(ns.values()),
        )  # fmt: skip
        return
    if os_ and not ns:
        yield Part(
            "responses-removed", "no response is documented any more", ONLY_CLIENTS,
            "response", "status", examples=_examples(os_.values()),
        )  # fmt: skip
        return
    for status in sorted(set(os_) | set(ns), key=lambda s: (s is None, s or 0)):
        o, n = os_.get(status), ns.get(status)
        label = status_label(status)
        if n is None and o is not None:
            yield Part(
                "status-removed", f"status {label} no longer documented", ONLY_CLIENTS,
                "response", "status", status, examples=_examples([o]),
                items=tuple(dict.fromkeys(s.item for s in o.sources)),
            )  # fmt: skip
        elif o is None and n is not None:
            yield Part(
                "status-added", f"status {label} newly documented", ONLY_SERVERS,
                "response", "status", status, examples=_examples([n]),
                items=tuple(dict.fromkeys(s.item for s in n.sources)),
            )  # fmt: skip
        elif o is not None and n is not None:
            if o.media and n.media:
                yield from media_parts(o.media, n.media, "response", status)
            ov, nv = union(o.sources), union(n.sources)
            if ov is not None and nv is not None:
                yield from findings_parts(
                    compare(ov, nv), "response", "body", status=status, old=o.sources, new=n.sources
                )
            yield from response_header_parts(o.headers, n.headers, status, policies)
            yield from _codes(o.codes, n.codes, status)


def _examples(statuses: Iterable[_Status]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for st in statuses for s in st.sources for x in s.examples))


def _codes(old: set[str], new: set[str], status: int | None) -> Iterator[Part]:
    """Error codes of the catalog under a status both sides document: reported, compatible.

    A code is a value shown by one saved example; an example added or dropped documents more
    or less, it does not change what the server answers (as for a first example)."""
    for code in sorted(old - new):
        yield Part(
            "error-removed", f"error {code} no longer shown by an example", NOBODY, "response",
            "errors", status, path=code, before=code, api=False,
        )  # fmt: skip
    for code in sorted(new - old):
        yield Part(
            "error-added", f"error {code} newly shown by an example", NOBODY, "response",
            "errors", status, path=code, after=code, api=False,
        )  # fmt: skip
