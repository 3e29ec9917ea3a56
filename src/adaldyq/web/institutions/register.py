"""The institutions register as the pure packages receive it: read here, handed over as values.

Oversight and placement (`adaldyq.oversight`, `adaldyq.placement`) never name this app's table; the
web and the CLI read the register here and pass it in (ADR 0014): placement's flags take the
institutions as `placement.model.Site`s, oversight's review takes their types by code.

Plain SQL on a DB-API cursor (sqlite3, psycopg or Django's wrapper), so that the CLI reads a data
folder's register without starting Django.
"""

from __future__ import annotations

from collections.abc import Iterable

from adaldyq.ledger.sql import Cursor, table_exists
from adaldyq.placement.model import Site

__all__ = ["TABLE", "institution_types", "read_sites"]

#: The register's table (`Institution._meta.db_table`; a test keeps the two the same).
TABLE = "institutions_institution"


def read_sites(cursor: Cursor) -> list[Site]:
    """Every institution of the register, ordered by code; [] where the database has no register."""
    if not table_exists(cursor, TABLE):
        return []
    cursor.execute(
        "SELECT code, region_id, type, sex, minors, medical, capacity, lat, lon "  # noqa: S608
        f"FROM {TABLE} ORDER BY code"
    )
    return [
        Site(str(c), str(r), str(t), str(s), bool(m), bool(md), int(cap), float(la), float(lo))
        for c, r, t, s, m, md, cap, la, lo in cursor.fetchall()
    ]


def institution_types(sites: Iterable[Site]) -> dict[str, str]:
    """Institution code -> type, as oversight's review reads the register."""
    return {s.id: s.type for s in sites}
