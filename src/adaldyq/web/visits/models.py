"""Read models of visits, projected from ledger entries (visits.projection); the ledger is the record.

Every row carries the sequence number of the entry that made it (or last changed it) and can be
rebuilt with `visits.services.read_models_rebuild()`.
"""

from __future__ import annotations

from django.db import models

#: Booking states. A booking is never deleted; a cancelled or not-happened one gives the visit back.
BOOKED, CANCELLED, HAPPENED, NOT_HAPPENED = "booked", "cancelled", "happened", "not_happened"
USING = (BOOKED, HAPPENED)  # the states that use an entitlement


class Visitor(models.Model):
    """A person's registered visitor: identity document, relationship, evidence and the decision."""

    seq = models.BigIntegerField(primary_key=True)  # the `visitor_registered` entry
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="visitors", db_constraint=False
    )
    visitor = models.CharField(
        max_length=80
    )  # the id the ledger uses (`doc:<number>` or the demo's)
    name = models.CharField(max_length=200, blank=True)
    document = models.CharField(max_length=40, blank=True)
    #: The kind of identity document registered (DOCUMENT_TYPES); empty when not said (the demo).
    document_type = models.CharField(max_length=20, blank=True)
    relationship = models.CharField(max_length=40)
    evidence = models.TextField(blank=True)
    registered_on = models.DateField()
    registered_by = models.CharField(max_length=150)
    #: pending | approved | refused
    status = models.CharField(max_length=10, default="pending")
    decided_on = models.DateField(null=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_seq = models.BigIntegerField(null=True)
    #: What the approving officer read from the document seen: {"type": ..., "number": ...}.
    document_seen = models.JSONField(null=True)

    class Meta:
        ordering = ("seq",)
        constraints = (
            models.UniqueConstraint(
                fields=["person", "visitor"], name="visits_one_visitor_per_person"
            ),
        )
        indexes = (models.Index(fields=["document"]),)


class Room(models.Model):
    """A visit room of an institution and its sessions, as its latest `visit_room_defined` entry says."""

    id = models.CharField(
        max_length=90, primary_key=True
    )  # "<institution>/<key>": stable on replay
    seq = models.BigIntegerField()
    institution = models.CharField(max_length=40)  # the institution's code
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    #: The room's name per language ({"kk": ..., "ru": ..., "en": ...}); a reader whose language has
    #: none reads the room by kind and number in their language (visits_tags.room_name).
    names = models.JSONField(default=dict)
    kind = models.CharField(max_length=10)  # short | long
    #: Places per session: tables for short visits, rooms for long visits.
    capacity = models.PositiveSmallIntegerField()
    #: Short: session start times ("09:00"); long: ignored (a stay starts in the morning).
    starts = models.JSONField(default=list)
    #: ISO weekdays (1 = Monday) on which sessions (short) or stays (long) start.
    weekdays = models.JSONField(default=list)
    visitors_max = models.PositiveSmallIntegerField(default=3)
    #: Booking window: from this many days ahead up to that many (staff may book inside `min`).
    book_min_days = models.PositiveSmallIntegerField(default=1)
    book_max_days = models.PositiveSmallIntegerField(default=28)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("institution", "key")
        constraints = (
            models.UniqueConstraint(fields=["institution", "key"], name="visits_room_key"),
        )


class Closure(models.Model):
    """Days on which a room (or every room of an institution, `room` empty) takes no visits."""

    seq = models.BigIntegerField(primary_key=True)
    institution = models.CharField(max_length=40)
    room = models.CharField(max_length=40, blank=True)
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.TextField()

    class Meta:
        ordering = ("first_day", "seq")


class Whereabouts(models.Model):
    """Where a person was held on days they could not receive visitors (isolator, solitary, hospital...)."""

    seq = models.BigIntegerField(primary_key=True)
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    where = models.CharField(max_length=20)  # isolator | solitary | hospital | elsewhere
    first_day = models.DateField()
    last_day = models.DateField(null=True)  # open-ended until recorded
    recorded_by = models.CharField(max_length=150)
    void = models.BooleanField(default=False)

    class Meta:
        ordering = ("first_day", "seq")


class Booking(models.Model):
    """One booked visit: a seat in a room's session, its visitors, its entitlement check, its fate."""

    id = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField()  # the `visit_booked` entry
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="bookings", db_constraint=False
    )
    institution = models.CharField(max_length=40)
    room = models.ForeignKey(
        Room, on_delete=models.DO_NOTHING, related_name="bookings", db_constraint=False
    )
    kind = models.CharField(max_length=10)
    day = models.DateField()
    start = models.CharField(max_length=5, blank=True)  # "09:00" (short); "" (long)
    last_day = models.DateField()
    seat = models.PositiveSmallIntegerField()
    visitors = models.JSONField(default=list)
    channel = models.CharField(max_length=10)  # online | staff
    booked_by = models.CharField(max_length=150)
    booked_at = models.DateTimeField()
    status = models.CharField(max_length=15, default=BOOKED)
    #: The entitlement check when booked: figure (None: not determinable), visits used before.
    figure = models.IntegerField(null=True)
    used_before = models.IntegerField(default=0)
    determinable = models.BooleanField(default=True)
    confidence = models.CharField(max_length=8, blank=True)
    article = models.CharField(max_length=100, blank=True)
    #: Rules an officer overrode, and the written reason (flagged to oversight).
    overrides = models.JSONField(default=list)
    override_reason = models.TextField(blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    closed_seq = models.BigIntegerField(null=True)  # the entry that cancelled or closed it
    closed_reason = models.TextField(blank=True)
    visit_seq = models.BigIntegerField(null=True)  # the `visit` fact entry, once it happened

    class Meta:
        ordering = ("day", "start", "seq")
        constraints = (
            # The last line against overbooking: one active booking per seat of a session.
            models.UniqueConstraint(
                fields=["room", "day", "start", "seat"],
                condition=models.Q(status__in=USING),
                name="visits_one_booking_per_seat",
            ),
        )
        indexes = (models.Index(fields=["person", "day"]), models.Index(fields=["room", "day"]))


class Attendance(models.Model):
    """Check-in and check-out of one visitor of a booking."""

    booking = models.ForeignKey(
        Booking, on_delete=models.DO_NOTHING, related_name="attendance", db_constraint=False
    )
    visitor = models.CharField(max_length=80)
    checked_in_at = models.DateTimeField()
    checked_in_seq = models.BigIntegerField()
    checked_out_at = models.DateTimeField(null=True)
    checked_out_seq = models.BigIntegerField(null=True)

    class Meta:
        ordering = ("checked_in_at",)
        constraints = (
            models.UniqueConstraint(fields=["booking", "visitor"], name="visits_one_checkin"),
        )


READ_MODELS_FOR_TESTS = (Visitor, Room, Closure, Whereabouts, Booking)  # rows with stable keys
