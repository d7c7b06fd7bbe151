"""Client fuzzing: run a client function against every documented response, then generated ones.

Why it exists: a client that works against the success example can still crash on the per-record
error list, read a 401 as "no records", or report a failed record as updated. The documented
examples show each of those cases once; generated responses (each response schema, shrinking
toward its example) show the variations. :class:`ContractResponses` serves each of them to one
call of the client function through the :class:`~postman_contracts.client._mock.ContractMock`
and judges what the client did with it:

- it raised something it does not declare (``client_exception``);
- it returned normally on an error response without handing back the error code
  (``error_ignored``: a top-level error or a 4xx; ``error_dropped``: a per-record error);
- it raised a declared exception on a success response (``success_rejected``);
- it did not hand back a documented field the test asked for (``field_dropped``).

Failures shrink (Hypothesis) to a minimal response, shown with the request in the house format.
"""

from __future__ import annotations

import dataclasses
import json
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import given, seed

from postman_contracts._errors import InvalidArgument
from postman_contracts.checking import Exchange, Violation, Violations, render_failure
from postman_contracts.client._contract import documented
from postman_contracts.client._mock import ClientCall, ContractMock
from postman_contracts.contracts import OperationContract, reports_failure
from postman_contracts.generators import GeneratedResponse, documented_responses, fuzz_settings

__all__ = ["ContractResponses", "mentions"]

_MAX_NODES = 10_000


def mentions(result: Any, value: Any) -> bool:
    """Whether ``value`` (a string or number) appears anywhere in ``result``: in dataclass
    fields, attributes, mappings (keys and values), lists, tuples and sets, a few levels deep."""
    stack: list[tuple[Any, int]] = [(result, 0)]
    seen: set[int] = set()
    while stack and len(seen) < _MAX_NODES:
        node, depth = stack.pop()
        if type(node) is type(value) and node == value:
            return True
        if isinstance(node, (str, bytes, int, float, bool)) or node is None or depth > 8:
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: Iterable[Any]
        if isinstance(node, dict):
            children = [*node.keys(), *node.values()]
        elif isinstance(node, (list, tuple, set, frozenset)):
            children = node
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            children = [getattr(node, f.name, None) for f in dataclasses.fields(node)]
        else:
            children = list(getattr(node, "__dict__", {}).values()) + [
                getattr(node, s, None) for s in getattr(type(node), "__slots__", ())
            ]
        stack.extend((c, depth + 1) for c in children)
    return False


def _values(body: Any, path: str) -> list[Any]:
    """The scalars at a dotted path with ``[]`` wildcards (``data[].details.id``) in ``body``."""
    nodes = [body]
    for part in path.removeprefix("$").strip(".").split("."):
        name, wildcard = part.removesuffix("[]").removesuffix("[*]"), part.endswith(("[]", "[*]"))
        nodes = [n[name] for n in nodes if isinstance(n, dict) and name in n] if name else nodes
        if wildcard:
            nodes = [item for n in nodes if isinstance(n, list) for item in n]
    return [n for n in nodes if isinstance(n, (str, int, float)) and not isinstance(n, bool)]


def _where(exc: BaseException) -> str:
    """The client frames the exception came through, innermost last (at most four)."""
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if "postman_contracts" not in f.filename
    ]
    return "\n".join(
        f"at {f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}: {(f.line or '').strip()}"
        for f in frames[-4:]
    )


