"""The interview state: an immutable, typed model of every field of the six steps.

The store keeps the answers as a flat JSON object: ``{answer key: JSON value}``. The key scheme is
``"<section>.<field>"`` (``"situation.knows_debt_amount"``, ``"supplier.supplier_amount_cents"``),
and ``"reception.consent.<kind>"`` for the consents; :data:`FIELDS` lists them all.

Round trip contract:
- ``InterviewState.from_answers(s.to_answers()) == s`` for every state ``s``;
- ``InterviewState.from_answers(d).to_answers() == d`` for every answers object ``d`` whose
  values for known keys are canonical (as ``to_answers``/``encode_answer`` write them): unknown
  keys (from a newer version), values this version cannot read and keys explicitly set to their
  default are all written back unchanged. Nothing is ever dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, get_type_hints

from mediadesk.interview.codecs import JSON, AnswerError, Codec, Extras
from mediadesk.interview.sections import (
    SECTIONS,
    Closing,
    FollowUp,
    Key,
    NextStep,
    Options,
    Reception,
    Situation,
    SupplierLiaison,
)
from mediadesk.interview.steps import Step


class UnknownAnswerKey(AnswerError, KeyError):
    """The key names no field of this version."""


@dataclass(frozen=True)
class FieldSpec:
    """One answer key: where its value lives in the state and how it is stored."""

    key: str
    section: str
    attr: str
    codec: Codec[Any]
    default: Any
    step: Step

    def value_in(self, state: InterviewState) -> Any:
        return getattr(getattr(state, self.section), self.attr)


_SECTION_STEPS: dict[type[Any], Step] = {
    Reception: Step.RECEPTION, Situation: Step.SITUATION, Options: Step.OPTIONS,
    SupplierLiaison: Step.SUPPLIER_LIAISON, NextStep: Step.NEXT_STEP, FollowUp: Step.FOLLOW_UP,
    Closing: Step.FOLLOW_UP,
}


def _build_fields() -> dict[str, FieldSpec]:
    specs: dict[str, FieldSpec] = {}
    for cls in SECTIONS:
        hints = get_type_hints(cls, include_extras=True)
        for f in fields(cls):
            extras = getattr(hints[f.name], "__metadata__", ())
            codec = next(m for m in extras if isinstance(m, Codec))
            key = next((m.key for m in extras if isinstance(m, Key)), f"{cls.PREFIX}.{f.name}")
            default = f.default_factory() if f.default is MISSING else f.default  # type: ignore[misc]
            specs[key] = FieldSpec(key, cls.PREFIX, f.name, codec, default, _SECTION_STEPS[cls])
    return specs


FIELDS: Mapping[str, FieldSpec] = _build_fields()
"""Every answer key of this version, in screen order."""


def field_spec(key: str) -> FieldSpec:
    """The spec of an answer key; raises UnknownAnswerKey."""
    try:
        return FIELDS[key]
    except KeyError:
        raise UnknownAnswerKey(key) from None


def step_keys(step: Step) -> tuple[str, ...]:
    """The answer keys shown on one step's screen (step 6 includes the closing fields)."""
    return tuple(spec.key for spec in FIELDS.values() if spec.step is step)


def encode_answer(key: str, value: object) -> JSON:
    """The canonical JSON value to store for ``key``; raises AnswerError / UnknownAnswerKey."""
    spec = field_spec(key)
    return spec.codec.encode(spec.codec.coerce(value))


def decode_answer(key: str, raw: JSON) -> Any:
    """The typed value of a stored JSON value; raises AnswerError / UnknownAnswerKey."""
    return field_spec(key).codec.decode(raw)


@dataclass(frozen=True)
class InterviewState:
    """Every answer of one interview. Immutable: ``with_answer`` returns a new state.

    ``extra`` holds answers this version does not understand (kept verbatim); ``explicit`` the
    keys that were set even if to their default (not part of equality).
    """

    reception: Reception = field(default_factory=Reception)
    situation: Situation = field(default_factory=Situation)
    options: Options = field(default_factory=Options)
    supplier: SupplierLiaison = field(default_factory=SupplierLiaison)
    next_step: NextStep = field(default_factory=NextStep)
    follow_up: FollowUp = field(default_factory=FollowUp)
    closing: Closing = field(default_factory=Closing)
    extra: Extras = field(default_factory=Extras, repr=False)
    explicit: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def answer(self, key: str) -> Any:
        """The typed value of an answer key (its default when never answered).

        Raises UnknownAnswerKey for a key this version does not know.
        """
        return field_spec(key).value_in(self)

    def with_answer(self, key: str, value: object) -> InterviewState:
        """A copy with ``key`` set to ``value`` (typed, or its JSON form as the UI may send).

        Raises AnswerError when the value does not fit the field, UnknownAnswerKey for an
        unknown key. An unreadable stored value under that key is replaced.
        """
        spec = field_spec(key)
        typed = spec.codec.coerce(value)
        section = replace(getattr(self, spec.section), **{spec.attr: typed})
        changes: dict[str, Any] = {spec.section: section}
        return replace(self, **changes, extra=self.extra.without(key),
                       explicit=self.explicit | {key})

    def with_answers(self, answers: Mapping[str, object]) -> InterviewState:
        """``with_answer`` for each item, in order."""
        state = self
        for key, value in answers.items():
            state = state.with_answer(key, value)
        return state

    def cleared(self, key: str) -> InterviewState:
        """A copy where ``key`` is back to its default and absent from ``to_answers``."""
        spec = field_spec(key)
        section = replace(getattr(self, spec.section), **{spec.attr: spec.default})
        changes: dict[str, Any] = {spec.section: section}
        return replace(self, **changes, extra=self.extra.without(key),
                       explicit=self.explicit - {key})

    def unreadable_keys(self) -> tuple[str, ...]:
        """Known keys whose stored value could not be read (kept verbatim, shown as default)."""
        return tuple(key for key in self.extra if key in FIELDS)

    def unknown_keys(self) -> tuple[str, ...]:
        """Keys from a newer version, kept verbatim."""
        return tuple(key for key in self.extra if key not in FIELDS)

    def to_answers(self) -> dict[str, JSON]:
        """The JSON object to store: answered fields, explicit keys and kept extras."""
        answers = self.extra.to_dict()
        for spec in FIELDS.values():
            value = spec.value_in(self)
            if spec.key in self.explicit or value != spec.default:
                answers[spec.key] = spec.codec.encode(value)
        return answers

    @classmethod
    def from_answers(cls, answers: Mapping[str, JSON], *, strict: bool = False) -> InterviewState:
        """Read a stored answers object.

        Unknown keys are kept; a known key whose value cannot be read is kept verbatim (the field
        shows its default) unless ``strict``, where AnswerError is raised instead.
        """
        by_section: dict[str, dict[str, Any]] = {}
        kept: dict[str, JSON] = {}
        for key, raw in answers.items():
            spec = FIELDS.get(key)
            if spec is None:
                kept[key] = raw
                continue
            try:
                by_section.setdefault(spec.section, {})[spec.attr] = spec.codec.decode(raw)
            except AnswerError:
                if strict:
                    raise
                kept[key] = raw
        sections = {name: replace(getattr(_EMPTY, name), **attrs)
                    for name, attrs in by_section.items()}
        explicit = frozenset(key for key in answers if key in FIELDS and key not in kept)
        return cls(**sections, extra=Extras.of(kept), explicit=explicit)


_EMPTY = InterviewState()
