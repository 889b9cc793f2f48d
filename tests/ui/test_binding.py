"""The Qt binding must not leak or steal references: PySide6 6.12.0 under CPython 3.11 took one
reference off None on every void call, and the app aborted after minutes of typing."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    changed = Signal(str)


def test_void_calls_and_signals_keep_the_singletons_reference_counts(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    emitter = _Emitter()
    before = (sys.getrefcount(None), sys.getrefcount(True))
    for _ in range(2000):
        field.setText("x")
        emitter.changed.emit("x")
    after = (sys.getrefcount(None), sys.getrefcount(True))
    assert after[0] >= before[0] - 50 and after[1] >= before[1] - 50, (before, after)
