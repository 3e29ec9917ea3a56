"""What ADR 0012's serving work changed in the pages: forms on demand, bounded search counts, sessions."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation
from django.utils.formats import date_format

from adaldyq.web.accounts.middleware import REFRESHED
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.paging import BoundedPaginator
from adaldyq.web.records.templatetags.records_tags import _short
from tests.web.fixtures import person_payload, signed_in

pytestmark = pytest.mark.django_db


def test_the_file_page_links_each_correction_form_instead_of_rendering_it(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")

    html = signed_in("officer").get(f"/people/{person.pk}/").content.decode()

    url = f"/people/{person.pk}/entries/{inc.seq}/correct/"
    assert f'hx-get="{url}"' in html
    assert f'href="{url}"' in html
    assert f'name="c{inc.seq}-reason"' not in html


def test_the_correction_form_comes_as_a_fragment_for_htmx_and_as_a_page_without(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")
    client = signed_in("officer")
    url = f"/people/{person.pk}/entries/{inc.seq}/correct/"

    fragment = client.get(url, headers={"HX-Request": "true"})
    page = client.get(url)

    assert fragment.status_code == 200
    assert f'name="c{inc.seq}-reason"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert page.status_code == 200
    assert f'name="c{inc.seq}-reason"' in page.content.decode()
    assert "<html" in page.content.decode()


def test_a_refused_correction_shows_its_errors_on_the_correction_page(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")

    response = signed_in("officer").post(
        f"/people/{person.pk}/entries/{inc.seq}/correct/",
        {f"c{inc.seq}-reason": "no", f"c{inc.seq}-withdraw": "on"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the reason in a few words." in html
    assert f'name="c{inc.seq}-reason"' in html


def test_only_those_who_record_facts_get_a_correction_form(world, make_user) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")
    make_user("chair", "committee")

    response = signed_in("chair").get(f"/people/{person.pk}/entries/{inc.seq}/correct/")

    assert response.status_code == 403


def test_the_search_count_stops_at_the_bound_and_every_page_stays_reachable(world) -> None:
    _, officer, _ = world
    for n in range(2, 6):
        services.person_admit(officer=officer, person=person_payload(f"KA-000{n}"))
    people = Person.objects.order_by("number")

    exact = BoundedPaginator(people, 2, cap=10)
    capped = BoundedPaginator(people, 2, cap=3)

    assert (exact.count, exact.capped, exact.count_label) == (5, False, "5")
    assert exact.get_page(3).has_next() is False
    assert (capped.capped, capped.count_label) == (True, "3+")
    assert [p.number for p in capped.get_page(2)] == ["KA-0003", "KA-0004"]
    assert capped.get_page(2).has_next() is True
    last = capped.get_page(3)
    assert [p.number for p in last] == ["KA-0005"]
    assert (last.has_next(), last.pages_label) == (False, "3")
    assert capped.get_page(9).number == 1
    assert list(BoundedPaginator(people.filter(number="none"), 2).get_page(1)) == []


def test_a_search_page_says_how_many_people_it_found(world) -> None:
    html = signed_in("officer").get("/people/?q=омаров").content.decode()

    assert "1 person found" in html


@pytest.mark.usefixtures("world")
def test_the_session_is_saved_again_only_when_half_its_lifetime_is_gone() -> None:
    client = signed_in("officer")
    client.get("/people/")
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date

    client.get("/people/")
    assert Session.objects.get(pk=key).expire_date == first  # not written again

    session = client.session
    session[REFRESHED] = session[REFRESHED] - 16 * 60
    session.save()
    written = Session.objects.get(pk=key).expire_date
    client.get("/people/")
    assert Session.objects.get(pk=key).expire_date > written
    assert client.session[REFRESHED] > session[REFRESHED]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_timeline_dates_read_as_djangos_own_formatting(lang: str) -> None:
    at = datetime(2024, 3, 5, 7, 9, tzinfo=ZoneInfo("Asia/Almaty"))
    with translation.override(lang):
        assert _short(date(2024, 3, 5), "SHORT_DATE_FORMAT") == date_format(
            date(2024, 3, 5), "SHORT_DATE_FORMAT"
        )
        assert _short(at, "SHORT_DATETIME_FORMAT") == date_format(at, "SHORT_DATETIME_FORMAT")
        for month in range(1, 13):  # each month's name (English writes "5 Mar 2024")
            for day in (date(1999, month, 1), date(2031, month, 28)):
                assert _short(day, "SHORT_DATE_FORMAT") == date_format(day, "SHORT_DATE_FORMAT")
                assert _short(day, "DATE_FORMAT") == date_format(day, "DATE_FORMAT")
            late = datetime(2025, month, 11, 23, 59, tzinfo=ZoneInfo("Asia/Almaty"))
            assert _short(late, "SHORT_DATETIME_FORMAT") == date_format(
                late, "SHORT_DATETIME_FORMAT"
            )
