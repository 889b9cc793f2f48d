"""The interview wizard: the six step pages beside the side stepper.

The wizard keeps the interview's state (`InterviewState`, pure) as typed: every edit updates it
at once, which refreshes the stepper's counts, the step's points and what the page derives
(autonomy level, suggestions, consent gating), and hands the answer to the `AutoSaver`
(debounced, WRITER lane). Steps are chosen freely: with the stepper, Ctrl+1 to Ctrl+6,
Ctrl+PgUp / Ctrl+PgDown or the buttons at the bottom. "Clore l'entretien" (step 6) lists what
still blocks, or closes the interview through the service on the WRITER lane, after every
pending save. Answers others changed (a sync's `RemoteEdit` list, `apply_remote_edits`) are
shown at once, except in a field being typed in: that one keeps the typing (saved again, so it
wins here and syncs as a normal edit) and is flagged (`RemoteFlag` under the input).
Thread: GUI only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.enums import ConsentKind
from mediadesk.i18n import _, format_moment
from mediadesk.interview import (
    AnswerError,
    InterviewState,
    Issue,
    Severity,
    Step,
    closing_issues,
    consent_active,
    validate,
)
from mediadesk.interview.state import field_spec
from mediadesk.services.errors import ValidationError
from mediadesk.services.remote_edits import ANSWER, RemoteEdit, keeps_typing
from mediadesk.services.views import InterviewView
from mediadesk.ui.dialogs import ConfirmDialog
from mediadesk.ui.errors import log_unexpected, message_for
from mediadesk.ui.interview.autosave import SAVE_DEBOUNCE_MS, AutoSaver, SaveStatus
from mediadesk.ui.interview.bindings import Form
from mediadesk.ui.interview.fields import MoneyField
from mediadesk.ui.interview.pages.base import StepPage
from mediadesk.ui.interview.pages.follow_up import FollowUpPage
from mediadesk.ui.interview.pages.next_step import NextStepPage
from mediadesk.ui.interview.pages.options import OptionsPage
from mediadesk.ui.interview.pages.reception import ReceptionPage
from mediadesk.ui.interview.pages.situation import SituationPage
from mediadesk.ui.interview.pages.supplier import SupplierPage
from mediadesk.ui.interview.stepper import BLOCKING_COLOUR, DONE_COLOUR, Stepper
from mediadesk.ui.remote_flag import RemoteFlag
from mediadesk.ui.tasks import Lane, TaskRunner
from mediadesk.ui.widgets import MUTED_COLOUR, heading, muted

if TYPE_CHECKING:
    from mediadesk.services.interviews import InterviewService

log = logging.getLogger(__name__)
STEPPER_WIDTH = 250
PAGES: tuple[type[StepPage], ...] = (ReceptionPage, SituationPage, OptionsPage, SupplierPage,
                                     NextStepPage, FollowUpPage)


class InterviewWizard(QWidget):
    """Signals: ``back_requested()``, ``interview_closed(view)`` (an `InterviewView`),
    ``status_message(text)``."""

    back_requested = Signal()
    interview_closed = Signal(object)
    status_message = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 debounce_ms: int = SAVE_DEBOUNCE_MS,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._runner = runner
        self._today = today
        self._service: InterviewService | None = None
        self._view: InterviewView | None = None
        self.state = InterviewState()
        self.form = Form(self)
        self.saver = AutoSaver(runner, self, delay_ms=debounce_ms)

        self.title = heading("", scale=1.2, parent=self)
        self.started = muted(parent=self)
        self.save_status = QLabel(self)
        self.save_status.setAccessibleName(_("État de l'enregistrement"))
        self.back = QPushButton(_("Retour au dossier"), self)
        self.back.setToolTip(_("Alt+Flèche gauche. Tout est déjà enregistré ; l'entretien "
                               "pourra être repris."))
        self.back.clicked.connect(self.leave)
        self.stepper = Stepper(self)
        self.stepper.setFixedWidth(STEPPER_WIDTH)
        self.stack = QStackedWidget(self)
        self.pages: dict[Step, StepPage] = {}
        for page_class in PAGES:
            page = page_class(self.form, self.stack)
            page.focus_requested.connect(self.focus_answer)
            self.pages[page.step] = page
            self.stack.addWidget(page)
        self.follow_up_page.close_requested.connect(self.close_interview)
        self.previous = QPushButton(_("◀ Étape précédente"), self)
        self.previous.setToolTip(_("Ctrl+Page précédente"))
        self.previous.clicked.connect(lambda: self.step_by(-1))
        self.next = QPushButton(_("Étape suivante ▶"), self)
        self.next.setToolTip(_("Ctrl+Page suivante"))
        self.next.clicked.connect(lambda: self.step_by(1))
        self._layout()
        self._shortcuts()

        self.stepper.step_chosen.connect(self.go_to)
        self.stepper.issue_chosen.connect(lambda issue: self.focus_answer(issue.key,
                                                                          issue.index))
        self.form.edited.connect(self._edited)
        self.form.invalid.connect(self.saver.discard)
        self.form.left.connect(self.saver.flush)
        self.saver.status_changed.connect(self._show_save_status)
        self.saver.saved.connect(self.form.clear_error)
        self.saver.failed.connect(self.form.show_error)
        self._show_save_status()

    @property
    def follow_up_page(self) -> FollowUpPage:
        page = self.pages[Step.FOLLOW_UP]
        assert isinstance(page, FollowUpPage)
        return page

    def _layout(self) -> None:
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.started)
        header.addLayout(titles, 1)
        header.addWidget(self.save_status, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addSpacing(12)
        header.addWidget(self.back, 0, Qt.AlignmentFlag.AlignVCenter)
        navigation = QHBoxLayout()
        navigation.addWidget(self.previous)
        navigation.addStretch(1)
        navigation.addWidget(self.next)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addLayout(navigation)
        body = QHBoxLayout()
        body.addWidget(self.stepper)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addLayout(header)
        layout.addLayout(body, 1)

    def _shortcuts(self) -> None:
        for step in Step:
            shortcut = QShortcut(QKeySequence(f"Ctrl+{int(step)}"), self)
            shortcut.activated.connect(partial(self.go_to, step, focus=True))
        QShortcut(QKeySequence("Ctrl+PgDown"), self).activated.connect(
            lambda: self.step_by(1, focus=True))
        QShortcut(QKeySequence("Ctrl+PgUp"), self).activated.connect(
            lambda: self.step_by(-1, focus=True))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self).activated.connect(
            self.leave)

    # --- the interview shown --------------------------------------------------------------

    def set_service(self, service: InterviewService | None) -> None:
        """The interview service of the unlocked workspace (None once it is closed)."""
        if service is None:
            self.saver.set_target(None, None)
        self._service = service

    def view(self) -> InterviewView | None:
        return self._view

    def is_closed(self) -> bool:
        return self._view is not None and self._view.finished_at is not None

    def show_interview(self, view: InterviewView) -> None:
        """Show ``view`` exactly as saved, at the step where it was left."""
        service = self._service
        self._view = view
        self.state = view.state
        self.form.clear_flags()
        self.form.load(view.state)
        closed = view.finished_at is not None
        self.saver.set_target(view.id, partial(service.save_answer, view.id)
                              if service is not None and not closed else None)
        self.title.setText(_("Entretien : {household}").format(household=view.household_name))
        self.started.setText(
            _("Commencé le {moment} ; clos le {closed}.").format(
                moment=format_moment(view.summary.started_at),
                closed=format_moment(view.finished_at)) if view.finished_at is not None
            else _("Commencé le {moment}").format(moment=format_moment(view.summary.started_at)))
        for page in self.pages.values():
            page.body.setEnabled(not closed)
        self.follow_up_page.show_closed(
            _("Entretien clos : il ne peut plus être modifié.") if closed else "")
        self._refresh()
        self.go_to(Step(view.summary.current_step), remember=False)

    def flush(self) -> bool:
        """Send every pending answer now; whether anything was sent."""
        return self.saver.flush()

    def leave(self) -> None:
        self.flush()
        self.back_requested.emit()

    # --- navigation -------------------------------------------------------------------------

    def current_step(self) -> Step:
        return self.stepper.current()

    def step_by(self, offset: int, *, focus: bool = False) -> None:
        target = int(self.current_step()) + offset
        if 1 <= target <= len(Step):
            self.go_to(Step(target), focus=focus)

    def go_to(self, step: Step, *, focus: bool = False, remember: bool = True) -> None:
        """Show ``step``; pending answers are saved first. ``focus``: on its first input."""
        self.flush()
        page = self.pages[step]
        self.stack.setCurrentWidget(page)
        self.stepper.set_current(step)
        self.previous.setEnabled(step is not Step.RECEPTION)
        self.next.setEnabled(step is not Step.FOLLOW_UP)
        page.refresh(self.state, self._today())
        self._show_issues()
        view, service = self._view, self._service
        if remember and view is not None and service is not None and not self.is_closed():
            self._runner.submit(f"interview-step:{view.id}",
                                lambda _s: service.set_step(view.id, step), lane=Lane.WRITER,
                                on_error=partial(log_unexpected, what="set_step failed"))
        if focus:
            target = page.first_input()
            if target is not None and target.isEnabled():
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            else:
                self.stepper.steps.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_answer(self, key: str, index: object = None) -> None:
        """Show the input of answer ``key`` (row ``index`` of a list) and put the focus in it."""
        if key not in self.form:
            return
        self.go_to(field_spec(key).step)
        self.form[key].focus(index if isinstance(index, int) else None)

    # --- changes made by others -------------------------------------------------------------

    def apply_remote_edits(self, edits: Sequence[RemoteEdit]) -> list[str]:
        """Show the answers of this interview that others changed (received by a sync); an
        answer being typed in keeps what is typed, is saved again and flagged. The keys
        flagged."""
        view = self._view
        if view is None or self.is_closed():
            return []
        flagged: list[str] = []
        changed = False
        for edit in edits:
            if not edit.concerns(ANSWER, view.id) or edit.field not in self.form:
                continue
            binding = self.form[edit.field]
            typed = self.state.answer(edit.field)
            shown = binding.shown_flag()
            editing = self.saver.is_pending(edit.field) or binding.has_focus() \
                or (shown is not None and shown.keeps_typing())
            money = isinstance(binding.field, MoneyField)
            if keeps_typing(typed=typed, received=edit.value, editing=editing):
                binding.show_flag(RemoteFlag(edit, partial(self._take_remote, edit),
                                             money=money))
                self.saver.schedule(edit.field, typed, immediate=True)  # typing wins here
                flagged.append(edit.field)
                continue
            if typed != edit.value:
                self.form.write(edit.field, edit.value)
                self.state = self.state.with_answer(edit.field, edit.value)
                binding.show_flag(RemoteFlag(edit, None, money=money))
                changed = True
        if changed:
            self._refresh()
        return flagged

    def _take_remote(self, edit: RemoteEdit) -> None:
        """The person chose the value received instead of theirs: show and save it."""
        if self._view is None or not edit.concerns(ANSWER, self._view.id):
            return
        self.form.write(edit.field, edit.value)
        self._edited(edit.field, edit.value, True)

    # --- edits and derived views ------------------------------------------------------------

    def _edited(self, key: str, value: object, immediate: bool) -> None:
        try:
            self.state = self.state.with_answer(key, value)
        except AnswerError:
            self.form.show_error(key, _("Valeur non reconnue pour ce champ."))
            self.saver.discard(key)
            return
        self.form.clear_error(key)
        shown = self.form[key].shown_flag() if key in self.form else None
        if shown is not None and not shown.keeps_typing():
            self.form[key].clear_flag()  # the "updated by" note is stale once typed over
        self.saver.schedule(key, value, immediate=immediate)
        self._refresh()

    def _refresh(self) -> None:
        today = self._today()
        counts = {}
        for step in Step:
            issues = validate(step, self.state, today)
            counts[step] = (sum(1 for i in issues if i.severity is Severity.BLOCKING),
                            sum(1 for i in issues if i.severity is Severity.WARNING))
        notes = {}
        if not consent_active(self.state, ConsentKind.SUPPLIER_EXCHANGE, today):
            notes[Step.SUPPLIER_LIAISON] = _("En attente de l'accord du foyer")
        self.stepper.set_counts(counts, notes)
        page = self.stack.currentWidget()
        if isinstance(page, StepPage):
            page.refresh(self.state, today)
        self._show_issues()

    def stepper_issues(self) -> list[Issue]:
        """The points listed under the stepper for the current step."""
        return validate(self.current_step(), self.state, self._today())

    def _show_issues(self) -> None:
        step = self.current_step()
        self.stepper.set_issues(step, validate(step, self.state, self._today()))

    def _show_save_status(self) -> None:
        status = self.saver.status()
        text, colour = {
            SaveStatus.SAVED: (_("✓ Enregistré"), DONE_COLOUR),
            SaveStatus.SAVING: (_("Enregistrement…"), MUTED_COLOUR),
            SaveStatus.FAILED: (_("Non enregistré : voir le champ en rouge"), BLOCKING_COLOUR),
        }[status]
        self.save_status.setText(text)
        self.save_status.setStyleSheet(f"color: {colour};")

    # --- closing ----------------------------------------------------------------------------

    def close_interview(self) -> None:
        """List what still blocks closing, or close the interview once confirmed."""
        view, service = self._view, self._service
        if view is None or service is None or self.is_closed():
            return
        issues = closing_issues(self.state, self._today())
        page = self.follow_up_page
        page.show_closing_issues(issues)
        if issues:
            return
        if not ConfirmDialog.ask(self, _("Clore l'entretien"), _(
                "Clore l'entretien ? Il ne pourra plus être modifié. Les prochains pas, les "
                "orientations et le suivi seront ajoutés au dossier."), _("Clore l'entretien")):
            return
        self.flush()  # the writer lane runs these saves before the closing
        today = self._today()  # the day the checks above were made against
        self._runner.submit(f"interview-close:{view.id}",
                            lambda _s: service.close(view.id, today=today),
                            lane=Lane.WRITER, on_done=self._closed,
                            on_error=self._close_failed)

    def _closed(self, view: InterviewView) -> None:
        self.show_interview(view)
        self.status_message.emit(_("Entretien clos."))
        self.interview_closed.emit(view)

    def _close_failed(self, error: BaseException) -> None:
        message = message_for(error)
        self.follow_up_page.blocking_title.show_message(message)
        if isinstance(error, ValidationError):
            self.form.show_error(error.field, message)
        self.status_message.emit(message)
