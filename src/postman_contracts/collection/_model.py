"""The typed model of a Postman collection.

Why it exists: Postman's JSON allows the same thing many ways (a URL as text or as parts, auth
parameters as an object in v2.0 and as key/value lists in v2.1, headers as a list, a string or
``null``). The loader settles all of that once, so every later layer reads one frozen shape.
Nothing here parses; see :mod:`postman_contracts.collection._loader` (which may hand a body's
parse over as a :class:`~._deferred.Deferred`, run on first read: see ``_JSON`` below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from postman_contracts.collection._deferred import DeferredField, deferred_fields
from postman_contracts.collection._placeholders import Placeholder, find_placeholders

__all__ = [
    "NOT_JSON",
    "Auth",
    "Body",
    "Collection",
    "Example",
    "Folder",
    "FormPart",
    "Header",
    "JsonValue",
    "LoadWarning",
    "Operation",
    "QueryParam",
    "Request",
    "Url",
    "Variable",
]

#: A JSON value as the loader parses it: placeholders appear as :class:`Placeholder`.
JsonValue = None | bool | int | float | str | list[Any] | dict[str, Any] | Placeholder

BodyMode = Literal["raw", "urlencoded", "formdata", "graphql", "file", "none"]


class _NotJson:
    """The type of :data:`NOT_JSON`."""

    _instance: _NotJson | None = None

    def __new__(cls) -> _NotJson:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_JSON"

    def __bool__(self) -> bool:
        return False


#: Stands for "this body is not JSON" (absent, another language, or JSON that did not parse).
NOT_JSON: Any = _NotJson()

#: The ``json`` field of :class:`Body` and :class:`Example` may be given later: a large
#: collection's parsed bodies are more than half its model in memory, yet only building
#: contracts reads them, one operation at a time. The loader checks that a body parses (its
#: errors and warnings come at load) and hands the parse over deferred; :func:`forget_parsed`
#: lets the value go (it is parsed again if read again).
_PARSED_ON_USE = deferred_fields("json", keep=True)


@dataclass(frozen=True)
class LoadWarning:
    """Something the loader kept but that a user may want to fix (a body that did not parse)."""

    message: str
    item_path: str
    pointer: str

    def __str__(self) -> str:
        where = f"item '{self.item_path}', " if self.item_path else ""
        return f"{where}{self.pointer}: {self.message}"


@dataclass(frozen=True)
class Variable:
    """A collection or environment variable.

    ``secret`` is true for Postman's ``secret`` type and for names that say they hold a
    secret (token, password, key...): such values never appear in anything we produce.
    """

    key: str
    value: str
    type: str = "string"
    disabled: bool = False
    description: str = ""
    secret: bool = False


@dataclass(frozen=True)
class Header:
    """One request or response header (``description`` as the collection writes it)."""

    key: str
    value: str
    disabled: bool = False
    description: str = ""


@dataclass(frozen=True)
class QueryParam:
    """One query parameter of a URL; ``value`` is ``None`` for a bare ``?flag``."""

    key: str
    value: str | None
    disabled: bool = False
    description: str = ""


@dataclass(frozen=True)
class Url:
    """A request URL, with its parts.

    Attributes:
        raw: the URL as written, placeholders included.
        protocol: ``https``, ``http`` or ``""`` when the host is a placeholder.
        host: host labels, e.g. ``("{{api-domain}}",)`` or ``("postman-echo", "com")``.
        port: the port as written, or ``""``.
        path: path segments as written (``":id"`` marks a path variable).
        query: the query parameters, disabled ones included.
        variables: path variables (``:id``) with their documented values.
    """

    raw: str
    protocol: str = ""
    host: tuple[str, ...] = ()
    port: str = ""
    path: tuple[str, ...] = ()
    query: tuple[QueryParam, ...] = ()
    variables: tuple[Variable, ...] = ()

    @property
    def path_template(self) -> str:
        """The path with path variables as ``{name}``, e.g. ``/crm/v2/Leads/{id}``."""
        segments = [f"{{{s[1:]}}}" if s.startswith(":") and len(s) > 1 else s for s in self.path]
        return "/" + "/".join(segments)

    @property
    def host_text(self) -> str:
        """The host as one string, e.g. ``{{api-domain}}`` or ``postman-echo.com``."""
        return ".".join(self.host) + (f":{self.port}" if self.port else "")

    @property
    def template(self) -> str:
        """Host and path template, e.g. ``{{api-domain}}/crm/v2/Leads/actions/mass_update``."""
        prefix = f"{self.protocol}://" if self.protocol else ""
        return prefix + self.host_text + self.path_template

    @property
    def enabled_query(self) -> tuple[QueryParam, ...]:
        """The query parameters that are not disabled."""
        return tuple(q for q in self.query if not q.disabled)


@dataclass(frozen=True)
class FormPart:
    """One part of a ``formdata`` or ``urlencoded`` body."""

    key: str
    value: str = ""
    type: Literal["text", "file"] = "text"
    src: tuple[str, ...] = ()
    content_type: str = ""
    disabled: bool = False


@_PARSED_ON_USE
@dataclass(frozen=True)
class Body:
    """A request body in any Postman mode.

    Attributes:
        mode: ``raw``, ``urlencoded``, ``formdata``, ``graphql``, ``file`` or ``none``.
        raw: the raw text (mode raw), or the GraphQL query (mode graphql).
        language: ``options.raw.language`` (``json``, ``xml``, ``text``...), or ``""``.
        json: the parsed JSON value with :class:`Placeholder` slots, or :data:`NOT_JSON`; for
            a ``graphql`` body, the JSON object Postman sends, ``{"query", "variables"}``.
        parts: the fields of a ``urlencoded`` or ``formdata`` body.
        graphql_variables: the GraphQL variables text.
        file_src: the file of a ``file`` body.
    """

    mode: BodyMode = "none"
    raw: str = ""
    language: str = ""
    json: Any = NOT_JSON
    parts: tuple[FormPart, ...] = ()
    graphql_variables: str = ""
    file_src: str = ""

    @property
    def is_json(self) -> bool:
        """Whether the body holds parsed JSON."""
        return _is_json(self)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Names of the ``{{slots}}`` the body text uses."""
        text = self.raw + self.graphql_variables + "".join(p.value for p in self.parts)
        return find_placeholders(text)


