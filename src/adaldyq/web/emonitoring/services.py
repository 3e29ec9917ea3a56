"""Writes of electronic monitoring (ADR 0043).

feed_create(...)      a device feed for a person and its token (shown once; kept as a hash)
feed_revoke(...)      the token no longer accepted
feed_admit(...)       the feed's rate limit: None, or the seconds to wait
events_ingest(...)    a feed's events: stored once each, checked against the person's zones, each
                      violation found a ledger entry, all in one durable transaction
events_import(...)    the same for a file of many feeds' events: every row checked first, every
                      refused row named, then all rows or none
uploads_ingest(...)   many feeds' uploads in one durable transaction (a file, a collector)
feeds_sweep(...)      loss of signal of silent feeds, and violations left idle, as of now
digests_anchor(...)   each full hour's events anchored in the ledger by their Merkle root
digests_verify()      the hours whose stored events no longer give the anchored root
zone_record(...)      a home with curfew hours or an exclusion zone, a fact of the personal file
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from adaldyq import files
from adaldyq.core.errors import InputError
from adaldyq.emonitoring import (
    CSV_COLUMNS,
    Detector,
    Event,
    EventError,
    FeedState,
    Zone,
    ZoneError,
    leaf_of,
    zone_of,
)
from adaldyq.emonitoring.detect import EVENTS_NAMED, Episode, Found
from adaldyq.emonitoring.events import iso_utc
from adaldyq.ledger.merkle import root_from_leaf_hashes
from adaldyq.web.emonitoring import projection
from adaldyq.web.emonitoring.models import DeviceEvent, DeviceFeed, Digest, ViolationEvent
from adaldyq.web.records import ledger_port
from adaldyq.web.records import services as records
from adaldyq.web.records.ledger_port import Actor, Draft
from adaldyq.web.records.models import Fact, Person

TOKEN_PREFIX = "adq_em_"  # noqa: S105 - the prefix every token starts with, not a secret
#: Requests a feed may make in one minute (the project's figure, P; ADR 0043).
REQUESTS_PER_MINUTE = 120
#: An hour is anchored this long after it ends, so that a request that began in it has committed.
ANCHOR_GRACE = timedelta(minutes=2)
_CHUNK = 500


class ImportRefusedError(InputError):
    """A file with refused rows: every row named with its reason; nothing was imported."""

    def __init__(self, refused: list[tuple[int, str]]) -> None:
        self.refused = refused
        super().__init__(
            f"{len(refused)} row(s) refused, nothing imported: "
            + "; ".join(f"row {n}: {why}" for n, why in refused[:20])
            + ("; ..." if len(refused) > 20 else "")
        )


def token_hash(token: str) -> str:
    """What the feed table keeps of a token: its SHA-256 (the token is 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _feed_actor(feed_id: str) -> Actor:
    return Actor(f"device-feed:{feed_id}", "emonitoring")


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _on(moment: datetime) -> str:
    return moment.astimezone(_tz()).date().isoformat()


def feed_create(*, officer: Any, person: Person, device: str) -> tuple[DeviceFeed, str]:
    """A feed for `person`'s device and its token, returned once (only its hash is kept)."""
    device = device.strip()
    if not device or len(device) > 80:
        raise InputError(gettext("Name the device (its serial number), up to 80 characters."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    feed_id = "F-" + secrets.token_hex(6)
    now = timezone.now()
    with transaction.atomic(durable=True):
        entry = ledger_port.append_projected(
            [
                Draft(
                    actor=records.actor_of(officer), subject=person.pk,
                    type=projection.FEED_OPENED,
                    payload={"on": timezone.localdate().isoformat(), "feed": feed_id, "device": device},
                )
            ],
            projection.project,
        )[0]  # fmt: skip
        feed = DeviceFeed.objects.create(
            id=feed_id, person_id=person.pk, device=device, token_hash=token_hash(token),
            token_prefix=token[: len(TOKEN_PREFIX) + 4], created_at=now,
            created_by=records.actor_of(officer).id, created_seq=entry.seq,
        )  # fmt: skip
    return feed, token


def feed_revoke(*, officer: Any, feed: DeviceFeed) -> None:
    """Refuse the feed's token from now on (its events stay)."""
    with transaction.atomic(durable=True):
        locked = DeviceFeed.objects.select_for_update().get(pk=feed.pk)
        if locked.revoked_at is not None:
            raise InputError(gettext("This feed is already revoked."))
        ledger_port.append_projected(
            [
                Draft(
                    actor=records.actor_of(officer), subject=locked.person_id,
                    type=projection.FEED_REVOKED,
                    payload={"on": timezone.localdate().isoformat(), "feed": locked.pk},
                )
            ],
            projection.project,
        )  # fmt: skip
        locked.revoked_at = timezone.now()
        locked.revoked_by = records.actor_of(officer).id
        locked.save(update_fields=["revoked_at", "revoked_by"])


def feed_of_token(token: str) -> DeviceFeed | None:
    """The active feed whose token this is (None: unknown or revoked)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return DeviceFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True).first()


def feed_admit(*, feed_id: str, now: datetime) -> int | None:
    """Count one request of the feed in the current minute: None when admitted, else the seconds
    until the next minute. The count is one UPDATE on the feed's row (atomic on every database)."""
    minute = int(now.timestamp() // 60)
    rows = DeviceFeed.objects.filter(pk=feed_id)
    for _ in range(2):
        if rows.filter(window=minute, window_count__lt=REQUESTS_PER_MINUTE).update(
            window_count=F("window_count") + 1
        ):
            return None
        if rows.exclude(window=minute).update(window=minute, window_count=1):
            return None
    return max(1, 60 - int(now.timestamp() % 60))


#: Zones built with shapely, by the facts they come from (a later or withdrawn fact is another key).
_ZONES: dict[tuple[tuple[int, ...], ...], list[Zone]] = {}


def zones_of(person_id: str) -> list[Zone]:
    """The zones standing for a person: the latest `device_zone` fact of each name, unless ended.
    One query; the polygons are built once per set of facts (`_ZONES`)."""
    rows = list(
        Fact.objects.filter(
            person_id=person_id, kind=files.DeviceZone.TYPE, superseded_by__isnull=True, void=False
        )
        .order_by("on", "seq")
        .values_list("seq", "on", "data")
    )
    key = tuple((seq,) for seq, _on, _data in rows)
    found = _ZONES.get(key)
    if found is not None:
        return found
    latest: dict[str, files.DeviceZone] = {}
    for seq, on, data in rows:
        fact = files.parse_fact(files.DeviceZone.TYPE, dict(data), on=on, seq=seq)
        assert isinstance(fact, files.DeviceZone)  # noqa: S101 - parse_fact's type for the kind
        latest[fact.name] = fact
    found = [zone_of(f) for f in latest.values() if not f.ended]
    if len(_ZONES) > 50_000:
        _ZONES.clear()
    _ZONES[key] = found
    return found


def zone_record(*, officer: Any, person: Person, zone: Mapping[str, Any]) -> Fact:
    """Record a zone (`{"on", "name", "kind", "polygon", "curfew"?}` or `{"on", "name", "kind",
    "ended": true}`) in the personal file, once shapely reads its polygon as one simple area."""
    fact = {"type": files.DeviceZone.TYPE, **zone}
    payload = {k: v for k, v in fact.items() if k != "type"}
    parsed = files.parse_fact(files.DeviceZone.TYPE, dict(payload), on=_day(payload.get("on")))
    assert isinstance(parsed, files.DeviceZone)  # noqa: S101
    if not parsed.ended:
        try:
            zone_of(parsed)
        except ZoneError:
            raise InputError(
                gettext("The zone's edges cross or enclose no area: draw it as one simple polygon.")
            ) from None
    return records.fact_record(officer=officer, person=person, fact=fact)


def _day(raw: Any) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InputError(f"`on` must be a date YYYY-MM-DD, not {raw!r}") from None


@dataclass
class Ingested:
    """What one call stored and found."""

    accepted: int = 0
    duplicates: int = 0
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)

    def add(self, other: Ingested) -> None:
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.opened += other.opened
        self.closed += other.closed

    def to_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "violations": self.opened,
            "violations_ended": self.closed,
        }


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _moment_adapter() -> Any:
    """How a moment (UTC) goes into a query: for SQLite the text Django writes (naive UTC, as
    `str()` spells it), without Django's checks per value; PostgreSQL takes it as it is."""
    if connection.vendor == "sqlite":
        return lambda at: str(at.astimezone(UTC).replace(tzinfo=None))
    return lambda at: at


def _insert_events(feed_id: str, events: Sequence[Event], received: datetime) -> set[str]:
    """Insert the events the feed has not sent before; the ids of those inserted. One statement per
    500 events: `ON CONFLICT DO NOTHING` leaves an id already stored (SQLite 3.35 and PostgreSQL),
    `RETURNING` says which were new."""
    table = connection.ops.quote_name(DeviceEvent._meta.db_table)
    adapt = _moment_adapter()
    when = adapt(received)
    new: set[str] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(events):
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for e in chunk:
                params += (feed_id, e.id, e.kind, adapt(e.at), e.lat, e.lon, e.accuracy, e.level,
                           e.present, e.what, when)  # fmt: skip
            cursor.execute(
                f"INSERT INTO {table} (feed_id, event_id, kind, at, lat, lon, accuracy, level, "  # noqa: S608 - the model's own table
                f"present, what, received) VALUES {values} "
                "ON CONFLICT (feed_id, event_id) DO NOTHING RETURNING event_id",
                params,
            )
            new.update(row[0] for row in cursor.fetchall())
    return new


def _drafts_of(feed: DeviceFeed, found: Found) -> tuple[list[Episode], list[Draft]]:
    actor = _feed_actor(feed.pk)
    drafts = []
    for ep in found.opened:
        drafts.append(
            Draft(
                actor=actor, subject=feed.person_id, type=projection.VIOLATION,
                payload={
                    "on": _on(ep.started), "feed": feed.pk, "kind": ep.kind, "zone": ep.zone,
                    "started": iso_utc(ep.started), "events": ep.events[:EVENTS_NAMED],
                },
            )
        )  # fmt: skip
    return found.opened, drafts


def _closing(feed: DeviceFeed, found: Found) -> list[Draft]:
    actor = _feed_actor(feed.pk)
    return [
        Draft(
            actor=actor, subject=feed.person_id, type=projection.VIOLATION_CLOSED,
            payload={
                "on": _on(ep.last), "feed": feed.pk, "violation": ep.violation,
                "ended": iso_utc(ep.last), "last_event": ep.last_id, "count": ep.count,
            },
        )
        for ep in found.closed
    ]  # fmt: skip


def _record_found(feed: DeviceFeed, found: Found, result: Ingested) -> None:
    """Each violation opened, then each one over, as ledger entries projected at once."""
    opened, drafts = _drafts_of(feed, found)
    if drafts:
        entries = ledger_port.append_projected(drafts, projection.project)
        for ep, entry in zip(opened, entries, strict=True):
            ep.violation = entry.seq
            result.opened.append(entry.seq)
    closing = _closing(feed, found)
    if closing:
        entries = ledger_port.append_projected(closing, projection.project)
        result.closed += [e.seq for e in entries]
    links = [
        ViolationEvent(violation=ep.violation, feed_id=feed.pk, event_id=event_id)
        for event_id, eps in found.episode_of.items()
        for ep in eps
    ]
    ViolationEvent.objects.bulk_create(links, batch_size=1000)


def _ingest(
    feed_id: str, events: Sequence[Event], received: datetime, zones: dict[str, list[Zone]]
) -> Ingested:
    """Inside the caller's transaction: store the events new to the feed and check them."""
    feed = _feed_locked(feed_id)
    if feed.revoked_at is not None:
        raise InputError(f"feed {feed_id} is revoked")
    unique = list({e.id: e for e in reversed(events)}.values())[::-1]
    inserted = _insert_events(feed_id, unique, received)
    new = [e for e in unique if e.id in inserted]
    result = Ingested(accepted=len(new), duplicates=len(events) - len(new))
    if not new:
        return result
    if feed.person_id not in zones:
        zones[feed.person_id] = zones_of(feed.person_id)
    state = FeedState.from_json(feed.state)
    found = Detector(zones[feed.person_id], tz=_tz()).run(new, state)
    _record_found(feed, found, result)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_FEEDS} SET state = %s WHERE id = %s",  # noqa: S608 - the model's own table
            [orjson.dumps(state.to_json()).decode(), feed_id],
        )
    return result


