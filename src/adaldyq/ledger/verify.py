"""Full verification: recompute every leaf hash, the whole tree and every checkpoint signature.

Works on any `VerifySource`: a database (through a cursor) or an exported bundle (no stored tree).
Entries are checked in aligned chunks of 2**16: each chunk's leaves and complete nodes are computed
in bulk, and those the store keeps (the hashes of tree levels 0, 8, 16, ...: its tiles, ADR 0046)
are compared with what is stored; larger nodes are built from chunk roots. The report names the
first entry that does not match and what is wrong with it.

A `StoreSource` given the database URL checks its chunks in worker processes (one per core), each
on its own read connection; the parent takes their results in chunk order, so the report is the
one a single process would give. Chunks are aligned to 2**16 leaves, so a chunk's root is a
complete RFC 9162 subtree and the parent builds the levels above from the chunk roots alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from adaldyq.ledger import hashing, sql
from adaldyq.ledger._gc import paused_gc
from adaldyq.ledger.checkpoint import Verifier, open_note
from adaldyq.ledger.entry import KEY_CHANGED, tail_of
from adaldyq.ledger.errors import LedgerError
from adaldyq.ledger.keys import KeyHistory
from adaldyq.ledger.merkle import (
    EMPTY_ROOT,
    NodeKey,
    complete_levels,
    frontier_keys,
    hash_children,
    root_from_leaf_hashes,
)
from adaldyq.ledger.tree import HEIGHT, WIDTH

__all__ = ["CHUNK_BITS", "Fault", "Report", "StoreSource", "VerifySource", "verify_source"]

CHUNK_BITS = 16
CHUNK = 1 << CHUNK_BITS
PARALLEL_FROM = 4 * CHUNK
"""Below this many entries a single process is quicker than starting workers."""

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
    """Verification input from a database cursor.

    With `url` (the database the cursor reads), `verify_source` checks chunks in `workers`
    processes (default: one per core), each reading committed data on its own connection; without
    it, everything is read through the cursor (and so sees the cursor's own uncommitted writes).
    """

    def __init__(
        self, cursor: sql.Cursor, url: str | None = None, workers: int | None = None
    ) -> None:
        self.cursor = cursor
        self.url = url
        self.workers = workers if workers is not None else (os.cpu_count() or 1)

    def columns(self, start: int, stop: int) -> sql.Columns | None:
        """(subjects, types, bodies, hashes) of seq start..stop-1, or None if any is missing."""
        return sql.read_columns(self.cursor, start, stop)

    def chunk(self, start: int, stop: int) -> sql.JoinedChunk | None:
        """The quick read of a chunk (SQLite): its columns joined inside SQLite, or None."""
        return sql.read_chunk(self.cursor, start, stop)

    def level_blob(self, level: int, start: int, stop: int) -> bytes | None:
        """The quick read of a tree level's stored hashes (from its tiles), joined."""
        return sql.read_level_blob(self.cursor, level, start, stop)

    def level_hashes(self, level: int, start: int, stop: int) -> list[bytes]:
        """Stored hashes of a level's nodes in [start, stop), in index order."""
        return sql.read_level_hashes(self.cursor, level, start, stop)

    def extra_nodes(self, size: int) -> dict[int, int]:
        """Hashes stored outside the tree of `size` leaves, by tree level (no scan of the tiles)."""
        return sql.read_extra_node_counts(self.cursor, size)

    def size(self) -> int:
        """Head size."""
        return sql.read_size(self.cursor)

    def counts(self) -> tuple[int, int, int]:
        """Entry rows, min and max seq."""
        return sql.read_counts(self.cursor)

    def seq_bounds(self) -> tuple[int, int]:
        """Min and max seq, without counting the rows (a scan)."""
        return sql.read_seq_bounds(self.cursor)

    def rows(self, start: int, stop: int) -> list[Row]:
        """Stored rows."""
        return list(sql.read_rows(self.cursor, start, stop))

    def level(self, level: int, start: int, stop: int) -> list[tuple[int, bytes]]:
        """Stored hashes of a tree level (a tile level: a multiple of 8), from the tiles."""
        return sql.read_level(self.cursor, level, start, stop)

    def node_counts(self) -> dict[int, int]:
        """Stored hashes per tree level."""
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


def _tail_fault(seq: int, body: bytes) -> Fault:
    claimed = _claimed_seq(body)
    if claimed is None:
        return Fault(seq, "body is not a ledger entry")
    if claimed != seq:
        return Fault(
            min(claimed, seq), f"row {seq} holds the entry of seq {claimed} (moved or reordered)"
        )
    return Fault(seq, "subject or type column does not match the body")


_TAIL = b',"seq":%d,"subject":%s,"type":%s,"v":1}'
"""What every canonical body ends with, given its seq, subject and type (sorted keys)."""


def _all_tails_match(
    start: int, subjects: list[Any], types: list[Any], bodies: list[bytes]
) -> bool:
    """Whether every body ends with its tail: one pass of C-level maps, no list of results."""
    dumps = orjson.dumps
    seqs = range(start, start + len(bodies))
    tails = map(_TAIL.__mod__, zip(seqs, map(dumps, subjects), map(dumps, types), strict=True))
    try:
        return all(map(bytes.endswith, bodies, tails))
    except TypeError:  # a column holds something that is not text (or a body that is not bytes)
        return False


def _tails_match(
    start: int, subjects: list[Any], types: list[Any], bodies: list[bytes]
) -> list[bool]:
    """Whether each body ends with the tail its seq, subject and type columns imply."""
    dumps = orjson.dumps
    try:
        return [
            body.endswith(b',"seq":%d,"subject":%s,"type":%s,"v":1}' % (seq, dumps(s), dumps(t)))
            for seq, body, s, t in zip(
                range(start, start + len(bodies)), bodies, subjects, types, strict=True
            )
        ]
    except TypeError:  # a column holds something that is not text: check row by row
        result = []
        for seq, body, s, t in zip(
            range(start, start + len(bodies)), bodies, subjects, types, strict=True
        ):
            try:
                result.append(body.endswith(tail_of(seq, s, t)))
            except TypeError:
                result.append(False)
        return result


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
    return _check_columns(
        start,
        [row[1] for row in rows],
        [row[2] for row in rows],
        [row[3] for row in rows],
        [row[4] for row in rows],
        faults,
    )


def _check_columns(
    start: int,
    subjects: list[Any],
    types: list[Any],
    bodies: list[bytes],
    stored: list[bytes | None],
    faults: list[Fault],
) -> list[bytes]:
    """Leaf hashes and indexed columns of rows start, start+1, ...; return the leaf hashes."""
    joined = hashing.leaf_hashes(bodies)
    leaves = [joined[i : i + 32] for i in range(0, len(joined), 32)]
    if stored and stored[0] is not None and leaves != stored:
        for seq, digest, leaf in zip(
            range(start, start + len(leaves)), stored, leaves, strict=True
        ):
            if digest != leaf:
                faults.append(Fault(seq, "body does not hash to the stored leaf hash"))
                break
    if not _all_tails_match(start, subjects, types, bodies):
        tails = _tails_match(start, subjects, types, bodies)
        at = tails.index(False)
        faults.append(_tail_fault(start + at, bodies[at]))
    return leaves


def _compare_level(
    source: VerifySource, level: int, offset: int, joined: bytes, faults: list[Fault]
) -> None:
    """Compare a level's computed nodes (joined hashes) with the stored ones from index `offset`."""
    count = len(joined) // 32
    quick_blob = getattr(source, "level_blob", None)
    if quick_blob is not None and quick_blob(level, offset, offset + count) == joined:
        return
    computed = [joined[i : i + 32] for i in range(0, len(joined), 32)]
    quick = getattr(source, "level_hashes", None)
    if quick is not None and quick(level, offset, offset + len(computed)) == computed:
        return
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
            state = "is missing" if index not in have else "does not match the entries"
            where = f"tile {level // HEIGHT}/{index // WIDTH}"
            if level == 0:
                faults.append(Fault(first, f"its leaf hash in {where} {state}"))
            else:
                faults.append(
                    Fault(
                        first,
                        f"tree node ({level}, {index}) over entries {first}..{last} in {where} "
                        f"{state}",
                    )
                )
            return
    extra = len(stored) - len(expected)
    faults.append(Fault(None, f"{extra} extra hashes at tree level {level} among the entries'"))


@dataclass(slots=True)
class _Chunk:
    """What checking one chunk found: row faults end the scan; the rest feeds the parent."""

    start: int
    stop: int
    row_faults: list[Fault] = field(default_factory=list)
    node_faults: list[tuple[int, Fault]] = field(default_factory=list)  # (level, fault)
    key_changes: list[tuple[int, bytes]] = field(default_factory=list)
    root: bytes | None = None  # of a full chunk
    frontier: dict[NodeKey, bytes] = field(default_factory=dict)  # for checkpoints in the chunk


BLOCK = 4096
"""Rows a quick read takes at once: smaller blocks stay in the processor's caches, and 4,096 rows
verified fastest (ADR 0004 has the figures)."""


def _claimed_leaves(
    quick: Callable[[int, int], sql.JoinedChunk | None], start: int, stop: int
) -> tuple[bytes, list[tuple[int, bytes]]] | None:
    """The quick read of rows start..stop-1 checked in full: (leaf hashes, key changes), or None.

    None unless, block by block, every body hashes to its stored leaf hash and ends with the tail
    its seq, subject and type make: then the slow read names what is wrong.
    """
    leaves: list[bytes] = []
    key_changes: list[tuple[int, bytes]] = []
    for low in range(start, stop, BLOCK):
        claim = quick(low, min(low + BLOCK, stop))
        if claim is None:
            return None
        try:
            joined = hashing.leaf_hashes_joined(claim.bodies, claim.lengths)
            if joined != claim.hashes or not hashing.tails_match(
                low, claim.bodies, claim.lengths, claim.subjects, claim.types
            ):
                return None
        except (TypeError, ValueError):  # lengths that do not cut the blob into the bodies
            return None
        leaves.append(joined)
        if f'"{KEY_CHANGED}"' in claim.types:  # the list of types only when there is one
            bodies = hashing.split(claim.bodies, claim.lengths)
            types = orjson.loads(claim.types)
            key_changes += [(low + i, bodies[i]) for i, t in enumerate(types) if t == KEY_CHANGED]
    return b"".join(leaves), key_changes


def _check_chunk(
    source: VerifySource, start: int, stop: int, cp_sizes: list[int], bits: int | None = None
) -> _Chunk:
    """Rows, leaf hashes and every complete node inside one aligned chunk of 2**bits entries.

    `bits` travels with the task: a worker started by a fork server has its own module globals.
    """
    bits = CHUNK_BITS if bits is None else bits
    chunk = _Chunk(start, stop)
    faults = chunk.row_faults
    quick = getattr(source, "chunk", None)
    claimed = _claimed_leaves(quick, start, stop) if quick is not None else None
    if claimed is not None:  # all fine; otherwise read again below to name the fault
        leaves, key_changes = claimed
    else:
        columns = getattr(source, "columns", None)
        got = columns(start, stop) if columns is not None else None
        if got is not None:
            subjects, types, bodies, stored = got
            leaf_list = _check_columns(start, subjects, types, bodies, stored, faults)
        else:
            rows = source.rows(start, stop)
            leaf_list = _check_rows(rows, start, stop, faults)
            types, bodies = [row[2] for row in rows], [row[3] for row in rows]
        leaves = b"".join(leaf_list)
        key_changes = [
            (start + i, bodies[i]) for i, type_ in enumerate(types) if type_ == KEY_CHANGED
        ]
    if faults:  # node and checkpoint faults would only echo a row fault
        return chunk
    chunk.key_changes = key_changes
    levels = [leaves]  # each level's complete nodes, joined
    while len(levels[-1]) > 32:
        levels.append(hashing.node_level(levels[-1]))
    # the levels the store keeps (tiles) below the chunk's root, lowest first; the parent compares
    # the levels from the chunk roots up
    for level in range(0, min(len(levels), bits), HEIGHT):
        found: list[Fault] = []
        _compare_level(source, level, start >> level, levels[level], found)
        if found:
            chunk.node_faults.append((level, found[0]))
            break
    if stop - start == 1 << bits:
        chunk.root = levels[bits]
    for cp_size in cp_sizes:
        if start < cp_size <= stop:
            for level, index in frontier_keys(cp_size):
                if level < bits:
                    at = 32 * (index - (start >> level))
                    chunk.frontier[(level, index)] = levels[level][at : at + 32]
    return chunk


class _Tree:
    """Complete nodes known during the scan: the chunk roots, and the current chunk's frontier."""

    def __init__(self) -> None:
        self.chunk_roots: list[bytes] = []
        self.frontier: dict[NodeKey, bytes] = {}

    def node(self, level: int, index: int) -> bytes:
        if level >= CHUNK_BITS:
            width = 1 << (level - CHUNK_BITS)
            first = index * width
            return root_from_leaf_hashes(self.chunk_roots[first : first + width])
        return self.frontier[(level, index)]

    def root(self, size: int) -> bytes:
        if size == 0:
            return EMPTY_ROOT
        hashes = [self.node(level, index) for level, index in frontier_keys(size)]
        root = hashes[-1]
        for left in reversed(hashes[:-1]):
            root = hash_children(left, root)
        return root


_worker_source: StoreSource | None = None


def _worker_open(url: str) -> None:
    """Pool initializer: a read connection of the worker's own."""
    global _worker_source  # one source per worker process
    gc.disable()  # the worker only checks chunks: no reference cycles to collect
    from adaldyq.ledger.store import connect_reader

    _worker_source = StoreSource(connect_reader(url).cursor())


def _worker_chunk(task: tuple[int, int, list[int], int]) -> _Chunk:
    assert _worker_source is not None  # noqa: S101 - set by the initializer
    start, stop, cp_sizes, bits = task
    return _check_chunk(_worker_source, start, stop, cp_sizes, bits)


def _chunks(source: VerifySource, size: int, cp_sizes: list[int]) -> Iterator[_Chunk]:
    """Every chunk's result in order: from worker processes when the source allows it."""
    url = getattr(source, "url", None)
    workers = min(getattr(source, "workers", 1), -(-size // CHUNK))
    if url is None or workers < 2 or size < PARALLEL_FROM:
        for start in range(0, size, CHUNK):
            yield _check_chunk(source, start, min(start + CHUNK, size), cp_sizes)
        return
    tasks = [
        (start, min(start + CHUNK, size), cp_sizes, CHUNK_BITS) for start in range(0, size, CHUNK)
    ]
    # fork starts at once and needs no importable __main__; with other threads running it could
    # copy a held lock, so then use a fork server.
    single = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if single else "forkserver")
    # Not multiprocessing.Pool: leaving it early terminates workers that may be sending a result,
    # and one killed while holding the result queue's lock left the parent waiting for it
    # (seen under load). The executor cancels the chunks not started and lets running ones end.
    executor = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_open, initargs=(url,)
    )
    try:
        yield from executor.map(_worker_chunk, tasks)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def verify_source(
    source: VerifySource,
    trust_root: Verifier | None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check everything the source holds; stop at the first chunk with a fault."""
    with paused_gc():
        return _verify(source, trust_root, progress)


def _verify(
    source: VerifySource, trust_root: Verifier | None, progress: Callable[[int], None] | None
) -> Report:
    size = source.size()
    report = Report(size=size)
    faults = report.faults
    seq_bounds = getattr(source, "seq_bounds", None)
    if (
        seq_bounds is not None
    ):  # the count (a scan of every row) matters only when entries are missing
        _low, high = seq_bounds()
        count = source.counts()[0] if high < size - 1 else size
    else:
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
    wanted = [s for s, _ in pending] + [size]  # sizes whose roots are needed
    results = _chunks(source, size, wanted) if not faults else iter(())
    try:
        for chunk in results:
            if chunk.row_faults:
                faults.extend(chunk.row_faults)
                break
            key_fault = False
            for seq, body in chunk.key_changes:
                if history is None:
                    continue
                try:
                    history.apply(seq, orjson.loads(body)["payload"])
                except (LedgerError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
                    faults.append(Fault(seq, f"key change does not verify: {exc}"))
                    key_fault = True
            for level, fault in chunk.node_faults:
                if not key_fault or level == 1:  # after a key fault, one level was compared
                    faults.append(fault)
            if chunk.root is not None:
                tree.chunk_roots.append(chunk.root)
            tree.frontier = chunk.frontier
            while pending and pending[0][0] <= chunk.stop:
                cp_size, note = pending.pop(0)
                _check_checkpoint(cp_size, note, tree.root(cp_size), history, report, faults)
            report.entries_checked = chunk.stop
            if progress is not None:
                progress(chunk.stop - chunk.start)
            if faults:
                break
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    for cp_size, note in pending if not faults and size == 0 else ():
        _check_checkpoint(cp_size, note, EMPTY_ROOT, history, report, faults)
    if faults:
        return report
    upper = complete_levels(tree.chunk_roots) if tree.chunk_roots else []
    for offset, computed in enumerate(upper):
        if (CHUNK_BITS + offset) % HEIGHT == 0:  # a tile level
            _compare_level(source, CHUNK_BITS + offset, 0, b"".join(computed), faults)
        if faults:
            return report
    extra_nodes = getattr(source, "extra_nodes", None)
    if extra_nodes is not None:
        for level, extra in sorted(extra_nodes(size).items()):
            faults.append(Fault(None, f"{extra} extra hashes at tree level {level} in the tiles"))
    else:
        stored_counts = source.node_counts()
        if stored_counts is not None:
            for level, stored_count in sorted(stored_counts.items()):
                expected = size >> level
                if stored_count > expected:
                    faults.append(
                        Fault(None, f"{stored_count - expected} extra hashes at tree level {level}")
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
