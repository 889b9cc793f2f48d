"""Small reusable widgets: headings, read-only tables, inline error labels, busy bar, passphrase
strength meter.

Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.passphrase import Strength

ERROR_COLOUR = "#b3261e"
MUTED_COLOUR = "#5f6368"
_STRENGTH_COLOURS = ("#c62828", "#e65100", "#f9a825", "#2e7d32", "#1b5e20")


def heading(text: str, *, scale: float = 1.5, parent: QWidget | None = None) -> QLabel:
    """A bold title label, ``scale`` times the application font."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def read_only_table(model: QAbstractItemModel, parent: QWidget) -> QTableView:
    """A table of ``model`` chosen from by whole rows, never edited in place: alternating row
    colours, no row numbers, the last column stretched, Tab leaving the table."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    return view


def muted(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A secondary, grey, word-wrapped label."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {MUTED_COLOUR};")
    return label


class ErrorLabel(QLabel):
    """An inline error message in red, hidden while empty. Screen readers get it as an alert
    through its accessible name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setAccessibleName(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.show_message("")


class BusyBar(QProgressBar):
    """Indeterminate while no progress is known; shows ``done / total`` once it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextVisible(False)
        self.setMaximumHeight(10)
        self.set_indeterminate()
        self.hide()

    def set_indeterminate(self) -> None:
        self.setRange(0, 0)

    def set_progress(self, done: int, total: int) -> None:
        self.setRange(0, max(total, 1))
        self.setValue(min(done, total))


class StrengthMeter(QWidget):
    """Shows a passphrase `Strength`: a coloured bar, its label and the advice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 5)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.label = QLabel(self)
        self.advice = muted(parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        layout.addWidget(self.advice)

    def show_strength(self, strength: Strength, *, empty: bool = False) -> None:
        colour = _STRENGTH_COLOURS[max(0, min(strength.score, 4))]
        self.bar.setValue(0 if empty else strength.score + 1)
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background-color: {colour}; }}")
        self.label.setText(_("Solidité : {label}").format(label=strength.label))
        self.advice.setText(strength.advice)
