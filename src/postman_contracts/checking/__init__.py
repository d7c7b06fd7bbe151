"""Checking: one HTTP exchange judged against a contract.

Both directions use it: the server checks judge a server's *responses* (:class:`Checker`),
the mocks judge a client's *requests* (:func:`judge_request`, the one request policy, over
:func:`request_issues`). An exchange is plain data (:class:`HttpRequest`,
:class:`HttpResponse`, :class:`Exchange`); what is wrong with it is a :class:`Violation`, an
``AssertionError``, rendered by the one renderer :func:`render_failure`.
"""

from __future__ import annotations

from postman_contracts.checking._checks import Checker, Expectation, json_path
from postman_contracts.checking._exchange import (
    Exchange,
    HttpRequest,
    HttpResponse,
    RequestSpec,
    form_pairs,
)
from postman_contracts.checking._representation import representation_violations, xml_root
from postman_contracts.checking._requests import (
    Issue,
    RouteMatch,
    Verdict,
    contract_issues,
    documented_error,
    is_form,
    judge_request,
    match_route,
    request_issues,
    resolve_pointer,
    unsafe_url,
)
from postman_contracts.checking._requests import accepts_request as accepts_request
from postman_contracts.checking._requests import required_param as required_param
from postman_contracts.checking._violations import Violation, Violations, render_failure

__all__ = [
    "Checker",
    "Exchange",
    "Expectation",
    "HttpRequest",
    "HttpResponse",
    "Issue",
    "RequestSpec",
    "RouteMatch",
    "Verdict",
    "Violation",
    "Violations",
    "contract_issues",
    "documented_error",
    "form_pairs",
    "is_form",
    "json_path",
    "judge_request",
    "match_route",
    "render_failure",
    "representation_violations",
    "request_issues",
    "resolve_pointer",
    "unsafe_url",
    "xml_root",
]
