"""`mediadesk campaign list|attempt|sheet|return`: the contact campaign over imported listings.

``list`` shows the entries still to reach (next number, attempts, suggestion); ``attempt``
records one contact attempt; ``sheet`` prints the call sheet of a session (PDF); ``return``
writes the partner's return file (its customer reference, an outcome code and a date per listed
customer; nothing else). Both files carry personal data: they are written encrypted with the
export password (``--password-file``, else MEDIADESK_EXPORT_PASSWORD, else asked): the sheet
as an AES-256 PDF, the return CSV inside an AES-256 ZIP.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, cast

from mediadesk.cli.common import (
    add_export_password_argument,
    open_workspace,
    parse_id,
    read_export_password,
)
from mediadesk.cli.errors import UsageError
from mediadesk.domain.enums import ContactChannel, ContactOutcome
from mediadesk.i18n import _
from mediadesk.services.campaign import CampaignService, campaign_service
from mediadesk.services.campaign_views import CampaignEntry
from mediadesk.services.export_protection import protection_notice
from mediadesk.services.reports import write_atomically


def add_parsers(sub: Any) -> argparse.ArgumentParser:
    """Declare `campaign` and its three actions on the CLI's sub-parsers."""
    help_text = _("campagne d'appels sur les listings importés")
    campaign: argparse.ArgumentParser = sub.add_parser("campaign", help=help_text,
                                                       description=help_text)
    actions = campaign.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(name, help=text, description=text)
        parser.add_argument("--store", type=Path, required=True, metavar="CHEMIN",
                            help=_("fichier du dossier chiffré"))
        return parser

    listed = action("list", _("les personnes à joindre"))
    listed.add_argument("--list", dest="list_id", type=uuid.UUID, default=None, metavar="ID")
    listed.add_argument("--assignee", type=uuid.UUID, default=None, metavar="ID")
    listed.add_argument("--all", action="store_true", help=_("y compris les personnes jointes"))
    listed.add_argument("--json", action="store_true", help=_("un objet JSON par ligne"))
    listed.set_defaults(handler=cmd_campaign_list)

    attempt = action("attempt", _("enregistrer une tentative de contact"))
    attempt.add_argument("entry", type=uuid.UUID, metavar="ENTREE")
    attempt.add_argument("--channel", required=True, choices=[c.value for c in ContactChannel])
    attempt.add_argument("--outcome", required=True, choices=[o.value for o in ContactOutcome])
    attempt.add_argument("--phone", type=uuid.UUID, default=None, metavar="ID")
    attempt.add_argument("--next", dest="next_on", type=date.fromisoformat, default=None,
                         metavar="AAAA-MM-JJ")
    attempt.add_argument("--comment", default="")
    attempt.set_defaults(handler=cmd_campaign_attempt)

    sheet = action("sheet", _("feuille d'appels d'une séance (PDF chiffré)"))
    sheet.add_argument("--listing", required=True, metavar="ID",
                       help=_("identifiant du listing importé"))
    sheet.add_argument("--assignee", default=None, metavar="ID",
                       help=_("seulement les personnes attribuées à ce médiateur"))
    sheet.add_argument("--out", type=Path, required=True, metavar="FICHIER",
                       help=_("fichier PDF à écrire"))
    add_export_password_argument(sheet)
    sheet.set_defaults(handler=cmd_campaign_sheet)

    back = action("return", _("fichier de retour au partenaire (CSV dans une archive ZIP "
                              "chiffrée)"))
    back.add_argument("list_id", type=uuid.UUID, metavar="LISTE")
    back.add_argument("--out", type=Path, required=True, metavar="FICHIER",
                      help=_("archive ZIP chiffrée à écrire"))
    add_export_password_argument(back)
    back.set_defaults(handler=cmd_campaign_return)
    return campaign


def _as_json(entry: CampaignEntry) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(json.dumps(dataclasses.asdict(entry), default=str)))


def _line(entry: CampaignEntry) -> str:
    phone = entry.next_phone.number if entry.next_phone else _("aucun numéro")
    parts = [str(entry.id), entry.customer_ref or f"#{entry.line_no}", entry.household_name,
             phone, _("{n} tentative(s)").format(n=len(entry.attempts)), entry.status]
    if entry.assignee_name:
        parts.append(entry.assignee_name)
    if entry.suggestion:
        parts.append(entry.suggestion)
    return "  ".join(parts)


def cmd_campaign_list(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    try:
        found = campaign_service(workspace).entries(args.list_id, assignee=args.assignee,
                                                    include_done=args.all)
    finally:
        workspace.close()
    for entry in found:
        print(json.dumps(_as_json(entry), ensure_ascii=False) if args.json else _line(entry))
    if not args.json:
        print(_("{n} personne(s).").format(n=len(found)))
    return 0


def cmd_campaign_attempt(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    try:
        entry = campaign_service(workspace).record_attempt(
            args.entry, args.channel, args.outcome, phone_id=args.phone,
            next_attempt_on=args.next_on, comment=args.comment)
    finally:
        workspace.close()
    print(_("Tentative enregistrée.") + "  " + _line(entry))
    return 0


def _check_target(target: Path) -> None:
    if target.exists():
        raise UsageError(_("Le fichier existe déjà : {path}").format(path=target))
    if not target.parent.is_dir():
        raise UsageError(_("dossier de destination introuvable : {path}").format(
            path=target.parent))


def cmd_campaign_sheet(args: argparse.Namespace) -> int:
    # Check what was typed before the slow unlock.
    list_id = parse_id(args.listing, "--listing")
    assignee = parse_id(args.assignee, "--assignee") if args.assignee else None
    return _write_export(args, lambda campaign, password: campaign.call_sheet_pdf(
        list_id, password=password, assignee=assignee),
        _("Feuille d'appels écrite : {path}"))


def cmd_campaign_return(args: argparse.Namespace) -> int:
    return _write_export(args, lambda campaign, password: campaign.partner_return_archive(
        args.list_id, password=password), _("Fichier de retour écrit : {path}"))


def _write_export(args: argparse.Namespace, produce: Callable[[CampaignService, str], bytes],
                  written: str) -> int:
    """Write to ``args.out`` (checked before the slow unlock) what ``produce`` makes,
    encrypted with the export password, then say so (``written``) with the protection notice."""
    _check_target(args.out)
    password = read_export_password(args)
    workspace = open_workspace(args)
    try:
        content = produce(campaign_service(workspace), password)
    finally:
        workspace.close()
    write_atomically(args.out, content)
    print(written.format(path=args.out))
    print(protection_notice())
    return 0
