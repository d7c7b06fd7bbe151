"""The error catalog of the bundled collection: envelope, codes, placements and triggers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postman_contracts.collection import Placeholder, load_collection
from postman_contracts.contracts import Trigger, build_contracts
from postman_contracts.contracts import _catalog as catalog
from postman_contracts.contracts._catalog import detect_envelope, pointer_to_path
from tests.paths import BUNDLED


def test_zoho_envelope_is_code_details_message_status() -> None:
    envelope = detect_envelope(load_collection(BUNDLED).operations)
    assert envelope is not None
    assert (envelope.keys, envelope.code_key, envelope.status_key, envelope.message_key) == (
        ("code", "details", "message", "status"),
        "code",
        "status",
        "message",
    )


def _catalog() -> dict[str, list[tuple[object, ...]]]:
    contracts = build_contracts(load_collection(BUNDLED))
    return {
        op.id: [
            (e.code, e.status, e.placement, e.record_path, e.trigger.as_json()) for e in op.errors
        ]
        for op in contracts.operations
    }


def test_every_documented_error_has_exactly_its_trigger() -> None:
    assert _catalog() == {
        "leads": [
            (
                "INVALID_DATA",
                200,
                "record",
                "data",
                {"kind": "empty_object", "pointer": "/data/0", "path": "data[0]"},
            ),
            (
                "INVALID_DATA",
                200,
                "record",
                "data",
                {
                    "kind": "unknown_field",
                    "pointer": "/data/0/No_of_Employees1",
                    "path": "data[0].No_of_Employees1",
                    "name": "No_of_Employees1",
                },
            ),
            (
                "MANDATORY_NOT_FOUND",
                200,
                "record",
                "data",
                {"kind": "missing_required", "pointer": "/ids", "path": "ids", "name": "ids"},
            ),
            ("INVALID_REQUEST_METHOD", 400, "top", None, {"kind": "method", "method": "COPY"}),
            ("AUTHENTICATION_FAILURE", 401, "top", None, {"kind": "auth"}),
            ("NOT_APPROVED", 200, "record", "data", {"kind": "state"}),
            ("RECORD_LOCKED", 200, "record", "data", {"kind": "state"}),
        ],
        "bulk-write/create-bulk-write-job": [
            (
                "MISSING_REQUIRED_KEY",
                400,
                "top",
                None,
                {
                    "kind": "missing_required",
                    "pointer": "/resource/0/file_id",
                    "path": "resource[0].file_id",
                    "name": "file_id",
                },
            ),
            (
                "INVALID_CALLBACK_URL",
                400,
                "top",
                None,
                {
                    "kind": "value_changed",
                    "pointer": "/callback/url",
                    "path": "callback.url",
                    "from": "https://www.zoho.com/in/crm/",
                    "to": "http://requestbin.fullcontact.com",
                },
            ),
            (
                "FILE_NOT_SUPPORTED",
                400,
                "top",
                None,
                {
                    "kind": "value_changed",
                    "pointer": "/resource/0/file_id",
                    "path": "resource[0].file_id",
                    "from": "4150868000005379001",
                    "to": "415086800000537900",
                },
            ),
        ],
    }


def test_error_messages_and_details_schemas_are_kept() -> None:
    leads = build_contracts(load_collection(BUNDLED)).operation("leads")
    locked = next(e for e in leads.errors if e.code == "RECORD_LOCKED")
    assert locked.message == "cannot update record that is not approved yet"
    assert locked.details_schema is not None
    assert set(locked.details_schema["properties"]) == {"action", "id"}


def test_successes_are_told_from_errors_by_the_record_status() -> None:
    leads = build_contracts(load_collection(BUNDLED)).operation("leads")
    assert [r.example for r in leads.responses if r.success] == ["SUCCESS RESPONSE"]
    assert len(leads.errors) == 7


def test_pointer_to_path() -> None:
    assert pointer_to_path("/resource/0/file_id") == "resource[0].file_id"
    assert pointer_to_path("/a~1b/c~0d") == "a/b.c~d"
    assert pointer_to_path("") == ""


_BODY_LEAVES = (
    st.none()
    | st.booleans()
    | st.sampled_from([0, 1, 1.0, 0.0, 2])
    | st.sampled_from(["a", "b", ""])
    | st.builds(Placeholder, st.sampled_from(["id", "n"]), st.booleans())
)
_BODIES = st.recursive(
    _BODY_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c/d", "e~"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(_BODIES, _BODIES)
def test_the_diff_skips_equal_parts_without_changing_what_it_finds(good: Any, bad: Any) -> None:
    # Equal subtrees are compared in C; True == 1 == 1.0 there, and the walk must still
    # report a boolean that became a number.
    fast: list[Trigger] = []
    catalog._diff(good, bad, "", fast)
    walked: list[Trigger] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(catalog, "same_json", lambda a, b: False)
        catalog._diff(good, bad, "", walked)
    assert fast == walked


def test_a_boolean_that_became_a_number_is_a_type_change() -> None:
    found: list[Trigger] = []
    catalog._diff({"flags": [True, 1]}, {"flags": [1, 1]}, "", found)
    assert found == [Trigger("type_changed", "/flags/0", {"from": "boolean", "to": "integer"})]


def _value_trigger(good: Any, bad: Any, error_body: dict[str, Any]) -> Trigger:
    """The trigger of an error example whose request differs from the success's in one value."""
    from tests.plugin.builders import SCHEMA_V21, example, item, request

    ok = request("POST", "/payments", {"amount": good, "note": "x"})
    failing = request("POST", "/payments", {"amount": bad, "note": "x"})
    doc = {
        "info": {"name": "api", "schema": SCHEMA_V21},
        "item": [
            item(
                "pay",
                ok,
                example("OK", 201, {"id": 1}, ok),
                example("Refused", 400, error_body, failing),
            )
        ],
    }
    (entry,) = build_contracts(load_collection(doc)).operation("pay").errors
    return entry.trigger


