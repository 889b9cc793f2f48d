"""``mediadesk-server``: run the sync server and administer teams, users and devices.

    mediadesk-server init [--db URL]
    mediadesk-server run [--db URL] [--host H] [--port N] [--workers N] [--tls-cert F --tls-key F]
    mediadesk-server admin [--db URL] create-team NAME
    mediadesk-server admin add-user EMAIL --team NAME --role mediator|team_lead|admin
    mediadesk-server admin remove-member EMAIL --team NAME
    mediadesk-server admin enrol EMAIL          (prints a one-time enrolment code)
    mediadesk-server admin devices
    mediadesk-server admin revoke DEVICE_ID
    mediadesk-server fingerprint CERT_FILE     (the SHA-256 fingerprint mediators compare)
    mediadesk-server compact [--db URL] [--horizon-days N]   (drop values superseded before
                                                              the horizon, every team)

``--db`` is a SQLAlchemy URL (default: ``MEDIADESK_DB_URL``, else a SQLite file in the user data
directory). Messages are in French; errors exit with status 1 (2 for bad usage).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from mediadesk.sync.server import admin, compact, db
from mediadesk.sync.server.app import create_app
from mediadesk.sync.server.errors import AdminError
from mediadesk.sync.server.settings import ServerSettings


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings from ``MEDIADESK_*`` variables."""
    return create_app(ServerSettings.from_env())


def _settings(args: argparse.Namespace) -> ServerSettings:
    url = getattr(args, "db", None)
    return ServerSettings.from_env(db_url=url) if url else ServerSettings.from_env()


def _engine(args: argparse.Namespace) -> tuple[ServerSettings, Engine]:
    settings = _settings(args)
    engine = db.make_engine(settings.db_url, pool_size=2)
    db.init(engine)
    return settings, engine


def _cmd_init(args: argparse.Namespace) -> None:
    _engine(args)
    _out("Base du serveur initialisée.")


def _cmd_run(args: argparse.Namespace) -> None:
    import uvicorn

    settings, engine = _engine(args)
    engine.dispose()
    if bool(args.tls_cert) != bool(args.tls_key):
        raise AdminError("--tls-cert et --tls-key vont ensemble.")
    os.environ["MEDIADESK_DB_URL"] = settings.db_url
    target: str | FastAPI = "mediadesk.sync.server.cli:app_from_env"
    if args.workers <= 1:
        target = create_app(settings)
    uvicorn.run(
        target,
        factory=args.workers > 1,
        host=args.host,
        port=args.port,
        workers=args.workers if args.workers > 1 else None,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        log_level="warning",
        access_log=False,
    )


def _cmd_create_team(args: argparse.Namespace) -> None:
    _, engine = _engine(args)
    team_id = admin.create_team(engine, args.name)
    _out(f"Équipe « {args.name} » créée ({team_id}).")


def _cmd_add_user(args: argparse.Namespace) -> None:
    _, engine = _engine(args)
    admin.add_user(engine, args.email, args.team, args.role)
    _out(f"« {args.email} » est membre de l'équipe « {args.team} » ({args.role}).")


def _cmd_remove_member(args: argparse.Namespace) -> None:
    _, engine = _engine(args)
    admin.remove_member(engine, args.email, args.team)
    _out(f"« {args.email} » n'est plus membre de l'équipe « {args.team} ».")


def _cmd_enrol(args: argparse.Namespace) -> None:
    settings, engine = _engine(args)
    code = admin.issue_enrolment(engine, args.email, settings.now_ms(), settings.enrol_code_ttl_s)
    hours = settings.enrol_code_ttl_s // 3600
    _out(f"Code d'enrôlement pour « {args.email} » (usage unique, valable {hours} h) :")
    _out(code)


