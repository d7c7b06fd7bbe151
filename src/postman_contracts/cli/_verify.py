"""``postman-contracts verify``: every contract check, as a pytest run, with a summary table.

Why it exists: it is the main job. With no arguments it checks the bundled Zoho CRM
collection against the embedded mock on a free loopback port (strict semantics on, since the
mock implements them); with ``--base-url`` it checks a user's server. It runs the plugin
through ``pytest.main`` in an empty directory with an empty ini file, so the user's own test
configuration cannot change what runs, and reads the per-operation figures back for the table.
"""

from __future__ import annotations

import importlib.util
import signal
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import pytest

from postman_contracts.server import Stats

__all__ = ["bundled_collection", "run_verify"]


def bundled_collection() -> Path:
    """The bundled Zoho CRM collection: packaged with the wheel, or in a source checkout."""
    packaged = resources.files("postman_contracts") / "_data" / "zoho-crm.postman_collection.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "collection" / "zoho-crm.postman_collection.json"


@dataclass
class _Summary:
    """A plugin object that tallies outcomes per operation."""

    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    #: operations whose credentials this tool cannot make, and why (their tests are skipped)
    unsigned: dict[str, str] = field(default_factory=dict)
    terminated: bool = False
    workers: Stats = field(default_factory=Stats)  # figures handed over by xdist workers

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        self.terminated = isinstance(excinfo.value, _Terminated)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            kind, op = _test_of(report.nodeid)
            if op:
                self.outcomes.setdefault(op, Counter())[f"{kind}:{report.outcome}"] += 1

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """An xdist worker is done: add what it sent and saw (``verify -n``)."""
        from postman_contracts.plugin import STATS_OUTPUT

        plain = getattr(node, "workeroutput", {}).get(STATS_OUTPUT)
        if plain:
            self.workers.merge(plain)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from postman_contracts.plugin import RUN_KEY

        if RUN_KEY in session.config.stash:
            run = session.config.stash[RUN_KEY]
            self.workers.merge(run.stats.to_plain())
            self.stats = self.workers
            self.names = {op.id: op.item_path for op in run.contracts.operations}
            self.unsigned = {
                op.id: op.request.auth.unsigned
                for op in run.contracts.operations
                if op.request.auth.unsigned
            }


def _test_of(nodeid: str) -> tuple[str, str]:
    """``(kind, operation id)`` of a generated test's node id (``PATH::OP::test_kind[...]``;
    operation ids hold no ``::`` nor ``[``), or ``("", "")``."""
    parts = nodeid.partition("[")[0].split("::")
    if len(parts) == 3 and parts[2].startswith("test_"):
        return parts[2], parts[1]
    return "", ""


