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

__all__ = [
    "Cursor",
    "Dialect",
    "append_entries",
    "dialect_of",
    "ensure_schema",
    "execute",
    "read_checkpoints",
    "read_consistency_proof",
    "read_entries",
    "read_entries_by_subject",
    "read_entry",
    "read_inclusion_proof",
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
TABLES = ("ledger_head", "ledger_entries", "ledger_nodes", "ledger_checkpoints")
APPEND_ONLY = ("ledger_entries", "ledger_nodes", "ledger_checkpoints")
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
"""Only a bulk import into an empty ledger drops it, and builds it again when it ends."""


def _ddl(dialect: Dialect) -> list[str]:
    blob, big = ("BLOB", "INTEGER") if dialect == "sqlite" else ("BYTEA", "BIGINT")
    statements = [
        f"CREATE TABLE IF NOT EXISTS ledger_head (id {big} PRIMARY KEY CHECK (id = 1), "
        f"size {big} NOT NULL)",
        "INSERT INTO ledger_head (id, size) VALUES (1, 0) ON CONFLICT DO NOTHING",
        f"CREATE TABLE IF NOT EXISTS ledger_entries (seq {big} PRIMARY KEY, subject TEXT NOT NULL, "
        f"type TEXT NOT NULL, body {blob} NOT NULL, hash {blob} NOT NULL)",
        CREATE_SUBJECT_INDEX,
        f"CREATE TABLE IF NOT EXISTS ledger_nodes (level {big} NOT NULL, idx {big} NOT NULL, "
        f"hash {blob} NOT NULL, PRIMARY KEY (level, idx))"
        + (" WITHOUT ROWID" if dialect == "sqlite" else ""),
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


def read_nodes(cursor: Cursor, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
    """The stored hashes of complete nodes; level 0 is an entry's leaf hash."""
    wanted = sorted(set(keys))
    found: dict[NodeKey, bytes] = {}
    leaves = [index for level, index in wanted if level == 0]
    inner = [(level, index) for level, index in wanted if level > 0]
    if leaves and inner:  # one round trip for both (a frontier has a leaf after every odd size)
        marks = ", ".join(["%s"] * len(leaves))
        where = " OR ".join(["(level = %s AND idx = %s)"] * len(inner))
        # Only "%s" placeholders are interpolated; the values travel as parameters.
        query = (
            f"SELECT 0, seq, hash FROM ledger_entries WHERE seq IN ({marks}) "  # noqa: S608
            f"UNION ALL SELECT level, idx, hash FROM ledger_nodes WHERE {where}"
        )
        execute(cursor, query, [*leaves, *(v for key in inner for v in key)])
        for level, index, digest in cursor.fetchall():
            found[(int(level), int(index))] = _bytes(digest)
        leaves, inner = [], []
    if leaves:
        marks = ", ".join(["%s"] * len(leaves))
        # Only "%s" placeholders are interpolated; the values travel as parameters.
        query = f"SELECT seq, hash FROM ledger_entries WHERE seq IN ({marks})"  # noqa: S608
        execute(cursor, query, leaves)
        for seq, digest in cursor.fetchall():
            found[(0, int(seq))] = _bytes(digest)
    if inner:
        where = " OR ".join(["(level = %s AND idx = %s)"] * len(inner))
        params = [v for key in inner for v in key]
        query = f"SELECT level, idx, hash FROM ledger_nodes WHERE {where}"  # noqa: S608
        execute(cursor, query, params)
        for level, index, digest in cursor.fetchall():
            found[(int(level), int(index))] = _bytes(digest)
    missing = [key for key in wanted if key not in found]
    if missing:
        raise StoreError(f"tree node {missing[0]} is missing from the store")
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
    """A batch computed for the tree of `size` entries: canonical bytes, leaf and node hashes.

    Hashes are joined: 32 bytes each, in index order (`adaldyq.ledger.hashing`).
    """

    size: int
    recorded_at: str
    drafts: Sequence[Draft]
    bodies: list[bytes]
    leaves: bytes
    nodes: list[tuple[int, int, bytes]]  # (level, first index, joined hashes), level >= 1
    frontier: dict[NodeKey, bytes]  # the nodes of the tree of `size` entries it was built on
    packed: tuple[str, tuple[Any, ...]] | None = None
    """SQLite: a statement inserting the entry rows and its parameters after the size and the
    leaf hashes (`pack_rows`)."""

    @property
    def stop(self) -> int:
        """The tree size after the batch."""
        return self.size + len(self.bodies)

    def next_frontier(self) -> dict[NodeKey, bytes]:
        """The frontier nodes of the tree of `stop` entries (what the next batch builds on)."""
        size, found = self.size, {}
        for level, index in frontier_keys(self.stop):
            if (level, index) in self.frontier:
                found[(level, index)] = self.frontier[(level, index)]
            elif level == 0:
                at = 32 * (index - size)
                found[(level, index)] = self.leaves[at : at + 32]
            else:
                for node_level, first, hashes in self.nodes:
                    if node_level == level:
                        at = 32 * (index - first)
                        found[(level, index)] = hashes[at : at + 32]
        return found


def read_frontier(cursor: Cursor, size: int) -> dict[NodeKey, bytes]:
    """The complete nodes whose concatenation is the tree of `size` entries."""
    return read_nodes(cursor, frontier_keys(size))


def prepare_batch(
    size: int, frontier: dict[NodeKey, bytes], drafts: Sequence[Draft], now: datetime | None = None
) -> Batch:
    """Everything a batch appended at `size` stores, computed without the database."""
    for draft in drafts:
        if draft.type == KEY_CHANGED:
            from adaldyq.ledger.keys import check_key_change

            check_key_change(draft.payload)
    recorded_at = utc_timestamp(now or datetime.now(UTC))
    bodies = _canonical_bodies(size, recorded_at, drafts)
    leaves = hashing.leaf_hashes(bodies)
    return Batch(
        size, recorded_at, drafts, bodies, leaves, _new_nodes(size, leaves, frontier), frontier
    )


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
    "n AS (INSERT INTO ledger_nodes (level, idx, hash) "
    "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[])) "
    "UPDATE ledger_head SET size = %s WHERE id = 1"
)
"""PostgreSQL: a small batch's entries, nodes and new head in one statement (one round trip)."""


def write_batch(cursor: Cursor, batch: Batch) -> None:
    """Store a prepared batch; the caller holds the head lock and the head is at `batch.size`."""
    if (
        not isinstance(cursor, sqlite3.Cursor)
        and len(batch.bodies) < _COPY_FROM
        and sum(len(hashes) for _, _, hashes in batch.nodes) < 32 * _COPY_FROM
        and dialect_of(cursor) == "postgresql"
    ):
        drafts = batch.drafts
        levels: list[int] = []
        indexes: list[int] = []
        hashes: list[bytes] = []
        for level, first, joined in batch.nodes:
            count = len(joined) // 32
            levels += [level] * count
            indexes += range(first, first + count)
            hashes += _split_hashes(joined)
        execute(
            cursor,
            _WRITE_SMALL,
            [
                list(range(batch.size, batch.stop)),
                [d.subject for d in drafts],
                [d.type for d in drafts],
                batch.bodies,
                _split_hashes(batch.leaves),
                levels,
                indexes,
                hashes,
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
    _insert_nodes(cursor, batch.nodes)
    execute(cursor, "UPDATE ledger_head SET size = %s WHERE id = 1", [batch.stop])


def _append(cursor: Cursor, drafts: Sequence[Draft], now: datetime | None) -> Batch:
    size = lock_head(cursor)
    batch = prepare_batch(size, read_frontier(cursor, size), drafts, now)
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


def _new_nodes(
    size: int, leaves: bytes, frontier: dict[NodeKey, bytes]
) -> list[tuple[int, int, bytes]]:
    """Every node above the leaves that leaves size.. complete, as (level, first index, hashes).

    At each level the batch's nodes start at index `first`; if that is odd, its left sibling is
    the old tree's frontier node there, so the pairs line up and each level is one call hashing
    the aligned pairs (an odd last node waits for its sibling).
    """
    new: list[tuple[int, int, bytes]] = []
    level, first, current = 0, size, leaves
    while current:
        if first & 1:
            current = frontier[(level, first - 1)] + current
            first -= 1
        current = hashing.node_level(current)
        level, first = level + 1, first >> 1
        if current:
            new.append((level, first, current))
    return new


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
fixed-width index (`hashing.pack_rows`, C): 1.25-1.3 us a row here against `json_each`'s 1.55."""


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


_NODES_FROM_BLOB = (
    "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n + 1 < ?2) "
    "INSERT INTO ledger_nodes (level, idx, hash) SELECT ?1, ?3 + n, substr(?4, n * 32 + 1, 32) FROM k"
)
"""SQLite: a level's nodes in one statement, cut from one blob of 32-byte hashes (no per-row binding)."""


def _insert_nodes(cursor: Cursor, levels: list[tuple[int, int, bytes]]) -> None:
    if isinstance(cursor, sqlite3.Cursor):
        for level, first, hashes in levels:
            if len(hashes) >= 64 * 32:
                cursor.execute(_NODES_FROM_BLOB, (level, len(hashes) // 32, first, hashes))
        levels = [item for item in levels if len(item[2]) < 64 * 32]
    nodes = [
        node
        for level, first, hashes in levels
        for node in zip(
            repeat(level), range(first, first + len(hashes) // 32), _split_hashes(hashes)
        )
    ]
    copy = getattr(cursor, "copy", None) if len(nodes) >= _COPY_FROM else None
    if copy is not None and dialect_of(cursor) == "postgresql":
        with copy("COPY ledger_nodes (level, idx, hash) FROM STDIN") as stream:
            for node in nodes:
                stream.write_row(node)
        return
    _many(cursor, "INSERT INTO ledger_nodes (level, idx, hash) VALUES (%s, %s, %s)", nodes)


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
    sql, params = "SELECT body FROM ledger_entries WHERE subject = %s", [subject]
    if except_types:
        sql += " AND type NOT IN (" + ", ".join(["%s"] * len(except_types)) + ")"
        params += list(except_types)
    execute(cursor, sql + " ORDER BY seq", params)
    return _entries(cursor)


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


# The aggregates take the rows in the order of the range scan on the key (seq; level, idx), which
# is key order; were it ever another, the joined values would not match and the chunk would be
# read again row by row: a wrong order can cost time, never hide a fault.
_CHUNK_JOINED = (
    "SELECT count(*), sum(length(hash) = 32), json_group_array(subject), json_group_array(type), "
    "json_group_array(length(body)), CAST(group_concat(body, '') AS BLOB), "
    "CAST(group_concat(hash, '') AS BLOB) FROM ledger_entries WHERE seq >= ? AND seq < ?"
)
_LEVEL_BLOB = (
    "SELECT count(*), sum(length(hash) = 32), CAST(group_concat(hash, '') AS BLOB) "
    "FROM ledger_nodes WHERE level = ? AND idx >= ? AND idx < ?"
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


def read_level_blob(cursor: Cursor, level: int, start: int, stop: int) -> bytes | None:
    """SQLite: the stored hashes of a level with start <= index < stop joined in index order.

    None when the cursor is not sqlite3's or a hash is not a blob; a quick claim that the caller
    compares whole and, on any difference, reads again with `read_level`.
    """
    if not isinstance(cursor, sqlite3.Cursor):
        return None
    try:
        cursor.execute(_LEVEL_BLOB, (level, start, stop))
        count, whole, hashes = cursor.fetchone()
    except sqlite3.Error:
        return None
    if count == 0:
        return b""
    if whole != count or not isinstance(hashes, bytes) or len(hashes) != 32 * count:
        return None
    return hashes


def read_level_hashes(cursor: Cursor, level: int, start: int, stop: int) -> list[bytes]:
    """Stored hashes of one level with start <= index < stop, in index order."""
    execute(
        cursor,
        "SELECT hash FROM ledger_nodes WHERE level = %s AND idx >= %s AND idx < %s ORDER BY idx",
        [level, start, stop],
    )
    return _all_bytes([digest for (digest,) in cursor.fetchall()])


def read_extra_node_counts(cursor: Cursor, size: int) -> dict[int, int]:
    """Per level, how many stored nodes lie outside the tree of `size` leaves (index seeks only).

    Level L of that tree holds indexes 0 .. (size >> L) - 1; nodes inside that range are compared
    one by one by verification, so only those beyond it, below it, or on other levels are counted.
    """
    top = size.bit_length() - 1  # the highest level with a complete node
    counts: dict[int, int] = {}
    for level in range(1, top + 1):
        execute(
            cursor,
            "SELECT count(*) FROM ledger_nodes WHERE level = %s AND idx >= %s",
            [level, size >> level],
        )
        beyond = int(cursor.fetchone()[0])
        execute(cursor, "SELECT count(*) FROM ledger_nodes WHERE level = %s AND idx < 0", [level])
        below = int(cursor.fetchone()[0])
        if beyond + below:
            counts[level] = beyond + below
    # Two ranges of the key, not one OR: SQLite scanned every node for the OR.
    for where in ("level < 1", "level > %s"):
        execute(
            cursor,
            f"SELECT level, count(*) FROM ledger_nodes WHERE {where} GROUP BY level",  # noqa: S608
            [max(top, 0)] if "%s" in where else None,
        )
        for level, count in cursor.fetchall():
            counts[int(level)] = counts.get(int(level), 0) + int(count)
    return counts


def read_level(cursor: Cursor, level: int, start: int, stop: int) -> list[tuple[int, bytes]]:
    """Stored nodes (index, hash) of one level with start <= index < stop."""
    execute(
        cursor,
        "SELECT idx, hash FROM ledger_nodes WHERE level = %s AND idx >= %s AND idx < %s "
        "ORDER BY idx",
        [level, start, stop],
    )
    return [(int(index), _bytes(digest)) for index, digest in cursor.fetchall()]


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
    """How many nodes each level holds."""
    execute(cursor, "SELECT level, count(*) FROM ledger_nodes GROUP BY level")
    return {int(level): int(count) for level, count in cursor.fetchall()}


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
