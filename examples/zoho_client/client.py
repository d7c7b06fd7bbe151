"""A small Zoho CRM client for two operations, written to be checked by postman-contracts.

Why it exists: it is the documentation that runs. ``test_client.py`` holds it to the bundled
Zoho collection with ``contract_mock`` (what it sends) and ``contract_responses`` (what it does
with every documented response, then generated ones).

Zoho reports errors two ways, and a client has to read both:

- top level, with an HTTP error status: ``401 {"code": "AUTHENTICATION_FAILURE", ...}``; this
  client raises :class:`ZohoError`;
- per record, under HTTP 200: ``{"data": [{"code": "INVALID_DATA", "status": "error", ...}]}``;
  this client returns one :class:`RecordResult` per record, ``ok`` false for failed ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

__all__ = ["RecordResult", "ZohoClient", "ZohoError"]


class ZohoError(Exception):
    """A request Zoho rejected as a whole (or a response this client cannot read)."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}" if code else f"{status}: {message}")
        self.status = status
        self.code = code
        self.details = details or {}


@dataclass(frozen=True)
class RecordResult:
    """What Zoho did with one record of a mass update."""

    status: str
    code: str
    message: str
    id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether this record was updated."""
        return self.status == "success"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class ZohoClient:
    """Calls the Zoho CRM API with an OAuth access token.

    Args:
        base_url: the API domain, e.g. ``https://www.zohoapis.com``.
        token: the OAuth access token.
        session: a ``requests.Session`` to reuse (one is made by default).
        timeout: seconds to wait for each response.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.session.post(self.base_url + path, json=body, timeout=self.timeout)
        try:
            payload = response.json()
        except ValueError:
            raise ZohoError("the response is not JSON", status=response.status_code) from None
        top_failed = isinstance(payload, dict) and payload.get("status") == "error"
        if response.status_code >= 400 or top_failed:
            raise self._error(response.status_code, payload)
        return payload

    @staticmethod
    def _error(status: int, payload: Any) -> ZohoError:
        if not isinstance(payload, dict):
            return ZohoError("unexpected error response", status=status)
        details = payload.get("details")
        return ZohoError(
            _text(payload.get("message")) or "request failed",
            status=status,
            code=_text(payload.get("code")),
            details=details if isinstance(details, dict) else {},
        )

    def mass_update_leads(
        self, ids: list[str], fields: dict[str, Any], *, over_write: bool = True
    ) -> list[RecordResult]:
        """Schedule a mass update of the Leads ``ids`` with ``fields``.

        Returns one result per record; failed records have ``ok`` false and Zoho's code.
        Raises :class:`ZohoError` when Zoho rejects the request as a whole.
        """
        payload = self._post(
            "/crm/v2/Leads/actions/mass_update",
            {"data": [fields], "over_write": over_write, "ids": list(ids)},
        )
        records = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(records, list):
            raise ZohoError("the response has no data list", status=200)
        results = []
        for record in records:
            if not isinstance(record, dict):
                raise ZohoError(f"unexpected record {record!r}", status=200)
            details = record.get("details")
            details = details if isinstance(details, dict) else {}
            results.append(
                RecordResult(
                    status=_text(record.get("status")),
                    code=_text(record.get("code")),
                    message=_text(record.get("message")),
                    id=_text(details.get("id")) or None,
                    details=details,
                )
            )
        return results

    def create_bulk_write_job(
        self,
        file_id: str,
        *,
        module: str,
        field_mappings: list[dict[str, Any]],
        callback_url: str,
        ignore_empty: bool = True,
    ) -> str:
        """Create a bulk write job inserting the uploaded file ``file_id`` into ``module``.

        Returns the job id. Raises :class:`ZohoError` when Zoho rejects the job.
        """
        payload = self._post(
            "/crm/bulk/v2/write",
            {
                "operation": "insert",
                "ignore_empty": ignore_empty,
                "callback": {"url": callback_url, "method": "post"},
                "resource": [
                    {
                        "type": "data",
                        "module": module,
                        "file_id": file_id,
                        "field_mappings": field_mappings,
                    }
                ],
            },
        )
        details = payload.get("details") if isinstance(payload, dict) else None
        job_id = details.get("id") if isinstance(details, dict) else None
        if not isinstance(job_id, str):
            raise ZohoError("the response has no job id", status=201)
        return job_id
