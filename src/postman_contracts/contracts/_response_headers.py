"""Which response headers an example documents as the API's, and how much it shows of them.

Why it exists: a saved response carries every header the server happened to send, most of
them about the connection, the deployment or that one message, none about the API. Holding a
server to them would fail every server behind another proxy; ignoring all of them misses the
ones an API documents on purpose (``Location`` of a 201, ``Retry-After`` of a 429, rate-limit
headers, ``ETag``). The rule, from HTTP semantics (RFC 9110, RFC 9111), keeps a header unless
it is one of these:

* **Hop-by-hop and framing** (RFC 9110 7.6.1, 8.6; RFC 9112 6.1): ``Connection`` and the
  fields it names (``Keep-Alive``, ``Proxy-Connection``, ``TE``, ``Trailer``,
  ``Transfer-Encoding``, ``Upgrade``), ``Content-Length``. They belong to one connection.
* **Negotiated or describing one message** (RFC 9110 8.4, 8.5, 12.5.5): ``Content-Encoding``
  (a coding picked from the client's ``Accept-Encoding``), ``Content-Language``, ``Vary``;
  ``Content-Type`` is the media type's check, not this one's.
* **Generated per response** (RFC 9110 6.6.1, 7.6.3, 10.2.4): ``Date``, ``Server``, ``Via``,
  ``X-Powered-By``, and ids of one request or trace (``X-Request-Id``, ``X-Correlation-Id``,
  ``traceparent``, ``CF-Ray``...): their values never repeat, and whether a proxy adds them
  is the deployment's business.
* **Caching** (RFC 9111 5): ``Cache-Control``, ``Expires``, ``Pragma``, ``Age``,
  ``Warning``: directives for caches that gateways and CDNs rewrite.
* **State** (RFC 6265): ``Set-Cookie``, whose values are one session's.
* **Browser policy and CORS**: ``Access-Control-*`` (answers to the request's ``Origin``),
  ``Strict-Transport-Security``, ``X-Frame-Options``, ``X-Content-Type-Options``,
  ``Content-Security-Policy``, ``Referrer-Policy`` and the like, ``Alt-Svc``, ``NEL``,
  ``Report-To``, ``Server-Timing``: set by the deployment for browsers, not by the API.

A header kept is a :class:`~postman_contracts.contracts.Parameter` of the response's status
(``location`` ``header``): its value schema inferred from the texts shown, with evidence,
like a query parameter's; ``required`` when every example of that status shows it. It is
recorded, served by the mocks and exported; the checks demand it (:func:`header_asserted`):

* under ``--contracts-strict``, when it is required;
* by default, when it is required, shown in ``min_seen`` examples (one example is no
  evidence, as for a required key), **and** a header whose meaning is the API's by a
  standard: ``Location``, ``Content-Location``, ``ETag``, ``Last-Modified``,
  ``Retry-After``, ``WWW-Authenticate``, ``Allow``, ``Link``, ``Accept-Patch``,
  ``Deprecation``, ``Sunset`` and the rate-limit families (``RateLimit-*``,
  ``X-RateLimit-*``). Saved examples are most often captured from a real server and keep
  whatever it sent; a vendor's own header (``X-Build``, ``clientVersion``) in every example
  may be the deployment's as well as the API's, and a false failure on a server that
  follows its documentation is worse than a missed one. Its value is checked only when
  strict, too.

``Retry-After`` is a date or a number of seconds (RFC 9110 10.2.3) whichever an example
shows, so its value is never typed.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from postman_contracts.contracts._evidence import EvidencePolicy, presence_asserted
from postman_contracts.contracts._model import Parameter

__all__ = ["UNTYPED_HEADERS", "header_asserted", "is_contract_header", "is_promised"]

_NOT_CONTRACT: Final = frozenset(
    {
        # hop-by-hop and framing
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        # negotiated, or describing this one message
        "content-type",
        "content-encoding",
        "content-language",
        "vary",
        "accept-ranges",
        # generated per response
        "date",
        "server",
        "via",
        "x-powered-by",
        "x-aspnet-version",
        "x-aspnetmvc-version",
        "x-served-by",
        "x-cache",
        "x-cache-hits",
        "x-timer",
        # caching (RFC 9111)
        "cache-control",
        "expires",
        "pragma",
        "age",
        "warning",
        # state
        "set-cookie",
        "set-cookie2",
        # browser policy, set by the deployment
        "strict-transport-security",
        "x-frame-options",
        "x-content-type-options",
        "x-xss-protection",
        "x-download-options",
        "x-permitted-cross-domain-policies",
        "x-dns-prefetch-control",
        "content-security-policy",
        "content-security-policy-report-only",
        "referrer-policy",
        "permissions-policy",
        "feature-policy",
        "expect-ct",
        "alt-svc",
        "nel",
        "report-to",
        "reporting-endpoints",
        "server-timing",
        "timing-allow-origin",
        "origin-agent-cluster",
    }
)
#: Families of names: CORS, cross-origin policies, and ids of one request or trace.
_NOT_CONTRACT_RE: Final = re.compile(
    r"access-control-.*|cross-origin-.*|x-amz(n)?-.*|x-b3-.*|cf-.*|x-envoy-.*"
    r"|.*(request|correlation|trace|transaction|span)-?id|traceparent|tracestate",
    re.ASCII,
)
#: Headers whose value HTTP defines as one of several forms: documented, never typed.
UNTYPED_HEADERS: Final = frozenset({"retry-after"})


@functools.lru_cache(maxsize=4096)  # asked of every header of every example: names repeat
def is_contract_header(name: str) -> bool:
    """Whether a response header called ``name`` can be part of an API's contract (see the
    module's rules): ``Location`` yes, ``Date`` or ``X-Request-Id`` never."""
    lowered = name.strip().lower()
    return (
        bool(lowered) and lowered not in _NOT_CONTRACT and not _NOT_CONTRACT_RE.fullmatch(lowered)
    )


#: Headers a standard gives a meaning of the API's own (RFC 9110 10.2, 11.6; RFC 8288 Link;
#: RFC 5789 Accept-Patch; RFC 8594 Sunset; RFC 9745 Deprecation).
_PROMISED: Final = frozenset(
    {
        "location",
        "content-location",
        "etag",
        "last-modified",
        "retry-after",
        "www-authenticate",
        "proxy-authenticate",
        "allow",
        "link",
        "accept-patch",
        "accept-post",
        "deprecation",
        "sunset",
        "preference-applied",
    }
)
_RATE_LIMIT_RE: Final = re.compile(r"(x-)?rate-?limit(-.*)?", re.ASCII)


def is_promised(name: str) -> bool:
    """Whether a response header's meaning is the API's by a standard (or the rate-limit
    convention), so that its presence in every example is a promise (see the module)."""
    lowered = name.strip().lower()
    return lowered in _PROMISED or bool(_RATE_LIMIT_RE.fullmatch(lowered))


def header_asserted(p: Parameter, policy: EvidencePolicy, *, strict: bool = False) -> bool:
    """Whether the checks demand the documented response header ``p`` (and check its
    value): the one rule of the checks, the diff and the OpenAPI export."""
    if strict:
        return p.required
    return is_promised(p.name) and presence_asserted(p.required, p.schema, policy)
