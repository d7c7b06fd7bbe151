"""The plugin's test items and the run state they share.

Why it exists: it keeps ``pytest_plugin`` thin and its import cheap. One :class:`ContractRun`
per session loads the contracts once, holds the HTTP client, the checker and the redactor,
and turns each :class:`~postman_contracts._cases.Case` into a :class:`ContractItem`. Failures
are rendered by the one renderer, with every secret redacted.
"""

from __future__ import annotations

import gc
import os
import re
import shlex
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests

from postman_contracts._cases import (
    Case,
    auth_probe,
    cases_for,
    method_probe,
    open_routes,
    replay_expectation,
    replay_request,
)
from postman_contracts._errors import PostmanContractsError
from postman_contracts._http import Credentials, HttpClient, TransportError, request_key
from postman_contracts.collection import Redactor, load_environment
from postman_contracts.contracts import ContractSet, OperationContract, open_contracts
from postman_contracts.contracts._checks import Checker, Expectation
from postman_contracts.contracts._exchange import Exchange, HttpRequest, HttpResponse, RequestSpec
from postman_contracts.contracts._requests import request_issues
from postman_contracts.contracts._violations import Violation, Violations, render_failure
from postman_contracts.pytest_plugin import RUN_KEY

if TYPE_CHECKING:
    from postman_contracts.pytest_plugin import Settings

__all__ = ["ContractFile", "ContractItem", "ContractRun", "OperationCollector", "item_name"]


