"""Variables: Postman environments and the precedence Postman applies.

Why it exists: a request's ``{{api-domain}}`` can be set by the collection, an environment file
and the command line. Postman resolves the narrowest scope first (local < data < environment <
collection < global, narrowest winning); we have three of those scopes, so ``--var`` overrides
win over the environment, which wins over collection variables. Disabled values do not count.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from postman_contracts.collection._model import Variable
from postman_contracts.collection._parts import Where, expect_dict, expect_list, text
from postman_contracts.collection._secrets import is_secret_name
from postman_contracts.collection._source import Limits, read_json_document

__all__ = ["effective_values", "load_environment"]


def load_environment(
    source: str | os.PathLike[str] | Mapping[str, Any], *, limits: Limits | None = None
) -> tuple[Variable, ...]:
    """Read a Postman environment (``*.postman_environment.json``) into variables.

    Values whose ``enabled`` is false are kept but marked disabled. Raises
    :class:`~postman_contracts.CollectionError` naming the environment file.
    """
    limits = limits or Limits()
    if isinstance(source, Mapping):
        doc: Any = source
        file: str | None = None
    else:
        doc, file = read_json_document(source, limits=limits, what="environment")
    where = Where(file, "", "#", limits)
    env = expect_dict(doc, where, "an environment")
    if "values" not in env:
        raise where.error("not a Postman environment: it has no 'values' list")
    out = []
    for i, raw in enumerate(expect_list(env["values"], where.at("values"), "values")):
        w = where.at("values", i)
        v = expect_dict(raw, w, "an environment value")
        key = text(v.get("key"), w.at("key"), "key")
        vtype = text(v.get("type"), w.at("type"), "type") or "default"
        value = v.get("value")
        out.append(
            Variable(
                key=key,
                value=""
                if isinstance(value, (dict, list))
                else text(value, w.at("value"), "value"),
                type=vtype,
                disabled=v.get("enabled") is False,
                secret=vtype == "secret" or is_secret_name(key),
            )
        )
    return tuple(out)


def effective_values(
    collection: tuple[Variable, ...],
    environment: tuple[Variable, ...],
    overrides: Mapping[str, str],
) -> dict[str, str]:
    """The value of every variable after precedence: overrides > environment > collection."""
    values: dict[str, str] = {}
    for scope in (collection, environment):
        for var in scope:
            if not var.disabled:
                values[var.key] = var.value
    values.update(overrides)
    return values