def _moment(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _cmd_devices(args: argparse.Namespace) -> None:
    _, engine = _engine(args)
    rows = admin.list_devices(engine)
    if not rows:
        _out("Aucun appareil enrôlé.")
    for row in rows:
        state = f"révoqué le {_moment(row.revoked_at)}" if row.revoked_at else "actif"
        _out(f"{row.id}  {row.email}  {row.name or '-'}  enrôlé le {_moment(row.enrolled_at)}  "
             f"{state}")  # fmt: skip


def _cmd_revoke(args: argparse.Namespace) -> None:
    settings, engine = _engine(args)
    admin.revoke(engine, args.device_id, settings.now_ms())
    _out(f"Appareil {args.device_id} révoqué : il effacera ses données au prochain contact.")


def _cmd_fingerprint(args: argparse.Namespace) -> None:
    from pathlib import Path

    from mediadesk.sync.certificates import fingerprint_of_pem

    try:
        sha256 = fingerprint_of_pem(Path(args.cert).read_text(encoding="ascii"))
    except (OSError, ValueError) as error:
        raise AdminError(f"Certificat illisible (PEM attendu) : {args.cert}") from error
    _out("Empreinte SHA-256 du certificat, à donner aux médiateurs pour l'inscription :")
    _out(sha256)


def _cmd_compact(args: argparse.Namespace) -> None:
    settings, engine = _engine(args)
    days = settings.log_horizon_days if args.horizon_days is None else args.horizon_days
    if days < 1:
        raise AdminError("--horizon-days doit valoir au moins 1.")
    results = compact.compact(engine, settings.now_ms(), days)
    names = admin.team_names(engine)
    for result in results:
        _out(
            f"Équipe « {names.get(result.team_id, result.team_id)} » : {result.dropped} "
            f"opération(s) remplacée(s) supprimée(s), journal compacté jusqu'à {result.floor}."
        )
    _out(f"Compactage terminé (horizon : {days} jours).")


def _parser() -> argparse.ArgumentParser:
    db_opt = argparse.ArgumentParser(add_help=False)
    db_opt.add_argument("--db", default=argparse.SUPPRESS, help="URL SQLAlchemy de la base")
    parser = argparse.ArgumentParser(prog="mediadesk-server", description="Serveur MediaDesk")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", parents=[db_opt], help="créer ou migrer la base").set_defaults(
        func=_cmd_init
    )
    run = commands.add_parser("run", parents=[db_opt], help="lancer le serveur")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8443)
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--tls-cert")
    run.add_argument("--tls-key")
    run.set_defaults(func=_cmd_run)
    printing = commands.add_parser(
        "fingerprint", help="afficher l'empreinte SHA-256 du certificat TLS (--tls-cert)"
    )
    printing.add_argument("cert", help="fichier PEM du certificat (celui de --tls-cert)")
    printing.set_defaults(func=_cmd_fingerprint)
    compacting = commands.add_parser(
        "compact", parents=[db_opt], help="compacter les journaux au-delà de l'horizon"
    )
    compacting.add_argument("--horizon-days", type=int, default=None)
    compacting.set_defaults(func=_cmd_compact)
    _admin_parser(commands.add_parser("admin", parents=[db_opt], help="administration"), db_opt)
    return parser


def _admin_parser(parser: argparse.ArgumentParser, db_opt: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], None]) -> argparse.ArgumentParser:
        action = sub.add_parser(name, parents=[db_opt])
        action.set_defaults(func=func)
        return action

    add("create-team", _cmd_create_team).add_argument("name")
    add_user = add("add-user", _cmd_add_user)
    add_user.add_argument("email")
    add_user.add_argument("--team", required=True)
    add_user.add_argument("--role", required=True, choices=admin.ROLES)
    remove = add("remove-member", _cmd_remove_member)
    remove.add_argument("email")
    remove.add_argument("--team", required=True)
    add("enrol", _cmd_enrol).add_argument("email")
    add("devices", _cmd_devices)
    add("revoke", _cmd_revoke).add_argument("device_id")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        args.func(args)
    except AdminError as error:
        _err(f"Erreur : {error}")
        return 1
    except SQLAlchemyError as error:
        _err(f"Erreur : base de données inaccessible ({type(error).__name__}).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
