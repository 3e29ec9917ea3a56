"""The public figures, computed from the ledger's entries up to a signed checkpoint (ADR 0028).

    tables = compute(bodies, sites=register, law=LawPack.load(), as_of=day)

`bodies` are the entries' canonical bytes in sequence order (from the database, or from a tiles
bundle: `adaldyq.stats.bundle`), `sites` the institutions register the figures place people with, `as_of`
the day the figures describe (the checkpoint's signing day). Every person's file is folded once by
`adaldyq.files.PersonalFile.fold`; the tables count what the standing facts say on `as_of`.

Each table is counts of people (or of requests, visits) in rows and columns, with the measures some of
them carry beside the count (full-time equivalents, visits); `adaldyq.stats.publication` hides the
small cells before anything leaves the machine.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import orjson

from adaldyq.core.dates import add_months, add_years
from adaldyq.core.facts import PROBATION_KINDS, RECOGNITION_DEGREE
from adaldyq.core.regions import load_regions
from adaldyq.files import (
    FACT_VOIDED,
    PERSON_ADMITTED,
    DegreeAwarded,
    DegreeRevoked,
    PersonalFile,
    Recognised,
    StudyHours,
    WorkHours,
    release_of,
)
from adaldyq.files.facts import RELEASE_GROUNDS
from adaldyq.law import amendments
from adaldyq.law.pack import LawPack
from adaldyq.ledger.entry import parse_entry
from adaldyq.placement.model import SEXES, TYPES, Site
from adaldyq.placement.placing import site_distance_km
from adaldyq.release.probation import ProbationFile, probation_of

__all__ = [
    "ACTIVITIES",
    "CONDITIONS",
    "DEGREES",
    "DISTANCE_BANDS",
    "FTE_HOURS_A_MONTH",
    "GROUNDS",
    "OUTCOMES",
    "REPEAT",
    "SUPPORT",
    "Table",
    "compute",
]

#: Conditions of detention (LAW.md §1), in the order the Code lists them.
CONDITIONS: Final = ("regular", "light", "preferential", "strict")
#: Degrees of behaviour (LAW.md §2): -3..3; 0 is "no degree".
DEGREES: Final = ("3", "2", "1", "0", "-1", "-2", "-3")
#: Grounds of a transfer request (Code art. 88 and the request to serve closer to home).
GROUNDS: Final = ("closer_to_home", "safety", "operational_need", "reorganisation", "law_and_order")
#: Outcomes of a transfer request.
OUTCOMES: Final = ("granted", "refused", "pending")
#: Work and study in a month: hours of work only, of study only, of both, of neither.
ACTIVITIES: Final = ("work", "study", "both", "neither")
#: What the people on probation had since their release: a programme of re-socialisation, work,
#: medical aid, an education programme completed (seed 004's figures).
SUPPORT: Final = ("programme", "employment", "medical_aid", "education")
#: Of the people released on parole or substitution at least N years before: a new offence within N
#: years of the release, or none.
REPEAT: Final = ("reoffended", "not_reoffended")
#: Distance bands from the home region's centre to the institution (km, the placement rule's
#: distance: great circle times the detour factor; `adaldyq.core.regions`). "home": in the home region.
DISTANCE_BANDS: Final = ("home", "0-250", "250-500", "500-1000", "1000+")
_BAND_EDGES: Final = ((250.0, "0-250"), (500.0, "250-500"), (1000.0, "500-1000"))
#: Hours of one full-time equivalent a month: the Labour Code's normal week of 40 hours (art. 68),
#: times 52 weeks over 12 months. The project's reading (P): the law sets no figure for prisoners' work.
FTE_HOURS_A_MONTH: Final = 40 * 52 / 12

#: The entry types the file figures read; other facts (incentives, penalties, ...) are left out of
#: the fold, and so are their corrections (a correction has its original's type).
_FILE_TYPES: Final = frozenset(
    {
        PERSON_ADMITTED,
        FACT_VOIDED,
        "arrived",
        "transferred",
        "condition_changed",
        "degree_awarded",
        "recognised",
        "degree_revoked",
        "work_hours",
        "study_hours",
        "visit",
        # out of prison and on probation (issue 19)
        "court_decided",
        "released",
        *PROBATION_KINDS,
    }
)
_TRANSFER_REQUESTED: Final = "transfer_requested"
_TRANSFER_DECIDED: Final = "transfer_decided"
_PROGRAMME_ATTENDANCE: Final = "programme_attendance_recorded"
_PROGRAMME_OFFICIALS: Final = "programme_officials_imported"
_PROGRAMME_DECIDED: Final = "programme_visit_decided"
_PROGRAMME_PLANNED: Final = "programme_visit_planned"


@dataclass(slots=True)
class Table:
    """Counts in rows and columns (without margins), with the measures some cells carry."""

    #: A stable name: the key of the table in the publication, the CSV's file name.
    id: str
    #: What a count counts: `people`, `requests`, `officials`.
    unit: str
    #: The dimension of the rows and of the columns (`institution_type`, `sex`, ...).
    row_dim: str
    col_dim: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    counts: list[list[int]]
    #: Measure name -> a value per cell (same shape as `counts`): hidden wherever its count is.
    measures: dict[str, list[list[float]]] = field(default_factory=dict)
    #: Measure name -> the columns where it can be other than 0 (all when not given): its cells in
    #: the other columns are known to be 0 without being published (`suppress(known=...)`).
    applies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: What holds for a whole row (the entitlement a year of the visits' table).
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def empty(
        cls,
        id: str,
        unit: str,
        row_dim: str,
        col_dim: str,
        rows: Sequence[str],
        cols: Sequence[str],
    ) -> Table:
        """A table of zeros."""
        return cls(id, unit, row_dim, col_dim, tuple(rows), tuple(cols),
                   [[0] * len(cols) for _ in rows])  # fmt: skip

    def add(self, row: str, col: str, n: int = 1) -> None:
        """Count `n` in (row, col); a key the table does not list is an error of the caller."""
        self.counts[self.rows.index(row)][self.cols.index(col)] += n

    def measure(self, name: str, row: str, col: str, value: float) -> None:
        """Add `value` to measure `name` in (row, col)."""
        grid = self.measures.setdefault(name, [[0.0] * len(self.cols) for _ in self.rows])
        grid[self.rows.index(row)][self.cols.index(col)] += value


def _degree(pf: PersonalFile, on: date) -> int:
    """The degree held on `on`: the latest degree decision of the standing facts (LAW.md §2)."""
    held = 0
    for f in pf.facts:
        if f.on > on:
            break
        if isinstance(f, DegreeAwarded):
            held = f.degree
        elif isinstance(f, Recognised):
            held = RECOGNITION_DEGREE[f.as_]
        elif isinstance(f, DegreeRevoked):
            held = 0
    return held


def _activity(work: bool, study: bool) -> str:
    if work and study:
        return "both"
    return "work" if work else "study" if study else "neither"


def _band(km: float, same_region: bool) -> str:
    if same_region:
        return "home"
    for edge, band in _BAND_EDGES:
        if km < edge:
            return band
    return DISTANCE_BANDS[-1]


@dataclass(slots=True)
class _Reader:
    """What one pass over the entries keeps: each person's rows, requests, the programme."""

    #: Each person's entries of the kinds the figures read, as their bytes: parsed when the file is
    #: folded, so that memory holds bytes (a third of the parsed objects' size on the national demo).
    files: dict[str, list[bytes]] = field(default_factory=lambda: defaultdict(list))
    requests: dict[str, str] = field(default_factory=dict)  # number -> ground
    outcomes: dict[str, str] = field(default_factory=dict)  # number -> granted | refused
    law_entries: list[Any] = field(default_factory=list)
    attendances: list[dict[str, Any]] = field(default_factory=list)
    officials: dict[str, str] = field(default_factory=dict)  # official -> category
    visits_planned: set[str] = field(default_factory=set)
    visits_confirmed: set[str] = field(default_factory=set)

    def read(self, body: bytes) -> None:
        # The canonical form sorts its keys: seq, subject, type and v close every entry (ADR 0004),
        # and no text before them can hold `,"seq":` unescaped. Read the tail first.
        at = body.rfind(b',"seq":')
        tail = orjson.loads(b"{" + body[at + 1 :]) if at > 0 else orjson.loads(body)
        kind = tail["type"]
        if kind in _FILE_TYPES:
            self.files[tail["subject"]].append(body)
            return
        obj = orjson.loads(body)
        p = obj["payload"]
        if kind == _TRANSFER_REQUESTED:
            r = p["request"]
            self.requests[r["number"]] = str(r["ground"])
        elif kind == _TRANSFER_DECIDED:
            self.outcomes[str(p["request"])] = str(p["outcome"])
        elif kind in amendments.TYPES:
            self.law_entries.append(parse_entry(body))
        elif kind == _PROGRAMME_ATTENDANCE:
            self.attendances.append(p)
        elif kind == _PROGRAMME_OFFICIALS:
            for o in p.get("officials", []):
                self.officials[str(o["official"])] = str(o.get("category") or "")
        elif kind == _PROGRAMME_PLANNED:
            self.visits_planned.add(str(p["visit"]))
        elif kind == _PROGRAMME_DECIDED and p.get("confirmed"):
            self.visits_confirmed.add(str(p["visit"]))


