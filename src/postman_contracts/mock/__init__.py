"""The mock server: every documented operation of a collection, served over HTTP.

``MockApp`` is the WSGI application (routing, request checks, documented answers);
``MockServer`` runs it on a loopback port in a thread; ``serve`` runs it in the foreground for
``postman-contracts mock``.
"""

from __future__ import annotations

from postman_contracts.mock._server import MockApp, MockServer, serve

__all__ = ["MockApp", "MockServer", "serve"]
