"""Read models of the commission's work, projected from ledger entries (decisions.projection).

Nothing here is the record: the ledger is. Every row carries the sequence number of the entry that
made it, and `decisions.projection.rebuild()` drops and rebuilds these tables from the ledger.
"""

from __future__ import annotations

from typing import TypedDict

from django.db import models


class Member(TypedDict):
    """A commission member as a session records them (`decisions.services`)."""

    id: str  # "m1", "m2"... in the order given
    name: str
    group: str
    present: bool


class Session(models.Model):
    """A sitting of an institution's commission (entry `commission_session_opened`)."""

    #: The session's ledger subject, `cs-...`.
    id = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(unique=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    institution_code = models.CharField(max_length=40)
    on = models.DateField()
    #: [{"id", "name", "group": staff | local_executive | public, "present": bool}]
    members = models.JSONField(default=list)
    #: The law pack's quorum figure on the day, as the session's entry recorded it.
    quorum = models.JSONField(default=dict)
    opened_by = models.CharField(max_length=150)
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ("-on", "-seq")

    @property
    def present(self) -> list[Member]:
        return [m for m in self.members if m.get("present")]

    @property
    def public_present(self) -> int:
        return sum(1 for m in self.members if m.get("present") and m.get("group") == "public")


class AgendaItem(models.Model):
    """One question about one person on a session's agenda, and why it is there."""

    seq = models.BigIntegerField(primary_key=True)
    session = models.ForeignKey(
        Session, on_delete=models.DO_NOTHING, related_name="items", db_constraint=False
    )
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    #: degree | condition
    question = models.CharField(max_length=20)
    #: qualifies_higher | unsupported | transfer_grounds | deferred | manual
    grounds = models.CharField(max_length=30)
    #: The engine's proposal when the agenda was drawn: {"outcome": ..., "degree"/"to": ...}.
    proposal = models.JSONField(default=dict)
    #: The written reason of an item added by hand.
    reason = models.TextField(blank=True)
    added_by = models.CharField(max_length=150)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("session", "position", "seq")
        indexes = (models.Index(fields=["person", "question"]),)


class Decision(models.Model):
    """The commission's decision on one agenda item (entry `decision_recorded`)."""

    seq = models.BigIntegerField(primary_key=True)
    entry_hash = models.CharField(max_length=128)
    #: The short code printed on the document (from the entry's leaf hash).
    code = models.CharField(max_length=16, unique=True)
    session = models.ForeignKey(
        Session, on_delete=models.DO_NOTHING, related_name="decisions", db_constraint=False
    )
    item = models.ForeignKey(
        AgendaItem, null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    person = models.ForeignKey(
        "records.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    institution_code = models.CharField(max_length=40)
    on = models.DateField()
    question = models.CharField(max_length=20)
    #: award_degree | recognise | revoke_degree | transfer | refuse | defer
    outcome = models.CharField(max_length=20)
    #: {"degree": 2} | {"as": "offender"} | {"to": "light"} | {}
    terms = models.JSONField(default=dict)
    proposal = models.JSONField(default=dict)
    #: True when the decision departs from the proposal; None when the proposal was not determinable.
    deviates = models.BooleanField(null=True)
    #: without_grounds | grounds_refused | different_change | ""
    direction = models.CharField(max_length=20, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    votes = models.JSONField(default=dict)
    quorum = models.JSONField(default=dict)
    public_present = models.PositiveSmallIntegerField(default=0)
    law_pack = models.JSONField(default=dict)
    facts_hash = models.CharField(max_length=80)
    fact_seqs = models.JSONField(default=list)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()
    confirmed_seq = models.BigIntegerField(null=True)
    confirmed_by = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True)
    #: The fact the confirmation wrote into the personal file (degree_awarded, condition_changed ...).
    fact_seq = models.BigIntegerField(null=True)

    class Meta:
        ordering = ("-on", "-seq")
        indexes = (
            models.Index(fields=["person", "question", "seq"]),
            models.Index(fields=["institution_code", "on"]),
        )
        #: One decision per agenda item: the last guard when two are submitted at once.
        constraints = (models.UniqueConstraint(fields=["item"], name="decision_one_per_item"),)
