"""The password of a protected export: asked twice, checked, errors shown inline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from mediadesk.services.export_protection import ExportPasswordError, check_export_password
from mediadesk.ui.export_password import ExportPasswordDialog, ask_export_password

GOOD = "lanterne verte du quai 42"


@pytest.fixture
def dialog(qtbot: QtBot) -> ExportPasswordDialog:
    dialog = ExportPasswordDialog()
    qtbot.addWidget(dialog)
    dialog.show_modal()
    return dialog


def _ok(dialog: ExportPasswordDialog) -> None:
    dialog.buttons.buttons()[0].click()


def test_the_dialog_says_the_file_is_encrypted_and_how_to_send_the_password(
        dialog: ExportPasswordDialog) -> None:
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.error)))
    assert "chiffré" in texts
    assert "autre moyen" in texts


def test_a_too_short_password_shows_the_service_message_and_keeps_the_dialog_open(
        qtbot: QtBot, dialog: ExportPasswordDialog) -> None:
    with pytest.raises(ExportPasswordError) as expected:
        check_export_password("abc")
    qtbot.keyClicks(dialog.password, "abc")
    qtbot.keyClicks(dialog.confirmation, "abc")
    _ok(dialog)
    assert dialog.isVisible() and dialog.is_waiting()
    assert not dialog.error.isHidden()
    assert dialog.error.text() == expected.value.message
    assert not dialog.error.text().startswith("password")
    qtbot.keyClicks(dialog.password, "d")  # typing again clears the message
    assert dialog.error.isHidden()


def test_two_different_passwords_are_refused(qtbot: QtBot,
                                             dialog: ExportPasswordDialog) -> None:
    qtbot.keyClicks(dialog.password, GOOD)
    qtbot.keyClicks(dialog.confirmation, GOOD + "x")
    _ok(dialog)
    assert dialog.is_waiting()
    assert "identiques" in dialog.error.text()


def test_ask_returns_the_password_typed_twice(qtbot: QtBot) -> None:
    def answer() -> None:
        dialog = next(w for w in _top_dialogs() if w.isVisible())
        qtbot.keyClicks(dialog.password, GOOD)
        qtbot.keyClicks(dialog.confirmation, GOOD)
        _ok(dialog)

    QTimer.singleShot(0, answer)
    assert ask_export_password(None) == GOOD


def test_ask_returns_none_when_cancelled(qtbot: QtBot) -> None:
    def cancel() -> None:
        dialog = next(w for w in _top_dialogs() if w.isVisible())
        qtbot.keyClicks(dialog.password, GOOD)
        dialog.buttons.buttons()[1].click()

    QTimer.singleShot(0, cancel)
    assert ask_export_password(None) is None


def _top_dialogs() -> list[ExportPasswordDialog]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportPasswordDialog)]
