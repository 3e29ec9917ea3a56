"""Read model of the overrides awaiting a second person (ADR 0037), written only by `projection`.

An override is a departure from what the law or the published rules give (a visit above the yearly
entitlement, a placement or transfer into a full institution, against the system's proposal or out
of queue order). One person asks for it with a reason; it takes effect only when a second person
with the authority confirms it, and a refusal closes it.
"""

from __future__ import annotations

from django.db import models

PENDING, CONFIRMED, REFUSED = "pending", "confirmed", "refused"
STATUSES = [(PENDING, PENDING), (CONFIRMED, CONFIRMED), (REFUSED, REFUSED)]

#: What an override asks to do, each performed on confirmation by the app it belongs to.
VISIT_BOOKING, PLACEMENT, TRANSFER = "visit_booking", "placement", "transfer"
KINDS = (VISIT_BOOKING, PLACEMENT, TRANSFER)


class Override(models.Model):
    seq = models.BigIntegerField(primary_key=True)  # the `override_requested` entry
    kind = models.CharField(max_length=30)
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="overrides", db_constraint=False
    )
    #: The institution concerned (the booking's, the placement's or transfer's target).
    institution = models.CharField(max_length=40, db_index=True)
    #: The rules the maker asks to depart from (`entitlement_used`, `over_capacity`, ...).
    rules = models.JSONField(default=list)
    #: What the law and the rules answered when it was asked (refusals and their figures, the
    #: occupancy, the requests ahead in the queue, the proposal).
    grounds = models.JSONField(default=dict)
    #: What takes effect on confirmation (the app's own arguments).
    action = models.JSONField(default=dict)
    reason = models.TextField()
    requested_by = models.CharField(max_length=150)
    requested_authority = models.CharField(max_length=200)
    requested_on = models.DateField()
    status = models.CharField(max_length=12, choices=STATUSES, default=PENDING, db_index=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_authority = models.CharField(max_length=200, blank=True)
    decided_seq = models.BigIntegerField(null=True, unique=True)
    decided_on = models.DateField(null=True)
    refusal = models.TextField(blank=True)
    #: What the confirmation produced: the booking's or the move's id.
    effect = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("seq",)

    def __str__(self) -> str:
        return f"override #{self.seq} ({self.kind}, {self.status})"