_FEEDS = DeviceFeed._meta.db_table


def _feed_locked(feed_id: str) -> DeviceFeed:
    """The feed's row, locked until the transaction ends (PostgreSQL; SQLite's writes are serial)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id, revoked_at, state FROM {_FEEDS} WHERE id = %s{lock}",  # noqa: S608 - the model's own table
            [feed_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise InputError(f"no device feed {feed_id!r}")
    state = row[2] if isinstance(row[2], dict) else orjson.loads(row[2] or "{}")
    return DeviceFeed(id=feed_id, person_id=row[0], revoked_at=row[1], state=state)


def events_ingest(*, feed_id: str, events: Sequence[Event]) -> Ingested:
    """Store a feed's events (those it sent before are counted as duplicates and left) and record
    every violation they show, in one durable transaction; then anchor any hour that is over."""
    received = timezone.now()
    with transaction.atomic(durable=True):
        result = _ingest(feed_id, events, received, {})
    digests_anchor(now=received)
    return result


def events_import(*, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> Ingested:
    """A file's rows (`(line or row number, mapping with `feed` and the event)`): each checked, each
    refused one named (`ImportRefusedError`), and nothing stored unless every row is accepted."""
    received = timezone.now()
    refused: list[tuple[int, str]] = []
    by_feed: dict[str, list[Event]] = {}
    first_row: dict[tuple[str, str], int] = {}
    feeds = {f.pk: f for f in DeviceFeed.objects.all()}
    for n, raw in rows:
        fid = str(raw.get("feed") or "")
        feed = feeds.get(fid)
        if feed is None:
            refused.append((n, f"field 'feed': no device feed {fid!r}"))
            continue
        if feed.revoked_at is not None:
            refused.append((n, f"field 'feed': feed {fid} is revoked"))
            continue
        try:
            event = parse_row(raw, now=received)
        except EventError as exc:
            refused.append((n, str(exc)))
            continue
        earlier = first_row.setdefault((fid, event.id), n)
        if earlier != n:
            refused.append(
                (n, f"field 'id': event {event.id!r} of feed {fid} is also row {earlier}")
            )
            continue
        by_feed.setdefault(fid, []).append(event)
    if refused:
        raise ImportRefusedError(refused)
    return uploads_ingest(uploads=list(by_feed.items()), received=received)


def uploads_ingest(
    *, uploads: Sequence[tuple[str, Sequence[Event]]], received: datetime | None = None
) -> Ingested:
    """Many feeds' uploads (each `(feed, events)`, checked) in one durable transaction: a file's
    rows, or a collector that gathers the devices' uploads and commits them together (one commit
    for many uploads, as the ledger's group commit does; ADR 0043)."""
    received = received or timezone.now()
    total = Ingested()
    zones: dict[str, list[Zone]] = {}
    with transaction.atomic(durable=True):
        for fid, events in uploads:
            total.add(_ingest(fid, events, received, zones))
    digests_anchor(now=received)
    return total


