"""Pages of release by the law (issue 19): who is due for parole or substitution this month.

Who may see what is decided in `accounts.scope` (ADR 0005): staff read the list of an institution
they see; the list names files, so every showing is recorded (`files_listed`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from adaldyq.web.accounts.scope import (
    can_read_institution,
    institutions_visible_to,
    is_staff,
    require,
)
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.services import access_record
from adaldyq.web.release import selectors


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """The people of one institution whose parole or substitution date falls in the next three
    months, with the law's answer and what it lacks."""
    require(is_staff(request.user))
    visible = institutions_visible_to(request.user)
    institutions = Institution.objects.select_related("region").order_by("code")
    if visible is not None:
        institutions = institutions.filter(code__in=visible)
    code = request.GET.get("institution") or ""
    if not code and visible is not None and len(visible) == 1:
        code = next(iter(visible))
    try:
        month = selectors.month_of(request.GET.get("month"))
    except ValueError:
        raise Http404 from None
    institution = None
    rows: list[selectors.DueRow] = []
    if code:
        require(can_read_institution(request.user, code))
        institution = Institution.objects.filter(code=code).first()
        if institution is None:
            raise Http404
        rows = selectors.parole_due(institution=institution, month=month)
        access_record(user=request.user, page="release:due", people=(r.person.pk for r in rows))
    lang = (get_language() or "kk")[:2]
    context = {
        "institutions": institutions,
        "institution": institution,
        "code": code,
        "month": month,
        "months": selectors.MONTHS_AHEAD,
        "rows": [(r, r.conditions(lang)) for r in rows],
    }
    return render(request, "release/due.html", context)
