"""Read models of the paper files brought in (issue 23, ADR 0040), projected from the ledger by
`paper.projection`: where on paper each imported fact was read, and each page's transcriptions.

Nothing here is the record: the ledger is (`adaldyq ledger replay` rebuilds these tables).
"""

from __future__ import annotations

from django.db import models

#: A page read once, read twice the same, read twice differently (awaiting a head), settled.
SINGLE, AGREED, DISPUTED, SETTLED = "single", "agreed", "disputed", "settled"


class PaperBatch(models.Model):
    """One upload of a filled template with its scans (entry `paper_batch_imported`)."""

    seq = models.BigIntegerField(primary_key=True)
    batch = models.CharField(max_length=40, unique=True)
    by = models.CharField(max_length=150)
    at = models.DateTimeField()
    name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    #: The scans uploaded with it: [{document: "sha256:<hex>", name, type}].
    scans = models.JSONField(default=list)

    class Meta:
        ordering = ("-seq",)


class PaperPage(models.Model):
    """One page of a paper file: who read it first, and the second reading compared with it."""

    id = models.BigAutoField(primary_key=True)
    person_id = models.CharField(max_length=40)
    paper_file = models.CharField(max_length=100)
    page = models.PositiveIntegerField()
    scan = models.CharField(max_length=80)
    first_by = models.CharField(max_length=150)
    first_batch = models.CharField(max_length=40)
    status = models.CharField(max_length=20, default=SINGLE)
    #: The entry `paper_page_checked` of the second reading, who read it, and the differences:
    #: [{first: entry seq | null, second: {kind, payload} | null}].
    check_seq = models.BigIntegerField(null=True)
    second_by = models.CharField(max_length=150, blank=True, default="")
    second_scan = models.CharField(max_length=80, blank=True, default="")
    differences = models.JSONField(default=list)
    settled_seq = models.BigIntegerField(null=True)
    settled_by = models.CharField(max_length=150, blank=True, default="")
    #: The head's choice for each difference ("first" | "second") and the reason.
    choices = models.JSONField(default=list)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("person_id", "paper_file", "page")
        constraints = (
            models.UniqueConstraint(
                fields=("person_id", "paper_file", "page"), name="paper_page_once"
            ),
        )
        indexes = (models.Index(fields=("status", "id"), name="paper_page_status"),)


class PaperSource(models.Model):
    """Where on paper the fact (or admission) of entry `seq` was read, by whom, and whether a second
    officer read it too (the page's status)."""

    seq = models.BigIntegerField(primary_key=True)
    #: Read through the (person, paper file, page) index: no index of its own to write on import.
    person_id = models.CharField(max_length=40)
    kind = models.CharField(max_length=40)
    paper_file = models.CharField(max_length=100)
    page = models.PositiveIntegerField()
    #: The scan of the page: "sha256:<hex>", kept in the data folder's documents by its hash.
    scan = models.CharField(max_length=80)
    transcribed_by = models.CharField(max_length=150)
    transcribed_at = models.DateTimeField()
    batch = models.CharField(max_length=40)
    #: single | double (a second officer read it the same) | settled (a head settled the page)
    checked = models.CharField(max_length=10, default="single")

    class Meta:
        ordering = ("seq",)
        indexes = (models.Index(fields=("person_id", "paper_file", "page"), name="paper_src_page"),)


READ_MODELS = (PaperSource, PaperPage, PaperBatch)
