"""The pytest plugin: ``pytest --contracts PATH --contracts-base-url URL``.

Why it exists: this is what users put in CI, with no test code to write. It generates, for
every documented operation, tests that replay the documented examples, fuzz valid and invalid
requests, and try an undocumented method and missing credentials, and it offers fixtures for
hand-written tests. This module stays thin (options, hooks, fixtures); heavy imports happen
only when the plugin is used. Secrets (the token, secret variables) never reach pytest output.
"""

from __future__ import annotations

import fnmatch
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from postman_contracts._plugin_items import ContractRun

__all__ = ["Settings"]

_CHECKS = ("examples", "fuzz", "invalid", "method", "auth")

# (flag, dest, help, default as text)
_OPTIONS = (
    ("--contracts", "contracts", "a Postman collection or a generated contracts directory", ""),
    (
        "--contracts-base-url",
        "contracts_base_url",
        "the server to check, e.g. http://127.0.0.1:8000",
        "",
    ),
    ("--contracts-env", "contracts_env", "a Postman environment file", ""),
    (
        "--contracts-auth-env",
        "contracts_auth_env",
        "the environment variable holding the API token (never pass tokens on the command line)",
        "",
    ),
    (
        "--contracts-max-examples",
        "contracts_max_examples",
        "generated requests per fuzz test",
        "25",
    ),
    (
        "--contracts-seed",
        "contracts_seed",
        "the Hypothesis seed (random, and shown in the header, when unset)",
        "",
    ),
    ("--contracts-timeout", "contracts_timeout", "seconds to wait for each response", "10"),
    (
        "--contracts-checks",
        "contracts_checks",
        f"comma-separated checks: {','.join(_CHECKS)}",
        ",".join(_CHECKS),
    ),
    (
        "--contracts-select",
        "contracts_select",
        "comma-separated globs over operation ids or op::example names",
        "",
    ),
)

SETTINGS_KEY = pytest.StashKey["Settings"]()
RUN_KEY = pytest.StashKey["ContractRun"]()
TARGET_KEY = pytest.StashKey[Path]()


