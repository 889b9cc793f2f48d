"""Use cases. The UI and the CLI call these; they own every transaction and return plain
frozen objects (never ORM rows, never sessions)."""
