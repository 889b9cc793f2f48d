"""The encrypted local store: SQLCipher engine, key slots, models, migrations, search, backups.

Only ``services/`` (and the CLI through services) reaches into this package.
"""
