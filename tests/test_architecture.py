"""The layers import one way, and every public name is documented."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import postman_contracts
from tests.paths import ROOT

SRC = ROOT / "src" / "postman_contracts"

# Rank of each package; a module imports only packages of a lower rank, or its own. Packages of
# one rank are siblings: they never import each other.
RANKS = {
    "_errors": 0,
    "collection": 1,
    "contracts": 2,
    "checking": 3,
    "generators": 4,
    "server": 5,
    "client": 5,
    "mock": 5,
    "plugin": 6,
    "pytest_plugin": 7,  # the entry point pytest loads: names what plugin/ implements
    "cli": 7,
}
CORE = 4  # collection, contracts, checking, generators: never pytest, never a surface
CORE_FORBIDDEN = ("pytest", "_pytest", "argparse")
# Only the plugin (and the CLI, which runs pytest for ``verify``) may import pytest.
PYTEST_ALLOWED = {"plugin", "pytest_plugin", "cli"}


def _package(module: str) -> str | None:
    """``postman_contracts.server._http`` -> ``server``; the root package -> None."""
    parts = module.split(".")
    if parts[0] != "postman_contracts" or len(parts) == 1:
        return None
    return parts[1]


MODULES = sorted(SRC.rglob("*.py"))


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


_NAMES = {_module(p) for p in MODULES}


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any level (deferred and type-checking ones too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names}
            submodules = {m for m in submodules if m in _NAMES}
            # "from package import _module" imports the module (its package is only the way)
            found |= submodules or {node.module}
    return found


_IDS = {"ids": lambda p: str(p.relative_to(SRC))}


def test_every_package_has_a_rank() -> None:
    packages = {p.name.removesuffix(".py") for p in SRC.iterdir() if p.name != "__init__.py"}
    packages -= {"py.typed", "__pycache__", "_data"}
    assert packages == set(RANKS), "give a new package its rank in RANKS and ARCHITECTURE.md"


@pytest.mark.parametrize("path", MODULES, **_IDS)
def test_packages_import_only_lower_ranks(path: Path) -> None:
    module = _module(path)
    own = _package(module)
    for imported in _imports(path):
        other = _package(imported)
        if own is None or other is None or other == own:
            continue
        assert RANKS[other] < RANKS[own], (
            f"{module} ({own}, rank {RANKS[own]}) imports {imported} "
            f"({other}, rank {RANKS[other]}): "
            + ("siblings never import each other" if RANKS[other] == RANKS[own] else "upward")
        )


@pytest.mark.parametrize("path", MODULES, **_IDS)
def test_only_the_plugin_and_cli_import_pytest(path: Path) -> None:
    module = _module(path)
    own = _package(module)
    if own in PYTEST_ALLOWED:
        return
    forbidden = CORE_FORBIDDEN if own is not None and RANKS[own] <= CORE else ("pytest", "_pytest")
    for imported in _imports(path):
        assert not imported.startswith(forbidden), f"{module} imports {imported}"


@pytest.mark.parametrize("path", MODULES, **_IDS)
def test_packages_use_only_public_modules_of_other_packages(path: Path) -> None:
    """A package reaches another through its ``__init__`` only, never through its
    ``_private`` modules (what a package shares beyond ``__all__`` it imports as itself)."""
    module = _module(path)
    own = _package(module)
    for imported in _imports(path):
        other = _package(imported)
        if other is None or other == own or other == "_errors":
            continue
        private = [part for part in imported.split(".")[2:] if part.startswith("_")]
        assert not private, f"{module} imports {imported}, private to {other}"


def test_no_import_circle() -> None:
    """No two modules depend on each other, directly or through others (deferred and
    type-checking imports count: they are dependencies all the same)."""
    graph: dict[str, set[str]] = {}
    names = {_module(p) for p in MODULES}
    for path in MODULES:
        module = _module(path)
        deps = set()
        for imported in _imports(path):
            # "from package import name": the package's __init__, or the submodule itself
            target = imported if imported in names else imported.rpartition(".")[0]
            if target in names and target != module:
                deps.add(target)
        graph[module] = deps
    circles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                circles.append(" -> ".join([*stack[stack.index(dep) :], dep]))
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert circles == []


def _public_modules() -> list[str]:
    names = ["postman_contracts"]
    for info in pkgutil.walk_packages(postman_contracts.__path__, "postman_contracts."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


@pytest.mark.parametrize("module_name", _public_modules())
def test_every_public_name_has_a_docstring(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__doc__, f"{module_name} has no docstring"
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{module_name}.{name} has no docstring"


# -- one implementation of each policy -------------------------------------------------------------
# (pattern of a hand-written copy, the one module allowed to hold it)
_ONE_POLICY = {
    "JSON pointer escaping": (
        re.compile(r"""replace\(\s*["']~[01]["']|replace\(\s*["']/["'],\s*["']~1["']"""),
        "collection/_pointer.py",
    ),
    # filling {{variables}} with values, Postman's dynamic ones ({{$guid}}) included:
    # fill_slots; rewriting a template's syntax ({{id}} -> {id}) is another matter
    "slot filling": (
        re.compile(r"\bdynamic_value\(|\bPLACEHOLDER_RE\.sub\("),
        "collection/_placeholders.py",
    ),
    # a list of credential headers: CREDENTIAL_HEADERS, API_KEY_HEADERS
    "credential headers": (
        re.compile(r"""["'](proxy-authorization|x-api-key|x-auth-token)["']"""),
        "collection/_secrets.py",
    ),
    # a Content-Type cut at its parameters or searched for "json": parse_media_type, media_kind
    "media types": (
        re.compile(r"""split\(\s*["'];["']\s*\)\[0\]|["']json["'] in \w*content_type"""),
        "collection/_media.py",
    ),
    # which example a plain request is answered with: OperationContract.shown_response
    "the success example": (
        re.compile(r"200 <= \w+\.status < 300|success\.example if success else"),
        "contracts/_model.py",
    ),
}


@pytest.mark.parametrize("policy", sorted(_ONE_POLICY))
def test_each_policy_has_one_implementation(policy: str) -> None:
    pattern, home = _ONE_POLICY[policy]
    copies = [
        f"{path.relative_to(SRC)}:{n}"
        for path in MODULES
        if path.relative_to(SRC).as_posix() != home
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert copies == [], f"{policy} belongs in {home} only"
