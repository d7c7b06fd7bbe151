"""A gallery of broken servers: the real mock, each with one documented behaviour broken.

Why it exists: a contract checker is only as good as the faults it catches. Each server here
wraps :class:`postman_contracts.mock.MockApp` (which answers as the collection documents) and
breaks exactly one documented thing, on the way in (the request it sees) or on the way out
(the response it gives), so a test can run the plugin against it and assert that the one
expected test fails, for the one expected reason, while everything else still passes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from postman_contracts.contracts import ContractSet
from postman_contracts.mock import MockApp

__all__ = ["GALLERY", "Broken", "Request", "Response"]

StartResponse = Callable[..., Any]

LEADS = "/crm/v2/Leads/actions/mass_update"
BULK_WRITE = "/crm/bulk/v2/write"


@dataclass(frozen=True)
class Request:
    """The request as the wrapped mock will see it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        """The body as JSON, or ``None`` when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True)
class Response:
    """The mock's answer, as the broken server may alter it."""

    status: int
    content_type: str
    body: Any  # parsed JSON, or bytes when the body is not JSON


class Broken:
    """A WSGI app: the mock, with :meth:`request` and :meth:`response` to override."""

    name: ClassVar[str] = ""
    breaks: ClassVar[str] = ""

    def __init__(self, contracts: ContractSet) -> None:
        self.mock = MockApp(contracts, logger=lambda line: None)

    def request(self, request: Request) -> Request:
        """The request the mock answers (by default, the one received)."""
        return request

    def response(self, request: Request, response: Response) -> Response:
        """The response sent back (by default, the mock's)."""
        return response

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Read the request, let the mock answer the altered request, alter the answer."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k[:5] == "HTTP_"
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        seen = self.request(
            Request(environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"), headers, body)
        )
        inner = {k: v for k, v in environ.items() if not k.startswith("HTTP_")}
        inner.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in seen.headers.items()})
        inner.pop("HTTP_CONTENT_TYPE", None)
        inner["CONTENT_TYPE"] = seen.headers.get("content-type", "")
        inner.update(
            REQUEST_METHOD=seen.method,
            PATH_INFO=seen.path,
            CONTENT_LENGTH=str(len(seen.body)),
        )
        inner["wsgi.input"] = io.BytesIO(seen.body)
        captured: list[Any] = []
        out = b"".join(self.mock(inner, lambda status, hdrs, *_: captured.extend([status, hdrs])))
        status = int(captured[0].split()[0])
        content_type = dict(captured[1]).get("Content-Type", "application/json")
        try:
            parsed: Any = json.loads(out)
        except ValueError:
            parsed = out
        answer = self.response(seen, Response(status, content_type, parsed))
        data = (
            answer.body
            if isinstance(answer.body, bytes)
            else json.dumps(answer.body).encode("utf-8")
        )
        # the mock's documented headers (Location, a vendor's own...) go along unchanged
        documented = [
            (k, v) for k, v in captured[1] if k.lower() not in ("content-type", "content-length")
        ]
        start_response(
            f"{answer.status} Broken",
            [
                ("Content-Type", answer.content_type),
                ("Content-Length", str(len(data))),
                *documented,
            ],
        )
        return [data]


def _records(body: Any) -> list[dict[str, Any]]:
    """The per-record results of a Zoho body (``data[]``), or ``[]``."""
    data = body.get("data") if isinstance(body, dict) else None
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def _success_records(body: Any) -> list[dict[str, Any]]:
    return [r for r in _records(body) if r.get("status") == "success"]


def _is_error(response: Response) -> bool:
    body = response.body
    if response.status >= 400:
        return True
    return any(r.get("status") == "error" for r in _records(body))


class WrongSuccessStatus(Broken):
    name = "wrong-success-status"
    breaks = "bulk write answers 202 where 201 is documented"

    def response(self, request: Request, response: Response) -> Response:
        return replace(response, status=202) if response.status == 201 else response


class RecordCodeMissing(Broken):
    name = "record-code-missing"
    breaks = "leads success records lack the required `code`"

    def response(self, request: Request, response: Response) -> Response:
        for record in _success_records(response.body):
            del record["code"]
        return response


class IdNotAString(Broken):
    name = "id-not-a-string"
    breaks = "leads success records give `details.id` as a number, documented as a string"

    def response(self, request: Request, response: Response) -> Response:
        for record in _success_records(response.body):
            record["details"]["id"] = int(record["details"]["id"])
        return response


class WrongErrorCode(Broken):
    name = "wrong-error-code"
    breaks = "a missing `ids` gets INVALID_DATA instead of MANDATORY_NOT_FOUND"

    def response(self, request: Request, response: Response) -> Response:
        for record in _records(response.body):
            if record.get("code") == "MANDATORY_NOT_FOUND":
                record["code"] = "INVALID_DATA"
        return response


class RecordErrorAtTop(Broken):
    name = "record-error-at-top"
    breaks = "per-record errors (data[].code) are answered at the top level"

    def response(self, request: Request, response: Response) -> Response:
        errors = [r for r in _records(response.body) if r.get("status") == "error"]
        return replace(response, body=errors[0]) if errors else response


