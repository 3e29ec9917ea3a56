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
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from adaldyq.web.errors import REGISTER_BUILDING, NotReadyError

__all__ = [
    "HEARTBEAT",
    "KEEPER_NICENESS",
    "KEEPER_PACE",
    "KEY",
    "MANY_CHANGES",
    "RegisterBuildingError",
    "RegisterKeeper",
    "changes_since",
    "keeper_alive",
    "ledger_size",
    "register_state",
    "state_or_build",
]

#: The stored register's head: when, up to which entry, and the keys of its parts (`_Store`).
KEY = "oversight:register:v2"


def register_state() -> dict[str, Any] | None:
    """The stored register: `flags` (the register's), `other` (commission, transfers, closures),
    `upto` (the ledger's latest entry it includes), `at` (when), `seconds` (what it took).

    Read as its head and then its parts, which never change once written (a new version of a
    part has a new key): a part missing means a newer head replaced this one long enough ago
    that its parts were deleted, and the head is read again."""
    for _ in range(3):
        head: dict[str, Any] | None = cache.get(KEY)
        if head is None:
            return None
        wanted = _part_keys(head)
        parts = cache.get_many(wanted)
        if len(parts) < len(set(wanted)):
            continue
        state = {k: v for k, v in head.items() if k not in _HEAD_ONLY}
        writer = head["writer"]
        for name, numbers in (("flags", head["flag_parts"]), ("other", head["other_parts"])):
            state[name] = [row for n in numbers for row in parts[_part_key(writer, n)]]
        return state
    return None


_HEAD_ONLY = ("flag_parts", "other_parts", "writer")


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


#: How long a part replaced by a newer head stays readable (a page that read the old head reads it).
PART_GRACE = 60.0


