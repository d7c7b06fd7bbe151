"""``diff`` says what breaks, for whom, when the collection changes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from postman_contracts.cli import main
from tests.contracts.diff_collections import collection, item, request, write
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
    doc = json.loads(out)
    changes = {
        (c["operation"], c["kind"], c["location"]["side"], c["location"]["status"],
         c["location"]["path"]): c["breaks"]
        for c in doc["changes"]
    }  # fmt: skip
    op = "POST {{api-domain}}/crm/bulk/v2/write"
    assert changes == {
        (op, "property-added", "request", None, "$.character_encoding"): ["clients", "servers"],
        (op, "property-removed", "response", 201, "$.details.created_by"): ["clients"],
    }
    removed = doc["changes"][1]
    assert (removed["method"], removed["url"]) == ("POST", "{{api-domain}}/crm/bulk/v2/write")
    assert removed["items"] == ["Bulk Write / Create Bulk Write Job"]
    assert removed["examples"] == ["SUCCESS RESPONSE"]
    assert (removed["before"], removed["after"]) == ("object", None)
    assert doc["summary"] == {
        "changes": 2, "breaking": 2, "clients": 2, "servers": 1, "compatible": 0
    }  # fmt: skip
    assert (doc["fail_on"], doc["failed"]) == ("clients", True)


def test_diff_takes_a_collection_or_a_contracts_directory_on_either_side(tmp_path: Path) -> None:
    assert run("generate", str(BUNDLED), "-o", str(tmp_path / "a"))[0] == 0
    assert run("diff", str(tmp_path / "a"), str(BUNDLED)) == (0, "0 changes, 0 breaking\n")
    assert run("diff", str(BUNDLED), str(tmp_path / "a")) == (0, "0 changes, 0 breaking\n")
    edited = _edited(tmp_path)
    assert run("diff", str(tmp_path / "a"), str(edited))[0] == 1
    assert run("generate", str(edited), "-o", str(tmp_path / "b"))[0] == 0
    assert (
        run("diff", str(BUNDLED), str(tmp_path / "b"))[1]
        == run("diff", str(BUNDLED), str(edited))[1]
    )


def test_diff_text_groups_by_operation_with_items_and_examples(tmp_path: Path) -> None:
    code, out = run("diff", str(BUNDLED), str(_edited(tmp_path)))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "POST {{api-domain}}/crm/bulk/v2/write"
    assert lines[1].split() == [
        "breaking", "for", "both", "request", "body", "$.character_encoding:", "field",
        "added", "(string,", "required)",
    ]  # fmt: skip
    assert "      items: Bulk Write / Create Bulk Write Job" in lines
    assert "      examples: SUCCESS RESPONSE" in lines
    assert lines[-1] == (
        "2 changes, 2 breaking (2 for clients, 1 for servers), 0 compatible: fails on clients"
    )


def test_diff_markdown_is_a_pull_request_comment(tmp_path: Path) -> None:
    code, out = run("diff", str(BUNDLED), str(_edited(tmp_path)), "--format", "markdown")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "### API contract changes"
    assert lines[2] == (
        "2 breaking (2 for clients, 1 for servers), 0 compatible. "
        "**2 change(s) fail this check** (`--fail-on clients`)."
    )
    assert "#### Breaking for clients and servers (1)" in lines
    assert "#### Breaking for clients (1)" in lines
    row = next(line for line in lines if "created_by" in line)
    assert row.startswith("| `POST {{api-domain}}/crm/bulk/v2/write` | response 201 body ")
    assert "Bulk Write / Create Bulk Write Job (SUCCESS RESPONSE)" in row
    assert run("diff", str(BUNDLED), str(BUNDLED), "--format", "markdown") == (
        0,
        "### API contract changes\n\nNo API change.\n",
    )


def test_fail_on_chooses_which_changes_fail_the_check(tmp_path: Path) -> None:
    old = collection(item("List", request("GET", "{{baseUrl}}/things")))
    new = collection(
        item("List", request("GET", "{{baseUrl}}/things")),
        item("Create", request("POST", "{{baseUrl}}/things", {"name": "a"})),
    )
    a, b = str(write(tmp_path, "a", old)), str(write(tmp_path, "b", new))
    assert run("diff", a, b)[0] == 0  # an operation added breaks servers only
    assert run("diff", a, b, "--fail-on", "clients")[0] == 0
    assert run("diff", a, b, "--fail-on", "servers")[0] == 1
    assert run("diff", a, b, "--fail-on", "any")[0] == 1
    assert run("diff", b, a, "--fail-on", "none")[0] == 0
    assert run("diff", b, a)[0] == 1  # removed: breaks clients
    assert run("diff", a, b, "--fail-on", "nobody")[0] == 2


def test_disabled_query_parameters_survive_the_contract_files(tmp_path: Path) -> None:
    req = request(
        "GET", "{{baseUrl}}/things", query=[{"key": "cursor", "value": "c", "disabled": True}]
    )
    path = write(tmp_path, "c", collection(item("List", req)))
    assert run("generate", str(path), "-o", str(tmp_path / "out"))[0] == 0
    from postman_contracts.contracts import open_contracts

    (op,) = open_contracts(tmp_path / "out").operations
    assert [(p.name, p.required) for p in op.request.disabled_query] == [("cursor", False)]
    assert op.request.parameters == ()
    assert open_contracts(path).operations[0].request.disabled_query == op.request.disabled_query


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
    """Hand-written schemas (no evidence) are compared as written, required keys too."""
    from postman_contracts.contracts import diff_contracts

    def breaks(old_req: Any, new_req: Any, old_resp: Any, new_resp: Any) -> dict[str, list[str]]:
        changes = diff_contracts(
            _contracts_with(old_req, old_resp), _contracts_with(new_req, new_resp)
        )
        return {c.kind: sorted(c.breaks) for c in changes}

    enum_a = {"type": "object", "properties": {"s": {"type": "string", "enum": ["a", "b"]}}}
    enum_b = {"type": "object", "properties": {"s": {"type": "string", "enum": ["a"]}}}
    assert breaks(enum_a, enum_b, {}, {}) == {"enum-narrowed": ["clients"]}
    assert breaks(enum_b, enum_a, {}, {}) == {"enum-widened": ["servers"]}
    assert breaks({}, {}, enum_a, enum_b) == {"enum-narrowed": ["servers"]}
    assert breaks({}, {}, enum_b, enum_a) == {"enum-widened": ["clients"]}
    typed = {"type": "object", "properties": {"s": {"type": "integer"}}}
    assert breaks({}, {}, enum_a, typed) == {"type-changed": ["clients", "servers"]}
    wider = {"type": "object", "properties": {"s": {"type": ["integer", "string"]}}}
    assert breaks(typed, wider, {}, {}) == {"type-widened": ["servers"]}
    assert breaks({}, {}, typed, wider) == {"type-widened": ["clients"]}
    assert breaks({}, {}, wider, typed) == {"type-narrowed": ["servers"]}
    req = {"type": "object", "properties": {"s": {"type": "string"}}, "required": ["s"]}
    opt = {"type": "object", "properties": {"s": {"type": "string"}}}
    assert breaks(opt, req, {}, {}) == {"required-added": ["clients"]}
    assert breaks(req, opt, {}, {}) == {"required-removed": ["servers"]}
    assert breaks({}, {}, req, opt) == {"required-removed": ["clients"]}
    assert breaks({}, {}, opt, req) == {"required-added": ["servers"]}
    empty = {"type": "object", "properties": {}}
    assert breaks(empty, opt, {}, {}) == {"property-added": ["servers"]}
    assert breaks(empty, req, {}, {}) == {"property-added": ["clients", "servers"]}
    assert breaks(opt, empty, {}, {}) == {"property-removed": ["clients"]}
    assert breaks({}, {}, empty, opt) == {"property-added": ["servers"]}
    assert breaks({}, {}, opt, empty) == {"property-removed": ["clients"]}
