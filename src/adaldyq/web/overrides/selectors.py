"""Reads of the overrides (ADR 0037): what awaits whom, and an override in the reader's words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from adaldyq.web.accounts.scope import (
    can_see_register,
    overrides_confirmable_by,
    people_visible_to,
)
from adaldyq.web.overrides.models import PENDING, Override

KIND_NAMES: dict[str, Any] = {
    "visit_booking": _("A visit beyond the rules"),
    "placement": _("A placement departing from the rules"),
    "transfer": _("A transfer departing from the rules"),
}
RULE_NAMES: dict[str, Any] = {
    "entitlement_used": _("the year's entitlement is used up"),
    "not_allowed_in_condition": _("no such visits in the person's conditions"),
    "booking_window": _("outside the booking window"),
    "whereabouts": _("the person is held where visitors cannot come"),
    "already_booked": _("another visit is booked for these days"),
    "against_proposal": _("a placement other than the system's proposal"),
    "over_capacity": _("an institution at or over its population limit"),
    "queue_order": _("requests ahead in the queue"),
}


def awaiting(user: Any) -> QuerySet[Override]:
    """The overrides awaiting `user`'s confirmation (scope: `accounts.scope`), oldest first."""
    return overrides_confirmable_by(user).order_by("seq")


def decisions_awaiting(user: Any) -> list[Any]:
    """Commission decisions departing from the engine's proposal that await `user`'s confirmation:
    overrides too, confirmed on the decision's page (decisions.selectors.deviations_awaiting)."""
    from adaldyq.web.decisions.selectors import deviations_awaiting

    return deviations_awaiting(user)


def asked_by(user: Any) -> QuerySet[Override]:
    """The user's own overrides still waiting for a second person."""
    if not getattr(user, "is_authenticated", False):
        return Override.objects.none()
    return Override.objects.filter(status=PENDING, requested_by=user.get_username()).order_by("seq")


def settled(user: Any, *, limit: int = 200) -> QuerySet[Override]:
    """Confirmed and refused overrides with both names, newest first: for the register's readers
    (oversight bodies, the committee, regional departments), within the people they read."""
    if not can_see_register(user):
        return Override.objects.none()
    people = people_visible_to(user).values("pk")
    return (
        Override.objects.exclude(status=PENDING)
        .filter(person__in=people)
        .select_related("person")
        .order_by("-seq")[:limit]
    )


@dataclass
class Shown:
    """An override as its page shows it: the law's answer when asked, in the reader's language."""

    o: Override
    kind: str
    rules: list[str]
    answers: list[str] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)


def shown(o: Override) -> Shown:
    """The override's kind, rules and grounds in words (the maker's reason is the row's)."""
    from adaldyq.web.accounts.templatetags.site_tags import institution_name

    out = Shown(
        o=o,
        kind=str(KIND_NAMES.get(o.kind, o.kind)),
        rules=[str(RULE_NAMES.get(r, r)) for r in o.rules],
    )
    g, a = o.grounds, o.action
    if o.kind == "visit_booking":
        from adaldyq.web.visits.selectors import Refusal

        for r in g.get("refusals", []):
            try:
                out.answers.append(Refusal(r["rule"], dict(r.get("params", {}))).message())
            except (KeyError, TypeError, ValueError):
                out.answers.append(str(RULE_NAMES.get(r.get("rule"), r.get("rule"))))
        day = date_format(date.fromisoformat(a["day"]), "DATE_FORMAT") if a.get("day") else ""
        out.asked = [
            (str(_("Day of the visit")), " ".join(x for x in (day, a.get("start", "")) if x)),
            (str(_("Institution")), institution_name(o.institution)),
        ]
        return out
    occ = g.get("occupancy") or {}
    if occ:
        out.answers.append(
            str(_("%(institution)s holds %(held)s people for a limit of %(capacity)s."))
            % {
                "institution": institution_name(o.institution),
                "held": occ.get("before", "?"),
                "capacity": occ.get("capacity", "?"),
            }
        )
    if o.kind == "placement" and "against_proposal" in o.rules:
        out.answers.append(
            str(_("The system proposed %(proposed)s."))
            % {"proposed": institution_name(g.get("proposed") or "") or "—"}
        )
    skipped = (g.get("queue") or {}).get("skipped") or []
    if skipped:
        out.answers.append(
            str(_("Requests ahead in the queue: %(requests)s.")) % {"requests": ", ".join(skipped)}
        )
    out.asked = [(str(_("To")), institution_name(o.institution))]
    if a.get("request"):
        out.asked.append((str(_("Request")), str(a["request"])))
    return out
