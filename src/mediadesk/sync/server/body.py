"""ASGI middleware bounding request bodies and undoing ``Content-Encoding: gzip``.

Runs before routing, so routes receive plain JSON of bounded size. Refusals are answered here
with the protocol's error body: 413 (too large, announced or actual, compressed or not), 400
(broken gzip, bad Content-Length), 415 (another encoding). The whole body is held in memory,
which the caps keep small.
"""

from __future__ import annotations

import zlib
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mediadesk.sync.protocol import ErrorCode
from mediadesk.sync.server.errors import ServiceError

_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


class _Refused(Exception):
    def __init__(self, error: ServiceError):
        self.error = error


def _too_large(limit: int) -> _Refused:
    return _Refused(
        ServiceError(
            413, ErrorCode.TOO_LARGE,
            f"Requête trop volumineuse (limite : {limit // 1024} Kio). "
            "Synchronisez en plusieurs fois.",
        )
    )  # fmt: skip


def _bad(status: int, message: str) -> _Refused:
    return _Refused(ServiceError(status, ErrorCode.BAD_REQUEST, message))


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress one gzip member, refusing more than ``limit`` bytes of output."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise _bad(400, "Corps compressé illisible (gzip invalide).") from error
    if len(out) > limit:
        raise _too_large(limit)
    if not inflater.eof or inflater.unused_data:
        raise _bad(400, "Corps compressé tronqué ou suivi de données.")
    return out


class BodyLimitMiddleware:
    """Bound, read and (if gzip) decompress every request body before the app sees it."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_compressed_bytes: int):
        self.app = app
        self.max_body = max_body_bytes
        self.max_compressed = max_compressed_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        try:
            body, scope = await self._read(scope, receive)
        except _Refused as refused:
            response = JSONResponse(
                refused.error.body().model_dump(exclude_none=True), status_code=refused.error.status
            )
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, scope: Scope, receive: Receive) -> tuple[bytes, Scope]:
        headers = Headers(scope=scope)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip"):
            raise _bad(415, "Encodage du corps non pris en charge (gzip seulement).")
        cap = self.max_compressed if encoding == "gzip" else self.max_body
        announced = headers.get("content-length")
        if announced is not None:
            if not announced.strip().isdigit():
                raise _bad(400, "En-tête Content-Length invalide.")
            if int(announced) > cap:
                raise _too_large(cap)
        body = await _read_capped(receive, cap)
        if encoding == "gzip":
            body = gunzip(body, self.max_body)
        return body, _with_plain_headers(scope, len(body))


async def _read_capped(receive: Receive, cap: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _bad(400, "Connexion interrompue pendant l'envoi.")
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise _too_large(cap)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _with_plain_headers(scope: Scope, length: int) -> Scope:
    skip = {b"content-encoding", b"content-length"}
    raw: list[tuple[bytes, bytes]] = [(k, v) for k, v in scope["headers"] if k.lower() not in skip]
    raw.append((b"content-length", str(length).encode("ascii")))
    new_scope: MutableMapping[str, Any] = dict(scope)
    new_scope["headers"] = raw
    return new_scope


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
