"""The central sync server (FastAPI on uvicorn, SQLAlchemy Core on PostgreSQL or SQLite).

Modules: :mod:`.settings` (ServerSettings), :mod:`.db` (tables, engine, Alembic), :mod:`.security`
(hashes, tokens), :mod:`.admin` (teams, users, devices), :mod:`.log` (the per-team op log),
:mod:`.service` (enrol, token, sync; no HTTP), :mod:`.body` and :mod:`.app` (HTTP),
:mod:`.cli` (``mediadesk-server``). Never imports the device store nor Qt.
"""
