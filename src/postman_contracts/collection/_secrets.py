"""Which values are secrets, and how to keep them out of everything we write.

Why it exists: contracts, OpenAPI files, CLI output, mock logs and pytest reports are shared
and committed; a bearer token or API key that reached any of them would leak. The rule is one
and lives here: a value is secret when it is the value of an auth credential parameter, of a
variable of Postman's ``secret`` type, or of a variable whose name says it holds a secret
(token, secret, password, key, ...). Placeholders such as ``{{access-token}}`` are not secrets
and are kept; real values are replaced by ``[REDACTED]``.

Where redaction applies: to what we *write* (reports, logs, contract and OpenAPI files, curl
lines), never to what is sent to a server or filled into a request. And which values: only
real credentials. Redaction is by value (the value is searched for in any text), so a value
that is too short or too generic to be a credential (``true``, ``string``, ``<string>``,
``1234``, ``********``) must not be searched for: it would turn every such word of every body
and report into ``[REDACTED]``. :func:`is_credential_value` is that rule, and every secret set
(the collection's, the plugin's, the client mock's) passes through it in :class:`Redactor`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from postman_contracts.collection._model import (
    Auth,
    Folder,
    Header,
    Operation,
    QueryParam,
    Variable,
)
from postman_contracts.collection._placeholders import substitute

__all__ = [
    "API_KEY_HEADERS",
    "CREDENTIAL_HEADERS",
    "REDACTED",
    "Redactor",
    "collect_secrets",
    "is_credential_header",
    "is_credential_value",
    "is_secret_name",
]

REDACTED = "[REDACTED]"

#: Headers that carry an API key by convention, without a Postman auth block naming them.
API_KEY_HEADERS = frozenset({"x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token"})
#: Every header that carries credentials (lower case): the HTTP authentication headers
#: (RFC 9110 section 11), cookies (RFC 6265) and :data:`API_KEY_HEADERS`. The one list: what a
#: no-credentials probe strips, what reports and curl lines redact whole, what is never a
#: documented request header, whatever an operation's own auth adds to it.
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie"} | API_KEY_HEADERS
)


def is_credential_header(name: str) -> bool:
    """Whether the header ``name`` carries credentials whatever the collection says."""
    return name.lower() in CREDENTIAL_HEADERS


_SECRET_NAME = re.compile(
    r"(token|secret|passw(or)?d|pwd|passphrase|(api|access|private|client|subscription)[-_]?key|"
    r"(^|[-_.])key$|credential|signature|session[-_]?id|cookie|authorization)",
    re.IGNORECASE,
)

#: Auth parameters that hold credentials, per Postman auth type (the rest, such as ``in`` or
#: ``algorithm``, are settings and stay readable).
CREDENTIAL_PARAMS: dict[str, frozenset[str]] = {
    "bearer": frozenset({"token"}),
    "basic": frozenset({"password"}),
    "digest": frozenset({"password"}),
    "apikey": frozenset({"value"}),
    "oauth1": frozenset({"consumerSecret", "tokenSecret", "token", "consumerKey", "signature"}),
    "oauth2": frozenset(
        {"accessToken", "clientSecret", "refreshToken", "password", "client_secret"}
    ),
    "hawk": frozenset({"authKey", "authId"}),
    "awsv4": frozenset({"secretKey", "accessKey", "sessionToken"}),
    "ntlm": frozenset({"password"}),
    "akamai": frozenset({"clientSecret", "accessToken", "clientToken"}),
    "edgegrid": frozenset({"clientSecret", "accessToken", "clientToken"}),
    "jwt": frozenset({"secret", "privateKey"}),
    "asap": frozenset({"privateKey"}),
}

# Shorter values (``1``, ``yes``, ``true``, ``null``) would redact half of every report and
# body. Credentials (API keys, tokens, passwords) are at least 8 characters, or at least 6
# mixing kinds of characters (``s3cr3t!``); ``secret`` or ``123456`` is a stand-in.
_MIN_SECRET_LENGTH = 8
_MIN_MIXED_SECRET_LENGTH = 6
# Words that fill a secret's slot in documentation without being one: JSON and OpenAPI type
# and format names (what Postman's OpenAPI converter writes), literals, and stand-ins.
_GENERIC_VALUES = frozenset(
    {
        "string", "integer", "number", "boolean", "object", "array", "null", "none", "true",
        "false", "undefined", "nil", "long", "int32", "int64", "double", "float", "byte",
        "binary", "date", "datetime", "date-time", "password", "uuid", "email", "uri", "url",
        "hostname", "secret", "token", "apikey", "api-key", "api_key", "access-token",
        "access_token", "accesstoken", "bearer", "basic", "username", "changeme", "example",
        "sample", "placeholder", "default", "value", "test", "testing", "redacted",
        "your-token", "your_token", "yourtoken", "your-api-key", "your_api_key", "yourapikey",
    }
)  # fmt: skip
_TYPE_PLACEHOLDER = re.compile(r"^<[^<>]*>$")  # <string>, <long>, <A note for the reviewer.>
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")
_MIN_NUMBER_DIGITS = 12  # a small number is a count or an id, never a credential


def is_secret_name(name: str) -> bool:
    """Whether a variable or parameter name says it holds a secret."""
    return bool(_SECRET_NAME.search(name))


def is_credential(auth_type: str, param: str) -> bool:
    """Whether ``param`` of an auth of ``auth_type`` holds a credential."""
    known = CREDENTIAL_PARAMS.get(auth_type)
    return param in known if known is not None else is_secret_name(param)


def is_credential_value(value: object) -> bool:
    """Whether ``value`` can be a real credential, and so is searched for and redacted in what
    we write. Not: non-text, ``{{templates}}``, values under 6 characters (under 8 when of
    one kind of character: letters only, digits only), type placeholders
    (``<string>``), generic words (``string``, ``true``, ``password``, ``changeme``...) and
    texts of nothing else (``Bearer <token>``),
    numbers under 12 digits, and one character repeated (``xxxxxxxx``, ``********``).

    The variable or parameter stays secret by its name (credential headers such as
    ``Authorization`` are still redacted whole in reports and curl lines, whatever they hold);
    this decides only whether its *value* is hunted for in every other text, which for a
    generic value would destroy that text."""
    if not isinstance(value, str) or "{{" in value:
        return False
    text = value.strip()
    kinds = {"letter" if c.isalpha() else "digit" if c.isdigit() else "other" for c in text}
    shortest = _MIN_SECRET_LENGTH if len(kinds) == 1 else _MIN_MIXED_SECRET_LENGTH
    if len(text) < shortest or len(set(text)) == 1:
        return False
    if _TYPE_PLACEHOLDER.match(text) or text.lower() in _GENERIC_VALUES:
        return False
    if all(_TYPE_PLACEHOLDER.match(w) or w.lower() in _GENERIC_VALUES for w in text.split()):
        return False  # "Bearer <token>", "Basic password": a scheme and a stand-in
    return not (_NUMBER.match(text) and len(text) < _MIN_NUMBER_DIGITS)


class Redactor:
    """Replaces every known secret value in text by ``[REDACTED]``, longest first.

    Only values :func:`is_credential_value` accepts are kept: whoever builds a redactor (the
    collection, the plugin with its token, the client mock with what a client sends) gets the
    same rule."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = frozenset(s for s in secrets if is_credential_value(s))
        ordered = sorted(self.secrets, key=lambda s: (-len(s), s))
        self._re = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text: str) -> str:
        """Return ``text`` with every secret replaced."""
        if self._re is None or not text:
            return text
        return self._re.sub(REDACTED, text)

    def __bool__(self) -> bool:
        return self._re is not None


