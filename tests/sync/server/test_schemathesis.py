"""Hostile requests generated from the published OpenAPI schema: never a 5xx (SQLite, in-process).

A valid bearer token is attached to every other case so ``/v1/sync`` bodies reach the service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.sync.server.fixtures import make_server


def test_no_request_from_the_schema_gets_a_server_error(tmp_path: Path) -> None:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    srv.team("Nord")
    srv.member("awa@exemple.fr", "Nord")
    token = srv.device("awa@exemple.fr").token
    schema = schemathesis.openapi.from_asgi("/openapi.json", srv.app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert {op.path for op in operations} >= {"/v1/enrol", "/v1/token", "/v1/sync"}
    counter = iter(range(10**9))

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: Any) -> None:
            headers = {"Authorization": f"Bearer {token}"} if next(counter) % 2 else {}
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
    srv.engine.dispose()
