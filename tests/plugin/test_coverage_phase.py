"""The coverage phase (issue 17): a ``test_coverage`` item per operation, before the fuzz, that
sends one request per rule the contract asserts, the same on every run.

Four servers of the shop's ``orders`` operation, each with one fault, are each caught by
``test_coverage`` on every one of 20 runs with 20 different seeds (random fuzzing, run too, may
or may not catch them); a server that keeps its documentation passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.coverage_api import shop_contracts
from tests.plugin.builders import Server
from tests.plugin.conftest import WsgiApp, failure_section, outcomes

SEEDS = range(1, 21)
_STATUSES = ("new", "paid", "shipped")
Answer = tuple[int, str, Any]


class Shop:
    """The ``orders`` operation as documented (``POST /orders?api_version=2``, an ``X-Tenant``
    header, a JSON order), but for one ``fault`` ("" for none); an exception is a 500, as a
    framework answers one."""

    def __init__(self, fault: str = "") -> None:
        self.fault = fault
        self.created = 0

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        try:
            return self.answer(method, path, headers, body)
        except Exception as err:  # noqa: BLE001  the fault's crash, as a framework answers it
            return 500, "text/plain", f"Internal Server Error: {err!r}".encode()

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        url = urlsplit(path)
        if url.path != "/orders":
            return 404, "application/json", {"code": "NOT_FOUND", "message": url.path}
        if method != "POST":
            return 405, "application/json", {"code": "METHOD_NOT_ALLOWED", "message": method}
        query = parse_qs(url.query, keep_blank_values=True)
        version = query.get("api_version", [])
        if len(version) != 1 or not version[0].isdigit() or not headers.get("x-tenant"):
            return _bad("api_version (a number) and an X-Tenant header are required")
        if len(query.get("limit", [])) != 1 or not query["limit"][0].isdigit():
            return _bad("limit is a number, and required (every request shows it)")
        if not all(v in ("true", "false") for v in query.get("dry_run", [])):
            return _bad("dry_run is true or false")
        try:
            order = json.loads(body)
        except ValueError:
            return _bad("the body is not JSON")
        if not isinstance(order, dict):
            return _bad("an order is an object")
        if "quantity" not in order:
            return 400, "application/json", {"code": "MISSING_QUANTITY", "message": "quantity"}
        return self.order(order)

    def order(self, order: dict[str, Any]) -> Answer:
        quantity = order["quantity"]
        if self.fault == "wrong-type-crashes":
            quantity += 0  # no type check: a string is a TypeError
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            return _bad("quantity is an integer")
        if self.fault == "boundary-crashes" and quantity >= 100:
            raise OverflowError("a stock of 99")  # off by one: 100 is allowed
        if not 1 <= quantity <= 100:
            return _bad("quantity is 1 to 100")
        if self.fault == "accepts-missing-name":
            order.setdefault("name", "anonymous")
        name = order.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 20:
            return _bad("name is 1 to 20 characters")
        if order.get("status") not in _STATUSES:
            return _bad("status is new, paid or shipped")
        if self.fault == "needs-the-note":
            order["note"] = order["note"].strip()  # a KeyError without a note
        if not isinstance(order.get("note", ""), str):
            return _bad("note is text")
        tags = order.get("tags", [])
        if not isinstance(tags, list) or len(tags) > 3 or not all(isinstance(t, str) for t in tags):
            return _bad("tags are up to 3 strings")
        priority = order.get("priority", 0)
        if not isinstance(priority, int | float) or isinstance(priority, bool):
            return _bad("priority is a number")
        self.created += 1
        return 201, "application/json", {"id": f"ord_{self.created}", "status": order["status"]}


def _bad(message: str) -> Answer:
    return 400, "application/json", {"code": "INVALID", "message": message}


@pytest.fixture
def shop_dir(pytester: pytest.Pytester) -> str:
    """The shop's ``orders`` contracts (bounds stated by an override) in the pytester dir."""
    shop_contracts(pytester.path, contacts=False)
    return "contracts"


