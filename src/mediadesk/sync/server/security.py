"""Secrets of the sync server: hashed device secrets and enrolment codes, signed access tokens.

Device secrets are stored salted with scrypt; enrolment codes with scrypt under a pepper derived
from the server secret (so a code can be looked up by its hash). Access tokens are
``device.expiry_ms.hmac`` signed with HMAC-SHA256 by the secret kept in the database, so any
server process on that database accepts them. Pure functions: the clock is passed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 12


def _scrypt(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )


def new_device_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """A salted scrypt hash, self-describing (``scrypt$salt$hash``)."""
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_scrypt(secret, salt).hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(_scrypt(secret, bytes.fromhex(salt)).hex(), digest)


def new_enrolment_code() -> str:
    """A one-time code a person can read aloud: ``XXXX-XXXX-XXXX`` (60 bits)."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str, server_secret: bytes) -> str:
    """Deterministic hash of an enrolment code (peppered by the server secret)."""
    pepper = hashlib.sha256(b"enrolment-code:" + server_secret).digest()[:16]
    return _scrypt(normalise_code(code), pepper).hex()


def _mac(server_secret: bytes, message: str) -> str:
    digest = hmac.new(server_secret, message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue_token(server_secret: bytes, device_id: str, expires_ms: int) -> str:
    message = f"{device_id}.{expires_ms}"
    return f"{message}.{_mac(server_secret, message)}"


def check_token(server_secret: bytes, token: str, now_ms: int) -> str | None:
    """The device id a token was issued to, or None if forged, malformed or expired."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    device_id, expires, mac = parts
    try:
        expected = _mac(server_secret, f"{device_id}.{expires}")
    except UnicodeEncodeError:
        return None
    if not hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace")):
        return None
    if int(expires) <= now_ms:
        return None
    return device_id
