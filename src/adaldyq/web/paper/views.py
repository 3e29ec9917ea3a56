"""Pages of the paper import (issue 23, ADR 0040).

    /paper/                      the templates, the upload (a dry run or the import), pages to settle
    /paper/template.<csv|xlsx>   the template, headers in the page's language (or ?lang=)
    /paper/pages/<id>/           two readings of a page side by side with the scans; a head settles
    /paper/scans/<hex>           a scanned page, to those who read a file it belongs to
    /paper/findings/             facts read once from paper that change an outcome today (oversight)
    /paper/progress/<token>      how far an upload's import has written its entries (the page polls)

Who may do what is decided in `accounts.scope` (ADR 0005).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.files import paper
from adaldyq.web.accounts.scope import (
    can_confirm_entries,
    can_import_paper,
    can_record_facts,
    can_see_register,
    institutions_visible_to,
    is_staff,
    require,
)
from adaldyq.web.downloads import download, kept_document
from adaldyq.web.paper import selectors, services
from adaldyq.web.paper.forms import ImportForm, SettleForm
from adaldyq.web.paper.models import PaperPage
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.services import access_record, actor_of
from adaldyq.web.submit import form_page

_LANG_AT = {"kk": 0, "ru": 1, "en": 2}


def _lang() -> str:
    lang = (get_language() or "kk")[:2]
    return lang if lang in _LANG_AT else "kk"


def kind_name(kind: str) -> str:
    """A kind of the template in the page's language."""
    names = paper.KINDS.get("admission" if kind == "person_admitted" else kind)
    return names[_LANG_AT[_lang()]] if names else kind


def reading(kind: str, payload: dict[str, Any]) -> str:
    """One reading of a row: kind, day and fields, as two officers' readings are compared."""
    fields = ", ".join(f"{k}: {v}" for k, v in sorted(payload.items()) if k != "on")
    return f"{kind_name(kind)}, {payload.get('on', '')}" + (f" ({fields})" if fields else "")


@form_page
def index(request: HttpRequest) -> HttpResponse:
    """The templates, the upload of a filled one with its scans, the pages awaiting a head."""
    user: Any = request.user
    require(is_staff(user))
    importer = can_import_paper(user)
    form = ImportForm()
    report = None
    status = 200
    if request.method == "POST":
        require(importer)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            table = form.cleaned_data["table"]
            scans = [
                services.Upload(f.name, f.content_type or "", f.read())
                for f in form.cleaned_data["scans"]
            ]
            token = _token(request.POST.get("progress", ""))
            try:
                report = services.paper_import(
                    actor=actor_of(user), name=table.name, content=table.read(), scans=scans,
                    dry_run=request.POST.get("action") != "import",
                    institution=user.institution.code,
                    may_record=lambda person: can_record_facts(user, person),
                    progress=None if token is None else _progress_writer(user, token),
                )  # fmt: skip
            except InputError as exc:
                form.add_error("table", exc.diagnostics())
            finally:
                if token is not None:
                    _progress_path(user, token).unlink(missing_ok=True)
        status = 400 if not form.is_valid() or (report and report.refused) else 200
        if report is not None and report.written:
            messages.success(
                request,
                _("Imported: %(facts)s facts of %(pages)s pages; %(checked)s pages read a second "
                  "time.") % {"facts": report.facts, "pages": report.pages,
                              "checked": report.checked},
            )  # fmt: skip
    pages = list(selectors.pages_to_settle(user)[:200])
    if pages:
        access_record(user=user, page="paper:index", people=(p.person_id for p in pages))
    people = {p.pk: p for p in Person.objects.filter(pk__in=[pg.person_id for pg in pages])}
    context = {
        "form": form, "importer": importer, "report": report,
        "pages": [(pg, people.get(pg.person_id)) for pg in pages],
        "preview": [{**r, "kind": kind_name(r["kind"])} for r in (report.preview if report else [])],
        "can_settle": can_confirm_entries(user), "oversight": can_see_register(user),
        "lang": _lang(),
    }  # fmt: skip
    return render(request, "paper/index.html", context, status=status)


def _token(value: str) -> str | None:
    """The page's token for the progress of one upload (32 hex digits), or None."""
    return value if re.fullmatch(r"[0-9a-f]{32}", value) else None


def _progress_path(user: Any, token: str) -> Path:
    """Where an upload's progress is kept while it runs: a file of the data folder, one per user and
    token, read by any of the server's processes (`progress`); removed when the import ends."""
    folder = Path(settings.DATA_DIR) / "progress"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"paper-{user.pk}-{token}.json"


def _progress_writer(user: Any, token: str) -> Any:
    path = _progress_path(user, token)

    def write(done: int, total: int) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"done": done, "total": total}))
        tmp.replace(path)

    return write


@login_required
def progress(request: HttpRequest, token: str) -> HttpResponse:
    """How far the import of the user's upload `token` has written its entries (JSON)."""
    require(can_import_paper(request.user))
    if _token(token) is None:
        raise Http404
    path = _progress_path(request.user, token)
    try:
        found = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        found = {"done": 0, "total": 0}
    return JsonResponse(found)


