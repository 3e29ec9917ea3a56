"""Ledger figures on this machine, each next to the machine limit it is bounded by.

    .venv/bin/python benchmarks/ledger_bench.py                  # 10 million entries (a few minutes)
    .venv/bin/python benchmarks/ledger_bench.py --entries 200000 # a quick run

Measures the fsync rate of the disk under --dir and SHA-256 throughput, then (on SQLite):
durable appends per second from concurrent clients (one request per entry, group commit),
batch import (`Ledger.bulk`, as `adaldyq ledger import`: into the empty ledger, then a tenth more
into the full one) beside plain SQLite inserts of the same payloads, full verification (worker
processes, one per core) beside a plain SHA-256 chain over the same payloads, and inclusion /
consistency proof times at --entries entries. The two comparisons run side by side, run by run,
and each prints the median of the runs' ratios (the machine's load moves both alike).
Every figure is a median of --repeat runs (import: each into a fresh ledger, the last one kept for
verification, proofs and the import of a tenth more).

What bounds the two throughput figures on this 2-core machine (ADR 0004, fourth amendment):
- Hashing runs in C through OpenSSL (`adaldyq.ledger._hashes`; the first line says whether it was
  built, else hashlib gives the same bytes more slowly): a 250-byte leaf about 0.25 us, a node 0.1.
- Import runs in three threads (`Ledger.bulk` on SQLite): the caller's (the drafts about 1 us,
  canonical bytes 0.65, the leaf hashes 0.2, the tiles 0.1, packing the rows 0.4), a writer
  storing each batch (SQLite's inserts of the entry rows about 1.2-1.4 us, one 8 KiB tile row per
  256 entries since ADR 0046 instead of a node row per entry, the commit's WAL writes) and a
  checkpointer copying the WAL into the database file.
- The plain inserts beside it take the ledger's own bytes of the same drafts, made before the
  clock starts, and insert (seq, subject, type, body) rows with executemany in one thread: what is
  left to the ledger is all it adds (canonical bytes 0.65 us, hashes and tiles 0.3, the packed
  insert of the rows with their leaf hash about as much CPU as the plain executemany).
- Verification reads each block of 4,096 rows as a few values joined by SQLite (about 0.5 us an
  entry), hashes leaves and nodes (0.35) and checks the tails (0.04) in C, and compares the
  stored tiles (one row per 256 entries): about 1.1 us of CPU an entry over all processes, so
  1,000,000/s when the two worker processes get about two thirds of each core. The SHA-256 chain
  beside it reads each body from SQLite and hashes it in one process.
- The import of a tenth more into the full ledger keeps the subject index: each transaction
  writes most of its pages, so batches that follow at once share a transaction (up to 2 s).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from adaldyq.ledger import (
    Actor,
    Draft,
    GroupCommitWriter,
    Ledger,
    StoreSource,
    hashing,
    verify_source,
)
from adaldyq.ledger.entry import make_entry

ACTOR = Actor("officer-17", "order 42-k")


def draft(i: int) -> Draft:
    return Draft(
        ACTOR,
        f"P-{i % 35_000:05d}",
        "work_hours",
        {"hours": 8, "on": "2026-11-20", "unit": "sewing workshop", "n": i},
    )


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def fsync_rate(directory: Path, seconds: float = 1.5) -> float:
    path = directory / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    block = os.urandom(4096)
    count, start = 0, time.perf_counter()
    try:
        while time.perf_counter() - start < seconds:
            os.write(fd, block)
            os.fsync(fd)
            count += 1
    finally:
        os.close(fd)
        path.unlink()
    return count / (time.perf_counter() - start)


def sha256_rate(size: int = 250, n: int = 300_000) -> float:
    data = os.urandom(size)
    sha256 = hashlib.sha256
    start = time.perf_counter()
    for _ in range(n):
        sha256(data).digest()
    return n / (time.perf_counter() - start)


def _sha256_worker(_: int) -> float:
    return sha256_rate()


def sha256_rate_all_cores() -> float:
    """SHA-256 messages per second with one process per core, summed: what the cores deliver."""
    import multiprocessing

    cores = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        return sum(pool.map(_sha256_worker, range(cores)))


def durable_appends(url: str, clients: int, seconds: float) -> tuple[float, float]:
    """(entries/s, commits/s) with `clients` threads each appending one entry per request."""
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    with GroupCommitWriter(url) as writer:
        first_batches = writer.batches

        def client(k: int) -> None:
            i = 0
            while time.perf_counter() < stop:
                writer.append(draft(k * 1_000_000 + i))
                i += 1
            counts[k] = i

        start = time.perf_counter()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        batches = writer.batches - first_batches
    return sum(counts) / elapsed, batches / elapsed


def one_by_one(url: str, n: int = 300) -> float:
    with Ledger.open(url) as ledger:
        start = time.perf_counter()
        for i in range(n):
            ledger.append(draft(i))
        return n / (time.perf_counter() - start)


POOL = 200_000
"""The drafts both imports take (built before the clock starts), cycled for larger runs."""


def drafts_pool(total: int) -> list[Draft]:
    return [draft(i) for i in range(min(total, POOL))]


def batches(
    pool: list[Draft], total: int, batch: int = 50_000
) -> Iterator[tuple[int, list[Draft]]]:
    """(first index, drafts) of each batch of `total` entries, taken from the pool in turn."""
    for first in range(0, total, batch):
        at = first % len(pool)
        yield first, pool[at : at + min(batch, total - first)]


def import_entries(
    url: str, total: int, batch: int = 50_000, pool: list[Draft] | None = None
) -> float:
    """What `adaldyq ledger import` does: batches in a bulk phase, durable when it ends."""
    pool = pool or drafts_pool(total)
    with Ledger.open(url) as ledger:
        start = time.perf_counter()
        with ledger.bulk() as add:
            for _, drafts in batches(pool, total, batch):
                add(drafts)
        return total / (time.perf_counter() - start)


def plain_inserts(
    path: Path, total: int, batch: int = 50_000, pool: list[Draft] | None = None
) -> float:
    """The same entries as plain SQLite rows: the ledger's own bytes of each draft (computed before
    the clock starts) inserted as (seq, subject, type, body) with executemany, a transaction a
    batch, WAL and synchronous=NORMAL as the import's batches, then one durable commit. What is
    left to the ledger beside this is all it adds: the canonical bytes, the hashes, the tree, the
    stored leaf hash and the subject index."""
    pool = pool or drafts_pool(total)
    stamp = "2026-12-06T10:00:00.000000Z"
    bodies = [make_entry(i, stamp, d).body for i, d in enumerate(pool)]
    subjects, types = [d.subject for d in pool], [d.type for d in pool]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE plain (seq INTEGER PRIMARY KEY, subject TEXT NOT NULL, "
            "type TEXT NOT NULL, body BLOB NOT NULL)"
        )
        start = time.perf_counter()
        for first, drafts in batches(pool, total, batch):
            at, stop = first % len(pool), first % len(pool) + len(drafts)
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO plain VALUES (?, ?, ?, ?)",
                zip(
                    range(first, first + len(drafts)),
                    subjects[at:stop],
                    types[at:stop],
                    bodies[at:stop],
                    strict=True,
                ),
            )
            conn.execute("COMMIT")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("COMMIT")  # the durable end, as the import's
        return total / (time.perf_counter() - start)
    finally:
        conn.close()


def sha256_chain(path: Path, chunk: int = 65_536) -> float:
    """Entries per second of the plainest tamper-evident check of the same entries: read each body
    from SQLite in order and hash it into a chain, h = SHA-256(h || body), in one process."""
    conn = sqlite3.connect(path)
    try:
        (count,) = conn.execute("SELECT count(*) FROM plain").fetchone()
        sha256, h = hashlib.sha256, b""
        start = time.perf_counter()
        for low in range(0, count, chunk):
            for (body,) in conn.execute(
                "SELECT body FROM plain WHERE seq >= ? AND seq < ? ORDER BY seq", (low, low + chunk)
            ):
                h = sha256(h + body).digest()
        return count / (time.perf_counter() - start)
    finally:
        conn.close()


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (verification workers)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def verify_rate(url: str) -> tuple[float, int, float]:
    """(entries/s, entries, CPU microseconds per entry over all processes)."""
    with Ledger.open(url) as ledger, ledger.reading() as cursor:
        cpu, start = cpu_seconds(), time.perf_counter()
        report = verify_source(StoreSource(cursor, url=url), None)
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert report.ok, report.faults
    return report.size / elapsed, report.size, cpu / max(report.size, 1) * 1e6


def proof_times(url: str, reps: int) -> tuple[float, float]:
    rng = random.Random(1)
    with Ledger.open(url) as ledger:
        size = ledger.size()
        inclusion, consistency = [], []
        for _ in range(reps):
            seq = rng.randrange(size)
            t = time.perf_counter()
            ledger.inclusion_proof(seq).verify()
            inclusion.append(time.perf_counter() - t)
            old = rng.randrange(1, size)
            t = time.perf_counter()
            ledger.consistency_proof(old).verify()
            consistency.append(time.perf_counter() - t)
    return statistics.median(inclusion) * 1000, statistics.median(consistency) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ledger-bench-", dir=args.dir))
    rows: list[tuple[str, str, str, str]] = []
    try:
        fsyncs = median(args.repeat, lambda: fsync_rate(work))
        hashes = median(args.repeat, sha256_rate)
        all_cores = median(args.repeat, sha256_rate_all_cores)
        limit_fsync = f"fsync {fsyncs:,.0f}/s"
        limit_sha = f"SHA-256 {hashes:,.0f}/s (250 B), all cores {all_cores:,.0f}/s"
        native = "C (OpenSSL)" if hashing.NATIVE else "hashlib (the C extension is not built)"
        print(f"machine: {os.cpu_count()} cores; {limit_fsync}; {limit_sha}", flush=True)
        print(f"ledger hashing: {native}", flush=True)

        url = f"sqlite:///{work / 'appends.sqlite3'}"
        runs = [durable_appends(url, args.clients, args.seconds) for _ in range(args.repeat)]
        rate = statistics.median(r[0] for r in runs)
        commits = statistics.median(r[1] for r in runs)
        single = median(args.repeat, lambda: one_by_one(url))
        rows.append(
            (
                f"durable appends, {args.clients} clients, group commit",
                f"{rate:,.0f}/s ({rate / fsyncs:.0%} of fsync)",
                ">= 5,000/s, >= 70%",
                limit_fsync,
            )
        )
        rows.append(
            (
                "  commits while doing so (entries share each)",
                f"{commits:,.0f}/s ({rate / max(commits, 1):,.0f}/commit)",
                "",
                limit_fsync,
            )
        )
        rows.append(
            ("durable appends, one client, no batching", f"{single:,.0f}/s", "", limit_fsync)
        )

        imports, import_cpus, plains, ratios, plain_cpus = [], [], [], [], []
        pool = drafts_pool(args.entries)
        for run in range(args.repeat):  # each into a fresh, empty ledger; the last one is kept
            big = f"sqlite:///{work / f'big{run}.sqlite3'}"
            cpu = cpu_seconds()
            imports.append(import_entries(big, args.entries, pool=pool))
            import_cpus.append((cpu_seconds() - cpu) / args.entries * 1e6)
            plain = work / f"plain{run}.sqlite3"  # side by side: the same drafts, right after
            cpu = cpu_seconds()
            plains.append(plain_inserts(plain, args.entries, pool=pool))
            plain_cpus.append((cpu_seconds() - cpu) / args.entries * 1e6)
            ratios.append(imports[-1] / plains[-1])
            if run + 1 < args.repeat:
                for suffix in ("", "-wal", "-shm"):
                    (work / f"big{run}.sqlite3{suffix}").unlink(missing_ok=True)
                    (work / f"plain{run}.sqlite3{suffix}").unlink(missing_ok=True)
        del pool
        imported, import_cpu = statistics.median(imports), statistics.median(import_cpus)
        # CPU seconds a second: how much of the machine the run got (rate x CPU an entry)
        import_cores = statistics.median(
            r * c / 1e6 for r, c in zip(imports, import_cpus, strict=True)
        )
        rows.append(
            (
                f"batch import ({args.entries:,} entries)",
                f"{imported:,.0f}/s",
                ">= 200,000/s",
                limit_sha,
            )
        )
        rows.append(
            (
                "  against plain SQLite inserts of the same entries (run by run)",
                f"{statistics.median(ratios):.2f} ({statistics.median(plains):,.0f}/s)",
                ">= 0.5",
                "",
            )
        )
        rows.append(
            (
                "  CPU time per imported entry (all threads); cores it kept busy",
                f"{import_cpu:.2f} us; {import_cores:.2f}",
                "",
                f"{os.cpu_count()} cores",
            )
        )
        rows.append(
            (
                "  CPU time per plain insert; plain CPU / import CPU (run by run)",
                f"{statistics.median(plain_cpus):.2f} us; "
                f"{statistics.median(p / i for p, i in zip(plain_cpus, import_cpus, strict=True)):.2f}",
                "",
                "the ratio under load",
            )
        )
        verifies, chains = [], []
        for _ in range(args.repeat):  # side by side
            verifies.append(verify_rate(big))
            chains.append(sha256_chain(plain))
        verified = statistics.median(v[0] for v in verifies)
        size = verifies[0][1]
        verify_cpu = statistics.median(v[2] for v in verifies)
        verify_cores = statistics.median(v[0] * v[2] / 1e6 for v in verifies)
        rows.append(
            (
                f"full verification ({size:,} entries)",
                f"{verified:,.0f}/s",
                ">= 1,000,000/s",
                limit_sha,
            )
        )
        rows.append(
            (
                "  against a plain SHA-256 chain of the same entries (one process)",
                f"{statistics.median(v[0] / c for v, c in zip(verifies, chains, strict=True)):.2f} "
                f"({statistics.median(chains):,.0f}/s)",
                ">= 0.5",
                "",
            )
        )
        rows.append(
            (
                "  CPU time per verified entry (all processes); cores it kept busy",
                f"{verify_cpu:.2f} us; {verify_cores:.2f}",
                "",
                f"{os.cpu_count()} cores",
            )
        )
        rows.append(
            (
                "  runs (import; plain inserts; verification; chain)",
                "; ".join(
                    " ".join(f"{r / 1000:,.0f}k" for r in runs)
                    for runs in (imports, plains, [v[0] for v in verifies], chains)
                ),
                "",
                "",
            )
        )
        inclusion, consistency = proof_times(big, 201)
        rows.append(
            (f"inclusion proof at {size:,} (read + verify)", f"{inclusion:.3f} ms", "<= 1 ms", "")
        )
        rows.append(
            (
                f"consistency proof at {size:,} (read + verify)",
                f"{consistency:.3f} ms",
                "<= 1 ms",
                "",
            )
        )
        more = max(args.entries // 10, 1)
        added = import_entries(big, more)
        rows.append(
            (
                f"  import of {more:,} more into the full ledger (index kept)",
                f"{added:,.0f}/s",
                "",
                limit_sha,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'median':>24}  {'target':>16}  machine limit")
    for name, value, target, limit in rows:
        print(f"{name:<{width}}  {value:>24}  {target:>16}  {limit}")


if __name__ == "__main__":
    main()
