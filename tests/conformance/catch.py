"""Whether the plugin catches a fault: the sample of operations, and tests newly failing.

Why it exists: the suite (``test_conformance.py``) and the report
(``bench/conformance_faults.py``) measure the same way. The sample for a fault kind is the
first ``k`` operations of the spec (sorted by path, then method) that the kind applies to and
that both Postman conversions contain, one per path, so no two faulty operations share a URL
and all of a kind's sample can be broken at once. An operation is caught when one of its
tests fails that passed against the same server without faults.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from tests.conformance.faults import Fault, plan
from tests.conformance.openapi import Spec, shape
from tests.conformance.runs import SEED, collection_path, operation_of, run_plugin, spec_path


@functools.cache
def definition(spec: str) -> Spec:
    """The vendor's definition of ``spec``, read once."""
    return Spec.load(spec_path(spec))


@functools.cache
def operation_ids(spec: str, variant: str) -> dict[tuple[str, str], str]:
    """(METHOD, path shape) -> the collection's operation id."""
    from postman_contracts.contracts import open_contracts

    variables = {"baseUrl": "http://127.0.0.1", "bearerToken": "conformance"}
    contracts = open_contracts(str(collection_path(spec, variant)), variables=variables)
    return {(op.request.method, shape(op.request.path)): op.id for op in contracts.operations}


def sample(spec: Spec, kind: str, ids: list[dict[tuple[str, str], str]], k: int) -> list[Fault]:
    """The first ``k`` operations (0: all) ``kind`` applies to, one per path, in every variant."""
    out: list[Fault] = []
    paths: set[str] = set()
    for op in spec.operations():
        key = (op.method, shape(op.path))
        if op.path in paths or not all(key in m for m in ids):
            continue
        fault = plan(spec, op, kind)
        if fault is not None:
            out.append(fault)
            paths.add(op.path)
            if k and len(out) == k:
                break
    return out


def plugin_outcomes(
    spec: str,
    variant: str,
    url: str,
    faults: list[Fault],
    ids: dict[tuple[str, str], str],
    *,
    strict: bool = False,
) -> dict[str, dict[str, str]]:
    """Operation id -> {test id: outcome}: the plugin's tests of the operations of ``faults``
    (with ``--contracts-strict`` when ``strict``)."""
    op_ids = sorted({ids[(f.method, shape(f.path))] for f in faults})
    outcome = run_plugin(
        collection_path(spec, variant), url, select=",".join(op_ids), seed=SEED, strict=strict
    )
    if not outcome.outcomes:
        raise RuntimeError(f"plugin run produced no report:\n{outcome.output[-3000:]}")
    per_op: dict[str, dict[str, str]] = defaultdict(dict)
    for test, result in outcome.outcomes.items():
        per_op[operation_of(test)][test] = result
    return per_op


def newly_failing(base: dict[str, str], now: dict[str, str]) -> list[str]:
    """Tests that passed in ``base`` and fail in ``now``."""
    return [t for t, o in now.items() if o in {"failed", "error"} and base.get(t) == "passed"]


def caught(
    faults: list[Fault],
    ids: dict[tuple[str, str], str],
    base: dict[str, dict[str, str]],
    now: dict[str, dict[str, str]],
) -> dict[Fault, list[str]]:
    """Per fault: the tests of its operation that passed in ``base`` and fail in ``now``."""
    out = {}
    for f in faults:
        op_id = ids[(f.method, shape(f.path))]
        out[f] = newly_failing(base.get(op_id, {}), now.get(op_id, {}))
    return out
