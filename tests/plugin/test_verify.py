"""``postman-contracts verify``: the main job, run through ``cli.main`` with injected streams.

It runs the plugin against the embedded mock (or ``--base-url``) and prints a summary table; it
must pass on the bundled collection and on every real collection of the corpus (the mock and
the checks agree: no false positives), and fail on a server that breaks its documentation.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.cli import main
from postman_contracts.contracts import ContractSet, open_contracts
from postman_contracts.generators import coverage_cases, documented_invalid_requests
from tests.paths import BUNDLED, CONVERSIONS, CORPUS_FILES
from tests.plugin.conftest import WsgiApp
from tests.servers.broken import GALLERY


def _verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["verify", "--max-examples", "5", "--seed", "1", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _column(table: str, name: str) -> int:
    """The index of the summary table's column headed ``name``."""
    header = table[table.index("OPERATION") :].splitlines()[0]
    return re.split(r"\s{2,}", header.strip()).index(name)


def _rows(table: str) -> dict[str, list[str]]:
    """The summary table's rows by operation id, split on runs of two or more spaces."""
    lines = table[table.index("OPERATION") :].splitlines()
    assert set(lines[1]) <= {"-", " "}, lines[1]
    rows = {}
    for line in lines[2:]:
        if not line.strip() or line.startswith("not checked: "):  # the table ends
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells
    return rows


def test_verify_passes_on_the_bundled_collection(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _verify()
    assert (code, err) == (0, "")
    assert out.startswith("checking ")
    assert "zoho-crm.postman_collection.json against the embedded mock at http://127.0.0.1:" in out
    pytest.LineMatcher(out.splitlines()).fnmatch_lines(
        ["OPERATION *EXAMPLES *COVERAGE *FUZZ CASES *ERRORS SEEN *RESULT", "---*"]
    )
    rows = _rows(out)
    assert list(rows) == ["leads", "bulk-write/create-bulk-write-job"]
    leads, bulk = rows["leads"], rows["bulk-write/create-bulk-write-job"]
    assert leads[1] == "6 (+2 skipped)"  # 8 examples, NOT_APPROVED and RECORD_LOCKED need state
    assert bulk[1] == "4"
    zoho = open_contracts(BUNDLED)
    for row, op_id in ((leads, "leads"), (bulk, "bulk-write/create-bulk-write-job")):
        op = zoho.operation(op_id)
        # the coverage phase: one request per rule the (strict, as the mock) contract states
        assert int(row[2]) == len(coverage_cases(op, zoho, strict=True)) > 10
        # 5 valid and 5 invalid generated requests each, after one request per documented change
        documented = documented_invalid_requests(op, contracts=zoho)
        assert int(row[3]) == 10 + len(documented)
    # documented errors seen, by code: the mock answered with each of them
    for code_seen in ("AUTHENTICATION_FAILURE", "INVALID_DATA", "INVALID_REQUEST_METHOD"):
        assert f"{code_seen}x" in leads[4]
    for code_seen in ("INVALID_CALLBACK_URL", "MISSING_REQUIRED_KEY", "FILE_NOT_SUPPORTED"):
        assert f"{code_seen}x" in bulk[4]
    assert leads[5] == bulk[5] == "pass"
    assert "20 passed, 2 skipped" in capsys.readouterr().out


def test_verify_fails_on_a_broken_server(
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = serve(GALLERY["wrong-success-status"](bundled_contracts))
    code, out, err = _verify("--base-url", url)
    assert (code, err) == (1, "")
    assert "embedded mock" not in out
    rows = _rows(out)
    assert rows["bulk-write/create-bulk-write-job"][-1] == "FAIL"
    assert rows["leads"][-1] == "pass"  # the fault is where it is, not everywhere
    report = capsys.readouterr().out
    pytest.LineMatcher(report.splitlines()).fnmatch_lines(
        [
            "*bulk-write/create-bulk-write-job::test_example[[]SUCCESS RESPONSE[]]*",
            "- Wrong status code",
        ]
    )


def test_verify_writes_junit_xml(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "verify.xml"
    target.parent.mkdir()
    code, _, _ = _verify("--junitxml", str(target))
    assert code == 0
    suite = ET.parse(target).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("22", "0", "2")
    # node id PATH::OP::test_x[...]: JUnit's classname is "PATH.OP" (dotted), its name test_x[...]
    names = {
        f"{c.get('classname', '').partition('.json.')[2]}::{c.get('name')}"
        for c in suite.iter("testcase")
    }
    assert "leads::test_example[SUCCESS RESPONSE]" in names
    assert "bulk-write/create-bulk-write-job::test_fuzz_invalid" in names
    assert "leads::test_coverage" in names


def test_verify_of_a_missing_collection_is_bad_input() -> None:
    code, out, err = _verify("no-such.postman_collection.json")
    assert code == 2
    assert err.startswith("error: ") and "no-such.postman_collection.json" in err
    assert err.count("\n") == 1
    assert "Traceback" not in out + err


#: Conversions whose mock still disagrees with its own checks, by name, with the reason.
_MOCK_KNOWN: dict[str, str] = {}


def _conversion(path: Path) -> Any:
    name = f"{path.parent.name}-{path.name.split('.')[1]}"
    reason = _MOCK_KNOWN.get(name)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize(
    "collection",
    [
        *(pytest.param(p, id=p.name.split(".")[0]) for p in CORPUS_FILES),
        *(_conversion(p) for p in CONVERSIONS),
    ],
)
def test_verify_finds_no_fault_in_the_mock_of_a_real_collection(collection: Path) -> None:
    code, out, err = _verify(str(collection))
    assert (code, err) == (0, ""), out
    rows = _rows(out)
    assert rows, out
    # an operation whose credentials this tool cannot sign is listed, with why, not passed
    unsigned = {op.id for op in open_contracts(collection).operations if op.request.auth.unsigned}
    assert {k for k, r in rows.items() if r[-1] == "not checked"} == unsigned
    assert {r[-1] for k, r in rows.items() if k not in unsigned} == {"pass"}
    for op_id in unsigned:
        assert f"not checked: {op_id}: " in out


def test_a_budget_shares_the_generated_requests_among_the_fuzz_tests() -> None:
    # The bundled collection has 2 operations, so 4 fuzz tests: a budget of 4 leaves each one
    # generated request, after the documented changes, which are always sent.
    code, out, _ = _verify("--budget", "4")
    assert code == 0
    zoho = open_contracts(BUNDLED)
    fuzz = _column(out, "FUZZ CASES")
    for op_id, row in _rows(out).items():
        documented = documented_invalid_requests(zoho.operation(op_id), contracts=zoho)
        assert int(row[fuzz]) == 2 + len(documented)


def test_workers_check_exactly_what_one_process_does() -> None:
    code, serial, _ = _verify()
    code_n, parallel, _ = _verify("-n", "2")
    assert code == code_n == 0
    assert _rows(parallel) == _rows(serial)  # the figures come back from the workers
