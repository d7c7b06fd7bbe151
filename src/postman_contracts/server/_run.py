"""The state the server checks of one run share: contracts, credentials, client, checker.

Why it exists: one :class:`ContractRun` per session (per xdist worker) loads the contracts
once, holds the HTTP client, the checker and the redactor, sends each case's requests and
judges the answers. Failures are rendered by the one renderer, with every secret redacted.
It knows nothing of pytest: the plugin turns its errors into usage errors and its cases into
items.
"""

from __future__ import annotations

import gc
import os
import shlex
from collections.abc import Callable
from typing import Any, Protocol

from postman_contracts._errors import InvalidArgument
from postman_contracts.checking import (
    Checker,
    Exchange,
    Expectation,
    HttpRequest,
    HttpResponse,
    RequestSpec,
    Violation,
    Violations,
    accepts_request,
    render_failure,
)
from postman_contracts.collection import Redactor, collector_paused, load_environment
from postman_contracts.contracts import (
    ContractSet,
    OperationContract,
    fill_values,
    open_contracts,
)
from postman_contracts.server._cases import (
    Case,
    auth_probe,
    cases_for,
    method_probe,
    open_routes,
    replay_expectation,
    replay_request,
)
from postman_contracts.server._coverage import coverage
from postman_contracts.server._fuzz import fuzz
from postman_contracts.server._hosts import resolve_targets, run_variables
from postman_contracts.server._http import Credentials, HttpClient, TransportError, request_key
from postman_contracts.server._session import BaseUrlSession
from postman_contracts.server._settings import Settings
from postman_contracts.server._stats import Stats

__all__ = ["Arrange", "ContractRun", "NotChecked", "Releasable"]

#: Arranges the server's state for a documented example (``operation``, ``example``); true
#: when it did (the plugin's ``pytest_contracts_arrange_state`` hook).
Arrange = Callable[[OperationContract, str], bool]


class NotChecked(Exception):
    """A case that cannot be checked against this server, and why (the plugin skips it)."""


class Releasable(Protocol):
    """What the run lets go of when it closes (the plugin's test items)."""

    def release(self) -> None:
        """Drop references to the run and its contracts."""


