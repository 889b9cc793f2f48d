"""`mediadesk gdpr export` and `mediadesk retention`, run in-process."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import pyzipper

from mediadesk.cli import run
from mediadesk.domain.enums import Role
from mediadesk.services.workspace import create_workspace, unlock_workspace
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import Household
from tests.cli.test_cli import PASS
from tests.services.dossier_builder import PERSONAL, build_full_household
from tests.services.roles import set_role


def _make_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                role: Role) -> tuple[Path, str]:
    path = tmp_path / "equipe.mdk"
    workspace = create_workspace(path, PASS, user_name="Awa Diallo", kdf=TEST_KDF)
    try:
        household = build_full_household(workspace)
        set_role(workspace, role)  # never synced: the local role stands
    finally:
        workspace.close()
    monkeypatch.setenv("MEDIADESK_PASSPHRASE", PASS)
    return path, str(household)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A store whose user is a team lead, holding one dossier (of their team)."""
    return _make_store(tmp_path, monkeypatch, Role.TEAM_LEAD)


def _name_and_backups(path: Path, household: str) -> tuple[str, int]:
    workspace = unlock_workspace(path, PASS)
    try:
        with workspace.opened.sessions() as session:
            row = session.get(Household, uuid.UUID(household))
            assert row is not None
            return row.name, len(workspace.backups.backups())
    finally:
        workspace.close()


def test_gdpr_export_writes_an_encrypted_archive(store: tuple[Path, str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path, household = store
    monkeypatch.setenv("MEDIADESK_EXPORT_PASSWORD", "un mot de passe solide")
    out = tmp_path / "acces.zip"
    assert run(["gdpr", "export", "--store", str(path), "--household", household,
                "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "chiffrée" in printed and "mot de passe" in printed
    with pyzipper.AESZipFile(out) as archive:
        archive.setpassword(b"un mot de passe solide")
        assert PERSONAL["household.name"] in archive.read("dossier.json").decode()


def test_gdpr_export_refuses_a_short_password(store: tuple[Path, str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path, household = store
    monkeypatch.setenv("MEDIADESK_EXPORT_PASSWORD", "court")
    assert run(["gdpr", "export", "--store", str(path), "--household", household,
                "--out", str(tmp_path / "a.zip")]) == 2
    assert not (tmp_path / "a.zip").exists()


def test_retention_lists_and_anonymises_only_when_confirmed(
    store: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, household = store
    assert run(["retention", "--store", str(path), "--dry-run", "--today", "2026-06-01"]) == 0
    assert household in capsys.readouterr().out
    assert run(["retention", "--store", str(path), "--apply-anonymise", household]) == 2
    assert run(["retention", "--store", str(path), "--apply-anonymise", household,
                "--yes"]) == 0
    assert "anonymisé" in capsys.readouterr().out
    assert run(["retention", "--store", str(path), "--today", "2026-06-01"]) == 0
    assert household not in capsys.readouterr().out


def test_a_mediator_may_list_but_is_refused_the_anonymisation_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, household = _make_store(tmp_path, monkeypatch, Role.MEDIATOR)
    assert run(["retention", "--store", str(path), "--today", "2026-06-01"]) == 0
    assert household in capsys.readouterr().out
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "OUI")
    for confirm in ([], ["--yes"]):
        assert run(["retention", "--store", str(path), "--apply-anonymise", household,
                    *confirm]) == 2
        assert "Seul un responsable de l'équipe du dossier" in capsys.readouterr().err
    assert asked == []
    assert _name_and_backups(path, household) == (PERSONAL["household.name"], 0)
