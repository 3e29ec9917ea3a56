"""People out of prison on parole or substitution, and their probation files (issue 19, seed 004).

    parolees_for(3_000) -> how many to generate beside 3,000 prisoners
    parolee(rng, "PF-003001", institution, records="UK-12/O04", home="almaty", as_of=day)

Each is a person whose term began years ago: the admission, the administration's submission to the
court, the court's grant with the duties and the unserved part, the release to the home region with
its first reporting schedule, then what the probation service records: check-ins, a later schedule,
violations and their handling, programmes, work, medical aid, a new offence now and then, and the end
of the file (term ended, or revoked). The same fact kinds the web records (`adaldyq.files`), so the
register, the report and the public figures read them as any other file.

The proportions follow the seed's figures (seed 004: more than 22,500 on parole in 2016, 30,797
programmes, about 4,000 employed, 10,108 given medical aid, 188 given education) against about
35,000 prisoners (DOMAIN.md); the rest are demo choices (confidence D: illustrative, not law).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from adaldyq.core.dates import add_months
from adaldyq.demo.model import Event, FieldValue, Gravity, Institution, Person, Sentence
from adaldyq.demo.names import synthetic_name

#: People on parole against prisoners (seed 004: 22,500; DOMAIN.md: about 35,000 prisoners).
PAROLE_PER_PRISONER: Final = 22_500 / 35_000
#: Share of the generated files still open on the day of the demo (D); the others ended.
OPEN_SHARE: Final = 0.85
#: Per person on parole (seed 004): programmes 30,797 / 22,500; employed 4,000; medical aid 10,108;
#: education 188.
PROGRAMMES_EACH: Final = 30_797 / 22_500
EMPLOYED_SHARE: Final = 4_000 / 22_500
MEDICAL_AID_SHARE: Final = 10_108 / 22_500
EDUCATED_SHARE: Final = 188 / 22_500
#: A new offence within a year of the release, and within three (D).
REOFFEND_1Y: Final = 0.06
REOFFEND_3Y: Final = 0.14
#: Check-ins: every 30 days for the first 6 months, then every 90 (D); some missed (D).
FIRST_EVERY_DAYS: Final = 30
FIRST_MONTHS: Final = 6
LATER_EVERY_DAYS: Final = 90
MISSED_SHARE: Final = 0.04
#: Substitution of the unserved part against parole, among releases that open a file (D).
SUBSTITUTION_SHARE: Final = 0.15
#: Released to another region than home (D).
ELSEWHERE_SHARE: Final = 0.08
#: Years of release days the demo covers: as far back as its prisoners' histories (synth).
RELEASE_YEARS: Final = 5

#: How many programmes a person joins: 0 to 3, PROGRAMMES_EACH on average (0.45 + 2 x 0.28 + 3 x 0.12).
_PROGRAMMES_WEIGHTS: Final = (0.15, 0.45, 0.28, 0.12)
_AREAS: Final = ("treatment", "employment", "housing", "education")
_AREA_WEIGHTS: Final = (0.45, 0.3, 0.2, 0.05)
_DUTIES: Final = (
    ("report", 1.0),
    ("residence", 0.8),
    ("places", 0.4),
    ("curfew", 0.5),
    ("treatment", 0.2),
    ("work_or_study", 0.5),
    ("family_support", 0.1),
)
_EMPLOYERS: Final = ("ТОО «Құрылыс-Сервис»", "ИП «Нұр»", "АО «Қазтеміржол»", "ТОО «Агро-Дала»",
                     "КГП «Жылу»", "ТОО «Автосервис»")  # fmt: skip
_AID: Final = ("терапия", "стоматология", "наркология", "фтизиатрия", "психиатрия")
_TERM_YEARS: Final[dict[Gravity, tuple[int, int]]] = {
    "minor": (1, 3),
    "medium": (2, 5),
    "grave": (3, 9),
    "especially_grave": (6, 15),
}
#: The share of the term after which parole may be granted, by gravity (CC art. 72; LAW.md §6):
#: the demo only times its releases by it, the engine is the authority.
_SERVED_SHARE: Final[dict[Gravity, float]] = {
    "minor": 1 / 3,
    "medium": 1 / 2,
    "grave": 2 / 3,
    "especially_grave": 3 / 4,
}


def parolees_for(prisoners: int) -> int:
    """How many released people to generate beside `prisoners`, so that about the seed's share of
    them is on parole on the day of the demo."""
    return round(prisoners * PAROLE_PER_PRISONER / OPEN_SHARE)


#: The demo's probation service of a region records as `PO-<region>`.
PROBATION_PREFIX: Final = "PO-"


def probation_officer(region: str) -> str:
    """The id the demo gives the probation service of a region (`PO-<region>`)."""
    return f"{PROBATION_PREFIX}{region}"


def parolee(
    rng: random.Random,
    pid: str,
    inst: Institution,
    *,
    records: str,
    head: str,
    home: str,
    other_region: str,
    as_of: date,
) -> Person:
    """One person released on parole or substitution, with their probation file up to `as_of`."""
    sex = inst.sex
    gravity: Gravity = rng.choices(("minor", "medium", "grave", "especially_grave"),
                                   (0.15, 0.45, 0.32, 0.08))[0]  # fmt: skip
    lo, hi = _TERM_YEARS[gravity]
    term_months = 12 * rng.randint(lo, hi) + rng.choice((0, 0, 6))
    served = int(term_months * _SERVED_SHARE[gravity]) + rng.randint(1, 8)
    served = min(served, term_months - 3)
    unserved = term_months - served
    open_ = rng.random() < OPEN_SHARE
    earliest = add_months(as_of, -12 * RELEASE_YEARS)
    if open_:  # the unserved part runs past the day of the demo
        back = rng.randint(7, min(unserved * 30 - 1, (as_of - earliest).days))
    else:  # it ended before
        back = rng.randint(
            min(unserved * 31 + 1, (as_of - earliest).days - 1), (as_of - earliest).days
        )
    released_on = as_of - timedelta(days=back)
    start = add_months(released_on, -served)
    sentence = Sentence(start, term_months // 12, term_months % 12, 0)
    born = start - timedelta(
        days=365 * (19 + int(rng.betavariate(2, 4) * 40)) + rng.randint(0, 364)
    )
    arrival = start + timedelta(days=rng.randint(10, 60))
    name_kk, name_ru = synthetic_name(rng, sex)
    ground = "substitution" if rng.random() < SUBSTITUTION_SHARE else "parole"
    region = other_region if rng.random() < ELSEWHERE_SHARE else home
    decided_on = released_on - timedelta(days=rng.randint(1, 10))
    duties = [d for d, share in _DUTIES if rng.random() < share]
    u_years, u_months = divmod(unserved, 12)
    events: list[Event] = [
        Event(arrival, "arrived", records, {"condition": "regular", "institution": inst.id}),
        Event(decided_on - timedelta(days=rng.randint(20, 45)), "court_submitted", records,
              {"ground": ground}),
        Event(decided_on, "court_decided", records, {
            "ground": ground, "outcome": "granted", "duties": duties,
            "unserved": {"years": u_years, "months": u_months, "days": 0},
        }),
        Event(released_on, "released", head, {
            "ground": ground, "region": region, "every_days": FIRST_EVERY_DAYS,
            "mode": "in_person",
        }),
    ]  # fmt: skip
    ends = add_months(released_on, unserved)
    events.extend(_probation(rng, region, released_on, min(ends, as_of), ends <= as_of))
    return Person(
        id=pid, name_kk=name_kk, name_ru=name_ru, sex=sex, born=born, home_region=home,
        institution=inst.id, institution_type=inst.type, sentence=sentence, gravity=gravity,
        works=False, studies=False, visitors=(), events=tuple(sorted(events, key=lambda e: e.on)),
        planted=(),
    )  # fmt: skip


def _probation(
    rng: random.Random, region: str, released: date, until: date, ended: bool
) -> list[Event]:
    """What the probation service records from the release to `until` (the term's end if `ended`)."""
    po = probation_officer(region)
    out: list[Event] = []

    def add(on: date, kind: str, data: dict[str, FieldValue]) -> None:
        if on <= until:
            out.append(Event(on, kind, po, data))

    later = add_months(released, FIRST_MONTHS)
    add(later, "reporting_set", {"every_days": LATER_EVERY_DAYS,
                                 "mode": rng.choice(("in_person", "phone"))})  # fmt: skip
    day = released + timedelta(days=rng.randint(1, 5))
    while day <= until:
        if rng.random() < MISSED_SHARE:
            add(day + timedelta(days=3), "probation_violation",
                {"kind": "missed_checkin", "handling": "warning"})  # fmt: skip
        else:
            mode = "in_person" if day < later or rng.random() < 0.5 else "phone"
            add(day, "checked_in", {"mode": mode})
        day += timedelta(days=FIRST_EVERY_DAYS if day < later else LATER_EVERY_DAYS)
    span = max(1, (until - released).days)
    programmes = rng.choices(range(len(_PROGRAMMES_WEIGHTS)), _PROGRAMMES_WEIGHTS)[0]
    for _ in range(programmes):
        area = rng.choices(_AREAS, _AREA_WEIGHTS)[0]
        status = "started"
        if area == "education":
            status = "completed" if rng.random() < EDUCATED_SHARE * 12 else "started"
        else:
            status = rng.choice(("started", "started", "completed", "left"))
        add(released + timedelta(days=rng.randint(0, min(span, 180))), "programme_joined",
            {"area": area, "status": status})  # fmt: skip
    if rng.random() < EMPLOYED_SHARE:
        add(released + timedelta(days=rng.randint(10, min(max(span, 10), 240))), "employed",
            {"employer": rng.choice(_EMPLOYERS)})  # fmt: skip
    if rng.random() < MEDICAL_AID_SHARE:
        add(released + timedelta(days=rng.randint(0, span)), "medical_aid",
            {"kind": rng.choice(_AID)})  # fmt: skip
    if rng.random() < 0.05:
        add(released + timedelta(days=rng.randint(0, span)), "probation_violation",
            {"kind": rng.choice(("curfew", "duty", "exclusion_zone")), "handling": "warning"})  # fmt: skip
    x = rng.random()
    offence: date | None = None
    if x < REOFFEND_1Y:
        offence = released + timedelta(days=rng.randint(30, 364))
    elif x < REOFFEND_3Y:
        offence = released + timedelta(days=rng.randint(366, 3 * 365))
    if offence is not None and offence <= until:
        add(offence, "probation_violation", {"kind": "new_offence", "handling": "court_submission"})
        revoked = offence + timedelta(days=rng.randint(20, 60))
        if revoked <= until:  # the court revoked the release: nothing more on probation
            out = [e for e in out if e.on <= revoked]
            out.append(Event(revoked, "probation_closed", po, {"reason": "revoked"}))
            return out
    if ended:
        out.append(Event(until, "probation_closed", po, {"reason": "term_ended"}))
    return out
