"""Small parts of the shell: error messages, item models, the layering rule."""

from __future__ import annotations

import ast
import logging
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from mediadesk.services.errors import StoreCorrupted, ValidationError, WrongPassphrase
from mediadesk.services.views import HouseholdHit
from mediadesk.ui.errors import message_for
from mediadesk.ui.models import LanguagesModel
from mediadesk.ui.search_panel import hits_model

SRC = Path(__file__).resolve().parents[2] / "src" / "mediadesk"


def test_errors_become_french_messages(caplog: pytest.LogCaptureFixture) -> None:
    assert message_for(WrongPassphrase()) == "Phrase de passe incorrecte."
    assert "endommagé" in message_for(StoreCorrupted("x"))
    assert message_for(ValidationError("name", "Le nom du foyer est obligatoire.")) == \
        "Le nom du foyer est obligatoire."
    typed = {"name": "Famille Martin", "phone": "06 12 34 56 78"}
    try:
        raise RuntimeError(typed)
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR):
            message = message_for(error)
    assert "erreur inattendue" in message
    assert "RuntimeError" in caplog.text
    assert "Martin" not in caplog.text  # personal data never reaches the log


def test_the_hits_model_is_a_well_behaved_table(qtmodeltester: ModelTester) -> None:
    model = hits_model()
    model.set_rows([
        HouseholdHit(uuid.uuid4(), "Famille Martin", "12 rue des Lilas, 75011 Paris",
                     ("06 12 34 56 78",), "open"),
        HouseholdHit(uuid.uuid4(), "Famille Benali", "", (), "open"),
    ])
    qtmodeltester.check(model)
    assert model.columnCount() == 4  # name, address, phone, sync badge
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Foyer"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Synchro"


def test_the_languages_model_checks_and_keeps_unknown_codes(
        qtmodeltester: ModelTester) -> None:
    model = LanguagesModel(("fr", "ar"), checked=("ar", "xx"))
    qtmodeltester.check(model)
    assert model.checked_codes() == ("ar", "xx")
    assert model.data(model.index(0)) == "français"
    model.setData(model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.checked_codes() == ("fr", "ar", "xx")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_ui_talks_to_services_only() -> None:
    for path in [*sorted((SRC / "ui").glob("*.py")), SRC / "app.py"]:
        for name in _imports(path):
            assert not name.startswith(("mediadesk.store", "sqlalchemy")), (path.name, name)

