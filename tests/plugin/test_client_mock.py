"""The client side: ``contract_mock``, ``contract_responses``, the reference client, the gallery.

The mock itself is tested directly (fast); the fixtures, the reference client's own tests and
every broken client of ``tests/clients/broken.py`` run through ``pytester``, each broken client
against the reference client's unchanged tests, each caught by the expected check.
"""

from __future__ import annotations

import contextlib
import glob
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_contracts import InvalidArgument
from postman_contracts.checking._violations import Violation, Violations
from postman_contracts.client._fuzz import ContractResponses, mentions
from postman_contracts.client._mock import ContractMock
from postman_contracts.contracts import ContractSet, open_contracts
from postman_contracts.generators import documented_responses
from postman_contracts.server._cases import example_request
from postman_contracts.server._http import Credentials, HttpClient
from tests.paths import BUNDLED, CORPUS_FILES, ROOT

EXAMPLE = ROOT / "examples" / "zoho_client"
GALLERY = ROOT / "tests" / "clients" / "broken.py"
URL = "https://www.zohoapis.com/crm/v2/Leads/actions/mass_update"
BULK_URL = "https://www.zohoapis.com/crm/bulk/v2/write"
TOKEN = "1000.test-token-" + "f00d" * 4
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GOOD = {"data": [{"No_of_Employees": 10}], "over_write": True, "ids": ["738964000002131001"]}
# What a user passes with --contracts-var for the placeholders the examples leave unfilled.
VARIABLES = {"record-id": "738964000002131001"}


@pytest.fixture(scope="module")
def zoho() -> ContractSet:
    return open_contracts(str(BUNDLED))


@pytest.fixture
def mock(zoho: ContractSet) -> Any:
    mock = ContractMock(zoho)
    mock.start()
    yield mock
    mock.stop()


def post(body: Any = GOOD, url: str = URL, headers: dict[str, str] | None = None) -> Any:
    return requests.post(url, json=body, headers=AUTH if headers is None else headers, timeout=5)


def failure(call: Any) -> Violations:
    with pytest.raises(Violations) as raised:
        call()
    return raised.value


# -- answering -----------------------------------------------------------------------------------


def test_a_valid_request_gets_the_success_example_on_any_host(mock: ContractMock) -> None:
    r = requests.post(URL.replace("www.zohoapis.com", "crm.example.eu"), json=GOOD, headers=AUTH)
    assert r.status_code == 200
    assert r.json()["data"][0]["code"] == "SUCCESS"
    (call,) = mock.calls
    assert (call.operation, call.example, call.documented) == ("leads", "SUCCESS RESPONSE", True)
    assert json.loads(call.request.body) == GOOD


def test_respond_primes_an_example_or_a_status_for_the_next_calls(mock: ContractMock) -> None:
    mock.respond("leads", example="RECORD_LOCKED", times=2)
    mock.respond("leads", status=401)
    codes = [post().json() for _ in range(4)]
    assert [c["data"][0]["code"] for c in codes[:2]] == ["RECORD_LOCKED"] * 2
    assert codes[2]["code"] == "AUTHENTICATION_FAILURE"
    assert codes[3]["data"][0]["code"] == "SUCCESS"
    mock.verify()


def test_a_collection_wide_error_can_be_primed_on_any_operation(mock: ContractMock) -> None:
    mock.respond("bulk-write/create-bulk-write-job", status=401)
    body = mock.contracts.operation("bulk-write/create-bulk-write-job").examples[0].body
    r = post(body, BULK_URL)
    assert (r.status_code, r.json()["code"]) == (401, "AUTHENTICATION_FAILURE")


def test_priming_what_is_not_documented_names_what_is(mock: ContractMock) -> None:
    with pytest.raises(InvalidArgument, match=r"no operation 'lead'.*leads"):
        mock.respond("lead")
    with pytest.raises(InvalidArgument, match=r"status=503.*'RECORD_LOCKED' \(200\)"):
        mock.respond("leads", status=503)
    with pytest.raises(InvalidArgument, match="times"):
        mock.respond("leads", times=0)
    with pytest.raises(InvalidArgument, match="strategy"):
        mock.respond_with("leads", "SUCCESS", st.data())  # type: ignore[arg-type]


