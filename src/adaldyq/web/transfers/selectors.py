"""Reads of placement and transfers: sites, occupancy from the ledger's read models, the queue,
a person's moves, art. 96 eligibility and the simulator's population.

Occupancy is never a hand-kept counter: today's comes from `records.Person.institution` (projected
from the placement facts of the ledger), and over time from the standing placement facts
(`arrived`, `transferred`) themselves.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from adaldyq.core.dates import add_months
from adaldyq.core.errors import AdaldyqError
from adaldyq.law import damage_compensated, evaluate
from adaldyq.placement import (
    PlacementRules,
    Points,
    Profile,
    Site,
    TransferRequest,
    TypeChange,
    TypeChangeCase,
    change_of_type,
    default_rules,
    points,
    queue,
    site_distance_km,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import (
    FOLDED_FIELDS,
    case_events,
    case_facts,
    core_person,
    file_of_rows,
    law_pack,
)
from adaldyq.web.transfers.models import OPEN, Move, Placement, Request

#: Sentence types art. 96 applies to.
ART96_TYPES = ("complete", "medium", "maximum")


@dataclasses.dataclass(frozen=True, slots=True)
class QueueLine:
    """One open request in a target's queue, with its place and points on the day."""

    position: int
    request: Request
    points: Points


def rules() -> PlacementRules:
    """The placement rules (rules.yaml), loaded once per process (every reader shares them)."""
    return default_rules()


def role_of(user: Any) -> str:
    return str(getattr(user, "role", "") or "") if getattr(user, "is_authenticated", False) else ""


def can_decide(user: Any) -> bool:
    """Places people and decides transfers at all; each person: scope.can_decide_placement."""
    from adaldyq.web.accounts.scope import can_place

    return can_place(user)


def can_analyse(user: Any) -> bool:
    from adaldyq.web.accounts.scope import can_analyse as analyse

    return analyse(user)


def site_of(i: Institution) -> Site:
    """An institution as placement sees it (its code is the id the entries use)."""
    return Site(i.code, i.region_id, i.type, i.sex, i.minors, i.medical, i.capacity, i.lat, i.lon)


def sites() -> list[Site]:
    """Every institution of the register as a site."""
    return [site_of(i) for i in Institution.objects.all().order_by("code")]


def institutions_by_code() -> dict[str, Institution]:
    return {i.code: i for i in Institution.objects.select_related("region")}


def occupancy() -> dict[str, int]:
    """Institution code -> people placed there today (the records read model, from the ledger)."""
    rows = (
        Person.objects.filter(institution__isnull=False)
        .values("institution__code")
        .annotate(n=Count("id"))
    )
    return {r["institution__code"]: r["n"] for r in rows}


def is_minor(person: Person, on: date) -> bool:
    return add_months(person.born, 18 * 12) > on


def profile_of(person: Person, *, type: str, medical: bool, on: date) -> Profile:
    """What placement needs: sex, home region, the sentence's type, minority, medical need."""
    return Profile(
        id=person.pk,
        sex=person.sex,
        home_region=person.home_region,
        type=type,
        minor=is_minor(person, on),
        medical=medical,
        sentenced_on=person.sentence_start,
    )


def court_type(person: Person) -> str:
    """The type of institution the court set: as admitted, else the present institution's (a mixed
    unit's type is not a sentence's); "" when neither says."""
    if person.sentence_type:
        return person.sentence_type
    inst = person.institution
    return inst.type if inst is not None and inst.type != "mixed" else ""


def transfer_profile(person: Person, *, on: date) -> Profile:
    """The person as the transfer rules see them (medical need is not recorded in the file)."""
    return Profile(
        id=person.pk,
        sex=person.sex,
        home_region=person.home_region,
        type=court_type(person),
        minor=is_minor(person, on),
        sentenced_on=person.sentence_start,
    )


def awaiting_placement(user: Any) -> QuerySet[Person]:
    """Sentenced people in `user`'s scope admitted without an institution: newest admission first."""
    from adaldyq.web.accounts.scope import people_visible_to

    return (
        people_visible_to(user)
        .filter(institution__isnull=True, released_on__isnull=True)
        .order_by("-admitted_seq")
    )


def pending_proposals(people: Iterable[Person]) -> dict[str, Placement]:
    """Person id -> their latest undecided placement proposal."""
    ids = [p.pk for p in people]
    out: dict[str, Placement] = {}
    for p in Placement.objects.filter(person_id__in=ids, decided_seq__isnull=True).order_by("seq"):
        out[p.person_id] = p
    return out


