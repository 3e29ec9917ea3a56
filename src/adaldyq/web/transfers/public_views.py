"""Public transfer-request pages for relatives (no account).

A relative approved as a visitor of the person (visits register) files a request with the
person's file number and their own document number, and gets the request number and a one-time
code. With the number and the code anyone holding them sees the status and the place in the queue.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from adaldyq.core.errors import InputError
from adaldyq.web.idempotency.keys import idempotent
from adaldyq.web.records.models import Person
from adaldyq.web.throttle.limits import posted, throttled
from adaldyq.web.transfers import forms, selectors, services


def _approved_visitor(person: Person, document: str) -> bool:
    from adaldyq.web.visits.selectors import visitor_by_document

    v = visitor_by_document(person=person, document=document)
    return v is not None and v.status == "approved"


@require_http_methods(["GET", "POST"])
@throttled(posted(number="file", document="document"))
@idempotent
def start(request: HttpRequest) -> HttpResponse:
    form = forms.PublicRequestForm(request.POST or None)
    filed = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            c = form.cleaned_data
            person = (
                Person.objects.filter(number=c["number"].strip())
                .select_related("institution")
                .first()
            )
            if person is None or not _approved_visitor(person, c["document"]):
                # one answer for every case: a stranger learns nothing about who is where
                form.add_error(
                    None, _("No approved visitor with this document for this personal file.")
                )
            else:
                try:
                    r, code = services.transfer_request_file(
                        actor=services.public_actor("".join(c["document"].split()).upper()),
                        person=person, target=c["target"], ground=c["ground"],
                        family=tuple(c["family"]), consent=c["consent"], contact=c["contact"],
                        filed_by="relative", on=timezone.localdate(),
                    )  # fmt: skip
                except InputError as exc:  # a rule's refusal (409) or an input error (400)
                    form.add_error(None, exc.diagnostics())
                    if isinstance(exc, services.TransferRefusedError):
                        status = 409
                else:
                    filed = (r, code, selectors.position_of(r, on=timezone.localdate()))
                    status = 200
    return render(request, "transfers/public_start.html", {"form": form, "filed": filed},
                  status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
@throttled(posted(request="request"))
def status(request: HttpRequest) -> HttpResponse:
    form = forms.StatusForm(request.POST or None)
    found = None
    code = 400 if request.method == "POST" and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        r = services.request_by_code(
            number=form.cleaned_data["request"], code=form.cleaned_data["code"]
        )
        if r is None:
            form.add_error(None, _("No request with this number and code."))
            code = 404
        else:
            today = timezone.localdate()
            found = {
                "r": r,
                "line": selectors.position_of(r, on=today),
                "length": len(selectors.queue_of(r.target, on=today)),
                "target": selectors.institutions_by_code().get(r.target),
            }
    return render(request, "transfers/public_status.html", {"form": form, "found": found},
                  status=code)  # fmt: skip