def test_strict_mode_fails_for_a_primed_response_never_served(mock: ContractMock) -> None:
    mock.respond("leads", example="NOT_APPROVED")
    with pytest.raises(Violation, match="leads: example 'NOT_APPROVED' was served 0 time"):
        mock.verify()
    mock.assert_all_requests_are_fired = False
    mock.verify()


def test_base_url_restricts_the_host(mock: ContractMock) -> None:
    mock.base_url = "https://www.zohoapis.com"
    assert post().status_code == 200
    err = failure(lambda: post(url=URL.replace("www.zohoapis.com", "evil.example")))
    assert err.violations[0].check == "request_unmatched"
    assert "not under base_url https://www.zohoapis.com" in str(err)


# -- checking what the client sends --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "check", "text"),
    [
        ({**GOOD, "over_write": "true"}, AUTH, "request_type_changed", "$.over_write: 'true'"),
        ({k: v for k, v in GOOD.items() if k != "ids"}, AUTH, "request_missing_required", "'ids'"),
        (GOOD, {}, "request_auth", "expected Authorization: Bearer ..."),
        (GOOD, {"Authorization": TOKEN}, "request_auth", "expected Authorization: Bearer ..."),
        ({**GOOD, "trigger": []}, AUTH, "request_unknown_field", "unknown property 'trigger'"),
        # digits, as every documented id: the ids' length is not asserted, one example shows it
        ({**GOOD, "ids": ["12ab"]}, AUTH, "request_value_changed", "does not match"),
    ],
    ids=["type", "missing", "no-auth", "no-scheme", "unknown", "value"],
)
def test_a_broken_request_fails_at_the_call(
    mock: ContractMock, body: Any, headers: dict[str, str], check: str, text: str
) -> None:
    err = failure(lambda: post(body, headers=headers))
    assert err.violations[0].check == check
    assert text in str(err)
    assert str(err).startswith(f"POST {URL} (Leads)")
    assert mock.calls == ()


def test_a_json_body_needs_a_json_content_type(mock: ContractMock) -> None:
    err = failure(lambda: requests.post(URL, data=json.dumps(GOOD), headers=AUTH))
    assert "no Content-Type header; documented: application/json" in str(err)
    err = failure(
        lambda: requests.post(
            URL, data=json.dumps(GOOD), headers={**AUTH, "Content-Type": "text/plain"}
        )
    )
    assert err.violations[0].check == "request_malformed"


def test_undocumented_query_parameters_are_reported(mock: ContractMock) -> None:
    err = failure(lambda: post(url=URL + "?trigger=workflow"))
    assert "undocumented query parameter 'trigger'" in str(err)


def test_the_failure_names_the_documented_answer(mock: ContractMock) -> None:
    err = failure(lambda: post({**GOOD, "data": [{}]}))
    assert "the API documents the answer INVALID_DATA (200, per record in data[])" in str(err)


def test_an_unmatched_request_lists_the_closest_operations_and_why(mock: ContractMock) -> None:
    err = failure(lambda: post(url=URL.replace("mass_update", "massupdate")))
    text = str(err)
    assert "No documented operation matches POST /crm/v2/Leads/actions/massupdate" in text
    assert "leads: segment 'massupdate' is not 'mass_update'" in text
    assert "bulk-write/create-bulk-write-job: path has 5 segments" in text


def test_an_undocumented_method_is_a_violation_unless_its_error_is_primed(
    mock: ContractMock,
) -> None:
    err = failure(lambda: requests.request("COPY", URL, json=GOOD, headers=AUTH))
    assert err.violations[0].check == "request_method"
    mock.respond("leads", example="INVALID_REQUEST_METHOD")
    r = requests.request("COPY", URL, json=GOOD, headers=AUTH)
    assert (r.status_code, r.json()["code"]) == (400, "INVALID_REQUEST_METHOD")


def test_a_primed_error_accepts_the_request_it_documents_and_nothing_else(
    mock: ContractMock,
) -> None:
    mock.respond("leads", example="MANDATORY_NOT_FOUND")
    assert post({k: v for k, v in GOOD.items() if k != "ids"}).status_code == 200
    mock.respond("leads", status=401)
    assert post(headers={}).status_code == 401  # no credentials, on purpose
    mock.respond("leads", status=401)
    err = failure(lambda: post({**GOOD, "over_write": 1}))  # credentials sent, body broken
    assert err.violations[0].check == "request_type_changed"


