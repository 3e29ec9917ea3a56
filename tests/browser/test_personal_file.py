"""End to end in a real browser: sign in per role, record, correct, switch language, be refused."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from adaldyq.law.messages import date_text
from adaldyq.web.accounts.roles import Role
from adaldyq.web.records import services
from tests.browser.signin import sign_in
from tests.web.fixtures import (
    account,
    officer_and_head,
    person_payload,
    qualifying_person,
    register,
)

TODAY = date.today()  # noqa: DTZ011


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def _open_file(page: Page, base: str, person: Any, lang: str | None = None) -> None:
    """The records officer signs in and opens `person`'s file, the browser asking for `lang` if given."""
    if lang is not None:
        page.set_extra_http_headers({"Accept-Language": lang})
    sign_in(page, base, "records_officer", at=f"/people/{person.pk}/")


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    insts = register()
    users = {}
    for role in Role:
        scope: dict[str, Any] = {}
        if role in (Role.records_officer, Role.head):
            scope["institution"] = insts["k1"]
        elif role in (Role.regional, Role.probation_officer):
            scope["region"] = insts["k1"].region
        elif role is Role.prisoner:
            continue
        users[role.value] = account(role.value, role, **scope)
    officer = users["records_officer"]
    person = qualifying_person(officer, TODAY)
    other = services.person_admit(
        officer=officer,
        person=person_payload(
            "AL-0002", institution="LA-155/3", sentence={"start": _ago(400), "years": 5},
            on=_ago(390),
        ),
    )  # fmt: skip
    users["prisoner"] = account("prisoner", "prisoner", person_id=person.pk)
    return {"person": person, "other": other, "users": users}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_signs_in_and_lands_where_its_work_is(
    world: dict[str, Any], live_server: Any, page: Page, role: str, screenshots: Path
) -> None:
    sign_in(page, live_server.url, role)

    if role == "law_admin":  # reads no personal file: lands on the law pack's amendments
        expect(page).to_have_url(re.compile(r"/law/amendments/$"))
    elif role == "probation_officer":  # reads no prison file: lands on its register
        expect(page).to_have_url(re.compile(r"/probation/$"))
    elif role == "prisoner":
        expect(page).to_have_url(re.compile(rf"/people/{world['person'].pk}/$"))
        expect(page.locator("#law h2")).to_be_visible()
        expect(page.locator("#form-penalty")).to_have_count(0)
    else:
        expect(page).to_have_url(re.compile(r"/people/$"))
        expect(page.locator("#results")).to_contain_text("KA-0001")
    page.screenshot(path=str(screenshots / f"role-{role}.png"), full_page=True)


