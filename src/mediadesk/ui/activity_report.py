"""The funder activity report from the app: choose the period and the partner profile, count
and lay out the report off the GUI thread (progress bar, Cancel), look at the totals, then
preview, print, save the PDF or export the table (CSV, XLSX) — every file password-protected.

Counting a year over a big store takes seconds: it runs on the task runner's parallel lane
through `ReportService.funder_data(progress=..., cancel=...)`; Cancel stops it at the next step.
Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _, format_day, format_money, ngettext, pgettext
from mediadesk.services.errors import ValidationError
from mediadesk.services.funder import ActivityData, ReportCancelled
from mediadesk.services.funder_profiles import ReportProfile
from mediadesk.ui.errors import message_for
from mediadesk.ui.report_actions import ExportSaver, open_preview
from mediadesk.ui.report_preview import ReportPreview, page_count, start_printing
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

if TYPE_CHECKING:
    from mediadesk.services.reports import ReportService

BUILD_KEY = "activity-report"
PROFILES_KEY = "activity-report-profiles"


@dataclass(frozen=True)
class BuiltReport:
    """A counted and laid-out report."""

    data: ActivityData
    pdf: bytes
    pages: int


def last_month(today: date) -> tuple[date, date]:
    """The first and last day of the month before ``today``'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def build_report(reports: ReportService, start: date, end: date, profile: str | None,
                 state: TaskState) -> BuiltReport:
    """Count then lay out the report (worker thread). Raises ValidationError,
    ReportCancelled."""
    from mediadesk.services.reports import render_funder_data

    steps = [1]  # counting steps, plus one for the layout

    def progress(done: int, total: int) -> None:
        steps[0] = total
        state.progress(done, total + 1)

    data = reports.funder_data(start, end, profile, progress=progress,
                               cancel=state.cancelled)
    pdf = render_funder_data(data)
    pages = page_count(pdf)
    state.progress(steps[0] + 1, steps[0] + 1)
    return BuiltReport(data, pdf, pages)


