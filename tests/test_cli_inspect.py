"""``postman-contracts inspect``, and how the CLI refuses bad input: one line, exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.cli import main
from tests.paths import BUNDLED


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_inspect_table_lists_operations_with_examples() -> None:
    code, out, err = run("inspect", str(BUNDLED))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "METHOD", "URL", "AUTH", "BODY", "EXAMPLES"]
    assert lines[2].split() == [
        "leads",
        "POST",
        "{{api-domain}}/crm/v2/Leads/actions/mass_update",
        "bearer",
        "raw",
        "8:",
        "200x6",
        "400",
        "401",
    ]
    assert lines[3].split()[0] == "bulk-write/create-bulk-write-job"
    assert "Zoho CRM: 2 operations, 12 examples" in out


def test_inspect_json_has_exactly_the_documented_shape() -> None:
    code, out, _ = run("inspect", str(BUNDLED), "--format", "json")
    doc = json.loads(out)
    assert (
        code == 0 and set(doc) == {"collection", "operations"} and doc["collection"] == "Zoho CRM"
    )
    first = doc["operations"][0]
    assert set(first) == {"id", "name", "folder", "method", "url", "auth", "body_mode", "examples"}
    assert first["examples"][4] == {"name": "INVALID_REQUEST_METHOD", "status": 400}
    assert doc["operations"][1]["folder"] == ["Bulk Write"]


def test_inspect_never_prints_a_secret_value(tmp_path: Path) -> None:
    doc = json.loads(BUNDLED.read_text())
    doc["item"][0]["request"]["url"]["raw"] += "?token=canary-7f3a9c"
    doc["item"][0]["request"]["url"]["query"] = [{"key": "token", "value": "canary-7f3a9c"}]
    doc["item"][0]["request"]["url"]["path"][-1] = "canary-7f3a9c"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    code, out, _ = run("inspect", str(path), "--var", "access-token=canary-7f3a9c")
    assert code == 0 and "canary-7f3a9c" not in out and "[REDACTED]" in out


V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _doc(items: Any) -> str:
    return json.dumps({"info": {"name": "t", "schema": V21}, "item": items})


BAD_INPUTS = [
    # (name, file bytes, expected message fragment, pointer, line:col)
    (
        "not-json",
        b'{"info": {"name": "t"},\n  "item": [,]}',
        "not JSON: Expecting value",
        None,
        ":2:12",
    ),
    ("not-utf8", b'{"info": {"name": "caf\xe9"}}', "not valid UTF-8", None, ":1:"),
    ("empty", b"  \n", "the file is empty", None, None),
    ("top-level-array", b"[]", "the top level is an array", "#", None),
    (
        "v1",
        json.dumps({"id": "x", "name": "old", "order": [], "requests": []}).encode(),
        "this is a Postman Collection v1 file",
        "#",
        None,
    ),
    (
        "item-not-a-list",
        _doc({"name": "x"}).encode(),
        "item must be an array, got an object",
        "#/item",
        None,
    ),
    (
        "item-without-request",
        _doc([{"name": "Lonely"}]).encode(),
        "the item has neither 'request'",
        "#/item/0",
        None,
    ),
    (
        "method-not-a-string",
        _doc([{"name": "M", "request": {"method": 7, "url": "x"}}]).encode(),
        "method must be a string, got a number",
        "#/item/0/request/method",
        None,
    ),
    (
        "folder-item-wrong-type",
        _doc([{"name": "F", "item": [{"name": "G", "item": "nope"}]}]).encode(),
        "item must be an array, got a string",
        "#/item/0/item/0/item",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message", "pointer", "position"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_one_located_line_and_exit_2(
    tmp_path: Path, name: str, data: bytes, message: str, pointer: str | None, position: str | None
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    code, out, err = run("inspect", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}")
    assert message in err
    if pointer:
        assert f", {pointer}:" in err or f", {pointer} " in err or f"{pointer}:" in err
    if position:
        assert f"{path}{position}" in err


def test_an_item_path_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(
        _doc(
            [
                {
                    "name": "Bulk Write",
                    "item": [{"name": "Create", "request": {"method": [], "url": "x"}}],
                }
            ]
        )
    )
    _, _, err = run("inspect", str(path))
    assert (
        "item 'Bulk Write / Create', #/item/0/item/0/request/method: method must be a string" in err
    )


def test_missing_file_and_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("inspect", str(tmp_path / "nope.json"))[0] == 2
    assert run("inspect")[0] == 2
    assert run("inspect", str(BUNDLED), "--var", "no-equals-sign")[0] == 2
    assert run("frobnicate")[0] == 2


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[1, 2")
    proc = subprocess.run(
        [sys.executable, "-m", "postman_contracts.cli", "inspect", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {path}:1:6: not JSON")


@pytest.mark.parametrize(
    "argv", [["generate", "{collection}", "-o", "{tmp}"], ["inspect", "{collection}"]]
)
def test_batch_commands_pause_the_collector_and_give_it_back(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch command runs with the cyclic collector paused (it only builds, writes and ends);
    an in-process caller finds the collector as it left it, on or off, even on an error."""
    import gc

    from postman_contracts.cli import _main

    seen: list[bool] = []
    command = argv[0]
    real = _main._COMMANDS[command]

    def spy(args: Any, out: Any) -> int:
        seen.append(gc.isenabled())
        return real(args, out)

    monkeypatch.setitem(_main._COMMANDS, command, spy)
    filled = [a.format(collection=BUNDLED, tmp=tmp_path / "out") for a in argv]
    assert gc.isenabled()
    assert run(*filled)[0] == 0
    assert seen == [False]
    assert gc.isenabled()
    assert run(command, str(tmp_path / "missing.json"), *filled[2:])[0] == 2
    assert gc.isenabled()
    gc.disable()
    try:
        run(*filled)
        assert not gc.isenabled()
    finally:
        gc.enable()
