"""A demo household's journal: contact attempts, interviews with their answers and consents,
next steps, orientations, notes, follow-up and incident."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mediadesk.interview import encode_answer
from mediadesk.interview.autonomy import AutonomyScore
from mediadesk.interview.codes import OptionCode
from mediadesk.services.demo.draw import Draw, HouseholdContext, Rows
from mediadesk.services.demo.vocabulary import (
    ACTIONS,
    ANSWERS,
    CHECK_OUTCOMES,
    CONTACT_COMMENTS,
    CONTACTS,
    FOLLOW_UPS,
    INCIDENTS,
    INITIATORS,
    LANGUAGE_NAMES,
    NOTES,
    ORIENTATIONS,
    PLACES,
    QUESTION_KEYS,
    STEPS,
    SUMMARIES,
)

OPTION_CHOICES: tuple[OptionCode, ...] = (
    OptionCode.BILL_EXPLANATION, OptionCode.PAYMENT_PLAN, OptionCode.PAYMENT_PLAN,
    OptionCode.ENERGY_VOUCHER_ATTESTATION, OptionCode.ENERGY_SAVING, OptionCode.ENERGY_SAVING,
    OptionCode.FSL_SOCIAL_WORKER, OptionCode.WRITTEN_COMPLAINT)
"""Options a demo interview picks from (the frequent ones twice)."""


def add_journal(draw: Draw, rows: Rows, ctx: HouseholdContext,
                phones: list[dict[str, Any]]) -> date:
    """Contacts, interviews, notes, follow-up, incident; returns the day of the last contact."""
    rng = draw.rng
    day = last = ctx.first_day
    for _ in range(rng.pick((1, 1, 2, 2, 3, 3, 4, 5, 6))):
        channel, outcome = rng.pick(CONTACTS)
        phone = rng.pick(phones) if channel in ("phone", "sms") else None
        at = draw.moment(day)
        rows["contact_attempt"].append(draw.row(
            at, household_id=ctx.hh_id, phone_id=phone["id"] if phone else None, at=at,
            channel=channel, outcome=outcome,
            next_attempt_on=None if outcome == "reached" else day + timedelta(
                days=rng.pick((2, 3, 7, 14))),
            comment=rng.pick(CONTACT_COMMENTS[outcome])))
        last = day
        day = draw.day_after(day, 45)
    for _ in range(rng.pick((0, 1, 1, 1, 2))):
        day = draw.day_after(day, 60)
        _interview(draw, rows, ctx, day)
        last = max(last, day)
    for _ in range(rng.pick((0, 1, 1, 2, 2, 3, 4))):
        at = draw.moment(draw.day_after(ctx.first_day, 700))
        note = draw.row(at, household_id=ctx.hh_id, at=at)
        rows["note"].append(note)
        rows["note_revision"].append(draw.row(
            at, note_id=note["id"], body=_text(draw, rng.pick(NOTES), ctx)))
    if rng.random() < 0.45:
        due = day + timedelta(days=rng.pick((7, 14, 30, 45, 60)))
        rows["follow_up"].append(draw.row(
            draw.moment(day), household_id=ctx.hh_id, due_on=due,
            channel=rng.pick(("phone", "phone", "sms", "home_visit", "counter")),
            reason=_text(draw, rng.pick(FOLLOW_UPS), ctx),
            assigned_to=draw.user if rng.random() < 0.5 else None,
            done_at=draw.moment(due) if due < draw.today and rng.random() < 0.8 else None))
    if rng.random() < 0.04:
        at = draw.moment(draw.day_after(ctx.first_day, 500))
        severity, target, description = rng.pick(INCIDENTS)
        rows["incident"].append(draw.row(
            at, household_id=ctx.hh_id, at=at, severity=severity, anger_target=target,
            handed_over_to=draw.user if rng.random() < 0.5 else None,
            visit_in_pairs=severity == "aggressive",
            description=_text(draw, description, ctx)))
    return last


def _interview(draw: Draw, rows: Rows, ctx: HouseholdContext, day: date) -> None:
    """An interview, its answers (one row each, as `InterviewService` saves them) and, the
    first time, the dossier's consents; a closed one also gets next steps, maybe an
    orientation."""
    rng = draw.rng
    started = draw.moment(day)
    done = rng.random() < (0.85 if day < draw.today - timedelta(days=3) else 0.3)
    # Step 2: the mediator lets the person talk; a question not asked has no row.
    asked = {key: answer for key in QUESTION_KEYS
             if (answer := rng.pick(ANSWERS)) != "not_asked"
             and (done or rng.random() < 0.4)}
    score = AutonomyScore(asked=len(asked), yes=sum(a == "yes" for a in asked.values()))
    summary = _text(draw, rng.pick(SUMMARIES), ctx) if done else None
    registers = sorted(rng.sample(range(1, 9), 2)) if done else []
    interview = draw.row(
        started, household_id=ctx.hh_id, mediator_id=draw.user,
        site_id=rng.pick(draw.sites), place=rng.pick(PLACES),
        initiated_by=rng.pick(INITIATORS), started_at=started,
        finished_at=started + timedelta(minutes=15 + rng.below(60)) if done else None,
        status="done" if done else "draft",
        current_step=STEPS[-1] if done else rng.pick(STEPS[:-1]),
        autonomy_level=int(score.level) if done and score.level is not None else None,
        registers=registers, summary=summary)
    rows["interview"].append(interview)
    answers: dict[str, object] = dict(asked)
    if asked.get("situation.knows_debt_amount") == "yes" and ctx.amounts:
        answers["situation.declared_debt_cents"] = ctx.amounts[0]
    if done:
        answers["closing.summary"] = summary
        answers["closing.registers"] = registers
        answers.update(_outcome(draw, ctx, day))
    if not ctx.consents:  # recorded in the first interview, mirrored into the dossier
        for kind in ("mediation", "storage", "supplier_exchange", "social_worker_sharing"):
            if kind in ("mediation", "storage") or rng.random() < 0.5:
                withdrawn = draw.moment(draw.today) if rng.random() < 0.02 else None
                method = rng.pick(("oral", "oral", "written"))
                ctx.consents.append((kind, {
                    "given_on": started.date().isoformat(), "method": method,
                    "withdrawn_on": withdrawn.date().isoformat() if withdrawn else None}))
                rows["consent"].append(draw.row(
                    started, household_id=ctx.hh_id, person_id=ctx.holder_id, kind=kind,
                    given_at=started, method=method, withdrawn_at=withdrawn, comment=None))
        answers.update((f"reception.consent.{k}", value) for k, value in ctx.consents)
    elif not done:  # a draft to resume carries the dossier's consents, as `start` does
        answers.update((f"reception.consent.{k}", value) for k, value in ctx.consents)
    rows["interview_answer"] += [
        draw.row(started, interview_id=interview["id"], key=key,
                  value=encode_answer(key, value)) for key, value in answers.items()]
    if not done:
        return
    for position in range(rng.pick((1, 1, 2, 2, 3))):
        actor, description = rng.pick(ACTIONS)
        due = day + timedelta(days=rng.pick((3, 7, 14, 30)))
        status = "done" if due < draw.today and rng.random() < 0.6 else rng.pick(
            ("planned", "planned", "cancelled"))
        rows["action"].append(draw.row(
            started, household_id=ctx.hh_id, interview_id=interview["id"], position=position,
            actor=actor, description=_text(draw, description, ctx), due_on=due,
            status=status, done_on=due if status == "done" else None))
    if rng.random() < 0.5:
        kind, reason = rng.pick(ORIENTATIONS)
        check_due = day + timedelta(days=30)
        checked = check_due < draw.today and rng.random() < 0.7
        rows["orientation"].append(draw.row(
            started, household_id=ctx.hh_id, interview_id=interview["id"],
            partner_kind=kind, partner_id=rng.pick(draw.partners.get(kind, [None])),
            reason=reason, oriented_on=day, check_due_on=check_due,
            checked_on=check_due if checked else None,
            check_outcome=rng.pick(CHECK_OUTCOMES) if checked else None))


def _outcome(draw: Draw, ctx: HouseholdContext, day: date) -> dict[str, object]:
    """Steps 3 and 4 of a finished interview: the options chosen and what the supplier
    agreed (a payment plan, a delay, or nothing yet), so activity reports count them."""
    rng = draw.rng
    chosen = set(rng.sample(OPTION_CHOICES, 1 + rng.below(3)))
    answers: dict[str, object] = {"options.chosen": tuple(sorted(chosen))}
    if OptionCode.PAYMENT_PLAN not in chosen or not ctx.amounts:
        return answers
    answers["supplier.supplier_amount_cents"] = ctx.amounts[0]
    roll = rng.random()
    if roll < 0.55:
        monthly = max(1_000, ctx.amounts[0] // rng.pick((6, 10, 12)))
        answers.update({"supplier.plan_agreed": True,
                        "supplier.proposed_monthly_cents": monthly // 100 * 100,
                        "supplier.plan_start_on": day + timedelta(days=rng.pick((15, 30)))})
    elif roll < 0.8:
        answers["supplier.negotiated_delay_until"] = day + timedelta(days=rng.pick((15, 30)))
    return answers


def _text(draw: Draw, template: str, ctx: HouseholdContext) -> str:
    rng = draw.rng
    amount = ctx.amounts[0] if ctx.amounts else 5_000 + rng.below(150_000)
    months = ctx.plan_months[0] if ctx.plan_months else 6
    return template.format(
        title=ctx.title, last=ctx.last_name,
        supplier=ctx.suppliers[0] if ctx.suppliers else "EDF", amount=_euros(amount),
        instalment=_euros(amount // months), n=months, days=rng.pick((15, 20)),
        day=(ctx.first_day + timedelta(days=rng.below(30))).strftime("%d/%m/%Y"),
        language=LANGUAGE_NAMES.get(ctx.language, "français"))


def _euros(cents: int) -> str:
    """French display of an amount ("1 234,56 €"), cheap enough for bulk text."""
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"
