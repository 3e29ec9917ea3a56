"""Reads of visits: placement on a date, the yearly entitlement and its balance, the booking rules.

entitlement_balance(*, person, kind, on, law)  the engine's figure for the year of `on`, what is used
booking_refusals(*, person, room, day, start, visitors, ...)  every rule that refuses a booking
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from adaldyq import files
from adaldyq.core.errors import AdaldyqError
from adaldyq.core.text import normalise_document
from adaldyq.law import LawPack, evaluate
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import file_of_rows, law_pack, personal_file
from adaldyq.web.visits.models import USING, Booking, Closure, Room, Visitor, Whereabouts

KINDS = ("short", "long")
LANGUAGES = ("kk", "ru", "en")
FIGURE = {"short": "short_visits_per_year", "long": "long_visits_per_year"}
DURATION = {"short": "short_visit_hours", "long": "long_visit_days"}

#: Every rule a booking is checked against, with what a refusal says (kk/ru/en catalogues).
RULES: dict[str, Any] = {
    "visitor_not_approved": _("The visitor %(visitor)s is not an approved visitor of this person."),
    "visitors_too_many": _("This room takes at most %(max)s visitors per visit."),
    "room_closed": _("The room takes no visits on that day or at that time."),
    "booking_window": _("Visits can be booked from %(min)s to %(max)s days ahead."),
    "session_full": _("This session is full: every place is booked."),
    "whereabouts": _("On that day the person is held in %(where)s and cannot receive visitors."),
    "other_institution": _("On that day the person is held in another institution."),
    "not_allowed_in_condition": _(
        "In these conditions (%(condition)s) the law allows no %(kind)s visits (%(article)s)."
    ),
    "entitlement_used": _(
        "The entitlement for %(year)s is used: %(used)s of %(figure)s %(kind)s visits (%(article)s)."
    ),
    "already_booked": _("This person already has a visit booked on that day."),
}
#: Rules an officer may override with a written reason (the override is flagged to oversight).
OVERRIDABLE = frozenset(
    {
        "entitlement_used",
        "not_allowed_in_condition",
        "booking_window",
        "whereabouts",
        "already_booked",
    }
)
WHERE_NAMES: dict[str, Any] = {
    "isolator": _("the disciplinary isolator"),
    "solitary": _("a solitary cell"),
    "hospital": _("hospital"),
    "elsewhere": _("another place (escorted away)"),
}
KIND_NAMES: dict[str, Any] = {"short": _("short"), "long": _("long")}
STATUS_NAMES: dict[str, Any] = {
    "booked": _("booked"),
    "cancelled": _("cancelled"),
    "happened": _("took place"),
    "not_happened": _("did not take place"),
}
RELATIONSHIPS: dict[str, Any] = {
    "spouse": _("spouse"),
    "close_relative": _("close relative"),
    "partner_with_child": _("partner with a child in common"),
    "other": _("other"),
}
#: Relationships the generator (adaldyq.demo.extras) and the personal file's form name one by one:
#: close relatives (parents, children, brothers and sisters, grandparents, grandchildren).
CLOSE_RELATIVES = frozenset(
    {"mother", "father", "sister", "brother", "son", "daughter", "grandparent", "grandchild"}
)
#: Identity documents a visitor shows (the approving officer names the one seen).
DOCUMENT_TYPES: dict[str, Any] = {
    "id_card": _("identity card"),
    "passport": _("passport"),
    "birth_certificate": _("birth certificate"),
    "foreign_passport": _("foreign passport"),
    "residence_permit": _("residence permit"),
}


def relationship_name(code: str) -> str:
    """The relationship in the current language (the demo's 'mother' etc. read as close relatives)."""
    return str(RELATIONSHIPS.get("close_relative" if code in CLOSE_RELATIVES else code, code))


def known_relationship(code: str) -> bool:
    """A relationship the visits pages or the personal file's form offer."""
    return code in RELATIONSHIPS or code in CLOSE_RELATIVES


@dataclass(frozen=True, slots=True)
class Refusal:
    """One rule that refuses a booking, with what to say."""

    rule: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def overridable(self) -> bool:
        return self.rule in OVERRIDABLE

    def message(self) -> str:
        """The refusal in the active language."""
        params = {k: str(v) for k, v in self.params.items()}
        return str(RULES[self.rule]) % params


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a person was held, and in which conditions, on one day."""

    institution: str | None
    institution_type: str
    condition: str


@dataclass(frozen=True, slots=True)
class Balance:
    """A yearly visit entitlement from the law engine and what is used of it."""

    kind: str
    year: int
    on: date
    #: The figure for the type and condition held on `on`; None when the law pack lacks it.
    figure: int | None
    determinable: bool
    confidence: str
    article: str
    used: int
    placement: Placement

    @property
    def remaining(self) -> int | None:
        return None if self.figure is None else max(0, self.figure - self.used)

    @property
    def demo(self) -> bool:
        return self.confidence == "D"

    def as_payload(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "used": self.used,
            "determinable": self.determinable,
            "confidence": self.confidence,
            "article": self.article,
            "condition": self.placement.condition,
            "institution_type": self.placement.institution_type,
        }


def visits_law() -> LawPack:
    """The law pack the web uses (ADALDYQ_LAW_OVERLAY=demo adds the demo's D figures)."""
    return law_pack()


def placement_on(person: Person, on: date) -> Placement:
    """The institution held in on `on` (placement facts) and the engine's condition on that day."""
    pf = personal_file(person)
    held = files.placement_of([f for f in pf.facts if f.on <= on])
    code = held.institution or None
    itype = (
        Institution.objects.filter(code=code).values_list("type", flat=True).first()
        if code
        else None
    ) or (person.institution.type if person.institution_id and person.institution else "medium")
    condition = "regular"
    try:
        core = pf.law_person(itype, on=on)
        result = evaluate(core, pf.events(), on=on, law=visits_law(), case_id=person.pk)
        condition = result.condition
    except AdaldyqError:  # the engine refuses the facts: the placement facts alone
        condition = held.condition
    return Placement(code, itype, condition)


def visits_used(person: Person, kind: str, year: int, *, without: str | None = None) -> int:
    """Visits of `kind` in the calendar year: bookings that use the entitlement, and visits logged
    without a booking (the paper log, the demo); cancelled and not-happened bookings are given back."""
    booked = Booking.objects.filter(
        person_id=person.pk, kind=kind, status__in=USING, day__year=year
    ).exclude(pk=without or "")
    rows = list(Fact.objects.filter(person_id=person.pk, kind="visit", on__year=year))
    logged = [
        f
        for f in file_of_rows(person.pk, rows).facts
        if f.event.get("kind") == kind and not f.event.get("booking")
    ]
    return booked.count() + len(logged)


def entitlement_balance(
    *, person: Person, kind: str, on: date, law: LawPack | None = None
) -> Balance:
    """The engine's yearly figure for the type and condition held on `on`, and what the year used."""
    law = law or visits_law()
    placement = placement_on(person, on)
    from adaldyq.law.rules.visits import entitlements

    ents = {
        e.name: e for e in entitlements(placement.institution_type, placement.condition, on, law)
    }
    e = ents[FIGURE[kind]]
    return Balance(
        kind=kind,
        year=on.year,
        on=on,
        figure=int(e.value) if e.determinable else None,
        determinable=e.determinable,
        confidence=e.ref.confidence,
        article=e.ref.article,
        used=visits_used(person, kind, on.year),
        placement=placement,
    )


def balances(person: Person, *, today: date, days: Iterable[date] = ()) -> list[Balance]:
    """The balances of this year and of every later year that `days` reach (a booking window open
    in December reaches January, whose entitlement is fresh), each kind for each year.

    A later year's balance is read on its first day among `days`: the figure is that of the type
    and condition held on a visit day of that year.
    """
    firsts = {today.year: today}
    for day in sorted(days):
        if day.year > today.year:
            firsts.setdefault(day.year, day)
    return [
        entitlement_balance(person=person, kind=k, on=on)
        for _, on in sorted(firsts.items())
        for k in KINDS
    ]


def duration(kind: str, on: date, law: LawPack | None = None) -> int | None:
    """Hours of a short visit or days of a long visit on `on` (LAW.md §4)."""
    from adaldyq.law.rules.visits import entitlements

    law = law or visits_law()
    for e in entitlements("medium", "regular", on, law):
        if e.name == DURATION[kind]:
            return int(e.value) if e.determinable else None
    return None


def last_day(room: Room, day: date) -> date:
    """The last day a session of the room occupies (a long visit's stay)."""
    if room.kind != "long":
        return day
    days = duration("long", day) or 2
    return day + timedelta(days=days - 1)


def _closed(room: Room, day: date, start: str) -> bool:
    if not room.active or day.isoweekday() not in room.weekdays:
        return True
    if room.kind == "short" and start not in room.starts:
        return True
    end = last_day(room, day)
    return Closure.objects.filter(
        Q(room="") | Q(room=room.key),
        institution=room.institution,
        first_day__lte=end,
        last_day__gte=day,
    ).exists()


def seats_taken(room: Room, day: date, start: str) -> set[int]:
    """Seats of the session in use; for long visits, every stay that overlaps this one."""
    if room.kind == "long":
        end = last_day(room, day)
        qs = Booking.objects.filter(room=room, status__in=USING, day__lte=end, last_day__gte=day)
    else:
        qs = Booking.objects.filter(room=room, status__in=USING, day=day, start=start)
    return set(qs.values_list("seat", flat=True))


def whereabouts_on(person: Person, day: date, last: date) -> Whereabouts | None:
    """A record that the person is held where visitors cannot come, on a day of [day, last]."""
    return (
        Whereabouts.objects.filter(person_id=person.pk, void=False, first_day__lte=last)
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=day))
        .first()
    )


