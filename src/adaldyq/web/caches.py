"""What makes a process's caches forget: a cache of rows (names, counts) is forgotten whenever one of
those rows is saved or deleted."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models.signals import post_delete, post_save


def forget_on_change(sender: str, *forget: Callable[[], None]) -> None:
    """Call each of `forget` whenever a row of the model `sender` ("app.Model") is saved or deleted."""

    def forgotten(**_: object) -> None:
        for f in forget:
            f()

    post_save.connect(forgotten, sender=sender, weak=False)
    post_delete.connect(forgotten, sender=sender, weak=False)