def parse_row(raw: Mapping[str, Any], *, now: datetime) -> Event:
    """An event of a file's row: the row without its `feed`."""
    from adaldyq.emonitoring import parse_event

    return parse_event({k: v for k, v in raw.items() if k != "feed"}, now=now)


def feeds_sweep(*, now: datetime) -> Ingested:
    """As of `now`: each active feed silent for too long has lost its signal (once per silence),
    and each violation idle for too long is over."""
    result = Ingested()
    zones: dict[str, list[Zone]] = {}
    with transaction.atomic(durable=True):
        for feed in DeviceFeed.objects.select_for_update().filter(revoked_at__isnull=True):
            state = FeedState.from_json(feed.state)
            if feed.person_id not in zones:
                zones[feed.person_id] = zones_of(feed.person_id)
            found = Detector(zones[feed.person_id], tz=_tz()).sweep(state, now=now)
            if found.opened or found.closed:
                _record_found(feed, found, result)
                DeviceFeed.objects.filter(pk=feed.pk).update(state=state.to_json())
    return result


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _event_of(row: tuple[Any, ...]) -> tuple[str, Event]:
    feed_id, event_id, kind, at, lat, lon, accuracy, level, present, what = row
    return feed_id, Event(
        id=event_id, kind=kind, at=at.astimezone(UTC), lat=lat, lon=lon, accuracy=accuracy,
        level=level, present=present, what=what,
    )  # fmt: skip


