"""Pages of the personal file. Views parse, check scope, call a service or selector, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.roles import Role
from adaldyq.web.accounts.scope import (
    can_confirm_entries,
    can_read_entry,
    can_read_notes,
    can_record_facts,
    can_see_file_readers,
    can_see_register,
    can_write_notes,
    is_official,
    person_in_scope,
    require,
)
from adaldyq.web.db import unprepared
from adaldyq.web.htmx import HtmxRequest
from adaldyq.web.idempotency.keys import idempotent
from adaldyq.web.paper.selectors import sources_of as paper_sources
from adaldyq.web.params import id_param
from adaldyq.web.records import services
from adaldyq.web.records.forms import (
    FACT_FORMS,
    AdmissionForm,
    Correction,
    FactForm,
    NoteForm,
    ProposalDecisionForm,
)
from adaldyq.web.records.models import Fact, Person, Proposal
from adaldyq.web.records.paging import BoundedPaginator
from adaldyq.web.records.selectors import (
    PERSON_ROW_FIELDS,
    file_side_rows,
    file_timeline,
    law_today,
    person_search,
    proposals_awaiting,
)
from adaldyq.web.rows import where_equal
from adaldyq.web.submit import form_page, recorded_post

if TYPE_CHECKING:
    from adaldyq.web.accounts.scope import Asker
    from adaldyq.web.records.selectors import TimelineFact


def _forms_for(user: Asker) -> dict[str, type[FactForm]]:
    head = getattr(user, "role", "") == Role.head
    return {k: f for k, f in FACT_FORMS.items() if head or not f.head_only}


def _readable(request: HttpRequest, person_id: str) -> Person:
    return person_in_scope(request.user, person_id)


@login_required
def search(request: HtmxRequest) -> HttpResponse:
    if not is_official(request.user):  # the prisoner's self-service: their own file
        return redirect("home")
    with unprepared():  # the search's plan depends on its words (adaldyq.web.db.unprepared)
        return _search(request)


def _search(request: HtmxRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    institution_id = id_param(request, "institution")
    people = person_search(user=request.user, q=q, institution_id=institution_id)
    # the rows' values, not model objects (records_tags.person_rows)
    rows = people.values_list(*PERSON_ROW_FIELDS)
    page = BoundedPaginator(rows, 25, counted=people).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: shown, and recorded as shown
    services.access_record(
        user=request.user, page="records:search", people=(p[0] for p in page.object_list)
    )
    user = request.user
    context = {
        "page": page,
        "q": q,
        "institution_id": institution_id,
        "user": user,  # the filter's options are the user's scope (records_tags.institution_options)
        "can_admit": getattr(user, "role", "")
        in (Role.records_officer, Role.head, Role.committee, Role.regional),
    }
    if request.htmx:
        return render(request, "records/_results.html", context)
    return render(request, "records/search.html", context)


@dataclass(frozen=True, slots=True)
class TimelineYear:
    """The entries of one year of the timeline (newest first), and whether the page shows it open."""

    year: int
    facts: list[TimelineFact]
    open: bool


def timeline_years(
    facts: list[TimelineFact], *, entry: int | None
) -> tuple[list[TimelineYear], int | None]:
    """The timeline grouped by year, newest first: the newest year open, or the year of `entry`.

    Returns the years and the entry to mark (None when `entry` is not one of this file's).
    """
    by_year: dict[int, list[TimelineFact]] = {}
    for f in facts:  # already newest first (file_timeline)
        by_year.setdefault(f.on.year, []).append(f)
    marked = next((f for f in facts if f.seq == entry), None) if entry is not None else None
    open_year = marked.on.year if marked is not None else (facts[0].on.year if facts else None)
    years = [TimelineYear(y, rows, y == open_year) for y, rows in by_year.items()]
    return years, marked.seq if marked is not None else None


def _entry_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("entry", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


REPEAT_MINUTES = (
    10  # a fact identical to one the same officer recorded this recently is a repeat (P)
)


def _repeat_of(request: HttpRequest, person: Person, form: FactForm) -> Fact | None:
    """The fact this officer recorded in the last minutes that the form repeats exactly (the same kind,
    day and fields), or None.

    Personal pages are never cached (issue 16), so the browser's back button loads the form afresh with
    a new one-use key (ADR 0015); a form filled in and sent again is then caught by what it says."""
    fact = form.fact()
    since = timezone.now() - timedelta(minutes=REPEAT_MINUTES)
    fields = {k: v for k, v in fact.items() if k not in ("type", "on")}
    officer = request.user.get_username()
    # The file's facts of that kind and day (a few; SQL made once), then this officer's recent ones
    # that correct nothing, the newest first.
    same_day: list[Fact] = where_equal(Fact, person_id=person.pk, kind=fact["type"], on=fact["on"])
    recent = sorted(
        (
            row
            for row in same_day
            if row.recorded_by == officer and row.recorded_at >= since and row.corrects_id is None
        ),
        key=lambda row: row.seq,
        reverse=True,
    )
    for row in recent[:20]:
        if all(row.data.get(k) == v for k, v in fields.items()):
            return row
    return None


def _file_url(person: Person, seq: int | None = None) -> str:
    """The file's address; with `seq`, opened at that entry (its year open, the row marked)."""
    url = reverse("records:file", args=[person.pk])
    return f"{url}?entry={seq}#entry-{seq}" if seq is not None else url


def _file_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    user = request.user
    writable = can_record_facts(user, person)
    facts = file_timeline(person)  # the recorders' names with the rows (officer_names in one query)
    years, marked = timeline_years(facts, entry=_entry_param(request))
    by_seq = {f.seq: f for f in facts}
    role = getattr(user, "role", "")
    # A kind's form class stands for its unbound form, whose markup is kept (records_tags.record_forms);
    # a form is made for the one refused (`extra`) and the one asking whether a repeat is meant.
    forms: dict[str, type[FactForm] | FactForm] = {}
    again = request.GET.get("again", "")
    if writable:
        classes = _forms_for(user)
        forms = dict(classes)
        if again in classes:
            forms[again] = classes[again](person=person, prefix=again, show_again=True)
        forms.update(extra.pop("forms", {}))
    relatives, notes, openings = file_side_rows(
        person,
        notes=can_read_notes(user, person),
        openings=can_see_file_readers(user, person),
    )
    law = law_today(person, lang=(get_language() or "kk")[:2], facts=facts)
    return {
        "person": person,
        "law": law,
        "facts": facts,
        "years": years,
        "marked": marked,
        "by_seq": by_seq,
        "relatives": relatives,
        "notes": notes,
        "openings": openings,
        "paper": paper_sources(person.pk),  # where on paper imported facts were read (issue 23)
        "writable": writable,
        "forms": forms,
        "can_note": can_write_notes(user),
        "note_form": extra.pop("note_form", NoteForm()),
        # The timeline's "Correct" links load their form on demand (ADR 0012): no form per entry here.
        "file_url": reverse("records:file", args=[person.pk]),
        "is_self": role == Role.prisoner,
        # None: the file's facts could not be read (the law's part says why)
        "programme": law.file.programme() if law.file is not None else None,
        "open_form": again if again in forms else None,  # a repeat caught: its form, box shown
        **extra,
    }


@login_required
def file(request: HttpRequest, person_id: str) -> HttpResponse:
    person = _readable(request, person_id)
    services.file_opening_record(user=request.user, person=person)
    return render(request, "records/file.html", _file_context(request, person))


@recorded_post
def record(request: HttpRequest, person_id: str, kind: str) -> HttpResponse:
    person = _readable(request, person_id)
    require(can_record_facts(request.user, person))
    form_class = _forms_for(request.user).get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, person=person, prefix=kind)
    if form.is_valid():
        twin = None if form.cleaned_data.get("again") else _repeat_of(request, person, form)
        if twin is not None:  # the back button on a page no cache keeps: the form sent again
            messages.info(
                request,
                _(
                    "Already recorded: you recorded the same %(what)s at %(time)s, so it was not "
                    "saved again. If it is really a second one, tick the box the form now shows."
                )
                % {
                    "what": form_class.title,
                    "time": timezone.localtime(twin.recorded_at).strftime("%H:%M"),
                },
            )
            return redirect(_file_url(person, twin.seq).replace("#", f"&again={kind}#", 1))
        try:
            recorded = form.record(officer=request.user)
        except InputError as exc:
            form.add_error(
                None, _("The law engine refuses this fact: %(why)s") % {"why": exc.diagnostics()}
            )
        else:
            if isinstance(recorded, Proposal):
                messages.info(request, _proposed_message(form_class.title))
                return redirect(_file_url(person))
            messages.success(request, _("Recorded: %(what)s.") % {"what": form_class.title})
            return redirect(_file_url(person, recorded.seq))
    context = _file_context(request, person, forms={kind: form}, open_form=kind)
    return render(request, "records/file.html", context, status=400)


