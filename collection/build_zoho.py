"""Rebuild ``zoho-crm.postman_collection.json`` from the Zoho documentation seed pages.

Run by hand (``python collection/build_zoho.py ../shared/seeds``). Each seed page ends with the
line ``Postman Collection Item JSON`` followed by the item exactly as Zoho documents it; this
script wraps those items, untouched, in a Postman v2.1 collection with the variables and the
collection-level bearer auth Zoho documents. ``tests/test_bundled_collection.py`` checks the
committed file against the seeds and the official v2.1 schema.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MARKER = "Postman Collection Item JSON"
HERE = Path(__file__).resolve().parent


def item_from_seed(page: Path) -> dict[str, object]:
    """Return the item JSON that follows the marker line of a seed page."""
    text = page.read_text(encoding="utf-8")
    _, sep, tail = text.partition(MARKER + "\n")
    if not sep:
        raise SystemExit(f"{page}: no line {MARKER!r}")
    item: dict[str, object] = json.loads(tail)
    return item


def build(seeds: Path) -> dict[str, object]:
    """Assemble the collection from the two seed pages."""
    items = {item["name"]: item for item in map(item_from_seed, sorted(seeds.glob("*.txt")))}
    return {
        "info": {
            "_postman_id": "5b0c2a56-0c4e-4a4b-9d49-2f0b2f6a8c01",
            "name": "Zoho CRM",
            "description": "Zoho CRM v2 REST API: the Leads mass update and the Bulk Write job, "
            "as documented by Zoho with their saved success and error examples.",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            items["Leads"],
            {
                "name": "Bulk Write",
                "description": "Bulk Write API: import records into CRM from an uploaded file.",
                "item": [items["Create Bulk Write Job"]],
            },
        ],
        "auth": {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{access-token}}", "type": "string"}],
        },
        "variable": [
            {
                "key": "api-domain",
                "value": "https://www.zohoapis.com",
                "type": "string",
                "description": "Zoho's API domain for your data centre (.com, .eu, .in, ...).",
            },
            {
                "key": "access-token",
                "value": "",
                "type": "string",
                "description": "An OAuth access token; supply it with --var access-token=...",
            },
        ],
    }


def main() -> None:
    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "seeds")
    out = HERE / "zoho-crm.postman_collection.json"
    out.write_text(json.dumps(build(seeds), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
