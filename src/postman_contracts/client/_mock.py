"""The client side: a ``responses`` mock that answers and checks like the documentation.

Why it exists: an SDK author needs to know two things the collection already says, *is what my
client sends valid?* and *does my client cope with every response the API documents?*. The
:class:`ContractMock` registers every documented operation with ``responses`` (one callback
per HTTP method routes each request with ``match_route``, so host templates such as
``{{api-domain}}`` match any host), answers with documented examples, and checks every request
against the request contract. A broken request fails the test *at the call* with the house
rendering (secrets redacted, the client's own token included); if the client swallows that
failure, it is raised again at teardown. The pytest fixtures ``contract_mock`` and
``contract_responses`` are thin wrappers (see ``pytest_plugin``); client fuzzing lives in
``_client_fuzz``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses
from hypothesis import strategies as st

from postman_contracts._errors import InvalidArgument
from postman_contracts.checking import (
    Checker,
    Exchange,
    HttpRequest,
    HttpResponse,
    Issue,
    Violation,
    Violations,
    documented_error,
    judge_request,
    match_route,
    render_failure,
)
from postman_contracts.client._contract import (
    Documented,
    documented,
    encode,
    issue_key,
    pointer_path,
)
from postman_contracts.collection import CREDENTIAL_HEADERS, Redactor, is_secret_name
from postman_contracts.contracts import ContractSet, OperationContract
from postman_contracts.generators import GeneratedResponse

__all__ = [
    "ClientCall",
    "ContractMock",
]

# Every method a client may plausibly send; documented ones (and documented bad ones such as
# Zoho's COPY) are added per collection. responses matches the method before any callback.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
_TITLES = {
    "auth": "The request carries no valid credentials",
    "malformed": "The request body cannot be read as documented",
    "missing_required": "The request misses a required field",
    "type_changed": "A request field has the wrong type",
    "value_changed": "A request field has an undocumented value",
    "unknown_field": "The request sends an undocumented field",
    "empty_object": "The request sends an empty object",
    "method": "The method is not documented for this path",
}


@dataclass(frozen=True)
class ClientCall:
    """One request the client made, checked, and the documented response it got.

    Attributes:
        operation: the operation id it was routed to.
        example: the documented example served, or the one whose schema a generated
            response came from.
        documented: whether the response was a documented example served as-is.
        request: the request as sent.
        response: the response as served.
    """

    operation: str
    example: str
    documented: bool
    request: HttpRequest
    response: HttpResponse
    item_path: str = ""

    @property
    def exchange(self) -> Exchange:
        """The call as an :class:`~postman_contracts.checking._exchange.Exchange`."""
        return Exchange(self.request, self.response, self.operation, self.item_path)


@dataclass
class _Prime:
    """Responses to serve for the next calls of one operation."""

    op: OperationContract
    times: int | None  # None: every call from now on
    fixed: GeneratedResponse | None = None
    strategy: st.SearchStrategy[GeneratedResponse] | None = None
    data: st.DataObject | None = None
    documented: Documented | None = None  # the saved example served, and what it documents
    internal: bool = False  # primed by the fuzzer, which checks it itself
    served: int = 0

    def describe(self) -> str:
        if self.fixed is not None:
            return f"example {self.fixed.example!r}"
        return "responses drawn from a strategy"

    def draw(self) -> GeneratedResponse:
        __tracebackhide__ = True
        if self.fixed is not None:
            return self.fixed
        assert self.strategy is not None
        assert self.data is not None
        drawn = self.data.draw(self.strategy, label=self.op.id)
        if not isinstance(drawn, GeneratedResponse):
            raise InvalidArgument(
                f"respond_with({self.op.id!r}, ...): the strategy drew {drawn!r}, "
                "not a GeneratedResponse (use postman_contracts.generators.responses)"
            )
        return drawn


def _http_request(prepared: Any) -> HttpRequest:
    body = prepared.body
    if isinstance(body, str):
        data = body.encode("utf-8")
    elif isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    else:
        data = b""  # a stream requests could not read up front: nothing to check
    return HttpRequest(
        str(prepared.method or "GET").upper(),
        str(prepared.url),
        tuple((str(k), str(v)) for k, v in prepared.headers.items()),
        data,
    )


def token_endpoints(contracts: ContractSet) -> tuple[re.Pattern[str], ...]:
    """The OAuth 2 token endpoints of ``contracts`` (``accessTokenUrl``) as URL patterns, to
    pass through: a client asks them for a token before it calls the API (RFC 6749 3.2:
    with POST), and the collection documents the API, not them. A ``{{variable}}`` in one
    stands for any text, as in a host template; an endpoint the collection documents as an
    operation of its own stays mocked (and checked)."""
    out: dict[str, re.Pattern[str]] = {}
    for op in contracts.operations:
        url = op.request.auth.token_url
        if not url or "[REDACTED]" in url or url in out:
            continue
        path = urlsplit(url if "://" in url else "http://" + url).path or "/"
        if match_route(contracts, "POST", _PLACEHOLDER.sub("x", path)).method_allowed:
            continue
        pattern = "".join(
            ".+?" if i % 2 else re.escape(part) for i, part in enumerate(_PLACEHOLDER.split(url))
        )
        out[url] = re.compile(pattern + r"(\?.*)?$")
    return tuple(out.values())


_PLACEHOLDER = re.compile(r"(\{\{[^{}]+\}\})")  # split() keeps the slots, at odd places


class ContractMock:
    """A ``responses`` mock of every documented operation, checking what the client sends.

    Use it through the ``contract_mock`` fixture, or directly as a context manager.

    Args:
        contracts: the contracts to serve.
        secrets: values to redact from every failure, besides the collection's secrets and
            the credentials the client sends (which are always redacted).
        reproduce: a line telling how to reproduce generated failures.

    Attributes:
        base_url: when set (``https://www.zohoapis.com``), only requests under it are routed
            (its path is stripped first); by default any host matches, as host templates such
            as ``{{api-domain}}`` stand for any host.
        assert_all_requests_are_fired: strict mode (the default), as in ``responses``: at
            teardown, fail when a primed response was not served as many times as asked.
        raised: every failure raised at a call so far, to raise again at teardown if the
            client swallowed it.
    """

    def __init__(
        self, contracts: ContractSet, *, secrets: Iterable[str] = (), reproduce: str = ""
    ) -> None:
        self.contracts = contracts
        self.checker = Checker(contracts)
        self.reproduce = reproduce
        self.base_url: str | None = None
        self.assert_all_requests_are_fired = True
        self._secrets = set(contracts.secrets) | {s for s in secrets if s}
        self._redact = Redactor(self._secrets)
        self._lock = threading.RLock()
        self._primes: dict[str, list[_Prime]] = {}
        self._spent: list[_Prime] = []
        self._calls: list[ClientCall] = []
        self.raised: list[Violations] = []  # every failure raised at a call, for teardown
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        methods = {m.upper() for m in _METHODS}
        methods |= {op.request.method.upper() for op in contracts.operations}
        methods |= {
            str(e.trigger.detail["method"]).upper()
            for op in contracts.operations
            for e in op.errors
            if e.trigger.kind == "method" and e.trigger.detail.get("method")
        }
        #: OAuth 2 token endpoints the client may call before the API, passed through
        self.token_urls = token_endpoints(contracts)
        for pattern in self.token_urls:  # registered first: responses takes the first match
            self._mock.add(responses.PassthroughResponse(responses.POST, pattern))
        for method in sorted(methods):
            self._mock.add_callback(method, re.compile(r".*"), self._callback, content_type=None)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> ContractMock:
        """Start intercepting ``requests``."""
        self._mock.start()
        return self

    def stop(self) -> None:
        """Stop intercepting."""
        self._mock.stop(allow_assert=False)

    def __enter__(self) -> ContractMock:
        return self.start()

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.stop()
        if exc is None:
            self.verify()

    @property
    def calls(self) -> tuple[ClientCall, ...]:
        """Every request the client made that met its contract, with the response served."""
        with self._lock:
            return tuple(self._calls)

    def redact(self, text: str) -> str:
        """``text`` with every known secret, and every credential the client sent, redacted."""
        return self._redact(text)

    @property
    def redactor(self) -> Redactor:
        """The redactor of :meth:`redact`, for the renderer."""
        return self._redact

    # -- priming -----------------------------------------------------------------------------

    def operation(self, operation_id: str) -> OperationContract:
        """The documented operation called ``operation_id``; ``InvalidArgument`` if none."""
        try:
            return self.contracts.operation(operation_id)
        except KeyError as err:
            raise InvalidArgument(str(err.args[0])) from None

    def respond(
        self,
        operation_id: str,
        *,
        example: str | None = None,
        status: int | None = None,
        times: int | None = 1,
    ) -> None:
        """Serve a documented example for the next call(s) of ``operation_id``.

        Args:
            operation_id: the operation (``leads``).
            example: the saved example to serve (``"RECORD_LOCKED"``).
            status: or the first example with this status (``401``).
            times: how many calls get it (``None``: every call from now on).

        A request that breaks its contract *in the way this error example documents* (no
        credentials for ``AUTHENTICATION_FAILURE``) is accepted: the test is exercising that
        error on purpose.
        """
        op = self.operation(operation_id)
        shown = documented(self.contracts, op, example=example, status=status, checker=self.checker)
        self._add(_Prime(op, self._times(times), fixed=shown.response, documented=shown))

    def respond_with(
        self,
        operation_id: str,
        strategy: st.SearchStrategy[GeneratedResponse],
        data: st.DataObject,
        *,
        times: int | None = None,
    ) -> None:
        """Serve responses drawn from ``strategy`` with ``data`` (``st.data()`` of your
        ``@given`` test), one fresh draw per call, so Hypothesis shrinks them and prints them.

        Args:
            operation_id: the operation.
            strategy: a strategy of ``GeneratedResponse``, e.g.
                ``postman_contracts.generators.documented_responses(operation)``.
            data: the ``st.data()`` object of the running ``@given`` test.
            times: how many calls (``None``, the default: every call from now on).
        """
        op = self.operation(operation_id)
        if not isinstance(strategy, st.SearchStrategy):
            raise InvalidArgument(f"strategy must be a Hypothesis strategy, not {strategy!r}")
        if not isinstance(data, st.DataObject):
            raise InvalidArgument(f"data must be drawn from st.data(), not {data!r}")
        self._add(_Prime(op, self._times(times), strategy=strategy, data=data))

    def prime(self, op: OperationContract, response: GeneratedResponse) -> None:
        """Serve ``response`` to the next call of ``op`` (for the fuzzer, which checks it)."""
        self._add(_Prime(op, 1, fixed=response, internal=True))

    def unprime(self, op: OperationContract) -> None:
        """Forget the fuzzer's pending responses for ``op``."""
        with self._lock:
            self._primes[op.id] = [p for p in self._primes.get(op.id, []) if not p.internal]

    @staticmethod
    def _times(times: int | None) -> int | None:
        if times is not None and (not isinstance(times, int) or times < 1):
            raise InvalidArgument(f"times must be a positive whole number or None, not {times!r}")
        return times

    def _add(self, prime: _Prime) -> None:
        with self._lock:
            queue = self._primes.setdefault(prime.op.id, [])
            # "every call from now on" lasts until the operation is primed again.
            self._spent += [p for p in queue if p.times is None]
            queue[:] = [p for p in queue if p.times is not None]
            queue.append(prime)

    # -- answering ---------------------------------------------------------------------------

    def _learn_secrets(self, request: HttpRequest) -> None:
        """Redact, from now on, every credential this request carries: the auth header or
        query parameter, and any header, query parameter or JSON field named like a secret."""
        contracts = self.contracts
        auth_names = contracts.memo(
            "auth names", lambda: {op.request.auth.name.lower() for op in contracts.operations}
        )

        def secret(name: str) -> bool:
            lowered = name.lower()
            return lowered in CREDENTIAL_HEADERS or lowered in auth_names or is_secret_name(name)

        found: set[str] = set()
        for name, value in [*request.headers, *parse_qsl(request.query)]:
            if secret(name):
                found |= {value, value.partition(" ")[2].strip()}
        try:
            stack = [json.loads(request.body)] if request.body else []
        except (ValueError, UnicodeDecodeError, RecursionError):
            stack = []
        while stack and len(found) < 1000:
            node = stack.pop()
            if isinstance(node, dict):
                found |= {v for k, v in node.items() if isinstance(v, str) and secret(k)}
                stack += [v for v in node.values() if isinstance(v, (dict, list))]
            elif isinstance(node, list):
                stack += [v for v in node if isinstance(v, (dict, list))]
        new = {s for s in found if s} - self._secrets
        if new:
            self._secrets |= new
            self._redact = Redactor(self._secrets)

    def _fail(self, violations: list[Violation], exchange: Exchange) -> Violations:
        text = render_failure(violations, exchange, self._redact)
        failure = Violations(violations, exchange, text=text)
        with self._lock:
            self.raised.append(failure)
        return failure

    def _path(self, request: HttpRequest) -> str | None:
        if self.base_url is None:
            return request.path
        base = urlsplit(self.base_url.rstrip("/"))
        url = urlsplit(request.url)
        if (url.scheme, url.netloc.lower()) != (base.scheme, base.netloc.lower()):
            return None
        if not (url.path == base.path or url.path.startswith(base.path + "/")):
            return None
        return url.path[len(base.path) :] or "/"

    def _unmatched(self, request: HttpRequest, path: str | None) -> Violations:
        if path is None:
            message = f"the URL is not under base_url {self.base_url}"
        else:
            route = match_route(self.contracts, request.method, path)
            lines = [f"{op_id}: {why}" for op_id, why in route.closest]
            message = "closest documented operations:\n" + "\n".join(lines)
        violation = Violation(
            check="request_unmatched",
            title=f"No documented operation matches {request.method} {path or request.url}",
            message=message,
        )
        return self._fail([violation], Exchange(request, None, note="the client's request"))

    def _choose(
        self, request: HttpRequest, path: str
    ) -> tuple[OperationContract, list[Issue]] | None:
        """The operation and the request's problems, by the one request policy
        (``judge_request``, which the WSGI mock applies too); a primed operation is preferred
        where several document the path."""
        with self._lock:
            primed = {k for k, v in self._primes.items() if v}
        verdict = judge_request(self.contracts, self.checker, request, path=path, prefer=primed)
        if verdict.operation is None:
            return None
        return verdict.operation, list(verdict.issues)

    def _unexplained(
        self, op: OperationContract, issues: list[Issue], shown: Documented
    ) -> list[Issue]:
        """The issues the primed error example does not document.

        An issue is documented when it maps to the example's error, or when the example's own
        request shows it (a renamed field is both unknown and missing). A real server rejects
        a bad method or missing credentials before it reads the body, so when the primed error
        is one of those and the request shows it, nothing else counts.
        """
        error = shown.error
        if error is None:
            return issues
        explained = [
            documented_error(self.contracts, op, i) == error or issue_key(i) in shown.allowed
            for i in issues
        ]
        if error.trigger.kind in ("auth", "method") and any(
            ok and i.kind == error.trigger.kind for ok, i in zip(explained, issues, strict=True)
        ):
            return []
        return [i for ok, i in zip(explained, issues, strict=True) if not ok]

    def _next(self, op: OperationContract) -> _Prime | None:
        with self._lock:
            queue = self._primes.get(op.id, [])
            return queue[0] if queue else None

    def _consume(self, op: OperationContract, prime: _Prime) -> None:
        with self._lock:
            prime.served += 1
            queue = self._primes.get(op.id, [])
            if prime.times is not None and prime.served >= prime.times and prime in queue:
                queue.remove(prime)
                self._spent.append(prime)

    def _request_failure(
        self, op: OperationContract, request: HttpRequest, issues: list[Issue]
    ) -> Violations:
        violations = []
        for issue in issues:
            # Only where the documentation says it: a body field, the credentials, the method.
            located = issue.pointer or issue.kind in ("auth", "method")
            entry = documented_error(self.contracts, op, issue) if located else None
            answer = ""
            if entry is not None:
                where = (
                    f", per record in {entry.record_path}[]" if entry.placement == "record" else ""
                )
                answer = f"\nthe API documents the answer {entry.code} ({entry.status}{where})"
            violations.append(
                Violation(
                    check=f"request_{issue.kind}",
                    title=_TITLES.get(issue.kind, "The request breaks its contract"),
                    message=issue.message + answer,
                    instance_path=pointer_path(issue.pointer),
                )
            )
        exchange = Exchange(
            request, None, op.id, op.item_path, "the client's request breaks the request contract"
        )
        return self._fail(violations, exchange)

    def _callback(self, prepared: Any) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: route it, check it, serve what is primed or the success."""
        __tracebackhide__ = True
        request = _http_request(prepared)
        self._learn_secrets(request)
        path = self._path(request)
        chosen = self._choose(request, path) if path is not None else None
        if chosen is None:
            raise self._unmatched(request, path)
        op, issues = chosen
        if op.request.auth.type == "digest" and not request.header("Authorization"):
            # RFC 7616: a Digest client sends its credentials only in answer to a challenge
            # (requests' HTTPDigestAuth does): the first request is the protocol, no fault
            challenge = 'Digest realm="contract_mock", qop="auth", nonce="mock", algorithm=MD5'
            return 401, {"WWW-Authenticate": challenge, "Content-Type": "text/plain"}, b""
        prime = self._next(op)
        if issues and prime is not None and prime.documented is not None:
            issues = self._unexplained(op, issues, prime.documented)
        if issues:
            raise self._request_failure(op, request, issues)
        headers: tuple[tuple[str, str], ...] = ()
        if prime is None:
            default = documented(self.contracts, op, checker=self.checker)
            response, headers = default.response, default.headers
        else:
            self._consume(op, prime)  # first: Hypothesis may stop the test inside the draw
            response = prime.draw()
            if response.documented:
                shown = documented(
                    self.contracts, op, example=response.example, checker=self.checker
                )
                headers = shown.headers
        body = encode(response)
        served = HttpResponse(
            response.status, (("Content-Type", response.content_type), *headers), body
        )
        call = ClientCall(
            op.id, response.example, response.documented, request, served, op.item_path
        )
        with self._lock:
            self._calls.append(call)
        return response.status, dict(served.headers), body

    # -- teardown ----------------------------------------------------------------------------

    def unserved(self) -> list[str]:
        """What was primed and not served as many times as asked (strict mode)."""
        with self._lock:
            pending = [p for q in self._primes.values() for p in q] + self._spent
        return [
            f"{p.op.id}: {p.describe()} was served {p.served} time(s)"
            + (f" of {p.times}" if p.times is not None else "")
            for p in pending
            if not p.internal and (p.served == 0 or (p.times is not None and p.served < p.times))
        ]

    def verify(self, reported: BaseException | None = None) -> None:
        """Fail for a failure the client swallowed, then (strict) for unserved responses.

        Args:
            reported: the exception the test failed with, if any: a failure already in it is
                not raised again.
        """
        __tracebackhide__ = True
        seen = _chain(reported)
        with self._lock:
            raised = list(self.raised)
        if raised and not any(f is s for f in raised for s in seen):
            first = raised[0]
            why = (
                "the client caught this failure and carried on"
                if reported is None
                else f"the test failed with {type(reported).__name__}, after this failure"
            )
            raise Violations(first.violations, first.exchange, text=f"{why}:\n{first}")
        if reported is not None or raised:
            return
        if self.assert_all_requests_are_fired:
            unserved = self.unserved()
            if unserved:
                raise Violation(
                    check="unserved_response",
                    title="The test primed responses it never called for",
                    message="\n".join(unserved)
                    + "\n(set contract_mock.assert_all_requests_are_fired = False to allow it)",
                )


def _chain(exc: BaseException | None) -> list[BaseException]:
    """``exc``, its causes and contexts, and the members of exception groups."""
    out: list[BaseException] = []
    stack = [exc] if exc is not None else []
    while stack and len(out) < 200:
        e = stack.pop()
        if any(e is o for o in out):
            continue
        out.append(e)
        stack += [c for c in (e.__cause__, e.__context__) if c is not None]
        stack += list(getattr(e, "exceptions", ()) or ())
    return out
