"""What can go wrong talking to the sync server, as typed exceptions with French messages.

Raised by :class:`mediadesk.sync.client.SyncClient`; the CLI and the UI show ``str(error)``
(translated through ``_()``) and act on the type: retry later (:class:`NetworkError`,
:class:`ServerError`), fix the setup (:class:`TlsError`), get a new token or enrol again
(:class:`AuthError`), wipe the device (:class:`DeviceRevoked`), resend from ``expected``
(:class:`SequenceGap`).
"""

from __future__ import annotations

from mediadesk.i18n import _


class SyncError(Exception):
    """Base of every sync failure; ``str()`` is a message for people."""

    def __init__(self, message: str, *, server_message: str | None = None):
        super().__init__(message)
        self.server_message = server_message


class NetworkError(SyncError):
    """The server could not be reached or did not answer in time (after the retries)."""

    @classmethod
    def unreachable(cls, url: str) -> NetworkError:
        return cls(_("Serveur de synchronisation injoignable ({url}) : vérifiez la connexion.")
                   .format(url=url))  # fmt: skip

    @classmethod
    def timeout(cls, url: str) -> NetworkError:
        return cls(_("Le serveur de synchronisation ({url}) ne répond pas à temps.")
                   .format(url=url))  # fmt: skip


class TlsError(SyncError):
    """The HTTPS connection was refused: the server's certificate is not trusted."""

    @classmethod
    def untrusted(cls, url: str) -> TlsError:
        return cls(
            _(
                "Le certificat du serveur {url} n'est pas reconnu : connexion refusée. "
                "Indiquez le certificat de l'autorité de votre structure (--ca-cert)."
            ).format(url=url)
        )

    @classmethod
    def handshake(cls, url: str) -> TlsError:
        return cls(_("Connexion sécurisée impossible avec le serveur {url}.").format(url=url))


class AuthError(SyncError):
    """Credentials refused: the token expired (get another) or the secret or code is wrong.

    ``code`` is the protocol's ``unauthorized`` (token) or ``bad_credentials`` (secret, code),
    or a caller's own (e.g. ``no_team``).
    """

    def __init__(self, message: str, *, code: str, server_message: str | None = None):
        super().__init__(message, server_message=server_message)
        self.code = code

    @classmethod
    def refused(cls, code: str, server_message: str | None = None) -> AuthError:
        """The server's refusal of a token (``unauthorized``) or of credentials."""
        if code == "unauthorized":
            message = _("Accès au serveur de synchronisation expiré ou refusé : reconnectez-vous.")
        else:
            message = _(
                "Le serveur de synchronisation refuse cet appareil : code d'enrôlement ou "
                "identifiants incorrects, expirés ou déjà utilisés."
            )
        return cls(message, code=code, server_message=server_message)


class DeviceRevoked(SyncError):
    """This device was revoked by an administrator: it must wipe its local data."""

    def __init__(self, server_message: str | None = None):
        super().__init__(
            _("Cet appareil a été révoqué par l'administrateur : ses données locales vont être "
              "effacées."),
            server_message=server_message,
        )  # fmt: skip


class SequenceGap(SyncError):
    """The server expects changeset ``expected`` next: resend the outbox from there."""

    def __init__(self, expected: int, server_message: str | None = None):
        super().__init__(
            _("Envoi hors séquence : le serveur attend le lot {n}.").format(n=expected),
            server_message=server_message,
        )
        self.expected = expected


class ServerError(SyncError):
    """The server failed or is unavailable (5xx after the retries)."""

    def __init__(self, status: int, server_message: str | None = None):
        super().__init__(
            _("Le serveur de synchronisation a rencontré une erreur ({status}). "
              "Réessayez plus tard.").format(status=status),
            server_message=server_message,
        )  # fmt: skip
        self.status = status


class ProtocolError(SyncError):
    """The server refused the request as malformed, or answered something unreadable."""

    def __init__(self, detail: str, *, status: int | None = None, code: str | None = None):
        super().__init__(
            _("Échange refusé par le serveur de synchronisation : {detail}").format(detail=detail),
            server_message=detail,
        )
        self.status = status
        self.code = code


class RequestTooLarge(ProtocolError):
    """The request exceeded the server's size limit: send fewer changesets at once."""