#: The table's columns of an event, in the order of the file format's (`emonitoring.CSV_COLUMNS`).
_COLUMNS = ("feed_id", "event_id", *CSV_COLUMNS[2:])


def hour_root(hour: datetime) -> tuple[int, str, int, int]:
    """The events received in `hour`, in row order: their count, Merkle root (hex), first and last
    row id; the leaves are recomputed from the rows' columns (`emonitoring.leaf_of`)."""
    rows = DeviceEvent.objects.filter(received__gte=hour, received__lt=hour + timedelta(hours=1))
    ids = rows.order_by("id").values_list("id", flat=True)
    first, last = ids.first(), rows.order_by("-id").values_list("id", flat=True).first()
    leaves = (
        leaf_of(*_event_of(r))
        for r in rows.order_by("id").values_list(*_COLUMNS).iterator(chunk_size=20_000)
    )
    root = root_from_leaf_hashes(leaves)
    return rows.count(), root.hex(), int(first or 0), int(last or 0)


#: The latest moment this process found nothing more to anchor before: until the next hour may be
#: anchored, an ingestion does not look again.
_ANCHORED_UNTIL: list[datetime] = []


def digests_anchor(*, now: datetime) -> list[Digest]:
    """Anchor each hour that ended at least `ANCHOR_GRACE` ago, has events and no digest yet: one
    `device_events_digest` entry each (another worker anchoring the same hour wins; this one
    leaves it)."""
    if _ANCHORED_UNTIL and now < _ANCHORED_UNTIL[0] and not connection.in_atomic_block:
        return []
    made = _anchor(now)
    if not connection.in_atomic_block:
        _ANCHORED_UNTIL[:] = [_hour(now) + timedelta(hours=1) + ANCHOR_GRACE]
    return made