@login_required
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The empty template, headers in the page's language (or `?lang=kk|ru|en`)."""
    require(is_staff(request.user))
    lang = request.GET.get("lang") or _lang()
    if lang not in _LANG_AT:
        raise Http404
    content = paper.template_csv(lang) if fmt == "csv" else paper.template_xlsx(lang)
    return download(content, f"paper-template-{lang}.{fmt}")


def _page(request: HttpRequest, page_id: int) -> PaperPage:
    require(is_staff(request.user))
    found = selectors.page_visible(request.user, page_id)
    if found is None:
        raise Http404
    return found


def _differences(page: PaperPage) -> list[dict[str, Any]]:
    firsts = {
        f.seq: f
        for f in Fact.objects.filter(seq__in=[d["first"] for d in page.differences if d["first"]])
    }
    out = []
    for d in page.differences:
        first = firsts.get(d["first"]) if d["first"] else None
        second = d["second"]
        out.append({
            "first": reading(first.kind, {"on": first.on.isoformat(), **first.data}) if first else None,
            "first_seq": d["first"],
            "second": reading(second["kind"], second["payload"]) if second else None,
        })  # fmt: skip
    return out


@form_page
def page(request: HttpRequest, page_id: int) -> HttpResponse:
    """Two readings of a page side by side, with the scans; a head who read neither settles it."""
    found = _page(request, page_id)
    person = Person.objects.select_related("institution").get(pk=found.person_id)
    access_record(user=request.user, page="paper:page", people=[person.pk])
    me = actor_of(request.user).id
    may_settle = (
        found.status == "disputed" and can_confirm_entries(request.user)
        and can_record_facts(request.user, person) and me not in (found.first_by, found.second_by)
    )  # fmt: skip
    form = SettleForm(request.POST or None, differences=len(found.differences))
    status = 200
    if request.method == "POST":
        require(may_settle)
        if form.is_valid():
            try:
                services.page_settle(
                    head=request.user, page=found, choices=form.choices(len(found.differences)),
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except InputError as exc:
                form.add_error(None, exc.diagnostics())
            else:
                messages.success(request, _("Settled: the page's facts now stand as you chose."))
                return redirect(reverse("paper:page", args=[found.pk]))
        status = 400
    context = {
        "p": found, "person": person, "differences": _differences(found),
        "form": form, "may_settle": may_settle,
        "rows": list(zip(_differences(found), [form[f"d{i}"] for i in range(len(found.differences))],
                         strict=True)),
        "scans": [s for s in dict.fromkeys((found.scan, found.second_scan)) if s],
    }  # fmt: skip
    return render(request, "paper/page.html", context, status=status)


@login_required
def scan(request: HttpRequest, digest: str) -> HttpResponse:
    """A scanned page, from the data folder by its hash, to those who read a file it belongs to."""
    from adaldyq.law.amendments import DOCUMENTS
    from adaldyq.web.paper.models import PaperBatch

    require(is_staff(request.user))
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise Http404
    document = f"sha256:{digest}"
    if not selectors.scan_visible(request.user, document):
        raise Http404
    path = Path(settings.DATA_DIR) / DOCUMENTS / f"sha256-{digest}"
    if not path.is_file():
        raise Http404
    kind = next(
        (s.get("type", "") for b in PaperBatch.objects.filter(scans__icontains=digest)
         for s in b.scans if s.get("document") == document),
        "",
    )  # fmt: skip
    return kept_document(path, kind, digest[:16])


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    """Files whose facts read once from paper change what the law says of them today."""
    user = request.user
    require(can_see_register(user) or can_confirm_entries(user))
    visible = institutions_visible_to(user)
    code = request.GET.get("institution", "")
    if visible is not None and code and code not in visible:
        raise Http404
    found = selectors.outcome_findings(user, on=timezone.localdate(), institution=code or None)
    access_record(user=user, page="paper:findings", people=(f.person.pk for f in found))
    rows = [
        (f, [(OUTCOME_LABELS[name], _shown(without), _shown(with_)) for name, without, with_ in
             f.outcome.changes], [(s, kind_name(s.kind)) for s in f.sources])
        for f in found
    ]  # fmt: skip
    return render(request, "paper/findings.html", {"rows": rows, "institution": code})


#: What the engine says today that a fact read from paper may change (`oversight.paper`).
OUTCOME_LABELS = {
    "degree": gettext_lazy("the degree of behaviour held"),
    "qualifies_for_degree": gettext_lazy("the degree the facts qualify for"),
    "condition": gettext_lazy("the conditions of detention"),
    "may_move_to": gettext_lazy("the conditions the person may move to"),
    "parole_from": gettext_lazy("parole possible from"),
    "substitution_from": gettext_lazy("substitution by a milder punishment possible from"),
}


def _shown(value: Any) -> str:
    if value is None or value == ():
        return "—"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(date_format(value, "SHORT_DATE_FORMAT"))
    return str(value)
