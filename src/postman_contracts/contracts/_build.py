"""Build the contracts of a collection from its documentation.

Why it exists: this is where the policies meet. For each operation the request schema is
inferred from the item's body and the bodies of its *success* examples' requests only (an error
example's request is evidence of what is invalid, so it never widens the request schema);
responses with the same status and envelope share one schema; errors come from the catalog.
Every value taken from the collection passes through the redactor on its way in.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from postman_contracts.collection import (
    API_KEY_HEADERS,
    CREDENTIAL_HEADERS,
    URLENCODED,
    Auth,
    Body,
    Collection,
    Example,
    Operation,
    Placeholder,
    Redactor,
    Request,
    TypeSlot,
    collector_paused,
    fill_slots,
    find_placeholders,
    forget_parsed,
    later,
    media_kind,
    parse_media_type,
)
from postman_contracts.contracts._catalog import (
    Envelope,
    ErrorEntry,
    classify,
    detect_envelope,
    find_trigger,
)
from postman_contracts.contracts._evidence import EVIDENCE_KEY
from postman_contracts.contracts._fastjson import copy_json
from postman_contracts.contracts._infer import InferenceOptions, SchemaBuilder
from postman_contracts.contracts._model import (
    AuthContract,
    ContractSet,
    ExampleExchange,
    OperationContract,
    Parameter,
    RequestContract,
    ResponseContract,
)
from postman_contracts.contracts._response_headers import UNTYPED_HEADERS, is_contract_header
from postman_contracts.contracts._routing import RouteKey, Shown, route_keys
from postman_contracts.contracts._text import (
    FILE_SCHEMA,
    FILE_VALUE,
    mark_text_types,
    text_sample,
)

__all__ = ["build_contracts", "redact_json", "stream_contracts"]

T = TypeVar("T")

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_FORM_TYPES = {"urlencoded": "application/x-www-form-urlencoded", "formdata": "multipart/form-data"}


def redact_json(value: Any, redact: Redactor) -> Any:
    """A copy of a JSON value with placeholders as ``{{name}}`` text and secrets redacted."""
    if not redact and isinstance(value, (dict, list)):
        # Nothing to redact: a C encoder and decoder copy it (placeholders written as their
        # text) many times faster than the walk below.
        with contextlib.suppress(ValueError, TypeError, RecursionError):
            return copy_json(value)[0]
    return _redact_walk(value, redact)


def _typed_copy(value: Any, redact: Redactor) -> Any:
    """``_typed_samples(redact_json(value, redact))``, in one pass where it can be.

    Only a string holding ``<`` can be a ``<type>`` slot (a slot object is written as its
    ``<type>`` text), so when the copy's JSON text has none, filling slots would only copy
    it again: with ``dynamic=False`` and no variables, ``{{variables}}`` stay as written.
    """
    if not redact and isinstance(value, (dict, list)):
        with contextlib.suppress(ValueError, TypeError, RecursionError):
            copy, text = copy_json(value)
            return copy if b"<" not in text else _typed_samples(copy)
    return _typed_samples(redact_json(value, redact))


def _redact_walk(value: Any, redact: Redactor) -> Any:
    if isinstance(value, Placeholder):
        return str(value)
    if isinstance(value, str):
        return redact(value) if redact else value
    if isinstance(value, list):
        return [_redact_walk(v, redact) for v in value]
    if isinstance(value, dict):
        return {(redact(k) if redact else k): _redact_walk(v, redact) for k, v in value.items()}
    return value


def _has_slots(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Placeholder):
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _annotate(
    schema: dict[str, Any], title: str, description: str, examples: list[Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "title": title}
    if description:
        out["description"] = description
    out.update(schema)
    if examples:
        out["examples"] = examples
    return out


def auth_contract(auth: Auth | None) -> AuthContract:
    """Where a Postman auth puts credentials on the wire."""
    if auth is None or auth.type == "noauth":
        return AuthContract("noauth")
    token = next(iter(find_placeholders(" ".join(str(v) for v in auth.params.values()))), "")
    if auth.type == "apikey":
        where = "query" if auth.get("in") == "query" else "header"
        return AuthContract(
            "apikey", where, auth.get("key") or "X-API-Key", "", _slot(auth.get("value"))
        )
    if auth.type == "bearer":
        return AuthContract("bearer", "header", "Authorization", "Bearer", _slot(auth.get("token")))
    if auth.type == "oauth2":
        # the token endpoint a client calls first (Postman: accessTokenUrl; tokenUrl in
        # some exports), secrets redacted like any value written
        token_url = auth.get("accessTokenUrl") or auth.get("tokenUrl")
        if auth.get("addTokenTo") == "queryParams":
            return AuthContract(
                "oauth2", "query", "access_token", "", _slot(auth.get("accessToken")),
                token_url=token_url,
            )  # fmt: skip
        prefix = auth.get("headerPrefix") or "Bearer"
        return AuthContract(
            "oauth2", "header", "Authorization", prefix, _slot(auth.get("accessToken")),
            token_url=token_url,
        )  # fmt: skip
    if auth.type in ("basic", "digest"):  # both need the user name and the password
        return AuthContract(
            auth.type,
            "header",
            "Authorization",
            "Basic" if auth.type == "basic" else "Digest",
            _slot(auth.get("username")),
            _slot(auth.get("password")),
        )
    schemes = {
        "oauth1": "OAuth",
        "hawk": "Hawk",
        "ntlm": "NTLM",
    }
    return AuthContract(auth.type, "header", "Authorization", schemes.get(auth.type, ""), token)


#: Request headers that describe the transport or the body, not the API's contract.
_NOT_DOCUMENTED = ("content-type", "content-length", "host", "connection", "postman-token")
#: Headers that choose a representation, describe the client or carry state: documented when
#: shown, never required (a client that leaves them out is answered all the same).
NEVER_REQUIRED_HEADERS = _NEVER_REQUIRED = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "accept-charset",
        "user-agent",
        "cache-control",
        "cookie",
        "pragma",
    }
)


def header_auth(request: Request) -> AuthContract:
    """Credentials a request carries in a header of its own, without a Postman auth block."""
    value = request.header("Authorization")
    if value:
        scheme = value.split(" ", 1)[0] if " " in value.strip() else ""
        kind = {"bearer": "bearer", "basic": "basic", "digest": "digest"}.get(
            scheme.lower(), "header"
        )
        return AuthContract(kind, "header", "Authorization", scheme, _slot(value))
    for h in request.enabled_headers:
        if h.key.lower() in API_KEY_HEADERS:
            return AuthContract("apikey", "header", h.key, "", _slot(h.value))
    return AuthContract("noauth")


def _slot(value: str) -> str:
    names = find_placeholders(value)
    return names[0] if names else ""


def _body_json(request: Request | None) -> Any:
    if request is None or request.body is None or not request.body.is_json:
        return None
    return request.body.json


#: A value Postman's converter writes for a nested object it could not flatten into a form.
_FLATTENED = "[object Object]"


def form_fields(request: Request | None, *, disabled: bool = False) -> list[tuple[str, str]] | None:
    """A form body's fields as ``(name, text)``, in order (``None`` when it has no form):
    ``urlencoded`` and ``formdata`` parts, or a raw body sent as urlencoded. A file part's
    text is :data:`FILE_VALUE`. Disabled parts only with ``disabled``."""
    if request is None or request.body is None:
        return None
    body = request.body
    if body.mode in ("urlencoded", "formdata"):
        return [
            (p.key, FILE_VALUE if p.type == "file" else p.value)
            for p in body.parts
            if p.key and (disabled or not p.disabled)
        ]
    if body.mode == "raw" and media_kind(request.header("Content-Type")) == "form":
        return parse_qsl(body.raw.strip(), keep_blank_values=True)
    return None


def _text_object(pairs: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    """Text fields (a query, a form) as an inference sample: each text read as the value it
    spells (:func:`text_sample`), a repeated name as an array of them."""
    out: dict[str, Any] = {}
    for key, text in pairs:
        if text == FILE_VALUE:
            value: Any = TypeSlot("<binary>", True, ("string",))
        elif text == _FLATTENED:
            value = TypeSlot(_FLATTENED, True)  # an object the converter could not write
        else:
            value = text_sample(text or "")
        if key in out:
            have = out[key]
            out[key] = [*have, value] if isinstance(have, list) else [have, value]
        else:
            out[key] = value
    return out


def _is_slot(segment: str) -> bool:
    return (segment.startswith(":") and len(segment) > 1) or (
        segment.startswith("{") and segment.endswith("}")
    )


def _key_body(request: Request) -> Any:
    """What a request's body shows a routing key: its JSON (a GraphQL body's too), or the
    raw text of any other body."""
    body = request.body
    if body is None:
        return None
    if body.is_json:
        return body.json
    return body.raw if body.mode == "raw" else None


#: Members of a GraphQL request besides ``query`` and ``variables`` (GraphQL over HTTP):
#: documented by the protocol, whatever the examples show.
_GRAPHQL_MEMBERS = {"operationName": {"type": "string"}, "extensions": {"type": "object"}}


def _file_fields(requests: Iterable[Request]) -> set[str]:
    return {
        p.key
        for r in requests
        if r.body is not None and r.body.mode == "formdata"
        for p in r.body.parts
        if p.type == "file"
    }


class _Builder:
    def __init__(self, collection: Collection, options: InferenceOptions, *, lazy: bool) -> None:
        self.collection = collection
        #: response schemas, response headers and the examples' bodies put off until first
        #: read (see ResponseContract), or worked out now (for contracts written at once)
        self.lazy = lazy
        self.later: Callable[[Callable[[], Any]], Any] = later if lazy else _now
        self.options = replace(options, evidence=True)
        self.redact = Redactor(collection.secrets)
        self.envelope: Envelope | None = detect_envelope(collection.operations)
        self.route_keys = self._route_keys()
        # Both read bodies across the collection; each operation's are read again, one
        # operation at a time, when it is built (see forget_parsed).
        for op in collection.operations:
            forget_parsed(op)

    def _route_keys(self) -> dict[str, RouteKey]:
        """The routing key of each operation that shares its method and path with others
        (path parameters of any name alike), where the collection shows what differs."""
        routes: dict[tuple[str, str], list[Operation]] = {}
        for op in self.collection.operations:
            segments = op.request.url.path_template.strip("/").split("/")
            shape = "/".join("{}" if _is_slot(s) else s for s in segments)
            routes.setdefault((op.method, shape), []).append(op)
        out: dict[str, RouteKey] = {}
        for ops in routes.values():
            if len(ops) < 2:
                continue
            shown = [
                [Shown(r.header, _key_body(r), r.header("Content-Type")) for r in self.good(op)]
                for op in ops
            ]
            for op, key in zip(ops, route_keys(shown), strict=True):
                if key is not None:
                    values = tuple(self.redact(v) if isinstance(v, str) else v for v in key.values)
                    out[op.id] = replace(key, values=values)
        return out

    def good(self, op: Operation) -> list[Request]:
        """The requests that document ``op`` as valid: the item's and its successes'."""
        successes, _ = classify(op, self.envelope)
        return [op.request] + [e.original_request for e in successes if e.original_request]

    def schema_of(self, samples: Iterable[Any]) -> dict[str, Any] | None:
        builder = SchemaBuilder(self.options)
        seen = False
        for sample in samples:
            builder.add(sample)
            seen = True
        return builder.to_schema() if seen else None

    def operation(self, op: Operation) -> OperationContract:
        successes, errors = classify(op, self.envelope)
        good_requests = [op.request] + [e.original_request for e in successes if e.original_request]
        baseline = (
            successes[0].original_request
            if successes and successes[0].original_request
            else op.request
        )
        entries = tuple(self.error(op, e, key, record, baseline) for e, key, record in errors)
        return OperationContract(
            id=op.id,
            name=op.name,
            folder=op.folder,
            description=self.redact(op.description),
            request=self.request(op, good_requests),
            responses=self.responses(op, {e.name for e in successes}),
            errors=entries,
            examples=tuple(self.exchange(op, e) for e in op.examples),
        )

    def request(self, op: Operation, good: list[Request]) -> RequestContract:
        # A form with no field at all is no body (Postman sends none).
        form = any(form_fields(r, disabled=True) for r in good)
        if form:
            schema, bodies = self.form_schema(good)
        else:
            bodies = [b for b in map(_body_json, good) if b is not None]
            schema = self.schema_of(bodies)
        if schema is not None:
            concrete = [redact_json(b, self.redact) for b in bodies if not _has_slots(b)]
            examples = concrete or [_typed_copy(bodies[0], self.redact)]
            title = f"{self.collection.name} / {op.item_path}: request body"
            schema = _annotate(schema, title, self.redact(op.description), _unique(examples))
        body = op.request.body
        mode = body.mode if body else "none"
        content_type = op.request.header("Content-Type")
        if content_type is None and body is not None:
            content_type = "application/json" if body.is_json else _FORM_TYPES.get(mode)
            if mode == "file":
                content_type = "application/octet-stream"  # what a file is, told nothing else
        if form and media_kind(content_type) not in ("form", "multipart"):
            content_type = _FORM_TYPES.get(mode, URLENCODED)  # what Postman sends a form as
        if mode == "file" or (not form and media_kind(content_type) == "binary"):
            schema = None  # bytes of a media type (an image, a file): no JSON to describe
        elif mode == "graphql" and schema is not None:
            props = schema.setdefault("properties", {})
            for name, member in _GRAPHQL_MEMBERS.items():
                props.setdefault(name, dict(member))
        essence = parse_media_type(content_type).essence
        headers = {"Content-Type": essence} if essence else {}
        auth = auth_contract(op.auth) if op.auth is not None else header_auth(op.request)
        if auth.token_url and self.redact:
            auth = replace(auth, token_url=self.redact(auth.token_url))
        return RequestContract(
            method=op.method,
            host=op.request.url.host_text,
            path=op.request.url.path_template,
            parameters=self.parameters(op, good),
            headers=headers,
            content_type=headers.get("Content-Type"),
            body_mode=mode,
            schema=schema,
            auth=auth,
            disabled_query=self.disabled_query(good),
            header_params=self.header_params(good, auth),
            route_key=self.route_keys.get(op.id),
            graphql=self.redact(body.raw) if body is not None and mode == "graphql" else None,
            text_body=self.redact(body.raw)
            if body is not None
            and mode == "raw"
            and not body.is_json
            and not form
            and body.raw.strip()
            and media_kind(content_type) in ("xml", "text")
            else None,
            protocol=op.request.url.protocol,
        )

    def form_schema(self, good: list[Request]) -> tuple[dict[str, Any] | None, list[Any]]:
        """The schema of a form body (an object of its field names) and the samples it was
        inferred from. A field is required when every request enables it; one disabled or
        absent in some is optional; one shown only disabled is documented, optional."""
        shown = [f for f in (form_fields(r, disabled=True) for r in good) if f is not None]
        if not shown:
            return None, []
        enabled = [f for f in (form_fields(r) for r in good) if f is not None]
        samples = [_text_object(pairs) for pairs in shown]
        schema = self.schema_of(samples) or {"type": "object"}
        schema["type"] = "object"
        names = [{k for k, _ in pairs} for pairs in enabled]
        always = set.intersection(*names) if names else set()
        required = [k for k in schema.get("required", []) if k in always]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        props = schema.get("properties", {})
        for name in _file_fields(good):
            if name in props:
                evidence = props[name].get("x-evidence")
                props[name] = dict(FILE_SCHEMA)
                if evidence is not None:
                    props[name]["x-evidence"] = evidence
        mark_text_types(schema, samples)
        return schema, [_text_object(pairs) for pairs in enabled]

    def parameters(self, op: Operation, good: list[Request]) -> tuple[Parameter, ...]:
        out: list[Parameter] = []
        path_samples = [
            _text_object((v.key, v.value) for v in r.url.variables if v.value)
            for r in good
            if r.url.variables
        ]
        names = [v.key for v in op.request.url.variables] or [
            s[1:] for s in op.request.url.path if s.startswith(":") and len(s) > 1
        ]
        # A path variable is one segment: never empty, whatever the examples show.
        out += [
            replace(p, schema={**p.schema, "minLength": 1})
            for p in self._params(names, [s for s in path_samples if s], "path", required_all=True)
        ]
        query_samples = [
            _text_object((q.key, q.value) for q in r.url.enabled_query if q.key) for r in good
        ]
        q_names = list(dict.fromkeys(q.key for r in good for q in r.url.enabled_query if q.key))
        described = _described((q.key, q.description) for r in good for q in r.url.query)
        out += [
            _as_described(p, described)
            for p in self._params(q_names, query_samples, "query", required_all=False)
        ]
        return tuple(out)

    def header_params(self, good: list[Request], auth: AuthContract) -> tuple[Parameter, ...]:
        """The documented request headers, credentials and transport headers apart.

        Required: enabled in every request, not one of :data:`_NEVER_REQUIRED`, and not
        described as optional (:func:`_described_optional`).
        """
        skip = set(_NOT_DOCUMENTED) | CREDENTIAL_HEADERS
        if auth.location == "header" and auth.name:
            skip.add(auth.name.lower())
        spelling: dict[str, str] = {}
        for r in good:
            for h in r.headers:
                name = h.key.strip().lower()
                if name and name not in skip:
                    spelling.setdefault(name, h.key.strip())
        described = _described((h.key, h.description) for r in good for h in r.headers)
        if not spelling:
            return ()
        samples = [
            _text_object(
                (spelling[h.key.strip().lower()], h.value)
                for h in r.enabled_headers
                if h.key.strip().lower() in spelling
            )
            for r in good
        ]
        found = self._params(list(spelling.values()), samples, "header", required_all=False)
        texts = {h.key.strip().lower(): h.value for r in good for h in reversed(r.enabled_headers)}
        return tuple(
            replace(
                _as_described(p, described),
                required=p.required
                and p.name.lower() not in _NEVER_REQUIRED
                and described.get(p.name.lower()) != "optional",
                example=self.redact(texts[p.name.lower()]) if p.name.lower() in texts else None,
            )
            for p in found
        )

    def disabled_query(self, good: list[Request]) -> tuple[Parameter, ...]:
        """Query parameters shown only disabled (documented as optional, never sent)."""
        enabled = {q.key for r in good for q in r.url.enabled_query}
        names = list(
            dict.fromkeys(
                q.key for r in good for q in r.url.query if q.disabled and q.key not in enabled
            )
        )
        samples = [
            _text_object((q.key, q.value) for q in r.url.query if q.key in names) for r in good
        ]
        found = self._params(names, [s for s in samples if s], "query", required_all=False)
        return tuple(replace(p, required=False) for p in found)

    def _params(
        self,
        names: list[str],
        samples: list[dict[str, Any]],
        where: str,
        *,
        required_all: bool,
        text: bool = False,
    ) -> list[Parameter]:
        if not names:
            return []
        schema = self.schema_of(samples) or {}
        if where in ("query", "path") or text:
            mark_text_types(schema, samples)
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        out = []
        for name in names:
            example = next(
                (_example_text(s[name]) for s in samples if _example_text(s.get(name)) is not None),
                None,
            )
            out.append(
                Parameter(
                    name=name,
                    location=where,
                    required=required_all or name in required,
                    schema=props.get(name, {"type": "string"}),
                    example=self.redact(example) if example is not None else None,
                )
            )
        return out

    def response_headers(self, examples: list[Example]) -> tuple[Parameter, ...]:
        """The documented headers of one status's examples (see ``_response_headers``):
        each typed from its texts like a query parameter, required when every example
        shows it."""
        spelling: dict[str, str] = {}
        for e in examples:
            for h in e.headers:
                if is_contract_header(h.key):
                    spelling.setdefault(h.key.strip().lower(), h.key.strip())
        if not spelling:
            return ()
        samples = [
            _text_object(
                (spelling[h.key.strip().lower()], h.value)
                for h in e.headers
                if h.key.strip().lower() in spelling
            )
            for e in examples
        ]
        found = self._params(
            list(spelling.values()), samples, "header", required_all=False, text=True
        )
        shown = [{k.lower() for k in s} for s in samples]
        out = []
        for p in found:
            schema = p.schema
            if p.name.lower() in UNTYPED_HEADERS:
                schema = {k: v for k, v in schema.items() if k not in ("type", "format")}
            every = all(p.name.lower() in names for names in shown)
            out.append(replace(p, required=every, schema=schema))
        return tuple(sorted(out, key=lambda p: p.name.lower()))

    def responses(self, op: Operation, success_names: set[str]) -> tuple[ResponseContract, ...]:
        by_status: dict[int | None, list[Example]] = {}
        for e in op.examples:
            by_status.setdefault(e.status, []).append(e)
        # Worked out when first read (see ResponseContract), once for all the examples that
        # share them.
        headers = {
            status: self.later(_once(functools.partial(self.response_headers, found)))
            for status, found in by_status.items()
        }
        groups: dict[tuple[Any, ...], list[Example]] = {}
        for e in op.examples:
            shape = tuple(sorted(e.json)) if isinstance(e.json, dict) else type(e.json).__name__
            groups.setdefault((e.status, shape if e.is_json else e.content_type), []).append(e)
        out: list[ResponseContract] = []
        for members in groups.values():
            schema = (
                self.later(_once(functools.partial(self.response_schema, op, members)))
                if any(e.is_json for e in members)
                else None
            )
            out.extend(
                ResponseContract(
                    example=e.name,
                    status=e.status,
                    content_type=parse_media_type(e.content_type).essence,
                    success=e.name in success_names,
                    schema=schema,
                    headers=headers[e.status],
                )
                for e in members
            )
        order = {e.name: i for i, e in enumerate(op.examples)}
        return tuple(sorted(out, key=lambda r: order[r.example]))

    def response_schema(self, op: Operation, members: list[Example]) -> dict[str, Any] | None:
        """The schema of a group of ``op``'s examples of one status and shape."""
        schema = self.schema_of(e.json for e in members if e.is_json)
        if schema is not None:
            status = members[0].status
            title = f"{self.collection.name} / {op.item_path}: {status} response"
            examples = _unique([_typed_copy(e.json, self.redact) for e in members if e.is_json])
            schema = _annotate(
                schema, title, "Examples: " + ", ".join(e.name for e in members), examples
            )
        if self.lazy:
            forget_parsed(*members)  # parsed again to be read here: let go again
        return schema

    def error(
        self,
        op: Operation,
        example: Example,
        key: str | None,
        record: dict[str, Any],
        baseline: Request,
    ) -> ErrorEntry:
        env = self.envelope
        code = record.get(env.code_key) if env and env.code_key else None
        message = record.get(env.message_key) if env and env.message_key else None
        details = record.get("details")
        return ErrorEntry(
            example=example.name,
            code=code if isinstance(code, str) else None,
            status=example.status,
            placement="record" if key else "top",
            record_path=key,
            message=self.redact(message) if isinstance(message, str) else None,
            trigger=_redacted_trigger(find_trigger(example, baseline), self.redact),
            details_schema=self.schema_of([details]) if isinstance(details, dict) else None,
        )

    def json_copy(self, holder: Body | Example) -> Any:
        """A body as its example shows it: copied, redacted, slots typed."""
        copy = _typed_copy(holder.json, self.redact)
        if self.lazy:
            forget_parsed(holder)  # parsed again to be read here: let go again
        return copy

    def exchange(self, op: Operation, example: Example) -> ExampleExchange:
        request = example.original_request or op.request
        body = request.body
        fields = form_fields(request)
        if body is None or body.mode == "none":
            payload: Any = None
        elif fields is not None:  # a form: its fields as text, a repeated one as a list
            payload = {}
            for key, text in fields:
                value = _typed_text(self.redact(text))
                have = payload.get(key)
                payload[key] = value if have is None else [*_listed(have), value]
        elif body.is_json:
            payload = self.later(functools.partial(self.json_copy, body))
        else:
            payload = self.redact(body.raw) if body.mode == "raw" else None
        return ExampleExchange(
            name=example.name,
            method=request.method,
            path="/" + "/".join(request.url.path),
            query=tuple(
                (q.key, None if q.value is None else _typed_text(self.redact(q.value)))
                for q in request.url.enabled_query
            ),
            headers=tuple(
                (h.key, _typed_text(self.redact(h.value))) for h in request.enabled_headers
            ),
            body=payload,
            body_is_json=bool(body and body.is_json),
            status=example.status,
            response_headers=tuple(
                (h.key, self.redact(h.value))
                for h in example.headers
                if h.key.lower() == "content-type" or is_contract_header(h.key)
            ),
            response_body=self.later(functools.partial(self.json_copy, example))
            if example.is_json
            else self.redact(example.body),
            response_is_json=example.is_json,
        )