def test_a_swallowed_failure_is_raised_again_at_teardown(mock: ContractMock) -> None:
    with contextlib.suppress(AssertionError):  # a client that catches everything
        post(headers={})
    with pytest.raises(Violations, match="the client caught this failure and carried on"):
        mock.verify()
    mock.verify(mock.raised[0])  # the test already failed with it: not reported twice


def test_the_client_token_is_redacted_wherever_it_is_sent(mock: ContractMock) -> None:
    url = URL.replace("mass_update", "nope") + f"?access_token={TOKEN}"
    err = failure(lambda: post({**GOOD, "client_secret": TOKEN}, url=url))
    assert TOKEN not in str(err)
    assert "[REDACTED]" in str(err)
    err = failure(lambda: post({**GOOD, "over_write": "x"}, headers={"Authorization": TOKEN}))
    assert TOKEN not in str(err)


# -- the collections' own examples: answered, and accepted -------------------------------------


def _replay(contracts: ContractSet) -> list[str]:
    client = HttpClient("https://api.example.test", credentials=Credentials(TOKEN))
    problems: list[str] = []
    with ContractMock(contracts) as mock:
        for op in contracts.operations:
            for x in op.examples:
                error = next((e for e in op.errors if e.example == x.name), None)
                credentials = not (error is not None and error.trigger.kind == "auth")
                spec = example_request(op, x, VARIABLES, credentials=credentials)
                sent = client.build(spec, op.request.auth)
                mock.respond(op.id, example=x.name)
                # a Digest client answers the challenge (RFC 7616), as HTTPDigestAuth does
                digest = client.credentials.digest(op.request.auth) if credentials else None
                try:
                    r = requests.request(
                        sent.method,
                        sent.url,
                        headers=dict(sent.headers),
                        data=sent.body or None,
                        auth=digest,
                    )
                except Violations as err:
                    problems.append(f"{op.id}::{x.name}: {err.violations[0].message}")
                    mock.raised.clear()
                    mock.assert_all_requests_are_fired = False
                    continue
                body = r.json() if x.response_is_json else r.text
                expected = x.response_body if x.response_is_json else (x.response_body or "")
                if (r.status_code, body) != (x.status or 200, expected):
                    problems.append(f"{op.id}::{x.name}: served {r.status_code}")
                if mock.calls[-1].example != x.name:
                    problems.append(f"{op.id}::{x.name}: served {mock.calls[-1].example}")
    return problems


@pytest.mark.parametrize("path", [BUNDLED, *CORPUS_FILES], ids=lambda p: p.name.split(".")[0])
def test_every_example_is_served_and_its_own_request_accepted(path: Path) -> None:
    contracts = open_contracts(str(path))
    assert _replay(contracts) == []


def test_the_bundled_collection_replays_all_twelve_examples(zoho: ContractSet) -> None:
    assert sum(len(op.examples) for op in zoho.operations) == 12


# -- client fuzzing, directly ------------------------------------------------------------------


def _mass_update(strict: bool = True) -> Any:
    r = post()
    body = r.json()
    if r.status_code >= 400:
        raise RuntimeError(body.get("code"))
    return [(d.get("status"), d.get("code"), d.get("details", {}).get("id")) for d in body["data"]]


def test_check_runs_every_documented_example_then_generated_ones(mock: ContractMock) -> None:
    fuzz = ContractResponses(mock, "leads", max_examples=5, seed=1)
    fuzz.check(_mass_update, raises=RuntimeError, fields=["data[].details.id"])
    served = [c.example for c in mock.calls if c.documented][:8]
    assert served == [x.name for x in mock.contracts.operation("leads").examples]
    assert len(mock.calls) >= 8 + 5
    mock.verify()  # the fuzzer's own primes do not count as unserved


