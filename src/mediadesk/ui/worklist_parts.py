"""Parts of the follow-up worklist: the texts of its cells and its two small dialogs.

`CheckDialog` asks what happened when an orientation check is done; `PostponeDialog` asks for
the new due date. Both expose ``ask(...)`` (tests monkeypatch it).
Thread: GUI only.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.enums import ContactChannel, PartnerKind
from mediadesk.i18n import _, format_day, ngettext
from mediadesk.services.worklist_views import WorkKind, WorklistItem
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons
from mediadesk.ui.interview.choices import CHANNELS, PARTNERS


def due_text(item: WorklistItem, today: date) -> str:
    return _("Aujourd'hui") if item.due_on == today else format_day(item.due_on)


def late_text(item: WorklistItem) -> str:
    if not item.overdue:
        return ""
    return ngettext("{count} jour", "{count} jours", item.days_late).format(count=item.days_late)


def partner_text(item: WorklistItem) -> str:
    kind = PARTNERS.get(PartnerKind(item.partner_kind or "other"))
    return item.partner or (_(kind) if kind else "")


def task_text(item: WorklistItem) -> str:
    if item.kind is WorkKind.ORIENTATION_CHECK:
        return _("Vérifier l'orientation : {partner}").format(partner=partner_text(item))
    channel = CHANNELS.get(ContactChannel(item.channel or "phone"))
    return _("Suivi : {channel}").format(channel=_(channel) if channel else item.channel)


def assignee_text(item: WorklistItem) -> str:
    return item.assignee_name or _("Équipe")



def _lay_out(dialog: ModalDialog, ok_text: str, *rows: QWidget | QLayout) -> None:
    """``rows`` one under the other, then the OK and Cancel buttons."""
    buttons = ok_cancel_buttons(dialog, ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for row in (*rows, buttons):
        if isinstance(row, QLayout):
            layout.addLayout(row)
        else:
            layout.addWidget(row)


class CheckDialog(ModalDialog):
    """Records that an orientation was checked, with what happened (optional)."""

    def __init__(self, item: WorklistItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Vérification de l'orientation"))
        question = QLabel(_("Orientation de {household} vers {partner} : le rendez-vous "
                            "a-t-il bien eu lieu ?").format(household=item.household_name,
                                                           partner=partner_text(item)), self)
        question.setWordWrap(True)
        self.outcome = QPlainTextEdit(self)
        self.outcome.setPlaceholderText(_("Ce qui s'est passé (facultatif)"))
        self.outcome.setAccessibleName(_("Résultat de la vérification"))
        self.outcome.setTabChangesFocus(True)
        self.outcome.setFixedHeight(self.outcome.fontMetrics().lineSpacing() * 4 + 14)
        _lay_out(self, _("Vérification faite"), question, self.outcome)
        self.setMinimumWidth(420)

    @classmethod
    def ask(cls, parent: QWidget | None, item: WorklistItem) -> str | None:
        """The outcome typed ("" when none), or None when cancelled."""
        dialog = cls(item, parent)
        try:
            return dialog.outcome.toPlainText().strip() if dialog.run() else None
        finally:
            dialog.deleteLater()


class PostponeDialog(ModalDialog):
    """Chooses the new due date: a calendar, or tomorrow / in a week in one click."""

    def __init__(self, item: WorklistItem, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Reporter"))
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setMinimumDate(QDate(today.year, today.month, today.day))
        self.day.setAccessibleName(_("Nouvelle date"))
        self.set_day(max(item.due_on, today) + timedelta(days=7))
        quick = QHBoxLayout()
        quick.addWidget(self.day)
        for text, days in ((_("Demain"), 1), (_("Dans une semaine"), 7)):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, d=days: self.set_day(today + timedelta(d)))
            quick.addWidget(button)
        quick.addStretch(1)
        _lay_out(self, _("Reporter"), QLabel(_("{household} : nouvelle date").format(
            household=item.household_name), self), quick)

    def set_day(self, day: date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def chosen(self) -> date:
        value = self.day.date()
        return date(value.year(), value.month(), value.day())

    @classmethod
    def ask(cls, parent: QWidget | None, item: WorklistItem, today: date) -> date | None:
        dialog = cls(item, today, parent)
        try:
            return dialog.chosen() if dialog.run() else None
        finally:
            dialog.deleteLater()
