"""The ledger's tables and the SQL that reads and appends them, on a DB-API cursor you own.

Every function here takes a cursor and runs inside whatever transaction the caller has open; none
of them commits. That is the hook for read models: a Django service writes its row and calls
`append_entries(cursor, drafts)` on `django.db.connection.cursor()` inside one
`transaction.atomic(durable=True)`, so both commit together or not at all.

SQL is written with `%s` placeholders: Django's cursor wrapper (SQLite and PostgreSQL) and psycopg
take it as is; a raw `sqlite3.Cursor` gets it translated to `?`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import accumulate, repeat
from typing import Any, Literal, NamedTuple, Protocol

import orjson

from adaldyq.ledger import hashing
from adaldyq.ledger.entry import (
    FORMAT_VERSION,
    KEY_CHANGED,
    Draft,
    Entry,
    parse_entry,
    utc_timestamp,
)
from adaldyq.ledger.errors import MalformedEntryError, StoreError
from adaldyq.ledger.merkle import (
    NodeKey,
    consistency_path,
    frontier_keys,
    inclusion_path,
    nodes_for_consistency,
    nodes_for_inclusion,
    root_from_nodes,
)
from adaldyq.ledger.tree import HEIGHT, TILE, WIDTH, Edge, edge_widths, grow, node_of, tiles_for

__all__ = [
    "Cursor",
    "Dialect",
    "append_entries",
    "dialect_of",
    "ensure_schema",
    "execute",
    "read_bodies",
    "read_checkpoints",
    "read_consistency_proof",
    "read_consistency_with_roots",
    "read_edge",
    "read_entries",
    "read_entries_by_subject",
    "read_entry",
    "read_inclusion_proof",
    "read_inclusion_with_root",
    "read_latest_checkpoint",
    "read_nodes",
    "read_root",
    "read_signed_size",
    "read_size",
    "write_checkpoint",
]

Dialect = Literal["sqlite", "postgresql"]
Columns = tuple[list[Any], list[Any], list[bytes], list[bytes]]
"""Entry rows as columns: subjects, types, bodies, leaf hashes."""
TABLES = ("ledger_head", "ledger_entries", "ledger_tiles", "ledger_edge", "ledger_checkpoints")
APPEND_ONLY = ("ledger_entries", "ledger_tiles", "ledger_checkpoints")
"""`ledger_edge` is not among them: the partial tile at each level's right edge is rewritten."""
NODE_ROWS = "ledger_nodes"
"""The table of one row per tree node that ledgers before ADR 0046 kept (`adaldyq.ledger.migrate`)."""
_COPY_FROM = 1000  # PostgreSQL: batches this large go in with COPY instead of INSERT
_SCHEMA_LOCK = 74_065_130  # pg_advisory_xact_lock key: concurrent ensure_schema calls take turns


class Cursor(Protocol):
    """The part of a DB-API 2.0 cursor the ledger uses."""

    @property
    def rowcount(self) -> int:
        """Rows touched by the last statement."""

    def execute(self, sql: Any, params: Any = ..., /) -> Any:
        """Run one statement."""

    def executemany(self, sql: Any, params: Any, /) -> Any:
        """Run one statement for each parameter tuple."""

    def fetchone(self) -> Any:
        """The next row, or None."""

    def fetchall(self) -> Any:
        """All remaining rows."""


def dialect_of(cursor: Cursor) -> Dialect:
    """sqlite or postgresql, for a sqlite3, psycopg or Django cursor."""
    if isinstance(cursor, sqlite3.Cursor):
        return "sqlite"
    vendor = getattr(getattr(cursor, "db", None), "vendor", None)  # Django's CursorWrapper
    if vendor in ("sqlite", "postgresql"):
        return "sqlite" if vendor == "sqlite" else "postgresql"
    if type(cursor).__module__.startswith("psycopg"):
        return "postgresql"
    raise StoreError(f"cannot tell the database of a {type(cursor).__name__}")


def table_exists(cursor: Cursor, name: str, dialect: Dialect | None = None) -> bool:
    """Whether the database holds a table `name` (in the search path, on PostgreSQL)."""
    if (dialect or dialect_of(cursor)) == "sqlite":
        execute(
            cursor, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", (name,)
        )
    else:
        execute(cursor, "SELECT to_regclass(%s) IS NOT NULL", (name,))
    row = cursor.fetchone()
    return bool(row and row[0])


def _sql(cursor: Cursor, sql: str) -> str:
    return sql.replace("%s", "?") if isinstance(cursor, sqlite3.Cursor) else sql


def execute(cursor: Cursor, sql: str, params: Sequence[Any] | None = None) -> None:
    """Run `sql`, written with %s marks, on any DB-API cursor (sqlite3 takes ? marks)."""
    if params is None:
        cursor.execute(_sql(cursor, sql))
    else:
        cursor.execute(_sql(cursor, sql), params)


