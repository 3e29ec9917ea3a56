"""The register of flags: the ledger's facts and the engine's rows in DuckDB, flags by SQL.

    reg = build_register(cursor, law=LawPack.load(overlay="demo"), register={"UK-1": "medium"})
    reg.flags(kind="delayed_award")   -> list[Flag]
    reg.delays()                      the delay distribution (award or transfer after qualifying)
    reg.longest_waiting(20)           people waiting longest for a step they qualify for
    reg.patterns()                    institutions and officers that stand out (exact tests, BH)

One SQL pass reads the ledger (`adaldyq.oversight.files`). The facts the law engine reads go
through `adaldyq.oversight.review`, at the few dates that matter per person; the rest (visits,
visitors) go to DuckDB as the ledger's own JSON bodies, parsed there. Every flag is then a SQL
query over those tables, with the thresholds as parameters (`Thresholds`), never a counter kept
by hand. Each flag names its evidence (ledger sequence numbers) and the rule it rests on.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import multiprocessing as mp
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import connection as mp_connection
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import duckdb
import orjson

from adaldyq.core.facts import EVENT_TYPES
from adaldyq.files import PERSON_ADMITTED, PLACEMENT_KINDS, PersonalFile, Transferred
from adaldyq.law import LawPack
from adaldyq.ledger.sql import Cursor, dialect_of, execute
from adaldyq.oversight.files import collect_files, institution_type
from adaldyq.oversight.review import ROW_COLUMNS, review_file
from adaldyq.oversight.sql import FLAG_QUERIES, RATE_QUERIES
from adaldyq.oversight.stats import bh_adjust, binomial_sf, funnel_limit

__all__ = [
    "CLASSES",
    "FLAG_CLASSES",
    "FLAG_KINDS",
    "Flag",
    "KindFlags",
    "Register",
    "Thresholds",
    "build_register",
    "flag_class",
    "flag_key",
    "sorted_flags",
]

#: Entry types the engine reads (with the admission and transfers); the rest stay JSON for DuckDB.
_ENGINE_TYPES = frozenset(EVENT_TYPES) | {PERSON_ADMITTED, "transferred"}
_VISIT_TYPES = frozenset({"visit", "visitor_registered", "visitor_approved"})
_FETCH = 5000
#: What `_scan` reads: the types above, and any correction (its body lacks this).
_READ_SQL = ", ".join(f"'{t}'" for t in sorted(_ENGINE_TYPES | _VISIT_TYPES))
_NO_CORRECTION = b'"corrects":null'
_PLACEMENTS = PLACEMENT_KINDS

#: Every kind of flag, with the rule it rests on (an article or a LAW.md section).
FLAG_KINDS: dict[str, str] = {
    "decision_without_grounds": "PEC arts. 95, 103 (LAW.md §2-3)",
    "delayed_award": "PEC arts. 95, 103 (LAW.md §2-3)",
    "grounds_ignored": "PEC arts. 95, 103 (LAW.md §2-3)",
    "penalty_before_qualifying": "PEC art. 95 (LAW.md §2)",
    "unsupported_degree_held": "PEC art. 95 (LAW.md §2, project rule P)",
    "visits_above_entitlement": "PEC arts. 106-109 (LAW.md §4)",
    "visit_not_allowed_in_condition": "PEC arts. 106-109 (LAW.md §4)",
    "visit_unapproved_visitor": "PEC art. 106 (LAW.md §4: who may visit)",
    "visit_before_approval": "PEC art. 106 (LAW.md §4: who may visit)",
    "visit_under_other_prisoner": "PEC art. 106 (LAW.md §4: who may visit)",
    "visit_unregistered_visitor": "PEC art. 106 (LAW.md §4: who may visit)",
    "visit_no_registered_relatives": "PEC art. 106 (LAW.md §4: who may visit)",
    "visitor_visits_several_people": "PEC art. 106 (LAW.md §4: who may visit)",
    "visitor_registered_in_several_institutions": "PEC art. 106 (LAW.md §4: who may visit)",
    "visit_while_elsewhere": "PEC arts. 106-109 (LAW.md §4)",
    "late_entry_changed_outcome": "PEC arts. 95, 103 (LAW.md §2-3)",
    "withdrawal_changed_outcome": "PEC arts. 95, 103 (LAW.md §2-3)",
    "fact_withdrawn": "PEC arts. 95, 103 (LAW.md §2-3)",
    "fact_corrected": "PEC arts. 95, 103 (LAW.md §2-3)",
    "rate_outlier": "oversight statistics (ADR 0025): exact binomial test against the national rate, "
    "Benjamini-Hochberg across institutions and officers",
}

#: What a flag is worth on its own (issue 15, ADR 0020). A `finding`: the ledger proves, for this
#: person or decision, a departure from the law or the process. A `pattern`: a statistical signal about
#: an officer or an institution (rate, base rate, effect size, chance). A `lead`: one event that only
#: matters as part of a pattern (reached from the pattern, or with `--all`). Kinds not listed here
#: (commission, transfers) are findings.
FLAG_CLASSES: dict[str, str] = {
    "penalty_before_qualifying": "lead",
    "visitor_visits_several_people": "lead",
    "visitor_registered_in_several_institutions": "lead",
    "fact_withdrawn": "lead",
    "fact_corrected": "lead",
    "rate_outlier": "pattern",
}
CLASSES = ("finding", "pattern", "lead")

#: The lead kind each measure of `rate_outlier` counts (None: its units are not flags of their own).
MEASURE_LEADS: dict[str, str | None] = {
    "decisions_without_grounds": "decision_without_grounds",
    "penalties_before_qualifying": "penalty_before_qualifying",
    "late_decisions": "delayed_award",
    "long_visits": None,
    "withdrawals": "fact_withdrawn",
    "corrections": "fact_corrected",
}
#: The kinds of flag that read other people's entries through the visitor a visit or registration
#: names (each flag names it: `detail.visitor`): a refresh computes them again by visitor.
_BY_VISITOR = frozenset(
    {
        "visit_under_other_prisoner",
        "visit_unregistered_visitor",
        "visitor_visits_several_people",
        "visitor_registered_in_several_institutions",
    }
)
#: A pattern lists at most this many of its leads as evidence (`detail.k` counts them all).
_PATTERN_EVIDENCE = 100


def flag_class(kind: str) -> str:
    """The class of a kind of flag: finding, pattern or lead."""
    return FLAG_CLASSES.get(kind, "finding")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The figures of oversight (not of the law): days and z-scores, as data."""

    #: A qualification left without a decision for more than this many days.
    grounds_days: int = 30
    #: A decision taken more than this many days after the person qualified.
    delay_days: int = 30
    #: A penalty within this many days before the person would have qualified.
    penalty_window_days: int = 30
    #: A positive degree held unsupported by the facts for more than this many days.
    unsupported_days: int = 30
    #: A fact recorded more than this many days after its day is late: a decision that rests on it
    #: (supported with it, not without it) is a finding.
    late_days: int = 30
    #: An institution's or officer's share stands out when its exact one-sided binomial p-value against
    #: the national rate, adjusted by Benjamini-Hochberg across every institution and officer of the
    #: measure, is at most this false discovery rate. No minimum count: 10 of 10 can stand out.
    fdr: float = 0.05
    #: ... and its rate is at least this many times the national rate (the effect size: a share 4%
    #: above the national one, significant on thousands of visits, is not worth a prosecutor's time).
    min_ratio: float = 1.5
    #: The funnel plot's two upper limits (one-sided tail probabilities: ~95% and ~99.8% limits).
    funnel_alphas: tuple[float, float] = (0.025, 0.001)


