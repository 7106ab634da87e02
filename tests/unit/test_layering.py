"""The package's layers point one way, and nothing deployed depends on the development tools.

Read from the source with `ast`, so a new import that breaks a rule fails here, whatever the
module does at run time.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "functions" / "heard"

# Which top-level layers each layer may import (handlers sit on top; domain imports nothing
# with I/O). A layer not listed here may import anything inside heard except the dev tools.
MAY_IMPORT = {
    "domain": {"domain"},
    "analysis": {"analysis", "domain"},
    "store": {"store", "domain", "settings"},
    "services": {
        "services",
        "domain",
        "store",
        "analysis",
        "digest",
        "web",
        "settings",
        "observability",
    },
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_local_stack_is_not_in_the_deployed_package() -> None:
    assert not (PACKAGE / "local").exists()
    assert (ROOT / "local" / "heard_local" / "server.py").exists()


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_deployed_code_never_imports_the_dev_tools(path: Path) -> None:
    assert not {name for name in _imports(path) if name.split(".")[0] == "heard_local"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_point_one_way(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    allowed = MAY_IMPORT.get(layer)
    if allowed is None:
        return
    used = {
        name.split(".")[1]
        for name in _imports(path)
        if name.startswith("heard.") and len(name.split(".")) > 1
    }
    assert used <= allowed, f"{layer} imports {sorted(used - allowed)}"
