"""Roles and what each may see and write (docs/decisions/0005-roles-and-scopes.md)."""

from __future__ import annotations

import enum

from django.utils.translation import gettext_lazy as _


class Role(enum.StrEnum):
    """Who a user is; the role fixes the scope kind (institution, region, all, own file)."""

    records_officer = "records_officer"
    head = "head"
    regional = "regional"
    committee = "committee"
    prosecutor = "prosecutor"
    anticorruption = "anticorruption"
    ombudsman = "ombudsman"
    public_council = "public_council"
    prisoner = "prisoner"
    law_admin = "law_admin"
    probation_officer = "probation_officer"


ROLE_LABELS = {
    Role.records_officer: _("Records officer"),
    Role.head: _("Head of institution"),
    Role.regional: _("Regional department"),
    Role.committee: _("Committee of the penal system"),
    Role.prosecutor: _("Prosecutor"),
    Role.anticorruption: _("Anti-corruption agency"),
    Role.ombudsman: _("Ombudsman"),
    Role.public_council: _("Public council"),
    Role.prisoner: _("Prisoner (self-service)"),
    Role.law_admin: _("Law-pack administrator (legal department)"),
    Role.probation_officer: _("Probation officer (Ministry of Internal Affairs)"),
}

INSTITUTION_ROLES = frozenset({Role.records_officer, Role.head})
REGION_ROLES = frozenset({Role.regional})
OVERSIGHT_ROLES = frozenset(
    {Role.prosecutor, Role.anticorruption, Role.ombudsman, Role.public_council}
)
READ_ALL_ROLES = frozenset({Role.committee}) | OVERSIGHT_ROLES
FACT_WRITERS = frozenset({Role.records_officer, Role.head})
#: Who reads the deviation register and its evidence entries (each within their scope of people).
REGISTER_READERS = READ_ALL_ROLES | REGION_ROLES
#: Who places people and decides transfers: the committee anywhere, a regional department for the
#: people of its region (ADR 0005, amended).
PLACEMENT_DECIDERS = frozenset({Role.committee}) | REGION_ROLES
#: Who runs the placement simulator and reads the placement flags (each within their scope).
PLACEMENT_ANALYSTS = PLACEMENT_DECIDERS | OVERSIGHT_ROLES
#: Staff and oversight: every signed-in role but the prisoner's self-service.
STAFF_ROLES = INSTITUTION_ROLES | PLACEMENT_DECIDERS | OVERSIGHT_ROLES
#: The ministry's legal department: proposes amendments to the law pack and reviews another's
#: (ADR 0026); reads no personal file.
LAW_ADMINS = frozenset({Role.law_admin})
#: The probation service (issue 19): the people on probation of its region, their duties, check-ins,
#: violations and programmes; it reads no prison file.
PROBATION_ROLES = frozenset({Role.probation_officer})
#: Who reads the probation register and its figures: the service in its region, the committee and
#: the oversight bodies everywhere.
PROBATION_READERS = PROBATION_ROLES | READ_ALL_ROLES
#: Who must sign in with a second factor, a code from an authenticator (TOTP), after the password
#: (ADR 0039): whoever decides about people (heads, the regional department, the committee), oversees
#: those decisions (the four oversight bodies) or changes the law the engine applies (law_admin).
#: Records officers and probation officers (they record facts) may enrol; the prisoner's
#: self-service kiosk has no authenticator.
TWO_FACTOR_ROLES = (
    frozenset({Role.head, Role.committee, Role.law_admin}) | REGION_ROLES | OVERSIGHT_ROLES
)
#: Who may enrol an authenticator at all (required or by choice).
TWO_FACTOR_OPTIONAL_ROLES = STAFF_ROLES | LAW_ADMINS | PROBATION_ROLES
