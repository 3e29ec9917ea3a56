"""Full verification: recompute every leaf hash, the whole tree and every checkpoint signature.

Works on any `VerifySource`: a database (through a cursor) or an exported bundle (no stored tree).
Entries are checked in aligned chunks of 2**16: each chunk's leaves and complete nodes are computed
in bulk and compared with what is stored; larger nodes are built from chunk roots. The report
names the first entry that does not match and what is wrong with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import orjson

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Verifier, open_note
from adaldyq.ledger.entry import KEY_CHANGED, tail_of
from adaldyq.ledger.errors import LedgerError
from adaldyq.ledger.keys import KeyHistory
from adaldyq.ledger.merkle import (
    EMPTY_ROOT,
    complete_levels,
    frontier_keys,
    hash_children,
    root_from_leaf_hashes,
)

__all__ = ["CHUNK_BITS", "Fault", "Report", "StoreSource", "VerifySource", "verify_source"]

CHUNK_BITS = 16
CHUNK = 1 << CHUNK_BITS

Row = tuple[int, str, str, bytes, bytes | None]


class VerifySource(Protocol):
    """What verification reads: a database or a bundle."""

    def size(self) -> int:
        """The size the source claims (the head)."""

    def counts(self) -> tuple[int, int, int]:
        """(entries stored, smallest seq, largest seq)."""

    def rows(self, start: int, stop: int) -> list[Row]:
        """(seq, subject, type, body, stored leaf hash or None) for start <= seq < stop."""

    def level(self, level: int, start: int, stop: int) -> list[tuple[int, bytes]] | None:
        """Stored nodes of a level in [start, stop), or None when the source stores no tree."""

    def node_counts(self) -> dict[int, int] | None:
        """Stored node count per level, or None when the source stores no tree."""

    def checkpoints(self) -> list[tuple[int, str]]:
        """(size, signed note) of every checkpoint."""


class StoreSource:
    """Verification input from a database cursor."""

    def __init__(self, cursor: sql.Cursor) -> None:
        self.cursor = cursor

    def size(self) -> int:
        """Head size."""
        return sql.read_size(self.cursor)

    def counts(self) -> tuple[int, int, int]:
        """Entry rows, min and max seq."""
        return sql.read_counts(self.cursor)

    def rows(self, start: int, stop: int) -> list[Row]:
        """Stored rows."""
        return list(sql.read_rows(self.cursor, start, stop))

    def level(self, level: int, start: int, stop: int) -> list[tuple[int, bytes]]:
        """Stored nodes."""
        return sql.read_level(self.cursor, level, start, stop)

    def node_counts(self) -> dict[int, int]:
        """Node counts per level."""
        return sql.read_node_counts(self.cursor)

    def checkpoints(self) -> list[tuple[int, str]]:
        """Stored checkpoints."""
        return sql.read_checkpoints(self.cursor)


@dataclass(frozen=True, slots=True)
class Fault:
    """What is wrong, and the first entry it concerns (None when no entry is to blame)."""

    seq: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.seq is None else f"entry {self.seq}: {self.message}"


@dataclass(slots=True)
class Report:
    """The outcome of a full verification."""

    size: int = 0
    entries_checked: int = 0
    checkpoints_checked: int = 0
    root: bytes = EMPTY_ROOT
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.faults

    @property
    def first(self) -> Fault | None:
        """The fault at the lowest sequence number (entry faults before others)."""
        if not self.faults:
            return None
        return min(self.faults, key=lambda f: (f.seq is None, f.seq or 0))


def _claimed_seq(body: bytes) -> int | None:
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    seq = obj.get("seq") if isinstance(obj, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def _check_rows(rows: list[Row], start: int, stop: int, faults: list[Fault]) -> list[bytes]:
    """Sequence, leaf hashes and indexed columns of one chunk; return the recomputed leaf hashes."""
    seqs = [row[0] for row in rows]
    if seqs != list(range(start, stop)):
        present = set(seqs)
        for seq in range(start, stop):
            if seq not in present:
                faults.append(Fault(seq, "missing: no entry with this sequence number"))
                break
        else:
            faults.append(Fault(start, "entries out of order"))
        return []
    sha256 = hashlib.sha256
    leaves = [sha256(b"\x00" + row[3]).digest() for row in rows]
    stored = [row[4] for row in rows]
    if stored[0] is not None and leaves != stored:
        for row, leaf in zip(rows, leaves, strict=True):
            if row[4] != leaf:
                faults.append(Fault(row[0], "body does not hash to the stored leaf hash"))
                break
    tails = [row[3].endswith(tail_of(row[0], row[1], row[2])) for row in rows]
    if not all(tails):
        row = rows[tails.index(False)]
        claimed = _claimed_seq(row[3])
        if claimed is None:
            faults.append(Fault(row[0], "body is not a ledger entry"))
        elif claimed != row[0]:
            first = min(claimed, row[0])
            faults.append(
                Fault(first, f"row {row[0]} holds the entry of seq {claimed} (moved or reordered)")
            )
        else:
            faults.append(Fault(row[0], "subject or type column does not match the body"))
    return leaves


def _compare_level(
    source: VerifySource, level: int, offset: int, computed: list[bytes], faults: list[Fault]
) -> None:
    stored = source.level(level, offset, offset + len(computed))
    if stored is None:
        return
    expected = list(enumerate(computed, offset))
    if stored == expected:
        return
    have = dict(stored)
    for index, digest in expected:
        if have.get(index) != digest:
            first, last = index << level, ((index + 1) << level) - 1
            state = "missing" if index not in have else "does not match the entries"
            faults.append(Fault(first, f"tree node ({level}, {index}) over entries {first}..{last} {state}"))
            return


class _Tree:
    """Complete nodes known during the scan: the current chunk's levels and the chunk roots."""

    def __init__(self) -> None:
        self.chunk_roots: list[bytes] = []
        self.start = 0
        self.levels: list[list[bytes]] = []

    def node(self, level: int, index: int) -> bytes:
        if level >= CHUNK_BITS:
            width = 1 << (level - CHUNK_BITS)
            first = index * width
            return root_from_leaf_hashes(self.chunk_roots[first : first + width])
        return self.levels[level][index - (self.start >> level)]

    def root(self, size: int) -> bytes:
        if size == 0:
            return EMPTY_ROOT
        hashes = [self.node(level, index) for level, index in frontier_keys(size)]
        root = hashes[-1]
        for left in reversed(hashes[:-1]):
            root = hash_children(left, root)
        return root


