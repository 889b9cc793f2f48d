"""Demo data generator: `Maker` builds the rows (dicts by column) of one household at a time,
drawing from one seeded `Random` and the Faker-built `Pools`: members, phones, languages, energy
contracts, debts, payment plans, then the journal (contacts, interviews with answers and consents,
next steps, orientations, notes, follow-up, incident) over the last `HISTORY_DAYS` days.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mediadesk.domain.ids import new_id
from mediadesk.domain.text import fold
from mediadesk.interview import encode_answer
from mediadesk.interview.autonomy import AutonomyScore
from mediadesk.interview.codes import OptionCode
from mediadesk.services.demo.bulk import TABLES
from mediadesk.services.demo.pools import Names, Pools, Random
from mediadesk.services.demo.vocabulary import (
    ACTIONS,
    ADDRESS_EXTRAS,
    ANSWERS,
    CHECK_OUTCOMES,
    CONTACT_COMMENTS,
    CONTACTS,
    DEBT_DESCRIPTIONS,
    EMAIL_DOMAINS,
    FOLLOW_UPS,
    FR_NAME_ORIGINS,
    INCIDENTS,
    INITIATORS,
    LANGUAGE_NAMES,
    LANGUAGES,
    MEMBER_COUNTS,
    NAME_ORIGIN,
    NOTES,
    ORIENTATIONS,
    OUTCOMES,
    PHONE_STATUSES,
    PLACES,
    QUESTION_KEYS,
    REFERENCE_FORMATS,
    STATUSES,
    STEPS,
    STREET_NUMBERS,
    SUMMARIES,
    SUPPLIERS,
    VULNERABILITIES,
)

HISTORY_DAYS = 730
Rows = dict[str, list[dict[str, Any]]]


@dataclass
class _Context:
    """What later rows of one household need to know about the earlier ones."""

    hh_id: uuid.UUID
    holder_id: uuid.UUID
    title: str
    last_name: str
    first_day: date
    language: str
    suppliers: list[str] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)
    plan_months: list[int] = field(default_factory=list)
    consents: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)


class Maker:
    """Builds the rows of one household at a time from the pools and one random generator."""

    def __init__(self, rng: Random, pools: Pools, stamp: dict[str, Any],
                 sites: list[Any], partners: dict[str, list[Any]], today: date) -> None:
        self.rng, self.pools, self.stamp = rng, pools, stamp
        self.sites, self.partners, self.today = sites, partners, today
        self.user = stamp["created_by"]

    def _row(self, when: datetime, /, **fields: Any) -> dict[str, Any]:
        return {**self.stamp, "id": new_id(), "created_at": when, "updated_at": when, **fields}

    def _moment(self, day: date) -> datetime:
        minutes = 7 * 60 + self.rng.below(10 * 60)  # 08:00-18:00 in Paris, roughly
        return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                        self.rng.below(60), tzinfo=UTC)

    def _day_after(self, start: date, max_days: int) -> date:
        return min(start + timedelta(days=self.rng.below(max_days + 1)), self.today)

    def _digits(self, n: int) -> str:
        return str(self.rng.between(10 ** (n - 1), 10**n))

    def chunk(self, size: int) -> tuple[Rows, list[uuid.UUID]]:
        """The rows of ``size`` households, by table name, and the households' ids."""
        rows: Rows = {table.name: [] for table in TABLES}
        return rows, [self.household(rows) for _ in range(size)]

    def household(self, rows: Rows) -> uuid.UUID:
        """Append one household and its dossier to ``rows``; return its id."""
        rng = self.rng
        first_day = self.today - timedelta(days=rng.below(HISTORY_DAYS))
        created = self._moment(first_day)
        language = rng.pick(LANGUAGES)
        origin = rng.pick(FR_NAME_ORIGINS) if language == "fr" else NAME_ORIGIN[language]
        hh_id = new_id()
        people, female = self._members(hh_id, created, self.pools.names[origin])
        holder = people[0]
        rows["person"] += people
        languages = [language]
        if language != "fr" and rng.random() < 0.6:
            languages.append("fr")
        interpreter = "fr" not in languages and rng.random() < 0.75
        rows["household_language"] += [self._row(created, household_id=hh_id, language=lang)
                                       for lang in languages]
        phones = self._phones(hh_id, created, holder["id"])
        rows["phone"] += phones
        postal_code, city = rng.pick(self.pools.towns)
        flags = {rng.pick(VULNERABILITIES) for _ in range(rng.below(3))}
        household = self._row(
            created, name=self._household_name(people, female),
            street=f"{rng.pick(STREET_NUMBERS)} {rng.pick(self.pools.streets)}",
            address_extra=rng.pick(ADDRESS_EXTRAS) if rng.random() < 0.3 else None,
            postal_code=postal_code, city=city,
            email=self._email(holder) if rng.random() < 0.35 else None,
            interpreter_needed=interpreter, referent_id=self.user, site_id=rng.pick(self.sites),
            vulnerability_flags=sorted(flags | ({"language"} if interpreter else set())),
            status="open", outcome=None, last_contact_on=None)
        household["id"] = hh_id
        rows["household"].append(household)
        ctx = _Context(hh_id, holder["id"], "Mme" if female else "M.", holder["last_name"],
                       first_day, language)
        self._energy(rows, ctx)
        last_contact = self._journal(rows, ctx, phones)
        household["last_contact_on"] = last_contact
        status = rng.pick(STATUSES)
        if status == "open" and (self.today - last_contact).days > 300:
            status = "dormant"
        household["status"] = status
        if status == "closed":
            household["outcome"] = rng.pick(OUTCOMES)
        return hh_id

    def _members(self, hh_id: Any, at: datetime, names: Names
                 ) -> tuple[list[dict[str, Any]], bool]:
        rng, this_year = self.rng, self.today.year
        last = rng.pick(names.last)
        female = rng.random() < 0.62  # most people met at the desks are women
        year = this_year - 20 - rng.below(65)
        people = [self._person(hh_id, at, 0, names, female, last, "holder", year)]
        for position in range(1, rng.pick(MEMBER_COUNTS)):
            if position == 1 and rng.random() < 0.5:
                spouse_last = last if rng.random() < 0.7 else rng.pick(names.last)
                people.append(self._person(hh_id, at, position, names, not female, spouse_last,
                                           "spouse", year + rng.between(-6, 7)))
            elif year < this_year - 38 or rng.random() < 0.3:
                child_year = min(max(year + 18 + rng.below(22), this_year - 24), this_year)
                people.append(self._person(hh_id, at, position, names, rng.random() < 0.5,
                                           last, "child", child_year))
            else:
                people.append(self._person(hh_id, at, position, names, rng.random() < 0.5,
                                           rng.pick(names.last),
                                           rng.pick(("relative", "relative", "other")),
                                           this_year - 18 - rng.below(70)))
        return people, female

    def _person(self, hh_id: Any, at: datetime, position: int, names: Names, female: bool,
                last: str, role: str, year: int) -> dict[str, Any]:
        first = self.rng.pick(names.female if female else names.male)
        return self._row(at, household_id=hh_id, position=position, first_name=first,
                         last_name=last, role=role, birth_year=year)

    def _household_name(self, people: list[dict[str, Any]], female: bool) -> str:
        holder = people[0]
        if len(people) > 1 and people[1]["role"] == "spouse" and (
                people[1]["last_name"] == holder["last_name"]):
            return f"M. et Mme {holder['last_name']}"
        if len(people) >= 3 and self.rng.random() < 0.5:
            return f"Famille {holder['last_name']}"
        return f"{'Mme' if female else 'M.'} {holder['first_name']} {holder['last_name']}"

    def _email(self, holder: dict[str, Any]) -> str:
        local = fold(f"{holder['first_name']}.{holder['last_name']}").replace(" ", ".")
        return local + self.rng.pick(EMAIL_DOMAINS)

    def _phones(self, hh_id: Any, at: datetime, holder_id: Any) -> list[dict[str, Any]]:
        rng = self.rng
        phones = []
        for position in range(rng.pick((1, 1, 1, 2, 2, 3))):
            if position == 0 or rng.random() < 0.6:  # mobiles: 06, 073-079
                prefix = "6" + rng.pick("0123456789") if rng.random() < 0.8 else (
                    "7" + rng.pick("3456789"))
            else:  # landlines: 01-05, 09 (box)
                prefix = rng.pick("123459") + rng.pick("0123456789")
            phones.append(self._row(
                at, household_id=hh_id, person_id=holder_id if position == 0 else None,
                position=position, number=f"+33{prefix}{rng.below(10**7):07d}",
                status=rng.pick(PHONE_STATUSES)))
        return phones

    # -- contracts, debts, plans --------------------------------------------------------------

    def _energy(self, rows: Rows, ctx: _Context) -> None:
        rng = self.rng
        energies = ["electricity"] + (["gas"] if rng.random() < 0.45 else []) + (
            ["water"] if rng.random() < 0.08 else [])
        for energy in energies:
            supplier = rng.pick(SUPPLIERS[energy])
            prefix, digits = REFERENCE_FORMATS[supplier]
            electricity = energy == "electricity"
            contract = self._row(
                self._moment(ctx.first_day), household_id=ctx.hh_id, supplier=supplier,
                energy=energy, customer_ref=prefix + self._digits(digits),
                meter_point=self._digits(14) if energy != "water" else None,  # PDL / PCE
                linky=rng.random() < 0.88 if electricity else None,
                subscribed_kva=rng.pick((3, 6, 6, 6, 9, 9, 12)) if electricity else None,
                energy_voucher_attestation_sent=rng.random() < 0.3, main_residence=True)
            rows["energy_contract"].append(contract)
            ctx.suppliers.append(supplier)
            for _ in range(rng.pick((0, 1, 1, 1, 2)) if energy != "water" else 1):
                self._debt(rows, ctx, contract)

    def _debt(self, rows: Rows, ctx: _Context, contract: dict[str, Any]) -> None:
        rng = self.rng
        amount = int(min(max(rng.lognormvariate(11.3, 0.8), 3_000), 900_000))  # cents
        bill = max(ctx.first_day - timedelta(days=rng.between(15, 120)),
                   self.today - timedelta(days=HISTORY_DAYS))
        period_end = bill - timedelta(days=rng.between(5, 20))
        contested = rng.random() < 0.12
        debt = self._row(
            self._moment(ctx.first_day), household_id=ctx.hh_id, contract_id=contract["id"],
            amount_cents=amount, supplier_amount_cents=amount,
            household_amount_cents=(amount - rng.below(amount // 2) if contested else amount)
            if rng.random() < 0.7 else None,
            period_start=period_end - timedelta(days=rng.pick((30, 61, 182, 365))),
            period_end=period_end, bill_date=bill, contested=contested,
            description=rng.pick(DEBT_DESCRIPTIONS))
        rows["debt"].append(debt)
        ctx.amounts.append(amount)
        if rng.random() < 0.35:
            self._plan(rows, ctx, debt)

    def _plan(self, rows: Rows, ctx: _Context, debt: dict[str, Any]) -> None:
        rng = self.rng
        total = debt["amount_cents"]
        start = ctx.first_day + timedelta(days=7 + rng.below(50))
        count = rng.pick((3, 4, 6, 6, 6, 10, 12))
        status = rng.pick(("proposed", "agreed", "ongoing", "ongoing", "completed", "broken"))
        plan = self._row(self._moment(ctx.first_day), household_id=ctx.hh_id, debt_id=debt["id"],
                         total_cents=total, start_on=start, status=status,
                         proposed_by=rng.pick(("supplier", "mediator")),
                         agreed_on=None if status == "proposed" else start - timedelta(days=5))
        rows["payment_plan"].append(plan)
        ctx.plan_months.append(count)
        base, remainder = divmod(total, count)
        broken_at = rng.between(1, count) if status == "broken" else count
        for position in range(count):
            due = start + timedelta(days=30 * position)
            amount = base + (remainder if position == count - 1 else 0)
            paid = status != "proposed" and due <= self.today and position < broken_at
            rows["instalment"].append(self._row(
                plan["created_at"], plan_id=plan["id"], position=position, due_on=due,
                amount_cents=amount,
                paid_on=min(due + timedelta(days=rng.between(-3, 8)), self.today)
                if paid else None,
                paid_cents=amount if paid else None))

    # -- the journal --------------------------------------------------------------------------

    def _journal(self, rows: Rows, ctx: _Context, phones: list[dict[str, Any]]) -> date:
        """Contacts, interviews, notes, follow-up, incident; returns the day of the last contact."""
        rng = self.rng
        day = last = ctx.first_day
        for _ in range(rng.pick((1, 1, 2, 2, 3, 3, 4, 5, 6))):
            channel, outcome = rng.pick(CONTACTS)
            phone = rng.pick(phones) if channel in ("phone", "sms") else None
            at = self._moment(day)
            rows["contact_attempt"].append(self._row(
                at, household_id=ctx.hh_id, phone_id=phone["id"] if phone else None, at=at,
                channel=channel, outcome=outcome,
                next_attempt_on=None if outcome == "reached" else day + timedelta(
                    days=rng.pick((2, 3, 7, 14))),
                comment=rng.pick(CONTACT_COMMENTS[outcome])))
            last = day
            day = self._day_after(day, 45)
        for _ in range(rng.pick((0, 1, 1, 1, 2))):
            day = self._day_after(day, 60)
            self._interview(rows, ctx, day)
            last = max(last, day)
        for _ in range(rng.pick((0, 1, 1, 2, 2, 3, 4))):
            at = self._moment(self._day_after(ctx.first_day, 700))
            note = self._row(at, household_id=ctx.hh_id, at=at)
            rows["note"].append(note)
            rows["note_revision"].append(self._row(
                at, note_id=note["id"], body=self._text(rng.pick(NOTES), ctx)))
        if rng.random() < 0.45:
            due = day + timedelta(days=rng.pick((7, 14, 30, 45, 60)))
            rows["follow_up"].append(self._row(
                self._moment(day), household_id=ctx.hh_id, due_on=due,
                channel=rng.pick(("phone", "phone", "sms", "home_visit", "counter")),
                reason=self._text(rng.pick(FOLLOW_UPS), ctx),
                assigned_to=self.user if rng.random() < 0.5 else None,
                done_at=self._moment(due) if due < self.today and rng.random() < 0.8 else None))
        if rng.random() < 0.04:
            at = self._moment(self._day_after(ctx.first_day, 500))
            severity, target, description = rng.pick(INCIDENTS)
            rows["incident"].append(self._row(
                at, household_id=ctx.hh_id, at=at, severity=severity, anger_target=target,
                handed_over_to=self.user if rng.random() < 0.5 else None,
                visit_in_pairs=severity == "aggressive",
                description=self._text(description, ctx)))
        return last

    def _interview(self, rows: Rows, ctx: _Context, day: date) -> None:
        """An interview, its answers (one row each, as `InterviewService` saves them) and, the
        first time, the dossier's consents; a closed one also gets next steps, maybe an
        orientation."""
        rng = self.rng
        started = self._moment(day)
        done = rng.random() < (0.85 if day < self.today - timedelta(days=3) else 0.3)
        # Step 2: the mediator lets the person talk; a question not asked has no row.
        asked = {key: answer for key in QUESTION_KEYS
                 if (answer := rng.pick(ANSWERS)) != "not_asked"
                 and (done or rng.random() < 0.4)}
        score = AutonomyScore(asked=len(asked), yes=sum(a == "yes" for a in asked.values()))
        summary = self._text(rng.pick(SUMMARIES), ctx) if done else None
        registers = sorted(rng.sample(range(1, 9), 2)) if done else []
        interview = self._row(
            started, household_id=ctx.hh_id, mediator_id=self.user,
            site_id=rng.pick(self.sites), place=rng.pick(PLACES),
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
            answers.update(self._outcome(ctx, day))
        if not ctx.consents:  # recorded in the first interview, mirrored into the dossier
            for kind in ("mediation", "storage", "supplier_exchange", "social_worker_sharing"):
                if kind in ("mediation", "storage") or rng.random() < 0.5:
                    withdrawn = self._moment(self.today) if rng.random() < 0.02 else None
                    method = rng.pick(("oral", "oral", "written"))
                    ctx.consents.append((kind, {
                        "given_on": started.date().isoformat(), "method": method,
                        "withdrawn_on": withdrawn.date().isoformat() if withdrawn else None}))
                    rows["consent"].append(self._row(
                        started, household_id=ctx.hh_id, person_id=ctx.holder_id, kind=kind,
                        given_at=started, method=method, withdrawn_at=withdrawn, comment=None))
            answers.update((f"reception.consent.{k}", value) for k, value in ctx.consents)
        elif not done:  # a draft to resume carries the dossier's consents, as `start` does
            answers.update((f"reception.consent.{k}", value) for k, value in ctx.consents)
        rows["interview_answer"] += [
            self._row(started, interview_id=interview["id"], key=key,
                      value=encode_answer(key, value)) for key, value in answers.items()]
        if not done:
            return
        for position in range(rng.pick((1, 1, 2, 2, 3))):
            actor, description = rng.pick(ACTIONS)
            due = day + timedelta(days=rng.pick((3, 7, 14, 30)))
            status = "done" if due < self.today and rng.random() < 0.6 else rng.pick(
                ("planned", "planned", "cancelled"))
            rows["action"].append(self._row(
                started, household_id=ctx.hh_id, interview_id=interview["id"], position=position,
                actor=actor, description=self._text(description, ctx), due_on=due,
                status=status, done_on=due if status == "done" else None))
        if rng.random() < 0.5:
            kind, reason = rng.pick(ORIENTATIONS)
            check_due = day + timedelta(days=30)
            checked = check_due < self.today and rng.random() < 0.7
            rows["orientation"].append(self._row(
                started, household_id=ctx.hh_id, interview_id=interview["id"],
                partner_kind=kind, partner_id=rng.pick(self.partners.get(kind, [None])),
                reason=reason, oriented_on=day, check_due_on=check_due,
                checked_on=check_due if checked else None,
                check_outcome=rng.pick(CHECK_OUTCOMES) if checked else None))

    def _outcome(self, ctx: _Context, day: date) -> dict[str, object]:
        """Steps 3 and 4 of a finished interview: the options chosen and what the supplier
        agreed (a payment plan, a delay, or nothing yet), so activity reports count them."""
        rng = self.rng
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

    def _text(self, template: str, ctx: _Context) -> str:
        rng = self.rng
        amount = ctx.amounts[0] if ctx.amounts else 5_000 + rng.below(150_000)
        months = ctx.plan_months[0] if ctx.plan_months else 6
        return template.format(
            title=ctx.title, last=ctx.last_name,
            supplier=ctx.suppliers[0] if ctx.suppliers else "EDF", amount=_euros(amount),
            instalment=_euros(amount // months), n=months, days=rng.pick((15, 20)),
            day=(ctx.first_day + timedelta(days=rng.below(30))).strftime("%d/%m/%Y"),
            language=LANGUAGE_NAMES.get(ctx.language, "français"))


OPTION_CHOICES: tuple[OptionCode, ...] = (
    OptionCode.BILL_EXPLANATION, OptionCode.PAYMENT_PLAN, OptionCode.PAYMENT_PLAN,
    OptionCode.ENERGY_VOUCHER_ATTESTATION, OptionCode.ENERGY_SAVING, OptionCode.ENERGY_SAVING,
    OptionCode.FSL_SOCIAL_WORKER, OptionCode.WRITTEN_COMPLAINT)
"""Options a demo interview picks from (the frequent ones twice)."""


def _euros(cents: int) -> str:
    """French display of an amount ("1 234,56 €"), cheap enough for bulk text."""
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"
