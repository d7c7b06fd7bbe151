"""The layers import one way, and every public name is documented."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re

import pytest

import postman_contracts
from tests.paths import ROOT

SRC = ROOT / "src" / "postman_contracts"

# Rank of each layer; a module may import only layers of lower or equal rank.
LAYERS = {"_errors": 0, "collection": 1, "contracts": 2, "generators": 3}
SURFACE = 4
CORE_FORBIDDEN = (
    "pytest",
    "_pytest",
    "argparse",
    "postman_contracts.cli",
    "postman_contracts.mock",
)


def _layer(module: str) -> int:
    parts = module.split(".")
    if parts[0] != "postman_contracts" or len(parts) == 1:
        return -1
    return LAYERS.get(parts[1], SURFACE)


def _imports(path: str) -> set[str]:
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_layers_import_one_way(path) -> None:  # type: ignore[no-untyped-def]
    rel = path.relative_to(SRC.parent).with_suffix("")
    module = ".".join(rel.parts).removesuffix(".__init__")
    own = _layer(module)
    for imported in _imports(str(path)):
        layer = _layer(imported)
        assert layer <= own or own == -1, (
            f"{module} (layer {own}) imports {imported} (layer {layer})"
        )
        if own < SURFACE:
            assert not imported.startswith(CORE_FORBIDDEN), (
                f"core module {module} imports {imported}"
            )


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
