"""What every sub-command shares: opening the store named by --store, reading an id, and the
password of a protected export."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from mediadesk.cli import prompts
from mediadesk.cli.errors import UsageError
from mediadesk.i18n import _

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace


def open_workspace(args: argparse.Namespace) -> Workspace:
    """Unlock the store at ``args.store`` (passphrase from the environment or a prompt).

    Raises StoreNotFound without creating anything when there is no store file.
    """
    from mediadesk.services.errors import StoreNotFound
    from mediadesk.services.workspace import unlock_workspace

    if not args.store.is_file():
        raise StoreNotFound(str(args.store))
    return unlock_workspace(args.store, prompts.existing_passphrase())


def parse_id(text: str, what: str) -> uuid.UUID:
    """An identifier typed on the command line; raises UsageError naming ``what``."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise UsageError(_("{what} : identifiant non reconnu : {value}").format(
            what=what, value=text)) from None


ENV_EXPORT_PASSWORD = "MEDIADESK_EXPORT_PASSWORD"


def add_export_password_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-file", type=Path, default=None, metavar="FICHIER",
        help=_("fichier dont la première ligne est le mot de passe du fichier exporté "
               "(sinon {var}, sinon il est demandé)").format(var=ENV_EXPORT_PASSWORD))


def read_export_password(args: argparse.Namespace) -> str:
    """The password protecting an export: --password-file, else MEDIADESK_EXPORT_PASSWORD, else
    typed twice. Raises UsageError (French) when none can be had or it is too short."""
    from mediadesk.services.export_protection import check_export_password

    path: Path | None = getattr(args, "password_file", None)
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            raise UsageError(_("--password-file : fichier illisible : {path}").format(
                path=path)) from None
        password = lines[0] if lines else ""
    elif os.environ.get(ENV_EXPORT_PASSWORD):
        password = os.environ[ENV_EXPORT_PASSWORD]
    else:
        if not sys.stdin.isatty():
            raise UsageError(_("pas de terminal pour demander le mot de passe du fichier "
                               "exporté : utilisez --password-file ou définissez {var}.").format(
                                   var=ENV_EXPORT_PASSWORD))
        password = getpass.getpass(_("Mot de passe du fichier exporté : "))
        if getpass.getpass(_("Répétez-le : ")) != password:
            raise UsageError(_("les deux saisies ne correspondent pas."))
    try:
        check_export_password(password)
    except ValueError as error:
        raise UsageError(getattr(error, "message", str(error))) from None
    return password
