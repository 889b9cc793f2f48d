"""Enrolment codes, device secrets, access tokens and revocation."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from mediadesk.sync.errors import AuthError, DeviceRevoked
from mediadesk.sync.protocol import ErrorCode, SyncRequest
from mediadesk.sync.server import admin, db
from tests.sync.server.fixtures import Server, wire


def test_an_enrolment_code_works_once(server: Server) -> None:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    code = server.code("awa@exemple.fr")
    client = server.client()
    enrolled = client.enrol(code, uuid.uuid4().hex, "Portable d'Awa")
    assert enrolled.user.email == "awa@exemple.fr"
    assert [t.id for t in enrolled.teams] == [team]
    with pytest.raises(AuthError) as refused:
        client.enrol(code, uuid.uuid4().hex, "Second portable")
    assert refused.value.code == ErrorCode.BAD_CREDENTIALS
    assert "déjà utilisé" in (refused.value.server_message or "")


def test_an_expired_enrolment_code_is_refused(server: Server) -> None:
    server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    code = server.code("awa@exemple.fr")
    server.clock.advance_s(server.settings.enrol_code_ttl_s + 1)
    with pytest.raises(AuthError):
        server.client().enrol(code, uuid.uuid4().hex, "Portable")


def test_codes_and_secrets_are_stored_only_as_hashes(server: Server) -> None:
    server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    with server.engine.begin() as conn:
        stored: str = conn.execute(select(db.device.c.secret_hash)).scalar_one()
        codes: list[str] = list(conn.execute(select(db.enrolment.c.code_hash)).scalars())
    assert device.secret not in stored and stored.startswith("scrypt$")
    assert all("-" not in code and len(code) == 64 for code in codes)


def test_a_wrong_secret_gets_no_token(server: Server) -> None:
    server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    with pytest.raises(AuthError) as refused:
        device.client.token(device.id, device.secret[:-2] + "zz")
    assert refused.value.code == ErrorCode.BAD_CREDENTIALS


def test_a_token_expires(server: Server) -> None:
    server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    device.pull()
    server.clock.advance_s(server.settings.token_ttl_s + 1)
    with pytest.raises(AuthError) as refused:
        device.pull()
    assert refused.value.code == ErrorCode.UNAUTHORIZED
    device.token = device.client.token(device.id, device.secret).access_token
    assert device.pull().teams


def test_a_forged_or_other_device_token_is_refused(server: Server) -> None:
    server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    ident, expiry, mac = device.token.split(".")
    for forged in (f"{uuid.uuid4().hex}.{expiry}.{mac}", f"{ident}.{int(expiry) + 1}.{mac}",
                   "abc", "", "a.b.c"):  # fmt: skip
        with pytest.raises(AuthError):
            device.client.sync(forged, SyncRequest())


def test_a_revoked_device_is_refused_at_once_even_with_a_valid_token(server: Server) -> None:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    device.push([wire(team)])
    admin.revoke(server.engine, device.id, server.clock())
    with pytest.raises(DeviceRevoked) as refused:
        device.push([wire(team)])
    assert "effacées" in str(refused.value)
    with pytest.raises(DeviceRevoked):
        device.client.token(device.id, device.secret)
    with pytest.raises(DeviceRevoked):
        device.client.enrol(server.code("awa@exemple.fr"), device.id, "Portable")
    with server.engine.begin() as conn:
        assert conn.execute(select(db.op.c.seq)).scalars().all() == [1]
