from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, select

from mediadesk.store import backup, files, migrate, vault
from mediadesk.store.keyslots import KdfParams
from mediadesk.store.models import Household, Person, Phone
from mediadesk.store.search import FTS_TABLE


def test_empty_database_upgrades_to_head_with_every_table(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"household", "person", "interview", "audit_event", FTS_TABLE} <= tables


def test_the_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from mediadesk.store.base import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    diff = [d for d in diff if not (d[0] == "remove_table" and FTS_TABLE in d[1].name)]
    assert diff == []


def test_every_revision_goes_down_and_up_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    migrate.upgrade(engine)
    revisions = migrate.revisions_oldest_first()
    for previous in reversed(revisions[:-1]):
        migrate.downgrade(engine, previous)
        assert migrate.current_revision(engine) == previous
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_down_and_up_keeps_the_data_and_rebuilds_search(
    store_path: Path, passphrase: str, kdf: KdfParams
) -> None:
    opened = vault.create_store(store_path, passphrase, kdf=kdf)
    with opened.sessions.begin() as session:
        household = Household(name="Zoé Ramírez", city="Évry")
        session.add(household)
        session.flush()
        session.add(Person(household_id=household.id, first_name="Zoé", last_name="Ramírez"))
        session.add(Phone(household_id=household.id, number="+33698765432"))
    previous = migrate.revisions_oldest_first()[-2]
    migrate.downgrade(opened.engine, previous)
    migrate.upgrade(opened.engine)
    with opened.sessions() as session:
        assert session.scalars(select(Household.name)).all() == ["Zoé Ramírez"]
        from mediadesk.store import search

        assert search.search(session.connection(), "ramirez 06 98") == [household.id]
    opened.close()


def test_unlock_migrates_an_old_store_after_taking_an_encrypted_backup(
    store_path: Path, passphrase: str, kdf: KdfParams
) -> None:
    opened = vault.create_store(store_path, passphrase, kdf=kdf)
    with opened.sessions.begin() as session:
        session.add(Household(name="Gaëlle Nguyễn"))
    migrate.downgrade(opened.engine, migrate.revisions_oldest_first()[0])
    opened.close()

    reopened = vault.open_store(store_path, passphrase)
    assert migrate.current_revision(reopened.engine) == migrate.head_revision()
    with reopened.sessions() as session:
        assert session.scalars(select(Household.name)).all() == ["Gaëlle Nguyễn"]
    reopened.close()
    backups = list(files.backup_dir_for(store_path).glob("*pre-migration*"))
    assert len(backups) == 1
    assert backup.read_manifest(backups[0])["schema_revision"] == (
        migrate.revisions_oldest_first()[0])
    assert "Gaëlle".encode() not in backups[0].read_bytes()
