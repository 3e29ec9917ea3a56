"""The deviation register and its evidence: counts, exports in the reader's language, the entry page
with its proof, the marked entry in the file, and who may see them (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings

from adaldyq.oversight.sources import all_flag_kinds
from adaldyq.web.decisions import services
from adaldyq.web.decisions.models import Decision
from adaldyq.web.decisions.register_words import rule_text
from adaldyq.web.records import services as records
from adaldyq.web.records.checkpoints import sign_guarded
from adaldyq.web.records.models import FileOpening
from adaldyq.web.spreadsheets import inert
from tests.languages import in_each_language
from tests.web.decisions.test_commission import MEMBERS, TODAY, _ago
from tests.web.fixtures import client_as, person_payload, qualifying_person, register, scoped

pytestmark = pytest.mark.django_db

#: An officer whose login a spreadsheet would read as a formula (Django allows @ . + - _).
FORMULA_LOGIN = "-2+3@x"


@pytest.fixture
def flagged(make_user: Any) -> dict[str, Any]:
    """One decision against the engine's proposal in Karaganda, recorded by FORMULA_LOGIN; one
    person in Almaty with an incentive."""
    insts = register()
    officer = make_user(FORMULA_LOGIN, "records_officer", institution=insts["k1"])
    officer.first_name, officer.last_name = "Серік", "Ахметов"
    officer.save()
    person = qualifying_person(officer, TODAY)
    session = services.session_open(officer=officer, on=TODAY, members=MEMBERS)
    item = session.items.get(question="degree")
    services.decision_record(
        officer=officer, item=item, outcome="refuse", terms={},
        votes={m["id"]: "for" for m in session.present},
        reason_code="facts_disputed", reason="=HYPERLINK(\"http://x\")",
    )  # fmt: skip
    far_officer = make_user("almaty", "records_officer", institution=insts["a1"])
    far = records.person_admit(
        officer=far_officer,
        person=person_payload("LA-0009", institution="LA-155/3", sentence={"start": _ago(400), "years": 8}, on=_ago(390)),
    )  # fmt: skip
    records.fact_record(
        officer=far_officer, person=far, fact={"type": "incentive", "on": _ago(100), "kind": "gratitude"}
    )  # fmt: skip
    return {"insts": insts, "officer": officer, "person": person, "far": far,
            "decision": Decision.objects.get()}  # fmt: skip


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_cells(content: bytes) -> list[list[str]]:
    """The text of each row of the first sheet (shared or inline strings; dates as their number)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))  # noqa: S314 - written by us
            shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root]
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - ours
    out = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = []
        for c in row.iter(f"{{{ns['m']}}}c"):
            if c.get("t") == "s":
                cells.append(shared[int(c.find("m:v", ns).text)])  # type: ignore[union-attr,arg-type]
            elif c.get("t") == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t")))
            else:
                v = c.find("m:v", ns)
                cells.append("" if v is None else str(v.text))
        out.append(cells)
    return out


# ---- the page: counts by kind, institution and officer, each a filter link -------------------------


def test_the_register_counts_flags_by_kind_institution_and_officer_with_filter_links(
    flagged, make_user
):
    prosecutor = make_user("prosecutor", "prosecutor")

    page = client_as(prosecutor, "en").get("/commission/register/").content.decode()

    assert 'id="counts-kind"' in page
    assert 'id="counts-institution"' in page
    assert 'id="counts-officer"' in page
    assert 'data-filter="institution" data-value="UK-161/1"' in page
    assert "Medium 1 (Karaganda)" in page  # the institution by its name
    assert "Ахметов Серік" in page  # the officer by name, not only the login
    assert re.search(r'class="bar" style="width: 100\.0%"', page)  # unlocalised CSS
    link = re.search(
        r'href="([^"]+)" data-filter="kind" data-value="commission_contrary_to_proposal"', page
    )
    assert link is not None
    filtered = client_as(prosecutor, "en").get(link.group(1).replace("&amp;", "&")).content.decode()
    assert set(re.findall(r'data-kind="([^"]+)"', filtered)) == {"commission_contrary_to_proposal"}


