"""Exit statuses and French one-line messages of the command line."""

from __future__ import annotations

from mediadesk.i18n import _
from mediadesk.services.errors import (
    AuthError,
    DeviceRevoked,
    KeySlotError,
    MigrationError,
    NotFound,
    StoreAlreadyExists,
    StoreCorrupted,
    StoreNotFound,
    SyncError,
    TlsError,
    ValidationError,
    WrongPassphrase,
)


class UsageError(Exception):
    """Something the user asked for cannot be done as asked (message already in French)."""


EXIT_PROBLEMS = 1  # `check` found problems
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_WRONG_PASSPHRASE = 4
EXIT_CORRUPTED = 5
EXIT_EXISTS = 6
EXIT_STORE = 7
EXIT_SYNC = 8  # the server could not be reached or answered an error: retry later
EXIT_TLS = 9  # the server's certificate is not trusted
EXIT_AUTH = 10  # enrolment or credentials refused
EXIT_REVOKED = 11  # this device was revoked: its store has been wiped
EXIT_INTERNAL = 70


def exit_code_for(exc: BaseException) -> int:
    table: tuple[tuple[type[BaseException], int], ...] = (
        (UsageError, EXIT_USAGE),
        (DeviceRevoked, EXIT_REVOKED),
        (TlsError, EXIT_TLS),
        (AuthError, EXIT_AUTH),
        (SyncError, EXIT_SYNC),
        (ValidationError, EXIT_USAGE),
        (StoreNotFound, EXIT_NOT_FOUND),
        (NotFound, EXIT_NOT_FOUND),
        (WrongPassphrase, EXIT_WRONG_PASSPHRASE),
        (StoreCorrupted, EXIT_CORRUPTED),
        (StoreAlreadyExists, EXIT_EXISTS),
        (KeySlotError, EXIT_STORE),
        (MigrationError, EXIT_STORE),
        (OSError, EXIT_STORE),
    )
    for kind, code in table:
        if isinstance(exc, kind):
            return code
    return EXIT_INTERNAL


def message_for(exc: BaseException) -> str:
    if isinstance(exc, UsageError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return exc.message
    if isinstance(exc, SyncError):
        return str(exc)
    if isinstance(exc, StoreNotFound):
        return _("aucun dossier chiffré à cet emplacement : {path}").format(path=exc)
    if isinstance(exc, NotFound):
        return _("introuvable : {what}").format(what=exc)
    if isinstance(exc, WrongPassphrase):
        return _("phrase de passe incorrecte ; le dossier n'a pas été modifié.")
    if isinstance(exc, StoreCorrupted):
        return _("le fichier est endommagé ou n'est pas un dossier MediaDesk ({path}) ; "
                 "il n'a pas été modifié.").format(path=exc)
    if isinstance(exc, StoreAlreadyExists):
        return _("un fichier existe déjà à cet emplacement : {path}").format(path=exc)
    if isinstance(exc, KeySlotError):
        return _("opération refusée sur les emplacements de clé : {reason}").format(reason=exc)
    if isinstance(exc, MigrationError):
        return _("la mise à jour du dossier a échoué ; une sauvegarde a été conservée ({detail})."
                 ).format(detail=exc)
    if isinstance(exc, OSError):
        return _("erreur d'accès au fichier : {detail}").format(
            detail=exc.strerror or exc.__class__.__name__)
    return _("erreur inattendue ({kind}) ; voir le journal.").format(kind=exc.__class__.__name__)
