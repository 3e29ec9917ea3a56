"""Used idempotency keys: one row per form submission that wrote (ADR 0014).

Not a read model: the ledger does not know of these rows and `adaldyq ledger replay` leaves them. A row
commits in the transaction of the ledger entries the submission wrote, so a key is used exactly when its
write happened.
"""

from __future__ import annotations

from django.db import models


class Submission(models.Model):
    """The first use of a form's one-use key, and where its result is shown."""

    #: The key's random part (the signed token carries it; the signature is not stored).
    key = models.CharField(max_length=64, unique=True)
    #: The username that sent the form ("" for a public form).
    user = models.CharField(max_length=150, blank=True)
    #: The path the form was sent to.
    path = models.CharField(max_length=400)
    #: The first ledger entry the submission wrote.
    entry_seq = models.BigIntegerField(null=True)
    #: Where the first submission's result is shown (its redirect), once the view has answered.
    result_url = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} {self.path}"
