"""The tree shows the layers, and imports flow one way: the shared basics at the top of
`dashboard/`, then dataset → derive → views → exports → app. A module imports only from its own
layer or those below it; only the app (and the entry point) imports Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "dashboard"
LAYERS = ("dataset", "derive", "views", "exports", "app")
ENTRY_POINTS = {"dashboard.__main__"}  # the command line wires every layer together


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """-1 for the shared basics (dashboard.text, .names, …), else the layer's rank."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def imports(path: Path) -> set[str]:
    """Every module a file imports, at run time or for type checking alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            if node.module == "dashboard" or node.module in {f"dashboard.{layer}" for layer in LAYERS}:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    name = module_name(path)
    if name in ENTRY_POINTS:
        return
    mine = layer_of(name)
    above = sorted(m for m in imports(path) if m.startswith("dashboard.") and layer_of(m) > mine)
    assert not above, f"{name} (layer {LAYERS[mine] if mine >= 0 else 'basics'}) imports {above}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_only_the_app_imports_streamlit(path):
    name = module_name(path)
    if layer_of(name) == LAYERS.index("app"):
        return
    assert not {m for m in imports(path) if m == "streamlit" or m.startswith("streamlit.")}, name


def test_the_top_level_holds_a_dozen_modules_at_most():
    top = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert len(top) <= 12, top
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(LAYERS)


def test_the_checker_sees_a_violation():
    """The rule could fail: a dataset module importing a view is caught."""
    assert layer_of("dashboard.views.network") > layer_of("dashboard.dataset.cache")
    assert layer_of("dashboard.text") < layer_of("dashboard.dataset.cache")


def test_check_reads_a_dataset_without_loading_the_export_layer():
    """`python -m dashboard check` pays for reading and checking only: no plotly, networkx or exports."""
    import subprocess
    import sys

    probe = (
        "import sys; from dashboard.__main__ import main; code = main(['check']); "
        "print(code, sorted({m.split('.')[0] for m in sys.modules if m.startswith(('plotly', 'networkx'))} | "
        "{m for m in sys.modules if m.startswith(('dashboard.exports', 'dashboard.views', 'dashboard.app'))}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.split(" ", 1) == ["0", "[]\n"], done.stdout + done.stderr
