"""Contract violations, and the one renderer every surface uses for them.

Why it exists: a violation is a *test failure*, not a crash, so it subclasses ``AssertionError``
(pytest shows it as a failed assertion; Hypothesis shrinks it). It keeps its parts as fields
(which check, the JSON path into the instance and into the schema, expected vs actual) so that
the plugin, the CLI and the mock all render it one way, and so that a dedup key tells
Hypothesis when two failures are the same failure. Secrets are redacted in rendering, always.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence

from postman_contracts.checking._exchange import Exchange
from postman_contracts.collection import CREDENTIAL_HEADERS, REDACTED, Redactor

__all__ = ["Violation", "Violations", "render_failure"]

_MAX_BODY = 1500


class Violation(AssertionError):
    """One way an exchange breaks its contract.

    Attributes:
        check: the check's name (``status_code``, ``response_schema``, ``error_code``...).
        title: one line saying what is wrong.
        message: the detail (may span lines).
        instance_path: where in the body, e.g. ``$.data[0].code`` (``""`` when not in a body).
        schema_path: where in the schema, e.g. ``#/properties/data/items/properties/code/enum``.
        expected: what the documentation says, short.
        actual: what happened, short.
    """

    def __init__(
        self,
        *,
        check: str,
        title: str,
        message: str = "",
        instance_path: str = "",
        schema_path: str = "",
        expected: str = "",
        actual: str = "",
    ) -> None:
        self.check = check
        self.title = title
        self.message = message
        self.instance_path = instance_path
        self.schema_path = schema_path
        self.expected = expected
        self.actual = actual
        super().__init__(f"{title}" + (f": {message}" if message else ""))

    @property
    def key(self) -> tuple[str, str, str]:
        """Same key, same failure: what Hypothesis and the report deduplicate on."""
        return (self.check, self.instance_path, self.schema_path)

    def details(self) -> list[str]:
        """The indented detail lines under the title."""
        lines = [line for line in self.message.splitlines() if line]
        if self.instance_path:
            lines.append(f"at {self.instance_path}")
        if self.schema_path:
            lines.append(f"schema: {self.schema_path}")
        if self.expected or self.actual:
            lines.append(f"expected {self.expected}, got {self.actual}")
        return lines


class Violations(AssertionError):
    """All the violations of one exchange, rendered together."""

    def __init__(self, violations: Sequence[Violation], exchange: Exchange, *, text: str) -> None:
        self.violations = tuple(violations)
        self.exchange = exchange
        super().__init__(text)

    @property
    def key(self) -> tuple[tuple[str, str, str], ...]:
        """The sorted keys of the violations: the same failure has the same key."""
        return tuple(sorted({v.key for v in self.violations}))


def _truncate(text: str, limit: int = _MAX_BODY) -> str:
    return (
        text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more characters)"
    )


def _body_text(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(body)} bytes, not UTF-8>"
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def _redact_headers(headers: Sequence[tuple[str, str]], redact: Redactor) -> list[tuple[str, str]]:
    return [(k, REDACTED if k.lower() in CREDENTIAL_HEADERS else redact(v)) for k, v in headers]


def curl(exchange: Exchange, redact: Redactor) -> str:
    """A curl command that sends the same request, credentials redacted."""
    req = exchange.request
    parts = ["curl", "-X", req.method]
    for k, v in _redact_headers(req.headers, redact):
        parts += ["-H", f"{k}: {v}"]
    if req.body:
        parts += ["--data-raw", redact(_truncate(req.body.decode("utf-8", "replace"), 4000))]
    parts.append(redact(req.url))
    return " ".join(shlex.quote(p) for p in parts)


def render_failure(
    violations: Sequence[Violation],
    exchange: Exchange,
    redact: Redactor,
    *,
    reproduce: str = "",
) -> str:
    """The house format: request line, ``- Title`` blocks, response, then how to reproduce."""
    req, resp = exchange.request, exchange.response
    where = f" ({exchange.item_path})" if exchange.item_path else ""
    lines = [f"{req.method} {redact(req.url)}{where}"]
    if exchange.note:
        lines.append(f"  {redact(exchange.note)}")
    for v in violations:
        lines.append(f"- {redact(v.title)}")
        lines += [f"    {redact(d)}" for d in v.details()]
    if req.body:
        lines.append("Request body:")
        lines.append("    " + redact(_truncate(_body_text(req.body))))
    if resp is not None:
        lines.append(f"Response: [{resp.status}] {resp.content_type or '(no content type)'}")
        if resp.body:
            lines.append("    " + redact(_truncate(_body_text(resp.body))))
    lines.append("Reproduce with:")
    lines.append("    " + curl(exchange, redact))
    if reproduce:
        lines.append("    " + reproduce)
    return _redact_cut_secrets("\n".join(lines), redact)


def _redact_cut_secrets(text: str, redact: Redactor) -> str:
    """Redact the first part of a secret that truncation (``...``) cut before redaction saw it
    whole: values are shortened where violations are made, which knows no secrets."""
    if "..." not in text:
        return text
    for secret in redact.secrets:
        for n in range(len(secret) - 1, 3, -1):
            text = text.replace(secret[:n] + "...", REDACTED + "...")
    return text
