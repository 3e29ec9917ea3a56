"""Pages of the commission: sessions, agenda, decisions, documents, verification, deviation register.

Views parse, check scope, call a service or selector, render.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from adaldyq.core.errors import AdaldyqError
from adaldyq.law.messages import CONDITION_NAMES
from adaldyq.web.accounts.scope import (
    can_confirm_decision,
    can_read_decision,
    can_see_register,
    is_official,
    person_in_scope,
    require,
)
from adaldyq.web.decisions import labels, register_export, register_words, selectors, services
from adaldyq.web.decisions.models import AgendaItem, Decision, Session
from adaldyq.web.decisions.proposals import GROUPS, REASON_CODES, RECOGNITIONS, VOTES
from adaldyq.web.decisions.register_words import COLUMNS
from adaldyq.web.downloads import download
from adaldyq.web.htmx import HtmxRequest
from adaldyq.web.records.explanation import explanation
from adaldyq.web.records.models import Person
from adaldyq.web.records.selectors import WAITING_DAYS_FLAGGED, person_search
from adaldyq.web.records.services import access_record
from adaldyq.web.submit import recorded_post
from adaldyq.web.throttle.limits import code_in_address, throttled


def _lang() -> str:
    lang = (get_language() or "kk")[:2]
    return lang if lang in ("kk", "ru", "en") else "en"


def _today() -> date:
    return timezone.localdate()


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """The sessions the user may see; staff open a new one here."""
    user = request.user
    if not is_official(user):  # the prisoner's self-service: their own decisions
        return redirect("decisions:mine")
    context = {
        "sessions": selectors.sessions_visible_to(user)[:100],
        "can_open": selectors.can_run_session(user),
        "groups": [(g, labels.GROUP_LABELS[g]) for g in GROUPS],
        "rows": range(1, 8),
        "today": _today(),
        "can_register": can_see_register(user),
    }
    return render(request, "decisions/sessions.html", context)


@recorded_post
def session_open(request: HttpRequest) -> HttpResponse:
    require(selectors.can_run_session(request.user))
    members = []
    for i in range(1, 21):
        name = request.POST.get(f"member-{i}-name", "").strip()
        if name:
            members.append(
                {
                    "name": name[:200],
                    "group": request.POST.get(f"member-{i}-group", ""),
                    "present": request.POST.get(f"member-{i}-present") == "on",
                }
            )
    try:
        on = date.fromisoformat(request.POST.get("on") or _today().isoformat())
        session = services.session_open(officer=request.user, on=on, members=members)
    except (ValueError, AdaldyqError) as exc:
        why = exc.diagnostics() if isinstance(exc, AdaldyqError) else str(exc)
        messages.error(request, _("The session was not opened: %(why)s") % {"why": why})
        return redirect("decisions:sessions")
    messages.success(request, _("The session was opened; the engine drew up the agenda."))
    return redirect("decisions:session", session_id=session.pk)


def _readable_session(request: HttpRequest, session_id: str) -> Session:
    session = get_object_or_404(Session.objects.select_related("institution"), pk=session_id)
    require(selectors.sessions_visible_to(request.user).filter(pk=session.pk).exists())
    return session


def _item_context(
    item: AgendaItem, decision: Decision | None, lang: str, **extra: Any
) -> dict[str, Any]:
    names = CONDITION_NAMES[lang]
    try:
        result, _case, _seqs = selectors.evaluate_case(item.person, item.session.on)
        explained, error = explanation(result, lang, waiting_flagged_after=WAITING_DAYS_FLAGGED), ""
    except AdaldyqError as exc:
        explained, error = None, exc.diagnostics()
    return {
        "item": item,
        "decision": decision,
        "proposal_text": labels.describe(item.proposal.get("outcome", ""), item.proposal, names),
        "grounds": labels.GROUNDS_LABELS.get(item.grounds, item.grounds),
        "question": labels.QUESTION_LABELS.get(item.question, item.question),
        "explained": explained,
        "explain_error": error,
        "decision_text": labels.describe(decision.outcome, decision.terms, names)
        if decision
        else "",
        **extra,
    }


def _form_choices(session: Session, lang: str, form: Any = None) -> dict[str, Any]:
    return {
        # each member present with the vote chosen for them ("" until chosen: nothing is preset)
        "ballot": [(m, form.get(f"vote-{m['id']}", "") if form else "") for m in session.present],
        "outcomes": [(k, v) for k, v in labels.OUTCOME_LABELS.items() if k != "not_determinable"],
        "recognitions": [(k, labels.RECOGNITION_LABELS[k]) for k in RECOGNITIONS],
        "conditions": list(CONDITION_NAMES[lang].items()),
        "reason_codes": [(k, labels.REASON_LABELS[k]) for k in REASON_CODES],
        "votes": [(k, labels.VOTE_LABELS[k]) for k in VOTES],
        "present": session.present,
    }


@login_required
def session(request: HttpRequest, session_id: str) -> HttpResponse:
    s = _readable_session(request, session_id)
    lang = _lang()
    decided = selectors.decisions_for_session(s)
    items = [_item_context(i, decided.get(i.seq), lang) for i in selectors.items_of(s)]
    first_open = next((c for c in items if c["decision"] is None), None)
    if (
        first_open is not None
    ):  # the next item to decide is open; the others show their summary line
        first_open["expanded"] = True
    people = []
    writable = selectors.can_run_session(request.user, s)
    if writable:
        people = list(person_search(user=request.user, institution_id=s.institution_id)[:500])
    context = {
        "s": s,
        "items": items,
        "writable": writable,
        "people": people,
        "quorum": labels.QUORUM_LABELS.get(s.quorum.get("status", ""), ""),
        "member_groups": labels.GROUP_LABELS,
        **_form_choices(s, lang),
    }
    shown = [c["item"].person_id for c in items] + [p.pk for p in people]
    access_record(user=request.user, page="decisions:session", people=shown)
    return render(request, "decisions/session.html", context)


@recorded_post
def item_add(request: HttpRequest, session_id: str) -> HttpResponse:
    s = _readable_session(request, session_id)
    require(selectors.can_run_session(request.user, s))
    person = Person.objects.filter(pk=request.POST.get("person", "")).first()
    try:
        if person is None:
            raise services.DecisionError(_("choose a person"))
        services.agenda_item_add(
            officer=request.user,
            session=s,
            person=person,
            question=request.POST.get("question", ""),
            reason=request.POST.get("reason", ""),
        )
    except AdaldyqError as exc:
        messages.error(request, _("Not added: %(why)s") % {"why": exc.diagnostics()})
    else:
        messages.success(request, _("Added to the agenda."))
    return redirect("decisions:session", session_id=s.pk)


@recorded_post
def decide(request: HtmxRequest, seq: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("session", "person"), pk=seq)
    s = _readable_session(request, item.session_id)
    require(selectors.can_run_session(request.user, s))
    lang = _lang()
    post = request.POST
    outcome = post.get("outcome", "")
    terms = {"degree": post.get("degree", "1"), "as": post.get("as", ""), "to": post.get("to", "")}
    votes = {
        m["id"]: post.get(f"vote-{m['id']}", "") for m in s.present if post.get(f"vote-{m['id']}")
    }
    error = ""
    decision = None
    try:
        decision = services.decision_record(
            officer=request.user,
            item=item,
            outcome=outcome,
            terms=terms,
            votes=votes,
            reason_code=post.get("reason_code", ""),
            reason=post.get("reason", ""),
        )
    except services.DeviationReasonMissingError:
        error = _(
            "This decision departs from the engine's proposal. It cannot be saved without a "
            "reason code and a written reason; it will go on the deviation register."
        )
    except AdaldyqError as exc:
        error = _("The decision was not saved: %(why)s") % {"why": exc.diagnostics()}
    context = _item_context(
        item, decision, lang, form=post, error=error, writable=True, expanded=True,
        **_form_choices(s, lang, post),
    )  # fmt: skip
    status = 200 if (decision is not None or request.htmx) else 400
    if request.htmx:
        # the item's body and, out of band, its summary line: the <details> itself stays as it is
        # (open), since a second open <details name="agenda"> inserted beside it would be closed
        return render(request, "decisions/_item_body.html", context | {"oob": True}, status=status)
    if decision is not None:
        return redirect("decisions:session", session_id=s.pk)
    messages.error(request, error)
    return redirect("decisions:session", session_id=s.pk)


def _readable_decision(request: HttpRequest, seq: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("session"), pk=seq)
    person = get_object_or_404(
        Person.objects.select_related("institution__region"), pk=decision.person_id
    )
    require(can_read_decision(request.user, person=person, institution=decision.institution_code))
    return decision


def _decision_context(request: HttpRequest, d: Decision, lang: str) -> dict[str, Any]:
    names = CONDITION_NAMES[lang]
    person = Person.objects.select_related("institution").get(pk=d.person_id)
    members = {m["id"]: m for m in d.session.members}
    votes = [
        (members.get(k, {}).get("name", k), labels.GROUP_LABELS.get(members.get(k, {}).get("group", ""), ""),
         labels.VOTE_LABELS.get(v, v))
        for k, v in d.votes.items()
    ]  # fmt: skip
    try:
        explained, error = selectors.explanation_of(d, lang), ""
    except AdaldyqError as exc:
        explained, error = None, exc.diagnostics()
    when, _finding = selectors.next_step(person, lang)
    return {
        "d": d,
        "person": person,
        "decision_text": labels.describe(d.outcome, d.terms, names),
        "proposal_text": labels.describe(d.proposal.get("outcome", ""), d.proposal, names),
        "question": labels.QUESTION_LABELS.get(d.question, d.question),
        "reason_label": labels.REASON_LABELS.get(d.reason_code, d.reason_code),
        "direction": labels.DIRECTION_LABELS.get(d.direction, d.direction),
        "quorum": labels.QUORUM_LABELS.get(d.quorum.get("status", ""), ""),
        "votes": votes,
        "members": [
            (m["name"], labels.GROUP_LABELS.get(m["group"], m["group"]), m.get("present"))
            for m in d.session.members
        ],
        "explained": explained,
        "explain_error": error,
        "sources": selectors.sources_of(d),
        "next_step": when,
        "verify_url": request.build_absolute_uri(reverse("verify", args=[d.code])),
    }


@login_required
def decision(request: HttpRequest, seq: int) -> HttpResponse:
    d = _readable_decision(request, seq)
    context = _decision_context(request, d, _lang())
    context["can_confirm"] = selectors.can_confirm(request.user, d) and d.confirmed_seq is None
    access_record(user=request.user, page="decisions:decision", people=[d.person_id])
    return render(request, "decisions/decision.html", context)


@recorded_post
def confirm(request: HttpRequest, seq: int) -> HttpResponse:
    d = _readable_decision(request, seq)
    # the recorder of a departure is told why another person confirms it (ADR 0037)
    require(
        can_confirm_decision(request.user, institution=d.institution_code)
        or selectors.can_confirm(request.user, d)
    )
    try:
        services.decision_confirm(head=request.user, decision=d)
    except AdaldyqError as exc:
        messages.error(request, _("Not confirmed: %(why)s") % {"why": exc.diagnostics()})
    else:
        messages.success(request, _("Confirmed; the personal file now carries the decision."))
    if request.POST.get("back") == "awaiting":  # confirmed from the list: back to what is left
        return redirect("decisions:awaiting")
    return redirect("decisions:decision", seq=d.seq)


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """The head's list: the institution's decisions waiting for confirmation, each confirmable here."""
    require(can_confirm_decision(request.user))
    names = CONDITION_NAMES[_lang()]
    decisions = list(selectors.decisions_awaiting(request.user)[:200])
    people = Person.objects.in_bulk({d.person_id for d in decisions})
    rows = [
        {
            "d": d,
            "person": people.get(d.person_id),
            "text": labels.describe(d.outcome, d.terms, names),
            "proposal": labels.describe(d.proposal.get("outcome", ""), d.proposal, names),
            "question": labels.QUESTION_LABELS.get(d.question, d.question),
            "reason_label": labels.REASON_LABELS.get(d.reason_code, d.reason_code),
        }
        for d in decisions
    ]
    access_record(user=request.user, page="decisions:awaiting", people=people)
    return render(request, "decisions/awaiting.html", {"rows": rows})


@login_required
def document(request: HttpRequest, seq: int) -> HttpResponse:
    """The decision as a PDF in the user's language, with its QR code and short code."""
    from adaldyq.web.decisions.pdf import decision_pdf

    d = _readable_decision(request, seq)
    lang = _lang()
    pdf = decision_pdf(_decision_context(request, d, lang), lang)
    access_record(user=request.user, page="decisions:document", people=[d.person_id])
    return download(pdf, f"decision-{d.code}.pdf", inline=True)


