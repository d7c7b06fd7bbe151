"""The plugin's options: ``--contracts-*`` flags and ini keys, read once into settings.

Why it exists: this is the one place that reads pytest's configuration. Everything below the
plugin gets it as :class:`~postman_contracts.server.Settings`, plain data; the run state is
made here, on first use, with a bad collection turned into a usage error.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from postman_contracts import PostmanContractsError
from postman_contracts.server import CHECKS, PHASES, Settings

if TYPE_CHECKING:  # imported when there are contracts to run: see server/__init__.py
    from postman_contracts.server import ContractRun

__all__ = [
    "RUN_KEY",
    "SETTINGS_KEY",
    "TARGET_KEY",
    "pytest_addoption",
    "read_settings",
    "run_of",
]

_CHECKS = CHECKS

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
        "--contracts-budget",
        "contracts_budget",
        "generated requests in all, shared evenly by the fuzz tests of the run, each at most "
        "--contracts-max-examples and at least 1 (0: no budget)",
        "0",
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
        "--contracts-phases",
        "contracts_phases",
        "comma-separated phases of generated requests, run in this order: coverage (one "
        "request per rule the contract asserts, the same on every run), fuzz (random)",
        ",".join(PHASES),
    ),
    (
        "--contracts-select",
        "contracts_select",
        "comma-separated globs over operation ids or op::example names",
        "",
    ),
)

SETTINGS_KEY = pytest.StashKey[Settings]()
RUN_KEY = pytest.StashKey["ContractRun"]()
TARGET_KEY = pytest.StashKey[Path]()
#: Where an xdist worker hands its ``verify`` figures (``Stats.to_plain``) to the controller.
STATS_OUTPUT = "postman_contracts_stats"


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
        "--contracts-host",
        dest="contracts_host",
        action="append",
        default=None,
        metavar="NAME=URL",
        help="the base URL of another host, NAME its variable or the host as written "
        "(api-data.example.com), * every other host; repeatable (ini: contracts_host)",
    )
    parser.addini(
        "contracts_host", help="host base URLs, NAME=URL per line", type="linelist", default=[]
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


def _positive(config: pytest.Config, dest: str, *, least: int) -> int:
    number = _int(config, dest)
    if number < least:
        flag = "--" + dest.replace("_", "-")
        raise pytest.UsageError(f"{flag} must be at least {least}, got {number}")
    return number


def read_settings(config: pytest.Config) -> Settings:
    """The settings from the command line, else the ini file, else the defaults."""
    variables = _pairs(config, "contracts_var", "KEY=VALUE")
    hosts = _pairs(config, "contracts_host", "NAME=URL")
    for name, url in hosts.items():
        if url and "://" not in url:
            raise pytest.UsageError(f"--contracts-host {name}: {url!r} is not a URL (http://...)")
    checks = frozenset(
        c.strip() for c in str(_value(config, "contracts_checks")).split(",") if c.strip()
    )
    if not checks <= set(_CHECKS):
        raise pytest.UsageError(
            f"--contracts-checks: unknown {sorted(checks - set(_CHECKS))}; "
            f"known: {', '.join(_CHECKS)}"
        )
    phases = frozenset(
        p.strip() for p in str(_value(config, "contracts_phases")).split(",") if p.strip()
    )
    if not phases or not phases <= set(PHASES):
        raise pytest.UsageError(
            f"--contracts-phases: unknown {sorted(phases - set(PHASES))}; "
            f"known: {', '.join(PHASES)}"
            if phases
            else f"--contracts-phases: none given; known: {', '.join(PHASES)}"
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
        budget=_positive(config, "contracts_budget", least=0),
        seed=seed,
        timeout=timeout,
        checks=checks,
        select=tuple(
            g.strip() for g in str(_value(config, "contracts_select") or "").split(",") if g.strip()
        ),
        strict=bool(_value(config, "contracts_strict")),
        phases=phases,
        hosts=hosts,
    )


def _pairs(config: pytest.Config, dest: str, form: str) -> dict[str, str]:
    """``K=V`` options (repeatable, or one per line in the ini file) as a mapping."""
    out: dict[str, str] = {}
    for pair in _value(config, dest) or []:
        key, eq, value = str(pair).partition("=")
        if not eq or not key.strip():
            raise pytest.UsageError(f"--{dest.replace('_', '-')} expects {form}, got {pair!r}")
        out[key.strip()] = value.strip() if dest == "contracts_host" else value
    return out


def run_of(config: pytest.Config) -> ContractRun:
    """The session's run state, made on first use; a bad collection is a usage error."""
    if RUN_KEY not in config.stash:
        from postman_contracts.server import ContractRun

        try:
            config.stash[RUN_KEY] = ContractRun(config.stash[SETTINGS_KEY])
        except PostmanContractsError as err:
            raise pytest.UsageError(f"--contracts: {err}") from err
    return config.stash[RUN_KEY]
