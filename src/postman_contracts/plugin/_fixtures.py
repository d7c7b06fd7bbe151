"""The plugin's fixtures, for hand-written tests beside the generated ones.

Why it exists: server side, ``contracts``, ``contract_session`` and ``check_response`` reach
the run state; client side, ``contract_mock`` serves every documented operation through
``responses`` and checks each request a client sends, and ``contract_responses`` fuzzes a
client against the documented responses. The machinery lives in :mod:`postman_contracts.server`
and :mod:`postman_contracts.client`; this module only ties it to pytest's fixtures, markers and
test outcomes.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from postman_contracts import InvalidArgument
from postman_contracts.plugin._options import SETTINGS_KEY, run_of
from postman_contracts.server import Settings

if TYPE_CHECKING:  # imported by the fixtures that use them: see server/__init__.py
    from postman_contracts.client import ContractMock, ContractResponses
    from postman_contracts.server import ContractRun

__all__ = [
    "check_response",
    "contract_mock",
    "contract_responses",
    "contract_session",
    "contracts",
]


# -- fixtures for hand-written tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def contracts(pytestconfig: pytest.Config) -> Any:
    """The loaded :class:`~postman_contracts.contracts.ContractSet` of ``--contracts``."""
    return run_of(pytestconfig).contracts


@pytest.fixture(scope="session")
def contract_session(pytestconfig: pytest.Config) -> Iterator[Any]:
    """A ``requests.Session`` for ``--contracts-base-url``: relative URLs, credentials attached."""
    session = run_of(pytestconfig).user_session()
    yield session
    session.close()


@pytest.fixture
def check_response(
    request: pytest.FixtureRequest, pytestconfig: pytest.Config
) -> Callable[..., None]:
    """``check_response(response, operation=None, *, example=None)``: fail unless a
    ``requests.Response`` is a documented response of the operation (by default the one named
    by the test's ``@pytest.mark.contract`` marker)."""
    marker = request.node.get_closest_marker("contract")
    default = marker.args[0] if marker and marker.args else None

    def check(response: Any, operation: str | None = None, *, example: str | None = None) -> None:
        __tracebackhide__ = True
        op_id = operation or default
        if op_id is None:
            raise pytest.UsageError(
                "check_response needs an operation id or @pytest.mark.contract('id')"
            )
        try:
            run_of(pytestconfig).check_user_response(op_id, response, example=example)
        except InvalidArgument as err:  # an unknown operation id: the test is miswritten
            raise pytest.UsageError(str(err)) from None

    return check


# -- client side: contract_mock and contract_responses  ---------
# Checking a client instead of a server: every documented operation is served through
# ``responses``, every request the client sends is checked against its contract.


@pytest.fixture
def contract_mock(request: pytest.FixtureRequest) -> Iterator[ContractMock]:
    """A ``responses`` mock of every operation of ``--contracts``, for ``requests`` clients.

    Each request is checked against its contract (a violation fails the test at the call) and
    answered with the documented success example, or what ``respond(...)`` primed; see
    :class:`~postman_contracts.client._mock.ContractMock`. Strict: a primed response the test
    never called for fails at teardown.
    """
    yield from mock_for_test(
        request, request.config.stash[SETTINGS_KEY], lambda: run_of(request.config)
    )


@pytest.fixture
def contract_responses(
    request: pytest.FixtureRequest, contract_mock: ContractMock
) -> ContractResponses:
    """Fuzz a client against the documented responses of the ``@pytest.mark.contract_client``
    operation: ``contract_responses.check(call, raises=(MyApiError,))``."""
    return responses_for_test(request, contract_mock, request.config.stash[SETTINGS_KEY])


# -- tying the client mock to the test's outcome ------------------------------------------------

_CALL_ERROR = pytest.StashKey[BaseException]()
_RECORDER = "postman-contracts-client-outcome"


class _OutcomeRecorder:
    """Keeps the exception a test failed with, so teardown does not report it twice."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, None]:
        outcome = yield
        if outcome.excinfo is not None:
            item.stash[_CALL_ERROR] = outcome.excinfo[1]


def mock_for_test(
    request: pytest.FixtureRequest, settings: Settings, run: Callable[[], ContractRun]
) -> Iterator[ContractMock]:
    """The ``contract_mock`` fixture's body: start, yield, stop, then verify."""
    __tracebackhide__ = True
    if not settings.path:
        pytest.fail(
            "contract_mock needs a collection: pass --contracts PATH (or set contracts in the "
            "ini file)",
            pytrace=False,
        )
    manager = request.config.pluginmanager
    if not manager.has_plugin(_RECORDER):
        manager.register(_OutcomeRecorder(), _RECORDER)
    from postman_contracts.client import ContractMock

    state = run()
    reproduce = " ".join(
        shlex.quote(p)
        for p in (
            "pytest",
            request.node.nodeid,
            "--contracts",
            settings.path,
            "--contracts-seed",
            str(settings.seed),
        )
    )
    mock = ContractMock(state.contracts, secrets=state.redact.secrets, reproduce=reproduce)
    mock.start()
    try:
        yield mock
    finally:
        mock.stop()
    mock.verify(request.node.stash.get(_CALL_ERROR, None))


def responses_for_test(
    request: pytest.FixtureRequest, mock: ContractMock, settings: Settings
) -> ContractResponses:
    """The ``contract_responses`` fixture's body."""
    from postman_contracts.client import ContractResponses

    marker = request.node.get_closest_marker("contract_client")
    operation = str(marker.args[0]) if marker is not None and marker.args else None
    if operation is not None:
        mock.operation(operation)  # an unknown id fails here, naming the ids there are
    return ContractResponses(
        mock, operation, max_examples=settings.max_examples, seed=settings.seed
    )
