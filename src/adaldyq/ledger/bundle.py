"""Export bundles: everything an outside body needs to check the ledger with no database.

A bundle is a folder:

    bundle.json        {"format": "adaldyq-ledger-bundle/1", "size": N, "origin": ...}
    entries.jsonl      the canonical bytes of entry 0, 1, ... N-1, one a line
    checkpoints.jsonl  {"size": n, "note": "<signed note>"} one a line, smallest first
    keys.txt           the ledger's verifier keys, oldest (the trust root) first
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Verifier
from adaldyq.ledger.errors import StoreError
from adaldyq.ledger.merkle import complete_levels, consistency_path, hash_leaf
from adaldyq.ledger.verify import Row

__all__ = ["FORMAT", "Bundle", "export_bundle"]

FORMAT = "adaldyq-ledger-bundle/1"
_EXPORT_CHUNK = 50_000


def export_bundle(
    cursor: sql.Cursor,
    directory: Path,
    verifiers: list[Verifier],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the bundle of everything in the ledger; return the number of entries."""
    directory.mkdir(parents=True, exist_ok=True)
    size = sql.read_size(cursor)
    checkpoints = [(s, note) for s, note in sql.read_checkpoints(cursor) if s <= size]
    with (directory / "entries.jsonl").open("wb") as out:
        for start in range(0, size, _EXPORT_CHUNK):
            rows = sql.read_rows(cursor, start, min(size, start + _EXPORT_CHUNK))
            out.write(b"".join(row[3] + b"\n" for row in rows))
            if progress is not None:
                progress(len(rows))
        out.flush()
        os.fsync(out.fileno())
    with (directory / "checkpoints.jsonl").open("wb") as out:
        out.write(b"".join(orjson.dumps({"size": s, "note": n}) + b"\n" for s, n in checkpoints))
    (directory / "keys.txt").write_text("".join(v.encode() + "\n" for v in verifiers))
    origin = verifiers[0].name if verifiers else None
    meta = {"format": FORMAT, "size": size, "origin": origin}
    (directory / "bundle.json").write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2))
    return size


class Bundle:
    """A bundle on disk, read as a verification source and as a witness's log source."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        meta_path = directory / "bundle.json"
        if not meta_path.exists():
            raise StoreError(f"{directory} is not a ledger bundle (no bundle.json)")
        self.meta: dict[str, Any] = orjson.loads(meta_path.read_bytes())
        if self.meta.get("format") != FORMAT:
            raise StoreError(f"{directory}: unknown bundle format {self.meta.get('format')!r}")
        self._file: BinaryIO | None = None
        self._next = 0
        self._count: int | None = None

    def close(self) -> None:
        """Close the entries file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def verifiers(self) -> list[Verifier]:
        """The keys shipped in the bundle, oldest first."""
        text = (self.directory / "keys.txt").read_text()
        return [Verifier.decode(line) for line in text.splitlines() if line.strip()]

    def _line_count(self) -> int:
        if self._count is None:
            with (self.directory / "entries.jsonl").open("rb") as lines:
                self._count = sum(1 for _ in lines)
        return self._count

    def size(self) -> int:
        """Entries in the bundle (its lines)."""
        return self._line_count()

    def counts(self) -> tuple[int, int, int]:
        """Lines are numbered from 0: (lines, 0, lines - 1)."""
        n = self._line_count()
        return n, 0 if n else -1, n - 1

    def bodies(self, start: int, stop: int) -> list[bytes]:
        """Entry bodies start..stop-1 (fastest when read in order)."""
        if self._file is None or start < self._next:
            self.close()
            self._file = (self.directory / "entries.jsonl").open("rb")
            self._next = 0
        while self._next < start:
            if not self._file.readline():
                break
            self._next += 1
        bodies = []
        for _ in range(stop - start):
            line = self._file.readline()
            if not line:
                break
            bodies.append(line.rstrip(b"\n"))
        self._next = start + len(bodies)
        return bodies

    def rows(self, start: int, stop: int) -> list[Row]:
        """Rows with subject and type read from each body; no stored hashes."""
        rows: list[Row] = []
        for seq, body in enumerate(self.bodies(start, stop), start):
            try:
                obj = orjson.loads(body)
                subject, type_ = str(obj["subject"]), str(obj["type"])
            except (orjson.JSONDecodeError, KeyError, TypeError):
                subject, type_ = "", ""
            rows.append((seq, subject, type_, body, None))
        return rows

    def level(self, level: int, start: int, stop: int) -> None:
        """A bundle stores no tree."""
        return None

    def node_counts(self) -> None:
        """A bundle stores no tree."""
        return None

    def checkpoints(self) -> list[tuple[int, str]]:
        """Checkpoints in the bundle."""
        path = self.directory / "checkpoints.jsonl"
        if not path.exists():
            return []
        items = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
        return [(int(item["size"]), str(item["note"])) for item in items]

    def latest_checkpoint(self) -> str | None:
        """The checkpoint of the largest size."""
        checkpoints = self.checkpoints()
        return max(checkpoints)[1] if checkpoints else None

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """Computed from the bundle's entries (O(n): a bundle stores no tree)."""
        leaves = [hash_leaf(body) for body in self.bodies(0, new_size)]
        levels = complete_levels(leaves)
        return consistency_path(old_size, new_size, lambda lv, i: levels[lv][i])
