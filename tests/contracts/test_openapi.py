"""The OpenAPI 3.1 export is valid and carries the same contracts."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from postman_contracts.cli import main
from tests.contracts.exchange_builders import collection, plain_request, response
from tests.contracts.routing_builders import graphql_collection, soap_collection
from tests.paths import ALL_COLLECTIONS, BUNDLED


def _export(path: Path, out: Path) -> dict[str, object]:
    code = main(["openapi", str(path), "-o", str(out)], stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    doc: dict[str, object] = json.loads(out.read_text())
    return doc


@pytest.mark.parametrize("path", ALL_COLLECTIONS, ids=lambda p: p.name)
def test_export_is_valid_openapi_31(path: Path, tmp_path: Path) -> None:
    doc = _export(path, tmp_path / "openapi.json")
    validate(doc)  # raises on an invalid document
    assert doc["openapi"] == "3.1.0"


def test_zoho_export_has_paths_security_and_examples(tmp_path: Path) -> None:
    doc = _export(BUNDLED, tmp_path / "o.json")
    post = doc["paths"]["/crm/v2/Leads/actions/mass_update"]["post"]  # type: ignore[index]
    assert post["operationId"] == "leads"
    assert post["security"] == [{"bearerAuth": []}]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }  # type: ignore[index]
    assert doc["servers"] == [
        {
            "url": "{api-domain}",
            "variables": {"api-domain": {"default": "https://www.zohoapis.com"}},
        }
    ]
    media = post["responses"]["200"]["content"]["application/json"]
    assert set(media["examples"]) >= {"SUCCESS RESPONSE", "RECORD_LOCKED"}
    assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "data",
        "ids",
        "over_write",
    ]
    assert set(post["responses"]) == {"200", "400", "401"}


def _exported(tmp_path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "api.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out: dict[str, Any] = _export(path, tmp_path / "openapi.json")
    validate(out)
    return out


def test_every_item_sharing_a_method_and_path_is_exported(tmp_path: Path) -> None:
    post = _exported(tmp_path, graphql_collection())["paths"]["/graphql"]["post"]
    listed = post["x-postman-operations"]
    assert [(e["operationId"], e["x-route-key"]["values"]) for e in listed] == [
        ("get-user", ["GetUser"]),
        ("delete-user", ["DeleteUser"]),
    ]
    assert all(e["x-graphql"].split()[0] in ("query", "mutation") for e in listed)
    schemas = post["requestBody"]["content"]["application/json"]["schema"]["anyOf"]
    assert [s["title"] for s in schemas] == [
        "api / Get user: request body",
        "api / Delete user: request body",
    ]
    examples = post["responses"]["200"]["content"]["application/json"]["examples"]
    assert set(examples) == {
        f"{op} / {name}" for op in ("get-user", "delete-user") for name in ("OK", "OK again")
    }


def test_soap_actions_keep_each_answer_and_their_soapaction(tmp_path: Path) -> None:
    post = _exported(tmp_path, soap_collection())["paths"]["/soap"]["post"]
    keys = [e["x-route-key"] for e in post["x-postman-operations"]]
    assert keys == [
        {"kind": "soap-action", "name": "SOAPAction", "values": ["urn:CreateUser"]},
        {"kind": "soap-action", "name": "SOAPAction", "values": ["urn:DeleteUser"]},
    ]
    examples = post["responses"]["200"]["content"]["text/xml"]["examples"]
    assert "CreateUserResponse" in examples["create-user / OK"]["value"]
    assert "DeleteUserResponse" in examples["delete-user / OK"]["value"]


def test_path_parameters_are_never_empty_and_the_server_is_never_relative(
    tmp_path: Path,
) -> None:
    req = plain_request("GET", "/users/:id")
    req["url"]["variable"] = [{"key": "id", "value": ""}]
    req["url"]["host"] = []
    req["url"]["raw"] = "/users/:id"
    doc = _exported(tmp_path, collection(("User", req, [response("OK", 200, {}, req)])))
    (param,) = doc["paths"]["/users/{id}"]["get"]["parameters"]
    assert param["schema"]["minLength"] == 1 and "example" not in param
    assert all("://" in s["variables"][s["url"][1:-1]]["default"] for s in doc["servers"])
