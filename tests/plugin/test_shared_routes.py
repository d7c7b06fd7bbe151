"""The plugin on operations sharing one method and path (issue 13): SOAP actions on
``POST /soap`` and GraphQL operations on ``POST /graphql``, hand-made collections.

Each is verified against its own mock with no failure (the mock routes by the routing key,
the generators send it), a correct server passes its replays, and a server that answers the
other operation's response to a request is caught.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.cli import main
from tests.contracts.routing_builders import (
    SOAP_ACTIONS,
    element,
    envelope,
    graphql_answer,
    graphql_collection,
    soap_answer,
    soap_collection,
)
from tests.plugin.builders import Server, write_doc
from tests.plugin.conftest import WsgiApp, failed, failure_section, outcomes, run_plugin


def _run(pytester: pytest.Pytester, name: str, url: str, *args: str) -> pytest.RunResult:
    return run_plugin(pytester, name, url, "--contracts-max-examples", "15", *args)


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(soap_collection(), id="soap-action"),
        pytest.param(soap_collection(with_action=False), id="soap-body-element"),
        pytest.param(graphql_collection(), id="graphql"),
    ],
)
def test_verify_against_the_own_mock_finds_no_failure(tmp_path: Path, doc: dict[str, Any]) -> None:
    path = tmp_path / write_doc(tmp_path, doc)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["verify", str(path), "--max-examples", "10", "--seed", "1"], stdout=out, stderr=err
    )
    assert (code, err.getvalue()) == (0, ""), out.getvalue()
    table = out.getvalue()
    for op_id in ("delete-user",):
        assert op_id in table


def test_a_soap_server_answering_each_action_passes(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    server = Server(lambda method, path, headers, body: soap_answer(method, body, headers))
    name = write_doc(pytester.path, soap_collection())
    result = _run(pytester, name, serve(server))
    assert failed(result) == set(), result.stdout.str()
    assert "create-user::test_example[OK]" in outcomes(result)
    actions = {headers.get("soapaction") for _, _, headers, _ in server.seen}
    assert {f'"{action}"' for _, action, _, _ in SOAP_ACTIONS} <= actions


@pytest.mark.parametrize("with_action", [True, False], ids=["soap-action", "soap-body-element"])
def test_a_soap_server_answering_the_other_action_is_caught(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str], with_action: bool
) -> None:
    delete = envelope(element("DeleteUserResponse", "<u:ok>true</u:ok>")).encode()
    server = Server(lambda method, path, headers, body: (200, "text/xml", delete))
    name = write_doc(pytester.path, soap_collection(with_action=with_action))
    result = _run(pytester, name, serve(server), "--contracts-checks", "examples")
    assert failed(result) == {"create-user::test_example[OK]"}, result.stdout.str()
    failure_section(result, "create-user::test_example[OK]").fnmatch_lines(
        ["*DeleteUserResponse*not the documented*CreateUserResponse*"]
    )


def test_a_graphql_server_answering_each_operation_passes(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    server = Server(lambda method, path, headers, body: graphql_answer(method, body))
    name = write_doc(pytester.path, graphql_collection())
    result = _run(pytester, name, serve(server), "--contracts-checks", "examples,fuzz")
    assert failed(result) == set(), result.stdout.str()
    assert {"get-user::test_fuzz_valid", "delete-user::test_fuzz_valid"} <= set(outcomes(result))
    sent = [json.loads(body) for method, _, _, body in server.seen if body]
    assert sent and all(set(doc) <= {"query", "variables"} for doc in sent)
    assert {doc["query"].split()[0] for doc in sent} == {"query", "mutation"}


def test_a_graphql_server_answering_the_other_operation_is_caught(
    pytester: pytest.Pytester, serve: Callable[[WsgiApp], str]
) -> None:
    deleted = {"data": {"deleteUser": {"ok": True}}}
    server = Server(lambda method, path, headers, body: (200, "application/json", deleted))
    name = write_doc(pytester.path, graphql_collection())
    result = _run(pytester, name, serve(server), "--contracts-checks", "examples")
    assert failed(result) == {"get-user::test_example[OK]", "get-user::test_example[OK again]"}
    failure_section(result, "get-user::test_example[OK]").fnmatch_lines(["*user*"])
