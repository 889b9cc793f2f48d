"""HTTP edges: body caps, gzip both ways, error bodies, hostile input never answered 5xx."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import httpx
import pytest

from mediadesk.sync.client import InProcessTransport
from mediadesk.sync.protocol import PROTOCOL_VERSION, ErrorBody, ErrorCode, SyncRequest
from tests.sync.server.fixtures import Server, make_server, wire


@pytest.fixture
def small(tmp_path: object, backend: str) -> Iterator[Server]:
    """A server with small body caps (64 KiB plain, 8 KiB compressed)."""
    srv = make_server(backend, postgres=backend.startswith("postgresql"),
                      max_body_bytes=64 * 1024, max_compressed_bytes=8 * 1024)  # fmt: skip
    yield srv
    srv.close()


@pytest.fixture
def http(small: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url="http://test", transport=InProcessTransport(small.app)) as client:
        yield client


def _detail(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, ErrorBody.model_validate_json(response.content).detail.code


def _auth(small: Server) -> dict[str, str]:
    small.team("Nord")
    small.member("awa@exemple.fr", "Nord")
    return {"Authorization": f"Bearer {small.device('awa@exemple.fr').token}"}


def test_an_announced_oversized_body_is_refused_before_reading(http: httpx.Client) -> None:
    response = http.post("/v1/enrol", content=b"{}",
                         headers={"Content-Length": str(10**9)})  # fmt: skip
    assert _detail(response) == (413, ErrorCode.TOO_LARGE)


def test_an_oversized_body_is_refused(http: httpx.Client, small: Server) -> None:
    big = json.dumps({"changesets": [], "cursors": {}, "pad": "x" * 70_000}).encode()
    response = http.post("/v1/sync", content=big, headers=_auth(small))
    assert _detail(response) == (413, ErrorCode.TOO_LARGE)
    assert "trop volumineuse" in response.json()["detail"]["message"]


def test_a_gzip_bomb_is_refused(http: httpx.Client, small: Server) -> None:
    bomb = gzip.compress(b" " * 5_000_000)
    assert len(bomb) < 8 * 1024
    response = http.post("/v1/sync", content=bomb,
                         headers={**_auth(small), "Content-Encoding": "gzip"})  # fmt: skip
    assert _detail(response) == (413, ErrorCode.TOO_LARGE)


def test_a_compressed_body_over_the_compressed_cap_is_refused(http: httpx.Client) -> None:
    noise = gzip.compress(bytes(range(256)) * 100, compresslevel=0) * 2
    response = http.post("/v1/enrol", content=noise, headers={"Content-Encoding": "gzip"})
    assert _detail(response) == (413, ErrorCode.TOO_LARGE)


@pytest.mark.parametrize(
    ("content", "headers", "status"),
    [
        (b"{not json", {}, 422),
        (b"[]", {}, 422),
        (b'{"code": 1}', {}, 422),
        (b"\xff\xfe\x00", {}, 422),
        (b"not gzip at all", {"Content-Encoding": "gzip"}, 400),
        (gzip.compress(b"{}", mtime=0)[:-4], {"Content-Encoding": "gzip"}, 400),
        (b"{}", {"Content-Encoding": "br"}, 415),
    ],
)
def test_malformed_bodies_get_a_4xx_with_the_error_shape(
    http: httpx.Client, content: bytes, headers: dict[str, str], status: int
) -> None:
    response = http.post("/v1/enrol", content=content, headers=headers)
    assert response.status_code == status
    body = ErrorBody.model_validate_json(response.content)
    assert body.detail.message


def test_a_sync_without_a_token_is_unauthorized(http: httpx.Client) -> None:
    response = http.post("/v1/sync", json={})
    assert _detail(response) == (401, ErrorCode.UNAUTHORIZED)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_unsupported_protocol_is_refused(http: httpx.Client, small: Server) -> None:
    response = http.post("/v1/sync", json={"protocol": PROTOCOL_VERSION + 1}, headers=_auth(small))
    assert _detail(response) == (400, ErrorCode.UNSUPPORTED_PROTOCOL)


def test_a_client_of_protocol_1_is_told_to_update(http: httpx.Client, small: Server) -> None:
    response = http.post("/v1/sync", json={"protocol": 1}, headers=_auth(small))
    assert _detail(response) == (400, ErrorCode.UNSUPPORTED_PROTOCOL)
    assert "Mettez l'application à jour" in response.json()["detail"]["message"]


def test_gzip_both_ways(http: httpx.Client, small: Server) -> None:
    headers = _auth(small)
    team = small.app.state.service.authenticate(headers["Authorization"][7:]).teams[0].id
    request = SyncRequest.model_validate(
        {"changesets": [{"client_seq": 1, "ops": [wire(team, "é" * 40) for _ in range(50)]}]}
    )
    raw = request.model_dump_json().encode()
    response = http.post("/v1/sync", content=gzip.compress(raw),
                         headers={**headers, "Content-Encoding": "gzip",
                                  "Content-Type": "application/json",
                                  "Accept-Encoding": "gzip"})  # fmt: skip
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["receipts"][0]["accepted"] == 50


def test_health_and_openapi_are_published(http: httpx.Client) -> None:
    assert http.get("/v1/health").json() == {"status": "ok", "protocol": PROTOCOL_VERSION}
    paths = http.get("/openapi.json").json()["paths"]
    assert {"/v1/enrol", "/v1/token", "/v1/sync", "/v1/health"} <= set(paths)


def test_unknown_paths_and_methods_keep_the_error_shape(http: httpx.Client) -> None:
    assert _detail(http.get("/v2/nope"))[0] == 404
    assert _detail(http.get("/v1/sync"))[0] == 405


@pytest.mark.parametrize("field", ["client_seq", "base", "cursor"])
def test_integers_beyond_the_database_are_refused_not_crashed(
    http: httpx.Client, small: Server, field: str
) -> None:
    headers = _auth(small)
    team = small.app.state.service.authenticate(headers["Authorization"][7:]).teams[0].id
    op = wire(team).model_dump()
    huge = 2**70
    body: dict[str, object] = {"changesets": [{"client_seq": 1, "ops": [op]}]}
    if field == "client_seq":
        body = {"changesets": [{"client_seq": huge, "ops": [op]}]}
    elif field == "base":
        body = {"changesets": [{"client_seq": 1, "ops": [{**op, "b": huge}]}]}
    else:
        body = {"cursors": {team: huge}}
    response = http.post("/v1/sync", json=body, headers=headers)
    assert response.status_code in (200, 422), response.text
    if field != "cursor":
        assert _detail(response) == (422, ErrorCode.BAD_REQUEST)