def test_a_penalty_changes_the_qualification_with_its_explanation(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    _open_file(page, live_server.url, world["person"], "en")
    expect(page.locator("#degree-qualifies")).to_have_text("+1")

    page.click("#form-penalty summary")
    page.fill("#id_penalty-on", _ago(10))
    page.fill("#id_penalty-violation", "smoking in the wrong place")
    page.click("#form-penalty button[type=submit]")

    expect(page.locator(".messages")).to_contain_text("Recorded")
    expect(page.locator("#degree-qualifies")).to_have_text("+0")
    penalty_day = TODAY - timedelta(days=10)  # written as the English page writes dates (ADR 0021)
    expect(page.locator("#explanation")).to_contain_text(
        f"a penalty was imposed on {date_text(penalty_day, 'en')}"
    )
    expect(page.locator("#timeline")).to_contain_text("smoking in the wrong place")
    page.screenshot(path=str(screenshots / "penalty-recorded.png"), full_page=True)


def test_a_correction_keeps_the_original_visible(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    _open_file(page, live_server.url, world["person"], "en")
    row = page.locator("#timeline tr", has_text="Incentive")

    row.locator("summary").click()
    row.locator("select[name$=reason_code]").select_option("typing_error")
    row.locator("textarea").fill("the order was dated a week earlier")
    row.locator("input[type=date]").fill(_ago(137))
    row.locator("button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("the original stays in the file")
    expect(page.locator("#timeline tr.superseded")).to_have_count(1)
    expect(page.locator("#timeline tr.correction")).to_contain_text(
        "the order was dated a week earlier"
    )
    page.screenshot(path=str(screenshots / "correction.png"), full_page=True)


def test_switching_the_language_translates_the_page_and_the_explanation(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    _open_file(page, live_server.url, world["person"])

    page.click("header button[value=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#h-law")).to_have_text("Что говорит закон сегодня")
    expect(page.locator("#explanation")).to_contain_text("Степень поведения")
    page.click("header button[value=kk]")
    expect(page.locator("#h-law")).to_have_text("Заң бүгін не дейді")
    page.screenshot(path=str(screenshots / "kk.png"), full_page=True)
    page.click("header button[value=en]")
    expect(page.locator("#h-law")).to_have_text("What the law says today")


def test_a_file_outside_ones_scope_is_refused(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    page.set_extra_http_headers({"Accept-Language": "en"})
    sign_in(page, live_server.url, "records_officer")

    response = page.goto(f"{live_server.url}/people/{world['other'].pk}/")

    assert response is not None
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("outside your scope")
    page.screenshot(path=str(screenshots / "refused.png"), full_page=True)


def test_the_search_updates_as_one_types(
    world: dict[str, Any], live_server: Any, page: Page
) -> None:
    page.set_extra_http_headers({"Accept-Language": "en"})
    sign_in(page, live_server.url, "committee")
    expect(page.locator("#results")).to_contain_text("AL-0002")

    page.fill("#q", "ka-0001")

    expect(page.locator("#results")).not_to_contain_text("AL-0002")
    expect(page.locator("#results")).to_contain_text("KA-0001")
    expect(page).to_have_url(re.compile(r"q=ka-0001"))


@pytest.mark.parametrize("role", ["prisoner", "records_officer"])
def test_on_a_phone_the_file_fits_the_screen(
    world: dict[str, Any], live_server: Any, page: Page, role: str, screenshots: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, role, at=f"/people/{world['person'].pk}/")

    # nothing but a wide table (which scrolls inside its card) may be wider than the screen
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(screenshots / f"phone-file-{role}.png"), full_page=True)
    assert overflow <= 0
    birth = page.locator("dl.facts dd").first.bounding_box()
    assert birth is not None
    assert birth["x"] + birth["width"] <= 390


def test_the_facts_for_parole_are_recorded_in_russian_and_shown_in_the_file(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    from adaldyq.web.records.models import Person

    _open_file(page, live_server.url, world["person"], "ru")

    page.click("#form-parole_facts summary")
    page.fill("#id_parole_facts-on", _ago(20))
    page.click("#form-parole_facts button[type=submit]")
    expect(page.locator("#form-parole_facts")).to_contain_text(
        "Ответьте хотя бы на один из вопросов."
    )

    page.fill("#id_parole_facts-on", _ago(20))
    page.select_option("#id_parole_facts-corruption", "false")
    page.select_option("#id_parole_facts-damage_compensated", "true")
    page.click("#form-parole_facts button[type=submit]")

    expect(page.locator("#timeline")).to_contain_text(
        "преступление не является коррупционным; ущерб возмещён полностью"
    )
    person = Person.objects.get(pk=world["person"].pk)
    assert (person.corruption, person.damage_compensated, person.procedural_agreement) == (
        False,
        True,
        None,
    )
    page.screenshot(path=str(screenshots / "parole-facts-recorded.png"), full_page=True)


def test_a_fact_recorded_months_late_waits_for_another_heads_confirmation(
    transactional_db: Any, live_server: Any, page: Page, screenshots: Path
) -> None:
    """Issue 15: in Russian, the officer records an incentive of four months ago with the reason; it is
    proposed and counts for nothing; the head confirms it and it stands in the file."""
    import time_machine
    from django.utils import timezone

    officer = officer_and_head("records_officer")
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=True):  # opened long ago
        person = services.person_admit(officer=officer, person=person_payload())
    _open_file(page, live_server.url, person, "ru")

    page.click("#form-incentive summary")
    page.fill("#id_incentive-on", _ago(120))
    page.select_option("#id_incentive-kind", "gratitude")
    page.click("#form-incentive button[type=submit]")
    expect(page.locator("#form-incentive")).to_contain_text("дн. назад")  # why late? refused
    page.select_option("#id_incentive-late_code", "paper_file")
    page.fill("#id_incentive-late_reason", "приказ найден в бумажном деле при переводе")
    page.click("#form-incentive button[type=submit]")

    expect(page.locator(".messages")).to_contain_text("Направлено на подтверждение")
    expect(page.locator("#timeline")).not_to_contain_text("благодарность")
    page.screenshot(path=str(screenshots / "late-fact-proposed.png"), full_page=True)

    sign_in(page, live_server.url, "head", lang="ru")
    page.click("#nav-entries")
    card = page.locator("section.awaiting", has_text="приказ найден в бумажном деле")
    expect(card).to_contain_text("обнаружено в бумажном личном деле")
    page.screenshot(path=str(screenshots / "late-fact-to-confirm.png"), full_page=True)
    card.locator("button[value=confirm]").click()

    expect(page.locator(".messages")).to_contain_text("Подтверждено")
    expect(page.locator("#nothing-to-confirm")).to_be_visible()
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.locator("#timeline")).to_contain_text("благодарность")