class ContractResponses:
    """The ``contract_responses`` fixture: fuzz a client function with documented responses.

    Args:
        mock: the test's ``contract_mock``.
        operation: the default operation (from ``@pytest.mark.contract_client("id")``).
        max_examples: generated responses per :meth:`check` (``--contracts-max-examples``).
        seed: the Hypothesis seed (``--contracts-seed``).
    """

    def __init__(
        self,
        mock: ContractMock,
        operation: str | None = None,
        *,
        max_examples: int = 25,
        seed: int = 0,
    ) -> None:
        self.mock = mock
        self.default = operation
        self.max_examples = max_examples
        self.seed = seed

    @property
    def operation(self) -> OperationContract:
        """The operation named by the test's ``contract_client`` marker."""
        if self.default is None:
            raise InvalidArgument(
                "contract_responses needs @pytest.mark.contract_client('operation-id') "
                "or check(..., operation='operation-id')"
            )
        return self.mock.operation(self.default)

    def documented(self, operation: str | None = None) -> list[GeneratedResponse]:
        """Every documented example of the operation, as served."""
        op = self.mock.operation(operation) if operation else self.operation
        mock = self.mock
        return [
            documented(mock.contracts, op, example=x.name, checker=mock.checker).response
            for x in op.examples
        ]

    def check(
        self,
        call: Callable[[], Any],
        *,
        raises: type[BaseException] | tuple[type[BaseException], ...] = (),
        fields: Iterable[str] = (),
        returns: Callable[[Any, GeneratedResponse], None] | None = None,
        operation: str | None = None,
        max_examples: int | None = None,
    ) -> None:
        """Call ``call()`` once per documented example, then once per generated response.

        Args:
            call: makes one call of the operation through the client, e.g.
                ``lambda: client.mass_update(["738964000002131001"], {...})``.
            raises: the exceptions the client may raise (on error responses only).
            fields: dotted paths into the response (``data[].details.id``) whose values the
                client must hand back in what it returns.
            returns: called as ``returns(result, response)`` after each normal return, for
                your own assertions.
            operation: the operation, if not the marker's.
            max_examples: generated responses (default ``--contracts-max-examples``).
        """
        __tracebackhide__ = True
        declared = raises if isinstance(raises, tuple) else (raises,)
        if not all(isinstance(r, type) and issubclass(r, BaseException) for r in declared):
            raise InvalidArgument(f"raises must be exception classes, not {raises!r}")
        paths = (fields,) if isinstance(fields, str) else tuple(fields)
        op = self.mock.operation(operation) if operation else self.operation
        count = self.max_examples if max_examples is None else max_examples
        if not isinstance(count, int) or count < 0:
            raise InvalidArgument(f"max_examples must be a whole number >= 0, not {count!r}")
        run = _Run(self.mock, op, call, declared, paths, returns)
        for response in self.documented(op.id):
            run.one(response, f"documented example {response.example!r} ({response.status})")
        if count == 0:
            return

        @fuzz_settings(count)
        @seed(self.seed)
        @given(response=documented_responses(op))
        def check_client(response: GeneratedResponse) -> None:
            __tracebackhide__ = True
            origin = "documented" if response.documented else "generated"
            run.one(
                response,
                f"a {origin} {response.status} response (schema of {response.example!r})",
                reproduce=self.mock.reproduce,
            )

        check_client()


