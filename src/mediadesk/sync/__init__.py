"""Sync protocol and merge (pure), client, and server/. Filled by the sync engine issue."""
