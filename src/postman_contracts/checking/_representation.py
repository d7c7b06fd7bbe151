"""A response's media type and a non-JSON body, checked against the documented example.

Why it exists: a JSON schema says nothing about an HTML error page served where JSON is
documented, or an XML body that does not parse. The rules (README, "Contracts"):

* Only where the example documents a ``Content-Type`` and the response has a body with one:
  a collection that shows none documents no media type, and a server that sends none
  leaves the body to the body checks.
* Type and subtype are compared, case and parameters ignored (``charset``).
* A different JSON media type (``application/problem+json`` where ``application/json`` is
  documented) is a different media type, but both are JSON a client reads alike, and one
  saved example is thin evidence of which one a server picks: it fails only under
  ``--contracts-strict``. Any other difference (``text/html`` for ``application/json``)
  fails.
* An XML body must be well-formed, and its root element (namespace included) the one the
  example shows, when the example's own body is well-formed XML; for a SOAP envelope, also
  the first element of its ``Body`` (the envelope is every SOAP message's root).
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from postman_contracts.checking._exchange import HttpResponse
from postman_contracts.checking._violations import Violation
from postman_contracts.collection import parse_media_type
from postman_contracts.contracts import OperationContract, ResponseContract, soap_body_element

__all__ = ["representation_violations", "xml_root"]


def xml_root(text: str | bytes) -> str | None:
    """The root element of an XML document (``{namespace}local``), or ``None`` when it is not
    well-formed. External entities are never fetched (``ElementTree`` does not resolve them),
    and expat bounds entity expansion ("billion laughs")."""
    try:
        return ElementTree.fromstring(text).tag
    except (ElementTree.ParseError, ValueError):
        return None


def _documented_body(op: OperationContract, example: str) -> Any:
    return next((x.response_body for x in op.examples if x.name == example), None)


def representation_violations(
    op: OperationContract,
    response: HttpResponse,
    expected: ResponseContract,
    *,
    strict: bool,
) -> list[Violation]:
    """Violations of the documented media type (and, for XML, of well-formedness and the root
    element) by ``response``; see the module's rules."""
    documented = parse_media_type(expected.content_type)
    if not documented.essence or not response.body.strip():
        return []
    sent = parse_media_type(response.header("Content-Type"))
    if not sent.essence:
        return []
    if not documented.admits(sent) and not (not strict and sent.kind == documented.kind == "json"):
        return [
            Violation(
                check="media_type",
                title=f"The response is {sent.essence}, not the documented {documented.essence}",
                message=f"example {expected.example!r} documents {expected.content_type}",
                expected=documented.essence,
                actual=sent.essence,
            )
        ]
    if documented.kind != "xml":
        return []
    root = xml_root(response.body)
    if root is None:
        return [
            Violation(
                check="xml",
                title="The response body is not well-formed XML",
                expected=f"an XML document ({documented.essence})",
                actual=repr(response.body[:80]),
            )
        ]
    body = _documented_body(op, expected.example)
    shown = xml_root(body) if isinstance(body, str) and body.strip() else None
    if shown is not None and shown != root:
        return [
            Violation(
                check="xml",
                title=f"The XML root element is {root}, not the documented {shown}",
                expected=shown,
                actual=root,
            )
        ]
    # A SOAP message is always an envelope: what it is, is the first element of its Body.
    shown_message = soap_body_element(body) if shown is not None else None
    message = soap_body_element(response.body) if shown_message is not None else None
    if shown_message is not None and message != shown_message:
        return [
            Violation(
                check="xml",
                title=f"The SOAP Body element is {message}, not the documented {shown_message}",
                expected=shown_message,
                actual=str(message),
            )
        ]
    return []
