"""A generated population appended to a ledger in the demo loader's shape, without Django.

Each person becomes a `person_admitted` entry (carrying the arrival) followed by one entry per
event, recorded by the event's officer, as `adaldyq.web.demo` does; planted abuses are written
with the ledger sequence numbers of their events (`entries`). Only the ledger's own API is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from adaldyq.demo.loopholes import later_stages
from adaldyq.demo.model import Officer, Person, Population
from adaldyq.ledger import Actor, Draft, Ledger

CHUNK = 500


def _authority(officer: str) -> str:
    institution = officer.split("/", 1)[0]
    return f"role:officer@{institution}"


def drafts_of(person: Person) -> tuple[list[Draft], list[int]]:
    """The person's drafts, and for each event index the index of its draft."""
    events = person.events
    first = next((i for i, e in enumerate(events) if e.type == "arrived"), None)
    arrival = events[first] if first is not None else None
    officer = arrival.officer if arrival else f"{person.institution}/O01"
    admitted = Draft(
        actor=Actor(officer, _authority(officer)),
        subject=person.id,
        type="person_admitted",
        payload={
            "number": person.id,
            "surname": person.name_kk.split()[0],
            "given_name": " ".join(person.name_kk.split()[1:2]),
            "sex": person.sex,
            "born": person.born.isoformat(),
            "sentence": person.sentence.as_case(),
            "gravity": person.gravity,
            "institution": person.institution,
            "home_region": person.home_region,
            "condition": arrival.data.get("condition", "regular") if arrival else "regular",
            "on": (arrival.on if arrival else person.sentence.start).isoformat(),
        },
    )
    drafts, index = [admitted], []
    for i, e in enumerate(events):
        if i == first:
            index.append(0)
            continue
        index.append(len(drafts))
        payload: dict[str, Any] = {"on": e.on.isoformat(), **e.data}
        drafts.append(
            Draft(
                actor=Actor(e.officer, _authority(e.officer)),
                subject=person.id,
                type=e.type,
                payload=payload,
            )
        )
    return drafts, index


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
    chunk: list[Person] = []
    pending: dict[str, tuple[Person, dict[int, int]]] = {}

    def write(person: Person, seqs: dict[int, int]) -> None:
        if out is None:
            return
        for abuse in person.planted:
            line = abuse.as_dict()
            line["entries"] = [seqs[i] for i in abuse.events if i in seqs]
            out.write(orjson.dumps(line) + b"\n")

    def flush() -> None:
        nonlocal n
        drafts: list[Draft] = []
        spans = []
        for person in chunk:
            d, index = drafts_of(person)
            spans.append((person, len(drafts), index))
            drafts.extend(d)
        entries = ledger.append_many(drafts, now=morning)
        n += len(entries)
        for person, start, index in spans:
            seqs = {i: entries[start + at].seq for i, at in enumerate(index)}
            if person.later:
                pending[person.id] = (person, seqs)
            else:
                write(person, seqs)
        chunk.clear()

    for person in people:
        chunk.append(person)
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    for minute, stage in enumerate(later_stages(p for p, _ in pending.values()), 1):
        drafts = []
        for person, _i, later in stage:
            e, seqs = later.event, pending[person.id][1]
            drafts.append(
                Draft(
                    actor=Actor(e.officer, _authority(e.officer)),
                    subject=person.id,
                    type=e.type,
                    payload={"on": e.on.isoformat(), **e.data},
                    corrects=None if later.corrects is None else seqs[later.corrects],
                    reason=later.reason,
                )
            )
        entries = ledger.append_many(
            drafts, now=None if morning is None else morning + timedelta(minutes=minute)
        )
        n += len(entries)
        for (person, i, _later), entry in zip(stage, entries, strict=True):
            pending[person.id][1][i] = entry.seq
    for person, seqs in pending.values():
        write(person, seqs)
    if out is not None:
        out.close()
    return n


def register_of(population: Population) -> dict[str, str]:
    """Institution code -> type, as the institutions register would give it."""
    return {i.id: i.type for i in population.institutions}


def officers_of(population: Population) -> list[Officer]:
    """The population's officers."""
    return list(population.officers)
