"""The fields of each step: one frozen dataclass per section, each field with its codec.

A field's annotation carries its codec (``Annotated[type, codec]``); its answer key is
``"<section prefix>.<attribute>"`` unless the annotation adds a :class:`Key` (the consents:
``"reception.consent.<ConsentKind value>"``). Records inside lists (supplier
contacts, next steps, orientations) keep the attributes a newer version added in ``extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, ClassVar

from mediadesk.domain.enums import (
    Actor,
    ConsentKind,
    ContactChannel,
    ContactInitiator,
    InterventionRegister,
    InterviewPlace,
    PartnerKind,
)
from mediadesk.interview.codecs import (
    BoolCodec,
    DateCodec,
    EnumCodec,
    Extras,
    IntCodec,
    OptionalCodec,
    RecordCodec,
    TextCodec,
    TupleCodec,
)
from mediadesk.interview.codes import AngerTarget, Answer, ConflictReason, ConsentMethod, OptionCode

_BOOL = BoolCodec()
_TEXT = TextCodec()
_DAY = OptionalCodec(DateCodec())



@dataclass(frozen=True)
class Key:
    """Annotation metadata: the answer key of a field whose key is not prefix.attribute."""

    key: str


# Field types: the annotation carries the codec (read by state.FIELDS).
AnswerField = Annotated[Answer, EnumCodec(Answer)]
Text = Annotated[str, _TEXT]
Flag = Annotated[bool, _BOOL]
MaybeFlag = Annotated[bool | None, OptionalCodec(_BOOL)]
Day = Annotated[date | None, OptionalCodec(DateCodec())]
Cents = Annotated[int | None, OptionalCodec(IntCodec(minimum=0))]
Kva = Annotated[int | None, OptionalCodec(IntCodec(minimum=1))]


# Records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    """One kind of consent. Active on a day D when given on or before D and not withdrawn
    between the giving and D (see validation.consent_active)."""

    given_on: date | None = None
    withdrawn_on: date | None = None
    method: ConsentMethod | None = None
    extra: Extras = field(default_factory=Extras, repr=False)


@dataclass(frozen=True)
class SupplierContact:
    """One exchange with the supplier (step 4 contact log)."""

    on: date | None = None
    channel: ContactChannel | None = None
    summary: str = ""
    extra: Extras = field(default_factory=Extras, repr=False)


@dataclass(frozen=True)
class PlannedStep:
    """One agreed next step: who does what by when. The first of the list is stressed."""

    actor: Actor = Actor.HOUSEHOLD
    description: str = ""
    due_on: date | None = None
    partner_kind: PartnerKind | None = None
    extra: Extras = field(default_factory=Extras, repr=False)


@dataclass(frozen=True)
class OrientationEntry:
    """A hand-over to a partner, with the day to check that it really happened."""

    partner_kind: PartnerKind | None = None
    reason: str = ""
    check_on: date | None = None
    extra: Extras = field(default_factory=Extras, repr=False)


_CONSENT = RecordCodec(Consent, {
    "given_on": _DAY, "withdrawn_on": _DAY, "method": OptionalCodec(EnumCodec(ConsentMethod)),
})
_CONTACT = RecordCodec(SupplierContact, {
    "on": _DAY, "channel": OptionalCodec(EnumCodec(ContactChannel)), "summary": _TEXT,
})
_PLANNED = RecordCodec(PlannedStep, {
    "actor": EnumCodec(Actor), "description": _TEXT, "due_on": _DAY,
    "partner_kind": OptionalCodec(EnumCodec(PartnerKind)),
})
_ORIENTATION = RecordCodec(OrientationEntry, {
    "partner_kind": OptionalCodec(EnumCodec(PartnerKind)), "reason": _TEXT, "check_on": _DAY,
})


# Sections ---------------------------------------------------------------------------------


def _consent_key(kind: ConsentKind) -> Key:
    return Key(f"reception.consent.{kind.value}")


_MEDIATION = _consent_key(ConsentKind.MEDIATION)
_SUPPLIER_EXCHANGE = _consent_key(ConsentKind.SUPPLIER_EXCHANGE)
_SOCIAL_WORKER_SHARING = _consent_key(ConsentKind.SOCIAL_WORKER_SHARING)
_STORAGE = _consent_key(ConsentKind.STORAGE)


@dataclass(frozen=True)
class Reception:
    """Step 1: who, on whose initiative, where, in which language; presentation; consents."""

    PREFIX: ClassVar[str] = "reception"
    initiated_by: Annotated[
        ContactInitiator | None, OptionalCodec(EnumCodec(ContactInitiator))] = None
    referred_by: Annotated[PartnerKind | None, OptionalCodec(EnumCodec(PartnerKind))] = None
    place: Annotated[InterviewPlace | None, OptionalCodec(EnumCodec(InterviewPlace))] = None
    person_met: Text = ""
    languages: Annotated[tuple[str, ...], TupleCodec(_TEXT, unique=True)] = ()
    interpreter_used: MaybeFlag = None
    presentation_script_read: Flag = False
    consent_mediation: Annotated[Consent, _CONSENT, _MEDIATION] = field(default_factory=Consent)
    consent_supplier_exchange: Annotated[Consent, _CONSENT, _SUPPLIER_EXCHANGE] = field(
        default_factory=Consent)
    consent_social_worker_sharing: Annotated[Consent, _CONSENT, _SOCIAL_WORKER_SHARING] = field(
        default_factory=Consent)
    consent_storage: Annotated[Consent, _CONSENT, _STORAGE] = field(default_factory=Consent)

    def consent(self, kind: ConsentKind) -> Consent:
        """The consent record of one kind."""
        value: Consent = getattr(self, f"consent_{kind.value}")
        return value


@dataclass(frozen=True)
class Situation:
    """Step 2: the nine autonomy questions of seed 004, then the facts of the situation.

    Amounts are the household's own version (the supplier's is in step 4).
    """

    PREFIX: ClassVar[str] = "situation"
    knows_debt_amount: AnswerField = Answer.NOT_ASKED
    understands_debt: AnswerField = Answer.NOT_ASKED
    knows_supplier: AnswerField = Answer.NOT_ASKED
    knows_last_bill_location: AnswerField = Answer.NOT_ASKED
    knows_last_payment_date: AnswerField = Answer.NOT_ASKED
    had_fsl_aid: AnswerField = Answer.NOT_ASKED
    followed_by_social_worker: AnswerField = Answer.NOT_ASKED
    has_solution_ideas: AnswerField = Answer.NOT_ASKED
    received_energy_voucher: AnswerField = Answer.NOT_ASKED
    conflict_reasons: Annotated[
        tuple[ConflictReason, ...], TupleCodec(EnumCodec(ConflictReason), unique=True)] = ()
    declared_debt_cents: Cents = None
    last_payment_on: Day = None
    monthly_income_cents: Cents = None
    monthly_charges_cents: Cents = None
    household_size: Annotated[int | None, OptionalCodec(IntCodec(minimum=1))] = None
    has_linky: MaybeFlag = None
    bills_estimated: MaybeFlag = None
    main_residence: MaybeFlag = None
    energy_voucher_year: Annotated[int | None, OptionalCodec(IntCodec(minimum=2018))] = None
    energy_voucher_attestation_sent: MaybeFlag = None
    fsl_last_aid_on: Day = None
    anger_target: Annotated[AngerTarget | None, OptionalCodec(EnumCodec(AngerTarget))] = None
    tension_persists: Flag = False
    notes: Text = ""


@dataclass(frozen=True)
class Options:
    """Step 3: the options the mediator chose (in the order presented) and her notes."""

    PREFIX: ClassVar[str] = "options"
    chosen: Annotated[
        tuple[OptionCode, ...], TupleCodec(EnumCodec(OptionCode), unique=True)] = ()
    notes: Text = ""


@dataclass(frozen=True)
class SupplierLiaison:
    """Step 4: the supplier's version, what was negotiated, the contact log."""

    PREFIX: ClassVar[str] = "supplier"
    supplier_name: Text = ""
    supplier_amount_cents: Cents = None
    unpaid_bill_on: Day = None
    last_payment_on: Day = None
    subscribed_kva: Kva = None
    discrepancies: Text = ""
    negotiated_delay_until: Day = None
    proposed_monthly_cents: Cents = None
    supplier_monthly_cents: Cents = None
    plan_start_on: Day = None
    plan_agreed: Flag = False
    contacts: Annotated[tuple[SupplierContact, ...], TupleCodec(_CONTACT)] = ()
    written_complaint_on: Day = None
    complaint_answer_satisfactory: MaybeFlag = None
    redirected_to_enedis: Flag = False


