"""The plugin's hooks: configuration, the report header, and collecting the generated tests.

Why it exists: the generated tests are collected as pytest collects any test file: the file
named by ``--contracts`` (a contracts directory's ``index.json``) is a ``pytest.File`` whose
children are one collector per operation, holding that operation's tests. Node ids read
``PATH::OPERATION_ID::test_auth`` and ``PATH::OPERATION_ID::test_example[EXAMPLE]``, PATH
relative to the rootdir, so a node id from a report can be run again, and ``--lf``,
``--deselect``, ``-k``, ``-m`` and xdist's ``--dist loadscope`` (one operation's tests
together) see ordinary tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from postman_contracts.plugin import _hookspec
from postman_contracts.plugin._items import ContractFile, ContractItem
from postman_contracts.plugin._options import (
    _CHECKS,
    RUN_KEY,
    SETTINGS_KEY,
    STATS_OUTPUT,
    TARGET_KEY,
    read_settings,
    run_of,
)
from postman_contracts.server import PHASES

__all__ = [
    "pytest_addhooks",
    "pytest_collect_file",
    "pytest_collection",
    "pytest_collection_finish",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_ignore_collect",
    "pytest_report_header",
    "pytest_sessionfinish",
    "pytest_unconfigure",
]


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Offer ``pytest_contracts_arrange_state`` to conftest files."""
    pluginmanager.add_hookspecs(_hookspec)


def pytest_configure(config: pytest.Config) -> None:
    """Read the settings once; register the markers."""
    config.addinivalue_line(
        "markers", "contract(operation_id): the operation a hand-written test checks"
    )
    config.addinivalue_line(
        "markers", "contract_client(operation_id): fuzz a client against the documented responses"
    )
    config.stash[SETTINGS_KEY] = read_settings(config)
    target = _target(config)
    if target is not None:
        config.stash[TARGET_KEY] = target


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Under pytest-xdist, every worker fuzzes with the controller's seed."""
    node.workerinput["contracts_seed"] = str(node.config.stash[SETTINGS_KEY].seed)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Name the collection, the server and the seed at the top of the run."""
    settings = config.stash[SETTINGS_KEY]
    if not settings.path:
        return []
    target = settings.base_url or "none (server checks off; set --contracts-base-url)"
    return [
        f"postman-contracts: {settings.path}, base URL {target}, seed {settings.seed}, "
        f"checks {','.join(c for c in _CHECKS if c in settings.checks)}"
        + (
            f", phases {','.join(p for p in PHASES if p in settings.phases)}"
            if settings.phases != frozenset(PHASES)
            else ""
        )
        + (", strict" if settings.strict else "")
    ]


def _target(config: pytest.Config) -> Path | None:
    """The absolute path pytest collects the generated tests from, when they are on."""
    settings = config.stash[SETTINGS_KEY]
    if not (settings.path and settings.base_url):
        return None
    path = Path(os.path.abspath(config.invocation_params.dir / settings.path))
    return path / "index.json" if path.is_dir() else path


def _names(config: pytest.Config, arg: str, target: Path) -> bool:
    """Whether the collection argument ``arg`` names ``target`` (with or without ``::`` parts)."""
    head = arg.partition("[")[0].split("::")[0]
    path = Path(os.path.abspath(config.invocation_params.dir / head))
    return path in (target, target.parent if target.name == "index.json" else target)


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Load the contracts once, before collection (a bad file is a usage error), and add the
    file to the collection arguments unless an argument already names it (a node id)."""
    config = session.config
    target = config.stash.get(TARGET_KEY, None)
    if target is None:
        return
    run_of(config)
    if not any(_names(config, str(arg), target) for arg in config.args):
        config.args.append(str(target))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Tell the run how many fuzz tests it runs (after ``-k``, ``--deselect``...): they share
    ``--contracts-budget``. Every xdist worker collects them all, so each counts the same."""
    run = session.config.stash.get(RUN_KEY, None)
    if run is not None:
        run.fuzz_tests = sum(
            1
            for item in session.items
            if isinstance(item, ContractItem) and item.case.kind.startswith("fuzz")
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker, hand this worker's ``verify`` figures to the controller."""
    output = getattr(session.config, "workeroutput", None)
    run = session.config.stash.get(RUN_KEY, None)
    if output is not None and run is not None:
        output[STATS_OUTPUT] = run.stats.to_plain()


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Never ignore the contracts file nor a directory on the way to it (``.postman/``...):
    pytest drops an argument inside another one and walks to it instead."""
    target = config.stash.get(TARGET_KEY, None)
    if target is not None and (collection_path == target or collection_path in target.parents):
        return False
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """The contracts file is a :class:`~postman_contracts.plugin._items.ContractFile`."""
    target = parent.config.stash.get(TARGET_KEY, None)
    if target is None or file_path != target:
        return None
    rootpath = parent.config.rootpath
    if target.is_relative_to(rootpath):
        return ContractFile.from_parent(parent, path=file_path)
    # Outside the rootdir pytest would give it an empty id: name it relative to the rootdir,
    # as a node id to run again from there.
    nodeid = Path(os.path.relpath(target, rootpath)).as_posix()
    return ContractFile.from_parent(parent, path=file_path, nodeid=nodeid)


@pytest.hookimpl(trylast=True)  # after pytest's own final collections: see ContractRun.close
def pytest_unconfigure(config: pytest.Config) -> None:
    """Close connections."""
    if RUN_KEY in config.stash:
        config.stash[RUN_KEY].close()
        del config.stash[RUN_KEY]
