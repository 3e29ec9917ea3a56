"""The scope check every view and API endpoint uses (docs/decisions/0005-roles-and-scopes.md).

people_visible_to(user)          a queryset of the people the user may read
can_read_person(user, person)    one person
can_record_facts(user, person)   records officer / head of the person's institution
can_write_notes(user)            oversight bodies (their own notes only)
can_see_register(user)           the deviation register: oversight bodies, the committee, regional
register_institutions(user)      the institutions whose flags the user sees (None: all of them)
can_read_entry(user, person)     one ledger entry as evidence, about `person` (None: no person)
is_staff(user)                   staff and oversight (not the prisoner, the legal department or
                                 the probation service)
is_signed_in(user)               any user who signed in
is_official(user)                any signed-in user but the prisoner's self-service
has_own_file(user)               the prisoner's self-service with their own file
in_probation_service(user)       the probation service
institutions_visible_to(user)    the codes of the institutions whose boards and queues the user reads
can_read_institution(user, code) one institution's visits board, closures, queue
can_enter_work_lists(user)       enters lists of hours at all (records officers, heads)
can_record_work(user, code)      registers places of work and study of an institution, enters a
                                 list of hours: its records officers and head (issue 19)
can_place(user)                  places people and decides transfers at all (the buttons)
can_decide_placement(user, p)    places or moves this person: the committee, a regional department
                                 for the people of its region
can_analyse(user)                the placement simulator and flags
can_read_decision(user, ...)     a commission decision, its PDF and case.json
can_confirm_decision(user, ...)  the head of the deciding institution (any institution: None); a
                                 departure from the proposal never by its recorder (ADR 0037)
can_read_notes(user, person)     the oversight bodies' notes on a file
can_see_file_readers(user, p)    who read a file: oversight bodies, and the prisoner their own
can_plan_programme(user)         plans officials' programme visits, records attendance, imports the
                                 list of officials: the Anti-Corruption Agency (issue 20)
can_answer_programme(user, code) confirms or refuses a programme visit's date: the host's head
can_confirm_override(user, o)    confirms or refuses another person's override (ADR 0037): for a
                                 visit the head of the institution or its regional department, for
                                 a placement or transfer whoever places the person
can_read_override(user, o)       an override's page: staff who read the person's file
overrides_confirmable_by(user)   the pending overrides `user` may settle (their own excluded)
confirms_heads_departures(user)  the departures from the proposal its heads recorded: a regional
                                 department (ADR 0037)
can_read_probation_register(u)   the probation register, figures and electronic monitoring
probation_regions(user)          the regions whose probation files the user reads (None: all)
can_read_probation(user, region) one probation file: the service of its region, the committee and
                                 the oversight bodies (issue 19)
can_record_probation(user, r)    records check-ins, violations, programmes: the service of its region
can_record_monitoring(user)      records a public council's monitoring visit, makes its observations
                                 assignments with a due date: the public council (issue 20)
can_answer_monitoring(user, code) answers an assignment of a monitoring visit: the head of the
                                 visited institution
can_import_paper(user)           imports transcribed paper files into their institution's files: a
                                 records officer or a head (issue 23); a head settles two readings
                                 of a page that differ (`can_confirm_entries`), never one who read it

The main menu's links, each shown by one of these predicates (the one its page's view calls), are
the table of `adaldyq.web.accounts.menu`.

The table of every route x role x scope these answers give is `tests/web/test_permission_matrix.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from adaldyq.web.accounts.roles import (
    FACT_WRITERS,
    INSTITUTION_ROLES,
    LAW_ADMINS,
    OVERSIGHT_ROLES,
    PLACEMENT_ANALYSTS,
    PLACEMENT_DECIDERS,
    PROBATION_READERS,
    PROBATION_ROLES,
    READ_ALL_ROLES,
    REGISTER_READERS,
    STAFF_ROLES,
    Role,
)
from adaldyq.web.records.models import Person
from adaldyq.web.rows import by_pk

if TYPE_CHECKING:
    from adaldyq.web.accounts.models import User

    #: Whoever asks (`request.user`): a user who signed in, or the anonymous visitor.
    Asker: TypeAlias = User | AnonymousUser


def _role(user: Asker) -> Role | None:
    role = getattr(user, "role", "")
    if not getattr(user, "is_authenticated", False) or not role:
        return None
    return Role(role)


def _signed_in(user: Asker) -> tuple[User, Role] | None:
    """`user` and their role when they signed in with one (the anonymous visitor has none)."""
    role = _role(user)
    if role is None or isinstance(user, AnonymousUser):
        return None
    return user, role


T = TypeVar("T")


def _by_role(user: Asker, nobody: T, everyone: T, limited: Callable[[User, Role], T]) -> T:
    """What `user` sees, in one place for every scope: `nobody` without a role (the anonymous
    visitor), `everyone` for the read-all roles, else what `limited` gives for the user and role."""
    signed_in = _signed_in(user)
    if signed_in is None:
        return nobody
    if signed_in[1] in READ_ALL_ROLES:
        return everyone
    return limited(*signed_in)


def _codes_by_role(
    user: Asker, limited: Callable[[User, Role], frozenset[str]]
) -> frozenset[str] | None:
    """The codes (of institutions, of regions) `user` sees: none without a role, None (all of them)
    for the read-all roles, else those `limited` gives."""
    nobody: frozenset[str] = frozenset()
    return _by_role(user, nobody, None, limited)


def _institution_code(user: Asker) -> str:
    """The code of `user`'s institution ("" for none, without a query)."""
    if isinstance(user, AnonymousUser) or not user.institution_id:
        return ""
    institution = user.institution
    return institution.code if institution is not None else ""