@dataclass(frozen=True, slots=True)
class Flag:
    """One departure from the law (or an unusual pattern), with its evidence."""

    kind: str
    person: str
    institution: str
    officer: str
    on: date | None
    #: Ledger sequence numbers of the entries it rests on.
    evidence: tuple[int, ...]
    #: The article or LAW.md section it rests on.
    rule: str
    #: Confidence of the weakest figure used (LAW.md: L, L-old, S, P, D, ?).
    confidence: str
    detail: dict[str, Any] = field(default_factory=dict)
    #: finding, pattern or lead (`FLAG_CLASSES`); by default the class of the kind.
    flag_class: str = ""

    def __post_init__(self) -> None:
        if not self.flag_class:
            object.__setattr__(self, "flag_class", flag_class(self.kind))

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Flag:
        """A flag from its JSON-ready form (`to_dict`)."""
        on = row.get("on")
        return cls(
            row["kind"], row["person"], row["institution"], row["officer"],
            date.fromisoformat(on) if on else None, tuple(row["evidence"]), row["rule"],
            row["confidence"], dict(row.get("detail") or {}), row.get("class", ""),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings; the class as `class`), the fields in their order.

        Written out rather than `dataclasses.asdict`, whose generic walk took a quarter of the
        register keeper's refresh (ADR 0036); `detail` is copied as asdict copied it.
        """
        return {
            "kind": self.kind,
            "person": self.person,
            "institution": self.institution,
            "officer": self.officer,
            "on": self.on.isoformat() if self.on else None,
            "evidence": list(self.evidence),
            "rule": self.rule,
            "confidence": self.confidence,
            "detail": _copied(self.detail),
            "class": self.flag_class,
        }


def _copied(value: Any) -> Any:
    """`value` with its dicts, lists and tuples copied all the way down (as `asdict` copies a
    field), anything else as it is (strings, numbers, dates: immutable)."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    return value


def flag_key(f: Flag) -> tuple[Any, ...]:
    """A flag's place in the register's order: a total order, so the same register lists its flags the
    same way whether computed, refreshed or read back (`Flag.from_dict`: the kept register, ADR 0036)."""
    return (
        f.kind,
        f.on or date.min,
        f.person,
        f.evidence,
        f.institution,
        f.officer,
        f.rule,
        orjson.dumps(f.detail, option=orjson.OPT_SORT_KEYS),
    )


def sorted_flags(flags: Iterable[Flag]) -> list[Flag]:
    """Flags in the register's order (`flag_key`)."""
    return sorted(flags, key=flag_key)


class KindFlags:
    """The register's flags of one kind, in the register's order, and a version raised each time they
    change: a refresh replaces the flags of the files (or visitors) it read again, and the kept
    register is stored again only for the kinds whose version moved (ADR 0036)."""

    __slots__ = ("flags", "keys", "version")

    def __init__(self, flags: Iterable[Flag] = ()) -> None:
        pairs = sorted(((flag_key(f), f) for f in flags), key=lambda kf: kf[0])
        self.keys: list[tuple[Any, ...]] = [k for k, _ in pairs]
        self.flags: list[Flag] = [f for _, f in pairs]
        self.version = 0

    def replace(self, old: Sequence[Flag], new: Sequence[Flag]) -> Sequence[Flag]:
        """Take out `old` (flags held here) and put in `new`; nothing moves when they are the same.
        The flags held now in their place (`old` when they were the same)."""
        if len(old) == len(new) and sorted_flags(old) == sorted_flags(new):
            return old
        keys, flags = self.keys, self.flags
        for f in old:
            i = bisect.bisect_left(keys, flag_key(f))
            while flags[i] is not f:
                i += 1
            del keys[i], flags[i]
        for f in new:
            key = flag_key(f)
            i = bisect.bisect_right(keys, key)
            keys.insert(i, key)
            flags.insert(i, f)
        self.version += 1
        return new


_EXTRA_COLUMNS = (
    "{seq:'BIGINT', subject:'VARCHAR', type:'VARCHAR', corrects:'BIGINT', "
    "actor:'STRUCT(id VARCHAR, authority VARCHAR)', "
    'payload:\'STRUCT("on" DATE, kind VARCHAR, visitor VARCHAR, relationship VARCHAR, '
    "approved BOOLEAN)'}"
)


_ENT_COLUMNS = (
    "{itype:'VARCHAR', condition:'VARCHAR', day:'DATE', kind:'VARCHAR', allowed:'INTEGER', "
    "determinable:'BOOLEAN', confidence:'VARCHAR', article:'VARCHAR'}"
)


