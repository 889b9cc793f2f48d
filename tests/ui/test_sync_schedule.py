"""When the sync panel syncs by itself (ui/sync_schedule.py), with short real timers."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from mediadesk.ui.sync_schedule import SyncSchedule

NEVER_MS = 600_000


def test_a_busy_store_is_tried_again_soon_and_a_sync_meanwhile_replaces_the_retry(
    qtbot: QtBot,
) -> None:
    schedule = SyncSchedule(period_ms=NEVER_MS, after_edit_ms=NEVER_MS, busy_retry_ms=50)
    schedule.enrolled()
    schedule.busy()
    assert schedule.retry_pending()
    with qtbot.waitSignal(schedule.due, timeout=10_000):
        pass
    assert not schedule.retry_pending()

    schedule.busy()
    schedule.started()  # a sync started by hand: no retry on top of it
    assert not schedule.retry_pending()
    with qtbot.assertNotEmitted(schedule.due, wait=200):
        pass
    schedule.stop()


def test_an_edit_makes_a_sync_due_a_little_later_and_stop_cancels_everything(
    qtbot: QtBot,
) -> None:
    schedule = SyncSchedule(period_ms=NEVER_MS, after_edit_ms=50, busy_retry_ms=NEVER_MS)
    schedule.edited()
    with qtbot.waitSignal(schedule.due, timeout=10_000):
        pass
    schedule.edited()
    schedule.soon(50)
    schedule.busy()
    schedule.stop()
    with qtbot.assertNotEmitted(schedule.due, wait=200):
        pass
