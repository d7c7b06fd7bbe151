"""Match a request to an operation, and say every way it breaks the request contract.

Why it exists: the mock must answer a request the way the documentation says the real API
would, and the client-side fixture must tell an SDK author what their client sent wrong. Both
need the same two answers: *which operation is this* (or, if none, which were closest and why
not), and *what is wrong with it*, each problem labelled with the trigger kind of the error
catalog (``missing_required``, ``unknown_field``, ``empty_object``, ``value_changed``,
``type_changed``, ``auth``, ``method``) so it maps to a documented error.

Unknown fields count as problems even where a schema leaves ``additionalProperties`` open:
the documentation shows which fields exist, and APIs such as Zoho reject the others.

:func:`judge_request` is the one request policy: the WSGI mock answers by its verdict (the
documented error of the first problem a server would see, else the closest documented
error), and the ``responses`` client mock fails the test with every problem it lists. Both
route by method and path, and both hold a request to the same rules: credentials, a
Content-Type for a body, the documented query parameters (required ones present), and the
JSON body against the request schema.
"""

from __future__ import annotations

import email.policy
import ipaddress
import json
import re
import socket
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from postman_contracts.checking._checks import Checker, json_path
from postman_contracts.checking._exchange import HttpRequest
from postman_contracts.checking._representation import xml_root
from postman_contracts.collection import (
    media_kind,
    parse_media_type,
    same_media_type,
    unescape_token,
)
from postman_contracts.contracts import (
    FILE_VALUE,
    ContractSet,
    ErrorEntry,
    OperationContract,
    Parameter,
    RouteKey,
    Trigger,
    generic_pointer,
    presence_asserted,
    read_as_schema,
    request_key_value,
    to_pointer,
)

__all__ = [
    "Issue",
    "RouteMatch",
    "Verdict",
    "by_route_key",
    "contract_issues",
    "documented_error",
    "is_form",
    "judge_request",
    "match_route",
    "request_issues",
    "resolve_pointer",
    "unsafe_url",
]

