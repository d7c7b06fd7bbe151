"""The ``postman-contracts`` command line.

Why it exists: the surfaces users script against. ``main(argv)`` returns an exit code (0 ok,
1 a check failed, 2 bad input or usage) and never lets a user mistake become a traceback:
every :class:`~postman_contracts.PostmanContractsError` becomes one line on stderr. Output
streams are injectable so tests call ``main`` directly.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from postman_contracts._errors import PostmanContractsError
from postman_contracts.collection import (
    Collection,
    Operation,
    Redactor,
    collector_paused,
    load_collection,
)
from postman_contracts.contracts import (
    FAIL_ON,
    EvidencePolicy,
    InferenceOptions,
    build_contracts,
    check_tree,
    diff_contracts,
    dump_json,
    fails,
    file_errors,
    open_contracts,
    render_diff_json,
    render_diff_markdown,
    render_diff_text,
    stream_contracts,
    to_openapi,
    write_contracts,
    write_file_atomic,
)

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake raises instead of exiting, so ``main`` returns 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


def _var(text: str) -> tuple[str, str]:
    key, eq, value = text.partition("=")
    if not eq or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


#: ``verify``'s default budget of generated requests: a collection of up to 400 operations
#: (800 fuzz tests) is fuzzed at the full 25 requests per test; a larger one shares this many,
#: so that checking 2,000 operations stays a matter of minutes, not a quarter of an hour.
DEFAULT_BUDGET = 20_000


def _count(text: str) -> int:
    """A whole number, 0 or more."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {text!r}")
    return number


def _phases(text: str) -> str:
    """``--phases``: known phases, comma-separated (``coverage,fuzz``)."""
    from postman_contracts.server import PHASES

    given = [p.strip() for p in text.split(",") if p.strip()]
    unknown = sorted(set(given) - set(PHASES))
    if not given or unknown:
        raise argparse.ArgumentTypeError(f"expected some of {','.join(PHASES)}, got {text!r}")
    return ",".join(given)


def _add_collection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--env", metavar="FILE", help="a Postman environment file")
    p.add_argument(
        "--var",
        metavar="K=V",
        action="append",
        type=_var,
        default=[],
        help="set a variable (wins over the collection and the environment); repeatable",
    )