#: What a request row and the placement rules' `TransferRequest` call by the same names.
_REQUEST_FIELDS = (
    "number",
    "target",
    "ground",
    "filed_on",
    "distance_gained_km",
    "consent",
    "filed_by",
)


def as_request(r: Request) -> TransferRequest:
    same = {field: getattr(r, field) for field in _REQUEST_FIELDS}
    return TransferRequest(
        person=r.person_id,
        from_institution=r.from_institution or None,
        family=tuple(r.family),
        **same,
    )


def queue_of(target: str, *, on: date) -> list[QueueLine]:
    """The open queue of `target` on `on`, first in line first."""
    return _line(target, Request.objects.filter(target=target, status=OPEN), on=on)


def _line(target: str, requests: Iterable[Request], *, on: date) -> list[QueueLine]:
    rows = {r.number: r for r in requests}
    pool = [as_request(r) for r in rows.values()]
    line = queue(pool, target, on=on, rules=rules())
    return [
        QueueLine(i, rows[t.number], points(t, on=on, rules=rules()))
        for i, t in enumerate(line, start=1)
    ]


def position_of(request: Request, *, on: date) -> QueueLine | None:
    """The request's place in its target's queue (None when closed)."""
    return next((q for q in queue_of(request.target, on=on) if q.request.pk == request.pk), None)


def queues(*, on: date) -> dict[str, list[QueueLine]]:
    """Every target with open requests, and its queue: the open requests read in one query, each
    with its person (the page names them)."""
    by_target: dict[str, list[Request]] = defaultdict(list)
    for r in Request.objects.filter(status=OPEN).select_related("person"):
        by_target[r.target].append(r)
    return {t: _line(t, by_target[t], on=on) for t in sorted(by_target)}


def distance_gained(person: Person, target: Institution) -> float:
    """Km by which `target` is nearer the home region centre than the person's institution."""
    if not person.home_region:
        return 0.0
    there = site_distance_km(person.home_region, site_of(target))
    if person.institution is None:
        return 0.0
    here = site_distance_km(person.home_region, site_of(person.institution))
    return round(here - there, 1)


def moves_of(person: Person) -> list[Move]:
    """Placements and transfers of a person, in order, with the ground of each."""
    return list(Move.objects.filter(person_id=person.pk).order_by("on", "seq"))


def requests_of(person: Person) -> list[Request]:
    return list(Request.objects.filter(person_id=person.pk).order_by("seq"))


# ---- occupancy over time ------------------------------------------------------------------------


def months(first: date, last: date) -> list[date]:
    """First days of the months from `first` to `last`."""
    out, d = [], date(first.year, first.month, 1)
    while d <= last:
        out.append(d)
        d = add_months(d, 1)
    return out


def occupancy_series(days: list[date]) -> dict[str, list[int]]:
    """Institution code -> people held there on each of `days`, from the standing placement facts."""
    facts = Fact.objects.filter(kind__in=("arrived", "transferred", "released")).only(
        *FOLDED_FIELDS
    )
    by_person: dict[str, list[Fact]] = defaultdict(list)
    for f in facts.iterator(chunk_size=5000):
        by_person[f.person_id].append(f)
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    for person_id, person_facts in by_person.items():
        stays = [
            (p.fact.on, p.institution)
            for p in file_of_rows(person_id, person_facts).placements()
            if p.fact is not None  # a release: held nowhere from its day
        ]
        j = 0
        where = None
        for k, day in enumerate(days):
            while j < len(stays) and stays[j][0] <= day:
                where = stays[j][1]
                j += 1
            if where:
                out[where][k] += 1
    return dict(out)


# ---- art. 96 ------------------------------------------------------------------------------------


