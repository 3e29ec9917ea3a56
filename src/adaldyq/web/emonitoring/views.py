"""The probation officer's pages of electronic monitoring (ADR 0043): the violations of the region,
and one person's violations with their events, zones and device feeds. Who may see what:
`accounts.scope` (the probation file's rules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import (
    can_read_probation,
    can_read_probation_register,
    can_record_probation,
    probation_regions,
    require,
)
from adaldyq.web.emonitoring import selectors, services
from adaldyq.web.emonitoring.forms import FeedForm, ZoneForm
from adaldyq.web.emonitoring.models import DeviceFeed
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import access_record
from adaldyq.web.release import probation_selectors
from adaldyq.web.submit import recorded_post


@login_required
def violations(request: HttpRequest) -> HttpResponse:
    """The violations the devices showed in the reader's regions, those going on first."""
    require(can_read_probation_register(request.user))
    rows = selectors.violations_in(probation_regions(request.user))
    access_record(user=request.user, page="emonitoring:violations", people=(p.pk for p, _ in rows))
    return render(request, "emonitoring/violations.html", {"rows": rows})


def _person(request: HttpRequest, person_id: str, *, write: bool = False) -> Person:
    person = get_object_or_404(Person.objects.select_related("institution"), pk=person_id)
    region = probation_selectors.region_of(person)
    require(can_read_probation(request.user, region))
    require(probation_selectors.probation_file(person) is not None)
    if write:
        require(can_record_probation(request.user, region))
    return person


def _page(request: HttpRequest, person: Person, **extra: Any) -> HttpResponse:
    access_record(user=request.user, page="emonitoring:person", people=[person.pk])
    context = {
        "person": person,
        **selectors.person_monitoring(person),
        "zones": services.zones_of(person.pk),
        "writer": can_record_probation(request.user, probation_selectors.region_of(person)),
        "zone_form": ZoneForm(initial={"on": timezone.localdate()}),
        "feed_form": FeedForm(),
        **extra,
    }
    return render(request, "emonitoring/person.html", context)


@login_required
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    """One person's violations with their events, the zones standing, and the device feeds."""
    return _page(request, _person(request, person_id))


def _posted(
    request: HttpRequest,
    person_id: str,
    form: Any,
    name: str,
    act: Callable[[Person], HttpResponse],
) -> HttpResponse:
    """A form of the page sent: `act` on the person once the form is valid; otherwise (or when the
    service refuses) the page again with the form and what is wrong."""
    p = _person(request, person_id, write=True)
    if form.is_valid():
        try:
            return act(p)
        except InputError as exc:
            messages.error(request, exc.diagnostics())
    return _page(request, p, **{name: form})


@recorded_post
def zone(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a zone (a fact of the personal file)."""
    form = ZoneForm(request.POST)

    def record(p: Person) -> HttpResponse:
        services.zone_record(officer=request.user, person=p, zone=form.zone())
        messages.success(request, _("Recorded in the personal file."))
        return redirect("emonitoring:person", p.pk)

    return _posted(request, person_id, form, "zone_form", record)


@recorded_post
def feed(request: HttpRequest, person_id: str) -> HttpResponse:
    """Make a device feed and show its token, this once."""
    form = FeedForm(request.POST)

    def make(p: Person) -> HttpResponse:
        device = form.cleaned_data["device"]
        made, token = services.feed_create(officer=request.user, person=p, device=device)
        return _page(request, p, new_feed=made, new_token=token)

    return _posted(request, person_id, form, "feed_form", make)


@recorded_post
def revoke(request: HttpRequest, person_id: str, feed_id: str) -> HttpResponse:
    """Refuse a feed's token from now on."""
    p = _person(request, person_id, write=True)
    found = get_object_or_404(DeviceFeed, pk=feed_id, person_id=p.pk)
    try:
        services.feed_revoke(officer=request.user, feed=found)
    except InputError as exc:
        messages.error(request, exc.diagnostics())
    else:
        messages.success(request, _("The feed's token is revoked."))
    return redirect("emonitoring:person", p.pk)
