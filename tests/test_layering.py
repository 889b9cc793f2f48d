"""The house rules of design.md section 2, checked on every import statement (AST walk).

Imports point down only; PySide6 lives in ui/ (and the app entry point); ui/ never reaches the
store, SQLAlchemy or the network directly.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mediadesk"

# Which top-level parts of mediadesk each part may import (itself included).
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    "i18n": set(),
    "store": {"store", "domain"},
    "interview": {"interview", "domain", "i18n"},
    "reports": {"reports", "domain", "i18n"},
    "sync": {"sync", "domain", "store", "i18n"},
    "services": {"services", "store", "domain", "interview", "reports", "sync", "i18n"},
    "cli": {"cli", "services", "domain", "i18n", "__init__"},
    "ui": {"ui", "services", "domain", "interview", "i18n", "__init__"},
    "app": {"ui", "services", "domain", "i18n", "__init__"},
    "__main__": {"cli", "app"},
    "__init__": set(),
}
QT = ("PySide6", "shiboken6")
QT_ALLOWED = {"ui", "app"}
FORBIDDEN_IN_UI = ("sqlalchemy", "sqlcipher3", "alembic", "httpx", "reportlab", "sqlite3")


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "mediadesk":
                names += [f"mediadesk.{alias.name}" for alias in node.names]
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_the_mandated_layers() -> None:
    for part in ("ui", "store", "sync", "services", "interview", "reports", "domain"):
        assert (PACKAGE / part / "__init__.py").exists(), part
    assert (PACKAGE / "i18n.py").exists()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_point_down(path: Path) -> None:
    part = _part(path)
    allowed = ALLOWED[part]
    for name in _imports(path):
        if name.startswith(QT):
            assert part in QT_ALLOWED, f"{path.name} imports {name} outside ui/"
        if part == "ui":
            assert not name.startswith(FORBIDDEN_IN_UI), f"ui imports {name}"
        if name.startswith("mediadesk."):
            target = name.split(".")[1]
            if target == "__version__":
                continue
            assert target in allowed, f"{part} may not import mediadesk.{target}"


def test_the_checker_itself_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from mediadesk.store import vault\nimport PySide6.QtCore\n")
    assert _imports(bad) == ["mediadesk.store", "PySide6.QtCore"]


SERVER = PACKAGE / "sync" / "server"
PURE_SYNC = ("hlc.py", "ops.py", "merge.py", "rows.py", "protocol.py")


@pytest.mark.parametrize("path", sorted(SERVER.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_server_never_reaches_a_device_store(path: Path) -> None:
    """sync/server/ has its own storage: never the device's SQLCipher store, nor the client."""
    for name in _imports(path):
        assert not name.startswith(("mediadesk.store", "mediadesk.services", "sqlcipher3",
                                    "mediadesk.sync.device", "mediadesk.sync.client")), name


@pytest.mark.parametrize("name", PURE_SYNC)
def test_the_merge_core_and_the_protocol_stay_pure(name: str) -> None:
    for imported in _imports(PACKAGE / "sync" / name):
        assert not imported.startswith(("mediadesk.store", "sqlalchemy", "httpx", "fastapi")), (
            name, imported)
