"""Shared fixtures: every test gets its own temporary encrypted store, with cheap key
derivation (the real Argon2id parameters are exercised by the CLI tests)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from mediadesk.services.workspace import Workspace, create_workspace
from mediadesk.store.keyslots import TEST_KDF, KdfParams

# Property tests are judged on what they find, never on how fast an example ran: on a loaded CI
# machine (two CPUs, one xdist worker each, other jobs beside) a 200 ms deadline or the
# "too slow" health check fails a correct test. Loaded here, before any test module is
# imported, so every @given and every @settings(...) without its own deadline inherits it.
settings.register_profile("mediadesk", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mediadesk")

PASSPHRASE = "ronces violettes sur le canal"


@pytest.fixture
def kdf() -> KdfParams:
    return TEST_KDF


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "equipe.mdk"


@pytest.fixture
def workspace(store_path: Path) -> Iterator[Workspace]:
    ws = create_workspace(store_path, PASSPHRASE, user_name="Awa Diallo", kdf=TEST_KDF)
    try:
        yield ws
    finally:
        ws.close()


def file_bytes(*paths: Path) -> dict[str, bytes]:
    """Contents of the files that exist among ``paths`` (to prove nothing changed)."""
    return {str(p): p.read_bytes() for p in paths if p.exists()}
