"""The bundled Zoho CRM collection is the seeds' items, untouched, in a valid v2.1 collection."""

from __future__ import annotations

import json

import jsonschema

from tests.paths import BUNDLED, SCHEMAS, SEEDS

MARKER = "Postman Collection Item JSON\n"


def _seed_items() -> dict[str, object]:
    items = {}
    for page in sorted(SEEDS.glob("*.txt")):
        item = json.loads(page.read_text(encoding="utf-8").partition(MARKER)[2])
        items[item["name"]] = item
    return items


def test_bundled_collection_validates_against_the_official_v21_schema() -> None:
    schema = json.loads((SCHEMAS / "collection-v2.1.0.json").read_text())
    doc = json.loads(BUNDLED.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
    assert errors == []


def test_bundled_collection_holds_both_seed_items_exactly() -> None:
    doc = json.loads(BUNDLED.read_text(encoding="utf-8"))
    seeds = _seed_items()
    assert doc["item"][0] == seeds["Leads"]
    assert doc["item"][1]["item"] == [seeds["Create Bulk Write Job"]]
    examples = sum(len(i["response"]) for i in (seeds["Leads"], seeds["Create Bulk Write Job"]))  # type: ignore[index]
    assert examples == 12


def test_bundled_collection_has_zoho_variables_and_bearer_auth_but_no_secret_value() -> None:
    doc = json.loads(BUNDLED.read_text(encoding="utf-8"))
    variables = {v["key"]: v for v in doc["variable"]}
    assert set(variables) == {"api-domain", "access-token"}
    assert variables["access-token"]["value"] == ""
    assert doc["auth"] == {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{access-token}}", "type": "string"}],
    }
