"""Step 6, le suivi: when and how the team checks the dossier again, the intervention registers
(1 to 8) and the summary of the interview, and closing it: the button lists what still blocks
(``closing_issues``) or asks the wizard to close the interview."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, ngettext
from mediadesk.interview import Issue, Step
from mediadesk.ui.interview.choices import CHANNELS, REGISTERS, titled
from mediadesk.ui.interview.fields import CheckField, ChoiceCombo, DateField, FreeText, MultiCheck
from mediadesk.ui.interview.pages.base import INFO_STYLE, StepPage, box_label, form_group
from mediadesk.ui.interview.stepper import ISSUE_ROLE
from mediadesk.ui.widgets import ErrorLabel


class FollowUpPage(StepPage):
    """Signal: ``close_requested()`` (the "Clore l'entretien" button)."""

    close_requested = Signal()
    step = Step.FOLLOW_UP
    help_text = N_("Le dossier est suivi par l'équipe, pas par une seule personne : dire "
                   "quand et comment il sera revu.")

    def build(self, body: QWidget) -> None:
        form = self.form
        follow, follow_form = form_group(_("Le suivi"), body)
        self.due_on = DateField(follow)
        form.row(follow_form, _("&Date du suivi :"), "follow_up.due_on", self.due_on)
        form.row(follow_form, _("&Comment :"), "follow_up.channel",
                 ChoiceCombo(titled(CHANNELS), follow), name=_("Canal du suivi"))
        form.row(follow_form, "", "follow_up.by_team",
                 CheckField(_("Suivi par l'é&quipe (pas par une seule personne)"), follow),
                 name=_("Suivi par l'équipe"))
        form.row(follow_form, _("N&ote :"), "follow_up.note", FreeText(follow, lines=2),
                 name=_("Note pour le suivi"))

        summary, summary_form = form_group(_("Résumé de l'entretien"), body)
        form.row(summary_form, _("&Résumé :"), "closing.summary", FreeText(summary, lines=3),
                 name=_("Résumé de l'entretien"))

        registers = QGroupBox(_("Registres d'intervention"), body)
        choices = [(value, _("{number}. {title}").format(number=int(value.value), title=title))
                   for value, title in titled(REGISTERS)]
        self.registers = MultiCheck(choices, registers)
        self.registers.setAccessibleName(_("Registres d'intervention"))
        registers_error = ErrorLabel(registers)
        registers_layout = QVBoxLayout(registers)
        registers_layout.addWidget(self.registers)
        registers_layout.addWidget(registers_error)
        form.bind("closing.registers", self.registers, registers_error)

        closing = QGroupBox(_("Clore l'entretien"), body)
        self.close_button = QPushButton(_("C&lore l'entretien"), closing)
        self.close_button.setToolTip(_("Vérifie ce qui manque, puis clôt l'entretien : il ne "
                                       "pourra plus être modifié."))
        self.close_button.clicked.connect(self.close_requested)
        self.blocking_title = ErrorLabel(closing)
        self.blocking = QListWidget(closing)
        self.blocking.setAccessibleName(_("Ce qui empêche de clore"))
        self.blocking.setWordWrap(True)
        self.blocking.setMaximumHeight(160)
        self.blocking.setToolTip(_("Entrée ou double-clic : aller au champ"))
        self.blocking.itemActivated.connect(self._issue_activated)
        self.blocking.itemClicked.connect(self._issue_activated)
        self.blocking.hide()
        self.closed = box_label("", INFO_STYLE, closing)
        self.closed.hide()
        closing_layout = QVBoxLayout(closing)
        closing_layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        closing_layout.addWidget(self.blocking_title)
        closing_layout.addWidget(self.blocking)
        closing_layout.addWidget(self.closed)

        left = QVBoxLayout()
        left.addWidget(follow)
        left.addWidget(summary)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(registers)
        right.addWidget(closing)
        right.addStretch(1)
        columns = QHBoxLayout(body)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

    def show_closing_issues(self, issues: Sequence[Issue]) -> None:
        """What still blocks closing, by step; an empty list hides it."""
        self.blocking.clear()
        for issue in issues:
            item = QListWidgetItem(_("Étape {number} : {message}").format(
                number=int(issue.step), message=issue.message), self.blocking)
            item.setData(ISSUE_ROLE, issue)
        self.blocking_title.show_message(ngettext(
            "Impossible de clore : {count} point à compléter.",
            "Impossible de clore : {count} points à compléter.", len(issues)).format(
            count=len(issues)) if issues else "")
        self.blocking.setVisible(bool(issues))
        if issues:
            self.blocking.setCurrentRow(0)
            self.blocking.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_closed(self, text: str) -> None:
        self.show_closing_issues(())
        self.closed.setText(text)
        self.closed.setVisible(bool(text))
        self.close_button.setEnabled(not text)

    def _issue_activated(self, item: QListWidgetItem) -> None:
        issue = item.data(ISSUE_ROLE)
        if isinstance(issue, Issue):
            self.focus_requested.emit(issue.key, issue.index)

    def first_input(self) -> QWidget | None:
        return self.due_on
