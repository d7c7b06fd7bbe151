"""The plugin's surface: options and ini keys, selection, usage errors, report header, ids,
xdist, JUnit XML, the state hook, and the fixtures and marker for hand-written tests."""

from __future__ import annotations

import re
import weakref
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from typing import Any

import pytest

from postman_contracts.contracts import ContractSet
from postman_contracts.mock import MockApp
from tests.paths import ROOT
from tests.plugin.conftest import FAST, WsgiApp, outcomes, run_plugin

LEADS_TESTS = 13  # 8 examples, coverage, fuzz valid and invalid, method, auth
BULK_TESTS = 9  # 4 examples, coverage, fuzz valid and invalid, method, auth
_DEAD_URL = "http://127.0.0.1:9"  # the discard port: nothing answers there
_GENERATED = re.compile(r"zoho-crm\.postman_collection\.json::(.+?::test_\w+(?:\[.*\])?)$")


def _collected(result: pytest.RunResult) -> list[str]:
    """The generated test names (``leads::test_example[SUCCESS RESPONSE]``) a ``--collect-only
    -q`` run lists."""
    return [m.group(1) for line in result.outlines if (m := _GENERATED.search(line))]


class _Counting:
    """The mock, counting requests by method and path."""

    def __init__(self, contracts: ContractSet) -> None:
        self.mock = MockApp(contracts, logger=lambda line: None)
        self.seen: Counter[str] = Counter()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        self.seen[f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"] += 1
        return self.mock(environ, start_response)


# -- options and ini keys ------------------------------------------------------------------------


def test_ini_keys_configure_the_run(pytester: pytest.Pytester, zoho: str, mock_url: str) -> None:
    pytester.makeini(
        f"""
        [pytest]
        contracts = {zoho}
        contracts_base_url = {mock_url}
        contracts_seed = 31337
        contracts_checks = examples,method
        contracts_select = leads
        contracts_strict = true
        """
    )
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            f"postman-contracts: {zoho}, base URL {mock_url}, seed 31337, "
            "checks examples,method, strict"
        ]
    )
    result.assert_outcomes(passed=7, skipped=2)  # leads: 8 examples (2 need state), method


def test_the_command_line_wins_over_the_ini_file(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    pytester.makepyprojecttoml(
        f"""
        [tool.pytest.ini_options]
        contracts = "{zoho}"
        contracts_base_url = "{_DEAD_URL}"
        contracts_seed = "31337"
        contracts_checks = "auth"
        contracts_timeout = "2"
        """
    )
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--contracts-base-url",
        mock_url,
        "--contracts-seed",
        "7",
        "--contracts-checks",
        "method",
    )
    result.stdout.fnmatch_lines(
        [f"postman-contracts: {zoho}, base URL {mock_url}, seed 7, checks method"]
    )
    result.assert_outcomes(passed=2)  # against the mock, not the dead URL of the ini file


@pytest.mark.parametrize(("ini", "given", "most"), [(3, None, 3), (3, 12, 12)])
def test_max_examples_bounds_the_requests_of_a_fuzz_test(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    ini: int,
    given: int | None,
    most: int,
) -> None:
    app = _Counting(bundled_contracts)
    url = serve(app)
    pytester.makeini(f"[pytest]\ncontracts_max_examples = {ini}\n")
    args = ["--contracts", zoho, "--contracts-base-url", url, "--contracts-checks", "fuzz"]
    args += ["--contracts-select", "leads", "--contracts-seed", "1", "-p", "no:cacheprovider"]
    if given is not None:
        args += ["--contracts-max-examples", str(given)]
    pytester.runpytest(*args).assert_outcomes(passed=1)
    sent = app.seen["POST /crm/v2/Leads/actions/mass_update"]
    # Hypothesis may skip a draw it already tried, never go over
    assert most // 2 < sent <= most, app.seen


@pytest.mark.parametrize(("deselect", "most"), [((), 3), (("-k", "leads"), 6)])
def test_a_budget_is_shared_by_the_fuzz_tests_that_run(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    deselect: tuple[str, ...],
    most: int,
) -> None:
    # Two fuzz tests (one per operation) share 6 requests; with -k leaving one, it has all 6.
    app = _Counting(bundled_contracts)
    url = serve(app)
    args = ["--contracts", zoho, "--contracts-base-url", url, "--contracts-checks", "fuzz"]
    args += ["--contracts-max-examples", "12", "--contracts-budget", "6", *deselect]
    pytester.runpytest(*args, "--contracts-seed", "1", "-p", "no:cacheprovider").assert_outcomes(
        passed=2 if not deselect else 1, deselected=1 if deselect else 0
    )
    sent = app.seen["POST /crm/v2/Leads/actions/mass_update"]
    assert most // 2 < sent <= most, app.seen