def _example_text(value: Any) -> str | None:
    """A parameter's documented value as text (the first of a repeated one), unless a slot."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, Placeholder):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return None if "{{" in text else text


def _redacted_trigger(trigger: Any, redact: Redactor) -> Any:
    if not trigger.detail or not redact:
        return trigger
    return replace(trigger, detail=redact_json(trigger.detail, redact))


def _typed_samples(value: Any) -> Any:
    """``value`` with its ``<type>`` slots as values of their type, ``{{variables}}`` kept:
    a schema's ``examples`` must be valid under it, and stay byte-identical (no dynamic
    variable is filled here)."""
    return fill_slots(value, {}, dynamic=False)


def _now(compute: Callable[[], T]) -> T:
    """``compute()``: what :func:`later` stands for when nothing is put off."""
    return compute()


def _once(compute: Callable[[], T]) -> Callable[[], T]:
    """``compute``, run once however often it is called (one value of several fields)."""
    done: list[T] = []

    def once() -> T:
        if not done:
            done.append(compute())
        return done[0]

    return once


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _typed_text(text: str) -> str:
    """A query or header value, a ``<type>`` slot as the text of a value of its type."""
    return str(fill_slots(text, {}, json=False, dynamic=False))


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def stream_contracts(
    collection: Collection, options: InferenceOptions | None = None, *, lazy: bool = False
) -> tuple[ContractSet, Iterator[OperationContract]]:
    """The contract set of ``collection`` without its operations, and those operations built
    one at a time as they are asked for (for :func:`write_contracts`, whose memory then holds
    one operation's contracts, not a whole large collection's).

    ``lazy`` puts off what only running tests reads (see ``ResponseContract``); contracts
    written at once are better built whole.
    """
    options = options or InferenceOptions()
    with collector_paused():  # the envelope reads every example: see collection._gc
        builder = _Builder(collection, options, lazy=lazy)
    header = ContractSet(
        name=collection.name,
        operations=(),
        envelope=builder.envelope,
        options={
            "required": options.required,
            "strictness": options.strictness,
            "evidence": options.policy.as_json(),
        },
        secrets=collection.secrets,
        values=dict(collection.values),
    )
    return header, _built(builder, collection)


def _built(builder: _Builder, collection: Collection) -> Iterator[OperationContract]:
    """Each operation's contract; its bodies' parsed JSON is let go once it is built."""
    for op in collection.operations:
        yield builder.operation(op)
        forget_parsed(op)


def build_contracts(
    collection: Collection, options: InferenceOptions | None = None, *, lazy: bool = False
) -> ContractSet:
    """Infer the contracts of every operation of ``collection``.

    Args:
        collection: a loaded collection.
        options: the inference policies (required keys, strictness); see
            :class:`~postman_contracts.contracts.InferenceOptions`.
        lazy: put off response schemas, response headers and the examples' bodies until
            first read (see ``ResponseContract``): what a test run wants, as most tests read
            none of them.
    """
    with collector_paused():  # many live objects, no garbage: see collection._gc
        header, operations = stream_contracts(collection, options, lazy=lazy)
        return replace(header, operations=tuple(operations))


def _described(parameters: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``"required"`` or ``"optional"`` by lower-case name, for the query parameters or
    headers whose description says which.

    Postman's OpenAPI importer enables every parameter, optional ones too, and writes
    ``(Required)`` at the start of the description of the required ones: a parameter
    described with that mark is documented required (whatever the examples show), one
    described without it optional. An undescribed one says nothing either way (a hand-written
    collection): its examples decide.
    """
    out: dict[str, str] = {}
    for name, description in parameters:
        about, key = description.strip(), name.strip().lower()
        if key and about:
            marked = about.startswith("(Required)")
            if marked or out.get(key) != "required":
                out[key] = "required" if marked else "optional"
    return out


def _as_described(p: Parameter, described: dict[str, str]) -> Parameter:
    """``p`` as its description documents it: optional, or required with the mark kept in its
    evidence (``x-evidence.marked``, which the evidence policy asserts like many examples)."""
    said = described.get(p.name.lower())
    if said == "optional":
        return replace(p, required=False)
    if said == "required" and isinstance(p.schema.get(EVIDENCE_KEY), dict):
        evidence = {**p.schema[EVIDENCE_KEY], "marked": "required"}
        return replace(p, required=True, schema={**p.schema, EVIDENCE_KEY: evidence})
    return p
