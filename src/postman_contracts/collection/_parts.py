"""Read the leaves of a Postman item: URL, headers, body, auth, description.

Why it exists: these are where Postman's format allows the most variants (see the v2.0 and
v2.1 schemas): a URL as text or parts, headers as a list, text or ``null``, auth parameters
as an object (v2.0) or a key/value list (v2.1), five body modes. Each reader takes the raw JSON
and a :class:`Where` (for located errors) and returns a model part.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Literal

from postman_contracts._errors import CollectionError
from postman_contracts.collection._deferred import later
from postman_contracts.collection._jsontext import JsonTextError, parse_json_text
from postman_contracts.collection._media import media_kind
from postman_contracts.collection._model import (
    NOT_JSON,
    Auth,
    Body,
    FormPart,
    Header,
    LoadWarning,
    QueryParam,
    Url,
    Variable,
)
from postman_contracts.collection._pointer import to_pointer
from postman_contracts.collection._secrets import is_secret_name
from postman_contracts.collection._source import Limits

__all__ = ["Where", "read_auth", "read_body", "read_description", "read_headers", "read_url"]


class Where:
    """Where in the document a reader is: for errors and warnings.

    Readers make a :meth:`at` for every value they read, yet almost none of those is ever
    reported, so the JSON pointer is spelled out only when asked for (on an error, a
    warning, or for the model's own ``pointer`` fields).
    """

    __slots__ = ("_keys", "_parent", "_pointer", "file", "item_path", "limits", "warnings")

    def __init__(
        self,
        file: str | None,
        item_path: str,
        pointer: str,
        limits: Limits,
        warnings: list[LoadWarning] | None = None,
    ) -> None:
        self.file = file
        self.item_path = item_path
        self.limits = limits
        self.warnings: list[LoadWarning] = [] if warnings is None else warnings
        self._pointer: str | None = pointer
        self._parent: Where | None = None
        self._keys: tuple[str | int, ...] = ()

    @property
    def pointer(self) -> str:
        """The JSON pointer of this location, such as ``#/item/0/request/body/raw``."""
        if self._pointer is None:
            assert self._parent is not None  # only at() leaves the pointer unset
            tail = to_pointer(self._keys)
            self._pointer = self._parent.pointer + tail
        return self._pointer

    def __repr__(self) -> str:
        return f"Where({self.file!r}, {self.item_path!r}, {self.pointer!r})"

    def at(self, *keys: str | int) -> Where:
        """A location further down, sharing the warnings list."""
        child = Where(self.file, self.item_path, "", self.limits, self.warnings)
        child._pointer, child._parent, child._keys = None, self, keys
        return child

    def error(self, reason: str) -> CollectionError:
        """An error at this location."""
        return CollectionError(
            reason, file=self.file, item_path=self.item_path or None, pointer=self.pointer
        )

    def warn(self, message: str) -> None:
        """Record a warning at this location."""
        self.warnings.append(LoadWarning(message, self.item_path, self.pointer))


_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


def kind(value: object) -> str:
    """Name a JSON value's type for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return _JSON_TYPES.get(type(value), type(value).__name__)


def expect_dict(value: object, where: Where, what: str) -> dict[str, Any]:
    """``value`` as an object, or an error saying what it is instead."""
    if not isinstance(value, dict):
        raise where.error(f"{what} must be an object, got {kind(value)}")
    return value


def expect_list(value: object, where: Where, what: str) -> list[Any]:
    """``value`` as an array (``null`` reads as empty), or an error."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error(f"{what} must be an array, got {kind(value)}")
    return value


def text(value: object, where: Where, what: str) -> str:
    """A scalar as text (numbers and booleans as JSON writes them); ``null`` is ``""``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    raise where.error(f"{what} must be a string, got {kind(value)}")


def read_description(value: object, where: Where) -> str:
    """A description: text, or ``{"content": ..., "type": ...}``."""
    if isinstance(value, dict):
        return text(value.get("content"), where.at("content"), "description content")
    return text(value, where, "description")


@functools.lru_cache(maxsize=4096)
def _header(key: str, value: str, disabled: bool, description: str = "") -> Header:
    """One shared object per distinct header: the model is frozen, and every saved example
    repeats the same few dozen response headers (a quarter of a large collection's model)."""
    return Header(key, value, disabled, description)


def read_headers(value: object, where: Where) -> tuple[Header, ...]:
    """Headers: a list of ``{key, value, disabled}``, ``Key: value`` lines, or ``null``."""
    if isinstance(value, str):
        lines = (line.partition(":") for line in value.splitlines() if line.strip())
        return tuple(Header(k.strip(), v.strip()) for k, _, v in lines)
    out = []
    for i, raw in enumerate(expect_list(value, where, "header")):
        if type(raw) is dict:  # the usual shape, read without locating anything
            key, val = raw.get("key"), raw.get("value")
            if type(key) is str and type(val) is str:
                about = raw.get("description")
                if about is not None:
                    about = read_description(about, where.at(i).at("description"))
                out.append(_header(key, val, raw.get("disabled") is True, about or ""))
                continue
        w = where.at(i)
        h = expect_dict(raw, w, "a header")
        out.append(
            Header(
                key=text(h.get("key"), w.at("key"), "header key"),
                value=text(h.get("value"), w.at("value"), "header value"),
                disabled=h.get("disabled") is True,
                description=read_description(h.get("description"), w.at("description")),
            )
        )
    return tuple(out)


_URL_RE = re.compile(
    r"^(?:(?P<protocol>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>[^/?#]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#.*)?$",
    re.DOTALL,
)


def _split_host(host: str) -> tuple[tuple[str, ...], str]:
    """Split ``host:port`` (port may be a placeholder) into labels and port."""
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    port = ""
    m = re.match(r"^(.*?):(\d+|\{\{[^{}]+\}\})$", host)
    if m:
        host, port = m.group(1), m.group(2)
    labels = tuple(host.split(".")) if host and "{{" not in host else ((host,) if host else ())
    return labels, port


def _parse_query(query: str) -> tuple[QueryParam, ...]:
    out = []
    for pair in query.split("&"):
        if pair:
            key, eq, value = pair.partition("=")
            out.append(QueryParam(key, value if eq else None))
    return tuple(out)


def _path_segments(path: str) -> tuple[str, ...]:
    return tuple(path.split("/")[1:]) if path.startswith("/") else tuple(path.split("/"))


def parse_url_text(raw: str) -> Url:
    """Parse a URL written as text, the way Postman splits it into parts."""
    m = _URL_RE.match(raw.strip())
    assert m is not None  # the pattern matches any text
    host, port = _split_host(m.group("host"))
    path = m.group("path")
    return Url(
        raw=raw,
        protocol=(m.group("protocol") or "").lower(),
        host=host,
        port=port,
        path=_path_segments(path) if path else (),
        query=_parse_query(m.group("query") or ""),
    )


def _read_query(value: object, where: Where) -> tuple[QueryParam, ...]:
    out = []
    for i, raw in enumerate(expect_list(value, where, "url.query")):
        w = where.at(i)
        q = expect_dict(raw, w, "a query parameter")
        v = q.get("value")
        out.append(
            QueryParam(
                key=text(q.get("key"), w.at("key"), "query key"),
                value=None if v is None else text(v, w.at("value"), "query value"),
                disabled=q.get("disabled") is True,
                description=read_description(q.get("description"), w.at("description")),
            )
        )
    return tuple(out)


def _read_path(value: object, where: Where) -> tuple[str, ...]:
    if isinstance(value, str):
        return _path_segments(value)
    out = []
    for i, seg in enumerate(expect_list(value, where, "url.path")):
        if isinstance(seg, dict):  # {"type": "string", "value": "users"}
            seg = seg.get("value")
        out.append(text(seg, where.at(i), "a path segment"))
    return tuple(out)


def read_variables(value: object, where: Where, what: str = "variable") -> tuple[Variable, ...]:
    """A ``variable`` list (collection variables or URL path variables)."""
    out = []
    for i, raw in enumerate(expect_list(value, where, what)):
        w = where.at(i)
        v = expect_dict(raw, w, "a variable")
        key = text(v.get("key", v.get("id")), w.at("key"), "variable key")
        vtype = text(v.get("type"), w.at("type"), "variable type") or "string"
        out.append(
            Variable(
                key=key,
                value=_variable_value(v.get("value"), w.at("value")),
                type=vtype,
                disabled=v.get("disabled") is True,
                description=read_description(v.get("description"), w.at("description")),
                secret=vtype == "secret" or is_secret_name(key),
            )
        )
    return tuple(out)


def _variable_value(value: object, where: Where) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return text(value, where, "variable value")


def read_url(value: object, where: Where) -> Url:
    """A URL: text, or an object with raw/protocol/host/port/path/query/variable."""
    if value is None or isinstance(value, str):
        return parse_url_text(value or "")
    u = expect_dict(value, where, "url")
    raw = text(u.get("raw"), where.at("raw"), "url.raw")
    parsed = parse_url_text(raw)
    host_v = u.get("host")
    if isinstance(host_v, str):
        host, port = _split_host(host_v)
    elif host_v is not None:
        host = tuple(
            text(h, where.at("host", i), "a host label")
            for i, h in enumerate(expect_list(host_v, where.at("host"), "url.host"))
        )
        port = ""
    else:
        host, port = parsed.host, parsed.port
    return Url(
        raw=raw,
        protocol=text(u.get("protocol"), where.at("protocol"), "url.protocol").lower()
        or parsed.protocol,
        host=host,
        port=text(u.get("port"), where.at("port"), "url.port") or port,
        path=_read_path(u["path"], where.at("path")) if "path" in u else parsed.path,
        query=_read_query(u["query"], where.at("query")) if "query" in u else parsed.query,
        variables=read_variables(u.get("variable"), where.at("variable"), "url.variable"),
    )


_BODY_MODES = ("raw", "urlencoded", "formdata", "graphql", "file", "none")


def looks_like_json(body: str, language: str, content_type: str) -> bool:
    """Whether a body is meant as JSON: by its declared language, Content-Type, or shape."""
    if language:
        return language.lower() == "json"
    if media_kind(content_type) == "json":
        return True
    stripped = body.lstrip()
    return stripped[:1] in ("{", "[")


def check_body_size(body: str, where: Where) -> str:
    """``body``, unless it is over :attr:`Limits.max_body_bytes` (JSON or not)."""
    limit = where.limits.max_body_bytes
    if 4 * len(body) <= limit:  # no text of so few characters can be over the limit
        return body
    size = len(body.encode("utf-8", "replace"))
    if size > limit:
        raise where.error(f"the body is {size:,} bytes, over the limit of {limit:,}")
    return body


def parse_json_body(body: str, where: Where, *, declared: bool) -> Any:
    """Parse a JSON body; a body that does not parse is kept, with a warning when declared JSON."""
    check_body_size(body, where)
    if not body.strip():
        return NOT_JSON
    try:
        return parse_json_text(body, max_depth=where.limits.max_depth)
    except JsonTextError as err:
        if "nested deeper" in err.reason:
            raise where.error(f"JSON body {err.reason}") from err
        if declared:
            where.warn(f"JSON body does not parse: {err}; kept as text")
        return NOT_JSON


def deferred_json_body(body: str, where: Where, *, declared: bool) -> Any:
    """:func:`parse_json_body`'s verdict now, its value later: :data:`NOT_JSON`, or a
    deferred parse (:func:`~._deferred.later`) of a body that parses (see ``_model._JSON``).

    The body is parsed here, so that its errors and warnings come at load, and the value let
    go: the model keeps the text, and a large collection's parsed bodies would be more than
    half its memory.
    """
    if parse_json_body(body, where, declared=declared) is NOT_JSON:
        return NOT_JSON
    return later(functools.partial(parse_json_text, body, max_depth=where.limits.max_depth))


def _read_parts(value: object, where: Where, mode: str) -> tuple[FormPart, ...]:
    out = []
    for i, raw in enumerate(expect_list(value, where, mode)):
        w = where.at(i)
        p = expect_dict(raw, w, f"a {mode} field")
        src = p.get("src")
        srcs = (
            tuple(text(s, w.at("src"), "src") for s in src)
            if isinstance(src, list)
            else ((text(src, w.at("src"), "src"),) if src else ())
        )
        out.append(
            FormPart(
                key=text(p.get("key"), w.at("key"), "field key"),
                value=text(p.get("value"), w.at("value"), "field value"),
                type="file" if p.get("type") == "file" else "text",
                src=srcs,
                content_type=text(p.get("contentType"), w.at("contentType"), "contentType"),
                disabled=p.get("disabled") is True,
            )
        )
    return tuple(out)


def read_body(value: object, where: Where, content_type: str) -> Body | None:
    """A request body in any mode; ``None`` when there is none."""
    if value is None:
        return None
    b = expect_dict(value, where, "body")
    if b.get("disabled") is True:
        return None
    mode = b.get("mode", "raw" if "raw" in b else "none")
    if mode is None:
        mode = "none"
    if not isinstance(mode, str) or mode not in _BODY_MODES:
        raise where.at("mode").error(
            f"unknown body mode {mode!r}; expected one of {', '.join(_BODY_MODES)}"
        )
    if mode == "raw":
        raw = check_body_size(text(b.get("raw"), where.at("raw"), "body.raw"), where.at("raw"))
        options = b.get("options")
        language = ""
        if isinstance(options, dict) and isinstance(options.get("raw"), dict):
            language = text(options["raw"].get("language"), where.at("options"), "language")
        declared = looks_like_json(raw, language, content_type)
        parsed = NOT_JSON
        if declared:
            parsed = deferred_json_body(raw, where.at("raw"), declared=True)
        return Body(mode="raw", raw=raw, language=language, json=parsed)
    if mode in ("urlencoded", "formdata"):
        form: Literal["urlencoded", "formdata"] = "formdata" if mode == "formdata" else "urlencoded"
        return Body(mode=form, parts=_read_parts(b.get(mode), where.at(mode), mode))
    if mode == "graphql":
        g = b.get("graphql") or {}
        g = expect_dict(g, where.at("graphql"), "body.graphql")
        variables = g.get("variables")
        if isinstance(variables, (dict, list)):
            variables = json.dumps(variables, ensure_ascii=False)
        query = text(g.get("query"), where.at("graphql", "query"), "graphql query")
        variables_text = text(variables, where.at("graphql", "variables"), "variables")
        parsed = parse_json_body(variables_text, where.at("graphql", "variables"), declared=True)
        # What Postman sends: the document and its variables as one JSON object.
        wire = {"query": query, "variables": parsed if isinstance(parsed, dict) else {}}
        return Body(
            mode="graphql",
            raw=query,
            json=wire if query.strip() else NOT_JSON,
            graphql_variables=variables_text,
        )
    if mode == "file":
        f = b.get("file") or {}
        f = expect_dict(f, where.at("file"), "body.file")
        return Body(mode="file", file_src=text(f.get("src"), where.at("file", "src"), "src"))
    return Body(mode="none")


def _auth_params(value: object, where: Where) -> dict[str, Any]:
    """v2.1 stores ``[{key, value, type}]``, v2.0 stores ``{key: value}``: read both."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return dict(value)
    params: dict[str, Any] = {}
    for i, raw in enumerate(expect_list(value, where, "auth parameters")):
        p = expect_dict(raw, where.at(i), "an auth parameter")
        params[text(p.get("key"), where.at(i, "key"), "auth parameter key")] = p.get("value")
    return params


def read_auth(value: object, where: Where) -> Auth | None:
    """An auth block; ``None`` means "inherit from the parent"."""
    if value is None:
        return None
    a = expect_dict(value, where, "auth")
    auth_type = a.get("type")
    if not isinstance(auth_type, str) or not auth_type:
        raise where.at("type").error(f"auth type must be a string, got {kind(auth_type)}")
    if auth_type == "inherit":
        return None
    if auth_type == "noauth":
        return Auth("noauth")
    return Auth(auth_type, _auth_params(a.get(auth_type), where.at(auth_type)))
