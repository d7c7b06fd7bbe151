"""The plugin catches each way a server can break its documentation, and names the way.

Every server of :mod:`tests.servers.broken` is the real mock with one documented behaviour
broken. Running the plugin against it must fail exactly the tests that exercise that
behaviour (the rest still pass, so a failure points at the fault), and the failure must say
which check failed, in the house format. The correct mock, strict semantics included, passes
the same run.
"""

from __future__ import annotations

import shlex
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from postman_contracts.contracts import ContractSet
from tests.plugin.conftest import WsgiApp, failed, failure_section, outcomes, run_plugin
from tests.servers.broken import GALLERY

LEADS = "leads"
BULK = "bulk-write/create-bulk-write-job"
#: Every test the plugin generates for the bundled collection, and what the mock gets.
ALL_TESTS = {
    **{
        f"{LEADS}::test_example[{x}]": "PASSED"
        for x in (
            "SUCCESS RESPONSE",
            "INVALID_DATA (no field)",
            "INVALID_DATA (field)",
            "MANDATORY_NOT_FOUND",
            "INVALID_REQUEST_METHOD",
            "AUTHENTICATION_FAILURE",
        )
    },
    f"{LEADS}::test_example[NOT_APPROVED]": "SKIPPED",
    f"{LEADS}::test_example[RECORD_LOCKED]": "SKIPPED",
    **{
        f"{BULK}::test_example[{x}]": "PASSED"
        for x in (
            "SUCCESS RESPONSE",
            "MISSING_REQUIRED_KEY",
            "INVALID_CALLBACK_URL",
            "FILE_NOT_SUPPORTED",
        )
    },
    **{
        f"{op}::{kind}": "PASSED"
        for op in (LEADS, BULK)
        for kind in (
            "test_coverage",
            "test_fuzz_valid",
            "test_fuzz_invalid",
            "test_method",
            "test_auth",
        )
    },
}


def _tests(*kinds: str, ops: tuple[str, ...] = (LEADS, BULK)) -> set[str]:
    """``leads::test_method``... for each kind (``test_method``) and operation."""
    return {f"{op}::{kind}" for kind in kinds for op in ops}


@dataclass(frozen=True)
class Fault:
    """What running the plugin against one broken server must show.

    Attributes:
        server: the name in :data:`GALLERY`.
        fails: the tests that must fail: the examples that show the fault, and fuzz tests
            every generated request of which meets it.
        may_fail: fuzz tests that fail when one of their generated requests happens to meet
            the fault; every test in neither set passes (or is the usual skip).
        test: the test whose failure section is read.
        lines: patterns that section must match, in order.
        args: more plugin options (``--contracts-strict`` for a fault that breaks a
            constraint the examples show too little evidence of to assert by default).
    """

    server: str
    fails: frozenset[str]
    may_fail: frozenset[str]
    test: str
    lines: tuple[str, ...]
    args: tuple[str, ...] = ()


def _fault(server: str, fails: set[str], may_fail: set[str], test: str, *lines: str) -> Fault:
    assert test in fails
    return Fault(server, frozenset(fails), frozenset(may_fail), test, lines)


def _strict(fault: Fault) -> Fault:
    """The fault, checked with ``--contracts-strict``: it breaks a constraint that the
    examples show, but with too little evidence for the default checks to assert it."""
    return replace(fault, args=("--contracts-strict",))


