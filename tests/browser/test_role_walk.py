"""Every role walks its main pages on the demo as shipped, in Kazakh and Russian (issue 13).

From the header's links and the first links of each page, as a person would click: no server error,
the page in the chosen language, and none of the leftovers the issue found: a login where a person is
named, a region key ("mangystau") or a condition's code ("light") where words belong, a Latin
institution code ("UK-5") on the pages that name institutions in the page's script, English words of
the site's frame (header, error pages, register).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from adaldyq.core.regions import load_regions
from adaldyq.web.accounts.roles import Role
from tests.browser.shipped import ShippedDemo, server_errors, sign_in

pytestmark = pytest.mark.shipped

#: Every role but the law-pack administrator, whose pages test_law_amendments walks.
ROLES = tuple(role.value for role in Role if role is not Role.law_admin)
#: Pages a role reaches from the header, and how many links of each it follows further.
FOLLOW = 3
#: Region keys as whole words (shown where a region's name belongs).
REGION_KEYS = re.compile(r"\b(" + "|".join(re.escape(r.key) for r in load_regions()) + r")\b")
#: A condition's code alone in a table cell.
CONDITION_CELL = re.compile(r"<td>\s*(regular|light|preferential|strict)\s*</td>")
#: The English words of the site's own frame, which kk and ru pages must not show.
FRAME_ENGLISH = (
    "Sign out",
    "Skip to content",
    "Not found",
    "Not allowed",
    "Records officer",
    "Head of the institution",
    "Every fact in this file",
    "Institutions",
    "over capacity",
    "Regional centre",
)
#: Pages that name institutions through `institution_name` / `display_code` (this helper's lane).
SCRIPT_CHECKED = re.compile(r"^/(people/|institutions/)")
LATIN_CODE = re.compile(r"\b(UK|SI|LA)-\d")


def _visible(page: Page) -> str:
    return page.inner_text("body")


def _walk(page: Page, base: str) -> list[tuple[str, int, str, str]]:
    """(path, status, visible text, html) of the home page, the header's pages and a few links on."""
    start = page.url
    header = page.eval_on_selector_all("header nav a", "es => es.map(e => e.getAttribute('href'))")
    queue = [start, *(base + h for h in header if h and h.startswith("/"))]
    seen: set[str] = set()
    out = []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        status = response.status if response is not None else 0
        out.append((url.removeprefix(base), status, _visible(page), page.content()))
        if url == start or url.removeprefix(base) in header:
            links = page.eval_on_selector_all(
                "main a[href^='/']:not([download])", "es => es.map(e => e.getAttribute('href'))"
            )
            # files to download (a PDF, an export, a template) are not pages to read
            follow = [
                h
                for h in links
                if not re.search(r"logout|format=|/export|\.(pdf|csv|xlsx|json)(\?|$)", h)
            ]
            queue += [base + h for h in follow[:FOLLOW]]
    return out


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_walks_its_pages_in_kazakh_and_russian_without_english_leftovers(
    page: Page, shipped_demo: ShippedDemo, shipped_server: str, role: str, lang: str
) -> None:
    errors = server_errors(page)
    sign_in(page, shipped_server, shipped_demo, role, lang=lang)
    logins = {v["username"] for v in shipped_demo.logins.values() if "username" in v}

    walked = _walk(page, shipped_server)

    assert len(walked) >= 2, walked
    problems: dict[str, list[str]] = {}
    for path, status, text, html in walked:
        found = []
        if status >= 500:
            found.append(f"status {status}")
        if f'<html lang="{lang}"' not in html:
            found.append("not in the chosen language")
        found += [f"English: {w}" for w in FRAME_ENGLISH if w in text]
        found += [f"region key: {m}" for m in set(REGION_KEYS.findall(text))]
        found += [f"condition code: {m}" for m in set(CONDITION_CELL.findall(html))]
        header = html[html.find('<form class="who"') :][:600]
        found += [
            f"login as a name: {u}" for u in logins if f">{u} ·" in header or f">{u}<" in header
        ]
        if SCRIPT_CHECKED.match(path):
            found += [f"Latin code: {m}" for m in set(LATIN_CODE.findall(text))]
        if found:
            problems[path] = found
    assert problems == {}
    assert errors == []
