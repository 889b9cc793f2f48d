"""The clipboard guard: copied dossier text is marked sensitive and does not stay behind."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from mediadesk.ui.clipboard import SENSITIVE_HINTS, ClipboardGuard

WAIT_MS = 20_000  # a passing wait returns at once; a loaded CI machine can stall for seconds


def _clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def _copy_from_field(qtbot: QtBot, text: str) -> QLineEdit:
    field = QLineEdit(text)
    qtbot.addWidget(field)
    field.selectAll()
    field.copy()
    return field


def test_text_copied_from_a_field_is_marked_for_clipboard_histories(qtbot: QtBot) -> None:
    guard = ClipboardGuard()
    _copy_from_field(qtbot, "06 12 34 56 78")
    qtbot.waitUntil(guard.is_armed, timeout=WAIT_MS)
    data = _clipboard().mimeData()
    assert data.text() == "06 12 34 56 78"
    for fmt, value in SENSITIVE_HINTS.items():
        assert bytes(data.data(fmt).data()) == value
    guard.clear()


def test_copied_text_is_cleared_after_its_lifetime(qtbot: QtBot) -> None:
    guard = ClipboardGuard(lifetime_ms=50)
    _copy_from_field(qtbot, "Mme Dupont, 12 rue des Lilas")
    qtbot.waitUntil(lambda: _clipboard().text() == "", timeout=WAIT_MS)
    assert not guard.is_armed()


def test_locking_clears_what_the_application_copied(qtbot: QtBot) -> None:
    guard = ClipboardGuard()
    _copy_from_field(qtbot, "Contrat 1234567890")
    qtbot.waitUntil(guard.is_armed, timeout=WAIT_MS)
    guard.clear()
    assert _clipboard().text() == ""


def test_a_second_copy_is_guarded_and_cleared_in_its_turn(qtbot: QtBot) -> None:
    guard = ClipboardGuard(lifetime_ms=60_000)
    _copy_from_field(qtbot, "Nom du foyer")
    qtbot.waitUntil(guard.is_armed, timeout=WAIT_MS)
    _copy_from_field(qtbot, "Prénom du titulaire")
    qtbot.waitUntil(lambda: _clipboard().text() == "Prénom du titulaire", timeout=WAIT_MS)
    assert _clipboard().mimeData().hasFormat("x-kde-passwordManagerHint")
    guard.clear()
    assert _clipboard().text() == ""
    assert not guard.is_armed()


def test_a_stopped_guard_clears_its_copy_then_leaves_the_clipboard_alone(qtbot: QtBot) -> None:
    closing = ClipboardGuard()  # the guard of a window that is closing
    _copy_from_field(qtbot, "Nom du foyer")
    qtbot.waitUntil(closing.is_armed, timeout=WAIT_MS)
    closing.stop()
    assert _clipboard().text() == "" and not closing.is_armed()
    live = ClipboardGuard()  # the next window's
    _copy_from_field(qtbot, "Prénom du titulaire")
    qtbot.waitUntil(live.is_armed, timeout=WAIT_MS)  # the copy's signal has been delivered
    assert not closing.is_armed()
    live.clear()