_SLOT = re.compile(r"^\{[^{}]*\}$|\{\{[^{}]+\}\}")
_FORM_KINDS = frozenset({"form", "multipart"})
_VALUE_KEYWORDS = frozenset(
    {
        "enum",
        "const",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)


@dataclass(frozen=True)
class Issue:
    """One problem with a request.

    Attributes:
        kind: a trigger kind (``missing_required``...), ``malformed`` (not JSON, wrong
            Content-Type, not UTF-8, too large) or ``unroutable`` (none of the operations
            sharing its method and path, by their routing keys).
        pointer: a JSON pointer into the body, or ``""``.
        message: what is wrong, for people.
    """

    kind: str
    pointer: str
    message: str


@dataclass(frozen=True)
class RouteMatch:
    """Where a request was routed: an operation, or the closest ones and why not."""

    operation: OperationContract | None
    method_allowed: bool
    closest: tuple[tuple[str, str], ...] = ()  # (operation id, reason)
    candidates: tuple[OperationContract, ...] = ()  # every operation with this method and path


def _segments(path: str) -> list[str]:
    """A path's segments, an empty one inside it kept (``/users//orders`` has three): a path
    variable never stands for an empty segment. A leading or trailing ``/`` makes none."""
    inner = path.strip("/")
    return inner.split("/") if inner else []


def _fits(template_segment: str, segment: str) -> bool:
    """Whether one segment of a path fits one of a template: the same text, or any text but
    none for a variable."""
    return bool(_SLOT.search(template_segment) and segment) or template_segment == segment


def _path_matches(template: str, path: str) -> bool:
    t, p = _segments(template), _segments(path)
    return len(t) == len(p) and all(_fits(a, b) for a, b in zip(t, p, strict=True))


def _why_not(op: OperationContract, method: str, path: str) -> tuple[int, str]:
    t, p = _segments(op.request.path), _segments(path)
    if _path_matches(op.request.path, path):
        return 0, f"method {method} is not {op.request.method}"
    common = 0
    for a, b in zip(t, p, strict=False):
        if not _fits(a, b):
            break
        common += 1
    if len(t) != len(p):
        return 100 - common, f"path has {len(p)} segments, {op.request.path} has {len(t)}"
    mismatch = next(i for i, (a, b) in enumerate(zip(t, p, strict=True)) if not _fits(a, b))
    return 50 - common, f"segment {p[mismatch]!r} is not {t[mismatch]!r} in {op.request.path}"


class _Routes:
    """The path templates of a contract set as a tree of segments: a lookup walks the
    segments of one path (a literal branch and a slot branch at each) instead of trying
    every operation. It finds exactly the operations :func:`_path_matches` accepts."""

    def __init__(self, operations: tuple[OperationContract, ...]) -> None:
        self.root: dict[str | None, Any] = {}  # segment (None: a slot) -> subtree; "" -> ops
        for index, op in enumerate(operations):
            node = self.root
            for segment in _segments(op.request.path):
                node = node.setdefault(None if _SLOT.search(segment) else segment, {})
            node.setdefault("", []).append((index, op))

    def matching(self, path: str) -> list[OperationContract]:
        """The operations whose template matches ``path``, in collection order."""
        nodes = [self.root]
        for segment in _segments(path):
            keys = (segment, None) if segment else (segment,)  # no variable is empty
            nodes = [n[k] for n in nodes for k in keys if k in n]
            if not nodes:
                return []
        found = sorted(entry for n in nodes for entry in n.get("", ()))
        return [op for _, op in found]


def _shape(template: str) -> tuple[str | None, ...]:
    """A path template with its variables made alike (``/a/{id}`` is ``/a/{x}``)."""
    return tuple(None if _SLOT.search(s) else s for s in _segments(template))


def match_route(contracts: ContractSet, method: str, path: str, *, closest: int = 3) -> RouteMatch:
    """Route ``method path`` to an operation; host templates (``{{api-domain}}``) match any host."""
    on_path = contracts.memo(_Routes, lambda: _Routes(contracts.operations)).matching(path)
    # A literal segment beats a parameter: /users/me before /users/{id}.
    on_path.sort(key=lambda op: sum(bool(_SLOT.search(s)) for s in _segments(op.request.path)))
    same = [op for op in on_path if op.request.method == method.upper()]
    if same:
        # The candidates document this very route; a template that also matches but is
        # less specific (/transfer/{code} beside /transfer/export) is another route.
        shape = _shape(same[0].request.path)
        return RouteMatch(
            same[0], True, candidates=tuple(op for op in same if _shape(op.request.path) == shape)
        )
    if on_path:
        return RouteMatch(on_path[0], False)
    ranked = sorted((*_why_not(op, method, path), op.id) for op in contracts.operations)
    return RouteMatch(None, False, tuple((op_id, why) for _, why, op_id in ranked[:closest]))


def unsafe_url(value: str) -> str | None:
    """Why a callback URL is unsafe to call (SSRF), or ``None``: not https, credentials in the
    URL, or a host that is loopback, private, link-local (cloud metadata) or reserved."""
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname or ""
    except ValueError:
        return "not a URL"
    if parts.scheme.lower() != "https":
        return f"scheme {parts.scheme or '(none)'!r} is not https"
    if parts.username is not None or "@" in parts.netloc:
        return "credentials (userinfo) in the URL"
    host = host.rstrip(".")  # a fully qualified "localhost." is localhost
    if not host:
        return "no host"
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
        ".localhost"
    ):
        return "host is loopback"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        try:  # what resolvers also read as IPv4: 2130706433, 0x7f000001, 127.1, 0177.0.0.1
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    ):
        return f"host {host} is not a public address"
    return None


def _value_rule(trigger: Trigger) -> Any:
    """A predicate over a value, derived from a documented ``value_changed`` trigger."""
    good, bad = trigger.detail.get("from"), trigger.detail.get("to")
    if isinstance(good, str) and isinstance(bad, str) and unsafe_url(bad) and not unsafe_url(good):
        return lambda v: isinstance(v, str) and unsafe_url(v) is not None
    return lambda v: v == bad


