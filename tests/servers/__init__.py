"""Servers the plugin's tests run against (only ever served on loopback by the tests)."""
