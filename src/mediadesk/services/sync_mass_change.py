"""What the mediator is told when a sync stops before a mass change (see
:mod:`mediadesk.sync.device_apply`): how many dossiers would be deleted, or changed by whom
and from which device. Runs on the sync's thread (a background lane or the CLI).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from mediadesk.i18n import _, ngettext
from mediadesk.services.device_names import device_label, device_names
from mediadesk.sync.device import MassChange
from mediadesk.sync.errors import SyncError


class MassChangeRefused(SyncError):
    """A sync stopped before deleting ``deleted`` of ``live`` dossiers, or before another
    device (``device_name``: worded by `device_names.device_label`) used by ``author_name``
    changed already-known information in ``overwritten`` of ``live`` dossiers; none of it was
    applied and the next sync asks again. Syncing with ``confirm_mass_change`` applies it."""

    def __init__(self, deleted: int, live: int, *, overwritten: int = 0,
                 author_name: str = "", device_name: str = "") -> None:
        if overwritten:
            message = ngettext(
                "La synchronisation modifierait d'un coup des informations déjà connues de "
                "{n} dossier sur {live}, venant de {author} ({device}) : arrêtée "
                "par précaution, ces modifications n'ont pas été appliquées. Vérifiez avec "
                "cette personne ou votre responsable, puis relancez en confirmant.",
                "La synchronisation modifierait d'un coup des informations déjà connues de "
                "{n} dossiers sur {live}, venant de {author} ({device}) : arrêtée "
                "par précaution, ces modifications n'ont pas été appliquées. Vérifiez avec "
                "cette personne ou votre responsable, puis relancez en confirmant.",
                overwritten).format(n=overwritten, live=live, author=author_name,
                                    device=device_name)
        else:
            message = _("La synchronisation supprimerait {deleted} dossiers sur {live} : "
                        "arrêtée par précaution. Vérifiez avec votre responsable, puis "
                        "relancez en confirmant.").format(deleted=deleted, live=live)
        super().__init__(message)
        self.deleted, self.live, self.overwritten = deleted, live, overwritten
        self.author_name, self.device_name = author_name, device_name


def refusal(conn: Connection, change: MassChange) -> MassChangeRefused:
    """The mediator's account of ``change``, naming the person (from the team's users on
    ``conn``; "another team member" when unknown here) and the device (by its name when a
    sync named it, as the conflicts do)."""
    if not change.overwritten:
        return MassChangeRefused(change.deleted, change.live)
    author = None
    if change.author:
        author = conn.execute(text("SELECT display_name FROM user_account WHERE id = :a"),
                              {"a": change.author}).scalar()
    return MassChangeRefused(
        0, change.live, overwritten=change.overwritten,
        device_name=device_label(change.device, "", device_names(conn)),
        author_name=str(author) if author else _("un autre membre de l'équipe"))
