"""Where the entries of a publication come from: the ledger's database, or an exported tiles folder.

    note, bodies = database_entries(cursor)            # the newest signed tree, entry by entry
    note, bodies = bundle_entries(directory, size=n)   # a tlog-tiles export, verified first

Both give the signed note and the canonical bytes of entries 0..size-1 in order, so that the portal's
publication and a recomputation from a bundle read exactly the same thing.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from adaldyq.core.errors import InputError
from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Checkpoint, split_note
from adaldyq.ledger.merkle import CompactRange, hash_leaf
from adaldyq.ledger.sql import Cursor
from adaldyq.ledger.tiles import WIDTH, TilesSource, is_tiles, verify_tiles

__all__ = ["Prefix", "bundle_entries", "database_entries"]

_FETCH: Final = 5000


def database_entries(cursor: Cursor, size: int | None = None) -> tuple[str, Iterator[bytes]]:
    """The signed note of the tree of `size` entries (the newest signed without it) and its entries."""
    if size is None:
        note = sql.read_latest_checkpoint(cursor)
    else:
        sql.execute(cursor, "SELECT note FROM ledger_checkpoints WHERE size = %s", [size])
        row = cursor.fetchone()
        note = None if row is None else str(row[0])
    if note is None:
        raise InputError(
            "no signed checkpoint" + ("" if size is None else f" of size {size}")
            + ": sign one first (adaldyq ledger checkpoint)"
        )  # fmt: skip
    n = Checkpoint.parse(split_note(note)[0]).size
    return note, _rows(cursor, n)


def _rows(cursor: Cursor, size: int) -> Iterator[bytes]:
    sql.execute(cursor, "SELECT body FROM ledger_entries WHERE seq < %s ORDER BY seq", [size])
    while True:
        batch = cursor.fetchmany(_FETCH)  # type: ignore[attr-defined]
        if not batch:
            return
        for (body,) in batch:
            yield body if isinstance(body, bytes) else bytes(body)


class Prefix:
    """The first `size` entries of a verified tiles folder, hashed as they are read: `root()` after
    reading is the root of that tree, to compare with the checkpoint a publication names."""

    def __init__(self, source: TilesSource, size: int) -> None:
        self.source = source
        self.size = size
        self.range = CompactRange()

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, self.size, WIDTH):
            for body in self.source.bodies(start, min(start + WIDTH, self.size)):
                self.range.append(hash_leaf(body))
                yield body

    def root(self) -> str:
        """The base64 root of the entries read (all `size` of them once iterated)."""
        if self.range.size != self.size:
            raise InputError(f"read {self.range.size} entries of {self.size}")
        return base64.b64encode(self.range.root()).decode()


def bundle_entries(directory: Path) -> tuple[str, TilesSource]:
    """A tlog-tiles folder verified with its keys.txt (every entry against its tile, the tiles against
    the signed root: `ledger verify --bundle`); its signed note and the source to read entries from."""
    if not is_tiles(directory):
        raise InputError(f"{directory} is not a tlog-tiles folder (adaldyq ledger export DIR)")
    source = TilesSource(directory)
    keys = source.verifiers()
    if not keys:
        raise InputError(f"no keys.txt in {directory}: the log's public key is needed")
    verify_tiles(directory, keys)
    note = source.latest_checkpoint() or ""
    return note, source
