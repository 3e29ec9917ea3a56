"""From one row per tree node to tiles (ADR 0046): convert a ledger, verify it, then drop the rows.

A ledger written before ADR 0046 keeps every complete tree node as a row of `ledger_nodes`. The
conversion, inside the caller's one transaction (nothing is kept unless all of it passes):

1. reads every entry in order, hashes its body (RFC 9162 leaf) and compares the hash with the one
   stored beside it;
2. builds the tiles from those leaf hashes (`adaldyq.ledger.tree.grow`) and writes the full ones
   and the right edge;
3. compares every hash the tiles keep above the leaves (tree levels 8, 16, ...) with the node row
   of the same level and index, and the root of the whole tree with the root the node rows give;
4. computes from the new tiles the root of every signed checkpoint and compares it with the root
   the checkpoint signs (and its signature, given the ledger's public keys);
5. only then drops `ledger_nodes`.

Any difference is a StoreError of one line naming the first entry, node or checkpoint, and the
transaction is rolled back: the node rows stay, nothing was converted. Run again on a converted
ledger, it finds no node rows and does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adaldyq.ledger import hashing, sql
from adaldyq.ledger.checkpoint import Checkpoint, Verifier, open_note, split_note
from adaldyq.ledger.errors import LedgerError, StoreError
from adaldyq.ledger.merkle import frontier_keys, root_from_nodes
from adaldyq.ledger.tree import HEIGHT, Edge, edge_widths, grow

__all__ = ["Conversion", "build_tiles", "convert_to_tiles", "keeps_node_rows"]

_READ = 65_536  # entries read, hashed and tiled at once


@dataclass(frozen=True, slots=True)
class Conversion:
    """What a conversion did."""

    size: int
    tiles: int
    """Full tiles written (the edge's partial tiles not counted)."""
    checkpoints: int
    """Signed checkpoints whose roots the tiles were checked against."""
    root: bytes
    seconds: float


def keeps_node_rows(cursor: sql.Cursor, dialect: sql.Dialect | None = None) -> bool:
    """Whether the database still holds the tree as node rows (a ledger before ADR 0046)."""
    return sql.table_exists(cursor, sql.NODE_ROWS, dialect)


def _leaves(cursor: sql.Cursor, start: int, stop: int) -> bytes:
    """The leaf hashes of entries start..stop-1 recomputed from their bodies, checked against the
    stored hashes; StoreError naming the first entry that is missing or does not match."""
    claim = sql.read_chunk(cursor, start, stop)
    if claim is not None:
        try:
            joined = hashing.leaf_hashes_joined(claim.bodies, claim.lengths)
        except (TypeError, ValueError):
            joined = b""
        if joined == claim.hashes and len(joined) == 32 * (stop - start):
            return joined
    columns = sql.read_columns(cursor, start, stop)
    if columns is None:
        seqs = {row[0] for row in sql.read_rows(cursor, start, stop)}
        missing = next(seq for seq in range(start, stop) if seq not in seqs)
        raise StoreError(f"entry {missing} is missing: nothing converted")
    bodies, stored = columns[2], columns[3]
    joined = hashing.leaf_hashes(bodies)
    for k, digest in enumerate(stored):
        if joined[32 * k : 32 * k + 32] != digest:
            raise StoreError(
                f"entry {start + k} does not hash to its stored leaf hash: nothing converted"
            )
    return joined


def build_tiles(
    cursor: sql.Cursor, size: int, *, progress: Callable[[int], None] | None = None
) -> tuple[int, Edge, dict[int, list[bytes]]]:
    """Write the tiles of the first `size` entries into empty tile tables, from their bodies.

    Returns (full tiles written, the right edge, every tile level's hashes above the leaves by
    tile level: what the caller compares with another record of the tree)."""
    edge: Edge = {}
    written = 0
    upper: dict[int, list[bytes]] = {}
    for start in range(0, size, _READ):
        stop = min(start + _READ, size)
        tiles, edge = grow(start, edge, _leaves(cursor, start, stop))
        sql.write_tiles(cursor, tiles, [])
        written += len(tiles)
        for level, _index, hashes in tiles:
            if level > 0:
                upper.setdefault(level, []).append(hashes)
        if progress is not None:
            progress(stop - start)
    rows = [(level, index, edge[level]) for level, (index, _) in edge_widths(size).items()]
    sql.write_tiles(cursor, [], rows)
    for level, _index, hashes in rows:
        if level > 0:
            upper.setdefault(level, []).append(hashes)
    return written, edge, upper


def _compare_with_node_rows(cursor: sql.Cursor, size: int, upper: dict[int, list[bytes]]) -> None:
    for tile_level, pieces in sorted(upper.items()):
        level = HEIGHT * tile_level
        joined = b"".join(pieces)
        sql.execute(
            cursor,
            f"SELECT idx, hash FROM {sql.NODE_ROWS} WHERE level = %s ORDER BY idx",  # noqa: S608
            [level],
        )
        rows = cursor.fetchall()
        for k in range(len(joined) // 32):
            if k >= len(rows) or int(rows[k][0]) != k:
                raise StoreError(f"tree node ({level}, {k}) is missing from the node rows")
            if bytes(rows[k][1]) != joined[32 * k : 32 * k + 32]:
                raise StoreError(
                    f"tree node ({level}, {k}) over entries {k << level}..{((k + 1) << level) - 1} "
                    "does not match the entries: nothing converted"
                )
    old: dict[tuple[int, int], bytes] = {}
    for level, index in frontier_keys(size):
        if level == 0:
            sql.execute(cursor, "SELECT hash FROM ledger_entries WHERE seq = %s", [index])
        else:
            sql.execute(
                cursor,
                f"SELECT hash FROM {sql.NODE_ROWS} WHERE level = %s AND idx = %s",  # noqa: S608
                [level, index],
            )
        row = cursor.fetchone()
        if row is None:
            raise StoreError(f"tree node ({level}, {index}) is missing from the node rows")
        old[(level, index)] = bytes(row[0])
    if root_from_nodes(size, lambda level, index: old[(level, index)]) != sql.read_root(
        cursor, size
    ):
        raise StoreError(
            f"the node rows' root of {size} entries is not the entries' root: nothing converted"
        )


def _check_checkpoints(cursor: sql.Cursor, size: int, verifiers: list[Verifier]) -> int:
    checked = 0
    for cp_size, note in sql.read_checkpoints(cursor):
        if cp_size > size:
            raise StoreError(
                f"a checkpoint is signed for {cp_size} entries, the ledger has {size}: "
                "nothing converted"
            )
        try:
            checkpoint = (
                open_note(note, verifiers)[0]
                if verifiers
                else Checkpoint.parse(split_note(note)[0])
            )
        except LedgerError as exc:
            raise StoreError(f"checkpoint of size {cp_size}: {exc}: nothing converted") from None
        if checkpoint.size != cp_size or checkpoint.root != sql.read_root(cursor, cp_size):
            raise StoreError(
                f"the tiles' root of {cp_size} entries is not the one its checkpoint signs: "
                "nothing converted"
            )
        checked += 1
    return checked


def convert_to_tiles(
    cursor: Any,
    dialect: sql.Dialect,
    verifiers: list[Verifier] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Conversion | None:
    """Convert the ledger in the cursor's open transaction (the caller commits); None when it keeps
    no node rows (already converted, or made after ADR 0046). StoreError, converting nothing, when
    anything does not verify. With `verifiers` (the ledger's public keys) each checkpoint's
    signature is checked too; without, the root it states."""
    if not keeps_node_rows(cursor, dialect):
        return None
    began = time.perf_counter()
    sql.ensure_schema(cursor, dialect)
    sql.execute(
        cursor, "SELECT (SELECT count(*) FROM ledger_tiles), (SELECT count(*) FROM ledger_edge)"
    )
    if any(int(n) for n in cursor.fetchone()):
        raise StoreError(
            "the ledger holds both node rows and tiles: it was written to half-converted; "
            "nothing converted"
        )
    size = sql.lock_head(cursor)
    tiles, _edge, upper = build_tiles(cursor, size, progress=progress)
    _compare_with_node_rows(cursor, size, upper)
    checked = _check_checkpoints(cursor, size, verifiers or [])
    if dialect == "sqlite":
        for event in ("update", "delete"):
            sql.execute(cursor, f"DROP TRIGGER IF EXISTS {sql.NODE_ROWS}_no_{event}")
    sql.execute(cursor, f"DROP TABLE {sql.NODE_ROWS}")
    return Conversion(
        size, tiles, checked, sql.read_root(cursor, size), time.perf_counter() - began
    )
