"""Contracts: JSON Schemas and an error catalog inferred from a collection's saved examples.

``build_contracts(collection)`` infers, for every operation, a request contract (method, URL
template, parameters, headers, auth, body schema) and response contracts (status, content type,
body schema per status and envelope), and an error catalog (code, status, placement, trigger).
``write_contracts`` commits them as files (fed by ``stream_contracts``, one operation at a
time), ``check_tree`` reports drift, ``diff_contracts`` classifies changes, ``to_openapi``
exports OpenAPI 3.1.
"""

from __future__ import annotations

from postman_contracts._errors import ContractError
from postman_contracts.contracts._build import build_contracts, redact_json, stream_contracts
from postman_contracts.contracts._catalog import Envelope, ErrorEntry, Trigger
from postman_contracts.contracts._diff import Change, diff_contracts
from postman_contracts.contracts._evidence import EvidencePolicy, asserted_schema
from postman_contracts.contracts._files import (
    check_tree,
    dump_json,
    merge_patch,
    render,
    write_contracts,
)
from postman_contracts.contracts._formats import FORMAT_CHECKER
from postman_contracts.contracts._infer import InferenceOptions, SchemaBuilder, infer_schema
from postman_contracts.contracts._model import (
    AuthContract,
    ContractSet,
    ExampleExchange,
    OperationContract,
    Parameter,
    RequestContract,
    ResponseContract,
)
from postman_contracts.contracts._open import open_contracts
from postman_contracts.contracts._openapi import to_openapi
from postman_contracts.contracts._read import is_contracts_dir, load_contracts

__all__ = [
    "FORMAT_CHECKER",
    "AuthContract",
    "Change",
    "ContractError",
    "ContractSet",
    "Envelope",
    "ErrorEntry",
    "EvidencePolicy",
    "ExampleExchange",
    "InferenceOptions",
    "OperationContract",
    "Parameter",
    "RequestContract",
    "ResponseContract",
    "SchemaBuilder",
    "Trigger",
    "asserted_schema",
    "build_contracts",
    "check_tree",
    "diff_contracts",
    "dump_json",
    "infer_schema",
    "is_contracts_dir",
    "load_contracts",
    "merge_patch",
    "open_contracts",
    "redact_json",
    "render",
    "stream_contracts",
    "to_openapi",
    "write_contracts",
]
