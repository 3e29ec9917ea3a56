"""The review kept between runs (ADR 0047): the register's tables saved with the ledger entry they
include, read back and brought up to date with the files of newer entries only.

    reg, how = checkpointed(cursor, path, law=law, register=types, url=url)
    how: "read" (the saved review includes the whole ledger), "refreshed" (the files with newer
    entries reviewed again) or "built" (every file reviewed: no saved review, or one for other
    settings, or a ledger it is not a part of)

A saved review is used only for the settings it was made with (the law pack's hash, the
institutions register, the review date given or the latest fact's, the thresholds) and only while
its latest entry is still in the ledger with the same hash. It gives the flags a fresh register
gives (`Register.refresh`): the review date of a register that was not given one is the latest
fact's day, so a newer fact, or the latest one withdrawn, reviews every file again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import orjson

from adaldyq.law import LawPack
from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.register import ROW_COLUMNS_ALL, Register, Thresholds, build_register

__all__ = ["VERSION", "checkpointed", "read_saved", "save"]

#: The saved form's version: a saved review of another version is not read.
VERSION = 1
#: Every table of a register: the rows of the review, the raw visit entries and what is derived
#: from them (`Register._derive`), so a saved review is queried as it is read.
_TABLES = (*ROW_COLUMNS_ALL, "raw", "extra", "visits", "entitlement")


def _mark(cursor: Cursor, seq: int) -> str | None:
    """The hash of entry `seq` (None: no such entry)."""
    execute(cursor, "SELECT hash FROM ledger_entries WHERE seq = %s", [seq])
    row = cursor.fetchone()
    return None if row is None else bytes(row[0]).hex()


def _settings(
    law: LawPack, register: Mapping[str, str], on: date | None, thresholds: Thresholds
) -> dict[str, Any]:
    settings = {
        "version": VERSION,
        "law": law.hash,
        "register": sorted(register.items()),
        "on": None if on is None else on.isoformat(),
        "thresholds": asdict(thresholds),
    }
    as_saved: dict[str, Any] = orjson.loads(orjson.dumps(settings))  # tuples as lists
    return as_saved


def save(reg: Register, path: Path, settings: Mapping[str, Any], mark: str | None) -> None:
    """Write the register's tables to `path` (a DuckDB file, replaced whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    meta = {**settings, "upto": reg.upto, "mark": mark, "review_on": reg.on.isoformat()}
    db = reg.db
    db.execute(f"ATTACH '{partial}' AS saved")
    try:
        for table in _TABLES:
            db.execute(f"CREATE TABLE saved.{table} AS SELECT * FROM main.{table}")  # noqa: S608 - our names
        db.execute("CREATE TABLE saved.meta (body VARCHAR)")
        db.execute("INSERT INTO saved.meta VALUES (?)", [orjson.dumps(meta).decode()])
    finally:
        db.execute("DETACH saved")
    os.replace(partial, path)


def read_saved(
    path: Path, law: LawPack, thresholds: Thresholds
) -> tuple[Register, dict[str, Any]] | None:
    """The register saved at `path` and what it was made with (None: no saved review there, or
    one this version cannot read)."""
    if not path.exists():
        return None
    reg: Register | None = None
    try:
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as saved:
            row = saved.execute("SELECT body FROM meta").fetchone()
        meta: dict[str, Any] = orjson.loads(row[0]) if row else {}
        if meta.get("version") != VERSION:
            return None
        reg = Register(date.fromisoformat(meta["review_on"]), thresholds, law)
        reg.db.execute(f"ATTACH '{path}' AS saved (READ_ONLY)")
        for table in _TABLES:  # read where they are: copied only to be changed (`_writable`)
            reg.db.execute(f"CREATE VIEW main.{table} AS SELECT * FROM saved.{table}")  # noqa: S608 - our names
    except (duckdb.Error, OSError, ValueError, KeyError):
        if reg is not None:
            reg.close()
        return None
    reg.upto = int(meta["upto"])
    reg.types = dict(meta["register"])
    reg.fixed_on = meta["on"] is not None
    return reg, meta


def checkpointed(
    cursor: Cursor,
    path: Path,
    *,
    law: LawPack,
    register: Mapping[str, str],
    on: date | None = None,
    thresholds: Thresholds | None = None,
    url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    before_build: Callable[[str], None] | None = None,
) -> tuple[Register, str]:
    """The register of the ledger behind `cursor`, from the review saved at `path` when it can be
    brought up to date, else built (`build_register`); saved again when it changed (a folder that
    cannot be written is left as it is). `before_build(why)` is told why every file is reviewed."""
    thresholds = thresholds or Thresholds()
    settings = _settings(law, register, on, thresholds)
    found = read_saved(path, law, thresholds)
    why = "no saved review"
    if found is not None:
        reg, meta = found
        current = {k: meta.get(k) for k in settings}
        if current != settings:
            why = "the saved review was made with other settings"
        elif _mark(cursor, reg.upto) != meta.get("mark"):
            why = "the saved review's latest entry is not in this ledger"
        else:
            execute(cursor, "SELECT max(seq) FROM ledger_entries")
            if cursor.fetchone()[0] == reg.upto:
                return reg, "read"
            _writable(reg)
            if reg.refresh(cursor):
                _save(reg, path, settings, cursor)
                return reg, "refreshed"
            why = "the latest fact's day changed"
        reg.close()
    if before_build is not None:
        before_build(why)
    reg = build_register(
        cursor, law=law, register=register, on=on, thresholds=thresholds, url=url,
        progress=progress,
    )  # fmt: skip
    _save(reg, path, settings, cursor)
    return reg, "built"


def _writable(reg: Register) -> None:
    """The saved tables copied into the register's own database (a refresh changes them)."""
    db = reg.db
    for table in _TABLES:
        db.execute(f"DROP VIEW main.{table}")
        db.execute(f"CREATE TABLE main.{table} AS SELECT * FROM saved.{table}")  # noqa: S608 - our names
    db.execute("DETACH saved")


def _save(reg: Register, path: Path, settings: Mapping[str, Any], cursor: Cursor) -> None:
    with contextlib.suppress(OSError, duckdb.Error):  # a folder the user cannot write: not kept
        save(reg, path, settings, _mark(cursor, reg.upto))
