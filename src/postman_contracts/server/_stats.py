"""What was sent to each operation, and which documented error codes came back.

Why it exists: ``verify`` prints a table of these after the run; the checks themselves never
read them. Kept apart from the run state so that counting stays one small job.
"""

from __future__ import annotations

from collections import Counter

from postman_contracts.checking import Checker, Exchange
from postman_contracts.contracts import OperationContract

__all__ = ["Stats"]


class Stats(dict[str, dict[str, Counter[str]]]):
    """Per operation id: ``{"sent": Counter(kind), "codes": Counter(error code)}``."""

    def record(
        self, op: OperationContract, kind: str, exchange: Exchange, checker: Checker
    ) -> None:
        """Count one exchange of ``op`` sent by a test of ``kind``."""
        stats = self.setdefault(op.id, {"sent": Counter(), "codes": Counter()})
        stats["sent"][kind] += 1
        if exchange.response is not None:
            try:
                body = exchange.response.json()
            except (ValueError, UnicodeDecodeError):
                body = None
            code = checker.error_code(body, exchange.response.status)
            if code:
                stats["codes"][code] += 1
