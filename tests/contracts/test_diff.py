"""``diff`` says what breaks, for whom, when the collection changes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from postman_contracts.cli import main
from tests.paths import BUNDLED


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdout=out, stderr=io.StringIO()), out.getvalue()


def _edited(tmp_path: Path) -> Path:
    doc: dict[str, Any] = json.loads(BUNDLED.read_text())
    bulk = doc["item"][1]["item"][0]
    # The success response loses details.created_by; the success request gains a required key.
    success = bulk["response"][0]
    body = json.loads(success["body"])
    del body["details"]["created_by"]
    success["body"] = json.dumps(body)
    for holder in (bulk["request"], success["originalRequest"]):
        request_body = json.loads(
            holder["body"]["raw"].replace("{{file_id}}", "4150868000005379001")
        )
        request_body["character_encoding"] = "UTF-8"
        holder["body"]["raw"] = json.dumps(request_body)
    path = tmp_path / "edited.postman_collection.json"
    path.write_text(json.dumps(doc))
    return path


def test_diff_reports_a_removed_response_field_and_a_new_required_request_key(
    tmp_path: Path,
) -> None:
    assert run("generate", str(BUNDLED), "-o", str(tmp_path / "old"))[0] == 0
    assert run("generate", str(_edited(tmp_path)), "-o", str(tmp_path / "new"))[0] == 0
    code, out = run("diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json")
    assert code == 1
    changes = {
        (c["operation"], c["kind"], c["where"]): c["breaks"] for c in json.loads(out)["changes"]
    }
    assert changes == {
        (
            "bulk-write/create-bulk-write-job",
            "required-property-added",
            "request $.character_encoding",
        ): ["clients"],
        (
            "bulk-write/create-bulk-write-job",
            "property-removed",
            "response 201 $.details.created_by",
        ): ["clients"],
    }


def test_diff_of_identical_contracts_is_empty_and_exits_0(tmp_path: Path) -> None:
    assert run("generate", str(BUNDLED), "-o", str(tmp_path / "a"))[0] == 0
    assert run("diff", str(tmp_path / "a"), str(BUNDLED)) == (0, "0 changes, 0 breaking\n")


def test_diff_text_groups_by_operation(tmp_path: Path) -> None:
    code, out = run("diff", str(BUNDLED), str(_edited(tmp_path)))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "bulk-write/create-bulk-write-job"
    assert any(
        "breaking for clients" in line and "required-property-added" in line for line in lines
    )
    assert lines[-1].endswith("breaking")


def _contracts_with(request: dict[str, Any], response: dict[str, Any]) -> Any:
    from postman_contracts.contracts import (
        AuthContract,
        ContractSet,
        OperationContract,
        RequestContract,
        ResponseContract,
    )

    return ContractSet(
        "t",
        (
            OperationContract(
                "op",
                "op",
                (),
                "",
                RequestContract("POST", "h", "/p", schema=request, auth=AuthContract("noauth")),
                (ResponseContract("ok", 200, "application/json", True, response),),
                (),
                (),
            ),
        ),
        None,
    )


def test_each_kind_of_change_is_classified_from_both_sides() -> None:
    from postman_contracts.contracts import diff_contracts

    def breaks(old_req: Any, new_req: Any, old_resp: Any, new_resp: Any) -> dict[str, list[str]]:
        changes = diff_contracts(
            _contracts_with(old_req, old_resp), _contracts_with(new_req, new_resp)
        )
        return {c.kind: sorted(c.breaks) for c in changes}

    enum_a = {"type": "object", "properties": {"s": {"type": "string", "enum": ["a", "b"]}}}
    enum_b = {"type": "object", "properties": {"s": {"type": "string", "enum": ["a"]}}}
    assert breaks(enum_a, enum_b, {}, {}) == {"enum-narrowed": ["clients"]}
    assert breaks({}, {}, enum_a, enum_b) == {"enum-narrowed": ["servers"]}
    assert breaks({}, {}, enum_b, enum_a) == {"enum-widened": ["clients"]}
    typed = {"type": "object", "properties": {"s": {"type": "integer"}}}
    assert breaks({}, {}, enum_a, typed) == {
        "type-changed": ["clients", "servers"],
        "enum-widened": ["clients"],
    }
    req = {"type": "object", "properties": {"s": {"type": "string"}}, "required": ["s"]}
    opt = {"type": "object", "properties": {"s": {"type": "string"}}}
    assert breaks(opt, req, {}, {}) == {"required-added": ["clients"]}
    assert breaks(req, opt, {}, {}) == {"required-removed": ["servers"]}
    assert breaks({}, {}, req, opt) == {"required-removed": ["clients"]}
    assert breaks({}, {}, {"type": "object"}, opt) == {"property-added": []}
