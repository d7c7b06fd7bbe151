"""The generated tests are collected by pytest as it collects any test: node ids run again,
``--collect-only`` counts them, and ``--lf``, ``--ff``, ``--deselect``, ``-k``, ``-m`` and
xdist's ``--dist loadscope`` treat them as ordinary tests.

Node ids read ``PATH::OPERATION_ID::test_auth`` and ``PATH::OPERATION_ID::test_example[NAME]``,
PATH relative to the rootdir (a contracts directory is collected through its ``index.json``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable

import pytest

from postman_contracts.contracts import ContractSet
from tests.paths import BUNDLED
from tests.plugin.conftest import FAST, WsgiApp, outcomes
from tests.servers.broken import GALLERY

BULK = "bulk-write/create-bulk-write-job"
ALL = 22  # 13 tests of leads, 9 of bulk-write
_ID = re.compile(r"^\S*\.json::\S.*::test_\w+(\[.*\])?$")


def _args(zoho: str, url: str, *more: str) -> list[str]:
    return ["--contracts", zoho, "--contracts-base-url", url, *FAST, *more]


def _ids(result: pytest.RunResult) -> list[str]:
    """The node ids a ``--collect-only -q`` run lists."""
    return [line for line in result.outlines if _ID.match(line)]


def test_collect_only_counts_the_generated_tests(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    result = pytester.runpytest("--collect-only", "-q", *_args(zoho, mock_url))
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"{ALL} tests collected*"])
    assert "no tests collected" not in result.stdout.str()
    ids = _ids(result)
    assert len(ids) == ALL
    assert f"{zoho}::leads::test_auth" in ids
    assert f"{zoho}::leads::test_example[INVALID_DATA (field)]" in ids
    # the tree: the file, one collector per operation, its tests
    tree = pytester.runpytest("--collect-only", *_args(zoho, mock_url))
    tree.stdout.fnmatch_lines(
        [
            f"  <ContractFile {zoho}>",
            "    <OperationCollector leads>",
            "      <ContractItem test_example[[]SUCCESS RESPONSE[]]>",
            f"    <OperationCollector {BULK}>",
        ]
    )


def test_node_ids_run_again(pytester: pytest.Pytester, zoho: str, mock_url: str) -> None:
    chosen = [
        f"{zoho}::leads::test_example[INVALID_DATA (field)]",
        f"{zoho}::{BULK}::test_auth",
    ]
    result = pytester.runpytest("-v", *_args(zoho, mock_url), *chosen)
    result.assert_outcomes(passed=2)
    assert set(outcomes(result)) == {
        "leads::test_example[INVALID_DATA (field)]",
        f"{BULK}::test_auth",
    }
    # an operation, or every example of it, by the node id of its collector
    assert pytester.runpytest(*_args(zoho, mock_url), f"{zoho}::{BULK}").parseoutcomes() == {
        "passed": 9
    }
    examples = pytester.runpytest(*_args(zoho, mock_url), f"{zoho}::leads::test_example")
    examples.assert_outcomes(passed=6, skipped=2)


def test_node_ids_of_a_collection_outside_the_rootdir_run_again(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    # verify and CI jobs name a collection elsewhere: ids are relative to the rootdir
    inner = pytester.mkdir("project")
    args = ["--rootdir", str(inner), *_args(f"../{zoho}", mock_url)]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(inner)
        listed = pytester.runpytest("--collect-only", "-q", *args)
        assert f"../{zoho}::leads::test_method" in _ids(listed)
        again = pytester.runpytest(*args, f"../{zoho}::leads::test_method")
    again.assert_outcomes(passed=1)


def test_node_ids_of_a_contracts_directory_run_again(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    from postman_contracts.cli import main

    assert main(["generate", zoho, "-o", "contracts"]) == 0
    listed = pytester.runpytest("--collect-only", "-q", *_args("contracts", mock_url))
    assert "contracts/index.json::leads::test_auth" in _ids(listed)
    again = pytester.runpytest(*_args("contracts", mock_url), "contracts/index.json::leads")
    again.assert_outcomes(passed=11, skipped=2)


def test_last_failed_and_failed_first(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
) -> None:
    url = serve(GALLERY["wrong-success-status"](bundled_contracts))
    first = pytester.runpytest("-v", *_args(zoho, url))
    first.assert_outcomes(passed=17, failed=3, skipped=2)
    failing = {t for t, o in outcomes(first).items() if o == "FAILED"}
    assert failing == {
        f"{BULK}::test_example[SUCCESS RESPONSE]",
        f"{BULK}::test_coverage",
        f"{BULK}::test_fuzz_valid",
    }
    last_failed = pytester.runpytest("-v", "--lf", *_args(zoho, url))
    last_failed.assert_outcomes(failed=3, deselected=ALL - 3)
    assert set(outcomes(last_failed)) == failing
    failed_first = pytester.runpytest("-v", "--ff", *_args(zoho, url))
    failed_first.assert_outcomes(passed=17, failed=3, skipped=2)
    assert set(list(outcomes(failed_first))[:3]) == failing


def test_deselect_k_and_m(pytester: pytest.Pytester, zoho: str, mock_url: str) -> None:
    def count(*more: str) -> int:
        return len(_ids(pytester.runpytest("--collect-only", "-q", *_args(zoho, mock_url), *more)))

    assert count("--deselect", f"{zoho}::leads") == 9
    assert count("--deselect", f"{zoho}::leads::test_auth") == ALL - 1
    assert count("-k", "leads") == 13  # an operation id, as a class name
    assert count("-k", "test_example and not leads") == 4
    assert count("-k", "test_auth") == 2
    assert count("-m", "contract") == ALL  # each generated test carries contract(op_id)
    assert count("-m", "not contract") == 0


def test_loadscope_keeps_an_operations_tests_on_one_worker(
    pytester: pytest.Pytester, mock_url: str
) -> None:
    shutil.copy(BUNDLED, pytester.path / BUNDLED.name)
    # xdist in a subprocess, not told it is a worker of the xdist run of this suite
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", "-n", "2"]
    proc = subprocess.run(
        [*argv, "--dist", "loadscope", *_args(BUNDLED.name, mock_url)],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    workers: dict[str, set[str]] = defaultdict(set)
    line = re.compile(r"^\[(gw\d)\] .*(?:PASSED|SKIPPED) \S+?\.json::(.+?)::test_")
    for text in proc.stdout.splitlines():
        if m := line.match(text):
            workers[m.group(2)].add(m.group(1))
    assert set(workers) == {"leads", BULK}, proc.stdout
    assert all(len(w) == 1 for w in workers.values()), dict(workers)
