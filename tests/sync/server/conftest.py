"""Server fixtures (see :mod:`tests.sync.server.fixtures`)."""

from tests.sync.server.fixtures import backend, pg_url, server

__all__ = ["backend", "pg_url", "server"]
