"""Flags that other modules compute from the same ledger, listed with the register's own.

The register (`build_register`) reviews personal files; commission decisions
(`adaldyq.oversight.commission`), transfers between institutions (`adaldyq.placement.ledger`) and
closures of visits rooms (`adaldyq.oversight.closures`) and the assignments of public councils'
monitoring visits (`adaldyq.oversight.monitoring`) read their own entry types. The command line and the web's deviation register both take them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.register import FLAG_KINDS, Flag

if TYPE_CHECKING:
    from adaldyq.placement.model import Site


def other_flags(cursor: Cursor, *, sites: Sequence[Site], on: date | None = None) -> list[Flag]:
    """Commission and transfer flags, read from the ledger behind `cursor`; `sites` is the
    institutions register (`adaldyq.web.institutions.register.read_sites`); `on` the day overdue
    assignments are counted to (None: the latest day of any assignment or answer)."""
    from adaldyq.oversight.closures import read_closure_flags
    from adaldyq.oversight.commission import read_commission_flags
    from adaldyq.oversight.emonitoring import read_device_flags
    from adaldyq.oversight.monitoring import read_monitoring_flags
    from adaldyq.oversight.release import read_release_flags
    from adaldyq.placement.ledger import read_transfer_flags  # placement imports oversight: late

    return [
        *read_commission_flags(cursor),
        *read_release_flags(cursor),
        *read_device_flags(cursor),
        *read_transfer_flags(cursor, sites=sites),
        *read_closure_flags(cursor),
        *read_monitoring_flags(cursor, on=on),
    ]


#: The entry types each source reads (`KeptSources`): it is read again when one of them arrives.
_SOURCE_TYPES: dict[str, frozenset[str]] = {
    "commission": frozenset({"decision_recorded"}),
    "devices": frozenset({"device_violation", "device_violation_closed"}),
    "transfers": frozenset(
        {"placement_proposed", "placement_decided", "transfer_requested", "transfer_decided"}
    ),
    "closures": frozenset({"visit_closure_recorded"}),
    "monitoring": frozenset(
        {
            "monitoring_visit_recorded",
            "monitoring_observation_assigned",
            "monitoring_assignment_answered",
        }
    ),
}
#: The sources in the order `other_flags` lists them.
SOURCES = ("commission", "release", "devices", "transfers", "closures", "monitoring")
_COURT_DECIDED = "court_decided"
#: Entries that change no source: the record of who read what (issue 16).
_READING = ("file_opened", "files_listed")


class KeptSources:
    """The flags of `other_flags` kept between the register keeper's steps (ADR 0036): after the
    first reading, a source is read again only when an entry of a type it reads arrived (or the
    institutions register, or the day overdue assignments are counted to, changed), and the release
    findings of the files with new entries only. `parts[source]` holds its flags, `versions[source]`
    moves when they change; `flags()` lists them as `other_flags` does."""

    def __init__(self) -> None:
        self.upto: int | None = None
        self.parts: dict[str, list[Flag]] = {name: [] for name in SOURCES}
        self.versions: dict[str, int] = dict.fromkeys(SOURCES, 0)
        self._release: dict[str, list[Flag]] = {}
        #: The files with a court decision (`read_release_flags` reads those).
        self._court: set[str] = set()
        self._sites: list[Site] | None = None
        self._on: date | None = None

    def flags(self) -> list[Flag]:
        return [f for name in SOURCES for f in self.parts[name]]

    def refresh(self, cursor: Cursor, *, sites: Sequence[Site], on: date | None, upto: int) -> None:
        """Bring the sources up to the ledger's entry `upto` (read from the entry after the last
        `upto`; what they read beyond it is read again next time)."""
        from adaldyq.oversight.closures import read_closure_flags
        from adaldyq.oversight.commission import read_commission_flags
        from adaldyq.oversight.emonitoring import read_device_flags
        from adaldyq.oversight.files import read_files
        from adaldyq.oversight.monitoring import read_monitoring_flags
        from adaldyq.oversight.release import release_flags
        from adaldyq.placement.ledger import read_transfer_flags

        sites = list(sites)
        if self.upto is None:
            arrived: set[str] | None = None  # everything: the first reading
            execute(
                cursor,
                "SELECT DISTINCT subject FROM ledger_entries WHERE type = %s",
                [_COURT_DECIDED],
            )
            self._court = {str(r[0]) for r in cursor.fetchall()}
            among = sorted(self._court)
        else:
            marks = ", ".join(["%s"] * len(_READING))
            execute(
                cursor,
                "SELECT DISTINCT type, subject FROM ledger_entries "  # noqa: S608 - our constants
                f"WHERE seq > %s AND seq <= %s AND type NOT IN ({marks})",
                [self.upto, upto, *_READING],
            )
            rows = cursor.fetchall()
            arrived = {str(r[0]) for r in rows}
            self._court |= {str(r[1]) for r in rows if r[0] == _COURT_DECIDED}
            # the files with a court decision among those with new entries (a withdrawal too)
            among = sorted({str(r[1]) for r in rows} & self._court)

        def due(name: str, *, changed: bool = False) -> bool:
            return arrived is None or changed or not arrived.isdisjoint(_SOURCE_TYPES[name])

        if due("commission"):
            self._set("commission", read_commission_flags(cursor))
        if among:  # `read_release_flags`, for these files
            release = self._release
            for p in among:
                release.pop(p, None)
            for f in release_flags(read_files(cursor, subjects=among)):
                release.setdefault(f.person, []).append(f)
            self._set("release", [f for p in sorted(release) for f in release[p]])
        if due("devices"):
            self._set("devices", read_device_flags(cursor))
        if due("transfers", changed=sites != self._sites):
            self._set("transfers", read_transfer_flags(cursor, sites=sites))
        if due("closures"):
            self._set("closures", read_closure_flags(cursor))
        if due("monitoring", changed=on != self._on):
            self._set("monitoring", read_monitoring_flags(cursor, on=on))
        self.upto, self._sites, self._on = upto, sites, on

    def _set(self, name: str, found: list[Flag]) -> None:
        if found != self.parts[name]:
            self.parts[name] = found
            self.versions[name] += 1


def all_flag_kinds() -> dict[str, str]:
    """Every kind of flag any source gives, with the rule it rests on."""
    from adaldyq.oversight.closures import CLOSURE_FLAG_KINDS
    from adaldyq.oversight.commission import COMMISSION_FLAG_KINDS
    from adaldyq.oversight.emonitoring import DEVICE_FLAG_KINDS
    from adaldyq.oversight.monitoring import MONITORING_FLAG_KINDS
    from adaldyq.oversight.release import RELEASE_FLAG_KINDS
    from adaldyq.placement.ledger import TRANSFER_FLAG_KINDS

    return {
        **FLAG_KINDS,
        **COMMISSION_FLAG_KINDS,
        **TRANSFER_FLAG_KINDS,
        **CLOSURE_FLAG_KINDS,
        **RELEASE_FLAG_KINDS,
        **DEVICE_FLAG_KINDS,
        **MONITORING_FLAG_KINDS,
    }