def _run(pytester: pytest.Pytester, contracts: str, url: str, *args: str) -> pytest.RunResult:
    return pytester.runpytest(
        "-v", "-p", "no:cacheprovider", "--contracts", contracts, "--contracts-base-url", url,
        "--contracts-max-examples", "5", *args,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fault", "rule"),
    [
        ("wrong-type-crashes", "'quantity' must be integer, got string"),
        ("accepts-missing-name", "missing required property 'name'"),
        ("boundary-crashes", "valid: 'quantity' at its maximum 100"),
        ("needs-the-note", "valid: optional fields omitted"),
    ],
)
def test_a_broken_server_is_caught_on_every_run(
    pytester: pytest.Pytester,
    shop_dir: str,
    serve: Callable[[WsgiApp], str],
    fault: str,
    rule: str,
) -> None:
    url = serve(Server(Shop(fault)))
    caught = []
    for seed in SEEDS:
        result = _run(pytester, shop_dir, url, "--contracts-seed", str(seed))
        if outcomes(result).get("orders::test_coverage") == "FAILED":
            section = failure_section(result, "orders::test_coverage")
            section.fnmatch_lines(["* coverage requests failed (the same requests on every run)"])
            section.fnmatch_lines([f"*({rule})*"])
            caught.append(seed)
    assert caught == list(SEEDS)


def test_a_correct_server_passes_with_coverage_on(
    pytester: pytest.Pytester, shop_dir: str, serve: Callable[[WsgiApp], str]
) -> None:
    shop = Shop()
    url = serve(Server(shop))
    for seed in (1, 2):
        result = _run(pytester, shop_dir, url, "--contracts-seed", str(seed))
        found = outcomes(result)
        assert found["orders::test_coverage"] == "PASSED", result.stdout.str()
        assert set(found.values()) == {"PASSED"}, found
    assert shop.created > 0  # valid requests got through


def test_coverage_runs_before_the_fuzz_and_phases_select_the_items(
    pytester: pytest.Pytester, shop_dir: str, serve: Callable[[WsgiApp], str]
) -> None:
    url = serve(Server(Shop()))

    def items(*args: str) -> list[str]:
        result = pytester.runpytest(
            "--co", "-q", "--contracts", shop_dir, "--contracts-base-url", url, *args
        )
        return [line.split("::", 1)[1] for line in result.outlines if "::orders::" in line]

    both = items()
    assert both.index("orders::test_coverage") < both.index("orders::test_fuzz_valid")
    assert "orders::test_coverage" not in items("--contracts-phases", "fuzz")
    assert {"orders::test_fuzz_valid", "orders::test_fuzz_invalid"} <= set(
        items("--contracts-phases", "fuzz")
    )
    coverage_only = items("--contracts-phases", "coverage")
    assert "orders::test_coverage" in coverage_only
    assert not [n for n in coverage_only if "test_fuzz" in n]
    bad = _run(pytester, shop_dir, url, "--contracts-phases", "coverage,random")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(
        ["ERROR: --contracts-phases: unknown ['random']; known: coverage, fuzz"]
    )


def test_every_failing_case_is_reported_together(
    pytester: pytest.Pytester, shop_dir: str, serve: Callable[[WsgiApp], str]
) -> None:
    # accepts anything: every asserted rule it should refuse fails, in one report
    created = {"id": "ord_1", "status": "new"}  # a documented answer, to anything
    url = serve(Server(lambda method, path, headers, body: (201, "application/json", created)))
    result = _run(
        pytester, shop_dir, url, "--contracts-phases", "coverage", "--contracts-seed", "1"
    )
    section = failure_section(result, "orders::test_coverage")
    section.fnmatch_lines(
        [
            "* of * coverage requests failed (the same requests on every run)",
            "POST http://127.0.0.1:*/orders?api_version=2&limit=10 (orders)",
            "  invalid request (missing required property 'quantity') must get documented "
            "error MISSING_QUANTITY",
            "- Wrong status for documented error MISSING_QUANTITY",
            "POST http://127.0.0.1:*/orders?api_version=2&limit=10 (orders)",
            "  invalid request (missing required property 'name'), as the contract asserts: "
            "must be rejected",
            "- An invalid request was accepted",
        ]
    )
    text = "\n".join(section.lines)
    for rule in (
        "missing required query parameter 'api_version'",
        "missing required header 'X-Tenant'",
        "'quantity' must be integer, got string",
        "'quantity' must be integer, got null",
        "value not in enum at $.status",
        "'quantity' past its maximum 100",
        "'tags' past its maxItems 3",
    ):
        assert f"({rule})" in text
