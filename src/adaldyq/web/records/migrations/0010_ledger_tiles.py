"""The ledger's tree moves from one row per node to tiles (ADR 0046), verified before the rows go.

`adaldyq web migrate` runs it: every entry is hashed again, the tiles built from the leaf hashes
are compared with the node rows and every signed checkpoint (with the data folder's public keys),
and only then is `ledger_nodes` dropped. A fault stops the migration with one line and converts
nothing (`adaldyq.ledger.migrate`); `adaldyq ledger migrate-tiles` does the same by itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import migrations


def to_tiles(apps: Any, schema_editor: Any) -> None:
    from adaldyq.ledger.keys import load_verifiers
    from adaldyq.ledger.migrate import convert_to_tiles

    connection = schema_editor.connection
    dialect = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    data_dir = getattr(settings, "DATA_DIR", None)
    verifiers = load_verifiers(Path(data_dir)) if data_dir else []
    if dialect == "sqlite":  # the raw cursor: the ledger reads entries joined inside SQLite
        cursor = connection.connection.cursor()
        try:
            convert_to_tiles(cursor, dialect, verifiers)
        finally:
            cursor.close()
        return
    with connection.cursor() as cursor:
        convert_to_tiles(cursor, dialect, verifiers)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_squashed_0009_fact_superseded_by_no_index")]  # noqa: RUF012
    operations = [migrations.RunPython(to_tiles, migrations.RunPython.noop, elidable=False)]  # noqa: RUF012
