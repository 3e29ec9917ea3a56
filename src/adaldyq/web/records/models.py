"""Read models of the personal file, projected from ledger entries (records.projection).

Nothing here is the record: the ledger is. These tables can be dropped and rebuilt with
`adaldyq ledger replay`; every row carries the sequence number of the entry that made it.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:  # django-stubs' Lookup is generic; Django's own is not subscriptable
    _Lookup = models.Lookup[str]
else:
    _Lookup = models.Lookup


class Occurs(_Lookup):
    """`search_text__occurs=word`: the word occurs in the text, as SQLite's `instr(text, word) > 0`.

    The same rows as `contains` (`LIKE '%word%'`) where the text and the word are case-folded (the
    search's, `records.selectors.person_search`) and a word's `%` and `_` are letters to both; a scan
    of every person is a fifth cheaper than the `LIKE` pattern's. The search asks for it on SQLite
    only: PostgreSQL's trigram index serves the `LIKE` (there it is `strpos`).
    """

    lookup_name = "occurs"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"instr({lhs}, {rhs}) > 0", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"strpos({lhs}, {rhs}) > 0", (*lhs_params, *rhs_params)


def full_name(surname: str, given_name: str, patronymic: str) -> str:
    """A person's name as the pages write it: surname, given name, patronymic (those there are)."""
    return " ".join(p for p in (surname, given_name, patronymic) if p)


class Person(models.Model):
    """A prisoner's identity, sentence and current placement, as the ledger says today."""

    id = models.CharField(max_length=40, primary_key=True)
    number = models.CharField(max_length=40, unique=True)
    surname = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100)
    patronymic = models.CharField(max_length=100, blank=True)
    sex = models.CharField(max_length=10)
    born = models.DateField()
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="people",
        db_constraint=False,
    )
    condition = models.CharField(max_length=20, default="regular")
    sentence_start = models.DateField()
    sentence_years = models.PositiveSmallIntegerField(default=0)
    sentence_months = models.PositiveSmallIntegerField(default=0)
    sentence_days = models.PositiveSmallIntegerField(default=0)
    life = models.BooleanField(default=False)
    gravity = models.CharField(max_length=20, blank=True)
    #: `adaldyq.core.regions.Region.key` of where the person lived; placement proposes near it.
    home_region = models.CharField(max_length=40, blank=True)
    #: The type of institution the court set (LAW.md §1); "" when the admission did not record it.
    #: Only a court changes it (art. 96); placement and transfer requests keep to it.
    sentence_type = models.CharField(max_length=20, blank=True)
    #: The facts the parole rules read, as the file says them now (`parole_facts` entries, read by
    #: `adaldyq.files.parole_of`); None where it does not say.
    corruption = models.BooleanField(null=True)
    damage_compensated = models.BooleanField(null=True)
    procedural_agreement = models.BooleanField(null=True)
    admitted_on = models.DateField()
    admitted_seq = models.BigIntegerField()
    #: The release that ended the placement (`released` fact; None: held or awaiting placement).
    #: A released person has no institution and counts in no institution's population.
    released_on = models.DateField(null=True)
    #: The institution the person was released from (its code) and the region the release names
    #: ("" when it names none): the probation service reads the file there (`release.probation`).
    released_from = models.CharField(max_length=40, blank=True, default="")
    released_to = models.CharField(max_length=40, blank=True, default="")
    #: Name and number, case-folded, for search on every backend (SQLite's LIKE folds ASCII only).
    search_text = models.CharField(max_length=400, default="")

    class Meta:
        ordering = (
            "surname",
            "given_name",
            "id",
        )
        indexes = (
            models.Index(fields=["surname", "given_name"]),
            models.Index(fields=["institution", "surname"]),
            # The key of the search's trigram index (records migration 0003).
            models.Index(fields=["admitted_seq"], name="records_per_admitte_idx"),
            # Those awaiting placement (no institution, not released), counted on every page of the
            # committee's and a regional department's navigation: without it the count read every
            # released person's row (records migration 0013).
            models.Index(fields=["institution", "released_on"], name="records_per_awaiting_idx"),
        )

    @property
    def full_name(self) -> str:
        return full_name(self.surname, self.given_name, self.patronymic)

    @cached_property
    def opened_on(self) -> date | None:
        """The day the file was opened: its admission's arrival fact recorded (the lateness rules of
        `entry_rules`; a write asks in its form and in its service, the row is read once)."""
        from adaldyq.web.rows import by_pk

        admission = by_pk(Fact, self.admitted_seq)
        return admission.recorded_at.date() if admission is not None else None

    def __str__(self) -> str:
        return f"{self.full_name} ({self.number})"


