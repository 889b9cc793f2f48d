"""The six steps of the interview, in order (seed 004, design.md section 4)."""

from __future__ import annotations

from enum import IntEnum

from mediadesk.i18n import N_, _


class Step(IntEnum):
    """One screen of the wizard. The value is the step's number as the mediator says it."""

    RECEPTION = 1
    SITUATION = 2
    OPTIONS = 3
    SUPPLIER_LIAISON = 4
    NEXT_STEP = 5
    FOLLOW_UP = 6

    @property
    def key(self) -> str:
        """The prefix of this step's answer keys ("reception", "supplier", ...)."""
        return _PREFIXES[self]


_TITLES: dict[Step, str] = {
    Step.RECEPTION: N_("Accueil et présentation"),
    Step.SITUATION: N_("Analyse de la situation et de l'autonomie"),
    Step.OPTIONS: N_("Informer sur les solutions possibles"),
    Step.SUPPLIER_LIAISON: N_("Rétablir la relation avec le fournisseur"),
    Step.NEXT_STEP: N_("Conclure : le prochain pas"),
    Step.FOLLOW_UP: N_("Le suivi"),
}

_PREFIXES: dict[Step, str] = {
    Step.RECEPTION: "reception",
    Step.SITUATION: "situation",
    Step.OPTIONS: "options",
    Step.SUPPLIER_LIAISON: "supplier",
    Step.NEXT_STEP: "next_step",
    Step.FOLLOW_UP: "follow_up",
}


def step_title(step: Step) -> str:
    """The step's French title, translated into the active language."""
    return _(_TITLES[step])
