"""Clients for the client-side checks to catch: the reference client, broken on purpose."""
