"""The six-step interview as pure Python (no Qt, no SQL, no I/O).

Steps (``Step``), the typed immutable state and its answer keys (``InterviewState``, ``FIELDS``),
the autonomy level of seed 004, the suggested options and rule warnings, payment plans, the
energy-law date rules and the validation that says what blocks closing. All branching of the
wizard lives here; the UI only binds fields to answer keys.
"""

from mediadesk.interview.autonomy import (
    QUESTIONS,
    AutonomyLevel,
    AutonomyPoint,
    Trend,
    autonomy_history,
    autonomy_level,
    autonomy_score,
    level_title,
    overall_trend,
)
from mediadesk.interview.codecs import JSON, AnswerError
from mediadesk.interview.codes import (
    AngerTarget,
    Answer,
    ConflictReason,
    ConsentMethod,
    OptionCode,
    choice_title,
)
from mediadesk.interview.options import (
    RuleWarning,
    Suggestion,
    WarningCode,
    rule_warnings,
    suggest_options,
)
from mediadesk.interview.payment_plan import (
    Comparison,
    Instalment,
    Plan,
    ResteAVivre,
    compare_with_supplier,
    propose_plan,
    reste_a_vivre,
)
from mediadesk.interview.rules import (
    RULES,
    EnergyRules,
    NoticeEvent,
    OmbudsmanWindow,
    TimelineEvent,
    TruceStatus,
    energy_voucher_valid_until,
    ombudsman_window,
    power_limit_during_truce,
    truce_status,
    unpaid_notice_timeline,
)
from mediadesk.interview.sections import Consent, OrientationEntry, PlannedStep, SupplierContact
from mediadesk.interview.state import (
    FIELDS,
    InterviewState,
    UnknownAnswerKey,
    decode_answer,
    encode_answer,
    step_keys,
)
from mediadesk.interview.steps import Step, step_title
from mediadesk.interview.validation import Issue, Severity, closing_issues, consent_active, validate

__all__ = [
    "FIELDS",
    "JSON",
    "QUESTIONS",
    "RULES",
    "AngerTarget",
    "Answer",
    "AnswerError",
    "AutonomyLevel",
    "AutonomyPoint",
    "Comparison",
    "ConflictReason",
    "Consent",
    "ConsentMethod",
    "EnergyRules",
    "Instalment",
    "InterviewState",
    "Issue",
    "NoticeEvent",
    "OmbudsmanWindow",
    "OptionCode",
    "OrientationEntry",
    "Plan",
    "PlannedStep",
    "ResteAVivre",
    "RuleWarning",
    "Severity",
    "Step",
    "Suggestion",
    "SupplierContact",
    "TimelineEvent",
    "Trend",
    "TruceStatus",
    "UnknownAnswerKey",
    "WarningCode",
    "autonomy_history",
    "autonomy_level",
    "autonomy_score",
    "choice_title",
    "closing_issues",
    "compare_with_supplier",
    "consent_active",
    "decode_answer",
    "encode_answer",
    "energy_voucher_valid_until",
    "level_title",
    "ombudsman_window",
    "overall_trend",
    "power_limit_during_truce",
    "propose_plan",
    "reste_a_vivre",
    "rule_warnings",
    "step_keys",
    "step_title",
    "suggest_options",
    "truce_status",
    "unpaid_notice_timeline",
    "validate",
]