class Fact(models.Model):
    """One fact of the personal file (an event of the case vocabulary), or a correction of one."""

    seq = models.BigIntegerField(primary_key=True)
    entry_hash = models.CharField(max_length=128)
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, related_name="facts", db_constraint=False
    )
    kind = models.CharField(max_length=40)
    on = models.DateField()
    data = models.JSONField(default=dict)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()
    corrects = models.ForeignKey(
        "self",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="corrections",
        db_constraint=False,
    )
    reason = models.TextField(blank=True)
    # No index (migration 0009): almost every row holds NULL, so an index only tempted the planners
    # to read the whole table through it for `superseded_by_id IS NULL` beside `person_id IN (...)`.
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    void = models.BooleanField(
        default=False
    )  # a correction that withdraws the original without a replacement

    class Meta:
        ordering = (
            "on",
            "seq",
        )
        indexes = (
            models.Index(fields=["person", "on", "seq"]),
            # a kind's facts of a period across the country (the work report's month)
            models.Index(fields=["kind", "on"], name="records_fact_kind_on"),
        )


class Relative(models.Model):
    """A relative or approved visitor of a person."""

    seq = models.BigIntegerField(primary_key=True)
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, related_name="relatives", db_constraint=False
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=40)
    approved = models.BooleanField(default=True)

    class Meta:
        ordering = ("seq",)


class Note(models.Model):
    """An oversight body's own note on a personal file."""

    seq = models.BigIntegerField(primary_key=True)
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, related_name="notes", db_constraint=False
    )
    author = models.CharField(max_length=150)
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ("seq",)


class FileSeen(models.Model):
    """Someone saw a file: who, when, on which page (a route name; "" for the personal file's own
    page). Its kinds say where: opened alone, or shown in a list."""

    by = models.CharField(max_length=150)
    at = models.DateTimeField()
    page = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ("-seq",)


class FileOpening(FileSeen):
    """Who opened whose file, when, on which page (each opening is also a ledger entry,
    `file_opened`)."""

    seq = models.BigIntegerField(primary_key=True)
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, related_name="openings", db_constraint=False
    )


class FileListing(FileSeen):
    """One file shown in a list (search results, a queue, a board, an export): one row per file of
    one `files_listed` entry, so that the file's readers include everyone who saw it in a list."""

    id = models.BigAutoField(primary_key=True)
    seq = models.BigIntegerField()
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, related_name="listings", db_constraint=False
    )

    class Meta(FileSeen.Meta):
        indexes = (models.Index(fields=["person", "-seq"], name="records_listing_person_seq"),)


class Proposal(models.Model):
    """An entry proposed for the head's confirmation (issue 15): a fact recorded long after its day
    (`action` "record", the fact in `fact`) or the withdrawal of an old penalty ("withdraw", the
    entry in `entry`). It counts for nothing until a head (not the proposer) confirms it: the head's
    entry is the fact or the withdrawal itself, with `confirms` naming this proposal."""

    seq = models.BigIntegerField(primary_key=True)
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, related_name="proposals", db_constraint=False
    )
    action = models.CharField(max_length=20)
    fact = models.JSONField(default=dict)
    entry = models.BigIntegerField(null=True)
    code = models.CharField(max_length=40)
    reason = models.TextField()
    proposed_by = models.CharField(max_length=150)
    at = models.DateTimeField()
    status = models.CharField(max_length=20, default="pending")  # pending | confirmed | refused
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decided_seq = models.BigIntegerField(null=True)
    decided_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("seq",)
        indexes = (models.Index(fields=["status", "seq"], name="records_proposal_status"),)


Person._meta.get_field("search_text").register_lookup(Occurs)  # the search's words (Occurs)
