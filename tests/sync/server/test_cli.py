"""``mediadesk-server admin ...``: French messages, non-zero exit on errors, effects in the DB."""

from __future__ import annotations

import uuid

import pytest

from mediadesk.sync.errors import DeviceRevoked
from mediadesk.sync.server import admin
from mediadesk.sync.server.cli import main
from mediadesk.sync.server.settings import wall_ms
from tests.sync.server.fixtures import Server


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_admin_commands_set_up_a_team_and_enrol_a_device(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.clock.now = wall_ms()  # the CLI stamps codes with the real clock
    url = server.settings.db_url
    assert _run(capsys, "init", "--db", url)[0] == 0
    code, out, _ = _run(capsys, "admin", "--db", url, "create-team", "Nord")
    assert code == 0 and "Équipe « Nord » créée" in out
    code, out, _ = _run(capsys, "admin", "add-user", "awa@exemple.fr", "--team", "Nord",
                        "--role", "team_lead", "--db", url)  # fmt: skip
    assert code == 0 and "membre de l'équipe « Nord »" in out
    code, out, _ = _run(capsys, "admin", "--db", url, "enrol", "awa@exemple.fr")
    assert code == 0
    enrol_code = out.strip().splitlines()[-1]
    client = server.client()
    device_id = uuid.uuid4().hex
    enrolled = client.enrol(enrol_code, device_id, "Portable d'Awa")
    assert [(t.name, t.role) for t in enrolled.teams] == [("Nord", "team_lead")]

    code, out, _ = _run(capsys, "admin", "--db", url, "devices")
    assert device_id in out and "awa@exemple.fr" in out and "actif" in out
    assert _run(capsys, "admin", "--db", url, "revoke", device_id)[0] == 0
    assert "révoqué" in _run(capsys, "admin", "--db", url, "devices")[1]
    with pytest.raises(DeviceRevoked):
        client.token(device_id, enrolled.device_secret)

    code, out, _ = _run(capsys, "admin", "--db", url, "remove-member", "awa@exemple.fr",
                        "--team", "Nord")  # fmt: skip
    assert code == 0 and "n'est plus membre" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create-team", "Nord"), "existe déjà"),
        (("add-user", "awa@exemple.fr", "--team", "Sud", "--role", "mediator"), "Aucune équipe"),
        (("add-user", "pas-une-adresse", "--team", "Nord", "--role", "mediator"), "invalide"),
        (("enrol", "inconnu@exemple.fr"), "Aucun utilisateur"),
        (("revoke", "0" * 32), "Aucun appareil actif"),
        (("remove-member", "awa@exemple.fr", "--team", "Nord"), "Aucun utilisateur"),
    ],
)
def test_admin_errors_are_french_and_exit_non_zero(
    server: Server, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    admin.create_team(server.engine, "Nord")
    code, _, err = _run(capsys, "admin", "--db", server.settings.db_url, *args)
    assert code == 1 and message in err and err.startswith("Erreur : ")


def test_an_unknown_role_is_a_usage_error(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["admin", "--db", server.settings.db_url, "add-user", "a@b.fr", "--team", "Nord",
              "--role", "chef"])  # fmt: skip
    assert usage.value.code == 2
