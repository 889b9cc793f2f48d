"""The sync HTTP client: retries with backoff, error mapping, gzip, TLS, in-process runs."""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from mediadesk.sync.client import SyncClient, in_process_client
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
from mediadesk.sync.protocol import PROTOCOL_VERSION, Changeset, ErrorCode, SyncRequest
from mediadesk.sync.server import admin
from tests.sync.server.fixtures import Server, backend, make_server, pg_url, server, wire
from tests.sync.server.processes import server_process

__all__ = ["backend", "pg_url", "server"]  # fixtures used here

TOKEN = "t0ken"
Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, sleeps: list[float] | None = None, retries: int = 3) -> SyncClient:
    record = (sleeps if sleeps is not None else []).append
    return SyncClient(
        "http://sync.test", transport=httpx.MockTransport(handler), retries=retries, sleep=record
    )


def _error(status: int, code: str, **extra: object) -> httpx.Response:
    return httpx.Response(status, json={"detail": {"code": code, "message": "refusé", **extra}})


def _health(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"status": "ok", "protocol": PROTOCOL_VERSION})


def test_unavailable_answers_are_retried_with_growing_jittered_backoff() -> None:
    answers = iter([503, 502, 504, 200])
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return _health(request) if status == 200 else httpx.Response(status)

    assert _client(handler, sleeps).health() == PROTOCOL_VERSION
    assert len(sleeps) == 3
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0 and 1.0 <= sleeps[2] <= 2.0


def test_network_errors_are_retried_then_reported_in_french() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(NetworkError) as failure:
        _client(handler, retries=2).health()
    assert len(calls) == 3
    assert "injoignable" in str(failure.value)


def test_a_timeout_is_a_network_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(NetworkError, match="ne répond pas"):
        _client(handler, retries=0).health()


def test_a_persistent_5xx_becomes_a_server_error() -> None:
    with pytest.raises(ServerError) as failure:
        _client(lambda _r: httpx.Response(503), retries=1).health()
    assert failure.value.status == 503


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (_error(403, ErrorCode.DEVICE_REVOKED), DeviceRevoked),
        (_error(401, ErrorCode.UNAUTHORIZED), AuthError),
        (_error(401, ErrorCode.BAD_CREDENTIALS), AuthError),
        (_error(409, ErrorCode.SEQUENCE_GAP, expected=4), SequenceGap),
        (_error(413, ErrorCode.TOO_LARGE), RequestTooLarge),
        (_error(422, ErrorCode.BAD_REQUEST), ProtocolError),
        (httpx.Response(500, text="boom"), ServerError),
        (httpx.Response(200, json={"unexpected": True}), ProtocolError),
        (httpx.Response(404, text="<html>"), ProtocolError),
    ],
)
def test_failures_map_to_typed_errors(response: httpx.Response, error: type[Exception]) -> None:
    client = _client(lambda _r: response, retries=0)
    with pytest.raises(error) as failure:
        client.sync(TOKEN, SyncRequest())
    if isinstance(failure.value, SequenceGap):
        assert failure.value.expected == 4


def test_large_bodies_are_gzipped_and_small_ones_are_not() -> None:
    seen: list[tuple[str | None, dict[str, object]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        encoding = request.headers.get("content-encoding")
        raw = gzip.decompress(request.content) if encoding == "gzip" else request.content
        seen.append((encoding, json.loads(raw)))
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        return httpx.Response(200, json={"server_time_ms": 1})

    client = _client(handler)
    client.sync(TOKEN, SyncRequest())
    team = uuid.uuid4().hex
    big = SyncRequest(changesets=[Changeset(client_seq=1, ops=[wire(team) for _ in range(20)])])
    client.sync(TOKEN, big)
    assert [encoding for encoding, _ in seen] == [None, "gzip"]
    assert len(seen[1][1]["changesets"][0]["ops"]) == 20  # type: ignore[index]


class _LosesFirstAnswer(httpx.BaseTransport):
    """Delivers the request to the server, then loses the answer once (a cut connection)."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner, self.lost = inner, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/v1/sync" and not self.lost:
            self.lost = True
            raise httpx.ReadError("connection reset", request=request)
        return response


def test_a_lost_answer_is_retried_and_the_push_stored_once(server: Server) -> None:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    inner = device.client._http._transport  # the in-process transport of this device
    flaky = SyncClient("http://mediadesk.test", transport=_LosesFirstAnswer(inner),
                       sleep=lambda _s: None)  # fmt: skip
    response = flaky.sync(device.token, SyncRequest(changesets=[
        Changeset(client_seq=1, ops=[wire(team), wire(team)])]))  # fmt: skip
    assert response.receipts[0].accepted == 2
    assert [op.q for op in response.pages[0].ops] == [1, 2]


def test_the_in_process_client_runs_the_whole_exchange(server: Server) -> None:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    code = server.code("awa@exemple.fr")
    with in_process_client(server.app) as client:
        assert client.health() == PROTOCOL_VERSION
        device_id = uuid.uuid4().hex
        secret = client.enrol(code, device_id, "Portable").device_secret
        token = client.token(device_id, secret).access_token
        pushed = client.sync(token, SyncRequest(changesets=[
            Changeset(client_seq=1, ops=[wire(team)])]))  # fmt: skip
        assert pushed.pages[0].head == 1
        admin.revoke(server.engine, device_id, server.clock())
        with pytest.raises(DeviceRevoked):
            client.sync(token, SyncRequest())


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real server process over HTTPS with a certificate from a throwaway CA."""
    directory = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_path, key_path, ca_path = (directory / n for n in ("cert.pem", "key.pem", "ca.pem"))
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    cert.private_key_pem.write_to_path(str(key_path))
    ca.cert_pem.write_to_path(str(ca_path))
    srv = make_server(f"sqlite:///{directory / 'server.sqlite3'}", postgres=False)
    srv.engine.dispose()
    with server_process(srv.settings.db_url, directory / "server.log",
                        tls=(cert_path, key_path, ca_path)) as url:  # fmt: skip
        yield url, ca_path


def test_tls_with_the_ca_succeeds(tls_server: tuple[str, Path]) -> None:
    url, ca_path = tls_server
    with SyncClient(url, ca_cert=ca_path, retries=0) as client:
        assert client.health() == PROTOCOL_VERSION


def test_tls_without_the_ca_is_refused_clearly(tls_server: tuple[str, Path]) -> None:
    url, _ = tls_server
    with SyncClient(url, retries=3, sleep=lambda _s: None) as client, \
            pytest.raises(TlsError) as failure:  # fmt: skip
        client.health()
    assert "certificat" in str(failure.value) and "pas reconnu" in str(failure.value)


def test_plain_http_to_a_tls_server_is_not_a_crash(tls_server: tuple[str, Path]) -> None:
    url, _ = tls_server
    with SyncClient(url.replace("https", "http"), retries=0) as client, \
            pytest.raises((NetworkError, ProtocolError)):  # fmt: skip
        client.health()