def _many(cursor: Cursor, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        cursor.executemany(_sql(cursor, sql), rows)


CREATE_SUBJECT_INDEX = (
    "CREATE INDEX IF NOT EXISTS ledger_entries_by_subject ON ledger_entries (subject, seq)"
)
DROP_SUBJECT_INDEX = "DROP INDEX IF EXISTS ledger_entries_by_subject"
CREATE_TYPE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ledger_entries_by_type ON ledger_entries (type, seq)"
)
"""The entries of some types in sequence order without reading the others (ADR 0047): a read
model's replay, the oversight sources, each reads only its own types."""
DROP_TYPE_INDEX = "DROP INDEX IF EXISTS ledger_entries_by_type"
CREATE_INDEXES = (CREATE_SUBJECT_INDEX, CREATE_TYPE_INDEX)
DROP_INDEXES = (DROP_SUBJECT_INDEX, DROP_TYPE_INDEX)
"""Only a bulk import into an empty ledger drops them, and builds them again when it ends."""


def _ddl(dialect: Dialect) -> list[str]:
    blob, big = ("BLOB", "INTEGER") if dialect == "sqlite" else ("BYTEA", "BIGINT")
    statements = [
        f"CREATE TABLE IF NOT EXISTS ledger_head (id {big} PRIMARY KEY CHECK (id = 1), "
        f"size {big} NOT NULL)",
        "INSERT INTO ledger_head (id, size) VALUES (1, 0) ON CONFLICT DO NOTHING",
        f"CREATE TABLE IF NOT EXISTS ledger_entries (seq {big} PRIMARY KEY, subject TEXT NOT NULL, "
        f"type TEXT NOT NULL, body {blob} NOT NULL, hash {blob} NOT NULL)",
        *CREATE_INDEXES,
        f"CREATE TABLE IF NOT EXISTS ledger_tiles (level {big} NOT NULL, idx {big} NOT NULL, "
        f"hashes {blob} NOT NULL, PRIMARY KEY (level, idx))",
        f"CREATE TABLE IF NOT EXISTS ledger_edge (level {big} PRIMARY KEY, idx {big} NOT NULL, "
        f"hashes {blob} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS ledger_checkpoints (size {big} PRIMARY KEY, note TEXT NOT NULL)",
    ]
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} BEFORE {event} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    else:
        statements.append(
            "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RAISE EXCEPTION 'ledger tables are append-only'; END $$"
        )
        for table in APPEND_ONLY:
            statements.append(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
            statements.append(
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
            )
    return statements


def ensure_schema(cursor: Cursor, dialect: Dialect | None = None) -> None:
    """Create the ledger tables, index and append-only triggers if missing (idempotent)."""
    dialect = dialect or dialect_of(cursor)
    if dialect == "postgresql":
        execute(cursor, f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
    for statement in _ddl(dialect):
        execute(cursor, statement)


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else bytes(value)


def read_size(cursor: Cursor) -> int:
    """How many entries the ledger holds (its tree size)."""
    try:
        execute(cursor, "SELECT size FROM ledger_head WHERE id = 1")
    except Exception as exc:
        if "ledger_head" in str(exc):
            raise StoreError("no ledger in this database (run ensure_schema first)") from None
        raise
    row = cursor.fetchone()
    if row is None:
        raise StoreError("no ledger in this database (run ensure_schema first)")
    return int(row[0])


_NODE_ROWS_LEFT = (
    "this ledger keeps its tree as node rows (before ADR 0046): run `adaldyq ledger migrate-tiles` "
    "or `adaldyq web migrate` first"
)


def read_edge(cursor: Cursor, size: int) -> Edge:
    """The right edge of the tree of `size` entries (its current size): the partial tile of each
    tile level, checked against the size; StoreError if a level's edge is missing or does not fit."""
    try:
        execute(cursor, "SELECT level, idx, hashes FROM ledger_edge")
    except Exception as exc:
        if "ledger_edge" in str(exc):  # no such table: a ledger from before ADR 0046
            raise StoreError(_NODE_ROWS_LEFT) from None
        raise
    rows = {int(level): (int(index), _bytes(hashes)) for level, index, hashes in cursor.fetchall()}
    edge: Edge = {}
    for level, (index, width) in edge_widths(size).items():
        row = rows.get(level)
        if row is None or row[0] != index or len(row[1]) != 32 * width:
            if not rows and table_exists(cursor, NODE_ROWS):
                raise StoreError(_NODE_ROWS_LEFT)
            state = "missing" if row is None else "does not fit the tree's size"
            raise StoreError(f"the right edge of tile level {level} is {state} ({size} entries)")
        edge[level] = row[1]
    return edge


def read_tiles(cursor: Cursor, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of tiles (tile level, index): a full tile's 256, the edge's 0-255, in
    one round trip (the edge rows, a few, and the full tiles asked for)."""
    wanted = sorted(set(wanted))
    if not wanted:
        return {}
    where = " OR ".join(["(level = %s AND idx = %s)"] * len(wanted))
    # Only "%s" placeholders are interpolated; the values travel as parameters.
    query = (
        "SELECT level, idx, hashes FROM ledger_edge UNION ALL "  # noqa: S608
        f"SELECT level, idx, hashes FROM ledger_tiles WHERE {where}"
    )
    execute(cursor, query, [v for key in wanted for v in key])
    found: dict[tuple[int, int], bytes] = {}
    for level, index, hashes in cursor.fetchall():
        key = (int(level), int(index))
        data = _bytes(hashes)
        if len(data) > len(found.get(key, b"")):  # a full tile wins over a stale edge row
            found[key] = data
    return found


def read_nodes(cursor: Cursor, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
    """The hashes of complete nodes (level 0: an entry's leaf hash), computed from the tiles."""
    wanted = sorted(set(keys))
    tiles = read_tiles(cursor, tiles_for(wanted))
    found: dict[NodeKey, bytes] = {}
    for level, index in wanted:
        tile_key = (level // HEIGHT, (index << level % HEIGHT) // WIDTH)
        digest = node_of(level, index, tiles.get(tile_key, b""))
        if digest is None:
            raise StoreError(f"tree node {(level, index)} is missing from the store")
        found[(level, index)] = digest
    return found


def _node_reader(nodes: dict[NodeKey, bytes]) -> Any:
    return lambda level, index: nodes[(level, index)]


def read_root(cursor: Cursor, size: int | None = None) -> bytes:
    """MTH of the first `size` entries (default: all), from O(log n) stored nodes."""
    size = read_size(cursor) if size is None else size
    nodes = read_nodes(cursor, frontier_keys(size))
    return root_from_nodes(size, _node_reader(nodes))


def read_inclusion_proof(cursor: Cursor, seq: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof of entry `seq` in the tree of `size` entries."""
    _check_size(cursor, size)
    nodes = read_nodes(cursor, nodes_for_inclusion(seq, size))
    return inclusion_path(seq, size, _node_reader(nodes))


def read_consistency_proof(cursor: Cursor, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 consistency proof from the tree of `old_size` entries to that of `new_size`."""
    _check_size(cursor, new_size)
    nodes = read_nodes(cursor, nodes_for_consistency(old_size, new_size))
    return consistency_path(old_size, new_size, _node_reader(nodes))


def read_inclusion_with_root(cursor: Cursor, seq: int, size: int) -> tuple[list[bytes], bytes]:
    """The inclusion proof of entry `seq` and the root of the tree of `size` entries, from one read
    of the tiles (a proof is read with the root it leads to); `size` is not checked here."""
    nodes = _node_reader(
        read_nodes(cursor, [*nodes_for_inclusion(seq, size), *frontier_keys(size)])
    )
    return inclusion_path(seq, size, nodes), root_from_nodes(size, nodes)


def read_consistency_with_roots(
    cursor: Cursor, old_size: int, new_size: int
) -> tuple[list[bytes], bytes, bytes]:
    """The consistency proof from `old_size` to `new_size` entries and the two roots, from one read
    of the tiles; `new_size` is not checked here."""
    keys = [*nodes_for_consistency(old_size, new_size), *frontier_keys(old_size)]
    nodes = _node_reader(read_nodes(cursor, [*keys, *frontier_keys(new_size)]))
    path = consistency_path(old_size, new_size, nodes)
    return path, root_from_nodes(old_size, nodes), root_from_nodes(new_size, nodes)


def _check_size(cursor: Cursor, size: int) -> None:
    current = read_size(cursor)
    if size > current:
        raise StoreError(f"the ledger has {current} entries, not {size}")


_LOCK_RETURNING = "UPDATE ledger_head SET size = size WHERE id = 1 RETURNING size"


def lock_head(cursor: Cursor) -> int:
    # A write to the head row is the lock: PostgreSQL holds the row lock and SQLite the write
    # lock until the caller's transaction ends, so concurrent appenders take turns and the
    # sequence has no gaps and no fork.
    postgres = dialect_of(cursor) == "postgresql"
    try:
        # PostgreSQL: the lock and the size in one round trip (the web's appends, ADR 0012).
        execute(
            cursor,
            _LOCK_RETURNING if postgres else "UPDATE ledger_head SET size = size WHERE id = 1",
        )
    except Exception as exc:
        if "ledger_head" in str(exc):
            raise StoreError("no ledger in this database (run ensure_schema first)") from None
        raise
    if not postgres:
        return read_size(cursor)
    row = cursor.fetchone()
    if row is None:
        raise StoreError("no ledger in this database (run ensure_schema first)")
    return int(row[0])


def append_entries(
    cursor: Cursor, drafts: Sequence[Draft], *, now: datetime | None = None
) -> list[Entry]:
    """Append drafts in the caller's open transaction, without committing; return the entries.

    The entries become durable when the caller commits. Sequence numbers and the recorded time
    come from the ledger (`now` defaults to the server clock, UTC).
    """
    batch = _append(cursor, drafts, now)
    return list(
        map(Entry, range(batch.size, batch.stop), repeat(batch.recorded_at), drafts, batch.bodies)
    )


def append_batch(
    cursor: Cursor, drafts: Sequence[Draft], *, now: datetime | None = None
) -> tuple[int, int]:
    """`append_entries` without building Entry objects (for imports): (first seq, entry count)."""
    batch = _append(cursor, drafts, now)
    return batch.size, len(batch.bodies)


class Batch(NamedTuple):
    """A batch computed for the tree of `size` entries: canonical bytes, leaf hashes and tiles.

    Hashes are joined: 32 bytes each, in index order (`adaldyq.ledger.hashing`).
    """

    size: int
    recorded_at: str
    drafts: Sequence[Draft]
    bodies: list[bytes]
    leaves: bytes
    tiles: list[tuple[int, int, bytes]]  # the tiles the batch fills: (tile level, index, hashes)
    edge: Edge  # the right edge of the tree of `stop` entries (`adaldyq.ledger.tree`)
    packed: tuple[str, tuple[Any, ...]] | None = None
    """SQLite: a statement inserting the entry rows and its parameters after the size and the
    leaf hashes (`pack_rows`)."""

    @property
    def stop(self) -> int:
        """The tree size after the batch."""
        return self.size + len(self.bodies)

    def edge_rows(self) -> list[tuple[int, int, bytes]]:
        """(tile level, index, hashes) of each edge the batch changes: those whose count moved."""
        size, stop = self.size, self.stop
        return [
            (level, index, self.edge[level])
            for level, (index, _) in edge_widths(stop).items()
            if size >> (HEIGHT * level) != stop >> (HEIGHT * level)
        ]


def read_frontier(cursor: Cursor, size: int) -> dict[NodeKey, bytes]:
    """The complete nodes whose concatenation is the tree of `size` entries."""
    return read_nodes(cursor, frontier_keys(size))


def prepare_batch(
    size: int, edge: Edge, drafts: Sequence[Draft], now: datetime | None = None
) -> Batch:
    """Everything a batch appended at `size` (whose tree's right edge is `edge`) stores, computed
    without the database."""
    for draft in drafts:
        if draft.type == KEY_CHANGED:
            from adaldyq.ledger.keys import check_key_change

            check_key_change(draft.payload)
    recorded_at = utc_timestamp(now or datetime.now(UTC))
    bodies = _canonical_bodies(size, recorded_at, drafts)
    leaves = hashing.leaf_hashes(bodies)
    tiles, after = grow(size, edge, leaves)
    return Batch(size, recorded_at, drafts, bodies, leaves, tiles, after)


def pack_rows(batch: Batch) -> Batch:
    """The batch with its entry rows packed for SQLite's one-statement insert, where that applies.

    A bulk import packs in the thread that prepares the batch, so that the writer thread only runs
    SQL. With the C extension the columns are joined with a fixed-width index
    (`_ENTRIES_FROM_INDEX`), else the rows go as JSON (`_ENTRIES_FROM_JSON`). Batches under 64
    entries, and those with a NUL in a subject or type (SQLite's JSON text ends there), are left
    to bind their rows.
    """
    if len(batch.bodies) < 64:
        return batch
    drafts = batch.drafts
    subjects, types = [d.subject for d in drafts], [d.type for d in drafts]
    native = hashing.pack_rows
    joined = native(subjects, types, batch.bodies) if native is not None else None
    if joined is not None:
        index, subject_blob, type_blob, bodies = joined
        params = (len(batch.bodies), index, subject_blob, type_blob, bodies)
        return batch._replace(packed=(_ENTRIES_FROM_INDEX, params))
    lengths = list(map(len, batch.bodies))
    offsets = accumulate(lengths, initial=0)  # one more than the rows: zip stops at the rows
    meta = orjson.dumps(list(zip(subjects, types, offsets, lengths, strict=False)))
    if b"\\u0000" in meta:
        return batch
    return batch._replace(packed=(_ENTRIES_FROM_JSON, (meta, b"".join(batch.bodies))))


_WRITE_SMALL = (
    "WITH e AS (INSERT INTO ledger_entries (seq, subject, type, body, hash) "
    "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bytea[], %s::bytea[])), "
    "t AS (INSERT INTO ledger_tiles (level, idx, hashes) "
    "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[])), "
    "g AS (INSERT INTO ledger_edge (level, idx, hashes) "
    "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[]) "
    "ON CONFLICT (level) DO UPDATE SET idx = excluded.idx, hashes = excluded.hashes) "
    "UPDATE ledger_head SET size = %s WHERE id = 1"
)
"""PostgreSQL: a small batch's entries, tiles, edge and new head in one statement (one round trip)."""

_WRITE_EDGE = (
    "INSERT INTO ledger_edge (level, idx, hashes) VALUES (%s, %s, %s) "
    "ON CONFLICT (level) DO UPDATE SET idx = excluded.idx, hashes = excluded.hashes"
)


def write_batch(cursor: Cursor, batch: Batch) -> None:
    """Store a prepared batch; the caller holds the head lock and the head is at `batch.size`."""
    edge = batch.edge_rows()
    if (
        not isinstance(cursor, sqlite3.Cursor)
        and len(batch.bodies) < _COPY_FROM
        and dialect_of(cursor) == "postgresql"
    ):
        drafts = batch.drafts
        execute(
            cursor,
            _WRITE_SMALL,
            [
                list(range(batch.size, batch.stop)),
                [d.subject for d in drafts],
                [d.type for d in drafts],
                batch.bodies,
                _split_hashes(batch.leaves),
                [t[0] for t in batch.tiles],
                [t[1] for t in batch.tiles],
                [t[2] for t in batch.tiles],
                [e[0] for e in edge],
                [e[1] for e in edge],
                [e[2] for e in edge],
                batch.stop,
            ],
        )
        return
    if batch.packed is not None and isinstance(cursor, sqlite3.Cursor):
        statement, params = batch.packed
        cursor.execute(statement, (batch.size, batch.leaves, *params))
    else:
        drafts = batch.drafts
        _insert_entries(
            cursor,
            batch.size,
            [d.subject for d in drafts],
            [d.type for d in drafts],
            batch.bodies,
            batch.leaves,
        )
    write_tiles(cursor, batch.tiles, edge)
    execute(cursor, "UPDATE ledger_head SET size = %s WHERE id = 1", [batch.stop])


def write_tiles(
    cursor: Cursor, tiles: Sequence[tuple[int, int, bytes]], edge: Sequence[tuple[int, int, bytes]]
) -> None:
    """Insert full tiles (written once) and rewrite the edge rows given."""
    _many(cursor, "INSERT INTO ledger_tiles (level, idx, hashes) VALUES (%s, %s, %s)", tiles)
    _many(cursor, _WRITE_EDGE, edge)


def _append(cursor: Cursor, drafts: Sequence[Draft], now: datetime | None) -> Batch:
    size = lock_head(cursor)
    batch = prepare_batch(size, read_edge(cursor, size), drafts, now)
    write_batch(cursor, batch)
    return batch


_CANONICAL_TAIL = b'%b%b%b%d,"seq":%d,"subject":%b,"type":%b,"v":1}'
"""A body after its payload: the bytes orjson writes for the same dict with sorted keys."""


def _canonical_bodies(size: int, recorded_at: str, drafts: Sequence[Draft]) -> list[bytes]:
    """The canonical bytes of each draft at its seq (entry.make_entry for a whole batch).

    The common draft (no correction, an int schema) is written as orjson's sorted-keys output
    of the entry dict, pieced together: the fixed keys around the payload are formatted once per
    actor, the payload, subject and type by orjson itself. Any other draft goes through the dict.
    """
    dumps, sort_keys = orjson.dumps, orjson.OPT_SORT_KEYS
    bodies: list[bytes] = []
    append = bodies.append
    piece = _CANONICAL_TAIL.__mod__
    seq = size
    actor: Any = None
    actor_obj: dict[str, str] = {}
    head = b""
    middle = b',"reason":null,"recorded_at":' + dumps(recorded_at) + b',"schema":'
    try:
        for draft in drafts:
            if draft.actor is not actor:
                actor = draft.actor
                actor_obj = {"authority": actor.authority, "id": actor.id}
                head = b'{"actor":' + dumps(actor_obj) + b',"corrects":null,"payload":'
            corrects = draft.corrects
            schema = draft.schema
            if corrects is None and draft.reason is None and type(schema) is int:
                append(
                    piece(
                        (
                            head,
                            dumps(draft.payload, option=sort_keys),
                            middle,
                            schema,
                            seq,
                            dumps(draft.subject),
                            dumps(draft.type),
                        )
                    )
                )
                seq += 1
                continue
            if corrects is not None and corrects >= seq:
                raise MalformedEntryError(
                    f"entry {seq} cannot correct entry {corrects}: not earlier"
                )
            append(
                dumps(
                    {
                        "actor": actor_obj,
                        "corrects": corrects,
                        "payload": draft.payload,
                        "reason": draft.reason,
                        "recorded_at": recorded_at,
                        "schema": schema,
                        "seq": seq,
                        "subject": draft.subject,
                        "type": draft.type,
                        "v": FORMAT_VERSION,
                    },
                    option=sort_keys,
                )
            )
            seq += 1
    except TypeError as exc:
        raise MalformedEntryError(f"payload of entry {seq} is not JSON: {exc}") from None
    return bodies


_ENTRIES_FROM_JSON = (
    "INSERT INTO ledger_entries (seq, subject, type, body, hash) "
    "SELECT ?1 + key, json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
    "substr(?4, json_extract(value, '$[2]') + 1, json_extract(value, '$[3]')), "
    "substr(?2, key * 32 + 1, 32) FROM json_each(?3)"
)
"""SQLite: a batch's rows in one statement: bodies and hashes cut from two blobs, subject, type,
offset and length of each row from one JSON array. The statement runs in C with Python's lock
released, so a writer thread inserting one batch overlaps the next batch's hashing."""

_ENTRIES_FROM_INDEX = (
    "WITH RECURSIVE k(n) AS (SELECT 0 WHERE ?3 > 0 UNION ALL SELECT n + 1 FROM k WHERE n + 1 < ?3) "
    "INSERT INTO ledger_entries (seq, subject, type, body, hash) SELECT ?1 + n, "
    "CAST(substr(?5, CAST(substr(?4, n * 60 + 1, 10) AS INTEGER) + 1, "
    "CAST(substr(?4, n * 60 + 11, 10) AS INTEGER)) AS TEXT), "
    "CAST(substr(?6, CAST(substr(?4, n * 60 + 21, 10) AS INTEGER) + 1, "
    "CAST(substr(?4, n * 60 + 31, 10) AS INTEGER)) AS TEXT), "
    "substr(?7, CAST(substr(?4, n * 60 + 41, 10) AS INTEGER) + 1, "
    "CAST(substr(?4, n * 60 + 51, 10) AS INTEGER)), "
    "substr(?2, n * 32 + 1, 32) FROM k"
)
"""SQLite: the same rows cut out of three joined columns at the offsets and lengths of a
fixed-width index (`hashing.pack_rows`, C), quicker than `json_each` (ADR 0004)."""


def _split_hashes(joined: bytes) -> list[bytes]:
    return [joined[i : i + 32] for i in range(0, len(joined), 32)]


def _insert_entries(
    cursor: Cursor,
    size: int,
    subjects: list[str],
    types: list[str],
    bodies: list[bytes],
    leaves: bytes,
) -> None:
    if isinstance(cursor, sqlite3.Cursor) and len(bodies) >= 64:
        lengths = list(map(len, bodies))
        offsets = accumulate(lengths, initial=0)  # one more than the rows: zip stops at the rows
        meta = orjson.dumps(list(zip(subjects, types, offsets, lengths, strict=False)))
        if b"\\u0000" not in meta:  # SQLite's JSON text would end at a NUL: bind those rows
            cursor.execute(_ENTRIES_FROM_JSON, (size, leaves, meta, b"".join(bodies)))
            return
    rows = list(
        zip(
            range(size, size + len(bodies)),
            subjects,
            types,
            bodies,
            _split_hashes(leaves),
            strict=True,
        )
    )
    copy = getattr(cursor, "copy", None) if len(rows) >= _COPY_FROM else None
    if copy is not None and dialect_of(cursor) == "postgresql":
        with copy("COPY ledger_entries (seq, subject, type, body, hash) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
        return
    _many(
        cursor,
        "INSERT INTO ledger_entries (seq, subject, type, body, hash) VALUES (%s, %s, %s, %s, %s)",
        rows,
    )


def _entries(cursor: Cursor) -> list[Entry]:
    return [parse_entry(_bytes(body)) for (body,) in cursor.fetchall()]


def read_entry(cursor: Cursor, seq: int) -> Entry:
    """One entry by sequence number."""
    execute(cursor, "SELECT body FROM ledger_entries WHERE seq = %s", [seq])
    row = cursor.fetchone()
    if row is None:
        raise StoreError(f"no entry {seq}")
    return parse_entry(_bytes(row[0]))


def read_entries(cursor: Cursor, start: int = 0, stop: int | None = None) -> list[Entry]:
    """Entries with start <= seq < stop, in order."""
    if stop is None:
        execute(cursor, "SELECT body FROM ledger_entries WHERE seq >= %s ORDER BY seq", [start])
    else:
        execute(
            cursor,
            "SELECT body FROM ledger_entries WHERE seq >= %s AND seq < %s ORDER BY seq",
            [start, stop],
        )
    return _entries(cursor)


def read_bodies(cursor: Cursor, start: int, stop: int) -> list[bytes]:
    """The canonical bodies of the entries start <= seq < stop, in order, unparsed."""
    execute(
        cursor,
        "SELECT body FROM ledger_entries WHERE seq >= %s AND seq < %s ORDER BY seq",
        [start, stop],
    )
    return [_bytes(body) for (body,) in cursor.fetchall()]


def read_entries_of_types(
    cursor: Cursor,
    start: int,
    stop: int,
    types: Sequence[str],
    *,
    holding: tuple[Sequence[str], bytes] | None = None,
) -> list[Entry]:
    """Entries with start <= seq < stop whose type is one of `types`, in order: a read model's
    replay parses only the entries it projects (the others stay in the database). `holding`
    (types, bytes): entries of those types only if their body holds those bytes."""
    if not types:
        return []
    marks = ", ".join(["%s"] * len(types))
    sql = f"SELECT body FROM ledger_entries WHERE seq >= %s AND seq < %s AND type IN ({marks})"  # noqa: S608 - placeholders only
    params: list[Any] = [start, stop, *types]
    if holding is not None:
        some, needle = holding
        found = (
            "instr(body, %s) > 0" if dialect_of(cursor) == "sqlite" else "position(%s in body) > 0"
        )
        sql += f" AND (type NOT IN ({', '.join(['%s'] * len(some))}) OR {found})"
        params += [*some, needle]
    execute(cursor, sql + " ORDER BY seq", params)
    return _entries(cursor)


def read_entries_by_subject(
    cursor: Cursor, subject: str, *, except_types: Sequence[str] = ()
) -> list[Entry]:
    """Every entry about one person or institution, in order (corrections included), but those of
    `except_types` (e.g. the web's record of who opened a file, which grows with every reading)."""
    _by_subject(cursor, "body", subject, except_types)
    return _entries(cursor)


def read_objects_by_subject(
    cursor: Cursor, subject: str, *, except_types: Sequence[str] = ()
) -> list[tuple[int, str, dict[str, Any]]]:
    """`read_entries_by_subject` as (seq, type, the entry's object) rows, what a fold of the
    entries takes (`adaldyq.files.PersonalFile.fold`), as oversight's reader hands it every file:
    the bodies decoded, no `Entry` made of each (nor its canonical form checked again)."""
    _by_subject(cursor, "seq, type, body", subject, except_types)
    loads = orjson.loads
    return [(int(seq), kind, loads(_bytes(body))) for seq, kind, body in cursor.fetchall()]


def _by_subject(cursor: Cursor, columns: str, subject: str, except_types: Sequence[str]) -> None:
    sql = f"SELECT {columns} FROM ledger_entries WHERE subject = %s"  # noqa: S608 - our columns
    params = [subject]
    if except_types:
        sql += " AND type NOT IN (" + ", ".join(["%s"] * len(except_types)) + ")"
        params += list(except_types)
    execute(cursor, sql + " ORDER BY seq", params)


def read_rows(cursor: Cursor, start: int, stop: int) -> list[tuple[int, str, str, bytes, bytes]]:
    """Raw stored rows (seq, subject, type, body, hash) for start <= seq < stop."""
    execute(
        cursor,
        "SELECT seq, subject, type, body, hash FROM ledger_entries "
        "WHERE seq >= %s AND seq < %s ORDER BY seq",
        [start, stop],
    )
    return [
        (int(seq), subject, type_, _bytes(body), _bytes(digest))
        for seq, subject, type_, body, digest in cursor.fetchall()
    ]


def _all_bytes(values: list[Any]) -> list[bytes]:
    if set(map(type, values)) <= {bytes}:
        return values
    return [v.encode() if isinstance(v, str) else _bytes(v) for v in values]


def read_columns(cursor: Cursor, start: int, stop: int) -> Columns | None:
    """The rows start <= seq < stop as columns, or None unless every one of them is there.

    `seq` is the primary key (unique integers), so stop - start rows in that range, in seq order,
    are exactly start, start+1, ..., stop-1: the seq column itself need not be read.
    """
    execute(
        cursor,
        "SELECT subject, type, body, hash FROM ledger_entries "
        "WHERE seq >= %s AND seq < %s ORDER BY seq",
        [start, stop],
    )
    rows = cursor.fetchall()
    if len(rows) != stop - start:
        return None
    if not rows:
        return [], [], [], []
    subjects, types, bodies, hashes = (list(column) for column in zip(*rows, strict=True))
    return subjects, types, _all_bytes(bodies), _all_bytes(hashes)


# The aggregate takes the rows in the order of the range scan on the key (seq), which
# is key order; were it ever another, the joined values would not match and the chunk would be
# read again row by row: a wrong order can cost time, never hide a fault.
_CHUNK_JOINED = (
    "SELECT count(*), sum(length(hash) = 32), json_group_array(subject), json_group_array(type), "
    "json_group_array(length(body)), CAST(group_concat(body, '') AS BLOB), "
    "CAST(group_concat(hash, '') AS BLOB) FROM ledger_entries WHERE seq >= ? AND seq < ?"
)


class JoinedChunk(NamedTuple):
    """A chunk of entry rows read whole by SQLite: no Python object per row (`read_chunk`)."""

    subjects: str
    """The subject column as a JSON array (SQLite's `json_group_array`)."""
    types: str
    """The type column, likewise."""
    lengths: list[int]
    """Each body's length in bytes."""
    bodies: bytes
    """The bodies, one after another."""
    hashes: bytes
    """The stored leaf hashes, one after another (32 bytes each)."""


def read_chunk(cursor: Cursor, start: int, stop: int) -> JoinedChunk | None:
    """SQLite: the entry rows start <= seq < stop, joined inside SQLite, or None.

    The quick way for verification to read a chunk: one aggregate query, whose values are a few
    strings and blobs however many rows there are. None when the cursor is not sqlite3's, a row
    is missing, or a value does not fit (a column holding a blob, a stored hash that is not 32
    bytes, say): the caller then reads the chunk with `read_columns`, which names the fault. A
    result is only a claim that the caller checks in full (bodies cut at the lengths, their leaf
    hashes, their tails against the subjects and types); any mismatch sends it to `read_columns`.
    """
    if not isinstance(cursor, sqlite3.Cursor):
        return None
    try:
        cursor.execute(_CHUNK_JOINED, (start, stop))
        count, whole, subjects, types, lengths, bodies, hashes = cursor.fetchone()
        if count != stop - start:
            return None
        if count == 0:
            return JoinedChunk("[]", "[]", [], b"", b"")
        if whole != count:
            return None
        length_list = orjson.loads(lengths)
    except (sqlite3.Error, orjson.JSONDecodeError, UnicodeDecodeError):
        return None
    if not (
        isinstance(subjects, str)
        and isinstance(types, str)
        and isinstance(bodies, bytes)
        and isinstance(hashes, bytes)
        and isinstance(length_list, list)
        and len(length_list) == count
        and len(hashes) == 32 * count
    ):
        return None
    return JoinedChunk(subjects, types, length_list, bodies, hashes)


def _level_tiles(cursor: Cursor, level: int, start: int, stop: int) -> dict[int, bytes]:
    """The stored tiles (index -> hashes) of tree level `level` covering indexes start..stop-1:
    full tiles and the edge; nothing when the level is not a tile level (a multiple of 8)."""
    if level % HEIGHT or stop <= start:
        return {}
    tile_level, first, last = level // HEIGHT, start // WIDTH, (stop - 1) // WIDTH
    execute(
        cursor,
        "SELECT idx, hashes FROM ledger_tiles WHERE level = %s AND idx >= %s AND idx <= %s "
        "UNION ALL SELECT idx, hashes FROM ledger_edge WHERE level = %s AND idx >= %s AND idx <= %s",
        [tile_level, first, last, tile_level, first, last],
    )
    found: dict[int, bytes] = {}
    for index, hashes in cursor.fetchall():
        data = _bytes(hashes)
        if len(data) % 32 == 0 and len(data) > len(found.get(int(index), b"")):
            found[int(index)] = data
    return found


def read_level_blob(cursor: Cursor, level: int, start: int, stop: int) -> bytes:
    """The stored hashes of tree level `level` (a tile level) with start <= index < stop, joined in
    index order as far as they run without a gap: a quick claim that verification compares whole
    and, on any difference, reads again with `read_level` to name the first missing or wrong one."""
    tiles = _level_tiles(cursor, level, start, stop)
    pieces = []
    for index in range(start // WIDTH, (stop - 1) // WIDTH + 1 if stop > start else 0):
        tile = tiles.get(index)
        if tile is None:
            break
        low = max(start - index * WIDTH, 0)
        pieces.append(tile[32 * low : 32 * (stop - index * WIDTH)])
        if len(tile) < TILE:
            break
    return b"".join(pieces)


def read_level_hashes(cursor: Cursor, level: int, start: int, stop: int) -> list[bytes]:
    """Stored hashes of one tree level with start <= index < stop, in index order."""
    return [digest for _, digest in read_level(cursor, level, start, stop)]


def read_level(cursor: Cursor, level: int, start: int, stop: int) -> list[tuple[int, bytes]]:
    """Stored hashes (index, hash) of one tree level with start <= index < stop, from its tiles."""
    found = []
    for tile_index, tile in sorted(_level_tiles(cursor, level, start, stop).items()):
        for k in range(len(tile) // 32):
            index = tile_index * WIDTH + k
            if start <= index < stop:
                found.append((index, tile[32 * k : 32 * k + 32]))
    return found


def read_extra_node_counts(cursor: Cursor, size: int) -> dict[int, int]:
    """Per tree level, how many stored hashes lie outside the tree of `size` leaves.

    Tile level L holds the hashes 0 .. (size >> 8L) - 1 of tree level 8L; verification compares
    those one by one, so only full tiles more than the tree has (at levels it has or not), and edge
    rows that are longer than the edge or at another index, are counted here.
    """
    widths = edge_widths(size)
    counts: dict[int, int] = {}
    execute(cursor, "SELECT level, count(*) FROM ledger_tiles GROUP BY level")
    for level, count in cursor.fetchall():
        full = widths.get(int(level), (0, 0))[0]  # tiles 0..full-1 are compared one by one
        if int(count) > full:
            counts[HEIGHT * int(level)] = WIDTH * (int(count) - full)
    execute(cursor, "SELECT level, idx, length(hashes) FROM ledger_edge")
    for level, index, length in cursor.fetchall():
        expected = widths.get(int(level))
        have = int(length) // 32
        if expected is None or expected[0] != int(index):
            extra = have
        else:
            extra = max(have - expected[1], 0)
        if extra:
            counts[HEIGHT * int(level)] = counts.get(HEIGHT * int(level), 0) + extra
    return counts


def read_seq_bounds(cursor: Cursor) -> tuple[int, int]:
    """(smallest seq, largest seq), -1 when there are none: two seeks on the key, no scan."""
    execute(
        cursor,
        "SELECT (SELECT min(seq) FROM ledger_entries), (SELECT max(seq) FROM ledger_entries)",
    )
    low, high = cursor.fetchone()
    return -1 if low is None else int(low), -1 if high is None else int(high)


def read_counts(cursor: Cursor) -> tuple[int, int, int]:
    """(entry rows, smallest seq, largest seq): what verify compares with the head."""
    execute(cursor, "SELECT count(*), min(seq), max(seq) FROM ledger_entries")
    count, low, high = cursor.fetchone()
    return int(count), -1 if low is None else int(low), -1 if high is None else int(high)


def read_node_counts(cursor: Cursor) -> dict[int, int]:
    """How many hashes each tree level holds in the tiles (full tiles and edge)."""
    counts: dict[int, int] = {}
    for table, size in (
        ("ledger_tiles", "count(*) * 256"),
        ("ledger_edge", "sum(length(hashes)) / 32"),
    ):
        # Only constant names are interpolated.
        execute(cursor, f"SELECT level, {size} FROM {table} GROUP BY level")  # noqa: S608
        for level, count in cursor.fetchall():
            counts[HEIGHT * int(level)] = counts.get(HEIGHT * int(level), 0) + int(count)
    return counts


def write_checkpoint(cursor: Cursor, size: int, note: str) -> str:
    """Store a signed checkpoint; if one exists for that size, keep it and return it."""
    execute(
        cursor,
        "INSERT INTO ledger_checkpoints (size, note) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        [size, note],
    )
    execute(cursor, "SELECT note FROM ledger_checkpoints WHERE size = %s", [size])
    row = cursor.fetchone()
    return str(row[0])


def read_latest_checkpoint(cursor: Cursor) -> str | None:
    """The signed checkpoint of the largest size, or None."""
    execute(cursor, "SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1")
    row = cursor.fetchone()
    return None if row is None else str(row[0])


def read_signed_size(cursor: Cursor) -> int:
    """The size of the largest signed checkpoint (0 when none is signed yet)."""
    execute(cursor, "SELECT MAX(size) FROM ledger_checkpoints")
    row = cursor.fetchone()
    return 0 if row is None or row[0] is None else int(row[0])


def read_checkpoints(cursor: Cursor) -> list[tuple[int, str]]:
    """Every stored checkpoint as (size, signed note), smallest first."""
    execute(cursor, "SELECT size, note FROM ledger_checkpoints ORDER BY size")
    return [(int(size), str(note)) for size, note in cursor.fetchall()]
