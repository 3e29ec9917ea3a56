"""The facts of a case file, as the file lists them (not compiled: a plain Python class, ADR 0013).

The case format lists facts in date order, but a file may list its days in any order (issue 2: the
result does not depend on it). `parse_case` hands the facts on as `CaseEvents`, a view of the list
the file gave (not a copy: copying touched every fact once more, about a tenth of a batch's time);
the engine's single pass over them notices days out of order, and only then orders them (stable: the
facts of one day keep the order given) and reads them again. Facts given to `evaluate` as a plain
list must already be in date order: the engine says which fact is not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, overload


class CaseEvents(Sequence[Mapping[str, Any]]):
    """A case file's facts, whose days may come in any order (a read-only view of `facts`)."""

    __slots__ = ("facts",)

    def __init__(self, facts: list[Mapping[str, Any]] | None = None) -> None:
        #: The list the file gave, not copied: do not change it while the case is in use.
        self.facts: list[Mapping[str, Any]] = [] if facts is None else facts

    def __len__(self) -> int:
        return len(self.facts)

    @overload
    def __getitem__(self, i: int) -> Mapping[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[Mapping[str, Any]]: ...
    def __getitem__(self, i: int | slice) -> Mapping[str, Any] | list[Mapping[str, Any]]:
        """A fact, or a slice as a plain list (whose days, like any list's, must be in order)."""
        return self.facts[i]

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self.facts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CaseEvents):
            return self.facts == other.facts
        if isinstance(other, list):
            return self.facts == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable underneath, as a list

    def __repr__(self) -> str:
        return f"CaseEvents({self.facts!r})"


def in_date_order(facts: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """`facts` ordered by day, same-day facts in the order given."""
    return sorted(facts, key=_day)


def _day(e: Mapping[str, Any]) -> str:
    d = e["on"]
    return d.isoformat() if isinstance(d, date) else str(d)
