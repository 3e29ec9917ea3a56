"""Violations read from a device feed's events against the person's zones.

    state = FeedState.from_json(saved)            # what the feed's earlier events left open
    found = Detector(zones, tz=tz).run(events, state)
    found.opened, found.closed, found.episode_of  # new violations, ended ones, event id -> episode
    state.to_json()

A violation is an episode: it opens with the first event that breaks a rule and takes every later
event that breaks the same rule, until an event shows the rule kept again (the person back home, out
of the zone, the battery charged) or nothing breaks it for `EPISODE_GAP`. The rules and their
figures (the project's, P: no law states them):

- curfew: during a home's curfew hours (local time), a fix outside the home, or the home unit saying
  the bracelet is out of its reach;
- exclusion_zone: a fix inside an exclusion zone (one episode per zone entered);
- tamper: the strap or the case opened;
- battery: a charge below `BATTERY_LOW` percent;
- signal_lost: no event from the device for more than `SIGNAL_GAP` (found when the next event comes,
  or by `Detector.sweep` while it does not).

A fix counts for or against a zone only when its accuracy radius does not reach the zone's edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Final

import numpy as np

from adaldyq.emonitoring.events import Event
from adaldyq.emonitoring.zones import Zone

VIOLATION_KINDS: Final = ("curfew", "exclusion_zone", "tamper", "battery", "signal_lost")
#: A charge below this many percent is a violation (P).
BATTERY_LOW: Final = 10
#: Silence of a device longer than this is a loss of signal (P).
SIGNAL_GAP: Final = timedelta(minutes=30)
#: An episode with no event breaking its rule for this long is over (P).
EPISODE_GAP: Final = timedelta(minutes=30)
#: The events a violation's ledger entry names at most (the rest are in the events table).
EVENTS_NAMED: Final = 50


@dataclass(slots=True)
class Episode:
    """One violation: its rule (`kind`, and the zone for an exclusion zone), its first and latest
    events, how many events broke the rule, and the ledger entry that records it (-1: not yet)."""

    kind: str
    zone: str
    started: datetime
    last: datetime
    first_id: str
    last_id: str
    count: int = 1
    violation: int = -1
    #: The events of the current run that belong to it (ids), in order.
    events: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.zone}" if self.zone else self.kind

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "zone": self.zone, "started": self.started.isoformat(),
            "last": self.last.isoformat(), "first_id": self.first_id, "last_id": self.last_id,
            "count": self.count, "violation": self.violation,
        }  # fmt: skip

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Episode:
        return cls(
            kind=raw["kind"], zone=raw["zone"],
            started=datetime.fromisoformat(raw["started"]), last=datetime.fromisoformat(raw["last"]),
            first_id=raw["first_id"], last_id=raw["last_id"], count=int(raw["count"]),
            violation=int(raw["violation"]),
        )  # fmt: skip


@dataclass(slots=True)
class FeedState:
    """What a feed's events so far leave for the next ones: the latest event, open episodes."""

    last_at: datetime | None = None
    last_id: str = ""
    #: The latest event's silence already found as a loss of signal (by a sweep).
    silence_found: bool = False
    open: dict[str, Episode] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "last_id": self.last_id,
            "silence_found": self.silence_found,
            "open": [e.to_json() for e in self.open.values()],
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> FeedState:
        if not raw:
            return cls()
        episodes = [Episode.from_json(e) for e in raw.get("open", [])]
        last = raw.get("last_at")
        return cls(
            last_at=datetime.fromisoformat(last) if last else None,
            last_id=str(raw.get("last_id", "")),
            silence_found=bool(raw.get("silence_found", False)),
            open={e.key: e for e in episodes},
        )


@dataclass(slots=True)
class Found:
    """What one run found: violations opened, violations over, and the episode of each event that
    broke a rule (an event may break several: a fix out of home at night inside an exclusion zone)."""

    opened: list[Episode] = field(default_factory=list)
    closed: list[Episode] = field(default_factory=list)
    episode_of: dict[str, list[Episode]] = field(default_factory=dict)


# The names the package exports for the three outcomes, for readers of `Found`.
Opened = Episode
Extended = Episode
Closed = Episode