# -- selection -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ("leads", LEADS_TESTS),
        ("bulk-write/*", BULK_TESTS),
        ("*::SUCCESS RESPONSE", 2),
        ("leads,bulk-write/create-bulk-write-job", LEADS_TESTS + BULK_TESTS),
        ("no-such-operation", 0),
    ],
)
def test_select_keeps_the_matching_operations_and_examples(
    pytester: pytest.Pytester, zoho: str, select: str, expected: int
) -> None:
    result = pytester.runpytest(
        "--collect-only", "-q", "--contracts", zoho, "--contracts-base-url", _DEAD_URL,
        "--contracts-select", select,
    )  # fmt: skip
    names = _collected(result)
    assert len(names) == expected, names
    for name in names:  # each test kept names a selected operation or example
        op, _, test = name.partition("::test_")
        case = f"{op}::{test[test.index('[') + 1 : -1]}" if "[" in test else op
        assert any(fnmatchcase(n, g) for g in select.split(",") for n in (case, op))


def test_select_by_example_picks_exactly_that_example(pytester: pytest.Pytester, zoho: str) -> None:
    result = pytester.runpytest(
        "--collect-only", "-q", "--contracts", zoho, "--contracts-base-url", _DEAD_URL,
        "--contracts-select", "leads::SUCCESS*",
    )  # fmt: skip
    assert _collected(result) == ["leads::test_example[SUCCESS RESPONSE]"]


def test_checks_limit_the_kinds_of_test(pytester: pytest.Pytester, zoho: str) -> None:
    result = pytester.runpytest(
        "--collect-only", "-q", "--contracts", zoho, "--contracts-base-url", _DEAD_URL,
        "--contracts-checks", "examples",
    )  # fmt: skip
    names = _collected(result)
    assert len(names) == 12
    assert {n.split("::")[-1].split("[")[0] for n in names} == {"test_example"}
    result = pytester.runpytest(
        "--collect-only", "-q", "--contracts", zoho, "--contracts-base-url", _DEAD_URL,
        "--contracts-checks", "fuzz, auth",
    )  # fmt: skip
    assert _collected(result) == [  # in collection order, each operation's tests together
        "leads::test_fuzz_valid",
        "leads::test_auth",
        "bulk-write/create-bulk-write-job::test_fuzz_valid",
        "bulk-write/create-bulk-write-job::test_auth",
    ]


def test_generated_ids_are_readable(pytester: pytest.Pytester, zoho: str) -> None:
    result = pytester.runpytest(
        "--collect-only", "-q", "--contracts", zoho, "--contracts-base-url", _DEAD_URL
    )
    names = _collected(result)
    assert len(names) == LEADS_TESTS + BULK_TESTS == len(set(names))
    for name in (
        "leads::test_example[INVALID_DATA (field)]",
        "leads::test_example[INVALID_DATA (no field)]",
        "bulk-write/create-bulk-write-job::test_example[INVALID_CALLBACK_URL]",
        "leads::test_coverage",
        "leads::test_fuzz_valid",
        "bulk-write/create-bulk-write-job::test_fuzz_invalid",
        "leads::test_method",
        "leads::test_auth",
    ):
        assert name in names


def test_k_selects_generated_tests_by_their_readable_names(
    pytester: pytest.Pytester, zoho: str
) -> None:
    result = pytester.runpytest(
        "--collect-only", "-q", "--contracts", zoho, "--contracts-base-url", _DEAD_URL,
        "-k", "test_method or AUTHENTICATION_FAILURE",
    )  # fmt: skip
    assert _collected(result) == [
        "leads::test_example[AUTHENTICATION_FAILURE]",
        "leads::test_method",
        "bulk-write/create-bulk-write-job::test_method",
    ]


def test_no_base_url_means_no_server_tests(pytester: pytest.Pytester, zoho: str) -> None:
    result = pytester.runpytest("--contracts", zoho)
    result.stdout.fnmatch_lines(
        [f"postman-contracts: {zoho}, base URL none (server checks off; set --contracts-base-url)*"]
    )
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


