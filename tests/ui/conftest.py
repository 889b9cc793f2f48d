"""Fixtures of the desktop shell tests: Qt offscreen, a shell per test on its own store, cheap
key derivation, and a store already holding a few households."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import create_workspace
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.ui.shell import Shell
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory


@pytest.fixture
def ui_store(tmp_path: Path) -> Path:
    """A store with three households, closed again (the shell will unlock it)."""
    path = tmp_path / "foyers.mdk"
    workspace = create_workspace(path, UI_PASSPHRASE, user_name="Awa Diallo", kdf=TEST_KDF)
    try:
        dossiers = workspace.dossiers
        dossiers.create_household(HouseholdDraft(
            name="Famille Martin", street="12 rue des Lilas", postal_code="75011", city="Paris",
            languages=("fr",), phones=(PhoneDraft("06 12 34 56 78", "valid"),),
            members=(MemberDraft("Sylvie", "Martin", "holder", 1971),),
        ))
        dossiers.create_household(HouseholdDraft(
            name="Famille Benali", street="3 avenue Jean Jaurès", postal_code="69007",
            city="Lyon", languages=("ar", "fr"), interpreter_needed=True,
            phones=(PhoneDraft("07 98 76 54 32", "no_answer"),),
        ))
        dossiers.create_household(HouseholdDraft(
            name="Famille Nguyen", street="8 impasse des Tilleuls", postal_code="13001",
            city="Marseille",
        ))
    finally:
        workspace.close()
    return path


@pytest.fixture
def make_shell(qtbot: QtBot) -> Iterator[ShellFactory]:
    """Build a shown `Shell` on a store path; closed (and its workers stopped) at teardown."""
    shells: list[Shell] = []

    def make(path: Path, **options: Any) -> Shell:
        options.setdefault("create", partial(create_workspace, kdf=TEST_KDF))
        options.setdefault("demo_households", 20)
        shell = Shell(path, **options)
        qtbot.addWidget(shell)
        shell.show()
        shells.append(shell)
        return shell

    yield make
    for shell in shells:
        shell.close()
