"""The deviation register kept up to date as entries arrive, read by the page (issue 15, ADR 0036).

    keeper = RegisterKeeper()
    keeper.step()          # brings the register up to the ledger's latest entry and stores it
    register_state()       # what the page reads: the flags, the entry they were computed up to, when

The register (`adaldyq.oversight.build_register`: the ledger read and every file reviewed by the law
engine) takes seconds to build. `adaldyq oversight keep --every 1` runs a keeper: it builds the
register once, then after each new entry re-reviews only the files with new entries
(`Register.refresh`) and stores the flags in the shared cache (the database's, `adaldyq_cache`) with
the ledger size they were computed at, and a heartbeat. The page reads that state. Without a live
keeper, a page whose stored register is behind the ledger (by entries other than the record of who
read what, which changes nothing in it) brings its process's own register up to date the same way
(built on the first request, refreshed after) and stores it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from adaldyq.web.errors import REGISTER_BUILDING, NotReadyError

__all__ = [
    "HEARTBEAT",
    "KEY",
    "RegisterBuildingError",
    "RegisterKeeper",
    "changes_since",
    "keeper_alive",
    "ledger_size",
    "register_state",
    "state_or_build",
]

KEY = "oversight:register:v1"


def register_state() -> dict[str, Any] | None:
    """The stored register: `flags` (the register's), `other` (commission, transfers, closures),
    `upto` (the ledger's latest entry it includes), `at` (when), `seconds` (what it took)."""
    state: dict[str, Any] | None = cache.get(KEY)
    return state


#: Entries that change nothing the register reads: the record of who read which files (issue 16).
READING_ONLY = ("file_opened", "files_listed")


def changes_since(upto: int) -> int:
    """How many entries after `upto` could change the register (all but `READING_ONLY`): a range of
    the ledger's primary key, short while a keeper runs or the register was just computed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM ledger_entries WHERE seq > %s AND type NOT IN (%s, %s)",
            [upto, *READING_ONLY],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def ledger_size() -> int:
    """The ledger's size now (one indexed read)."""
    from adaldyq.ledger import sql

    with connection.cursor() as cursor:
        return sql.read_size(cursor)


HEARTBEAT = "oversight:register:keeper"


def _entry_hash(cursor: Any, seq: int) -> bytes | None:
    cursor.execute("SELECT hash FROM ledger_entries WHERE seq = %s", [seq])
    row = cursor.fetchone()
    return bytes(row[0]) if row else None


class RegisterKeeper:
    """Holds a register between steps; each step brings it up to date and stores the flags.

    The register is refreshed in place only while the ledger it was computed from is still there:
    the hash of its latest entry is read back first (a ledger built again, a test database rolled
    back, give a new register)."""

    def __init__(self) -> None:
        self.reg: Any = None
        self.mark: bytes | None = None

    def close(self) -> None:
        """Release the register's DuckDB database."""
        if self.reg is not None:
            self.reg.close()
            self.reg = None

    def step(self) -> dict[str, Any]:
        """Refresh in place (or build anew) and store the state; returns it."""
        from adaldyq.oversight import build_register
        from adaldyq.oversight.sources import other_flags
        from adaldyq.web.institutions.register import institution_types, read_sites
        from adaldyq.web.records.selectors import law_pack

        started = time.perf_counter()
        with connection.cursor() as cursor:
            sites = read_sites(cursor)
            types = institution_types(sites)
            today = timezone.localdate()
            fresh = (
                self.reg is None
                or self.reg.types != types
                or self.reg.on != today
                or _entry_hash(cursor, self.reg.upto) != self.mark
                or not self.reg.refresh(cursor)
            )
            if fresh:
                self.close()
                # the register as of today (a new day builds it again; within the day it is refreshed)
                self.reg = build_register(cursor, law=law_pack(), register=types, on=today)
            self.mark = _entry_hash(cursor, self.reg.upto)
            other = other_flags(cursor, sites=sites, on=today)
        state = {
            "upto": self.reg.upto,
            "at": timezone.now().isoformat(),
            "on": self.reg.on.isoformat(),
            "seconds": round(time.perf_counter() - started, 3),
            "rebuilt": fresh,
            "flags": [f.to_dict() for f in self.reg.flags()],
            "other": [f.to_dict() for f in other],
        }
        cache.set(KEY, state, timeout=None)
        return state


def keeper_alive() -> bool:
    """A keeper (`adaldyq oversight keep`) has looked at the ledger within its heartbeat."""
    return cache.get(HEARTBEAT) is not None


_LOCAL = RegisterKeeper()
_LOCAL_LOCK = threading.Lock()


#: How long a request waits for a keeper that is building the register before it says so (503).
WAIT_FOR_KEEPER = 20.0
#: The keeper's heartbeat while it builds or refreshes the register: a first build on the national
#: ledger takes minutes, and the pages must not start building their own meanwhile.
BUILDING_HEARTBEAT = 900


class RegisterBuildingError(NotReadyError):
    """A keeper is building the register and nothing is stored yet: try again in a minute."""

    what = REGISTER_BUILDING


def state_or_build() -> dict[str, Any]:
    """The stored register when it includes the whole ledger, or a keeper keeps it (it is at most a
    look behind); else this process brings its own register up to date (built once, then refreshed
    with the files of the new entries only) and stores it. While a keeper builds the first one, it
    waits up to `WAIT_FOR_KEEPER` seconds for it, then raises `RegisterBuildingError`."""
    state = register_state()
    waited = 0.0
    while state is None and keeper_alive():
        if waited >= WAIT_FOR_KEEPER:
            raise RegisterBuildingError
        time.sleep(1.0)
        waited += 1.0
        state = register_state()
    today = timezone.localdate().isoformat()  # overdue assignments (ADR 0038) are counted to today
    if state is not None and (
        keeper_alive() or (changes_since(state["upto"]) == 0 and state.get("on") == today)
    ):
        return state
    with _LOCAL_LOCK:
        return _LOCAL.step()
