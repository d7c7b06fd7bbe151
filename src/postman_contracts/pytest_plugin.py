"""The module pytest loads (entry point ``pytest11``): the plugin's hooks and fixtures.

Everything is implemented in :mod:`postman_contracts.plugin`; this module only names it, so
``-p postman_contracts.pytest_plugin`` keeps working.
"""

from __future__ import annotations

from postman_contracts.plugin import *  # noqa: F403 -- pytest reads hooks and fixtures by name
from postman_contracts.plugin import __all__ as __all__
