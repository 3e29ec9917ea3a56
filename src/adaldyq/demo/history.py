"""One person's dated history: behaviour facts, then decisions timed as the law allows.

A discrete-event simulation. The person's behaviour (incentives, penalties, work assessments,
membership of the voluntary organisation) is drawn first; one chronological pass then adds the
decisions of the head and the commission (degrees, recognitions, revocations, transfers between
conditions) a few days after the person qualifies, with the figures of `adaldyq.demo.figures`
(LAW.md §2-3). A planted abuse, when one is asked for, bends exactly one of these decisions
and is recorded with the events that make it up.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from adaldyq.core.dates import add_months
from adaldyq.demo import figures as fig
from adaldyq.demo.model import Event, FieldValue, PlantedAbuse

_FAR: Final = date.max
_DAY: Final = timedelta(days=1)
# Base facts: (date, sequence, type, data, planted-tag); the sequence keeps same-day order.
_Base = tuple[date, int, str, dict[str, FieldValue], str]
# A pending or computed decision: (due date, priority, action, argument).
_Due = tuple[date, int, str, int]

#: Law abuse kinds planted by this module (the visit kinds are planted by `extras`).
LAW_ABUSES: Final = frozenset(
    {"delayed_award", "penalty_before_qualifying", "decision_without_grounds", "grounds_ignored"}
)
_UNFOUNDED_TRIES: Final = 6
_UNFOUNDED_RETRY_DAYS: Final = 60


@dataclass(frozen=True, slots=True)
class Staff:
    """Who records what in one institution, and who plants abuses there."""

    head: str
    commission: tuple[str, ...]
    records: tuple[str, ...]
    #: The commission member and records officer who record this institution's planted abuses
    #: most of the time (so that per-officer analytics have something to find).
    suspect_commission: str
    suspect_records: str


@dataclass(frozen=True, slots=True)
class Profile:
    """What the history of one person depends on."""

    person: str
    institution: str
    itype: fig.InstitutionType
    arrival: date
    end: date
    sentence_start: date
    release_on: date | None
    disposition: str
    works: bool
    #: Case-format facts wanted per 5 years of history.
    density: int


def simulate(
    rng: random.Random, profile: Profile, staff: Staff, abuse: str | None
) -> tuple[list[Event], list[PlantedAbuse]]:
    """The law-vocabulary events of one person, in date order, and the abuse planted in them."""
    sim = _Simulation(rng, profile, staff, abuse if abuse in LAW_ABUSES else None)
    sim.run()
    return sim.events, sim.planted


def _lag(rng: random.Random, bounds: tuple[int, int]) -> int:
    return rng.randint(bounds[0], bounds[1])


class _Simulation:
    def __init__(self, rng: random.Random, p: Profile, staff: Staff, abuse: str | None) -> None:
        self.rng = rng
        self.p = p
        self.staff = staff
        self.abuse = abuse
        self.events: list[Event] = []
        self.planted: list[PlantedAbuse] = []
        self.cursor = p.arrival
        # Degree state.
        self.held = 0
        self.held_since = p.arrival
        self.held_idx = -1
        self.pos_since: date | None = None
        self.award_on: dict[int, date] = {}
        self.award_idx: dict[int, int] = {}
        self.member = False
        self.member_since = p.arrival
        self.member_idx = -1
        self.last_incentive: date | None = None
        self.last_incentive_idx = -1
        self.last_penalty: date | None = None
        self.last_penalty_idx = -1
        self.penalties: list[date] = []
        # Condition state.
        self.condition: fig.Condition = "regular"
        self.cond_since = p.arrival
        self.diligent = False
        self.diligent_since = p.arrival
        # Decisions.
        self.pending: list[_Due] = []
        self.lag_degree = _lag(rng, fig.DECISION_LAG_DAYS)
        self.lag_condition = _lag(rng, fig.DECISION_LAG_DAYS)
        self.ignore_degree = False
        self.ignore_condition = False
        self.delayed: tuple[int, date] | None = None  # (degree, qualified on) of a planted delay
        self.tags: dict[int, str] = {}
        self.base = self._behaviour()

    # --- behaviour -------------------------------------------------------------------------

    def _behaviour(self) -> list[_Base]:
        rng, p = self.rng, self.p
        days = (p.end - p.arrival).days
        years = days / 365.25
        _, incentives, penalties, malicious, joins = fig.DISPOSITIONS[p.disposition]
        out: list[_Base] = []
        seq = 0

        def add(on: date, kind: str, data: dict[str, FieldValue], tag: str = "") -> None:
            nonlocal seq
            if p.arrival < on <= p.end:
                out.append((on, seq, kind, data, tag))
                seq += 1

        for on in self._poisson(incentives):
            add(on, "incentive", {"kind": rng.choice(fig.INCENTIVE_KINDS)})
        for on in self._poisson(penalties):
            data: dict[str, FieldValue] = {"kind": rng.choice(fig.PENALTY_KINDS)}
            if rng.random() < malicious:
                data["malicious"] = rng.choice(fig.MALICIOUS_ITEMS)
            add(on, "penalty", data)
        assessments = max(
            round(2 * years), round((p.density / 5 - fig.OTHER_FACTS_PER_YEAR) * years)
        )
        if assessments:
            step = days / assessments
            chance = fig.DILIGENT_WITH_WORK if p.works else fig.DILIGENT_WITHOUT_WORK
            for k in range(assessments):
                on = p.arrival + timedelta(days=int(step * (k + 1)) - rng.randint(0, 3))
                add(on, "work_assessed", {"diligent": rng.random() < chance})
        if rng.random() < joins:
            joined = p.arrival + timedelta(days=rng.randint(30, 365))
            add(joined, "joined_organisation", {})
            if rng.random() < 0.1:
                add(joined + timedelta(days=rng.randint(60, 900)), "left_organisation", {})
        if self.abuse == "decision_without_grounds" and days > 150:
            on = p.arrival + timedelta(days=rng.randint(90, days - 30))
            add(on, "_unfounded", {"tries": _UNFOUNDED_TRIES}, "planted")
        out.sort(key=lambda b: (b[0], b[1]))
        return out

    def _poisson(self, per_year: float) -> list[date]:
        out: list[date] = []
        if per_year <= 0:
            return out
        t = 0.0
        days = (self.p.end - self.p.arrival).days
        while True:
            t += self.rng.expovariate(per_year / 365.25)
            if t >= days:
                return out
            out.append(self.p.arrival + timedelta(days=int(t) + 1))

    # --- the pass ----------------------------------------------------------------------------

    def run(self) -> None:
        self._emit(self.p.arrival, "arrived", {"condition": "regular"}, self._records())
        base, i = self.base, 0
        degree: _Due | None = None
        condition: _Due | None = None
        dirty = True
        while True:
            if dirty:
                degree, condition, dirty = self._degree_due(), self._condition_due(), False
            nb = base[i][0] if i < len(base) else _FAR
            best: _Due | None = min(self.pending) if self.pending else None
            for cand in (degree, condition):
                if cand is not None and (best is None or cand < best):
                    best = cand
            if best is not None and best[0] < nb and best[0] <= self.p.end:
                if self.pending and best == min(self.pending):
                    self.pending.remove(best)
                self._decide(best)
                dirty = True
                continue
            if i >= len(base):
                return
            i += 1
            self._i = i
            dirty = self._apply(base[i - 1])

    def _emit(self, on: date, kind: str, data: dict[str, FieldValue], officer: str) -> int:
        on = max(on, self.cursor)
        self.cursor = on
        self.events.append(Event(on, kind, officer, data))
        return len(self.events) - 1

    def _records(self) -> str:
        return self.rng.choice(self.staff.records)

    def _commission(self) -> str:
        return self.rng.choice(self.staff.commission)

    def _plant(
        self, kind: str, on: date, officer: str, idx: list[int], **detail: FieldValue
    ) -> None:
        self.planted.append(
            PlantedAbuse(
                kind,
                self.p.person,
                self.p.institution,
                officer,
                tuple(sorted(i for i in idx if i >= 0)),
                on,
                dict(detail),
            )
        )
        self.abuse = None

    def _apply(self, b: _Base) -> bool:
        on, _, kind, data, tag = b
        if kind == "_unfounded":
            tries = data["tries"]
            return self._unfounded(on, tries if isinstance(tries, int) else 0)
        officer = self.staff.suspect_records if tag else self._records()
        idx = self._emit(on, kind, data, officer)
        if tag == "planted":
            q = self._planned_q
            self._plant(
                "penalty_before_qualifying", on, officer, [idx],
                would_qualify_on=q[0].isoformat(), for_degree=q[1],
            )  # fmt: skip
        if kind == "incentive":
            # +1's months run from the latest incentive (art. 95 as LAW.md §2 reads it): each one
            # starts them again
            self.last_incentive, self.last_incentive_idx = on, idx
            return self.held == 0
        if kind == "penalty":
            self._penalised(on, data, idx)
            return True
        if kind == "work_assessed":
            diligent = bool(data["diligent"])
            if diligent != self.diligent:
                self.diligent, self.diligent_since = diligent, on
                return True
            return False
        if kind == "joined_organisation":
            self.member, self.member_since, self.member_idx = True, on, idx
            return True
        if kind == "left_organisation":
            self.member = False
            return True
        return False

    def _penalised(self, on: date, data: dict[str, FieldValue], idx: int) -> None:
        rng = self.rng
        self.last_penalty, self.last_penalty_idx = on, idx
        if self.last_incentive is not None:
            # the next incentive starts the months again: a penalty follows every incentive recorded
            # before it, the same day's too (one day's facts in the file's order, as the engine reads)
            self.last_incentive, self.last_incentive_idx = None, -1
        self.penalties.append(on)
        if "malicious" in data and rng.random() < fig.MALICIOUS_RECOGNITION_SHARE:
            self.pending.append(
                (on + timedelta(days=_lag(rng, fig.RECOGNITION_LAG_DAYS)), 0, "recognise", -3)
            )
            return
        if self.held > 0:
            self.pending.append(
                (on + timedelta(days=_lag(rng, fig.REVOCATION_LAG_DAYS)), 0, "revoke", 0)
            )
        recent6 = sum(1 for d in self.penalties if d > add_months(on, -6))
        recent12 = sum(1 for d in self.penalties if d > add_months(on, -12))
        if recent12 >= fig.SYSTEMATIC_PENALTIES_12_MONTHS and self.held == -1:
            target = -2
        elif recent6 >= fig.OFFENDER_PENALTIES_6_MONTHS and self.held >= 0:
            target = -1
        else:
            return
        if rng.random() < fig.RECOGNITION_SHARE:
            self.pending.append(
                (on + timedelta(days=_lag(rng, fig.RECOGNITION_LAG_DAYS)), 0, "recognise", target)
            )

    # --- what the law allows next --------------------------------------------------------------

    def _clean_since(self, d: date, idx: int) -> bool:
        """No penalty after the fact `idx` of day `d`: on a later day, or on `d` recorded after it."""
        last = self.last_penalty
        return last is None or last < d or (last == d and self.last_penalty_idx < idx)

    def _degree_qualifies(self) -> tuple[date, int, int] | None:
        """(qualified on, degree or 0 for a revocation of a negative degree, basis event)."""
        h = self.held
        if h < 0:
            if self.condition == "strict" and self.p.itype != "complete":
                return None  # revoked together with the transfer back to regular conditions
            clean = fig.NEGATIVE_REVOCATION_CLEAN_MONTHS
            q = add_months(self.held_since, clean)
            if self.last_penalty is not None:
                q = max(q, add_months(self.last_penalty, clean) + timedelta(days=4))
            return q, 0, self.held_idx
        if h == 0:
            inc = self.last_incentive
            if inc is None or not self._clean_since(inc, self.last_incentive_idx):
                return None
            q = max(add_months(inc, fig.FIRST_POSITIVE_CLEAN_MONTHS), self.held_since)
            return q, 1, self.last_incentive_idx
        if h == 3 or not self.member:
            return None
        awarded = self.award_on[h]
        if not self._clean_since(awarded, self.award_idx[h]):
            return None
        months = fig.SECOND_POSITIVE_CLEAN_MONTHS if h == 1 else fig.THIRD_POSITIVE_CLEAN_MONTHS
        return max(add_months(awarded, months), self.member_since), h + 1, self.award_idx[h]

    def _degree_due(self) -> _Due | None:
        if self.ignore_degree:
            return None
        qual = self._degree_qualifies()
        if qual is None:
            return None
        q, degree, basis = qual
        if degree == 0:
            return (q + timedelta(days=self.lag_degree), 1, "revoke", 0)
        lag: int | None = self.lag_degree
        if self.delayed is not None:
            if self.delayed == (degree, q):
                lag = self._delay
            else:  # the grounds moved: plan the delay again on the new qualification
                self.delayed, self.abuse = None, "delayed_award"
        if self.abuse is not None and self.delayed is None:
            lag = self._plan_degree_abuse(q, degree, basis, self.lag_degree)
        if lag is None:
            return None
        return (q + timedelta(days=lag), 1, "award", degree)

    def _plan_degree_abuse(self, q: date, degree: int, basis: int, lag: int) -> int | None:
        """Plant this person's abuse on this qualification if it fits; the lag to use, or None."""
        rng, end, cursor = self.rng, self.p.end, self.cursor
        if self.abuse == "delayed_award":
            delay = _lag(rng, fig.PLANTED_DELAY_DAYS)
            if q + timedelta(days=delay) <= end:
                self.delayed, self._delay, self.abuse = (degree, q), delay, "planned"
                self._keep_clean(q, q + timedelta(days=delay))
                if degree == 1:  # no further incentive may restart the months before the award
                    self._keep_clean(
                        self.last_incentive or q, q + timedelta(days=delay), only="incentive"
                    )
                return delay
        elif self.abuse == "penalty_before_qualifying":
            before = _lag(rng, fig.PLANTED_PENALTY_BEFORE_DAYS)
            on = q - timedelta(days=before)
            if on > cursor and q <= end:
                self._planned_q = (q, degree)
                row: _Base = (on, -1, "penalty", {"kind": rng.choice(fig.PENALTY_KINDS)}, "planted")
                bisect.insort(self.base, row, lo=self._i, key=lambda b: (b[0], b[1]))
                self.abuse = "planned"
        elif self.abuse == "grounds_ignored":
            clean = timedelta(days=fig.PLANTED_IGNORED_CLEAN_DAYS)
            if q + timedelta(days=120) <= end:
                self.ignore_degree = True
                self._keep_clean(q, q + clean)
                if degree == 1:  # nor an incentive restart the months of the ignored qualification
                    self._keep_clean(self.last_incentive or q, q + clean, only="incentive")
                self._plant(
                    "grounds_ignored", q, self.staff.head, [basis],
                    qualified_for=f"degree {degree}", qualified_on=q.isoformat(),
                )  # fmt: skip
                return None
        return lag

    def _keep_clean(self, start: date, stop: date, *, only: str | None = None) -> None:
        """Drop penalties and departures from the organisation in (start, stop]; with `only`, facts
        of that type alone (incentives: each starts the months of the 1st positive degree again)."""
        i = self._i
        drop = (only,) if only else ("penalty", "left_organisation")
        self.base[i:] = [b for b in self.base[i:] if not (b[2] in drop and start < b[0] <= stop)]

    _i = 0
    _delay = 0
    _planned_q: tuple[date, int] = (date.min, 0)

    def _condition_due(self) -> _Due | None:
        if self.ignore_condition:
            return None
        qual = self._condition_qualifies()
        if qual is None:
            return None
        q, to = qual
        return (
            q + timedelta(days=self.lag_condition),
            2,
            "move",
            fig.CONDITIONS["medium"].index(to),
        )

    def _condition_qualifies(self) -> tuple[date, fig.Condition] | None:
        t, c = self.p.itype, self.condition
        if t == "mixed":
            return None
        if self.held == -3:
            return (self.held_since, "strict") if c != "strict" else self._strict_to_regular()
        if c == "regular":
            if self.held < 1 or self.pos_since is None:
                return None
            months = fig.REGULAR_TO_LIGHT_MONTHS[t]
            if t == "complete":
                return max(add_months(self.p.sentence_start, months), self.pos_since), "light"
            if not self.diligent:
                return None
            q = max(add_months(self.cond_since, months), self.pos_since, self.diligent_since)
            return q, "light"
        if c == "light" and t in fig.LIGHT_TO_PREFERENTIAL and self.p.release_on is not None:
            if self.held != 3:
                return None
            in_light, before = fig.LIGHT_TO_PREFERENTIAL[t]
            q = max(
                add_months(self.cond_since, in_light),
                self.award_on[3],
                add_months(self.p.release_on, -before),
            )
            return q, "preferential"
        if c == "strict":
            return self._strict_to_regular()
        return None

    def _strict_to_regular(self) -> tuple[date, fig.Condition] | None:
        t = self.p.itype
        months = fig.STRICT_TO_REGULAR_MONTHS[t]
        if t == "complete":
            if self.held < 1 or self.pos_since is None:
                return None
            return max(add_months(self.cond_since, months), self.pos_since), "regular"
        q = add_months(self.cond_since, months)
        if self.last_penalty is not None:
            clear = add_months(self.last_penalty, months)
            while add_months(clear, -months) < self.last_penalty:  # month-end clipping (LAW.md §0)
                clear += timedelta(days=1)
            q = max(q, clear)
        return q, "regular"

    # --- decisions ------------------------------------------------------------------------------

    def _decide(self, due: _Due) -> None:
        on, _, action, arg = due
        if action == "recognise":
            if self.held > arg:
                self._set_degree(on, arg)
            return
        if action == "revoke":
            if self.held != 0:
                self._set_degree(on, 0)
            self.lag_degree = _lag(self.rng, fig.DECISION_LAG_DAYS)
            return
        if action == "award":
            self._award(on, arg)
            return
        to = fig.CONDITIONS["medium"][arg]
        if to == "regular" and self.held < 0:
            self._set_degree(on, 0)
        self._move(on, to, self._commission())

    def _award(self, on: date, degree: int, officer: str | None = None) -> int:
        idx = self._set_degree(on, degree, officer)
        self.lag_degree = _lag(self.rng, fig.DECISION_LAG_DAYS)
        if self.delayed is not None and self.delayed[0] == degree:
            q = self.delayed[1]
            self._plant(
                "delayed_award", on, self.staff.head, [idx, self._basis_of(degree)],
                degree=degree, qualified_on=q.isoformat(), delay_days=(on - q).days,
            )  # fmt: skip
            self.delayed = None
        return idx

    def _basis_of(self, degree: int) -> int:
        return self.last_incentive_idx if degree == 1 else self.award_idx.get(degree - 1, -1)

    def _set_degree(self, on: date, degree: int, officer: str | None = None) -> int:
        head = officer or self.staff.head
        if degree > 0:
            idx = self._emit(on, "degree_awarded", {"degree": degree}, head)
            self.award_on[degree], self.award_idx[degree] = self.cursor, idx
        elif degree < 0:
            names = {-1: "offender", -2: "systematic_offender", -3: "malicious_offender"}
            idx = self._emit(on, "recognised", {"as": names[degree]}, head)
        else:
            idx = self._emit(on, "degree_revoked", {}, head)
        if degree >= 1 and self.held < 1:
            self.pos_since = self.cursor
        elif degree < 1:
            self.pos_since = None
        self.held, self.held_since, self.held_idx = degree, self.cursor, idx
        return idx

    def _move(self, on: date, to: fig.Condition, officer: str) -> int:
        idx = self._emit(on, "condition_changed", {"to": to}, officer)
        self.condition, self.cond_since = to, self.cursor
        self.lag_condition = _lag(self.rng, fig.DECISION_LAG_DAYS)
        return idx

    def _unfounded(self, on: date, tries: int) -> bool:
        """Planted: a degree or a transfer granted on a day the person does not qualify for it."""
        if self.abuse != "decision_without_grounds":
            return False
        qual = self._degree_qualifies()
        if 0 <= self.held < 3 and not self.ignore_degree and (qual is None or qual[0] > on):
            idx = self._award(on, self.held + 1, self.staff.head)
            self._plant(
                "decision_without_grounds", self.cursor, self.staff.head, [idx],
                decision=f"degree {self.held}",
            )  # fmt: skip
            return True
        light = "light" in fig.CONDITIONS[self.p.itype]
        cq = self._condition_qualifies()
        if self.condition == "regular" and light and (cq is None or cq[0] > on):
            officer = self.staff.suspect_commission
            idx = self._move(on, "light", officer)
            self._plant("decision_without_grounds", self.cursor, officer, [idx], decision="light")
            return True
        retry = on + timedelta(days=_UNFOUNDED_RETRY_DAYS)
        if tries > 1 and retry <= self.p.end:
            row: _Base = (retry, -1, "_unfounded", {"tries": tries - 1}, "planted")
            bisect.insort(self.base, row, lo=self._i, key=lambda b: (b[0], b[1]))
        return False
