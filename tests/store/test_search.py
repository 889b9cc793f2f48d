from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import pytest

from mediadesk.domain.phones import phone_search_forms
from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store import search
from mediadesk.store.models import EnergyContract, Household


def _add(workspace: Workspace, name: str, *, street: str = "", city: str = "",
         phones: tuple[str, ...] = (), members: tuple[tuple[str, str], ...] = ()) -> uuid.UUID:
    dossier = workspace.dossiers.create_household(HouseholdDraft(
        name=name, street=street, city=city, postal_code="77000" if city else "",
        phones=tuple(PhoneDraft(p) for p in phones),
        members=tuple(MemberDraft(first, last) for first, last in members),
    ))
    return dossier.household.id


def _found(workspace: Workspace, text: str) -> set[uuid.UUID]:
    return {hit.id for hit in workspace.dossiers.find_households(text)}


@pytest.fixture
def households(workspace: Workspace) -> dict[str, uuid.UUID]:
    ids = {
        "lefevre": _add(workspace, "LEFÈVRE Benoît", street="12 rue de l'Église",
                        city="Melun", phones=("06 12 34 56 78",),
                        members=(("Benoît", "Lefèvre"), ("Anaïs", "Lefèvre"))),
        "nguyen": _add(workspace, "Nguyễn Thị Hoa", street="4 allée Saint-Exupéry",
                       city="Dammarie-lès-Lys", phones=("+33 1 64 00 11 22",)),
        "dupont": _add(workspace, "Dupont-Aignan Marc", street="8 avenue Jean-Jaurès",
                       city="Le Mée-sur-Seine", phones=("07.70.00.12.34",)),
    }
    opened = workspace.opened
    with opened.sessions.begin() as session:
        session.add(EnergyContract(household_id=ids["dupont"], supplier="EDF",
                                   customer_ref="CR-4455 6677", meter_point="09 1234 5678 9012"))
    return ids


@pytest.mark.parametrize("query", ["lefevre", "LEFÈVRE", "Lefe", "lèfév", "benoit lef",
                                   "lefevre benoit", "anais"])
def test_names_match_whatever_the_accents_case_or_order(
    workspace: Workspace, households: dict[str, uuid.UUID], query: str
) -> None:
    assert _found(workspace, query) == {households["lefevre"]}


@pytest.mark.parametrize("query", ["nguyen", "Nguyễn hoa", "dupont aignan", "dupont-aig",
                                   "mee sur seine", "dammarie les", "saint exupery",
                                   "jean jaures", "eglise"])
def test_punctuation_and_hyphens_do_not_matter(
    workspace: Workspace, households: dict[str, uuid.UUID], query: str
) -> None:
    assert len(_found(workspace, query)) == 1


@pytest.mark.parametrize("query", ["06 12 34", "0612", "06.12.34.56", "06-12-34-56-78",
                                   "+33 6 12 34", "+33612", "0033 6 12", "(06) 12 34"])
def test_phone_fragments_in_any_format(
    workspace: Workspace, households: dict[str, uuid.UUID], query: str
) -> None:
    assert _found(workspace, query) == {households["lefevre"]}


def test_landline_and_dotted_numbers(workspace: Workspace, households: dict[str, uuid.UUID]
                                     ) -> None:
    assert _found(workspace, "01 64 00") == {households["nguyen"]}
    assert _found(workspace, "07 70 00 12") == {households["dupont"]}


@pytest.mark.parametrize("query", ["CR-4455 6677", "cr44556677", "cr 4455", "4455 66",
                                   "09123456789012", "09 1234 5678"])
def test_customer_references_and_meter_points(
    workspace: Workspace, households: dict[str, uuid.UUID], query: str
) -> None:
    assert _found(workspace, query) == {households["dupont"]}


def test_no_match_and_blank_queries(workspace: Workspace, households: dict[str, uuid.UUID]
                                    ) -> None:
    assert _found(workspace, "zzzz") == set()
    assert _found(workspace, "   ") == set()
    assert _found(workspace, "\"*'()") == set()


def test_edits_and_deletes_reach_the_index(workspace: Workspace,
                                           households: dict[str, uuid.UUID]) -> None:
    ident = households["lefevre"]
    workspace.dossiers.update_household(ident, HouseholdDraft(name="LEFÈVRE Benoît",
                                                              city="Fontainebleau",
                                                              postal_code="77300"))
    assert _found(workspace, "fontainebleau") == {ident}
    assert _found(workspace, "melun") == set()
    assert _found(workspace, "06 12 34") == set()  # the phone was removed in the edit
    with workspace.opened.sessions.begin() as session:
        household = session.get(Household, ident)
        assert household is not None
        household.deleted_at = datetime.now(UTC)
    assert _found(workspace, "lefevre") == set()


@pytest.mark.parametrize("number", [
    "+33612345678", "+33164001122", "+33912345678", "+33800123456", "+33012345678",
    "+3361234567", "+336123456789", "+262692123456", "+590690123456", "+447700900123",
    "+14155550123", "+33٦12345678", "0612345678", "", "pas un numéro"])
def test_phone_forms_without_parsing_are_the_parsed_ones(number: str) -> None:
    assert search._phone_forms(number) == phone_search_forms(number)


def test_phone_forms_of_any_metropolitan_number_are_the_parsed_ones() -> None:
    rng = random.Random(7)
    for _ in range(300):
        number = f"+33{rng.randint(1, 9)}{rng.randint(0, 99_999_999):08d}"
        assert search._phone_forms(number) == phone_search_forms(number), number
