"""HTTP client of the sync server (``/v1/enrol``, ``/v1/token``, ``/v1/sync``, ``/v1/health``).

Blocking (httpx); run it from a background lane, never on the GUI thread. Network failures and
502/503/504 are retried with exponential backoff and jitter: safe because a push is stored
exactly once (a replayed changeset gets its stored receipt). Failures become the typed
exceptions of :mod:`mediadesk.sync.errors`. :func:`in_process_client` runs a server app in the
same process (tests, simulations) through :class:`InProcessTransport`.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from mediadesk.sync.errors import (
    AuthError,
    DeviceRevoked,
    NetworkError,
    ProtocolError,
    RequestTooLarge,
    SequenceGap,
    ServerError,
    TlsError,
)
from mediadesk.sync.protocol import (
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    ErrorCode,
    MoveRequest,
    MoveResponse,
    SyncRequest,
    SyncResponse,
    TokenRequest,
    TokenResponse,
)

GZIP_THRESHOLD = 1024
RETRY_STATUSES = frozenset({502, 503, 504})
_M = TypeVar("_M", bound=BaseModel)


class SyncClient:
    """One server's API. Thread-safe as httpx.Client is; call :meth:`close` when done."""

    def __init__(
        self,
        base_url: str,
        *,
        ca_cert: Path | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        backoff_s: float = 0.5,
        max_backoff_s: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        verify: ssl.SSLContext | bool = True
        if ca_cert is not None:
            verify = ssl.create_default_context(cafile=str(ca_cert))
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url, verify=verify, transport=transport, timeout=timeout
        )
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- API --------------------------------------------------------------------------------

    def enrol(self, code: str, device_id: str, device_name: str) -> EnrolResponse:
        """Exchange a one-time code for this device's secret (keep it in the key slots)."""
        body = EnrolRequest(code=code, device_id=device_id, device_name=device_name)
        return self._call("/v1/enrol", body, EnrolResponse)

    def token(self, device_id: str, secret: str) -> TokenResponse:
        return self._call(
            "/v1/token", TokenRequest(device_id=device_id, device_secret=secret), TokenResponse
        )

    def sync(self, token: str, request: SyncRequest) -> SyncResponse:
        """One exchange: push ``request.changesets``, pull pages after ``request.cursors``."""
        return self._call("/v1/sync", request, SyncResponse, token=token)

    def move_dossier(self, token: str, household: str, to_team: str) -> MoveResponse:
        """Move a dossier to another team (the user must lead both teams); the next sync
        brings the change to every device."""
        request = MoveRequest(household=household, to_team=to_team)
        return self._call("/v1/move", request, MoveResponse, token=token)

    def health(self) -> int:
        """The server's protocol version, if it is up and reaches its database."""
        response = self._send("GET", "/v1/health", None, {})
        data = response.json() if response.status_code == 200 else None
        if not isinstance(data, dict) or not isinstance(data.get("protocol"), int):
            raise _failure(response)
        return int(data["protocol"])

    # -- plumbing ---------------------------------------------------------------------------

    def _call(self, path: str, body: BaseModel, model: type[_M], token: str | None = None) -> _M:
        content = body.model_dump_json(exclude_none=True).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if len(content) > GZIP_THRESHOLD:
            content = gzip.compress(content, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        response = self._send("POST", path, content, headers)
        if response.status_code != 200:
            raise _failure(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            raise ProtocolError(f"réponse illisible ({error.error_count()} erreurs)") from error

    def _send(
        self, method: str, path: str, content: bytes | None, headers: dict[str, str]
    ) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.request(method, path, content=content, headers=headers)
            except httpx.TransportError as error:
                failure = self._transport_failure(error)
                if isinstance(failure, TlsError) or attempt >= self.retries:
                    raise failure from error
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= self.retries:
                    return response
            self._sleep(self._delay(attempt))
            attempt += 1

    def _delay(self, attempt: int) -> float:
        ceiling: float = min(self.max_backoff_s, self.backoff_s * (1 << attempt))
        jitter: float = random.uniform(0, ceiling / 2)  # spreads retries of many devices
        return ceiling / 2 + jitter

    def _transport_failure(self, error: httpx.TransportError) -> NetworkError | TlsError:
        cause = _ssl_cause(error)
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TlsError.untrusted(self.base_url)
        if cause is not None:
            return TlsError.handshake(self.base_url)
        if isinstance(error, httpx.TimeoutException):
            return NetworkError.timeout(self.base_url)
        return NetworkError.unreachable(self.base_url)


def _ssl_cause(error: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    if "CERTIFICATE_VERIFY_FAILED" in str(error):
        return ssl.SSLCertVerificationError(str(error))
    return None


def _failure(response: httpx.Response) -> Exception:
    status = response.status_code
    try:
        detail = ErrorBody.model_validate_json(response.content).detail
    except ValidationError:
        if status >= 500:
            return ServerError(status)
        return ProtocolError(f"réponse inattendue ({status})", status=status)
    code, message = detail.code, detail.message
    if code == ErrorCode.DEVICE_REVOKED:
        return DeviceRevoked(message)
    if code in (ErrorCode.UNAUTHORIZED, ErrorCode.BAD_CREDENTIALS):
        return AuthError.refused(code, message)
    if code == ErrorCode.SEQUENCE_GAP and detail.expected is not None:
        return SequenceGap(detail.expected, message)
    if status >= 500:
        return ServerError(status, message)
    if code == ErrorCode.TOO_LARGE:
        return RequestTooLarge(message, status=status, code=code)
    return ProtocolError(message, status=status, code=code)


class InProcessTransport(httpx.BaseTransport):
    """A blocking transport calling an ASGI app in this process (its own event-loop thread).

    httpx.ASGITransport is async-only; this runs it on a private loop so the blocking
    :class:`SyncClient` can drive the real server code without sockets. Exceptions raised by the
    app propagate to the caller (a server bug fails the test instead of becoming a 500).
    """

    def __init__(self, app: Any, *, raise_app_exceptions: bool = True):
        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        future = asyncio.run_coroutine_threadsafe(self._handle(request, body), self._loop)
        status, headers, raw = future.result()
        return httpx.Response(
            status, headers=headers, stream=httpx.ByteStream(raw), request=request
        )

    async def _handle(
        self, request: httpx.Request, body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        inner_request = httpx.Request(
            request.method, request.url, headers=request.headers, content=body
        )
        response = await self._inner.handle_async_request(inner_request)
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
        return response.status_code, response.headers.raw, raw

    def close(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()


def in_process_client(app: Any, **options: Any) -> SyncClient:
    """A :class:`SyncClient` talking to ``app`` (e.g. ``create_app(settings)``) in-process."""
    return SyncClient("http://mediadesk.test", transport=InProcessTransport(app), **options)
