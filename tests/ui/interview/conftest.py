"""A shell on a store with three households, unlocked, the Martin dossier open."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mediadesk.ui.shell import Shell
from tests.ui.helpers import ShellFactory, search_and_open, unlock
from tests.ui.interview.helpers import TODAY

FAST_SAVE_MS = 30  # the debounce itself is tested with its real delay


@pytest.fixture
def make_shell(make_shell: ShellFactory) -> ShellFactory:
    """Shells whose wizard judges dates against TODAY, the day the tests type and expect (taken
    when the helpers were imported), not the wall clock: a run going past midnight would
    otherwise give "Aujourd'hui" a date the test does not expect."""
    return partial(make_shell, today=lambda: TODAY)


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store, save_debounce_ms=FAST_SAVE_MS)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "martin")
    return shell
