"""Synthetic Zoho-shaped collections of any size, for the scale benchmarks.

Why it exists: the bundled collection has two operations, far too few to show how load,
inference, writing and the plugin's collection grow with the size of a collection. This
module writes a Postman v2.1 collection of ``n`` operations, each a copy of one of the two Zoho
items (the Leads mass update, the Bulk Write job) with its own module name, path, record ids
and timestamps, and ``examples`` saved responses taken from that item (Zoho's own headers and
bodies). Operations are grouped in folders of 100, as a large real collection would be.

Usage: ``python bench/synth.py N OUT.json [--examples 5] [--seed 0]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any

ZOHO = Path(__file__).resolve().parents[1] / "collection" / "zoho-crm.postman_collection.json"
_RECORD_ID = re.compile(r"7389640000\d{8}")
_TIMESTAMP = re.compile(r"2021-05-(\d\d)T(\d\d):(\d\d):(\d\d)")
# Which saved responses each template keeps, in order (success first); the Bulk Write item
# documents four, so its fifth is a second success saved under another name.
_LEADS = (
    "SUCCESS RESPONSE",
    "INVALID_DATA (field)",
    "MANDATORY_NOT_FOUND",
    "INVALID_REQUEST_METHOD",
    "AUTHENTICATION_FAILURE",
    "INVALID_DATA (no field)",
    "NOT_APPROVED",
    "RECORD_LOCKED",
)
_BULK = ("SUCCESS RESPONSE", "MISSING_REQUIRED_KEY", "INVALID_CALLBACK_URL", "FILE_NOT_SUPPORTED")


def _templates() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    doc = json.loads(ZOHO.read_text(encoding="utf-8"))
    leads = doc["item"][0]
    bulk = doc["item"][1]["item"][0]
    return doc, leads, bulk


def _examples(item: dict[str, Any], order: tuple[str, ...], count: int) -> list[dict[str, Any]]:
    by_name = {r["name"]: r for r in item["response"]}
    chosen = [by_name[name] for name in order[:count]]
    n = 2
    while len(chosen) < count:  # a further success, saved under its own name
        extra = json.loads(json.dumps(by_name[order[0]]))
        extra["name"] = f"{order[0]} {n}"
        chosen.append(extra)
        n += 1
    return chosen


def _item_text(i: int, leads: dict[str, Any], bulk: dict[str, Any], count: int) -> str:
    """The JSON text of operation ``i``: a renamed copy of one Zoho item."""
    module = f"Module{i}"
    if i % 2 == 0:
        item = dict(leads, name=f"{module} mass update", response=_examples(leads, _LEADS, count))
        text = json.dumps(item, ensure_ascii=False)
        text = text.replace('"Leads"', f'"{module}"').replace("Lead records", f"{module} records")
    else:
        item = dict(bulk, name=f"Create {module} write job", response=_examples(bulk, _BULK, count))
        text = json.dumps(item, ensure_ascii=False)
        text = text.replace('"write"', f'"write-{module.lower()}"')
        text = text.replace("/v2/write", f"/v2/write-{module.lower()}")
    return text


def collection_text(n: int, *, examples: int = 5, seed: int = 0) -> str:
    """A Postman v2.1 collection of ``n`` operations with ``examples`` saved responses each."""
    doc, leads, bulk = _templates()
    rng = random.Random(seed)

    def record_id(_: re.Match[str]) -> str:
        return "7389640000" + "".join(rng.choices("0123456789", k=8))

    def timestamp(_: re.Match[str]) -> str:
        return (
            f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        )

    folders: list[str] = []
    for start in range(0, n, 100):
        items = []
        for i in range(start, min(n, start + 100)):
            text = _item_text(i, leads, bulk, examples)
            items.append(_TIMESTAMP.sub(timestamp, _RECORD_ID.sub(record_id, text)))
        name = json.dumps(f"Group {start // 100 + 1}")
        folders.append(f'{{"name": {name}, "item": [{", ".join(items)}]}}')
    head = {k: v for k, v in doc.items() if k != "item"}
    head["info"] = dict(head["info"], name=f"Zoho CRM x{n}")
    return json.dumps(head, ensure_ascii=False)[:-1] + f', "item": [{", ".join(folders)}]}}'


def write_collection(n: int, path: Path, *, examples: int = 5, seed: int = 0) -> Path:
    """Write :func:`collection_text` to ``path`` and return it."""
    path.write_text(collection_text(n, examples=examples, seed=seed), encoding="utf-8")
    return path


def main() -> None:
    """Write a synthetic collection."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_collection(args.n, args.out, examples=args.examples, seed=args.seed)


if __name__ == "__main__":
    main()
