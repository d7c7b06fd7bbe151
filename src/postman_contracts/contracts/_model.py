"""The contract model: what an operation promises, as inferred from its documentation.

Why it exists: the generators, the checks, the mock and the plugin all need the same facts
(the request's shape and auth, each documented response's schema, each documented error's code,
placement and trigger) whether they come from a collection just loaded or from a committed
``contracts/`` directory. These frozen classes are that one shape; ``_files`` writes and reads
them, ``_build`` infers them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from postman_contracts.collection import deferred_fields
from postman_contracts.contracts._catalog import Envelope, ErrorEntry, Trigger
from postman_contracts.contracts._evidence import EvidencePolicy
from postman_contracts.contracts._routing import RouteKey

T = TypeVar("T")

__all__ = [
    "AuthContract",
    "ContractSet",
    "Envelope",
    "ErrorEntry",
    "ExampleExchange",
    "OperationContract",
    "Parameter",
    "RequestContract",
    "ResponseContract",
    "RouteKey",
    "Trigger",
]


@dataclass(frozen=True)
class AuthContract:
    """How a request must carry credentials.

    Attributes:
        type: Postman's auth type (``bearer``, ``basic``, ``apikey``, ``oauth2``... or ``noauth``).
        location: ``header``, ``query`` or ``none``.
        name: the header or query parameter name (``Authorization``, ``X-API-Key``).
        scheme: the HTTP auth scheme (``Bearer``, ``Basic``), or ``""``.
        token_variable: the variable that holds the credential (``access-token``), or ``""``;
            for Basic auth, the user name.
        password_variable: for Basic and Digest auth, the variable that holds the password,
            or ``""``.
        token_url: for OAuth 2, the token endpoint (``accessTokenUrl``), whose requests a
            client makes to get a token and the API does not document; or ``""``.
    """

    type: str
    location: str = "none"
    name: str = ""
    scheme: str = ""
    token_variable: str = ""
    password_variable: str = ""
    token_url: str = ""

    @property
    def required(self) -> bool:
        """Whether requests must carry credentials at all."""
        return self.location != "none"

    @property
    def unsigned(self) -> str:
        """Why this tool cannot send credentials of this scheme (``""`` when it can).

        Bearer, Basic, API keys, OAuth 2 tokens and Digest (``requests``'
        ``HTTPDigestAuth``) are sent. OAuth 1.0, Hawk, AWS Signature, NTLM, Akamai EdgeGrid
        and the like sign each request with a key; signing them needs libraries that are
        not dependencies (OAuth 1.0: ``oauthlib``), so their requests are not checked, and
        say so, rather than fail on a 401 the server rightly answers.
        """
        if not self.required or self.type in _SIGNED or self.type == "header":
            return ""
        return _UNSIGNED.get(self.type, f"{self.type} signatures are not made by this tool")


_SIGNED = frozenset({"noauth", "bearer", "basic", "apikey", "oauth2", "digest"})
_UNSIGNED = {
    "oauth1": "OAuth 1.0 signatures need oauthlib, which is not a dependency",
    "awsv4": "AWS Signature v4 needs botocore, which is not a dependency",
    "hawk": "Hawk signatures need mohawk, which is not a dependency",
    "ntlm": "NTLM needs requests-ntlm, which is not a dependency",
    "edgegrid": "Akamai EdgeGrid signatures need edgegrid-python, which is not a dependency",
    "akamai": "Akamai EdgeGrid signatures need edgegrid-python, which is not a dependency",
}


@dataclass(frozen=True)
class Parameter:
    """A path or query parameter with its inferred schema."""

    name: str
    location: str  # "path", "query" or "header"
    required: bool
    schema: dict[str, Any] = field(hash=False)
    example: str | None = None


@dataclass(frozen=True)
class RequestContract:
    """What a valid request looks like.

    Attributes:
        method: the documented method.
        host: the host template (``{{api-domain}}``), matched loosely.
        path: the path template with ``{name}`` parameters.
        parameters: path and query parameters.
        headers: required headers and their values (``Content-Type``).
        content_type: the body's media type, or ``None`` without a body.
        body_mode: Postman's body mode.
        schema: the JSON Schema of a JSON body, or ``None``.
        auth: how credentials are carried.
        disabled_query: query parameters the collection shows disabled: Postman's way (and its
            OpenAPI importer's) to document an optional parameter without sending it. Only the
            diff reads them; checks and generators use ``parameters``.
        header_params: the documented request headers other than Content-Type, transport
            headers and credentials (which ``auth`` describes), each ``required`` or not.
        route_key: what tells this operation apart from the others documented on its method
            and path (a SOAPAction, a GraphQL operation name...), or ``None`` (alone on its
            route, or a variant of the others); see :mod:`._routing`.
        graphql: the documented GraphQL document of a ``graphql`` body (``schema`` is then
            the schema of the JSON body sent, ``{"query", "variables"}``), or ``None``.
        text_body: the documented body of a request that is XML or text, sent as it is by
            generated requests (nothing infers a schema of it), or ``None``.
        protocol: the scheme the collection writes before a literal host (``https``), or
            ``""``; the default URL of an operation on a host of its own (``_hosts``).
    """

    method: str
    host: str
    path: str
    parameters: tuple[Parameter, ...] = ()
    headers: dict[str, str] = field(default_factory=dict, hash=False)
    content_type: str | None = None
    body_mode: str = "none"
    schema: dict[str, Any] | None = field(default=None, hash=False)
    auth: AuthContract = AuthContract("noauth")
    disabled_query: tuple[Parameter, ...] = ()
    header_params: tuple[Parameter, ...] = ()
    route_key: RouteKey | None = None
    graphql: str | None = None
    text_body: str | None = None
    protocol: str = ""


@deferred_fields("schema", "headers")
@dataclass(frozen=True)
class ResponseContract:
    """A documented response: one saved example, and the schema of its status group.

    ``headers`` are the response headers documented under its status (every example of the
    status together; see :mod:`._response_headers` for which headers count), each
    ``required`` when every example of the status shows it.

    Built from a collection, ``schema`` and ``headers`` are worked out when first read (as
    are the bodies of an operation's ``examples``): collecting a large collection's tests
    reads none of them, and each xdist worker reads only those of the tests it runs.
    """

    example: str
    status: int | None
    content_type: str
    success: bool
    schema: dict[str, Any] | None = field(default=None, hash=False)
    schema_file: str | None = None
    headers: tuple[Parameter, ...] = ()


@deferred_fields("body", "response_body")
@dataclass(frozen=True)
class ExampleExchange:
    """A saved example as a request to replay and the response it documents (secrets removed).

    Built from a collection, the JSON ``body`` and ``response_body`` are copied from it when
    first read (see :class:`ResponseContract`).
    """

    name: str
    method: str
    path: str
    query: tuple[tuple[str, str | None], ...]
    headers: tuple[tuple[str, str], ...]
    body: Any  # JSON value, text, or None
    body_is_json: bool
    status: int | None
    response_headers: tuple[tuple[str, str], ...]
    response_body: Any
    response_is_json: bool


@dataclass(frozen=True)
class OperationContract:
    """Everything documented about one operation."""

    id: str
    name: str
    folder: tuple[str, ...]
    description: str
    request: RequestContract
    responses: tuple[ResponseContract, ...]
    errors: tuple[ErrorEntry, ...]
    examples: tuple[ExampleExchange, ...]

    @property
    def item_path(self) -> str:
        """The Postman item path, ``Folder / Item``."""
        return " / ".join((*self.folder, self.name))

    @property
    def success(self) -> ResponseContract | None:
        """The first documented success response: one with a status before one without (an
        OpenAPI ``default``, which Postman's importer saves with no status, is no success)."""
        found = [r for r in self.responses if r.success]
        return next((r for r in found if r.status is not None), found[0] if found else None)

    @property
    def distinct_requests(self) -> int:
        """How many distinct requests (query and body) the success examples show.

        A request saved identically under several responses is one example of it, not several
        (Postman's OpenAPI importer saves the one generated request, every optional member and
        parameter in it, under each response): it shows what a request may hold, not what every
        request must, so what is missing or ``null`` is asserted only from requests that vary.
        """
        success = {r.example for r in self.responses if r.success}
        shown = {
            (
                tuple(sorted((k, v or "") for k, v in x.query)),
                json.dumps(x.body, sort_keys=True, default=str),
            )
            for x in self.examples
            if x.name in success
        }
        return len(shown)

    @property
    def shown_response(self) -> ResponseContract | None:
        """The response the documentation shows for a plain request: the success response
        with a status, else the first 2xx example (even one whose body the catalog reads as an
        error of server state), else a status-less success (an OpenAPI ``default``). The one
        answer to "the success example", for the mocks, replays and probes."""
        success = self.success
        if success is not None and success.status is not None:
            return success
        return next(
            (r for r in self.responses if r.status is not None and 200 <= r.status < 300),
            success,
        )

    @property
    def shown_example(self) -> str | None:
        """The name of :attr:`shown_response`'s example, else of the first example."""
        shown = self.shown_response
        if shown is not None:
            return shown.example
        return self.examples[0].name if self.examples else None

    def response(self, example: str) -> ResponseContract:
        """The response documented by the example called ``example``."""
        for r in self.responses:
            if r.example == example:
                return r
        raise KeyError(f"{self.id} has no example {example!r}")

    def error(self, kind: str) -> ErrorEntry | None:
        """The first documented error whose trigger is of ``kind``."""
        return next((e for e in self.errors if e.trigger.kind == kind), None)


@dataclass(frozen=True)
class ContractSet:
    """The contracts of a whole collection.

    The lookups below answer from indexes made on first use and kept with the set (it is
    frozen, so they never go stale): the mock, the plugin and the client fixtures ask them
    for every request, and a scan of every operation each time made a run quadratic in the
    size of the collection.
    """

    name: str
    operations: tuple[OperationContract, ...]
    envelope: Envelope | None
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    secrets: frozenset[str] = frozenset()
    #: the collection's variable values (environment and overrides applied), to resolve
    #: hosts and ``{{variables}}`` before a run; never written (``{}`` for a directory)
    values: dict[str, str] = field(default_factory=dict, hash=False, compare=False, repr=False)
    _memo: dict[Any, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def evidence(self) -> EvidencePolicy:
        """The evidence policy the contracts were generated with (see ``index.json``)."""
        return self.memo("evidence", lambda: EvidencePolicy.from_json(self.options.get("evidence")))

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """``make()``, computed once per set and ``key`` (for indexes of the operations)."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            value = self._memo[key] = make()
            return value

    def operation(self, operation_id: str) -> OperationContract:
        """The operation with that id; ``KeyError`` lists the ids there are."""
        by_id = self.memo("by id", lambda: {op.id: op for op in reversed(self.operations)})
        try:
            return by_id[operation_id]
        except KeyError:
            known = ", ".join(op.id for op in self.operations)
            raise KeyError(f"no operation {operation_id!r}; the contracts have: {known}") from None

    def on_path(self, path: str) -> tuple[OperationContract, ...]:
        """The operations whose path template is ``path``, in collection order."""
        return self._grouped("path", lambda op: op.request.path).get(path, ())

    def on_route(self, method: str, path: str) -> tuple[OperationContract, ...]:
        """The operations documenting ``method`` on the path template ``path``, in order."""
        routes = self._grouped("route", lambda op: (op.request.method, op.request.path))
        return routes.get((method, path), ())

    def owner(self, entry: ErrorEntry) -> OperationContract | None:
        """The operation that documents ``entry`` (the very object, not an equal one)."""
        owners = self.memo(
            "owners", lambda: {id(e): op for op in reversed(self.operations) for e in op.errors}
        )
        return owners.get(id(entry))

    def _grouped(
        self, key: str, of: Callable[[OperationContract], Any]
    ) -> dict[Any, tuple[OperationContract, ...]]:
        def make() -> dict[Any, tuple[OperationContract, ...]]:
            groups: dict[Any, list[OperationContract]] = {}
            for op in self.operations:
                groups.setdefault(of(op), []).append(op)
            return {k: tuple(v) for k, v in groups.items()}

        return self.memo(key, make)

    def collection_error(self, kind: str, auth_type: str | None = None) -> ErrorEntry | None:
        """A documented error of ``kind`` anywhere in the collection: the best guess of what
        an operation that documents none of its own answers.

        Zoho documents AUTHENTICATION_FAILURE and INVALID_REQUEST_METHOD on one item only, yet
        every item with the same auth answers them alike. A guess is right for producing an
        answer (the mocks serve it); it is not evidence to fail a server with: checks ask
        :meth:`shared_error` (``--contracts-strict`` falls back to this).
        """

        def first() -> ErrorEntry | None:
            for op in self.operations:
                if auth_type is not None and op.request.auth.type != auth_type:
                    continue
                entry = op.error(kind)
                if entry is not None:
                    return entry
            return None

        return self.memo(("collection error", kind, auth_type), first)

    def shared_error(self, kind: str, auth_type: str | None = None) -> ErrorEntry | None:
        """An error of ``kind`` the collection *shows* shared by its operations, or ``None``.

        Shown means documented alike on at least two operations (of ``auth_type``, when
        given): the same status, code and placement everywhere it is documented. One
        operation's error is evidence about that operation; a server's framework may well
        answer a wrong method or missing credentials elsewhere in its own words
        (``application/problem+json``), and nothing documented says otherwise.
        """

        def shared() -> ErrorEntry | None:
            entries = [
                e
                for op in self.operations
                if auth_type is None or op.request.auth.type == auth_type
                if (e := op.error(kind)) is not None
            ]
            alike = {(e.status, e.code, e.placement) for e in entries}
            return entries[0] if len(entries) >= 2 and len(alike) == 1 else None

        return self.memo(("shared error", kind, auth_type), shared)