@form_page
def correct(request: HtmxRequest, person_id: str, seq: int) -> HttpResponse:
    """The correction form of one entry (GET: a fragment for htmx, a page without JavaScript) and its POST."""
    person = _readable(request, person_id)
    require(can_record_facts(request.user, person))
    original = get_object_or_404(Fact, pk=seq, person=person)
    if request.method == "GET":
        if original.superseded_by_id or original.void:
            raise Http404  # corrected or withdrawn already: the timeline offers no form for it
        context = {"person": person, "f": original}
        services.file_opening_record(user=request.user, person=person, page="records:correct")
        if request.htmx:
            return render(request, "records/_correction_form.html", context)
        return _correction_page(request, person, original)
    sent = Correction(request.POST, person=person, original=original, prefix=f"c{seq}")
    if sent.is_valid():
        try:
            corrected = sent.record(officer=request.user)
        except InputError as exc:
            sent.form.add_error(
                None, _("The correction is refused: %(why)s") % {"why": exc.diagnostics()}
            )
        else:
            if isinstance(corrected, Proposal):
                messages.info(request, _proposed_message(_("withdrawal of the penalty")))
                return redirect(_file_url(person))
            messages.success(request, _("The entry was corrected; the original stays in the file."))
            return redirect(_file_url(person, corrected.seq))
    return _correction_page(
        request, person, original, forms=(sent.form, sent.replacement), status=400
    )


