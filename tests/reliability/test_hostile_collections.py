"""Hostile item and folder names: ``generate`` writes only inside its output directory, and
only names that every file system accepts, one file per operation even where case is ignored.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from postman_contracts.cli import main
from postman_contracts.collection import load_collection
from postman_contracts.collection._ids import IdAllocator
from postman_contracts.contracts import open_contracts
from tests.reliability.builders import (
    case_clashes,
    collection,
    folder,
    request_item,
    segment_problems,
    tree,
    write,
)

HOSTILE = (
    "../../etc/passwd",
    "../../../../../../../../../../tmp/postman-contracts-escaped",
    "..\\..\\windows\\win.ini",
    "/abs/olute",
    "CON",
    "con",
    "Con.txt",
    "PRN",
    "AUX",
    "NUL",
    "COM1",
    "LPT9",
    "com¹",
    "a/b",
    "a\\b",
    "..",
    ".",
    "",
    " ",
    "a\x00b",
    "\x00",
    "🚀" * 300,
    "x" * 300,
    "𠀀" * 64,  # 64 letters of 4 bytes each: 256 bytes
    "trailing.",
    "trailing ",
    "trailing. . ",
    '<>:"|?*',
    "Leads",
    "leads",
    "LEADS",
    "ς",
    "σ",
    "ı",
    "i",
    "ａｂｃ",
    "abc",
    "é",
    "e\u0301",
    "\u202eevil",
    "overrides",
    "index",
    "index.json",
)


def _generate(source: Path, out: Path, *args: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["generate", str(source), "-o", str(out), *args], stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def _hostile_collection(names: tuple[str, ...] = HOSTILE) -> dict[str, object]:
    items = [request_item(name, path=f"/top/{i}") for i, name in enumerate(names)]
    folders = [
        folder(name, [request_item(names[(i + 1) % len(names)], path=f"/in/{i}")])
        for i, name in enumerate(names)
    ]
    return collection([*items, *folders], name="../../hostile")


def test_generate_writes_only_portable_names_inside_its_output_directory(tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "hostile.postman_collection.json", _hostile_collection())
    out = tmp_path / "a" / "b" / "c" / "contracts"
    out.parent.mkdir(parents=True)
    escaped = Path("/tmp/postman-contracts-escaped")
    escaped_before = escaped.exists()
    before = tree(tmp_path)

    code, _, stderr = _generate(source, out)

    assert (code, stderr) == (0, ""), stderr
    after = tree(tmp_path)
    new = sorted(set(after) - set(before))
    outside = [p for p in new if not Path(tmp_path / p).is_relative_to(out)]
    assert outside == [], "written outside the output directory"
    assert escaped.exists() == escaped_before
    assert {p: after[p] for p in before} == before, "a file outside the output changed"

    inside = out.relative_to(tmp_path)
    written = {Path(p).relative_to(inside).as_posix(): p for p in new if Path(p) != inside}
    problems = {p: segment_problems(seg) for p in written for seg in p.split("/")}
    assert {p: why for p, why in problems.items() if why} == {}
    # Directories may merge where case is ignored (``ı/`` and ``i/``); files must not.
    files = [w for w, p in written.items() if after[p] is not None]
    assert case_clashes(files) == []

    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    ids = [op["id"] for op in index["operations"]]
    assert len(ids) == 2 * len(HOSTILE), "an operation was lost"
    assert case_clashes(ids) == [] and len(set(ids)) == len(ids)
    assert all((out / op_id / "examples.json").is_file() for op_id in ids)
    assert sorted(op.id for op in open_contracts(out).operations) == sorted(ids)


def test_regenerating_hostile_names_is_stable_and_keeps_overrides(tmp_path: Path) -> None:
    names = ("Leads", "leads", "overrides", "Overrides", "CON", "../../etc/passwd", "ς", "σ")
    source = write(tmp_path / "hostile.postman_collection.json", _hostile_collection(names))
    out = tmp_path / "contracts"
    assert _generate(source, out)[0] == 0
    override = out / "overrides" / "leads.json"
    override.parent.mkdir(exist_ok=True)
    override.write_text('{"request": {"title": "hand edit"}}\n', encoding="utf-8")
    first = tree(out)

    code, _, stderr = _generate(source, out)
    assert (code, stderr) == (0, "")
    code, stdout, stderr = _generate(source, out, "--check")

    assert (code, stderr) == (0, ""), stdout
    assert override.read_bytes() == first["overrides/leads.json"]
    schema = json.loads((out / "leads" / "request.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "hand edit"
    # the item literally named "overrides" did not write into the hand-edits directory
    assert sorted(os.listdir(out / "overrides")) == ["leads.json"]
    assert (out / "overrides-item" / "examples.json").is_file()


def test_names_differing_only_by_case_get_their_own_files(tmp_path: Path) -> None:
    names = ["Leads", "leads", "LEADS", "lEaDs"]
    doc = collection(
        [request_item(n, path=f"/{i}", response={"n": i}) for i, n in enumerate(names)]
    )
    out = tmp_path / "contracts"
    assert _generate(write(tmp_path / "c.json", doc), out)[0] == 0

    ops = json.loads((out / "index.json").read_text(encoding="utf-8"))["operations"]
    assert [op["name"] for op in ops] == names
    assert case_clashes(op["id"] for op in ops) == []
    bodies = [json.loads((out / op["id"] / "examples.json").read_text())[0] for op in ops]
    assert [b["response"]["body"] for b in bodies] == [{"n": i} for i in range(len(names))]


_PARTS = st.one_of(
    st.characters(),
    st.sampled_from(["\ud800", ".", "..", "/", "\\", " ", "\x00", "ς", "σ", "İ", "ß", "CON", "𠀀"]),
)


def _names(max_parts: int) -> st.SearchStrategy[str]:
    return st.lists(_PARTS, max_size=max_parts).map("".join)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(_names(80), max_size=3),
            _names(300),
        ),
        max_size=12,
    )
)
def test_every_id_is_a_portable_unique_path(entries: list[tuple[list[str], str]]) -> None:
    allocator, again = IdAllocator(), IdAllocator()
    ids = [allocator.allocate(folders, name) for folders, name in entries]

    assert ids == [again.allocate(folders, name) for folders, name in entries], "not stable"
    assert case_clashes(ids) == []
    for op_id in ids:
        for segment in op_id.split("/"):
            assert segment_problems(segment) == [], (op_id, segment)
            assert len((segment + "-99.json").encode("utf-8")) <= 255
        assert op_id.split("/")[0] != "overrides"


def test_ids_of_a_loaded_collection_come_from_names_not_from_paths(tmp_path: Path) -> None:
    doc = collection([folder("../..", [request_item("../../etc/passwd")]), request_item("a/b")])
    ids = [op.id for op in load_collection(write(tmp_path / "c.json", doc)).operations]
    assert ids[1] == "a-b"
    assert all(".." not in op_id.split("/") for op_id in ids)
    assert ids[0].count("/") == 1  # one folder segment, one item segment
