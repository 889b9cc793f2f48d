"""French labels for the stored enum values shown in the UI (phone status, roles, energies...).

Values unknown to a table are shown as they are, so a newer store never breaks an older UI.
Thread: any.
"""

from __future__ import annotations

from mediadesk.i18n import N_, _, language_name
from mediadesk.services.field_labels import (  # one table per enum, shared with the services
    ENERGIES,
    HOUSEHOLD_STATUSES,
    MEMBER_ROLES,
    PHONE_STATUSES,
)

__all__ = ["COMMON_LANGUAGES", "ENERGIES", "HOUSEHOLD_STATUSES", "MEMBER_ROLES",
           "PHONE_STATUSES", "TIMELINE_KINDS", "label", "language_list", "yes_no"]

TIMELINE_KINDS: dict[str, str] = {
    "interview": N_("Entretien"),
    "contact": N_("Contact"),
    "note": N_("Note"),
    "action": N_("Prochain pas"),
    "orientation": N_("Orientation"),
    "incident": N_("Incident"),
    "follow_up": N_("Suivi"),
}
#: Languages offered in the household editor, most frequent at French mediation desks first.
COMMON_LANGUAGES: tuple[str, ...] = (
    "fr", "ar", "en", "es", "pt", "tr", "ro", "ru", "uk", "zh", "ta", "wo", "bm", "ff", "kab",
    "so", "fa", "ps", "vi",
)


def label(table: dict[str, str], value: str) -> str:
    """The translated label of ``value`` in ``table`` (the value itself when unknown)."""
    source = table.get(value)
    return _(source) if source is not None else value


def yes_no(value: bool | None) -> str:
    if value is None:
        return _("Inconnu")
    return _("Oui") if value else _("Non")


def language_list(codes: tuple[str, ...]) -> str:
    return ", ".join(language_name(code) for code in codes) or _("Non renseignées")