def _proposed_message(what: Any) -> str:
    return str(
        _(
            "Proposed for the head's confirmation: %(what)s. It counts for nothing until a head of "
            "the institution (not you) confirms it."
        )
        % {"what": what}
    )


def _correction_page(
    request: HttpRequest,
    person: Person,
    original: Fact,
    forms: tuple[Any, ...] = (),
    status: int = 200,
) -> HttpResponse:
    """The correction form of one entry as a page; after a refused POST, with its errors and input."""
    context = {
        "person": person,
        "f": original,
        "forms": forms,
        "form_anchor": f"correct-{original.seq}",
    }
    if request.method == "POST":
        prefix = f"c{original.seq}"
        context["reason"] = request.POST.get(f"{prefix}-reason", "")
        context["on_value"] = request.POST.get(f"{prefix}-on", "")
        context["withdraw"] = bool(request.POST.get(f"{prefix}-withdraw"))
        context["reason_code"] = request.POST.get(f"{prefix}-reason_code", "")
    return render(request, "records/correct.html", context, status=status)


@recorded_post
def note(request: HttpRequest, person_id: str) -> HttpResponse:
    person = _readable(request, person_id)
    require(can_write_notes(request.user))
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_write(author=request.user, person=person, text=form.cleaned_data["text"])
        messages.success(request, _("Your note was added to the file."))
        return redirect("records:file", person_id=person.pk)
    return render(
        request, "records/file.html", _file_context(request, person, note_form=form), status=400
    )


