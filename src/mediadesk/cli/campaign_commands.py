"""`mediadesk campaign list|attempt|return`: the contact campaign over imported listings.

``list`` shows the entries still to reach (next number, attempts, suggestion); ``attempt``
records one contact attempt; ``return`` writes the partner's return file (its customer
reference, an outcome code and a date per listed customer; nothing else).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any, cast

from mediadesk.cli.common import open_workspace
from mediadesk.cli.errors import UsageError
from mediadesk.domain.enums import ContactChannel, ContactOutcome
from mediadesk.i18n import _
from mediadesk.services.campaign import campaign_service
from mediadesk.services.campaign_views import CampaignEntry


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

    back = action("return", _("fichier de retour au partenaire (CSV)"))
    back.add_argument("list_id", type=uuid.UUID, metavar="LISTE")
    back.add_argument("--out", type=Path, default=None, metavar="FICHIER",
                      help=_("par défaut : la sortie standard"))
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


def cmd_campaign_return(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    try:
        data = campaign_service(workspace).partner_return_csv(args.list_id)
    finally:
        workspace.close()
    if args.out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        if args.out.exists():
            raise UsageError(_("Le fichier existe déjà : {path}").format(path=args.out))
        args.out.write_bytes(data)
        print(_("Fichier de retour écrit : {path}").format(path=args.out))
    return 0