FAULTS = [
    _fault(
        "wrong-success-status",
        # the coverage phase's valid requests (optional fields omitted, all present) too
        {
            f"{BULK}::test_example[SUCCESS RESPONSE]",
            f"{BULK}::test_coverage",
            f"{BULK}::test_fuzz_valid",
        },
        set(),
        f"{BULK}::test_example[SUCCESS RESPONSE]",
        "POST http://127.0.0.1:*/crm/bulk/v2/write (Bulk Write / Create Bulk Write Job)",
        "  replaying documented example 'SUCCESS RESPONSE'",
        "- Wrong status code",
        "    expected 201, got 202",
        "Response: [[]202[]] application/json",
    ),
    _fault(
        "record-code-missing",
        {f"{LEADS}::test_example[SUCCESS RESPONSE]", f"{LEADS}::test_fuzz_valid"},
        set(),
        f"{LEADS}::test_example[SUCCESS RESPONSE]",
        "- The response body does not match the documented schema (required)",
        "    'code' is a required property",
        "    at $.data[[]*[]]",
        "    schema: #/properties/data/items/required",
    ),
    _fault(
        "id-not-a-string",
        {f"{LEADS}::test_example[SUCCESS RESPONSE]", f"{LEADS}::test_fuzz_valid"},
        set(),
        f"{LEADS}::test_example[SUCCESS RESPONSE]",
        "- The response body does not match the documented schema (type)",
        "    73896400000213* is not of type 'string'",
        "    at $.data[[]*[]].details.id",
        "    expected type 'string', got 73896400000213*",
    ),
    _fault(
        "wrong-error-code",
        # the coverage phase sends each documented trigger, on every run
        {f"{LEADS}::test_example[MANDATORY_NOT_FOUND]", f"{LEADS}::test_coverage"},
        {f"{LEADS}::test_fuzz_invalid"},
        f"{LEADS}::test_example[MANDATORY_NOT_FOUND]",
        "- Expected documented error MANDATORY_NOT_FOUND",
        "    at $.data[[]*[]].code",
        "    expected 'MANDATORY_NOT_FOUND', got [[]'INVALID_DATA'[]]",
    ),
    _fault(
        "record-error-at-top",
        {
            f"{LEADS}::test_example[INVALID_DATA (no field)]",
            f"{LEADS}::test_example[INVALID_DATA (field)]",
            f"{LEADS}::test_example[MANDATORY_NOT_FOUND]",
            f"{LEADS}::test_coverage",
        },
        {f"{LEADS}::test_fuzz_invalid"},
        f"{LEADS}::test_example[MANDATORY_NOT_FOUND]",
        "- Error MANDATORY_NOT_FOUND at the top level",
        "    documented per record, in data[[][]]",
        "    expected data[[][]].code == 'MANDATORY_NOT_FOUND', got top-level error",
    ),
    _fault(
        "server-error-on-invalid",
        {
            name
            for name, outcome in ALL_TESTS.items()
            if outcome == "PASSED" and "SUCCESS RESPONSE" not in name and "fuzz_valid" not in name
        },
        set(),
        f"{LEADS}::test_example[INVALID_DATA (field)]",
        "  replaying documented example 'INVALID_DATA (field)'",
        "- Server error 500",
        "    expected no 5xx for any request, got 500",
        "Response: [[]500[]] text/html",
        "    <h1>Internal Server Error</h1>",
    ),
    _fault(
        "accepts-missing-ids",
        {f"{LEADS}::test_example[MANDATORY_NOT_FOUND]", f"{LEADS}::test_coverage"},
        {f"{LEADS}::test_fuzz_invalid"},
        f"{LEADS}::test_example[MANDATORY_NOT_FOUND]",
        "- Expected documented error MANDATORY_NOT_FOUND",
        "    expected 'MANDATORY_NOT_FOUND', got [[]'SUCCESS', 'SUCCESS'[]]",
        "Request body:",
        '    {"data": [[]{"No_of_Employees": 1000}[]], "over_write": true}',
    ),
    _fault(
        "envelope-without-status",
        {
            f"{LEADS}::test_example[INVALID_REQUEST_METHOD]",
            f"{LEADS}::test_example[AUTHENTICATION_FAILURE]",
            *(
                f"{BULK}::test_example[{x}]"
                for x in ("MISSING_REQUIRED_KEY", "INVALID_CALLBACK_URL", "FILE_NOT_SUPPORTED")
            ),
            # Bulk Write documents neither error: its method and auth tests take any 4xx, so
            # an envelope short of a key is no failure of theirs (Zoho documents both errors
            # on Leads alone, and one operation's error is not evidence about another).
            *_tests("test_method", "test_auth", ops=(LEADS,)),
            # its coverage sends them too, and Bulk Write's documented errors
            *_tests("test_coverage"),
        },
        _tests("test_fuzz_invalid"),
        f"{LEADS}::test_method",
        "  an undocumented method (COPY) must get the documented method error",
        "- The error envelope is incomplete",
        "    missing status",
        "    expected keys code, details, message, status, got [[]'code', 'details', 'message'[]]",
    ),
    _fault(
        "ignores-method",
        {
            f"{LEADS}::test_example[INVALID_REQUEST_METHOD]",
            f"{LEADS}::test_coverage",
            *_tests("test_method"),
        },
        _tests("test_fuzz_invalid"),
        f"{LEADS}::test_method",
        "COPY http://127.0.0.1:*/crm/v2/Leads/actions/mass_update (Leads)",
        "- Wrong status for documented error INVALID_REQUEST_METHOD",
        "    expected 400, got 200",
        "- Expected documented error INVALID_REQUEST_METHOD",
    ),
    _fault(
        "accepts-no-credentials",
        {
            f"{LEADS}::test_example[AUTHENTICATION_FAILURE]",
            f"{LEADS}::test_coverage",
            *_tests("test_auth"),
        },
        _tests("test_fuzz_invalid"),
        f"{LEADS}::test_auth",
        "  a request without credentials must get the authentication error",
        "- Wrong status for documented error AUTHENTICATION_FAILURE",
        "    expected 401, got 200",
        "Reproduce with:",
        # the request really went without credentials
        "    curl -X POST -H 'Content-Type: application/json' --data-raw *",
    ),
    _strict(
        _fault(
            "local-date-times",
            {f"{LEADS}::test_example[SUCCESS RESPONSE]", f"{LEADS}::test_fuzz_valid"},
            set(),
            f"{LEADS}::test_example[SUCCESS RESPONSE]",
            "- The response body does not match the documented schema (format)",
            "    '12/05/2021 07:26' is not a 'date-time'",
            "    at $.data[[]*[]].details.Modified_Time",
            "    schema: #/properties/data/items/properties/details/properties/Modified_Time/*",
        )
    ),
    _fault(
        "rejects-valid-updates",
        {f"{LEADS}::test_example[SUCCESS RESPONSE]"},
        set(),  # not strict: to a generated valid request, an error is a documented answer
        f"{LEADS}::test_example[SUCCESS RESPONSE]",
        "  replaying documented example 'SUCCESS RESPONSE'",
        "- The documented success example got error INVALID_DATA",
        "    expected the documented success response, got 200 with error INVALID_DATA",
    ),
]

