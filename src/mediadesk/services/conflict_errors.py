"""The errors of the conflict review (`conflicts`), in French for the person reading them."""

from __future__ import annotations

from mediadesk.i18n import _
from mediadesk.services.errors import ValidationError


class ConflictAccessDenied(ValidationError):
    """Only a team lead may see the team's whole queue or resolve in bulk."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__("role", message or _(
            "Réservé aux responsables d'équipe : votre rôle permet d'examiner les conflits de "
            "chaque dossier, pas la file de toute l'équipe."))


class ConflictOutsideTeams(ConflictAccessDenied):
    """A bulk resolution included conflicts of a team the user does not lead."""

    def __init__(self) -> None:
        super().__init__(_(
            "Certains de ces conflits concernent une équipe dont vous n'êtes pas responsable : "
            "rien n'a été résolu. Ils se résolvent un par un depuis chaque dossier."))


class ConflictGone(ValidationError):
    """The conflict was resolved meanwhile (here, or by a colleague and synced)."""

    def __init__(self) -> None:
        super().__init__("conflict", _(
            "Ce conflit a déjà été résolu (ici ou par un collègue) : la liste a été mise à "
            "jour."))
