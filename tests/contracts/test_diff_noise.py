"""Each source of noise issue 14 found, and each kind of change the diff missed, on a pair of
small collections: what is no API change reports none, what is one is reported once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.contracts.diff_collections import (
    api,
    collection,
    diff,
    example,
    folder,
    item,
    request,
)

URL = "{{baseUrl}}/things/:id"
THING = {"id": "T1", "name": "a thing", "size": 3}


def _get(name: str = "Get a thing", url: str = URL, body: Any = THING) -> dict[str, Any]:
    req = request("GET", url)
    return item(name, req, example("OK", 200, body, req))


def test_a_renamed_and_moved_item_is_a_rename_not_an_operation_removed(tmp_path: Path) -> None:
    old = collection(folder("Things", _get("Get a thing")))
    new = collection(folder("Thingies", _get("Fetch one thing")))
    changes = diff(tmp_path, old, new)
    assert api(changes) == []
    assert [(c.kind, c.before, c.after) for c in changes] == [
        ("item-renamed", "Things / Get a thing", "Thingies / Fetch one thing")
    ]
    moved = diff(tmp_path, old, collection(folder("Thingz", _get("Get a thing"))))
    assert [(c.kind, c.before, c.after, c.breaks) for c in moved] == [
        ("items-moved", "Things", "Thingz", frozenset())
    ]


def test_same_named_items_swapped_change_nothing(tmp_path: Path) -> None:
    a = _get("Get", URL, THING)
    b = _get("Get", "{{baseUrl}}/others/:id", {"other": True})
    assert diff(tmp_path, collection(folder("F", a, b)), collection(folder("F", b, a))) == []


def test_path_parameter_syntax_is_not_a_change(tmp_path: Path) -> None:
    old = collection(_get(url="{{baseUrl}}/things/:id"))
    for url in ("{{baseUrl}}/things/{{id}}", "{{baseUrl}}/things/{thingId}"):
        assert diff(tmp_path, old, collection(_get(url=url))) == []
    changes = diff(tmp_path, old, collection(_get(url="{{baseUrl}}/thing/:id")))
    assert api(changes) == [("operation-moved", "operation", ["clients", "servers"])]


def test_single_values_are_examples_not_enums(tmp_path: Path) -> None:
    def status(code: str, country: str) -> dict[str, Any]:
        return collection(_get(body={"status": code, "country": country, "STATE": "OPEN"}))

    assert diff(tmp_path, status("FAILED", "US"), status("EXPIRED", "GB")) == []


def test_digit_counts_of_ids_are_not_patterns(tmp_path: Path) -> None:
    def ids(value: str) -> dict[str, Any]:
        return collection(_get(body={"id": value, "ref": value}))

    assert diff(tmp_path, ids("123456"), ids("1234567")) == []


def test_a_placeholder_replaced_by_a_value_is_no_change(tmp_path: Path) -> None:
    def order(raw: str) -> dict[str, Any]:
        req = request("POST", "{{baseUrl}}/orders", raw=raw)
        return collection(item("Create", req, example("Created", 201, {"id": "1"}, req)))

    old = order('{"intent": "{{intent}}", "amount": {{amount}}}')
    new = order('{"intent": "CAPTURE", "amount": 12}')
    assert diff(tmp_path, old, new) == []


def test_integer_to_number_is_compatible_a_real_widening_is_not(tmp_path: Path) -> None:
    def priced(price: Any) -> dict[str, Any]:
        return collection(_get(body={"id": "T1", "price": price}))

    # one example's 12 asserts a number (the evidence policy): nothing to report, and at
    # most a compatible refinement where two examples had asserted an integer
    changes = diff(tmp_path, priced(12), priced(12.5))
    assert [c for c in changes if c.api or c.breaks] == []
    assert api(diff(tmp_path, priced(12), priced("12"))) == [
        ("type-changed", "response 200 body $.price", ["clients", "servers"])
    ]


def test_an_operations_first_example_documents_it_and_breaks_nobody(tmp_path: Path) -> None:
    bare = collection(item("Get a thing", request("GET", URL)))
    changes = diff(tmp_path, bare, collection(_get()))
    assert [(c.kind, c.breaks, c.api) for c in changes] == [
        ("responses-documented", frozenset(), False)
    ]
    assert api(diff(tmp_path, collection(_get()), bare)) == [
        ("responses-removed", "response (no status) status", ["clients"])
    ]


def test_an_example_without_a_status_never_prints_none(tmp_path: Path) -> None:
    req = request("GET", URL)
    old = collection(item("Get a thing", req, example("OK", 200, THING, req)))
    new = collection(
        item("Get a thing", req, example("OK", 200, THING, req), example("Any", None, {"x": 1}))
    )
    (change,) = diff(tmp_path, old, new)
    assert (change.kind, change.location.status, change.examples) == (
        "status-added",
        None,
        ("Any",),
    )
    assert "None" not in change.message + change.where
    assert change.where == "response (no status) status"


def test_a_collection_wide_auth_change_is_reported_once(tmp_path: Path) -> None:
    items = [_get("One"), _get("Two", "{{baseUrl}}/twos/:id"), _get("Three", "{{baseUrl}}/x")]
    bearer = {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]}
    apikey = {
        "type": "apikey",
        "apikey": [{"key": "key", "value": "X-Key"}, {"key": "value", "value": "{{key}}"}],
    }
    changes = diff(tmp_path, collection(*items, auth=bearer), collection(*items, auth=apikey))
    (change,) = changes
    assert (change.kind, change.operation, len(change.operations)) == (
        "auth-changed",
        "collection",
        3,
    )
    assert change.breaks == {"clients", "servers"}
    assert "every operation" in change.message
    none = diff(tmp_path, collection(*items), collection(*items, auth=bearer))
    assert [(c.kind, sorted(c.breaks)) for c in none] == [("auth-changed", ["clients"])]


def test_a_host_change_is_reported_once(tmp_path: Path) -> None:
    def on(host: str) -> dict[str, Any]:
        return collection(_get("A", f"https://{host}/a"), _get("B", f"https://{host}/b/:id"))

    (change,) = diff(tmp_path, on("old.example.com"), on("new.example.com"))
    assert (change.kind, change.before, change.after) == (
        "host-changed",
        "old.example.com",
        "new.example.com",
    )
    assert change.breaks == {"clients"}
    # A host variable renamed says nothing about the host.
    assert diff(tmp_path, collection(_get(url="{{a}}/x")), collection(_get(url="{{b}}/x"))) == []


def test_every_shape_under_one_status_is_compared(tmp_path: Path) -> None:
    def shapes(first: dict[str, Any]) -> dict[str, Any]:
        req = request("GET", URL)
        return collection(
            item(
                "Get",
                req,
                example("Found", 200, first, req),
                example("Soft error", 200, {"error": {"code": "E1"}}, req),
            )
        )

    changes = diff(tmp_path, shapes({"data": {"a": 1, "b": 2}}), shapes({"data": {"a": 1}}))
    assert api(changes) == [("property-removed", "response 200 body $.data.b", ["clients"])]
    assert changes[0].examples == ("Found",)


def test_a_field_moved_between_variants_of_one_operation_is_no_change(tmp_path: Path) -> None:
    def transfers(card: dict[str, Any], bank: dict[str, Any]) -> dict[str, Any]:
        one, two = (
            request("POST", "{{baseUrl}}/transfers", card),
            request("POST", "{{baseUrl}}/transfers", bank),
        )
        return collection(
            item("By card", one, example("Accepted", 202, card, one)),
            item("By bank", two, example("Accepted", 202, bank, two)),
        )

    old = transfers({"amount": 1, "card": "c"}, {"amount": 2, "iban": "i"})
    new = transfers({"amount": 1, "card": "c", "iban": "i"}, {"amount": 2})
    assert api(diff(tmp_path, old, new)) == []


def test_a_field_renamed_is_one_change_breaking_both(tmp_path: Path) -> None:
    def quote(body: dict[str, Any]) -> dict[str, Any]:
        return collection(item("Quote", request("POST", "{{baseUrl}}/quotes", body)))

    changes = diff(
        tmp_path,
        quote({"targetRecipient": "r", "amount": 1}),
        quote({"targetAccount": "r", "amount": 1}),
    )
    assert [(c.kind, c.before, c.after, sorted(c.breaks)) for c in changes] == [
        ("property-renamed", "$.targetRecipient", "$.targetAccount", ["clients", "servers"])
    ]


def test_query_parameters_added_removed_and_disabled_ones(tmp_path: Path) -> None:
    def listing(query: list[dict[str, Any]]) -> dict[str, Any]:
        req = request("GET", "{{baseUrl}}/things", query=query)
        return collection(item("List", req, example("OK", 200, [THING], req)))

    limit = {"key": "limit", "value": "10"}
    old = listing([limit])
    optional = listing([limit, {"key": "cursor", "value": "c", "disabled": True}])
    assert api(diff(tmp_path, old, optional)) == [
        ("query-parameter-added", "request query cursor", ["servers"])
    ]
    # One request shown (the item's, saved again under its example) is no evidence that a
    # parameter is required: a new one is a change for servers only...
    once = listing([limit, {"key": "sort", "value": "name"}])
    assert api(diff(tmp_path, old, once)) == [
        ("query-parameter-added", "request query sort", ["servers"])
    ]
    # ...two different requests that both send it are.
    by_name = request("GET", "{{baseUrl}}/things", query=[limit, {"key": "sort", "value": "name"}])
    by_date = request("GET", "{{baseUrl}}/things", query=[limit, {"key": "sort", "value": "date"}])
    required = collection(
        item(
            "List",
            by_name,
            example("OK", 200, [THING], by_name),
            example("By date", 200, [THING], by_date),
        )
    )
    assert api(diff(tmp_path, old, required)) == [
        ("query-parameter-added", "request query sort", ["clients", "servers"])
    ]
    assert api(diff(tmp_path, old, listing([]))) == [
        ("query-parameter-removed", "request query limit", ["clients"])
    ]


def test_media_types_of_requests_and_responses(tmp_path: Path) -> None:
    def create(request_type: str, response_type: str) -> dict[str, Any]:
        req = request("POST", "{{baseUrl}}/things", THING, content_type=request_type)
        return collection(
            item("Create", req, example("Created", 201, THING, req, content_type=response_type))
        )

    old = create("application/json", "application/json")
    new = create("application/merge-patch+json", "application/hal+json")
    assert api(diff(tmp_path, old, new)) == [
        ("media-type-changed", "request media type", ["clients", "servers"]),
        ("media-type-changed", "response 201 media type", ["clients", "servers"]),
    ]


def test_a_content_type_header_on_a_request_without_body_is_no_body(tmp_path: Path) -> None:
    bare = request("GET", URL)
    with_header = {**bare, "header": [{"key": "Content-Type", "value": "application/json"}]}
    old = collection(item("Get a thing", bare, example("OK", 200, THING, bare)))
    new = collection(item("Get a thing", with_header, example("OK", 200, THING, with_header)))
    assert diff(tmp_path, old, new) == []
