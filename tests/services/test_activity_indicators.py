"""The activity report's indicators on a known data set, counted by hand: totals, per site,
per mediator, the partner profiles and the CSV/XLSX table."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from mediadesk.domain.enums import ContactChannel, ContactOutcome, PartnerKind
from mediadesk.interview import OptionCode
from mediadesk.reports.data import FunderData
from mediadesk.services.errors import ValidationError
from mediadesk.services.funder_export import to_csv, to_xlsx
from mediadesk.services.funder_indicators import INDICATORS
from mediadesk.services.reports import ReportService
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import (
    CollectiveAction,
    ContactAttempt,
    Household,
    Incident,
    Interview,
    LocalSetting,
    Orientation,
    Site,
    User,
)
from tests.reports.helpers import all_text
from tests.services.test_reports import NOW, closed_interview, new_household

JANUARY = (date(2027, 1, 1), date(2027, 1, 31))
SAVING, CLAIM = OptionCode.ENERGY_SAVING, OptionCode.ENERGY_VOUCHER_CLAIM


def _last_interview(workspace: Workspace, household: uuid.UUID) -> uuid.UUID:
    with workspace.opened.sessions() as session:
        ids = session.scalars(select(Interview.id).where(Interview.household_id == household)
                              .order_by(Interview.created_at.desc())).all()
    return ids[0]


def _set(workspace: Workspace, interview: uuid.UUID, **values: object) -> None:
    with workspace.opened.sessions.begin() as session:
        session.execute(update(Interview).where(Interview.id == interview).values(**values))


@pytest.fixture
def known(workspace: Workspace) -> dict[str, uuid.UUID]:
    """Two sites, two mediators, four households (see the test for the hand count)."""
    ids = {name: uuid.uuid4() for name in ("poste", "pimms", "bruno")}
    with workspace.opened.sessions.begin() as session:
        ids["awa"] = uuid.UUID(session.get(LocalSetting, "user_id").value)  # type: ignore[union-attr]
        session.add_all([Site(id=ids["poste"], name="Poste Moulins"),
                         Site(id=ids["pimms"], name="PIMMS Fives"),
                         User(id=ids["bruno"], display_name="Bruno Petit")])
    for key, name, site in (("h1", "Famille Un", "poste"), ("h2", "Famille Deux", "pimms"),
                            ("h3", "Famille Trois", "poste"), ("h4", "Famille Quatre", "pimms")):
        ids[key] = new_household(workspace, name)
        with workspace.opened.sessions.begin() as session:
            session.execute(update(Household).where(Household.id == ids[key])
                            .values(site_id=ids[site]))
    plan = {"options.chosen": (CLAIM, SAVING), "supplier.plan_agreed": True,
            "supplier.supplier_amount_cents": 100_000, "supplier.proposed_monthly_cents": 4_500,
            "supplier.plan_start_on": date(2027, 2, 1)}
    # H1: seen twice, by Awa at the post office, then by Bruno at the PIMMS.
    closed_interview(workspace, ids["h1"], **plan)
    _set(workspace, _last_interview(workspace, ids["h1"]), mediator_id=ids["awa"],
         site_id=ids["poste"], registers=[1, 7])
    closed_interview(workspace, ids["h1"], **plan)
    _set(workspace, _last_interview(workspace, ids["h1"]), mediator_id=ids["bruno"],
         site_id=ids["pimms"], registers=[7], started_at=NOW + timedelta(days=1))
    # H2: once, by Bruno, eco-gestures only, no plan.
    closed_interview(workspace, ids["h2"], **{"options.chosen": (SAVING,),
                                              "supplier.plan_agreed": False})
    _set(workspace, _last_interview(workspace, ids["h2"]), mediator_id=ids["bruno"],
         site_id=None, registers=[3])
    with workspace.opened.sessions.begin() as session:
        in_period, outside = NOW, datetime(2027, 2, 3, 10, tzinfo=NOW.tzinfo)
        for household, outcome in (("h3", ContactOutcome.NO_ANSWER),
                                   ("h3", ContactOutcome.NO_ANSWER),
                                   ("h4", ContactOutcome.NO_ANSWER),
                                   ("h4", ContactOutcome.REACHED)):
            session.add(ContactAttempt(household_id=ids[household], at=in_period,
                                       channel=ContactChannel.PHONE, outcome=outcome,
                                       created_by=ids["awa"]))
        for household, kind, day in (("h1", PartnerKind.FSL, date(2027, 1, 5)),
                                     ("h1", PartnerKind.CCAS, date(2027, 1, 20)),
                                     ("h2", PartnerKind.SOCIAL_WORKER, date(2027, 1, 12)),
                                     ("h2", PartnerKind.FSL, date(2027, 2, 2))):
            session.add(Orientation(household_id=ids[household], partner_kind=kind,
                                    oriented_on=day, created_by=ids["bruno"]))
        session.add(Incident(household_id=ids["h2"], at=in_period, created_by=ids["bruno"]))
        session.add(Incident(household_id=ids["h2"], at=outside, created_by=ids["bruno"]))
        session.add_all([
            CollectiveAction(title="Éco-gestes", held_on=date(2027, 1, 8), site_id=ids["poste"],
                             attendance=12, created_by=ids["awa"]),
            CollectiveAction(title="Chèque énergie", held_on=date(2027, 1, 22),
                             site_id=ids["pimms"], attendance=5, created_by=ids["awa"]),
            CollectiveAction(title="Hors période", held_on=date(2027, 2, 22),
                             site_id=ids["pimms"], attendance=40, created_by=ids["awa"])])
    return ids


def _figures(data: FunderData) -> dict[str, tuple[int, dict[str, int], dict[str, int]]]:
    return {f.code: (f.total, dict(f.by_site), dict(f.by_mediator)) for f in data.figures}


def test_indicators_match_the_hand_count(workspace: Workspace,
                                         known: dict[str, uuid.UUID]) -> None:
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    got = _figures(reports.funder_data(*JANUARY))
    poste, pimms, awa, bruno = "Poste Moulins", "PIMMS Fives", "Awa Diallo", "Bruno Petit"
    # By hand: H1 met at the post office (Awa) and the PIMMS (Bruno); H2 at the PIMMS (its
    # home site, the interview names none) by Bruno.
    assert got["households_met"] == (2, {pimms: 2, poste: 1}, {bruno: 2, awa: 1})
    assert got["interviews"] == (3, {pimms: 2, poste: 1}, {bruno: 2, awa: 1})
    assert got["payment_plans"] == (1, {pimms: 1, poste: 1}, {awa: 1, bruno: 1})
    # H1's debt once, though two interviews concluded a plan.
    assert got["payment_plan_amount"][0] == 100_000
    assert got["energy_saving"][0] == 2 and got["energy_voucher"][0] == 1
    assert got["orientation_fsl"] == (1, {poste: 1}, {bruno: 1})  # H1 twice, H2 in February
    assert got["orientation_social"][0] == 1
    assert got["unreachable"] == (1, {poste: 1}, {awa: 1})  # H3; H4 was reached once
    assert got["incidents"][0] == 1
    assert got["collective_actions"] == (2, {poste: 1, pimms: 1}, {awa: 2})
    assert got["collective_attendance"] == (17, {poste: 12, pimms: 5}, {awa: 17})
    assert got["register_7"][0] == 2 and got["register_1"][0] == 1
    assert got["register_3"][0] == 1 and got["register_8"][0] == 0


def test_the_pdf_has_the_breakdowns_and_the_annex(workspace: Workspace,
                                                  known: dict[str, uuid.UUID]) -> None:
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    text = all_text(reports.render_funder(*JANUARY))
    assert "Détail par site" in text and "Détail par médiateur" in text
    assert "PIMMS Fives" in text and "Bruno Petit" in text
    assert "Annexe : définition des indicateurs" in text
    assert "1 000,00" in text


def test_a_partner_profile_selects_the_indicators(workspace: Workspace,
                                                  known: dict[str, uuid.UUID]) -> None:
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    reports.save_report_profile("caf", ["unreachable", "households_met"])
    with workspace.opened.sessions() as session:
        assert session.get(LocalSetting, "report_profile:caf") is not None
    data = reports.funder_data(*JANUARY, profile="caf")
    assert [f.code for f in data.figures] == ["unreachable", "households_met"]
    assert data.registers == ()
    with pytest.raises(ValidationError, match="inconnu"):
        reports.funder_data(*JANUARY, profile="absent")
    with pytest.raises(ValidationError, match="inconnus"):
        reports.save_report_profile("x", ["nope"])


def test_every_indicator_is_defined_once() -> None:
    codes = [indicator.code for indicator in INDICATORS]
    assert len(codes) == len(set(codes))
    assert all(indicator.definition and indicator.label for indicator in INDICATORS)


def test_csv_and_xlsx_tables_carry_the_same_figures(workspace: Workspace,
                                                    known: dict[str, uuid.UUID]) -> None:
    import openpyxl  # type: ignore[import-untyped]

    data = ReportService(workspace.opened.sessions, clock=lambda: NOW).funder_data(*JANUARY)
    rows = list(csv.DictReader(io.StringIO(to_csv(data).decode("utf-8-sig")), delimiter=";"))
    table = {(r["code"], r["périmètre"], r["nom"]): r["valeur"] for r in rows}
    assert table[("households_met", "ensemble", data.team_name)] == "2"
    assert table[("households_met", "site", "PIMMS Fives")] == "2"
    assert table[("interviews", "médiateur", "Bruno Petit")] == "2"
    assert table[("payment_plan_amount", "ensemble", data.team_name)] == "1000.00"
    assert all(r["définition"] for r in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(data))).active
    values = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(v[0], v[2], v[3], float(v[4])) for v in values] == [
        (r["code"], r["périmètre"], r["nom"], float(r["valeur"])) for r in rows]
