"""The demo's electronic monitoring (synthetic; issue 19, ADR 0043): a share of the people on probation
wear a bracelet. Each gets a home under curfew (22:00 to 06:00) a few kilometres from their last
institution, some an exclusion zone, a device feed, and last night's events (a fix every two minutes
from 18:00 to 06:00 local time), sent through the same service as the endpoint. A few break a rule:
out after the curfew began, into the exclusion zone, a strap opened, a battery run low, a silence.

The tokens are written to `DIR/demo-feeds.json`, so that a tester can send events as a device would.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings

from adaldyq.emonitoring import Event
from adaldyq.release.probation import OPENING_GROUNDS
from adaldyq.web.emonitoring import services
from adaldyq.web.institutions.models import Institution, Region
from adaldyq.web.records.models import Fact, Person

#: About 1,400 of the 22,500 people on probation at national scale: the benchmark's share.
MONITORED_SHARE = 0.062
FEEDS_FILE = "demo-feeds.json"
#: What share of the monitored break each rule last night (the demo's figures, D).
BREAKS = {
    "curfew": 0.10,
    "exclusion_zone": 0.05,
    "tamper": 0.02,
    "battery": 0.03,
    "signal_lost": 0.03,
}
_M_PER_DEG = 111_320.0


def _square(lon: float, lat: float, metres: float) -> list[list[float]]:
    dlat = metres / _M_PER_DEG
    dlon = metres / (_M_PER_DEG * math.cos(math.radians(lat)))
    return [[round(lon - dlon, 6), round(lat - dlat, 6)], [round(lon + dlon, 6), round(lat - dlat, 6)],
            [round(lon + dlon, 6), round(lat + dlat, 6)], [round(lon - dlon, 6), round(lat + dlat, 6)]]  # fmt: skip


def _on_probation() -> list[Person]:
    """The people released on parole or substitution whose probation has not ended."""
    released = set(
        Fact.objects.filter(kind="released", superseded_by__isnull=True, void=False,
                            data__ground__in=sorted(OPENING_GROUNDS)).values_list("person_id", flat=True)
    )  # fmt: skip
    closed = set(
        Fact.objects.filter(kind="probation_closed", superseded_by__isnull=True, void=False)
        .values_list("person_id", flat=True)
    )  # fmt: skip
    return list(Person.objects.filter(pk__in=released - closed).order_by("pk"))


def _homes() -> Callable[[Person], tuple[float, float] | None]:
    """Where a person on probation lives, near the centre of the region the release names (else the
    home region, else the region of the institution left): a released person has no institution."""
    centres = {r.key: (r.lon, r.lat) for r in Region.objects.all()}
    left = dict(Institution.objects.values_list("code", "region_id"))

    def home(person: Person) -> tuple[float, float] | None:
        key = person.released_to or person.home_region or left.get(person.released_from, "")
        return centres.get(key)

    return home


def _night(rng: random.Random, feed: str, home: tuple[float, float], zone: tuple[float, float] | None,
           breaks: set[str], start: datetime) -> list[Event]:  # fmt: skip
    """Twelve hours of a bracelet's events from `start`: at home after 21:00, out during the day."""
    lon0, lat0 = home
    away = (lon0 + rng.uniform(0.01, 0.03), lat0 + rng.uniform(0.01, 0.03))
    late = rng.randrange(30, 150)  # minutes after 22:00 the curfew breaker is still out
    silent = (
        range(rng.randrange(200, 500), rng.randrange(540, 560))
        if "signal_lost" in breaks
        else range(0)
    )
    out: list[Event] = []
    for i in range(0, 720, 2):
        at = start + timedelta(minutes=i)
        if i in silent:
            continue
        minutes_after_22 = i - 240
        at_home = minutes_after_22 >= (late if "curfew" in breaks else -60)
        lon, lat = (lon0, lat0) if at_home else away
        if zone is not None and "exclusion_zone" in breaks and 30 <= i < 60:
            lon, lat = zone
        jitter = 0.00005
        out.append(Event(id=f"{feed}-{i:04d}", kind="fix", at=at,
                         lon=lon + rng.uniform(-jitter, jitter), lat=lat + rng.uniform(-jitter, jitter),
                         accuracy=float(rng.choice((5, 8, 10, 15)))))  # fmt: skip
        if i % 120 == 0:
            level = 6 if "battery" in breaks and i >= 600 else max(20, 95 - i // 10)
            out.append(Event(id=f"{feed}-b{i:04d}", kind="battery", at=at, level=level))
    if "tamper" in breaks:
        out.append(
            Event(id=f"{feed}-t1", kind="tamper", at=start + timedelta(minutes=500), what="strap")
        )
    return out


def _officer() -> Any:
    """Who records the demo's zones and feeds: the demo's probation officer (else the committee)."""
    from adaldyq.web.accounts.models import User

    for role in ("probation_officer", "committee"):
        found = User.objects.filter(role=role).order_by("pk").first()
        if found is not None:
            return found
    raise RuntimeError("no probation officer or committee user: build the demo's logins first")


def feeds_plant(*, today: date, data_dir: Path | None = None, share: float = MONITORED_SHARE,
                seed: int = 19, officer: Any = None) -> dict[str, int]:  # fmt: skip
    """Bracelets for `share` of the people on probation, with last night's events; the counts."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, no secret
    people = _on_probation()
    chosen = [p for p in people if rng.random() < share]
    if chosen and officer is None:
        officer = _officer()
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(today - timedelta(days=1), time(18, 0), tzinfo=tz)
    feeds: list[dict[str, Any]] = []
    uploads: list[tuple[str, list[Event]]] = []
    counts = {"monitored": 0, "events": 0, "violations": 0}
    home_of = _homes()
    for person in chosen:
        centre = home_of(person)
        if centre is None:
            continue  # no region known: no place to draw a home in
        home = (centre[0] + rng.uniform(-0.05, 0.05), centre[1] + rng.uniform(-0.05, 0.05))
        on = (today - timedelta(days=30)).isoformat()
        services.zone_record(officer=officer, person=person, zone={
            "on": on, "name": "home", "kind": "home", "polygon": _square(*home, 40),
            "curfew": {"from": "22:00", "to": "06:00"},
        })  # fmt: skip
        zone = None
        if rng.random() < 0.33:
            zone = (home[0] - 0.02, home[1] + 0.015)
            services.zone_record(officer=officer, person=person, zone={
                "on": on, "name": "market", "kind": "exclusion", "polygon": _square(*zone, 150),
            })  # fmt: skip
        feed, token = services.feed_create(
            officer=officer, person=person, device=f"DEMO-BR-{person.pk}"
        )
        breaks = {k for k, p in BREAKS.items() if rng.random() < p}
        uploads.append((feed.pk, _night(rng, feed.pk, home, zone, breaks, start)))
        counts["monitored"] += 1
        feeds.append({"person": person.pk, "feed": feed.pk, "device": feed.device, "token": token})
    opened: list[int] = []
    for i in range(0, len(uploads), 200):  # as a collector would: many uploads a commit
        found = services.uploads_ingest(uploads=uploads[i : i + 200])
        counts["events"] += found.accepted
        opened += found.opened
    counts["violations"] = len(opened)
    if data_dir is not None:
        (data_dir / FEEDS_FILE).write_bytes(orjson.dumps(feeds, option=orjson.OPT_INDENT_2))
        _planted(data_dir, opened)
    return counts


def _planted(data_dir: Path, opened: list[int]) -> None:
    """The rules the night's events were made to break, in the demo's planted abuses
    (`adaldyq oversight score`): each violation found, a `device_*` finding about its person."""
    from adaldyq.web.demo import PLANTED_FILE
    from adaldyq.web.emonitoring.models import Violation

    rows = Violation.objects.filter(seq__in=opened).order_by("seq")
    with (data_dir / PLANTED_FILE).open("ab") as out:
        for v in rows.values_list("seq", "person_id", "kind", "started"):
            seq, person, kind, started = v
            line = {"kind": f"device_{kind}", "person": person, "on": started.date().isoformat(),
                    "events": [], "entries": [seq]}  # fmt: skip
            out.write(orjson.dumps(line) + b"\n")
