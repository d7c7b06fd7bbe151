"""Fuzz tests: generated valid and invalid requests sent to the server under test.

Why it exists: the documented examples are a handful; generated requests find what they miss.
Valid requests must never get a 5xx and must get a documented response (under strict
semantics, the success response). Invalid requests with a ``documented`` expectation must get
exactly that documented error; ``inferred`` ones must get a documented response, and (strict)
a rejection. Hypothesis shrinks a failure to a minimal request and replays it before it is
reported, so what is reported fails reliably.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import HealthCheck, Phase, given, seed, settings

from postman_contracts._cases import Case
from postman_contracts.contracts._checks import Expectation
from postman_contracts.generators import (
    InvalidRequest,
    documented_invalid_requests,
    invalid_requests,
    requests,
)

if TYPE_CHECKING:
    from postman_contracts._plugin_items import ContractRun

__all__ = ["fuzz"]


def _settings(run: ContractRun) -> settings:
    return settings(
        max_examples=run.settings.max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
    )


def fuzz(run: ContractRun, case: Case) -> None:
    """Run one fuzz case (``fuzz_valid`` or ``fuzz_invalid``) against the server."""
    op = case.operation
    strict = run.settings.strict
    if case.kind == "fuzz_valid":
        expect = Expectation("success" if strict else "documented")

        @_settings(run)
        @seed(run.settings.seed)
        @given(requests(op, variables=run.variables))
        def valid(spec):  # type: ignore[no-untyped-def]
            run.check(op, spec, expect, "a generated valid request", kind="fuzz_valid")

        valid()
        return

    def check_invalid(bad: InvalidRequest) -> None:
        if bad.expected.confidence == "documented":
            error = bad.expected.error
            assert error is not None
            expect = Expectation("error", error=error)
            note = (
                f"invalid request ({bad.label}) must get documented error "
                f"{error.code or error.example}"
            )
        elif bad.kind in ("method", "auth"):
            # Nothing documented for this operation: HTTP itself says what these get (405,
            # 401), in whatever body the server's framework gives them.
            expect = Expectation("client_error")
            note = f"invalid request ({bad.label}) must get a client error (4xx)"
        else:
            # Another item documenting the same method and path may accept this very body:
            # then that item's documented responses are the ones to expect.
            twin = run.twin_accepting(op, bad.spec)
            if twin is not None:
                note = f"invalid ({bad.label}), valid for {twin.item_path}: must get its response"
                run.check(twin, bad.spec, Expectation("documented"), note, kind="fuzz_invalid")
                return
            expect = Expectation("rejection" if strict else "documented")
            note = f"invalid request ({bad.label}), inferred: must get a documented response" + (
                " that rejects it" if strict else ""
            )
        run.check(op, bad.spec, expect, note, kind="fuzz_invalid")

    # Every documented change first, made from the documented example: a small budget of
    # random cases may never make the one change that provokes a documented error.
    for bad in documented_invalid_requests(op, contracts=run.contracts, variables=run.variables):
        check_invalid(bad)

    @_settings(run)
    @seed(run.settings.seed)
    @given(invalid_requests(op, contracts=run.contracts, variables=run.variables))
    def invalid(bad: InvalidRequest) -> None:
        check_invalid(bad)

    invalid()
