"""The register of flags: the ledger's facts and the engine's rows in DuckDB, flags by SQL.

    reg = build_register(cursor, law=LawPack.load(overlay="demo"), register={"UK-1": "medium"})
    reg.flags(kind="delayed_award")   -> list[Flag]
    reg.delays()                      the delay distribution (award or transfer after qualifying)
    reg.longest_waiting(20)           people waiting longest for a step they qualify for
    reg.rates()                       institutions and officers that stand out (z-scores)

One SQL pass reads the ledger (`adaldyq.oversight.files`). The facts the law engine reads go
through `adaldyq.oversight.review`, at the few dates that matter per person; the rest (visits,
visitors) go to DuckDB as the ledger's own JSON bodies, parsed there. Every flag is then a SQL
query over those tables, with the thresholds as parameters (`Thresholds`), never a counter kept
by hand. Each flag names its evidence (ledger sequence numbers) and the rule it rests on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import orjson

from adaldyq.core.facts import EVENT_TYPES
from adaldyq.law import LawPack
from adaldyq.law.rules.visits import entitlements
from adaldyq.ledger.sql import Cursor
from adaldyq.oversight.files import (
    PERSON_ADMITTED,
    PersonFile,
    build_file,
    institution_type,
)
from adaldyq.oversight.review import ROW_COLUMNS, review_file
from adaldyq.oversight.sql import FLAG_QUERIES, RATE_QUERIES

__all__ = ["FLAG_KINDS", "Flag", "Register", "Thresholds", "build_register"]

#: Entry types the engine reads (with the admission and transfers); the rest stay JSON for DuckDB.
_ENGINE_TYPES = frozenset(EVENT_TYPES) | {PERSON_ADMITTED, "transferred"}
_VISIT_TYPES = frozenset({"visit", "visitor_registered", "visitor_approved"})
_FETCH = 5000
_PLACEMENTS = frozenset({"arrived", "condition_changed", "transferred"})

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
    "rate_outlier": "oversight statistics (ADR 0008): share against the national distribution",
}


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
    #: An institution's or officer's share stands out above this z-score ...
    rate_z: float = 3.0
    #: ... when it rests on at least this many decisions, penalties or visits.
    rate_min_n: int = 20


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        out = asdict(self)
        out["on"] = self.on.isoformat() if self.on else None
        out["evidence"] = list(self.evidence)
        return out


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
    """NDJSON files DuckDB reads in bulk (no per-row inserts)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.handles: dict[str, Any] = {}

    def write(self, table: str, line: bytes) -> None:
        handle = self.handles.get(table)
        if handle is None:
            handle = self.handles[table] = (self.folder / f"{table}.ndjson").open("wb")
        handle.write(line)
        handle.write(b"\n")

    def rows(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        names = [c for c, _ in ROW_COLUMNS_ALL[table]]
        dumps = orjson.dumps
        for row in rows:
            self.write(table, dumps(dict(zip(names, row, strict=True))))

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()

    def path(self, table: str) -> Path | None:
        p = self.folder / f"{table}.ndjson"
        return p if p.exists() and p.stat().st_size else None


_PEOPLE_COLUMNS = (
    ("person", "VARCHAR"),
    ("institution", "VARCHAR"),
    ("itype", "VARCHAR"),
    ("admitted_on", "DATE"),
    ("reviewed", "BOOLEAN"),
    ("skipped", "VARCHAR"),
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
    pf: PersonFile, itype: str | None, register: Mapping[str, str]
) -> Iterator[tuple[Any, ...]]:
    institution, kind, condition = pf.institution, itype, "regular"
    for f in pf.facts:
        if f.type not in _PLACEMENTS:
            continue
        if f.type == "arrived":
            condition = str(f.data.get("condition") or "regular")
            institution = str(f.data.get("institution") or institution)
        elif f.type == "condition_changed":
            condition = str(f.data.get("to") or condition)
        else:
            institution = str(f.data.get("institution") or institution)
            condition = str(f.data.get("condition") or "regular")
            kind = register.get(institution) or f.data.get("institution_type") or kind
        yield (pf.person, f.seq, f.on, institution, kind, condition)


def _scan(cursor: Cursor) -> Iterator[tuple[str, list[tuple[int, str, bytes]]]]:
    """(subject, [(seq, type, body)]) for every subject, in one pass ordered by subject."""
    sql = "SELECT subject, seq, type, body FROM ledger_entries ORDER BY subject, seq"
    cursor.execute(sql)
    current: str | None = None
    rows: list[tuple[int, str, bytes]] = []
    while True:
        batch = cursor.fetchmany(_FETCH)  # type: ignore[attr-defined]
        if not batch:
            break
        for subject, seq, kind, body in batch:
            if subject != current:
                if current is not None:
                    yield current, rows
                current, rows = subject, []
            rows.append((seq, kind, body if isinstance(body, bytes) else bytes(body)))
    if current is not None:
        yield current, rows


_Rows = tuple[
    tuple[Any, ...],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
]
#: What forked reviewers read (set just before the fork, so it is not pickled).
_SHARED: dict[str, Any] = {}
_CHUNK = 500
_PARALLEL_FROM = 4000


def _review_one(
    pf: PersonFile, law: LawPack, register: Mapping[str, str], on: date, window: int
) -> _Rows:
    itype = institution_type(pf, register)
    review = review_file(pf, law=law, register=register, on=on, window_days=window)
    admitted = pf.facts[0].on if pf.facts else None
    person = (pf.person, pf.institution, itype, admitted, review.skipped is None, review.skipped)
    return (
        person,
        list(_placements(pf, itype, register)),
        review.decisions,
        review.waits,
        review.penalties,
        review.unsupported,
    )


def _review_chunk(start: int) -> list[_Rows]:
    sh = _SHARED
    files = sh["files"][start : start + _CHUNK]
    return [_review_one(pf, sh["law"], sh["register"], sh["on"], sh["window"]) for pf in files]


def _review_all(
    files: list[PersonFile],
    law: LawPack,
    register: Mapping[str, str],
    on: date,
    thresholds: Thresholds,
    progress: Callable[[int, int], None] | None,
) -> Iterator[tuple[int, _Rows]]:
    """Review every file, in file order; on a large register, in one forked process per core."""
    window = thresholds.penalty_window_days
    workers = min(os.cpu_count() or 1, 8)
    starts = range(0, len(files), _CHUNK)
    if workers < 2 or len(files) < _PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        chunks: Iterable[list[_Rows]] = (
            [_review_one(pf, law, register, on, window) for pf in files[i : i + _CHUNK]]
            for i in starts
        )
        yield from _numbered(chunks, len(files), progress)
        return
    _SHARED.update(files=files, law=law, register=register, on=on, window=window)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            yield from _numbered(pool.imap(_review_chunk, starts), len(files), progress)
    finally:
        _SHARED.clear()


def _numbered(
    chunks: Iterable[list[_Rows]], total: int, progress: Callable[[int, int], None] | None
) -> Iterator[tuple[int, _Rows]]:
    done = 0
    for chunk in chunks:
        for rows in chunk:
            done += 1
            yield done, rows
        if progress is not None:
            progress(done, total)


def build_register(
    cursor: Cursor,
    *,
    law: LawPack,
    register: Mapping[str, str],
    on: date | None = None,
    thresholds: Thresholds | None = None,
    progress: Callable[[int, int], None] | None = None,
    workdir: Path | None = None,
) -> Register:
    """Read the ledger once, review every file with the engine, and load the tables into DuckDB.

    `register` maps institution codes to types (`files.read_institution_types`); `on` is the
    review date (default: the latest date of any fact in the ledger); `progress(done, total)`
    is called as people are reviewed.
    """
    thresholds = thresholds or Thresholds()
    loads = orjson.loads
    with tempfile.TemporaryDirectory(prefix="adaldyq-oversight-", dir=workdir) as tmp:
        spool = _Spool(Path(tmp))
        files: list[PersonFile] = []
        latest = date.min
        for subject, rows in _scan(cursor):
            parsed: list[tuple[int, str, dict[str, Any]]] = []
            for seq, kind, body in rows:
                if kind in _VISIT_TYPES:
                    spool.write("extra", body)
                    continue
                correction = b'"corrects":null' not in body
                if kind in _ENGINE_TYPES or correction:
                    if correction:
                        spool.write("extra", body)
                    parsed.append((int(seq), kind, loads(body)))
            pf = build_file(subject, parsed)
            if pf.admitted is None:
                continue
            if pf.facts:
                latest = max(latest, pf.facts[-1].on)
            files.append(pf)
        review_on = on or (latest if latest > date.min else date.today())  # noqa: DTZ011
        for _done, out in _review_all(files, law, register, review_on, thresholds, progress):
            spool.rows("people", [out[0]])
            spool.rows("placements", out[1])
            spool.rows("decisions", out[2])
            spool.rows("waits", out[3])
            spool.rows("penalties", out[4])
            spool.rows("unsupported", out[5])
        spool.close()
        reg = Register(review_on, thresholds, law)
        reg.load(spool)
    return reg


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
            path = spool.path(table)
            if path is not None:
                cols = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns) + "}"
                db.execute(
                    f"INSERT INTO {table} SELECT * FROM read_ndjson('{path}', columns={cols})"  # noqa: S608 - our temp file
                )
        db.execute(
            "CREATE TABLE raw (seq BIGINT, subject VARCHAR, type VARCHAR, corrects BIGINT, "
            'actor STRUCT(id VARCHAR, authority VARCHAR), payload STRUCT("on" DATE, kind VARCHAR, '
            "visitor VARCHAR, relationship VARCHAR, approved BOOLEAN))"
        )
        path = spool.path("extra")
        if path is not None:
            db.execute(
                "INSERT INTO raw SELECT seq, subject, type, corrects, actor, payload "  # noqa: S608
                f"FROM read_ndjson('{path}', columns={_EXTRA_COLUMNS})"
            )
        db.execute(
            """
            CREATE TABLE extra AS
            SELECT r.seq, r.subject AS person, r.type, r.payload."on" AS day, r.actor.id AS officer,
                   r.actor.authority AS authority, r.payload.kind AS kind,
                   r.payload.visitor AS visitor, r.payload.relationship AS relationship,
                   coalesce(r.payload.approved, true) AS approved
            FROM raw r
            WHERE r.type IN ('visit', 'visitor_registered', 'visitor_approved')
              AND r.seq NOT IN (SELECT corrects FROM raw WHERE corrects IS NOT NULL)
            """
        )
        self._entitlements()

    def _entitlements(self) -> None:
        """Visit entitlements for every (type, condition, date) a visit falls on, from the law pack."""
        db = self.db
        db.execute(
            """
            CREATE TABLE visits AS
            SELECT v.seq, v.person, v.day, v.kind, v.visitor, v.officer, v.authority,
                   p.institution, p.itype, p.condition
            FROM (SELECT * FROM extra WHERE type = 'visit') v
            ASOF LEFT JOIN placements p ON v.person = p.person AND v.day >= p.day
            """
        )
        keys = db.execute(
            "SELECT DISTINCT itype, condition, day FROM visits WHERE itype IS NOT NULL"
        ).fetchall()
        db.execute(
            "CREATE TABLE entitlement (itype VARCHAR, condition VARCHAR, day DATE, kind VARCHAR, "
            "allowed INTEGER, determinable BOOLEAN, confidence VARCHAR, article VARCHAR)"
        )
        spool = self.folder / "entitlement.ndjson"
        with spool.open("wb") as out:
            for itype, condition, day in keys:
                if (itype, condition) not in self._conditions():
                    continue
                for e in entitlements(itype, condition, day, self.law):
                    if e.name in ("short_visits_per_year", "long_visits_per_year"):
                        row = {
                            "itype": itype, "condition": condition, "day": day,
                            "kind": e.name.split("_", 1)[0],
                            "allowed": int(e.value) if e.determinable else None,
                            "determinable": e.determinable, "confidence": e.ref.confidence,
                            "article": e.ref.article,
                        }  # fmt: skip
                        out.write(orjson.dumps(row) + b"\n")
        if spool.stat().st_size:
            db.execute(
                f"INSERT INTO entitlement SELECT * FROM read_ndjson('{spool}', columns={_ENT_COLUMNS})"  # noqa: S608 - our temp file
            )

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
            "rate_z": t.rate_z,
            "rate_min_n": t.rate_min_n,
        }

    def _run(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        return self.db.execute(sql, used).fetchall()

    def flags(self, *, kind: str | None = None, institution: str | None = None) -> list[Flag]:
        """Every flag (or those of one kind / institution), ordered by kind, date, person."""
        params = self._params()
        out: list[Flag] = [
            f
            for f in self.extra
            if (kind is None or f.kind == kind)
            and (institution is None or f.institution == institution)
        ]
        for name, sql in {**FLAG_QUERIES, **RATE_QUERIES}.items():
            if kind is not None and name != kind:
                continue
            for k, person, inst, officer, on, evidence, rule, conf, detail in self._run(
                sql, params
            ):
                if institution is not None and inst != institution:
                    continue
                out.append(
                    Flag(
                        k, person or "", inst or "", officer or "", on,
                        tuple(sorted({int(e) for e in evidence or () if e is not None})),
                        rule or FLAG_KINDS.get(k, ""), conf or "P",
                        orjson.loads(detail) if isinstance(detail, str) else dict(detail or {}),
                    )
                )  # fmt: skip
        out.sort(key=lambda f: (f.kind, f.on or date.min, f.person, f.evidence))
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
