"""The known-disagreement list's matching (default run, no Prism)."""

from __future__ import annotations

import json

from tests.conformance.known import KNOWN, Entry, compare, load_known


def test_known_entries_match_test_ids_literally_but_for_stars() -> None:
    entry = Entry("meili/*/static", "op/a::test_example[*]", "why")
    failed = {"op/a::test_example[OK]": "Wrong status code", "op/a::test_auth": "x"}
    c = compare("meili/example/static", failed, [entry])
    assert list(c.expected) == ["op/a::test_example[OK]"]  # brackets are not a class
    assert list(c.unexpected) == ["op/a::test_auth"] and not c.stale
    assert compare("meili/example/static", {}, [entry]).stale == [entry]
    assert compare("meili/example/dynamic", {}, [entry]).clean  # not this run


def test_the_committed_list_loads_and_every_entry_has_a_reason() -> None:
    entries = load_known()
    assert entries and all(e.reason.strip() and e.where.count("/") == 2 for e in entries)
    assert "entries" in json.loads(KNOWN.read_text(encoding="utf-8"))