class ActivityReportWindow(QDialog):
    """The funder activity report window (not modal: hidden while the app is locked)."""

    def __init__(self, reports: ReportService, runner: TaskRunner,
                 parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Rapport d'activité pour les financeurs"))
        self._reports = reports
        self._runner = runner
        self.built: BuiltReport | None = None
        self.preview: ReportPreview | None = None
        self.saver = ExportSaver(self, runner)

        start, end = last_month(today())
        self.start = self._date_edit(start)
        self.end = self._date_edit(end)
        self.profile = QComboBox(self)
        self.profile.setMinimumContentsLength(24)
        self.profiles_button = QPushButton(_("Profils des partenaires…"), self)
        self.profiles_button.clicked.connect(self.edit_profiles)
        self.build_button = QPushButton(_("Préparer le rapport"), self)
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.build)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel(pgettext("période du … au …", "au"), self))
        period.addWidget(self.end)
        period.addStretch(1)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile, 1)
        profile_row.addWidget(self.profiles_button)
        form = QFormLayout()
        form.addRow(_("Période : du"), period)
        form.addRow(_("Indicateurs :"), profile_row)

        self.progress = QProgressBar(self)
        policy = self.progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the buttons do not jump when it shows
        self.progress.setSizePolicy(policy)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(_("Annuler"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel(_("Choisissez la période puis « Préparer le rapport »."), self)
        self.status.setWordWrap(True)
        running = QHBoxLayout()
        running.addWidget(self.build_button)
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)

        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([_("Indicateur"), _("Total")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)

        self.preview_button = QPushButton(_("Aperçu…"), self)
        self.print_button = QPushButton(_("Imprimer…"), self)
        self.save_button = QPushButton(_("Enregistrer en PDF…"), self)
        self.csv_button = QPushButton(_("Exporter en CSV…"), self)
        self.xlsx_button = QPushButton(_("Exporter en XLSX…"), self)
        close = QPushButton(_("Fermer"), self)
        close.clicked.connect(self.reject)
        self.preview_button.clicked.connect(self.show_preview)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_pdf)
        self.csv_button.clicked.connect(lambda: self.export_table("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export_table("xlsx"))
        actions = QHBoxLayout()
        for button in self._result_buttons():
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(close)
        protected = QLabel(_("Les fichiers enregistrés ou exportés sont chiffrés par un mot de "
                             "passe que vous choisissez."), self)
        protected.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(running)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(protected)
        layout.addLayout(actions)
        self._set_result(None)
        self.resize(820, 600)
        self.reload_profiles()

    def _date_edit(self, value: date) -> QDateEdit:
        edit = QDateEdit(QDate(value.year, value.month, value.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def _result_buttons(self) -> tuple[QPushButton, ...]:
        return (self.preview_button, self.print_button, self.save_button, self.csv_button,
                self.xlsx_button)

    def set_locked(self, locked: bool) -> None:
        """Hidden while the application is locked (a report under way goes on)."""
        if locked:
            self.hide()

    # --- profiles ---------------------------------------------------------------------

    def reload_profiles(self, select: str | None = None) -> None:
        """Read the partner profiles again (off the GUI thread), keeping or setting the
        choice."""
        reports = self._reports
        wanted = select if select is not None else self.chosen_profile()
        self._runner.submit(PROFILES_KEY, lambda _state: reports.report_profiles(),
                            on_done=lambda profiles: self._fill_profiles(profiles, wanted),
                            on_error=lambda error: self.status.setText(message_for(error)))

    def _fill_profiles(self, profiles: tuple[ReportProfile, ...], wanted: str | None) -> None:
        self.profile.clear()
        self.profile.addItem(_("Tous les indicateurs"), None)
        for profile in profiles:
            self.profile.addItem(profile.name, profile.name)
        index = self.profile.findData(wanted) if wanted else 0
        self.profile.setCurrentIndex(max(index, 0))

    def chosen_profile(self) -> str | None:
        value = self.profile.currentData()
        return value if isinstance(value, str) else None

    def chosen_period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def edit_profiles(self) -> None:
        """The partner profiles' editor; the list here is read again when it closes."""
        from mediadesk.ui.report_profiles import ReportProfilesDialog

        chosen = ReportProfilesDialog.ask(self._reports, self._runner, self,
                                          self.chosen_profile())
        self.reload_profiles(chosen)

    # --- building ---------------------------------------------------------------------

    def build(self) -> None:
        """Count and lay out the report of the period, off the GUI thread."""
        start, end = self.chosen_period()
        if start > end:
            self.status.setText(_("La date de début est après la date de fin."))
            return
        reports, profile = self._reports, self.chosen_profile()
        self._set_result(None)
        self._busy(True)
        self.status.setText(_("Comptage des indicateurs du {start} au {end}…").format(
            start=format_day(start), end=format_day(end)))
        self._runner.submit(
            BUILD_KEY, lambda state: build_report(reports, start, end, profile, state),
            lane=Lane.PARALLEL, on_done=self._built, on_error=self._failed,
            on_progress=self._progressed)

    def cancel(self) -> None:
        self._runner.cancel(BUILD_KEY)
        self._busy(False)
        self.status.setText(_("Rapport annulé."))

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(busy)
        for widget in (self.build_button, self.start, self.end, self.profile,
                       self.profiles_button):
            widget.setEnabled(not busy)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _built(self, built: BuiltReport) -> None:
        self._busy(False)
        self._set_result(built)
        data = built.data
        self.status.setText(_("Rapport du {start} au {end} prêt : {pages}.").format(
            start=format_day(data.start), end=format_day(data.end),
            pages=_pages(built.pages)))

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, ReportCancelled):
            self.status.setText(_("Rapport annulé."))
        elif isinstance(error, ValidationError):
            self.status.setText(error.message)
        else:
            self.status.setText(message_for(error))

    def _set_result(self, built: BuiltReport | None) -> None:
        self.built = built
        for button in self._result_buttons():
            button.setEnabled(built is not None)
        figures = built.data.figures if built is not None else ()
        self.table.setRowCount(len(figures))
        for row, figure in enumerate(figures):
            label = QTableWidgetItem(figure.label)
            label.setToolTip(figure.definition)
            total = QTableWidgetItem(format_money(figure.total) if figure.money
                                     else str(figure.total))
            total.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, total)

    # --- what to do with it -----------------------------------------------------------

    def _stem(self) -> str:
        assert self.built is not None
        data = self.built.data
        return f"rapport-activite-{data.start.isoformat()}-{data.end.isoformat()}"

    def show_preview(self) -> None:
        if self.built is not None:
            self.preview = open_preview(self, self._runner, self.built.pdf,
                                        self.windowTitle(), self.save_pdf)

    def print_report(self) -> None:
        if self.built is not None:
            start_printing(self, self._runner, self.built.pdf, self.windowTitle(),
                           self.built.pages, status=self.status.setText,
                           buttons=(self.print_button,))

    def save_pdf(self) -> None:
        """Save the report as a PDF encrypted with a password asked twice."""
        if self.built is not None:
            self.saver.save_pdf(self.built.pdf, self._stem() + ".pdf", self.windowTitle())

    def export_table(self, kind: str) -> None:
        """Export the indicator table (``"csv"`` or ``"xlsx"``) in a password-protected ZIP."""
        if self.built is None:
            return
        data, name = self.built.data, f"{self._stem()}.{kind}"

        def make() -> Mapping[str, bytes]:
            from mediadesk.services.funder_export import to_csv, to_xlsx

            return {name: to_csv(data) if kind == "csv" else to_xlsx(data)}

        self.saver.save_files(make, f"{self._stem()}-{kind}.zip", self.windowTitle())

    def done(self, result: int) -> None:
        self._runner.cancel(BUILD_KEY)
        super().done(result)


def _pages(count: int) -> str:
    return ngettext("{count} page", "{count} pages", count).format(count=count)
