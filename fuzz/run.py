"""Fuzz the whole pipeline with hostile collections: load → build → generators → render.

Usage::

    python fuzz/run.py --seconds 600 [--seed 1] [--engine auto|atheris|hypothesis]

Each input is a collection file: a seed (the bundled collection and ../shared/corpus) mutated
by structure (values replaced by hostile ones, keys deleted, subtrees copied, bodies re-nested,
raw JSON tokens such as 5,000-digit numbers or 3,000-deep arrays) and sometimes by bytes
(truncated, a BOM, UTF-16, an invalid byte). It goes through ``load_collection`` →
``build_contracts`` → ``render`` and ``to_openapi`` → a few examples drawn from
``valid_requests`` and ``invalid_requests`` of the first operations. Any exception that is
not our own error type (``PostmanContractsError``, which ``InvalidArgument`` is) is a finding:
it is printed with the input and saved under tests/reliability/fuzz_regressions/, which a test
replays.

The engine is atheris (coverage-guided libFuzzer) when it imports, else Hypothesis; neither is a
runtime dependency of postman-contracts. The fuzzing runs in a child process that the parent
restarts after a crash, hang or out-of-memory, until the time is spent.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "tests" / "reliability" / "fuzz_regressions"
SEED_FILES = (
    ROOT / "collection" / "zoho-crm.postman_collection.json",
    *sorted((ROOT.parent / "shared" / "corpus").glob("*.postman_collection.json")),
)
#: One input may not take longer than this (seconds) before it counts as a hang.
HANG_SECONDS = 20
_MiB = 1024 * 1024


# -- the pipeline under test -----------------------------------------------------------------


def load_pipeline(*, examples: int = 2, operations: int = 3) -> Callable[[Path], None]:
    """The pipeline as one function of a collection file; our own errors propagate too.

    Imports happen here, not at module level, so that atheris can instrument them first.
    """
    from hypothesis import HealthCheck, Phase, given, settings

    from postman_contracts import PostmanContractsError
    from postman_contracts.collection import Limits, load_collection
    from postman_contracts.contracts import build_contracts, render, to_openapi
    from postman_contracts.generators import invalid_requests, valid_requests

    limits = Limits(max_file_bytes=16 * _MiB)
    quick = settings(
        max_examples=examples,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def draw(strategy: Any) -> None:
        @quick
        @given(strategy)
        def probe(value: Any) -> None:
            del value

        probe()

    def run(path: Path) -> None:
        collection = load_collection(path, limits=limits)
        contracts = build_contracts(collection)
        render(contracts)
        to_openapi(contracts, servers=collection.values)
        for op in contracts.operations[:operations]:
            try:  # an operation that cannot be fuzzed says so; the next one may still be
                draw(valid_requests(op))
                draw(invalid_requests(op, contracts=contracts))
            except PostmanContractsError:
                continue

    return run


def is_ours(err: BaseException) -> bool:
    """Whether ``err`` is an error postman-contracts raises on purpose."""
    from postman_contracts import PostmanContractsError

    return isinstance(err, PostmanContractsError)


# -- mutations -------------------------------------------------------------------------------


class Chooser(Protocol):
    """Where the fuzzer's choices come from (atheris bytes or Hypothesis draws)."""

    def below(self, n: int) -> int:
        """A number in ``range(n)``; ``n >= 1``."""


