"""Every input the fuzzer (fuzz/run.py) ever found goes through the pipeline again.

Each file under fuzz_regressions/ once raised something other than our own error type. Now it
must either go through load → build → render → generators, or be refused with a
``PostmanContractsError`` (which the CLI shows as one line and exit 2).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from postman_contracts import PostmanContractsError
from tests.paths import ROOT

REGRESSIONS = Path(__file__).parent / "fuzz_regressions"
FILES = sorted(REGRESSIONS.glob("*.json"))


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "postman_contracts_fuzz", ROOT / "fuzz" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pipeline() -> Callable[[Path], None]:
    """The fuzzer's own pipeline, so the replay checks exactly what the fuzzer checked."""
    run: Callable[[Path], None] = _harness().load_pipeline()
    return run


def test_the_fuzzer_saves_its_findings_where_this_test_reads_them() -> None:
    assert _harness().REGRESSIONS == REGRESSIONS
    assert FILES, "no regression inputs to replay"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_fuzz_finding_stays_fixed(pipeline: Callable[[Path], None], path: Path) -> None:
    try:
        pipeline(path)
    except PostmanContractsError as err:
        message = str(err)
    else:
        message = ""
    assert "\n" not in message, "our errors are one line"


def test_the_mutator_is_deterministic_and_makes_collections() -> None:
    import random

    fuzz = _harness()
    seeds = fuzz.read_seeds()
    assert len(seeds) == len(fuzz.SEED_FILES) >= 2
    first = [fuzz.make_input(seeds, fuzz.RandomChooser(random.Random(n))) for n in range(20)]
    again = [fuzz.make_input(seeds, fuzz.RandomChooser(random.Random(n))) for n in range(20)]
    assert first == again
    assert len(set(first)) == 20
