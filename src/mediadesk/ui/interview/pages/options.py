"""Step 3, informer sur les solutions: the options suggested by the situation with their
reasons, every other option, the ones chosen (checked, in the order chosen), and the dated
warnings of the energy-law rules (winter truce, cut notices, chèque énergie...)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediadesk.i18n import N_, _
from mediadesk.interview import (
    InterviewState,
    OptionCode,
    Step,
    choice_title,
    rule_warnings,
    suggest_options,
)
from mediadesk.ui.interview.fields import FreeText, MultiCheck
from mediadesk.ui.interview.pages.base import WARNING_STYLE, StepPage, box_label, form_group
from mediadesk.ui.widgets import ErrorLabel, muted

Arrangement = tuple[tuple[OptionCode, tuple[str, ...]], ...]


class OptionsPage(StepPage):
    step = Step.OPTIONS
    help_text = N_("Proposer des solutions adaptées au degré d'énervement et à ce que la "
                   "personne sait déjà ; cocher celles qu'elle retient.")

    def build(self, body: QWidget) -> None:
        self._shown: Arrangement | None = None
        solutions = QGroupBox(_("Solutions à proposer"), body)
        self.chosen = MultiCheck([(code, choice_title(code)) for code in OptionCode],
                                 solutions, ordered=True)
        self.chosen.setAccessibleName(_("Solutions retenues"))
        error = ErrorLabel(solutions)
        solutions_layout = QVBoxLayout(solutions)
        solutions_layout.addWidget(muted(_("Cochez (barre d'espace) les solutions que la "
                                           "personne retient."), solutions))
        solutions_layout.addWidget(self.chosen)
        solutions_layout.addWidget(error)
        solutions_layout.addStretch(1)
        self.form.bind("options.chosen", self.chosen, error)

        alerts = QGroupBox(_("Alertes : dates et règles de l'énergie"), body)
        self.alerts_layout = QVBoxLayout(alerts)
        self.no_alert = muted(_("Aucune alerte de date pour cette situation."), alerts)
        self.alerts_layout.addWidget(self.no_alert)
        self.alert_labels: list[QLabel] = []

        notes, notes_form = form_group(_("Notes"), body)
        self.form.row(notes_form, _("N&otes :"), "options.notes", FreeText(notes, lines=4),
                      name=_("Notes sur les solutions"))

        right = QVBoxLayout()
        right.addWidget(alerts)
        right.addWidget(notes)
        right.addStretch(1)
        columns = QHBoxLayout(body)
        columns.addWidget(solutions, 3)
        columns.addLayout(right, 2)

    def refresh(self, state: InterviewState, today: date) -> None:
        suggestions = suggest_options(state, today)
        arrangement: Arrangement = tuple((s.code, s.reasons) for s in suggestions)
        if arrangement != self._shown:
            self._shown = arrangement
            suggested = {code for code, _reasons in arrangement}
            self.chosen.arrange([
                (_("Suggérées d'après la situation"),
                 [(code, "\n".join(_("– {reason}").format(reason=reason)
                                   for reason in reasons)) for code, reasons in arrangement]),
                (_("Autres solutions") if suggested else _("Solutions possibles"),
                 [(code, "") for code in OptionCode if code not in suggested]),
            ])
        messages = [warning.message for warning in rule_warnings(state, today)]
        if messages != [label.text() for label in self.alert_labels]:
            for label in self.alert_labels:
                label.deleteLater()
            self.alert_labels = [box_label(text, WARNING_STYLE, self.body) for text in messages]
            for label in self.alert_labels:
                self.alerts_layout.addWidget(label)
            self.no_alert.setVisible(not messages)

    def first_input(self) -> QWidget | None:
        return self.chosen.boxes[self.chosen.display_order[0]]
