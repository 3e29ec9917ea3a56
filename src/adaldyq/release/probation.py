"""The probation file (issue 19): opened by a release on parole or substitution, kept as facts of the
same personal file, and the figures the Ministry reports computed from it.

    from adaldyq.release.probation import probation_of, figures
    p = probation_of(pf, region="almaty")      # None: not released on parole or substitution
    p.duties, p.next_report, p.open
    figures([p, ...], on=date(2026, 12, 31))   # on_parole, programmes, employed, medical_aid, ...

Pure: folded `PersonalFile`s in (`adaldyq.files`), values out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from adaldyq.core.dates import add_years
from adaldyq.files import (
    CourtDecided,
    Employed,
    PersonalFile,
    Released,
)
from adaldyq.files.facts import (
    CheckedIn,
    MedicalAid,
    ProbationClosed,
    ProbationViolation,
    ProgrammeJoined,
    ReportingSet,
)

#: Releases that open a probation file (the other grounds end the sentence).
OPENING_GROUNDS = frozenset({"parole", "substitution"})

#: The kinds of fact `probation_of` reads. A reader of many probation files (the register, the
#: figures) folds only these: a released person's prison years (work, study, visits: most of the
#: file) say nothing of the probation.
PROBATION_KINDS: frozenset[str] = frozenset(
    k.TYPE
    for k in (
        Released, CourtDecided, ReportingSet, CheckedIn, ProbationViolation, ProgrammeJoined,
        Employed, MedicalAid, ProbationClosed,
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProbationFile:
    """One person on probation: the release that opened the file and what happened since."""

    person: str
    region: str
    released: Released
    #: The court's decision that granted the release (its unserved part and duties), if recorded.
    decided: CourtDecided | None
    schedule: ReportingSet | None
    checkins: tuple[CheckedIn, ...]
    violations: tuple[ProbationViolation, ...]
    programmes: tuple[ProgrammeJoined, ...]
    employed: tuple[Employed, ...]
    medical_aid: tuple[MedicalAid, ...]
    closed: ProbationClosed | None

    @property
    def open(self) -> bool:
        """Still on probation (no end recorded)."""
        return self.closed is None

    @property
    def duties(self) -> tuple[str, ...]:
        """The duties the court imposed (codes, `adaldyq.files.COURT_DUTIES`)."""
        return () if self.decided is None else self.decided.duties

    @property
    def next_report(self) -> date | None:
        """The day the person must next report: the schedule's interval from the latest check-in (or
        from the day the schedule was set); None without a schedule."""
        if self.schedule is None:
            return None
        last = max((c.on for c in self.checkins if c.on >= self.schedule.on), default=None)
        return (last or self.schedule.on) + timedelta(days=self.schedule.every_days)

    def reoffended_within(self, years: int) -> bool | None:
        """A new criminal offence recorded within `years` years of the release."""
        until = add_years(self.released.on, years)
        return any(
            v.kind == "new_offence" and self.released.on <= v.on < until for v in self.violations
        )


def probation_of(pf: PersonalFile, *, region: str) -> ProbationFile | None:
    """The probation file of `pf` from its latest release on parole or substitution (None: none),
    in the region the release names, else in `region`. The release's own reporting schedule stands
    until the probation service sets another."""
    released = [f for f in pf.facts if isinstance(f, Released) and f.ground in OPENING_GROUNDS]
    if not released:
        return None
    r = released[-1]
    since = [f for f in pf.facts if f.on >= r.on]
    decided = [
        f
        for f in pf.facts
        if isinstance(f, CourtDecided) and f.outcome == "granted" and f.on <= r.on
    ]
    schedules = [f for f in since if isinstance(f, ReportingSet)]
    if not schedules and r.every_days is not None:
        schedules = [_schedule_of(r, r.every_days)]
    closed = [f for f in since if isinstance(f, ProbationClosed)]
    return ProbationFile(
        person=pf.person,
        region=r.region or region,
        released=r,
        decided=decided[-1] if decided else None,
        schedule=schedules[-1] if schedules else None,
        checkins=tuple(f for f in since if isinstance(f, CheckedIn)),
        violations=tuple(f for f in since if isinstance(f, ProbationViolation)),
        programmes=tuple(f for f in since if isinstance(f, ProgrammeJoined)),
        employed=tuple(f for f in since if isinstance(f, Employed)),
        medical_aid=tuple(f for f in since if isinstance(f, MedicalAid)),
        closed=closed[-1] if closed else None,
    )


def _schedule_of(r: Released, every_days: int) -> ReportingSet:
    """The reporting schedule a release sets, as the entry of the release records it."""
    schedule = ReportingSet(on=r.on, every_days=every_days, mode=r.mode or "in_person")
    schedule.recorded(
        seq=r.seq, recorded_at=r.recorded_at, officer=r.officer, authority=r.authority
    )
    return schedule


def _repeat(files: list[ProbationFile], years: int, on: date) -> dict[str, Any]:
    """Of the people released at least `years` years before `on`, those who committed a new offence
    within `years` years of the release (the share None when nobody was released that long ago)."""
    cohort = [p for p in files if add_years(p.released.on, years) <= on]
    again = sum(1 for p in cohort if p.reoffended_within(years))
    return {
        "released": len(cohort),
        "reoffended": again,
        "share": round(again / len(cohort), 4) if cohort else None,
    }


def _counts(every: list[ProbationFile], on: date) -> dict[str, Any]:
    """The figures of one set of probation files (the country's, or one region's)."""
    open_now = [p for p in every if p.closed is None or p.closed.on > on]
    areas = Counter(g.area for p in every for g in p.programmes if g.on <= on)
    return {
        "on_parole": len(open_now),
        "programmes": sum(areas.values()),
        "employed": sum(1 for p in every if any(e.on <= on for e in p.employed)),
        "medical_aid": sum(1 for p in every if any(m.on <= on for m in p.medical_aid)),
        "education": sum(1 for p in every if _educated(p, on)),
        "repeat_1y": _repeat(every, 1, on),
        "repeat_3y": _repeat(every, 3, on),
    }


def _educated(p: ProbationFile, on: date) -> bool:
    """Completed an education programme by `on`."""
    return any(
        g.area == "education" and g.status == "completed" and g.on <= on for g in p.programmes
    )


def figures(files: Iterable[ProbationFile], *, on: date) -> dict[str, Any]:
    """The seed's figures (seed 004) from the probation files: people on probation now (by region),
    programmes (by area), people employed, given medical aid, educated, and repeat offending within
    1 and 3 years of the release; the same figures for each region under `regions`."""
    every = [p for p in files if p.released.on <= on]
    open_now = [p for p in every if p.closed is None or p.closed.on > on]
    areas = Counter(g.area for p in every for g in p.programmes if g.on <= on)
    by_region: dict[str, list[ProbationFile]] = {}
    for p in every:
        by_region.setdefault(p.region, []).append(p)
    return {
        "as_of": on.isoformat(),
        **_counts(every, on),
        "by_region": dict(sorted(Counter(p.region for p in open_now).items())),
        "by_ground": dict(sorted(Counter(p.released.ground for p in open_now).items())),
        "programmes_by_area": dict(sorted(areas.items())),
        "checkins": sum(1 for p in every for c in p.checkins if c.on <= on),
        "violations": dict(
            sorted(Counter(v.kind for p in every for v in p.violations if v.on <= on).items())
        ),
        "overdue_reports": sum(
            1 for p in open_now if p.next_report is not None and p.next_report < on
        ),
        "regions": {region: _counts(files_, on) for region, files_ in sorted(by_region.items())},
    }