def test_the_institution_filter_matches_the_code_exactly(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")

    exact = client_as(prosecutor, "en").get("/commission/register/", {"institution": "uk-161/1"})
    part = client_as(prosecutor, "en").get("/commission/register/", {"institution": "UK-161"})

    assert 'data-kind="commission_contrary_to_proposal"' in exact.content.decode()
    assert "data-kind=" not in part.content.decode()


def test_the_evidence_numbers_link_to_the_entry_pages(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")
    seq = flagged["decision"].seq

    page = client_as(prosecutor, "en").get("/commission/register/").content.decode()

    assert f'<a href="/ledger/entries/{seq}/" class="entry-link">#{seq}</a>' in page
    person = flagged["person"].pk
    assert re.search(rf'<a href="/people/{person}/\?entry=(\d+)#entry-\1">{person}</a>', page)


@in_each_language(kk="ҚАК 17, 95, 103-баптар", ru="ст. 17, 95, 103 УИК", en="PEC arts. 17, 95, 103")
def test_the_rule_column_is_in_the_readers_language(flagged, make_user, lang, words):
    prosecutor = make_user("prosecutor", "prosecutor")

    page = client_as(prosecutor, lang).get("/commission/register/").content.decode()

    assert words in page


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_rule_of_any_kind_of_flag_is_left_in_english(lang):
    for kind, rule in all_flag_kinds().items():
        text = rule_text(rule, lang)
        latin = re.sub(r"LAW\.md|ADR", "", text)
        assert not re.search(r"[A-Za-z]{2,}", latin), (kind, text)


# ---- exports ---------------------------------------------------------------------------------------


@in_each_language(
    kk=("Түрі", "жүйе ұсынысына қайшы шешім", r"^\d{2}\.\d{2}\.\d{4}$"),
    ru=("Вид", "решение вопреки предложению системы", r"^\d{2}\.\d{2}\.\d{4}$"),
    en=("Kind", "decision contrary to the engine's proposal", r"^\d{1,2} [A-Z][a-z]{2} \d{4}$"),
)
def test_the_csv_export_speaks_the_readers_language(
    flagged, make_user, lang, header, kind, date_re
):
    prosecutor = make_user("prosecutor", "prosecutor")

    response = client_as(prosecutor, lang).get("/commission/register/", {"format": "csv"})

    rows = _rows(response.content)
    assert rows[0][0] == header
    line = next(r for r in rows[1:] if r[0] == kind)
    assert line[4].startswith("Ахметов Серік, ")  # the officer's name and position after the login
    assert re.match(date_re, line[5])
    assert "{" not in line[9]
    assert '"' not in line[9]
    assert "commission_contrary_to_proposal" not in response.content.decode("utf-8-sig")


def test_the_csv_export_neutralises_formula_prefixes(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")

    rows = _rows(
        client_as(prosecutor, "en").get("/commission/register/", {"format": "csv"}).content
    )

    officers = {r[3] for r in rows[1:]}
    assert f"'{FORMULA_LOGIN}" in officers
    assert FORMULA_LOGIN not in officers
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_starting_like_a_formula_is_written_as_text(text):
    assert inert(text) == "'" + text
    assert inert("plain =1") == "plain =1"


def test_the_xlsx_export_has_words_text_cells_and_real_dates(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")

    response = client_as(prosecutor, "ru").get("/commission/register/", {"format": "xlsx"})

    assert response.content[:2] == b"PK"
    cells = _xlsx_cells(response.content)
    assert cells[0][0] == "Вид"
    line = next(r for r in cells[1:] if r[0] == "решение вопреки предложению системы")
    assert line[3] == f"'{FORMULA_LOGIN}"
    assert line[5].isdigit()  # a date cell (a serial number shown as dd.mm.yyyy)
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert b"dd.mm.yyyy" in z.read("xl/styles.xml")
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")  # no formula anywhere


# ---- the entry page ----------------------------------------------------------------------------------


def test_the_entry_page_says_who_recorded_what_about_whom_and_proves_it(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")
    d = flagged["decision"]
    person = flagged["person"]

    pending = client_as(prosecutor, "en").get(f"/ledger/entries/{d.seq}/")
    sign_guarded(Path(settings.DATA_DIR))
    proved = client_as(prosecutor, "en").get(f"/ledger/entries/{d.seq}/")

    assert pending.status_code == 200
    assert 'data-status="pending"' in pending.content.decode() or 'data-status="no_checkpoint"' in (
        pending.content.decode()
    )
    page = proved.content.decode()
    assert 'data-status="included"' in page
    assert 'id="audit-path"' in page or d.seq == 0
    assert "Ахметов Серік" in page
    assert "Commission decision" in page
    assert f'href="/people/{person.pk}/"' in page  # a decision is not a fact of the timeline
    assert f"/verify/{d.code}" in page


def test_the_entry_page_of_a_fact_links_to_the_file_with_the_entry_marked(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")
    person = flagged["person"]
    fact = person.facts.get(kind="incentive")

    entry = client_as(prosecutor, "en").get(f"/ledger/entries/{fact.seq}/").content.decode()
    link = f"/people/{person.pk}/?entry={fact.seq}#entry-{fact.seq}"
    file_page = client_as(prosecutor, "en").get(link.split("#")[0]).content.decode()

    assert f'href="{link}"' in entry
    assert 'id="fact-text"' in entry
    marked = re.findall(r'<tr class="([^"]*)" id="entry-(\d+)"( aria-current="true")?', file_page)
    assert [(seq, bool(cur)) for cls, seq, cur in marked if "marked" in cls] == [
        (str(fact.seq), True)
    ]


def test_reading_an_entry_leaves_an_access_entry(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")
    person = flagged["person"]
    before = FileOpening.objects.filter(person=person, by="prosecutor").count()

    client_as(prosecutor, "en").get(f"/ledger/entries/{flagged['decision'].seq}/")

    assert FileOpening.objects.filter(person=person, by="prosecutor").count() == before + 1
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body FROM ledger_entries WHERE type = 'file_opened' ORDER BY seq DESC LIMIT 1"
        )
        body = bytes(cursor.fetchone()[0])
    assert f'"entry":{flagged["decision"].seq}'.encode() in body


def test_an_unknown_entry_is_not_found(flagged, make_user):
    prosecutor = make_user("prosecutor", "prosecutor")

    assert client_as(prosecutor, "en").get("/ledger/entries/999999/").status_code == 404
    assert client_as(prosecutor, "en").get(f"/ledger/entries/{10**25}/").status_code == 404


# ---- who may see the register and the entries (ADR 0005) ---------------------------------------------


@pytest.mark.parametrize(
    ("role", "register_status", "near_status", "far_status"),
    [
        ("records_officer", 403, 403, 403),
        ("head", 403, 403, 403),
        ("regional", 200, 200, 403),
        ("committee", 200, 200, 200),
        ("prosecutor", 200, 200, 200),
        ("anticorruption", 200, 200, 200),
        ("ombudsman", 200, 200, 200),
        ("public_council", 200, 200, 200),
    ],
)
def test_each_role_may_or_may_not_read_the_register_and_its_entries(
    flagged, make_user, role, register_status, near_status, far_status
):
    user = make_user(f"u-{role}", role, **scoped(role, flagged["insts"]))
    near = flagged["person"].facts.get(kind="incentive").seq
    far = flagged["far"].facts.get(kind="incentive").seq
    c = client_as(user, "en")

    assert c.get("/commission/register/").status_code == register_status
    assert c.get("/commission/register/", {"format": "csv"}).status_code == register_status
    assert c.get(f"/ledger/entries/{near}/").status_code == near_status
    assert c.get(f"/ledger/entries/{far}/").status_code == far_status


def test_a_prisoner_reads_neither_the_register_nor_an_entry(flagged, make_user):
    prisoner = make_user("self", "prisoner", person_id=flagged["person"].pk)
    seq = flagged["person"].facts.get(kind="incentive").seq

    assert client_as(prisoner, "en").get("/commission/register/").status_code == 403
    assert client_as(prisoner, "en").get(f"/ledger/entries/{seq}/").status_code == 403


def test_a_regional_department_sees_only_its_regions_flags(flagged, make_user):
    almaty = make_user("almaty-dept", "regional", region=flagged["insts"]["a1"].region)

    page = client_as(almaty, "en").get("/commission/register/").content.decode()

    assert "data-kind=" not in page
    assert "UK-161/1" not in page


def test_a_refused_read_of_an_entry_leaves_no_access_entry(flagged, make_user):
    officer = make_user("o2", "records_officer", institution=flagged["insts"]["k1"])
    seq = flagged["person"].facts.get(kind="incentive").seq
    before = FileOpening.objects.count()

    assert client_as(officer, "en").get(f"/ledger/entries/{seq}/").status_code == 403
    assert FileOpening.objects.count() == before


@pytest.mark.parametrize(
    ("role", "shown"),
    [("records_officer", False), ("regional", True), ("committee", True), ("prosecutor", True)],
)
def test_the_header_leads_register_readers_to_the_register(flagged, make_user, role, shown):
    user = make_user(f"nav-{role}", role, **scoped(role, flagged["insts"]))

    page = client_as(user, "en").get("/people/").content.decode()

    assert ('href="/commission/register/" id="nav-register"' in page) is shown


@pytest.mark.parametrize(
    ("detail", "words"),
    [
        (
            {"would_qualify_on": "2022-04-30", "for": "degree 1", "days_before": 21},
            "право возникло бы: 30.04.2022; степень или условия: +1; за сколько дней: 21",
        ),
        (
            {"decision": "condition", "target": "light"},
            "решение: условия отбывания наказания; степень или условия: облегчённые",
        ),
        (
            {"rate": 0.1234, "z": 3.25, "still_open": True, "terms": {}},
            "доля: 12,3 %; z-оценка: 3,25; всё ещё не решено: да; условия решения: —",
        ),
    ],
)
def test_a_flags_details_read_as_words_in_the_language(detail, words):
    from django.utils.translation import override

    from adaldyq.web.decisions.register_words import detail_text

    with override("ru"):
        assert detail_text(detail) == words
