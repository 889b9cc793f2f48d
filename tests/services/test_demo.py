from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from mediadesk.domain.enums import DEFAULT_SUPPLIERS, PartnerKind
from mediadesk.interview import autonomy_level
from mediadesk.services import demo
from mediadesk.services.demo import DemoSummary, populate_demo
from mediadesk.services.workspace import Workspace, create_workspace
from mediadesk.store import search
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import (
    Consent,
    ContactAttempt,
    Debt,
    EnergyContract,
    Household,
    HouseholdLanguage,
    Instalment,
    Interview,
    InterviewAnswer,
    Note,
    NoteRevision,
    PaymentPlan,
    Person,
    Phone,
)

PASSPHRASE = "une phrase de passe solide"


def _new_workspace(path: Path) -> Workspace:
    return create_workspace(path, PASSPHRASE, kdf=TEST_KDF)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, DemoSummary]]:
    """One store with 300 demo households, shared by the read-only tests below."""
    workspace = _new_workspace(tmp_path_factory.mktemp("demo") / "s.mdk")
    try:
        yield workspace, populate_demo(workspace, 300, seed=42)
    finally:
        workspace.close()


def _scalar(workspace: Workspace, statement: Any) -> Any:
    with workspace.opened.engine.connect() as conn:
        return conn.execute(statement).scalar_one()


def _rows(workspace: Workspace, statement: Any) -> list[Any]:
    with workspace.opened.engine.connect() as conn:
        return list(conn.execute(statement))


def _count(workspace: Workspace, model: Any) -> int:
    return int(_scalar(workspace, select(func.count()).select_from(model)))


def _signature(workspace: Workspace) -> list[tuple[Any, ...]]:
    """What a person sees of the households, in creation order (ids aside)."""
    households = _rows(workspace, select(Household.name, Household.street, Household.postal_code,
                                         Household.city).order_by(Household.id))
    people = _rows(workspace, select(Person.first_name, Person.last_name, Person.birth_year)
                   .order_by(Person.id))
    phones = _rows(workspace, select(Phone.number).order_by(Phone.id))
    return [tuple(row) for row in (*households, *people, *phones)]


def test_the_summary_counts_what_was_written(filled: tuple[Workspace, DemoSummary]) -> None:
    workspace, summary = filled
    assert not summary.cancelled
    assert summary.households == _count(workspace, Household) == 300
    for count, model in ((summary.people, Person), (summary.phones, Phone),
                         (summary.interviews, Interview), (summary.notes, Note),
                         (summary.contact_attempts, ContactAttempt),
                         (summary.contracts, EnergyContract), (summary.debts, Debt),
                         (summary.payment_plans, PaymentPlan), (summary.instalments, Instalment),
                         (summary.consents, Consent)):
        assert count == _count(workspace, model), model.__name__
    assert 300 <= summary.people <= 5 * 300
    assert _count(workspace, NoteRevision) == summary.notes  # one revision per note
    assert min(summary.interviews, summary.actions, summary.orientations, summary.follow_ups,
               summary.payment_plans) > 0


