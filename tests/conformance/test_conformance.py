"""``verify`` on Postman's conversions of vendor OpenAPI definitions, against Prism serving them.

Not part of the default run (marker ``conformance``, deselected by ``addopts``); run it with
``pytest tests/conformance -m conformance``. Each case starts Prism on the vendor's definition
(static examples, or ``--dynamic`` with a fixed seed), runs ``postman-contracts verify`` on one
converted collection, and fails on any failure not listed in ``known_failures.json`` (a false
failure) and on any listed entry that no longer fails (a stale entry). Issue 12.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from tests.conformance.known import Entry, compare, describe, load_known
from tests.conformance.prism import Prism, find_prism, in_ci, missing_reason, prism_server
from tests.conformance.runs import (
    MODES,
    SPEC_FILES,
    VARIANTS,
    collection_path,
    run_verify,
    spec_path,
    title_of,
)

pytestmark = pytest.mark.conformance

RUNS = [(s, v, m) for s in SPEC_FILES for m in MODES for v in VARIANTS]


@pytest.fixture(scope="session")
def known() -> list[Entry]:
    return load_known()


@pytest.fixture(scope="session")
def prism_for() -> Iterator[Callable[[str, str], Prism]]:
    """``prism_for(spec, mode)``: one Prism at a time, kept while consecutive tests share it."""
    binary = find_prism()
    if binary is None:
        if in_ci():
            pytest.fail(f"CI=true: {missing_reason()}")
        pytest.skip(missing_reason())
    current: dict[tuple[str, str], Prism] = {}
    stack = ExitStack()

    def get(spec: str, mode: str) -> Prism:
        nonlocal stack
        if (spec, mode) not in current:
            stack.close()
            current.clear()
            stack = ExitStack()
            server = prism_server(spec_path(spec), dynamic=mode == "dynamic", binary=binary)
            current[(spec, mode)] = stack.enter_context(server)
        return current[(spec, mode)]

    try:
        yield get
    finally:
        stack.close()


@pytest.mark.parametrize(("spec", "variant", "mode"), RUNS, ids=["/".join(r) for r in RUNS])
def test_verify_raises_only_known_disagreements(
    spec: str, variant: str, mode: str, prism_for: Callable[[str, str], Prism], known: list[Entry]
) -> None:
    prism = prism_for(spec, mode)
    outcome = run_verify(collection_path(spec, variant), prism.url)
    assert outcome.outcomes, (
        f"verify produced no JUnit report (exit {outcome.returncode}):\n{outcome.output[-3000:]}"
    )
    failed = {test: title_of(message) for test, message in outcome.failed.items()}
    comparison = compare(f"{spec}/{variant}/{mode}", failed, known)
    assert comparison.clean, describe(comparison)
