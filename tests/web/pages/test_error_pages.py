"""Every error is the site's own page in the reader's language, with the header and a way back."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from adaldyq.web.records import services
from tests.languages import in_each_language
from tests.web.fixtures import PASSWORD, person_payload, register

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a failure no page expects")


urlpatterns = [path("boom/", _boom), path("", include("adaldyq.web.urls"))]
handler500 = "adaldyq.web.errors.server_error"


def _signed_in(make_user, lang: str) -> Client:
    make_user("officer", "records_officer", institution=register()["k1"], full_name="Омаров Ерлан")
    client = Client(headers={"accept-language": lang})
    assert client.login(username="officer", password=PASSWORD)
    return client


def _is_site_page(html: str, lang: str) -> None:
    assert f'<html lang="{lang}">' in html
    assert '<header class="top">' in html
    assert 'href="/"' in html  # the way back: the start page
    assert "Traceback" not in html
    assert "Django" not in html


@in_each_language(
    kk="Бұл мекенжайды тікелей ашуға болмайды",
    ru="Этот адрес нельзя открыть напрямую",
    en="This address cannot be opened directly",
)
def test_get_on_a_post_only_address_is_the_sites_405_page(make_user, lang, says) -> None:
    client = _signed_in(make_user, lang)

    response = client.get("/accounts/logout/", headers={"referer": "http://testserver/people/"})

    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert says in html
    assert "Омаров Ерлан" in html  # the header as on every page
    assert 'href="http://testserver/people/"' in html  # back where the reader came from
    _is_site_page(html, lang)


@pytest.mark.parametrize(
    "address",
    ["/verify/" + "A" * 10_000, "/people/" + "x" * 10_000 + "/", "/people/?q=" + "й" * 5_000],
)
def test_an_address_of_ten_thousand_characters_is_the_sites_414_page(make_user, address) -> None:
    client = _signed_in(make_user, "kk")

    response = client.get(address)

    assert response.status_code == 414
    assert "Мекенжай тым ұзын" in response.content.decode()
    _is_site_page(response.content.decode(), "kk")


def test_a_long_but_possible_code_is_answered_by_a_page_of_the_site() -> None:
    response = Client(headers={"accept-language": "ru"}).get("/verify/" + "Q" * 3000)

    assert response.status_code < 500
    _is_site_page(response.content.decode(), "ru")


def test_a_form_without_its_csrf_token_is_the_sites_403_page_and_nothing_happens() -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "ru"})

    response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "Срок действия формы истёк" in html
    assert "ничего не сохранено" in html
    _is_site_page(html, "ru")


@in_each_language(
    kk="Бұл мекенжайда бет жоқ", ru="По этому адресу страницы нет", en="There is no page"
)
def test_an_unknown_address_is_the_sites_404_page(make_user, lang, says) -> None:
    client = _signed_in(make_user, lang)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert says in response.content.decode()
    _is_site_page(response.content.decode(), lang)


def test_a_file_outside_the_scope_is_the_sites_403_page_naming_the_file(make_user) -> None:
    client = _signed_in(make_user, "ru")
    elsewhere = make_user("other", "records_officer", institution=register()["a1"])
    services.person_admit(officer=elsewhere, person=person_payload(institution="LA-155/3"))

    response = client.get("/people/p-ka-0001/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Это дело вне вашей компетенции. Попытка не записана как открытие дела." in html
    _is_site_page(html, "ru")


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("lang", "says"),
    [("kk", "Біз жақта қате орын алды"), ("ru", "На нашей стороне произошла ошибка")],
)
def test_a_server_error_is_the_sites_500_page(make_user, lang, says) -> None:
    client = _signed_in(make_user, lang)
    client.raise_request_exception = False

    response = client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert says in html
    assert "a failure no page expects" not in html
    _is_site_page(html, lang)


def test_the_api_keeps_its_json_errors() -> None:
    response = Client(headers={"accept-language": "en"}).get("/api/no-such-endpoint")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}
