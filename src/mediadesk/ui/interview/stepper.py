"""The side stepper of the wizard: the six steps, the current one, and what each one misses.

Each step shows its number, its title and, under it, how many points still block closing
(``validate``'s blocking issues) or "Complet", with the number of remarks (warnings). A click,
the arrows or Enter choose a step. Under the steps, the points of the current step: activating
one puts the focus on its field.
Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _, ngettext
from mediadesk.interview import Issue, Step, step_title
from mediadesk.ui.widgets import MUTED_COLOUR, muted

BLOCKING_COLOUR = "#b3261e"
WARNING_COLOUR = "#b26a00"
DONE_COLOUR = "#2e7d32"
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pixmap)


def step_status(blocking: int, warnings: int) -> str:
    """"2 points à compléter", "Complet · 1 remarque"... (French, translated)."""
    if blocking:
        text = ngettext("{count} point à compléter", "{count} points à compléter",
                        blocking).format(count=blocking)
    else:
        text = _("Complet")
    if warnings:
        text = _("{status} · {remarks}").format(status=text, remarks=ngettext(
            "{count} remarque", "{count} remarques", warnings).format(count=warnings))
    return text


class Stepper(QWidget):
    """Signals: ``step_chosen(step)``, ``issue_chosen(issue)``."""

    step_chosen = Signal(object)
    issue_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icons = {colour: _dot(colour) for colour in
                       (BLOCKING_COLOUR, WARNING_COLOUR, DONE_COLOUR, MUTED_COLOUR)}
        self.steps = QListWidget(self)
        self.steps.setAccessibleName(_("Étapes de l'entretien"))
        self.steps.setWordWrap(True)
        self.steps.setIconSize(QSize(14, 14))
        self.steps.setSpacing(2)
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for step in Step:
            item = QListWidgetItem(self.steps)
            item.setData(Qt.ItemDataRole.UserRole, step)
            item.setToolTip(_("{title} (Ctrl+{number})").format(title=step_title(step),
                                                                number=int(step)))
        self.steps.currentRowChanged.connect(self._row_changed)
        self.total = QLabel(self)
        self.total.setWordWrap(True)
        self.issues_title = QLabel(self)
        self.issues_title.setWordWrap(True)
        self.issues = QListWidget(self)
        self.issues.setAccessibleName(_("Points à compléter de cette étape"))
        self.issues.setWordWrap(True)
        self.issues.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issues.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.issues.setToolTip(_("Entrée ou double-clic : aller au champ"))
        self.issues.itemActivated.connect(self._issue_activated)
        self.issues.itemClicked.connect(self._issue_activated)
        self.nothing = muted(_("Rien ne manque à cette étape."), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.steps)
        layout.addWidget(self.total)
        layout.addSpacing(6)
        layout.addWidget(self.issues_title)
        layout.addWidget(self.issues, 1)
        layout.addWidget(self.nothing)
        layout.addStretch(0)
        self.set_counts({step: (0, 0) for step in Step})

    def current(self) -> Step:
        return Step(max(self.steps.currentRow(), 0) + 1)

    def set_current(self, step: Step) -> None:
        if self.steps.currentRow() != int(step) - 1:
            self.steps.blockSignals(True)
            self.steps.setCurrentRow(int(step) - 1)
            self.steps.blockSignals(False)

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.step_chosen.emit(Step(row + 1))

    def set_counts(self, counts: dict[Step, tuple[int, int]],
                   notes: dict[Step, str] | None = None) -> None:
        """Blocking issues and warnings per step; a note replaces the status of its step
        (a step that cannot be filled in yet)."""
        total = 0
        for step in Step:
            blocking, warnings = counts.get(step, (0, 0))
            total += blocking
            item = self.steps.item(int(step) - 1)
            text = _("{number}. {title}").format(number=int(step), title=step_title(step))
            note = (notes or {}).get(step)
            status = note or step_status(blocking, warnings)
            item.setText(f"{text}\n{status}")
            item.setIcon(self._icons[MUTED_COLOUR if note and not blocking else
                                     BLOCKING_COLOUR if blocking else
                                     WARNING_COLOUR if warnings else DONE_COLOUR])
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         _("{step} : {status}").format(step=text, status=status))
        self.total.setText(
            ngettext("Pour clore l'entretien : {count} point à compléter.",
                     "Pour clore l'entretien : {count} points à compléter.", total).format(
                count=total) if total else _("Tout est prêt pour clore l'entretien."))
        self.total.setStyleSheet(f"color: {BLOCKING_COLOUR if total else DONE_COLOUR};")
        self._fit()

    def set_issues(self, step: Step, issues: Sequence[Issue]) -> None:
        """The points of the current step, blocking ones first."""
        self.issues_title.setText(_("<b>À l'étape {number}</b>").format(number=int(step)))
        self.issues.clear()
        ordered = sorted(issues, key=lambda issue: not issue.blocking)
        for issue in ordered:
            item = QListWidgetItem(issue.message, self.issues)
            item.setIcon(self._icons[BLOCKING_COLOUR if issue.blocking else WARNING_COLOUR])
            kind = _("À compléter") if issue.blocking else _("Remarque")
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         _("{kind} : {message}").format(kind=kind, message=issue.message))
            item.setToolTip(kind)
            item.setData(ISSUE_ROLE, issue)
        self.issues.setVisible(bool(ordered))
        self.nothing.setVisible(not ordered)

    def _issue_activated(self, item: QListWidgetItem) -> None:
        issue = item.data(ISSUE_ROLE)
        if isinstance(issue, Issue):
            self.issue_chosen.emit(issue)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The step list as tall as its items: no scroll bar, no empty space."""
        self.steps.doItemsLayout()
        height = sum(self.steps.visualItemRect(self.steps.item(row)).height()
                     + 2 * self.steps.spacing() for row in range(self.steps.count()))
        self.steps.setFixedHeight(height + 2 * self.steps.frameWidth() + 4)
