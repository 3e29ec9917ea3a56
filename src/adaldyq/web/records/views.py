"""Pages of the personal file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from adaldyq.web.accounts.scope import can_read_person, people_visible_to, require
from adaldyq.web.records.models import Person


@login_required
def search(request: HttpRequest) -> HttpResponse:
    people = people_visible_to(request.user)[:50]
    return render(request, "records/search.html", {"people": people})


@login_required
def file(request: HttpRequest, person_id: str) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    require(can_read_person(request.user, person))
    return render(request, "records/file.html", {"person": person})
