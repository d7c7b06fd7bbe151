"""The plugin is cheap to load: pytest loads it in every run where the package is installed.

Until it is given ``--contracts`` (or a fixture of ours is used) it needs none of the run's
dependencies; importing them up front cost half a second in every pytest start.
"""

from __future__ import annotations

import subprocess
import sys

_HEAVY = ("jsonschema", "hypothesis", "requests", "responses", "postman_contracts.checking")


def test_loading_the_plugin_imports_none_of_the_runs_dependencies() -> None:
    code = (
        "import sys, postman_contracts.pytest_plugin\n"
        f"print(sorted(m for m in {_HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stdout
