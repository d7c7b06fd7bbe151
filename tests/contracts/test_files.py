"""Contract files: byte-stable, drift-checked, atomic, with overrides that survive regeneration."""

from __future__ import annotations

import difflib
import io
import itertools
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.cli import main
from postman_contracts.collection import load_collection
from postman_contracts.contracts import (
    _files,
    build_contracts,
    check_tree,
    load_contracts,
    merge_patch,
    render,
    stream_contracts,
    write_contracts,
)
from tests.paths import BUNDLED, CORPUS_FILES, ROOT

COMMITTED = ROOT / "contracts" / "zoho-crm"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_the_committed_contracts_are_up_to_date() -> None:
    code, out, _ = run("generate", str(BUNDLED), "-o", str(COMMITTED), "--check")
    assert (code, out) == (0, f"{COMMITTED} is up to date (2 operations)\n")


def test_generate_twice_gives_identical_bytes_and_the_committed_ones(tmp_path: Path) -> None:
    assert run("generate", str(BUNDLED), "-o", str(tmp_path / "a"))[0] == 0
    assert run("generate", str(BUNDLED), "-o", str(tmp_path / "b"))[0] == 0
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b") == _tree(COMMITTED)


def test_schema_files_are_sorted_indented_with_id_and_trailing_newline() -> None:
    raw = (COMMITTED / "leads" / "request.schema.json").read_text(encoding="utf-8")
    schema = json.loads(raw)
    assert raw.endswith("}\n") and not raw.endswith("\n\n")
    assert raw == json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert schema["$id"] == "leads/request.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_index_has_the_documented_shape() -> None:
    index = json.loads((COMMITTED / "index.json").read_text())
    assert index["collection"] == "Zoho CRM"
    op = index["operations"][1]
    assert {"id", "name", "method", "url", "request", "responses", "errors"} <= set(op)
    assert op["request"]["schema"] == "bulk-write/create-bulk-write-job/request.schema.json"
    # a documented response header: shown by the one 201 example, so not asserted by default
    (header,) = op["responses"][0].pop("headers")
    assert (header["name"], header["in"], header["required"]) == (
        "X-ACCESSTOKEN-RESET",
        "header",
        True,
    )
    assert header["schema"]["x-evidence"]["seen"] == 1
    assert op["responses"][0] == {
        "example": "SUCCESS RESPONSE",
        "status": 201,
        "content_type": "application/json",
        "success": True,
        "schema": "bulk-write/create-bulk-write-job/responses/201.schema.json",
    }
    assert {"example", "code", "status", "placement", "trigger"} <= set(op["errors"][0])
    for rel in [op["request"]["schema"], *(r["schema"] for r in op["responses"])]:
        assert (COMMITTED / rel).is_file()


def test_check_reports_stale_contracts_and_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(COMMITTED, target)
    (target / "leads" / "request.schema.json").write_text("{}\n")
    (target / "leads" / "extra.json").write_text("{}\n")
    code, out, _ = run("generate", str(BUNDLED), "-o", str(target), "--check")
    assert code == 1
    assert (
        "differs: leads/request.schema.json" in out
        and "stale (no longer generated): leads/extra.json" in out
    )
    assert (
        target / "leads" / "request.schema.json"
    ).read_text() == "{}\n"  # --check writes nothing


def test_contracts_directory_reads_back_to_the_same_contracts() -> None:
    fresh = build_contracts(load_collection(BUNDLED))
    assert render(load_contracts(COMMITTED)) == render(fresh)


