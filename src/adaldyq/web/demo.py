"""Load a synthetic population (adaldyq.demo.synth) through the ledger and build the read models.

    demo_build(population, data_dir=..., progress=...) -> DemoReport

Every person becomes a `person_admitted` entry followed by one entry per fact, appended in
batches with `adaldyq.ledger.sql.append_entries` and projected with the same `BatchProjector`
that `adaldyq ledger replay` uses. Officers become users without a usable password; one login
per role gets a generated password (written to DIR/demo-logins.json, mode 0600).
"""

from __future__ import annotations

import json
import os
import random
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from adaldyq.demo.entries import planted_line, record_people, split_name
from adaldyq.demo.model import Institution as DemoInstitution
from adaldyq.demo.model import Officer, Person, Sex
from adaldyq.demo.names import synthetic_name
from adaldyq.demo.probation import PROBATION_PREFIX
from adaldyq.ledger import sql
from adaldyq.ledger.entry import Draft, Entry
from adaldyq.web.accounts.models import User
from adaldyq.web.accounts.positions import (
    COMMISSION_MEMBER,
    ROLE_POSITIONS,
    position_in_every_language,
)
from adaldyq.web.accounts.roles import Role
from adaldyq.web.institutions.models import Institution
from adaldyq.web.institutions.services import institution_upsert, regions_load
from adaldyq.web.records import ledger_port
from adaldyq.web.records.projection import BatchProjector

if TYPE_CHECKING:
    from adaldyq.web.decisions.models import AgendaItem, Decision

LOGINS_FILE = "demo-logins.json"
PLANTED_FILE = "planted.jsonl"
CHUNK_PEOPLE = 500


@dataclass
class DemoReport:
    """What a build produced."""

    institutions: int = 0
    officers: int = 0
    people: int = 0
    entries: int = 0
    planted: int = 0
    #: Visit rooms defined (each a ledger entry of its own, besides the people's `entries`).
    rooms: int = 0
    #: Transfer requests filed and decided (demo queues).
    requests: int = 0
    decisions: int = 0
    #: Newly sentenced people admitted without an institution, awaiting placement.
    awaiting: int = 0
    #: Commission sittings (one past, decided and confirmed; today's, open) and their ledger entries.
    sessions: int = 0
    session_entries: int = 0
    #: Overrides left awaiting a second person's confirmation (ADR 0037).
    overrides: int = 0
    logins: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The officials' visits programme planted (visits, attendances, officials in scope; issue 20).
    programme: dict[str, int] = field(default_factory=dict)
    #: People under electronic monitoring, their events and the violations found (ADR 0043).
    monitoring: dict[str, int] = field(default_factory=dict)
    #: The signed checkpoint of the built ledger (C2SP note).
    checkpoint: str = ""


def _officer_role(officer: Officer) -> Role:
    return Role.head if officer.role == "head" else Role.records_officer


#: What a demo institution and the register's `institution_upsert` call by the same names.
_SAME_FIELDS = ("name_kk", "name_ru", "type", "capacity", "sex", "minors", "medical", "lat", "lon")


def institutions_load(institutions: Iterable[DemoInstitution]) -> int:
    """The register of the population (regions first)."""
    regions_load()
    n = 0
    for i in institutions:
        same = {field: getattr(i, field) for field in _SAME_FIELDS}
        institution_upsert(
            code=i.id, code_local=i.code, name=i.name_en, region_key=i.region, **same
        )
        n += 1
    return n


def _officer_position(officer: Officer) -> dict[str, str]:
    """The officer's position in kk, ru and en, as `User.position_<lang>` keeps it."""
    if officer.role == "commission_member":
        return position_in_every_language(COMMISSION_MEMBER)
    return position_in_every_language(ROLE_POSITIONS[_officer_role(officer)])


def officers_load(officers: Iterable[Officer]) -> int:
    """A user per officer (username = officer id), named and with a position, no usable password."""
    inst_ids = dict(Institution.objects.values_list("code", "pk"))
    positions: dict[str, dict[str, str]] = {}
    users = []
    for o in officers:
        surname, given, _ = split_name(o.name_ru)
        if o.role not in positions:
            positions[o.role] = _officer_position(o)
        user = User(
            username=o.id,
            role=_officer_role(o).value,
            institution_id=inst_ids[o.institution],
            first_name=given,
            last_name=surname,
            full_name=o.name_kk,
            **{f"position_{lang}": text for lang, text in positions[o.role].items()},
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000, ignore_conflicts=True)
    return len(users)