#: Faults no documented example shows: fuzzing must find them, given enough requests.
FUZZ_FAULTS = [
    _fault(
        "answers-differently",
        {f"{LEADS}::test_fuzz_valid"},
        {f"{LEADS}::test_fuzz_invalid"},
        f"{LEADS}::test_fuzz_valid",
        # the house format, not Hypothesis's FlakyFailure traceback
        "POST http://127.0.0.1:*/crm/v2/Leads/actions/mass_update (Leads)",
        "  a generated valid request",
        "- The server answered the same request differently",
        "    first: [[]500[]] text/plain ValueError: negative count",
        '    then: [[]200[]] application/json {"data": *',
        "- Server error 500",
        "Request body:",
        '    {*"No_of_Employees": -*',
        "Response: [[]500[]] text/plain",
    ),
    _fault(
        "crashes-on-negative-count",
        {f"{LEADS}::test_fuzz_valid"},
        {f"{LEADS}::test_fuzz_invalid"},  # an invalid request may carry a negative count too
        f"{LEADS}::test_fuzz_valid",
        "  a generated valid request",
        "- Server error 500",
        "Request body:",
        # shrunk by Hypothesis to the smallest failing change of the documented example
        '    {"data": [[]{"No_of_Employees": -1}[]], "ids": [[]"738964000002131001", *[]],'
        ' "over_write": true}',
        "Response: [[]500[]] text/plain",
        "    ValueError: negative count",
    ),
    _fault(
        "accepts-missing-ids",
        {f"{LEADS}::test_coverage", f"{LEADS}::test_fuzz_invalid"},
        set(),
        f"{LEADS}::test_fuzz_invalid",
        "  invalid request (missing required property 'ids') must get documented error "
        "MANDATORY_NOT_FOUND",
        "- Expected documented error MANDATORY_NOT_FOUND",
        "    expected 'MANDATORY_NOT_FOUND', got [[]'SUCCESS', 'SUCCESS'[]]",
    ),
    _fault(
        "ignores-method",
        _tests("test_fuzz_invalid"),
        set(),
        f"{BULK}::test_fuzz_invalid",
        # Bulk Write documents no method error: a standard method nothing serves there
        "DELETE http://127.0.0.1:*/crm/bulk/v2/write (Bulk Write / Create Bulk Write Job)",
        "  invalid request (wrong method DELETE) must get a client error (4xx)",
        "- Expected a client error (4xx)",
        "    expected 4xx, got 201",
    ),
    _fault(
        "ignores-method",
        _tests("test_fuzz_invalid"),
        set(),
        f"{LEADS}::test_fuzz_invalid",
        "COPY http://127.0.0.1:*/crm/v2/Leads/actions/mass_update (Leads)",
        "  invalid request (wrong method COPY) must get documented error INVALID_REQUEST_METHOD",
        "- Wrong status for documented error INVALID_REQUEST_METHOD",
    ),
    _fault(
        "accepts-no-credentials",
        _tests("test_fuzz_invalid"),
        set(),
        f"{LEADS}::test_fuzz_invalid",
        "  invalid request (no credentials) must get documented error AUTHENTICATION_FAILURE",
        "- Wrong status for documented error AUTHENTICATION_FAILURE",
        "    expected 401, got 200",
    ),
    _fault(
        "accepts-no-credentials",
        _tests("test_fuzz_invalid"),
        set(),
        f"{BULK}::test_fuzz_invalid",
        "  invalid request (no credentials) must get a client error (4xx)",
        "- Expected a client error (4xx)",
        "    expected 4xx, got 201",
    ),
]


