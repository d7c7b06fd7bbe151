"""Export contracts as an OpenAPI 3.1 document.

Why it exists: so that tools that read only OpenAPI (schemathesis, Prism, code generators) can
use what the Postman documentation says. OpenAPI 3.1 takes JSON Schema 2020-12 as it is, so
the schemas are the same ones we commit. Postman's ``{{host}}`` templates become server
variables; ``{{x}}`` and ``:x`` path segments become path parameters (never empty:
``minLength: 1``). Postman items sharing a method and path (SOAP actions, GraphQL operations,
variants; OpenAPI allows one operation there) are all exported in one: the first names it,
each request body and response schema is one of ``anyOf`` (bodies of two operations may well
both be valid under either schema, which ``oneOf`` would refuse), parameters are the union
(required where every item requires them), and ``x-postman-operations`` lists every item
with what tells it apart (``x-route-key``: the SOAPAction, the GraphQL operation name...),
which OpenAPI cannot say. Without a known host, the server is a ``{baseUrl}`` variable, never
a relative URL that a tool resolves against the document (``about:blank``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from postman_contracts.collection import Redactor
from postman_contracts.contracts._evidence import EvidencePolicy, without_evidence
from postman_contracts.contracts._model import AuthContract, ContractSet, OperationContract
from postman_contracts.contracts._response_headers import header_asserted

__all__ = ["to_openapi"]

_SLOT = re.compile(r"\{\{([^{}]+)\}\}")
_OPENAPI_HEADERS = frozenset({"accept", "content-type", "authorization"})
_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _param_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "param"


def _path(template: str) -> tuple[str, list[str]]:
    """OpenAPI path and the names of the parameters it has."""
    names: list[str] = []

    def slot(match: re.Match[str]) -> str:
        name = _param_name(match.group(1))
        names.append(name)
        return "{" + name + "}"

    path = _SLOT.sub(slot, template)
    names += [m for m in re.findall(r"\{([^{}]+)\}", path) if m not in names]
    return path or "/", names


def _security(auth: AuthContract) -> tuple[str, dict[str, Any]] | None:
    if auth.type in ("bearer", "oauth2") and auth.location == "header":
        return "bearerAuth", {"type": "http", "scheme": "bearer"}
    if auth.type == "basic":
        return "basicAuth", {"type": "http", "scheme": "basic"}
    if auth.type == "digest":
        return "digestAuth", {"type": "http", "scheme": "digest"}
    if auth.location in ("header", "query") and auth.name:
        name = f"{auth.type}_{auth.location}_{_param_name(auth.name)}"
        return name, {"type": "apiKey", "in": auth.location, "name": auth.name}
    return None


def _clean(schema: dict[str, Any] | None) -> dict[str, Any]:
    if schema is None:
        return {}
    return {k: v for k, v in schema.items() if k not in ("$id", "$schema")}


def _operation(
    op: OperationContract, names: list[str], schemes: dict[str, Any], policy: EvidencePolicy
) -> dict[str, Any]:
    req = op.request
    doc: dict[str, Any] = {"operationId": op.id, "summary": op.name}
    if op.description:
        doc["description"] = op.description
    if op.folder:
        doc["tags"] = [" / ".join(op.folder)]
    declared = {p.name for p in req.parameters if p.location == "path"}
    # OpenAPI ignores header parameters named Accept, Content-Type or Authorization (the
    # media types and security schemes say those); a header keeps its own name.
    headers = [p for p in req.header_params if p.name.lower() not in _OPENAPI_HEADERS]
    params: list[dict[str, Any]] = [
        {
            "name": p.name if p.location == "header" else _param_name(p.name),
            "in": p.location,
            "required": p.location == "path" or p.required,
            "schema": without_evidence(p.schema),
            **({"example": p.example} if p.example is not None else {}),
        }
        for p in (*req.parameters, *req.disabled_query, *headers)
        if p.location in ("query", "header") or _param_name(p.name) in names
    ]
    params += [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for n in names
        if n not in {_param_name(d) for d in declared}
    ]
    for param in params:
        if param["in"] == "path":  # a path parameter is a segment: never empty
            param["schema"] = {**param["schema"], "minLength": 1}
            if param.get("example") == "":
                del param["example"]
    if params:
        doc["parameters"] = params
    if req.schema is not None or req.content_type:
        media: dict[str, Any] = {"schema": _clean(req.schema)}
        if req.schema and req.schema.get("examples"):
            media["example"] = req.schema["examples"][0]
        elif req.graphql is not None:
            media["example"] = {"query": req.graphql}
        elif req.text_body is not None:
            media["example"] = req.text_body
        doc["requestBody"] = {
            "required": True,
            "content": {req.content_type or "application/json": media},
        }
    doc["responses"] = _responses(op, policy)
    security = _security(req.auth)
    if security is not None:
        schemes[security[0]] = security[1]
        doc["security"] = [{security[0]: []}]
    elif req.auth.type == "noauth":
        doc["security"] = []
    return doc


def _responses(op: OperationContract, policy: EvidencePolicy) -> dict[str, Any]:
    out: dict[str, Any] = {}
    examples = {x.name: x for x in op.examples}
    for r in op.responses:
        key = str(r.status) if r.status is not None else "default"
        entry = out.setdefault(key, {"description": ""})
        entry["description"] = ", ".join(filter(None, [entry["description"], r.example]))
        for p in r.headers:  # one set per status: each of its responses carries it
            entry.setdefault("headers", {})[p.name] = {
                # as the checks hold it: one example shows a header, it does not promise it
                "required": header_asserted(p, policy),
                "schema": without_evidence(p.schema),
                **({"example": p.example} if p.example is not None else {}),
            }
        x = examples.get(r.example)
        if r.schema is None and not r.content_type:
            continue
        media = entry.setdefault("content", {}).setdefault(r.content_type or "application/json", {})
        if r.schema is not None:
            media["schema"] = _clean(r.schema)
        if x is not None and x.response_body not in (None, ""):
            media.setdefault("examples", {})[r.example] = {"value": x.response_body}
    return out or {"default": {"description": "no documented response"}}


def to_openapi(
    contracts: ContractSet, *, servers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """An OpenAPI 3.1 document of ``contracts``.

    Args:
        contracts: the contracts to export.
        servers: variable values (e.g. ``{"api-domain": "https://www.zohoapis.com"}``) used
            as defaults of server variables; secret values are never used.
    """
    redact = Redactor(contracts.secrets)
    values = {k: v for k, v in (servers or {}).items() if not redact or redact(v) == v}
    paths: dict[str, dict[str, Any]] = {}
    schemes: dict[str, Any] = {}
    hosts: list[str] = []
    shared: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for op in contracts.operations:
        method = op.request.method.lower()
        path, names = _path(op.request.path)
        item = paths.setdefault(path, {})
        if op.request.host and op.request.host not in hosts:
            hosts.append(op.request.host)
        if method not in _HTTP_METHODS:
            item.setdefault("x-postman-other-methods", []).append(
                {"method": op.request.method, "operationId": op.id}
            )
            continue
        shared.setdefault((path, method), []).append(
            _operation(op, names, schemes, contracts.evidence)
        )
        entry: dict[str, Any] = {"operationId": op.id, "summary": op.name}
        if op.request.route_key is not None:
            entry["x-route-key"] = op.request.route_key.as_json()
        if op.request.graphql is not None:
            entry["x-graphql"] = op.request.graphql
        shared[path, method][-1]["x-postman-operations"] = [entry]
    for (path, method), docs in shared.items():
        merged = _merged(docs)
        if len(docs) == 1:
            del merged["x-postman-operations"]
        paths[path][method] = merged
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": contracts.name or "API",
            "version": "1.0.0",
            "description": "Generated by postman-contracts from a Postman collection.",
        },
        "servers": [_server(h, values) for h in hosts]
        or [{"url": "{baseUrl}", "variables": {"baseUrl": {"default": "http://localhost"}}}],
        "paths": paths,
    }
    if schemes:
        doc["components"] = {"securitySchemes": schemes}
    return doc


def _server(host: str, values: Mapping[str, str]) -> dict[str, Any]:
    variables = {}

    def slot(match: re.Match[str]) -> str:
        name = _param_name(match.group(1))
        variables[name] = {"default": values.get(match.group(1)) or "http://localhost"}
        return "{" + name + "}"

    url = _SLOT.sub(slot, host)
    if not variables and "://" not in url:
        url = "https://" + url
    server: dict[str, Any] = {"url": url}
    if variables:
        server["variables"] = variables
    return server


def _merged(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """One OpenAPI operation for the items sharing a method and path: the first's, with every
    item's parameters, request bodies, responses and ``x-postman-operations`` joined."""
    out = dict(docs[0])
    if len(docs) == 1:
        return out
    out["x-postman-operations"] = [e for d in docs for e in d["x-postman-operations"]]
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for d in docs:
        for p in d.get("parameters", ()):
            have = params.setdefault((p["name"], p["in"]), dict(p))
            have["required"] = have["required"] and p["required"]
    for key in list(params):  # absent from an item: not required of the route
        if not all(any((p["name"], p["in"]) == key for p in d.get("parameters", ())) for d in docs):
            params[key]["required"] = params[key]["in"] == "path"
    if params:
        out["parameters"] = list(params.values())
    bodies = [(d["operationId"], d["requestBody"]) for d in docs if "requestBody" in d]
    if bodies:
        out["requestBody"] = {
            "required": len(bodies) == len(docs),
            "content": _joined_content([(op_id, b["content"]) for op_id, b in bodies]),
        }
    responses: dict[str, Any] = {}
    for d in docs:
        for status, r in d["responses"].items():
            responses.setdefault(status, []).append((d["operationId"], r))
    out["responses"] = {
        status: _joined_response(found) for status, found in sorted(responses.items())
    }
    security = [d.get("security") for d in docs]
    if any(s != security[0] for s in security):  # any item's way of authenticating
        ways = [r for s in security for r in (s or [{}])]
        out["security"] = [r for i, r in enumerate(ways) if r not in ways[:i]]
    return out


