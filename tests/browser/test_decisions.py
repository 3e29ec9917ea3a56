"""End to end in a real browser: a commission session outvotes the engine, prints, and is verified."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from adaldyq.web.decisions.models import Decision
from adaldyq.web.records.checkpoints import sign_guarded
from tests.browser.signin import sign_in
from tests.web.decisions.tampering import forge_entry, restore_entry
from tests.web.fixtures import officer_and_head, qualifying_person

TODAY = date.today()  # noqa: DTZ011


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    officer = officer_and_head("secretary")
    person = qualifying_person(officer, TODAY)
    return {"person": person}


def test_a_session_outvotes_the_proposal_gives_a_reason_prints_and_verifies(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "secretary", at="/commission/")
    for i, (name, group) in enumerate(
        [
            ("Серік Ахметов", "staff"),
            ("Айгүл Нұрланова", "local_executive"),
            ("Ivan Petrov", "public"),
        ],
        1,
    ):
        page.fill(f"input[name=member-{i}-name]", name)
        page.select_option(f"select[name=member-{i}-group]", group)
    page.click("#open-session button[type=submit]")

    item = page.locator("details.agenda-item[data-person='KA-0001'][data-question='degree']")
    expect(item).to_have_attribute("open", "")  # the next item to decide is open
    expect(page.locator("#quorum")).to_contain_text("?")
    page.screenshot(path=str(screenshots / "commission-agenda.png"), full_page=True)

    item.locator("select[name=outcome]").select_option("refuse")
    item.locator("button[type=submit]").click()  # no vote chosen: the browser asks for them
    assert not Decision.objects.exists()
    for vote in item.locator("select[name^=vote-]").all():
        expect(vote).to_have_value("")  # nothing preset: each member's vote is chosen
        vote.select_option("for")
    item.locator("button[type=submit]").click()
    item = page.locator("details.agenda-item[data-person='KA-0001'][data-question='degree']")
    expect(item.locator("[role=alert]")).to_be_visible()
    assert not Decision.objects.exists()

    item.locator("select[name=reason_code]").select_option("facts_disputed")
    item.locator("textarea[name=reason]").fill("The incentive of the file is disputed by the unit.")
    item.locator("select[name=outcome]").select_option("refuse")
    expect(item.locator("select[name=vote-m1]")).to_have_value("for")  # kept after the refusal
    item.locator("button[type=submit]").click()
    expect(item.locator(".decided")).to_be_visible()
    decision = Decision.objects.get()
    assert decision.deviates is True

    item.locator(".decided a").first.click()
    expect(page.locator("#code")).to_have_text(decision.code)
    page.click("header .lang button[value=kk]")  # the document comes in the reader's language
    expect(page.locator("h1")).to_contain_text("Комиссия шешімі")
    pdf = page.request.get(f"{base}/commission/decisions/{decision.seq}/document.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    pdf_path = screenshots / "commission-decision.pdf"
    pdf_path.write_bytes(pdf.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf_path),
             str(screenshots / "commission-decision")],
            check=True,
        )  # fmt: skip

    sign_guarded(Path(settings.DATA_DIR))  # the signer process covers it within its minute
    public = page.context.browser.new_page()  # type: ignore[union-attr]
    public.goto(f"{base}/verify/{decision.code}")
    expect(public.locator("#verdict")).to_have_class(re.compile("ok"))
    expect(public.locator("#checkpoint")).to_be_visible()

    original = forge_entry(decision.seq, b'"outcome":"refuse"', b'"outcome":"award_degree"')
    public.reload()
    expect(public.locator("#verdict")).to_have_class(re.compile("error"))
    expect(public.locator("#checks li.error").first).to_be_visible()
    public.screenshot(path=str(screenshots / "commission-verify-tampered.png"), full_page=True)
    # the live server's ledger outlives the test: put the entry back for the tests after this one
    restore_entry(decision.seq, original)


def _decided(person: Any) -> Decision:
    from adaldyq.web.accounts.models import User
    from adaldyq.web.decisions import services as decisions

    officer = User.objects.get(username="secretary")
    members = [{"name": "Серік Ахметов", "group": "staff", "present": True},
               {"name": "Ivan Petrov", "group": "public", "present": True}]  # fmt: skip
    session = decisions.session_open(officer=officer, on=TODAY, members=members)
    return decisions.decision_record(
        officer=officer, item=session.items.get(question="degree"), outcome="award_degree",
        terms={"degree": 1}, votes={"m1": "for", "m2": "for"},
    )  # fmt: skip


def test_the_head_confirms_a_decision_from_the_list_awaiting_confirmation(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:
    d = _decided(world["person"])
    base = live_server.url
    sign_in(page, base, "head")

    page.click("#nav-confirm")
    expect(page.locator("h1")).to_contain_text("(1)")
    card = page.locator(f"section.awaiting[data-code='{d.code}']")
    expect(card).to_contain_text("KA-0001")
    page.screenshot(path=str(screenshots / "commission-awaiting.png"), full_page=True)
    card.locator("button.confirm").click()

    expect(page.locator("#nothing-awaiting")).to_be_visible()
    expect(page.locator("#nav-confirm")).to_contain_text("0")
    assert Decision.objects.get().confirmed_seq is not None


def test_anyone_verifies_a_fresh_decision_as_pending_then_covered_and_a_forged_one_is_red(
    world: dict[str, Any], live_server: Any, page: Page, screenshots: Path
) -> None:

    d = _decided(world["person"])
    base = live_server.url

    page.goto(f"{base}/verify/{d.code.lower().replace('-', '')}")  # typed in any case, no dash
    verdict = page.locator("#verdict")
    expect(verdict).to_have_attribute("data-state", "pending")
    expect(verdict).to_have_class(re.compile("pending"))
    expect(verdict).not_to_have_class(re.compile("error"))
    expect(page.locator("#checks li.error")).to_have_count(0)
    page.screenshot(path=str(screenshots / "commission-verify-pending.png"), full_page=True)

    sign_guarded(Path(settings.DATA_DIR))  # what the signer process does within its minute
    page.reload()
    expect(verdict).to_have_attribute("data-state", "verified")
    expect(page.locator("#checkpoint")).to_be_visible()

    page.fill("input[name=code]", "ABCDE-FGH23")
    page.locator("main button[type=submit]").click()
    expect(verdict).to_have_attribute("data-state", "unknown")
    expect(verdict).to_have_class(re.compile("error"))

    original = forge_entry(d.seq, b'"degree":1', b'"degree":3')
    page.goto(f"{base}/verify/{d.code}")
    expect(verdict).to_have_attribute("data-state", "failed")
    expect(verdict).to_have_class(re.compile("error"))
    restore_entry(d.seq, original)  # the live server's ledger outlives the test
