"""The contract set's indexed lookups answer exactly what a scan of every operation would.

They exist so that the mock, the plugin and the client fixtures stay linear in the size of
the collection; these tests hold them to the plain definitions on generated route tables.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postman_contracts.checking._requests import _path_matches, match_route
from postman_contracts.collection import load_collection
from postman_contracts.contracts import ContractSet, build_contracts
from tests.paths import BUNDLED

_SEGMENTS = ["crm", "v2", "Leads", "{id}", "{{module}}", "x{{v}}"]
_METHODS = ["GET", "POST", "PUT"]


@cache
def _bundled() -> ContractSet:
    return build_contracts(load_collection(BUNDLED))


def _path(segments: list[str]) -> str:
    return "/" + "/".join(segments)


_ROUTES = st.lists(
    st.tuples(st.sampled_from(_METHODS), st.lists(st.sampled_from(_SEGMENTS), max_size=3)),
    min_size=1,
    max_size=12,
)


def _contracts(routes: list[tuple[str, list[str]]]) -> ContractSet:
    base = _bundled()
    ops = []
    for i, (method, segments) in enumerate(routes):
        template = base.operations[i % len(base.operations)]
        request = replace(template.request, method=method, path=_path(segments))
        ops.append(replace(template, id=f"op{i}", request=request))
    return replace(base, operations=tuple(ops))


@given(
    _ROUTES, st.sampled_from(_METHODS), st.lists(st.sampled_from([*_SEGMENTS, "zz"]), max_size=3)
)
def test_match_route_finds_what_a_scan_finds(
    routes: list[tuple[str, list[str]]], method: str, segments: list[str]
) -> None:
    contracts = _contracts(routes)
    path = _path(segments)
    on_path = [op for op in contracts.operations if _path_matches(op.request.path, path)]
    same = [op for op in on_path if op.request.method == method]
    found = match_route(contracts, method, path)
    if same:
        # The route is the most literal template that matches (/users/me before
        # /users/{id}); the candidates are the operations documenting that very template.
        def slots(template: str) -> int:
            return sum(1 for s in template.split("/") if "{" in s)

        def shape(template: str) -> tuple[str | None, ...]:
            return tuple(None if "{" in s else s for s in template.split("/"))

        literal = min(same, key=lambda op: slots(op.request.path))
        route = [op for op in same if shape(op.request.path) == shape(literal.request.path)]
        assert found.method_allowed
        assert {op.id for op in found.candidates} == {op.id for op in route}
    elif on_path:
        assert not found.method_allowed and found.operation in on_path
    else:
        assert found.operation is None


@given(_ROUTES)
def test_lookups_by_id_path_route_and_owner_agree_with_a_scan(
    routes: list[tuple[str, list[str]]],
) -> None:
    contracts = _contracts(routes)
    ops = contracts.operations

    for op in ops:
        assert contracts.operation(op.id) is op
        path, method = op.request.path, op.request.method
        assert contracts.on_path(path) == tuple(o for o in ops if o.request.path == path)
        assert contracts.on_route(method, path) == tuple(
            o for o in ops if (o.request.method, o.request.path) == (method, path)
        )
        for entry in op.errors:
            assert contracts.owner(entry) is next(o for o in ops if entry in o.errors)
    for kind in ("auth", "method", "missing", "nothing such"):
        for auth in (None, "bearer", "noauth"):
            expected = next(
                (
                    e
                    for o in ops
                    if auth is None or o.request.auth.type == auth
                    for e in o.errors
                    if e.trigger.kind == kind
                ),
                None,
            )
            assert contracts.collection_error(kind, auth) == expected


def test_an_unknown_id_names_the_ids_there_are() -> None:
    with pytest.raises(KeyError, match="no operation 'nope'; the contracts have: leads"):
        _bundled().operation("nope")