@dataclass(frozen=True)
class Auth:
    """An auth scheme and its parameters (values may be ``{{placeholders}}``).

    ``type`` is Postman's: noauth, bearer, basic, apikey, oauth2, digest, oauth1, hawk, awsv4,
    ntlm, akamai, edgegrid, jwt, asap... Types this tool does not interpret are kept as given.
    """

    type: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    def get(self, key: str, default: str = "") -> str:
        """A parameter as text."""
        value = self.params.get(key, default)
        return value if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Request:
    """A request as Postman stores it: an item's ``request`` or an example's ``originalRequest``."""

    method: str
    url: Url
    headers: tuple[Header, ...] = ()
    body: Body | None = None
    auth: Auth | None = None
    description: str = ""

    @property
    def enabled_headers(self) -> tuple[Header, ...]:
        """The headers that are not disabled."""
        return tuple(h for h in self.headers if not h.disabled)

    def header(self, name: str) -> str | None:
        """The value of the first enabled header called ``name`` (case-insensitive)."""
        lowered = name.lower()
        for h in self.headers:
            if not h.disabled and h.key.lower() == lowered:
                return h.value
        return None


@_PARSED_ON_USE
@dataclass(frozen=True)
class Example:
    """A saved example response, with the request that produced it.

    Attributes:
        name: the example's name (``SUCCESS RESPONSE``, ``INVALID_DATA (field)``...).
        status: the HTTP status code, or ``None`` when the example does not say.
        status_text: the reason phrase, e.g. ``Bad Request``.
        headers: response headers (a ``null`` list loads as empty).
        body: the body text (``""`` when absent).
        json: the parsed JSON body, or :data:`NOT_JSON`.
        preview_language: Postman's ``_postman_previewlanguage``.
        original_request: the example's ``originalRequest``, or ``None``.
        pointer: where the example sits in the file, e.g. ``#/item/0/response/2``.
    """

    name: str
    status: int | None
    status_text: str = ""
    headers: tuple[Header, ...] = ()
    body: str = ""
    json: Any = NOT_JSON
    preview_language: str = ""
    original_request: Request | None = None
    pointer: str = ""

    @property
    def content_type(self) -> str:
        """The example's Content-Type header value, or ``""``."""
        for h in self.headers:
            if h.key.lower() == "content-type":
                return h.value
        return ""

    @property
    def is_json(self) -> bool:
        """Whether the body holds parsed JSON."""
        return _is_json(self)


