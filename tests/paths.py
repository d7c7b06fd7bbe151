"""Paths the tests share: the repository, ../shared and the real collections in it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
SCHEMAS = SHARED / "postman-schemas"
BUNDLED = ROOT / "collection" / "zoho-crm.postman_collection.json"
CORPUS_FILES = sorted(CORPUS.glob("*.postman_collection.json"))
ALL_COLLECTIONS = [BUNDLED, *CORPUS_FILES]
#: Postman's OpenAPI importer's conversions of three vendor definitions, both variants.
CONVERSIONS = sorted((SHARED / "openapi").glob("*/collection.*.json"))
