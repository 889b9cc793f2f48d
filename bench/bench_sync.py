"""Sync on the device side: local apply speed, bytes on the wire, bootstrap of a team.

(a) Apply: one page of ``--apply-dossiers`` new dossiers' field ops (household, two members, a
    phone, a note and its text: about 60 ops each) applied by ``DeviceSync.apply_page`` in one
    transaction on an encrypted store. Target: >= 20,000 ops/s.
(b) Wire: a real ``mediadesk-server run`` on loopback (SQLite file), two enrolled laptops (real
    stores). Idle sync: requests and bytes each way (target 1 request, <= 1 KiB each way). Then
    1,000 field changes on each laptop: requests for each to send its own and receive the
    other's (target 1 each way), bytes per change sent and received (target <= 60 bytes, gzip).
(c) Bootstrap: a team of ``--dossiers`` dossiers and ``--interviews`` interviews and notes pushed
    to the server by a synthetic device, then a new laptop enrols and pulls everything over
    loopback (target <= 15 s for 2,000 dossiers and 20,000 interviews and notes).

Usage: python bench/bench_sync.py [--apply-dossiers 1000] [--dossiers 2000] [--interviews 20000]
Final line: JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402
from tests.sync.server.processes import server_process  # noqa: E402

from mediadesk.services.sync import SyncService, sync_service  # noqa: E402
from mediadesk.services.workspace import create_workspace, unlock_workspace  # noqa: E402
from mediadesk.store.keyslots import TEST_KDF  # noqa: E402
from mediadesk.store.models import Household  # noqa: E402
from mediadesk.sync.client import SyncClient  # noqa: E402
from mediadesk.sync.device import DeviceSync  # noqa: E402
from mediadesk.sync.hlc import Timestamp  # noqa: E402
from mediadesk.sync.protocol import (  # noqa: E402
    EMPTY_CHECKSUM,
    Changeset,
    PulledOp,
    ScopePage,
    SyncRequest,
    WireOp,
    fold_checksum,
)
from mediadesk.sync.server import admin, db  # noqa: E402

PASSPHRASE = "ronces violettes sur le canal"
NOW = "2026-12-01 10:00:00.000000"


class Meter:
    """Counts requests and bytes on the wire (request bodies as sent, responses as received)."""

    def __init__(self) -> None:
        self.requests = 0
        self.sent = 0
        self.received = 0

    def attach(self, client: SyncClient) -> SyncClient:
        http: httpx.Client = client._http
        http.event_hooks["request"].append(self._request)
        http.event_hooks["response"].append(self._response)
        return client

    def _request(self, request: httpx.Request) -> None:
        if request.url.path == "/v1/sync":
            self.requests += 1
            self.sent += len(request.content)

    def _response(self, response: httpx.Response) -> None:
        if response.request.url.path == "/v1/sync":
            response.read()
            self.received += response.num_bytes_downloaded

    def reset(self) -> None:
        self.requests = self.sent = self.received = 0


def dossier_ops(team: str, author: str, device: str, count: int, interviews: int
                ) -> list[tuple[str, str, dict[str, Any]]]:
    """(entity, row id, fields) of ``count`` dossiers plus ``interviews`` interviews and notes."""
    rows: list[tuple[str, str, dict[str, Any]]] = []
    meta = {"created_at": NOW, "created_by": author, "created_on_device": device}
    households = []
    for n in range(count):
        household = uuid.uuid4().hex
        households.append(household)
        rows.append(("household", household, {
            "name": f"Famille {n}", "street": f"{n} rue de la République", "address_extra": None,
            "postal_code": "69120", "city": "Vaulx-en-Velin", "email": None,
            "interpreter_needed": 0, "referent_id": None, "site_id": None,
            "vulnerability_flags": [], "status": "open", "outcome": None,
            "last_contact_on": "2026-11-01", **meta}))
        for position in range(2):
            rows.append(("person", uuid.uuid4().hex, {
                "household_id": household, "position": position, "first_name": "Awa",
                "last_name": "Diallo", "role": "holder", "birth_year": 1980, "notes": None,
                **meta}))
        rows.append(("phone", uuid.uuid4().hex, {
            "household_id": household, "person_id": None, "position": 0,
            "number": "+33612345678", "status": "valid", **meta}))
    for n in range(interviews):
        household = households[n % len(households)]
        if n % 2 == 0:
            rows.append(("interview", uuid.uuid4().hex, {
                "household_id": household, "mediator_id": None, "site_id": None,
                "place": "counter", "initiated_by": "supplier_list",
                "started_at": NOW, "finished_at": NOW, "status": "done",
                "current_step": "follow_up", "autonomy_level": 2, "registers": [],
                "summary": "Échéancier négocié avec le fournisseur.", **meta}))
        else:
            note = uuid.uuid4().hex
            rows.append(("note", note, {"household_id": household, "at": NOW, **meta}))
            rows.append(("note_revision", uuid.uuid4().hex, {
                "note_id": note, "body": "Appel : message laissé.", **meta}))
    return rows


def measure_apply(folder: Path, dossiers: int) -> dict[str, float]:
    workspace = create_workspace(folder / "apply.mdk", PASSPHRASE, kdf=TEST_KDF)
    team, device, author = (uuid.uuid4().hex for _ in range(3))
    ops: list[PulledOp] = []
    for entity, row, fields in dossier_ops(team, author, device, dossiers, dossiers):
        for name, value in fields.items():
            q = len(ops) + 1
            ops.append(PulledOp(q=q, i=f"{device}:{q}:0", d=device, e=entity, r=row, f=name,
                                k="set", v=value, b=0,
                                t=Timestamp(1_796_000_000_000 + q, 0, device).encode(), a=author))
    checksum = EMPTY_CHECKSUM
    for op in ops:
        checksum = fold_checksum(checksum, op.i)
    page = ScopePage(scope=team, ops=ops, cursor=len(ops), checksum=checksum, head=len(ops),
                     more=False)
    assert workspace.actor.device_id is not None
    sync = DeviceSync(workspace.opened.engine, workspace.actor.device_id.hex)
    started = time.perf_counter()
    sync.apply_page(page)
    elapsed = time.perf_counter() - started
    workspace.close()
    return {"apply_ops": len(ops), "apply_s": round(elapsed, 3),
            "apply_ops_per_s": round(len(ops) / elapsed)}


def laptop(folder: Path, name: str, url: str, engine: Any, meter: Meter) -> SyncService:
    path = folder / f"{name}.mdk"
    email = f"{name}@pimms.test"
    admin.add_user(engine, email, "Equipe", "mediator")
    code = admin.issue_enrolment(engine, email, int(time.time() * 1000), 3600)
    workspace = create_workspace(path, PASSPHRASE, user_name=name, kdf=TEST_KDF)
    sync_service(workspace, lambda u: SyncClient(u)).enrol(url, code)
    workspace.close()
    workspace = unlock_workspace(path, PASSPHRASE)
    return sync_service(workspace, lambda u: meter.attach(SyncClient(u)))


def edit_many(service: SyncService, households: list[str], changes: int, tag: str) -> None:
    engine = service._engine
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        done = 0
        while done < changes:
            for row in households:
                household = session.get(Household, uuid.UUID(hex=row))
                assert household is not None
                household.street = f"{done} {tag}"
                session.flush()
                done += 1
                if done >= changes:
                    break


def measure_wire(folder: Path, url: str, engine: Any) -> dict[str, Any]:
    meter = Meter()
    a = laptop(folder, "awa", url, engine, meter)
    b = laptop(folder, "paul", url, engine, meter)
    a.sync(), b.sync(), a.sync()
    households: list[str] = []
    with a._engine.begin() as conn:
        for n in range(100):
            row = uuid.uuid4().hex
            households.append(row)
            conn.execute(text(
                "INSERT INTO household (id, scope_id, name, street, postal_code, city, status, "
                "interpreter_needed, vulnerability_flags, created_at, updated_at, version) VALUES "
                "(:i, (SELECT replace(value, '-', '') FROM local_setting "
                "WHERE key = 'team_id'), :n, '1 rue', '69120', 'Vaulx', 'open', 0, '[]', "
                ":t, :t, 1)"),
                {"i": row, "n": f"Famille {n}", "t": NOW})
    a.sync(), b.sync(), a.sync(), b.sync()
    meter.reset()
    a.sync()
    idle = {"idle_requests": meter.requests, "idle_sent_bytes": meter.sent,
            "idle_received_bytes": meter.received}
    edit_many(a, households, 1000, "rue des Lilas")
    edit_many(b, households, 1000, "avenue Jean Jaurès")
    meter.reset()
    report = a.sync()
    push = {"push_1000_requests": meter.requests, "push_1000_sent_bytes": meter.sent,
            "bytes_per_change_sent": round(meter.sent / max(1, report.sent), 1)}
    # one device rewriting every dossier of the team: a mass change by design (it would ask)
    b.sync(confirm_mass_change=True)
    meter.reset()
    report = a.sync(confirm_mass_change=True)
    pull = {"pull_1000_requests": meter.requests, "pull_1000_received_bytes": meter.received,
            "bytes_per_change_received": round(meter.received / max(1, report.received), 1)}
    return {**idle, **push, **pull}


def measure_bootstrap(folder: Path, url: str, engine: Any, dossiers: int, interviews: int
                      ) -> dict[str, Any]:
    team = admin.create_team(engine, "Bootstrap")
    admin.add_user(engine, "seed@pimms.test", "Bootstrap", "mediator")
    seeder = SyncClient(url)
    device = uuid.uuid4().hex
    enrolled = seeder.enrol(admin.issue_enrolment(engine, "seed@pimms.test",
                                                  int(time.time() * 1000), 3600), device, "seed")
    token = seeder.token(device, enrolled.device_secret).access_token
    author = enrolled.user.id
    wire: list[WireOp] = []
    stamp = Timestamp(int(time.time() * 1000), 0, device).encode()
    for entity, row, fields in dossier_ops(team, author, device, dossiers, interviews):
        for name, value in fields.items():
            wire.append(WireOp.model_validate({"e": entity, "r": row, "f": name, "k": "set",
                                               "v": value, "b": 0, "t": stamp, "a": author,
                                               "s": team}))
    for seq, start in enumerate(range(0, len(wire), 5000), start=1):
        seeder.sync(token, SyncRequest(changesets=[Changeset(client_seq=seq,
                                                             ops=wire[start:start + 5000])]))
    seeder.close()
    admin.add_user(engine, "new@pimms.test", "Bootstrap", "mediator")
    meter = Meter()
    path = folder / "new.mdk"
    workspace = create_workspace(path, PASSPHRASE, kdf=TEST_KDF)
    code = admin.issue_enrolment(engine, "new@pimms.test", int(time.time() * 1000), 3600)
    sync_service(workspace, lambda u: SyncClient(u)).enrol(url, code)
    workspace.close()
    workspace = unlock_workspace(path, PASSPHRASE)
    service = sync_service(workspace, lambda u: meter.attach(SyncClient(u)))
    started = time.perf_counter()
    report = service.sync(page_size=5000)
    elapsed = time.perf_counter() - started
    with workspace.opened.engine.connect() as conn:
        households = conn.execute(text("SELECT count(*) FROM household WHERE scope_id = :t"),
                                  {"t": team}).scalar_one()
    workspace.close()
    return {"bootstrap_ops": report.received, "bootstrap_s": round(elapsed, 2),
            "bootstrap_requests": meter.requests,
            "bootstrap_received_mb": round(meter.received / 1e6, 2),
            "bootstrap_households": households}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apply-dossiers", type=int, default=1000)
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--interviews", type=int, default=20000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mediadesk-bench-sync-"))
    result: dict[str, Any] = measure_apply(folder, args.apply_dossiers)
    print("apply:", result, flush=True)
    db_url = f"sqlite:///{folder / 'server.sqlite3'}"
    engine = db.make_engine(db_url)
    db.init(engine)
    admin.create_team(engine, "Equipe")
    with server_process(db_url, folder / "server.log", workers=1) as url:
        wire = measure_wire(folder, url, engine)
        print("wire:", wire, flush=True)
        boot = measure_bootstrap(folder, url, engine, args.dossiers, args.interviews)
        print("bootstrap:", boot, flush=True)
    result.update(wire)
    result.update(boot)
    result["targets"] = {"apply_ops_per_s": ">= 20000", "idle": "1 request, <= 1024 B each way",
                         "1000_changes": "1 request each way, <= 60 B per change",
                         "bootstrap_s": "<= 15"}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