@login_required
def case_json(request: HttpRequest, seq: int) -> HttpResponse:
    """The case the decision's proposal was computed from; its canonical JSON hashes to facts_hash."""
    d = _readable_decision(request, seq)
    access_record(user=request.user, page="decisions:case", people=[d.person_id])
    return JsonResponse(selectors.case_of_decision(d), json_dumps_params={"ensure_ascii": False})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A prisoner's own decisions with the reasons, and the date of the next possible step."""
    user = request.user
    person_id = getattr(user, "person_id", None) or request.GET.get("person")
    if not person_id:
        raise Http404
    person = person_in_scope(user, person_id)
    lang = _lang()
    names = CONDITION_NAMES[lang]
    rows = [
        {
            "d": d,
            "text": labels.describe(d.outcome, d.terms, names),
            "proposal": labels.describe(d.proposal.get("outcome", ""), d.proposal, names),
            "question": labels.QUESTION_LABELS.get(d.question, d.question),
            "reason_label": labels.REASON_LABELS.get(d.reason_code, ""),
        }
        for d in selectors.decisions_of(user=user, person=person)
    ]
    when, _finding = selectors.next_step(person, lang)
    access_record(user=request.user, page="decisions:mine", people=[person.pk])
    return render(
        request, "decisions/mine.html", {"person": person, "rows": rows, "next_step": when}
    )


