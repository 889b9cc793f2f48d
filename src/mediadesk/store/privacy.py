"""What a column holds about people, declared on the column itself (``info=personal(...)``).

The data map (`mediadesk.store.datamap`) and the anonymisation of dossiers past their retention
(`mediadesk.services.retention`) read these declarations, so a new personal column is mapped and
anonymised by declaring it once, where it is defined.
"""

from __future__ import annotations

from typing import Any

DOSSIER = "2 ans après le dernier contact, puis archivage motivé ou anonymisation"
STAFF = "tant que la personne fait partie de l'équipe"
PARTNER = "tant que le partenaire fait partie du réseau de l'équipe"
LISTING = "comme le dossier du foyer ; lignes non rapprochées : 2 ans après la réception"


def personal(purpose: str, retention: str = DOSSIER, *, anonymise: bool = True) -> dict[str, Any]:
    """Column ``info`` for personal data: why it is kept and how long. ``anonymise`` says whether
    the anonymisation of a dossier blanks it (household dossier tables only)."""
    return {"personal": True, "purpose": purpose, "retention": retention, "anonymise": anonymise}


def is_personal(info: dict[str, Any]) -> bool:
    return bool(info.get("personal"))