def test_overrides_survive_regeneration(tmp_path: Path) -> None:
    target = tmp_path / "c"
    assert run("generate", str(BUNDLED), "-o", str(target))[0] == 0
    override = target / "overrides" / "leads.json"
    override.parent.mkdir()
    patch = {
        "request": {"properties": {"ids": {"maxItems": 100, "description": "at most 100 ids"}}},
        "responses": {"200": {"description": "mass update accepted"}},
    }
    override.write_text(json.dumps(patch))
    before = override.read_bytes()
    assert run("generate", str(BUNDLED), "-o", str(target))[0] == 0
    request = json.loads((target / "leads" / "request.schema.json").read_text())
    assert request["properties"]["ids"]["maxItems"] == 100
    assert request["properties"]["ids"]["items"]["pattern"] == "^[0-9]{18}$"
    response = json.loads((target / "leads" / "responses" / "200.schema.json").read_text())
    assert response["description"] == "mass update accepted"
    assert override.read_bytes() == before
    assert run("generate", str(BUNDLED), "-o", str(target), "--check")[0] == 0


def test_a_bad_override_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "c"
    (target / "overrides").mkdir(parents=True)
    (target / "overrides" / "leads.json").write_text('{"requets": {}}')
    code, _, err = run("generate", str(BUNDLED), "-o", str(target))
    assert code == 2 and "overrides/leads.json" in err and "Traceback" not in err


def test_merge_patch_follows_rfc_7396() -> None:
    # RFC 7396, appendix A examples.
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}
    assert merge_patch({"a": "foo"}, None) is None


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_contracts_generate_and_check(path: Path, tmp_path: Path) -> None:
    assert run("generate", str(path), "-o", str(tmp_path / "c"))[0] == 0
    assert run("generate", str(path), "-o", str(tmp_path / "c"), "--check")[0] == 0
    index: dict[str, Any] = json.loads((tmp_path / "c" / "index.json").read_text())
    assert len(index["operations"]) == len(load_collection(path).operations)


def test_write_contracts_writes_each_file_as_it_is_rendered(tmp_path: Path) -> None:
    # A 50,000-operation collection renders to about a gigabyte: the writer must take the
    # files one operation at a time, never all of them at once.
    contracts = build_contracts(load_collection(BUNDLED))
    staged: list[int] = []
    real = _files._operation_json

    def watching(op: Any, files: dict[str, bytes]) -> Any:
        staging = next(tmp_path.glob(".contracts.new-*"))
        staged.append(sum(1 for p in staging.rglob("*") if p.is_file()))
        return real(op, files)

    target = tmp_path / "contracts"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_files, "_operation_json", watching)
        written = write_contracts(contracts, target)
    assert len(staged) == len(contracts.operations) > 1
    assert staged[0] == 0 and all(b > a for a, b in itertools.pairwise(staged))
    on_disk = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == on_disk == sorted(render(contracts))


@pytest.mark.parametrize("path", [BUNDLED, *CORPUS_FILES], ids=lambda p: p.name)
def test_streamed_contracts_write_the_same_tree_one_operation_at_a_time(
    path: Path, tmp_path: Path
) -> None:
    collection = load_collection(path)
    whole = write_contracts(build_contracts(collection), tmp_path / "whole")
    header, operations = stream_contracts(collection)
    built: list[str] = []

    def counted() -> Any:
        for op in operations:
            # The previous operation's files are on disk before this one is even built.
            staging = next(tmp_path.glob(".streamed.new-*"))
            assert len(built) == 0 or (staging / built[-1]).is_dir()
            built.append(op.id)
            yield op

    streamed = write_contracts(header, tmp_path / "streamed", operations=counted())
    assert built == [op.id for op in collection.operations]
    assert streamed == whole
    for rel in whole:
        assert (tmp_path / "streamed" / rel).read_bytes() == (tmp_path / "whole" / rel).read_bytes()


@pytest.mark.parametrize("operations", ["all", "none"])
def test_the_index_written_in_pieces_is_the_standard_serialisation(operations: str) -> None:
    contracts = build_contracts(load_collection(BUNDLED))
    if operations == "none":
        contracts = replace(contracts, operations=())
    index = render(contracts)["index.json"]
    expected = json.dumps(json.loads(index), indent=2, sort_keys=True, ensure_ascii=False)
    assert index == (expected + "\n").encode("utf-8")
    assert len(json.loads(index)["operations"]) == len(contracts.operations)


