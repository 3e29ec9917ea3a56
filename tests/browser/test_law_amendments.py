"""One lawyer of the legal department proposes an amendment with its source document; another sees
its impact and approves it; the pack in force changes (issue 22, ADR 0026)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from adaldyq.web.records import services as records
from tests.browser.forms import fill_in
from tests.browser.signin import from_menu, sign_in
from tests.web.fixtures import account, person_payload
from tests.web.transfers.conftest import small_register

FIGURE = "entitlements.medium.regular.parcels_per_year"


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    insts = small_register()
    officer = account("officer", "records_officer", institution=insts["M-ALM"])
    records.person_admit(officer=officer, person=person_payload("KA-0001", institution="M-ALM"))
    account("lawyer-a", "law_admin")
    account("lawyer-b", "law_admin")
    return {"insts": insts}


def test_one_lawyer_proposes_another_sees_the_impact_and_approves(
    world: dict[str, Any], live_server: Any, page: Page, tmp_path: Path
) -> None:
    from adaldyq.web.records.amendments import amendment_book
    from adaldyq.web.records.selectors import law_pack, shipped_law_pack

    document = tmp_path / "amending-law.pdf"
    document.write_bytes(b"%PDF the amending law")
    base = live_server.url
    from_menu(page, base, "lawyer-a", "kk", "#nav-law", "Заң пакетіне түзетулер")
    fill_in(page, {
        "#id_figure": FIGURE, "#id_value": "6", "#id_valid_from": "2024-01-01",
        "#id_article": "ҚР ҚАК 134-бабы", "#id_edition": "2024 жылғы 1 қаңтардағы редакция",
    })  # fmt: skip
    page.set_input_files("#id_document", str(document))
    fill_in(page, {"#id_confidence": "L", "#id_reason": "Кодекс көрсеткішті белгілейді"},
            submit="#propose button")  # fmt: skip
    expect(page.locator("#own")).to_be_visible()
    expect(page.locator("#value")).to_contain_text("6")
    (seq,) = amendment_book().proposals

    sign_in(page, base, "lawyer-b", lang="ru", at=f"/law/amendments/{seq}/")
    expect(page.locator("#impact-summary")).to_contain_text("из 1")
    page.check("#id_decision_0")
    page.click("#decide button")
    expect(page.locator("#reviewer")).to_contain_text("lawyer-b")
    assert amendment_book().proposals[seq].status == "approved"
    law_pack.cache_clear()
    assert law_pack().hash != shipped_law_pack().hash
    page.goto(f"{base}/law/amendments/")
    expect(page.locator(f'tr[data-seq="{seq}"]')).to_contain_text("утверждена")
