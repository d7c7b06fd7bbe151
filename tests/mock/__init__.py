"""Tests of the mock server (``postman_contracts.mock``)."""
