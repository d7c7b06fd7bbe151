"""The generated tests as pytest collects them: a file, one collector per operation, items.

Why it exists: the file named by ``--contracts`` is a ``pytest.File``; each operation is a
collector holding its tests, like a class its methods; each test is a :class:`ContractItem`
that hands its :class:`~postman_contracts.server.Case` to the run state
(:class:`~postman_contracts.server.ContractRun`) and reports the outcome the pytest way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from postman_contracts.plugin._options import RUN_KEY

if TYPE_CHECKING:  # imported when the tests run: see server/__init__.py
    from postman_contracts.contracts import OperationContract
    from postman_contracts.server import Case, ContractRun

__all__ = ["ContractFile", "ContractItem", "OperationCollector", "item_name"]


def item_name(case: Case) -> str:
    """The item name of ``case`` under its operation: ``test_auth``, ``test_example[EXAMPLE]``.

    No ``::`` inside: pytest and xdist split node ids on it (``--dist loadscope`` groups by
    what precedes the last one), so a Postman name's ``::`` is written ``:``.
    """
    if case.kind != "example":
        return f"test_{case.kind}"
    return f"test_example[{_NO_DOUBLE_COLON.sub(':', case.example)}]"


_NO_DOUBLE_COLON = re.compile(":{2,}")


class ContractFile(pytest.File):
    """The collection file (or a contracts directory's ``index.json``) named by ``--contracts``.

    Its children are one :class:`OperationCollector` per operation, in collection order. The
    contracts are loaded once per session (per xdist worker) by :class:`ContractRun`, not here.
    """

    def collect(self) -> Iterator[OperationCollector]:
        """One collector per operation; an operation with no selected test yields nothing."""
        run = self.config.stash[RUN_KEY]
        for op in run.contracts.operations:
            yield OperationCollector.from_parent(self, name=op.id, operation=op.id)


class OperationCollector(pytest.Collector):
    """One operation: its tests, like a test class's methods (``FILE::OP_ID::test_auth``)."""

    def __init__(self, *, operation: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation = operation

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        """The operation's selected cases, as :class:`ContractItem`s."""
        run = self.config.stash[RUN_KEY]
        op = run.contracts.operation(self.operation)
        mark = pytest.mark.contract(op.id)  # one per operation: making a mark is not free
        out: list[pytest.Item | pytest.Collector] = []
        for case in run.cases(op):
            name = item_name(case)
            # The id as a string, parsed by pytest as any id read back (--lf's cache, an
            # argument): "test_example[X]" is a name and its parameters, as a function's is.
            item = ContractItem.from_parent(
                self, name=name, nodeid=f"{self.nodeid}::{name}", case=case, run=run, mark=mark
            )
            run.keep(item)
            out.append(item)
        return out


class ContractItem(pytest.Item):
    """One generated contract test."""

    def __init__(
        self,
        *,
        case: Case,
        run: ContractRun,
        mark: pytest.MarkDecorator | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.run = run
        self.add_marker(mark or pytest.mark.contract(case.operation.id))

    def release(self) -> None:
        """Let go of the case and the run, once the session is over."""
        del self.case, self.run

    def runtest(self) -> None:
        """Run the case; one that cannot be checked here is skipped, saying why."""
        from postman_contracts.server import NotChecked

        case, run = self.case, self.run

        def arrange(op: OperationContract, example: str) -> bool:
            return bool(
                self.config.hook.pytest_contracts_arrange_state(
                    operation=op, example=example, base_url=run.settings.base_url
                )
            )

        try:
            run.run_case(case, arrange)
        except NotChecked as skip:
            pytest.skip(str(skip))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """Contract violations read as the house format; anything else as pytest shows it."""
        from postman_contracts.checking import Violation, Violations

        if isinstance(excinfo.value, (Violations, Violation)):
            return str(excinfo.value)
        return self.run.redact(str(excinfo.getrepr(style="short")))

    def reportinfo(self) -> tuple[Path, None, str]:
        """Where the test comes from: the collection, and the Postman item path."""
        op = self.case.operation
        return self.path, None, f"{op.id}::{self.name} ({op.item_path})"
