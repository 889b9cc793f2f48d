"""`mediadesk report dossier|sheet|worklist|activity`: printed documents written as PDF files.

Every document carries personal data, so every file written is password-protected (issue 8):
the PDF is encrypted (AES-256), the activity tables (``--csv``, ``--xlsx``) go into an AES-256
ZIP (``F.zip`` holding ``F``, or ``F`` itself when it already ends in ``.zip``). The password
comes from ``--password-file``, ``MEDIADESK_EXPORT_PASSWORD`` or is typed twice; it is read,
and checked, before the store is unlocked.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from mediadesk.cli.common import (
    add_export_password_argument,
    open_workspace,
    parse_id,
    read_export_password,
)
from mediadesk.cli.errors import UsageError
from mediadesk.i18n import _
from mediadesk.services.export_protection import protect_files, protect_pdf, protection_notice
from mediadesk.services.funder_export import to_csv, to_xlsx
from mediadesk.services.reports import ReportService, render_funder_data, write_atomically
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
                            help=_("fichier PDF à écrire (protégé par mot de passe)"))
        add_export_password_argument(parser)
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
    activity_text = _("rapport d'activité pour les financeurs, sur une période")
    activity = kinds.add_parser("activity", aliases=["funder"], help=activity_text,
                                description=activity_text)
    activity.set_defaults(report_kind="activity")
    activity.add_argument("--store", type=Path, required=True, metavar="CHEMIN",
                          help=_("fichier du dossier chiffré"))
    activity.add_argument("--out", type=Path, required=True, metavar="FICHIER",
                          help=_("fichier PDF à écrire (protégé par mot de passe)"))
    add_export_password_argument(activity)
    activity.add_argument("--from", dest="start", required=True, metavar="AAAA-MM-JJ")
    activity.add_argument("--to", dest="end", required=True, metavar="AAAA-MM-JJ")
    activity.add_argument("--csv", type=Path, default=None, metavar="FICHIER",
                          help=_("écrire aussi le tableau des indicateurs en CSV, dans une "
                                 "archive ZIP chiffrée (FICHIER.zip)"))
    activity.add_argument("--xlsx", type=Path, default=None, metavar="FICHIER",
                          help=_("écrire aussi le tableau des indicateurs en XLSX, dans une "
                                 "archive ZIP chiffrée (FICHIER.zip)"))
    activity.add_argument("--profile", default=None, metavar="NOM",
                          help=_("indicateurs de la convention d'un partenaire"))


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("{option} : date non reconnue (attendu AAAA-MM-JJ) : {value}").format(
            option=option, value=text)) from None


def archive_for(table: Path) -> tuple[Path, str]:
    """Where a table goes (an encrypted ZIP) and its name inside: ``t.csv`` -> ``t.csv.zip``
    holding ``t.csv``; ``t.zip`` (``--csv``) -> ``t.zip`` holding ``t.csv``."""
    if table.suffix.lower() == ".zip":
        return table, table.stem
    return table.with_name(table.name + ".zip"), table.name


def cmd_report(args: argparse.Namespace) -> int:
    # Check what was typed before the slow unlock.
    kind = args.report_kind
    household = parse_id(args.household, "--household") if kind in ("dossier", "sheet") else None
    start = _day(getattr(args, "start", None), "--from")
    end = _day(getattr(args, "end", None), "--to")
    assignee: Assignee = None
    if getattr(args, "mediator", None):
        assignee = "team" if args.mediator == "team" else parse_id(args.mediator, "--mediator")
    for target in (args.out, getattr(args, "csv", None), getattr(args, "xlsx", None)):
        if target is not None and not target.parent.is_dir():
            raise UsageError(_("dossier de destination introuvable : {path}").format(
                path=target.parent))
    tables: list[tuple[Path, str, bytes]] = []
    password = read_export_password(args)

    workspace = open_workspace(args)
    try:
        reports = ReportService(workspace.opened.sessions)
        if kind == "dossier":
            assert household is not None
            content = reports.render_dossier(household)
        elif kind == "sheet":
            assert household is not None
            content = reports.render_sheet(household, args.lang)
        elif kind == "activity":
            assert start is not None and end is not None
            data = reports.funder_data(start, end, args.profile)
            content = render_funder_data(data)
            for option, extension, convert in ((args.csv, ".csv", to_csv),
                                               (args.xlsx, ".xlsx", to_xlsx)):
                if option is not None:
                    archive, member = archive_for(option)
                    if archive == option:
                        member += extension
                    tables.append((archive, member, convert(data)))
        else:
            content = reports.render_worklist(start, end, assignee)
    finally:
        workspace.close()
    write_atomically(args.out, protect_pdf(content, password))
    print(_("Document protégé par mot de passe écrit : {path}").format(path=args.out))
    for archive, member, table in tables:
        write_atomically(archive, protect_files({member: table}, password))
        print(_("Tableau {name} écrit dans l'archive chiffrée : {path}").format(
            name=member, path=archive))
    print(protection_notice())
    return 0
