"""The public figures as published, one publication per signed checkpoint (ADR 0028).

Not a read model: `adaldyq stats publish` computes a publication from the ledger's entries up to a signed
checkpoint (`adaldyq.stats`) and stores its document here as the exact JSON bytes the portal serves;
anyone can recompute it from an exported bundle (`adaldyq stats recompute --bundle DIR`). Only
suppressed figures are stored: no cell of fewer than 10 people is ever written.
"""

from __future__ import annotations

from django.db import models


class Publication(models.Model):
    #: The size of the signed tree the figures were computed at (one publication a checkpoint).
    size = models.BigIntegerField(primary_key=True)
    #: The tree's root hash (base64) and the checkpoint's signing time, as its note says.
    root = models.CharField(max_length=64)
    signed_at = models.CharField(max_length=40)
    #: The day the figures describe (the checkpoint's signing day).
    as_of = models.DateField()
    published_at = models.DateTimeField(auto_now_add=True)
    #: The publication's canonical JSON (`adaldyq.stats.canonical`), served as it is.
    body = models.TextField()

    class Meta:
        ordering = ("-size",)

    def __str__(self) -> str:
        return f"publication at checkpoint {self.size}"
