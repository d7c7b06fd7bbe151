"""A small shop API for the coverage phase's tests: its collection, and its contracts with
the bounds a reviewed override states (inference never writes one).

Why it exists: the generator's tests (``tests/generators/test_coverage.py``) and the plugin's
(``tests/plugin/test_coverage_phase.py``) check the same API, one case by case, the other
against servers with one fault each.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from postman_contracts.collection import load_collection
from postman_contracts.contracts import (
    ContractSet,
    build_contracts,
    load_contracts,
    write_contracts,
)
from tests.contracts.exchange_builders import collection, form_request, plain_request, response

#: The success requests of ``orders``: enough of them that the evidence policy asserts the
#: types, required keys and the ``status`` enum (2 examples, 5 values of 2+ distinct).
ORDERS = [
    {"name": "Ada", "quantity": 3, "status": "new", "note": "gift", "tags": ["a", "b"]},
    {"name": "Bob", "quantity": 7, "status": "paid"},
    {"name": "Cyd", "quantity": 1, "status": "new", "note": "rush"},
    {"name": "Dee", "quantity": 2, "status": "paid", "tags": ["c"]},
    {"name": "Eve", "quantity": 9, "status": "shipped", "priority": 2},
]
#: Bounds no collection states (inference never writes one): a reviewed override does.
BOUNDS = {
    "request": {
        "properties": {
            "quantity": {"minimum": 1, "maximum": 100},
            "name": {"minLength": 1, "maxLength": 20},
            "tags": {"maxItems": 3},
        }
    }
}


def orders_request(body: dict[str, Any], *, dry_run: bool = False) -> dict[str, Any]:
    """``POST /orders?api_version=2`` with a tenant header and ``body``."""
    query = [("api_version", "2"), ("limit", "10")] + ([("dry_run", "true")] if dry_run else [])
    return plain_request(
        "POST", "/orders", query=query, headers=[("X-Tenant", "acme")], json_body=body
    )


def shop(*, contacts: bool = True) -> dict[str, Any]:
    """A small shop API: a JSON body with an enum and optional members, a required query
    parameter and header, a documented error, and (``contacts``) a form."""
    shown = [
        response(f"Created {i}", 201, {"id": f"ord_{i}", "status": b["status"]}, orders_request(b))
        for i, b in enumerate(ORDERS)
    ]
    shown[1]["originalRequest"] = orders_request(ORDERS[1], dry_run=True)
    shown[3]["originalRequest"] = orders_request(ORDERS[3], dry_run=True)
    missing = {k: v for k, v in ORDERS[0].items() if k != "quantity"}
    shown.append(
        response(
            "MISSING_QUANTITY",
            400,
            {"code": "MISSING_QUANTITY", "message": "quantity is required"},
            orders_request(missing),
        )
    )
    contact = [("email", "a@example.com"), ("age", "31"), ("newsletter", "true")]
    contact2 = [("email", "b@example.com"), ("age", "45")]
    forms = [
        response("OK", 200, {"ok": True}, form_request(contact, path="/contacts")),
        response("OK 2", 200, {"ok": True}, form_request(contact2, path="/contacts")),
    ]
    return collection(
        ("orders", orders_request(ORDERS[0]), shown),
        *([("contacts", form_request(contact, path="/contacts"), forms)] if contacts else []),
    )


def shop_contracts(directory: Path, *, bounds: bool = True, contacts: bool = True) -> ContractSet:
    """The shop's contracts written to ``directory/contracts`` (with the bounds override) and
    read back."""
    path = directory / "shop.postman_collection.json"
    path.write_text(json.dumps(shop(contacts=contacts)), encoding="utf-8")
    out = directory / "contracts"
    if bounds:
        (out / "overrides").mkdir(parents=True)
        (out / "overrides" / "orders.json").write_text(json.dumps(BOUNDS), encoding="utf-8")
    write_contracts(build_contracts(load_collection(path)), out)
    return load_contracts(out)
