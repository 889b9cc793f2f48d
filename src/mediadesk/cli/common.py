"""What every sub-command shares: opening the store named by --store, reading an id."""

from __future__ import annotations

import argparse
import uuid
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
