"""Contracts: JSON Schemas and an error catalog inferred from a collection's saved examples.

``build_contracts(collection)`` infers, for every operation, a request contract (method, URL
template, parameters, headers, auth, body schema) and response contracts (status, content type,
body schema per status and envelope), and an error catalog (code, status, placement, trigger).
``write_contracts`` commits them as files (fed by ``stream_contracts``, one operation at a
time), ``check_tree`` reports drift, ``diff_contracts`` classifies changes, ``to_openapi``
exports OpenAPI 3.1. ``open_contracts`` reads a collection or a contracts directory for a test
run; from a collection it builds with ``lazy=True``, putting off response schemas, response
headers and the examples' bodies until a test first reads them.
"""

from __future__ import annotations

from postman_contracts._errors import ContractError
from postman_contracts.contracts._atomic import write_file_atomic as write_file_atomic
from postman_contracts.contracts._build import build_contracts, redact_json, stream_contracts
from postman_contracts.contracts._catalog import Envelope, ErrorEntry, Trigger
from postman_contracts.contracts._catalog import generic_pointer as generic_pointer
from postman_contracts.contracts._catalog import pointer_to_path as pointer_to_path
from postman_contracts.contracts._catalog import reports_failure as reports_failure
from postman_contracts.contracts._catalog import to_pointer as to_pointer
from postman_contracts.contracts._diff import Change, diff_contracts
from postman_contracts.contracts._diff_report import FAIL_ON as FAIL_ON
from postman_contracts.contracts._diff_report import fails as fails
from postman_contracts.contracts._diff_report import render_json as render_diff_json
from postman_contracts.contracts._diff_report import (
    render_markdown as render_diff_markdown,
)
from postman_contracts.contracts._diff_report import render_text as render_diff_text
from postman_contracts.contracts._evidence import EVIDENCE_KEY as EVIDENCE_KEY
from postman_contracts.contracts._evidence import EvidencePolicy, asserted_schema
from postman_contracts.contracts._evidence import presence_asserted as presence_asserted
from postman_contracts.contracts._files import (
    check_tree,
    dump_json,
    merge_patch,
    render,
    write_contracts,
)
from postman_contracts.contracts._files import file_errors as file_errors
from postman_contracts.contracts._formats import FORMAT_CHECKER
from postman_contracts.contracts._hosts import EVERY_HOST as EVERY_HOST
from postman_contracts.contracts._hosts import Unresolved as Unresolved
from postman_contracts.contracts._hosts import documented_values as documented_values
from postman_contracts.contracts._hosts import fill_values as fill_values
from postman_contracts.contracts._hosts import host_urls as host_urls
from postman_contracts.contracts._hosts import raise_unresolved as raise_unresolved
from postman_contracts.contracts._hosts import unresolved_variables as unresolved_variables
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
from postman_contracts.contracts._response_headers import header_asserted as header_asserted
from postman_contracts.contracts._response_headers import is_contract_header as is_contract_header
from postman_contracts.contracts._routing import RouteKey as RouteKey
from postman_contracts.contracts._routing import graphql_response_keys as graphql_response_keys
from postman_contracts.contracts._routing import request_key_value as request_key_value
from postman_contracts.contracts._routing import soap_body_element as soap_body_element
from postman_contracts.contracts._text import FILE_VALUE as FILE_VALUE
from postman_contracts.contracts._text import as_text as as_text
from postman_contracts.contracts._text import read_as_schema as read_as_schema

# Besides __all__, the names imported `as` themselves above are shared with the packages above
# (a package reaches another only through its __init__); they are not
# part of the public API.

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
    "render_diff_json",
    "render_diff_markdown",
    "render_diff_text",
    "stream_contracts",
    "to_openapi",
    "write_contracts",
]