#: The exit status of a run stopped by SIGTERM, as a shell reports a process it killed.
EXIT_TERMINATED = 128 + signal.SIGTERM


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is: pytest stops the session as on Ctrl-C (tests
    torn down, the report finished) and every ``with``/``finally`` on the way out runs."""


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`_Terminated` (only the main thread can set a
    handler; elsewhere nothing changes). The previous handler is restored on the way out.

    Why: by default SIGTERM ends the process at once, leaving the temporary directory of the
    run (and a mock server's socket) behind; CI runners and ``timeout`` send it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise _Terminated(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _table(summary: _Summary) -> str:
    rows = [["OPERATION", "EXAMPLES", "COVERAGE", "FUZZ CASES", "ERRORS SEEN", "RESULT"]]
    for op_id in summary.names:
        o = summary.outcomes.get(op_id, Counter())
        sent = summary.stats.get(op_id, {}).get("sent", Counter())
        codes = summary.stats.get(op_id, {}).get("codes", Counter())
        replayed = o["test_example:passed"] + o["test_example:failed"]
        skipped = o["test_example:skipped"]
        failed = sum(n for k, n in o.items() if k.endswith(":failed"))
        fuzz = sent["fuzz_valid"] + sent["fuzz_invalid"]
        rows.append(
            [
                op_id,
                f"{replayed}" + (f" (+{skipped} skipped)" if skipped else ""),
                str(sent["coverage"]),
                str(fuzz),
                " ".join(f"{c}x{n}" for c, n in sorted(codes.items())) or "-",
                "FAIL" if failed else "not checked" if op_id in summary.unsigned else "pass",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines += [f"not checked: {op_id}: {why}" for op_id, why in summary.unsigned.items()]
    return "\n".join(lines)


def run_verify(
    collection: str | None,
    *,
    base_url: str | None,
    max_examples: int,
    junitxml: str | None,
    env: str | None,
    variables: dict[str, str],
    seed: int | None,
    out: TextIO,
    hosts: dict[str, str] | None = None,
    budget: int = 0,
    workers: int = 0,
    phases: str | None = None,
) -> int:
    """Run every check (the ``phases`` of generated requests: default all); return 0 when
    all pass, 1 on violations, 2 on bad input, 143 when stopped by SIGTERM (after removing
    the run's temporary directory).

    ``budget`` bounds the generated requests of the whole run (``--contracts-budget``);
    ``workers`` runs the tests in that many pytest-xdist processes.

    Raises:
        PostmanContractsError: bad input, found before the first request (a host or a
            ``{{variable}}`` nothing gives a value).
    """
    if workers and importlib.util.find_spec("xdist") is None:
        out.write("verify: -n needs pytest-xdist: pip install 'postman-contracts[parallel]'\n")
        return 2
    summary = _Summary()
    extra = ["--contracts-budget", str(budget)] + (["-n", str(workers)] if workers else [])
    try:
        with _sigterm_interrupts():
            code = _run(
                collection,
                base_url,
                max_examples,
                junitxml,
                env,
                variables,
                seed,
                out,
                summary,
                hosts or {},
                extra,
                phases,
            )
    except _Terminated:
        out.write("\nverify: stopped by SIGTERM\n")
        return EXIT_TERMINATED
    if code == _TERMINATED:
        out.write("\nverify: stopped by SIGTERM\n")
        return EXIT_TERMINATED
    if summary.names:
        out.write("\n" + _table(summary) + "\n")
    if code == pytest.ExitCode.OK:
        return 0
    if code == pytest.ExitCode.TESTS_FAILED:
        return 1
    return 2


_TERMINATED = -1


def _run(
    collection: str | None,
    base_url: str | None,
    max_examples: int,
    junitxml: str | None,
    env: str | None,
    variables: dict[str, str],
    seed: int | None,
    out: TextIO,
    summary: _Summary,
    hosts: dict[str, str],
    extra: list[str],
    phases: str | None,
) -> int:
    """The pytest run of ``verify`` in a temporary directory, against the mock by default;
    its exit code, or ``_TERMINATED`` when pytest was interrupted by SIGTERM."""
    from postman_contracts.collection import load_environment
    from postman_contracts.contracts import EVERY_HOST, open_contracts
    from postman_contracts.mock import MockServer
    from postman_contracts.server import resolve_targets, run_variables

    path = collection or str(bundled_collection())
    environment = load_environment(env) if env else ()
    contracts = open_contracts(path, environment=environment, variables=variables)
    # every host and variable settled before the first request: bad input, exit 2
    values = run_variables(contracts, environment, variables)
    mock = None
    if base_url is None:  # the embedded default: the mock, which serves every host
        hosts = {EVERY_HOST: "", **hosts}
        resolve_targets(contracts, values, "http://mock.invalid", hosts, path)
        mock = MockServer(contracts).start()
        base_url = mock.url
        hosts = {k: v or base_url for k, v in hosts.items()}
        out.write(f"checking {path} against the embedded mock at {base_url}\n")
    else:
        resolve_targets(contracts, values, base_url, hosts, path)
    del contracts
    try:
        with tempfile.TemporaryDirectory(prefix="postman-contracts-verify-") as tmp:
            ini = Path(tmp) / "pytest.ini"
            ini.write_text("[pytest]\n", encoding="utf-8")
            args = [
                tmp,
                "-c",
                str(ini),
                "--rootdir",
                tmp,
                "-q",
                "-p",
                "no:cacheprovider",
                "-W",
                "ignore::pytest.PytestAssertRewriteWarning",
                "--contracts",
                path,
                "--contracts-base-url",
                base_url,
                "--contracts-max-examples",
                str(max_examples),
                *extra,
            ]
            if mock is not None:
                args.append("--contracts-strict")
            if env:
                args += ["--contracts-env", env]
            for key, value in variables.items():
                args += ["--contracts-var", f"{key}={value}"]
            for name, url in hosts.items():
                args += ["--contracts-host", f"{name}={url}"]
            if seed is not None:
                args += ["--contracts-seed", str(seed)]
            if phases is not None:
                args += ["--contracts-phases", phases]
            if junitxml:
                args += ["--junitxml", str(Path(junitxml).absolute())]
            code = pytest.main(args, plugins=[summary])
            if code == pytest.ExitCode.INTERRUPTED and summary.terminated:
                return _TERMINATED
            return int(code)
    finally:
        if mock is not None:
            mock.close()
