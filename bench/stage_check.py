"""Figure 5: what checking one exchange against its contract costs, next to its round trip.

Why it exists: if ``Checker.check`` were a large part of each case, a faster validator
(jsonschema-rs) would be worth an optional fast path. Each round sends the documented
success request of every bundled operation to the loopback mock (the round trip, with
:class:`~postman_contracts.server._http.HttpClient`, as the plugin sends it), then checks the
response as the plugin does (a fresh response object each time, so the JSON parse counts),
and validates the same body with jsonschema and, when installed, jsonschema-rs alone.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable
from typing import Any

from _harness import ROOT, Row, log, spread
from _servers import mock_server

from postman_contracts.checking._checks import Checker, Expectation
from postman_contracts.checking._exchange import HttpResponse
from postman_contracts.contracts import open_contracts
from postman_contracts.server._cases import example_request
from postman_contracts.server._http import Credentials, HttpClient

ZOHO = ROOT / "collection" / "zoho-crm.postman_collection.json"


def _per_call(run: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        run()
    return (time.perf_counter() - start) / calls


def run(quick: bool) -> list[Row]:
    """Time round trips, checks and bare validations, interleaved, per operation."""
    rounds, calls = (5, 40) if quick else (9, 200)
    try:
        rs: Any = importlib.import_module("jsonschema_rs")
    except ImportError:
        rs = None
    contracts = open_contracts(ZOHO)
    checker = Checker(contracts)
    rows: list[Row] = []
    with mock_server(ZOHO) as (url, _app):
        client = HttpClient(url, credentials=Credentials("postman-contracts-test-token"))
        for op in contracts.operations:
            success = op.success
            if success is None or success.schema is None:
                continue
            x = next(x for x in op.examples if x.name == success.example)
            spec = example_request(op, x, {})
            expect = Expectation("example", success, None)
            got = client.send(spec, op.request.auth).response
            assert got is not None
            body, schema = got.json(), success.schema
            validator = checker.validator(schema)

            def check(got: HttpResponse = got, expect: Expectation = expect, op: Any = op) -> None:
                fresh = HttpResponse(got.status, got.headers, got.body)
                if checker.check(op, fresh, expect):
                    raise AssertionError("the documented example must pass its own contract")

            def trip(spec: Any = spec, op: Any = op) -> object:
                return client.send(spec, op.request.auth)

            def slow(validator: Any = validator, body: Any = body) -> object:
                return list(validator.iter_errors(body))

            contenders: dict[str, Callable[[], object]] = {
                "round trip": trip,
                "check": check,
                "jsonschema": slow,
            }
            if rs is not None:
                compiled = rs.validator_for(schema, validate_formats=True)

                def fast(v: Any = compiled, b: Any = body) -> object:
                    return v.is_valid(b)

                contenders["jsonschema-rs"] = fast
            log(f"checks: {op.id}, {rounds} rounds of {calls} calls")
            times: dict[str, list[float]] = {name: [] for name in contenders}
            for _ in range(rounds):
                for name, call in contenders.items():
                    times[name].append(_per_call(call, calls))
            rows += _rows(op.id, times)
        client.close()
    return rows


def _rows(op_id: str, times: dict[str, list[float]]) -> list[Row]:
    share = [c / (c + r) for c, r in zip(times["check"], times["round trip"], strict=True)]
    check_us = statistics.median(times["check"]) * 1e6
    trip_us = statistics.median(times["round trip"]) * 1e6
    rows = [
        Row(
            f"5 validation, {op_id}: check / (round trip + check) "
            f"({check_us:.0f} us vs {trip_us:.0f} us)",
            spread([100 * s for s in share], "%", 1),
            "(none set: a fast path if large)",
        )
    ]
    js = statistics.median(times["jsonschema"]) * 1e6
    if "jsonschema-rs" in times:
        speed = [a / b for a, b in zip(times["jsonschema"], times["jsonschema-rs"], strict=True)]
        rs_us = statistics.median(times["jsonschema-rs"]) * 1e6
        rows.append(
            Row(
                f"5 validation, {op_id}: schema only, jsonschema {js:.0f} us vs "
                f"jsonschema-rs {rs_us:.1f} us (speed-up)",
                spread(speed),
            )
        )
        # What the check would cost with jsonschema-rs deciding validity (jsonschema kept to
        # explain failures): the check minus the jsonschema pass plus the jsonschema-rs one.
        fast_share = [
            (c - j + f) / (c - j + f + r)
            for c, j, f, r in zip(
                times["check"],
                times["jsonschema"],
                times["jsonschema-rs"],
                times["round trip"],
                strict=True,
            )
        ]
        rows.append(
            Row(
                f"5 validation, {op_id}: same share with a jsonschema-rs fast path (estimate)",
                spread([100 * s for s in fast_share], "%", 1),
            )
        )
    else:
        rows.append(
            Row(
                f"5 validation, {op_id}: schema only, jsonschema {js:.0f} us; jsonschema-rs",
                "skipped: pip install jsonschema-rs",
            )
        )
    return rows
