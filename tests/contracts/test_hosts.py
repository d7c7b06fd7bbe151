"""Hosts and unresolved variables (issue 13 part B): which base URL each operation goes to,
and which ``{{variables}}`` nothing gives a value, before the first request."""

from __future__ import annotations

from typing import Any

import pytest

from postman_contracts._errors import CollectionError
from postman_contracts.collection import load_collection
from postman_contracts.contracts import build_contracts
from postman_contracts.contracts._files import write_contracts
from postman_contracts.contracts._hosts import (
    host_urls,
    main_host,
    raise_unresolved,
    unresolved_variables,
)
from postman_contracts.contracts._model import ContractSet
from postman_contracts.contracts._read import load_contracts
from tests.paths import SHARED

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _item(
    name: str, raw: str, *, headers: list[dict[str, str]] = (), examples: list[str] = ()
) -> dict[str, Any]:  # type: ignore[assignment]
    request = {"method": "GET", "url": raw, "header": list(headers)}
    return {
        "name": name,
        "request": request,
        "response": [
            {
                "name": e,
                "code": 200,
                "header": [],
                "body": "{}",
                "originalRequest": {**request, "url": url},
            }
            for e, url in (x.split(" ", 1) for x in examples)
        ],
    }


def _hosts_api(variables: dict[str, str]) -> ContractSet:
    """Two folders on two host variables, one item on a literal host of its own."""
    doc = {
        "info": {"name": "hosts", "schema": SCHEMA},
        "item": [
            {
                "name": "Core",
                "item": [
                    _item("a", "{{api}}/a"),
                    _item("b", "{{api}}/b"),
                ],
            },
            {"name": "Files", "item": [_item("upload", "{{files}}/upload")]},
            _item("data", "http://data.example.test:8080/v2/data"),
        ],
        "variable": [{"key": k, "value": v} for k, v in variables.items()],
    }
    return build_contracts(load_collection(doc))


def test_each_host_goes_to_its_own_base_url() -> None:
    contracts = _hosts_api(
        {"api": "https://api.example.test", "files": "https://files.example.test/v1"}
    )
    assert main_host(contracts) == "{{api}}"
    urls, missing = host_urls(contracts, contracts.values, base_url="http://127.0.0.1:9000/")
    assert missing == []
    assert urls == {
        "{{api}}": "http://127.0.0.1:9000",  # the base URL serves the main host
        "{{files}}": "https://files.example.test/v1",  # the variable's value
        "data.example.test:8080": "http://data.example.test:8080",  # as the item writes it
    }


def test_a_host_option_maps_a_variable_or_a_host_and_star_maps_the_rest() -> None:
    contracts = _hosts_api({"api": "x", "files": "https://files.example.test"})
    mapping = {"files": "http://127.0.0.1:1", "DATA.example.test:8080": "http://127.0.0.1:2"}
    urls, _ = host_urls(contracts, {}, base_url="http://127.0.0.1:9", mapping=mapping)
    assert urls["{{files}}"] == "http://127.0.0.1:1"
    assert urls["data.example.test:8080"] == "http://127.0.0.1:2"
    every, _ = host_urls(contracts, {}, base_url="http://127.0.0.1:9", mapping={"*": ""})
    assert set(every.values()) == {"http://127.0.0.1:9"}


def test_a_host_variable_without_a_value_is_an_error_naming_it_and_the_item() -> None:
    contracts = _hosts_api({"api": "https://api.example.test"})
    _, missing = host_urls(contracts, contracts.values, base_url="http://127.0.0.1:9")
    assert [(m.variable, m.item_path, m.where) for m in missing] == [
        ("files", "Files / upload", "the host")
    ]
    with pytest.raises(CollectionError) as caught:
        raise_unresolved(missing, "hosts.json")
    assert str(caught.value).startswith("hosts.json, item 'Files / upload': variable {{files}}")


def test_the_protocol_of_a_literal_host_survives_the_files(tmp_path: Any) -> None:
    contracts = _hosts_api({"api": "a", "files": "b"})
    write_contracts(contracts, tmp_path / "c")
    again = load_contracts(tmp_path / "c")
    urls, _ = host_urls(again, {"files": "https://f.test"}, base_url="http://127.0.0.1:9")
    assert urls["data.example.test:8080"] == "http://data.example.test:8080"


def _vars_api(
    raw: str, headers: list[dict[str, str]] = (), examples: list[str] = ()
) -> ContractSet:  # type: ignore[assignment]
    doc = {
        "info": {"name": "vars", "schema": SCHEMA},
        "item": [
            {"name": "Reports", "item": [_item("export", raw, headers=headers, examples=examples)]}
        ],
        "variable": [{"key": "base", "value": "https://api.example.test"}],
    }
    return build_contracts(load_collection(doc))


