"""Two records officers transcribe the same page of a paper file, differently; the head, who read
neither, settles it with the scans beside; the file then says where each fact was read (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from adaldyq.web.accounts.roles import Role
from tests.browser.signin import sign_in
from tests.web.fixtures import account
from tests.web.paper.conftest import ADMISSION, PAGE_2, SCAN_1, SCAN_2, table
from tests.web.transfers.conftest import small_register


@pytest.fixture
def world(transactional_db: Any, tmp_path: Any) -> dict[str, Any]:
    insts = small_register()
    for name, role in (("officer-a", Role.records_officer), ("officer-b", Role.records_officer),
                       ("head", Role.head)):  # fmt: skip
        account(name, role, institution=insts["M-ALM"])
    files = {
        "first.csv": table(ADMISSION, PAGE_2),
        "second.csv": table(PAGE_2.replace("2023-07-01", "2023-07-11").strip()),
        "p1.jpg": SCAN_1,
        "p2.jpg": SCAN_2,
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return {"dir": tmp_path}


def _upload(page: Page, base: str, folder: Any, table_name: str, button: str) -> None:
    page.goto(f"{base}/paper/")
    page.set_input_files("#id_table", str(folder / table_name))
    page.set_input_files("#id_scans", [str(folder / "p1.jpg"), str(folder / "p2.jpg")])
    page.click(button)


def test_two_officers_transcribe_a_page_and_the_head_settles_their_difference(
    world: dict[str, Any], live_server: Any, page: Page
) -> None:
    from adaldyq.web.paper.models import PaperPage

    base, folder = live_server.url, world["dir"]
    sign_in(page, base, "officer-a", lang="ru")
    page.click("#nav-paper")
    expect(page.locator("h1")).to_have_text("Бумажные дела")
    _upload(page, base, folder, "first.csv", "#check")
    expect(page.locator("#report-summary")).to_have_text("Проверено: пока ничего не записано")
    expect(page.locator("#preview tbody tr")).to_have_count(3)
    _upload(page, base, folder, "first.csv", "#import-button")
    expect(page.locator("#report-summary")).to_have_text("Записано в реестр")

    sign_in(page, base, "officer-b", lang="kk")
    _upload(page, base, folder, "second.csv", "#import-button")
    expect(page.locator("#report")).to_contain_text("айырмашылығы бар, басшыны күтуде: 1")

    sign_in(page, base, "head", lang="en", at="/paper/")
    page.click("#to-settle tbody a")
    expect(page.locator("#page-status")).to_contain_text("awaiting a head")
    expect(page.locator("#scans img")).to_have_count(1)
    expect(page.locator(".difference")).to_have_count(1)
    page.check("#id_d0_1")  # the second reading: 11 July, as the scan says
    page.fill("#id_reason", "The scan reads 11 July.")
    page.click("#settle")
    expect(page.locator("#page-status")).to_contain_text("settled by")
    assert PaperPage.objects.get(page=2).status == "settled"
    page.click("main p a")  # the person's file
    expect(page.locator(".paper-source")).to_have_count(
        4
    )  # the admission, both facts, the correction
    expect(page.locator('.paper-source[data-checked="settled"]').first).to_contain_text(
        "settled by a head"
    )
