"""Electronic monitoring at national scale (issue 19): 1,000,000 device events a day ingested and
checked for violations, against the ledger's own import rate (targets: >= 20,000 events/s, lag <= 10 s).

    .venv/bin/python benchmarks/monitoring_bench.py                       # a day: 1,389 bracelets x 720 fixes
    .venv/bin/python benchmarks/monitoring_bench.py --people 22500 --share 0.0617 --upload-minutes 60
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/monitoring_bench.py --data-dir DIR

22,500 people on probation, the monitored share wearing a bracelet that fixes its position every two
minutes (720 fixes a day; 6.17% of 22,500 makes 1,000,000 events), plus a battery report an hour. Each
bracelet has a home under curfew and a third an exclusion zone; a tenth stay out after the curfew
began, some enter their zone, open the strap, run the battery low or go silent (as the demo's do).

The day is delivered as the devices would upload it, every `--upload-minutes` (each upload one call of
the service the endpoint calls: the feed locked, its new events stored, checked against the zones, each
violation a ledger entry, one durable transaction), in time order across the bracelets. It prints:
events/s; the ledger's own import rate on the same database (durable batches of 1,000 entries, as
`adaldyq ledger import` appends), for scale; the lag from an upload's arrival to its violations
committed (p50, p95, max); the hour's anchor (Merkle root of every event); a sample through HTTP.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

TARGET_RATE = 20_000
TARGET_LAG_S = 10.0


def _square(lon: float, lat: float, metres: float) -> list[list[float]]:
    dlat = metres / 111_320.0
    dlon = metres / (111_320.0 * math.cos(math.radians(lat)))
    return [[lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat],
            [lon - dlon, lat + dlat]]  # fmt: skip


def setup(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """`n` people with a home, a third an exclusion zone, each a device feed."""
    from django.utils import timezone

    from adaldyq.ledger.entry import Actor, Draft
    from adaldyq.web.emonitoring import services
    from adaldyq.web.records import ledger_port, projection
    from adaldyq.web.records.models import Person

    actor = Actor("bench", "role:probation_officer@almaty")
    today = timezone.localdate()
    people, zones, out = [], [], []
    for i in range(n):
        pid = f"EM-{i:06d}"
        home = (76.80 + rng.uniform(0, 0.3), 43.15 + rng.uniform(0, 0.2))
        zone = (home[0] - 0.02, home[1] + 0.015) if i % 3 == 0 else None
        people.append(Draft(actor=actor, subject=pid, type="person_admitted", payload={
            "number": pid, "surname": "Синтетов", "given_name": "Бенч", "sex": "male",
            "born": "1990-01-01", "sentence": {"start": "2022-01-01", "years": 5},
            "institution": None, "condition": "regular", "on": "2022-01-02",
        }))  # fmt: skip
        on = (today - timedelta(days=30)).isoformat()
        zones.append(Draft(actor=actor, subject=pid, type="device_zone", payload={
            "on": on, "name": "home", "kind": "home", "polygon": _square(*home, 40),
            "curfew": {"from": "22:00", "to": "06:00"},
        }))  # fmt: skip
        if zone:
            zones.append(Draft(actor=actor, subject=pid, type="device_zone", payload={
                "on": on, "name": "market", "kind": "exclusion", "polygon": _square(*zone, 150),
            }))  # fmt: skip
        out.append({"person": pid, "home": home, "zone": zone})
    for i in range(0, len(people), 1000):
        ledger_port.commit(people[i : i + 1000], projection.project)
    for i in range(0, len(zones), 1000):
        ledger_port.commit(zones[i : i + 1000], projection.project)
    persons = Person.objects.in_bulk([o["person"] for o in out])
    for o in out:
        feed, _token = services.feed_create(officer=actor, person=persons[o["person"]],
                                            device=f"BENCH-{o['person']}")  # fmt: skip
        o["feed"] = feed.pk
    return out


def day_of(o: dict[str, Any], rng: random.Random, start: datetime) -> list[Any]:
    """A day of one bracelet from `start` (local midnight): 720 fixes and 24 battery reports."""
    from adaldyq.emonitoring import Event

    breaks = {k for k, p in (("curfew", 0.10), ("zone", 0.05), ("tamper", 0.02),
                             ("battery", 0.03), ("silent", 0.03)) if rng.random() < p}  # fmt: skip
    lon0, lat0 = o["home"]
    away = (lon0 + rng.uniform(0.01, 0.03), lat0 + rng.uniform(0.01, 0.03))
    late = rng.randrange(1320, 1410) if "curfew" in breaks else 1260
    silent = range(900, 960) if "silent" in breaks else range(0)
    events = []
    for m in range(0, 1440, 2):
        at = start + timedelta(minutes=m)
        if m in silent:
            continue
        home = m < 360 or m >= late
        lon, lat = (lon0, lat0) if home else away
        if o["zone"] and "zone" in breaks and 700 <= m < 730:
            lon, lat = o["zone"]
        events.append(Event(id=f"{o['feed']}-{m:04d}", kind="fix", at=at, lon=lon, lat=lat,
                            accuracy=10.0))  # fmt: skip
        if m % 60 == 0:
            level = 6 if "battery" in breaks and m >= 1200 else max(20, 100 - m // 16)
            events.append(Event(id=f"{o['feed']}-b{m:04d}", kind="battery", at=at, level=level))
    if "tamper" in breaks:
        events.append(Event(id=f"{o['feed']}-t", kind="tamper", at=start + timedelta(minutes=800),
                            what="strap"))  # fmt: skip
    return events


def ledger_rate(n: int = 20_000) -> float:
    """The ledger's own append rate here: durable batches of 1,000 entries, as `ledger import` does."""
    from adaldyq.ledger.entry import Actor, Draft
    from adaldyq.web.records import ledger_port

    actor = Actor("bench", "ledger import")
    drafts = [Draft(actor=actor, subject=f"bench-{i % 1000}", type="bench_entry",
                    payload={"on": "2026-12-06", "i": i, "text": "x" * 60}) for i in range(n)]  # fmt: skip
    t0 = time.perf_counter()
    for i in range(0, n, 1000):
        ledger_port.commit(drafts[i : i + 1000])
    return n / (time.perf_counter() - t0)


