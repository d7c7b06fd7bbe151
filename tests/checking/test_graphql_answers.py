"""A GraphQL answer's ``data`` holds the fields its query selects (GraphQL spec, "Response
Format"): a rule of the protocol, held whatever the number of examples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from postman_contracts.checking import Checker, Expectation, HttpResponse
from postman_contracts.collection import load_collection
from postman_contracts.contracts import build_contracts
from tests.contracts.routing_builders import graphql_request

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _checked(document: str, saved: dict[str, Any], answer: Any) -> list[str]:
    req = graphql_request(document, {"id": "1"})
    example = {
        "name": "OK",
        "code": 200,
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "body": json.dumps({"data": saved}),
        "originalRequest": req,
    }
    doc = {
        "info": {"name": "gql", "schema": SCHEMA},
        "item": [{"name": "user", "request": req, "response": [example]}],
        "variable": [{"key": "base", "value": "https://api.example.test"}],
    }
    contracts = build_contracts(load_collection(doc))
    op = contracts.operations[0]
    response = HttpResponse(
        200, (("Content-Type", "application/json"),), json.dumps(answer).encode()
    )
    return [v.check for v in Checker(contracts).check(op, response, Expectation("documented"))]


USER = "query User($id: ID!) { user(id: $id) { id name } }"


def test_the_data_of_the_selected_fields_passes_whatever_their_values() -> None:
    saved = {"user": {"id": "1", "name": "Ada"}}
    assert _checked(USER, saved, {"data": {"user": {"id": "2", "name": "Bob"}}}) == []
    assert _checked(USER, saved, {"data": {"user": None}, "errors": [{"message": "x"}]}) == []
    assert _checked(USER, saved, {"data": None, "errors": [{"message": "x"}]}) == []


@pytest.mark.parametrize(
    "answer",
    [
        {"data": {"account": {"id": "1"}}},  # another operation's data
        {"data": {}},  # the selected field left out
        {"data": {"user": {"id": "1", "name": "Ada"}, "extra": 1}},  # a field not selected
    ],
)
def test_data_of_other_fields_fails_with_one_example(answer: Any) -> None:
    saved = {"user": {"id": "1", "name": "Ada"}}
    assert _checked(USER, saved, answer) == ["graphql"]


def test_aliases_are_the_response_keys() -> None:
    aliased = "query { me: user(id: 1) { id } other: user(id: 2) { id } }"
    saved = {"me": {"id": "1"}, "other": {"id": "2"}}
    assert _checked(aliased, saved, {"data": saved}) == []
    assert _checked(aliased, saved, {"data": {"user": {"id": "1"}}}) == ["graphql"]


@pytest.mark.parametrize(
    "document",
    [
        "query { ...Top } fragment Top on Query { user(id: 1) { id } }",
        "query($all: Boolean!) { user(id: 1) { id } more @include(if: $all) { id } }",
    ],
)
def test_what_the_text_cannot_tell_is_not_held(document: str) -> None:
    """Top-level fragments and directives decide the fields at run time: no rule then."""
    assert _checked(document, {"user": {"id": "1"}}, {"data": {"user": {"id": "1"}}}) == []
