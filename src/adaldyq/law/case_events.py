"""The facts of a case file, as the file lists them (not compiled: a list subclass, ADR 0013).

The case format lists facts in date order, but a file may list its days in any order (issue 2: the
result does not depend on it). `parse_case` hands the facts on as `CaseEvents` without checking;
the engine's single pass over them notices days out of order, and only then orders them (stable: the
facts of one day keep the order given) and reads them again. Facts given to `evaluate` as a plain list
must already be in date order: the engine says which fact is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


class CaseEvents(list[Mapping[str, Any]]):
    """A case file's facts, whose days may come in any order."""

    __slots__ = ()

    def in_date_order(self) -> list[Mapping[str, Any]]:
        """The facts ordered by day, same-day facts in the order given."""
        return sorted(self, key=_day)


def _day(e: Mapping[str, Any]) -> str:
    d = e["on"]
    return d.isoformat() if isinstance(d, date) else str(d)