class Detector:
    """The rules of `VIOLATION_KINDS` for one person's zones, in the deployment's time zone."""

    def __init__(self, zones: Sequence[Zone], *, tz: tzinfo) -> None:
        self.tz = tz
        self.homes = [z for z in zones if z.kind == "home" and z.curfew is not None]
        self.exclusions = [z for z in zones if z.kind == "exclusion"]

    def _sides(self, fixes: list[Event]) -> dict[str, Any]:
        """Per zone name, each fix's side of it (1 in, -1 out, 0 unsure), in one array call."""
        if not fixes:
            return {}
        lons = np.fromiter((e.lon or 0.0 for e in fixes), dtype=float, count=len(fixes))
        lats = np.fromiter((e.lat or 0.0 for e in fixes), dtype=float, count=len(fixes))
        acc = np.fromiter((e.accuracy or 0.0 for e in fixes), dtype=float, count=len(fixes))
        return {z.name: z.sides(lons, lats, acc) for z in (*self.homes, *self.exclusions)}

    def run(self, events: Sequence[Event], state: FeedState) -> Found:
        """Apply the rules to `events` (any order; read in time order) after `state`, which it
        updates: episodes still open stay in `state.open`."""
        ordered = sorted(events, key=lambda e: (e.at, e.id))
        fixes = [e for e in ordered if e.kind == "fix"]
        sides = self._sides(fixes)
        row = {id(e): i for i, e in enumerate(fixes)}
        found = Found()
        for e in ordered:
            self._silence(e, state, found)
            self._expire(e.at, state, found)
            local = e.at.astimezone(self.tz)
            i = row.get(id(e))
            for home in self.homes:
                if home.since > local.date() or not home.in_curfew(local.time()):
                    self._kept(f"curfew:{home.name}", state, found)
                    continue
                side = 0
                if i is not None:
                    side = -int(sides[home.name][i])
                elif e.kind == "home_unit":
                    side = -1 if e.present else 1
                if side > 0:
                    self._broken("curfew", home.name, e, state, found)
                elif side < 0:
                    self._kept(f"curfew:{home.name}", state, found)
            if i is not None:
                for zone in self.exclusions:
                    if zone.since > local.date():
                        continue
                    side = int(sides[zone.name][i])
                    if side > 0:
                        self._broken("exclusion_zone", zone.name, e, state, found)
                    elif side < 0:
                        self._kept(f"exclusion_zone:{zone.name}", state, found)
            if e.kind == "tamper":
                self._broken("tamper", "", e, state, found)
            elif e.kind == "battery":
                if (e.level or 0) < BATTERY_LOW:
                    self._broken("battery", "", e, state, found)
                else:
                    self._kept("battery", state, found)
        return found

    def sweep(self, state: FeedState, *, now: datetime) -> Found:
        """At `now` (UTC), with no new event: episodes idle for `EPISODE_GAP` are over, and a device
        silent for more than `SIGNAL_GAP` has lost its signal (found once per silence)."""
        found = Found()
        self._expire(now, state, found)
        if (
            state.last_at is not None
            and not state.silence_found
            and now - state.last_at > SIGNAL_GAP
        ):
            ep = Episode(
                kind="signal_lost", zone="", started=state.last_at, last=now,
                first_id=state.last_id, last_id=state.last_id, events=[state.last_id],
            )  # fmt: skip
            found.opened.append(ep)
            found.closed.append(ep)
            state.silence_found = True
        return found

    def _silence(self, e: Event, state: FeedState, found: Found) -> None:
        if (
            state.last_at is not None
            and e.at - state.last_at > SIGNAL_GAP
            and not state.silence_found
        ):
            ep = Episode(
                kind="signal_lost", zone="", started=state.last_at, last=e.at,
                first_id=state.last_id, last_id=e.id, count=2, events=[state.last_id, e.id],
            )  # fmt: skip
            found.opened.append(ep)
            found.closed.append(ep)
            found.episode_of.setdefault(e.id, []).append(ep)
        if state.last_at is None or e.at >= state.last_at:
            if state.last_at is None or e.at > state.last_at:
                state.silence_found = False
            state.last_at, state.last_id = e.at, e.id

    def _expire(self, now: datetime, state: FeedState, found: Found) -> None:
        for key, ep in list(state.open.items()):
            if now - ep.last > EPISODE_GAP:
                del state.open[key]
                found.closed.append(ep)

    def _kept(self, key: str, state: FeedState, found: Found) -> None:
        ep = state.open.pop(key, None)
        if ep is not None:
            found.closed.append(ep)

    def _broken(self, kind: str, zone: str, e: Event, state: FeedState, found: Found) -> None:
        key = f"{kind}:{zone}" if zone else kind
        ep = state.open.get(key)
        if ep is None:
            ep = Episode(kind=kind, zone=zone, started=e.at, last=e.at, first_id=e.id, last_id=e.id)
            state.open[key] = ep
            found.opened.append(ep)
        else:
            ep.count += 1
            if e.at >= ep.last:
                ep.last, ep.last_id = e.at, e.id
        ep.events.append(e.id)
        found.episode_of.setdefault(e.id, []).append(ep)


def utc(moment: datetime) -> datetime:
    """A moment in UTC (naive moments are taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
