"""The engine: a person's facts, a date and a law pack in; every legal outcome with its explanation out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import orjson

from adaldyq.core.person import Person
from adaldyq.law.explain import SHARED, SHARED_PARAMS, Condition, Finding, Ref
from adaldyq.law.pack import LawPack
from adaldyq.law.rules.conditions import may_move_to, transfer_findings
from adaldyq.law.rules.degrees import degree_findings, qualifies_as, qualifies_for_degree
from adaldyq.law.rules.parole import (
    damage_condition,
    mandatory_parole_finding,
    parole_finding,
    substitution_finding,
)
from adaldyq.law.rules.visits import Entitlement, entitlements
from adaldyq.law.state import State, advance, fold


@dataclass(slots=True, init=False)
class Gap:
    """Where the held degree and the facts part ways (what oversight looks at, LAW.md §2)."""

    #: The held positive degree is higher than the facts support on the date.
    unsupported: bool
    #: The person qualifies for a higher degree than held: since when, and for how many days.
    waiting_since: date | None
    waiting_days: int | None

    def __init__(
        self, unsupported: bool, waiting_since: date | None, waiting_days: int | None
    ) -> None:
        self.unsupported = unsupported
        self.waiting_since = waiting_since
        self.waiting_days = waiting_days


@dataclass(slots=True, init=False)
class Result:
    """The engine's answer for one person on one date. Serialise with `to_json()` / `to_dict()`."""

    id: str | None
    as_of: date
    law_pack: dict[str, str]
    degree: int
    qualifies_for_degree: int | None
    condition: str
    condition_since: date | None
    may_move_to: list[str]
    release_on: date | None
    parole_from: date | None
    substitution_from: date | None
    gap: Gap
    entitlements: tuple[Entitlement, ...]
    findings: tuple[Finding, ...]
    facts: int

    def __init__(  # written out: the compiled engine then builds results natively (ADR 0013)
        self,
        *,
        id: str | None,
        as_of: date,
        law_pack: dict[str, str],
        degree: int,
        qualifies_for_degree: int | None,
        condition: str,
        condition_since: date | None,
        may_move_to: list[str],
        release_on: date | None,
        parole_from: date | None,
        substitution_from: date | None,
        gap: Gap,
        entitlements: tuple[Entitlement, ...],
        findings: tuple[Finding, ...],
        facts: int,
    ) -> None:
        self.id = id
        self.as_of = as_of
        self.law_pack = law_pack
        self.degree = degree
        self.qualifies_for_degree = qualifies_for_degree
        self.condition = condition
        self.condition_since = condition_since
        self.may_move_to = may_move_to
        self.release_on = release_on
        self.parole_from = parole_from
        self.substitution_from = substitution_from
        self.gap = gap
        self.entitlements = entitlements
        self.findings = findings
        self.facts = facts

    def to_json(self, *, indent: bool = False) -> bytes:
        """The result as JSON bytes (dates as ISO strings; the fields in the order above).

        Without `indent`, the references and entitlements shared by many results go in as JSON made
        once (`orjson.Fragment`): they are three fifths of a result's bytes.
        """
        if indent:
            return orjson.dumps(self._plain(False), option=orjson.OPT_INDENT_2)
        return orjson.dumps(self._plain(True))

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON types."""
        out: dict[str, Any] = orjson.loads(self.to_json())
        return out

    def plain(self) -> dict[str, Any]:
        """The result as dicts and lists (dates stay dates), ready for orjson.

        Built in compiled code, with each shared reference turned into a dict once (`_REFS`): several
        times faster than orjson's own walk through the dataclasses, and the same JSON.
        """
        return self._plain(False)

    def _plain(self, fragments: bool) -> dict[str, Any]:
        g = self.gap
        return {
            "id": self.id,
            "as_of": self.as_of,
            "law_pack": self.law_pack,
            "degree": self.degree,
            "qualifies_for_degree": self.qualifies_for_degree,
            "condition": self.condition,
            "condition_since": self.condition_since,
            "may_move_to": self.may_move_to,
            "release_on": self.release_on,
            "parole_from": self.parole_from,
            "substitution_from": self.substitution_from,
            "gap": {
                "unsupported": g.unsupported,
                "waiting_since": g.waiting_since,
                "waiting_days": g.waiting_days,
            },
            "entitlements": _plain_entitlements(self.entitlements, fragments),
            "findings": [_plain_finding(f, fragments) for f in self.findings],
            "facts": self.facts,
        }

    @property
    def substitution_state(self) -> str:
        """ "date" (see `substitution_from`), "not_available" for this sentence, or "not_determinable"."""
        return _state(self.substitution_from, self.finding("substitution"))

    @property
    def parole_state(self) -> str:
        """ "date" (see `parole_from`), "not_available", or "not_determinable"."""
        return _state(self.parole_from, self.finding("parole"))

    def finding(self, fid: str) -> Finding | None:
        """The finding with id `fid`, if any."""
        return next((f for f in self.findings if f.id == fid), None)


def evaluate(
    person: Person,
    events: Sequence[Mapping[str, Any]],
    *,
    on: date,
    law: LawPack,
    case_id: str | None = None,
    release: bool = True,
) -> Result:
    """Evaluate a person's facts (case-format mappings, in date order) on `on` under `law`.

    `release=False` leaves out parole, substitution and entitlements (their fields are None and
    empty), for reviews that only ask about degrees and conditions at many past dates.
    """
    st = fold(person, events, on, conditions=law.conditions, case=case_id)
    return _result(st, person, law, on, case_id, release)


def damage_compensated(
    person: Person, events: Sequence[Mapping[str, Any]], *, on: date, law: LawPack
) -> Condition:
    """Whether the damage caused by the crime is fully compensated on `on`, as mandatory parole and
    substitution read it (LAW.md §6; the payments against the award, P, else the file's statement):
    met True (from `met_on` when the payments decide), False, or None when the file does not say."""
    st = fold(person, events, on, conditions=law.conditions)
    plan = law.plan(on)
    return damage_condition(person, st, plan, plan.parole_mandatory.ref)


def _result(
    st: State, person: Person, law: LawPack, on: date, case_id: str | None, release: bool
) -> Result:
    """The rules applied to a folded state."""
    plan = law.plan(on)
    degrees = degree_findings(st, plan)
    qualifies = qualifies_for_degree(st, degrees)
    transfers = transfer_findings(st, person, plan)
    if release:
        parole = parole_finding(person, st, plan)
        substitution = substitution_finding(person, st, plan)
        rights = entitlements(person.institution, st.condition, on, law)
        mandatory = mandatory_parole_finding(person, st, plan, parole)
        findings: tuple[Finding, ...] = (*degrees, *transfers, parole, mandatory, substitution)
        release_on = person.sentence.release_on
        if release_on is not None:
            ends = plan.term_end_condition
            assert ends.ref is not None  # noqa: S101 -- built with one
            end = Finding("release", ends.ref.article, "P", True, (ends,), release_on, release_on)
            findings = (*findings, end)
        parole_from, substitution_from = parole.value, substitution.value
    else:
        rights, findings = (), (*degrees, *transfers)
        parole_from = substitution_from = None
    return Result(
        id=case_id,
        as_of=on,
        law_pack=law.describe(),
        degree=st.degree,
        qualifies_for_degree=qualifies,
        condition=st.condition,
        condition_since=st.condition_since,
        may_move_to=may_move_to(transfers),
        release_on=person.sentence.release_on,
        parole_from=parole_from,
        substitution_from=substitution_from,
        gap=_gap(st, qualifies, degrees, on),
        entitlements=rights,
        findings=findings,
        facts=st.facts,
    )


class Timeline:
    """One person's facts evaluated at several dates, each time with the facts up to a point.

    Oversight asks, at every decision and penalty in a file, what the facts before it established
    (`at(i, on)`: the first `i` facts, on `on`). Each call reads only the facts since the previous
    one, so a file is read once however many times it is asked. The points must not go back and the
    facts before each must be dated on or before its date; otherwise (and for input the engine would
    refuse, whose errors a full evaluation names) it evaluates from the start, with the same result.
    """

    def __init__(
        self,
        person: Person,
        events: Sequence[Mapping[str, Any]],
        *,
        law: LawPack,
        case_id: str | None = None,
    ) -> None:
        self._person, self._events, self._law, self._case = person, events, law, case_id
        self._st = State(on=date.min, condition_since=person.sentence.start)
        self._done = 0
        allowed = law.conditions.get(person.institution)
        self._allowed: tuple[str, ...] = allowed or ()
        self._direct = allowed is not None

    def at(self, upto: int, on: date, *, release: bool = False) -> Result:
        """The result on `on` from the first `upto` facts (see the class)."""
        if not self._advance(upto, on):
            return evaluate(
                self._person,
                self._events[:upto],
                on=on,
                law=self._law,
                case_id=self._case,
                release=release,
            )
        st = self._st
        st.on, st.facts = on, upto
        return _result(st, self._person, self._law, on, self._case, release)

    def qualifies_at(self, upto: int, on: date, held: int, degree: int) -> bool:
        """Whether `at(upto, on)` holds degree `held` and qualifies for `degree`, without the rest of
        the result (the transfers, most of its cost) and without the findings the answer does not
        need: for a caller that needs the result only when it is so."""
        if not self._advance(upto, on):
            r = self.at(upto, on)
            return r.degree == held and r.qualifies_for_degree == degree
        st = self._st
        st.on, st.facts = on, upto
        return st.degree == held and qualifies_as(st, self._law.plan(on), degree)

    def _advance(self, upto: int, on: date) -> bool:
        """Fold the facts up to `upto` into the kept state; False when it cannot serve `on`."""
        if self._direct and upto >= self._done:
            if upto > self._done:
                part = self._events[self._done : upto]
                self._direct = advance(self._st, self._person, part, on, self._allowed, self._done)
                self._done = upto
            elif self._st.last_day > on.toordinal():
                self._direct = False
        else:
            self._direct = False
        return self._direct


#: id -> (the object, its plain form, that form as JSON): references and entitlement tuples are shared
#: by many results and live as long as the law pack; the object is kept with its forms, so that an id
#: is not reused.
_REFS: Final[dict[int, tuple[Ref, dict[str, Any], Any]]] = {}
_ENTITLEMENTS: Final[dict[int, tuple[tuple[Entitlement, ...], list[dict[str, Any]], Any]]] = {}


def _plain_ref(ref: Ref | None, fragment: bool) -> Any:
    if ref is None:
        return None
    hit = _REFS.get(id(ref))
    if hit is None or hit[0] is not ref:
        if len(_REFS) >= 10_000:
            _REFS.clear()
        out = {
            "key": ref.key,
            "article": ref.article,
            "confidence": ref.confidence,
            "source": ref.source,
            "value": ref.value,
            "valid_from": ref.valid_from,
        }
        hit = (ref, out, orjson.Fragment(orjson.dumps(out)))
        _REFS[id(ref)] = hit
    return hit[2] if fragment else hit[1]


def _plain_entitlements(rights: tuple[Entitlement, ...], fragment: bool) -> Any:
    hit = _ENTITLEMENTS.get(id(rights))
    if hit is None or hit[0] is not rights:
        if len(_ENTITLEMENTS) >= 10_000:
            _ENTITLEMENTS.clear()
        out = [
            {
                "name": e.name,
                "value": e.value,
                "determinable": e.determinable,
                "ref": _plain_ref(e.ref, False),
                "planned": e.planned,
            }
            for e in rights
        ]
        hit = (rights, out, orjson.Fragment(orjson.dumps(out)))
        _ENTITLEMENTS[id(rights)] = hit
    return hit[2] if fragment else hit[1]


def _plain_condition(c: Condition, fragment: bool) -> Any:
    hit = SHARED.get(id(c)) if c.params is SHARED_PARAMS else None
    if hit is None or hit[0] is not c:
        return {
            "code": c.code,
            "met": c.met,
            "met_on": c.met_on,
            "ref": _plain_ref(c.ref, fragment),
            "params": c.params,
        }
    if hit[1] is None:  # a shared condition (`explain.shared`): its forms made once
        out = {
            "code": c.code,
            "met": c.met,
            "met_on": c.met_on,
            "ref": _plain_ref(c.ref, False),
            "params": c.params,
        }
        hit = SHARED[id(c)] = (c, out, orjson.Fragment(orjson.dumps(out)))
    return hit[2] if fragment else hit[1]


def _plain_finding(f: Finding, fragment: bool) -> dict[str, Any]:
    return {
        "id": f.id,
        "article": f.article,
        "confidence": f.confidence,
        "met": f.met,
        "conditions": [_plain_condition(c, fragment) for c in f.conditions],
        "met_on": f.met_on,
        "value": f.value,
    }


def _state(value: date | None, f: Finding | None) -> str:
    if value is not None:
        return "date"
    return "not_available" if f is not None and f.met is False else "not_determinable"


def _gap(st: State, qualifies: int | None, degrees: tuple[Finding, ...], on: date) -> Gap:
    """The held degree against the facts; a wait counts from the later of qualifying and the last decision.

    A held +1 stays supported when the only thing missing is the months since a newer incentive
    (art. 95 counts them from the latest incentive, so praise starts them again) and no penalty has
    been imposed since the award: the facts the award rested on still stand (LAW.md §2).
    """
    held, held_since = st.degree, st.degree_since
    if qualifies is None or held < 0:
        return Gap(False, None, None)
    unsupported = held > 0 and qualifies < held
    if unsupported and held == 1 and qualifies == 0:
        award = st.awarded.get(1)
        latest = st.incentives[-1] if st.incentives else None
        if (
            award is not None
            and latest is not None
            and latest > award
            and st.first_penalty_after(award) is None
        ):
            unsupported = False
    if qualifies > held:
        since = degrees[qualifies - 1].met_on
        if since is not None and held_since is not None and held_since > since:
            since = held_since  # e.g. a revocation back to none: the wait for +1 starts then
        return Gap(unsupported, since, (on - since).days if since else None)
    return Gap(unsupported, None, None)
