"""`mediadesk report dossier|sheet|worklist`: printed documents written as PDF files."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from pathlib import Path

from mediadesk.cli.errors import UsageError
from mediadesk.i18n import _
from mediadesk.services.reports import ReportService, write_atomically
from mediadesk.services.worklist_views import Assignee


def add_report_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `report` and its three documents on the top-level sub-command parser."""
    help_text = _("imprimer un document en PDF (synthèse, feuille du foyer, suivis)")
    report = sub.add_parser("report", help=help_text, description=help_text)
    report.set_defaults(handler=cmd_report)
    kinds = report.add_subparsers(dest="report_kind", required=True, metavar="DOCUMENT")

    def document(name: str, text: str) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, help=text, description=text)
        parser.add_argument("--store", type=Path, required=True, metavar="CHEMIN",
                            help=_("fichier du dossier chiffré"))
        parser.add_argument("--out", type=Path, required=True, metavar="FICHIER",
                            help=_("fichier PDF à écrire"))
        return parser

    dossier = document("dossier", _("synthèse confidentielle du dossier d'un foyer"))
    dossier.add_argument("--household", required=True, metavar="ID")
    sheet = document("sheet", _("feuille des prochaines étapes, dans la langue du foyer"))
    sheet.add_argument("--household", required=True, metavar="ID")
    sheet.add_argument("--lang", default=None, metavar="LANGUE",
                       help=_("fr, en ou ar (par défaut : celle choisie à l'entretien)"))
    worklist = document("worklist", _("liste des suivis à faire sur une période"))
    worklist.add_argument("--from", dest="start", default=None, metavar="AAAA-MM-JJ")
    worklist.add_argument("--to", dest="end", default=None, metavar="AAAA-MM-JJ")
    worklist.add_argument("--mediator", default=None, metavar="ID",
                          help=_("identifiant d'un médiateur, ou « team » pour ce que "
                                 "personne n'a pris (par défaut : toute l'équipe)"))
    funder = document("funder", _("rapport d'activité pour les financeurs, sur une période"))
    funder.add_argument("--from", dest="start", required=True, metavar="AAAA-MM-JJ")
    funder.add_argument("--to", dest="end", required=True, metavar="AAAA-MM-JJ")


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise UsageError(_("{what} : identifiant non reconnu : {value}").format(
            what=what, value=text)) from None


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("{option} : date non reconnue (attendu AAAA-MM-JJ) : {value}").format(
            option=option, value=text)) from None


def cmd_report(args: argparse.Namespace) -> int:
    # Check what was typed before the slow unlock.
    kind = args.report_kind
    household = _uuid(args.household, "--household") if kind in ("dossier", "sheet") else None
    start = _day(getattr(args, "start", None), "--from")
    end = _day(getattr(args, "end", None), "--to")
    assignee: Assignee = None
    if getattr(args, "mediator", None):
        assignee = "team" if args.mediator == "team" else _uuid(args.mediator, "--mediator")
    if not args.out.parent.is_dir():
        raise UsageError(_("dossier de destination introuvable : {path}").format(
            path=args.out.parent))

    from mediadesk.cli.commands import _open

    workspace = _open(args)
    try:
        reports = ReportService(workspace.opened.sessions)
        if kind == "dossier":
            assert household is not None
            content = reports.render_dossier(household)
        elif kind == "sheet":
            assert household is not None
            content = reports.render_sheet(household, args.lang)
        elif kind == "funder":
            assert start is not None and end is not None
            content = reports.render_funder(start, end)
        else:
            content = reports.render_worklist(start, end, assignee)
    finally:
        workspace.close()
    write_atomically(args.out, content)
    print(_("Document écrit : {path}").format(path=args.out))
    return 0
