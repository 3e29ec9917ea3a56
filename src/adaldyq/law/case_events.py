"""The facts of a case file, as the file lists them (not compiled: a plain Python class, ADR 0013).

The case format lists facts in date order (shared/cases/README.md). `parse_case` hands the facts on
as `CaseEvents`, a view of the list the file gave (not a copy: copying touched every fact once more,
about a tenth of a batch's time); the engine's single pass over them refuses, by its index, the first
fact dated before the one listed above it (issue 17: a file out of order is corrected, never silently
reordered).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload


class CaseEvents(Sequence[Mapping[str, Any]]):
    """A case file's facts (a read-only view of `facts`)."""

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
