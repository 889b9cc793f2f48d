"""Key slots: one random data key, wrapped once per passphrase (the LUKS key-slot idea).

The SQLCipher database is encrypted with a random 256-bit *data key* used as a raw key, so no
passphrase ever opens the database directly. Each user (and optionally a recovery code) owns a
*slot*: the data key encrypted with AES-256-GCM under a key derived from the slot's secret by
Argon2id. The Argon2id parameters and salt are recorded in the slot, so they can be raised later
slot by slot. Changing a passphrase rewrites one slot; the database is never re-encrypted.

File layout (``<store>.keys``, JSON, UTF-8, written atomically; it holds no personal data)::

    {
      "format": "mediadesk-keyslots", "version": 1,
      "store_id": "<uuid>",                       # bound into every slot's GCM associated data
      "slots": [
        {"id": "<uuid>", "kind": "passphrase" | "recovery", "label": "<free text>",
         "created_at": "<ISO 8601 UTC>",
         "kdf": {"name": "argon2id", "version": 19, "time_cost": 3, "memory_cost_kib": 65536,
                 "parallelism": 4, "salt": "<base64, 16 bytes>"},
         "wrap": {"name": "aes-256-gcm", "nonce": "<base64, 12 bytes>",
                  "ciphertext": "<base64, 32-byte key + 16-byte tag>"}}
      ]
    }

The GCM associated data is ``b"mediadesk-keyslot-v1|" + store_id + b"|" + slot_id``, so a slot
cannot be moved to another store or swapped with another slot unnoticed.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from argon2.low_level import ARGON2_VERSION, Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mediadesk.store.errors import KeySlotError, StoreCorrupted, StoreNotFound, WrongPassphrase

FORMAT = "mediadesk-keyslots"
VERSION = 1
DATA_KEY_BYTES = 32
SlotKind = Literal["passphrase", "recovery"]


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters (RFC 9106, second recommended option by default)."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4


#: Cheap parameters for automated tests only; never used by the application itself.
TEST_KDF = KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)


@dataclass(frozen=True)
class KeySlot:
    id: str
    kind: SlotKind
    label: str
    created_at: str
    kdf: dict[str, Any]
    wrap: dict[str, Any]


@dataclass(frozen=True)
class KeySlotFile:
    store_id: str
    slots: tuple[KeySlot, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "version": VERSION,
            "store_id": self.store_id,
            "slots": [asdict(slot) for slot in self.slots],
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeySlotFile:
        try:
            body = json.loads(text)
            if body.get("format") != FORMAT or body.get("version") != VERSION:
                raise StoreCorrupted("not a MediaDesk key-slot file")
            slots = tuple(KeySlot(**slot) for slot in body["slots"])
            return cls(store_id=str(uuid.UUID(body["store_id"])), slots=slots)
        except StoreCorrupted:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoreCorrupted("unreadable key-slot file") from exc


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_recovery_code() -> str:
    """A recovery code a person can write down: 6 groups of 5 base32 characters."""
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")
    return "-".join(raw[i : i + 5] for i in range(0, 30, 5))


def _normalise_secret(kind: SlotKind, secret: str) -> bytes:
    if kind == "recovery":
        secret = "".join(ch for ch in secret.upper() if ch.isalnum())
    return secret.encode("utf-8")


def _derive(secret: bytes, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "argon2id":
        raise StoreCorrupted(f"unknown key derivation {kdf.get('name')!r}")
    return hash_secret_raw(
        secret=secret,
        salt=base64.b64decode(kdf["salt"]),
        time_cost=int(kdf["time_cost"]),
        memory_cost=int(kdf["memory_cost_kib"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=32,
        type=Type.ID,
        version=int(kdf.get("version", ARGON2_VERSION)),
    )


def _aad(store_id: str, slot_id: str) -> bytes:
    return f"mediadesk-keyslot-v1|{store_id}|{slot_id}".encode("ascii")


def make_slot(
    store_id: str,
    data_key: bytes,
    secret: str,
    *,
    kind: SlotKind = "passphrase",
    label: str = "",
    kdf: KdfParams | None = None,
) -> KeySlot:
    """Wrap ``data_key`` under ``secret``. Slow on purpose (Argon2id): call off the GUI thread."""
    params = kdf or KdfParams()
    slot_id = str(uuid.uuid4())
    kdf_record = {
        "name": "argon2id",
        "version": ARGON2_VERSION,
        "time_cost": params.time_cost,
        "memory_cost_kib": params.memory_cost_kib,
        "parallelism": params.parallelism,
        "salt": base64.b64encode(secrets.token_bytes(16)).decode("ascii"),
    }
    wrapping_key = _derive(_normalise_secret(kind, secret), kdf_record)
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(wrapping_key).encrypt(nonce, data_key, _aad(store_id, slot_id))
    return KeySlot(
        id=slot_id,
        kind=kind,
        label=label,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        kdf=kdf_record,
        wrap={
            "name": "aes-256-gcm",
            "nonce": base64.b64encode(nonce).decode("ascii"),
            "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        },
    )


def try_slot(store_id: str, slot: KeySlot, secret: str) -> bytes | None:
    """Return the data key if ``secret`` opens ``slot``, else None."""
    try:
        wrapping_key = _derive(_normalise_secret(slot.kind, secret), slot.kdf)
        return AESGCM(wrapping_key).decrypt(
            base64.b64decode(slot.wrap["nonce"]),
            base64.b64decode(slot.wrap["ciphertext"]),
            _aad(store_id, slot.id),
        )
    except InvalidTag:
        return None
    except (KeyError, ValueError, TypeError) as exc:
        raise StoreCorrupted("damaged key slot") from exc


def unlock(slots: KeySlotFile, secret: str) -> tuple[KeySlot, bytes]:
    """Find the slot ``secret`` opens; return it with the data key.

    Raises WrongPassphrase when no slot opens.
    """
    for slot in slots.slots:
        key = try_slot(slots.store_id, slot, secret)
        if key is not None:
            return slot, key
    raise WrongPassphrase()


def add_slot(slots: KeySlotFile, slot: KeySlot) -> KeySlotFile:
    return replace(slots, slots=(*slots.slots, slot))


def remove_slot(slots: KeySlotFile, slot_id: str) -> KeySlotFile:
    """Remove a slot; refuses to remove the last passphrase slot (the store would be lost)."""
    remaining = tuple(s for s in slots.slots if s.id != slot_id)
    if len(remaining) == len(slots.slots):
        raise KeySlotError(f"no slot {slot_id}")
    if not any(s.kind == "passphrase" for s in remaining):
        raise KeySlotError("cannot remove the last passphrase slot")
    return replace(slots, slots=remaining)


def replace_slot(slots: KeySlotFile, old_id: str, new: KeySlot) -> KeySlotFile:
    return replace(slots, slots=tuple(new if s.id == old_id else s for s in slots.slots))


def read_slots(path: Path) -> KeySlotFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise StoreNotFound(str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreCorrupted(str(path)) from exc
    return KeySlotFile.from_json(text)


def write_slots(path: Path, slots: KeySlotFile) -> None:
    """Write atomically: a crash leaves either the old or the new file, never half of one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(slots.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - not possible on every platform
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
