"""Read models of placement and transfers, projected from ledger entries (transfers.projection).

The ledger is the record (docs/decisions/0011-transfers-web.md); these rows are rebuilt by
`transfers.projection.rebuild()` (called by `adaldyq ledger replay`). Institutions are named by
their code, as the entries name them.
"""

from __future__ import annotations

from django.db import models

#: Request states. A request is never deleted; only a decision (or a withdrawal) closes it.
OPEN, GRANTED, REFUSED = "open", "granted", "refused"


class Placement(models.Model):
    """A placement proposal (`placement_proposed`) and, once made, its decision (`placement_decided`)."""

    seq = models.BigIntegerField(primary_key=True)
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    on = models.DateField()
    #: The proposed institution's code ("" when no institution of the right kind exists).
    proposed = models.CharField(max_length=40, blank=True)
    distance_km = models.FloatField(null=True)
    outcome = models.CharField(max_length=40)
    over_capacity = models.BooleanField(default=False)
    #: `Proposal.to_dict()` and the profile it was computed for.
    proposal = models.JSONField(default=dict)
    profile = models.JSONField(default=dict)
    proposed_by = models.CharField(max_length=150)
    decided_seq = models.BigIntegerField(null=True)
    decision = models.CharField(max_length=40, blank=True)  # the decision's id (`TD-...`)

    class Meta:
        ordering = ("-seq",)


class Request(models.Model):
    """A numbered transfer request in the open queue of its target institution."""

    number = models.CharField(max_length=20, primary_key=True)
    seq = models.BigIntegerField(unique=True)
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    target = models.CharField(max_length=40)
    ground = models.CharField(max_length=40)
    filed_on = models.DateField()
    from_institution = models.CharField(max_length=40, blank=True)
    distance_gained_km = models.FloatField(default=0.0)
    family = models.JSONField(default=list)
    consent = models.BooleanField(default=False)
    filed_by = models.CharField(max_length=20)  # person | relative | administration
    filed_by_actor = models.CharField(max_length=150)
    #: How the family is to be told of the decision (phone, address); "" when none was given.
    contact = models.CharField(max_length=200, blank=True)
    #: SHA-256 of the one-time code given to the requester (status page); "" for staff filings.
    code_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, default=OPEN)
    closed_seq = models.BigIntegerField(null=True)
    closed_on = models.DateField(null=True)
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("seq",)
        indexes = (models.Index(fields=["target", "status"]),)
        constraints = (
            # One open request per person (rules.yaml requests.one_open_per_person): the write's
            # projection inserts the row in the ledger append's transaction, so of two filings at
            # once one commits and the other fails here and writes nothing.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status=OPEN),
                name="transfers_one_open_request",
            ),
        )


class Move(models.Model):
    """A decided placement or transfer (`TransferDecision`), with what staff saw when deciding."""

    id = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(unique=True)
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    on = models.DateField()
    kind = models.CharField(max_length=10)  # placement | transfer
    to_institution = models.CharField(max_length=40)
    from_institution = models.CharField(max_length=40, blank=True)
    request = models.CharField(max_length=20, blank=True)
    ground = models.CharField(max_length=40, blank=True)
    officer = models.CharField(max_length=150)
    reason = models.TextField(blank=True)
    capacity_override = models.BooleanField(default=False)
    proposed = models.CharField(max_length=40, blank=True)
    #: Departures known when deciding: out of queue order (with the requests passed over),
    #: into a full institution, against the proposal.
    out_of_order = models.BooleanField(default=False)
    skipped = models.JSONField(default=list)
    over_capacity = models.BooleanField(default=False)
    against_proposal = models.BooleanField(default=False)
    occupancy_before = models.IntegerField(default=0)
    capacity = models.IntegerField(default=0)
    #: `TransferDecision.to_dict()`.
    decision = models.JSONField(default=dict)
    #: Mandela Rule 68: the family was told, through which contact (entry `family_informed`).
    informed_seq = models.BigIntegerField(null=True)
    informed_contact = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("on", "seq")
        indexes = (models.Index(fields=["person", "on"]),)


READ_MODELS = (Move, Request, Placement)