@pytest.mark.parametrize(
    ("client", "check", "text"),
    [
        (lambda: post().json()["data"][0]["details"]["id"], "client_exception", "KeyError"),
        (lambda: [d["code"] for d in post().json().get("data", [])], "error_ignored", "(400 INV"),
        (lambda: ["ok" for _ in post().json().get("data", "")], "error_dropped", "INVALID_DATA"),
        (lambda: None, "never_called", "never called leads"),
    ],
    ids=["crash", "ignored", "dropped", "never-called"],
)
def test_check_reports_what_the_client_did_wrong(
    mock: ContractMock, client: Any, check: str, text: str
) -> None:
    fuzz = ContractResponses(mock, "leads", max_examples=0)
    with pytest.raises(AssertionError) as raised:
        fuzz.check(client, raises=RuntimeError)
    error = raised.value
    checks = [v.check for v in error.violations] if isinstance(error, Violations) else []
    assert check in checks or (isinstance(error, Violation) and error.check == check)
    assert text in str(error)


def test_check_reports_a_raise_on_success_and_a_dropped_field(mock: ContractMock) -> None:
    fuzz = ContractResponses(mock, "bulk-write/create-bulk-write-job", max_examples=0)
    body = mock.contracts.operation("bulk-write/create-bulk-write-job").examples[0].body

    def rejects() -> None:
        post(body, BULK_URL)
        raise RuntimeError("no")

    with pytest.raises(Violations, match="raised RuntimeError on a success response"):
        fuzz.check(rejects, raises=RuntimeError)
    with pytest.raises(Violations, match=r"did not hand back the documented details\.id"):
        fuzz.check(lambda: post(body, BULK_URL).status_code, raises=Exception, fields="details.id")


def test_check_shrinks_a_generated_failure_and_says_how_to_reproduce(zoho: ContractSet) -> None:
    def fragile() -> Any:
        r = post()
        if r.status_code >= 400:
            raise ValueError(r.json()["code"])
        # Every documented success shows Modified_Time; the schema does not require it.
        return [
            d["details"]["Modified_Time"] if d["status"] == "success" else d["code"]
            for d in r.json()["data"]
        ]

    with ContractMock(zoho, reproduce="pytest -k fragile --contracts-seed 7") as mock:
        fuzz = ContractResponses(mock, "leads", max_examples=100, seed=7)
        with pytest.raises(Violations) as raised:
            fuzz.check(fragile, raises=ValueError)
    text = str(raised.value)
    assert raised.value.violations[0].check == "client_exception"
    assert "a generated 200 response (schema of 'SUCCESS RESPONSE')" in text
    assert "KeyError: 'Modified_Time'" in text
    assert text.endswith("pytest -k fragile --contracts-seed 7")
    body = json.loads(raised.value.exchange.response.body)  # type: ignore[union-attr]
    assert [(d["status"], d["details"]) for d in body["data"]] == [("success", {})]  # shrunk


def test_mentions_looks_through_dataclasses_mappings_and_objects() -> None:
    from dataclasses import dataclass

    @dataclass
    class Result:
        items: list[Any]

    class Plain:
        def __init__(self) -> None:
            self.inner = {"code": Result([("x", 7)])}

    assert mentions(Plain(), 7)
    assert mentions(Plain(), "code")
    assert not mentions(Plain(), "7")
    assert not mentions([True], 1)


def test_respond_with_draws_a_fresh_response_per_call_inside_given(zoho: ContractSet) -> None:
    leads = zoho.operation("leads")
    with ContractMock(zoho) as mock:

        @settings(max_examples=15, database=None, suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            mock.respond_with("leads", documented_responses(leads, status=200), data)
            assert post().status_code == 200

        run()
    assert len(mock.calls) >= 5
    assert any(not c.documented for c in mock.calls)


# -- through pytest: the fixtures, the reference client and the gallery -------------------------

RECORDER = """
import json, pytest
from postman_contracts.checking._violations import Violation, Violations

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.excinfo is not None and call.when in ("call", "teardown"):
        exc = call.excinfo.value
        if isinstance(exc, Violations):
            checks = [v.check for v in exc.violations]
        else:
            checks = [getattr(exc, "check", type(exc).__name__)]
        with open("checks.jsonl", "a") as f:
            f.write(json.dumps([item.name, call.when, checks]) + "\\n")
"""


def _example_dir(pytester: pytest.Pytester, client: str | None = None) -> None:
    shutil.copytree(EXAMPLE, pytester.path / "zoho_client")
    shutil.copy(GALLERY, pytester.path / "broken_clients.py")
    pytester.makeconftest(RECORDER)
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    if client is not None:
        test = pytester.path / "zoho_client" / "test_client.py"
        line = "from zoho_client import ZohoClient, ZohoError\n"
        text = test.read_text(encoding="utf-8")
        assert line in text
        swapped = "from zoho_client import ZohoError\n" + (
            f"from broken_clients import {client} as ZohoClient\n"
        )
        test.write_text(text.replace(line, swapped), encoding="utf-8")
    pytester.syspathinsert()


def _run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, list[str]]]:
    result = pytester.runpytest(f"--contracts={BUNDLED}", "-p", "no:cacheprovider", *args)
    checks: dict[str, list[str]] = {}
    log = pytester.path / "checks.jsonl"
    for line in log.read_text().splitlines() if log.exists() else []:
        name, _, found = json.loads(line)
        checks.setdefault(name, []).extend(found)
    return result, checks