class _Store:
    """The keeper's writes of the register to the shared cache: a small head (when, up to which
    entry, the numbers of its parts) at each step, and a part (the JSON-ready flags of one kind in
    one month, or of one other source) only when its flags changed; all in one transaction. A part
    is never rewritten in place: changed, it is written under a new number, and the one it replaced
    is deleted `PART_GRACE` seconds later (a page that read the head before still finds it)."""

    def __init__(self) -> None:
        self.writer = uuid.uuid4().hex[:12]
        self.count = 0
        #: name -> (the flags stored, their number, their rows)
        self.stored: dict[str, tuple[list[Any], int, list[dict[str, Any]]]] = {}
        self.head: dict[str, Any] | None = None
        self.retired: list[tuple[float, list[str]]] = []

    def write(
        self,
        head: dict[str, Any],
        flags: list[tuple[str, list[Any]]],
        other: list[tuple[str, list[Any]]],
    ) -> None:
        """Store `head` with the parts `flags` and `other`, (name, flags) each in their order."""
        current = cache.get(KEY)
        mine = (
            self.head is not None
            and current is not None
            and current.get("writer") == self.writer
            and current.get("upto") == self.head["upto"]
        )
        if not mine:  # another writer's head (or none): every part written again, its parts retired
            self.stored = {}
            if current is not None and "writer" in current:
                self._retire(_part_keys(current))
            cache.delete_many(_LEGACY)
        new: dict[str, Any] = {}
        numbers: dict[str, list[int]] = {"flag_parts": [], "other_parts": []}
        names = set()
        for group, parts in (("flag_parts", flags), ("other_parts", other)):
            for name, found in parts:
                names.add(name)
                known = self.stored.get(name)
                if known is None or known[0] != found:  # the same flags: mostly the same objects
                    if known is not None:
                        self._retire([self.key(known[1])])
                    self.count += 1
                    rows = [f.to_dict() for f in found]
                    new[self.key(self.count)] = rows
                    known = self.stored[name] = (list(found), self.count, rows)
                numbers[group].append(known[1])
        for name in set(self.stored) - names:
            self._retire([self.key(self.stored.pop(name)[1])])
        head = {**head, **numbers, "writer": self.writer}
        now = time.monotonic()
        due = [k for at, ks in self.retired if at <= now - PART_GRACE for k in ks]
        self.retired = [(at, ks) for at, ks in self.retired if at > now - PART_GRACE]
        with transaction.atomic():
            if new:
                cache.set_many(new, timeout=None)
            cache.set(KEY, head, timeout=None)
            if due:
                cache.delete_many(due)
        self.head = head

    def key(self, number: int) -> str:
        return _part_key(self.writer, number)

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The rows of the part `name` as last written."""
        return self.stored[name][2]

    def _retire(self, keys: list[str]) -> None:
        self.retired.append((time.monotonic(), keys))


#: What earlier versions stored (the whole register under one key), deleted by a keeper's first write.
_LEGACY = ["oversight:register:v1"]


def _part_key(writer: str, number: int) -> str:
    return f"{KEY}:{writer}:{number}"


def _part_keys(head: dict[str, Any]) -> list[str]:
    return [_part_key(head["writer"], n) for n in (*head["flag_parts"], *head["other_parts"])]


def _by_month(kind: str, flags: list[Any]) -> list[tuple[str, list[Any]]]:
    """The flags of a kind (in the register's order: by date within the kind) as parts, a month each."""
    parts: list[tuple[str, list[Any]]] = []
    for f in flags:
        name = f"flags:{kind}:{f.on.isoformat()[:7] if f.on else ''}"
        if not parts or parts[-1][0] != name:
            parts.append((name, []))
        parts[-1][1].append(f)
    return parts


class RegisterKeeper:
    """Holds a register between steps; each step brings it up to date and stores the flags.

    The register is refreshed in place only while the ledger it was computed from is still there:
    the hash of its latest entry is read back first (a ledger built again, a test database rolled
    back, give a new register). The other sources' flags are kept beside it (`KeptSources`), and
    the store writes only the parts that changed (`_Store`)."""

    def __init__(self) -> None:
        self.reg: Any = None
        self.sources: Any = None
        self.mark: bytes | None = None
        self.store = _Store()
        #: The register's generation: a register built anew starts the versions of its kinds again.
        self.built = 0
        #: kind -> ((generation, version), its flags as parts by month): split again when it moved
        self.months: dict[str, tuple[tuple[int, int], list[tuple[str, list[Any]]]]] = {}

    def close(self) -> None:
        """Release the register's DuckDB database."""
        if self.reg is not None:
            self.reg.close()
            self.reg = None

    def step(self, *, building: Callable[[], None] | None = None) -> dict[str, Any]:
        """Refresh in place (or build anew) and store the state; returns it. `building` is called
        before a build (minutes on a national ledger: the keeper's heartbeat says so)."""
        from adaldyq.oversight import build_register
        from adaldyq.oversight.sources import KeptSources
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
                if building is not None:
                    building()
                # the register as of today (a new day builds it again; within the day it is refreshed)
                self.reg = build_register(cursor, law=law_pack(), register=types, on=today)
                self.sources = KeptSources()
                self.built += 1
            self.mark = _entry_hash(cursor, self.reg.upto)
            self.sources.refresh(cursor, sites=sites, on=today, upto=self.reg.upto)
        kept = self.reg.kept_flags()  # the flags computed again where the refresh changed rows
        head = {
            "upto": self.reg.upto,
            "at": timezone.now().isoformat(),
            "on": self.reg.on.isoformat(),
            "seconds": round(time.perf_counter() - started, 3),
            "rebuilt": fresh,
        }
        parts = self.months
        for name in sorted(kept):
            if parts.get(name, (None,))[0] != (self.built, kept[name].version):
                parts[name] = ((self.built, kept[name].version), _by_month(name, kept[name].flags))
        for name in set(parts) - set(kept):
            del parts[name]
        flag_parts = [part for name in sorted(kept) for part in parts[name][1]]
        other_parts = [(f"other:{name}", found) for name, found in self.sources.parts.items()]
        self.store.write(head, flag_parts, other_parts)
        rows = self.store.rows
        return {
            **head,
            "flags": [row for name, _ in flag_parts for row in rows(name)],
            "other": [row for name, _ in other_parts for row in rows(name)],
        }


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


#: After a step that took T seconds of CPU, the keeper waits at least KEEPER_PACE * T before the
#: next (and at least its `--every`): its share of a core stays under 1 / (1 + KEEPER_PACE).
KEEPER_PACE = 4.0
#: The keeper runs this much "nicer" than the command that started it (`os.nice`): on busy cores the
#: web's requests run first, and the keeper's steps wait and take in more new entries each.
KEEPER_NICENESS = 10
#: A step over more new entries than this may take long: the keeper's heartbeat says it is building.
MANY_CHANGES = 5_000


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