def _auth_secrets(auth: Auth | None, values: dict[str, str]) -> set[str]:
    found: set[str] = set()
    if auth is None:
        return found
    for param, value in auth.params.items():
        if isinstance(value, str) and is_credential(auth.type, param):
            found.add(value)
            found.add(substitute(value, values))
    return found


def _header_secrets(headers: Iterable[Header], values: dict[str, str]) -> set[str]:
    found: set[str] = set()
    for h in headers:
        if is_secret_name(h.key) or is_credential_header(h.key):
            value = substitute(h.value, values)
            found.add(value)
            scheme, _, credential = value.partition(" ")
            if credential and scheme.lower() in ("bearer", "basic", "token", "digest"):
                found.add(credential)
    return found


def _query_secrets(query: Iterable[QueryParam], values: dict[str, str]) -> set[str]:
    """Values of query parameters named like secrets (``?access_token=...``, ``?api_key=...``)."""
    return {substitute(q.value, values) for q in query if q.value and is_secret_name(q.key)} | {
        q.value for q in query if q.value and is_secret_name(q.key)
    }


def _walk_auths(items: Iterable[Folder | Operation]) -> Iterator[Auth | None]:
    stack = list(items)
    while stack:
        node = stack.pop()
        if isinstance(node, Folder):
            yield node.auth
            stack.extend(node.items)


def collect_secrets(
    variables: Iterable[Variable],
    operations: Iterable[Operation],
    collection_auth: Auth | None,
    items: Iterable[Folder | Operation],
) -> frozenset[str]:
    """Every value in a collection that must be redacted wherever it would be written."""
    variables = tuple(variables)
    values = {v.key: v.value for v in variables if not v.disabled}
    found = {v.value for v in variables if v.secret}
    found |= _auth_secrets(collection_auth, values)
    for auth in _walk_auths(items):
        found |= _auth_secrets(auth, values)
    for op in operations:
        requests = [op.request] + [e.original_request for e in op.examples if e.original_request]
        for request in requests:
            found |= _auth_secrets(request.auth, values)
            found |= _header_secrets(request.headers, values)
            found |= _query_secrets(request.url.query, values)
    return frozenset(s for s in found if is_credential_value(s))
