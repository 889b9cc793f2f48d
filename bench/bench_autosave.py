"""Interview autosave and the wizard's responsiveness, on the 50,000-household encrypted store.

(a) Field saves on the writer lane: ``InterviewService.save_answer`` as the wizard sends it
    (one call per answer, in its own transaction) through a real `TaskRunner` WRITER lane, on a
    draft interview of one household of the demo store: a seeded mix of text typed as it grows
    (the values a 400 ms debounce lets through), radio answers, amounts, list items (the
    supplier's exchanges, next steps: the whole list each time) and a few consents (mirrored
    into the dossier). Timed in the worker (the call) and from submit to the GUI thread's
    ``on_done`` (round trip). 20 warm-up saves first.
(b) GUI stalls while typing: the real `InterviewWizard` (offscreen), shown on a new draft
    interview, with the real 400 ms debounce and the writer lane. Every text input of the six
    steps is typed with QTest at a steady pace (``--key-ms`` between keys, default 60 ms, about
    160 words a minute), steps changed with Ctrl+1..6, a row added to each list (its text inputs
    typed too) and the consents' dates typed. A 5 ms QTimer on the GUI thread records the gaps
    between its ticks: the longest gap is the longest time the window could not react.
(c) Step switches: from asking for a step (alternately `InterviewWizard.go_to`, Ctrl+digit and a
    row of the stepper) to the new page painted (its Paint event handled, pending events
    processed), on the interview typed in (b).

Usage: python bench/bench_autosave.py [--households 50000] [--store PATH] [--saves 400]
                                      [--key-ms 60] [--switches 120]
  The store is the cached demo store of bench_demo.py ($TMPDIR/mediadesk-bench/demo-N.mdk,
  built once when missing), or --store PATH. One household "Foyer de mesure (saisie)" is added
  to it once; each run adds two draft interviews to it.
Final line: JSON (targets: save p95 <= 10 ms; no GUI gap > 50 ms; step switch p95 <= 100 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from sqlalchemy import select

from bench_demo import demo_workspace, percentile
from mediadesk.domain.enums import Actor, ContactChannel, InterviewPlace
from mediadesk.interview import (
    QUESTIONS,
    Answer,
    Consent,
    ConsentMethod,
    PlannedStep,
    Step,
    SupplierContact,
)
from mediadesk.interview.state import field_spec
from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import Household
from mediadesk.ui.interview.fields import DateField, FreeText, MoneyField, TextField
from mediadesk.ui.interview.parse import show_day
from mediadesk.ui.interview.records import ConsentEditor, RecordRows
from mediadesk.ui.interview.wizard import InterviewWizard
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

SAVE_P95_TARGET_MS = 10.0
STALL_TARGET_MS = 50.0
SWITCH_P95_TARGET_MS = 100.0
TICK_MS = 5
NAME = "Foyer de mesure (saisie)"
WARM_UP = 20
FIELD_PAUSE_MS = 450  # after each input: the debounce (400 ms) fires while nothing is typed
SENTENCES = (
    "Rencontre au guichet avec Mme Martin et son fils",
    "Facture de regularisation de mars non comprise, echeancier refuse en janvier",
    "Le fournisseur confirme une dette de 840 euros, relance par courrier recu",
    "Proposer un echeancier sur dix mois et verifier le cheque energie",
    "Appeler le service client avec la personne, puis envoyer l'attestation",
    "Dossier FSL a monter avec l'assistante sociale du secteur",
)


# --- shared ---------------------------------------------------------------------------------

def bench_household(workspace: Workspace) -> uuid.UUID:
    """The household the interviews are typed for, created once in the store."""
    with workspace.opened.sessions() as session:
        existing = session.scalars(select(Household.id).where(Household.name == NAME)).first()
    if existing is not None:
        return existing
    dossier = workspace.dossiers.create_household(HouseholdDraft(
        name=NAME, street="5 rue des Essais", postal_code="93200", city="Saint-Denis",
        languages=("fr",), phones=(PhoneDraft("06 39 98 00 02"),),
        members=(MemberDraft("Awa", "Traore", "holder", 1980),)))
    return dossier.household.id


def spread(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(values, 0.5), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "p99_ms": round(percentile(values, 0.99), 2),
            "max_ms": round(max(values), 2), "mean_ms": round(statistics.fmean(values), 2)}


def wait_for(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Run the event loop until ``condition`` holds (checked after every batch of events: no
    polling delay; a 5 ms timer only bounds the wait when no event comes)."""
    deadline = time.monotonic() + timeout_s
    waker = QTimer()
    waker.start(TICK_MS)
    try:
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the event loop did not get there in time")
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        waker.stop()