def _parser() -> _Parser:
    parser = _Parser(
        prog="postman-contracts",
        description="Contracts, schemas and tests from Postman collections.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    inspect = sub.add_parser("inspect", help="list a collection's operations and examples")
    inspect.add_argument("collection", metavar="COLLECTION")
    _add_collection_options(inspect)
    inspect.add_argument("--format", choices=("table", "json"), default="table")

    gen = sub.add_parser(
        "generate", help="write contracts (schemas, error catalog) for a collection"
    )
    gen.add_argument("collection", metavar="COLLECTION")
    gen.add_argument("-o", "--output", required=True, metavar="DIR", help="the contracts directory")
    _add_collection_options(gen)
    gen.add_argument(
        "--strictness",
        choices=("lenient", "strict"),
        default=None,
        help="strict closes objects (additionalProperties: false); default lenient",
    )
    gen.add_argument(
        "--required",
        choices=("observed", "all", "none"),
        default=None,
        help="which keys are required; default observed (present in every example)",
    )
    for flag, what in (
        ("--min-seen", "values a position needs before its keys are required and null refused"),
        ("--min-distinct", "distinct values a format or digit pattern needs to be asserted"),
        ("--enum-min-seen", "values an enum needs to be asserted (and two distinct ones)"),
    ):
        gen.add_argument(
            flag, type=int, default=None, metavar="N", help=what + " (evidence policy)"
        )
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and show what differs if DIR is stale",
    )

    diff = sub.add_parser(
        "diff",
        help="what changed between two versions, and whom it breaks",
        description="OLD and NEW are each a collection file or a contracts directory.",
    )
    diff.add_argument("old", metavar="OLD", help="a collection file or contracts directory")
    diff.add_argument("new", metavar="NEW", help="a collection file or contracts directory")
    diff.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="markdown: a pull-request comment",
    )
    diff.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="clients",
        help="exit 1 when a change breaks existing clients (default), servers, either, or never",
    )

    openapi = sub.add_parser("openapi", help="export a collection's contracts as OpenAPI 3.1")
    openapi.add_argument("collection", metavar="COLLECTION")
    openapi.add_argument("-o", "--output", required=True, metavar="FILE")
    _add_collection_options(openapi)

    verify = sub.add_parser(
        "verify", help="check a server (default: the embedded mock) against a collection"
    )
    verify.add_argument(
        "collection",
        metavar="COLLECTION",
        nargs="?",
        help="a collection or contracts directory (default: the bundled Zoho CRM collection)",
    )
    verify.add_argument(
        "--base-url", metavar="URL", help="the server to check (default: start the embedded mock)"
    )
    verify.add_argument(
        "--max-examples", type=int, default=25, metavar="N", help="generated requests per fuzz test"
    )
    verify.add_argument(
        "--budget",
        type=_count,
        default=DEFAULT_BUDGET,
        metavar="N",
        help="generated requests in all, shared evenly by the fuzz tests, each at most "
        f"--max-examples (default {DEFAULT_BUDGET:,}; 0: no limit)",
    )
    verify.add_argument(
        "-n",
        "--workers",
        type=_count,
        default=0,
        metavar="N",
        help="run the tests in N processes (needs pytest-xdist; default 0: this process)",
    )
    verify.add_argument("--seed", type=int, default=None, help="the Hypothesis seed")
    verify.add_argument(
        "--phases",
        type=_phases,
        default=None,
        metavar="coverage,fuzz",
        help="the phases of generated requests, in this order: coverage (one request per rule "
        "the contract asserts, the same on every run), fuzz (random); default both",
    )
    verify.add_argument("--junitxml", metavar="FILE", help="also write a JUnit XML report")
    verify.add_argument(
        "--host-url",
        metavar="NAME=URL",
        action="append",
        type=_var,
        default=[],
        help="the base URL of another host, NAME its variable or the host as written, "
        "* every other host; repeatable (default: the variable's value, or the host itself)",
    )
    _add_collection_options(verify)

    mock = sub.add_parser("mock", help="serve a mock of the collection's documented behaviour")
    mock.add_argument(
        "collection",
        metavar="COLLECTION",
        nargs="?",
        help="a collection or contracts directory (default: the bundled Zoho CRM collection)",
    )
    mock.add_argument("--host", default="127.0.0.1")
    mock.add_argument("--port", type=int, default=0, help="0 picks a free port")
    mock.add_argument(
        "--max-body",
        type=int,
        default=1024 * 1024,
        metavar="BYTES",
        help="largest request body read",
    )
    _add_collection_options(mock)
    return parser


def _load(args: argparse.Namespace) -> Collection:
    return load_collection(args.collection, environment=args.env, variables=dict(args.var))


