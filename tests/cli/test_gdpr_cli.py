"""`mediadesk gdpr export` and `mediadesk retention`, run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
import pyzipper

from mediadesk.cli import run
from mediadesk.services.workspace import create_workspace
from mediadesk.store.keyslots import TEST_KDF
from tests.cli.test_cli import PASS
from tests.services.dossier_builder import PERSONAL, build_full_household


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = tmp_path / "equipe.mdk"
    workspace = create_workspace(path, PASS, user_name="Awa Diallo", kdf=TEST_KDF)
    try:
        household = build_full_household(workspace)
    finally:
        workspace.close()
    monkeypatch.setenv("MEDIADESK_PASSPHRASE", PASS)
    return path, str(household)


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
