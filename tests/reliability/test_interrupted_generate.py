"""``generate`` killed with SIGKILL at random points leaves the previous contracts byte for byte,
or the new ones complete; never a mix, never a truncated file; ``overrides/`` never changes.

A fork server (imported once, then forking one child per run) keeps each run cheap, so the
kills can be many; the test kills the child with ``os.kill(pid, SIGKILL)`` after a random delay.
Both ways of swapping trees are covered: Linux's ``renameat2(RENAME_EXCHANGE)`` and the
two-rename fallback with its recovery step (which the next run, or any reader, performs).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from postman_contracts.cli import main
from postman_contracts.contracts._atomic import _exchange, recover
from tests.reliability.builders import collection, folder, request_item, tree, write

KILLS = 15  # per way of swapping: 30 kills in all

_FORK_SERVER = """
import json, os, sys
import postman_contracts.contracts._atomic as atomic
from postman_contracts.cli import main
if sys.argv[1] == "fallback":
    atomic._exchange = lambda a, b: False  # as on a platform without renameat2
devnull = os.open(os.devnull, os.O_WRONLY)
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os._exit(main(json.loads(line)))
    print(pid, flush=True)
    print(os.waitpid(pid, 0)[1], flush=True)
"""


class ForkServer:
    """Runs ``postman-contracts`` argument lists in forked children; reports pids and statuses."""

    def __init__(self, mode: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _FORK_SERVER, mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline() == "ready\n"  # imported: runs now time generate only

    def start(self, argv: list[str]) -> int:
        """Fork a child running ``argv``; return its pid."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(argv) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def wait(self) -> int:
        """The wait status of the last child."""
        assert self.proc.stdout is not None
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        """End the server (its stdin closes, it exits)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def _collection(version: int) -> dict[str, object]:
    """60 operations (181 files: writing them takes most of a run); version 2 changes every
    documented response."""
    return collection(
        [
            folder(
                f"Folder {f}",
                [
                    request_item(
                        f"op {i}",
                        path=f"/f{f}/{i}",
                        body={"id": i, "tags": ["a", "b"]},
                        response={"ok": True, "v": version, "data": [{"n": i, "s": "x" * 40}]},
                    )
                    for i in range(30)
                ],
            )
            for f in range(2)
        ]
    )


class Scenario:
    """The old and new collections, and the reference trees each must produce."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.old = write(root / "old.postman_collection.json", _collection(1))
        self.new = write(root / "new.postman_collection.json", _collection(2))
        self.out = root / "work" / "contracts"
        seeded = root / "reference-old"
        (seeded / "overrides").mkdir(parents=True)
        (seeded / "overrides" / "folder-0" / "op-0.json").parent.mkdir()
        (seeded / "overrides" / "folder-0" / "op-0.json").write_text(
            '{"request": {"title": "kept by hand"}}\n', encoding="utf-8"
        )
        assert main(["generate", str(self.old), "-o", str(seeded)]) == 0
        self.reference_old = tree(seeded)
        self.reference_new_dir = root / "reference-new"
        shutil.copytree(seeded, self.reference_new_dir)
        assert main(["generate", str(self.new), "-o", str(self.reference_new_dir)]) == 0
        self.reference_new = tree(self.reference_new_dir)
        assert self.reference_old != self.reference_new
        self.override = self.reference_old["overrides/folder-0/op-0.json"]
        assert self.reference_new["overrides/folder-0/op-0.json"] == self.override

    def reset(self) -> None:
        """Put the old contracts back (what an earlier kill left beside them stays, for the next
        run to clean up). Hard links are enough: generate writes a new tree and swaps it in,
        never into a file; the references to compare with are bytes in memory."""
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.copytree(self.root / "reference-old", self.out, copy_function=os.link)

    def state(self) -> str:
        """``old`` or ``new``; fails on anything else."""
        now = tree(self.out)
        assert now.get("overrides/folder-0/op-0.json") == self.override, "overrides/ changed"
        if now == self.reference_old:
            return "old"
        if now == self.reference_new:
            return "new"
        differing = sorted(
            p for p in set(now) | set(self.reference_new) if now.get(p) != self.reference_new.get(p)
        )
        differing_old = [p for p in differing if now.get(p) != self.reference_old.get(p)]
        raise AssertionError(f"a mix of old and new contracts: {differing_old[:10]}")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The references, made once."""
    return Scenario(tmp_path_factory.mktemp("interrupted"))


@pytest.fixture(params=["exchange", "fallback"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, ForkServer]]:
    """A fork server swapping trees with renameat2, or with the two-rename fallback."""
    s = ForkServer(request.param)
    yield request.param, s
    s.close()


def test_this_machine_swaps_trees_atomically(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "from-a").touch()
    assert _exchange(tmp_path / "a", tmp_path / "b"), "renameat2 unavailable: only the fallback"
    assert (tmp_path / "b" / "from-a").exists()


def test_generate_killed_at_random_points_leaves_old_or_new_contracts(
    scenario: Scenario, server: tuple[str, ForkServer]
) -> None:
    mode, forks = server
    argv = ["generate", str(scenario.new), "-o", str(scenario.out)]
    scenario.reset()
    started = time.monotonic()
    forks.start(argv)
    assert forks.wait() == 0
    full = time.monotonic() - started
    assert scenario.state() == "new"

    rng = random.Random(20240601 if mode == "exchange" else 7)
    states: list[str] = []
    for _ in range(KILLS):
        scenario.reset()
        pid = forks.start(argv)
        # Runs after a kill are slower (they first clean up what it left): aim past the end too.
        time.sleep(rng.uniform(0.0, 2 * full))
        with contextlib.suppress(ProcessLookupError):  # it had finished: a point too
            os.kill(pid, signal.SIGKILL)
        status = forks.wait()
        assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0
        if mode == "fallback":
            recover(scenario.out)  # what the next run, or any reader, does first
        states.append(scenario.state())

    assert set(states) <= {"old", "new"}
    assert len(states) == KILLS
    print(f"{mode}: full run {full:.2f}s, after the kills: {sorted(states)}")

    # The next complete run cleans up whatever the kills left beside the contracts.
    forks.start(argv)
    assert forks.wait() == 0
    assert scenario.state() == "new"
    assert sorted(os.listdir(scenario.out.parent)) == ["contracts"]
