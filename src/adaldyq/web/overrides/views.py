"""Pages of the overrides (ADR 0037): the list awaiting the reader's confirmation, and one override
with the facts, the law's answer and the maker's reason, confirmed or refused by a second person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import (
    can_confirm_override,
    can_read_override,
    is_staff,
    require,
)
from adaldyq.web.overrides import selectors, services
from adaldyq.web.overrides.models import PENDING, Override
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record
from adaldyq.web.submit import form_page


@login_required
def overrides(request: HttpRequest) -> HttpResponse:
    """Overrides awaiting the reader's confirmation, their own awaiting a second person, and for
    the register's readers the settled ones with both names."""
    require(is_staff(request.user))
    awaiting = [selectors.shown(o) for o in selectors.awaiting(request.user)]
    mine = [selectors.shown(o) for o in selectors.asked_by(request.user)]
    settled = [selectors.shown(o) for o in selectors.settled(request.user)]
    decisions = selectors.decisions_awaiting(request.user)
    people = Person.objects.in_bulk({d.person_id for d in decisions})
    rows = [{"d": d, "person": people.get(d.person_id)} for d in decisions]
    shown = {s.o.person_id for s in (*awaiting, *mine, *settled)} | set(people)
    if shown:
        access_record(user=request.user, page="overrides:list", people=sorted(shown))
    return render(
        request,
        "overrides/list.html",
        {
            "awaiting": awaiting,
            "mine": mine,
            "settled": settled,
            "decisions": rows,
            "count": len(awaiting) + len(rows),
        },
    )


@form_page
def override(request: HttpRequest, seq: int) -> HttpResponse:
    """One override; a second person with the authority confirms it or refuses it with a reason."""
    o = get_object_or_404(Override.objects.select_related("person__institution"), pk=seq)
    require(can_read_override(request.user, o))
    may_settle = can_confirm_override(request.user, o)
    status = 200
    if request.method == "POST":
        require(may_settle)
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                services.override_confirm(checker=request.user, override=o)
                messages.success(request, _("Confirmed: the override has taken effect."))
            elif action == "refuse":
                services.override_refuse(
                    checker=request.user, override=o, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Refused: the override is closed and nothing changed."))
            else:
                messages.error(request, _("Choose to confirm or to refuse."))
        except InputError as exc:
            messages.error(request, exc.diagnostics())
            status = 409
        else:
            return redirect("overrides:override", seq=o.seq)
        o.refresh_from_db()
    else:
        access_record(user=request.user, page="overrides:override", people=[o.person_id])
    context = {
        "s": selectors.shown(o),
        "o": o,
        "may_settle": may_settle and o.status == PENDING,
        "own": o.requested_by == request.user.get_username(),
    }
    return render(request, "overrides/override.html", context, status=status)