# --- (a) field saves on the writer lane -----------------------------------------------------

def save_plan(count: int, today: date, seed: int = 2026) -> list[tuple[str, str, object]]:
    """(kind, key, value) as the wizard sends them while an interview is typed."""
    rng = random.Random(seed)
    text_keys = ("reception.person_met", "situation.notes", "options.notes",
                 "supplier.supplier_name", "supplier.discrepancies", "follow_up.note",
                 "closing.summary")
    money_keys = ("situation.declared_debt_cents", "situation.monthly_income_cents",
                  "situation.monthly_charges_cents", "supplier.supplier_amount_cents",
                  "supplier.proposed_monthly_cents", "supplier.supplier_monthly_cents")
    typed: dict[str, int] = {}
    contacts: list[SupplierContact] = []
    steps: list[PlannedStep] = []

    def text() -> tuple[str, object]:
        key = rng.choice(text_keys)
        sentence = SENTENCES[text_keys.index(key) % len(SENTENCES)] + " ; " + rng.choice(
            SENTENCES)
        typed[key] = min(len(sentence), typed.get(key, 0) + rng.randint(3, 15))
        return key, sentence[:typed[key]]

    def radio() -> tuple[str, object]:
        if rng.random() < 0.2:
            return "reception.place", rng.choice(list(InterviewPlace))
        return rng.choice(QUESTIONS).key, rng.choice(list(Answer))

    def money() -> tuple[str, object]:
        return rng.choice(money_keys), rng.randint(1, 300_000) * 100

    def list_item() -> tuple[str, object]:
        if rng.random() < 0.5:
            if not contacts or (len(contacts) < 6 and rng.random() < 0.3):
                contacts.append(SupplierContact(on=today, channel=ContactChannel.PHONE))
            index = rng.randrange(len(contacts))
            contacts[index] = replace(contacts[index], summary=rng.choice(SENTENCES)[
                :rng.randint(5, 60)])
            return "supplier.contacts", tuple(contacts)
        if not steps or (len(steps) < 5 and rng.random() < 0.3):
            steps.append(PlannedStep(actor=Actor.HOUSEHOLD,
                                     due_on=today + timedelta(days=7 * (len(steps) + 1))))
        index = rng.randrange(len(steps))
        steps[index] = replace(steps[index], description=rng.choice(SENTENCES)[
            :rng.randint(5, 60)])
        return "next_step.steps", tuple(steps)

    def consent() -> tuple[str, object]:
        kind = rng.choice(("mediation", "storage", "social_worker_sharing"))
        return f"reception.consent.{kind}", Consent(
            given_on=today - timedelta(days=rng.randint(0, 3)), method=ConsentMethod.ORAL)

    makers: dict[str, Callable[[], tuple[str, object]]] = {
        "text": text, "radio": radio, "amount": money, "list": list_item, "consent": consent}
    weights = {"text": 45, "radio": 20, "amount": 15, "list": 15, "consent": 5}
    kinds = rng.choices(list(weights), list(weights.values()), k=count)
    return [(kind, *makers[kind]()) for kind in kinds]


def bench_saves(workspace: Workspace, household_id: uuid.UUID, runner: TaskRunner,
                count: int) -> dict[str, Any]:
    service = workspace.interviews
    today = date.today()
    interview = service.start(household_id)
    service.save_answer(interview.id, "reception.consent.supplier_exchange",
                        Consent(given_on=today, method=ConsentMethod.ORAL))
    plan = save_plan(WARM_UP + count, today)
    calls: list[tuple[str, float]] = []
    trips: list[float] = []
    for index, (kind, key, value) in enumerate(plan):
        done: list[float] = []

        def work(_state: TaskState, key: str = key, value: object = value) -> float:
            started = time.perf_counter()
            service.save_answer(interview.id, key, value)
            return (time.perf_counter() - started) * 1000

        submitted = time.perf_counter()
        runner.submit(f"interview-save:{interview.id}:{key}", work, lane=Lane.WRITER,
                      on_done=done.append)
        wait_for(partial(bool, done))
        if index >= WARM_UP:
            calls.append((kind, done[0]))
            trips.append((time.perf_counter() - submitted) * 1000)
    by_kind = {kind: {**spread([ms for k, ms in calls if k == kind]),
                      "n": sum(1 for k, _ in calls if k == kind)}
               for kind in dict.fromkeys(k for k, _ in calls)}
    return {"n": len(calls), **spread([ms for _, ms in calls]),
            "round_trip": spread(trips), "by_kind": by_kind}