class ContractRun:
    """Everything the generated tests of one session share."""

    def __init__(self, settings: Settings, config: pytest.Config) -> None:
        self.settings = settings
        self.config = config
        token = os.environ.get(settings.auth_env, "") if settings.auth_env else ""
        try:
            self.contracts: ContractSet = open_contracts(
                settings.path, environment=settings.env or None, variables=settings.variables
            )
        except PostmanContractsError as err:
            raise pytest.UsageError(f"--contracts: {err}") from err
        self.variables = dict(settings.variables)
        if settings.env:  # environment values fill slots (and the token) too; --var wins
            env = load_environment(settings.env)
            self.variables = {
                **{v.key: v.value for v in env if not v.disabled and v.value},
                **self.variables,
            }
        configured = bool(token)
        auths = {op.request.auth for op in self.contracts.operations if op.request.auth.required}
        auth_vars = {a.token_variable for a in auths} | {a.password_variable for a in auths}
        token = token or next(
            (self.variables[v] for v in sorted(auth_vars) if v and self.variables.get(v)), ""
        )
        self.token = token or "postman-contracts-test-token"
        self.credentials = Credentials(self.token, self.variables, configured=configured)
        secrets = set(self.contracts.secrets) | {token} if token else set(self.contracts.secrets)
        secrets |= {v for k, v in self.variables.items() if v and k in auth_vars}
        # what goes on the wire too: Basic auth sends base64(user:password), not the token
        secrets |= {self.credentials.basic(a) for a in auths if a.type == "basic"}
        self.redact = Redactor(secrets)
        self.checker = Checker(self.contracts, strict=settings.strict)
        self._client: HttpClient | None = None
        #: per operation: requests sent by kind of test, and documented error codes seen
        self.stats: dict[str, dict[str, Counter[str]]] = {}
        self._items: list[ContractItem] = []
        self._routes: dict[tuple[str, str], OperationContract] | None = None
        # The contracts live as long as the session. Freezing moves them (and all else alive
        # now) out of the collector's sight, so its later passes stop walking them again and
        # again: on a 5,000-operation collection that was seconds per run. close() undoes it.
        gc.freeze()

    def record(self, op: OperationContract, kind: str, exchange: Exchange) -> None:
        """Count an exchange for the ``verify`` summary."""
        stats = self.stats.setdefault(op.id, {"sent": Counter(), "codes": Counter()})
        stats["sent"][kind] += 1
        if exchange.response is not None:
            try:
                body = exchange.response.json()
            except (ValueError, UnicodeDecodeError):
                body = None
            code = self.checker.error_code(body, exchange.response.status)
            if code:
                stats["codes"][code] += 1

    @property
    def client(self) -> HttpClient:
        """The HTTP client for ``--contracts-base-url`` (created on first use)."""
        if self._client is None:
            self._client = HttpClient(
                self.settings.base_url,
                credentials=self.credentials,
                timeout=self.settings.timeout,
            )
        return self._client

    def close(self) -> None:
        """Release connections and the contracts; let the collector see what is left again.

        The session's items are done with, so they let go of their cases first: the
        contracts are then freed by reference counting, and pytest's final collections (and
        the interpreter's at exit) no longer walk them. On 5,000 operations that walk was
        four seconds after the last test.
        """
        if self._client is not None:
            self._client.close()
        for item in self._items:
            item.release()
        self._items = []
        del self.contracts, self.checker
        gc.unfreeze()

    def cases(self, op: OperationContract) -> list[Case]:
        """The selected cases of ``op`` (``--contracts-checks``, ``--contracts-select``)."""
        if self._routes is None:
            self._routes = open_routes(self.contracts)  # once, not once per operation
        return [
            case
            for case in cases_for(self.contracts, op, self.settings.checks, routes=self._routes)
            if self.settings.selected(case.name, op.id)
        ]

    def keep(self, item: ContractItem) -> None:
        """Remember ``item``, to let go of its case when the session ends."""
        self._items.append(item)

    # -- sending and checking ----------------------------------------------------------------

    def exchange(self, op: OperationContract, spec: RequestSpec) -> Exchange:
        """Send ``spec``; a transport failure fails the test with what happened."""
        try:
            return self.client.send(spec, op.request.auth, operation=op.id, item_path=op.item_path)
        except TransportError as err:
            exchange = err.exchange or Exchange(HttpRequest(spec.method, spec.path), None)
            raise self.failure([err], exchange) from None

    def failure(
        self, violations: list[Violation], exchange: Exchange, reproduce: str = ""
    ) -> Violations:
        """The test failure for ``violations``, rendered with secrets redacted."""
        text = render_failure(violations, exchange, self.redact, reproduce=reproduce)
        return Violations(violations, exchange, text=text)

    def check(
        self,
        op: OperationContract,
        spec: RequestSpec,
        expect: Expectation,
        note: str = "",
        *,
        kind: str = "example",
        answers: dict[tuple[str, str, bytes], list[HttpResponse]] | None = None,
    ) -> None:
        """Send ``spec`` and fail unless the response meets ``expect``; with ``answers``, keep
        each response under its request (to show a server answering one request two ways)."""
        exchange = self.exchange(op, spec)
        self.record(op, kind, exchange)
        if answers is not None and exchange.response is not None:
            answers.setdefault(request_key(exchange.request), []).append(exchange.response)
        if note:
            exchange = Exchange(
                exchange.request, exchange.response, exchange.operation, exchange.item_path, note
            )
        assert exchange.response is not None
        violations = self.checker.check(op, exchange.response, expect)
        if violations:
            raise self.failure(violations, exchange, self.reproduce())

    def twin_accepting(self, op: OperationContract, spec: RequestSpec) -> OperationContract | None:
        """Another operation with the same method and path that documents ``spec`` as valid."""
        route = self.contracts.on_route(op.request.method, op.request.path)
        twins = [o for o in route if o is not op]
        if not twins:
            return None
        request = self.client.build(spec, op.request.auth)
        return next((t for t in twins if not request_issues(self.checker, t, request)), None)

    def reproduce(self) -> str:
        """How to run the same generated cases again, against the same server."""
        s = self.settings
        # Without the base URL the plugin generates no tests; the seed alone replays nothing.
        args = ["pytest", "--contracts", s.path, "--contracts-base-url", s.base_url]
        args += ["--contracts-max-examples", str(s.max_examples), "--contracts-seed", str(s.seed)]
        return self.redact(shlex.join(args + (["--contracts-strict"] if s.strict else [])))

    # -- fixtures ----------------------------------------------------------------------------

    def user_session(self) -> requests.Session:
        """A session that sends relative URLs to the base URL, with credentials."""
        return _BaseUrlSession(self.settings.base_url, self.credentials, self.contracts)

    def check_user_response(self, op_id: str, response: Any, *, example: str | None) -> None:
        """Fail unless a ``requests.Response`` is documented for ``op_id`` (or is ``example``)."""
        __tracebackhide__ = True  # the failure points at the user's test, not at this helper
        try:
            op = self.contracts.operation(op_id)
        except KeyError as err:
            raise pytest.UsageError(str(err)) from None
        req = response.request
        body = req.body if isinstance(req.body, bytes) else (req.body or "").encode("utf-8")
        exchange = Exchange(
            HttpRequest(req.method, req.url, tuple(req.headers.items()), body),
            HttpResponse(response.status_code, tuple(response.headers.items()), response.content),
            op.id,
            op.item_path,
        )
        if example is not None:
            error = next((e for e in op.errors if e.example == example), None)
            expect = Expectation("example", op.response(example), error)
        else:
            expect = Expectation("documented")
        assert exchange.response is not None
        violations = self.checker.check(op, exchange.response, expect)
        if violations:
            raise self.failure(violations, exchange)