def _walk_unknown(schema: Any, value: Any, parts: list[Any], out: list[Issue]) -> None:
    """Unknown fields and emptied objects, against the properties the documentation shows."""
    stack = [(schema, value, parts)]
    while stack:
        s, v, p = stack.pop()
        if not isinstance(s, dict):
            continue
        if isinstance(v, dict):
            props = s.get("properties")
            if isinstance(props, dict) and props:
                if not v and s.get("required"):
                    out.append(
                        Issue("empty_object", to_pointer(p), f"empty object at {json_path(p)}")
                    )
                    continue
                for key in sorted(set(v) - set(props)):
                    out.append(
                        Issue(
                            "unknown_field",
                            to_pointer([*p, key]),
                            f"unknown property {key!r} at {json_path(p)}",
                        )
                    )
                stack.extend((props[k], v[k], [*p, k]) for k in v if k in props)
        elif isinstance(v, list) and isinstance(s.get("items"), dict):
            stack.extend((s["items"], item, [*p, i]) for i, item in enumerate(v))


def _auth_issue(op: OperationContract, request: HttpRequest) -> Issue | None:
    auth = op.request.auth
    if not auth.required:
        return None
    if auth.location == "query":
        present = any(
            k == auth.name and v for k, v in parse_qsl(request.query, keep_blank_values=True)
        )
    else:
        value = (request.header(auth.name) or "").strip()
        present = bool(value) and (
            not auth.scheme
            or (
                value.lower().startswith(auth.scheme.lower() + " ")
                and bool(value[len(auth.scheme) + 1 :].strip())
            )
        )
    if present:
        return None
    how = f"{auth.name}: {auth.scheme} ..." if auth.scheme else f"{auth.name} ({auth.location})"
    return Issue("auth", "", f"no credentials: expected {how}")


def is_form(op: OperationContract) -> bool:
    """Whether ``op``'s request body is a form (urlencoded or multipart)."""
    return media_kind(op.request.content_type) in _FORM_KINDS


def parse_body(
    op: OperationContract, request: HttpRequest, *, max_bytes: int
) -> tuple[Any, Issue | None]:
    """The request's JSON body (a form's fields, read as their documented types), or the
    reason it cannot be read."""
    if op.request.schema is None:
        return None, None
    if len(request.body) > max_bytes:
        return None, Issue(
            "malformed",
            "",
            f"body of {len(request.body):,} bytes is over the limit of {max_bytes:,}",
        )
    if is_form(op):
        return _parse_form(op.request.schema, request)
    content_type = parse_media_type(request.header("Content-Type")).essence
    if content_type and media_kind(content_type) != "json":
        return None, Issue("malformed", "", f"Content-Type {content_type!r} is not JSON")
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return None, Issue("malformed", "", "body is not UTF-8")
    if not text.strip():
        return None, Issue("missing_required", "", "no request body")
    try:
        return json.loads(text), None
    except (ValueError, RecursionError):
        return None, Issue("malformed", "", "body is not valid JSON")


def _parse_form(schema: dict[str, Any], request: HttpRequest) -> tuple[Any, Issue | None]:
    """A form body's fields, each read as the type its schema documents (``"10"`` as an
    integer where one is documented). Either form encoding is read: a server that takes one
    most often takes the other, and which it takes is not a fact a collection shows."""
    sent = parse_media_type(request.header("Content-Type"))
    if not request.body.strip():
        return {}, None  # an empty form: its required fields are missing, if it has any
    if sent.kind not in _FORM_KINDS:
        shown = sent.essence or "none"
        return None, Issue("malformed", "", f"Content-Type {shown!r} is not a form")
    try:
        pairs = (
            parse_multipart(request.body, sent.params.get("boundary", ""))
            if sent.kind == "multipart"
            else parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
        )
    except (UnicodeDecodeError, ValueError) as err:
        return None, Issue("malformed", "", f"the form does not parse: {err}")
    found = schema.get("properties")
    props: dict[str, Any] = found if isinstance(found, dict) else {}
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    fields: dict[str, Any] = {}
    for key, values in grouped.items():
        prop = props.get(key)
        fields[key] = read_as_schema(
            values if len(values) > 1 else values[0], prop if isinstance(prop, dict) else {}
        )
    return fields, None


