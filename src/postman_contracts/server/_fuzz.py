"""Fuzz tests: generated valid and invalid requests sent to the server under test.

Why it exists: the documented examples are a handful; generated requests find what they miss.
Valid requests must never get a 5xx and must get a documented response (under strict
semantics, the success response). Invalid requests with a ``documented`` expectation must get
exactly that documented error; ``inferred`` ones must get a documented response, and (strict)
a rejection. Hypothesis shrinks a failure to a minimal request and replays it before it is
reported, so what is reported fails reliably. A server that answers that replay otherwise
(Hypothesis's ``Flaky``) fails in the house format too, with both of its answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from hypothesis import given, seed, settings
from hypothesis.errors import Flaky

from postman_contracts.checking import (
    Exchange,
    Expectation,
    HttpResponse,
    RequestSpec,
    Violation,
    Violations,
)
from postman_contracts.contracts import ContractSet, OperationContract
from postman_contracts.generators import (
    CoverageCase,
    InvalidRequest,
    documented_invalid_requests,
    fuzz_settings,
    invalid_requests,
    valid_requests,
)
from postman_contracts.server._cases import Case
from postman_contracts.server._http import request_key
from postman_contracts.server._settings import Settings

__all__ = ["Sender", "check_labelled", "fuzz"]

#: Each response the server gave, under its request (to show one request answered two ways).
Answers = dict[tuple[str, str, bytes], list[HttpResponse]]


class Sender(Protocol):
    """What fuzzing needs of the run: :class:`~postman_contracts.server.ContractRun` is one."""

    settings: Settings
    contracts: ContractSet
    variables: dict[str, str]

    def variables_for(self, op: OperationContract) -> dict[str, str]:
        """The values of ``op``'s variables: the run's, and those its examples show."""

    @property
    def fuzz_examples(self) -> int:
        """Generated requests per fuzz test."""

    def check(
        self,
        op: OperationContract,
        spec: RequestSpec,
        expect: Expectation,
        note: str = "",
        *,
        kind: str = "example",
        answers: Answers | None = None,
    ) -> None:
        """Send ``spec`` and fail unless the response meets ``expect``."""

    def failure(
        self, violations: list[Violation], exchange: Exchange, reproduce: str = ""
    ) -> Violations:
        """The test failure for ``violations``."""

    def reproduce(self) -> str:
        """How to run the same cases again."""

    def twin_accepting(self, op: OperationContract, spec: RequestSpec) -> OperationContract | None:
        """Another operation on the same route that documents ``spec`` as valid."""


def _settings(run: Sender) -> settings:
    return fuzz_settings(run.fuzz_examples, print_blob=False)


def _violations_in(err: BaseException) -> Violations | None:
    """The contract failure behind a ``Flaky`` error (a group, or its cause), if any."""
    stack: list[BaseException] = [err]
    seen: set[int] = set()
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, Violations):
            return e
        stack += list(getattr(e, "exceptions", ()))
        stack += [c for c in (e.__cause__, e.__context__) if c is not None]
    return None


def _answer(response: HttpResponse) -> str:
    text = response.body.decode("utf-8", "replace").replace("\n", " ")
    text = text if len(text) <= 300 else text[:300] + "..."
    return f"[{response.status}] {response.content_type or '(no content type)'} {text}".rstrip()


def _run_reporting_flaky(run: Sender, test: Callable[[], None], answers: Answers) -> None:
    """Run a Hypothesis test; a failure the server does not repeat (``Flaky``) becomes the
    house failure: the server answered one request two ways, both answers shown."""
    try:
        test()
    except Flaky as err:
        failure = _violations_in(err)
        if failure is None:
            raise
        exchange = failure.exchange
        seen = answers.get(request_key(exchange.request), [])
        failed = next((i for i, r in enumerate(seen) if r is exchange.response), None)
        other = next(
            (i for i, r in enumerate(seen) if failed is not None and _differ(r, seen[failed])),
            None,
        )
        if failed is not None and other is not None:
            first, then = sorted((failed, other))
            message = f"first: {_answer(seen[first])}\nthen: {_answer(seen[then])}"
        else:
            message = "the failure below did not happen again when the request was repeated"
        flaky = Violation(
            check="deterministic",
            title="The server answered the same request differently",
            message=message,
        )
        raise run.failure([flaky, *failure.violations], exchange, run.reproduce()) from None


def _differ(a: HttpResponse, b: HttpResponse) -> bool:
    return (a.status, a.content_type, a.body) != (b.status, b.content_type, b.body)


def check_labelled(
    run: Sender,
    op: OperationContract,
    bad: InvalidRequest | CoverageCase,
    *,
    kind: str,
    answers: Answers | None = None,
) -> None:
    """Send a labelled request and judge the answer by what its label expects: the one
    policy of the fuzz's invalid requests and of the coverage phase's cases.

    A documented change must get its documented error; a wrong method or no credentials
    with nothing documented, any 4xx (HTTP itself says what they get, in whatever body the
    server's framework gives them); a change the evidence asserts (coverage), a rejection; an
    inferred one, a documented response (strict: a rejection); a valid request (coverage), a
    documented response (strict: success). Where another item documenting the same method
    and path accepts the very request, that item's documented responses are the ones due.
    """
    strict = run.settings.strict
    confidence = bad.expected.confidence
    if confidence == "valid":
        expect = Expectation("success" if strict else "documented")
        note = f"a valid request ({bad.label}) must get a documented " + (
            "success" if strict else "response"
        )
    elif confidence == "documented":
        error = bad.expected.error
        assert error is not None
        expect = Expectation("error", error=error)
        note = (
            f"invalid request ({bad.label}) must get documented error {error.code or error.example}"
        )
    elif bad.kind in ("method", "auth"):
        expect = Expectation("client_error")
        note = f"invalid request ({bad.label}) must get a client error (4xx)"
    else:
        twin = run.twin_accepting(op, bad.spec)
        if twin is not None:
            note = f"invalid ({bad.label}), valid for {twin.item_path}: must get its response"
            run.check(twin, bad.spec, Expectation("documented"), note, kind=kind, answers=answers)
            return
        if confidence == "asserted":
            expect = Expectation("rejection")
            note = f"invalid request ({bad.label}), as the contract asserts: must be rejected"
        else:
            expect = Expectation("rejection" if strict else "documented")
            note = f"invalid request ({bad.label}), inferred: must get a documented response" + (
                " that rejects it" if strict else ""
            )
    run.check(op, bad.spec, expect, note, kind=kind, answers=answers)


def fuzz(run: Sender, case: Case) -> None:
    """Run one fuzz case (``fuzz_valid`` or ``fuzz_invalid``) against the server."""
    op = case.operation
    strict = run.settings.strict
    answers: Answers = {}
    if case.kind == "fuzz_valid":
        expect = Expectation("success" if strict else "documented")

        @_settings(run)
        @seed(run.settings.seed)
        @given(valid_requests(op, variables=run.variables_for(op)))
        def valid(spec):  # type: ignore[no-untyped-def]
            note = "a generated valid request"
            run.check(op, spec, expect, note, kind="fuzz_valid", answers=answers)

        _run_reporting_flaky(run, valid, answers)
        return

    def check_invalid(bad: InvalidRequest) -> None:
        check_labelled(run, op, bad, kind="fuzz_invalid", answers=answers)

    # Every documented change first, made from the documented example: a small budget of
    # random cases may never make the one change that provokes a documented error.
    for bad in documented_invalid_requests(
        op, contracts=run.contracts, variables=run.variables_for(op)
    ):
        check_invalid(bad)

    @_settings(run)
    @seed(run.settings.seed)
    @given(invalid_requests(op, contracts=run.contracts, variables=run.variables_for(op)))
    def invalid(bad: InvalidRequest) -> None:
        check_invalid(bad)

    _run_reporting_flaky(run, invalid, answers)
