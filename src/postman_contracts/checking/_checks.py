"""Check a response against what an operation documents.

Why it exists: the plugin's replay and fuzz tests, ``verify`` and the client-side fixture all
ask the same questions of a response (a documented status? a body valid under that status's
schema? the documented error code at the documented place?), so the answers come from here,
as :class:`Violation` objects, best error first (jsonschema's ``best_match``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match, relevance

from postman_contracts.checking._exchange import HttpResponse
from postman_contracts.checking._representation import representation_violations
from postman_contracts.checking._violations import Violation
from postman_contracts.contracts import (
    FORMAT_CHECKER,
    ContractSet,
    Envelope,
    ErrorEntry,
    OperationContract,
    ResponseContract,
    asserted_schema,
    graphql_response_keys,
    header_asserted,
    read_as_schema,
    reports_failure,
)

__all__ = ["Checker", "Expectation", "json_path"]

_MAX_SCHEMA_ERRORS = 5


def json_path(parts: Iterable[Any]) -> str:
    """``["data", 0, "code"]`` → ``$.data[0].code``."""
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Expectation:
    """What a response must be.

    Attributes:
        kind: ``example`` (this documented example), ``error`` (this documented error),
            ``documented`` (any documented response), ``success`` (the success response),
            ``rejection`` (any documented error; never a success), ``client_error`` (any 4xx,
            where the documentation names no error), ``any_example`` (any one of
            ``alternatives``: the examples that document the same request).
        response: the documented response, for ``example``.
        error: the documented error, for ``error`` and error examples.
        alternatives: ``(response, error)`` of each example, for ``any_example``.
    """

    kind: str
    response: ResponseContract | None = None
    error: ErrorEntry | None = None
    alternatives: tuple[tuple[ResponseContract, ErrorEntry | None], ...] = ()


class Checker:
    """Checks responses against one contract set; compiled validators are reused.

    By default a schema is held only to the constraints its evidence asserts (the set's
    :class:`~postman_contracts.contracts.EvidencePolicy`); ``strict=True`` holds it to
    everything inferred.
    """

    def __init__(self, contracts: ContractSet, *, strict: bool = False) -> None:
        self.contracts = contracts
        self.strict = strict
        self.envelope: Envelope | None = contracts.envelope
        self._validators: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        """A compiled validator for ``schema`` as checked (cached by identity)."""
        cached = self._validators.get(id(schema))
        if cached is None or cached[0] is not schema:
            checked = schema if self.strict else asserted_schema(schema, self.contracts.evidence)
            cached = (schema, Draft202012Validator(checked, format_checker=FORMAT_CHECKER))
            self._validators[id(schema)] = cached
        return cached[1]

    def schema_violations(
        self, schema: dict[str, Any], value: Any, check: str, what: str
    ) -> list[Violation]:
        """Violations of ``value`` under ``schema``, the most relevant first."""
        errors = list(self.validator(schema).iter_errors(value))
        if not errors:
            return []
        best = best_match(errors)
        ordered = [best, *sorted((e for e in errors if e is not best), key=relevance)]
        return [self._violation(e, check, what) for e in ordered[:_MAX_SCHEMA_ERRORS]]

    @staticmethod
    def _violation(error: ValidationError, check: str, what: str) -> Violation:
        keyword = str(error.validator)
        fragment = _short(error.validator_value)
        return Violation(
            check=check,
            title=f"{what} does not match the documented schema ({keyword})",
            message=error.message if len(error.message) < 300 else error.message[:300] + "...",
            instance_path=json_path(error.absolute_path),
            schema_path="#/" + "/".join(map(str, error.absolute_schema_path)),
            expected=f"{keyword} {fragment}",
            actual=_short(error.instance),
        )

    # -- responses ---------------------------------------------------------------------------

    def check(
        self, op: OperationContract, response: HttpResponse, expect: Expectation
    ) -> list[Violation]:
        """Every violation of ``response`` against ``expect`` for operation ``op``."""
        if response.status >= 500:
            return [
                Violation(
                    check="not_server_error",
                    title=f"Server error {response.status}",
                    expected="no 5xx for any request",
                    actual=str(response.status),
                )
            ]
        graphql = self._graphql(op, response)
        if graphql:
            return graphql
        if expect.kind == "example" and expect.response is not None:
            return self._example(op, response, expect.response, expect.error)
        if expect.kind == "any_example" and expect.alternatives:
            return self._any_example(op, response, expect.alternatives)
        if expect.kind == "error" and expect.error is not None:
            return self._error(op, response, expect.error)
        if expect.kind == "client_error":
            return self._client_error(response)
        found = self._documented(op, response)
        if found or expect.kind == "documented":
            return found
        body = self._json_or_none(response)
        failing = self.error_code(body, response.status)
        if expect.kind == "success" and (response.status >= 300 or failing is not None):
            return [
                Violation(
                    check="success",
                    title="A valid request was not answered with success",
                    expected="the documented success response",
                    actual=f"{response.status}" + (f" with error {failing}" if failing else ""),
                )
            ]
        if expect.kind == "rejection" and response.status < 400 and failing is None:
            return [
                Violation(
                    check="rejection",
                    title="An invalid request was accepted",
                    expected="a documented error",
                    actual=f"{response.status} success",
                )
            ]
        return []

    def _graphql(self, op: OperationContract, response: HttpResponse) -> list[Violation]:
        """A GraphQL answer's ``data`` holds the response keys of the fields its query selects,
        and no others (GraphQL spec, "Response Format"): a server answering another
        operation's data fails, whatever the examples show. Only where every document the
        operation is documented with can be read (no top-level fragments or directives); a
        key is demanded when every document selects it, allowed when one does."""
        if op.request.graphql is None:
            return []
        body = self._json_or_none(response)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return []
        shapes = self.contracts.memo(("graphql keys", op.id), lambda: _graphql_shapes(op))
        if not shapes:
            return []
        required = frozenset.intersection(*shapes)
        allowed = frozenset.union(*shapes)
        missing, extra = sorted(required - data.keys()), sorted(set(data) - allowed)
        if not missing and not extra:
            return []
        said = [f"missing {', '.join(missing)}"] * bool(missing)
        said += [f"not selected {', '.join(extra)}"] * bool(extra)
        return [
            Violation(
                check="graphql",
                title="The GraphQL data does not answer the fields its query selects",
                message="; ".join(said),
                expected=", ".join(sorted(required)),
                actual=", ".join(sorted(data)) or "no field",
            )
        ]

    def _client_error(self, response: HttpResponse) -> list[Violation]:
        """Any 4xx, in any body: where the documentation names no error for a case, HTTP's
        answer is all there is to demand. An envelope learned from other operations' errors
        is not evidence of what this one answers (a framework's ``application/problem+json``
        405 is as good a rejection as any)."""
        if not 400 <= response.status < 500:
            return [
                Violation(
                    check="status_code",
                    title="Expected a client error (4xx)",
                    expected="4xx",
                    actual=str(response.status),
                )
            ]
        return []

    def _json_or_none(self, response: HttpResponse) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _body(
        self, response: HttpResponse, expected: ResponseContract
    ) -> tuple[Any, list[Violation]]:
        if expected.schema is None:
            return None, []
        try:
            return response.json(), []
        except (ValueError, UnicodeDecodeError) as err:
            # Say what came, not the media type twice: a body labelled application/json that
            # does not parse used to read "expected application/json, got application/json".
            sent = response.content_type or "no content type"
            return None, [
                Violation(
                    check="json",
                    title="The response body is not JSON",
                    message=str(err),
                    expected=f"a JSON body ({expected.content_type or 'JSON'})",
                    actual=(
                        f"an empty body ({sent})"
                        if not response.body.strip()
                        else f"{sent} that does not parse: {_short(response.body[:60])}"
                    ),
                )
            ]

    def _example(
        self,
        op: OperationContract,
        response: HttpResponse,
        expected: ResponseContract,
        error: ErrorEntry | None,
    ) -> list[Violation]:
        out: list[Violation] = []
        if expected.status is not None and response.status != expected.status:
            out.append(
                Violation(
                    check="status_code",
                    title="Wrong status code",
                    message=f"example {expected.example!r} documents {expected.status}",
                    expected=str(expected.status),
                    actual=str(response.status),
                )
            )
            return out  # the body of another status says nothing about this one's schema
        out += self.header_violations(response, expected)
        media = representation_violations(op, response, expected, strict=self.strict)
        if media:
            return out + media  # a body of another media type says nothing about the schema
        body, problems = self._body(response, expected)
        out += problems
        if expected.schema is not None and not problems:
            out += self.schema_violations(
                expected.schema, body, "response_schema", "The response body"
            )
        if error is not None and not problems:
            out += self.error_placement(body, error)
        if error is None and expected.success and not problems:
            # the success schema often also admits the per-record errors (Zoho's 200s do)
            failing = self.error_code(body, response.status)
            if failing is not None:
                out.append(
                    Violation(
                        check="success",
                        title=f"The documented success example got error {failing}",
                        expected="the documented success response",
                        actual=f"{response.status} with error {failing}",
                    )
                )
        return out

    def _any_example(
        self,
        op: OperationContract,
        response: HttpResponse,
        alternatives: tuple[tuple[ResponseContract, ErrorEntry | None], ...],
    ) -> list[Violation]:
        """No violation when the response is one of the alternatives of its status (an example
        without a status, an OpenAPI ``default``, stands for the statuses no other documents);
        else the violations of the closest one (or one saying which statuses were expected)."""
        same = [a for a in alternatives if a[0].status == response.status] or [
            a for a in alternatives if a[0].status is None
        ]
        found: list[list[Violation]] = []
        for expected, error in same:
            violations = self._example(op, response, expected, error)
            if not violations:
                return []
            found.append(violations)
        if found:
            return min(found, key=len)
        statuses = sorted({r.status for r, _ in alternatives if r.status is not None})
        return [
            Violation(
                check="status_code",
                title="Wrong status code",
                message="examples "
                + ", ".join(f"{r.example!r} ({r.status})" for r, _ in alternatives)
                + " document this request",
                expected="one of " + ", ".join(map(str, statuses)),
                actual=str(response.status),
            )
        ]

    def _error(
        self, op: OperationContract, response: HttpResponse, error: ErrorEntry
    ) -> list[Violation]:
        out: list[Violation] = []
        if error.status is not None and response.status != error.status:
            out.append(
                Violation(
                    check="status_code",
                    title=f"Wrong status for documented error {error.code or error.example}",
                    expected=str(error.status),
                    actual=str(response.status),
                )
            )
        body = self._json_or_none(response)
        out += self.error_placement(body, error)
        try:
            documented = op.response(error.example)
        except KeyError:
            documented = None
        if (
            documented is not None
            and documented.schema is not None
            and body is not None
            and not out
        ):
            out += self.schema_violations(
                documented.schema, body, "response_schema", "The error body"
            )
        return out

    def _documented(self, op: OperationContract, response: HttpResponse) -> list[Violation]:
        """Violations unless the response is one of the operation's documented responses.

        A 4xx status this operation does not document is a rejection the documentation says
        nothing about: accepted, whatever its body.
        """
        candidates = [r for r in op.responses if r.status == response.status]
        if not candidates:
            statuses = sorted({r.status for r in op.responses if r.status is not None})
            if not statuses:
                return []
            if 400 <= response.status < 500:
                return self._client_error(response)
            return [
                Violation(
                    check="status_code",
                    title="Undocumented status code",
                    expected="one of " + ", ".join(map(str, statuses)),
                    actual=str(response.status),
                )
            ]
        best: list[Violation] | None = None
        seen: set[tuple[int, str]] = set()
        for candidate in candidates:
            if (id(candidate.schema), candidate.content_type) in seen:
                continue
            seen.add((id(candidate.schema), candidate.content_type))
            media = representation_violations(op, response, candidate, strict=self.strict)
            body, problems = ([], media) if media else self._body(response, candidate)
            found = self.header_violations(response, candidate) + (
                problems
                or (
                    self.schema_violations(
                        candidate.schema, body, "response_schema", "The response body"
                    )
                    if candidate.schema is not None
                    else []
                )
            )
            if not found:
                return []
            best = found if best is None or len(found) < len(best) else best
        return best or []

    def header_violations(
        self, response: HttpResponse, expected: ResponseContract
    ) -> list[Violation]:
        """The documented response headers of ``expected``'s status that ``response`` misses,
        or sends with a value of another documented type; only those the checks assert
        (``header_asserted``: shown by every example of the status, in ``min_seen`` of
        them, and of a meaning a standard makes the API's; strict: every one shown by all)."""
        out: list[Violation] = []
        where = f"status {expected.status}" if expected.status is not None else "this response"
        policy = self.contracts.evidence
        for p in expected.headers:
            if not header_asserted(p, policy, strict=self.strict):
                continue
            value = response.header(p.name)
            if value is None:
                out.append(
                    Violation(
                        check="response_header",
                        title=f"The response misses the documented header {p.name}",
                        message=f"every example of {where} shows it",
                        expected=f"a {p.name} header",
                        actual="no such header",
                    )
                )
                continue
            validator = self.validator(p.schema)
            checked = validator.schema if isinstance(validator.schema, dict) else {}
            error = best_match(validator.iter_errors(read_as_schema(value.strip(), checked)))
            if error is not None:
                out.append(
                    Violation(
                        check="response_header",
                        title=f"The response header {p.name} does not match the documented "
                        f"schema ({error.validator})",
                        message=error.message[:300],
                        expected=f"{error.validator} {_short(error.validator_value)}",
                        actual=_short(value),
                    )
                )
        return out

    # -- error envelope ----------------------------------------------------------------------

    def error_code(self, body: Any, status: int) -> str | None:
        """The documented-envelope error code in a body (top level or per record), if any."""
        env = self.envelope
        if env is None or env.code_key is None or not isinstance(body, dict):
            return None
        if status >= 400 and isinstance(body.get(env.code_key), str):
            return str(body[env.code_key])
        for value in body.values():
            if isinstance(value, list):
                for record in value:
                    if isinstance(record, dict) and _failed(record, env):
                        code = record.get(env.code_key)
                        return str(code) if code is not None else "error"
        if _failed(body, env):
            return str(body.get(env.code_key, "error"))
        return None

    def error_placement(self, body: Any, error: ErrorEntry) -> list[Violation]:
        """Violations unless ``body`` carries ``error``'s code where the documentation puts it."""
        env = self.envelope
        if env is None or env.code_key is None or error.code is None:
            return []
        key = env.code_key
        top = body.get(key) if isinstance(body, dict) else None
        if error.placement == "record" and error.record_path:
            records = body.get(error.record_path) if isinstance(body, dict) else None
            codes = (
                [r.get(key) for r in records if isinstance(r, dict)]
                if isinstance(records, list)
                else []
            )
            if error.code in codes:
                return []
            if top == error.code:
                return [
                    Violation(
                        check="error_placement",
                        title=f"Error {error.code} at the top level",
                        message=f"documented per record, in {error.record_path}[]",
                        instance_path=f"$.{error.record_path}[*].{key}",
                        expected=f"{error.record_path}[].{key} == {error.code!r}",
                        actual="top-level error",
                    )
                ]
            return [
                Violation(
                    check="error_code",
                    title=f"Expected documented error {error.code}",
                    instance_path=f"$.{error.record_path}[*].{key}",
                    expected=repr(error.code),
                    actual=_short(codes or body),
                )
            ]
        if top == error.code:
            missing = [k for k in env.keys if not isinstance(body, dict) or k not in body]
            if missing:
                return [
                    Violation(
                        check="error_envelope",
                        title="The error envelope is incomplete",
                        message="missing " + ", ".join(missing),
                        expected="keys " + ", ".join(env.keys),
                        actual=_short(sorted(body)),
                    )
                ]
            return []
        return [
            Violation(
                check="error_code",
                title=f"Expected documented error {error.code}",
                instance_path=f"$.{key}",
                expected=repr(error.code),
                actual=_short(top if top is not None else body),
            )
        ]


def _failed(record: dict[str, Any], env: Envelope) -> bool:
    return reports_failure(record, env)  # the one detector, shared with the client side


def _graphql_shapes(op: OperationContract) -> tuple[frozenset[str], ...]:
    """The top-level response keys of each GraphQL document ``op`` is documented with (the
    item's and its examples'), or none when one of them cannot be read."""
    documents = {op.request.graphql or ""}
    for x in op.examples:
        if isinstance(x.body, dict) and isinstance(x.body.get("query"), str):
            documents.add(x.body["query"])
    shapes = [graphql_response_keys(d) for d in sorted(documents) if d]
    if not shapes or any(s is None for s in shapes):
        return ()
    return tuple(s for s in shapes if s is not None)
