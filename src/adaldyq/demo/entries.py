"""A generated person as the ledger entries the demo records (pure: no Django).

The demo's loader (`adaldyq.web.demo`) and the tests' and benchmarks' ledgers built without Django
(tests/oversight/population.py) append these same drafts: a `person_admitted` entry carrying the
arrival, one entry per later event by the event's officer, then the entries recorded after every
history (`Person.later`), through `record_people`, which batches them and gives back each person's
sequence numbers. `authority` names the authority an officer records on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from adaldyq.demo.loopholes import later_stages
from adaldyq.demo.model import Later, PlantedAbuse
from adaldyq.demo.model import Person as DemoPerson
from adaldyq.files import PERSON_ADMITTED
from adaldyq.ledger.entry import Actor, Draft, Entry

Authority = Callable[[str], str]
#: Appends a batch of drafts in one transaction and returns their entries; the batch's stage is 0
#: for people's histories, then 1, 2, ... for the stages of the entries recorded after every history.
Append = Callable[[list[Draft], int], Sequence[Entry]]


def split_name(full: str) -> tuple[str, str, str]:
    """Surname, given name and patronymic of a generated full name."""
    parts = full.split()
    return (parts[0] if parts else "?", parts[1] if len(parts) > 1 else "", " ".join(parts[2:]))


def person_drafts(person: DemoPerson, authority: Authority) -> tuple[list[Draft], list[int]]:
    """The person's entries, and for each generator event index the index of its draft."""
    events = person.events
    first = next((i for i, e in enumerate(events) if e.type == "arrived"), None)
    arrival = events[first] if first is not None else None
    surname, given, patronymic = split_name(person.name_kk)
    officer = arrival.officer if arrival else f"{person.institution}/O01"
    admitted = Draft(
        actor=Actor(officer, authority(officer)),
        subject=person.id,
        type=PERSON_ADMITTED,
        payload={
            "number": person.id,
            "surname": surname,
            "given_name": given,
            "patronymic": patronymic,
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
    visitors = {v.id: v for v in person.visitors}
    for i, e in enumerate(events):
        if i == first:
            index.append(0)
            continue
        payload: dict[str, Any] = {"on": e.on.isoformat(), **e.data}
        if e.type == "visitor_registered" and (v := visitors.get(str(e.data.get("visitor")))):
            payload["name"] = v.name_kk
            payload["document"] = v.document  # synthetic, so that /visit/ can be tried
        index.append(len(drafts))
        drafts.append(
            Draft(
                actor=Actor(e.officer, authority(e.officer)),
                subject=person.id,
                type=e.type,
                payload=payload,
            )
        )
    return drafts, index


def later_draft(
    person: DemoPerson, later: Later, seqs: Mapping[int, int], authority: Authority
) -> Draft:
    """The draft of an entry recorded after the history: a fact, or a correction of an earlier one
    (`seqs`: the ledger sequence number of each of the person's entries so far, by event index)."""
    e = later.event
    return Draft(
        actor=Actor(e.officer, authority(e.officer)),
        subject=person.id,
        type=e.type,
        payload={"on": e.on.isoformat(), **e.data},
        corrects=None if later.corrects is None else seqs[later.corrects],
        reason=later.reason,
    )


def planted_line(abuse: PlantedAbuse, seqs: Mapping[int, int]) -> dict[str, Any]:
    """The planted.jsonl line of an abuse, with the ledger sequence numbers of its events."""
    line = abuse.as_dict()
    line["entries"] = [seqs[i] for i in abuse.events if i in seqs]
    return line


def record_people(
    people: Iterable[DemoPerson],
    authority: Authority,
    append: Append,
    *,
    chunk: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[DemoPerson, dict[int, int]]]:
    """Append every person's entries, `chunk` people a batch, then the entries recorded after every
    history (`Person.later`), one stage a batch. Yield each person with the ledger sequence number of
    each of its entries by event index once all are recorded: at its batch, or after the last stage
    for a person with later entries. `progress` is told how many people each batch recorded."""
    pending: dict[str, tuple[DemoPerson, dict[int, int]]] = {}
    batch: list[DemoPerson] = []
    for person in people:
        batch.append(person)
        if len(batch) >= chunk:
            yield from _recorded(batch, authority, append, pending, progress)
            batch = []
    if batch:
        yield from _recorded(batch, authority, append, pending, progress)
    for stage, later in enumerate(later_stages(p for p, _ in pending.values()), 1):
        drafts = [
            later_draft(person, entry, pending[person.id][1], authority)
            for person, _i, entry in later
        ]
        entries = append(drafts, stage)
        for (person, i, _entry), recorded in zip(later, entries, strict=True):
            pending[person.id][1][i] = recorded.seq
    yield from pending.values()


def _recorded(
    batch: list[DemoPerson],
    authority: Authority,
    append: Append,
    pending: dict[str, tuple[DemoPerson, dict[int, int]]],
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[DemoPerson, dict[int, int]]]:
    """One batch of people's histories appended; those with later entries wait in `pending`."""
    drafts: list[Draft] = []
    spans: list[tuple[DemoPerson, int, list[int]]] = []
    for person in batch:
        d, index = person_drafts(person, authority)
        spans.append((person, len(drafts), index))
        drafts.extend(d)
    entries = append(drafts, 0)
    if progress is not None:
        progress(len(batch))
    for person, start, index in spans:
        seqs = {i: entries[start + at].seq for i, at in enumerate(index)}
        if person.later:
            pending[person.id] = (person, seqs)
        else:
            yield person, seqs