def test_every_server_of_the_gallery_has_a_fault() -> None:
    assert sorted({f.server for f in FAULTS + FUZZ_FAULTS}) == sorted(GALLERY)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.server)
def test_the_plugin_fails_the_tests_of_the_broken_behaviour(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    fault: Fault,
) -> None:
    url = serve(GALLERY[fault.server](bundled_contracts))
    result = run_plugin(pytester, zoho, url, *fault.args)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    failures = failed(result)
    assert fault.fails <= failures <= fault.fails | fault.may_fail
    # everything the fault does not touch still passes: the failure points at the fault
    expected = {n: ("FAILED" if n in failures else o) for n, o in ALL_TESTS.items()}
    assert outcomes(result) == expected
    result.assert_outcomes(passed=20 - len(failures), failed=len(failures), skipped=2)
    failure_section(result, fault.test).fnmatch_lines(list(fault.lines))
    # and it says how to run the same generated cases again
    failure_section(result, fault.test).fnmatch_lines(
        [
            "Reproduce with:",
            "    curl -X * http://127.0.0.1:*",
            f"    pytest --contracts zoho-crm.postman_collection.json --contracts-base-url {url}"
            " --contracts-max-examples 20 --contracts-seed 1"
            + "".join(" " + a for a in fault.args),
        ]
    )


@pytest.mark.parametrize("fault", FUZZ_FAULTS, ids=lambda f: f.server)
def test_fuzzing_finds_what_no_example_shows(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    fault: Fault,
) -> None:
    url = serve(GALLERY[fault.server](bundled_contracts))
    result = run_plugin(
        pytester, zoho, url, "--contracts-checks", "fuzz,invalid", "--contracts-max-examples", "100"
    )
    assert fault.fails <= failed(result) <= fault.fails | fault.may_fail
    failure_section(result, fault.test).fnmatch_lines(list(fault.lines))


def test_the_reproduce_line_replays_the_same_failures(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
) -> None:
    url = serve(GALLERY["crashes-on-negative-count"](bundled_contracts))
    args = ("--contracts-checks", "fuzz", "--contracts-select", LEADS, "--contracts-seed", "4242")
    first = run_plugin(pytester, zoho, url, *args, "--contracts-max-examples", "100")
    lines = failure_section(first, f"{LEADS}::test_fuzz_valid").lines
    command = shlex.split(lines[lines.index("Reproduce with:") + 2].strip())
    assert command[:2] == ["pytest", "--contracts"]
    # the line alone runs the same generated requests against the same server
    again = pytester.runpytest("-v", "-p", "no:cacheprovider", *command[1:])
    assert f"{LEADS}::test_fuzz_valid" in failed(again)
    assert failure_section(again, f"{LEADS}::test_fuzz_valid").lines == lines


def test_the_correct_mock_passes_strict(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    result = run_plugin(pytester, zoho, mock_url, "--contracts-strict", "-rs")
    assert result.ret == pytest.ExitCode.OK
    assert outcomes(result) == ALL_TESTS
    result.assert_outcomes(passed=20, skipped=2)
    result.stdout.fnmatch_lines(
        [
            "SKIPPED * NOT_APPROVED is caused by server state, not by the request; "
            "implement pytest_contracts_arrange_state to arrange it",
            "SKIPPED * RECORD_LOCKED is caused by server state*",
        ]
    )
    result.stdout.no_fnmatch_line("*FAILURES*")


def test_an_unreachable_server_fails_each_test_without_crashing_the_run(
    pytester: pytest.Pytester, zoho: str
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_plugin(
        pytester, zoho, f"http://127.0.0.1:{port}", "--contracts-checks", "method,auth"
    )
    result.assert_outcomes(failed=4)
    failure_section(result, f"{LEADS}::test_method").fnmatch_lines(
        ["COPY http://127.0.0.1:*/crm/v2/Leads/actions/mass_update (Leads)", "- Connection refused"]
    )