def test_a_value_change_nothing_explains_is_no_trigger() -> None:
    # "12.50" -> "80": over a balance, say; nothing shows that "80" is invalid
    t = _value_trigger("12.50", "80", {"code": "INSUFFICIENT_FUNDS", "message": "Refused."})
    assert t == Trigger(
        "state",
        detail={"unexplained": "value_changed", "at": "/amount", "from": "12.50", "to": "80"},
    )
    assert t.as_json()["kind"] == "state"


@pytest.mark.parametrize(
    ("good", "bad", "error"),
    [
        # the error names the field, or the value
        ("12.50", "80", {"code": "AMOUNT_TOO_HIGH", "message": "Refused."}),
        ("12.50", "80", {"code": "REFUSED", "message": "The amount is over the limit."}),
        ("12.50", "80000", {"code": "REFUSED", "message": "80000 is over the limit."}),
        # the change crosses a boundary any validator draws
        ("12.50", "", {"code": "REFUSED", "message": "Refused."}),
        ("12.50", "twelve", {"code": "REFUSED", "message": "Refused."}),
        ("https://a.example/cb", "http://a.example/cb", {"code": "REFUSED", "message": "No."}),
        ("2021-05-12", "12/05/2021", {"code": "REFUSED", "message": "Refused."}),
        (12, -1, {"code": "REFUSED", "message": "Refused."}),
        (12, 12.5, {"code": "REFUSED", "message": "Refused."}),
    ],
)
def test_a_value_change_with_evidence_is_a_trigger(good: Any, bad: Any, error: Any) -> None:
    t = _value_trigger(good, bad, error)
    assert (t.kind, t.pointer, t.detail) == ("value_changed", "/amount", {"from": good, "to": bad})


def test_one_value_under_any_name_is_no_code() -> None:
    """``"message": "string"`` on every documented error is a converter's stand-in, not a code;
    one value under a name that says code still is."""
    from postman_contracts.collection import Example
    from postman_contracts.contracts._catalog import detect_envelope

    def op(*bodies: dict[str, object]) -> object:
        class _Op:
            examples = tuple(
                Example(name=f"e{i}", status=400, json=b) for i, b in enumerate(bodies)
            )

        return _Op()

    same = {"message": "string", "details": []}
    assert detect_envelope([op(same, same)]).code_key is None  # type: ignore[list-item,union-attr]
    coded = {"code": "NOT_FOUND", "message": "No such thing"}
    assert detect_envelope([op(coded)]).code_key == "code"  # type: ignore[list-item,union-attr]
