"""The sync server's TLS certificate: fetched on first contact, shown to a person, pinned.

At enrolment the app connects to the server once *without* trusting anything, reads the
certificate it presents (:func:`fetch`), and shows its SHA-256 fingerprint, subject, issuer and
validity so that a person compares the fingerprint with the one the administrator gives
(``mediadesk-server fingerprint``). :func:`fetch` also tells whether the system's authorities
(or the CA file chosen) vouch for it. A certificate they do not vouch for (self-signed, a
structure's own authority) is *pinned* once confirmed: every later connection accepts that exact
certificate and nothing else (:func:`client_factory`), so a changed certificate is refused
(:class:`CertificateChanged`, a possible interception) until a person confirms the new one.

Blocking (sockets); call it from a background lane, never on the GUI thread.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from mediadesk.i18n import _
from mediadesk.sync.client import SyncClient
from mediadesk.sync.errors import NetworkError, TlsError

ClientFactory = Callable[[str], SyncClient]
_HEX = re.compile(r"[0-9A-F]{64}")


@dataclass(frozen=True)
class ServerCertificate:
    """The certificate a server presented. ``trusted``: the system's authorities (or the CA
    file chosen) vouch for it and for the server's name; otherwise it can only be pinned."""

    url: str
    pem: str
    sha256: str  # "AB:CD:..." (32 pairs), as `openssl x509 -fingerprint -sha256` prints it
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    trusted: bool

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer


class CertificateChanged(TlsError):
    """The server presents another certificate than the one pinned at enrolment: refused
    (someone may be intercepting) until a person confirms the new one. ``presented`` is the
    new certificate, to show for that confirmation."""

    def __init__(self, expected: str, presented: ServerCertificate) -> None:
        super().__init__(_(
            "Le certificat du serveur {url} a changé depuis l'inscription de ce poste : "
            "synchronisation refusée, car quelqu'un pourrait intercepter les échanges. "
            "Ne confirmez le nouveau certificat que si l'administrateur vous a annoncé ce "
            "changement et vous en a donné l'empreinte (attendue : {expected} ; présentée : "
            "{presented}).").format(url=presented.url, expected=short(expected),
                                    presented=short(presented.sha256)))
        self.expected = expected
        self.presented = presented


def fingerprint(der: bytes) -> str:
    """The SHA-256 fingerprint of a DER certificate, as "AB:CD:..."."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def fingerprint_of_pem(pem: str) -> str:
    """The fingerprint of the first certificate of a PEM text (a chain file: its leaf).
    Raises ValueError if there is none."""
    start = pem.find(ssl.PEM_HEADER)
    end = pem.find(ssl.PEM_FOOTER, start)
    if start < 0 or end < 0:
        raise ValueError("no PEM certificate")
    return fingerprint(ssl.PEM_cert_to_DER_cert(pem[start:end + len(ssl.PEM_FOOTER)]))


def short(sha256: str) -> str:
    """The first and last four pairs, enough to tell two fingerprints apart in a sentence."""
    pairs = sha256.split(":")
    return sha256 if len(pairs) <= 8 else ":".join(pairs[:4]) + "…" + ":".join(pairs[-4:])


def normalise(text: str) -> str | None:
    """A fingerprint as typed or pasted (any case, with or without colons or spaces, with an
    ``SHA256 Fingerprint=`` prefix), in the "AB:CD:..." form; None if it is not one."""
    cleaned = text.upper().split("=")[-1]
    digits = re.sub(r"[^0-9A-F]", "", cleaned)
    if not _HEX.fullmatch(digits):
        return None
    return ":".join(digits[i:i + 2] for i in range(0, 64, 2))


def describe(url: str, der: bytes, *, trusted: bool) -> ServerCertificate:
    certificate = x509.load_der_x509_certificate(der)
    return ServerCertificate(
        url=url,
        pem=certificate.public_bytes(Encoding.PEM).decode("ascii"),
        sha256=fingerprint(der),
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        trusted=trusted,
    )


def uses_tls(url: str) -> bool:
    return urlsplit(url).scheme == "https"


def fetch(url: str, *, ca_cert: Path | None = None, timeout: float = 10.0) -> ServerCertificate:
    """Connect to ``url``'s TLS endpoint and read the certificate it presents, trusting
    nothing; then say whether the system's authorities (plus ``ca_cert``) vouch for it.

    Raises :class:`NetworkError` (unreachable) or :class:`TlsError` (no TLS handshake)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    blind = ssl.create_default_context()
    blind.check_hostname = False
    blind.verify_mode = ssl.CERT_NONE
    der = _handshake(url, host, port, blind, timeout)
    if der is None:
        raise TlsError.handshake(url)
    checking = ssl.create_default_context(cafile=str(ca_cert) if ca_cert else None)
    try:
        _handshake(url, host, port, checking, timeout)
        trusted = True
    except TlsError:
        trusted = False
    return describe(url, der, trusted=trusted)


def _handshake(url: str, host: str, port: int, context: ssl.SSLContext,
               timeout: float) -> bytes | None:
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            return tls.getpeercert(binary_form=True)
    except ssl.SSLError as error:
        raise TlsError.handshake(url) from error
    except TimeoutError as error:
        raise NetworkError.timeout(url) from error
    except OSError as error:
        raise NetworkError.unreachable(url) from error


def pinned_context(pem: str) -> ssl.SSLContext:
    """A context accepting exactly the certificate ``pem`` and nothing else.

    The pinned certificate is the only trust anchor (partial chains allowed, so a leaf issued
    by a structure's own authority can be one): another certificate, even from the same
    authority, fails the verification. The name is not checked on top: the exact certificate
    a person confirmed is a stronger check than the name it carries."""
    context = ssl.create_default_context(cadata=pem)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.check_hostname = False
    return context


def client_factory(*, ca_cert: Path | None = None, pinned_pem: str | None = None
                   ) -> ClientFactory:
    """HTTP clients for a server address: the pinned certificate when there is one, else the
    system's authorities plus ``ca_cert``."""
    if pinned_pem:
        context = pinned_context(pinned_pem)
        return lambda url: SyncClient(url, transport=httpx.HTTPTransport(verify=context))
    return lambda url: SyncClient(url, ca_cert=ca_cert)


class UnconfirmedCertificate(TlsError):
    """The command line met a certificate the authorities do not vouch for, and no matching
    fingerprint was given to confirm it (``typed`` is what was given, if anything)."""

    def __init__(self, certificate: ServerCertificate, typed: str | None) -> None:
        if typed is None:
            message = _(
                "Le certificat du serveur {url} n'est pas reconnu par ce poste (empreinte "
                "SHA-256 : {sha256}). Comparez cette empreinte à celle donnée par "
                "l'administrateur, puis relancez avec --fingerprint EMPREINTE pour la confirmer."
            )
        else:
            message = _(
                "L'empreinte indiquée ne correspond pas au certificat présenté par le serveur "
                "{url} (empreinte SHA-256 : {sha256}) : connexion refusée, quelqu'un pourrait "
                "intercepter les échanges. Vérifiez l'empreinte avec l'administrateur."
            )
        super().__init__(message.format(url=certificate.url, sha256=certificate.sha256))
        self.certificate = certificate


def confirm(certificate: ServerCertificate, typed: str | None) -> None:
    """Accept ``certificate`` if ``typed`` is its fingerprint (any usual spelling); raises
    :class:`UnconfirmedCertificate` otherwise."""
    if typed is None or normalise(typed) != certificate.sha256:
        raise UnconfirmedCertificate(certificate, typed)