@dataclass(frozen=True)
class Settings:
    """The plugin's configuration, from the command line, else the ini file, else defaults."""

    path: str
    base_url: str
    env: str
    variables: dict[str, str] = field(hash=False)
    auth_env: str
    max_examples: int
    seed: int
    timeout: float
    checks: frozenset[str]
    select: tuple[str, ...]
    strict: bool

    def selected(self, name: str, operation: str) -> bool:
        """Whether ``--contracts-select`` keeps a test of ``operation`` named ``name``."""
        return not self.select or any(
            fnmatch.fnmatchcase(n, g) for g in self.select for n in (operation, name)
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``--contracts-*`` options and their ini keys."""
    group = parser.getgroup("postman-contracts", "contract tests from a Postman collection")
    for flag, dest, help_text, default in _OPTIONS:
        group.addoption(flag, dest=dest, default=None, help=f"{help_text} (ini: {dest})")
        parser.addini(dest, help=help_text, default=default)
    group.addoption(
        "--contracts-var",
        dest="contracts_var",
        action="append",
        default=None,
        metavar="K=V",
        help="set a collection variable; repeatable (ini: contracts_var, one per line)",
    )
    parser.addini(
        "contracts_var", help="collection variables, K=V per line", type="linelist", default=[]
    )
    group.addoption(
        "--contracts-strict",
        dest="contracts_strict",
        action="store_true",
        default=None,
        help="also check semantics: valid requests must succeed, inferred-invalid ones must fail",
    )
    parser.addini("contracts_strict", help="see --contracts-strict", type="bool", default=False)


def _value(config: pytest.Config, dest: str) -> Any:
    given = config.getoption(dest)
    return config.getini(dest) if given is None else given


def _int(config: pytest.Config, dest: str) -> int:
    text = str(_value(config, dest))
    try:
        return int(text)
    except ValueError:
        raise pytest.UsageError(
            f"--{dest.replace('_', '-')} must be a whole number, got {text!r}"
        ) from None


def _settings(config: pytest.Config) -> Settings:
    variables: dict[str, str] = {}
    for pair in _value(config, "contracts_var") or []:
        key, eq, value = str(pair).partition("=")
        if not eq or not key:
            raise pytest.UsageError(f"--contracts-var expects KEY=VALUE, got {pair!r}")
        variables[key.strip()] = value
    checks = frozenset(
        c.strip() for c in str(_value(config, "contracts_checks")).split(",") if c.strip()
    )
    if not checks <= set(_CHECKS):
        raise pytest.UsageError(
            f"--contracts-checks: unknown {sorted(checks - set(_CHECKS))}; "
            f"known: {', '.join(_CHECKS)}"
        )
    seed_text = str(_value(config, "contracts_seed") or "")
    workerinput = getattr(config, "workerinput", None)
    if not seed_text and workerinput is not None:  # an xdist worker: the controller's seed
        seed_text = str(workerinput.get("contracts_seed", ""))
    try:
        seed = int(seed_text) if seed_text else random.randrange(2**32)
    except ValueError:
        raise pytest.UsageError(
            f"--contracts-seed must be a whole number, got {seed_text!r}"
        ) from None
    try:
        timeout = float(_value(config, "contracts_timeout"))
    except ValueError:
        raise pytest.UsageError("--contracts-timeout must be a number of seconds") from None
    return Settings(
        path=str(_value(config, "contracts") or ""),
        base_url=str(_value(config, "contracts_base_url") or ""),
        env=str(_value(config, "contracts_env") or ""),
        variables=variables,
        auth_env=str(_value(config, "contracts_auth_env") or ""),
        max_examples=_int(config, "contracts_max_examples"),
        seed=seed,
        timeout=timeout,
        checks=checks,
        select=tuple(
            g.strip() for g in str(_value(config, "contracts_select") or "").split(",") if g.strip()
        ),
        strict=bool(_value(config, "contracts_strict")),
    )


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    """Offer ``pytest_contracts_arrange_state`` to conftest files."""
    from postman_contracts import _plugin_hooks

    pluginmanager.add_hookspecs(_plugin_hooks)


def pytest_configure(config: pytest.Config) -> None:
    """Read the settings once; register the markers."""
    config.addinivalue_line(
        "markers", "contract(operation_id): the operation a hand-written test checks"
    )
    config.addinivalue_line(
        "markers", "contract_client(operation_id): fuzz a client against the documented responses"
    )
    config.stash[SETTINGS_KEY] = _settings(config)
    target = _target(config)
    if target is not None:
        config.stash[TARGET_KEY] = target


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Under pytest-xdist, every worker fuzzes with the controller's seed."""
    node.workerinput["contracts_seed"] = str(node.config.stash[SETTINGS_KEY].seed)


def _run(config: pytest.Config) -> ContractRun:
    if RUN_KEY not in config.stash:
        from postman_contracts._plugin_items import ContractRun

        config.stash[RUN_KEY] = ContractRun(config.stash[SETTINGS_KEY], config)
    return config.stash[RUN_KEY]


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Name the collection, the server and the seed at the top of the run."""
    settings = config.stash[SETTINGS_KEY]
    if not settings.path:
        return []
    target = settings.base_url or "none (server checks off; set --contracts-base-url)"
    return [
        f"postman-contracts: {settings.path}, base URL {target}, seed {settings.seed}, "
        f"checks {','.join(c for c in _CHECKS if c in settings.checks)}"
        + (", strict" if settings.strict else "")
    ]


# -- collection ---------------------------------------------------------------------------------
# The generated tests are collected as pytest collects any test file: the file named by
# --contracts (a contracts directory's index.json) is a pytest.File whose children are one
# collector per operation, holding that operation's tests. Node ids read
# ``PATH::OPERATION_ID::test_auth`` and ``PATH::OPERATION_ID::test_example[EXAMPLE]``, PATH
# relative to the rootdir, so a node id from a report can be run again, and --lf, --deselect,
# -k, -m and xdist's --dist loadscope (one operation's tests together) see ordinary tests.


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
    _run(config)
    if not any(_names(config, str(arg), target) for arg in config.args):
        config.args.append(str(target))


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Never ignore the contracts file nor a directory on the way to it (``.postman/``...):
    pytest drops an argument inside another one and walks to it instead."""
    target = config.stash.get(TARGET_KEY, None)
    if target is not None and (collection_path == target or collection_path in target.parents):
        return False
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """The contracts file is a :class:`~postman_contracts._plugin_items.ContractFile`."""
    target = parent.config.stash.get(TARGET_KEY, None)
    if target is None or file_path != target:
        return None
    from postman_contracts._plugin_items import ContractFile

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


# -- fixtures for hand-written tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def contracts(pytestconfig: pytest.Config) -> Any:
    """The loaded :class:`~postman_contracts.contracts.ContractSet` of ``--contracts``."""
    return _run(pytestconfig).contracts


@pytest.fixture(scope="session")
def contract_session(pytestconfig: pytest.Config) -> Iterator[Any]:
    """A ``requests.Session`` for ``--contracts-base-url``: relative URLs, credentials attached."""
    session = _run(pytestconfig).user_session()
    yield session
    session.close()


@pytest.fixture
def check_response(
    request: pytest.FixtureRequest, pytestconfig: pytest.Config
) -> Callable[..., None]:
    """``check_response(response, operation=None, *, example=None)``: fail unless a
    ``requests.Response`` is a documented response of the operation (by default the one named
    by the test's ``@pytest.mark.contract`` marker)."""
    marker = request.node.get_closest_marker("contract")
    default = marker.args[0] if marker and marker.args else None

    def check(response: Any, operation: str | None = None, *, example: str | None = None) -> None:
        __tracebackhide__ = True
        op_id = operation or default
        if op_id is None:
            raise pytest.UsageError(
                "check_response needs an operation id or @pytest.mark.contract('id')"
            )
        _run(pytestconfig).check_user_response(op_id, response, example=example)

    return check


# -- client side: contract_mock and contract_responses (implementation: _client_mock) ---------
# Checking a client instead of a server: every documented operation is served through
# ``responses``, every request the client sends is checked against its contract.

if TYPE_CHECKING:
    from postman_contracts._client_fuzz import ContractResponses
    from postman_contracts._client_mock import ContractMock


@pytest.fixture
def contract_mock(request: pytest.FixtureRequest) -> Iterator[ContractMock]:
    """A ``responses`` mock of every operation of ``--contracts``, for ``requests`` clients.

    Each request is checked against its contract (a violation fails the test at the call) and
    answered with the documented success example, or what ``respond(...)`` primed; see
    :class:`~postman_contracts._client_mock.ContractMock`. Strict: a primed response the test
    never called for fails at teardown.
    """
    from postman_contracts._client_mock import mock_for_test

    yield from mock_for_test(
        request, request.config.stash[SETTINGS_KEY], lambda: _run(request.config)
    )


@pytest.fixture
def contract_responses(
    request: pytest.FixtureRequest, contract_mock: ContractMock
) -> ContractResponses:
    """Fuzz a client against the documented responses of the ``@pytest.mark.contract_client``
    operation: ``contract_responses.check(call, raises=(MyApiError,))``."""
    from postman_contracts._client_mock import responses_for_test

    return responses_for_test(request, contract_mock, request.config.stash[SETTINGS_KEY])


# -- end of the client-side fixtures ------------------------------------------------------------