def scope_key(user: Asker) -> tuple[Any, ...]:
    """Everything of `user` that the functions of this module read to decide what they may see: the
    key under which a query built from them may be kept (`adaldyq.web.rows.count_of`)."""
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    return (
        user.pk,
        user.get_username(),
        getattr(user, "role", ""),
        getattr(user, "institution_id", None),
        getattr(user, "region_id", None),
        getattr(user, "person_id", None),
    )


def people_visible_to(user: Asker, people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The people `user` may read; nobody for an anonymous user or a user without a role."""
    qs = people if people is not None else Person.objects.all()

    def limited(user: User, role: Role) -> QuerySet[Person]:
        if role in INSTITUTION_ROLES:
            return (
                qs.filter(institution_id=user.institution_id) if user.institution_id else qs.none()
            )
        if role is Role.regional:  # and the newly sentenced from the region awaiting placement
            if not user.region_id:
                return qs.none()
            return qs.filter(
                Q(institution__region_id=user.region_id)
                | Q(institution__isnull=True, released_on__isnull=True, home_region=user.region_id)
            )
        if role is Role.prisoner:
            return qs.filter(pk=user.person_id) if user.person_id else qs.none()
        return qs.none()

    return _by_role(user, qs.none(), qs, limited)


def can_read_person(user: Asker, person: Person) -> bool:
    def limited(user: User, role: Role) -> bool:
        if role in INSTITUTION_ROLES:
            return user.institution_id is not None and person.institution_id == user.institution_id
        if role is Role.regional:
            if person.institution is None:  # awaiting placement; a released person is out of scope
                return (
                    bool(user.region_id)
                    and person.released_on is None
                    and person.home_region == user.region_id
                )
            return person.institution.region_id == user.region_id
        if role is Role.prisoner:
            return user.person_id == person.pk
        return False

    return _by_role(user, False, True, limited)


def person_in_scope(user: Asker, person_id: str) -> Person:
    """The person `person_id`, whose file `user` may read (with the institution and its region):
    Http404 when there is none, PermissionDenied when the file is outside the user's scope."""
    # Person.objects.select_related("institution__region").get(pk=...), without building the query
    # for every opening (adaldyq.web.rows).
    person: Person | None = by_pk(Person, person_id, ("institution", "region"))
    if person is None:
        raise Http404
    require(can_read_person(user, person))
    return person


def can_record_facts(user: Asker, person: Person) -> bool:
    role = _role(user)
    return role in FACT_WRITERS and can_read_person(user, person)


def can_confirm_entries(user: Asker) -> bool:
    """Heads confirm (or refuse) the entries proposed for their confirmation: facts recorded very
    late, withdrawals of old penalties (issue 15); each one only within their scope of people."""
    return _role(user) is Role.head


def can_import_paper(user: Asker) -> bool:
    """Records officers and heads of an institution import its paper files (issue 23)."""
    return _role(user) in FACT_WRITERS and getattr(user, "institution_id", None) is not None


def can_write_notes(user: Asker) -> bool:
    return _role(user) in OVERSIGHT_ROLES


def can_see_register(user: Asker) -> bool:
    """Oversight bodies, the committee and regional departments see the deviation register."""
    return _role(user) in REGISTER_READERS


def register_institutions(user: Asker) -> frozenset[str] | None:
    """The codes of the institutions whose flags `user` sees: None for all (read-all roles), those
    of their region for a regional department (its scope of people, ADR 0005)."""
    return _codes_by_role(user, _region_institutions)


def _region_institutions(user: User, role: Role) -> frozenset[str]:
    if role is Role.regional and user.region_id:
        from adaldyq.web.institutions.models import Institution

        codes = Institution.objects.filter(region_id=user.region_id).values_list("code", flat=True)
        return frozenset(codes)
    return frozenset()


def can_read_entry(user: Asker, person: Person | None) -> bool:
    """A ledger entry shown as evidence: register readers, and of a person only within their scope."""
    if not can_see_register(user):
        return False
    return person is None or can_read_person(user, person)


def can_read_log_entries(user: Asker) -> bool:
    """The ledger's entry bundles (every file's entries, /ledger/tile/entries/...): the roles that read
    every file (the committee, oversight bodies)."""
    return _role(user) in READ_ALL_ROLES


def is_staff(user: Asker) -> bool:
    """Staff and oversight (`STAFF_ROLES`): the visits board, the transfers, the parole due, the
    programme and monitoring visits, the work report and the paper files."""
    return _role(user) in STAFF_ROLES


def is_signed_in(user: Asker) -> bool:
    """Any user who signed in (the institutions' register)."""
    return bool(getattr(user, "is_authenticated", False))


def is_official(user: Asker) -> bool:
    """Any signed-in user but the prisoner's self-service: the people search, the ledger's page and
    the commission's sittings (a prisoner goes to their own decisions, `has_own_file`)."""
    return is_signed_in(user) and getattr(user, "role", "") != Role.prisoner


def has_own_file(user: Asker) -> bool:
    """The prisoner's self-service with their own file: its visits, transfers and decisions."""
    return _role(user) is Role.prisoner and bool(getattr(user, "person_id", None))


def in_probation_service(user: Asker) -> bool:
    """The probation service (issue 19): its register is its work; it reads no prison file."""
    return _role(user) in PROBATION_ROLES


def institutions_visible_to(user: Asker) -> frozenset[str] | None:
    """The codes of the institutions whose boards, closures and queues `user` reads: None for all
    (read-all roles), the region's for a regional department, their own for its staff, none for a
    prisoner."""

    def limited(user: User, role: Role) -> frozenset[str]:
        if role in INSTITUTION_ROLES:
            code = _institution_code(user)
            return frozenset({code}) if code else frozenset()
        return _region_institutions(user, role)

    return _codes_by_role(user, limited)


def can_read_institution(user: Asker, code: str) -> bool:
    """One institution's visits board, closures and transfer queue (no code: nobody's)."""
    visible = institutions_visible_to(user)
    if visible is None:
        return _role(user) is not None
    return bool(code) and code in visible


def can_enter_work_lists(user: Asker) -> bool:
    """Enters lists of hours at all (each institution: `can_record_work`): records officers and
    heads; the other staff read the month's report."""
    return _role(user) in FACT_WRITERS


def can_record_work(user: Asker, code: str) -> bool:
    """Registers places of work and study of institution `code` and enters their lists of hours."""
    return can_enter_work_lists(user) and can_read_institution(user, code)


def can_place(user: Asker) -> bool:
    """Whether `user` places people and decides transfers at all (each person: can_decide_placement)."""
    return _role(user) in PLACEMENT_DECIDERS


def can_decide_placement(user: Asker, person: Person) -> bool:
    """Places or moves `person`: the committee anyone, a regional department the people of its
    region (placed there, or awaiting placement from it). A move never starts from outside the
    decider's scope, so it cannot bring a file into it."""
    return can_place(user) and can_read_person(user, person)


def can_analyse(user: Asker) -> bool:
    """The placement simulator and flags (the flags each within the user's institutions)."""
    return _role(user) in PLACEMENT_ANALYSTS


def can_read_decision(user: Asker, *, person: Person, institution: str) -> bool:
    """A commission decision, its PDF and case.json: whoever reads the person's file, and register
    readers whose institutions include the one that decided (its evidence)."""
    if can_read_person(user, person):
        return True
    if not can_see_register(user):
        return False
    visible = register_institutions(user)
    return visible is None or institution in visible


def can_confirm_decision(
    user: Asker,
    *,
    institution: str | None = None,
    recorded_by: str | None = None,
    deviates: bool = False,
) -> bool:
    """Confirms a commission's decision: the head of the institution whose commission decided (with
    `institution` None: the head of any institution, for the list awaiting confirmation).

    A decision that departs from the engine's proposal is an override (ADR 0037): never confirmed
    by the person who recorded it; when its head recorded it, the regional department of the
    institution's region confirms it.
    """
    role = _role(user)
    if deviates and recorded_by is not None and user.get_username() == recorded_by:
        return False
    if role is Role.regional and deviates and recorded_by and institution:
        return institution in (register_institutions(user) or ()) and _is_head(
            recorded_by, institution
        )
    code = _institution_code(user) if role is Role.head else ""
    if not code:
        return False
    return institution is None or code == institution


def _is_head(username: str, institution: str) -> bool:
    from adaldyq.web.accounts.models import User

    return User.objects.filter(
        username=username, role=Role.head.value, institution__code=institution
    ).exists()


def can_read_notes(user: Asker, person: Person) -> bool:
    """The oversight bodies' notes: the oversight bodies only (staff do not read what is said of
    them, ADR 0005 amended)."""
    return _role(user) in OVERSIGHT_ROLES and can_read_person(user, person)


def can_see_file_readers(user: Asker, person: Person) -> bool:
    """Who read a file: the oversight bodies, and the prisoner their own file (issue 16)."""
    role = _role(user)
    if role in OVERSIGHT_ROLES:
        return True
    return role is Role.prisoner and can_read_person(user, person)


def can_plan_programme(user: Asker) -> bool:
    """The officials' programme visits (issue 20): the Anti-Corruption Agency plans them."""
    return _role(user) is Role.anticorruption


def can_answer_programme(user: Asker, host: str) -> bool:
    """The head of the host institution confirms or refuses a programme visit's date."""
    code = _institution_code(user) if _role(user) is Role.head else ""
    return bool(code) and bool(host) and code == host


def can_record_monitoring(user: Asker) -> bool:
    """A public council's monitoring visits (issue 20): its members record them and assign their
    observations; every staff role reads those of the institutions it sees (`can_read_institution`)."""
    return _role(user) is Role.public_council


def can_answer_monitoring(user: Asker, institution: str) -> bool:
    """The head of the visited institution answers the assignments of a monitoring visit."""
    code = _institution_code(user) if _role(user) is Role.head else ""
    return bool(code) and bool(institution) and code == institution


def can_amend_law(user: Asker) -> bool:
    """Propose amendments to the law pack, and review another administrator's (ADR 0026)."""
    return _role(user) in LAW_ADMINS


def can_confirm_override(user: Asker, override: Any) -> bool:
    """Confirms or refuses an override (ADR 0037); never its maker (the service says so apart).

    A visit beyond the rules: the head of the institution, or the regional department of its region
    (who confirms the head's own). A placement or transfer: the committee or the person's regional
    department (`can_decide_placement`), the same authority that decides them.
    """
    role = _role(user)
    if role is None:
        return False
    if override.kind == "visit_booking":
        if role is Role.head:
            code = _institution_code(user)
            return bool(code) and code == override.institution
        if role is Role.regional:
            visible = register_institutions(user)
            return visible is not None and override.institution in visible
        return False
    if override.kind in ("placement", "transfer"):
        return can_decide_placement(user, override.person)
    return False


def confirms_overrides(user: Asker) -> bool:
    """Confirms some overrides (ADR 0037), each as `can_confirm_override` says: a head (visits beyond
    the rules), a regional department and the committee (placements and transfers)."""
    return _role(user) in _OVERRIDE_CONFIRMERS


_OVERRIDE_CONFIRMERS = PLACEMENT_DECIDERS | {Role.head}


def confirms_heads_departures(user: Asker) -> bool:
    """A regional department confirms the commission's decisions departing from the engine's
    proposal that the head of an institution of its region recorded (ADR 0037)."""
    return _role(user) is Role.regional


def can_read_override(user: Asker, override: Any) -> bool:
    """An override with its grounds and both names: staff and oversight who read the person's file."""
    return is_staff(user) and can_read_person(user, override.person)


def overrides_confirmable_by(user: Asker) -> QuerySet[Any]:
    """The pending overrides `user` may confirm or refuse, oldest first (their own left out)."""
    from adaldyq.web.overrides.models import PENDING, Override

    qs = Override.objects.filter(status=PENDING).select_related("person__institution")
    role = _role(user)
    if role is None:
        return qs.none()
    qs = qs.exclude(requested_by=user.get_username())
    visits = Q(kind="visit_booking")
    moves = Q(kind__in=("placement", "transfer"))
    if role is Role.head:
        code = _institution_code(user)
        return qs.filter(visits, institution=code) if code else qs.none()
    if role is Role.regional:
        codes = register_institutions(user) or frozenset()
        people = people_visible_to(user).values("pk")
        return qs.filter((visits & Q(institution__in=codes)) | (moves & Q(person__in=people)))
    if role in PLACEMENT_DECIDERS:
        return qs.filter(moves)
    return qs.none()


def probation_regions(user: Asker) -> frozenset[str] | None:
    """The regions whose probation files `user` reads: None for all (the committee, oversight),
    their own for the probation service, none for anyone else."""

    def limited(user: User, role: Role) -> frozenset[str]:
        if role in PROBATION_ROLES and user.region_id:
            return frozenset({str(user.region_id)})
        return frozenset()

    return _codes_by_role(user, limited)


def can_read_probation_register(user: Asker) -> bool:
    """The probation register, its figures and the electronic monitoring (each within
    `probation_regions`): the probation service, the committee and the oversight bodies."""
    return _role(user) in PROBATION_READERS


def can_read_probation(user: Asker, region: str) -> bool:
    """One probation file (the person's home region): see `probation_regions`."""
    if not can_read_probation_register(user):
        return False
    regions = probation_regions(user)
    return regions is None or region in regions


def can_record_probation(user: Asker, region: str) -> bool:
    """Records in a probation file: the probation service of the person's region."""
    return in_probation_service(user) and can_read_probation(user, region)


def require(allowed: bool) -> None:
    """Raise PermissionDenied (HTTP 403) unless `allowed`."""
    if not allowed:
        raise PermissionDenied