def people_load(
    people: Iterable[Person],
    *,
    officers: Iterable[Officer],
    planted_path: Path,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int, int]:
    """Append every person's entries and project them; write planted.jsonl with ledger sequence numbers.

    The entries recorded after the histories (`Person.later`: the loopholes of issue 15) follow every
    history, one stage a batch, so that each stage has its own `recorded_at`."""
    roles = {o.id: f"role:{_officer_role(o).value}@{o.institution}" for o in officers}

    def authority(officer: str) -> str:
        if officer.startswith(PROBATION_PREFIX):  # the probation service of a region
            return f"role:{Role.probation_officer.value}@{officer.removeprefix(PROBATION_PREFIX)}"
        return roles.get(officer, "role:records_officer")

    projector = BatchProjector()
    n_people = n_entries = n_planted = 0

    def append(drafts: list[Draft], _stage: int) -> list[Entry]:
        nonlocal n_entries
        with transaction.atomic(durable=True):
            with connection.cursor() as cursor:
                entries = ledger_port.append_many(cursor, drafts)
            projector.add(entries)
        n_entries += len(entries)
        return entries

    with planted_path.open("wb") as planted_out:
        for person, seqs in record_people(
            people, authority, append, chunk=CHUNK_PEOPLE, progress=progress
        ):
            n_people += 1
            for abuse in person.planted:
                planted_out.write(orjson.dumps(planted_line(abuse, seqs)) + b"\n")
                n_planted += 1
    with transaction.atomic(durable=True):
        projector.finish()
    return n_people, n_entries, n_planted


def _login_name(role: Role) -> str:
    """A synthetic Kazakh full name for a demo login, the same at every build."""
    rng = random.Random(f"login:{role.value}")  # noqa: S311 - synthetic data
    name_kk, _ = synthetic_name(rng, "female" if rng.random() < 0.3 else "male", kazakh=True)
    return name_kk


def logins_create(data_dir: Path) -> dict[str, dict[str, str]]:
    """One login per role, scoped to the fullest institution; passwords kept in DIR/demo-logins.json.

    Besides the roles, `relative` names a visitor's document number and the file number to try the
    public booking page with (no password: the page asks for these two).
    """
    path = data_dir / LOGINS_FILE
    if path.exists():
        return authenticators_ensure(data_dir)
    from django.db.models import Count

    from adaldyq.web.accounts.services import user_create
    from adaldyq.web.records.models import Person as PersonRow

    inst = (
        Institution.objects.annotate(n=Count("people"))
        .exclude(type="mixed")
        .order_by("-n", "code")
        .first()
    )
    if inst is None:
        raise RuntimeError("no institution in the register: build the demo first")
    prisoner = (
        PersonRow.objects.filter(institution=inst)
        .annotate(n=Count("facts"))
        .order_by("-n", "pk")
        .first()
    )
    logins: dict[str, dict[str, str]] = {}
    for role in Role:
        scope: dict[str, Any] = {}
        if role in (Role.records_officer, Role.head):
            scope["institution"] = inst
        elif role in (Role.regional, Role.probation_officer):
            scope["region"] = inst.region
        elif role is Role.prisoner:
            if prisoner is None:
                continue
            scope["person_id"] = prisoner.pk
        username = role.value.replace("_", "-")
        User.objects.filter(username=username).delete()
        name = prisoner.full_name if role is Role.prisoner and prisoner else _login_name(role)
        password = _demo_password(username, name)
        user_create(
            username=username,
            password=password,
            role=role,
            full_name=name,
            position=position_in_every_language(ROLE_POSITIONS[role]),
            **scope,
        )
        where = (
            inst.code
            if "institution" in scope
            else (inst.region_id if "region" in scope else (scope.get("person_id") or "all"))
        )
        logins[role.value] = {"username": username, "password": password, "scope": str(where)}
    relative = relative_example(inst)
    if relative is not None:
        logins["relative"] = relative
    _logins_write(path, logins)
    return authenticators_ensure(data_dir)


