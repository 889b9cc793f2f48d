"""Getting passphrases: MEDIADESK_PASSPHRASE / MEDIADESK_NEW_PASSPHRASE, else a hidden prompt."""

from __future__ import annotations

import getpass
import os
import sys

from mediadesk.cli.errors import UsageError
from mediadesk.i18n import _
from mediadesk.services.passphrase import assess

ENV_PASSPHRASE = "MEDIADESK_PASSPHRASE"
ENV_NEW_PASSPHRASE = "MEDIADESK_NEW_PASSPHRASE"


def _prompt(text: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            _("pas de terminal pour demander la phrase de passe : définissez {var}.").format(
                var=ENV_PASSPHRASE)
        )
    return getpass.getpass(text)


def existing_passphrase() -> str:
    value = os.environ.get(ENV_PASSPHRASE)
    if value:
        return value
    return _prompt(_("Phrase de passe : "))


def new_passphrase(env_var: str = ENV_PASSPHRASE) -> str:
    """A new passphrase: from ``env_var``, or typed twice. Weak ones are refused when typed and
    warned about when automated."""
    value = os.environ.get(env_var)
    if value:
        strength = assess(value)
        if not strength.acceptable:
            print(_("attention : phrase de passe {label} ; {advice}").format(
                label=strength.label.lower(), advice=strength.advice), file=sys.stderr)
        return value
    first = _prompt(_("Nouvelle phrase de passe : "))
    strength = assess(first)
    if not strength.acceptable:
        raise UsageError(_("phrase de passe trop faible : {advice}").format(
            advice=strength.advice))
    if _prompt(_("Répétez-la : ")) != first:
        raise UsageError(_("les deux saisies ne correspondent pas."))
    return first
