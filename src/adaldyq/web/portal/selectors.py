"""Reads of the portal: the publications and what a page shows of them."""

from __future__ import annotations

from adaldyq.web.portal.models import Publication


def latest_publication() -> Publication | None:
    """The publication of the largest signed tree published, or None."""
    return Publication.objects.order_by("-size").first()


def publication_at(size: int) -> Publication | None:
    """The publication at checkpoint `size`, or None."""
    return Publication.objects.filter(size=size).first()


def publication_at_most(size: int) -> Publication | None:
    """The newest publication at a checkpoint of `size` entries or fewer, or None."""
    return Publication.objects.filter(size__lte=size).order_by("-size").first()
