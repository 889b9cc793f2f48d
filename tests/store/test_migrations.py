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


def test_interview_answers_move_from_the_json_column_to_one_row_per_field(
    tmp_path: Path,
) -> None:
    import json
    import uuid

    from sqlalchemy import text

    from mediadesk.store.models import InterviewAnswer

    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    migrate.upgrade(engine, "0002")
    household, interview = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO household (id, name, interpreter_needed, vulnerability_flags, status,"
            " created_at, updated_at, version) VALUES (:id, 'Famille Roux', 0, '[]', 'open',"
            " '2025-01-01 10:00:00', '2025-01-01 10:00:00', 1)"), {"id": household.hex})
        conn.execute(text(
            "INSERT INTO interview (id, household_id, place, started_at, status, answers,"
            " registers, created_at, updated_at, version) VALUES (:id, :h, 'counter',"
            " '2025-01-02 10:00:00', 'draft', :answers, '[]', '2025-01-02 10:00:00',"
            " '2025-01-02 10:00:00', 1)"),
            {"id": interview.hex, "h": household.hex,
             "answers": json.dumps({"knows_debt_amount": "yes", "debt_amount_cents": 12345})})
    migrate.upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        rows = {a.key: a.value for a in session.query(InterviewAnswer)}
    assert rows == {"situation.knows_debt_amount": "yes", "situation.debt_amount_cents": 12345}
    migrate.downgrade(engine, "0002")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT answers FROM interview")).scalar_one()
    assert json.loads(stored) == rows
