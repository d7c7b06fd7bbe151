"""Every bound of :class:`~postman_contracts.collection.Limits` is enforced with a clear
``CollectionError`` (one line and exit 2 on the command line), never a ``MemoryError``, a
``RecursionError`` or a hang; and a large but legal body loads in linear time.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.cli import main
from postman_contracts.collection import CollectionError, Limits, load_collection
from postman_contracts.contracts import build_contracts
from tests.reliability.builders import collection, folder, request_item, write

_MiB = 1024 * 1024


def _cli(*argv: str) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=stdout, stderr=stderr)
    return code, stderr.getvalue()


def _assert_one_line_error(code: int, stderr: str, *phrases: str) -> None:
    assert code == 2, stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for phrase in phrases:
        assert phrase in stderr, stderr


def _nested(depth: int) -> Any:
    """``depth`` objects, one inside the other."""
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def _nested_folders(tmp_path: Path, depth: int) -> Path:
    """A collection file of ``depth`` nested folders (written as text: json.dumps would recurse)."""
    leaf = json.dumps(request_item("leaf"))
    opening = "".join(f'{{"name": "f{i}", "item": [' for i in range(depth))
    items = opening + leaf + "]}" * depth
    path = tmp_path / f"folders-{depth}.json"
    path.write_text(json.dumps(collection([])).replace('"item": []', f'"item": [{items}]'))
    return path


# -- file size -------------------------------------------------------------------------------


def test_a_custom_file_size_limit_refuses_a_larger_file(tmp_path: Path) -> None:
    source = write(tmp_path / "c.json", collection([request_item(f"r{i}") for i in range(10)]))
    assert source.stat().st_size > 1024

    with pytest.raises(CollectionError, match=r"over the limit of 1,024") as info:
        load_collection(source, limits=Limits(max_file_bytes=1024))
    assert info.value.file == str(source)
    assert len(load_collection(source).operations) == 10


def test_the_default_file_size_limit_refuses_without_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.postman_collection.json"
    with huge.open("wb") as f:
        f.truncate(200 * _MiB + 1)  # sparse: costs no disk, and would cost 200 MiB to read
    started = time.monotonic()
    code, stderr = _cli("inspect", str(huge))
    assert time.monotonic() - started < 2
    _assert_one_line_error(code, stderr, "huge.postman_collection.json", "over the limit of")


# -- nesting ---------------------------------------------------------------------------------


def test_folder_depth_is_bounded_at_the_configured_limit(tmp_path: Path) -> None:
    limits = Limits(max_depth=10)
    ok = load_collection(_nested_folders(tmp_path, 10), limits=limits)
    assert ok.operations[0].folder == tuple(f"f{i}" for i in range(10))

    with pytest.raises(CollectionError, match="folders nested deeper than 10 levels") as info:
        load_collection(_nested_folders(tmp_path, 11), limits=limits)
    assert info.value.item_path is not None and info.value.item_path.startswith("f0 / f1")


@pytest.mark.parametrize(
    ("depth", "phrase"),
    [(250, "folders nested deeper than 200 levels"), (3000, "nested too deeply")],
)
def test_deep_folders_are_refused_on_the_command_line(
    tmp_path: Path, depth: int, phrase: str
) -> None:
    source = _nested_folders(tmp_path, depth)
    _assert_one_line_error(*_cli("generate", str(source), "-o", str(tmp_path / "out")), phrase)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["request", "example"])
def test_a_3000_deep_json_body_is_refused_on_the_command_line(tmp_path: Path, where: str) -> None:
    deep = "[" * 3000 + "]" * 3000
    item = request_item("deep", raw=deep) if where == "request" else request_item("deep")
    if where == "example":
        item["response"][0]["body"] = deep
    source = write(tmp_path / "deep.json", collection([item]))

    code, stderr = _cli("generate", str(source), "-o", str(tmp_path / "out"))

    _assert_one_line_error(code, stderr, "item 'deep'", "nested deeper than 200 levels")
    pointer = "#/item/0/request/body/raw" if where == "request" else "#/item/0/response/0/body"
    assert pointer in stderr


def test_body_depth_follows_the_configured_limit(tmp_path: Path) -> None:
    source = write(tmp_path / "c.json", collection([request_item("x", body=_nested(6))]))
    assert load_collection(source, limits=Limits(max_depth=6)).operations
    with pytest.raises(CollectionError, match="nested deeper than 5 levels"):
        load_collection(source, limits=Limits(max_depth=5))


def test_a_limit_above_what_python_can_parse_still_gives_a_clean_error(tmp_path: Path) -> None:
    source = write(
        tmp_path / "c.json", collection([request_item("x", raw="[" * 3000 + "]" * 3000)])
    )
    with pytest.raises(CollectionError, match="nested deeper"):
        load_collection(source, limits=Limits(max_depth=10_000))


def test_a_body_just_under_the_default_depth_goes_through_the_whole_pipeline(
    tmp_path: Path,
) -> None:
    item = request_item("deep", body=_nested(199), response=_nested(199))
    source = write(tmp_path / "c.json", collection([item]))
    code, stderr = _cli("generate", str(source), "-o", str(tmp_path / "out"))
    assert (code, stderr) == (0, "")
    schema = json.loads((tmp_path / "out" / "deep" / "request.schema.json").read_text())
    for _ in range(199):
        schema = schema["properties"]["a"]
    assert schema["type"] == "integer"


# -- counts and sizes ------------------------------------------------------------------------


def test_the_number_of_items_is_bounded(tmp_path: Path) -> None:
    items = [folder("f", [request_item(f"r{i}") for i in range(50)]), *[request_item("x")] * 49]
    source = write(tmp_path / "c.json", collection(items))
    assert len(load_collection(source, limits=Limits(max_items=100)).operations) == 99

    items.append(request_item("one too many"))
    write(source, collection(items))
    with pytest.raises(CollectionError, match="more than 100 items") as info:
        load_collection(source, limits=Limits(max_items=100))
    assert info.value.pointer == "#/item/50"


@pytest.mark.parametrize(
    "item",
    [
        request_item("json", raw=json.dumps({"text": "x" * 2000})),
        request_item("text", raw="x" * 2000),  # not JSON: still bounded
        request_item("multi-byte", raw="é" * 600),  # 600 characters, 1,200 bytes
        request_item("example", response="x" * 2000),
    ],
    ids=lambda item: item["name"],
)
def test_one_body_is_bounded(tmp_path: Path, item: dict[str, Any]) -> None:
    source = write(tmp_path / "c.json", collection([item]))
    with pytest.raises(CollectionError, match=r"bytes, over the limit of 1,000") as info:
        load_collection(source, limits=Limits(max_body_bytes=1000))
    assert info.value.pointer is not None and info.value.pointer.endswith(("/raw", "/body"))
    assert load_collection(source, limits=Limits(max_body_bytes=4000)).operations


def test_a_real_100_mb_body_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    item = request_item("big", raw="")
    item["request"]["body"]["raw"] = "x" * 100_000_000
    source = write(tmp_path / "big.json", collection([item]))
    del item

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "postman_contracts.cli", "inspect", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    _assert_one_line_error(
        result.returncode, result.stderr, "the body is 100,000,000 bytes, over the limit"
    )
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert peak_mib < 1024, f"{peak_mib:.0f} MiB"


def _load_and_build(path: Path) -> tuple[float, Any]:
    started = time.perf_counter()
    contracts = build_contracts(load_collection(path))
    return time.perf_counter() - started, contracts


def test_a_million_element_array_body_infers_in_linear_time(tmp_path: Path) -> None:
    small = write(
        tmp_path / "small.json", collection([request_item("a", body=list(range(100_000)))])
    )
    large = write(tmp_path / "large.json", collection([request_item("a", body=list(range(10**6)))]))

    small_time, _ = _load_and_build(small)
    large_time, contracts = _load_and_build(large)

    schema = contracts.operations[0].request.schema
    assert schema is not None and schema["type"] == "array"
    assert schema["items"]["type"] == "integer"
    # Ten times the input: linear is about 10x; quadratic would be 100x.
    assert large_time < 30 * small_time + 0.5, (small_time, large_time)
    assert large_time < 15
