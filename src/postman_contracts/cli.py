"""The ``postman-contracts`` command line.

Why it exists: the surfaces users script against. ``main(argv)`` returns an exit code (0 ok,
1 a check failed, 2 bad input or usage) and never lets a user mistake become a traceback:
every :class:`~postman_contracts.PostmanContractsError` becomes one line on stderr. Output
streams are injectable so tests call ``main`` directly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from postman_contracts._errors import PostmanContractsError
from postman_contracts.collection import Collection, Operation, Redactor, load_collection

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


_COMMANDS = {"inspect": _inspect}


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
        return _COMMANDS[args.command](args, out)
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    except PostmanContractsError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
