"""The household editor: create a household or edit its core fields, phones, languages, members.

"Enregistrer" runs the save on the writer lane; a ValidationError is shown next to its field and
the dialog stays open; success closes the dialog with the saved `Dossier`. A sync that brings
someone else's change to this household (`apply_remote_edits`) updates the fields not typed in
and flags, without replacing it, a field whose text was changed here (`RemoteFlag`).
Thread: GUI only (the save function runs on the writer lane).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.remote_edits import HOUSEHOLD, RemoteEdit, keeps_typing
from mediadesk.services.views import Dossier, HouseholdDraft
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons
from mediadesk.ui.editor_rows import MemberRows, PhoneRows
from mediadesk.ui.errors import field_of, message_for
from mediadesk.ui.labels import COMMON_LANGUAGES
from mediadesk.ui.models import LanguagesModel
from mediadesk.ui.remote_flag import RemoteFlag, place_flag
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.widgets import ErrorLabel, muted

Save = Callable[[HouseholdDraft], Dossier]
TASK_KEY = "household-editor"


def _with_error(field: QWidget, error: ErrorLabel, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


class HouseholdEditor(ModalDialog):
    """Edits one household (``dossier``) or creates one (``dossier`` is None)."""

    def __init__(self, runner: TaskRunner, save: Save, dossier: Dossier | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._save = save
        self.saved: Dossier | None = None
        self.flags: dict[str, RemoteFlag] = {}
        household = dossier.household if dossier is not None else None
        self._household_id = household.id if household is not None else None
        self.setWindowTitle(_("Modifier le foyer") if dossier is not None
                            else _("Nouveau foyer"))
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        content = QWidget(self)
        identity = QGroupBox(_("Foyer et adresse"), content)
        form = QFormLayout(identity)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, caption, value, hint in (
            ("name", _("Nom du foyer (obligatoire) :"), household.name if household else "",
             _("Par exemple : Famille Martin")),
            ("street", _("Adresse :"), household.street if household else "",
             _("Numéro et rue")),
            ("address_extra", _("Complément :"), household.address_extra if household else "",
             _("Bâtiment, étage, appartement…")),
            ("postal_code", _("Code postal :"), household.postal_code if household else "", ""),
            ("city", _("Ville :"), household.city if household else "", ""),
            ("email", _("Courriel :"), household.email if household else "", ""),
        ):
            field = QLineEdit(value, identity)
            field.setPlaceholderText(hint)
            field.setAccessibleName(caption.rstrip(" :"))
            error = ErrorLabel(identity)
            self.fields[name] = field
            self.errors[name] = error
            form.addRow(caption, _with_error(field, error, identity))
        self.fields["postal_code"].setMaxLength(5)

        languages = QGroupBox(_("Langues parlées"), content)
        self.languages = LanguagesModel(COMMON_LANGUAGES,
                                        household.languages if household else ("fr",), self)
        self.language_list = QListView(languages)
        self.language_list.setModel(self.languages)
        self.language_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.language_list.setMinimumHeight(120)
        self.interpreter = QCheckBox(_("Besoin d'un interprète"), languages)
        self.interpreter.setChecked(household.interpreter_needed if household else False)
        languages_layout = QVBoxLayout(languages)
        languages_layout.addWidget(muted(_("Cochez avec la souris ou la barre d'espace."),
                                         languages))
        languages_layout.addWidget(self.language_list)
        languages_layout.addWidget(self.interpreter)

        phones_box = QGroupBox(_("Téléphones"), content)
        self.phones = PhoneRows(dossier.phones if dossier else (), phones_box)
        QVBoxLayout(phones_box).addWidget(self.phones)
        members_box = QGroupBox(_("Membres du foyer"), content)
        self.members = MemberRows(dossier.members if dossier else (), members_box)
        QVBoxLayout(members_box).addWidget(self.members)

        top = QHBoxLayout()
        top.addWidget(identity, 3)
        top.addWidget(languages, 2)
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(top)
        content_layout.addWidget(phones_box)
        content_layout.addWidget(members_box)
        content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.general_error = ErrorLabel(self)
        self.status = muted(parent=self)
        self.buttons = ok_cancel_buttons(self, _("Enregistrer"))
        self.save_button = self.buttons.buttons()[0]
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(900, 680)
        self._initial = self.draft()
        self.fields["name"].setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: TaskRunner, save: Save,
            dossier: Dossier | None = None) -> Dossier | None:
        """Show the editor; the saved dossier, or None when cancelled."""
        dialog = cls(runner, save, dossier, parent)
        try:
            return dialog.saved if dialog.run() else None
        finally:
            dialog.deleteLater()

    def draft(self) -> HouseholdDraft:
        """What is typed now, as a draft for the services."""
        return HouseholdDraft(
            name=self.fields["name"].text(), street=self.fields["street"].text(),
            address_extra=self.fields["address_extra"].text(),
            postal_code=self.fields["postal_code"].text(), city=self.fields["city"].text(),
            email=self.fields["email"].text(), languages=self.languages.checked_codes(),
            interpreter_needed=self.interpreter.isChecked(), phones=self.phones.drafts(),
            members=self.members.drafts(),
        )

    # --- changes made by others ----------------------------------------------------------

    def apply_remote_edits(self, edits: Sequence[RemoteEdit]) -> list[str]:
        """Show what others changed in this household (received by a sync): a field changed
        here keeps its text and is flagged; the others take the received value. The fields
        flagged."""
        flagged: list[str] = []
        for edit in edits:
            if not edit.concerns(HOUSEHOLD, self._household_id):
                continue
            typed, initial = self._value(edit.field), getattr(self._initial, edit.field, None)
            if typed is None:
                continue
            flag = self.flags.get(edit.field)
            editing = typed != initial or (flag is not None and not flag.dismissed
                                           and flag.keeps_typing())
            if keeps_typing(typed=typed, received=edit.value, editing=editing):
                self._flag(edit, RemoteFlag(edit, partial(self._take_remote, edit), self))
                flagged.append(edit.field)
            elif typed != edit.value:
                self._show_value(edit.field, edit.value)
                self._flag(edit, RemoteFlag(edit, None, self))
            # what was loaded is now the received value: cancelling asks only about typing
            self._initial = dataclasses.replace(self._initial, **{edit.field: edit.value})
        return flagged

    def _value(self, name: str) -> object:
        if name == "interpreter_needed":
            return self.interpreter.isChecked()
        field = self.fields.get(name)
        return field.text() if field is not None else None

    def _show_value(self, name: str, value: object) -> None:
        if name == "interpreter_needed":
            self.interpreter.setChecked(bool(value))
        else:
            self.fields[name].setText("" if value is None else str(value))

    def _flag(self, edit: RemoteEdit, flag: RemoteFlag) -> None:
        old = self.flags.pop(edit.field, None)
        if old is not None and not old.dismissed:
            old.dismiss()
        self.flags[edit.field] = flag
        anchor = self.interpreter if edit.field == "interpreter_needed" \
            else self.errors[edit.field]
        place_flag(anchor, flag)

    def _take_remote(self, edit: RemoteEdit) -> None:
        self._show_value(edit.field, edit.value)

    # --- saving ----------------------------------------------------------------------------

    def submit(self) -> None:
        """Save on the writer lane; the dialog stays open until the store answers."""
        draft = self.draft()
        save = self._save
        self._clear_errors()
        self._set_saving(True)

        def work(_state: TaskState) -> Dossier:
            return save(draft)

        self._runner.submit(TASK_KEY, work, lane=Lane.WRITER, on_done=self._saved,
                            on_error=self._failed)

    def _saved(self, dossier: Dossier) -> None:
        self._set_saving(False)
        self.saved = dossier
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_saving(False)
        self.show_error(field_of(error), message_for(error))

    def show_error(self, field: str | None, message: str) -> None:
        """Show ``message`` next to ``field`` (``"name"``, ``"phones.1"``...) and focus it."""
        self._clear_errors()
        if field in self.errors:
            self.errors[field].show_message(message)
            self.fields[field].setFocus()
            self.fields[field].selectAll()
        elif field is not None and field.startswith(("phones.", "members.")):
            rows = self.phones if field.startswith("phones.") else self.members
            index = field.split(".", 1)[1]
            rows.show_error(int(index) if index.isdigit() else None, message)
        else:
            self.general_error.show_message(message)

    def _clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        self.phones.clear_error()
        self.members.clear_error()
        self.general_error.clear_message()

    def _set_saving(self, saving: bool) -> None:
        self.buttons.setEnabled(not saving)
        self.status.setText(_("Enregistrement…") if saving else "")

    def reject(self) -> None:
        """Cancel; asks first when something was typed, and never while saving."""
        if not self.buttons.isEnabled():
            return
        if self.draft() != self._initial and not self.confirm_discard(self):
            return
        super().reject()

    @staticmethod
    def confirm_discard(parent: QWidget) -> bool:
        """Ask whether to throw away what was typed (tests monkeypatch this)."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Abandonner les modifications ?"),
                          _("Ce que vous avez saisi ne sera pas enregistré."),
                          QMessageBox.StandardButton.NoButton, parent)
        discard = box.addButton(_("Abandonner"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Continuer la saisie"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard
