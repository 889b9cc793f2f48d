"""A household with every part of its dossier filled, with recognisable personal strings."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from mediadesk.domain.enums import (
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    Energy,
    InterviewStatus,
    PartnerKind,
)
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import (
    Action,
    Consent,
    ContactAttempt,
    Debt,
    EnergyContract,
    FollowUp,
    Household,
    HouseholdLanguage,
    Incident,
    Instalment,
    Interview,
    InterviewAnswer,
    Note,
    NoteRevision,
    Orientation,
    PaymentPlan,
    Person,
    Phone,
    ReferralEntry,
    ReferralList,
)

# Every personal string written below: none may survive an anonymisation, all must be exported.
PERSONAL = {
    "household.name": "Famille Quennehen-Zoubir",
    "household.street": "17 impasse des Glycines",
    "household.address_extra": "Bâtiment Orchidée",
    "household.city": "Saint-Priest-Vauclair",
    "household.email": "quennehen.zoubir@example.org",
    "person.first_name": "Yasmina",
    "person.last_name": "Quennehen",
    "person.notes": "Travaille de nuit chez Arvalis",
    "phone.number": "+33611223344",
    "energy_contract.customer_ref": "CR-99887766",
    "energy_contract.meter_point": "PDL14725836914",
    "debt.description": "Facture régularisation Vauclair",
    "contact_attempt.comment": "Rappeler après la sieste de Nassim",
    "note_revision.body": "Madame Quennehen craint la coupure",
    "note_revision.body#2": "Madame Quennehen a reçu l'échéancier",
    "incident.description": "Monsieur Zoubir a haussé le ton",
    "incident.anger_target": "le fournisseur Glycinergie",
    "consent.comment": "Accord donné par Yasmina au guichet",
    "interview.summary": "Situation suivie par Mme Perrichon, assistante sociale",
    "interview_answer.value": "Dette connue de Yasmina",
    "action.description": "Envoyer l'attestation à Mme Perrichon",
    "orientation.reason": "Dossier FSL avec Perrichon",
    "orientation.check_outcome": "Perrichon a confirmé le rendez-vous",
    "follow_up.reason": "Rappeler Yasmina pour l'échéancier",
    "referral_entry.fields": "QUENNEHEN YASMINA LIGNE FOURNISSEUR",
}


def build_full_household(workspace: Workspace, *, last_contact_on: date | None = None
                         ) -> uuid.UUID:
    now = datetime(2024, 3, 4, 10, 30, tzinfo=UTC)
    p = PERSONAL
    with workspace.opened.sessions.begin() as session:
        household = Household(name=p["household.name"], street=p["household.street"],
                              address_extra=p["household.address_extra"], postal_code="38990",
                              city=p["household.city"], email=p["household.email"],
                              interpreter_needed=True, vulnerability_flags=["disability"],
                              last_contact_on=last_contact_on or date(2024, 3, 4))
        session.add(household)
        session.flush()
        hid = household.id
        person = Person(household_id=hid, first_name=p["person.first_name"],
                        last_name=p["person.last_name"], birth_year=1979, notes=p["person.notes"])
        phone = Phone(household_id=hid, number=p["phone.number"])
        contract = EnergyContract(household_id=hid, supplier="EDF", energy=Energy.ELECTRICITY,
                                  customer_ref=p["energy_contract.customer_ref"],
                                  meter_point=p["energy_contract.meter_point"], linky=True,
                                  subscribed_kva=6)
        session.add_all([person, phone, contract, HouseholdLanguage(household_id=hid,
                                                                    language="ar")])
        session.flush()
        debt = Debt(household_id=hid, contract_id=contract.id, amount_cents=123456,
                    description=p["debt.description"], bill_date=date(2024, 1, 5))
        session.add(debt)
        session.flush()
        plan = PaymentPlan(household_id=hid, debt_id=debt.id, total_cents=123456,
                           start_on=date(2024, 4, 1), proposed_by="mediator")
        listing = ReferralList(partner="EDF", received_on=date(2024, 3, 1))
        interview = Interview(household_id=hid, started_at=now, finished_at=now,
                              status=InterviewStatus.DONE, autonomy_level=2, registers=[1, 3],
                              summary=p["interview.summary"])
        note = Note(household_id=hid, at=now)
        session.add_all([plan, listing, interview, note])
        session.flush()
        entry = ReferralEntry(list_id=listing.id, household_id=hid, line_no=4,
                              customer_ref=p["energy_contract.customer_ref"],
                              fields={"nom": p["referral_entry.fields"]})
        session.add(entry)
        session.flush()
        session.add_all([
            Instalment(plan_id=plan.id, position=1, due_on=date(2024, 4, 1), amount_cents=20576),
            InterviewAnswer(interview_id=interview.id, key="situation.debt_known",
                            value={"answer": "yes", "comment": p["interview_answer.value"]}),
            NoteRevision(note_id=note.id, body=p["note_revision.body"]),
            NoteRevision(note_id=note.id, body=p["note_revision.body#2"]),
            ContactAttempt(household_id=hid, referral_entry_id=entry.id, phone_id=phone.id,
                           at=now, channel=ContactChannel.PHONE, outcome=ContactOutcome.REACHED,
                           comment=p["contact_attempt.comment"]),
            Incident(household_id=hid, at=now, anger_target=p["incident.anger_target"],
                     description=p["incident.description"]),
            Consent(household_id=hid, person_id=person.id, kind=ConsentKind.STORAGE,
                    given_at=now, comment=p["consent.comment"]),
            Action(household_id=hid, interview_id=interview.id,
                   description=p["action.description"], due_on=date(2024, 3, 20)),
            Orientation(household_id=hid, interview_id=interview.id,
                        partner_kind=PartnerKind.FSL, reason=p["orientation.reason"],
                        oriented_on=date(2024, 3, 4),
                        check_outcome=p["orientation.check_outcome"]),
            FollowUp(household_id=hid, due_on=date(2024, 4, 2), reason=p["follow_up.reason"]),
        ])
    return hid
