"""Tiny collections of operations sharing one method and path: SOAP actions on ``POST /soap``
and GraphQL operations on ``POST /graphql``, hand-made, with what a correct server answers.

Why it exists: the routing-key tests (contracts, generators, mock, plugin) build the same two
APIs; each builder returns plain Postman JSON so a test can change one thing in it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.contracts.exchange_builders import SCHEMA_V21

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
USERS_NS = "urn:example:users"

#: The two SOAP actions: (item name, action, request element, response element).
SOAP_ACTIONS = (
    ("Create user", "urn:CreateUser", "CreateUser", "CreateUserResponse"),
    ("Delete user", "urn:DeleteUser", "DeleteUser", "DeleteUserResponse"),
)


def envelope(inner: str) -> str:
    """A SOAP 1.1 envelope around ``inner``."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_NS}">'
        f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
    )


def element(name: str, content: str) -> str:
    """``<u:name xmlns:u="urn:example:users">content</u:name>``."""
    return f'<u:{name} xmlns:u="{USERS_NS}">{content}</u:{name}>'


def _url(path: str) -> dict[str, Any]:
    return {"raw": "{{base}}" + path, "host": ["{{base}}"], "path": path.split("/")[1:]}


def soap_request(action: str, inner: str, *, with_action: bool = True) -> dict[str, Any]:
    """``POST /soap`` with a SOAP 1.1 envelope, ``text/xml``, and its ``SOAPAction``."""
    header = [{"key": "Content-Type", "value": "text/xml; charset=utf-8"}]
    if with_action:
        header.append({"key": "SOAPAction", "value": f'"{action}"'})
    return {
        "method": "POST",
        "header": header,
        "url": _url("/soap"),
        "body": {"mode": "raw", "raw": envelope(inner), "options": {"raw": {"language": "xml"}}},
    }


def _saved(name: str, body: str, original: dict[str, Any], content_type: str) -> dict[str, Any]:
    return {
        "name": name,
        "code": 200,
        "status": "OK",
        "header": [{"key": "Content-Type", "value": content_type}],
        "body": body,
        "originalRequest": original,
    }


def soap_collection(*, with_action: bool = True) -> dict[str, Any]:
    """Two SOAP actions on ``POST /soap``, each with one saved 200 answer (``with_action``
    false: no ``SOAPAction`` header, the Body's element tells them apart)."""
    items = []
    for name, action, request_element, response_element in SOAP_ACTIONS:
        inner = element(request_element, "<u:id>7</u:id>")
        req = soap_request(action, inner, with_action=with_action)
        answer = envelope(element(response_element, "<u:ok>true</u:ok>"))
        items.append(
            {
                "name": name,
                "request": req,
                "response": [_saved("OK", answer, req, "text/xml; charset=utf-8")],
            }
        )
    return _collection(items)


def soap_answer(method: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
    """What a correct SOAP server of :func:`soap_collection` answers: the action's response
    element, chosen by ``SOAPAction`` (else by the Body's element), or a Fault."""
    if method != "POST":
        return 405, "text/plain", b"POST only"
    action = headers.get("soapaction", "").strip('"')
    text = body.decode("utf-8", "replace")
    for _, name, request_element, response_element in SOAP_ACTIONS:
        if action == name or (not action and f"<u:{request_element} " in text):
            answer = envelope(element(response_element, "<u:ok>true</u:ok>"))
            return 200, "text/xml; charset=utf-8", answer.encode()
    fault = envelope("<soap:Fault><faultcode>soap:Client</faultcode></soap:Fault>")
    return 500, "text/xml; charset=utf-8", fault.encode()


#: The two GraphQL operations: (item name, document, variables, data of two answers).
GRAPHQL_OPERATIONS = (
    (
        "Get user",
        "query GetUser($id: ID!) {\n  user(id: $id) { id name }\n}",
        {"id": "7"},
        [{"user": {"id": "7", "name": "Ann"}}, {"user": {"id": "8", "name": "Bob"}}],
    ),
    (
        "Delete user",
        "mutation DeleteUser($id: ID!) {\n  deleteUser(id: $id) { ok }\n}",
        {"id": "7"},
        [{"deleteUser": {"ok": True}}, {"deleteUser": {"ok": False}}],
    ),
)


def graphql_request(document: str, variables: dict[str, Any]) -> dict[str, Any]:
    """``POST /graphql`` in Postman's ``graphql`` body mode."""
    return {
        "method": "POST",
        "header": [],
        "url": _url("/graphql"),
        "body": {
            "mode": "graphql",
            "graphql": {"query": document, "variables": json.dumps(variables)},
        },
    }


def graphql_collection() -> dict[str, Any]:
    """Two GraphQL operations on ``POST /graphql``, each with two saved 200 answers."""
    items = []
    for name, document, variables, answers in GRAPHQL_OPERATIONS:
        req = graphql_request(document, variables)
        saved = [
            _saved(label, json.dumps({"data": data}), req, "application/json")
            for label, data in zip(("OK", "OK again"), answers, strict=True)
        ]
        items.append({"name": name, "request": req, "response": saved})
    return _collection(items)


_NAMED = re.compile(r"\b(?:query|mutation)\s+(\w+)")


def graphql_answer(method: str, body: bytes) -> tuple[int, str, Any]:
    """What a correct GraphQL server of :func:`graphql_collection` answers: the named
    operation's data, or a GraphQL error."""
    if method != "POST":
        return 405, "application/json", {"errors": [{"message": "POST only"}]}
    try:
        doc = json.loads(body)
    except ValueError:
        return 400, "application/json", {"errors": [{"message": "not JSON"}]}
    query = doc.get("query") if isinstance(doc, dict) else None
    name = doc.get("operationName") or (m.group(1) if (m := _NAMED.search(query or "")) else "")
    variables = doc.get("variables") or {}
    if not isinstance(variables, dict) or not isinstance(variables.get("id", ""), str):
        return 400, "application/json", {"errors": [{"message": "id must be an ID"}]}
    for _, document, _, answers in GRAPHQL_OPERATIONS:
        if _NAMED.search(document).group(1) == name:  # type: ignore[union-attr]
            return 200, "application/json", {"data": answers[0]}
    return 400, "application/json", {"errors": [{"message": f"unknown operation {name!r}"}]}


def _collection(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "info": {"name": "api", "schema": SCHEMA_V21},
        "item": items,
        "variable": [{"key": "base", "value": "http://api.example.test"}],
    }
