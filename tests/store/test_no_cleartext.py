"""Nothing personal lands in clear on disk: store, WAL, shared memory, slots, backups."""

from __future__ import annotations

from pathlib import Path

from faker import Faker

from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace


def _needles(values: list[str]) -> list[bytes]:
    needles = []
    for value in values:
        needles += [value.encode("utf-8"), value.encode("utf-16-le"), value.upper().encode()]
    return needles


def _all_bytes(directory: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def test_names_addresses_and_phones_never_appear_in_clear(
    workspace: Workspace, store_path: Path
) -> None:
    fake = Faker("fr_FR")
    fake.seed_instance(20261129)
    written: list[str] = []
    for _ in range(30):
        first, last = fake.first_name(), fake.last_name()
        street, city = fake.street_address(), fake.city()
        phone = "06" + fake.numerify("########")
        workspace.dossiers.create_household(HouseholdDraft(
            name=f"{last} {first}", street=street, city=city, postal_code="77000",
            phones=(PhoneDraft(phone),), members=(MemberDraft(first, last),)))
        written += [f"{last} {first}", street, phone[1:], "+33" + phone[1:]]
    workspace.backup_now("test")

    # While open (WAL not checkpointed) and after closing, nothing matches.
    for moment in ("open", "closed"):
        files = _all_bytes(store_path.parent)
        assert any(p.name.endswith("-wal") for p in files) or moment == "closed"
        assert any(p.suffix == ".mdbackup" for p in files)
        for path, data in files.items():
            for needle in _needles(written):
                assert needle not in data, f"{needle!r} in clear in {path.name} ({moment})"
        workspace.close()


def test_a_failed_write_names_no_dossier_value_in_its_error(workspace: Workspace) -> None:
    import logging

    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    name = "Famille Quennehen-Zoubir"
    with pytest.raises(IntegrityError) as failure, workspace.opened.engine.begin() as conn:
        conn.execute(text("INSERT INTO household (id, name) VALUES (NULL, :n)"), {"n": name})
    logged = logging.Formatter().formatException(
        (failure.type, failure.value, failure.tb))
    assert name not in logged