class _Spool:
    """NDJSON files DuckDB reads in bulk (no per-row inserts); one set per process (`suffix`)."""

    def __init__(self, folder: Path, suffix: str = "") -> None:
        self.folder = folder
        self.suffix = suffix
        self.handles: dict[str, Any] = {}

    def _handle(self, table: str) -> Any:
        handle = self.handles.get(table)
        if handle is None:
            name = f"{table}{self.suffix}.ndjson"
            handle = self.handles[table] = (self.folder / name).open("wb")
        return handle

    def write(self, table: str, line: bytes) -> None:
        self.lines(table, [line])

    def lines(self, table: str, lines: list[bytes]) -> None:
        if lines:
            handle = self._handle(table)
            handle.write(b"\n".join(lines))
            handle.write(b"\n")

    def rows(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """`rows` of `table` as columns: a line per `_SLICE` rows, one object of the table's columns,
        each the list of their values (`rows_sql` reads them back as rows). Turned into columns by
        one C loop (`zip`), not an object per row (ADR 0014, fourteenth-session amendment)."""
        names = [c for c, _ in ROW_COLUMNS_ALL[table]]
        self.lines(
            table,
            [
                orjson.dumps(dict(zip(names, zip(*rows[i : i + _SLICE], strict=True), strict=True)))
                for i in range(0, len(rows), _SLICE)
            ],
        )

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()

    def rows_sql(self, table: str) -> str | None:
        """The SELECT of every process's rows of `table` (`rows`), or None if none were spooled."""
        paths = self.paths(table)
        if not paths:
            return None
        columns = ROW_COLUMNS_ALL[table]
        spec = "{" + ", ".join(f"'{c}': '{t}[]'" for c, t in columns) + "}"
        select = ", ".join(f'unnest("{c}")' for c, _ in columns)
        return f"SELECT {select} FROM read_ndjson({_files(paths)}, columns={spec})"  # noqa: S608 - our temp files

    def paths(self, table: str) -> list[Path]:
        """Every process's non-empty file for `table`."""
        found = sorted(self.folder.glob(f"{table}-*.ndjson"))
        return [p for p in found if p.stat().st_size]


_PEOPLE_COLUMNS = (
    ("person", "VARCHAR"),
    ("institution", "VARCHAR"),
    ("itype", "VARCHAR"),
    ("admitted_on", "DATE"),
    ("reviewed", "BOOLEAN"),
    ("skipped", "VARCHAR"),
    ("latest", "DATE"),  # the day of the file's latest standing fact (the review date's source)
)
_PLACEMENT_COLUMNS = (
    ("person", "VARCHAR"),
    ("seq", "BIGINT"),
    ("day", "DATE"),
    ("institution", "VARCHAR"),
    ("itype", "VARCHAR"),
    ("condition", "VARCHAR"),
)
ROW_COLUMNS_ALL: dict[str, tuple[tuple[str, str], ...]] = {
    **ROW_COLUMNS,
    "people": _PEOPLE_COLUMNS,
    "placements": _PLACEMENT_COLUMNS,
}


def _placements(
    pf: PersonalFile, itype: str | None, register: Mapping[str, str]
) -> Iterator[tuple[Any, ...]]:
    kind = itype
    for p in pf.placements():
        f = p.fact
        if f is None:  # placements() names the fact of each; only `placement` may have none
            continue
        if isinstance(f, Transferred):
            kind = register.get(p.institution) or f.institution_type or kind
        yield (pf.person, f.seq, f.on, p.institution, kind, p.condition)


def _scan(
    cursor: Cursor,
    lo: str | None = None,
    hi: str | None = None,
    upto: int | None = None,
    subjects: Sequence[str] | None = None,
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of (subject, seq, type, body) for the subjects in [lo, hi), ordered by subject.

    Only the entries the register reads leave the database: the engine's types, the placements,
    the visit and visitor entries, and every correction (whatever its type); work and study hours
    and the web's bookkeeping stay behind. `upto` bounds the sequence numbers (a snapshot).
    """
    dialect = dialect_of(cursor)
    found = "instr(body, %s) = 0" if dialect == "sqlite" else "position(%s in body) = 0"
    sql = (
        "SELECT subject, seq, type, body FROM ledger_entries "  # noqa: S608 - our constants
        f"WHERE (type IN ({_READ_SQL}) OR {found})"
    )
    params: list[Any] = [_NO_CORRECTION]
    if lo is not None:
        sql += " AND subject >= %s"
        params.append(lo)
    if hi is not None:
        sql += " AND subject < %s"
        params.append(hi)
    if upto is not None:
        sql += " AND seq <= %s"
        params.append(upto)
    if subjects is not None:
        sql += f" AND subject IN ({', '.join(['%s'] * len(subjects))})"
        params.extend(subjects)
    execute(cursor, sql + " ORDER BY subject, seq", params)
    while True:
        batch = cursor.fetchmany(_FETCH)  # type: ignore[attr-defined]
        if not batch:
            return
        yield batch


def _read_part(
    cursor: Cursor,
    lo: str | None,
    hi: str | None,
    upto: int | None,
    spool: _Spool,
    subjects: Sequence[str] | None = None,
) -> tuple[list[PersonalFile], date]:
    """The files of the subjects in [lo, hi) and their latest fact date; visits go to the spool.

    Visit and visitor entries stay JSON for DuckDB; everything else `_scan` returns is a fact of
    the engine's types or a correction (also given to DuckDB, which applies it to visits).
    """
    return collect_files(
        _scan(cursor, lo, hi, upto, subjects),
        _VISIT_TYPES,
        lambda lines: spool.lines("extra", lines),
    )


def _review_part(
    files: list[PersonalFile],
    law: LawPack,
    register: Mapping[str, str],
    on: date,
    window: int,
    spool: _Spool,
    step: Callable[[int], None] | None = None,
    late: int = 30,
) -> None:
    """Review `files` at `on` and spool their rows; `step(n)` after every `_CHUNK` files."""
    buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _ROW_TABLES}
    people, placements = buffers["people"], buffers["placements"]
    decisions, waits, penalties = buffers["decisions"], buffers["waits"], buffers["penalties"]
    unsupported, loopholes = buffers["unsupported"], buffers["loopholes"]
    for i, pf in enumerate(files, 1):
        out = _review_one(pf, law, register, on, window, late)
        people.append(out[0])
        placements.extend(out[1])
        decisions.extend(out[2])
        waits.extend(out[3])
        penalties.extend(out[4])
        unsupported.extend(out[5])
        loopholes.extend(out[6])
        buffers["corrections"].extend(out[7])
        buffers["written"].extend(out[8])
        if i % _CHUNK == 0 or i == len(files):
            for table, rows in buffers.items():
                spool.rows(table, rows)
                rows.clear()
            if step is not None:
                step(i % _CHUNK or _CHUNK)


_Rows = tuple[
    tuple[Any, ...],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
]
_ROW_TABLES = (
    "people", "placements", "decisions", "waits", "penalties", "unsupported", "loopholes",
    "corrections", "written",
)  # fmt: skip
#: What forked workers read (set just before the fork, so it is not pickled).
_SHARED: dict[str, Any] = {}
_CHUNK = 500
#: Rows a spooled line holds at most (`_Spool.rows`): DuckDB reads a JSON object of up to 16 MB.
_SLICE = 2_000
#: Ledgers with at least this many entries are read and reviewed in one process per core.
_PARALLEL_FROM = 200_000


def _review_one(
    pf: PersonalFile,
    law: LawPack,
    register: Mapping[str, str],
    on: date,
    window: int,
    late: int = 30,
) -> _Rows:
    itype = institution_type(pf, register)
    review = review_file(pf, law=law, register=register, on=on, window_days=window, late_days=late)
    admitted = pf.facts[0].on if pf.facts else None
    latest = pf.facts[-1].on if pf.facts else None
    person = (
        pf.person, pf.institution, itype, admitted, review.skipped is None, review.skipped, latest
    )  # fmt: skip
    return (
        person,
        list(_placements(pf, itype, register)),
        review.decisions,
        review.waits,
        review.penalties,
        review.unsupported,
        review.loopholes,
        review.corrections,
        review.written,
    )


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic collector off while files are read and reviewed.

    A worker holds hundreds of thousands of acyclic objects (facts, payloads, rows): each pass of the
    collector walked them all again, a quarter of the time; reference counting still frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _worker(k: int, lo: str | None, hi: str | None, conn: Connection) -> None:
    """One forked worker: read its range of subjects (own connection), report, review, spool."""
    gc.disable()  # see _no_cyclic_gc; the process ends with the review
    try:
        sh = _SHARED
        clock, cpu = time.perf_counter, time.process_time
        started, used = clock(), cpu()
        spool = _Spool(sh["folder"], f"-{k}")
        if sh["parts"] is not None:  # files read by the parent (no database URL)
            files, latest = sh["parts"][k]
        else:
            from adaldyq.ledger.store import connect_reader

            db = connect_reader(sh["url"])
            try:
                files, latest = _read_part(db.cursor(), lo, hi, sh["upto"], spool)
            finally:
                db.close()
        conn.send(("read", len(files), latest, clock() - started, cpu() - used))
        on = sh["on"] if sh["on"] is not None else conn.recv()
        started, used = clock(), cpu()
        _review_part(
            files, sh["law"], sh["register"], on, sh["window"], spool,
            lambda n: conn.send(("reviewed", n)), sh["late"],
        )  # fmt: skip
        spool.close()
        conn.send(("done", clock() - started, cpu() - used))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _ranges(cursor: Cursor, parts: int, upto: int) -> list[tuple[str | None, str | None]]:
    """`parts` contiguous ranges of subjects holding about as many entries each."""
    bounds: list[str] = []
    for i in range(1, parts):
        execute(
            cursor,
            "SELECT subject FROM ledger_entries ORDER BY subject LIMIT 1 OFFSET %s",
            [upto * i // parts],
        )
        row = cursor.fetchone()
        if row is not None and (not bounds or row[0] > bounds[-1]):
            bounds.append(str(row[0]))
    edges: list[str | None] = [None, *bounds, None]
    return list(itertools.pairwise(edges))


def _in_workers(
    ranges: list[tuple[str | None, str | None]],
    on: date | None,
    progress: Callable[[int, int], None] | None,
    timings: dict[str, float],
) -> date:
    """Run `_worker` in forked processes (`_SHARED` set); the review date they used.

    `timings` receives the slowest worker's seconds reading and reviewing.
    """
    ctx = mp.get_context("fork")
    conns: list[Connection] = []
    procs = []
    try:
        for k, (lo, hi) in enumerate(ranges):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(k, lo, hi, theirs), daemon=True)
            proc.start()
            theirs.close()
            conns.append(mine)
            procs.append(proc)
        _SHARED.clear()
        read = [_expect(c, "read") for c in conns]
        total = sum(int(m[1]) for m in read)
        latest = max((m[2] for m in read), default=date.min)
        timings["worker_read"] = max(float(m[3]) for m in read)
        timings["worker_read_cpu"] = sum(float(m[4]) for m in read)
        review_on = on or (latest if latest > date.min else date.today())  # noqa: DTZ011
        if on is None:
            for c in conns:
                c.send(review_on)
        done, waiting, slowest, review_cpu = 0, list(conns), 0.0, 0.0
        while waiting:
            for ready in mp_connection.wait(waiting):
                message = _expect(ready, "reviewed", "done")
                if message[0] == "done":
                    waiting.remove(ready)  # type: ignore[arg-type]
                    slowest = max(slowest, float(message[1]))
                    review_cpu += float(message[2])
                    continue
                done += int(message[1])
                if progress is not None:
                    progress(done, total)
        for proc in procs:
            proc.join()
        timings["worker_review"] = slowest
        timings["worker_review_cpu"] = review_cpu
        return review_on
    finally:
        _SHARED.clear()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for c in conns:
            c.close()


def _expect(conn: Any, *kinds: str) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = conn.recv()
    except EOFError:
        raise RuntimeError("an oversight worker ended without its result") from None
    if message[0] == "error":
        raise RuntimeError(f"an oversight worker failed:\n{message[1]}")
    if message[0] not in kinds:
        raise RuntimeError(f"an oversight worker sent {message[0]!r}, expected {kinds}")
    return message


def build_register(
    cursor: Cursor,
    *,
    law: LawPack,
    register: Mapping[str, str],
    on: date | None = None,
    thresholds: Thresholds | None = None,
    progress: Callable[[int, int], None] | None = None,
    workdir: Path | None = None,
    url: str | None = None,
    workers: int | None = None,
    timings: dict[str, float] | None = None,
) -> Register:
    """Read the ledger once, review every file with the engine, and load the tables into DuckDB.

    `register` maps institution codes to types (`adaldyq.web.institutions.register.institution_types`); `on` is the
    review date (default: the latest date of any fact in the ledger); `progress(done, total)`
    is called as people are reviewed.

    A large ledger (`_PARALLEL_FROM` entries) is read and reviewed in one forked process per core
    (`workers`: that many; 1: in this process): given `url`, the database `cursor` reads, each
    worker reads its own contiguous range of subjects through its own connection (up to the
    cursor's latest entry, so all see one ledger); without it, this process reads the files and
    the workers review them. Each worker spools its own rows; the review date (the latest fact
    in the ledger unless `on` is given) is settled between the reading and the review.
    `timings`, if given, receives the seconds spent in each stage.
    """
    thresholds = thresholds or Thresholds()
    window = thresholds.penalty_window_days
    clock = time.perf_counter
    started = clock()
    stages: dict[str, float] = {}
    cursor.execute("SELECT max(seq) FROM ledger_entries")
    row = cursor.fetchone()
    upto = int(row[0]) if row and row[0] is not None else -1
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if upto + 1 >= _PARALLEL_FROM else 1
    if "fork" not in mp.get_all_start_methods():
        workers = 1
    with tempfile.TemporaryDirectory(prefix="adaldyq-oversight-", dir=workdir) as tmp:
        folder = Path(tmp)
        spool = _Spool(folder, "-main")
        shared = {
            "folder": folder, "law": law, "register": register, "on": on, "window": window,
            "late": thresholds.late_days,
        }  # fmt: skip
        with _no_cyclic_gc():
            if workers > 1 and url is not None:
                ranges = _ranges(cursor, workers, upto + 1)
                _SHARED.update(shared, url=url, upto=upto, parts=None)
                review_on = _in_workers(ranges, on, progress, stages)
                read_s = review_s = clock() - started
            else:
                files, latest = _read_part(cursor, None, None, upto, spool)
                read_s = clock() - started
                review_on = on or (latest if latest > date.min else date.today())  # noqa: DTZ011
                if workers > 1 and len(files) >= workers:
                    size = -(-len(files) // workers)
                    parts = [(files[i : i + size], latest) for i in range(0, len(files), size)]
                    _SHARED.update(shared, on=review_on, parts=parts)
                    _in_workers([(None, None)] * len(parts), review_on, progress, stages)
                else:
                    total = len(files)
                    done = [0]

                    def step(n: int) -> None:
                        done[0] += n
                        if progress is not None:
                            progress(done[0], total)

                    _review_part(
                        files, law, register, review_on, window, spool, step, thresholds.late_days
                    )
                review_s = clock() - started
        spool.close()
        reg = Register(review_on, thresholds, law)
        reg.load(spool)
        reg.upto, reg.types, reg.fixed_on = upto, dict(register), on is not None
        loaded = clock() - started
    if timings is not None:
        timings.update(stages, read=read_s, read_and_review=review_s, load=loaded - review_s)
    return reg


#: The visit and visitor entries standing (not corrected), with the fields the flags read; `{mine}`
#: narrows them to the people of the table `changed` (`_MINE`) or not.
_EXTRA_SQL = """
SELECT r.seq, r.subject AS person, r.type, r.payload."on" AS day, r.actor.id AS officer,
       r.actor.authority AS authority, r.payload.kind AS kind,
       r.payload.visitor AS visitor, r.payload.relationship AS relationship,
       coalesce(r.payload.approved, true) AS approved
FROM raw r
WHERE r.type IN ('visit', 'visitor_registered', 'visitor_approved'){mine}
  AND r.seq NOT IN (SELECT corrects FROM raw r WHERE corrects IS NOT NULL{mine})
"""
#: Each visit with the placement it fell in.
_VISITS_SQL = """
SELECT v.seq, v.person, v.day, v.kind, v.visitor, v.officer, v.authority,
       p.institution, p.itype, p.condition
FROM (SELECT * FROM extra r WHERE type = 'visit'{mine}) v
ASOF LEFT JOIN (SELECT * FROM placements r WHERE true{mine}) p
  ON v.person = p.person AND v.day >= p.day
"""
_MINE = " AND r.{column} IN (SELECT person FROM changed)"


def _files(paths: list[Path]) -> str:
    """A DuckDB list literal of our temporary files."""
    return "[" + ", ".join(f"'{p}'" for p in paths) + "]"


class Register:
    """The tables in an in-memory DuckDB database, and the queries over them."""

    def __init__(self, on: date, thresholds: Thresholds, law: LawPack) -> None:
        self.on = on
        self.thresholds = thresholds
        self.law = law
        self.db = duckdb.connect(":memory:")
        #: Flags computed elsewhere from the same ledger (commission sessions, transfers), added by
        #: `add_flags`, listed with the register's own.
        self.extra: list[Flag] = []
        #: The ledger's latest entry the tables were computed from (`refresh` brings them up to date),
        #: the institutions register, and whether the review date was given (not the latest fact).
        self.upto = -1
        self.types: dict[str, str] = {}
        self.fixed_on = False
        #: The flags of the queries and the patterns by kind, kept between refreshes: computed whole
        #: the first time (or when the parameters change), then for the people in `_changed` and the
        #: visitors in `_touched` (what refreshes replaced since) only (`_kept_flags`).
        self._kept: dict[str, KindFlags] | None = None
        self._kept_params: dict[str, Any] = {}
        self._changed: set[str] = set()
        self._touched: set[str] = set()
        #: Where each kept flag is: the flags of one person (kinds but `_BY_VISITOR`), of one visitor,
        #: and of the visits of one person without a visitor (kinds `_BY_VISITOR`).
        self._of_person: dict[str, list[Flag]] = {}
        self._of_visitor: dict[str, list[Flag]] = {}
        self._of_person_unnamed: dict[str, list[Flag]] = {}
        self._views = False  # the schemas `mine` and `seen` (`_create_views`)
        #: The patterns' tests of each measure, with the counts they were computed from (`_units`).
        self._measures: dict[str, tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}

    def add_flags(self, flags: Iterable[Flag]) -> None:
        """Add flags computed from the ledger by another module (same `Flag` shape)."""
        self.extra.extend(flags)

    def load(self, spool: _Spool) -> None:
        """Create the tables from the spooled NDJSON files."""
        self.folder = spool.folder
        db = self.db
        for table, columns in ROW_COLUMNS_ALL.items():
            spec = ", ".join(f'"{c}" {t}' for c, t in columns)
            db.execute(f"CREATE TABLE {table} ({spec})")
            rows = spool.rows_sql(table)
            if rows is not None:
                db.execute(f"INSERT INTO {table} {rows}")
        db.execute(
            "CREATE TABLE raw (seq BIGINT, subject VARCHAR, type VARCHAR, corrects BIGINT, "
            'actor STRUCT(id VARCHAR, authority VARCHAR), payload STRUCT("on" DATE, kind VARCHAR, '
            "visitor VARCHAR, relationship VARCHAR, approved BOOLEAN))"
        )
        paths = spool.paths("extra")
        if paths:
            db.execute(
                "INSERT INTO raw SELECT seq, subject, type, corrects, actor, payload "  # noqa: S608
                f"FROM read_ndjson({_files(paths)}, columns={_EXTRA_COLUMNS})"
            )
        self._derive()

    def _derive(self, changed: bool = False) -> None:
        """The visit tables, from `raw` and the placements: whole after a build; after a `refresh`
        (`changed`), the rows of the people in the table `changed` only (a correction is an entry of
        the file it corrects, so their rows depend on their own entries alone)."""
        db = self.db
        if not changed:
            for table in ("extra", "visits", "entitlement"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute(f"CREATE TABLE extra AS {_EXTRA_SQL.format(mine='')}")
            db.execute(f"CREATE TABLE visits AS {_VISITS_SQL.format(mine='')}")
            db.execute(
                "CREATE TABLE entitlement (itype VARCHAR, condition VARCHAR, day DATE, kind VARCHAR, "
                "allowed INTEGER, determinable BOOLEAN, confidence VARCHAR, article VARCHAR)"
            )
            self._entitlements("SELECT DISTINCT itype, condition, day FROM visits")
            return
        for table, sql, column in (
            ("extra", _EXTRA_SQL, "subject"),
            ("visits", _VISITS_SQL, "person"),
        ):
            db.execute(f"DELETE FROM {table} WHERE person IN (SELECT person FROM changed)")  # noqa: S608
            db.execute(f"INSERT INTO {table} {sql.format(mine=_MINE.format(column=column))}")
        # the law's figures for the days of their visits not seen yet (the others are there)
        self._entitlements(
            "SELECT DISTINCT itype, condition, day FROM visits "
            "WHERE person IN (SELECT person FROM changed) "
            "EXCEPT SELECT itype, condition, day FROM entitlement"
        )

    def _entitlements(self, keys_sql: str) -> None:
        """Visit entitlements from the law pack for the (type, condition, date) `keys_sql` selects."""
        db = self.db
        keys = db.execute(f"SELECT * FROM ({keys_sql}) WHERE itype IS NOT NULL").fetchall()  # noqa: S608
        spool = self.folder / "entitlement.ndjson"
        conditions = self._conditions()
        resolve = self.law.resolve
        with spool.open("wb") as out:
            for itype, condition, day in keys:
                if (itype, condition) not in conditions:
                    continue
                # The two figures of `adaldyq.law.rules.visits.entitlements` the flags use.
                for kind in ("short", "long"):
                    r = resolve(f"entitlements.{itype}.{condition}.{kind}_visits_per_year", day)
                    determinable = r.value is not None
                    row = {
                        "itype": itype, "condition": condition, "day": day, "kind": kind,
                        "allowed": int(r.value) if determinable else None,
                        "determinable": determinable, "confidence": r.ref.confidence,
                        "article": r.ref.article,
                    }  # fmt: skip
                    out.write(orjson.dumps(row) + b"\n")
        if spool.stat().st_size:
            db.execute(
                f"INSERT INTO entitlement SELECT * FROM read_ndjson('{spool}', columns={_ENT_COLUMNS})"  # noqa: S608 - our temp file
            )

    def refresh(self, cursor: Cursor, *, workdir: Path | None = None) -> bool:
        """Bring the tables up to the ledger's latest entry: the files of the subjects with entries
        since `upto` are read and reviewed again, their rows replaced, the visit tables derived again
        (ADR 0036). False when that cannot be done in place and the register must be built again: a
        fact dated after the review date arrived (the review date is the latest fact's day, unless
        it was given), or the latest fact is no longer that day (it was corrected or withdrawn).
        Flags added by `add_flags` are the caller's to compute again."""
        cursor.execute("SELECT max(seq) FROM ledger_entries")
        row = cursor.fetchone()
        upto = int(row[0]) if row and row[0] is not None else -1
        if upto <= self.upto:
            return True
        # a refresh's statements are small: one thread each (a second one cost more than it gave)
        self.db.execute("SET threads = 1")
        # the subjects of the entries the register reads (`_scan`): not the record of who read what
        found = (
            "instr(body, %s) = 0" if dialect_of(cursor) == "sqlite" else "position(%s in body) = 0"
        )
        execute(
            cursor,
            "SELECT DISTINCT subject FROM ledger_entries WHERE seq > %s AND seq <= %s "  # noqa: S608 - our constants
            f"AND (type IN ({_READ_SQL}) OR {found})",
            [self.upto, upto, _NO_CORRECTION],
        )
        subjects = sorted(str(r[0]) for r in cursor.fetchall())
        if not subjects:
            self.upto = upto
            return True
        t = self.thresholds
        with tempfile.TemporaryDirectory(prefix="adaldyq-oversight-", dir=workdir) as tmp:
            spool = _Spool(Path(tmp), "-main")
            files: list[PersonalFile] = []
            latest = date.min
            with _no_cyclic_gc():
                for i in range(0, len(subjects), 500):
                    part, last = _read_part(cursor, None, None, upto, spool, subjects[i : i + 500])
                    files.extend(part)
                    latest = max(latest, last)
                if not self.fixed_on and self._latest_besides(subjects, latest) != self.on:
                    spool.close()  # a fresh register would be reviewed on another day
                    return False
                _review_part(
                    files, self.law, self.types, self.on, t.penalty_window_days, spool,
                    late=t.late_days,
                )  # fmt: skip
            spool.close()
            self._replace(spool, subjects)
        self.upto = upto
        return True

    def _visitors(self) -> set[str]:
        """The visitors named by the visit and visitor entries of the people in `changed`."""
        rows = self.db.execute(
            "SELECT DISTINCT payload.visitor FROM raw WHERE payload.visitor IS NOT NULL "
            "AND subject IN (SELECT person FROM changed)"
        ).fetchall()
        return {str(r[0]) for r in rows}

    def _latest_besides(self, subjects: list[str], latest: date) -> date:
        """The latest fact's day over the files but those of `subjects`, and `latest` (theirs)."""
        row = self.db.execute(
            "SELECT max(latest) FROM people WHERE NOT list_contains($subjects, person)",
            {"subjects": subjects},
        ).fetchone()
        rest = row[0] if row and row[0] is not None else date.min
        return max(rest, latest)

    def _replace(self, spool: _Spool, subjects: list[str]) -> None:
        """Replace the rows of `subjects` with those spooled, then derive the visit tables again."""
        db = self.db
        db.execute("CREATE OR REPLACE TEMP TABLE changed (person VARCHAR)")
        db.executemany("INSERT INTO changed VALUES (?)", [(p,) for p in subjects])
        # the flags to compute again (`_kept_flags`): these people's, and those of every visitor
        # their entries name, before and after (other people's flags read that visitor's entries)
        self._changed.update(subjects)
        self._touched |= self._visitors()
        for table in ROW_COLUMNS_ALL:
            db.execute(f"DELETE FROM {table} WHERE person IN (SELECT person FROM changed)")  # noqa: S608
            rows = spool.rows_sql(table)
            if rows is not None:
                db.execute(f"INSERT INTO {table} {rows}")
        db.execute("DELETE FROM raw WHERE subject IN (SELECT person FROM changed)")
        paths = spool.paths("extra")
        if paths:
            db.execute(
                "INSERT INTO raw SELECT seq, subject, type, corrects, actor, payload "  # noqa: S608
                f"FROM read_ndjson({_files(paths)}, columns={_EXTRA_COLUMNS})"
            )
        self.folder = spool.folder
        self._touched |= self._visitors()
        self._derive(changed=True)

    def _conditions(self) -> set[tuple[str, str]]:
        return {(t, c) for t, cs in self.law.conditions.items() for c in cs}

    # --- queries -------------------------------------------------------------------------------

    def _params(self) -> dict[str, Any]:
        t = self.thresholds
        return {
            "as_of": self.on,
            "grounds_days": t.grounds_days,
            "delay_days": t.delay_days,
            "window_days": t.penalty_window_days,
            "unsupported_days": t.unsupported_days,
        }

    def _run(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        return self.db.execute(sql, used).fetchall()

    def flags(
        self,
        *,
        kind: str | None = None,
        institution: str | None = None,
        classes: Iterable[str] | None = None,
    ) -> list[Flag]:
        """Every flag (or those of one kind / institution / classes), ordered by kind, date, person."""
        wanted = set(classes) if classes is not None else None
        kept = self.kept_flags()
        extra: dict[str, list[Flag]] = {}
        for f in self.extra:
            extra.setdefault(f.kind, []).append(f)
        out: list[Flag] = []
        for name in sorted(kept.keys() | extra.keys()):
            if (kind is not None and name != kind) or (
                wanted is not None and flag_class(name) not in wanted
            ):
                continue
            own = kept[name].flags if name in kept else []
            found = sorted_flags([*extra[name], *own]) if name in extra else own
            if institution is not None:
                found = [f for f in found if f.institution == institution]
            out.extend(found)
        return out

    def kept_flags(self) -> dict[str, KindFlags]:
        """The register's own flags (the queries' and the patterns'; not `extra`) by kind, brought up
        to date with the refreshes since the last call: the flags of the people they read again,
        and those of the visitors their entries name (another person's visit under that visitor
        reads them), are computed again, the others kept; the patterns again when their counts
        moved. Each kind's version moves only when its flags changed."""
        params = self._params()
        kept = self._kept
        if kept is None or params != self._kept_params:
            kept = self._kept = self._keep_all(params)
        elif self._changed or self._touched:
            self._keep_changes(kept, params)
        else:
            return kept
        self._changed, self._touched = set(), set()
        patterns = kept.setdefault("rate_outlier", KindFlags())
        patterns.replace(list(patterns.flags), self.patterns())
        return kept

    def _query_flags(self, names: Iterable[str], params: dict[str, Any]) -> list[Flag]:
        """The flags of the queries `names`, run as one statement (DuckDB's cost of a statement,
        not of its rows, is most of a refresh's)."""
        sql = " UNION ALL ".join(f"SELECT * FROM ({FLAG_QUERIES[name]})" for name in names)  # noqa: S608 - our constants
        out: list[Flag] = []
        if sql:
            for k, person, inst, officer, on, evidence, rule, conf, detail in self._run(
                sql, params
            ):
                out.append(
                    Flag(
                        k, person or "", inst or "", officer or "", on,
                        tuple(sorted({int(e) for e in evidence or () if e is not None})),
                        rule or FLAG_KINDS.get(k, ""), conf or "P",
                        orjson.loads(detail) if isinstance(detail, str) else dict(detail or {}),
                    )
                )  # fmt: skip
        return out

    def _keep_all(self, params: dict[str, Any]) -> dict[str, KindFlags]:
        self._of_person, self._of_visitor, self._of_person_unnamed = {}, {}, {}
        found = self._query_flags(FLAG_QUERIES, params)
        self._index(found)
        by_kind: dict[str, list[Flag]] = {name: [] for name in FLAG_QUERIES}
        for f in found:
            by_kind.setdefault(f.kind, []).append(f)
        self._kept_params = params
        self._measures = {}
        return {name: KindFlags(fs) for name, fs in by_kind.items()}

    def _index(self, found: Iterable[Flag]) -> None:
        for f in found:
            if f.kind not in _BY_VISITOR:
                self._of_person.setdefault(f.person, []).append(f)
            elif f.detail.get("visitor") is None:
                self._of_person_unnamed.setdefault(f.person, []).append(f)
            else:
                self._of_visitor.setdefault(str(f.detail["visitor"]), []).append(f)

    def _keep_changes(self, kept: dict[str, KindFlags], params: dict[str, Any]) -> None:
        """Compute again the flags of the people in `_changed` (their own rows: the views of schema
        `mine`) and of the visitors in `_touched` (every row naming them: schema `seen`)."""
        db = self.db
        db.execute(
            "CREATE OR REPLACE TABLE main.flag_people AS SELECT unnest($1::VARCHAR[]) AS person",
            [sorted(self._changed)],
        )
        db.execute(
            "CREATE OR REPLACE TABLE main.flag_visitors AS SELECT unnest($1::VARCHAR[]) AS visitor",
            [sorted(self._touched)],
        )
        if not self._views:
            self._create_views()
            self._views = True
        try:
            db.execute("SET search_path = 'mine,main'")
            found = self._query_flags([n for n in FLAG_QUERIES if n not in _BY_VISITOR], params)
            db.execute("SET search_path = 'seen,main'")
            found += self._query_flags([n for n in FLAG_QUERIES if n in _BY_VISITOR], params)
        finally:
            db.execute("SET search_path = 'main'")
        old: list[Flag] = []
        for p in self._changed:
            old += self._of_person.pop(p, [])
            old += self._of_person_unnamed.pop(p, [])
        for v in self._touched:
            old += self._of_visitor.pop(v, [])
        for name in FLAG_QUERIES:
            self._index(
                kept[name].replace(
                    [f for f in old if f.kind == name], [f for f in found if f.kind == name]
                )
            )

    def _create_views(self) -> None:
        """Schema `mine`: the rows of the people in `flag_people`; schema `seen`: the visit and visitor
        rows naming a visitor in `flag_visitors`, and those naming none of those people (every
        table they do not narrow is read from `main`)."""
        db = self.db
        db.execute("CREATE SCHEMA IF NOT EXISTS mine")
        db.execute("CREATE SCHEMA IF NOT EXISTS seen")
        people = "person IN (SELECT person FROM main.flag_people)"
        for table in (*ROW_COLUMNS_ALL, "extra", "visits"):
            db.execute(
                f"CREATE OR REPLACE VIEW mine.{table} AS SELECT * FROM main.{table} WHERE {people}"  # noqa: S608 - our names
            )
        for table in ("extra", "visits"):
            db.execute(
                f"CREATE OR REPLACE VIEW seen.{table} AS SELECT * FROM main.{table} "  # noqa: S608 - our names
                "WHERE visitor IN (SELECT visitor FROM main.flag_visitors) "
                f"OR (visitor IS NULL AND {people})"
            )

    def rate_units(self) -> list[dict[str, Any]]:
        """Every institution and officer of every measure: n, k, the national rate, the exact
        one-sided binomial p-value, its Benjamini-Hochberg q-value across all units of the measure,
        the funnel's upper limits for its n, and whether it stands out (ADR 0020)."""
        keys = ("measure", "level", "unit", "institution", "officer", "n", "k", "rate", "national",
                "p_value", "hits", "q_value")  # fmt: skip
        return [
            {**{k: u[k] for k in keys}, "funnel": self._funnel(u), "stands_out": u["stands_out"]}
            for u in self._units()
        ]

    def _funnel(self, u: dict[str, Any]) -> dict[str, float | None]:
        low, high = self.thresholds.funnel_alphas
        n, p = u["n"], u["national"]
        return {
            "upper_95": funnel_limit(n, p, low) / n if n else None,
            "upper_998": funnel_limit(n, p, high) / n if n else None,
        }

    def _units(self) -> list[dict[str, Any]]:
        """`rate_units` without the funnel. The tests of a measure are taken from the last call when
        its counts (every unit's n and k, and the national rate) have not moved."""
        t = self.thresholds
        rows = self._run(RATE_QUERIES["rate_outlier"], self._params())
        by_measure: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_measure.setdefault(row[0], []).append(row)
        units: list[dict[str, Any]] = []
        measures: dict[str, tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}
        for measure, group in by_measure.items():
            counts = tuple(
                (level, unit, inst, officer, int(n), int(k or 0), float(p or 0.0))
                for _, level, unit, inst, officer, n, k, p, _ in group
            )
            known = self._measures.get(measure)
            if known is not None and known[0] == counts:
                tested = [dict(u) for u in known[1]]
            else:
                tested = []
                for level, unit, inst, officer, n, k, p in counts:
                    tested.append(
                        {
                            "measure": measure, "level": level, "unit": unit,
                            "institution": inst or "", "officer": officer or "", "n": n, "k": k,
                            "rate": k / n if n else 0.0, "national": p,
                            "p_value": binomial_sf(k, n, p),
                        }
                    )  # fmt: skip
                for u, q in zip(tested, bh_adjust([u["p_value"] for u in tested]), strict=True):
                    u["q_value"] = q
                    p = u["national"]
                    u["stands_out"] = 0.0 < p < 1.0 and u["rate"] >= p * t.min_ratio and q <= t.fdr
            measures[measure] = (counts, [dict(u) for u in tested])
            for u, row in zip(tested, group, strict=True):
                u["hits"] = [int(h) for h in row[8] or ()]
            units.extend(tested)
        self._measures = measures
        return units

    def patterns(self) -> list[Flag]:
        """The institutions and officers whose share stands out (`rate_units`), as `pattern` flags
        naming their leads (the first `_PATTERN_EVIDENCE` as evidence)."""
        t = self.thresholds
        out = []
        for u in self._units():
            if not u["stands_out"]:
                continue
            n, k, p = u["n"], u["k"], u["national"]
            funnel = self._funnel(u)
            detail = {
                "measure": u["measure"], "level": u["level"], "unit": u["unit"], "n": n, "k": k,
                "rate": round(u["rate"], 4), "national": round(p, 4),
                "ratio": round(u["rate"] / p, 2) if p else None,
                "p_value": float(f"{u['p_value']:.3g}"), "q_value": float(f"{u['q_value']:.3g}"),
                "fdr": t.fdr, "min_ratio": t.min_ratio,
                **{a: round(v, 4) for a, v in funnel.items() if v is not None},
                "leads": MEASURE_LEADS.get(u["measure"]),
            }  # fmt: skip
            out.append(
                Flag(
                    "rate_outlier", "", u["institution"], u["officer"], None,
                    tuple(u["hits"][:_PATTERN_EVIDENCE]), FLAG_KINDS["rate_outlier"], "P", detail,
                    "pattern",
                )
            )  # fmt: skip
        return out

    def delays(self) -> dict[str, Any]:
        """The distribution of days between qualifying and the decision, per kind of step."""
        rows = self.db.execute(
            """
            SELECT kind, count(*), min(d), quantile_cont(d, 0.5), quantile_cont(d, 0.9),
                   quantile_cont(d, 0.99), max(d), avg(d)
            FROM (SELECT kind, datediff('day', qualified_on, day) AS d FROM decisions
                  WHERE supported AND qualified_on IS NOT NULL)
            GROUP BY kind ORDER BY kind
            """
        ).fetchall()
        keys = ("count", "min", "median", "p90", "p99", "max", "mean")
        return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}

    def longest_waiting(self, limit: int = 20) -> list[dict[str, Any]]:
        """People still waiting for a step they qualify for, longest first."""
        rows = self.db.execute(
            """
            SELECT person, institution, kind, target, min(qualified_on) AS since,
                   datediff('day', min(qualified_on), $as_of) AS days
            FROM waits WHERE ended = 'open' AND qualified_on <= $as_of
            GROUP BY person, institution, kind, target
            ORDER BY days DESC, person LIMIT $limit
            """,
            {"as_of": self.on, "limit": limit},
        ).fetchall()
        keys = ("person", "institution", "kind", "target", "since", "days")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def not_determinable(self) -> dict[str, int]:
        """How many decisions and visits the law pack could not check (a figure is unknown)."""
        decisions = self.db.execute(
            "SELECT count(*) FROM decisions WHERE NOT determinable"
        ).fetchone()
        visits = self.db.execute(
            """
            SELECT count(*) FROM visits v LEFT JOIN entitlement e
              ON e.itype = v.itype AND e.condition = v.condition AND e.day = v.day AND e.kind = v.kind
            WHERE e.determinable IS NOT TRUE
            """
        ).fetchone()
        skipped = self.db.execute("SELECT count(*) FROM people WHERE NOT reviewed").fetchone()
        return {
            "decisions": int(decisions[0]) if decisions else 0,
            "visits": int(visits[0]) if visits else 0,
            "people_not_reviewed": int(skipped[0]) if skipped else 0,
        }

    def counts(self) -> dict[str, int]:
        """Rows in each table (what the register was computed from)."""
        tables = [*ROW_COLUMNS_ALL, "extra", "visits"]
        out = {}
        for t in tables:
            row = self.db.execute(f"SELECT count(*) FROM {t}").fetchone()  # noqa: S608 - our names
            out[t] = int(row[0]) if row else 0
        return out

    def close(self) -> None:
        """Release the DuckDB database."""
        self.db.close()
