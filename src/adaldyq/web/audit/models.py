"""The result of each check of the read models against the ledger (`adaldyq ledger audit-views`).

Not a read model: the ledger does not know of these rows and `adaldyq ledger replay` leaves them.
The latest row decides whether oversight roles see the alarm on every page.
"""

from __future__ import annotations

from django.db import models


class ViewCheck(models.Model):
    """One run of the check: when, how many rows differed, and the first differences found."""

    checked_at = models.DateTimeField()
    #: Rows whose read model differs from what the ledger gives (0: the read models agree).
    differences = models.IntegerField()
    #: Differing rows per table.
    tables = models.JSONField(default=dict)
    #: The first differences, as `adaldyq ledger audit-views --format json` prints them.
    sample = models.JSONField(default=list)
    #: Entries of the ledger the check read (its latest sequence number).
    ledger_upto = models.BigIntegerField(null=True)

    class Meta:
        ordering = ("-checked_at", "-id")