def _joined_content(contents: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Media type objects of several items (by operation id): each media type's schemas as
    one of ``anyOf``, its examples named ``operation / example``."""
    joined: dict[str, Any] = {}
    for op_id, content in contents:
        for media_type, media in content.items():
            have = joined.setdefault(media_type, {"schemas": [], "media": dict(media)})
            schema = media.get("schema")
            if schema and schema not in have["schemas"]:
                have["schemas"].append(schema)
            if "examples" in media:
                examples = have["media"].setdefault("examples", {})
                if examples is media["examples"]:  # the first item's: renamed in a copy
                    examples = have["media"]["examples"] = {}
                examples.update({f"{op_id} / {k}": v for k, v in media["examples"].items()})
    out: dict[str, Any] = {}
    for media_type, have in joined.items():
        media = have["media"]
        schemas = have["schemas"]
        if len(schemas) > 1:
            media["schema"] = {"anyOf": schemas}
        out[media_type] = media
    return out


def _joined_response(found: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    descriptions = list(dict.fromkeys(r["description"] for _, r in found if r["description"]))
    out: dict[str, Any] = {"description": ", ".join(descriptions)}
    contents = [(op_id, r["content"]) for op_id, r in found if "content" in r]
    if contents:
        out["content"] = _joined_content(contents)
    return out
