"""A token never reaches pytest's output or the JUnit XML, however it is given and however the
server misbehaves.

The canary is given the three ways a user gives a token (``--contracts-var``,
``--contracts-auth-env``, a secret variable in an environment file), really sent (the server
records what it receives), and echoed back by a broken server in every failing response,
which the report shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from postman_contracts.contracts import ContractSet
from tests.plugin.conftest import WsgiApp, failure_section, run_plugin
from tests.servers.broken import Broken, EchoesAuthorization, Request, Response

CANARY = "canary-5f1c9e2b7d"
WAYS = ["var", "auth-env", "env-file"]
#: How the report shows a body of :class:`_EchoCut` up to its ``message``.
_BODY_HEAD = '{"code": "INVALID_REQUEST_METHOD", "details": {}, "message": "'


def _give(way: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plugin options that give the canary token ``way``'s way."""
    if way == "var":
        return ["--contracts-var", f"access-token={CANARY}"]
    if way == "auth-env":
        monkeypatch.setenv("ZOHO_TOKEN", CANARY)
        return ["--contracts-auth-env", "ZOHO_TOKEN"]
    env = {
        "name": "dev",
        "values": [{"key": "access-token", "value": CANARY, "type": "secret", "enabled": True}],
    }
    (pytester.path / "dev.postman_environment.json").write_text(json.dumps(env))
    return ["--contracts-env", "dev.postman_environment.json"]


def _assert_no_canary(result: pytest.RunResult, *files: Path) -> None:
    assert CANARY not in result.stdout.str()
    assert CANARY not in result.stderr.str()
    for path in files:
        assert CANARY not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("way", WAYS)
def test_a_token_echoed_by_a_failing_server_is_redacted(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    monkeypatch: pytest.MonkeyPatch,
    way: str,
) -> None:
    server = EchoesAuthorization(bundled_contracts)
    url = serve(server)
    report = pytester.path / "report.xml"
    result = run_plugin(
        pytester, zoho, url, *_give(way, pytester, monkeypatch), f"--junitxml={report}", "-rA"
    )
    result.assert_outcomes(failed=20, skipped=2)  # every test, the coverage phase's too
    # the canary really was the token sent (else this test would prove nothing)
    assert f"Bearer {CANARY}" in server.received
    _assert_no_canary(result, report)
    # the echo is shown, redacted, where the token was
    failure_section(result, "leads::test_example[SUCCESS RESPONSE]").fnmatch_lines(
        [
            "- Server error 500",
            "Response: [[]500[]] application/json",
            '    {"error": "boom", "authorization": "Bearer [[]REDACTED[]]", *}',
            "Reproduce with:",
            "    curl -X POST *-H 'Authorization: [[]REDACTED[]]'*",
        ]
    )


@pytest.mark.parametrize("way", WAYS)
def test_a_passing_run_with_a_token_prints_no_token(
    pytester: pytest.Pytester,
    zoho: str,
    mock_url: str,
    monkeypatch: pytest.MonkeyPatch,
    way: str,
) -> None:
    report = pytester.path / "report.xml"
    result = run_plugin(
        pytester, zoho, mock_url, *_give(way, pytester, monkeypatch), f"--junitxml={report}",
        "-rA", "--contracts-checks", "examples,auth",
    )  # fmt: skip
    result.assert_outcomes(passed=12, skipped=2)
    _assert_no_canary(result, report)


class _EchoCut(Broken):
    """Echoes the token so that the report's truncation of a long value cuts it in two."""

    def __init__(self, contracts: ContractSet, *, status: int, key: str, cut: int) -> None:
        super().__init__(contracts)
        self.status, self.key, self.cut = status, key, cut

    def response(self, request: Request, response: Response) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        body = {"code": "INVALID_REQUEST_METHOD", "details": {}, "message": "m", "status": "error"}
        body[self.key] = "x" * self.cut + token
        return Response(self.status, "application/json", body)


@pytest.mark.parametrize(
    ("status", "key", "cut", "where"),
    [
        # "expected 'INVALID_REQUEST_METHOD', got 'xxx...'": values are cut at 80 characters
        (400, "code", 80 - 3 - len("'") - 5, "the expected/got line"),
        # a 500's body is shown cut at 1,500 characters
        (500, "message", 1500 - len(_BODY_HEAD) - 5, "the response body"),
    ],
)
def test_a_token_cut_by_truncation_is_not_shown_in_part(
    pytester: pytest.Pytester,
    zoho: str,
    serve: Callable[[WsgiApp], str],
    bundled_contracts: ContractSet,
    status: int,
    key: str,
    cut: int,
    where: str,
) -> None:
    url = serve(_EchoCut(bundled_contracts, status=status, key=key, cut=cut))
    result = run_plugin(
        pytester, zoho, url, "--contracts-var", f"access-token={CANARY}",
        "--contracts-checks", "method", "--contracts-select", "leads",
    )  # fmt: skip
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "x" * 20 in out  # the long value is shown, cut
    for n in range(4, len(CANARY)):
        assert CANARY[:n] + "..." not in out, f"{CANARY[:n]!r} shown in {where}"
    assert CANARY not in out


def test_a_failing_hand_written_check_shows_no_token_even_with_locals(
    pytester: pytest.Pytester, zoho: str, mock_url: str
) -> None:
    pytester.makepyfile(
        test_hand="""
        import pytest

        @pytest.mark.contract("leads")
        def test_update(contract_session, check_response):
            body = {"data": [{"No_of_Employees": 5}], "over_write": True}
            response = contract_session.post("/crm/v2/Leads/actions/mass_update", json=body)
            check_response(response, example="SUCCESS RESPONSE")
        """
    )
    result = pytester.runpytest(
        "test_hand.py", "-l", "--tb=long", "--contracts", zoho, "--contracts-base-url", mock_url,
        "--contracts-var", f"access-token={CANARY}", "--contracts-select", "nothing-generated",
    )  # fmt: skip
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E*- The documented success example got error MANDATORY_NOT_FOUND",
            "E*curl -X POST *-H 'Authorization: [[]REDACTED[]]'*",
        ]
    )
    _assert_no_canary(result)