def test_basic_auth_keeps_both_its_variables_through_the_files(tmp_path: Path) -> None:
    from tests.plugin.builders import SCHEMA_V21, example, item, request

    auth = {
        "type": "basic",
        "basic": [
            {"key": "password", "value": "{{password}}"},
            {"key": "username", "value": "{{username}}"},
        ],
    }
    req = request("GET", "/things", auth=auth)
    doc = {
        "info": {"name": "api", "schema": SCHEMA_V21},
        "item": [item("things", req, example("OK", 200, {"id": 1}, req))],
    }
    contracts = build_contracts(load_collection(doc))
    a = contracts.operation("things").request.auth
    assert (a.scheme, a.token_variable, a.password_variable) == ("Basic", "username", "password")
    write_contracts(contracts, tmp_path / "api")
    assert load_contracts(tmp_path / "api").operation("things").request.auth == a


def test_check_compares_one_operation_at_a_time_and_reports_as_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `generate --check` on a large collection must not hold every file (nor every contract):
    # each operation's files are compared before the next operation is built, and the report
    # is the one the whole contracts give.
    target = tmp_path / "c"
    shutil.copytree(COMMITTED, target)
    (target / "leads" / "request.schema.json").write_text("{}\n")
    (target / "leads" / "extra.json").write_text("{}\n")
    next(p for p in (target / "bulk-write").rglob("*.json")).unlink()
    collection = load_collection(BUNDLED)
    whole = check_tree(build_contracts(collection), target)
    kinds = sorted(line.split(":")[0] for line in whole)
    assert kinds == ["differs", "missing", "stale (no longer generated)"]

    read: list[Path] = []
    real = _files._same_bytes
    monkeypatch.setattr(
        _files, "_same_bytes", lambda path, data: read.append(path) or real(path, data)
    )
    header, operations = stream_contracts(collection)
    seen: list[int] = []

    def counted() -> Any:
        for op in operations:
            seen.append(len(read))
            yield op

    assert check_tree(header, target, operations=counted()) == whole
    assert len(seen) == len(collection.operations) > 1
    assert seen[0] == 0 and all(b > a for a, b in itertools.pairwise(seen))


def _index_like(n: int) -> list[str]:
    """Lines shaped like a contracts index: the same few lines again and again."""
    shape = ["    {", '      "id": "op",', '      "method": "POST",', "    },"]
    return [shape[i % 4] if i % 4 != 1 else f'      "id": "op-{i // 4}",' for i in range(n)]


def _drift_of(old: list[str], new: list[str]) -> str:
    return _files._drift("index.json", "\n".join(old).encode(), "\n".join(new).encode(), 3)


@pytest.mark.parametrize("at", [0, 1, 20, 37, 39])
def test_a_drift_is_shown_as_difflib_shows_it(at: int) -> None:
    old = _index_like(40)
    new = [*old[:at], '      "changed": true,', *old[at + 2 :]]
    expected = difflib.unified_diff(
        old, new, "index.json (committed)", "index.json (generated)", lineterm="", n=3
    )
    assert _drift_of(old, new) == "differs: index.json\n" + "\n".join(list(expected)[:60])


def test_a_drift_deep_in_a_large_index_is_numbered_as_in_the_whole_file() -> None:
    # One changed line among 1.2 million lines of the same few shapes: difflib over all of
    # them takes minutes; the report must be the small file's, its hunk moved down.
    block = _index_like(40)
    changed = [*block[:20], '      "changed": true,', *block[22:]]
    lead = _index_like(1_200_000)
    small = _drift_of(block, changed)
    shifted = re.sub(
        r"@@ -(\d+),(\d+) \+(\d+),(\d+) @@",
        lambda m: f"@@ -{int(m[1]) + len(lead)},{m[2]} +{int(m[3]) + len(lead)},{m[4]} @@",
        small,
    )
    assert _drift_of([*lead, *block], [*lead, *changed]) == shifted != small
