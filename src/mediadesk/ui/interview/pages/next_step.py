"""Step 5, conclure: the next steps agreed with the person, in order (who, what, by when), the
first one stressed because it is the one to insist on; the orientations to partners with the
day to check they happened; the language of the sheet handed to the household."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from mediadesk.i18n import N_, _, language_name
from mediadesk.interview import OrientationEntry, PlannedStep, Step
from mediadesk.ui.interview.choices import ACTORS, PARTNERS, titled
from mediadesk.ui.interview.fields import ChoiceCombo, DateField, TextField
from mediadesk.ui.interview.pages.base import StepPage, form_group
from mediadesk.ui.interview.records import (
    DATE_COLUMN,
    STRESS_STYLE,
    RecordRows,
    combo_value,
    day_of,
    line_text,
    set_combo,
)
from mediadesk.ui.labels import COMMON_LANGUAGES
from mediadesk.ui.widgets import muted

ACTOR_WIDTH = 120
PARTNER_WIDTH = 170
CNIL_HINT = N_("Restez factuel : le foyer peut le lire")


def _combo(choices: Sequence[tuple[Any, str]], width: int, name: str,
           parent: QWidget, *, optional: bool = True) -> ChoiceCombo:
    combo = ChoiceCombo(choices, parent, optional=optional, empty=_("—"))
    combo.setFixedWidth(width)
    combo.setAccessibleName(name)
    return combo


class StepRows(RecordRows[PlannedStep]):
    """The agreed next steps, in order; the first one is stressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([(_("Qui"), ACTOR_WIDTH), (_("Partenaire"), PARTNER_WIDTH),
                          (_("Quoi"), 0), (_("Pour le"), DATE_COLUMN)],
                         _("&Ajouter un pas"), _("Aucun prochain pas convenu."), parent,
                         movable=True)

    def _inputs(self, record: PlannedStep, parent: QWidget) -> list[QWidget]:
        description = TextField(parent, placeholder=_(CNIL_HINT))
        description.setAccessibleName(_("Ce qu'il faut faire"))
        due = DateField(parent)
        due.setAccessibleName(_("À faire pour le"))
        return [_combo(titled(ACTORS), ACTOR_WIDTH, _("Qui doit agir"), parent,
                       optional=False),
                _combo(titled(PARTNERS), PARTNER_WIDTH, _("Partenaire"), parent),
                description, due]

    def _write(self, inputs: list[QWidget], record: PlannedStep) -> None:
        actor, partner, description, due = inputs
        assert isinstance(description, TextField) and isinstance(due, DateField)
        set_combo(actor, record.actor)
        set_combo(partner, record.partner_kind)
        description.set_value(record.description)
        due.set_value(record.due_on)

    def _read(self, inputs: list[QWidget], record: PlannedStep) -> PlannedStep:
        actor, partner, description, due = inputs
        return replace(record, actor=combo_value(actor), partner_kind=combo_value(partner),
                       description=line_text(description), due_on=day_of(due))

    def _blank(self) -> PlannedStep:
        return PlannedStep()

    def _stress(self) -> None:
        for index, row in enumerate(self._rows):
            first = index == 0
            row.frame.setObjectName("stressed" if first else "")
            row.frame.setStyleSheet(STRESS_STYLE if first else "")
            font = QFont(row.number.font())
            font.setBold(first)
            row.number.setFont(font)
            row.number.setToolTip(_("À faire en premier") if first else "")
            description = row.inputs[2]
            description_font = QFont(description.font())
            description_font.setBold(first)
            description.setFont(description_font)


class OrientationRows(RecordRows[OrientationEntry]):
    """Hand-overs to partners, each with the day to check that it really happened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([(_("Partenaire"), PARTNER_WIDTH), (_("Pour quoi"), 0),
                          (_("Vérifier le"), DATE_COLUMN)],
                         _("Ajouter une &orientation"), _("Aucune orientation."), parent)

    def _inputs(self, record: OrientationEntry, parent: QWidget) -> list[QWidget]:
        reason = TextField(parent, placeholder=_(CNIL_HINT))
        reason.setAccessibleName(_("Motif de l'orientation"))
        check = DateField(parent)
        check.setAccessibleName(_("Vérifier la mise en relation le"))
        return [_combo(titled(PARTNERS), PARTNER_WIDTH, _("Partenaire"), parent), reason,
                check]

    def _write(self, inputs: list[QWidget], record: OrientationEntry) -> None:
        partner, reason, check = inputs
        assert isinstance(reason, TextField) and isinstance(check, DateField)
        set_combo(partner, record.partner_kind)
        reason.set_value(record.reason)
        check.set_value(record.check_on)

    def _read(self, inputs: list[QWidget], record: OrientationEntry) -> OrientationEntry:
        partner, reason, check = inputs
        return replace(record, partner_kind=combo_value(partner), reason=line_text(reason),
                       check_on=day_of(check))

    def _blank(self) -> OrientationEntry:
        return OrientationEntry()


class NextStepPage(StepPage):
    step = Step.NEXT_STEP
    help_text = N_("Décider avec la personne du prochain pas ; s'il y en a plusieurs, les "
                   "récapituler en insistant sur le premier.")

    def build(self, body: QWidget) -> None:
        form = self.form
        steps, steps_form = form_group(_("Les prochains pas, dans l'ordre"), body)
        steps_form.addRow(muted(_("Le premier pas, surligné, est celui sur lequel insister. "
                                  "Les flèches ↑ et ↓ changent l'ordre."), steps))
        self.steps = StepRows(steps)
        steps_form.addRow(self.steps)
        steps_form.addRow(form.bind("next_step.steps", self.steps).error)

        orientations, orientations_form = form_group(_("Orientations vers des partenaires"),
                                                     body)
        self.orientations = OrientationRows(orientations)
        orientations_form.addRow(self.orientations)
        orientations_form.addRow(form.bind("next_step.orientations", self.orientations).error)

        sheet, sheet_form = form_group(_("Fiche remise au foyer"), body)
        languages = [(code, language_name(code)) for code in COMMON_LANGUAGES]
        form.row(sheet_form, _("&Langue de la fiche :"), "next_step.sheet_language",
                 ChoiceCombo(languages, sheet, empty=_("— langue du foyer —")))

        layout = QVBoxLayout(body)
        layout.addWidget(steps)
        layout.addWidget(orientations)
        layout.addWidget(sheet)
        layout.addStretch(1)

    def first_input(self) -> QWidget | None:
        return self.steps.focus_widgets()[0]
