"""Alembic migrations of the sync server's schema (run through :func:`..db.init`)."""