def _anchor(now: datetime) -> list[Digest]:
    made: list[Digest] = []
    latest = Digest.objects.order_by("-hour").values_list("hour", flat=True).first()
    start = latest + timedelta(hours=1) if latest else None
    while True:
        rows = DeviceEvent.objects.all()
        if start is not None:
            rows = rows.filter(received__gte=start)
        first = rows.order_by("received").values_list("received", flat=True).first()
        if first is None:
            return made
        hour = _hour(first)
        if hour + timedelta(hours=1) + ANCHOR_GRACE > now:
            return made
        count, root, low, high = hour_root(hour)
        draft = Draft(
            actor=Actor("emonitoring", "system"), subject=projection.DIGEST_SUBJECT,
            type=projection.DIGEST,
            payload={"on": _on(hour), "hour": iso_utc(hour), "count": count, "root": root,
                     "first": low, "last": high},
        )  # fmt: skip
        try:
            with transaction.atomic(durable=not connection.in_atomic_block):
                ledger_port.append_projected([draft], projection.project)
        except IntegrityError:
            return made
        made.append(Digest.objects.get(hour=hour))
        start = hour + timedelta(hours=1)


def digests_verify() -> list[dict[str, Any]]:
    """Each hour whose events differ from its anchor (count or root), and each hour before the
    latest anchor that has events and no anchor (rows added later); [] when every hour agrees."""
    faults: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        entries = [e for e in ledger_port.entries_about(cursor, projection.DIGEST_SUBJECT)
                   if e.type == projection.DIGEST]  # fmt: skip
    anchored = {}
    for e in entries:
        hour = projection._moment(e.payload["hour"])
        anchored[hour] = e
        count, root, _low, _high = hour_root(hour)
        if count != e.payload["count"] or root != e.payload["root"]:
            faults.append({
                "hour": e.payload["hour"], "entry": e.seq, "anchored_count": e.payload["count"],
                "count": count, "anchored_root": e.payload["root"], "root": root,
            })  # fmt: skip
    if anchored:
        until = max(anchored) + timedelta(hours=1)
        received = DeviceEvent.objects.filter(received__lt=until).values_list("received", flat=True)
        for hour in sorted({_hour(r) for r in received.distinct()} - set(anchored)):
            faults.append({"hour": iso_utc(hour), "entry": None, "anchored_count": 0})
    return faults
