"""Read a generated contracts directory back into a :class:`ContractSet`.

Why it exists: the plugin and the mock accept either a collection or a committed contracts
directory (``--contracts contracts/zoho-crm``), so that a team can review and tighten the
contracts and test against exactly what was reviewed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from postman_contracts._errors import ContractError
from postman_contracts.collection import collector_paused, decode_json
from postman_contracts.contracts._atomic import recover
from postman_contracts.contracts._catalog import Envelope, ErrorEntry, Trigger
from postman_contracts.contracts._files import FORMAT, INDEX
from postman_contracts.contracts._model import (
    AuthContract,
    ContractSet,
    ExampleExchange,
    OperationContract,
    Parameter,
    RequestContract,
    ResponseContract,
)
from postman_contracts.contracts._routing import RouteKey

__all__ = ["is_contracts_dir", "load_contracts"]

_TRIGGER_FIELDS = ("kind", "pointer", "path")


def is_contracts_dir(path: Path) -> bool:
    """Whether ``path`` is a generated contracts directory."""
    return path.is_dir() and (path / INDEX).is_file()


class _Reader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.cache: dict[str, Any] = {}

    def json(self, rel: str) -> Any:
        if rel not in self.cache:
            path = self.directory / rel
            try:
                self.cache[rel] = decode_json(path.read_bytes())  # in C where that reads the same
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
                raise ContractError(f"{path}: cannot read: {err}") from err
        return self.cache[rel]

    def schema(self, rel: str | None) -> dict[str, Any] | None:
        if rel is None:
            return None
        schema = self.json(rel)
        if not isinstance(schema, dict):
            raise ContractError(f"{self.directory / rel}: a schema file must hold an object")
        return schema


def _trigger(doc: dict[str, Any]) -> Trigger:
    detail = {k: v for k, v in doc.items() if k not in _TRIGGER_FIELDS}
    return Trigger(doc["kind"], doc.get("pointer", ""), detail)


def _exchange(doc: dict[str, Any]) -> ExampleExchange:
    req, resp = doc["request"], doc["response"]
    return ExampleExchange(
        name=doc["name"],
        method=req["method"],
        path=req["path"],
        query=tuple((k, v) for k, v in req["query"]),
        headers=tuple((k, v) for k, v in req["headers"]),
        body=req["body"],
        body_is_json=req["json"],
        status=resp["status"],
        response_headers=tuple((k, v) for k, v in resp["headers"]),
        response_body=resp["body"],
        response_is_json=resp["json"],
    )


def _parameter(p: dict[str, Any]) -> Parameter:
    return Parameter(p["name"], p["in"], p["required"], p["schema"], p.get("example"))


def _operation(doc: dict[str, Any], reader: _Reader) -> OperationContract:
    a = doc["auth"]
    request = RequestContract(
        method=doc["method"],
        host=doc["host"],
        path=doc["path"],
        parameters=tuple(_parameter(p) for p in doc["parameters"]),
        headers=dict(doc["headers"]),
        content_type=doc["request"]["content_type"],
        body_mode=doc["request"]["body_mode"],
        schema=reader.schema(doc["request"]["schema"]),
        auth=AuthContract(
            a["type"],
            a["in"],
            a["name"],
            a["scheme"],
            a.get("variable", ""),
            a.get("password_variable", ""),
            a.get("token_url", ""),
        ),
        disabled_query=tuple(_parameter(p) for p in doc.get("disabled_query", ())),
        header_params=tuple(_parameter(p) for p in doc.get("request_headers", ())),
        route_key=RouteKey.from_json(doc.get("route_key")),
        graphql=doc["request"].get("graphql"),
        text_body=doc["request"].get("text"),
        protocol=doc.get("protocol", ""),
    )
    responses = tuple(
        ResponseContract(
            r["example"],
            r["status"],
            r["content_type"],
            r["success"],
            reader.schema(r["schema"]),
            r["schema"],
            tuple(_parameter(p) for p in r.get("headers", ())),
        )
        for r in doc["responses"]
    )
    errors = tuple(
        ErrorEntry(
            e["example"],
            e["code"],
            e["status"],
            e["placement"],
            e["record_path"],
            e["message"],
            _trigger(e["trigger"]),
            e.get("details_schema"),
        )
        for e in doc["errors"]
    )
    return OperationContract(
        id=doc["id"],
        name=doc["name"],
        folder=tuple(doc["folder"]),
        description=doc["description"],
        request=request,
        responses=responses,
        errors=errors,
        examples=tuple(_exchange(x) for x in reader.json(doc["examples"])),
    )


def load_contracts(directory: str | Path) -> ContractSet:
    """Load a contracts directory written by ``postman-contracts generate``.

    Raises:
        ContractError: the directory is not a contracts directory, or a file in it is broken.
    """
    with collector_paused():  # a large directory is millions of live objects, no garbage
        return _load(Path(directory))


def _load(directory: Path) -> ContractSet:
    recover(directory)
    reader = _Reader(directory)
    if not (directory / INDEX).is_file():
        raise ContractError(f"{directory}: not a contracts directory (no {INDEX})")
    index = reader.json(INDEX)
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise ContractError(f"{directory / INDEX}: not a contracts index of format {FORMAT}")
    env = index.get("envelope")
    try:
        return ContractSet(
            name=index["collection"],
            operations=tuple(_operation(op, reader) for op in index["operations"]),
            envelope=None
            if env is None
            else Envelope(tuple(env["keys"]), env["code"], env["status"], env["message"]),
            options=dict(index.get("options") or {}),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ContractError(f"{directory / INDEX}: malformed contracts index ({err!r})") from err
