"""Strategies of documented responses, for fuzzing clients.

Why it exists: a client must cope with every documented response, the error envelopes
included, and with responses the documentation allows but never showed. This draws each
documented example as-is, and bodies generated under each response schema (shrinking toward
the documented example of that status).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from postman_contracts._errors import InvalidArgument
from postman_contracts.contracts import OperationContract
from postman_contracts.generators._from_schema import from_schema
from postman_contracts.generators._requests import _example_for

__all__ = ["GeneratedResponse", "responses"]


@dataclass(frozen=True)
class GeneratedResponse:
    """A response to serve: status, content type, JSON body (or text), and its origin.

    ``example`` names the documented example it is, or was generated from the schema of.
    ``documented`` is true for a documented example served as-is.
    """

    status: int
    content_type: str
    body: Any
    is_json: bool
    example: str
    documented: bool


def _wrap(status: int, content_type: str, example: str) -> Callable[[Any], GeneratedResponse]:
    def wrap(body: Any) -> GeneratedResponse:
        return GeneratedResponse(status, content_type, body, True, example, False)

    return wrap


def responses(
    operation: OperationContract, *, status: int | None = None, example: str | None = None
) -> st.SearchStrategy[GeneratedResponse]:
    """Documented responses of ``operation``: each example as-is, then generated ones.

    Args:
        operation: the operation's contract.
        status: only responses of this status.
        example: only this documented example (and bodies generated from its schema).
    """
    if not isinstance(operation, OperationContract):
        raise InvalidArgument(f"operation must be an OperationContract, not {operation!r}")
    chosen = [
        r
        for r in operation.responses
        if (status is None or r.status == status) and (example is None or r.example == example)
    ]
    if not chosen:
        raise InvalidArgument(
            f"{operation.id} documents no response with status={status!r}, example={example!r}"
        )
    exchanges = {x.name: x for x in operation.examples}
    documented = [
        GeneratedResponse(
            r.status or 200,
            r.content_type or "application/json",
            exchanges[r.example].response_body,
            exchanges[r.example].response_is_json,
            r.example,
            True,
        )
        for r in chosen
        if r.example in exchanges
    ]
    generated = []
    seen: set[int] = set()
    for r in chosen:
        if r.schema is None or id(r.schema) in seen:
            continue
        seen.add(id(r.schema))
        sample = _example_for(r.schema)
        body = from_schema(r.schema) if sample is None else from_schema(r.schema, example=sample)
        generated.append(
            body.map(_wrap(r.status or 200, r.content_type or "application/json", r.example))
        )
    return (
        st.one_of(st.sampled_from(documented), *generated) if documented else st.one_of(*generated)
    )