def compute(
    bodies: Iterable[bytes], *, sites: Sequence[Site], law: LawPack, as_of: date
) -> list[Table]:
    """Every published table, before suppression, from the entries' canonical bytes."""
    reader = _Reader()
    for body in bodies:
        reader.read(body)
    law_in_force = amendments.Book.from_entries(reader.law_entries, law).in_force(law)
    by_code = {s.id: s for s in sites}
    regions = tuple(sorted({s.region for s in sites}))
    types = tuple(t for t in TYPES if any(s.type == t for s in sites))

    t_sex = Table.empty(
        "population_by_type_and_sex", "people", "institution_type", "sex", types, SEXES
    )
    t_cond = Table.empty(
        "population_by_condition_and_type",
        "people",
        "condition",
        "institution_type",
        CONDITIONS,
        types,
    )
    t_region = Table.empty(
        "population_by_region_and_sex", "people", "region", "sex", regions, SEXES
    )
    t_degree = Table.empty(
        "degrees_by_type", "people", "degree", "institution_type", DEGREES, types
    )
    t_distance = Table.empty(
        "distance_from_home", "people", "distance", "sex", DISTANCE_BANDS, SEXES
    )
    cells = tuple(f"{t}/{c}" for t in types for c in CONDITIONS)
    t_visits = Table.empty(
        "visits_and_entitlements", "people", "placement", "measure", cells, ("people",)
    )
    t_work = Table.empty(
        "work_and_study", "people", "institution_type", "activity", types, ACTIVITIES
    )

    probation: list[ProbationFile] = []
    year_ago = add_months(as_of, -12)
    month = add_months(date(as_of.year, as_of.month, 1), -1).strftime("%Y-%m")
    loads = orjson.loads
    for subject, bodies_of in reader.files.items():
        objects = [loads(b) for b in bodies_of]
        pf = PersonalFile.fold(subject, [(o["seq"], o["type"], o) for o in objects])
        if pf.admission is None:
            continue
        on_probation = _probation(pf, by_code, as_of)
        if on_probation is not None:
            probation.append(on_probation)
        place = None
        for p in pf.placements():
            if p.fact is not None and p.fact.on > as_of:
                break
            place = p
        site = None if place is None else by_code.get(place.institution)
        if place is None or site is None:
            continue  # not yet placed, released, or admitted after the day
        sex = str(pf.admission.payload.get("sex") or "male")
        condition = place.condition if place.condition in CONDITIONS else "regular"
        t_sex.add(site.type, sex)
        t_cond.add(condition, site.type)
        t_region.add(site.region, sex)
        t_degree.add(str(_degree(pf, as_of)), site.type)
        home = str(pf.admission.payload.get("home_region") or "")
        if home:
            t_distance.add(_band(site_distance_km(home, site), home == site.region), sex)
        cell = f"{site.type}/{condition}"
        t_visits.add(cell, "people")
        for f in pf.facts:
            if f.type == "visit" and year_ago < f.on <= as_of:
                kind = str(f.event.get("kind") or "")
                if kind in ("short", "long"):
                    t_visits.measure(f"{kind}_visits", cell, "people", 1)
        hours = {"work": 0.0, "study": 0.0}
        for f in pf.facts:
            if isinstance(f, WorkHours) and f.month == month and f.hours:
                hours["study" if isinstance(f, StudyHours) else "work"] += f.hours
        activity = _activity(hours["work"] > 0, hours["study"] > 0)
        t_work.add(site.type, activity)
        for what, h in hours.items():
            t_work.measure(f"{what}_fte", site.type, activity, h / FTE_HOURS_A_MONTH)
    for name in ("short_visits", "long_visits"):
        t_visits.measures.setdefault(name, [[0.0] for _ in cells])
    for name in ("work_fte", "study_fte"):
        t_work.measures.setdefault(name, [[0.0] * len(ACTIVITIES) for _ in types])
    t_work.applies = {"work_fte": ("work", "both"), "study_fte": ("study", "both")}
    t_work.notes = {"month": {"month": month, "fte_hours": round(FTE_HOURS_A_MONTH, 2)}}
    for cell in cells:
        kind, condition = cell.split("/")
        note: dict[str, Any] = {}
        for visit in ("short", "long"):
            key = f"entitlements.{kind}.{condition}.{visit}_visits_per_year"
            try:
                res = law_in_force.resolve(key, as_of)
            except Exception:
                note[visit] = {"value": None, "figure": key, "article": "", "confidence": "?"}
                continue
            note[visit] = {
                "value": res.value,
                "figure": key,
                "article": res.ref.article,
                "confidence": res.ref.confidence,
            }
        t_visits.notes[cell] = note
    return [
        t_sex,
        t_cond,
        t_region,
        t_degree,
        t_distance,
        t_visits,
        t_work,
        _transfers(reader, as_of),
        _programme(reader),
        *_probation_tables(probation, as_of),
    ]


