"""The sentences of the sync status, as plain functions (no Qt: tested without a widget).

Thread: any.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from mediadesk.i18n import _, format_moment, ngettext
from mediadesk.services.sync import SyncReport, SyncStatus

DAY_MS = 86_400_000


class SyncState(enum.Enum):
    """What the sync panel is doing."""

    NOT_ENROLLED = "not_enrolled"
    IDLE = "idle"
    SYNCING = "syncing"
    WAITING = "waiting"  # the sync waits for a move or another sync of this window to end
    BUSY = "busy"  # another process was syncing the store: tried again soon
    OFFLINE = "offline"
    ERROR = "error"


def state_text(state: SyncState, status: SyncStatus | None) -> str:
    """The panel's state in a few words ("" before the status was first read)."""
    if state is SyncState.NOT_ENROLLED:
        return _("Synchronisation : poste non inscrit") if status is not None else ""
    if state is SyncState.IDLE:
        return (_("Synchronisé") if status is not None and status.pending == 0
                else _("Synchronisation : en attente"))
    return {
        SyncState.SYNCING: _("Synchronisation en cours…"),
        SyncState.WAITING: _("Synchronisation demandée"),
        SyncState.BUSY: _("Synchronisation reportée"),
        SyncState.OFFLINE: _("Hors ligne"),
        SyncState.ERROR: _("Erreur de synchronisation"),
    }[state]


def waiting_text() -> str:
    """Why a sync that was asked for has not started yet (another exchange holds the store)."""
    return _("En attente de la fin d'un transfert ou d'une autre synchronisation…")


def busy_text() -> str:
    """Why a sync was put off (another process syncs the store); the panel tries again soon."""
    return _("Nouvel essai dans un instant : une autre fenêtre de MediaDesk (ou la commande "
             "mediadesk sync) synchronise ce fichier.")


def last_sync_text(status: SyncStatus) -> str:
    """When the last sync succeeded."""
    last = status.last_success_ms
    moment = (
        _("jamais") if last is None else format_moment(datetime.fromtimestamp(last / 1000, UTC))
    )
    return _("Dernière synchronisation : {moment}").format(moment=moment)


def pending_text(status: SyncStatus) -> str:
    """How many changes wait to be sent."""
    if status.pending == 0:
        return _("Rien à envoyer")
    return ngettext(
        "{count} modification à envoyer", "{count} modifications à envoyer", status.pending
    ).format(count=status.pending)


def reminder_text(status: SyncStatus, now_ms: int, reminder_ms: int) -> str | None:
    """The reminder shown when no sync succeeded for longer than ``reminder_ms`` (counted from
    the last success, or from the enrolment when none ever did); None: no reminder."""
    since = status.last_success_ms if status.last_success_ms is not None else status.enrolled_ms
    if not status.enrolled or since is None or now_ms - since <= reminder_ms:
        return None
    days = (now_ms - since) // DAY_MS
    return ngettext(
        "Aucune synchronisation réussie depuis {days} jour",
        "Aucune synchronisation réussie depuis {days} jours",
        days,
    ).format(days=days)


def revoked_text() -> str:
    """Why this revoked device's data is gone."""
    return _(
        "Ce poste a été retiré de la synchronisation par l'administrateur (ordinateur "
        "perdu, volé ou remplacé). Par sécurité, ses données, ses clés et ses "
        "sauvegardes ont été effacées de ce poste. Les dossiers déjà synchronisés "
        "restent sur le serveur de votre équipe ; demandez un nouveau code "
        "d'inscription pour travailler sur un autre poste."
    )


def summary(report: SyncReport) -> str:
    """One line for the status bar after a successful sync."""
    text = _(
        "Synchronisation terminée : {sent} envoyées, {received} reçues, {conflicts} "
        "conflits à examiner, {rejected} refusées."
    ).format(
        sent=report.sent,
        received=report.received,
        conflicts=len(report.conflicts),
        rejected=report.rejected,
    )
    if report.teams_removed:
        text += " " + _("Dossiers retirés de ce poste (équipe quittée) : {teams}.").format(
            teams=", ".join(report.teams_removed)
        )
    return text