def booking_refusals(
    *,
    person: Person,
    room: Room,
    day: date,
    start: str,
    visitors: list[str],
    today: date,
    staff: bool,
) -> tuple[list[Refusal], Balance, int | None]:
    """Every rule that refuses this booking, the entitlement balance, and the free seat (or None)."""
    refusals: list[Refusal] = []
    approved = dict(
        Visitor.objects.filter(person_id=person.pk, visitor__in=visitors).values_list(
            "visitor", "status"
        )
    )
    for v in visitors:
        if approved.get(v) != "approved":
            name = (
                Visitor.objects.filter(person_id=person.pk, visitor=v)
                .values_list("name", flat=True)
                .first()
            )
            refusals.append(Refusal("visitor_not_approved", {"visitor": name or v}))
    if len(visitors) > room.visitors_max:
        refusals.append(Refusal("visitors_too_many", {"max": room.visitors_max}))
    ahead = (day - today).days
    low = 0 if staff else room.book_min_days
    if ahead < low or ahead > room.book_max_days:
        refusals.append(
            Refusal("booking_window", {"min": room.book_min_days, "max": room.book_max_days})
        )
    if _closed(room, day, start):
        refusals.append(Refusal("room_closed"))
    end = last_day(room, day)
    held = whereabouts_on(person, day, end)
    if held is not None:
        refusals.append(Refusal("whereabouts", {"where": WHERE_NAMES.get(held.where, held.where)}))
    balance = entitlement_balance(person=person, kind=room.kind, on=day)
    if balance.placement.institution and balance.placement.institution != room.institution:
        refusals.append(Refusal("other_institution"))
    if Booking.objects.filter(
        person_id=person.pk, status__in=USING, day__lte=end, last_day__gte=day
    ).exists():
        refusals.append(Refusal("already_booked"))
    if balance.figure is not None:
        kind_name = KIND_NAMES[room.kind]
        if balance.figure == 0:
            refusals.append(
                Refusal(
                    "not_allowed_in_condition",
                    {
                        "condition": condition_name(balance.placement.condition),
                        "kind": kind_name,
                        "article": balance.article,
                    },
                )
            )
        elif balance.used >= balance.figure:
            refusals.append(
                Refusal(
                    "entitlement_used",
                    {
                        "year": day.year,
                        "used": balance.used,
                        "figure": balance.figure,
                        "kind": kind_name,
                        "article": balance.article,
                    },
                )
            )
    free = sorted(set(range(1, room.capacity + 1)) - seats_taken(room, day, start))
    if not free:
        refusals.append(Refusal("session_full"))
    return refusals, balance, (free[0] if free else None)