def _probation(pf: PersonalFile, by_code: dict[str, Site], as_of: date) -> ProbationFile | None:
    """The file's probation file as it stood on `as_of` (None: not released on parole or
    substitution by then), in the region the release names, else the home region, else the region
    of the institution the person was released from."""
    facts = tuple(f for f in pf.facts if f.on <= as_of)
    released = release_of(facts, pf.institution)
    if released is None or released[0].ground not in RELEASE_GROUNDS:
        return None
    assert pf.admission is not None  # noqa: S101 - the caller skips files without one
    home = str(pf.admission.payload.get("home_region") or "")
    site = by_code.get(released[1])
    region = home or (site.region if site is not None else "")
    at = PersonalFile(pf.person, pf.admission, facts, pf.corrections, pf.entries)
    return probation_of(at, region=region)


def _probation_tables(files: list[ProbationFile], as_of: date) -> list[Table]:
    """The people on probation on the day by region and ground, what they had since their release,
    and repeat offending within 1 and 3 years of the release (seed 004's figures)."""
    regions = tuple(r.key for r in load_regions())
    by_ground = Table.empty("probation_by_region_and_ground", "people", "region",
                            "release_ground", regions, RELEASE_GROUNDS)  # fmt: skip
    support = Table.empty("probation_support_by_region", "people", "region", "support",
                          regions, SUPPORT)  # fmt: skip
    repeat = Table.empty("probation_repeat_offences", "people", "years_since_release", "repeat",
                         ("1", "3"), REPEAT)  # fmt: skip
    for p in files:
        if p.open and p.region in regions:
            by_ground.add(p.region, p.released.ground)
            had = {
                "programme": bool(p.programmes),
                "employment": bool(p.employed),
                "medical_aid": bool(p.medical_aid),
                "education": any(
                    g.area == "education" and g.status == "completed" for g in p.programmes
                ),
            }
            for kind, yes in had.items():
                if yes:
                    support.add(p.region, kind)
        for years in (1, 3):
            again = p.reoffended_within(years)
            if add_years(p.released.on, years) <= as_of and again is not None:
                repeat.add(str(years), REPEAT[0] if again else REPEAT[1])
    return [by_ground, support, repeat]


