"""`mediadesk sync`: enrol this store's device on the team's server (first time), then sync.

Prints what was sent, received, and any conflict or refused change; a French message and a
non-zero status on network, TLS, authentication or revocation errors (see the README's table),
and before a mass change (many dossiers deleted, or overwritten by one other device): status 8
(a sync error), nothing of it applied, until rerun with ``--confirm-mass-changes``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from mediadesk.cli.common import open_workspace
from mediadesk.i18n import _, ngettext

StoreParser = Callable[[str, str], argparse.ArgumentParser]


def add_parser(with_store: StoreParser) -> None:
    sync = with_store("sync", _("synchroniser avec le serveur de l'équipe (inscrit le poste "
                                "la première fois)"))
    sync.add_argument("--server", default=None, metavar="URL",
                      help=_("adresse du serveur (https://...) ; retenue après l'inscription"))
    sync.add_argument("--enrol", default=None, metavar="CODE",
                      help=_("code d'inscription à usage unique donné par l'administrateur"))
    sync.add_argument("--ca-cert", type=Path, default=None, metavar="FICHIER",
                      help=_("certificat de l'autorité du serveur (PEM), s'il n'est pas public"))
    sync.add_argument("--fingerprint", default=None, metavar="EMPREINTE",
                      help=_("empreinte SHA-256 du certificat du serveur donnée par "
                             "l'administrateur : confirme un certificat que ce poste ne "
                             "reconnaît pas (retenu pour les synchronisations suivantes)"))
    sync.add_argument("--confirm-mass-changes", action="store_true",
                      help=_("accepter une synchronisation qui supprimerait beaucoup de "
                             "dossiers, ou qu'un autre poste modifierait d'un coup (sans "
                             "cette option, elle s'arrête avant et le signale)"))
    sync.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    """Enrol if asked, then sync. Without ``--ca-cert``, the authority or the certificate
    remembered at enrolment is trusted; a certificate no authority vouches for is accepted
    only with its fingerprint (``--fingerprint``), then pinned."""
    from mediadesk.services.sync import (
        NotEnrolled,
        confirm_fingerprint,
        default_connect,
        sync_service,
    )

    connect = default_connect(args.ca_cert) if args.ca_cert is not None else None
    workspace = open_workspace(args)
    try:
        service = sync_service(workspace, connect)
        if args.enrol:
            if not args.server:
                raise NotEnrolled()
            certificate = service.server_certificate(args.server, args.ca_cert)
            if certificate is not None and not certificate.trusted:
                confirm_fingerprint(certificate, args.fingerprint)
            enrolled = service.enrol(args.server, args.enrol, ca_cert=args.ca_cert,
                                     certificate=certificate)
            print(_("Poste inscrit pour {email} (équipes : {teams}).").format(
                email=enrolled.user_email, teams=", ".join(enrolled.teams)))
    finally:
        workspace.close()
    # The identity may have changed at enrolment: sync on a freshly opened workspace.
    workspace = open_workspace(args)
    try:
        service = sync_service(workspace, connect)
        if args.server and not args.enrol:
            service.set_server(args.server)
        url = service.server_url()
        if args.fingerprint and not args.enrol and url and connect is None:
            presented = service.server_certificate(url)  # a changed certificate, confirmed
            if presented is not None:
                confirm_fingerprint(presented, args.fingerprint)
                service.trust_certificate(presented)
        report = service.sync(confirm_mass_change=args.confirm_mass_changes)
        pending = service.pending()
    finally:
        workspace.close()
    print(ngettext("{n} modification envoyée", "{n} modifications envoyées",
                   report.sent).format(n=report.sent))
    print(ngettext("{n} modification reçue", "{n} modifications reçues",
                   report.received).format(n=report.received))
    if report.conflicts:
        print(ngettext("{n} conflit à examiner (deux personnes ont modifié la même donnée)",
                       "{n} conflits à examiner (deux personnes ont modifié la même donnée)",
                       len(report.conflicts)).format(n=len(report.conflicts)))
    if report.rejected:
        print(ngettext("{n} modification refusée par le serveur : voir la boîte des refus",
                       "{n} modifications refusées par le serveur : voir la boîte des refus",
                       report.rejected).format(n=report.rejected), file=sys.stderr)
    for team in report.teams_removed:
        print(_("Vous ne faites plus partie de l'équipe {team} : ses dossiers ont été retirés "
                "de ce poste.").format(team=team))
    if pending:
        print(ngettext("{n} modification reste à envoyer", "{n} modifications restent à envoyer",
                       pending).format(n=pending))
    return 0
