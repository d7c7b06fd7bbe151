"""The coverage phase: one request per rule an operation's contract asserts, before any draw.

Why it exists: random fuzzing catches a fault on the run whose seed makes the one change that
provokes it and misses it on the next, and in CI a failure that comes and goes is retried
away (issue 17). So each operation first gets the same requests on every run and machine
(:func:`~postman_contracts.generators.coverage_cases`: each documented trigger, each field's
wrong type, missing, null, out-of-enum and bound values, the valid request with optional
fields omitted and all present). Each is sent and judged by the fuzz's one policy
(:func:`~postman_contracts.server._fuzz.check_labelled`), and every failing case of the
operation is reported together: one run shows every rule the server breaks.
"""

from __future__ import annotations

from postman_contracts.checking import Violations
from postman_contracts.generators import CoverageCase, coverage_cases
from postman_contracts.server._cases import Case
from postman_contracts.server._fuzz import Sender, check_labelled
from postman_contracts.server._http import TransportError

__all__ = ["coverage", "selected_cases"]

#: Which ``--contracts-checks`` entry a case kind belongs to (any other: ``invalid``).
_CHECK_OF = {"valid": "fuzz", "method": "method", "auth": "auth"}


def selected_cases(run: Sender, case: Case) -> list[CoverageCase]:
    """The coverage cases of ``case``'s operation that ``--contracts-checks`` selects."""
    found = coverage_cases(
        case.operation, run.contracts, strict=run.settings.strict, variables=run.variables
    )
    return [c for c in found if _CHECK_OF.get(c.kind, "invalid") in run.settings.checks]


def coverage(run: Sender, case: Case) -> int:
    """Send every selected coverage case of ``case``'s operation; raise one
    :class:`Violations` naming each that failed (the server unreachable: at the first).
    Returns how many cases were sent."""
    op = case.operation
    cases = selected_cases(run, case)
    failures: list[Violations] = []
    for c in cases:
        try:
            check_labelled(run, op, c, kind="coverage")
        except Violations as err:
            failures.append(err)
            if any(isinstance(v, TransportError) for v in err.violations):
                break  # no answer: the next requests would wait as long for none
    if failures:
        head = (
            f"{len(failures)} of {len(cases)} coverage requests failed "
            "(the same requests on every run)"
        )
        text = "\n\n".join([head, *(str(f) for f in failures)])
        violations = [v for f in failures for v in f.violations]
        raise Violations(violations, failures[0].exchange, text=text)
    return len(cases)