def condition_name(code: str) -> str:
    from django.utils.translation import get_language

    from adaldyq.law.messages import CONDITION_NAMES

    lang = (get_language() or "kk")[:2]
    return str(
        CONDITION_NAMES.get(lang if lang in ("en", "ru", "kk") else "en", {}).get(code, code)
    )


def sessions(room: Room, *, first: date, last: date) -> list[dict[str, Any]]:
    """The room's sessions between two days, each with its free places (closed ones left out)."""
    out = []
    day = first
    while day <= last:
        starts = room.starts if room.kind == "short" else [""]
        for start in starts:
            if not _closed(room, day, start):
                free = room.capacity - len(seats_taken(room, day, start))
                out.append({"room": room, "day": day, "start": start, "free": max(0, free)})
        day += timedelta(days=1)
    return out


def rooms_of(institution: str) -> QuerySet[Room]:
    return Room.objects.filter(institution=institution, active=True)


def visitor_by_document(*, person: Person, document: str) -> Visitor | None:
    return Visitor.objects.filter(
        person_id=person.pk, document=normalise_document(document)
    ).first()


def bookings_on(institution: str, day: date) -> list[Booking]:
    """The institution's bookings running on `day` (the board, the API), room by room; each with
    `rows`: (visitor, name, attendance or None) per visitor booked."""
    bookings = list(
        Booking.objects.filter(institution=institution, day__lte=day, last_day__gte=day)
        .select_related("room", "person")
        .prefetch_related("attendance")
        .order_by("room__key", "start", "seat")
    )
    names = {
        (v.person_id, v.visitor): v.name
        for v in Visitor.objects.filter(person_id__in={b.person_id for b in bookings})
    }
    for b in bookings:
        arrived = {a.visitor: a for a in b.attendance.all()}
        b.rows = [(v, names.get((b.person_id, v), v), arrived.get(v)) for v in b.visitors]  # type: ignore[attr-defined]
    return bookings


def history(person: Person) -> QuerySet[Booking]:
    """Every booking of the person, newest first, whatever became of it."""
    return (
        Booking.objects.filter(person_id=person.pk).select_related("room").order_by("-day", "-seq")
    )


def logged_visits(person: Person) -> list[Fact]:
    """Visits in the file that no booking made (the paper log, the demo)."""
    rows = list(Fact.objects.filter(person_id=person.pk, kind="visit"))
    standing = {f.seq for f in file_of_rows(person.pk, rows).facts}
    return sorted(
        (f for f in rows if f.seq in standing and not f.data.get("booking")),
        key=lambda f: (f.on, f.seq),
    )
