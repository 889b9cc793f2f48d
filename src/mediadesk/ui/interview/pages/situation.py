"""Step 2, analyse de la situation: the nine autonomy questions of seed 004 with the level they
give (shown live), the household's version of the debt, the budget and the points of vigilance."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediadesk.i18n import N_, _, format_money, ngettext
from mediadesk.interview import (
    QUESTIONS,
    AngerTarget,
    Answer,
    ConflictReason,
    InterviewState,
    Step,
    autonomy_score,
    choice_title,
    level_title,
    reste_a_vivre,
)
from mediadesk.interview.autonomy import MIN_ASKED, question_wording
from mediadesk.ui.interview.fields import (
    CheckField,
    ChoiceCombo,
    DateField,
    FreeText,
    MoneyField,
    MultiCheck,
    NumberField,
    RadioChoice,
    YesNoCombo,
)
from mediadesk.ui.interview.pages.base import INFO_STYLE, StepPage, box_label, form_group
from mediadesk.ui.widgets import ErrorLabel

ANSWER_WIDTH = 100


class SituationPage(StepPage):
    step = Step.SITUATION
    help_text = N_("Laisser la personne parler ; poser le moins de questions possible. "
                   "Ce qui n'est pas venu dans la conversation reste « Non abordé ».")

    def build(self, body: QWidget) -> None:
        form = self.form
        questions = QGroupBox(_("Autonomie : les neuf points d'attention"), body)
        grid = QGridLayout(questions)
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(12)
        self.questions: dict[str, RadioChoice] = {}
        answers = [(answer, choice_title(answer)) for answer in Answer]
        for row, question in enumerate(QUESTIONS):
            wording = question_wording(question)
            label = QLabel(_("{number}. {question}").format(number=row + 1, question=wording),
                           questions)
            choice = RadioChoice(answers, questions, name=wording, width=ANSWER_WIDTH,
                                 spacing=4)
            choice.setAccessibleName(wording)
            error = ErrorLabel(questions)
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(choice, 2 * row, 1)
            grid.addWidget(error, 2 * row + 1, 0, 1, 3)
            form.bind(question.key, choice, error)
            self.questions[question.key] = choice
        grid.setColumnStretch(2, 1)  # spare width on the right: answers near their question
        self.level = box_label("", INFO_STYLE, questions)
        self.level.setAccessibleName(_("Niveau d'autonomie"))
        grid.addWidget(self.level, 2 * len(QUESTIONS), 0, 1, 3)

        budget, budget_form = form_group(_("Dette et budget (version du foyer)"), body)
        form.row(budget_form, _("&Dette annoncée (€) :"), "situation.declared_debt_cents",
                 MoneyField(budget))
        form.row(budget_form, _("Dernier &versement le :"), "situation.last_payment_on",
                 DateField(budget))
        form.row(budget_form, _("&Ressources du mois (€) :"), "situation.monthly_income_cents",
                 MoneyField(budget))
        form.row(budget_form, _("C&harges du mois (€) :"), "situation.monthly_charges_cents",
                 MoneyField(budget))
        form.row(budget_form, _("&Personnes au foyer :"), "situation.household_size",
                 NumberField(1, 20, budget))
        self.reste = QLabel(budget)
        self.reste.setWordWrap(True)
        self.reste.setAccessibleName(_("Reste à vivre"))
        budget_form.addRow(_("Reste à vivre :"), self.reste)

        energy, energy_form = form_group(_("Énergie et aides"), body)
        form.row(energy_form, _("Compteur &Linky :"), "situation.has_linky", YesNoCombo(energy))
        form.row(energy_form, _("Factures &estimées :"), "situation.bills_estimated",
                 YesNoCombo(energy))
        form.row(energy_form, _("Résidence princip&ale :"), "situation.main_residence",
                 YesNoCombo(energy))
        form.row(energy_form, _("Chè&que énergie reçu en :"),
                 "situation.energy_voucher_year",
                 NumberField(2018, date.today().year + 1, energy))
        form.row(energy_form, _("A&ttestation envoyée au fournisseur :"),
                 "situation.energy_voucher_attestation_sent", YesNoCombo(energy))
        form.row(energy_form, _("Dernière aide &FSL le :"), "situation.fsl_last_aid_on",
                 DateField(energy))

        vigilance, vigilance_form = form_group(_("Motif du conflit et vigilance"), body)
        reasons = MultiCheck([(reason, choice_title(reason)) for reason in ConflictReason],
                             vigilance)
        form.row(vigilance_form, _("Motifs :"), "situation.conflict_reasons", reasons,
                 name=_("Motifs du conflit"))
        for box in reasons.boxes.values():
            box.setAccessibleName(box.text())
        form.row(vigilance_form, _("&Colère dirigée vers :"), "situation.anger_target",
                 ChoiceCombo([(t, choice_title(t)) for t in AngerTarget], vigilance))
        form.row(vigilance_form, "", "situation.tension_persists",
                 CheckField(_("La te&nsion ne retombe pas"), vigilance),
                 name=_("La tension ne retombe pas"))

        notes, notes_form = form_group(_("Notes"), body)
        form.row(notes_form, _("N&otes :"), "situation.notes", FreeText(notes),
                 name=_("Notes sur la situation"))

        left = QVBoxLayout()
        left.addWidget(budget)
        left.addWidget(vigilance)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(energy)
        right.addWidget(notes)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(body)
        layout.addWidget(questions)
        layout.addLayout(columns)
        layout.addStretch(1)

    def refresh(self, state: InterviewState, today: date) -> None:
        score = autonomy_score(state)
        level = score.level
        if level is None:
            self.level.setText(ngettext(
                "Niveau d'autonomie : pas encore calculable ({asked} question abordée, "
                "il en faut {minimum}).",
                "Niveau d'autonomie : pas encore calculable ({asked} questions abordées, "
                "il en faut {minimum}).", score.asked).format(
                asked=score.asked, minimum=MIN_ASKED))
        else:
            self.level.setText(ngettext(
                "Niveau d'autonomie : <b>{level}</b> ({yes} « oui » sur {asked} question "
                "abordée).",
                "Niveau d'autonomie : <b>{level}</b> ({yes} « oui » sur {asked} questions "
                "abordées).", score.asked).format(
                level=level_title(level), yes=score.yes, asked=score.asked))
        s = state.situation
        if s.monthly_income_cents is None or s.monthly_charges_cents is None:
            self.reste.setText(_("Indiquer les ressources et les charges du mois."))
            return
        rav = reste_a_vivre(s.monthly_income_cents, s.monthly_charges_cents,
                            s.household_size or 1)
        self.reste.setText(_("{total} par mois, soit {person} par personne "
                             "({day} par jour)").format(
            total=format_money(rav.total_cents), person=format_money(rav.per_person_cents),
            day=format_money(rav.per_person_per_day_cents)))

    def first_input(self) -> QWidget | None:
        choice = self.questions[QUESTIONS[0].key]
        return next((button for button in choice.buttons.values() if button.isChecked()),
                    choice.focus_widgets()[0])
