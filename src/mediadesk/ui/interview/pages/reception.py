"""Step 1, accueil et présentation: the presentation script, who initiated the contact, where,
in which languages, and the consents with the day they were given or withdrawn."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from mediadesk.domain.enums import ConsentKind, ContactInitiator
from mediadesk.i18n import N_, _, format_day
from mediadesk.interview import InterviewState, Step, consent_active
from mediadesk.ui.interview.choices import CONSENTS, INITIATORS, PARTNERS, PLACES, titled
from mediadesk.ui.interview.fields import (
    CheckField,
    ChoiceCombo,
    LanguageField,
    RadioChoice,
    TextField,
    YesNoCombo,
)
from mediadesk.ui.interview.pages.base import INFO_STYLE, StepPage, box_label, form_group
from mediadesk.ui.interview.parse import show_day
from mediadesk.ui.interview.records import ConsentEditor
from mediadesk.ui.interview.stepper import BLOCKING_COLOUR, DONE_COLOUR
from mediadesk.ui.labels import COMMON_LANGUAGES
from mediadesk.ui.widgets import MUTED_COLOUR, muted

CONSENT_KEY = "reception.consent.{kind}"


class ReceptionPage(StepPage):
    step = Step.RECEPTION
    help_text = N_("Se présenter, dire pourquoi on appelle, recueillir les consentements.")

    def build(self, body: QWidget) -> None:
        form = self.form
        intro = QGroupBox(_("Présentation de la médiation"), body)
        self.script = box_label(_(
            "« Bonjour, je travaille dans la médiation sociale. Je ne travaille ni pour votre "
            "fournisseur d'énergie, ni pour les services sociaux : je suis un tiers neutre. "
            "Il semble qu'il y ait une facture impayée ; je suis là pour vous aider à "
            "comprendre votre situation et à trouver une solution avec votre fournisseur. "
            "Rien ne se fait sans votre accord, et vous pouvez demander à lire ce que je "
            "note. »"), INFO_STYLE, intro)
        self.script_read = CheckField(_("&Présentation faite (tiers neutre)"), intro)
        self.script_read.setAccessibleName(_("Présentation faite"))
        intro_layout = QVBoxLayout(intro)
        intro_layout.addWidget(self.script)
        intro_layout.addWidget(self.script_read)
        form.bind("reception.presentation_script_read", self.script_read)

        contact, contact_form = form_group(_("Le contact"), body)
        self.initiated_by = ChoiceCombo(titled(INITIATORS), contact)
        form.row(contact_form, _("À l'&initiative de :"), "reception.initiated_by",
                 self.initiated_by)
        self.referred_by = ChoiceCombo(titled(PARTNERS), contact)
        form.row(contact_form, _("&Orientée par :"), "reception.referred_by", self.referred_by)
        self.place = RadioChoice(titled(PLACES), contact, name=_("Lieu de l'entretien"))
        form.row(contact_form, _("&Lieu :"), "reception.place", self.place,
                 name=_("Lieu de l'entretien"))
        self.person_met = TextField(contact, placeholder=_("Nom, lien avec le foyer"))
        form.row(contact_form, _("Personne &rencontrée :"), "reception.person_met",
                 self.person_met)

        languages, languages_form = form_group(_("Langues"), body)
        self.languages = LanguageField(COMMON_LANGUAGES, languages)
        form.row(languages_form, _("Lan&gues parlées :"), "reception.languages",
                 self.languages)
        languages_form.addRow("", muted(_("Cochez avec la barre d'espace."), languages))
        self.interpreter = YesNoCombo(languages)
        form.row(languages_form, _("I&nterprète :"), "reception.interpreter_used",
                 self.interpreter, name=_("Interprète présent"))

        consents = QGroupBox(_("Consentements"), body)
        consents_layout = QVBoxLayout(consents)
        consents_layout.setSpacing(2)
        consents_layout.addWidget(ConsentEditor.header(consents))
        self.consents: dict[ConsentKind, ConsentEditor] = {}
        for kind in ConsentKind:
            editor = ConsentEditor(_(CONSENTS[kind]), consents)
            self.consents[kind] = editor
            consents_layout.addWidget(editor)
            consents_layout.addWidget(form.bind(CONSENT_KEY.format(kind=kind.value),
                                                editor).error)
        consents_layout.addWidget(muted(_(
            "Un consentement retiré est respecté dès sa date de retrait : plus aucun échange "
            "ni partage à ce titre."), consents))

        left = QVBoxLayout()
        left.addWidget(intro)
        left.addWidget(contact)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(languages)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(body)
        layout.addLayout(columns)
        layout.addWidget(consents)
        layout.addStretch(1)

    def refresh(self, state: InterviewState, today: date) -> None:
        partner = state.reception.initiated_by is ContactInitiator.PARTNER
        self.referred_by.setEnabled(partner or state.reception.referred_by is not None)
        for kind, editor in self.consents.items():
            editor.set_today(show_day(today))
            consent = state.reception.consent(kind)
            if consent.given_on is None:
                editor.set_status(_("Non recueilli"), MUTED_COLOUR)
            elif consent_active(state, kind, today):
                editor.set_status(_("Actif"), DONE_COLOUR)
            elif consent.withdrawn_on is not None and consent.withdrawn_on <= today:
                editor.set_status(_("Retiré le {day}").format(
                    day=format_day(consent.withdrawn_on)), BLOCKING_COLOUR)
            else:
                editor.set_status(_("Pas encore actif"), MUTED_COLOUR)

    def first_input(self) -> QWidget | None:
        return self.script_read
