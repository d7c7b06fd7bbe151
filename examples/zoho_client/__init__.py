"""A reference Zoho CRM client, held to the bundled collection by its tests."""

from __future__ import annotations

from .client import RecordResult, ZohoClient, ZohoError

__all__ = ["RecordResult", "ZohoClient", "ZohoError"]