def test_the_reference_client_passes_its_tests(pytester: pytest.Pytester) -> None:
    _example_dir(pytester)
    result, checks = _run(pytester)
    result.assert_outcomes(passed=8)
    assert checks == {}


LEADS_TESTS = (
    "test_mass_update_returns_one_result_per_record",
    "test_a_locked_record_is_reported_not_raised",
    "test_an_authentication_failure_raises",
    "test_mass_update_copes_with_every_documented_response",
    "test_a_record_is_ok_exactly_when_zoho_says_success",
)
BULK_TESTS = (
    "test_create_bulk_write_job_returns_the_job_id",
    "test_a_rejected_callback_url_raises",
    "test_bulk_write_copes_with_every_documented_response",
)
GALLERY_CASES = {
    "OverWriteAsString": (
        dict.fromkeys(LEADS_TESTS, "request_type_changed"),
        ["- A request field has the wrong type", "$.over_write: 'true' is not of type 'boolean'"],
    ),
    "OmitsIds": (
        dict.fromkeys(LEADS_TESTS, "request_missing_required"),
        [
            "- The request misses a required field",
            "missing required property 'ids'",
            "the API documents the answer MANDATORY_NOT_FOUND (200, per record in data[])",
        ],
    ),
    "DropsAuthorization": (
        dict.fromkeys(
            [t for t in LEADS_TESTS + BULK_TESTS if t != "test_an_authentication_failure_raises"],
            "request_auth",
        ),
        [
            "- The request carries no valid credentials",
            "no credentials: expected Authorization: Bearer ...",
        ],
    ),
    "WrongPath": (
        dict.fromkeys(BULK_TESTS, "request_unmatched"),
        [
            "- No documented operation matches POST /crm/v2/bulk/write",
            "bulk-write/create-bulk-write-job: segment 'v2' is not 'bulk' in /crm/bulk/v2/write",
        ],
    ),
    "CrashesOnRecordErrors": (
        {
            "test_mass_update_copes_with_every_documented_response": "client_exception",
            "test_a_record_is_ok_exactly_when_zoho_says_success": "KeyError",
        },
        [
            "documented example 'INVALID_DATA (no field)' (200)",
            "- The client raised KeyError on a documented response",
            "at broken_clients.py:",
        ],
    ),
    "TreatsHttp200AsSuccess": (
        {
            "test_a_locked_record_is_reported_not_raised": "ValueError",  # 2 results for 1
            "test_mass_update_copes_with_every_documented_response": "error_dropped",
        },
        [
            "documented example 'INVALID_DATA (no field)' (200)",
            "- The client dropped the per-record error INVALID_DATA",
            "at $.data[0].code",
        ],
    ),
    "Ignores401": (
        {
            "test_an_authentication_failure_raises": "Failed",
            "test_mass_update_copes_with_every_documented_response": "error_ignored",
        },
        [
            "documented example 'AUTHENTICATION_FAILURE' (401)",
            "- The client returned normally on an error response (401 AUTHENTICATION_FAILURE)",
        ],
    ),
}


