"""The diff as people and scripts read it: text, a pull-request comment, JSON; and the verdict.

Why it exists: a breaking-change check lives in pull requests. Each change must say where it
is in the reviewer's terms (the Postman item, the method and URL, the example, the JSON path,
before and after), the comment must lead with what blocks the merge, and the exit code must
follow one stated policy (``--fail-on``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from postman_contracts._errors import InvalidArgument
from postman_contracts.contracts._diff import BOTH, CLIENTS, SERVERS, Change

__all__ = ["FAIL_ON", "fails", "render_json", "render_markdown", "render_text"]

#: ``--fail-on`` choices: which changes fail the check.
FAIL_ON: Final = ("clients", "servers", "any", "none")
_SHOWN_ITEMS: Final = 3


def fails(change: Change, fail_on: str) -> bool:
    """Whether ``change`` fails a check run with ``--fail-on fail_on``."""
    if fail_on not in FAIL_ON:
        raise InvalidArgument(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if fail_on == "any":
        return bool(change.breaks)
    return fail_on in change.breaks


def _counts(changes: Sequence[Change]) -> dict[str, int]:
    return {
        "changes": len(changes),
        "breaking": sum(1 for c in changes if c.breaks),
        "clients": sum(1 for c in changes if CLIENTS in c.breaks),
        "servers": sum(1 for c in changes if SERVERS in c.breaks),
        "compatible": sum(1 for c in changes if not c.breaks),
    }


def _summary(changes: Sequence[Change], fail_on: str) -> str:
    n = _counts(changes)
    if not changes:
        return "0 changes, 0 breaking"
    failing = sum(1 for c in changes if fails(c, fail_on)) if fail_on != "none" else 0
    verdict = f"fails on {fail_on}" if failing else f"passes --fail-on {fail_on}"
    return (
        f"{n['changes']} change{'s' if n['changes'] > 1 else ''}, {n['breaking']} breaking "
        f"({n['clients']} for clients, "
        f"{n['servers']} for servers), {n['compatible']} compatible: {verdict}"
    )


def _shown(values: Iterable[str]) -> str:
    values = list(values)
    head = "; ".join(values[:_SHOWN_ITEMS])
    more = len(values) - _SHOWN_ITEMS
    return head + (f" (+{more} more)" if more > 0 else "")


def render_text(changes: Sequence[Change], fail_on: str) -> str:
    """Changes grouped by operation, each with its items and examples, then a summary."""
    lines: list[str] = []
    for op in dict.fromkeys(c.operation for c in changes):
        lines.append(op)
        for c in (c for c in changes if c.operation == op):
            lines.append(f"  {c.severity:<20} {c.where}: {c.message}")
            if c.items:
                lines.append(f"      items: {_shown(c.items)}")
            if c.examples:
                lines.append(f"      examples: {_shown(c.examples)}")
    lines.append(_summary(changes, fail_on))
    return "\n".join(lines) + "\n"


def render_json(changes: Sequence[Change], fail_on: str) -> dict[str, Any]:
    """``{"changes": [...], "summary": {...}, "breaking": N, "fail_on", "failed"}``."""
    return {
        "changes": [c.as_json() for c in changes],
        "summary": _counts(changes),
        "breaking": sum(1 for c in changes if c.breaks),
        "fail_on": fail_on,
        "failed": any(fails(c, fail_on) for c in changes) if fail_on != "none" else False,
    }


def _cell(text: Any) -> str:
    if text is None or text == "":
        return ""
    return "`" + str(text).replace("|", "\\|").replace("`", "'").replace("\n", " ") + "`"


def _plain(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_SECTIONS: Final = (
    ("Breaking for clients and servers", BOTH),
    ("Breaking for clients", frozenset({CLIENTS})),
    ("Breaking for servers", frozenset({SERVERS})),
)


def render_markdown(changes: Sequence[Change], fail_on: str) -> str:
    """A pull-request comment: a summary line, a table per severity, compatible ones folded."""
    n = _counts(changes)
    failing = [c for c in changes if fail_on != "none" and fails(c, fail_on)]
    head = "### API contract changes\n\n"
    if not changes:
        return head + "No API change.\n"
    verdict = (
        f"**{len(failing)} change(s) fail this check** (`--fail-on {fail_on}`)."
        if failing
        else f"Nothing fails this check (`--fail-on {fail_on}`)."
    )
    out = [
        head
        + f"{n['breaking']} breaking ({n['clients']} for clients, {n['servers']} for servers), "
        + f"{n['compatible']} compatible. {verdict}\n"
    ]
    for title, breaks in _SECTIONS:
        rows = [c for c in changes if c.breaks == breaks]
        if rows:
            out.append(_table(f"{title} ({len(rows)})", rows))
    compatible = [c for c in changes if not c.breaks]
    if compatible:
        body = "\n".join(
            f"- {_cell(c.operation)} {_plain(c.where)}: {_plain(c.message)}"
            + (f" ({_plain(_shown(c.items))})" if c.items and c.location.side != "item" else "")
            for c in compatible
        )
        out.append(
            f"<details><summary>Compatible ({len(compatible)}): renames, moves, "
            f"documentation only</summary>\n\n{body}\n\n</details>\n"
        )
    return "\n".join(out)


def _table(title: str, rows: Sequence[Change]) -> str:
    lines = [
        f"#### {title}\n",
        "| Operation | Where | Change | Before | After | Items (examples) |",
        "|---|---|---|---|---|---|",
    ]
    for c in rows:
        where = c.location.part
        path = f" {_cell(c.location.path)}" if c.location.path else ""
        shown = _plain(_shown(c.items))
        if c.examples:
            shown += f" ({_plain(_shown(c.examples))})"
        lines.append(
            f"| {_cell(c.operation)} | {_plain(where)}{path} | {_plain(c.message)} | "
            f"{_cell(c.before)} | {_cell(c.after)} | {shown} |"
        )
    return "\n".join(lines) + "\n"
