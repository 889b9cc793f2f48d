"""The partner profiles of the activity report: which indicators a partner agreement asks for,
and in which order its report prints them.

On the left the stored profiles; on the right the one being edited: its name and every
indicator, checked when included, in the printed order (drag them, or "Monter" / "Descendre"
from the keyboard). Reading and saving go through the task runner (saving on the writer lane).
Thread: GUI only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _, ngettext
from mediadesk.services.funder_profiles import IndicatorChoice, ReportProfile
from mediadesk.ui.dialogs import ConfirmDialog, ModalDialog
from mediadesk.ui.errors import message_for
from mediadesk.ui.tasks import Lane, TaskRunner

if TYPE_CHECKING:
    from mediadesk.services.reports import ReportService

CODE_ROLE = Qt.ItemDataRole.UserRole


class ReportProfilesDialog(ModalDialog):
    """Lists, edits, saves and deletes the partner profiles. Signals: ``loaded()`` once the
    profiles are read, ``saved(name)`` once a profile is stored."""

    loaded = Signal()
    saved = Signal(str)

    def __init__(self, reports: ReportService, runner: TaskRunner,
                 parent: QWidget | None = None, current: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Profils des partenaires"))
        self._reports = reports
        self._runner = runner
        self._key = f"report-profiles-{id(self)}"
        self._wanted = current
        self.choices: tuple[IndicatorChoice, ...] = ()
        self.profiles: tuple[ReportProfile, ...] = ()
        self.last_saved: str | None = None

        self.profile_list = QListWidget(self)
        self.profile_list.currentRowChanged.connect(self._profile_chosen)
        self.new_button = QPushButton(_("Nouveau profil"), self)
        self.new_button.clicked.connect(self.new_profile)
        self.delete_button = QPushButton(_("Supprimer…"), self)
        self.delete_button.clicked.connect(self.delete_profile)
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Profils enregistrés :"), self))
        left.addWidget(self.profile_list, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.new_button)
        left_buttons.addWidget(self.delete_button)
        left.addLayout(left_buttons)

        self.name = QLineEdit(self)
        self.name.setMaxLength(45)
        self.name.setPlaceholderText(_("ex. : Fondation, convention 2027"))
        self.indicators = QListWidget(self)
        self.indicators.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.indicators.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.indicators.setSpacing(2)
        self.up_button = QPushButton(_("Monter"), self)
        self.down_button = QPushButton(_("Descendre"), self)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.all_button = QPushButton(_("Tout cocher"), self)
        self.none_button = QPushButton(_("Tout décocher"), self)
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.save_button = QPushButton(_("Enregistrer le profil"), self)
        self.save_button.clicked.connect(self.save)
        hint = QLabel(_("Cochez les indicateurs que la convention demande ; le rapport les "
                        "imprime dans cet ordre (glissez-les ou utilisez Monter / "
                        "Descendre)."), self)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Nom du profil :"), self.name)
        order = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.all_button, self.none_button):
            order.addWidget(button)
        order.addStretch(1)
        order.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(hint)
        right.addWidget(self.indicators, 1)
        right.addLayout(order)

        self.status = QLabel(_("Lecture des profils…"), self)
        self.status.setWordWrap(True)
        close = QPushButton(_("Fermer"), self)
        close.clicked.connect(self.accept)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.resize(900, 560)
        self._editable(False)
        self.reload()

    @classmethod
    def ask(cls, reports: ReportService, runner: TaskRunner, parent: QWidget | None,
            current: str | None = None) -> str | None:
        """Edit the profiles; the name of the profile last saved or shown, or None."""
        dialog = cls(reports, runner, parent, current)
        try:
            dialog.run()
            return dialog.last_saved or dialog.current_name()
        finally:
            dialog.deleteLater()

    # --- reading ----------------------------------------------------------------------

    def reload(self) -> None:
        reports = self._reports

        def work(_state: object) -> tuple[tuple[IndicatorChoice, ...],
                                          tuple[ReportProfile, ...]]:
            return reports.indicator_choices(), reports.report_profiles()

        self._runner.submit(self._key, work, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, result: tuple[tuple[IndicatorChoice, ...],
                                    tuple[ReportProfile, ...]]) -> None:
        self.choices, self.profiles = result
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self.profiles:
            self.profile_list.addItem(profile.name)
        self.profile_list.blockSignals(False)
        names = [p.name for p in self.profiles]
        if self._wanted in names:
            self.profile_list.setCurrentRow(names.index(self._wanted))
        elif names:
            self.profile_list.setCurrentRow(0)
        else:
            self.new_profile()
        if not names:
            self.status.setText(_("Aucun profil : créez le premier."))
        elif self.status.text() == _("Lecture des profils…"):
            self.status.clear()  # a message about what was just saved stays
        self._editable(True)
        self.loaded.emit()

    def _editable(self, enabled: bool) -> None:
        for widget in (self.name, self.indicators, self.up_button, self.down_button,
                       self.all_button, self.none_button, self.save_button, self.new_button):
            widget.setEnabled(enabled)
        self.delete_button.setEnabled(enabled and self.profile_list.currentRow() >= 0)

    def current_name(self) -> str | None:
        item = self.profile_list.currentItem()
        return item.text() if item is not None else None

    # --- editing ----------------------------------------------------------------------

    def _profile_chosen(self, row: int) -> None:
        if 0 <= row < len(self.profiles):
            profile = self.profiles[row]
            self._show(profile.name, profile.codes)
        self.delete_button.setEnabled(row >= 0)

    def new_profile(self) -> None:
        """An empty name and every indicator, checked, in the default order."""
        self.profile_list.blockSignals(True)
        self.profile_list.setCurrentRow(-1)
        self.profile_list.blockSignals(False)
        self.delete_button.setEnabled(False)
        self._show("", tuple(choice.code for choice in self.choices))
        self.name.setFocus()

    def _show(self, name: str, codes: tuple[str, ...]) -> None:
        self.name.setText(name)
        by_code = {choice.code: choice for choice in self.choices}
        ordered = [by_code[code] for code in codes if code in by_code]
        ordered += [choice for choice in self.choices if choice.code not in codes]
        self.indicators.clear()
        for choice in ordered:
            item = QListWidgetItem(choice.label, self.indicators)
            item.setData(CODE_ROLE, choice.code)
            item.setToolTip(choice.definition)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsDragEnabled)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            item.setCheckState(Qt.CheckState.Checked if choice.code in codes
                               else Qt.CheckState.Unchecked)
        self.indicators.setCurrentRow(0)

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.indicators.count()):
            item = self.indicators.item(row)
            if item is not None:
                item.setCheckState(state)

    def move_current(self, delta: int) -> None:
        """Move the selected indicator up (-1) or down (+1) the printed order."""
        row = self.indicators.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.indicators.count():
            return
        item = self.indicators.takeItem(row)
        self.indicators.insertItem(target, item)
        self.indicators.setCurrentRow(target)

    def set_checked(self, code: str, checked: bool) -> None:
        for row in range(self.indicators.count()):
            item = self.indicators.item(row)
            if item is not None and item.data(CODE_ROLE) == code:
                item.setCheckState(Qt.CheckState.Checked if checked
                                   else Qt.CheckState.Unchecked)

    def chosen_codes(self) -> list[str]:
        """The checked indicators, in the order shown."""
        codes = []
        for row in range(self.indicators.count()):
            item = self.indicators.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                codes.append(str(item.data(CODE_ROLE)))
        return codes

    # --- saving -----------------------------------------------------------------------

    def save(self) -> None:
        """Store the profile being edited (a profile of the same name is replaced)."""
        name, codes = self.name.text().strip(), self.chosen_codes()
        if not name:
            self.status.setText(_("Donnez un nom au profil (celui du partenaire)."))
            self.name.setFocus()
            return
        if not codes:
            self.status.setText(_("Cochez au moins un indicateur."))
            return
        reports = self._reports
        self._editable(False)

        def done(_result: object) -> None:
            self.last_saved = self._wanted = name
            self.status.setText(ngettext(
                "Profil « {name} » enregistré ({count} indicateur).",
                "Profil « {name} » enregistré ({count} indicateurs).", len(codes)).format(
                name=name, count=len(codes)))
            self.saved.emit(name)
            self.reload()

        self._runner.submit(f"{self._key}-save",
                            lambda _state: reports.save_report_profile(name, codes),
                            lane=Lane.WRITER, on_done=done, on_error=self._failed)

    def delete_profile(self) -> None:
        name = self.current_name()
        if name is None or not self.confirm_delete(name):
            return
        reports = self._reports
        self._editable(False)

        def done(_result: object) -> None:
            self._wanted = None
            if self.last_saved == name:
                self.last_saved = None
            self.reload()

        self._runner.submit(f"{self._key}-delete",
                            lambda _state: reports.delete_report_profile(name),
                            lane=Lane.WRITER, on_done=done, on_error=self._failed)

    def confirm_delete(self, name: str) -> bool:
        return ConfirmDialog.ask(self, _("Supprimer le profil"), _(
            "Supprimer le profil « {name} » ? Les rapports déjà enregistrés ne changent "
            "pas.").format(name=name), _("Supprimer"))

    def _failed(self, error: BaseException) -> None:
        self._editable(True)
        self.status.setText(message_for(error))

    def done(self, result: int) -> None:
        self._runner.cancel(self._key)
        super().done(result)
