"""Killing the app (SIGKILL) while answers are typed loses nothing that was saved.

A child Python process (offscreen Qt) opens the real shell on a store prepared here (one
household, one draft interview with the supplier-exchange consent), unlocks it, resumes the
interview and types into real widgets of several steps: text lines, free-text boxes, amounts,
radio answers and a row of the supplier's exchanges, changing step with Ctrl+digit. Its saves go
through the real autosave (debounce, focus-out and step-change flushes, the writer lane) to the
real `InterviewService.save_answer`, wrapped in the child only to report, on stdout:

- ``TYPED <key> <json>``: a value handed to the autosaver (GUI thread);
- ``SAVING <key> <json>``: the service starts writing it (writer thread);
- ``SAVED <key> <json>``: the service returned, its transaction committed (writer thread).

Each line is one ``os.write`` to the pipe (atomic), so what the parent read survives the kill.
The parent kills the child after a random (seeded) number of ``SAVED`` lines, reopens the store
and checks that it passes its integrity check and that, for every key, the stored value is the
last one reported ``SAVED`` or one whose writing started after it (never an older value, never
one that was not typed). Values are compared as their JSON encoding (`encode_answer`), as
stored in the ``interview_answer`` rows.

What it does not cover: power loss (a killed process leaves the OS page cache intact; the store
relies on ``synchronous=FULL`` for that).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from mediadesk.interview import QUESTIONS, Consent, InterviewState, Step, encode_answer
from mediadesk.interview.state import field_spec
from mediadesk.services.interviews import InterviewService
from mediadesk.services.views import HouseholdDraft, MemberDraft, SavedAnswer
from mediadesk.services.workspace import Workspace, create_workspace, unlock_workspace
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import InterviewAnswer
from mediadesk.ui.interview.fields import RadioChoice
from mediadesk.ui.interview.pages.base import StepPage
from mediadesk.ui.interview.records import RecordRows
from mediadesk.ui.shell import Shell, State

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and select on pipes: POSIX"),
]

REPO = Path(__file__).resolve().parents[3]
SUPPLIER_CONSENT = "reception.consent.supplier_exchange"
CONTACTS = "supplier.contacts"
ABSENT = "<absent>"
PASSPHRASE = "ronces violettes sur le canal"
# Bounds for a hung child, not speeds: a loaded CI machine can take tens of seconds to start a
# Qt process and type a few dozen answers. The child types for longer than the parent waits, so
# a slow child fails on the parent's timeout (with the child's last lines), never on its DONE.
READY_TIMEOUT_S = 120.0
SAVES_TIMEOUT_S = 120.0
CHILD_RUN_LIMIT_S = 240.0  # typing time after READY; the parent kills the child sooner
TEXT_KEYS = ("reception.person_met", "situation.notes", "options.notes",
             "supplier.supplier_name", "follow_up.note", "closing.summary")
MONEY_KEYS = ("situation.declared_debt_cents", "supplier.proposed_monthly_cents")
RADIO_KEYS = ("reception.place", QUESTIONS[0].key, QUESTIONS[3].key)
PACED_DEBOUNCE_MS = 30  # short, so that pauses in the typing let it fire often
BURST_DEBOUNCE_MS = 400  # the real one: during a burst only focus-out and clicks save


# --- the child: the real shell, typed into --------------------------------------------------

def _emit(*parts: str) -> None:
    """One line on stdout in one write (atomic on a pipe below PIPE_BUF bytes)."""
    os.write(1, (" ".join(parts) + "\n").encode())


def _encoded(key: str, value: object) -> str:
    return json.dumps(encode_answer(key, value), sort_keys=True, ensure_ascii=True)


def child_main() -> None:
    """Entry point of the child: ``store interview_id seed mode``."""
    store, interview_id, seed, mode = sys.argv[1:5]
    original = InterviewService.save_answer

    def reporting_save(self: InterviewService, interview: uuid.UUID, key: str,
                       value: object) -> SavedAnswer:
        encoded = _encoded(key, value)
        _emit("SAVING", key, encoded)
        try:
            receipt = original(self, interview, key, value)
        except Exception as exc:
            _emit("FAILED", key, type(exc).__name__)
            raise
        _emit("SAVED", key, encoded)
        return receipt

    InterviewService.save_answer = reporting_save  # type: ignore[method-assign,assignment]
    _Typist(Path(store), uuid.UUID(interview_id), random.Random(int(seed)),
            burst=mode == "burst").run()


class _Typist:
    """Drives the shell in the child as a (fast) mediator would."""

    def __init__(self, store: Path, interview_id: uuid.UUID, rng: random.Random, *,
                 burst: bool) -> None:
        self.app = QApplication.instance() or QApplication([])
        self.interview_id = interview_id
        self.rng = rng
        self.burst = burst
        self.shell = Shell(store, save_debounce_ms=BURST_DEBOUNCE_MS if burst
                           else PACED_DEBOUNCE_MS)
        self.started = time.monotonic()

    def wait_until(self, condition: Callable[[], object], what: str, timeout_s: float = 60.0
                   ) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                _emit("ERROR", "timeout", json.dumps(what))
                os._exit(3)
            QTest.qWait(5)

    def open_interview(self) -> None:
        shell = self.shell
        shell.show()
        shell.activateWindow()
        self.wait_until(shell.isActiveWindow, "window active")
        QTest.keyClicks(shell.unlock_page.passphrase, PASSPHRASE)
        QTest.mouseClick(shell.unlock_page.unlock, Qt.MouseButton.LeftButton)
        self.wait_until(lambda: shell.state is State.OPEN, "unlocked")
        page = shell.workspace_page
        workspace = shell.workspace()
        assert workspace is not None
        household_id = workspace.interviews.open(self.interview_id).summary.household_id
        page.open_household(household_id)
        resume = page.dossier_view.resume
        self.wait_until(resume.isVisible, "resume button")
        QTest.mouseClick(resume, Qt.MouseButton.LeftButton)
        wizard = page.wizard
        self.wait_until(lambda: page.interview_shown() and wizard.view() is not None,
                        "wizard shown")
        schedule = wizard.saver.schedule

        def reporting_schedule(key: str, value: object, *, immediate: bool = False) -> None:
            _emit("TYPED", key, _encoded(key, value))
            schedule(key, value, immediate=immediate)

        wizard.saver.schedule = reporting_schedule  # type: ignore[method-assign]

    def go_to(self, step: Step) -> None:
        """Ctrl+digit, as the mediator changes step."""
        wizard = self.shell.workspace_page.wizard
        if wizard.current_step() is step:
            return
        where: QWidget = QApplication.focusWidget() or wizard
        QTest.keyClick(where, Qt.Key(Qt.Key.Key_1.value + int(step) - 1),
                       Qt.KeyboardModifier.ControlModifier)
        if wizard.current_step() is not step:
            _emit("ERROR", "step", json.dumps(f"Ctrl+{int(step)} did not show step {step}"))
            os._exit(3)

    def pause(self, longer: bool = False) -> None:
        """Between two keys: mostly short, sometimes past the debounce delay."""
        if self.burst:
            return
        if longer or self.rng.random() < 0.12:
            QTest.qWait(PACED_DEBOUNCE_MS + self.rng.randint(5, 40))
        elif self.rng.random() < 0.6:
            QTest.qWait(self.rng.randint(0, 12))

    def type_text(self, widget: QWidget, text: str) -> None:
        """Select all (Ctrl+A), then type ``text`` over it."""

        widget.setFocus(Qt.FocusReason.TabFocusReason)
        if QApplication.focusWidget() is not widget:
            _emit("ERROR", "focus", json.dumps(widget.accessibleName()))
            os._exit(3)
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if self.burst:
            QTest.keyClicks(widget, text)
            QApplication.processEvents()
            return
        for char in text:
            QTest.keyClicks(widget, char)
            self.pause()

    def press(self, button: QWidget) -> None:
        """Focus ``button`` and press Space (as with Tab then Space: no click lands on a
        widget scrolled out of sight)."""
        page = self.shell.workspace_page.wizard.stack.currentWidget()
        assert isinstance(page, StepPage)
        page.scroller.ensureWidgetVisible(button)
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(button, Qt.Key.Key_Space)

    def word(self) -> str:
        letters = "abcdefghijklmnopqrstuvwxyz      "
        first = self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return first + "".join(self.rng.choice(letters)
                               for _ in range(self.rng.randint(3, 14))).rstrip()

    def check(self, key: str, shown: object, expected: object) -> None:
        if shown != expected:
            _emit("ERROR", key, json.dumps(f"shows {shown!r}, typed {expected!r}"))
            os._exit(3)

    def one_edit(self) -> None:
        wizard = self.shell.workspace_page.wizard
        form = wizard.form
        kind = self.rng.choices(("text", "money", "radio", "row"), (6, 2, 3, 2))[0]
        key = {"text": lambda: self.rng.choice(TEXT_KEYS),
               "money": lambda: self.rng.choice(MONEY_KEYS),
               "radio": lambda: self.rng.choice(RADIO_KEYS), "row": lambda: CONTACTS}[kind]()
        self.go_to(field_spec(key).step)
        binding = form[key]
        if kind == "text":
            text = self.word()
            self.type_text(binding.field.focus_widgets()[0], text)
            self.check(key, binding.read(), text)
        elif kind == "money":
            digits = str(self.rng.randint(1, 99_999))
            cents = self.rng.choice(("", ",5", ",25"))
            self.type_text(binding.field.focus_widgets()[0], digits + cents)
            self.check(key, binding.read(),
                       int(digits) * 100 + {"": 0, ",5": 50, ",25": 25}[cents])
        elif kind == "radio":
            radios = binding.field
            assert isinstance(radios, RadioChoice)
            choice = self.rng.choice([c for c in radios.buttons if c != radios.value()])
            self.press(radios.buttons[choice])
            self.check(key, radios.value(), choice)
        else:
            contacts = binding.field
            assert isinstance(contacts, RecordRows)
            if contacts.row_count() == 0:
                self.press(contacts.add)
            text = self.word()
            self.type_text(contacts.row_inputs(0)[2], text)
            self.check(key, binding.read()[0].summary, text)
        self.pause(longer=self.rng.random() < 0.3)

    def run(self) -> None:
        self.open_interview()
        _emit("READY")
        self.started = time.monotonic()
        while time.monotonic() - self.started < CHILD_RUN_LIMIT_S:
            self.one_edit()
        QApplication.processEvents()
        _emit("DONE")
        self.shell.close()


# --- the parent: prepare, kill, check -------------------------------------------------------

def _raw_answers(workspace: Workspace, interview_id: uuid.UUID) -> dict[str, str]:
    """The stored answers of the interview, as JSON text of their stored encoding."""
    with workspace.opened.engine.connect() as conn:
        rows = conn.execute(sa.select(InterviewAnswer.key, InterviewAnswer.value).where(
            InterviewAnswer.interview_id == interview_id,
            InterviewAnswer.deleted_at.is_(None))).all()
    return {row.key: json.dumps(row.value, sort_keys=True, ensure_ascii=True) for row in rows}


def _prepare(path: Path) -> tuple[uuid.UUID, dict[str, str]]:
    """A store with one household and a draft interview where the supplier exchange is
    consented (so the supplier's step can be typed into); its answers as stored."""
    workspace = create_workspace(path, PASSPHRASE, user_name="Awa Diallo", kdf=TEST_KDF)
    try:
        dossier = workspace.dossiers.create_household(HouseholdDraft(
            name="Famille Martin", street="12 rue des Lilas", postal_code="75011",
            city="Paris", members=(MemberDraft("Sylvie", "Martin", "holder", 1971),)))
        interviews = workspace.interviews
        interview = interviews.start(dossier.household.id)
        interviews.save_answer(interview.id, SUPPLIER_CONSENT, Consent(given_on=date.today()))
        return interview.id, _raw_answers(workspace, interview.id)
    finally:
        workspace.close()


@dataclass
class _Child:
    process: subprocess.Popen[bytes]
    lines: list[str] = field(default_factory=list)
    _rest: bytes = b""
    closed: bool = False

    def read(self, timeout_s: float) -> list[str]:
        """Wait up to ``timeout_s`` for output; the complete lines that came."""
        stdout = self.process.stdout
        assert stdout is not None
        if self.closed:
            return []
        ready, _, _ = select.select([stdout], [], [], max(timeout_s, 0.0))
        if not ready:
            return []
        chunk = os.read(stdout.fileno(), 65536)
        if not chunk:
            self.closed = True
            return []
        *complete, self._rest = (self._rest + chunk).split(b"\n")
        new = [line.decode() for line in complete]
        self.lines.extend(new)
        return new

    def read_until(self, wanted: Callable[[str], bool], timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            for line in self.read(deadline - time.monotonic()):
                if line.startswith(("ERROR", "FAILED", "DONE")):
                    raise AssertionError(f"child says {line!r}; {self.tail()}")
                if wanted(line):
                    return
            if self.closed or time.monotonic() > deadline:
                raise AssertionError(f"no {what} from the child; {self.tail()}")

    def drain(self, timeout_s: float) -> None:
        """Read what the (killed) child wrote before it died, up to end of file."""
        deadline = time.monotonic() + timeout_s
        while not self.closed and time.monotonic() < deadline:
            self.read(deadline - time.monotonic())
        assert self.closed, "the child's stdout did not close after the kill"

    def tail(self) -> str:
        return f"last lines: {self.lines[-5:]!r}"


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def _allowed(lines: list[str], baseline: dict[str, str]) -> dict[str, set[str]]:
    """For each key reported: the values the store may hold after the kill. The last one
    reported SAVED, or any whose writing started after it (the writer lane runs one save at a
    time, in order); before any SAVED of the key, also what was stored before the child."""
    allowed: dict[str, set[str]] = {}
    typed: dict[str, set[str]] = {}
    for line in lines:
        kind, _, rest = line.partition(" ")
        key, _, value = rest.partition(" ")
        if kind == "TYPED":
            typed.setdefault(key, set()).add(value)
        elif kind == "SAVING":
            assert value in typed.get(key, set()), f"saving {key}={value}, never typed"
            allowed.setdefault(key, {baseline.get(key, ABSENT)}).add(value)
        elif kind == "SAVED":
            allowed[key] = {value}
    return allowed


def _kill_after_saves(tmp_path: Path, interview_id: uuid.UUID, seed: int, mode: str,
                      saves: int, extra_wait_s: float | None) -> list[str]:
    """Run the child, kill it (SIGKILL) ``extra_wait_s`` after its ``saves``-th SAVED line
    (None: as soon as the next save starts, so mid-transaction); every line it wrote."""
    store = tmp_path / "foyers.mdk"
    code = "from tests.ui.interview.test_crash_resilience import child_main; child_main()"
    with (tmp_path / "child-stderr.txt").open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(store), str(interview_id), str(seed), mode],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, cwd=REPO,
            env=_child_env())
    child = _Child(process)
    try:
        child.read_until(lambda line: line == "READY", READY_TIMEOUT_S, "READY")
        count = 0

        def saved(line: str) -> bool:
            nonlocal count
            count += line.startswith("SAVED ")
            return count >= saves

        child.read_until(saved, SAVES_TIMEOUT_S, f"{saves} saves")
        if extra_wait_s is None:
            child.read_until(lambda line: line.startswith("SAVING "), SAVES_TIMEOUT_S,
                             "next save")
        deadline = time.monotonic() + (extra_wait_s or 0.0)
        while time.monotonic() < deadline:  # the kill lands anywhere: typing, mid-commit...
            child.read(deadline - time.monotonic())
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        child.drain(timeout_s=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL, (process.returncode, child.tail())
    problems = [line for line in child.lines if line.startswith(("ERROR", "FAILED", "DONE"))]
    assert not problems, problems
    return child.lines


RUNS = [(seed, "paced") for seed in (11, 23, 37, 41, 58, 64, 79, 92)]
RUNS += [(105, "burst"), (109, "burst")]  # no pause at all; killed after a commit, then during one


@pytest.mark.parametrize(("seed", "mode"), RUNS, ids=[f"{m}-{s}" for s, m in RUNS])
def test_a_kill_while_typing_loses_no_saved_answer_and_leaves_a_sound_store(
        tmp_path: Path, seed: int, mode: str) -> None:
    rng = random.Random(seed)
    interview_id, baseline = _prepare(tmp_path / "foyers.mdk")
    saves = rng.randint(3, 24) if mode == "paced" else rng.randint(6, 14)
    # right after a commit, while the next one is written, or a little later (typing)
    extra_wait_s = rng.choice((0.0, None, rng.uniform(0.0, 0.05)))

    lines = _kill_after_saves(tmp_path, interview_id, seed, mode, saves, extra_wait_s)

    allowed = _allowed(lines, baseline)
    assert sum(line.startswith("SAVED ") for line in lines) >= saves
    workspace = unlock_workspace(tmp_path / "foyers.mdk", PASSPHRASE)
    try:
        assert workspace.check() == []
        stored = _raw_answers(workspace, interview_id)
        for key in {*allowed, *baseline, *stored}:
            value = stored.get(key, ABSENT)
            expected = allowed.get(key, {baseline.get(key, ABSENT)})
            assert value in expected, f"{key}: stored {value}, expected one of {expected}"
        raw = {key: json.loads(value) for key, value in stored.items()}
        InterviewState.from_answers(raw, strict=True)  # every value readable
        view = workspace.interviews.open(interview_id)
        assert view.summary.status == "draft"
    finally:
        workspace.close()