class _Run:
    """One :meth:`ContractResponses.check`: what to call and how to judge it."""

    def __init__(
        self,
        mock: ContractMock,
        op: OperationContract,
        call: Callable[[], Any],
        raises: tuple[type[BaseException], ...],
        paths: tuple[str, ...],
        returns: Callable[[Any, GeneratedResponse], None] | None,
    ) -> None:
        self.mock, self.op, self.call = mock, op, call
        self.raises, self.paths, self.returns = raises, paths, returns

    def one(self, response: GeneratedResponse, note: str, *, reproduce: str = "") -> None:
        """Serve ``response`` to one call of the client function and judge the outcome."""
        __tracebackhide__ = True
        mock = self.mock
        first_call, first_failure = len(mock.calls), len(mock.raised)
        mock.prime(self.op, response)
        result: Any = None
        error: Exception | None = None
        try:
            result = self.call()
        except Exception as exc:  # noqa: BLE001 -- the one boundary: whatever the client raises is judged
            error = exc
        finally:
            mock.unprime(self.op)
        request_failures = mock.raised[first_failure:]
        del mock.raised[first_failure:]  # raised here, so never "swallowed"
        if request_failures:
            raise request_failures[0]
        served = [c for c in mock.calls[first_call:] if c.operation == self.op.id]
        if not served:
            raise Violation(
                check="never_called",
                title=f"The client function never called {self.op.id}",
                message=f"{note} was primed for it; the function made "
                f"{len(mock.calls) - first_call} other documented call(s)"
                + (f" and raised {type(error).__name__}" if error is not None else ""),
            ) from None
        violations = self.judge(response, result, error)
        if violations:
            # Not chained to the client's exception: its message may hold what we redact.
            raise self.failure(violations, served[0], note, reproduce) from None
        if error is None and self.returns is not None:
            self.returns(result, response)

    def failure(
        self, violations: list[Violation], call: ClientCall, note: str, reproduce: str
    ) -> Violations:
        exchange = Exchange(call.request, call.response, call.operation, call.item_path, note)
        text = render_failure(violations, exchange, self.mock.redactor, reproduce=reproduce)
        return Violations(violations, exchange, text=text)

    def judge(
        self, response: GeneratedResponse, result: Any, error: Exception | None
    ) -> list[Violation]:
        """What the client did wrong with ``response``, if anything."""
        body = response.body if response.is_json else None
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                body = None
        top, records = self._errors(response.status, body)
        failed = response.status >= 400 or top is not None or bool(records)
        declared = " or ".join(r.__name__ for r in self.raises) or "(none declared)"
        if error is not None:
            if not isinstance(error, self.raises):
                return [
                    Violation(
                        check="client_exception",
                        title=f"The client raised {type(error).__name__} on a documented response",
                        message=f"{type(error).__name__}: {error}\n{_where(error)}".strip(),
                        expected=f"a result, or {declared}",
                        actual=type(error).__name__,
                    )
                ]
            if not failed:
                return [
                    Violation(
                        check="success_rejected",
                        title=f"The client raised {type(error).__name__} on a success response",
                        message=str(error),
                        expected="a result",
                        actual=type(error).__name__,
                    )
                ]
            return []
        out: list[Violation] = []
        if response.status >= 400 or top is not None:
            code = top or ""
            if not code or not mentions(result, code):
                what = f"{response.status}" + (f" {code}" if code else "")
                out.append(
                    Violation(
                        check="error_ignored",
                        title=f"The client returned normally on an error response ({what})",
                        message="its result does not carry the error code",
                        expected=f"{declared}, or a result carrying {code or 'the error'}",
                        actual=_short(result),
                    )
                )
        for index, code in records:
            if not mentions(result, code):
                out.append(
                    Violation(
                        check="error_dropped",
                        title=f"The client dropped the per-record error {code}",
                        message="the response reports a failed record; the result does not",
                        instance_path=f"$.{index}",
                        expected=f"a result carrying {code!r}",
                        actual=_short(result),
                    )
                )
        if not out:
            for path in self.paths:
                dropped = [v for v in _values(body, path) if not mentions(result, v)]
                if dropped:
                    out.append(
                        Violation(
                            check="field_dropped",
                            title=f"The client did not hand back the documented {path}",
                            instance_path=f"$.{path}",
                            expected=", ".join(map(repr, dropped)),
                            actual=_short(result),
                        )
                    )
        return out

    def _errors(self, status: int, body: Any) -> tuple[str | None, list[tuple[str, str]]]:
        """The top-level error code, and (path, code) of each failed record, per the envelope
        (failure as :func:`~postman_contracts.contracts.reports_failure` says)."""
        env = self.mock.contracts.envelope
        if env is None or env.code_key is None or not isinstance(body, dict):
            return None, []
        key = env.code_key
        code = body.get(key)
        failed = status >= 400 or reports_failure(body, env)
        top = str(code) if failed and isinstance(code, str) else None
        records = [
            (f"{name}[{i}].{key}", str(r.get(key)))
            for name, value in body.items()
            if isinstance(value, list)
            for i, r in enumerate(value)
            if reports_failure(r, env) and isinstance(r.get(key), str)
        ]
        return top, records


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