def _status_summary(op: Operation) -> str:
    if not op.examples:
        return "0"
    counts = Counter(e.status for e in op.examples)
    parts = [
        f"{status if status is not None else '?'}" + (f"x{n}" if n > 1 else "")
        for status, n in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    return f"{len(op.examples)}: {' '.join(parts)}"


def _operation_json(op: Operation) -> dict[str, object]:
    return {
        "id": op.id,
        "name": op.name,
        "folder": list(op.folder),
        "method": op.method,
        "url": op.request.url.template,
        "auth": op.auth.type if op.auth else "noauth",
        "body_mode": op.request.body.mode if op.request.body else "none",
        "examples": [{"name": e.name, "status": e.status} for e in op.examples],
    }


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _inspect(args: argparse.Namespace, out: TextIO) -> int:
    collection = _load(args)
    redact = Redactor(collection.secrets)
    if args.format == "json":
        doc = {
            "collection": collection.name,
            "operations": [_operation_json(op) for op in collection.operations],
        }
        out.write(redact(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n")
        return EXIT_OK
    rows = [["ID", "METHOD", "URL", "AUTH", "BODY", "EXAMPLES"]]
    for op in collection.operations:
        j = _operation_json(op)
        rows.append(
            [
                op.id,
                op.method,
                op.request.url.template,
                str(j["auth"]),
                str(j["body_mode"]),
                _status_summary(op),
            ]
        )
    examples = sum(len(op.examples) for op in collection.operations)
    out.write(redact(_table(rows)) + "\n")
    out.write(
        f"\n{collection.name}: {len(collection.operations)} operations, {examples} examples\n"
    )
    for warning in collection.warnings:
        out.write(redact(f"warning: {warning}") + "\n")
    return EXIT_OK


def _options(args: argparse.Namespace) -> InferenceOptions:
    stored: dict[str, Any] = {}
    index = Path(args.output) / "index.json"
    if index.is_file():  # regenerate the way the committed contracts were generated
        with contextlib.suppress(ValueError, OSError):
            stored = json.loads(index.read_text(encoding="utf-8")).get("options") or {}
    required = getattr(args, "required", None) or stored.get("required", "observed")
    strictness = getattr(args, "strictness", None) or stored.get("strictness", "lenient")
    evidence = dict(stored.get("evidence") or {})
    for name in ("min_seen", "min_distinct", "enum_min_seen"):
        value = getattr(args, name, None)
        if value is not None:
            evidence[name] = value
    # InferenceOptions validates them and raises InvalidArgument for a bad stored value.
    return InferenceOptions(
        required=required, strictness=strictness, policy=EvidencePolicy.from_json(evidence)
    )


def _generate(args: argparse.Namespace, out: TextIO) -> int:
    collection = _load(args)
    directory = Path(args.output)
    # One operation's contracts at a time: a large collection's would not fit beside it.
    header, operations = stream_contracts(collection, _options(args))
    if args.check:
        report = check_tree(header, directory, operations=operations)
        if report:
            out.write(
                f"{directory} is stale; regenerate it with:\n"
                f"  postman-contracts generate {args.collection} -o {args.output}\n\n"
            )
            out.write("\n".join(report) + "\n")
            return EXIT_FAILED
        out.write(f"{directory} is up to date ({len(collection.operations)} operations)\n")
        return EXIT_OK
    files = write_contracts(header, directory, operations=operations)
    out.write(
        f"wrote {len(files)} files for {len(collection.operations)} operations to {directory}\n"
    )
    return EXIT_OK


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    changes = diff_contracts(open_contracts(args.old), open_contracts(args.new))
    if args.format == "json":
        doc = render_diff_json(changes, args.fail_on)
        out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        out.write(render_diff_markdown(changes, args.fail_on))
    else:
        out.write(render_diff_text(changes, args.fail_on))
    failed = args.fail_on != "none" and any(fails(c, args.fail_on) for c in changes)
    return EXIT_FAILED if failed else EXIT_OK


def _openapi(args: argparse.Namespace, out: TextIO) -> int:
    collection = _load(args)
    doc = to_openapi(build_contracts(collection), servers=collection.values)
    with file_errors(Path(args.output), "write the OpenAPI file"):
        write_file_atomic(Path(args.output), dump_json(doc))
    out.write(f"wrote OpenAPI 3.1 for {len(collection.operations)} operations to {args.output}\n")
    return EXIT_OK


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from postman_contracts.cli._verify import run_verify

    return run_verify(
        args.collection,
        base_url=args.base_url,
        max_examples=args.max_examples,
        budget=args.budget,
        workers=args.workers,
        junitxml=args.junitxml,
        env=args.env,
        variables=dict(args.var),
        seed=args.seed,
        out=out,
        phases=args.phases,
        hosts=dict(args.host_url),
    )


def _mock(args: argparse.Namespace, out: TextIO) -> int:
    from postman_contracts.cli._verify import bundled_collection
    from postman_contracts.mock import MockApp, serve

    contracts = open_contracts(
        args.collection or bundled_collection(), environment=args.env, variables=dict(args.var)
    )
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    server = serve(MockApp(contracts, max_body=args.max_body), args.host, args.port)
    host, port = server.server_address[:2]
    out.write(f"serving a mock of {contracts.name} on http://{host!s}:{port} (Ctrl-C to stop)\n")
    out.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


_COMMANDS = {
    "inspect": _inspect,
    "generate": _generate,
    "diff": _diff,
    "openapi": _openapi,
    "verify": _verify,
    "mock": _mock,
}


#: The commands that build their model, write or print, and end: they run with the cyclic
#: collector paused throughout. Each of the loader's and the builder's own pauses otherwise
#: ends with the collector walking every object they made, all still alive: 6.5 s of 86 s
#: for 50,000 operations. Their objects are freed by reference counting as the command
#: returns, before the collector is back. ``verify`` (pytest's run) and ``mock`` (a server)
#: run long and keep the collector.
_BATCH = frozenset({"inspect", "generate", "diff", "openapi"})


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
        if args.command not in _BATCH:
            return _COMMANDS[args.command](args, out)
        with collector_paused():
            return _COMMANDS[args.command](args, out)
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    except PostmanContractsError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
