"""Electronic monitoring's tables (ADR 0043).

- `DeviceFeed`: a device's feed, bound to one person, with the hash of its token. Configuration, like
  the users: created and revoked by the probation service (each a ledger entry about the person), not
  rebuilt by a replay. It keeps the detector's state and the request count of the current minute.
- `DeviceEvent`: every event a feed sent, as sent (one row each, unique per feed and event id). Not
  ledger entries: each hour's events are anchored in the ledger by their Merkle root
  (`device_events_digest`), so that a changed, added or removed row is found by `verify`.
- `ViolationEvent`: which events broke a violation's rule, written with the events (the violation's
  entries name its first events, its count and its last one).
- Read models, rebuilt from the ledger (`projection`): `Violation` (a `device_violation` entry and its
  `device_violation_closed`) and `Digest` (each `device_events_digest`).
"""

from __future__ import annotations

from django.db import models


class DeviceFeed(models.Model):
    id = models.CharField(max_length=20, primary_key=True)
    #: The person (records.Person's key; no foreign key: a replay empties and refills that table).
    person_id = models.CharField(max_length=64, db_index=True)
    device = models.CharField(max_length=80)
    #: SHA-256 of the token (hex); the token itself is shown once, when made, and kept nowhere.
    token_hash = models.CharField(max_length=64, unique=True)
    #: The token's first characters, to tell feeds apart in a list.
    token_prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    created_seq = models.BigIntegerField()
    revoked_at = models.DateTimeField(null=True)
    revoked_by = models.CharField(max_length=150, blank=True)
    #: `adaldyq.emonitoring.FeedState` as JSON: the latest event and the open violations.
    state = models.JSONField(default=dict)
    #: Requests in the current minute (epoch minute `window`): the rate limit.
    window = models.BigIntegerField(default=0)
    window_count = models.IntegerField(default=0)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class DeviceEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    feed_id = models.CharField(max_length=20)
    event_id = models.CharField(max_length=128)
    kind = models.CharField(max_length=10)
    at = models.DateTimeField()
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    accuracy = models.FloatField(null=True)
    level = models.SmallIntegerField(null=True)
    present = models.BooleanField(null=True)
    what = models.CharField(max_length=10, blank=True)
    #: When the server stored it: the hour whose digest holds it.
    received = models.DateTimeField(db_index=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["feed_id", "event_id"], name="device_event_once"),
        )
        indexes = (models.Index(fields=["feed_id", "at"]),)


class Violation(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    person_id = models.CharField(max_length=64, db_index=True)
    feed_id = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    zone = models.CharField(max_length=60, blank=True)
    started = models.DateTimeField(db_index=True)
    #: The latest event that broke the rule, once the violation is over (None: still going on).
    ended = models.DateTimeField(null=True)
    closed_seq = models.BigIntegerField(null=True)
    events = models.IntegerField(default=0)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ("-started", "-seq")


class ViolationEvent(models.Model):
    violation = models.BigIntegerField(db_index=True)
    feed_id = models.CharField(max_length=20)
    event_id = models.CharField(max_length=128)


class Digest(models.Model):
    #: The hour (UTC) in which the events were received.
    hour = models.DateTimeField(primary_key=True)
    seq = models.BigIntegerField()
    count = models.IntegerField()
    root = models.CharField(max_length=64)


#: Rebuilt from the ledger by a replay; `ViolationEvent` is written with the events (ADR 0043).
READ_MODELS = (Violation, Digest)