@pytest.mark.parametrize("client", sorted(GALLERY_CASES))
def test_every_broken_client_is_caught_by_the_expected_check(
    pytester: pytest.Pytester, client: str
) -> None:
    expected, lines = GALLERY_CASES[client]
    _example_dir(pytester, client)
    result, checks = _run(pytester)
    result.assert_outcomes(failed=len(expected), passed=8 - len(expected))
    assert {name: found[0] for name, found in checks.items()} == expected
    result.stdout.fnmatch_lines([f"*{glob.escape(line)}*" for line in lines])
    assert "Connection refused by Responses" not in result.stdout.str()


# -- fixtures: usage, strictness, secrets ------------------------------------------------------


def test_the_fixtures_need_a_collection(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(contract_mock):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*contract_mock needs a collection: pass --contracts PATH*"])


def test_an_unknown_marker_operation_is_named(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "import pytest\n"
        "@pytest.mark.contract_client('lead')\n"
        "def test_x(contract_responses):\n    pass\n"
    )
    result = pytester.runpytest(f"--contracts={BUNDLED}", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no operation 'lead'; the contracts have: leads, bulk-write*"])


def test_the_fixture_is_strict_and_reports_swallowed_failures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import requests

        def test_primed_but_never_called(contract_mock):
            contract_mock.respond("leads", example="RECORD_LOCKED")

        def test_relaxed(contract_mock):
            contract_mock.assert_all_requests_are_fired = False
            contract_mock.respond("leads", example="RECORD_LOCKED")

        def test_swallowed(contract_mock):
            try:
                requests.post({URL!r}, json={{}})
            except Exception:
                pass

        def test_failed_at_the_call(contract_mock):
            requests.post({URL!r}, json={{}})
        """
    )
    result = pytester.runpytest(f"--contracts={BUNDLED}", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_primed_but_never_called*",
            "*leads: example 'RECORD_LOCKED' was served 0 time(s) of 1*",
            "*ERROR at teardown of test_swallowed*",
            "*the client caught this failure and carried on:*",
            "*_ test_failed_at_the_call _*",
            "*- The request carries no valid credentials*",
        ],
        consecutive=False,
    )
    assert "ERROR at teardown of test_failed_at_the_call" not in result.stdout.str()


CANARY_CLIENT = """
import os
import pytest
import requests

TOKEN = os.environ["CANARY_CLIENT_TOKEN"]
URL = "https://www.zohoapis.com/crm/v2/Leads/actions/mass_update"
GOOD = {"data": [{"No_of_Employees": 1}], "over_write": True, "ids": ["738964000002131001"]}


def call(body, url=URL):
    headers = {"Authorization": "Bearer " + TOKEN}
    r = requests.post(url, json=body, headers=headers)
    if r.status_code >= 400:
        raise ValueError("failed for token " + TOKEN)
    return r.json()


def test_bad_request(contract_mock):
    call({**GOOD, "ids": "738964000002131001"})


def test_unmatched(contract_mock):
    call(GOOD, URL.replace("v2", "v3") + "?authtoken=" + TOKEN)


def test_swallowed(contract_mock):
    try:
        call({**GOOD, "secret": TOKEN})
    except AssertionError:
        pass


@pytest.mark.contract_client("leads")
def test_fuzz(contract_responses):
    contract_responses.check(lambda: call(GOOD)["data"][0]["details"]["id"], raises=KeyError)
"""


def test_no_secret_appears_in_any_failure_output(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_token = "1000.canary" + "c4n4ry" * 4
    server_token = "1000.server" + "53rv3r" * 4
    monkeypatch.setenv("CANARY_CLIENT_TOKEN", client_token)
    monkeypatch.setenv("CANARY_SERVER_TOKEN", server_token)
    pytester.makepyfile(test_canary=CANARY_CLIENT)
    result = pytester.runpytest(
        f"--contracts={BUNDLED}",
        "--contracts-auth-env",
        "CANARY_SERVER_TOKEN",
        "--contracts-var",
        f"access-token={server_token}",
        "-p",
        "no:cacheprovider",
        "-rA",
    )
    result.assert_outcomes(failed=3, errors=1, passed=1)
    output = result.stdout.str() + result.stderr.str()
    assert "[REDACTED]" in output
    assert "The client raised ValueError on a documented response" in output
    assert client_token not in output
    assert server_token not in output
