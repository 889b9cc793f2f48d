"""A complete interview and hypothesis strategies built from the field codecs."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from mediadesk.domain.enums import (
    Actor,
    ContactChannel,
    ContactInitiator,
    InterventionRegister,
    InterviewPlace,
    PartnerKind,
)
from mediadesk.interview import (
    Answer,
    Consent,
    InterviewState,
    OptionCode,
    OrientationEntry,
    PlannedStep,
    SupplierContact,
)
from mediadesk.interview.codecs import (
    JSON,
    BoolCodec,
    Codec,
    DateCodec,
    EnumCodec,
    IntCodec,
    OptionalCodec,
    RecordCodec,
    TextCodec,
    TupleCodec,
)
from mediadesk.interview.state import FIELDS

TODAY = date(2027, 1, 10)
GIVEN = date(2027, 1, 10)


def complete_state(**answers: object) -> InterviewState:
    """An interview that can be closed on TODAY, with ``answers`` applied on top."""
    base: dict[str, object] = {
        "reception.initiated_by": ContactInitiator.SUPPLIER_LIST,
        "reception.place": InterviewPlace.COUNTER,
        "reception.languages": ("fr",),
        "reception.presentation_script_read": True,
        "reception.consent.mediation": Consent(given_on=GIVEN),
        "reception.consent.supplier_exchange": Consent(given_on=GIVEN),
        "reception.consent.storage": Consent(given_on=GIVEN),
        "situation.knows_debt_amount": Answer.YES,
        "situation.understands_debt": Answer.NO,
        "situation.knows_supplier": Answer.YES,
        "situation.knows_last_bill_location": Answer.YES,
        "situation.knows_last_payment_date": Answer.NO,
        "situation.declared_debt_cents": 84_000,
        "situation.main_residence": True,
        "options.chosen": (OptionCode.BILL_EXPLANATION, OptionCode.PAYMENT_PLAN),
        "supplier.supplier_name": "EDF",
        "supplier.supplier_amount_cents": 84_000,
        "supplier.contacts": (SupplierContact(TODAY, ContactChannel.PHONE, "Dossier vu"),),
        "next_step.steps": (
            PlannedStep(Actor.HOUSEHOLD, "Se rendre au SIP", date(2027, 1, 17)),
            PlannedStep(Actor.HOUSEHOLD, "Appeler le numéro vert chèque énergie",
                        date(2027, 1, 20)),
        ),
        "next_step.orientations": (
            OrientationEntry(PartnerKind.TAX_OFFICE, "Déclaration de revenus", date(2027, 2, 1)),
        ),
        "follow_up.due_on": date(2027, 2, 10),
        "follow_up.channel": ContactChannel.PHONE,
        "closing.registers": (InterventionRegister.LIFTING_MISUNDERSTANDINGS,
                              InterventionRegister.PUTTING_IN_TOUCH),
    }
    base.update(answers)
    return InterviewState().with_answers(base)


def answers_of(**answers: object) -> InterviewState:
    """An empty interview with ``answers`` (keys with "__" standing for ".")."""
    return InterviewState().with_answers({k.replace("__", "."): v for k, v in answers.items()})


json_values: st.SearchStrategy[JSON] = st.recursive(
    st.none() | st.booleans() | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


def typed_values(codec: Codec[Any]) -> st.SearchStrategy[Any]:
    """Valid typed values for a field codec."""
    if isinstance(codec, BoolCodec):
        return st.booleans()
    if isinstance(codec, IntCodec):
        low = codec.minimum if codec.minimum is not None else -(10**9)
        return st.integers(min_value=low, max_value=10**9)
    if isinstance(codec, TextCodec):
        return st.text(max_size=12)
    if isinstance(codec, DateCodec):
        return st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
    if isinstance(codec, EnumCodec):
        return st.sampled_from(tuple(codec.enum.__members__.values()))
    if isinstance(codec, OptionalCodec):
        return st.none() | typed_values(codec.inner)
    if isinstance(codec, TupleCodec):
        return st.lists(typed_values(codec.inner), max_size=3, unique=codec.unique).map(tuple)
    if isinstance(codec, RecordCodec):
        extra = st.dictionaries(
            st.text(min_size=1, max_size=6).filter(lambda k: k not in codec.fields),
            json_values, max_size=2)
        attrs = st.fixed_dictionaries({n: typed_values(c) for n, c in codec.fields.items()})
        return st.tuples(attrs, extra).map(lambda pair: codec.coerce({**pair[1], **pair[0]}))
    raise AssertionError(f"no strategy for {codec!r}")


unknown_keys = st.text(min_size=1, max_size=20).filter(lambda k: k not in FIELDS)


@st.composite
def states(draw: st.DrawFn) -> InterviewState:
    """Any interview state: some fields answered, some unknown keys from a newer version."""
    answers = draw(st.fixed_dictionaries(
        {}, optional={key: typed_values(spec.codec) for key, spec in FIELDS.items()}))
    extra = draw(st.dictionaries(unknown_keys, json_values, max_size=3))
    return InterviewState.from_answers(extra).with_answers(answers)
