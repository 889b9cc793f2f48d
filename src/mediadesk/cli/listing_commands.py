"""`mediadesk import-listing`: import a supplier's weekly listing (CSV or XLSX) into a store.

Prints a summary (new households, matched, duplicates, invalid lines with their reasons). A file
with invalid lines writes nothing and exits with status 1 unless ``--skip-invalid``; ``--dry-run``
never writes. A file that is not a listing is one French line on stderr (status 2).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mediadesk.cli.common import open_workspace
from mediadesk.cli.errors import EXIT_PROBLEMS, UsageError
from mediadesk.i18n import _
from mediadesk.services.listing import (
    ImportResult,
    ListingPreview,
    NotAListing,
    listing_service,
)

StoreParser = Callable[[str, str], argparse.ArgumentParser]


def add_parser(with_store: StoreParser) -> argparse.ArgumentParser:
    """Declare the sub-command through the CLI's ``with_store`` helper."""
    command = with_store("import-listing",
                         _("importer le listing hebdomadaire d'un fournisseur (CSV ou XLSX)"))
    command.add_argument("file", type=Path, metavar="FICHIER")
    command.add_argument("--partner", default="EDF", metavar="NOM",
                         help=_("partenaire qui envoie le listing (par défaut : EDF)"))
    command.add_argument("--dry-run", action="store_true",
                         help=_("montrer ce qui serait importé sans rien enregistrer"))
    command.add_argument("--skip-invalid", action="store_true",
                         help=_("importer les lignes valides en laissant de côté les invalides"))
    command.add_argument("--json", action="store_true", help=_("résumé en JSON"))
    command.set_defaults(handler=cmd_import_listing)
    return command


def cmd_import_listing(args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    workspace = open_workspace(args)
    try:
        service = listing_service(workspace)
        try:
            preview = service.preview(data, source_name=args.file.name, partner=args.partner)
        except NotAListing as exc:
            raise UsageError(exc.message) from exc
        blocked = bool(preview.of_kind("invalid")) and not args.skip_invalid
        result = None
        if not args.dry_run and not blocked:
            result = service.commit(preview, skip_invalid=args.skip_invalid)
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(_as_json(preview, result, args.dry_run), ensure_ascii=False))
    else:
        _print_summary(preview, result, dry_run=args.dry_run, blocked=blocked)
    return EXIT_PROBLEMS if blocked else 0


def _as_json(preview: ListingPreview, result: ImportResult | None, dry_run: bool
             ) -> dict[str, Any]:
    return {
        "source": preview.source_name,
        "partner": preview.partner,
        "dry_run": dry_run,
        "written": result is not None,
        "list_id": str(result.list_id) if result is not None else None,
        "counts": {kind: len(preview.of_kind(kind))
                   for kind in ("new", "matched", "duplicate", "invalid")},
        "lines": [{
            "line": item.line_no,
            "kind": item.kind,
            "name": item.line.name if item.line is not None else None,
            "household_id": str(item.household_id) if item.household_id else None,
            "reason": item.reason or None,
            "duplicate_of": item.duplicate_of,
            "problems": [str(p) for p in item.problems],
        } for item in preview.lines],
    }


def _print_summary(preview: ListingPreview, result: ImportResult | None, *, dry_run: bool,
                   blocked: bool) -> None:
    print(_("Listing « {source} » ({partner}) : {new} nouveau(x) foyer(s), {matched} déjà "
            "connu(s), {duplicates} doublon(s), {invalid} ligne(s) invalide(s).").format(
        source=preview.source_name, partner=preview.partner, new=len(preview.of_kind("new")),
        matched=len(preview.of_kind("matched")), duplicates=len(preview.of_kind("duplicate")),
        invalid=len(preview.of_kind("invalid"))))
    for item in preview.lines:
        if item.kind == "matched" and item.line is not None:
            print(_("  ligne {line} : {name} → foyer connu {candidate} ({reason})").format(
                line=item.line_no, name=item.line.name, candidate=item.candidate_name,
                reason=item.reason))
        elif item.kind == "duplicate":
            print(_("  ligne {line} : {reason}").format(line=item.line_no, reason=item.reason))
        for problem in item.problems:
            print(f"  {problem}")
    if result is not None:
        print(_("Import enregistré : {n} ligne(s) dans la liste {id}.").format(
            n=result.created + result.matched, id=result.list_id))
    elif blocked:
        print(_("Rien n'a été importé : corrigez les lignes invalides ou relancez avec "
                "--skip-invalid."))
    elif dry_run:
        print(_("Simulation : rien n'a été enregistré."))