def _transfers(reader: _Reader, as_of: date) -> Table:
    grounds = tuple(dict.fromkeys([*GROUNDS, *sorted(set(reader.requests.values()))]))
    table = Table.empty("transfers_by_ground", "requests", "ground", "outcome", grounds, OUTCOMES)
    for number, ground in reader.requests.items():
        outcome = reader.outcomes.get(number, "pending")
        table.add(ground, outcome if outcome in OUTCOMES else "pending")
    table.notes = {"as_of": {"day": as_of.isoformat()}}
    return table


def _programme(reader: _Reader) -> Table:
    attended: dict[str, set[str]] = defaultdict(set)
    attendances: Counter[str] = Counter()
    for a in reader.attendances:
        category = str(a.get("category") or "")
        attended[category].add(str(a.get("official")))
        attendances[category] += 1
    categories = tuple(sorted(set(attended) | set(reader.officials.values())))
    table = Table.empty(
        "programme_by_category", "officials", "category", "reached", categories,
        ("attended", "not_attended"),
    )  # fmt: skip
    for category in categories:
        table.add(category, "attended", len(attended[category]))
        table.measure("attendances", category, "attended", attendances[category])
    came = {o for officials in attended.values() for o in officials}
    for official, category in reader.officials.items():
        if official not in came:
            table.add(category, "not_attended")
    table.measures.setdefault("attendances", [[0.0, 0.0] for _ in categories])
    table.applies = {"attendances": ("attended",)}
    table.notes = {
        "visits": {
            "planned": len(reader.visits_planned),
            "confirmed": len(reader.visits_confirmed & reader.visits_planned),
        }
    }
    return table