@throttled(code_in_address)
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public: is the document with this code in the ledger, unaltered, and under which checkpoint?

    200 when verified or when the record agrees but no signed checkpoint covers it yet (pending, with
    the time by which the signer covers it); 409 only when something really differs; 404 for a code
    no decision has, or text that cannot be a code.
    """
    given = code or request.GET.get("code", "")
    if not given:
        return render(request, "decisions/verify.html", {"code": ""})
    normal = selectors.code_normalise(given)
    v = selectors.decision_verify(normal) if normal else selectors.Verification(given[:16])
    checks = [(labels.CHECK_LABELS.get(k, k), state, detail) for k, state, detail in v.checks]
    context: dict[str, Any] = {"code": normal or given[:16], "v": v, "checks": checks}
    if v.decision is not None:
        d = v.decision
        context["decision_text"] = labels.describe(d.outcome, d.terms, CONDITION_NAMES[_lang()])
    status = {"verified": 200, "pending": 200, "failed": 409}.get(v.state, 404)
    return render(request, "decisions/verify.html", context, status=status)


# ---- the deviation register ---------------------------------------------------------------------


def _leads_url(row: dict[str, Any]) -> str:
    """A pattern's leads: the register of its lead kind, of its officer or institution, leads shown."""
    detail = row["detail"]
    lead = detail.get("leads")
    if row["class"] != "pattern" or not lead:
        return ""
    key = "officer" if detail.get("level") == "officer" else "institution"
    query = QueryDict(mutable=True)
    query.update({"kind": str(lead), key: str(detail.get("unit") or ""), "all": "1"})
    return f"{reverse('decisions:register')}?{query.urlencode()}"


