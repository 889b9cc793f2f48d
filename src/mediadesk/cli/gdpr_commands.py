"""`mediadesk gdpr export` (right of access) and `mediadesk retention` (2-year review).

The access export is an AES-encrypted ZIP: its password comes from MEDIADESK_EXPORT_PASSWORD or
is typed twice. `retention` lists the dossiers to review and changes nothing, unless asked to
anonymise one dossier (``--apply-anonymise ID``): only a lead of the dossier's team may (refused
before any question, status 2, nothing changed), after confirming (``--yes`` or typed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from mediadesk.cli.common import (
    add_export_password_argument,
    open_workspace,
    parse_id,
    read_export_password,
)
from mediadesk.cli.errors import UsageError
from mediadesk.i18n import _, format_day

StoreParser = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                with_store: StoreParser) -> None:
    """Register `gdpr export` and `retention` on the top-level sub-command parser."""
    help_text = _("protection des données : exporter tout ce qui est détenu sur un foyer")
    gdpr = sub.add_parser("gdpr", help=help_text, description=help_text)
    actions = gdpr.add_subparsers(dest="gdpr_action", required=True, metavar="ACTION")
    export_text = _("droit d'accès : archive chiffrée (PDF lisible et fichier JSON)")
    export = actions.add_parser("export", help=export_text, description=export_text)
    export.add_argument("--store", type=Path, required=True, metavar="CHEMIN",
                        help=_("fichier du dossier chiffré"))
    export.add_argument("--household", required=True, metavar="ID")
    export.add_argument("--out", type=Path, required=True, metavar="FICHIER",
                        help=_("archive ZIP chiffrée à écrire"))
    add_export_password_argument(export)
    export.set_defaults(handler=cmd_gdpr_export)

    retention = with_store("retention", _("dossiers sans contact depuis 2 ans : à clore, "
                                          "archiver ou anonymiser"))
    retention.add_argument("--dry-run", action="store_true",
                           help=_("lister seulement (c'est le comportement par défaut)"))
    retention.add_argument("--today", default=None, metavar="AAAA-MM-JJ")
    retention.add_argument("--apply-anonymise", default=None, metavar="ID",
                           help=_("anonymiser ce dossier (un responsable de son équipe, "
                                  "qui confirme)"))
    retention.add_argument("--yes", action="store_true",
                           help=_("le responsable d'équipe confirme l'anonymisation"))
    retention.set_defaults(handler=cmd_retention)


def cmd_gdpr_export(args: argparse.Namespace) -> int:
    from mediadesk.services.gdpr import gdpr_service

    household = parse_id(args.household, "--household")
    password = read_export_password(args)
    workspace = open_workspace(args)
    try:
        result = gdpr_service(workspace).export_household(household, args.out, password)
    finally:
        workspace.close()
    print(_("Archive chiffrée (AES-256, protégée par mot de passe) écrite : {path}").format(
        path=result.path))
    print(_("{rows} enregistrements ; demande reçue le {received}, à traiter avant le "
            "{due}.").format(rows=result.rows, received=format_day(result.request.received_on),
                             due=format_day(result.request.due_on)))
    print(_("Transmettez le mot de passe par un autre canal que l'archive."))
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from mediadesk.services.retention import AnonymiseDenied, retention_service

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        raise UsageError(_("--today : date non reconnue : {value}").format(
            value=args.today)) from None
    target = parse_id(args.apply_anonymise, "--apply-anonymise") if args.apply_anonymise else None
    if target is not None and args.dry_run:
        raise UsageError(_("--dry-run et --apply-anonymise s'excluent."))
    workspace = open_workspace(args)
    try:
        service = retention_service(workspace)
        if target is None:
            proposals = service.proposals(today)
            for proposal in proposals:
                print(f"{proposal.household_id}\t{proposal.last_contact.isoformat()}\t"
                      f"{proposal.status}\t{'/'.join(proposal.options)}\t{proposal.name}")
            print(_("{n} dossier(s) sans contact depuis 2 ans ; rien n'a été modifié.").format(
                n=len(proposals)))
            return 0
        if not service.may_anonymise(target):  # before asking (the service checks again)
            raise AnonymiseDenied
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError(_("confirmation requise : ajoutez --yes (responsable d'équipe)."))
            answer = input(_("Anonymiser définitivement le dossier {id} ? Tapez OUI : ").format(
                id=target))
            if answer.strip().upper() != "OUI":
                print(_("Rien n'a été modifié."))
                return 1
        result = service.anonymise(target, confirmed=True)
    finally:
        workspace.close()
    print(_("Dossier {id} anonymisé ({n} champs effacés) ; inscrit au journal d'audit.").format(
        id=result.household_id, n=result.fields_blanked))
    return 0