# --- (b) typing through the wizard, (c) step switches ---------------------------------------

class TickGaps(QObject):
    """A 5 ms timer on the GUI thread; the gaps between its ticks, with what was being done."""

    def __init__(self) -> None:
        super().__init__()
        self.doing = ""
        self.gaps: list[float] = []
        self.worst: list[tuple[float, str]] = []
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self._last = now
        self.gaps.append(gap)
        if gap > 3 * TICK_MS:
            self.worst.append((gap, self.doing))


def day_for(key: str, today: date) -> date:
    later = any(word in key for word in ("due", "until", "check", "plan_start"))
    return today + timedelta(days=21) if later else today - timedelta(days=12)


def go_to_with_keys(wizard: InterviewWizard, step: Step) -> None:
    where: QWidget = QApplication.focusWidget() or wizard
    QTest.keyClick(where, Qt.Key(Qt.Key.Key_1.value + int(step) - 1),
                   Qt.KeyboardModifier.ControlModifier)
    if wizard.current_step() is not step:
        raise RuntimeError(f"Ctrl+{int(step)} did not show step {int(step)}")


def focus(widget: QWidget) -> None:
    """Give ``widget`` the focus and scroll it into sight, as Tab does."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    if QApplication.focusWidget() is not widget:  # disabled (consent missing?) or hidden
        raise RuntimeError(f"cannot type into {widget.accessibleName()!r}")
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


@dataclass
class Act:
    """One thing the typist does, ``delay_ms`` after the previous one. ``do`` may return
    more acts, done next (a new row's inputs exist only once the row is added)."""

    delay_ms: int
    label: str
    do: Callable[[], list[Act] | None]
    keys: int = 0


def typing_acts(widget: QWidget, text: str, label: str, key_ms: int) -> list[Act]:
    """Focus ``widget``, type ``text`` one key every ``key_ms``, then pause."""
    def key(char: str) -> Callable[[], None]:
        return lambda: QTest.keyClicks(widget, char)  # no delay: the event loop paces it

    return [Act(key_ms, label, lambda: focus(widget)),
            *(Act(key_ms, label, key(char), keys=1) for char in text),
            Act(FIELD_PAUSE_MS, label, lambda: None)]


def interview_acts(wizard: InterviewWizard, today: date, key_ms: int) -> list[Act]:
    """Every text input of the six steps, in order: step changes with Ctrl+digit, consents'
    dates, lines, amounts, free text, and a new row of each list with its text inputs."""
    rng = random.Random(7)

    def text_for(widget: QWidget, key: str) -> str:
        if isinstance(widget, DateField):
            return show_day(day_for(key, today))
        if isinstance(widget, MoneyField):
            return str(rng.randint(30, 2_000))
        return rng.choice(SENTENCES)

    def new_row(rows: RecordRows[Any], key: str) -> Callable[[], list[Act]]:
        def add() -> list[Act]:
            focus(rows.add)
            QTest.keyClick(rows.add, Qt.Key.Key_Space)
            acts: list[Act] = []
            for widget in rows.row_inputs(rows.row_count() - 1):
                if isinstance(widget, TextField):
                    widget.clear()  # a new row may hold today's date already
                    acts += typing_acts(widget, text_for(widget, key), key, key_ms)
            return acts

        return add

    inputs: list[tuple[Step, list[Act]]] = []
    for binding in wizard.form:
        key, field = binding.key, binding.field
        step = field_spec(key).step
        if isinstance(field, ConsentEditor):
            inputs.append((step, typing_acts(field.given, text_for(field.given, key),
                                             f"{key} (given on)", key_ms)))
        elif isinstance(field, FreeText):
            inputs.append((step, typing_acts(field.edit, rng.choice(SENTENCES), key, key_ms)))
        elif isinstance(field, TextField):
            inputs.append((step, typing_acts(field, text_for(field, key), key, key_ms)))
        elif isinstance(field, RecordRows):
            inputs.append((step, [Act(key_ms, f"{key} (new row)", new_row(field, key))]))
    acts: list[Act] = []
    current = wizard.current_step()
    for step, typed in sorted(inputs, key=lambda item: int(item[0])):  # stable: page order
        if step is not current:
            acts.append(Act(key_ms, f"Ctrl+{int(step)}", partial(go_to_with_keys, wizard, step)))
            acts.append(Act(FIELD_PAUSE_MS, f"Ctrl+{int(step)}", lambda: None))
            current = step
        acts += typed
    return acts


def play(acts: list[Act], gaps: TickGaps) -> int:
    """Do ``acts`` from the Qt event loop (as real keys arrive: the loop idles in between);
    the keys typed."""
    queue = deque(acts)
    loop = QEventLoop()
    driver = QTimer()
    driver.setSingleShot(True)
    driver.setTimerType(Qt.TimerType.PreciseTimer)
    keys = 0
    failure: list[BaseException] = []

    def next_act() -> None:
        nonlocal keys
        act = queue.popleft()
        gaps.doing = act.label
        try:
            more = act.do()
        except Exception as exc:  # stop at once, say why after the loop
            failure.append(exc)
            loop.quit()
            return
        keys += act.keys
        queue.extendleft(reversed(more or []))
        if queue:
            driver.start(queue[0].delay_ms)
        else:
            loop.quit()

    driver.timeout.connect(next_act)
    driver.start(queue[0].delay_ms)
    loop.exec()
    if failure:
        raise failure[0]
    return keys


def bench_typing(wizard: InterviewWizard, key_ms: int) -> dict[str, Any]:
    acts = interview_acts(wizard, date.today(), key_ms)
    saved: list[str] = []
    wizard.saver.saved.connect(saved.append)
    gaps = TickGaps()
    started = time.perf_counter()
    gaps.start()
    keys = play(acts, gaps)
    gaps.doing = "waiting for the last saves"
    wait_for(wizard.saver.is_idle)
    gaps.stop()
    seconds = time.perf_counter() - started
    worst = sorted(gaps.worst, reverse=True)
    wizard.saver.saved.disconnect(saved.append)
    return {"keys": keys, "seconds": round(seconds, 1), "ticks": len(gaps.gaps),
            "saves": len(saved), "keys_saved": len(set(saved)),
            "errors_shown": wizard.form.errors(),
            "max_gap_ms": round(max(gaps.gaps), 1),
            "p99_gap_ms": round(percentile(gaps.gaps, 0.99), 1),
            "p50_gap_ms": round(percentile(gaps.gaps, 0.5), 1),
            "gaps_over_target": sum(1 for g in gaps.gaps if g > STALL_TARGET_MS),
            "worst": [f"{ms:.0f} ms: {what}" for ms, what in worst[:5]]}


class PaintWatch(QObject):
    """Notes when a watched widget handled a Paint event."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: set[QObject] = set()

    def shown(self, wizard: InterviewWizard, page: QWidget) -> bool:
        """``page`` is the wizard's current page and was painted."""
        return wizard.stack.currentWidget() is page and page in self.painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.add(watched)
        return False


def bench_switches(wizard: InterviewWizard, count: int) -> dict[str, Any]:
    rng = random.Random(11)
    watch = PaintWatch()
    pages: dict[Step, QWidget] = dict(wizard.pages)
    for page in pages.values():
        page.installEventFilter(watch)
    routes: dict[str, Callable[[Step], None]] = {
        "go_to": lambda step: wizard.go_to(step, focus=True),
        "Ctrl+digit": lambda step: go_to_with_keys(wizard, step),
        "stepper": lambda step: wizard.stepper.steps.setCurrentRow(int(step) - 1),
    }
    times: dict[str, list[float]] = {route: [] for route in routes}
    for index in range(count):
        step = rng.choice([s for s in Step if s is not wizard.current_step()])
        route = list(routes)[index % len(routes)]
        QTest.qWait(30)  # idle between two switches, as a person is
        watch.painted.clear()
        started = time.perf_counter()
        routes[route](step)
        wait_for(partial(watch.shown, wizard, pages[step]), timeout_s=5)
        QApplication.processEvents()
        times[route].append((time.perf_counter() - started) * 1000)
    every = [ms for values in times.values() for ms in values]
    return {"n": len(every), **spread(every),
            "by_route": {route: spread(values) for route, values in times.items()}}


def show_wizard(workspace: Workspace, household_id: uuid.UUID, runner: TaskRunner
                ) -> InterviewWizard:
    wizard = InterviewWizard(runner)
    wizard.set_service(workspace.interviews)
    wizard.show_interview(workspace.interviews.start(household_id))
    wizard.resize(1180, 760)
    wizard.show()
    wizard.activateWindow()
    QTest.qWaitForWindowExposed(wizard)
    wizard.go_to(Step.RECEPTION, focus=True)
    QTest.qWait(100)
    return wizard


# --- main -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--key-ms", type=int, default=60)
    parser.add_argument("--switches", type=int, default=120)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    workspace = demo_workspace(args.households, args.store)
    runner = TaskRunner()
    try:
        household_id = bench_household(workspace)
        saves = bench_saves(workspace, household_id, runner, args.saves)
        wizard = show_wizard(workspace, household_id, runner)
        typing = bench_typing(wizard, args.key_ms)
        switches = bench_switches(wizard, args.switches)
        wizard.flush()
        runner.wait_for_writes()
        wizard.close()
    finally:
        runner.shutdown()
        workspace.close()
    del app

    print(f"(a) {saves['n']} field saves on the writer lane, {args.households} households")
    print(f"    save_answer: p50 {saves['p50_ms']} ms, p95 {saves['p95_ms']} ms, "
          f"max {saves['max_ms']} ms, mean {saves['mean_ms']} ms")
    trip = saves["round_trip"]
    print(f"    submit -> on_done on the GUI thread: p50 {trip['p50_ms']} ms, "
          f"p95 {trip['p95_ms']} ms, max {trip['max_ms']} ms")
    for kind, row in saves["by_kind"].items():
        print(f"    {kind:<8} n={row['n']:<4} p50 {row['p50_ms']:>6} ms  "
              f"p95 {row['p95_ms']:>6} ms  max {row['max_ms']:>6} ms")
    print(f"(b) typing the whole interview: {typing['keys']} keys at {args.key_ms} ms, "
          f"{typing['seconds']} s, {typing['ticks']} ticks of a {TICK_MS} ms timer")
    print(f"    {typing['saves']} saves of {typing['keys_saved']} answers, "
          f"errors shown: {typing['errors_shown'] or 'none'}")
    print(f"    longest gap {typing['max_gap_ms']} ms, p99 {typing['p99_gap_ms']} ms, "
          f"p50 {typing['p50_gap_ms']} ms; gaps over {STALL_TARGET_MS:.0f} ms: "
          f"{typing['gaps_over_target']}")
    if typing["worst"]:
        print("    longest: " + "; ".join(typing["worst"]))
    print(f"(c) {switches['n']} step switches to the page painted: p50 {switches['p50_ms']} ms, "
          f"p95 {switches['p95_ms']} ms, max {switches['max_ms']} ms")
    for route, row in switches["by_route"].items():
        print(f"    {route:<10} p50 {row['p50_ms']:>6} ms  p95 {row['p95_ms']:>6} ms  "
              f"max {row['max_ms']:>6} ms")
    ok_save = saves["p95_ms"] <= SAVE_P95_TARGET_MS
    ok_stall = typing["max_gap_ms"] <= STALL_TARGET_MS
    ok_switch = switches["p95_ms"] <= SWITCH_P95_TARGET_MS
    print(f"targets: save p95 <= {SAVE_P95_TARGET_MS:.0f} ms {'met' if ok_save else 'MISSED'}; "
          f"no gap > {STALL_TARGET_MS:.0f} ms {'met' if ok_stall else 'MISSED'}; "
          f"switch p95 <= {SWITCH_P95_TARGET_MS:.0f} ms {'met' if ok_switch else 'MISSED'}")
    print(json.dumps({
        "benchmark": "autosave", "households": args.households, "saves": saves,
        "typing": {**typing, "key_ms": args.key_ms}, "step_switch": switches,
        "save_p95_target_ms": SAVE_P95_TARGET_MS, "stall_target_ms": STALL_TARGET_MS,
        "switch_p95_target_ms": SWITCH_P95_TARGET_MS,
        "ok": ok_save and ok_stall and ok_switch, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
