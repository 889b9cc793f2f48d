"""The sync wire protocol (version 1): what a device and the server say to each other.

Pydantic models, shared by the client (``sync.client``) and the server (``sync.server``); JSON
bodies, gzip-compressed when large. Keys are short on purpose: a change costs a few dozen bytes
on the wire once compressed (issue 5 asks <= 60 bytes per change in batches of 100).

One ``POST /v1/sync`` carries both directions in the common case:

- the device pushes its pending changesets, each numbered by a gapless per-device ``client_seq``;
  the server stores each changeset exactly once and answers a :class:`Receipt` (a replayed
  changeset gets the stored receipt again, never a duplicate);
- the device gives, per team (scope), the last server sequence number it has applied; the server
  answers pages of the ops after it, in sequence order, with the running checksum at the page end.

Ops carry no ``op_id`` on push: the server names op ``i`` of changeset ``n`` of device ``d``
``f"{d}:{n}:{i}"`` (:func:`op_id_of`), so a replay names the same ops identically.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from mediadesk.sync.ops import OpKind

PROTOCOL_VERSION = 3
# 2: ``move`` ops (dossiers moved between teams), page floors (compacted logs), an
# anonymisation rewrites the values of the dossier's earlier ops.
# 3: the answer names the devices whose ops its pages hold (``SyncResponse.devices``).
# A client of another version is told to update (400 UNSUPPORTED_PROTOCOL).
MAX_OPS_PER_CHANGESET = 5_000
MAX_PAGE = 5_000
DEFAULT_PAGE = 2_000

EMPTY_CHECKSUM = "0" * 16
"""The running checksum of an empty log."""

Hex32 = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
"""A UUID as 32 lowercase hex digits (the form SQLite stores them in)."""
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z_][a-z0-9_]*$")]
HlcText = Annotated[str, Field(pattern=r"^\d{15}:\d{6}:[0-9a-f]{0,32}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- errors ---------------------------------------------------------------------------------


class ErrorCode:
    """``detail.code`` of every error body: the client acts on the code, shows the message."""

    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"  # no / expired / invalid token: get a new one
    BAD_CREDENTIALS = "bad_credentials"  # device secret or enrolment code refused
    DEVICE_REVOKED = "device_revoked"  # the device must wipe its store and key slots
    SEQUENCE_GAP = "sequence_gap"  # a changeset skipped a client_seq: resend from the first
    TOO_LARGE = "too_large"
    UNSUPPORTED_PROTOCOL = "unsupported_protocol"
    FORBIDDEN = "forbidden"  # the user's role does not allow this


class ErrorDetail(_Model):
    code: str
    message: str  # French, for people
    expected: int | None = None  # SEQUENCE_GAP: the client_seq the server expects next


class ErrorBody(_Model):
    detail: ErrorDetail


# -- enrolment and tokens ---------------------------------------------------------------------


class TeamInfo(_Model):
    id: Hex32
    name: str
    role: str  # the user's role in this team: mediator | team_lead | admin


class UserInfo(_Model):
    id: Hex32
    email: str
    role: str


class EnrolRequest(_Model):
    code: Annotated[str, Field(min_length=6, max_length=64)]
    device_id: Hex32
    device_name: Annotated[str, Field(max_length=120)] = ""


class EnrolResponse(_Model):
    device_id: Hex32
    device_secret: str
    user: UserInfo
    teams: list[TeamInfo]


class TokenRequest(_Model):
    device_id: Hex32
    device_secret: Annotated[str, Field(min_length=16, max_length=200)]


class TokenResponse(_Model):
    access_token: str
    expires_in: int  # seconds


# -- sync -------------------------------------------------------------------------------------


class WireOp(_Model):
    """One field-level op as pushed. ``f`` is ``"_row"`` for deletes / undeletes."""

    e: Name  # entity (table)
    r: Hex32  # row id
    f: Name  # field (column), or "_row"
    k: OpKind
    v: JsonValue = None  # the value (JSON); for a delete: {"seen": {field: version}}
    b: Annotated[int, Field(ge=0)]  # base version the author saw
    t: HlcText  # hybrid logical clock of the edit
    a: Hex32 | None = None  # author (user id)
    s: Hex32  # scope: the team owning the row


class PulledOp(_Model):
    """An op as the server hands it out: the pushed op plus its sequence number, its id and
    the device that made it (``t`` may have been clamped by the server)."""

    q: Annotated[int, Field(ge=1)]  # per-team server sequence
    i: str  # op id: "device:client_seq:index"
    d: Hex32  # device
    e: Name
    r: Hex32
    f: Name
    k: OpKind
    v: JsonValue = None
    b: Annotated[int, Field(ge=0)]
    t: HlcText
    a: Hex32 | None = None


class Changeset(_Model):
    client_seq: Annotated[int, Field(ge=1)]
    ops: Annotated[list[WireOp], Field(max_length=MAX_OPS_PER_CHANGESET)]


class SyncRequest(_Model):
    protocol: int = PROTOCOL_VERSION
    changesets: Annotated[list[Changeset], Field(max_length=20)] = []
    cursors: dict[Hex32, Annotated[int, Field(ge=0)]] = {}  # team -> last applied seq
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE


class RejectionCode:
    """``Rejection.code``: why the server refused an op (the device keeps it in its inbox)."""

    SCOPE_FORBIDDEN = "scope_forbidden"  # a team the device does not belong to
    DOSSIER_MOVED = "dossier_moved"  # the dossier moved to a team the device is not in
    MOVE_FORBIDDEN = "move_forbidden"  # only the server writes ``move`` ops
    DOSSIER_ANONYMISED = "dossier_anonymised"  # made before the dossier's anonymisation
    ANONYMISE_FORBIDDEN = "anonymise_forbidden"  # only a lead of the dossier's team anonymises


class Rejection(_Model):
    index: int  # position of the op in its changeset
    code: str  # e.g. "scope_forbidden"
    message: str  # French


class Receipt(_Model):
    client_seq: int
    accepted: int
    rejected: list[Rejection] = []


class ScopePage(_Model):
    scope: Hex32
    ops: list[PulledOp]
    cursor: int  # sequence of the last op in this page (= the request's cursor when empty)
    checksum: str  # running checksum of the team's log at ``cursor`` (see :func:`fold_checksum`)
    head: int  # the team's latest sequence when answered
    more: bool  # another page follows (ask again with the new cursor)
    # The server compacted the team's log up to ``floor`` (superseded values dropped): a device
    # pulling from 0 starts folding from ``floor_checksum``; a device whose cursor is below the
    # floor and whose checksum no longer matches pulls the team again from 0 (see
    # ``sync.server.compact``).
    floor: Annotated[int, Field(ge=0)] = 0
    floor_checksum: str = EMPTY_CHECKSUM


class SyncResponse(_Model):
    protocol: int = PROTOCOL_VERSION
    receipts: list[Receipt] = []
    pages: list[ScopePage] = []
    teams: list[TeamInfo] = []  # the device's teams now: a missing one was lost (wipe its data)
    server_time_ms: int
    # The names (given at enrolment) of the devices that made the ops of these pages, so
    # that conflicts say which laptop a value came from.
    devices: dict[Hex32, Annotated[str, Field(max_length=120)]] = {}


class MoveRequest(_Model):
    """A team lead moves a dossier (a household and every row of it) to another team."""

    household: Hex32
    to_team: Hex32


class MoveResponse(_Model):
    from_team: Hex32
    to_team: Hex32
    rows: int  # rows moved
    copied: int  # ops copied into the target team's log


# -- helpers shared by both ends -------------------------------------------------------------


def op_id_of(device: str, client_seq: int, index: int) -> str:
    return f"{device}:{client_seq}:{index}"


def fold_checksum(checksum: str, op_id: str) -> str:
    """Running per-team checksum: XOR of a 64-bit hash of every op id up to a sequence.

    Order-independent, so a device folding the ops it applied and the server folding its log
    agree exactly when they hold the same set of ops.
    """
    digest = hashlib.blake2b(op_id.encode("ascii"), digest_size=8).digest()
    return f"{int(checksum, 16) ^ int.from_bytes(digest, 'big'):016x}"
