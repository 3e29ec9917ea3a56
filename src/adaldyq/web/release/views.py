"""Pages of release by the law (issue 19): who is due for parole or substitution this month.

Who may see what is decided in `accounts.scope` (ADR 0005): staff read the list of an institution
they see; the list names files, so every showing is recorded (`files_listed`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import (
    can_read_institution,
    can_read_person,
    can_record_facts,
    institutions_visible_to,
    is_staff,
    person_in_scope,
    require,
)
from adaldyq.web.downloads import download
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import file_of_rows
from adaldyq.web.records.services import access_record
from adaldyq.web.release import forms, selectors, services
from adaldyq.web.submit import recorded_post


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


def _person(request: HttpRequest, person_id: str) -> Person:
    person = person_in_scope(request.user, person_id)
    require(is_staff(request.user))
    return person


def _home_of(person: Person) -> str:
    """The region a release proposes: where the person lives, else their institution's."""
    if person.home_region:
        return str(person.home_region)
    return str(person.institution.region_id) if person.institution is not None else ""


@login_required
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    """One person's way out: the law's answer for parole and substitution today, the submissions to
    the court, its decisions and the release, and the forms to record them."""
    p = _person(request, person_id)
    lang = (get_language() or "kk")[:2]
    standing = selectors.standing_of(p)
    access_record(user=request.user, page="release:person", people=[p.pk])
    today = timezone.localdate()
    context = {
        "person": p,
        "answers": [(r, r.conditions(lang)) for r in standing.answers],
        "court_facts": standing.court_facts,
        "writer": can_record_facts(request.user, p),
        "submission_form": forms.SubmissionForm(initial={"on": today}),
        "decision_form": forms.DecisionForm(initial={"on": today}),
        "release_form": forms.ReleaseForm(initial={"on": today, "region": _home_of(p)}),
    }
    return render(request, "release/person.html", context)


def _recorded(
    request: HttpRequest,
    person_id: str,
    form_class: Any,
    write: Callable[[Person, Any], object],
    then: Callable[[Person], HttpResponse] | None = None,
) -> HttpResponse:
    """A court or release fact posted on the person's page: the person in scope, the form valid,
    then `write(person, form)` recorded, each outcome said on the page it came from (or, once
    recorded, on the page `then` names)."""
    p = _person(request, person_id)
    require(can_record_facts(request.user, p))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fields of the form."))
        return redirect("release:person", p.pk)
    try:
        write(p, form)
    except InputError as exc:
        messages.error(request, exc.diagnostics())
    else:
        messages.success(request, _("Recorded in the personal file."))
        if then is not None:
            return then(p)
    return redirect("release:person", p.pk)


@recorded_post
def submit(request: HttpRequest, person_id: str) -> HttpResponse:
    return _recorded(request, person_id, forms.SubmissionForm, lambda p, f: services.submission_record(
        officer=request.user, person=p, ground=f.cleaned_data["ground"], on=f.cleaned_data["on"],
        court=f.cleaned_data["court"]))  # fmt: skip


@recorded_post
def decide(request: HttpRequest, person_id: str) -> HttpResponse:
    return _recorded(request, person_id, forms.DecisionForm, lambda p, f: services.court_decision_record(
        officer=request.user, person=p, fact=f.fact()))  # fmt: skip


@recorded_post
def release(request: HttpRequest, person_id: str) -> HttpResponse:
    """The release: the person leaves the institution, so its staff go back to the month's list."""
    code = getattr(_person(request, person_id).institution, "code", "")

    def then(p: Person) -> HttpResponse:
        p.refresh_from_db()
        if can_read_person(request.user, p):
            return redirect("release:person", p.pk)
        return redirect(f"{reverse('release:due')}?institution={code}")

    return _recorded(request, person_id, forms.ReleaseForm, lambda p, f: services.release_record(
        officer=request.user, person=p, fact=f.fact()), then)  # fmt: skip


@login_required
def submission(request: HttpRequest, person_id: str, seq: int) -> HttpResponse:
    """The submission to the court as a PDF in kk or ru (en for a reader of English): the facts of
    the file each with its ledger entry, the law's answer with its conditions, the re-socialisation
    programme with its reviews and the damage paid, and a QR code to `/verify/<code>` for the
    submission's own entry."""
    from adaldyq.web.decisions.pdf import document_pdf

    p = _person(request, person_id)
    fact = get_object_or_404(Fact, pk=seq, person=p, kind="court_submitted")
    lang = request.GET.get("lang") or (get_language() or "kk")[:2]
    if lang not in ("kk", "ru", "en"):
        raise Http404
    with translation.override(lang):
        standing = selectors.standing_of(p, on=fact.on)
        code = selectors.short_code_of(fact)
        ground = fact.data.get("ground")
        facts = [f for f in standing.facts if f.seq <= fact.seq]
        context = {
            "person": p,
            "fact": fact,
            "code": code,
            "answers": [(r, r.conditions(lang)) for r in standing.answers if r.due.kind == ground],
            "facts": facts,
            # the programme and its reviews, and the damage paid, as the file said on the day
            "programme": file_of_rows(p.pk, facts).programme(),
            "verify_url": request.build_absolute_uri(reverse("verify", args=[code])),
        }
    pdf = document_pdf("release/submission.html", context, lang)
    access_record(user=request.user, page="release:submission", people=[p.pk])
    return download(pdf, f"submission-{code}.pdf", inline=True)