class RandomChooser:
    """Choices from :class:`random.Random` (used to make seed inputs)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def below(self, n: int) -> int:
        """A number in ``range(n)``."""
        return self.rng.randrange(n)


_STRINGS = (
    "",
    " ",
    ".",
    "..",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "a/b",
    "CON",
    "con.txt",
    "NUL",
    "LPT1",
    "Leads",
    "leads",
    "LEADS",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "🚀" * 300,
    "x" * 300,
    "name. ",
    "name...",
    '<>:"\\|?*',
    "\u202e\u200b",
    "İ",
    "ς",
    "σ",
    "ß",
    "SS",
    "ǅ",
    "{{",
    "}}",
    "{{x}}",
    "{{x}}{{y}}",
    "{{ access-token }}",
    "{{}}",
    "{{api-domain}}/crm/v2/{{module}}/:id",
    '{"a": {{n}}, "b": [{{m}}]}',
    '{"a": 1 /* c */, // d\n"b": "{{x}}"}',
    "//",
    "/*",
    "*/",
    "[" * 64,
    '{"a":',
    "null",
    "1e999",
    "-0",
    "Bearer abc",
    "application/json",
    "text/html; charset=utf-8",
    "json",
    "GET",
    "COPY",
    "http://",
    "https://example.com/a?b=1&c&=d#e",
    ":id",
    "%2e%2e%2f",
    "\r\nX-Injected: 1",
    "raw",
    "formdata",
    "urlencoded",
    "graphql",
    "file",
    "none",
    "inherit",
    "noauth",
    "bearer",
    "apikey",
    "oauth2",
    "secret",
    "200",
    "abc",
)
# Raw JSON text that json.dumps cannot produce; spliced in for a marker string.
_RAW_TOKENS = (
    "1" + "0" * 5000,  # over Python's int-to-text limit
    "-" + "9" * 4400,
    "1e400",
    "NaN",
    "-Infinity",
    "[" * 3000 + "]" * 3000,
    '{"a":' * 1500 + "1" + "}" * 1500,
    "0.1e-99999",
    '"\\ud800"',
    '"\\u0000"',
)
_MARK = "\x01postman-contracts-fuzz-raw-"
_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    999,
    2**63,
    -(2**64),
    10**30,
    1.5,
    1e308,
    -1e-308,
    float("nan"),
    float("inf"),
    [],
    {},
    [None],
    {"": None},
    {"key": "{{x}}", "value": "{{x}}"},
    {"name": "n", "request": "http://example.com"},
    {"name": "f", "item": []},
    {"mode": "raw", "raw": '{"a": {{b}}}'},
    {"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]},
)
_NODE_CAP = 3000


def _nodes(doc: Any) -> list[tuple[Any, Any]]:
    """(container, key) of up to ``_NODE_CAP`` nodes, breadth-first."""
    out: list[tuple[Any, Any]] = []
    queue: deque[Any] = deque([doc])
    while queue and len(out) < _NODE_CAP:
        node = queue.popleft()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            out.append((node, key))
            child = node[key]
            if isinstance(child, (dict, list)):
                queue.append(child)
    return out


def _hostile(c: Chooser) -> Any:
    roll = c.below(4)
    if roll == 0:
        return _STRINGS[c.below(len(_STRINGS))]
    if roll == 1:
        return f"{_MARK}{c.below(len(_RAW_TOKENS))}"
    return copy.deepcopy(_VALUES[c.below(len(_VALUES))])


def _edit_string(text: str, c: Chooser) -> str:
    roll = c.below(6)
    other = _STRINGS[c.below(len(_STRINGS))]
    cut = c.below(len(text) + 1)
    if roll == 0:
        return text[:cut]
    if roll == 1:
        return text[:cut] + other + text[cut:]
    if roll == 2:
        return text.swapcase()
    if roll == 3:
        return text * 2
    if roll == 4:
        return _mutate_embedded_json(text, c)
    return other


def _mutate_embedded_json(text: str, c: Chooser) -> str:
    """A raw body that is JSON: mutate the JSON inside it and write it back."""
    try:
        inner = json.loads(text)
    except (ValueError, RecursionError):
        return text + "{{x}}"
    if not isinstance(inner, (dict, list)):
        return json.dumps([inner])
    mutate_document(inner, c, rounds=1 + c.below(3), embedded=False)
    return _splice(json.dumps(inner, ensure_ascii=c.below(2) == 0, allow_nan=True))


def mutate_document(doc: Any, c: Chooser, *, rounds: int, embedded: bool = True) -> None:
    """Apply ``rounds`` structural mutations to ``doc`` (a dict or list) in place."""
    for _ in range(rounds):
        nodes = _nodes(doc)
        if not nodes:
            return
        parent, key = nodes[c.below(len(nodes))]
        value = parent[key]
        op = c.below(8)
        if op == 0:
            parent[key] = _hostile(c)
        elif op == 1:
            del parent[key]
        elif op == 2 and isinstance(parent, list):
            parent.insert(c.below(len(parent) + 1), copy.deepcopy(value))
        elif op == 2:
            parent[_STRINGS[c.below(len(_STRINGS))]] = copy.deepcopy(value)
        elif op == 3:
            other_parent, other_key = nodes[c.below(len(nodes))]
            parent[key] = copy.deepcopy(other_parent[other_key])
        elif op == 4 and isinstance(value, str):
            parent[key] = _edit_string(value, c) if embedded or c.below(2) else value + "x"
        elif op == 5:
            parent[key] = [value] if c.below(2) else {"item": [value], "name": "f"}
        elif op == 6 and isinstance(value, (dict, list)):
            parent[key] = list(value.values()) if isinstance(value, dict) else {"0": value}
        else:
            parent[key] = _hostile(c)


def _pick(seeds: list[Any], c: Chooser) -> Any:
    """A copy of a seed, usually cut to a few items so that most inputs run quickly."""
    seed = seeds[c.below(len(seeds))]
    items = seed.get("item") if isinstance(seed, dict) else None
    if not isinstance(items, list) or c.below(8) == 0:
        return json.loads(json.dumps(seed))  # faster than copy.deepcopy for plain JSON
    start = c.below(len(items) or 1)
    doc = {k: v for k, v in seed.items() if k != "item"}
    doc["item"] = items[start : start + 1 + c.below(3)]
    return json.loads(json.dumps(doc))


def _splice(text: str) -> str:
    """Put the raw tokens where their marker strings are."""
    if "postman-contracts-fuzz-raw-" not in text:
        return text
    for i, token in enumerate(_RAW_TOKENS):
        text = text.replace(json.dumps(f"{_MARK}{i}"), token)  # json.dumps escapes \x01 always
    return text


def _serialise(doc: Any, c: Chooser) -> bytes:
    text = _splice(
        json.dumps(doc, ensure_ascii=c.below(2) == 0, allow_nan=True, indent=c.below(3) or None)
    )
    data = text.encode("utf-8", "surrogatepass")
    roll = c.below(16)
    if roll == 0:
        return data[: c.below(len(data) + 1)]
    if roll == 1:
        return b"\xef\xbb\xbf" + data
    if roll == 2:
        return text.encode("utf-16", "surrogatepass")
    if roll == 3:
        at = c.below(len(data) + 1)
        return data[:at] + bytes([0x80 + c.below(0x80)]) + data[at:]
    return data


def make_input(seeds: list[Any], c: Chooser) -> bytes:
    """One fuzz input: a seed, trimmed, mutated by structure, serialised, maybe mutated by bytes."""
    doc = _pick(seeds, c)
    mutate_document(doc, c, rounds=1 + c.below(6))
    return _serialise(doc, c)


def read_seeds() -> list[Any]:
    """The parsed seed collections."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in SEED_FILES if p.is_file()]


