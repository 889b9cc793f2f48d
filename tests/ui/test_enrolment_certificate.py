"""Enrolling from the app against a real server over TLS (uvicorn, a local CA from trustme that
this computer does not trust): the certificate is shown before the code is sent, pinned once
confirmed, and a changed certificate stops the syncs until a person confirms the new one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.services.sync import ServerCertificate, sync_service
from mediadesk.services.workspace import unlock_workspace
from mediadesk.ui.certificate_dialog import CertificateDialog
from mediadesk.ui.shell import Shell, State
from mediadesk.ui.sync_panel import SyncPanel
from mediadesk.ui.sync_texts import SyncState
from tests.cli.test_sync_cli import TlsServer, _certificate, _code, _fingerprint
from tests.sync.server.processes import server_process
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, unlock

EMAIL = "awa@pimms.test"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    folder = tmp_path_factory.mktemp("tls-server")
    cert, key, ca = _certificate(folder)
    db = f"sqlite:///{folder / 'server.sqlite3'}"
    with server_process(db, folder / "server.log", tls=(cert, key, ca)) as url:
        server = TlsServer(url, db, ca, cert)
        server.admin("create-team", "Lyon Est")
        server.admin("add-user", EMAIL, "--team", "Lyon Est", "--role", "mediator")
        yield server


class Answers:
    """Stands in for the person in front of `CertificateDialog.ask`: records what was shown."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.shown: list[tuple[ServerCertificate, bool]] = []

    def __call__(self, _parent: Any, certificate: ServerCertificate, *,
                 changed: bool = False) -> bool:
        self.shown.append((certificate, changed))
        return self.answer


def open_shell(qtbot: QtBot, make_shell: ShellFactory, path: Path) -> Shell:
    shell = make_shell(path)  # no client factory given: real HTTPS, trust as remembered
    shell.sync_panel.start_delay_ms = 600_000
    unlock(qtbot, shell)
    qtbot.waitUntil(lambda: shell.sync_panel.status() is not None, timeout=20_000)
    return shell


def enrol_from_the_app(qtbot: QtBot, panel: SyncPanel, url: str, code: str) -> None:
    dialog = panel.open_enrolment()
    assert dialog is not None
    qtbot.keyClicks(dialog.server, url)
    qtbot.keyClicks(dialog.code, code)
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)


def test_the_certificate_is_shown_before_the_code_is_sent_and_pinned_once_confirmed(
    qtbot: QtBot, make_shell: ShellFactory, ui_store: Path, tls: TlsServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = Answers(False)
    monkeypatch.setattr(CertificateDialog, "ask", person)
    shell = open_shell(qtbot, make_shell, ui_store)
    panel = shell.sync_panel
    code = _code(tls, EMAIL)

    enrol_from_the_app(qtbot, panel, tls.url, code)
    dialog = panel.enrol_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text().startswith("Inscription annulée")
    [(shown, changed)] = person.shown
    assert shown.sha256 == _fingerprint(tls.cert) and not changed
    assert not shown.trusted and "127.0.0.1" not in shown.issuer
    assert shown.not_before < shown.not_after

    person.answer = True  # the code was not sent: it still works once the person confirms
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.state is State.UNLOCK, timeout=15_000)
    assert len(person.shown) == 2
    unlock(qtbot, shell)
    qtbot.waitUntil(lambda: (s := panel.status()) is not None and s.enrolled, timeout=20_000)
    status = panel.status()
    assert status is not None and status.pinned_sha256 == _fingerprint(tls.cert)
    with qtbot.waitSignal(panel.synced, timeout=20_000):
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)


def test_a_changed_certificate_stops_the_syncs_until_the_new_one_is_confirmed(
    qtbot: QtBot, make_shell: ShellFactory, ui_store: Path, tls: TlsServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
    try:
        service = sync_service(workspace)
        certificate = service.server_certificate(tls.url)
        assert certificate is not None
        service.enrol(tls.url, _code(tls, EMAIL), certificate=certificate)
    finally:
        workspace.close()
    other = tmp_path / "autre"
    other.mkdir()
    cert, key, ca = _certificate(other)
    with server_process(tls.db, other / "server.log", tls=(cert, key, ca)) as moved:
        workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
        try:
            sync_service(workspace).set_server(moved)  # as if someone redirected the traffic
        finally:
            workspace.close()
        person = Answers(True)
        monkeypatch.setattr(CertificateDialog, "ask", person)
        shell = open_shell(qtbot, make_shell, ui_store)
        panel = shell.sync_panel

        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state is SyncState.ERROR, timeout=20_000)
        assert "a changé depuis l'inscription" in panel.detail.full_text()
        assert panel.certificate_button.isVisible() and not person.shown  # never asked unbidden

        with qtbot.waitSignal(panel.synced, timeout=20_000):
            qtbot.mouseClick(panel.certificate_button, Qt.MouseButton.LeftButton)
        [(shown, changed)] = person.shown
        assert changed and shown.sha256 == _fingerprint(cert)
        assert not panel.certificate_button.isVisible()
        qtbot.waitUntil(lambda: (s := panel.status()) is not None
                        and s.pinned_sha256 == _fingerprint(cert), timeout=20_000)


def test_the_dialog_compares_the_fingerprint_the_administrator_gave(
    qtbot: QtBot, tls: TlsServer,
) -> None:
    from mediadesk.services.sync import SyncService

    certificate = SyncService.server_certificate(tls.url)
    assert certificate is not None
    dialog = CertificateDialog(certificate)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text().replace("\n", ":") == _fingerprint(tls.cert)
    assert "ce poste n'acceptera plus que ce certificat-là" in dialog.trust.text()
    assert dialog.confirm_button.isEnabled()
    qtbot.keyClicks(dialog.expected, "AB" * 32)
    assert not dialog.confirm_button.isEnabled()
    assert "différentes" in dialog.comparison.text()
    dialog.expected.clear()
    qtbot.keyClicks(dialog.expected, _fingerprint(tls.cert).lower())
    assert dialog.confirm_button.isEnabled()
    assert "identiques" in dialog.comparison.text()
    changed = CertificateDialog(certificate, changed=True)
    qtbot.addWidget(changed)
    assert "intercepter" in changed.intro.text()
