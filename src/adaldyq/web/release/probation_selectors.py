"""The probation register (issue 19), read from the personal files: people released on parole or
substitution, within the reader's regions (`accounts.scope.probation_regions`)."""

from __future__ import annotations

import threading
from datetime import date

from adaldyq.release.probation import (
    OPENING_GROUNDS,
    PROBATION_KINDS,
    ProbationFile,
    figures,
    probation_of,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import case_facts, personal_file


def _institution_regions() -> dict[str, str]:
    return {str(c): str(r) for c, r in Institution.objects.values_list("code", "region_id")}


def region_of(person: Person, regions: dict[str, str] | None = None) -> str:
    """The region of a person's probation: the one the release names, else where they live, else
    the region of the institution they were released from (or are held in)."""
    if person.released_to:
        return str(person.released_to)
    if person.home_region:
        return str(person.home_region)
    if person.released_from:
        found = (regions if regions is not None else _institution_regions()).get(
            person.released_from
        )
        return found or ""
    return str(person.institution.region_id) if person.institution is not None else ""


def _released(ids: list[str] | None = None) -> list[Person]:
    """The people whose latest standing release opened a probation file (among `ids`; None: all)."""
    found = Fact.objects.filter(
        kind="released", superseded_by__isnull=True, void=False,
        data__ground__in=sorted(OPENING_GROUNDS),
    )  # fmt: skip
    if ids is not None:
        found = found.filter(person_id__in=ids)
    people = Person.objects.filter(pk__in=found.values_list("person_id", flat=True))
    return list(people.select_related("institution"))


def _fold(people: list[Person]) -> dict[str, ProbationFile]:
    """Each person's probation file, from only the probation kinds of their facts."""
    rows = case_facts([p.pk for p in people], kinds=PROBATION_KINDS)
    where = _institution_regions()
    out = {}
    for person in people:
        pf = personal_file(person, facts=rows.get(person.pk, []))
        p = probation_of(pf, region=region_of(person, where))
        if p is not None:
            out[person.pk] = p
    return out


class _Kept:
    """Every probation file of the country, kept by this process and brought up to date from the
    facts written since (the register and the figures read it on every request).

    Folding every released person's file on every request costs seconds and grows with the country
    (ADR 0045 has the figures). Each new fact has a
    higher `seq` than any before (a correction or a withdrawal is a new row too), so the people
    whose files may have changed are those with a fact above the highest `seq` seen: only they are
    folded again. Kept per process and locked: the server's threads share it. A read model rebuilt
    by `ledger replay --force` keeps its seqs and hashes, so a server running through one is
    restarted afterwards (the README's replay line says so).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: The newest fact row seen (seq, entry hash): None before the first fold.
        self.top: tuple[int, str] | None = None
        self.files: dict[str, ProbationFile] = {}

    def clear(self) -> None:
        with self.lock:
            self.top, self.files = None, {}

    def get(self) -> dict[str, ProbationFile]:
        with self.lock:
            top = Fact.objects.order_by("-seq").values_list("seq", "entry_hash").first() or (0, "")
            seen = self.top
            if seen == top:
                return self.files
            touched: list[str] = []
            if seen is not None and top[0] > seen[0]:
                touched = list(
                    Fact.objects.filter(seq__gt=seen[0])
                    .values_list("person_id", flat=True)
                    .distinct()[: _REFOLD_AT_MOST + 1]
                )
            if not touched or len(touched) > _REFOLD_AT_MOST:
                # the first look, a bulk import, or another newest row at the same height or lower
                # (a database rebuilt or reset): every file again
                self.files = _fold(_released())
            else:
                for pid in touched:
                    self.files.pop(pid, None)
                self.files.update(_fold(_released(touched)))
            self.top = top  # only once the files are brought to it (a fold may fail)
            return self.files


#: Beyond this many people touched since the last look (a bulk import), every file is folded again.
_REFOLD_AT_MOST = 5000
_KEPT = _Kept()


def warm() -> None:
    """Fold the probation files before the server forks its workers (each then starts from them and
    reads only what changed since)."""
    _KEPT.get()


def forget_kept() -> None:
    """Fold every file again at the next look (the tests: each has its own database)."""
    _KEPT.clear()


def _kept_in(regions: frozenset[str] | None) -> list[ProbationFile]:
    """The kept probation files of `regions` (None: all)."""
    return [f for f in _KEPT.get().values() if regions is None or f.region in regions]


def open_files(regions: frozenset[str] | None) -> list[tuple[str, ProbationFile]]:
    """The open probation files in `regions` (None: all), the next report day first: (person id,
    file), without the people's rows (a page reads only its own)."""
    far = date.max
    kept = [f for f in _kept_in(regions) if f.open]
    kept.sort(key=lambda f: (f.next_report or far, f.person))
    return [(f.person, f) for f in kept]


def probation_file(person: Person) -> ProbationFile | None:
    """One person's probation file (None: not released on parole or substitution)."""
    rows = list(Fact.objects.filter(person=person, superseded_by__isnull=True, void=False))
    return probation_of(personal_file(person, facts=rows), region=region_of(person))


def report(regions: frozenset[str] | None, *, on: date) -> dict[str, object]:
    """The figures of `adaldyq probation report` and `/probation/report/`."""
    return figures(_kept_in(regions), on=on)
