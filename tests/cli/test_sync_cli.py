"""`mediadesk sync` as a mediator's laptop runs it: real processes, a real server over TLS
(a local CA made with trustme), real encrypted stores."""

from __future__ import annotations

import hashlib
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from tests.cli.test_cli import PASS, assert_clean_failure, run
from tests.services.listing.files import csv_bytes, people
from tests.sync.server.processes import server_process


@dataclass
class TlsServer:
    url: str
    db: str
    ca: Path
    cert: Path

    def admin(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "mediadesk.sync.server.cli", "admin", "--db", self.db, *args],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout


def _certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A certificate for 127.0.0.1 from a new local authority: (certificate, key, CA)."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = folder / "cert.pem", folder / "key.pem", folder / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    return cert_file, key_file, ca_file


def _fingerprint(cert_file: Path) -> str:
    """The SHA-256 fingerprint of the server certificate in ``cert_file``, computed here."""
    text = cert_file.read_text()
    start = text.index("-----BEGIN CERTIFICATE-----")
    end = text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(text[start:end])).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, 64, 2))


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    folder = tmp_path_factory.mktemp("server")
    cert_file, key_file, ca_file = _certificate(folder)
    db = f"sqlite:///{folder / 'server.sqlite3'}"
    with server_process(db, folder / "server.log", tls=(cert_file, key_file, ca_file)) as url:
        server = TlsServer(url, db, ca_file, cert_file)
        server.admin("create-team", "Vaulx-en-Velin")
        for email in ("awa@pimms.test", "paul@pimms.test"):
            server.admin("add-user", email, "--team", "Vaulx-en-Velin", "--role", "mediator")
        yield server


def _code(server: TlsServer, email: str) -> str:
    return server.admin("enrol", email).strip().splitlines()[-1]


def _store(folder: Path, name: str) -> Path:
    store = folder / f"{name}.mdk"
    assert run("init", "--store", str(store), "--user", name, new=PASS).returncode == 0
    return store


def test_two_laptops_sync_through_the_server(tls_server: TlsServer, tmp_path: Path) -> None:
    awa, paul = _store(tmp_path, "awa"), _store(tmp_path, "paul")
    listing = tmp_path / "semaine.csv"
    listing.write_bytes(csv_bytes(people(3)))
    assert run("import-listing", "--store", str(awa), str(listing)).returncode == 0

    first = run("sync", "--store", str(awa), "--server", tls_server.url, "--ca-cert",
                str(tls_server.ca), "--enrol", _code(tls_server, "awa@pimms.test"))
    assert first.returncode == 0, first.stderr
    assert "Poste inscrit pour awa@pimms.test" in first.stdout
    assert "modifications envoyées" in first.stdout

    joined = run("sync", "--store", str(paul), "--server", tls_server.url, "--ca-cert",
                 str(tls_server.ca), "--enrol", _code(tls_server, "paul@pimms.test"))
    assert joined.returncode == 0, joined.stderr
    name = people(3)[0][0]
    found = run("find", "--store", str(paul), name)
    assert name in found.stdout, found.stdout

    again = run("sync", "--store", str(paul), "--ca-cert", str(tls_server.ca))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1].startswith("0 modification")  # nothing new


def test_a_server_whose_certificate_is_not_trusted_is_refused(tls_server: TlsServer,
                                                              tmp_path: Path) -> None:
    store = _store(tmp_path, "lea")
    stranger = tmp_path / "autre-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    result = run("sync", "--store", str(store), "--server", tls_server.url, "--ca-cert",
                 str(stranger), "--enrol", "ABCDEFGH")
    assert_clean_failure(result, 9, "certificat")


def test_a_used_enrolment_code_is_refused(tls_server: TlsServer, tmp_path: Path) -> None:
    code = _code(tls_server, "awa@pimms.test")
    first = _store(tmp_path, "un")
    ok = run("sync", "--store", str(first), "--server", tls_server.url, "--ca-cert",
             str(tls_server.ca), "--enrol", code)
    assert ok.returncode == 0, ok.stderr
    second = _store(tmp_path, "deux")
    refused = run("sync", "--store", str(second), "--server", tls_server.url, "--ca-cert",
                  str(tls_server.ca), "--enrol", code)
    assert_clean_failure(refused, 10, "déjà utilisé")


def test_a_revoked_laptop_is_wiped_and_told_why(tls_server: TlsServer, tmp_path: Path) -> None:
    store = _store(tmp_path, "perdu")
    enrolled = run("sync", "--store", str(store), "--server", tls_server.url, "--ca-cert",
                   str(tls_server.ca), "--enrol", _code(tls_server, "paul@pimms.test"))
    assert enrolled.returncode == 0, enrolled.stderr
    devices = tls_server.admin("devices").splitlines()
    newest = devices[-1].split()[0]
    tls_server.admin("revoke", newest)
    result = run("sync", "--store", str(store), "--ca-cert", str(tls_server.ca))
    assert_clean_failure(result, 11, "")
    assert not store.exists()
    assert not store.with_name(store.name + ".keys").exists()


