"""The site header's pieces kept per language and role (accounts.templatetags.site_tags, ADR 0012)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from adaldyq.web.records import services
from tests.web.fixtures import PASSWORD, person_payload, register

pytestmark = pytest.mark.django_db


def _nav(client: Client, lang: str) -> str:
    page = client.get("/institutions/", headers={"accept-language": lang}).content.decode()
    return re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S).group(1)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_each_role_and_prisoner_gets_their_own_links_in_their_language(make_user) -> None:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    for number in ("KA-0001", "KA-0002"):
        services.person_admit(officer=officer, person=person_payload(number))
    make_user("chair", "committee")
    make_user("self1", "prisoner", person_id="p-ka-0001")
    make_user("self2", "prisoner", person_id="p-ka-0002")

    staff_en, staff_ru = _nav(_client("chair"), "en"), _nav(_client("chair"), "ru")
    first, second = _nav(_client("self1"), "en"), _nav(_client("self2"), "en")
    again = _nav(_client("chair"), "en")  # after the prisoners' pieces were kept

    assert 'href="/people/"' in staff_en
    assert ">Commission<" in staff_en
    assert ">Ledger<" in staff_en
    assert staff_ru != staff_en
    assert 'href="/people/"' in staff_ru
    assert again == staff_en
    for nav, mine, other in ((first, "p-ka-0001", "p-ka-0002"), (second, "p-ka-0002", "p-ka-0001")):
        assert 'href="/people/"' not in nav
        assert ">Ledger<" not in nav
        assert f"/{mine}/" in nav
        assert f"/{other}/" not in nav


def test_the_current_language_is_marked_and_a_visitor_gets_no_links() -> None:
    client = Client()
    page = client.get("/accounts/login/", headers={"accept-language": "ru"}).content.decode()
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S).group(1)

    assert "<a " not in nav
    assert re.search(r'value="ru" lang="ru" aria-current="true" class="current"', page)
    assert not re.search(r'value="kk" lang="kk" aria-current', page)


def test_every_link_of_every_roles_menu_opens_for_that_role(make_user) -> None:
    from adaldyq.web.accounts.roles import Role

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    services.person_admit(officer=officer, person=person_payload("KA-0001"))
    scope = {
        Role.records_officer: {"institution": insts["k1"]},
        Role.head: {"institution": insts["k1"]},
        Role.regional: {"region": insts["k1"].region},
        Role.probation_officer: {"region": insts["k1"].region},
        Role.prisoner: {"person_id": "p-ka-0001"},
    }
    refused = {}
    for role in Role:
        make_user(f"u-{role.value}", role.value, **scope.get(role, {}))
        client = _client(f"u-{role.value}")
        links = re.findall(r'href="(/[^"#?]*)"', _nav(client, "en"))
        assert links, role
        refused[role.value] = [
            (link, status) for link in links
            if (status := client.get(link).status_code) not in (200, 302)
        ]  # fmt: skip

    assert refused == {role.value: [] for role in Role}


def test_each_menu_link_is_shown_by_a_scope_predicate_that_reads_the_role_alone() -> None:
    """The menu's table (accounts.menu) asks accounts.scope, whose answers for it depend on the role
    and the prisoner's own file only: the menu kept per role and file is every such user's."""
    from adaldyq.web.accounts import menu
    from adaldyq.web.accounts.models import User
    from adaldyq.web.accounts.roles import Role

    shown_by = {
        link.shown.__module__ for line in (*menu.PROBATION, *menu.MAIN) for link in line.links
    }
    assert shown_by == {"adaldyq.web.accounts.scope"}
    for role in Role:
        bare = User(role=role.value, person_id="p-ka-0001")
        scoped = User(role=role.value, person_id="p-ka-0001", institution_id=7, region_id="almaty")
        assert menu.links_of(bare) == menu.links_of(scoped), role


def test_the_api_tokens_link_is_for_staff_only_and_the_assets_are_the_site_s(make_user) -> None:
    make_user("chair", "committee")
    make_user("self1", "prisoner", person_id="p-ka-0001")

    en = {"accept-language": "en"}
    staff = _client("chair").get("/institutions/", headers=en).content.decode()
    kiosk = _client("self1").get("/institutions/", headers=en).content.decode()

    assert 'id="tokens-link"' in staff
    assert 'id="tokens-link"' not in kiosk
    assert "Sign out" in kiosk
    for page in (staff, kiosk):
        assert re.search(r'<link rel="stylesheet" href="/static/adaldyq/site[^"]*\.css">', page)
        assert re.search(r'<script src="/static/adaldyq/charts[^"]*\.js" data-vendor=', page)