def http_sample(feeds: list[dict[str, Any]], requests: int) -> tuple[float, float]:
    """Events/s and ms a request through the real endpoint (Django's test client, in process), 30
    events a request, each from a feed of its own made for the sample."""
    import orjson
    from django.test import Client

    from adaldyq.ledger.entry import Actor
    from adaldyq.web.emonitoring import services
    from adaldyq.web.records.models import Person

    actor = Actor("bench", "role:probation_officer@almaty")
    chosen = feeds[: min(requests, len(feeds))]
    people = Person.objects.in_bulk([o["person"] for o in chosen])
    tokens = [services.feed_create(officer=actor, person=people[o["person"]], device="HTTP")[1]
              for o in chosen]  # fmt: skip
    client = Client(SERVER_NAME="127.0.0.1")
    base = datetime.now().astimezone() - timedelta(hours=3)
    t0 = time.perf_counter()
    for r in range(requests):
        o = chosen[r % len(chosen)]
        body = {"events": [{"id": f"http-{r}-{i}", "kind": "fix",
                            "at": (base + timedelta(seconds=r * 30 + i)).isoformat(),
                            "lat": o["home"][1], "lon": o["home"][0], "accuracy": 10}
                           for i in range(30)]}  # fmt: skip
        answer = client.post("/api/monitoring/events", orjson.dumps(body), content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {tokens[r % len(tokens)]}")  # fmt: skip
        assert answer.status_code == 200, answer.content
    spent = time.perf_counter() - t0
    return 30 * requests / spent, 1000 * spent / requests


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=22_500, help="people on probation")
    parser.add_argument(
        "--share",
        type=float,
        default=1_000_000 / 744 / 22_500,
        help="the share under electronic monitoring (default: a million events a day)",
    )
    parser.add_argument(
        "--upload-minutes", type=int, default=60, help="how often a bracelet uploads"
    )
    parser.add_argument("--uploads-per-commit", type=int, default=1000,
                        help="uploads a collector commits together (1: each upload its own commit, "
                             "as the endpoint does)")  # fmt: skip
    parser.add_argument("--http-requests", type=int, default=200)
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="default: a fresh temporary folder"
    )
    args = parser.parse_args()
    tmp = None
    if args.data_dir is None and "DATABASE_URL" not in os.environ:
        tmp = tempfile.TemporaryDirectory(prefix="monitoring-bench-")
        args.data_dir = Path(tmp.name)
    from adaldyq.web.bootstrap import django_setup

    django_setup(args.data_dir)
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from adaldyq.web.emonitoring import services

    rng = random.Random(19)
    n = round(args.people * args.share)
    print(f"{connection.vendor}: {n:,} of {args.people:,} people on probation under electronic monitoring",
          flush=True)  # fmt: skip
    t0 = time.perf_counter()
    feeds = setup(n, rng)
    print(
        f"set up {n:,} people, their zones and feeds in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    start = datetime.combine(timezone.localdate() - timedelta(days=1), clock(0, 0),
                             tzinfo=ZoneInfo(settings.TIME_ZONE))  # fmt: skip
    days = {o["feed"]: day_of(o, rng, start) for o in feeds}
    total = sum(len(d) for d in days.values())
    step = timedelta(minutes=args.upload_minutes)
    uploads: list[tuple[str, list[Any]]] = []
    for k in range(math.ceil(1440 / args.upload_minutes)):
        low, high = start + k * step, start + (k + 1) * step
        for feed, events in days.items():
            batch = [e for e in events if low <= e.at < high]
            if batch:
                uploads.append((feed, batch))
    print(f"{total:,} events in {len(uploads):,} uploads (every {args.upload_minutes} min a bracelet), "
          f"{args.uploads_per_commit} upload(s) a commit", flush=True)  # fmt: skip

    lags: list[float] = []
    violations = 0
    per_commit = max(1, args.uploads_per_commit)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for i in range(0, len(uploads), per_commit):
        group = uploads[i : i + per_commit]
        arrived = time.perf_counter()  # the group's first upload arrives; its last commits below
        if per_commit == 1:
            found = services.events_ingest(feed_id=group[0][0], events=group[0][1])
        else:
            found = services.uploads_ingest(uploads=group)
        if found.opened:
            violations += len(found.opened)
            lags.append(time.perf_counter() - arrived)
        if i and i % (50 * per_commit) < per_commit and i // per_commit % 50 == 0:
            done = sum(len(b) for _, b in uploads[:i])
            print(f"  {done:,} events, {done / (time.perf_counter() - t0):,.0f}/s", flush=True)
    spent = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    rate = total / spent
    t1 = time.perf_counter()
    anchored = services.digests_anchor(now=timezone.now() + timedelta(hours=2))
    anchor_s = time.perf_counter() - t1
    ledger = ledger_rate()
    http_rate, http_ms = (
        http_sample(feeds, args.http_requests) if args.http_requests else (0.0, 0.0)
    )

    lags.sort()
    p = (
        (lambda q: lags[min(len(lags) - 1, int(q * len(lags)))])
        if lags
        else (lambda q: float("nan"))
    )
    print()
    print(f"ingested and checked: {total:,} events in {spent:.1f} s = {rate:,.0f} events/s "
          f"[target >= {TARGET_RATE:,}: {'met' if rate >= TARGET_RATE else 'NOT met'}]")  # fmt: skip
    print(f"  CPU of this process (the database is SQLite in it, or a PostgreSQL server besides): "
          f"{cpu:.1f} s, {1e6 * cpu / total:.1f} µs an event = {total / cpu:,.0f} events per CPU second "
          f"(the wall-clock rate is lower when other work shares the cores; load now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"the ledger's own import on this database: {ledger:,.0f} entries/s "
          f"(events/s are {rate / ledger:.2f}x that; the events are not ledger entries, ADR 0043)")  # fmt: skip
    print(f"violations found: {violations:,}; lag from an upload's arrival to its violations committed: "
          f"p50 {p(0.5) * 1000:.1f} ms, p95 {p(0.95) * 1000:.1f} ms, max {lags[-1] * 1000 if lags else 0:.1f} ms "
          f"[target <= {TARGET_LAG_S:.0f} s; plus the bracelet's own upload interval, {args.upload_minutes} min here]")  # fmt: skip
    print(f"anchored: {sum(d.count for d in anchored):,} events in {len(anchored)} hour(s), "
          f"Merkle roots in {anchor_s:.1f} s")  # fmt: skip
    if args.http_requests:
        print(f"through HTTP (test client, 30 events a request): {http_rate:,.0f} events/s, "
              f"{http_ms:.1f} ms a request")  # fmt: skip
    if tmp is not None:
        tmp.cleanup()
    sys.exit(0)


if __name__ == "__main__":
    main()
