"""``Settings.fuzz_examples``: how a budget of generated requests is shared by the fuzz tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from postman_contracts.server import Settings


def _settings(max_examples: int, budget: int) -> Settings:
    return Settings(
        path="c.json",
        base_url="http://127.0.0.1:1",
        env="",
        variables={},
        auth_env="",
        max_examples=max_examples,
        budget=budget,
        seed=1,
        timeout=1.0,
        checks=frozenset(),
        select=(),
        strict=False,
    )


def test_without_a_budget_every_fuzz_test_gets_max_examples() -> None:
    assert _settings(25, 0).fuzz_examples(4_000) == 25


def test_a_budget_is_shared_only_once_it_is_too_small_for_max_examples() -> None:
    assert _settings(25, 20_000).fuzz_examples(4) == 25  # the bundled collection: untouched
    assert _settings(25, 20_000).fuzz_examples(800) == 25  # 400 operations: just fits
    assert _settings(25, 20_000).fuzz_examples(4_000) == 5  # 2,000 operations: shared
    assert _settings(25, 10).fuzz_examples(4_000) == 1  # never none at all


@given(
    max_examples=st.integers(0, 500),
    budget=st.integers(0, 10**6),
    tests=st.integers(0, 10**5),
)
def test_the_share_stays_within_max_examples_and_the_budget(
    max_examples: int, budget: int, tests: int
) -> None:
    share = _settings(max_examples, budget).fuzz_examples(tests)
    assert share <= max_examples
    if budget and tests:
        # within the budget, unless the budget is below one request per test
        assert share * tests <= max(budget, tests * min(1, max_examples))
        # and no test is cut short while the budget would allow more
        assert share == max_examples or (share + 1) * tests > budget or share == 0
