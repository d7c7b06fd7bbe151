"""One conformance run: ``postman-contracts verify`` against a server, read back from JUnit XML.

Why it exists: the suite, the report and the fault measure all run the tool as users do, in
a subprocess, and need the same thing back: each test's outcome and, for a failure, its first
lines. ``run_plugin`` is the same through ``pytest -p postman_contracts`` for what ``verify``
cannot do (``--contracts-select``: one operation only).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tests.conformance.prism import SPECS

# name -> the vendor's definition, beside its two Postman conversions
SPEC_FILES = {
    "line-messaging": "openapi.yaml",
    "meilisearch": "openapi.json",
    "paystack": "openapi.yaml",
}
VARIANTS = ("default", "example")
MODES = ("static", "dynamic")
MAX_EXAMPLES = 10
SEED = 12


def spec_path(spec: str) -> Path:
    """The vendor's OpenAPI file of ``spec``."""
    return SPECS / spec / SPEC_FILES[spec]


def collection_path(spec: str, variant: str) -> Path:
    """The Postman conversion of ``spec`` (``default`` or ``example``)."""
    return SPECS / spec / f"collection.{variant}.json"


@dataclass
class Outcome:
    """The tests of one run: outcome per test id, and each failure's message."""

    outcomes: dict[str, str] = field(default_factory=dict)  # passed, failed, skipped, error
    messages: dict[str, str] = field(default_factory=dict)
    returncode: int = 0
    output: str = ""

    @property
    def failed(self) -> dict[str, str]:
        """Failing (or erroring) test id -> its message."""
        return {
            t: self.messages.get(t, "")
            for t, o in self.outcomes.items()
            if o in {"failed", "error"}
        }

    def count(self, outcome: str) -> int:
        """How many tests had ``outcome``."""
        return sum(1 for o in self.outcomes.values() if o == outcome)


def parse_junit(path: Path) -> dict[str, tuple[str, str]]:
    """Test id -> (outcome, failure message) from a pytest JUnit XML file."""
    out: dict[str, tuple[str, str]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for child in case:
            if child.tag in {"failure", "error", "skipped"}:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[child.tag]
                # the message attribute is cut after a few lines; the text is the whole report
                message = child.text or child.get("message") or ""
                break
        # pytest writes a node id PATH::OP::test_x[EXAMPLE] as classname "PATH.OP" (PATH with
        # dots for slashes) and name "test_x[EXAMPLE]"; the test id is "OP::test_x[EXAMPLE]".
        operation = case.get("classname", "").partition(".json.")[2]
        name = case.get("name", "")
        out[f"{operation}::{name}" if operation else name] = (outcome, message)
    return out


def _outcome(xml: Path, proc: subprocess.CompletedProcess[str]) -> Outcome:
    result = Outcome(returncode=proc.returncode, output=proc.stdout + proc.stderr)
    if xml.exists():
        for test, (outcome, message) in parse_junit(xml).items():
            result.outcomes[test] = outcome
            if message:
                result.messages[test] = message
    return result


def _tool() -> list[str]:
    """The ``postman-contracts`` command of this environment."""
    beside = Path(sys.executable).with_name("postman-contracts")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("postman-contracts")
    return [found] if found else [sys.executable, "-m", "postman_contracts.cli"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def variables(base_url: str) -> list[str]:
    """The collection variables every run sets: the server and a bearer token."""
    return [f"baseUrl={base_url}", "bearerToken=conformance"]


def run_verify(
    collection: Path,
    base_url: str,
    *,
    max_examples: int = MAX_EXAMPLES,
    seed: int = SEED,
    timeout: float = 900,
) -> Outcome:
    """``postman-contracts verify COLLECTION --base-url URL ...`` and its JUnit outcome."""
    with tempfile.TemporaryDirectory(prefix="conformance-") as tmp:
        xml = Path(tmp) / "junit.xml"
        argv = [*_tool(), "verify", str(collection), "--base-url", base_url]
        # Prism serves the whole definition, paths of other servers (LINE's api-data) too
        argv += ["--host-url", f"*={base_url}"]
        for pair in variables(base_url):
            argv += ["--var", pair]
        argv += ["--max-examples", str(max_examples), "--seed", str(seed), "--junitxml", str(xml)]
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, cwd=tmp, env=_env()
        )
        return _outcome(xml, proc)


def run_plugin(
    collection: Path,
    base_url: str,
    *,
    select: str,
    max_examples: int = MAX_EXAMPLES,
    seed: int = SEED,
    timeout: float = 600,
    strict: bool = False,
) -> Outcome:
    """The plugin's tests of the operations ``select`` (globs) keeps, as ``verify`` runs them.

    ``verify`` has no ``--select``; this is its pytest run (an empty ini, an empty rootdir)
    with ``--contracts-select`` added.
    """
    with tempfile.TemporaryDirectory(prefix="conformance-") as tmp:
        xml = Path(tmp) / "junit.xml"
        ini = Path(tmp) / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        argv = [sys.executable, "-m", "pytest", tmp, "-c", str(ini), "--rootdir", tmp, "-q"]
        argv += ["-p", "no:cacheprovider", "-p", "postman_contracts", "--contracts"]
        argv += [str(collection), "--contracts-base-url", base_url]
        argv += ["--contracts-host", f"*={base_url}"]  # as in run_verify
        for pair in variables(base_url):
            argv += ["--contracts-var", pair]
        argv += ["--contracts-max-examples", str(max_examples), "--contracts-seed", str(seed)]
        argv += ["--contracts-select", select, "--junitxml", str(xml)]
        argv += ["--contracts-strict"] if strict else []
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, cwd=tmp, env=_env()
        )
        return _outcome(xml, proc)


_KIND = re.compile(r"::(test_\w+)(?:\[|$)")


def check_of(test: str) -> str:
    """The check a test id belongs to: ``op::test_example[x]`` -> ``example``."""
    m = _KIND.search(test)
    return m.group(1).removeprefix("test_") if m else test


def operation_of(test: str) -> str:
    """The operation id inside a test id: ``op::test_example[x]`` -> ``op``."""
    return test.partition("::test_")[0]


def title_of(message: str) -> str:
    """A failure's title: the first ``- ...`` line of the house format, else its first line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("- "):
            return line[2:]
    return lines[0][:100] if lines else "(no message)"
