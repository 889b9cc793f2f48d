"""The one place where errors become messages a mediator understands (French, through `_()`).

Expected errors (wrong passphrase, damaged file, a field to correct...) get their own message.
Anything else gets a generic message, and its type and stack go to the log, without the
exception's own text: that text may quote what was typed or stored (personal data), and nothing
personal may land on disk in clear.
"""

from __future__ import annotations

import logging
import traceback

from mediadesk.i18n import _
from mediadesk.services.errors import (
    MigrationError,
    NotFound,
    StoreAlreadyExists,
    StoreCorrupted,
    StoreNotFound,
    ValidationError,
    WrongPassphrase,
)

log = logging.getLogger(__name__)


def message_for(error: BaseException) -> str:
    """The French message to show for ``error``. Thread: any (pure, apart from logging)."""
    if isinstance(error, ValidationError):
        return error.message
    if isinstance(error, WrongPassphrase):
        return _("Phrase de passe incorrecte.")
    if isinstance(error, StoreCorrupted):
        return _(
            "Ce fichier est endommagé ou n'est pas un dossier MediaDesk. Rien n'a été modifié ; "
            "restaurez une sauvegarde ou demandez de l'aide à votre responsable."
        )
    if isinstance(error, StoreNotFound):
        return _(
            "Dossier chiffré introuvable : le fichier ou son fichier de clés (.keys) manque."
        )
    if isinstance(error, StoreAlreadyExists):
        return _("Un fichier existe déjà à cet emplacement : il n'a pas été remplacé.")
    if isinstance(error, MigrationError):
        log_unexpected(error, "schema migration failed")
        return _(
            "La mise à jour du dossier chiffré a échoué. Une sauvegarde a été conservée ; "
            "contactez votre responsable."
        )
    if isinstance(error, NotFound):
        return _("Ce foyer n'existe plus (il a peut-être été supprimé).")
    log_unexpected(error)
    return _("Une erreur inattendue s'est produite. Réessayez ; si elle se répète, "
             "signalez-la à votre responsable.")


def log_unexpected(error: BaseException, what: str = "unexpected error") -> None:
    """Log ``error``'s type and stack (chained causes included), never its message."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 5:
        stack = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{stack}")
        current = current.__cause__ or current.__context__
    log.error("%s: %s", what, "caused by ".join(parts))


def field_of(error: BaseException) -> str | None:
    """The form field an error is about (``"name"``, ``"phones.0"``...), or None."""
    return error.field if isinstance(error, ValidationError) else None