class ServerErrorOnInvalid(Broken):
    name = "server-error-on-invalid"
    breaks = "every invalid request crashes the server (500)"

    def response(self, request: Request, response: Response) -> Response:
        if _is_error(response):
            return Response(500, "text/html", b"<h1>Internal Server Error</h1>")
        return response


class AcceptsMissingIds(Broken):
    name = "accepts-missing-ids"
    breaks = "a leads update without `ids` succeeds instead of MANDATORY_NOT_FOUND"

    def request(self, request: Request) -> Request:
        body = request.json()
        if request.path == LEADS and isinstance(body, dict) and "ids" not in body:
            body["ids"] = ["738964000002131001"]
            return replace(request, body=json.dumps(body).encode("utf-8"))
        return request


class EnvelopeWithoutStatus(Broken):
    name = "envelope-without-status"
    breaks = "top-level error bodies lack the envelope key `status`"

    def response(self, request: Request, response: Response) -> Response:
        if response.status >= 400 and isinstance(response.body, dict):
            response.body.pop("status", None)
        return response


class IgnoresMethod(Broken):
    name = "ignores-method"
    breaks = "any method is answered like POST (COPY is documented as INVALID_REQUEST_METHOD)"

    def request(self, request: Request) -> Request:
        return replace(request, method="POST")


class AcceptsNoCredentials(Broken):
    name = "accepts-no-credentials"
    breaks = "a request without credentials is served (AUTHENTICATION_FAILURE is documented)"

    def request(self, request: Request) -> Request:
        if "authorization" in request.headers:
            return request
        return replace(request, headers={**request.headers, "authorization": "Bearer anyone"})


class LocalDateTimes(Broken):
    name = "local-date-times"
    breaks = "leads success records give `Modified_Time` as 12/05/2021 07:26, not RFC 3339"

    def response(self, request: Request, response: Response) -> Response:
        for record in _success_records(response.body):
            record["details"]["Modified_Time"] = "12/05/2021 07:26"
        return response


class RejectsValidUpdates(Broken):
    name = "rejects-valid-updates"
    breaks = "a valid leads update gets a per-record INVALID_DATA (under 200) instead of success"

    def response(self, request: Request, response: Response) -> Response:
        if _success_records(response.body):
            error = {"code": "INVALID_DATA", "details": {}, "message": "No field found"}
            return replace(response, body={"data": [{**error, "status": "error"}]})
        return response


class CrashesOnNegativeCount(Broken):
    name = "crashes-on-negative-count"
    breaks = "a valid update with a negative No_of_Employees crashes the server (500)"

    def response(self, request: Request, response: Response) -> Response:
        body = request.json()
        records = body.get("data") if isinstance(body, dict) else None
        counts = [r.get("No_of_Employees") for r in records or [] if isinstance(r, dict)]
        if request.path == LEADS and any(isinstance(n, int) and n < 0 for n in counts):
            return Response(500, "text/plain", b"ValueError: negative count")
        return response


class AnswersDifferently(Broken):
    name = "answers-differently"
    breaks = (
        "a valid update with a negative No_of_Employees crashes the server (500) the first "
        "time it is sent, and succeeds when sent again"
    )

    def __init__(self, contracts: ContractSet) -> None:
        super().__init__(contracts)
        self.seen: set[bytes] = set()

    def response(self, request: Request, response: Response) -> Response:
        body = request.json()
        records = body.get("data") if isinstance(body, dict) else None
        counts = [r.get("No_of_Employees") for r in records or [] if isinstance(r, dict)]
        negative = any(isinstance(n, int) and n < 0 for n in counts)
        if request.path == LEADS and negative and request.body not in self.seen:
            self.seen.add(request.body)
            return Response(500, "text/plain", b"ValueError: negative count")
        return response


class EchoesAuthorization(Broken):
    """Not in :data:`GALLERY`: the secrets tests' worst case, a crash page that reflects the
    request's credentials (as debug error pages do)."""

    name = "echoes-authorization"
    breaks = "answers 500 with the request's Authorization header in the body"

    def __init__(self, contracts: ContractSet) -> None:
        super().__init__(contracts)
        #: every Authorization header received, to prove the secret was really sent
        self.received: list[str] = []

    def response(self, request: Request, response: Response) -> Response:
        authorization = request.headers.get("authorization", "")
        self.received.append(authorization)
        echo = {"error": "boom", "authorization": authorization, "message": authorization}
        return Response(500, "application/json", echo)


#: Every server that breaks one documented behaviour, by name.
GALLERY: dict[str, type[Broken]] = {
    cls.name: cls
    for cls in (
        WrongSuccessStatus,
        RecordCodeMissing,
        IdNotAString,
        WrongErrorCode,
        RecordErrorAtTop,
        ServerErrorOnInvalid,
        AcceptsMissingIds,
        EnvelopeWithoutStatus,
        IgnoresMethod,
        AcceptsNoCredentials,
        LocalDateTimes,
        RejectsValidUpdates,
        CrashesOnNegativeCount,
        AnswersDifferently,
    )
}