def verify_source(
    source: VerifySource,
    trust_root: Verifier | None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check everything the source holds; stop at the first chunk with a fault."""
    size = source.size()
    report = Report(size=size)
    faults = report.faults
    count, _low, high = source.counts()
    checkpoints = source.checkpoints()
    history = KeyHistory(trust_root) if trust_root is not None else None
    if checkpoints and history is None:
        faults.append(Fault(None, "no public key to check the checkpoint signatures with"))
        return report
    beyond = [(s, note) for s, note in checkpoints if s > size]
    if high >= size:
        faults.append(Fault(size, f"entries {size}..{high} lie beyond the head of {size} entries"))
    if count < size and high < size - 1:
        faults.append(
            Fault(max(high + 1, 0), f"missing: the head says {size} entries, the last is {high}")
        )
    pending = sorted((s, note) for s, note in checkpoints if s <= size)
    tree = _Tree()
    for start in range(0, size, CHUNK):
        if faults:
            break
        stop = min(start + CHUNK, size)
        rows = source.rows(start, stop)
        leaves = _check_rows(rows, start, stop, faults)
        if faults:  # node and checkpoint faults would only echo a row fault
            break
        for row in rows:
            if row[2] == KEY_CHANGED and history is not None:
                try:
                    history.apply(row[0], orjson.loads(row[3])["payload"])
                except (LedgerError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
                    faults.append(Fault(row[0], f"key change does not verify: {exc}"))
        levels = complete_levels(leaves)
        tree.start, tree.levels = start, levels
        for level in range(1, len(levels)):  # lowest level first: the narrowest range
            _compare_level(source, level, start >> level, levels[level], faults)
            if faults:
                break
        if stop - start == CHUNK:
            tree.chunk_roots.append(levels[CHUNK_BITS][0])
        while pending and pending[0][0] <= stop:
            cp_size, note = pending.pop(0)
            _check_checkpoint(cp_size, note, tree.root(cp_size), history, report, faults)
        report.entries_checked = stop
        if progress is not None:
            progress(stop - start)
    for cp_size, note in pending if not faults and size == 0 else ():
        _check_checkpoint(cp_size, note, EMPTY_ROOT, history, report, faults)
    if faults:
        return report
    upper = complete_levels(tree.chunk_roots) if tree.chunk_roots else []
    for offset, computed in enumerate(upper[1:], 1):
        _compare_level(source, CHUNK_BITS + offset, 0, computed, faults)
        if faults:
            return report
    stored_counts = source.node_counts()
    if stored_counts is not None:
        for level, stored_count in sorted(stored_counts.items()):
            expected = size >> level if level >= 1 else 0
            if stored_count > expected:
                faults.append(
                    Fault(None, f"{stored_count - expected} extra tree nodes at level {level}")
                )
    for cp_size, _note in beyond:
        faults.append(
            Fault(
                size,
                f"missing: a checkpoint is signed for {cp_size} entries, the log has only {size}",
            )
        )
    report.root = tree.root(size) if size else EMPTY_ROOT
    return report


def _check_checkpoint(
    size: int,
    note: str,
    root: bytes,
    history: KeyHistory | None,
    report: Report,
    faults: list[Fault],
) -> None:
    assert history is not None  # noqa: S101 - checked before the scan
    key = history.key_at(size)
    try:
        checkpoint, _ = open_note(note, [key])
    except LedgerError as exc:
        faults.append(Fault(None, f"checkpoint of size {size}: {exc}"))
        return
    if checkpoint.size != size:
        faults.append(Fault(None, f"checkpoint stored under size {size} is for {checkpoint.size}"))
    elif checkpoint.root != root:
        faults.append(
            Fault(
                None,
                f"checkpoint of size {size} signs a root the entries 0..{size - 1} do not have: "
                "entries before it were changed after it was signed",
            )
        )
    report.checkpoints_checked += 1


def iter_chunks(size: int) -> Iterable[tuple[int, int]]:
    """The aligned chunks verification walks."""
    for start in range(0, size, CHUNK):
        yield start, min(start + CHUNK, size)