# -- usage errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--contracts-checks", "examples,bogus"],
            "ERROR: --contracts-checks: unknown ['bogus']; "
            "known: examples, fuzz, invalid, method, auth",
        ),
        (
            ["--contracts-seed", "0x1f"],
            "ERROR: --contracts-seed must be a whole number, got '0x1f'",
        ),
        (
            ["--contracts-max-examples", "lots"],
            "ERROR: --contracts-max-examples must be a whole number, got 'lots'",
        ),
        (["--contracts-budget", "-1"], "ERROR: --contracts-budget must be at least 0, got -1"),
        (["--contracts-timeout", "soon"], "ERROR: --contracts-timeout must be a number of seconds"),
        (["--contracts-var", "novalue"], "ERROR: --contracts-var expects KEY=VALUE, got 'novalue'"),
    ],
)
def test_bad_values_are_usage_errors_not_tracebacks(
    pytester: pytest.Pytester, zoho: str, args: list[str], message: str
) -> None:
    result = pytester.runpytest("--contracts", zoho, "--contracts-base-url", _DEAD_URL, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_missing_collection_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--contracts", "nowhere.json", "--contracts-base-url", _DEAD_URL)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --contracts: nowhere.json: *"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_the_plugin_can_be_disabled(pytester: pytest.Pytester, zoho: str) -> None:
    result = pytester.runpytest("-p", "no:postman_contracts", "--contracts", zoho)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*error: unrecognized arguments: --contracts*"])
    # configured in the ini file, the plugin adds its tests, unless it is disabled
    pytester.makeini(f"[pytest]\ncontracts = {zoho}\ncontracts_base_url = {_DEAD_URL}\n")
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    enabled = pytester.runpytest("--collect-only", "-q")
    assert len(_collected(enabled)) == LEADS_TESTS + BULK_TESTS
    disabled = pytester.runpytest("-p", "no:postman_contracts", "--collect-only", "-q")
    assert _collected(disabled) == []
    disabled.stdout.fnmatch_lines(["test_plain.py::test_plain"])


# -- the report ----------------------------------------------------------------------------------


def test_the_header_names_collection_server_seed_and_checks(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    result = run_plugin(
        pytester, zoho, mock_url, "--contracts-strict", "--contracts-checks", "auth"
    )
    result.stdout.fnmatch_lines(
        [
            "platform *",
            f"postman-contracts: {zoho}, base URL {mock_url}, seed 1, checks auth, strict",
        ]
    )


def test_an_unset_seed_is_random_and_shown(pytester: pytest.Pytester, zoho: str) -> None:
    seeds = set()
    for _ in range(2):
        result = pytester.runpytest(
            "--collect-only", "--contracts", zoho, "--contracts-base-url", _DEAD_URL
        )
        m = re.search(r"^postman-contracts: .*, seed (\d+), checks", result.stdout.str(), re.M)
        assert m, result.stdout.str()
        seeds.add(int(m.group(1)))
    assert len(seeds) == 2


def test_xdist_gives_the_same_outcomes(
    pytester: pytest.Pytester, zoho: str, mock_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hypothesis's caches (the Unicode tables) are built once per storage directory: reuse ours.
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(ROOT / ".hypothesis"))
    args = ["-p", "no:cacheprovider", "--contracts", zoho, "--contracts-base-url", mock_url]
    args += [
        "--contracts-max-examples",
        "5",
        "--contracts-strict",
    ]  # no seed: the workers share one
    alone = pytester.runpytest(*args, "-n", "0")
    spread = pytester.runpytest_subprocess(*args, "-n", "2")
    spread.stdout.fnmatch_lines(["postman-contracts: *, seed *", "created: 2/2 workers"])
    assert alone.parseoutcomes() == spread.parseoutcomes() == {"passed": 20, "skipped": 2}


def test_junit_xml_lists_the_generated_tests(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
) -> None:
    from tests.servers.broken import GALLERY

    url = serve(GALLERY["wrong-success-status"](bundled_contracts))
    report = pytester.path / "report.xml"
    result = run_plugin(pytester, zoho, url, f"--junitxml={report}")
    # the success status moved: its replay, the coverage's valid requests and the fuzz fail
    result.assert_outcomes(passed=17, failed=3, skipped=2)
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("22", "3", "2")
    # JUnit's classname is the node id's path and operation, dotted; its name the test
    cases = {
        f"{c.get('classname', '').partition('.json.')[2]}::{c.get('name')}": c
        for c in suite.iter("testcase")
    }
    assert set(cases) == set(outcomes(result))
    leads_auth = cases["leads::test_auth"]
    assert leads_auth.get("classname") == "zoho-crm.postman_collection.json.leads"
    assert leads_auth.get("name") == "test_auth"
    failure = cases["bulk-write/create-bulk-write-job::test_example[SUCCESS RESPONSE]"].find(
        "failure"
    )
    assert failure is not None
    assert "- Wrong status code" in (failure.text or "")
    skipped = cases["leads::test_example[NOT_APPROVED]"].find("skipped")
    assert skipped is not None
    assert "NOT_APPROVED is caused by server state" in (skipped.get("message") or "")


# -- the state hook ------------------------------------------------------------------------------


def test_arrange_state_hook_replays_state_examples(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    pytester.makeconftest(
        """
        from pathlib import Path

        def pytest_contracts_arrange_state(operation, example, base_url):
            with Path("arranged.txt").open("a") as f:
                f.write(f"{operation.id}|{example}|{base_url}\\n")
            return True if example == "NOT_APPROVED" else None
        """
    )
    result = run_plugin(pytester, zoho, mock_url, "--contracts-checks", "examples")
    state = outcomes(result)
    # arranged: replayed (the mock cannot arrange state, so it fails or passes, but runs)
    assert state["leads::test_example[NOT_APPROVED]"] in ("PASSED", "FAILED")
    # not arranged (the hook returned None): still skipped
    assert state["leads::test_example[RECORD_LOCKED]"] == "SKIPPED"
    assert (pytester.path / "arranged.txt").read_text().splitlines() == [
        f"leads|NOT_APPROVED|{mock_url}",
        f"leads|RECORD_LOCKED|{mock_url}",
    ]


# -- fixtures and marker for hand-written tests --------------------------------------------------

HAND_WRITTEN = """
import pytest

VALID = {"data": [{"No_of_Employees": 50}], "over_write": True, "ids": ["738964000002131001"]}
PATH = "/crm/v2/Leads/actions/mass_update"


def test_contracts_fixture(contracts):
    assert [op.id for op in contracts.operations] == ["leads", "bulk-write/create-bulk-write-job"]


@pytest.mark.contract("leads")
def test_valid_update(contract_session, check_response):
    response = contract_session.post(PATH, json=VALID)
    assert response.status_code == 200
    check_response(response)
    check_response(response, example="SUCCESS RESPONSE")


def test_missing_ids(contract_session, check_response):
    body = {k: v for k, v in VALID.items() if k != "ids"}
    check_response(contract_session.post(PATH, json=body), "leads", example="MANDATORY_NOT_FOUND")


@pytest.mark.contract("leads")
def test_wrong_expectation(contract_session, check_response):
    response = contract_session.post(PATH, json=VALID)
    check_response(response, example="MANDATORY_NOT_FOUND")


@pytest.mark.contract("bulk-write/create-bulk-write-job")
def test_marker_names_the_operation(contract_session, check_response):
    check_response(contract_session.post(PATH, json=VALID))
"""


def test_fixtures_and_marker_check_hand_written_requests(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    pytester.makepyfile(test_hand=HAND_WRITTEN)
    result = pytester.runpytest(
        "test_hand.py", "-v", "--contracts", zoho, "--contracts-base-url", mock_url,
        "--contracts-select", "nothing-generated", *FAST,
    )  # fmt: skip
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*::test_contracts_fixture PASSED*",
            "*::test_valid_update PASSED*",
            "*::test_missing_ids PASSED*",
            "*::test_wrong_expectation FAILED*",
            "*::test_marker_names_the_operation FAILED*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*_ test_wrong_expectation _*",
            # the traceback stops at the user's line, not in the plugin
            '>*check_response(response, example="MANDATORY_NOT_FOUND")',
            "E*POST http://127.0.0.1:*/crm/v2/Leads/actions/mass_update (Leads)",
            "E*- Expected documented error MANDATORY_NOT_FOUND",
            "*_ test_marker_names_the_operation _*",
            # the leads success body is not a documented bulk-write response
            "E*POST http://127.0.0.1:*/mass_update (Bulk Write / Create Bulk Write Job)",
        ]
    )
    assert "_plugin_items.py" not in result.stdout.str()


class _Watch:
    """A plugin for the inner run: a weak reference to its contracts, taken mid-session."""

    def __init__(self) -> None:
        self.contracts: Any = None

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        from postman_contracts.pytest_plugin import RUN_KEY

        self.contracts = weakref.ref(session.config.stash[RUN_KEY].contracts)


def test_the_session_lets_go_of_the_contracts_when_it_ends(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    # A large collection's contracts are millions of objects: once the session is over
    # they must be freed, not left for pytest's and the interpreter's final collections to
    # walk (seconds at exit on 5,000 operations).
    watch = _Watch()
    result = pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "--contracts",
        zoho,
        "--contracts-base-url",
        mock_url,
        *FAST,
        "-k",
        "SUCCESS",
        plugins=[watch],
    )
    result.assert_outcomes(passed=2)
    assert watch.contracts is not None
    assert watch.contracts() is None
