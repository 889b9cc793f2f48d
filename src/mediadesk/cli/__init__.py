"""The `mediadesk` command line: automation for team leads, and what the checks use.

Output for people goes to stdout; errors are one French line on stderr, never a traceback, with
a non-zero exit status (see `mediadesk.cli.errors`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from mediadesk import __version__
from mediadesk.cli import (
    campaign_commands,
    commands,
    gdpr_commands,
    listing_commands,
    report_commands,
    sync_commands,
)
from mediadesk.cli.errors import exit_code_for, message_for
from mediadesk.i18n import _

COMMANDS = ("init", "demo", "find", "check", "passwd", "slots", "backup", "restore",
            "import-listing", "report", "gdpr", "retention", "campaign", "sync")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mediadesk",
        description=_("MediaDesk : dossiers des foyers accompagnés, chiffrés sur ce poste. "
                      "Sans sous-commande, ouvre l'application."),
        epilog=_("La phrase de passe est demandée, ou lue dans la variable "
                 "d'environnement MEDIADESK_PASSPHRASE."),
    )
    parser.add_argument("--version", action="version", version=f"mediadesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    def with_store(name: str, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--store", type=Path, required=True, metavar="CHEMIN",
                             help=_("fichier du dossier chiffré"))
        return command

    init = with_store("init", _("créer un nouveau dossier chiffré"))
    init.add_argument("--user", default="", help=_("nom de la personne qui l'utilise"))

    demo = with_store("demo", _("remplir un dossier avec des foyers fictifs (le crée au besoin)"))
    demo.add_argument("--households", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=None, metavar="S")

    find = with_store("find", _("chercher des foyers (nom, adresse, téléphone, référence)"))
    find.add_argument("--json", action="store_true", help=_("un objet JSON par ligne"))
    find.add_argument("--limit", type=int, default=50)
    find.add_argument("text", nargs="+", metavar="TEXTE")

    with_store("check", _("vérifier l'intégrité du dossier chiffré"))

    passwd = with_store("passwd", _("changer la phrase de passe d'un emplacement de clé"))
    passwd.add_argument("--new-from-env", action="store_true",
                        help=_("lire la nouvelle phrase dans MEDIADESK_NEW_PASSPHRASE"))

    slots = with_store("slots", _("gérer les emplacements de clé (utilisateurs, secours)"))
    slots.add_argument("action", choices=("list", "add", "add-recovery", "remove"))
    slots.add_argument("--label", default="")
    slots.add_argument("--slot", default=None, help=_("identifiant de l'emplacement à retirer"))

    commands.add_backup_parsers(with_store)
    listing_commands.add_parser(with_store)
    report_commands.add_report_parser(sub)
    gdpr_commands.add_parsers(sub, with_store)
    campaign_commands.add_parsers(sub)
    sync_commands.add_parser(with_store)
    return parser


def run(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None) or getattr(
        commands, "cmd_" + args.command.replace("-", "_"))
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print(_("mediadesk : interrompu."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`mediadesk find ... | head -1`): stop quietly, like any Unix tool.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:
        code = exit_code_for(exc)
        if code == 70:
            logging.getLogger("mediadesk.cli").error("unexpected error", exc_info=exc)
        print(f"mediadesk : {message_for(exc)}", file=sys.stderr)
        return code
