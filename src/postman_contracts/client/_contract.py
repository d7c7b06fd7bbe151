"""What the client mock serves and what it holds a client's request to.

Why it exists: the ``responses``-based mock (``_client_mock``) is plumbing; the decisions are
here, where they can be read and tested on their own: which saved example answers
``respond("leads", status=401)`` (errors documented once apply collection-wide), and which
problems a primed error example *documents*, so a test that exercises that error on purpose is
not failed for it. What a request must satisfy is not decided here: it is the one request
policy, ``checking.judge_request``, which the WSGI mock applies too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from postman_contracts._errors import InvalidArgument
from postman_contracts.checking import (
    Checker,
    HttpRequest,
    Issue,
    json_path,
    request_issues,
    resolve_pointer,
)
from postman_contracts.collection import unescape_token
from postman_contracts.contracts import (
    ContractSet,
    ErrorEntry,
    ExampleExchange,
    OperationContract,
)
from postman_contracts.generators import GeneratedResponse

__all__ = ["Documented", "documented", "encode", "issue_key", "pointer_path"]

# Headers that describe the saved example's transport, not the API: serving them would make
# ``requests`` try to un-gzip a body that is not gzipped.
_TRANSPORT_HEADERS = frozenset(
    {"content-length", "content-encoding", "transfer-encoding", "connection", "content-type"}
)
_COLLECTION_WIDE = ("auth", "method")


@dataclass(frozen=True)
class Documented:
    """A saved example to serve.

    Attributes:
        response: what to serve.
        headers: the example's other response headers.
        owner: the operation that documents it (another one, for a collection-wide error).
        error: the documented error it shows, if any.
        allowed: ``(kind, pointer)`` of the request problems it documents (see
            :func:`issue_key`): its own request shows them and still gets this answer.
    """

    response: GeneratedResponse
    headers: tuple[tuple[str, str], ...]
    owner: OperationContract
    error: ErrorEntry | None
    allowed: frozenset[tuple[str, str]]


def _candidates(
    contracts: ContractSet, op: OperationContract
) -> list[tuple[OperationContract, ExampleExchange]]:
    """``op``'s examples, then the collection-wide errors other operations document."""
    out = [(op, x) for x in op.examples]
    for other, e in contracts.memo(_collection_wide, lambda: _collection_wide(contracts)):
        if other is not op and (
            e.trigger.kind == "method" or other.request.auth.type == op.request.auth.type
        ):
            out += [(other, x) for x in other.examples if x.name == e.example]
    return out


def _collection_wide(contracts: ContractSet) -> list[tuple[OperationContract, ErrorEntry]]:
    """Every documented error of a kind that holds collection-wide, with its operation."""
    return [
        (op, e)
        for op in contracts.operations
        for e in op.errors
        if e.trigger.kind in _COLLECTION_WIDE
    ]


def documented(
    contracts: ContractSet,
    op: OperationContract,
    *,
    example: str | None = None,
    status: int | None = None,
    checker: Checker | None = None,
) -> Documented:
    """The saved example of ``op`` called ``example``, else the first with ``status``, else
    the success example; ``InvalidArgument`` (naming what is documented) when there is none."""
    candidates = _candidates(contracts, op)
    if example is None and status is None:
        name = op.shown_example
        chosen = next(((o, x) for o, x in candidates if o is op and x.name == name), None)
    else:
        chosen = next(
            (
                (o, x)
                for o, x in candidates
                if (example is None or x.name == example)
                and (status is None or (x.status or 200) == status)
            ),
            None,
        )
    if chosen is None:
        shown = ", ".join(f"{x.name!r} ({x.status or 200})" for o, x in candidates if o is op)
        asked = ", ".join(
            f"{k}={v!r}" for k, v in (("example", example), ("status", status)) if v is not None
        )
        raise InvalidArgument(
            f"{op.id} documents no response with {asked or 'a success'}; "
            f"it documents: {shown or 'none'}"
        )
    owner, x = chosen
    content_type = next(
        (v for k, v in x.response_headers if k.lower() == "content-type"),
        owner.response(x.name).content_type or "application/json",
    )
    response = GeneratedResponse(
        x.status or 200, content_type, x.response_body, x.response_is_json, x.name, True
    )
    error = next((e for e in owner.errors if e.example == x.name), None)
    headers = tuple((k, v) for k, v in x.response_headers if k.lower() not in _TRANSPORT_HEADERS)
    # The body of an auth or method error example is incidental: the server never read it.
    body_errors = error is not None and error.trigger.kind not in _COLLECTION_WIDE
    allowed = (
        _documented_problems(checker or Checker(contracts), owner, x) if body_errors else set()
    )
    return Documented(response, headers, owner, error, frozenset(allowed))


def _documented_problems(
    checker: Checker, op: OperationContract, x: ExampleExchange
) -> set[tuple[str, str]]:
    """The body problems of the example's own request, but for unfilled ``{{placeholders}}``
    (a client that sends ``"{{record-id}}"`` is wrong whatever the example shows)."""
    if not x.body_is_json or x.body is None:
        return set()
    headers = (("Content-Type", op.request.content_type or "application/json"),)
    body = json.dumps(x.body).encode("utf-8")
    request = HttpRequest(op.request.method, "http://example" + x.path, headers, body)
    return {
        issue_key(i)
        for i in request_issues(checker, op, request)
        if i.kind != "auth" and not _placeholder_at(x.body, i.pointer)
    }


def _placeholder_at(body: Any, pointer: str) -> bool:
    value = resolve_pointer(body, pointer)
    return isinstance(value, str) and "{{" in value


def issue_key(issue: Issue) -> tuple[str, str]:
    """What makes two problems the same problem: the kind and the pointer, indexes dropped."""
    return issue.kind, re.sub(r"/\d+(?=/|$)", "/*", issue.pointer)


def encode(response: GeneratedResponse) -> bytes:
    """The body bytes to serve."""
    if response.is_json:
        return json.dumps(response.body, ensure_ascii=False).encode("utf-8")
    if isinstance(response.body, bytes):
        return response.body
    return str(response.body if response.body is not None else "").encode("utf-8")


def pointer_path(pointer: str) -> str:
    """``/data/0/x`` → ``$.data[0].x`` (``""`` stays ``""``)."""
    if not pointer:
        return ""
    parts: list[Any] = []
    for raw in pointer.split("/")[1:]:
        key = unescape_token(raw)
        parts.append(int(key) if key.isdigit() else key)
    return json_path(parts)
