"""Validation helpers for the contract tests."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from postman_contracts.collection import Placeholder
from postman_contracts.collection._placeholders import TypeSlot, slot_sample
from postman_contracts.contracts import FORMAT_CHECKER

_SLOT = "\x00slot"


def _fill(value: Any) -> Any:
    if isinstance(value, TypeSlot):  # "<long>": served and sent as a value of its type
        return slot_sample(value)
    if isinstance(value, Placeholder):
        return _SLOT
    if isinstance(value, list):
        return [_fill(v) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v) for k, v in value.items()}
    return value


def schema_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Validation errors of ``value`` (formats checked); a ``{{slot}}`` matches anything, a
    ``<type>`` slot is a value of its type."""
    filled = _fill(value)
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(filled)
        if e.instance != _SLOT
    ]