def type_changes(people: Iterable[Person], *, on: date) -> list[tuple[Person, TypeChange]]:
    """Art. 96 for each person in a type it applies to, degree and condition from the law engine.

    The people's standing facts are read in one query (not two per person), the law pack and the
    placement rules once per process: the engine's evaluation is the only work done per person.
    """
    chosen = [
        p
        for p in people
        if (inst := p.institution) is not None
        and inst.type in ART96_TYPES
        and not (p.life and inst.type != "complete")
    ]
    rows = case_facts([p.pk for p in chosen])
    law, placement_rules = law_pack(), rules()
    out: list[tuple[Person, TypeChange]] = []
    for person in chosen:
        inst = person.institution
        assert inst is not None  # noqa: S101 - chosen above
        facts = rows.get(person.pk, [])
        core = core_person(person)
        try:
            result = evaluate(
                core, case_events(person, facts=facts), on=on, law=law, case_id=person.pk
            )
        except AdaldyqError:
            continue
        # in the type since the last standing arrival or transfer
        arrived = max(
            (f.on for f in facts if f.kind in ("arrived", "transferred")),
            default=None,
        )
        excluded, unknown = _corruption_damage(person, core, facts, on=on, law=law)
        change = change_of_type(
            TypeChangeCase(
                person=person.pk,
                type=inst.type,
                condition=result.condition,
                degree=result.degree,
                gravity=person.gravity or None,
                sentence_start=person.sentence_start,
                term_days=core.sentence.term_days,
                in_type_since=arrived,
                exclusions=excluded,
                unknown=unknown,
            ),
            on=on,
            rules=placement_rules,
        )
        if change is not None:
            out.append((person, change))
    return out


def _corruption_damage(
    person: Person, core: Any, facts: list[Any], *, on: date, law: Any
) -> tuple[frozenset[str], frozenset[str]]:
    """Art. 96's exclusion of a corruption crime whose damage is not compensated, as the file tells
    it: applied when the damage is not compensated, unknown when the file does not say (ADR 0040).
    A file that does not say whether the crime is a corruption crime is read as before."""
    none: frozenset[str] = frozenset()
    if person.corruption is not True:
        return none, none
    damage = damage_compensated(core, case_events(person, facts=facts), on=on, law=law)
    found = frozenset({"corruption_damage_uncompensated"})
    if damage.met is False:
        return found, none
    return (none, found) if damage.met is None else (none, none)


# ---- the simulator's population -----------------------------------------------------------------


def population() -> tuple[list[Profile], dict[str, str]]:
    """Everyone placed today as profiles, and where each is (categories from the institution, P).

    The personal file does not yet record minority or medical need for everyone: as the demo
    does (ADR 0007), the category is read from the institution the person is in; a placement
    recorded through this app carries its own profile, which wins.
    """
    recorded = {
        p.person_id: p.profile
        for p in Placement.objects.exclude(decided_seq=None).only("person_id", "profile")
    }
    rows = Person.objects.filter(institution__isnull=False).values_list(
        "id",
        "sex",
        "home_region",
        "sentence_start",
        "institution__code",
        "institution__type",
        "institution__minors",
        "institution__medical",
    )
    profiles: list[Profile] = []
    current: dict[str, str] = {}
    for pid, sex, home, start, code, itype, minors, medical in rows:
        if not home or sex not in ("male", "female"):
            continue
        own = recorded.get(pid) or {}
        profiles.append(
            Profile(
                pid, sex, home, own.get("type", itype), bool(own.get("minor", minors)),
                bool(own.get("medical", medical)), start,
            )
        )  # fmt: skip
        current[pid] = code
    return profiles, current


#: A flag's rule as `transfer_flags` writes it: "<article> (<rule key>)".
_FLAG_RULE = re.compile(r"(?P<article>.*) \((?P<key>[\w.]+)\)")


def flag_for_page(flag: dict[str, Any]) -> dict[str, Any]:
    """A flag row (`transfer_flags`, the JSON lines' shape) as the page reads it: its day as a date, its
    rule split into the article cited and the rule's key (the page words and cites both in the
    reader's language)."""
    found = _FLAG_RULE.fullmatch(flag.get("rule") or "")
    article, key = (found["article"], found["key"]) if found else (flag.get("rule") or "", "")
    on = flag.get("on")
    return {
        **flag,
        "on": date.fromisoformat(on) if isinstance(on, str) else on,
        "rule_article": article,
        "rule_key": key,
    }


def flag_counts(flags: Iterable[dict[str, Any]]) -> Counter[str]:
    return Counter(f["kind"] for f in flags)


def placement_flags(user: Any, *, kind: str = "") -> list[dict[str, Any]]:
    """The placement and transfer flags computed from the ledger's entries (`transfer_flags`) in the
    institutions `user` reads (a regional department: its region's), of one `kind` when given."""
    from django.db import connection

    from adaldyq.placement.ledger import transfer_flags
    from adaldyq.web.accounts.scope import institutions_visible_to
    from adaldyq.web.institutions.register import read_sites

    with connection.cursor() as cursor:
        rows = transfer_flags(cursor, sites=read_sites(cursor))
    visible = institutions_visible_to(user)
    if visible is not None:
        rows = [r for r in rows if r["institution"] in visible]
    return [r for r in rows if r["kind"] == kind] if kind else rows
