"""A ledger on a connection it owns (SQLite file in WAL mode, or PostgreSQL), and group commit.

`Ledger.open(url)` takes `sqlite:///PATH`, `sqlite:///:memory:` or `postgresql://...`. Each append
runs in its own transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: the head-row lock) and returns
after the commit, that is after SQLite's WAL fsync (synchronous=FULL) or PostgreSQL's WAL flush.
`GroupCommitWriter` queues appends from many threads and commits each queued batch at once, so
concurrent requests share one fsync.
"""

from __future__ import annotations

import contextlib
import queue
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adaldyq.ledger import sql
from adaldyq.ledger._gc import paused_gc
from adaldyq.ledger.checkpoint import Checkpoint, Signer, sign_note
from adaldyq.ledger.entry import Draft, Entry, utc_timestamp
from adaldyq.ledger.errors import StoreError
from adaldyq.ledger.merkle import hash_leaf
from adaldyq.ledger.proofs import ConsistencyProof, InclusionProof

__all__ = ["GroupCommitWriter", "Ledger", "connect_reader"]


def _shown(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def _connect_sqlite(path: str) -> sqlite3.Connection:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=120, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # WAL + FULL: each commit is fsynced before it returns
    conn.execute("PRAGMA busy_timeout=120000")
    conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: large import batches stay in memory
    return conn


def connect_reader(url: str) -> Any:
    """A connection for reads only (verification workers): SQLite read-only, PostgreSQL autocommit."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        conn = sqlite3.connect(
            Path(path).resolve().as_uri() + "?mode=ro",
            uri=True,
            isolation_level=None,
            timeout=120,
            check_same_thread=False,
        )
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA mmap_size=1073741824")  # read pages in place, without copies
        return conn
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _refuse_beyond(held: int, size: int) -> None:
    """A proof of a tree larger than the ledger holds is refused."""
    if size > held:
        raise StoreError(f"the ledger has {held} entries, not {size}")


class Ledger:
    """The ledger in one database, through a connection this object owns."""

    def __init__(self, connection: Any, dialect: sql.Dialect, url: str | None = None) -> None:
        self.connection = connection
        self.dialect: sql.Dialect = dialect
        self.url = url

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Ledger:
        """Connect to `url`; create the tables when `create` (idempotent).

        Without `create`, a database that holds no ledger is a StoreError (a SQLite file that does
        not exist is not made).
        """
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            if not create and path != ":memory:" and not Path(path).is_file():
                raise StoreError(f"no ledger at {path}: the file does not exist")
            ledger = cls(_connect_sqlite(path), "sqlite", url)
        elif url.startswith(("postgresql://", "postgres://")):
            import psycopg

            try:
                conn = psycopg.connect(url, autocommit=True)
            except psycopg.OperationalError as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot connect"
                raise StoreError(f"cannot connect to PostgreSQL: {first}") from None
            ledger = cls(conn, "postgresql", url)
        else:
            raise StoreError(
                f"DATABASE_URL must be sqlite:///PATH or postgresql://..., not {url!r}"
            )
        if create:
            with ledger.transaction() as cursor:
                sql.ensure_schema(cursor, ledger.dialect)
        elif not ledger._has_schema():
            ledger.close()
            raise StoreError(f"no ledger in {_shown(url)}: its tables do not exist")
        return ledger

    def _has_schema(self) -> bool:
        cursor = self.connection.cursor()
        try:
            return sql.table_exists(cursor, "ledger_entries", self.dialect)
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[Any]:
        """A write transaction (the ledger's write lock is taken on first append); commit on exit."""
        return self._cursor("BEGIN IMMEDIATE")

    def reading(self) -> contextlib.AbstractContextManager[Any]:
        """A cursor for reads (one snapshot on SQLite)."""
        return self._cursor("BEGIN")

    @contextlib.contextmanager
    def _cursor(self, begin: str) -> Iterator[Any]:
        """A cursor in one transaction, begun on SQLite with `begin`: committed on exit, rolled
        back when the block raises."""
        if self.dialect != "sqlite":
            with self.connection.transaction(), self.connection.cursor() as cursor:
                yield cursor
            return
        cursor = self.connection.cursor()
        cursor.execute(begin)
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def append(self, draft: Draft, *, now: datetime | None = None) -> Entry:
        """Append one entry; return it once it is durable."""
        return self.append_many([draft], now=now)[0]

    def append_many(self, drafts: Sequence[Draft], *, now: datetime | None = None) -> list[Entry]:
        """Append entries in one transaction; return them once they are durable."""
        with self.transaction() as cursor:
            return sql.append_entries(cursor, drafts, now=now)

    @contextlib.contextmanager
    def bulk(self) -> Iterator[Callable[[Sequence[Draft]], tuple[int, int]]]:
        """A bulk import: `add(drafts)` appends a batch in its own transaction -> (first seq, count).

        The batches commit without waiting for the disk (SQLite WAL: synchronous=NORMAL;
        PostgreSQL: synchronous_commit off), and the phase ends with one durable commit, whose
        flush of the log covers every batch before it: the whole import is durable when this
        block exits normally. A crash inside the block loses a suffix of the batches, never
        leaves a gap or a torn tree (each batch is one transaction). Into an empty ledger the
        subject and type indexes are dropped for the import and built once at the end
        (`ensure_schema` rebuilds them should the import die first). Python's cyclic garbage collector is paused
        inside the block.

        On SQLite a writer thread stores each batch while `add` computes the next one: `add`
        returns once the writer holds the write lock for its batch at the sequence numbers it
        returns; the batch commits in the background, and an error in storing it is raised by
        the next `add` or when the block ends.
        """
        if self.dialect == "sqlite":
            with self._sqlite_bulk() as add:
                yield add
            return
        deferred = False

        def add_batch(drafts: Sequence[Draft]) -> tuple[int, int]:
            nonlocal deferred
            with self.transaction() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                if not deferred and sql.read_size(cursor) == 0 and drafts:
                    for statement in sql.DROP_INDEXES:
                        cursor.execute(statement)
                    deferred = True
                return sql.append_batch(cursor, drafts)

        try:
            with paused_gc():
                yield add_batch
        finally:
            with self.transaction() as cursor:  # the one durable commit (synchronous)
                if deferred:
                    for statement in sql.CREATE_INDEXES:
                        cursor.execute(statement)
                cursor.execute("UPDATE ledger_head SET size = size WHERE id = 1")

    @contextlib.contextmanager
    def _sqlite_bulk(self) -> Iterator[Callable[[Sequence[Draft]], tuple[int, int]]]:
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute("PRAGMA cache_size=-262144")  # 256 MiB for the import
        path = self.url.removeprefix("sqlite:///") if self.url else ":memory:"
        checkpointer = _Checkpointer(path) if path != ":memory:" else None
        if checkpointer is not None:  # the checkpointer thread copies the WAL into the database
            self.connection.execute("PRAGMA wal_autocheckpoint=0")
        writer = _BulkWriter(self, checkpointer)
        try:
            with paused_gc():
                yield writer.add
        finally:
            try:
                writer.close()
            finally:
                if checkpointer is not None:
                    checkpointer.close()
                    self.connection.execute("PRAGMA wal_autocheckpoint=1000")  # SQLite's default
                self.connection.execute("PRAGMA synchronous=FULL")
                self.connection.execute("PRAGMA cache_size=-65536")
                with self.transaction() as cursor:  # the one durable commit (WAL fsync, FULL)
                    if writer.deferred:
                        for statement in sql.CREATE_INDEXES:
                            cursor.execute(statement)
                    cursor.execute("UPDATE ledger_head SET size = size WHERE id = 1")
            if writer.error is not None and not writer.raised:
                raise writer.error

    def size(self) -> int:
        """Number of entries."""
        with self.reading() as cursor:
            return sql.read_size(cursor)

    def root(self, size: int | None = None) -> bytes:
        """Root hash of the tree of `size` entries (default: all)."""
        with self.reading() as cursor:
            return sql.read_root(cursor, size)

    def entry(self, seq: int) -> Entry:
        """One entry."""
        with self.reading() as cursor:
            return sql.read_entry(cursor, seq)

    def entries(self, start: int = 0, stop: int | None = None) -> list[Entry]:
        """Entries start <= seq < stop."""
        with self.reading() as cursor:
            return sql.read_entries(cursor, start, stop)

    def entries_by_subject(self, subject: str) -> list[Entry]:
        """Every entry about one subject."""
        with self.reading() as cursor:
            return sql.read_entries_by_subject(cursor, subject)

    def inclusion_proof(self, seq: int, size: int | None = None) -> InclusionProof:
        """Proof that entry `seq` is in the tree of `size` entries (default: all)."""
        with self.reading() as cursor:
            held = sql.read_size(cursor)
            size = held if size is None else size
            if not 0 <= seq < size:
                raise StoreError(f"entry {seq} is not in a tree of {size} entries")
            _refuse_beyond(held, size)
            path, root = sql.read_inclusion_with_root(cursor, seq, size)
            leaf = hash_leaf(sql.read_entry(cursor, seq).body)
        return InclusionProof(seq, size, leaf, tuple(path), root)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        """Proof that the tree of `old_size` entries is a prefix of the tree of `new_size`."""
        with self.reading() as cursor:
            held = sql.read_size(cursor)
            new_size = held if new_size is None else new_size
            if not 0 <= old_size <= new_size:
                raise StoreError(f"no consistency proof from size {old_size} to size {new_size}")
            _refuse_beyond(held, new_size)
            path, old_root, new_root = sql.read_consistency_with_roots(cursor, old_size, new_size)
        return ConsistencyProof(old_size, new_size, old_root, new_root, tuple(path))

    def sign_checkpoint(self, signer: Signer, *, now: datetime | None = None) -> str:
        """Sign and store the checkpoint of the current tree; an existing one for that size wins."""
        with self.transaction() as cursor:
            return sign_checkpoint(cursor, signer, now=now)

    def sign_if_grown(self, signer: Signer, *, now: datetime | None = None) -> str | None:
        """Sign the current tree if it holds entries no checkpoint covers yet; else None (no write)."""
        with self.reading() as cursor:
            if sql.read_size(cursor) <= sql.read_signed_size(cursor):
                return None
        return self.sign_checkpoint(signer, now=now)

    def latest_checkpoint(self) -> str | None:
        """The signed checkpoint of the largest size."""
        with self.reading() as cursor:
            return sql.read_latest_checkpoint(cursor)

    def checkpoints(self) -> list[tuple[int, str]]:
        """Every checkpoint, smallest first."""
        with self.reading() as cursor:
            return sql.read_checkpoints(cursor)


def sign_checkpoint(cursor: Any, signer: Signer, *, now: datetime | None = None) -> str:
    """Sign and store the checkpoint of the tree the cursor's transaction sees (the caller commits);
    an existing one for that size wins. For callers that hold their own connection (the web's)."""
    size = sql.read_size(cursor)
    root = sql.read_root(cursor, size)
    when = utc_timestamp(now or datetime.now(UTC)).split(".")[0] + "Z"
    note = sign_note(Checkpoint(signer.name, size, root, (f"time {when}",)), signer)
    return sql.write_checkpoint(cursor, size, note)


class _Checkpointer:
    """WAL checkpoints of a SQLite bulk import, in a thread and on a connection of their own.

    By default the connection that commits copies the WAL into the database file (and waits for
    its fsyncs) when the WAL passes 1,000 pages: after every batch of an import, on the writer
    thread, whose speed is the import's. During the import the writer turns that off and asks this
    thread instead after each commit (`PRAGMA wal_checkpoint(PASSIVE)`: it copies what is
    committed and never blocks the writer). The WAL starts again from its beginning only when a
    transaction begins with all of it copied, so every `RESTART_ROWS` rows the writer waits for
    the checkpoint of its last commit before it begins the next (`_BulkWriter._begin`). What is
    left at the end is copied by the phase's durable commit, with the default restored.
    Durability is unchanged: checkpoints only move committed pages from the WAL to the database.
    """

    RESTART_ROWS = 400_000  # about 150 MB of WAL

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(
            path, isolation_level=None, timeout=120, check_same_thread=False
        )
        self._connection.execute("PRAGMA busy_timeout=120000")
        self._changed = threading.Condition()
        self._asked = self._done = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="ledger-checkpointer", daemon=True)
        self._thread.start()

    def ask(self) -> int:
        """Ask for a checkpoint of what is committed now; return its number for `wait`."""
        with self._changed:
            self._asked += 1
            self._changed.notify_all()
            return self._asked

    def wait(self, number: int) -> None:
        """Wait until checkpoint `number` (or a later one) is done."""
        with self._changed:
            self._changed.wait_for(lambda: self._done >= number or not self._thread.is_alive())

    def close(self) -> None:
        """Finish the checkpoint asked for last, then stop the thread."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join()
        self._connection.close()

    def _checkpoint(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # the phase's last commit copies what is left
            self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._asked > self._done or self._stopping)
                if self._asked == self._done:
                    return
                number = self._asked
            self._checkpoint()
            with self._changed:
                self._done = number
                self._changed.notify_all()


MERGE_SECONDS = 2.0
MERGE_ROWS = 1_000_000
MERGE_WAIT = 0.5
"""Imports into a non-empty ledger: how long, and how many rows, one transaction may take, and
how long the writer waits for the next batch before it commits (`_BulkWriter._next`)."""


class _BulkWriter:
    """SQLite bulk import in two threads: `add` computes a batch, a writer thread stores it.

    `add` computes canonical bytes, hashes and tiles at the size the previous batch ends at (from
    the right edge of its tree, `adaldyq.ledger.tree`), hands the
    batch over and waits until the writer has taken the write lock for it. Should another writer
    have appended in between, the writer thread computes the batch again at the real size. The
    storing (one INSERT ... SELECT per table and the commit) runs in SQLite with Python's lock
    released, while `add` returns and the caller goes on with the next batch.
    """

    def __init__(self, ledger: Ledger, checkpointer: _Checkpointer | None = None) -> None:
        self.connection = ledger.connection
        self.checkpointer = checkpointer
        self._checkpoint = 0  # the number of the checkpoint asked for after the last commit
        self._unrestarted = 0  # rows committed since the writer last waited for a checkpoint
        with ledger.reading() as cursor:
            self.size = sql.read_size(cursor)
            self.edge = sql.read_edge(cursor, self.size)
        self.deferred = False
        self.error: BaseException | None = None
        self.raised = False
        self._tasks: queue.SimpleQueue[sql.Batch | None] = queue.SimpleQueue()
        self._replies: queue.SimpleQueue[sql.Batch | BaseException] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ledger-bulk-writer", daemon=True)
        self._thread.start()

    def add(self, drafts: Sequence[Draft]) -> tuple[int, int]:
        """Append a batch; return (first seq, count) once its sequence numbers are final."""
        if self.error is not None:
            self.raised = True
            raise self.error
        batch = sql.pack_rows(sql.prepare_batch(self.size, self.edge, list(drafts)))
        self._tasks.put(batch)
        reply = self._replies.get()
        if isinstance(reply, BaseException):
            self.raised = True
            raise reply
        self.size, self.edge = reply.stop, reply.edge
        return reply.size, len(reply.bodies)

    def close(self) -> None:
        """Store what was handed over, then stop the writer thread."""
        self._tasks.put(None)
        self._thread.join()

    def _run(self) -> None:
        cursor = self.connection.cursor()
        batch = self._tasks.get()
        size, since, rows = 0, 0.0, 0  # the open transaction: head, start, rows stored in it
        while batch is not None:
            try:
                if not self.connection.in_transaction:
                    self._begin(cursor)
                    size, since, rows = sql.lock_head(cursor), time.monotonic(), 0
                    if not self.deferred and size == 0 and batch.bodies:
                        for statement in sql.DROP_INDEXES:
                            cursor.execute(statement)
                        self.deferred = True
                if size != batch.size:  # another writer appended since: compute it again
                    edge = sql.read_edge(cursor, size)
                    batch = sql.pack_rows(sql.prepare_batch(size, edge, batch.drafts))
                self._replies.put(batch)
                sql.write_batch(cursor, batch)
                size, rows = batch.stop, rows + len(batch.bodies)
                self._unrestarted += len(batch.bodies)
                batch = self._next(since, rows)
            except BaseException as exc:
                if self.connection.in_transaction:
                    cursor.execute("ROLLBACK")
                self.error = exc
                self._replies.put(exc)  # for the add waiting now, or the next one
                while self._tasks.get() is not None:  # take no more batches until close
                    pass
                return
        if self.connection.in_transaction:
            self._commit()

    def _begin(self, cursor: Any) -> None:
        checkpointer = self.checkpointer
        if checkpointer is not None and self._unrestarted >= checkpointer.RESTART_ROWS:
            checkpointer.wait(
                self._checkpoint
            )  # all of the WAL copied: this transaction restarts it
            self._unrestarted = 0
        cursor.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self.connection.execute("COMMIT")
        if self.checkpointer is not None:
            self._checkpoint = self.checkpointer.ask()

    def _next(self, since: float, rows: int) -> sql.Batch | None:
        """The next batch, committing the open transaction first unless the batch may join it.

        With the subject index kept (an import into a non-empty ledger), each commit writes
        every index page the batch touched, and entries about 35,000 people touch most of them:
        at ten million entries, about as many page writes as entries. So there, batches that
        follow each other at once share one transaction, for up to `MERGE_SECONDS` or
        `MERGE_ROWS`; other writers wait that long at most. A crash still loses a suffix of
        whole batches, and nothing is reported durable before the phase's last commit.
        """
        if not self.deferred and rows < MERGE_ROWS and time.monotonic() - since < MERGE_SECONDS:
            try:
                return self._tasks.get(timeout=MERGE_WAIT)
            except queue.Empty:
                pass
        self._commit()
        return self._tasks.get()


_STOP = object()


class GroupCommitWriter:
    """Appends from many threads, committed in batches by one writer thread (group commit)."""

    def __init__(self, url: str, *, max_batch: int = 5000) -> None:
        self.url = url
        self.max_batch = max_batch
        self.batches = 0
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ledger-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def append(self, draft: Draft) -> Entry:
        """Queue a draft; return its entry once the batch holding it is committed."""
        future: Future[Entry] = Future()
        self._queue.put((draft, future))
        return future.result()

    def submit(self, draft: Draft) -> Future[Entry]:
        """Queue a draft; the future resolves when it is durable."""
        future: Future[Entry] = Future()
        self._queue.put((draft, future))
        return future

    def close(self) -> None:
        """Commit what is queued, then stop the writer thread."""
        self._queue.put(_STOP)
        self._thread.join()

    def __enter__(self) -> GroupCommitWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        try:
            ledger = Ledger.open(self.url)
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        stopping = False
        with ledger:
            while not stopping:
                item = self._queue.get()
                if item is _STOP:
                    break
                batch = [item]
                while len(batch) < self.max_batch:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is _STOP:
                        stopping = True
                        break
                    batch.append(item)
                try:
                    entries = ledger.append_many([draft for draft, _ in batch])
                except Exception as exc:
                    for _, future in batch:
                        future.set_exception(exc)
                else:
                    self.batches += 1
                    for (_, future), entry in zip(batch, entries, strict=True):
                        future.set_result(entry)