def _filter_url(request: HttpRequest, **change: str) -> str:
    """The register's URL with the current filters and `change` applied (one count's link)."""
    query = request.GET.copy()
    query.pop("format", None)
    for key, value in change.items():
        query[key] = value
    return f"{reverse('decisions:register')}?{query.urlencode()}"


def _counts_context(request: HttpRequest, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The count tables by kind, institution and officer, each line a filter link."""
    from adaldyq.web.institutions.models import Institution

    codes = {str(r["institution"] or "") for r in rows}
    institutions = {i.code: i.title for i in Institution.objects.filter(code__in=codes)}
    officers = register_export.officer_names((str(r["officer"] or "") for r in rows), part="name")
    officer_words = {u: f"{name} ({u})" for u, name in officers.items()}
    kinds = {str(r["kind"]): register_export.flag_label(str(r["kind"])) for r in rows}
    tables = []
    for key, title, names in (
        ("kind", _("By kind of flag"), kinds),
        ("institution", _("By institution"), institutions),
        ("officer", _("By officer"), officer_words),
    ):
        lines = register_words.counts(rows, key, names)
        tables.append(
            {
                "key": key,
                "title": title,
                "lines": [
                    (c, _filter_url(request, **{key: c.value}) if c.value else "")
                    for c in lines[:50]
                ],
                "more": max(len(lines) - 50, 0),
            }
        )
    return {"count_tables": tables}


def _person_url(person_id: str, entry: int | None) -> str:
    url = reverse("records:file", args=[person_id])
    return f"{url}?entry={entry}#entry-{entry}" if entry is not None else url


@login_required
def register(request: HttpRequest) -> HttpResponse:
    require(can_see_register(request.user))
    from adaldyq.web.decisions.register_state import changes_since, state_or_build

    state = state_or_build()  # a keeper still building: 503 (errors.NotReadyError)
    rows = selectors.register_rows(request.user, state, request.GET)
    fmt = request.GET.get("format", "")
    lang = _lang()
    # an export holds every row, the page the first 1,000 (`shown` below)
    listed = rows if fmt in ("csv", "xlsx") else rows[:1000]
    access_record(
        user=request.user,
        page="decisions:register",
        people=(r["person"] for r in listed if r["person"]),
    )
    if fmt == "csv":
        return download(register_export.csv_text(rows, lang), f"deviation-register-{lang}.csv")
    if fmt == "xlsx":
        buf = io.BytesIO()
        register_export.write_xlsx(rows, lang, buf)
        return download(buf.getvalue(), f"deviation-register-{lang}.xlsx")
    shown = rows[:1000]
    decisions = {
        d.seq: d.pk
        for d in Decision.objects.filter(seq__in={e for r in shown for e in r["evidence"]})
    }
    from adaldyq.oversight.sources import all_flag_kinds

    kinds = [(k, register_export.flag_label(k)) for k in all_flag_kinds()]
    kinds.sort(key=lambda kl: str(kl[1]))
    names = register_export.officer_names(str(r["officer"] or "") for r in shown)
    # one reverse() for every evidence link (a register shows hundreds of them)
    head, _zero, tail = reverse("ledger-entry", args=[0]).rpartition("0")
    for r in shown:
        r["evidence_links"] = [(e, f"{head}{e}{tail}") for e in r["evidence"]]
        if r[
            "person"
        ]:  # the file opened at the first evidence entry (its year open, the row marked)
            first = r["evidence"][0] if r["evidence"] else None
            r["person_url"] = _person_url(str(r["person"]), first)
        r["label"] = register_export.flag_label(r["kind"])
        r["officer_name"] = names.get(str(r["officer"] or ""), "")
        detail = r["detail"]
        r["detail_text"] = labels.DIRECTION_LABELS.get(
            str(detail.get("direction") or ""), detail.get("direction")
        ) or labels.QUORUM_LABELS.get(str(detail.get("status") or ""), detail.get("status"))
        r["details"] = register_words.detail_text(detail)
        r["rule_text"] = register_words.rule_text(r["rule"], lang)
        r["on_text"] = register_words.date_text(r["on"])
        r["decision"] = next((decisions[e] for e in r["evidence"] if e in decisions), None)
        r["leads_url"] = _leads_url(r)
        r["class_label"] = labels.CLASS_LABELS.get(r["class"], r["class"])
    context = {
        "rows": shown,
        "total": len(rows),
        "kinds": kinds,
        "q": request.GET,
        "with_leads": selectors.register_with_leads(request.GET),
        "all_url": _filter_url(request, all="1"),
        "columns": [(c, labels.COLUMN_LABELS.get(c, c)) for c in COLUMNS],
        "institution_choices": sorted({str(r["institution"]) for r in rows if r["institution"]}),
        "officer_choices": sorted({str(r["officer"]) for r in rows if r["officer"]}),
        "computed": {
            "upto": state["upto"] + 1,
            "at": datetime.fromisoformat(state["at"]),
            "behind": changes_since(state["upto"]),
        },
        **_counts_context(request, rows),
    }
    return render(request, "decisions/register.html", context)
