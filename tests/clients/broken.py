"""A gallery of broken Zoho clients, each with one mistake the client-side checks must catch.

Each class is the reference ``ZohoClient`` (examples/zoho_client) with one method overridden
the way real clients get it wrong. ``tests/plugin/test_client_mock.py`` runs the reference
client's own tests against each of them (through ``pytester``) and checks which check catches
it, with which message. This module imports ``zoho_client``, so it only runs where the example
package is on the path (the pytester directory).
"""

from __future__ import annotations

from typing import Any

from zoho_client.client import RecordResult, ZohoClient, ZohoError

__all__ = [
    "CrashesOnRecordErrors",
    "DropsAuthorization",
    "Ignores401",
    "OmitsIds",
    "OverWriteAsString",
    "TreatsHttp200AsSuccess",
    "WrongPath",
]

MASS_UPDATE = "/crm/v2/Leads/actions/mass_update"


class OverWriteAsString(ZohoClient):
    """Sends ``"over_write": "true"``: Zoho documents a boolean."""

    def mass_update_leads(
        self, ids: list[str], fields: dict[str, Any], *, over_write: bool = True
    ) -> list[RecordResult]:
        body = {"data": [fields], "over_write": str(over_write).lower(), "ids": ids}
        self._post(MASS_UPDATE, body)
        return []


class OmitsIds(ZohoClient):
    """Forgets the required ``ids``."""

    def mass_update_leads(
        self, ids: list[str], fields: dict[str, Any], *, over_write: bool = True
    ) -> list[RecordResult]:
        self._post(MASS_UPDATE, {"data": [fields], "over_write": over_write})
        return []


class DropsAuthorization(ZohoClient):
    """Builds a fresh session for each call and forgets the token on it."""

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        self.session.headers.pop("Authorization", None)
        return super()._post(path, body)


class WrongPath(ZohoClient):
    """Posts bulk write jobs to ``/crm/v2/bulk/write``, not ``/crm/bulk/v2/write``."""

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        return super()._post(path.replace("/crm/bulk/v2/", "/crm/v2/bulk/"), body)


class CrashesOnRecordErrors(ZohoClient):
    """Reads ``details["id"]`` from every record; failed records have no id."""

    def mass_update_leads(
        self, ids: list[str], fields: dict[str, Any], *, over_write: bool = True
    ) -> list[RecordResult]:
        payload = self._post(MASS_UPDATE, {"data": [fields], "over_write": over_write, "ids": ids})
        return [
            RecordResult(r["status"], r["code"], r["message"], r["details"]["id"])
            for r in payload["data"]
        ]


class TreatsHttp200AsSuccess(ZohoClient):
    """Takes HTTP 200 to mean every record was updated, without reading ``data[].status``."""

    def mass_update_leads(
        self, ids: list[str], fields: dict[str, Any], *, over_write: bool = True
    ) -> list[RecordResult]:
        self._post(MASS_UPDATE, {"data": [fields], "over_write": over_write, "ids": ids})
        return [RecordResult("success", "SUCCESS", "record updated", i) for i in ids]


class Ignores401(ZohoClient):
    """Raises for 400 (the errors it saw in the docs) and reads anything else as records."""

    def mass_update_leads(
        self, ids: list[str], fields: dict[str, Any], *, over_write: bool = True
    ) -> list[RecordResult]:
        body = {"data": [fields], "over_write": over_write, "ids": ids}
        response = self.session.post(self.base_url + MASS_UPDATE, json=body, timeout=self.timeout)
        payload = response.json()
        if response.status_code == 400:
            raise ZohoError("rejected", status=400, code=payload.get("code", ""))
        return [
            RecordResult(r["status"], r["code"], r["message"], r["details"].get("id"))
            for r in payload.get("data", [])
        ]