class ContractRun:
    """Everything the generated tests of one session share."""

    def __init__(self, settings: Settings) -> None:
        """Load the contracts of ``settings.path`` (the environment read once).

        Raises:
            PostmanContractsError: the collection, contracts directory or environment is bad.
        """
        self.settings = settings
        token = os.environ.get(settings.auth_env, "") if settings.auth_env else ""
        env = load_environment(settings.env) if settings.env else ()
        # The contracts live as long as the session. Freezing moves them (and all else alive
        # now) out of the collector's sight, so its later passes stop walking them again and
        # again: on a 5,000-operation collection that was seconds per run. Freezing before the
        # collector is back also spares the pass it would make at once over every object the
        # loading and building made (0.65 s on 5,000 operations). close() undoes it.
        with collector_paused():
            self.contracts: ContractSet = open_contracts(
                settings.path, environment=env, variables=settings.variables
            )
            gc.freeze()
        # the collection's values, then the environment's, fill slots (and the token) too;
        # --contracts-var wins
        self.variables = run_variables(self.contracts, env, settings.variables)
        #: the base URL of each host (see ``contracts._hosts``); settled before any request,
        #: with every ``{{variable}}`` a request needs
        self.hosts: dict[str, str] = {}
        if settings.base_url:
            self.hosts = resolve_targets(
                self.contracts, self.variables, settings.base_url, settings.hosts, settings.path
            )
        self._op_variables: dict[str, dict[str, str]] = {}
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
        self.stats = Stats()
        self._kept: list[Releasable] = []
        self._routes: dict[tuple[str, str], OperationContract] | None = None
        #: how many fuzz tests the session runs (set once collected): they share the budget
        self.fuzz_tests = 0

    def variables_for(self, op: OperationContract) -> dict[str, str]:
        """The values of ``op``'s variables: the run's, over those its own examples show
        where another leaves a ``{{variable}}``, over path parameters' stand-ins
        (``fill_values``)."""
        found = self._op_variables.get(op.id)
        if found is None:
            found = self._op_variables[op.id] = fill_values(op, self.variables)
        return found

    def base_url_of(self, op: OperationContract) -> str:
        """Where ``op``'s requests go: its host's base URL (the base URL by default)."""
        return self.hosts.get(op.request.host, self.settings.base_url)

    def record(self, op: OperationContract, kind: str, exchange: Exchange) -> None:
        """Count an exchange for the ``verify`` summary."""
        self.stats.record(op, kind, exchange, self.checker)

    @property
    def fuzz_examples(self) -> int:
        """Generated requests for each fuzz test of this session (see ``Settings``)."""
        return self.settings.fuzz_examples(self.fuzz_tests)

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
        for kept in self._kept:
            kept.release()
        self._kept = []
        del self.contracts, self.checker
        gc.unfreeze()

    def cases(self, op: OperationContract) -> list[Case]:
        """The selected cases of ``op`` (``--contracts-checks``, ``--contracts-phases``,
        ``--contracts-select``)."""
        if self._routes is None:
            self._routes = open_routes(self.contracts)  # once, not once per operation
        return [
            case
            for case in cases_for(
                self.contracts,
                op,
                self.settings.checks,
                routes=self._routes,
                phases=self.settings.phases,
            )
            if self.settings.selected(case.name, op.id)
        ]

    def keep(self, kept: Releasable) -> None:
        """Remember ``kept`` (a test item), to let go of its case when the session ends."""
        self._kept.append(kept)

    # -- running a case --------------------------------------------------------------------

    def run_case(self, case: Case, arrange: Arrange) -> None:
        """Send ``case``'s requests and judge the answers; raise :class:`NotChecked` when it
        cannot be checked here, a :class:`Violations` when the server breaks its contract."""
        op = case.operation
        unsigned = op.request.auth.unsigned
        if unsigned and case.kind != "auth":  # the auth test sends no credentials: checked
            raise NotChecked(f"not checked: {unsigned}")
        if case.kind == "example":
            self._example(case, arrange)
        elif case.kind in ("method", "auth"):
            if case.skip:
                raise NotChecked(case.skip)
            probe = (method_probe if case.kind == "method" else auth_probe)(
                self.contracts, op, self.variables_for(op), strict=self.settings.strict
            )
            if probe.spec is None:
                raise NotChecked(probe.note)
            self.check(op, probe.spec, probe.expect, probe.note, kind=case.kind)
        elif case.kind == "coverage":
            if coverage(self, case) == 0:
                raise NotChecked(
                    f"no rule of {op.id} to cover among --contracts-checks "
                    f"{','.join(sorted(self.settings.checks))}"
                )
        else:
            fuzz(self, case)

    def _example(self, case: Case, arrange: Arrange) -> None:
        op = case.operation
        documented = op.response(case.example)
        if case.skip and documented.status is None:
            raise NotChecked(case.skip)
        x = next(x for x in op.examples if x.name == case.example)
        variables = self.variables_for(op)
        spec = replay_request(op, x, variables)
        if case.skip:
            if not arrange(op, case.example):
                raise NotChecked(case.skip)
            # the state is arranged for this very example: its own response is demanded
            error = next((e for e in op.errors if e.example == case.example), None)
            expect = Expectation("example", documented, error)
            note = f"replaying documented example {case.example!r}"
        else:
            expect, note = replay_expectation(op, case.example, variables)
        self.check(op, spec, expect, note)

    # -- sending and checking ----------------------------------------------------------------

    def exchange(self, op: OperationContract, spec: RequestSpec) -> Exchange:
        """Send ``spec``; a transport failure fails the test with what happened."""
        try:
            return self.client.send(
                spec,
                op.request.auth,
                operation=op.id,
                item_path=op.item_path,
                base_url=self.base_url_of(op),
            )
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
        request = self.client.build(spec, op.request.auth, base_url=self.base_url_of(op))
        return next((t for t in twins if accepts_request(self.checker, t, request)), None)

    def reproduce(self) -> str:
        """How to run the same generated cases again, against the same server."""
        s = self.settings
        # Without the base URL the plugin generates no tests; the seed alone replays nothing.
        args = ["pytest", "--contracts", s.path, "--contracts-base-url", s.base_url]
        for name, url in s.hosts.items():
            args += ["--contracts-host", f"{name}={url}"]
        # The number each fuzz test ran, which a budget may have made fewer than max_examples.
        args += ["--contracts-max-examples", str(self.fuzz_examples)]
        args += ["--contracts-seed", str(s.seed)]
        return self.redact(shlex.join(args + (["--contracts-strict"] if s.strict else [])))

    # -- fixtures ----------------------------------------------------------------------------

    def user_session(self) -> BaseUrlSession:
        """A session that sends relative URLs to the base URL, with credentials."""
        return BaseUrlSession(self.settings.base_url, self.credentials, self.contracts)

    def check_user_response(self, op_id: str, response: Any, *, example: str | None) -> None:
        """Fail unless a ``requests.Response`` is documented for ``op_id`` (or is ``example``)."""
        __tracebackhide__ = True  # the failure points at the user's test, not at this helper
        try:
            op = self.contracts.operation(op_id)
        except KeyError as err:
            raise InvalidArgument(str(err.args[0] if err.args else err)) from None
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
