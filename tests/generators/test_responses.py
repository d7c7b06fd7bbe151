"""Response strategies: documented examples as-is, then bodies valid under each response schema."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from postman_contracts.contracts import FORMAT_CHECKER, open_contracts
from postman_contracts.generators import (
    GeneratedResponse,
    InvalidArgument,
    documented_responses,
    from_schema,
    responses,
)
from tests.corpus_sample import CORPUS_EXAMPLES, sampled
from tests.paths import ALL_COLLECTIONS, BUNDLED

LEADS = open_contracts(BUNDLED).operation("leads")


def test_every_documented_leads_example_is_drawn() -> None:
    seen: set[str] = set()

    @settings(max_examples=300, database=None)
    @given(documented_responses(LEADS))
    def collect(r: GeneratedResponse) -> None:
        if r.documented:
            seen.add(r.example)

    collect()
    assert seen == {x.name for x in LEADS.examples}


@settings(max_examples=200)
@given(documented_responses(LEADS, status=401))
def test_filtered_by_status(r: GeneratedResponse) -> None:
    assert (
        r.status == 401 and r.is_json and r.body["code"] in ("AUTHENTICATION_FAILURE",)
    ) or not r.documented


def test_unknown_status_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="no response"):
        documented_responses(LEADS, status=418)


def _schemas() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in ALL_COLLECTIONS:
        seen: set[int] = set()
        for op in open_contracts(path).operations:
            for r in op.responses:
                if r.schema is not None and id(r.schema) not in seen:
                    seen.add(id(r.schema))
                    out.append((f"{path.name}::{op.id}::{r.status}", r.schema))
    return out


# The suite draws 25 bodies for a fixed sample of the schemas (tests/corpus_sample.py: the
# corpus has large response schemas, about 0.1 s a body); POSTMAN_CONTRACTS_CORPUS_EXAMPLES=200
# runs every schema, the full check the generators issue asks for (about 5 minutes on 2 cores).
SCHEMAS = sampled(_schemas())


@pytest.mark.parametrize("schema", [s for _, s in SCHEMAS], ids=[n for n, _ in SCHEMAS])
def test_every_corpus_response_schema_generates_valid_bodies(schema: dict[str, Any]) -> None:
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)

    # All health checks stay on: generation is by construction, so none may fire.
    @settings(
        max_examples=CORPUS_EXAMPLES, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(from_schema(schema))
    def check(body: Any) -> None:
        assert validator.is_valid(body)

    check()


def test_strategies_draw_through_st_data() -> None:
    @settings(max_examples=20)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        r = data.draw(documented_responses(LEADS, example="RECORD_LOCKED"))
        assert r.example == "RECORD_LOCKED" and r.status == 200

    check()


def test_the_old_names_are_deprecated_aliases() -> None:
    from postman_contracts.generators import requests

    with pytest.warns(DeprecationWarning, match="use documented_responses"):
        old = responses(LEADS, status=401)
    with pytest.warns(DeprecationWarning, match="use valid_requests"):
        requests(LEADS)
    with (
        pytest.raises(InvalidArgument, match="no response"),
        pytest.warns(DeprecationWarning, match="deprecated"),
    ):
        responses(LEADS, status=418)
    assert isinstance(old, st.SearchStrategy)
