"""A deterministic coverage of an operation's contract: one request per rule it states.

Why it exists: random fuzzing catches a fault on the run whose seed happens to make the one
change that provokes it, and misses it on the next; in CI a fault that shows up one day and not
the next is retried away. So before any random draw, every operation gets the same requests on
every run and machine, in a stable order, no seed involved: each documented trigger, then, for
each JSON body field, form field and query parameter, a wrong type, missing where required,
``null`` where not nullable, out of its enum, and just outside and at the bounds its schema
states; each required header left out; and the valid request with its optional fields left out,
and with all of them present.

Each case is made from the documented request (the saved example, slots filled by the one
slot-filling policy; see ``_requests._documented_request``), never from a draw, and changes only
what the contract *asserts* (the evidence policy's ``asserted_schema``; everything inferred
under ``strict``): a wrong type where no type is asserted, an enum seen once, or a key that
one example shows are no evidence that a server must refuse the change, and a check that
fails a server following its documentation is worse than a missed bug. For the same reason
the wrong values are ones no lenient reader takes for the type (``"not-a-number"``, not
``"12345"``, which frameworks coerce), and ``null`` is sent only for a required member (an
optional one sent as ``null`` is widely read as absent, and RFC 7396 makes it so in a patch),
and what is missing or ``null`` is asserted only where the success examples show requests
that vary (see ``OperationContract.distinct_requests``).
A ``{{$guid}}`` in the documented request is filled fresh, as Postman fills it: the cases are
the same, a server demanding a unique id gets one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from postman_contracts._errors import InvalidArgument
from postman_contracts.checking import Checker, RequestSpec, is_form, json_path, required_param
from postman_contracts.collection import fill_slots
from postman_contracts.contracts import (
    EVIDENCE_KEY,
    ContractSet,
    OperationContract,
    as_text,
    asserted_schema,
    read_as_schema,
)
from postman_contracts.generators._coverage_values import (
    DELETE,
    bounds,
    changed,
    complete,
    json_type,
    json_types,
    minimal,
    outside_enum,
    valid_under,
    walk,
    wrong_value,
)
from postman_contracts.generators._mutations import Mutation
from postman_contracts.generators._requests import (
    Expected,
    _documented,
    _documented_request,
    _example_for,
    _form_body,
    documented_invalid_requests,
    documented_value,
    valid_schema,
)

__all__ = ["MAX_CASES", "CoverageCase", "coverage_cases"]

#: The most cases one operation gets (documented triggers and valid requests first, then the
#: rules in the order of ``_RANK``): enough for every rule of a body of a few dozen fields,
#: and a bound on the requests a huge schema would send before any random fuzzing.
MAX_CASES = 100
#: The order of the rules (kinds), a stable sort key: documented triggers first.
_RANK = {"documented": 0, "valid": 1, "missing_required": 2, "type": 3, "null": 4, "enum": 5}
_BOUNDS_RANK = 6


@dataclass(frozen=True)
class CoverageCase:
    """One request of the coverage phase, labelled with the rule it checks.

    Attributes:
        spec: the request.
        kind: the rule it breaks, in the vocabulary of invalid requests (``missing_required``,
            ``type``, ``enum``, ``value``, ``method``, ``auth``...; ``null`` and ``bounds`` for
            a ``null`` and a value past a stated bound), or ``valid`` for a request that breaks
            none (optional fields omitted or all present, a value at a stated bound).
        label: the rule in words (``missing required property 'ids'``, ``valid: optional
            fields omitted``).
        pointer: where in the body (a JSON pointer), or ``""``.
        expected: what the response must be: ``documented`` (that documented error),
            ``asserted`` (the asserted contract refuses it: any rejection) or ``valid``.
    """

    spec: RequestSpec
    kind: str
    label: str
    pointer: str
    expected: Expected

    @property
    def valid(self) -> bool:
        """Whether the request meets the contract (the response must be a documented one)."""
        return self.expected.confidence == "valid"


def coverage_cases(
    operation: OperationContract,
    contracts: ContractSet,
    *,
    strict: bool = False,
    variables: Mapping[str, str] | None = None,
    limit: int = MAX_CASES,
) -> list[CoverageCase]:
    """One request per rule ``operation``'s contract states, the same on every run.

    Args:
        operation: the operation's contract.
        contracts: the whole set: its evidence policy says which constraints are asserted,
            and its shared errors which method and authentication errors are documented.
        strict: cover every inferred constraint, not only the asserted ones.
        variables: values for ``{{variables}}`` (``--contracts-var``).
        limit: the most cases returned (see :data:`MAX_CASES`).

    Returns:
        The cases in a stable order: documented triggers, the valid requests, then each rule
        kind (missing, type, null, enum, bounds) field by field.
    """
    if not isinstance(operation, OperationContract):
        raise InvalidArgument(f"operation must be an OperationContract, not {operation!r}")
    if not isinstance(contracts, ContractSet):
        raise InvalidArgument(f"contracts must be a ContractSet, not {contracts!r}")
    if type(limit) is not int or limit < 0:
        raise InvalidArgument(f"limit must be an int >= 0, not {limit!r}")
    return _Coverage(operation, contracts, strict, dict(variables or {})).cases()[:limit]


class _Coverage:
    """The cases of one operation (one object so the schemas are viewed and compiled once)."""

    def __init__(
        self, op: OperationContract, contracts: ContractSet, strict: bool, variables: dict[str, str]
    ) -> None:
        self.op, self.contracts, self.strict, self.variables = op, contracts, strict, variables
        self.form = is_form(op)
        self.base = _documented_request(op, variables)
        schema = valid_schema(op)
        self.body: Any = None
        self.sent_as_is = False  # the fallback body is already in its sent (form) shape
        if schema is not None:
            self.body = _example_for(schema, fill=variables)
            if self.body is None:
                self.body, self.sent_as_is = copy.deepcopy(self.base.body), self.form
        self.schema = self.view(op.request.schema) if op.request.schema is not None else None
        self.valid_view = self.view(schema) if schema is not None else None
        self.what = "form field" if self.form else "property"
        self.varied = strict or op.distinct_requests >= contracts.evidence.min_seen

    # -- views and validity ---------------------------------------------------------------

    def view(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` as checked: what its evidence asserts, or everything under strict."""
        return dict(schema) if self.strict else asserted_schema(schema, self.contracts.evidence)

    def param_view(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """A parameter's schema as checked, read as a member (its evidence, not a root's)."""
        if self.strict:
            return dict(schema)
        wrapped = {"type": "object", "properties": {"p": dict(schema)}}
        return dict(asserted_schema(wrapped, self.contracts.evidence)["properties"]["p"])

    def send(self, body: Any) -> RequestSpec:
        """The documented request with ``body`` in place, as it goes on the wire."""
        if self.form and not self.sent_as_is:
            return replace(self.base, body=_form_body(self.op, body)[0])
        return replace(self.base, body=body)

    # -- all cases ------------------------------------------------------------------------

    def cases(self) -> list[CoverageCase]:
        documented = [
            CoverageCase(bad.spec, bad.kind, bad.label, bad.pointer, bad.expected)
            for bad in documented_invalid_requests(
                self.op, contracts=self.contracts, variables=self.variables
            )
        ]
        ranked = [*self.valid_cases(), *self.body_cases(), *self.query_cases()]
        ranked += self.header_cases()
        ranked.sort(key=lambda pair: pair[0])  # stable: field order within a rule
        sent = {(c.kind, c.pointer) for c in documented if c.pointer}
        # the documented trigger of the very same change is already sent
        return documented + [c for _, c in ranked if (c.kind, c.pointer) not in sent]

    def invalid(self, m: Mutation, spec: RequestSpec, *, body: bool = True) -> CoverageCase:
        """A case breaking ``m``'s rule: the documented error where the catalog has a trigger
        for this change (the catalog's triggers are changes to the body), else any
        rejection (the asserted contract refuses it)."""
        expected = _documented(self.contracts, self.op, m) if body else Expected("asserted")
        if expected.confidence != "documented":
            expected = Expected("asserted")
        return CoverageCase(spec, m.kind, m.label, m.pointer, expected)

    # -- valid requests -------------------------------------------------------------------

    def valid_cases(self) -> list[tuple[int, CoverageCase]]:
        """The documented request with every optional field, parameter and header left out,
        and with all of them present (values the success examples show)."""
        optional_query = [
            p for p in self.op.request.parameters if p.location == "query" and not p.required
        ]
        optional_headers = [p for p in self.op.request.header_params if not p.required]
        if self.body is not None and self.valid_view is not None:
            fewest = minimal(self.valid_view, self.body, 0)
            fullest = self.fullest()
        else:
            fewest = fullest = self.body
        out: list[CoverageCase] = []
        if (fewest != self.body or optional_query or optional_headers) and self.valid_body(fewest):
            out.append(_valid(self.send(fewest), "valid: optional fields omitted"))
        full = self.send(fullest)
        for p in optional_query:
            value = documented_value(p)
            full = replace(full, query=(*full.query, (p.name, value)))
        for p in optional_headers:
            value = str(fill_slots(p.example, self.variables, json=False)) if p.example else ""
            if value and "{{" not in value:
                full = replace(full, headers=(*full.headers, (p.name, value)))
        if full != self.send(fewest) and self.valid_body(fullest):
            out.append(_valid(full, "valid: all optional fields present"))
        return [(_RANK["valid"], c) for c in out]

    def typed(self, node: Mapping[str, Any]) -> bool:
        """Whether ``node``'s type is evidence enough to demand that a wrong one is refused: a
        type read from literal text (``share=20`` in a form, ``limit=10``) only where the
        requests vary (the evidence policy counts that reading in examples, and one request
        saved under several responses counts several times); a ``<type>`` slot or a JSON
        value always."""
        evidence = node.get(EVIDENCE_KEY)
        text = isinstance(evidence, dict) and int(evidence.get("text", 0)) > 0
        return self.varied or not text

    def valid_body(self, body: Any) -> bool:
        return self.valid_view is None or valid_under(self.valid_view, body)

    def fullest(self) -> Any:
        """The documented body with every optional member the success examples show added
        (the first value each shows that is valid there), when the result is valid."""
        assert self.valid_view is not None
        donors: list[Any] = []
        for x in self.op.examples:
            response = next((r for r in self.op.responses if r.example == x.name), None)
            if response is None or not response.success or not isinstance(x.body, dict | list):
                continue
            donors.append(fill_slots(x.body, self.variables, json=True))
        full = complete(self.valid_view, self.body, donors, form=self.form)
        return full if self.valid_body(full) else self.body

    # -- the body, field by field ----------------------------------------------------------

    def body_cases(self) -> list[tuple[int, CoverageCase]]:
        if self.schema is None or self.body is None:
            return []
        base = self.fullest() if self.valid_view is not None else self.body
        out: list[tuple[int, CoverageCase]] = []
        for node, value, parts, required in walk(self.schema, base):
            for rank, kind, label, new in self.field_rules(node, value, parts, required):
                body = changed(base, parts, new)
                if kind == "valid":
                    if self.valid_body(body):
                        out.append((rank, _valid(self.send(body), label, parts)))
                elif not valid_under(self.schema, body):
                    m = Mutation(kind, label, parts)
                    out.append((rank, self.invalid(m, self.send(body))))
        return out

    def field_rules(
        self, node: dict[str, Any], value: Any, parts: tuple[Any, ...], required: bool
    ) -> Iterator[tuple[int, str, str, Any]]:
        """``(rank, kind, label, new value)`` of each rule ``node`` states for the member at
        ``parts`` (``DELETE`` to leave it out)."""
        name = repr(parts[-1]) if isinstance(parts[-1], str) else json_path(parts)
        if required and self.varied and isinstance(parts[-1], str):
            where = json_path(parts[:-1])
            label = f"missing required {self.what} {parts[-1]!r}" + (
                f" at {where}" if len(parts) > 1 else ""
            )
            yield _RANK["missing_required"], "missing_required", label, DELETE
        types = json_types(node)
        wrong = wrong_value(types, text=self.form) if self.typed(node) else None
        if wrong is not None:
            got = "text" if self.form else json_type(wrong)
            label = f"{name} must be {'/'.join(types)}, got {got}"
            yield _RANK["type"], "type", label, wrong
        if required and self.varied and types and "null" not in types and not self.form:
            label = f"{name} must be {'/'.join(types)}, got null"
            yield _RANK["null"], "null", label, None
        outside = outside_enum(node)
        if outside is not None:
            label = f"value not in enum at {json_path(parts)}"
            yield _RANK["enum"], "enum", label, outside
        for kind, label, new in bounds(node, value, name, form=self.form):
            yield _BOUNDS_RANK, kind, label, new

    # -- query parameters and headers ------------------------------------------------------

    def query_cases(self) -> list[tuple[int, CoverageCase]]:
        auth = self.op.request.auth
        checker = Checker(self.contracts, strict=self.strict)
        out: list[tuple[int, CoverageCase]] = []
        for p in self.op.request.parameters:
            if p.location != "query" or (auth.location == "query" and p.name == auth.name):
                continue
            label = f"missing required query parameter {p.name!r}"
            # required as a key is asserted: shown in enough examples (the evidence policy)
            required = required_param(checker, self.op, p)
            if required:
                m = Mutation("missing_required", label, (), _nothing, query=p.name)
                out.append((_RANK["missing_required"], self.invalid(m, m.apply(self.base, None))))
            node = self.param_view(p.schema)
            one = node.get("items") if "array" in json_types(node) else node
            one = one if isinstance(one, dict) else {}
            value = read_as_schema(documented_value(p), one)
            rules: list[tuple[int, str, str, Any]] = []
            wrong = wrong_value(json_types(one), text=True) if self.typed(one) else None
            if wrong is not None:
                kinds = "/".join(json_types(one))
                rules.append(
                    (_RANK["type"], "type", f"{p.name!r} must be {kinds}, got text", wrong)
                )
            outside = outside_enum(one)
            if outside is not None:
                rules.append((_RANK["enum"], "enum", f"value not in enum at {p.name!r}", outside))
            rules += [(_BOUNDS_RANK, *b) for b in bounds(one, value, repr(p.name), form=True)]
            for rank, kind, rule, new in rules:
                text = as_text(new)
                read = read_as_schema(text, node)
                kept = tuple((k, v) for k, v in self.base.query if k != p.name)
                spec = replace(self.base, query=(*kept, (p.name, text)))
                label = f"query parameter {rule}"
                if kind == "valid" and valid_under(node, read):
                    out.append(
                        (rank, _valid(spec, label.replace("query parameter valid:", "valid:")))
                    )
                elif kind != "valid" and required and not valid_under(node, read):
                    # an optional parameter a server cannot read is widely ignored, as if
                    # absent (which the documentation allows): only a required one must fail
                    out.append((rank, self.invalid(Mutation(kind, label), spec, body=False)))
        return out

    def header_cases(self) -> list[tuple[int, CoverageCase]]:
        """Each required header left out (required as checked: shown in enough examples).
        Header values are not judged (see the request policy): one client's value is no rule."""
        checker = Checker(self.contracts, strict=self.strict)
        out: list[tuple[int, CoverageCase]] = []
        for p in self.op.request.header_params:
            if required_param(checker, self.op, p):
                label = f"missing required header {p.name!r}"
                m = Mutation("missing_required", label, (), _nothing, header=p.name)
                out.append((_RANK["missing_required"], self.invalid(m, m.apply(self.base, None))))
        return out


def _nothing(draw: Any) -> None:
    """The change of a mutation that removes what it names (a parameter, a header)."""


def _valid(spec: RequestSpec, label: str, parts: tuple[Any, ...] = ()) -> CoverageCase:
    pointer = Mutation("valid", label, parts).pointer
    return CoverageCase(spec, "valid", label, pointer, Expected("valid"))