def _unresolved(
    contracts: ContractSet, values: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    found = unresolved_variables(contracts, {**contracts.values, **(values or {})})
    return [(u.variable, u.where) for u in found]


def test_a_variable_in_a_path_segment_query_or_header_needs_a_value() -> None:
    contracts = _vars_api(
        "{{base}}/reports/{{report_id}}/export.{{format}}?q={{term}}&at={{$timestamp}}",
        headers=[
            {"key": "X-Tenant", "value": "{{tenant}}"},
            {"key": "Authorization", "value": "Bearer {{token}}"},
        ],
        examples=["OK {{base}}/reports/{{report_id}}/export.{{format}}?q={{term}}"],
    )
    assert _unresolved(contracts) == [
        ("format", "the path"),  # a whole segment {{report_id}} is a path parameter: drawn
        ("term", "query parameter 'q' of example 'OK'"),
        ("tenant", "header 'X-Tenant' of example 'OK'"),
    ]  # the credentials, Postman's dynamic variables and the base host are not
    given = {"format": "csv", "term": "x", "tenant": "t"}
    assert _unresolved(contracts, given) == []


def test_a_variable_inside_a_path_segment_of_an_item_without_examples_needs_a_value() -> None:
    # the generated requests fill the item's path template; a whole segment is a parameter
    contracts = _vars_api("{{base}}/items/{{item_id}}/export.{{format}}")
    assert _unresolved(contracts) == [("format", "the path")]
    from postman_contracts.contracts._hosts import fill_values

    assert fill_values(contracts.operations[0], {"format": "csv"}) == {
        "item_id": "1",
        "format": "csv",
    }


def test_a_value_a_documented_example_shows_at_the_same_place_fills_the_variable() -> None:
    contracts = _vars_api(
        "{{base}}/reports/{{report_id}}/export.{{format}}?q={{term}}",
        examples=[
            "Template {{base}}/reports/{{report_id}}/export.{{format}}?q={{term}}",
            "Shown {{base}}/reports/42/export.csv?q=shoes",
        ],
    )
    assert _unresolved(contracts) == []
    from postman_contracts.contracts._hosts import documented_values

    assert documented_values(contracts.operations[0]) == {
        "report_id": "42",
        "format": "csv",
        "term": "shoes",
    }


def test_an_example_showing_the_value_fills_the_item_template() -> None:
    contracts = _vars_api("{{base}}/items/{{item_id}}", examples=["OK {{base}}/items/7"])
    assert _unresolved(contracts) == []


def test_path_variables_and_body_slots_are_generated_not_errors() -> None:
    doc = {
        "info": {"name": "vars", "schema": SCHEMA},
        "item": [
            {
                "name": "update",
                "request": {
                    "method": "PUT",
                    "url": {
                        "raw": "{{base}}/things/:id",
                        "host": ["{{base}}"],
                        "path": ["things", ":id"],
                    },
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": {"mode": "raw", "raw": '{"owner": "{{owner_id}}", "n": {{n}}}'},
                },
                "response": [],
            }
        ],
    }
    contracts = build_contracts(load_collection(doc))
    assert _unresolved(contracts) == []


@pytest.mark.parametrize("conversion", ["default", "example"])
def test_line_documents_a_second_host_of_its_own(conversion: str) -> None:
    path = SHARED / "openapi" / "line-messaging" / f"collection.{conversion}.json"
    contracts = build_contracts(load_collection(path))
    urls, missing = host_urls(contracts, contracts.values, base_url="http://127.0.0.1:9")
    assert missing == [] and unresolved_variables(contracts, contracts.values) == []
    assert urls == {
        "{{baseUrl}}": "http://127.0.0.1:9",
        "api-data.line.me": "https://api-data.line.me",
    }
    on_data = [op.id for op in contracts.operations if op.request.host == "api-data.line.me"]
    assert len(on_data) == 5


def test_placeholders_an_api_documents_in_a_body_are_sent_as_saved() -> None:
    """Adyen's Forward API takes ``{{number}}`` and ``{{credentials}}`` in the body and fills
    them itself from the stored card: a body's text is replayed as saved (as Postman sends a
    variable it has no value for), and is no unresolved variable of the run."""
    from postman_contracts.contracts._hosts import fill_values
    from postman_contracts.server._cases import replay_request
    from tests.paths import SHARED

    contracts = build_contracts(
        load_collection(SHARED / "corpus" / "adyen-checkout-v72.postman_collection.json")
    )
    forward = contracts.operation("recurring/forward/forward-stored-payment-details")
    assert _unresolved(contracts) == []
    spec = replay_request(forward, forward.examples[0], fill_values(forward, contracts.values))
    assert spec.body["request"]["headers"] == {"Authorization": "Basic {{credentials}}"}
    assert '"number":"{{number}}"' in spec.body["request"]["body"]
