"""The command line: ``postman-contracts inspect|generate|diff|openapi|verify|mock``.

Each command reports bad input as one line on stderr and exits 2, never with a traceback.
"""

from __future__ import annotations

from postman_contracts.cli._main import main

__all__ = ["main"]
