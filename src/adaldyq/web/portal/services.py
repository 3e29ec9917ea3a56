"""Writes of the portal: a publication computed from the ledger, stored once per checkpoint."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

from adaldyq import stats
from adaldyq.core.errors import InputError
from adaldyq.web.institutions.register import read_sites
from adaldyq.web.portal.models import Publication
from adaldyq.web.records.selectors import shipped_law_pack


def publication_compute(*, size: int | None = None) -> dict[str, Any]:
    """The publication of the tree of `size` entries (the newest signed without it), computed
    from the ledger's entries and the institutions register; nothing is stored."""
    with connection.cursor() as cursor:
        sites = read_sites(cursor)
    with connection.cursor() as cursor:
        note, bodies = stats.database_entries(cursor, size)
        return stats.publish(bodies, note=note, sites=sites, law=shipped_law_pack())


def publication_store(*, document: dict[str, Any]) -> tuple[Publication, bool]:
    """Keep `document` as the publication of its checkpoint; (publication, whether it is new). A
    checkpoint already published keeps its first publication: its figures are what was served."""
    cp = document["checkpoint"]
    with transaction.atomic():
        return Publication.objects.get_or_create(
            size=int(cp["size"]),
            defaults={
                "root": cp["root"],
                "signed_at": cp["time"] or "",
                "as_of": date.fromisoformat(document["as_of"]),
                "body": stats.canonical(document).decode(),
            },
        )


def publication_publish(*, size: int | None = None) -> tuple[Publication, bool]:
    """Compute and store the publication of the newest signed tree (or of `size`)."""
    size = size if size is not None else _signed_size()
    existing = Publication.objects.filter(size=size).first()
    if existing is not None:
        return existing, False
    return publication_store(document=publication_compute(size=size))


def _signed_size() -> int:
    from adaldyq.ledger import sql

    with connection.cursor() as cursor:
        size = sql.read_signed_size(cursor)
    if size == 0:
        raise InputError("no signed checkpoint yet: sign one first (adaldyq ledger checkpoint)")
    return size
