"""Passphrase strength feedback (zxcvbn), in French."""

from __future__ import annotations

from dataclasses import dataclass

from mediadesk.i18n import N_, _

MIN_LENGTH = 10
MIN_SCORE = 3
_LABELS = (N_("Très faible"), N_("Faible"), N_("Moyenne"), N_("Bonne"), N_("Excellente"))


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) .. 4 (excellent)
    label: str
    advice: str
    acceptable: bool


def assess(passphrase: str, user_inputs: tuple[str, ...] = ()) -> Strength:
    """Judge a new passphrase. Acceptable = at least MIN_LENGTH characters and score >= 3."""
    if not passphrase:
        return Strength(0, _(_LABELS[0]), _("Choisissez une phrase de passe."), False)
    from zxcvbn import zxcvbn  # 20 ms of dictionaries: loaded on first use, not at start-up

    result = zxcvbn(passphrase[:100], user_inputs=list(user_inputs))
    score = int(result["score"])
    if len(passphrase) < MIN_LENGTH:
        advice = _("Au moins {n} caractères.").format(n=MIN_LENGTH)
    elif score < MIN_SCORE:
        advice = _("Ajoutez des mots peu courants : plusieurs mots valent mieux qu'un seul.")
    else:
        advice = _("Phrase de passe solide.")
    return Strength(score, _(_LABELS[score]), advice,
                    len(passphrase) >= MIN_LENGTH and score >= MIN_SCORE)