# -- findings --------------------------------------------------------------------------------


class Hang(Exception):
    """An input took longer than :data:`HANG_SECONDS`."""


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def finding_key(err: BaseException) -> str:
    """Type and innermost postman-contracts frame: the same bug gives the same key."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "postman_contracts" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(err).__name__}@{where}"


class Recorder:
    """Runs inputs through the pipeline; records and saves every new kind of finding."""

    def __init__(self, work: Path, save: bool) -> None:
        self.work = work
        self.save = save
        self.pipeline = load_pipeline()
        self.path = work / "input.postman_collection.json"
        self.findings_log = work / "findings.jsonl"
        self.seen: set[str] = set()
        self.runs = 0
        self.last_stats = time.monotonic()

    def __call__(self, data: bytes) -> None:
        self.runs += 1
        self.path.write_bytes(data)
        try:
            with _watchdog(HANG_SECONDS):
                self.pipeline(self.path)
        except Exception as err:  # noqa: BLE001 -- the fuzzer's boundary: classify everything
            if not is_ours(err):
                self._record(err, data)
        now = time.monotonic()
        if now - self.last_stats > 1:
            self.last_stats = now
            self.flush_stats()

    def flush_stats(self) -> None:
        """Write the run count for the parent process."""
        (self.work / f"stats-{os.getpid()}.json").write_text(json.dumps({"runs": self.runs}))

    def _record(self, err: BaseException, data: bytes) -> None:
        key = finding_key(err)
        if key in self.seen:
            return
        self.seen.add(key)
        name = f"{hashlib.sha256(data).hexdigest()[:12]}.json"
        if self.save:
            REGRESSIONS.mkdir(parents=True, exist_ok=True)
            (REGRESSIONS / name).write_bytes(data)
        tb = "".join(traceback.format_exception(type(err), err, err.__traceback__)[-12:])
        entry = {"key": key, "file": name, "error": repr(err)[:500], "traceback": tb}
        with self.findings_log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        print(f"\nFINDING {key}: {err!r:.300}\n  saved as {name}\n{tb}", file=sys.stderr)


# -- engines (each runs in the child process) -------------------------------------------------


def _atheris_worker(args: argparse.Namespace, work: Path) -> None:
    import atheris

    with atheris.instrument_imports(include=["postman_contracts"]):
        import postman_contracts.collection
        import postman_contracts.contracts
        import postman_contracts.generators  # noqa: F401 -- instrumented on import

    recorder = Recorder(work, save=not args.no_save)
    seeds = read_seeds()
    small = [p for p in SEED_FILES if p.is_file() and p.stat().st_size < 100_000]

    def one_input(data: bytes) -> None:
        if data[:1] == b"\x00":  # raw mode: libFuzzer's own byte mutations of a whole file
            recorder(data[1:])
            return
        fdp = atheris.FuzzedDataProvider(data)

        class _Fdp:
            def below(self, n: int) -> int:
                return int(fdp.ConsumeIntInRange(0, n - 1))

        recorder(make_input(seeds, _Fdp()))

    corpus = work / "corpus"
    if not corpus.is_dir():
        corpus.mkdir()
        rng = random.Random(args.seed)
        for i, path in enumerate(small):
            (corpus / f"raw-{i}").write_bytes(b"\x00" + path.read_bytes())
        for i in range(64):
            (corpus / f"drive-{i}").write_bytes(bytes([1 + rng.randrange(255)]) + rng.randbytes(63))
    remaining = max(1, int(args.deadline - time.time()))
    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={remaining}",
        f"-seed={args.seed}",
        f"-timeout={HANG_SECONDS * 3}",
        "-rss_limit_mb=3072",
        "-max_len=131072",
        f"-artifact_prefix={work}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(argv, one_input)
    try:
        atheris.Fuzz()
    finally:
        recorder.flush_stats()


def _hypothesis_worker(args: argparse.Namespace, work: Path) -> None:
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    recorder = Recorder(work, save=not args.no_save)
    seeds = read_seeds()

    class _Draws:
        def __init__(self, data: Any) -> None:
            self.data = data

        def below(self, n: int) -> int:
            return int(self.data.draw(st.integers(0, n - 1)))

    batch = 0
    while time.time() < args.deadline:
        batch += 1

        @settings(
            max_examples=50,  # small batches, so that the run ends near its deadline
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def one(data: Any) -> None:
            recorder(make_input(seeds, _Draws(data)))

        seed(args.seed * 1_000_003 + batch)(one)()
    recorder.flush_stats()


def _worker(args: argparse.Namespace) -> int:
    work = Path(args.work)
    if args.engine == "atheris":
        _atheris_worker(args, work)
    else:
        _hypothesis_worker(args, work)
    return 0


# -- the parent: runs workers until the time is spent, then reports ------------------------------


def _engine(choice: str) -> str:
    if choice != "auto":
        return choice
    try:
        import atheris  # noqa: F401
    except ImportError:
        return "hypothesis"
    return "atheris"


def _report(work: Path, engine: str, started: float, restarts: int) -> int:
    runs = sum(
        json.loads(p.read_text()).get("runs", 0)
        for p in work.glob("stats-*.json")
        if p.stat().st_size
    )
    findings = []
    log = work / "findings.jsonl"
    if log.is_file():
        findings = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    crashes = sorted(
        p.name for p in work.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-"))
    )
    unique = {f["key"]: f for f in findings}
    print(
        f"\nfuzz: engine {engine}, {runs:,} executions in {time.time() - started:.0f} s, "
        f"{len(unique)} findings, {restarts} worker restarts"
        + (f", libFuzzer artifacts: {', '.join(crashes)}" if crashes else "")
    )
    for key, f in unique.items():
        print(f"  {key}: {f['error'][:200]} -> {f['file']}")
    return 1 if unique or crashes else 0


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer for ``--seconds``; exit 1 when it found anything."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--work", help="a directory for the corpus and findings (default: temp)")
    parser.add_argument("--no-save", action="store_true", help="do not write regression files")
    parser.add_argument("--_worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._worker:
        return _worker(args)
    engine = _engine(args.engine)
    started = time.time()
    deadline = started + args.seconds
    with contextlib.ExitStack() as stack:
        work = (
            Path(args.work)
            if args.work
            else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        )
        work.mkdir(parents=True, exist_ok=True)
        restarts = -1
        while time.time() < deadline - 1:
            restarts += 1
            cmd = [
                sys.executable,
                __file__,
                "--_worker",
                f"--engine={engine}",
                f"--work={work}",
                f"--seed={args.seed + restarts}",
                f"--deadline={deadline}",
                *(["--no-save"] if args.no_save else []),
            ]
            # libFuzzer's own output is noisy; keep it in a file, findings go to stderr as well.
            with (work / f"worker-{restarts}.log").open("wb") as log:
                proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False)
            if proc.returncode != 0:
                tail = (work / f"worker-{restarts}.log").read_text(errors="replace")[-3000:]
                print(f"worker exited with {proc.returncode}; its last output:\n{tail}")
        return _report(work, engine, started, max(restarts, 0))


if __name__ == "__main__":
    raise SystemExit(main())
