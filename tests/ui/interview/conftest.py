"""A shell on a store with three households, unlocked, the Martin dossier open."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mediadesk.ui.shell import Shell
from tests.ui.helpers import ShellFactory, search_and_open, unlock

FAST_SAVE_MS = 30  # the debounce itself is tested with its real delay


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store, save_debounce_ms=FAST_SAVE_MS)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "martin")
    return shell
