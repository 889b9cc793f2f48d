"""The texts of the household's next-step sheet, one dict per language.

Kept apart from the UI gettext catalog: the sheet speaks to the household, in its own language,
whatever the language of the mediator's screen. Adding a language = adding a dict with the same
keys (a test checks that every language has every key) and naming its direction in RTL.
Placeholders in braces are filled by `reports.sheet`.
"""

from __future__ import annotations

from collections.abc import Mapping

ENERGY_VOUCHER_PHONE = "0 805 204 805"  # chèque énergie helpline, free (domain.md)
ENERGY_INFO_PHONE = "0 800 112 212"  # Energie-Info (médiateur national de l'énergie), free

FR: Mapping[str, str] = {
    "title": "Vos prochaines étapes",
    "intro": "{name}, voici ce que nous avons décidé ensemble le {date}.",
    "first": "À faire en premier",
    "then": "Ensuite",
    "no_steps": "Aucune étape n'a encore été décidée.",
    "actor.household": "Vous",
    "actor.mediator": "Votre médiateur",
    "actor.partner": "Un partenaire",
    "due": "avant le {date}",
    "money": "Les montants",
    "debt": "Ce que vous devez à {supplier} : {amount}",
    "debt_no_supplier": "Ce que vous devez : {amount}",
    "monthly": "Ce que vous payez chaque mois : {amount}",
    "plan_start": "à partir du {date}",
    "delay": "Délai obtenu jusqu'au {date}",
    "follow_up": "Nous vous recontacterons vers le {date}.",
    "helplines": "Qui appeler",
    "voucher": "Chèque énergie (appel gratuit)",
    "energy_info": "Energie-Info : questions d'électricité et de gaz (appel gratuit)",
    "desk": "Votre médiateur",
    "desk_named": "Votre médiateur : {name}",
    "desk_none": "demandez au guichet",
    "keep": "Gardez cette feuille. Apportez-la avec vos factures la prochaine fois.",
}

EN: Mapping[str, str] = {
    "title": "Your next steps",
    "intro": "{name}, this is what we agreed together on {date}.",
    "first": "Do this first",
    "then": "Then",
    "no_steps": "No step has been agreed yet.",
    "actor.household": "You",
    "actor.mediator": "Your mediator",
    "actor.partner": "A partner",
    "due": "by {date}",
    "money": "The amounts",
    "debt": "What you owe {supplier}: {amount}",
    "debt_no_supplier": "What you owe: {amount}",
    "monthly": "What you pay each month: {amount}",
    "plan_start": "from {date}",
    "delay": "Extra time until {date}",
    "follow_up": "We will contact you again around {date}.",
    "helplines": "Whom to call",
    "voucher": "Energy voucher (chèque énergie), free call",
    "energy_info": "Energie-Info: electricity and gas questions, free call",
    "desk": "Your mediator",
    "desk_named": "Your mediator: {name}",
    "desk_none": "ask at the desk",
    "keep": "Keep this sheet. Bring it with your bills next time.",
}

AR: Mapping[str, str] = {
    "title": "خطواتكم القادمة",
    "intro": "{name}، هذا ما اتفقنا عليه معاً يوم {date}.",
    "first": "ابدأوا بهذه الخطوة",
    "then": "بعد ذلك",
    "no_steps": "لم يتم الاتفاق على أي خطوة بعد.",
    "actor.household": "أنتم",
    "actor.mediator": "الوسيط",
    "actor.partner": "جهة شريكة",
    "due": "قبل {date}",
    "money": "المبالغ",
    "debt": "المبلغ المستحق لـ {supplier}: {amount}",
    "debt_no_supplier": "المبلغ المستحق: {amount}",
    "monthly": "ما تدفعونه كل شهر: {amount}",
    "plan_start": "ابتداءً من {date}",
    "delay": "مهلة إضافية حتى {date}",
    "follow_up": "سنتصل بكم مجدداً في حدود {date}.",
    "helplines": "بمن تتصلون",
    "voucher": "شيك الطاقة، مكالمة مجانية",
    "energy_info": "Energie-Info: أسئلة الكهرباء والغاز، مكالمة مجانية",
    "desk": "الوسيط الخاص بكم",
    "desk_named": "الوسيط الخاص بكم: {name}",
    "desk_none": "اسألوا في المكتب",
    "keep": "احتفظوا بهذه الورقة، وأحضروها مع فواتيركم في المرة القادمة.",
}

TEXTS: Mapping[str, Mapping[str, str]] = {"fr": FR, "en": EN, "ar": AR}
"""Sheet texts by language code."""

RTL: frozenset[str] = frozenset({"ar"})
"""Languages written right to left."""

BABEL_LOCALES: Mapping[str, str] = {"fr": "fr_FR", "en": "en_GB", "ar": "ar"}
"""The Babel locale that formats dates and amounts of each sheet language."""


def sheet_languages() -> tuple[str, ...]:
    """Languages a sheet can be printed in."""
    return tuple(TEXTS)
