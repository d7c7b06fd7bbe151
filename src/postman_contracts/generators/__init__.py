"""Hypothesis strategies from contracts: valid requests, labelled invalid ones, responses.

``from_schema(schema)`` compiles a JSON Schema (the subset our inference emits, plus what
overrides commonly add) into a strategy by construction; ``valid_requests(operation)`` draws
complete valid requests; ``invalid_requests(operation)`` draws requests that break one stated
rule, each with the documented error it must get; ``documented_responses(operation)`` draws
documented responses, for fuzzing clients; ``coverage_cases(operation, contracts)`` lists one
request per rule the contract asserts, the same on every run (the coverage phase).
``requests`` and ``responses``, their names until 0.1, are deprecated aliases (they shadowed
the HTTP libraries of those names).
"""

from __future__ import annotations

from postman_contracts._errors import InvalidArgument
from postman_contracts.generators._coverage import MAX_CASES, CoverageCase, coverage_cases
from postman_contracts.generators._deprecated import requests, responses
from postman_contracts.generators._from_schema import from_schema
from postman_contracts.generators._fuzz_settings import fuzz_settings as fuzz_settings
from postman_contracts.generators._mutations import wrong_method as wrong_method
from postman_contracts.generators._requests import (
    KINDS,
    Expected,
    InvalidRequest,
    documented_invalid_requests,
    invalid_requests,
)
from postman_contracts.generators._requests import (
    documented_error as documented_error,
)
from postman_contracts.generators._requests import (
    documented_method as documented_method,
)
from postman_contracts.generators._requests import (
    form_encoding as form_encoding,
)
from postman_contracts.generators._requests import requests as valid_requests
from postman_contracts.generators._responses import GeneratedResponse
from postman_contracts.generators._responses import responses as documented_responses

# Besides __all__, the names imported `as` themselves above are shared with the packages above
# (a package reaches another only through its __init__); they are not
# part of the public API.

__all__ = [
    "KINDS",
    "MAX_CASES",
    "CoverageCase",
    "Expected",
    "GeneratedResponse",
    "InvalidArgument",
    "InvalidRequest",
    "coverage_cases",
    "documented_invalid_requests",
    "documented_responses",
    "from_schema",
    "invalid_requests",
    "requests",
    "responses",
    "valid_requests",
]