def parse_multipart(body: bytes, boundary: str) -> list[tuple[str, str]]:
    """The fields of a ``multipart/form-data`` body (RFC 7578), a file part's value as
    :data:`FILE_VALUE`; ``ValueError`` when it is not one."""
    if not boundary:
        raise ValueError("no boundary")
    if body.strip() == f"--{boundary}--".encode():
        return []  # no parts at all
    head = f'Content-Type: multipart/form-data; boundary="{boundary}"\r\n\r\n'.encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise ValueError("not a multipart body")
    out: list[tuple[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ValueError("a part without a name")
        if part.get_filename() is not None:
            out.append((name, FILE_VALUE))
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        out.append((name, data.decode(part.get_content_charset() or "utf-8")))
    return out


def request_issues(
    checker: Checker,
    op: OperationContract,
    request: HttpRequest,
    *,
    max_bytes: int = 10 * 1024 * 1024,
) -> list[Issue]:
    """Every way ``request`` breaks ``op``'s request contract, most specific first (a
    request without ``op``'s routing key is another operation's, or none's)."""
    return list(_request_issues(checker, op, request, max_bytes))


def accepts_request(
    checker: Checker,
    op: OperationContract,
    request: HttpRequest,
    *,
    max_bytes: int = 10 * 1024 * 1024,
) -> bool:
    """Whether :func:`request_issues` finds nothing, looking no further than its first issue
    (each other item of a route is asked this of every labelled request sent to it)."""
    return next(_request_issues(checker, op, request, max_bytes), None) is None


def _request_issues(
    checker: Checker, op: OperationContract, request: HttpRequest, max_bytes: int
) -> Iterator[Issue]:
    """:func:`request_issues`'s issues, one at a time, in its order."""
    issues: list[Issue] = []  # those given so far, which later ones are weighed against

    def given(issue: Issue) -> Issue:
        issues.append(issue)
        return issue

    key = op.request.route_key
    if key is not None:
        shown = request_key_value(key, request.header, request.body)
        if shown not in key.values:
            what = f"{key.label} {shown!r}" if shown is not None else f"no {key.label}"
            yield given(Issue("unroutable", "", f"{what}: {op.id} is {key.describe()}"))
    auth = _auth_issue(op, request)
    if auth is not None:
        yield given(auth)
    body, problem = parse_body(op, request, max_bytes=max_bytes)
    if problem is not None:
        yield problem
        return
    if op.request.schema is None:
        return
    unknown: list[Issue] = []
    _walk_unknown(op.request.schema, body, [], unknown)
    for issue in unknown:
        yield given(issue)
    what = "form field" if is_form(op) else "property"
    for error in checker.validator(op.request.schema).iter_errors(body):
        parts = list(error.absolute_path)
        if error.validator == "required":
            missing = [
                k
                for k in error.validator_value
                if isinstance(error.instance, dict) and k not in error.instance
            ]
            if not any(i.kind == "empty_object" and i.pointer == to_pointer(parts) for i in issues):
                for k in missing:
                    yield given(
                        Issue(
                            "missing_required",
                            to_pointer([*parts, k]),
                            f"missing required {what} {k!r}",
                        )
                    )
        elif error.validator == "type":
            yield given(
                Issue("type_changed", to_pointer(parts), f"{json_path(parts)}: {error.message}")
            )
        elif error.validator in _VALUE_KEYWORDS or error.validator != "additionalProperties":
            yield given(
                Issue("value_changed", to_pointer(parts), f"{json_path(parts)}: {error.message}")
            )
    for entry in op.errors:
        if entry.trigger.kind == "value_changed" and entry.trigger.pointer:
            value = resolve_pointer(body, entry.trigger.pointer)
            documented = value is not MISSING and _value_rule(entry.trigger)(value)
            if documented and not any(i.pointer == entry.trigger.pointer for i in issues):
                yield given(
                    Issue(
                        "value_changed",
                        entry.trigger.pointer,
                        f"{entry.trigger.path}: {value!r} is documented to fail ({entry.code})",
                    )
                )


def _query_issues(checker: Checker, op: OperationContract, request: HttpRequest) -> list[Issue]:
    """Required query parameters present, documented ones valid (the text read as the
    documented type: ``"10"`` is an integer), no undocumented ones. Parameters the collection
    shows only disabled are documented (optional) too."""
    sent: dict[str, list[str]] = {}
    for key, value in parse_qsl(request.query, keep_blank_values=True):
        sent.setdefault(key, []).append(value)
    params = {p.name: p for p in op.request.parameters if p.location == "query"}
    for p in op.request.disabled_query:
        params.setdefault(p.name, p)
    auth = op.request.auth
    issues = [
        Issue("missing_required", "", f"missing required query parameter {p.name!r}")
        for p in params.values()
        if required_param(checker, op, p) and p.name not in sent
    ]
    for key, values in sent.items():
        if auth.location == "query" and key == auth.name:
            continue
        param = params.get(key)
        if param is None:
            issues.append(Issue("unknown_field", "", f"undocumented query parameter {key!r}"))
            continue
        value = read_as_schema(values if len(values) > 1 else values[0], param.schema)
        errors = list(checker.validator(param.schema).iter_errors(value))
        if errors:
            kind = "type_changed" if errors[0].validator == "type" else "value_changed"
            issues.append(Issue(kind, "", f"query parameter {key!r}: {errors[0].message}"))
    return issues


def _path_issues(checker: Checker, op: OperationContract, path: str) -> list[Issue]:
    """Each path variable's segment read as its documented type (``"42"`` an integer where
    ``<long>`` is documented) and checked against its schema."""
    params = {p.name: p for p in op.request.parameters if p.location == "path"}
    if not params:
        return []
    issues: list[Issue] = []
    for slot, segment in zip(_segments(op.request.path), _segments(path), strict=False):
        name = slot[1:-1] if slot.startswith("{") and slot.endswith("}") else None
        param = params.get(name or "")
        if param is None or not segment:
            continue
        value = read_as_schema(unquote(segment), param.schema)
        errors = list(checker.validator(param.schema).iter_errors(value))
        if errors:
            kind = "type_changed" if errors[0].validator == "type" else "value_changed"
            issues.append(Issue(kind, "", f"path parameter {name!r}: {errors[0].message}"))
    return issues


def _content_type_issue(op: OperationContract, request: HttpRequest) -> Issue | None:
    """A body sent without the documented Content-Type (any body, JSON or not)."""
    expected = op.request.content_type
    if not expected or not request.body:
        return None
    sent = parse_media_type(request.header("Content-Type"))
    if not sent.essence:
        return Issue("malformed", "", f"no Content-Type header; documented: {expected}")
    documented = media_kind(expected)
    # JSON under any JSON media type (``application/vnd.api+json``) is read as JSON, and
    # either form encoding as a form (see ``_parse_form``); anything else must be the one.
    if documented == "json" and sent.kind == "json":
        return None
    if documented in _FORM_KINDS and sent.kind in _FORM_KINDS:
        return None
    if not same_media_type(sent.essence, expected):
        return Issue(
            "malformed", "", f"Content-Type {sent.essence!r} is not the documented {expected}"
        )
    return None


def required_param(checker: Checker, op: OperationContract, p: Parameter) -> bool:
    """Whether a documented query parameter or header is required as checked (the evidence
    policy's :func:`~postman_contracts.contracts._evidence.presence_asserted`)."""
    return presence_asserted(
        p.required,
        p.schema,
        checker.contracts.evidence,
        requests=op.distinct_requests,
        strict=checker.strict,
    )


def _header_issues(checker: Checker, op: OperationContract, request: HttpRequest) -> list[Issue]:
    """Required documented headers present. Values are not judged: a header's documented
    value is most often one client's (a request id, a tenant), not a rule."""
    return [
        Issue("missing_required", "", f"missing required header {p.name!r}")
        for p in op.request.header_params
        if required_param(checker, op, p) and not (request.header(p.name) or "").strip()
    ]


def _xml_issue(op: OperationContract, request: HttpRequest) -> Issue | None:
    """An XML body documented: well-formed, with a root element one of the examples shows
    (namespace included; not judged where no example's body is well-formed XML)."""
    if media_kind(op.request.content_type) != "xml" or not request.body.strip():
        return None
    if media_kind(request.header("Content-Type")) != "xml":
        return None  # the Content-Type check names it
    root = xml_root(request.body)
    if root is None:
        return Issue("malformed", "", "body is not well-formed XML")
    shown = {
        xml_root(x.body)
        for x in op.examples
        if isinstance(x.body, str) and x.body.strip() and not x.body_is_json
    } - {None}
    if shown and root not in shown:
        documented = ", ".join(sorted(str(r) for r in shown))
        return Issue("malformed", "", f"XML root element {root} is not the documented {documented}")
    return None


def contract_issues(
    checker: Checker,
    op: OperationContract,
    request: HttpRequest,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    path: str | None = None,
) -> list[Issue]:
    """Every way ``request`` breaks ``op``'s request contract: the Content-Type of a body,
    :func:`request_issues` (credentials, the body), the path variables (of ``path``, when
    not the request's own), the query parameters, then the required documented headers."""
    issues = _contract_issues(checker, op, request, max_bytes, path, None)
    assert issues is not None  # no limit
    return issues


def _contract_issues(
    checker: Checker,
    op: OperationContract,
    request: HttpRequest,
    max_bytes: int,
    path: str | None,
    limit: int | None,
) -> list[Issue] | None:
    """:func:`contract_issues`, or ``None`` as soon as there are ``limit`` of them: the body's
    schema is not searched for more than it takes."""
    rest = (
        _path_issues(checker, op, request.path if path is None else path)
        + _query_issues(checker, op, request)
        + _header_issues(checker, op, request)
    )
    content_type = _content_type_issue(op, request) or _xml_issue(op, request)
    # A malformed body's issue stands for the content type's, so the count never falls.
    count = len(rest) + (content_type is not None)
    issues: list[Issue] = []
    for issue in _request_issues(checker, op, request, max_bytes):
        if limit is not None and count >= limit:
            return None
        issues.append(issue)
        if not (issue.kind == "malformed" and content_type is not None):
            count += 1
    if limit is not None and count >= limit:
        return None
    if content_type is not None and not any(i.kind == "malformed" for i in issues):
        issues.insert(0, content_type)
    return issues + rest


def by_route_key(
    candidates: tuple[OperationContract, ...], request: HttpRequest
) -> tuple[tuple[OperationContract, ...], Issue | None]:
    """The candidates a request's routing key selects (see :mod:`.._routing`): those with a
    key whose values include what the request shows, and those with none. Where every keyed
    one is left out and nothing else remains, the request is unroutable: the issue says so."""
    keyed = [c for c in candidates if c.request.route_key is not None]
    if not keyed:
        return candidates, None
    shown: dict[tuple[str, str], Any] = {}

    def value(key: RouteKey) -> Any:
        if (key.kind, key.name) not in shown:
            shown[key.kind, key.name] = request_key_value(key, request.header, request.body)
        return shown[key.kind, key.name]

    chosen = tuple(
        c
        for c in candidates
        if c.request.route_key is None or value(c.request.route_key) in c.request.route_key.values
    )
    if chosen:
        return chosen, None
    key = keyed[0].request.route_key
    assert key is not None
    got = value(key)
    documented = "; ".join(
        f"{c.id}: {c.request.route_key.describe()}" for c in keyed if c.request.route_key
    )
    what = f"{key.label} {got!r}" if got is not None else f"no {key.label}"
    return candidates, Issue(
        "unroutable",
        "",
        f"{what}: no operation documented on {candidates[0].request.method} "
        f"{candidates[0].request.path} takes it ({documented})",
    )


#: What a server sees first, hence answers: the method, then credentials, then the body.
_ANSWER_ORDER = (
    "method",
    "auth",
    "malformed",
    "empty_object",
    "unknown_field",
    "missing_required",
    "type_changed",
    "value_changed",
    "unroutable",
)


@dataclass(frozen=True)
class Verdict:
    """One request judged against a contract set.

    Attributes:
        operation: the operation it was routed to; ``None`` when no operation has its path
            (``route.closest`` then says which came closest, and why not).
        issues: every way it breaks that operation's contract (empty: it meets it).
        route: the routing.
    """

    operation: OperationContract | None
    issues: tuple[Issue, ...]
    route: RouteMatch

    @property
    def answered(self) -> Issue | None:
        """The issue a server answers: the first it would see (see ``_ANSWER_ORDER``)."""
        if not self.issues:
            return None
        rank = {k: i for i, k in enumerate(_ANSWER_ORDER)}
        return min(self.issues, key=lambda i: rank.get(i.kind, len(rank)))


def judge_request(
    contracts: ContractSet,
    checker: Checker,
    request: HttpRequest,
    *,
    path: str | None = None,
    prefer: Collection[str] = (),
    max_bytes: int = 10 * 1024 * 1024,
) -> Verdict:
    """Route ``request`` and list every way it breaks its operation's contract.

    Args:
        contracts: the contract set.
        checker: its checker (which caches compiled schemas).
        request: the request.
        path: the path to route, if not the request's (a base path stripped).
        prefer: ids of operations to choose, where several document the same path.
        max_bytes: the largest body read.

    Where several operations document the method and path, the one chosen is a preferred
    one, else the one the request breaks least (then one that requires credentials, then one
    that documents a success). Where the path is documented with other methods only, the
    verdict names a ``method`` issue, then what the request breaks of the path's first
    operation.
    """
    path = request.path if path is None else path
    route = match_route(contracts, request.method, path)
    op = route.operation
    if op is None:
        return Verdict(None, (), route)

    def issues(o: OperationContract) -> list[Issue]:
        return contract_issues(checker, o, request, max_bytes=max_bytes, path=path)

    if not route.method_allowed:
        on_path = contracts.on_path(op.request.path)
        op = next((o for o in on_path if o.id in prefer), op)
        methods = ", ".join(sorted({o.request.method for o in on_path}))
        method = Issue(
            "method", "", f"method {request.method} is not documented for {path}: {methods}"
        )
        return Verdict(op, (method, *issues(op)), route)
    candidates, unroutable = by_route_key(route.candidates, request)
    if unroutable is not None:
        # Not one of the operations the route tells apart: answered as none of them (their
        # first stands for the route, with the issue alone).
        return Verdict(candidates[0], (unroutable,), route)
    preferred = next((c for c in candidates if c.id in prefer), None)
    if preferred is not None or len(candidates) == 1:
        chosen = preferred or candidates[0]
        return Verdict(chosen, tuple(issues(chosen)), route)
    # The first of those breaking least, then requiring credentials, then documenting a
    # success. A candidate's issues are searched only while it may still be chosen, so the
    # one chosen has all of its own.
    best: tuple[tuple[int, bool, bool], OperationContract, list[Issue]] | None = None
    for c in candidates:
        rank = (not c.request.auth.required, c.success is None)
        limit = None
        if best is not None:
            fewest, best_rank = best[0][0], best[0][1:]
            limit = fewest + 1 if rank < best_rank else fewest  # it loses with this many
        found = _contract_issues(checker, c, request, max_bytes, path, limit)
        if found is not None and (best is None or (len(found), *rank) < best[0]):
            best = ((len(found), *rank), c, found)
    assert best is not None  # there are candidates
    return Verdict(best[1], tuple(best[2]), route)


MISSING = object()


def resolve_pointer(value: Any, pointer: str) -> Any:
    """The value at a JSON pointer in ``value``, or :data:`MISSING`."""
    for raw in pointer.split("/")[1:]:
        key = unescape_token(raw)
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return MISSING
    return value


_SIMILAR = {
    "type_changed": ("value_changed", "unknown_field", "empty_object", "missing_required"),
    "value_changed": ("type_changed", "unknown_field", "empty_object", "missing_required"),
    "unknown_field": ("empty_object", "value_changed", "type_changed", "missing_required"),
    "empty_object": ("missing_required", "unknown_field", "value_changed", "type_changed"),
    "missing_required": ("empty_object", "unknown_field", "value_changed", "type_changed"),
    "malformed": (
        "value_changed",
        "type_changed",
        "unknown_field",
        "missing_required",
        "empty_object",
    ),
}


def documented_error(
    contracts: ContractSet, op: OperationContract, issue: Issue
) -> ErrorEntry | None:
    """The documented error a real server would answer ``issue`` with: the same trigger at the
    same place, else the same kind, else (for auth and method) the collection-wide one, else
    the closest kind."""
    same = [e for e in op.errors if e.trigger.kind == issue.kind]
    for e in same:
        if generic_pointer(e.trigger.pointer) == generic_pointer(issue.pointer):
            return e
    if same:
        return same[0]
    if issue.kind in ("auth", "method"):
        return contracts.collection_error(
            issue.kind, op.request.auth.type
        ) or contracts.collection_error(issue.kind)
    for kind in _SIMILAR.get(issue.kind, ()):
        for e in op.errors:
            if e.trigger.kind == kind:
                return e
    return None
