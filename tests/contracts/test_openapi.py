"""The OpenAPI 3.1 export is valid and carries the same contracts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from postman_contracts.cli import main
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