def test_a_demo_store_never_syncs(tls_server: TlsServer, tmp_path: Path) -> None:
    store = tmp_path / "demo.mdk"
    assert run("demo", "--store", str(store), "--households", "3", new=PASS).returncode == 0
    result = run("sync", "--store", str(store), "--server", tls_server.url, "--ca-cert",
                 str(tls_server.ca), "--enrol", _code(tls_server, "awa@pimms.test"))
    assert_clean_failure(result, 8, "démonstration")


def test_an_unknown_certificate_is_accepted_only_with_its_fingerprint_then_pinned(
        tls_server: TlsServer, tmp_path: Path) -> None:
    store = _store(tmp_path, "ines")
    expected = _fingerprint(tls_server.cert)
    code = _code(tls_server, "awa@pimms.test")
    unknown = run("sync", "--store", str(store), "--server", tls_server.url, "--enrol", code)
    assert_clean_failure(unknown, 9, "n'est pas reconnu par ce poste")
    assert expected in unknown.stderr and "--fingerprint" in unknown.stderr

    wrong = "AB:" * 31 + "AB"
    refused = run("sync", "--store", str(store), "--server", tls_server.url, "--enrol", code,
                  "--fingerprint", wrong)
    assert_clean_failure(refused, 9, "ne correspond pas")

    typed = expected.replace(":", "").lower()  # as pasted from another tool
    enrolled = run("sync", "--store", str(store), "--server", tls_server.url, "--enrol", code,
                   "--fingerprint", typed)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Poste inscrit pour awa@pimms.test" in enrolled.stdout
    # later syncs trust the pinned certificate without --ca-cert nor --fingerprint
    again = run("sync", "--store", str(store))
    assert again.returncode == 0, again.stderr


def test_a_changed_certificate_is_refused_until_its_new_fingerprint_is_confirmed(
        tls_server: TlsServer, tmp_path: Path) -> None:
    store = _store(tmp_path, "yanis")
    enrolled = run("sync", "--store", str(store), "--server", tls_server.url, "--enrol",
                   _code(tls_server, "paul@pimms.test"), "--fingerprint",
                   _fingerprint(tls_server.cert))
    assert enrolled.returncode == 0, enrolled.stderr
    # the same server's data behind another certificate: a moved server, or an interception
    other = tmp_path / "autre"
    other.mkdir()
    cert, key, ca = _certificate(other)
    with server_process(tls_server.db, other / "server.log", tls=(cert, key, ca)) as moved:
        changed = run("sync", "--store", str(store), "--server", moved)
        assert_clean_failure(changed, 9, "a changé depuis l'inscription")
        assert "intercepter" in changed.stderr

        confirmed = run("sync", "--store", str(store), "--fingerprint", _fingerprint(cert))
        assert confirmed.returncode == 0, confirmed.stderr
        again = run("sync", "--store", str(store))
        assert again.returncode == 0, again.stderr
    back = run("sync", "--store", str(store), "--server", tls_server.url)
    assert_clean_failure(back, 9, "a changé depuis l'inscription")  # only the new one now


def _overwrite_cities(store: Path, count: int, city: str) -> None:
    """A colleague's laptop rewriting the city of ``count`` of its dossiers (in process, on
    the same encrypted store the command line uses)."""
    from sqlalchemy import select

    from mediadesk.services.workspace import unlock_workspace
    from mediadesk.store.models import Household

    workspace = unlock_workspace(store, PASS)
    try:
        with workspace.opened.sessions.begin() as session:
            rows = session.scalars(select(Household).where(Household.deleted_at.is_(None))
                                   .order_by(Household.name).limit(count)).all()
            assert len(rows) == count
            for household in rows:
                household.city = city
    finally:
        workspace.close()


def test_a_mass_overwrite_stops_with_a_message_until_confirmed(tls_server: TlsServer,
                                                               tmp_path: Path) -> None:
    tls_server.admin("create-team", "Bron")
    for email in ("ana@pimms.test", "leo@pimms.test"):
        tls_server.admin("add-user", email, "--team", "Bron", "--role", "mediator")
    ana, leo = _store(tmp_path, "ana"), _store(tmp_path, "leo")
    listing = tmp_path / "campagne.csv"
    listing.write_bytes(csv_bytes(people(100, seed=9)))
    assert run("import-listing", "--store", str(ana), str(listing)).returncode == 0
    for store, email in ((ana, "ana@pimms.test"), (leo, "leo@pimms.test")):
        enrolled = run("sync", "--store", str(store), "--server", tls_server.url, "--ca-cert",
                       str(tls_server.ca), "--enrol", _code(tls_server, email))
        assert enrolled.returncode == 0, enrolled.stderr  # leo's first sync: 100 new dossiers
    _overwrite_cities(ana, 80, "Perpignan")
    assert run("sync", "--store", str(ana)).returncode == 0

    stopped = run("sync", "--store", str(leo))
    assert_clean_failure(stopped, 8, "modifierait d'un coup des informations déjà connues "
                                     "de 80 dossiers sur 100")
    assert "ana" in stopped.stderr and "confirmant" in stopped.stderr
    assert "Perpignan" not in run("find", "--store", str(leo), "Perpignan").stdout

    confirmed = run("sync", "--store", str(leo), "--confirm-mass-changes")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "80 modifications reçues" in confirmed.stdout
    assert "Perpignan" in run("find", "--store", str(leo), "Perpignan").stdout