def _logins_write(path: Path, logins: Mapping[str, Any]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(logins, f, ensure_ascii=False, indent=1)


def authenticators_ensure(data_dir: Path) -> dict[str, dict[str, str]]:
    """An authenticator for every demo login whose role signs in with a code (ADR 0039), its secret
    (base32, as authenticator apps take it) kept beside the password in demo-logins.json.

    Idempotent; a demo built before two-factor sign-in gets its authenticators here. A login whose
    device is gone or differs from the file's secret gets a new one.
    """
    from adaldyq.web.accounts.twofactor import (
        authenticator,
        device_enrol_confirmed,
        role_requires_code,
        secret_base32,
    )

    path = data_dir / LOGINS_FILE
    logins: dict[str, dict[str, str]] = json.loads(path.read_text())
    roles = {r.value for r in Role}
    changed = False
    for role, login in logins.items():
        if role not in roles or "username" not in login or not role_requires_code(role):
            continue
        user = User.objects.filter(username=login["username"]).first()
        if user is None:
            continue
        device = authenticator(user)
        if device is not None and login.get("totp_secret") == secret_base32(device):
            continue
        login["totp_secret"] = secret_base32(device_enrol_confirmed(user=user))
        changed = True
    if changed:
        _logins_write(path, logins)
    return logins


def relative_example(inst: Institution, *, tries: int = 40) -> dict[str, str] | None:
    """A demo relative who can book on /visit/: an approved visitor (with the synthetic document
    number) of a person held in `inst` whose short visits of this year are not used up."""
    from django.utils import timezone

    from adaldyq.web.visits.models import Visitor
    from adaldyq.web.visits.selectors import entitlement_balance

    today = timezone.localdate()
    candidates = (
        Visitor.objects.filter(
            status="approved", document__startswith="DEMO-", person__institution=inst
        )
        .select_related("person__institution")
        .order_by("person_id", "seq")[:tries]
    )
    for v in candidates:
        balance = entitlement_balance(person=v.person, kind="short", on=today)
        if balance.remaining is None or balance.remaining > 0:
            return {"document": v.document, "file": v.person.number, "page": "/visit/"}
    return None


def visit_rooms_load(institutions: Iterable[DemoInstitution]) -> int:
    """Each institution's visit rooms, defined by its head as ledger entries (demo figures, D):
    a short-visit room with sessions at 10:00, 13:00 and 15:00 from Tuesday to Saturday, and long-visit
    rooms, one for every 250 places of capacity."""
    from adaldyq.web.visits.services import room_define

    heads = {
        u.institution.code: u
        for u in User.objects.filter(role=Role.head.value).select_related("institution")
        if u.institution is not None
    }
    count = 0
    for inst in institutions:
        head = heads.get(inst.id)
        if head is None:
            continue
        room_define(
            officer=head, institution=inst.id, room="short-1", kind="short",
            names={"kk": "Қысқа мерзімді кездесулер залы", "ru": "Зал краткосрочных свиданий",
                   "en": "Short visits hall"},
            capacity=4, starts=["10:00", "13:00", "15:00"], weekdays=[2, 3, 4, 5, 6],
        )  # fmt: skip
        room_define(
            officer=head, institution=inst.id, room="long-1", kind="long",
            names={"kk": "Ұзақ мерзімді кездесулер бөлмелері", "ru": "Комнаты длительных свиданий",
                   "en": "Long visits rooms"},
            capacity=max(1, inst.capacity // 250),
        )  # fmt: skip
        count += 2
    return count


#: Share of people far from home who ask to be moved closer, and how many granted requests jump the
#: queue (demo figures, D): enough for every queue page and transfer flag to have something to show.
#: The demo commission (synthetic names): two staff, the local executive body, two members of the
#: public of whom one is absent.
COMMISSION = (
    ("Серікбаев Ерлан", "staff", True),
    ("Қасымова Айгүл", "staff", True),
    ("Жұмабеков Марат", "local_executive", True),
    ("Ермекова Сәуле", "public", True),
    ("Ли Виктор", "public", False),
)
SESSION_DAYS_AGO = 28
#: Decisions of today's sitting left for the head to confirm (the head's task on the demo as shipped).
AWAITING_CONFIRMATION = 4
#: The demo secretary's written reasons (Kazakh, as the institution writes them).
_NO_FIGURE = "Заң пакетінде қажетті көрсеткіш жоқ: шешім келесі отырысқа қалдырылды."
_FILE_INCOMPLETE = "Жеке іс толық емес: әкімшілік құжаттарды толықтырғанша қалдырылды."
_DISPUTED = "Мінездемеде көрсетілген мадақтаудың негізі даулы; әкімшілік тексереді."

TRANSFER_REQUEST_SHARE = 0.03
QUEUE_JUMPS = 3


def commission_sessions_load(
    planted_path: Path | None = None,
    *,
    logins: Mapping[str, Mapping[str, str]],
    awaiting: int = AWAITING_CONFIRMATION,
) -> tuple[int, int]:
    """The commission of the institution the demo logins work in (`records-officer` its secretary,
    `head` its head): a sitting four weeks ago, its agenda drawn by the engine, each item decided as
    proposed but one (refused with a reason code and a written reason: a deviation on the register)
    and those the law pack cannot decide (deferred), each decision confirmed by the head; and today's
    sitting, open with its agenda, of which the first `awaiting` items the engine can decide are
    decided as proposed and wait for the head's confirmation; the rest are for the secretary to
    decide. Returns (sittings, ledger entries written).

    The people of `planted_path` (the generator's planted abuses) are deferred rather than decided: an
    award would end a planted "grounds ignored" and begin an unplanned "delayed award", and the planted
    set is what `adaldyq oversight score` measures detection against. Today's decisions are not
    confirmed, so they write nothing into the files the register reads.
    """
    from datetime import timedelta

    from django.utils import timezone

    from adaldyq.web.decisions import services as dserv

    users = {
        role: User.objects.select_related("institution")
        .filter(username=logins.get(role.value, {}).get("username", ""), role=role.value)
        .exclude(institution=None)
        .first()
        for role in (Role.records_officer, Role.head)
    }
    officer, head = users[Role.records_officer], users[Role.head]
    if officer is None or head is None or officer.institution_id != head.institution_id:
        return 0, 0
    planted: set[str] = set()
    if planted_path is not None and planted_path.exists():
        planted = {orjson.loads(line)["person"] for line in planted_path.read_bytes().splitlines()}
    members = [{"name": n, "group": g, "present": p} for n, g, p in COMMISSION]
    votes = {f"m{i}": "for" for i, (_, _, present) in enumerate(COMMISSION, 1) if present}
    today = timezone.localdate()  # the demo runs up to the day it is built
    with connection.cursor() as cursor:
        before = sql.read_size(cursor)
    past = dserv.session_open(
        officer=officer, on=today - timedelta(days=SESSION_DAYS_AGO), members=members
    )
    deviated = False
    departures: list[dict[str, Any]] = []
    for item in past.items.order_by("position"):
        outcome, code, reason = _sitting_outcome(item, planted, deviate=not deviated, today=today)
        deviated = deviated or code == "facts_disputed"
        decision = _decide(officer, item, outcome, votes, code, reason)
        dserv.decision_confirm(head=head, decision=decision, on=past.on)
        if decision.deviates:  # decided against the proposal: on the register, and planted here
            departures.append(
                {"kind": "commission_contrary_to_proposal", "person": item.person_id,
                 "institution": past.institution_code, "officer": officer.get_username(),
                 "on": past.on.isoformat(), "events": [], "entries": [decision.seq],
                 "detail": {"outcome": outcome, "reason_code": code}}
            )  # fmt: skip
    if departures and planted_path is not None:
        with planted_path.open("ab") as out:
            for line in departures:
                out.write(orjson.dumps(line) + b"\n")
    sitting = dserv.session_open(officer=officer, on=today, members=members)
    decided = 0
    for item in sitting.items.order_by("position"):
        if decided >= awaiting:
            break
        proposed = str(item.proposal.get("outcome"))
        if proposed != "not_determinable" and item.person_id not in planted:
            _decide(officer, item, proposed, votes, "", "")  # as the engine proposes
            decided += 1
    with connection.cursor() as cursor:
        return 2, sql.read_size(cursor) - before


def _qualified_on(item: AgendaItem, on: date) -> date | None:
    """When the person came to qualify for the change the item proposes (None: not known)."""
    from adaldyq.web.decisions.selectors import evaluate_case

    result, _, _ = evaluate_case(item.person, on)
    p = item.proposal
    step = f"degree.{p.get('degree')}" if item.question == "degree" else None
    step = step or f"transfer.{p.get('from')}.{p.get('to')}"
    finding = result.finding(step)
    return finding.met_on if finding is not None else None


def _sitting_outcome(
    item: AgendaItem, planted: set[str], *, deviate: bool, today: date
) -> tuple[str, str, str]:
    """The demo secretary's outcome for an agenda item: (outcome, reason code, written reason).

    Nothing decided here may add a flag to what `adaldyq oversight score` measures: a change for
    someone who qualified longer ago than oversight's delay (the generator leaves such files, the
    register's "grounds ignored") is deferred, since deciding it now would add an unplanned "delayed
    award"; the one refusal goes to someone whose wait stays within that delay up to today.
    """
    from adaldyq.oversight.register import Thresholds
    from adaldyq.web.decisions.proposals import CHANGES

    delay = Thresholds().delay_days
    proposed = str(item.proposal.get("outcome"))
    if proposed == "not_determinable":
        return "defer", "other", _NO_FIGURE
    if item.person_id in planted:
        return "defer", "facts_missing_from_file", _FILE_INCOMPLETE
    if proposed not in CHANGES:
        return proposed, "", ""
    since = _qualified_on(item, item.session.on)
    if since is None or (item.session.on - since).days > delay:
        return "defer", "facts_missing_from_file", _FILE_INCOMPLETE
    if deviate and proposed in ("award_degree", "transfer") and (today - since).days <= delay:
        return "refuse", "facts_disputed", _DISPUTED
    return proposed, "", ""


def _decide(
    officer: User, item: AgendaItem, outcome: str, votes: dict[str, str], code: str, reason: str
) -> Decision:
    from adaldyq.web.decisions import services as dserv
    from adaldyq.web.decisions.proposals import terms_of

    return dserv.decision_record(
        officer=officer, item=item, outcome=outcome, terms=terms_of(outcome, item.proposal),
        votes=votes, reason_code=code, reason=reason,
    )  # fmt: skip


def transfer_queues_load(*, data_dir: Path, seed: int = 2024) -> tuple[int, int]:
    """Requests to move closer to home from people far from it, some granted in queue order and a
    few out of it (planted, written to planted.jsonl). Returns (requests filed, decisions)."""
    import random
    from datetime import date, timedelta

    from adaldyq.core.errors import InputError
    from adaldyq.placement import site_distance_km
    from adaldyq.web.overrides.services import OverridePendingError, override_confirm
    from adaldyq.web.records.models import Person as PersonRow
    from adaldyq.web.transfers import selectors as tsel
    from adaldyq.web.transfers import services as tserv

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    committee = User.objects.filter(role=Role.committee.value).order_by("pk").first()
    if committee is None:
        return 0, 0
    deputy = _second_committee_member(committee)
    institutions = [i for i in Institution.objects.exclude(type="mixed") if not i.medical]
    people = list(
        PersonRow.objects.select_related("institution")
        .exclude(institution=None)
        .exclude(home_region="")
    )
    today = date.today()  # noqa: DTZ011 - the demo runs up to the day it is built
    filed: list[Any] = []
    for person in people:
        here = person.institution
        if here is None or here.type == "mixed" or rng.random() > TRANSFER_REQUEST_SHARE * 4:
            continue
        nearer = [
            i
            for i in institutions
            if i.pk != here.pk and i.type == here.type and i.sex == here.sex and i.minors == here.minors
            and tsel.distance_gained(person, i) > 100
        ]  # fmt: skip
        if not nearer or len(filed) >= len(people) * TRANSFER_REQUEST_SHARE:
            continue
        nearest = min(nearer, key=lambda i: site_distance_km(person.home_region, tsel.site_of(i)))
        on = today - timedelta(days=rng.randint(20, 200))
        actor = tserv.public_actor(f"kiosk:{person.pk}")
        request, _code = tserv.transfer_request_file(
            actor=actor, person=person, target=nearest.code, ground="closer_to_home", on=on,
            family=("minor_children",) if rng.random() < 0.3 else (), filed_by="person", with_code=False,
        )  # fmt: skip
        filed.append(request)
    decisions = 0
    planted: list[dict[str, Any]] = []
    by_target: dict[str, list[Any]] = {}
    for r in filed:
        by_target.setdefault(r.target, []).append(r)
    jumps = QUEUE_JUMPS
    for target, _requests in sorted(by_target.items()):
        line = tsel.queue_of(target, on=today)
        if len(line) < 2:
            continue
        jump = jumps > 0
        chosen = line[-1].request if jump else line[0].request
        try:  # a full institution refuses the transfer: that queue waits
            tserv.transfer_decide(
                officer=committee, request=chosen, grant=True, on=today,
                reason="Жедел қажеттілік" if jump else "",
            )  # fmt: skip
        except OverridePendingError as pending:  # a queue jump: a second member confirms it
            try:
                override_confirm(checker=deputy, override=pending.override, on=today)
            except InputError:
                continue
        except tserv.TransferRefusedError:
            continue
        if jump:  # granted ahead of the others: a planted queue jump
            planted.append({"kind": "queue_jumped", "person": chosen.person_id, "institution": target,
                            "officer": committee.get_username(), "on": today.isoformat(), "events": [],
                            "detail": {"request": chosen.number,
                                       "confirmed_by": deputy.get_username()}})  # fmt: skip
            jumps -= 1
        decisions += 1
    if planted:
        with (data_dir / PLANTED_FILE).open("ab") as out:
            for line_ in planted:
                out.write(orjson.dumps(line_) + b"\n")
    return len(filed), decisions


def _demo_password(username: str, full_name: str) -> str:
    """A random password the site's own validators accept (a random one can, rarely, look too much
    like the login to UserAttributeSimilarityValidator: the demo build then failed now and then)."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    probe = User(username=username, full_name=full_name)
    while True:
        password = secrets.token_urlsafe(9)
        try:
            password_validation.validate_password(password, probe)
        except ValidationError:
            continue
        return password


def _second_committee_member(committee: User) -> User:
    """Another member of the committee (no usable password): the second person who confirms the
    committee login's overrides in the demo (ADR 0037)."""
    other = User.objects.filter(role=Role.committee.value).exclude(pk=committee.pk).first()
    if other is not None:
        return other
    rng = random.Random("login:committee-2")  # noqa: S311 - synthetic data
    positions = position_in_every_language(ROLE_POSITIONS[Role.committee])
    user = User(
        username="committee-2",
        role=Role.committee.value,
        full_name=synthetic_name(rng, "male", kazakh=True)[0],
        **{f"position_{lang}": text for lang, text in positions.items()},
    )
    user.set_unusable_password()
    user.save()
    return user


def pending_override_load(*, logins: dict[str, dict[str, str]]) -> int:
    """One visit override awaiting the head of the demo logins' institution: its records officer
    asks to book a short visit beyond the booking window, with a reason (the head's list,
    "Overrides awaiting confirmation"). Returns the overrides recorded (0 or 1)."""
    from datetime import timedelta

    from django.utils import timezone

    from adaldyq.core.errors import InputError
    from adaldyq.web.overrides.services import OverridePendingError
    from adaldyq.web.visits.models import Room, Visitor
    from adaldyq.web.visits.services import visit_book

    officer = (
        User.objects.select_related("institution")
        .filter(username=logins.get(Role.records_officer.value, {}).get("username", ""))
        .exclude(institution=None)
        .first()
    )
    if officer is None or officer.institution is None:
        return 0
    room = Room.objects.filter(institution=officer.institution.code, kind="short").first()
    if room is None:
        return 0
    today = timezone.localdate()
    day = today + timedelta(days=room.book_max_days + 7)
    while day.isoweekday() not in room.weekdays:
        day += timedelta(days=1)
    visitors = (
        Visitor.objects.filter(status="approved", person__institution=officer.institution)
        .select_related("person")
        .order_by("person_id", "seq")[:20]
    )
    for v in visitors:
        try:
            visit_book(
                actor=officer, person=v.person, room=room, day=day, start=room.starts[0],
                visitors=[v.visitor], channel="staff", today=today,
                override_reason="Анасы вахтадан тек сол күні оралады: басқа күні келе алмайды.",
            )  # fmt: skip
        except OverridePendingError:
            return 1
        except InputError:
            continue
    return 0


#: Newly sentenced people the committee admitted from the judgments, awaiting placement (demo, D):
#: (sex, type set by the court, gravity, whether the home region is the regional login's). Each
#: type is one the demo's register holds for that sex, so that the rule has a proposal to show.
AWAITING: tuple[tuple[Sex, str, str, bool], ...] = (
    ("male", "medium", "medium", True),
    ("male", "maximum", "grave", False),
    ("female", "medium", "medium", False),
    ("male", "minimum", "minor", True),
    ("male", "medium", "grave", False),
    ("male", "maximum", "especially_grave", False),
)


def awaiting_placement_load(*, seed: int = 2026) -> int:
    """A handful of recent admissions by the committee, without an institution: sentenced, not yet
    placed (issue 13). Two have their home in the regional login's region. Returns how many."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from adaldyq.core.regions import load_regions
    from adaldyq.web.records import services as records
    from adaldyq.web.records.models import Person as PersonRow

    committee = User.objects.filter(role=Role.committee.value).order_by("pk").first()
    regional = User.objects.filter(role=Role.regional.value).exclude(region=None).first()
    if committee is None:
        return 0
    kinds = set(Institution.objects.filter(minors=False, medical=False).values_list("type", "sex"))
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    today = timezone.localdate()
    regions = [r.key for r in load_regions()]
    count = PersonRow.objects.count()
    made = 0
    for sex, type_, gravity, near_login in AWAITING:
        if (type_, sex) not in kinds:
            continue
        home = regional.region_id if near_login and regional is not None else rng.choice(regions)
        name_kk, _name_ru = synthetic_name(rng, sex)
        surname, given, patronymic = split_name(name_kk)
        start = today - timedelta(days=rng.randint(6, 40))
        number = f"PF-{count + made + 1:06d}"
        records.person_admit(
            officer=committee,
            person={
                "id": number, "number": number, "surname": surname, "given_name": given,
                "patronymic": patronymic, "sex": sex,
                "born": (today - timedelta(days=rng.randint(20 * 365, 55 * 365))).isoformat(),
                "sentence": {"start": start.isoformat(), "years": rng.randint(2, 9)},
                "gravity": gravity, "sentence_type": type_, "home_region": home,
                "institution": None, "condition": "regular",
                "on": (start + timedelta(days=rng.randint(1, 5))).isoformat(),
            },
        )  # fmt: skip
        made += 1
    return made


def demo_build(
    population: Any, *, data_dir: Path, progress: Callable[[int], None] | None = None
) -> DemoReport:
    """Load a whole population: register, officers, people through the ledger, logins."""
    return build(
        population.institutions,
        population.officers,
        population.people,
        data_dir=data_dir,
        progress=progress,
    )


def build(
    institutions: Sequence[DemoInstitution],
    officers: Sequence[Officer],
    people: Iterable[Person],
    *,
    data_dir: Path,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Register, officers, visit rooms, people through the ledger (streamed), the other apps' read
    models, logins, and the transfer queues."""
    report = DemoReport()
    with transaction.atomic():
        report.institutions = institutions_load(institutions)
        report.officers = officers_load(officers)
    report.rooms = visit_rooms_load(institutions)
    report.people, report.entries, report.planted = people_load(
        people, officers=officers, planted_path=data_dir / PLANTED_FILE, progress=progress
    )
    from adaldyq.web.records.services import other_read_models_rebuild

    other_read_models_rebuild()
    report.logins = logins_create(data_dir)
    report.requests, report.decisions = transfer_queues_load(data_dir=data_dir)
    report.awaiting = awaiting_placement_load()
    report.overrides = pending_override_load(logins=report.logins)
    from adaldyq.web.programme.demo import plant_for

    report.programme = plant_for(report.people, today=timezone.localdate(), data_dir=data_dir)
    report.sessions, report.session_entries = commission_sessions_load(
        data_dir / PLANTED_FILE, logins=report.logins
    )
    # Electronic monitoring of a share of the people on probation (issue 19, ADR 0043),
    # once every other part has its people (those on probation among them).
    from adaldyq.web.emonitoring.demo import feeds_plant

    report.monitoring = feeds_plant(today=timezone.localdate(), data_dir=data_dir)
    # The built ledger's head, signed with the deployment's key: what a witness first pins and checks.
    from adaldyq.web.records.checkpoints import sign_guarded

    report.checkpoint = sign_guarded(data_dir)
    # The dashboards' figures at that checkpoint, so that their first reader does not wait (ADR 0032).
    from adaldyq.web.dashboards.selectors import checkpoint, figures

    figures(size=checkpoint())
    # And the deviation register, stored for its page: the server's keeper refreshes it from there.
    from adaldyq.web.decisions.register_state import RegisterKeeper

    keeper = RegisterKeeper()
    try:
        keeper.step()
    finally:
        keeper.close()
    # The public figures at that checkpoint, for the portal (/figures/; ADR 0030).
    from adaldyq.web.portal.services import publication_publish

    publication_publish()
    return report
