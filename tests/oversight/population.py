"""A generated population appended to a ledger in the demo loader's shape, without Django.

Each person becomes a `person_admitted` entry (carrying the arrival) followed by one entry per
event, recorded by the event's officer, as `adaldyq.web.demo` does; planted abuses are written
with the ledger sequence numbers of their events (`entries`). Only the ledger's own API is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson

from adaldyq.demo.entries import planted_line, record_people
from adaldyq.demo.model import Officer, Person, Population
from adaldyq.ledger import Draft, Entry, Ledger

CHUNK = 500


def _authority(officer: str) -> str:
    institution = officer.split("/", 1)[0]
    return f"role:officer@{institution}"


def load_people(
    ledger: Ledger,
    people: Iterable[Person],
    planted_path: Path | None = None,
    *,
    as_of: date | None = None,
) -> int:
    """Append every person's entries, then their later entries (`Person.later`) one stage a batch;
    write planted.jsonl (with `entries`) if a path is given.

    `as_of` (the population's): the histories are recorded that morning and each later stage a minute
    after the one before, as the demo built that day would record them; else now."""
    morning = None if as_of is None else datetime(as_of.year, as_of.month, as_of.day, 8, tzinfo=UTC)
    out = planted_path.open("wb") if planted_path is not None else None
    n = 0

    def append(drafts: list[Draft], stage: int) -> list[Entry]:
        nonlocal n
        entries = ledger.append_many(
            drafts, now=None if morning is None else morning + timedelta(minutes=stage)
        )
        n += len(entries)
        return entries

    for person, seqs in record_people(people, _authority, append, chunk=CHUNK):
        if out is not None:
            for abuse in person.planted:
                out.write(orjson.dumps(planted_line(abuse, seqs)) + b"\n")
    if out is not None:
        out.close()
    return n


def register_of(population: Population) -> dict[str, str]:
    """Institution code -> type, as the institutions register would give it."""
    return {i.id: i.type for i in population.institutions}


def officers_of(population: Population) -> list[Officer]:
    """The population's officers."""
    return list(population.officers)