@dataclass(frozen=True)
class NextStep:
    """Step 5: the agreed steps in order, the orientations, the language of the sheet."""

    PREFIX: ClassVar[str] = "next_step"
    steps: Annotated[tuple[PlannedStep, ...], TupleCodec(_PLANNED)] = ()
    orientations: Annotated[tuple[OrientationEntry, ...], TupleCodec(_ORIENTATION)] = ()
    sheet_language: Annotated[str | None, OptionalCodec(_TEXT)] = None


@dataclass(frozen=True)
class FollowUp:
    """Step 6: when and how the team checks the dossier again."""

    PREFIX: ClassVar[str] = "follow_up"
    due_on: Day = None
    channel: Annotated[ContactChannel | None, OptionalCodec(EnumCodec(ContactChannel))] = None
    by_team: Flag = True
    note: Text = ""


@dataclass(frozen=True)
class Closing:
    """The whole interview: intervention registers (1-8, seed 002) and a short summary.

    Shown and validated with step 6, where the interview is closed.
    """

    PREFIX: ClassVar[str] = "closing"
    registers: Annotated[tuple[InterventionRegister, ...],
                         TupleCodec(EnumCodec(InterventionRegister), unique=True)] = ()
    summary: Text = ""


SECTIONS: tuple[type[Any], ...] = (
    Reception, Situation, Options, SupplierLiaison, NextStep, FollowUp, Closing,
)
