"""The follow-up worklist: windows, team and mediator filters, done, postponed, assigned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from mediadesk.domain.enums import (
    ContactChannel,
    HouseholdStatus,
    PartnerKind,
    PhoneStatus,
    Role,
)
from mediadesk.services.errors import ValidationError
from mediadesk.services.worklist import WorklistService, window_bounds
from mediadesk.services.worklist_views import TEAM, WorkKind, WorklistItem
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import (
    FollowUp,
    Household,
    Orientation,
    Partner,
    Phone,
    Team,
    User,
)

TODAY = date(2026, 3, 11)  # a Wednesday
NOW = datetime(2026, 3, 11, 10, 30, tzinfo=UTC)
SUNDAY = date(2026, 3, 15)


@dataclass
class World:
    service: WorklistService
    workspace: Workspace
    me: uuid.UUID
    colleague: uuid.UUID
    martin: uuid.UUID
    benali: uuid.UUID


@pytest.fixture
def world(workspace: Workspace) -> World:
    """Two households of the team, two mediators; the worklist on a fixed clock."""
    with workspace.opened.sessions.begin() as session:
        colleague = User(display_name="Karim Benali", role=Role.MEDIATOR)
        martin = Household(name="Famille Martin")
        benali = Household(name="Famille Benali")
        session.add_all([colleague, martin, benali])
        session.flush()
        session.add_all([
            Phone(household_id=martin.id, position=0, number="+33601010101",
                  status=PhoneStatus.WRONG_NUMBER),
            Phone(household_id=martin.id, position=1, number="+33698765432",
                  status=PhoneStatus.UNVERIFIED),
            Phone(household_id=martin.id, position=2, number="+33612345678",
                  status=PhoneStatus.VALID),
        ])
        ids = colleague.id, martin.id, benali.id
    service = WorklistService(workspace.opened.sessions, clock=lambda: NOW)
    assert workspace.actor.user_id is not None
    return World(service, workspace, workspace.actor.user_id, *ids)


def follow_up(world: World, due_on: date, *, household: uuid.UUID | None = None,
              reason: str = "Rappeler", assigned_to: uuid.UUID | None = None,
              **extra: object) -> uuid.UUID:
    with world.workspace.opened.sessions.begin() as session:
        row = FollowUp(household_id=household or world.martin, due_on=due_on, reason=reason,
                       channel=ContactChannel.PHONE, assigned_to=assigned_to, **extra)
        session.add(row)
        session.flush()
        return row.id


def orientation(world: World, check_due_on: date | None, **extra: object) -> uuid.UUID:
    with world.workspace.opened.sessions.begin() as session:
        row = Orientation(household_id=world.benali, partner_kind=PartnerKind.CCAS,
                          reason="Aide au paiement", oriented_on=date(2026, 2, 9),
                          check_due_on=check_due_on, **extra)
        session.add(row)
        session.flush()
        return row.id


def reasons(items: list[WorklistItem]) -> list[str]:
    return [item.reason for item in items]


def test_each_window_holds_its_due_dates(world: World) -> None:
    for day, name in ((TODAY - timedelta(days=3), "avant-hier"),
                      (TODAY - timedelta(days=1), "hier"), (TODAY, "aujourd'hui"),
                      (TODAY + timedelta(days=1), "demain"), (SUNDAY, "dimanche"),
                      (SUNDAY + timedelta(days=1), "lundi prochain")):
        follow_up(world, day, reason=name)

    def window(name: str) -> list[str]:
        return reasons(world.service.items(today=TODAY, window=name))  # type: ignore[arg-type]

    assert window("overdue") == ["avant-hier", "hier"]
    assert window("today") == ["aujourd'hui"]
    assert window("week") == ["aujourd'hui", "demain", "dimanche"]
    assert window("all_open") == ["avant-hier", "hier", "aujourd'hui", "demain", "dimanche",
                                  "lundi prochain"]
    counts = world.service.counts(today=TODAY)
    assert (counts.overdue, counts.today, counts.week, counts.all_open) == (2, 1, 3, 6)


def test_overdue_items_say_how_late_they_are(world: World) -> None:
    follow_up(world, TODAY - timedelta(days=3), reason="en retard")
    follow_up(world, TODAY, reason="du jour")
    late, on_time = world.service.items(today=TODAY, window="all_open")
    assert (late.overdue, late.days_late) == (True, 3)
    assert (on_time.overdue, on_time.days_late) == (False, 0)


def test_the_week_seen_on_a_sunday_is_that_day_only() -> None:
    assert window_bounds("week", SUNDAY) == (SUNDAY, SUNDAY)
    assert window_bounds("week", TODAY) == (TODAY, SUNDAY)
    assert window_bounds("overdue", TODAY) == (None, TODAY - timedelta(days=1))


def test_an_item_shows_the_household_its_best_phone_and_who_has_it(world: World) -> None:
    follow_up(world, TODAY, reason="Point sur l'échéancier", assigned_to=world.colleague)
    (item,) = world.service.items(today=TODAY, window="today")
    assert item.kind is WorkKind.FOLLOW_UP
    assert (item.household_id, item.household_name) == (world.martin, "Famille Martin")
    assert item.phone == "06 12 34 56 78"  # the valid number, never the wrong one
    assert (item.channel, item.reason, item.due_on) == ("phone", "Point sur l'échéancier", TODAY)
    assert (item.assignee_id, item.assignee_name) == (world.colleague, "Karim Benali")


def test_a_household_without_a_usable_phone_shows_none(world: World) -> None:
    follow_up(world, TODAY, household=world.benali)
    (item,) = world.service.items(today=TODAY, window="today")
    assert item.phone == ""


def test_the_team_list_one_mediator_and_what_nobody_took(world: World) -> None:
    follow_up(world, TODAY, reason="à moi", assigned_to=world.me)
    follow_up(world, TODAY, reason="à Karim", assigned_to=world.colleague)
    follow_up(world, TODAY, reason="à l'équipe")
    orientation(world, TODAY)

    def listed(assignee: object) -> list[str]:
        return sorted(reasons(world.service.items(today=TODAY, window="today",
                                                  assignee=assignee)))  # type: ignore[arg-type]

    assert listed(None) == ["Aide au paiement", "à Karim", "à l'équipe", "à moi"]
    assert listed(world.me) == ["à moi"]
    assert listed(world.colleague) == ["à Karim"]
    assert listed(TEAM) == ["Aide au paiement", "à l'équipe"]
    assert world.service.counts(today=TODAY, assignee=world.colleague).today == 1


def test_a_done_follow_up_leaves_the_list(world: World) -> None:
    follow_up(world, TODAY, reason="appel")
    (item,) = world.service.items(today=TODAY, window="today")
    done = world.service.mark_done(item)
    assert done.done
    assert world.service.items(today=TODAY, window="all_open") == []
    with world.workspace.opened.sessions() as session:
        row = session.get(FollowUp, item.id)
        assert row is not None and row.done_at == NOW


def test_doing_an_item_twice_is_refused(world: World) -> None:
    follow_up(world, TODAY)
    (item,) = world.service.items(today=TODAY, window="today")
    world.service.mark_done(item)
    with pytest.raises(ValidationError) as raised:
        world.service.mark_done(item)
    assert "n'est plus à faire" in raised.value.message


def test_orientation_checks_due_are_listed_and_can_be_checked(world: World) -> None:
    with world.workspace.opened.sessions.begin() as session:
        partner = Partner(name="CCAS de Meaux", kind=PartnerKind.CCAS)
        session.add(partner)
        session.flush()
        partner_id = partner.id
    due = orientation(world, TODAY - timedelta(days=2), partner_id=partner_id)
    orientation(world, TODAY - timedelta(days=5), checked_on=TODAY - timedelta(days=1))
    orientation(world, None)  # no check planned
    (item,) = world.service.items(today=TODAY, window="all_open")
    assert (item.id, item.kind, item.household_name) == (
        due, WorkKind.ORIENTATION_CHECK, "Famille Benali")
    assert (item.partner_kind, item.partner, item.reason) == (
        "ccas", "CCAS de Meaux", "Aide au paiement")
    assert (item.overdue, item.days_late, item.assignable) == (True, 2, False)

    world.service.mark_done(item, "  Rendez-vous tenu le 10 mars.  ", today=TODAY)
    assert world.service.items(today=TODAY, window="all_open") == []
    with world.workspace.opened.sessions() as session:
        row = session.get(Orientation, due)
        assert row is not None
        assert (row.checked_on, row.check_outcome) == (TODAY, "Rendez-vous tenu le 10 mars.")


def test_an_outcome_too_long_is_refused(world: World) -> None:
    orientation(world, TODAY)
    (item,) = world.service.items(today=TODAY, window="today")
    with pytest.raises(ValidationError):
        world.service.mark_done(item, "x" * 401)
    assert len(world.service.items(today=TODAY, window="today")) == 1


def test_postponing_moves_the_item_to_its_new_day(world: World) -> None:
    follow_up(world, TODAY - timedelta(days=4), reason="appel")
    orientation(world, TODAY)
    late, check = world.service.items(today=TODAY, window="all_open")
    moved = world.service.postpone(late, TODAY + timedelta(days=1), today=TODAY)
    assert (moved.due_on, moved.overdue, moved.days_late) == (TODAY + timedelta(days=1), False, 0)
    world.service.postpone(check, SUNDAY, today=TODAY)
    assert world.service.items(today=TODAY, window="overdue") == []
    assert [(i.reason, i.due_on) for i in world.service.items(today=TODAY, window="week")] == [
        ("appel", TODAY + timedelta(days=1)), ("Aide au paiement", SUNDAY)]


def test_postponing_to_a_past_day_is_refused(world: World) -> None:
    follow_up(world, TODAY)
    (item,) = world.service.items(today=TODAY, window="today")
    with pytest.raises(ValidationError):
        world.service.postpone(item, TODAY - timedelta(days=1), today=TODAY)


def test_a_follow_up_is_assigned_to_a_mediator_and_given_back_to_the_team(world: World) -> None:
    follow_up(world, TODAY)
    (item,) = world.service.items(today=TODAY, window="today")
    assigned = world.service.assign(item, world.colleague)
    assert (assigned.assignee_id, assigned.assignee_name) == (world.colleague, "Karim Benali")
    assert len(world.service.items(today=TODAY, window="today", assignee=world.colleague)) == 1
    assert world.service.items(today=TODAY, window="today", assignee=TEAM) == []

    back = world.service.assign(assigned, None)
    assert (back.assignee_id, back.assignee_name) == (None, "")
    assert len(world.service.items(today=TODAY, window="today", assignee=TEAM)) == 1


def test_orientation_checks_and_strangers_cannot_be_assigned(world: World) -> None:
    orientation(world, TODAY)
    follow_up(world, TODAY, reason="appel")
    with world.workspace.opened.sessions.begin() as session:
        other_team = Team(name="Autre équipe")
        session.add(other_team)
        session.flush()
        stranger = User(display_name="Hors équipe", scope_id=other_team.id)
        session.add(stranger)
        session.flush()
        stranger_id = stranger.id
    check, call = sorted(world.service.items(today=TODAY, window="today"),
                         key=lambda item: item.kind != WorkKind.ORIENTATION_CHECK)
    with pytest.raises(ValidationError):
        world.service.assign(check, world.me)
    with pytest.raises(ValidationError):
        world.service.assign(call, stranger_id)
    assert world.service.items(today=TODAY, window="today", assignee=stranger_id) == []


def test_other_teams_closed_dossiers_and_deleted_rows_are_left_out(world: World) -> None:
    with world.workspace.opened.sessions.begin() as session:
        closed = Household(name="Famille Close", status=HouseholdStatus.CLOSED)
        session.add(closed)
        session.flush()
        closed_id = closed.id
    follow_up(world, TODAY, reason="autre équipe", scope_id=uuid.uuid4())
    follow_up(world, TODAY, reason="dossier clos", household=closed_id)
    follow_up(world, TODAY, reason="supprimé", deleted_at=NOW)
    follow_up(world, TODAY, reason="déjà fait", done_at=NOW)
    follow_up(world, TODAY, reason="à faire")
    assert reasons(world.service.items(today=TODAY, window="all_open")) == ["à faire"]


def test_mediators_are_the_team_members_by_name(world: World) -> None:
    names = [m.name for m in world.service.mediators()]
    assert names == ["Awa Diallo", "Karim Benali"]
    assert world.workspace.worklist.mediators()[0].id == world.me