@login_required
@idempotent
def admit(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = getattr(user, "role", "")
    # an institution admits into itself; the committee and a regional department admit a newly
    # sentenced person from the judgment, to await placement (no institution yet; issue 13)
    institution = getattr(user, "institution", None)
    into = institution.code if role in (Role.records_officer, Role.head) and institution else None
    require(into is not None or role in (Role.committee, Role.regional))
    form = AdmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if Person.objects.filter(number=form.cleaned_data["number"].strip()).exists():
            form.add_error("number", _("A personal file with this number exists."))
        else:
            person = services.person_admit(
                officer=user,
                person=form.person(institution_code=into),
            )
            messages.success(request, _("The personal file was opened."))
            return redirect("records:file", person_id=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "records/admit.html", {"form": form}, status=status)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger's size and newest checkpoint; oversight bodies witness and cosign it."""
    from adaldyq.core.errors import AdaldyqError
    from adaldyq.web.records.checkpoints import checkpoint_witness, ledger_status

    require(is_official(request.user))
    witnessed = None
    status = 200
    if request.method == "POST":
        require(can_write_notes(request.user))
        try:
            witnessed = checkpoint_witness(user=request.user)
        except AdaldyqError as exc:
            messages.error(
                request, _("The checkpoint was not cosigned: %(why)s") % {"why": exc.diagnostics()}
            )
            status = 409
        else:
            messages.success(
                request,
                _(
                    "Consistent with what you saw before (%(old)s entries); now %(new)s entries, cosigned."
                )
                % {"old": witnessed.old_size, "new": witnessed.new_size},
            )
    context = {
        "status": ledger_status(),
        "witnessed": witnessed,
        "can_witness": can_write_notes(request.user),
    }
    return render(request, "records/ledger.html", context, status=status)


@login_required
def entry(request: HttpRequest, seq: int) -> HttpResponse:
    """One ledger entry as evidence: who recorded it and when, what it says, whom it concerns, and
    its inclusion proof against the latest signed checkpoint. Reading it is an access entry."""
    from adaldyq.web.accounts.models import User
    from adaldyq.web.decisions.models import Decision
    from adaldyq.web.decisions.register_words import detail_pairs
    from adaldyq.web.records.evidence import ENTRY_LABELS, entry_evidence, signed_at
    from adaldyq.web.records.templatetags.records_tags import KIND_LABELS, fact_details

    require(can_see_register(request.user))
    e = entry_evidence(seq)
    if e is None:
        raise Http404
    require(can_read_entry(request.user, e.person))
    if e.person is not None:
        services.file_opening_record(
            user=request.user, person=e.person, entry=seq, page="ledger-entry"
        )
    recorder = User.objects.select_related("institution", "region").filter(username=e.actor).first()
    file_url = ""
    if e.person is not None:  # a fact opens the file at its row (its year open, the row marked)
        file_url = _file_url(e.person, seq if e.fact is not None else None)
    decision = Decision.objects.filter(seq=seq).first()
    context = {
        "e": e,
        "label": KIND_LABELS.get(e.type) or ENTRY_LABELS.get(e.type) or e.type,
        "fact_text": fact_details(e.fact) if e.fact is not None else "",
        "pairs": detail_pairs(e.payload),
        "recorder": recorder,
        "file_url": file_url,
        "decision": decision,
        "signed_at": signed_at(e.inclusion),
    }
    return render(request, "records/entry.html", context)


# ---- entries proposed for the head's confirmation (issue 15, ADR 0033) -----------------------------


def proposal_words(proposal: Proposal) -> dict[str, Any]:
    """What a proposal asks, in the page's language: the fact (kind and day) or the withdrawal."""
    from adaldyq.web.records.entry_rules import CORRECTION_REASONS, LATE_REASONS

    if proposal.action == "withdraw":
        original = (
            Fact.objects.filter(pk=proposal.entry).first() if proposal.entry is not None else None
        )
        form = FACT_FORMS.get(original.kind) if original else None
        what = _("Withdrawal of: %(what)s of %(day)s") % {
            "what": form.title if form else (original.kind if original else "?"),
            "day": date_format(original.on, "SHORT_DATE_FORMAT") if original else "?",
        }
        code = dict(CORRECTION_REASONS).get(proposal.code, proposal.code)
    else:
        kind = str(proposal.fact.get("type", ""))
        form = FACT_FORMS.get(kind)
        on = proposal.fact.get("on", "")
        what = _("%(what)s of %(day)s, recorded late") % {
            "what": form.title if form else kind,
            "day": date_format(date.fromisoformat(on), "SHORT_DATE_FORMAT") if on else "?",
        }
        code = dict(LATE_REASONS).get(proposal.code, proposal.code)
    return {"p": proposal, "what": what, "code": code}


@form_page
def confirmations(request: HttpRequest) -> HttpResponse:
    """The head's list of entries proposed for confirmation, each confirmed or refused here."""
    require(can_confirm_entries(request.user))
    if request.method == "POST":
        form = ProposalDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to confirm or to refuse; a refusal needs a reason."))
            return redirect(reverse("records:confirmations"))
        proposal = get_object_or_404(Proposal, pk=form.cleaned_data["proposal"])
        require(can_record_facts(request.user, proposal.person))
        try:
            if form.cleaned_data["decision"] == "confirm":
                services.proposal_confirm(head=request.user, proposal=proposal)
                messages.success(request, _("Confirmed: it now counts in the file."))
            else:
                services.proposal_refuse(
                    head=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Refused: it will never count."))
        except InputError as exc:
            messages.error(request, _("Not done: %(why)s") % {"why": exc.diagnostics()})
        return redirect(reverse("records:confirmations"))
    pending = list(proposals_awaiting(request.user)[:200])
    services.access_record(
        user=request.user, page="records:confirmations", people=(p.person_id for p in pending)
    )
    rows = [proposal_words(p) for p in pending]
    return render(request, "records/confirmations.html", {"rows": rows})