class _BaseUrlSession(requests.Session):
    def __init__(self, base_url: str, credentials: Credentials, contracts: ContractSet) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.trust_env = False
        auths = [op.request.auth for op in contracts.operations if op.request.auth.required]
        if auths and auths[0].location == "header":
            a = auths[0]
            self.headers[a.name] = credentials.value(a)

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if "://" not in text:
            text = self.base_url + "/" + text.lstrip("/")
        return super().request(method, text, *args, **kwargs)


def item_name(case: Case) -> str:
    """The item name of ``case`` under its operation: ``test_auth``, ``test_example[EXAMPLE]``.

    No ``::`` inside: pytest and xdist split node ids on it (``--dist loadscope`` groups by
    what precedes the last one), so a Postman name's ``::`` is written ``:``.
    """
    if case.kind != "example":
        return f"test_{case.kind}"
    return f"test_example[{_NO_DOUBLE_COLON.sub(':', case.example)}]"


_NO_DOUBLE_COLON = re.compile(":{2,}")


class ContractFile(pytest.File):
    """The collection file (or a contracts directory's ``index.json``) named by ``--contracts``.

    Its children are one :class:`OperationCollector` per operation, in collection order. The
    contracts are loaded once per session (per xdist worker) by :class:`ContractRun`, not here.
    """

    def collect(self) -> Iterator[OperationCollector]:
        """One collector per operation; an operation with no selected test yields nothing."""
        run = self.config.stash[RUN_KEY]
        for op in run.contracts.operations:
            yield OperationCollector.from_parent(self, name=op.id, operation=op.id)


class OperationCollector(pytest.Collector):
    """One operation: its tests, like a test class's methods (``FILE::OP_ID::test_auth``)."""

    def __init__(self, *, operation: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation = operation

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        """The operation's selected cases, as :class:`ContractItem`s."""
        run = self.config.stash[RUN_KEY]
        op = run.contracts.operation(self.operation)
        mark = pytest.mark.contract(op.id)  # one per operation: making a mark is not free
        out: list[pytest.Item | pytest.Collector] = []
        for case in run.cases(op):
            name = item_name(case)
            # The id as a string, parsed by pytest as any id read back (--lf's cache, an
            # argument): "test_example[X]" is a name and its parameters, as a function's is.
            item = ContractItem.from_parent(
                self, name=name, nodeid=f"{self.nodeid}::{name}", case=case, run=run, mark=mark
            )
            run.keep(item)
            out.append(item)
        return out


class ContractItem(pytest.Item):
    """One generated contract test."""

    def __init__(
        self,
        *,
        case: Case,
        run: ContractRun,
        mark: pytest.MarkDecorator | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.run = run
        self.add_marker(mark or pytest.mark.contract(case.operation.id))

    def release(self) -> None:
        """Let go of the case and the run, once the session is over."""
        del self.case, self.run

    def runtest(self) -> None:
        """Run the case."""
        case, run = self.case, self.run
        op = case.operation
        if case.kind == "example":
            self._example(op)
        elif case.kind in ("method", "auth"):
            if case.skip:
                pytest.skip(case.skip)
            probe = (method_probe if case.kind == "method" else auth_probe)(
                run.contracts, op, run.variables, strict=run.settings.strict
            )
            if probe.spec is None:
                pytest.skip(probe.note)
            run.check(op, probe.spec, probe.expect, probe.note, kind=case.kind)
        else:
            from postman_contracts._plugin_fuzz import fuzz

            fuzz(run, case)

    def _example(self, op: OperationContract) -> None:
        case, run = self.case, self.run
        documented = op.response(case.example)
        if case.skip and documented.status is None:
            pytest.skip(case.skip)
        x = next(x for x in op.examples if x.name == case.example)
        spec = replay_request(op, x, run.variables)
        if case.skip:
            arranged = self.config.hook.pytest_contracts_arrange_state(
                operation=op, example=case.example, base_url=run.settings.base_url
            )
            if not arranged:
                pytest.skip(case.skip)
            # the state is arranged for this very example: its own response is demanded
            error = next((e for e in op.errors if e.example == case.example), None)
            expect = Expectation("example", documented, error)
            note = f"replaying documented example {case.example!r}"
        else:
            expect, note = replay_expectation(op, case.example, run.variables)
        run.check(op, spec, expect, note)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """Contract violations read as the house format; anything else as pytest shows it."""
        if isinstance(excinfo.value, (Violations, Violation)):
            return str(excinfo.value)
        return self.run.redact(str(excinfo.getrepr(style="short")))

    def reportinfo(self) -> tuple[Path, None, str]:
        """Where the test comes from: the collection, and the Postman item path."""
        op = self.case.operation
        return self.path, None, f"{op.id}::{self.name} ({op.item_path})"
