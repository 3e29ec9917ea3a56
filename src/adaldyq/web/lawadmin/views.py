"""Pages of the law-pack administration (issue 22, ADR 0026): the amendments, a proposal with its
source document, and the review of another administrator's proposal with its impact first.

Only the legal department (`law_admin`, `accounts.scope.can_amend_law`) opens them; no page here shows
a personal file's facts, only who would get another answer, by file number and institution.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adaldyq.law.amendments import AmendmentError
from adaldyq.law.messages import CONDITION_NAMES, ENTITLEMENT_NAMES
from adaldyq.web.accounts.scope import can_amend_law, require
from adaldyq.web.idempotency.keys import idempotent
from adaldyq.web.lawadmin import forms
from adaldyq.web.records.amendments import (
    amendment_book,
    amendment_decide,
    amendment_propose,
    impact,
)
from adaldyq.web.records.selectors import law_pack

#: The answers the preview compares (`records.amendments._answers`), in words.
ANSWERS = {
    "qualifies_for_degree": gettext_lazy("Degree qualified for"),
    "may_move_to": gettext_lazy("Conditions open to a transfer"),
    "release_on": gettext_lazy("Release date"),
    "parole_from": gettext_lazy("Parole possible from"),
    "substitution_from": gettext_lazy("Substitution of the sentence possible from"),
}
STATUSES = {
    "proposed": gettext_lazy("awaiting review"),
    "approved": gettext_lazy("approved, in force from its date"),
    "refused": gettext_lazy("refused"),
}


def _lang() -> str:
    lang = translation.get_language() or "en"
    return lang if lang in ("kk", "ru", "en") else "en"


def answer_name(key: str) -> str:
    """What changes, in the reader's language."""
    if key.startswith("entitlement:"):
        name = key.split(":", 1)[1]
        return ENTITLEMENT_NAMES.get(name, {}).get(_lang(), name)
    return str(ANSWERS.get(key, key))


def shown(value: Any) -> str:
    """A value of an answer or a figure, in the reader's language."""
    if value is None:
        return _("not determinable")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        names = CONDITION_NAMES[_lang()]
        return ", ".join(str(names.get(v, v)) for v in value) if value else _("none")
    return str(value)


#: The preview lists at most this many changes on the page (the counts cover all).
PREVIEW_ROWS = 200


@login_required
@idempotent
def amendments(request: HttpRequest) -> HttpResponse:
    """Every amendment and its state; the form proposing one (POST)."""
    require(can_amend_law(request.user))
    form = forms.ProposeForm()
    if request.method == "POST":
        form = forms.ProposeForm(request.POST, request.FILES)
        if form.is_valid():
            document: UploadedFile[bytes] = form.cleaned_data["document"]  # the uploaded file
            try:
                seq = amendment_propose(
                    user=request.user,
                    payload=form.payload(),
                    document=document.read(),
                )
            except AmendmentError as exc:
                messages.error(
                    request,
                    _("The amendment is not recorded: %(problem)s")
                    % {"problem": exc.diagnostics()},
                )
            else:
                messages.success(
                    request,
                    _("Amendment %(seq)s is proposed; another administrator reviews it.")
                    % {"seq": seq},
                )
                return redirect("lawadmin:amendment", seq=seq)
        else:
            messages.error(request, _("Check the fields of the amendment."))
    book = amendment_book()
    proposals = sorted(book.proposals.values(), key=lambda p: -p.seq)
    context = {
        "proposals": [(p, str(STATUSES[p.status]), shown(p.amendment.value)) for p in proposals],
        "ignored": book.ignored,
        "form": form,
        "law": law_pack(),
        "figures": sorted(law_pack().figures),
    }
    return render(request, "lawadmin/amendments.html", context, status=400 if form.errors else 200)


@login_required
@idempotent
def amendment(request: HttpRequest, seq: int) -> HttpResponse:
    """One amendment: what it says, who proposed it, its impact; another administrator decides (POST)."""
    require(can_amend_law(request.user))
    book = amendment_book()
    proposal = book.proposals.get(seq)
    if proposal is None:
        raise Http404
    own = proposal.proposer.id == request.user.get_username()
    if request.method == "POST":
        form = forms.DecideForm(request.POST)
        if proposal.status != "proposed" or own:
            messages.error(request, _("Another administrator decides on a proposal, once."))
        elif not form.is_valid():
            messages.error(request, _("Choose approve or refuse."))
        else:
            d = form.cleaned_data
            try:
                amendment_decide(
                    user=request.user,
                    seq=seq,
                    approved=d["decision"] == "approve",
                    reason=d["reason"],
                )
            except AmendmentError:
                messages.error(request, _("A refusal says why."))
            else:
                messages.success(request, _("The decision is recorded."))
        return redirect("lawadmin:amendment", seq=seq)
    found = impact(seq)
    context = {
        "p": proposal,
        "a": proposal.amendment,
        "own": own,
        "impact": found,
        "status": STATUSES[proposal.status],
        "value": shown(proposal.amendment.value),
        "changes": [
            (c, answer_name(c.what), shown(c.without), shown(c.with_it))
            for c in found.changes[:PREVIEW_ROWS]
        ],
        "people_changed": sum(found.per_institution.values()),
        "form": forms.DecideForm(),
        "figure": law_pack().figures[proposal.amendment.figure],
    }
    return render(request, "lawadmin/amendment.html", context)