def test_every_household_has_one_to_five_members_with_one_holder(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    per_household = _rows(workspace, select(
        func.count(), func.sum(Person.role == "holder")).group_by(Person.household_id))
    assert len(per_household) == 300
    assert all(1 <= members <= 5 and holders == 1 for members, holders in per_household)


def test_the_store_is_healthy_after_a_fill(filled: tuple[Workspace, DemoSummary]) -> None:
    workspace, _ = filled
    assert workspace.check() == []


def test_names_carry_french_accents(filled: tuple[Workspace, DemoSummary]) -> None:
    workspace, _ = filled
    names = [first + last for first, last in _rows(
        workspace, select(Person.first_name, Person.last_name))]
    accented = [name for name in names if re.search("[àâçéèêëîïôûùüÿœÉÈ]", name)]
    assert len(accented) > len(names) // 20


def test_amounts_are_integer_cents_and_instalments_add_up(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    for table, column in (("debt", "amount_cents"), ("payment_plan", "total_cents"),
                          ("instalment", "amount_cents")):
        kinds = {kind for (kind,) in _rows(workspace, text(
            f"SELECT DISTINCT typeof({column}) FROM {table}"))}
        assert kinds == {"integer"}, table
    mismatched = _rows(workspace, text(
        "SELECT p.id FROM payment_plan p JOIN instalment i ON i.plan_id = p.id "
        "GROUP BY p.id HAVING sum(i.amount_cents) != p.total_cents"))
    assert mismatched == []


def test_phones_meter_points_and_suppliers_look_real(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    numbers = [n for (n,) in _rows(workspace, select(Phone.number))]
    assert all(re.fullmatch(r"\+33[1-79]\d{8}", n) for n in numbers)
    assert any(n.startswith(("+336", "+337")) for n in numbers)
    assert any(n[3] in "12345" for n in numbers)
    contracts = _rows(workspace, select(EnergyContract.supplier, EnergyContract.energy,
                                        EnergyContract.meter_point, EnergyContract.customer_ref))
    assert {supplier for supplier, *_ in contracts} <= set(DEFAULT_SUPPLIERS)
    for _supplier, energy, meter_point, customer_ref in contracts:
        assert customer_ref
        if energy in ("electricity", "gas"):
            assert re.fullmatch(r"\d{14}", meter_point)


def test_languages_are_mostly_french_with_interpreters_sometimes(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    languages = [lang for (lang,) in _rows(workspace, select(HouseholdLanguage.language))]
    assert languages.count("fr") > len(languages) // 2
    assert {"ar", "tr", "pt", "ro"} & set(languages)
    assert _scalar(workspace, select(func.count()).where(Household.interpreter_needed)) > 0


def test_everything_is_dated_within_the_last_two_years(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    today = datetime.now(UTC).date()
    oldest = today - timedelta(days=demo.HISTORY_DAYS + 1)
    for model, column in ((ContactAttempt, ContactAttempt.at), (Note, Note.at),
                          (Interview, Interview.started_at), (Household, Household.created_at)):
        first, last = _rows(workspace, select(func.min(column), func.max(column)))[0]
        assert first is not None, model.__name__
        assert oldest <= date.fromisoformat(str(first)[:10]) <= today, model.__name__
        assert date.fromisoformat(str(last)[:10]) <= today + timedelta(days=1), model.__name__


def test_rows_are_stamped_as_the_orm_stamps_them(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    actor = workspace.actor
    with workspace.opened.sessions() as session:
        household = session.scalars(select(Household).limit(1)).one()
        note = session.scalars(select(Note).limit(1)).one()
        for row in (household, note):
            assert (row.scope_id, row.created_by, row.created_on_device, row.updated_by,
                    row.updated_on_device, row.version) == (
                actor.team_id, actor.user_id, actor.device_id, actor.user_id, actor.device_id, 1)
            assert row.created_at.tzinfo is UTC and row.deleted_at is None
            assert row.id.version == 7
    # Stored exactly like a row the ORM wrote (the team, at store creation).
    raw = _rows(workspace, text(
        "SELECT (SELECT created_at FROM team), created_at, id FROM household LIMIT 1"))[0]
    pattern = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}"
    assert re.fullmatch(pattern, raw[0]) and re.fullmatch(pattern, raw[1])
    assert re.fullmatch(r"[0-9a-f]{32}", raw[2])


def test_search_finds_a_generated_household_by_name_and_phone_fragments(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    household_id, number = _rows(workspace, select(Phone.household_id, Phone.number)
                                 .where(Phone.position == 0).order_by(Phone.id).limit(1))[0]
    first, last = _rows(workspace, select(Person.first_name, Person.last_name).where(
        Person.household_id == household_id, Person.role == "holder"))[0]
    national = "0" + number[3:]  # +33612345678 -> 0612345678

    def found(query: str) -> set[uuid.UUID]:
        return {hit.id for hit in workspace.dossiers.find_households(query)}

    assert household_id in found(f"{first} {last}")
    assert household_id in found(last.upper())
    assert household_id in found(f"{national[:2]} {national[2:4]} {national[4:6]}")
    assert household_id in found(f"{national[:4]} {national[4:6]}")
    assert household_id in found(f"+33 {national[1]} {national[2:4]} {national[4]}")


def test_a_generated_dossier_opens_with_its_timeline(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, _ = filled
    household_id = _scalar(workspace, select(Interview.household_id).limit(1))
    dossier = workspace.dossiers.open_dossier(household_id)
    assert dossier.members and dossier.phones and dossier.contracts
    kinds = {item.kind for item in dossier.timeline}
    assert {"interview", "contact"} <= kinds


def test_the_same_seed_gives_the_same_households(tmp_path: Path) -> None:
    signatures = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        workspace = _new_workspace(tmp_path / f"{name}.mdk")
        try:
            populate_demo(workspace, 30, seed=seed)
            signatures.append(_signature(workspace))
        finally:
            workspace.close()
    assert signatures[0] == signatures[1]
    assert signatures[0] != signatures[2]


def test_the_helper_process_makes_the_same_data(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "CHUNK", 20)
    signatures = []
    for name, parallel_from in (("here", 1000), ("helper", 2)):
        monkeypatch.setattr(demo, "PARALLEL_FROM_CHUNKS", parallel_from)
        workspace = _new_workspace(tmp_path / f"{name}.mdk")
        try:
            assert populate_demo(workspace, 70, seed=3).households == 70
            assert workspace.check() == []
            signatures.append(_signature(workspace))
        finally:
            workspace.close()
    assert signatures[0] == signatures[1]


def test_progress_is_reported_after_each_chunk(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "CHUNK", 10)
    calls: list[tuple[int, int]] = []
    workspace = _new_workspace(tmp_path / "s.mdk")
    try:
        populate_demo(workspace, 35, seed=1, progress=lambda done, total: calls.append(
            (done, total)))
    finally:
        workspace.close()
    assert calls == [(10, 35), (20, 35), (30, 35), (35, 35)]


def test_cancel_stops_between_chunks_and_keeps_the_committed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 10)
    done: list[int] = []
    workspace = _new_workspace(tmp_path / "s.mdk")
    try:
        summary = populate_demo(workspace, 100, seed=1,
                                progress=lambda n, _total: done.append(n),
                                cancel=lambda: len(done) >= 2)
        assert summary.cancelled
        assert summary.households == 20 == _count(workspace, Household)
        assert summary.people == _count(workspace, Person)
        assert workspace.check() == []
    finally:
        workspace.close()


def test_a_second_fill_adds_households_and_reuses_sites_and_partners(tmp_path: Path) -> None:
    workspace = _new_workspace(tmp_path / "s.mdk")
    try:
        populate_demo(workspace, 5, seed=1)
        sites = _scalar(workspace, text("SELECT count(*) FROM site"))
        partners = _scalar(workspace, text("SELECT count(*) FROM partner"))
        populate_demo(workspace, 5, seed=2)
        assert _count(workspace, Household) == 10
        assert _scalar(workspace, text("SELECT count(*) FROM site")) == sites
        assert _scalar(workspace, text("SELECT count(*) FROM partner")) == partners
        kinds = {kind for (kind,) in _rows(workspace, text("SELECT kind FROM partner"))}
        assert kinds <= {kind.value for kind in PartnerKind}
        assert workspace.check() == []
    finally:
        workspace.close()


def test_zero_households_writes_nothing_and_a_negative_count_is_refused(tmp_path: Path) -> None:
    workspace = _new_workspace(tmp_path / "s.mdk")
    try:
        assert populate_demo(workspace, 0).households == 0
        assert _count(workspace, Household) == 0
        with pytest.raises(ValueError):
            populate_demo(workspace, -1)
    finally:
        workspace.close()


def test_a_query_matching_more_than_ranked_lists_the_latest_households_first(
    filled: tuple[Workspace, DemoSummary], monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace, _ = filled
    ranked = [hit.id for hit in workspace.dossiers.find_households("mme")]
    monkeypatch.setattr(search, "RANKED", 20)
    latest = [hit.id for hit in workspace.dossiers.find_households("mme")]
    expected = _rows(workspace, text(
        "SELECT h.id FROM household_search AS s JOIN household AS h "
        "ON h.search_rowid = s.rowid WHERE household_search MATCH '\"mme\"*' "
        "ORDER BY s.rowid DESC LIMIT 50"))
    assert len(latest) == 50
    assert latest == [uuid.UUID(hex=row[0]) for row in expected]
    assert ranked != latest  # under the cap, the same query is ranked (bm25)


def test_generated_interviews_open_with_their_answers_and_autonomy_level(
    filled: tuple[Workspace, DemoSummary],
) -> None:
    workspace, summary = filled
    assert summary.interview_answers == _count(workspace, InterviewAnswer) > 0
    done = _rows(workspace, select(Interview.id).where(Interview.status == "done").limit(25))
    for (interview_id,) in done:
        view = workspace.interviews.open(interview_id)
        level = autonomy_level(view.state)
        assert view.autonomy_level == (int(level) if level is not None else None)
        assert view.state.closing.summary
    assert any(workspace.interviews.open(i).autonomy_level for (i,) in done)


def test_a_generated_draft_can_be_resumed(tmp_path: Path) -> None:
    workspace = _new_workspace(tmp_path / "s.mdk")
    try:
        populate_demo(workspace, 60, seed=4)
        draft = _scalar(workspace, select(Interview.id).where(Interview.status == "draft")
                        .limit(1))
        view = workspace.interviews.open(draft)
        assert view.state.reception.consent_mediation.given_on is not None
        workspace.interviews.save_answer(draft, "situation.knows_supplier", "yes")
        assert workspace.check() == []
    finally:
        workspace.close()


def test_a_demo_store_gives_every_outcome_indicator_something_to_count(
        filled: tuple[Workspace, DemoSummary]) -> None:
    from mediadesk.i18n import _
    from mediadesk.services.funder_indicators import INDICATORS
    from mediadesk.services.reports import ReportService

    workspace, _summary = filled
    today = date.today()
    reports = ReportService(workspace.opened.sessions)
    data = reports.funder_data(today - timedelta(days=400), today)
    codes = {_(indicator.label): indicator.code for indicator in INDICATORS}
    counts = {codes[c.label]: c.value for c in data.indicators}
    for code in ("supply_maintained", "energy_saving", "payment_plans", "payment_plan_amount"):
        assert counts[code] > 0, code
    assert counts["payment_plans"] < counts["supply_maintained"] <= counts["households_met"]