@dataclass(frozen=True)
class Operation:
    """A request item: what a contract is built for.

    Attributes:
        id: a stable, unique slug from the folder path and name (``bulk-write/create-...``).
        name: the item's name.
        folder: the names of the folders above it, outermost first.
        request: the item's request.
        auth: the auth in effect after inheritance (``None`` when nothing sets one).
        examples: the saved examples.
        description: the request's (or item's) description.
        pointer: where the item sits in the file, e.g. ``#/item/1/item/0``.
    """

    id: str
    name: str
    folder: tuple[str, ...]
    request: Request
    auth: Auth | None
    examples: tuple[Example, ...] = ()
    description: str = ""
    pointer: str = ""

    @property
    def item_path(self) -> str:
        """The Postman item path, e.g. ``Bulk Write / Create Bulk Write Job``."""
        return " / ".join((*self.folder, self.name))

    @property
    def method(self) -> str:
        """The request method, upper-case."""
        return self.request.method


@dataclass(frozen=True)
class Folder:
    """A folder of items, possibly nested."""

    name: str
    items: tuple[Folder | Operation, ...] = ()
    auth: Auth | None = None
    description: str = ""
    pointer: str = ""


@dataclass(frozen=True)
class Collection:
    """A loaded Postman collection.

    Attributes:
        name: ``info.name`` (the item's name for a bare item).
        schema_version: ``2.1.0``, ``2.0.0``, or ``item`` for a bare item or folder.
        items: the top-level folders and operations, in file order.
        operations: every operation, depth first, in file order.
        variables: collection variables, then environment values, then overrides, as given.
        values: the effective variable values, with Postman's precedence applied.
        auth: the collection-level auth.
        source: the file it came from, or ``None``.
        warnings: what the loader kept but flagged.
        secrets: values that must never be written anywhere (secret variables' values and
            credentials in auth parameters); see :mod:`postman_contracts.collection._secrets`.
    """

    name: str
    schema_version: str
    items: tuple[Folder | Operation, ...]
    operations: tuple[Operation, ...]
    variables: tuple[Variable, ...] = ()
    values: dict[str, str] = field(default_factory=dict, hash=False)
    auth: Auth | None = None
    description: str = ""
    source: str | None = None
    warnings: tuple[LoadWarning, ...] = ()
    secrets: frozenset[str] = frozenset()

    def operation(self, operation_id: str) -> Operation:
        """The operation with that id; ``KeyError`` names the ids there are."""
        for op in self.operations:
            if op.id == operation_id:
                return op
        known = ", ".join(op.id for op in self.operations)
        raise KeyError(f"no operation {operation_id!r}; the collection has: {known}")


def forget_parsed(*of: Operation | Example | Body) -> None:
    """Let go of the parsed JSON bodies of each operation (its request's and its examples'),
    example or body given, which are parsed again if read again: what a caller does once it
    has built an operation's contract, so that a large collection holds its bodies as text."""
    for item in of:
        if isinstance(item, Operation):
            requests = (item.request, *(e.original_request for e in item.examples))
            forget_parsed(*item.examples, *(r.body for r in requests if r and r.body))
        else:
            _json_field(item).forget(item)


def _json_field(holder: Body | Example) -> DeferredField:
    return type(holder).__dict__["json"]  # type: ignore[no-any-return]


def _is_json(holder: Body | Example) -> bool:
    """Whether ``holder``'s body is JSON, without parsing it."""
    field = _json_field(holder)
    return field.deferred(holder) or field.known(holder, NOT_JSON) is not NOT_JSON
