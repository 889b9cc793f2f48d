"""One function per sub-command: `cmd_<name>(args) -> exit status`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mediadesk.cli import prompts
from mediadesk.cli.common import open_workspace
from mediadesk.cli.errors import EXIT_PROBLEMS, UsageError
from mediadesk.i18n import _, format_moment
from mediadesk.services import keys
from mediadesk.services.locations import store_exists
from mediadesk.services.workspace import create_workspace

StoreParser = Callable[[str, str], argparse.ArgumentParser]


def cmd_init(args: argparse.Namespace) -> int:
    if store_exists(args.store):
        from mediadesk.services.errors import StoreAlreadyExists

        raise StoreAlreadyExists(str(args.store))
    workspace = create_workspace(args.store, prompts.new_passphrase(), user_name=args.user)
    workspace.close()
    print(_("Dossier chiffré créé : {path}").format(path=args.store))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from mediadesk.services.demo import populate_demo

    if args.households < 1:
        raise UsageError(_("--households doit être un nombre positif."))
    if store_exists(args.store):
        workspace = open_workspace(args)
    else:
        workspace = create_workspace(args.store, prompts.new_passphrase())
    started = time.monotonic()
    last_shown = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and (now - last_shown[0] > 0.2 or done == total):
            last_shown[0] = now
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        summary = populate_demo(workspace, args.households, seed=args.seed, progress=progress)
    finally:
        workspace.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("{n} foyers fictifs ajoutés en {s:.1f} s.").format(
        n=summary.households, s=time.monotonic() - started))
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    try:
        hits = workspace.dossiers.find_households(" ".join(args.text), limit=args.limit)
    finally:
        workspace.close()
    for hit in hits:
        if args.json:
            print(json.dumps({
                "id": str(hit.id), "name": hit.name, "address": hit.address,
                "phones": list(hit.phones), "status": hit.status,
            }, ensure_ascii=False))
        else:
            print("\t".join((hit.name, hit.address, ", ".join(hit.phones), str(hit.id))))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    try:
        problems = workspace.check()
    finally:
        workspace.close()
    if problems:
        for problem in problems:
            print(problem)
        print(_("{n} problème(s) trouvé(s).").format(n=len(problems)), file=sys.stderr)
        return EXIT_PROBLEMS
    print(_("Intégrité vérifiée : aucun problème."))
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    keys.require_store(args.store)
    old = prompts.existing_passphrase()
    new = prompts.new_passphrase(prompts.ENV_NEW_PASSPHRASE)
    keys.change_passphrase(args.store, old, new)
    print(_("Phrase de passe changée."))
    return 0


def cmd_slots(args: argparse.Namespace) -> int:
    keys.require_store(args.store)
    if args.action == "list":
        for slot in keys.list_slots(args.store):
            print("\t".join((slot.id, slot.kind, slot.label, slot.created_at)))
        return 0
    existing = prompts.existing_passphrase()
    if args.action == "add":
        slot = keys.add_passphrase(args.store, existing,
                                   prompts.new_passphrase(prompts.ENV_NEW_PASSPHRASE),
                                   label=args.label)
        print(_("Emplacement ajouté : {id}").format(id=slot.id))
    elif args.action == "add-recovery":
        slot, code = keys.add_recovery(args.store, existing, label=args.label or "secours")
        print(_("Code de secours (à noter et garder sous clé, il ne sera plus affiché) :"))
        print(code)
        print(_("Emplacement ajouté : {id}").format(id=slot.id))
    else:
        if not args.slot:
            raise UsageError(_("précisez --slot IDENTIFIANT (voir « slots list »)."))
        keys.remove_slot(args.store, existing, args.slot)
        print(_("Emplacement retiré."))
    return 0


def add_backup_parsers(with_store: StoreParser) -> None:
    """Register `backup` (write one, or `backup list`) and `restore`."""
    backup = with_store("backup", _("écrire une sauvegarde chiffrée de tout le dossier, ou "
                                    "lister les sauvegardes (« backup list »)"))
    backup.add_argument("action", nargs="?", choices=("list",), default=None,
                        help=_("list : les sauvegardes du dossier, la plus récente en premier"))
    backup.add_argument("--out", type=Path, default=None, metavar="FICHIER",
                        help=_("fichier à écrire (par défaut : une sauvegarde manuelle dans "
                               "le dossier des sauvegardes)"))
    restore = with_store("restore", _("remplacer le dossier par une sauvegarde chiffrée "
                                      "(l'état actuel est d'abord sauvegardé)"))
    restore.add_argument("--from", dest="source", required=True, metavar="SAUVEGARDE",
                         help=_("un fichier, ou un nom ou un numéro de « backup list »"))


def cmd_backup(args: argparse.Namespace) -> int:
    from mediadesk.services.backups import MANUAL, format_size, kind_label, list_backups

    if args.action == "list":
        if args.out is not None:
            raise UsageError(_("« backup list » ne prend pas --out."))
        backups = list_backups(args.store)
        for number, item in enumerate(backups, start=1):
            print("\t".join((str(number), format_moment(item.created_at),
                             kind_label(item.kind), format_size(item.size), item.name)))
        if not backups:
            print(_("Aucune sauvegarde pour ce dossier."), file=sys.stderr)
        return 0
    workspace = open_workspace(args)
    try:
        target = (workspace.backup_to(args.out) if args.out is not None
                  else workspace.backups.create(MANUAL).path)
    finally:
        workspace.close()
    print(_("Sauvegarde chiffrée écrite : {path}").format(path=target))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from mediadesk.services.backups import find_backup, restore_closed

    source = find_backup(args.store, args.source)
    result = restore_closed(args.store, source, prompts.existing_passphrase())
    print(_("Dossier restauré depuis {path}.").format(path=source))
    if result.safety is not None:
        print(_("L'état précédent a été sauvegardé (chiffré) : {name}").format(
            name=result.safety.name))
    return 0
