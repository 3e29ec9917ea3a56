"""The commission's pages through Django's test client: scope, the reason gate, PDF, verify, register."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from adaldyq.web.decisions.models import Decision, Session
from tests.languages import in_each_language
from tests.web.decisions.tampering import forge_entry
from tests.web.decisions.test_commission import world  # noqa: F401 - the fixture
from tests.web.fixtures import account, client_as


def _open(client: Client) -> Session:
    post = {"on": date.today().isoformat()}  # noqa: DTZ011
    for i, (name, group) in enumerate(
        [("Staff", "staff"), ("Akimat", "local_executive"), ("Public", "public")], 1
    ):
        post |= {f"member-{i}-name": name, f"member-{i}-group": group, f"member-{i}-present": "on"}
    response = client.post("/commission/open/", post)
    assert response.status_code == 302
    return Session.objects.get()


def _decide(client: Client, session: Session, **extra: str) -> Any:
    item = session.items.get(question="degree")
    post = {"outcome": "refuse", **{f"vote-{m['id']}": "for" for m in session.present}, **extra}
    return client.post(f"/commission/items/{item.seq}/decide/", post, HTTP_HX_REQUEST="true")


def _awarded(people: dict[str, Any]) -> tuple[Client, Decision]:
    """The secretary's client, having opened a session and awarded the first degree in it."""
    client = client_as(people["officer"])
    _decide(client, _open(client), outcome="award_degree", degree="1")
    return client, Decision.objects.get()


def test_the_secretary_opens_a_session_and_sees_the_agenda_with_the_proposal(world):  # noqa: F811
    client = client_as(world["officer"])

    session = _open(client)
    page = client.get(f"/commission/sessions/{session.pk}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "KA-0001" in text
    assert 'id="quorum"' in text


def test_outvoting_the_proposal_is_stopped_until_a_reason_is_given(world):  # noqa: F811
    client = client_as(world["officer"])
    session = _open(client)

    stopped = _decide(client, session)
    assert stopped.status_code == 200
    assert 'role="alert"' in stopped.content.decode()
    assert not Decision.objects.exists()

    saved = _decide(client, session, reason_code="facts_disputed", reason="contested incentive")
    assert Decision.objects.get().deviates is True
    assert "decision" in saved.content.decode()


def test_the_decision_prints_as_a_pdf_and_its_code_verifies_publicly(world):  # noqa: F811
    client, d = _awarded(world)

    pdf = client.get(f"/commission/decisions/{d.seq}/document.pdf", HTTP_ACCEPT_LANGUAGE="ru")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    public = Client().get(f"/verify/{d.code}")
    assert public.status_code == 200
    assert 'id="verdict"' in public.content.decode()

    forge_entry(d.seq, b'"outcome":"award_degree"', b'"outcome":"refuse"')
    tampered = Client().get(f"/verify/{d.code}")
    assert tampered.status_code == 409


def test_the_head_confirms_and_the_prisoner_sees_the_decision_and_the_next_step(world):  # noqa: F811
    d = _awarded(world)[1]

    assert (
        client_as(world["head"]).post(f"/commission/decisions/{d.seq}/confirm/").status_code == 302
    )
    assert Decision.objects.get().confirmed_seq is not None

    prisoner = account("p1", "prisoner", person_id=world["qualifies"].pk)
    mine = client_as(prisoner).get("/commission/mine/")
    assert mine.status_code == 200
    assert d.code in mine.content.decode()
    assert 'id="next-step"' in mine.content.decode()


def test_the_records_officer_cannot_confirm_and_other_institutions_cannot_decide(world, make_user):  # noqa: F811
    client = client_as(world["officer"])
    session = _open(client)
    other = make_user("other", "records_officer", institution=world["insts"]["a1"])

    item = session.items.get(question="degree")
    assert client_as(other).post(f"/commission/items/{item.seq}/decide/", {}).status_code == 403


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
def test_oversight_reads_the_deviation_register_and_exports_it(world, make_user, fmt):  # noqa: F811
    client = client_as(world["officer"])
    session = _open(client)
    _decide(client, session, reason_code="other", reason="because")
    prosecutor = make_user("prosecutor", "prosecutor")

    response = client_as(prosecutor).get("/commission/register/", {"format": fmt})

    assert response.status_code == 200
    if fmt == "csv":  # in the reader's language (Kazakh by default); test_register.py has more
        assert "жүйе ұсынысына қайшы шешім" in response.content.decode("utf-8-sig")
    elif fmt == "xlsx":
        assert response.content[:2] == b"PK"
    else:
        assert 'data-kind="commission_contrary_to_proposal"' in response.content.decode()
    assert client_as(world["officer"]).get("/commission/register/").status_code == 403


@in_each_language(kk="Комиссия шешімі", ru="Решение комиссии", en="Decision of the commission")
def test_the_decision_page_speaks_the_users_language(world, lang, title):  # noqa: F811
    client, d = _awarded(world)

    page = client.get(f"/commission/decisions/{d.seq}/", HTTP_ACCEPT_LANGUAGE=lang)

    assert title in page.content.decode()


def test_a_fresh_decision_no_checkpoint_covers_is_pending_not_failed(world):  # noqa: F811
    d = _awarded(world)[1]

    page = Client().get(f"/verify/{d.code}", HTTP_ACCEPT_LANGUAGE="en")

    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-state="pending"' in text
    assert "not yet covered by a signed checkpoint" in text
    assert "It will be covered by" in text
    assert "Verification failed" not in text


@pytest.mark.parametrize("typed", ["lower", "bare", "spaced"])
def test_a_code_is_accepted_in_any_case_and_with_or_without_the_dash(world, typed):  # noqa: F811
    code = _awarded(world)[1].code
    given = {
        "lower": code.lower(),
        "bare": code.replace("-", ""),
        "spaced": f" {code[:5].lower()} {code[6:]} ",
    }[typed]

    page = Client().get("/verify/", {"code": given})

    assert page.status_code == 200
    assert page.context["v"].decision.code == code


@pytest.mark.parametrize("given", ["AAAAA-BBBBB", "not a code", "A" * 100, "ÄÖÜ12-34567"])
def test_an_unknown_or_malformed_code_is_a_clean_404_page(world, given):  # noqa: F811
    page = Client().get("/verify/", {"code": given}, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 404
    assert "No decision with this code." in page.content.decode()
    assert len(page.context["code"]) <= 16  # the form does not echo a pasted page back
    assert Client().get(f"/verify/{given}").status_code == 404  # the same typed into the address


def test_a_10000_character_code_gets_the_sites_own_page_not_a_server_error(world):  # noqa: F811
    given = "A" * 10_000

    for page in (Client().get("/verify/", {"code": given}), Client().get(f"/verify/{given}")):
        assert page.status_code in (404, 414)  # 414: the site's page for an address too long
        assert 'id="verdict"' in page.content.decode() or page.status_code == 414


def test_the_head_confirms_from_the_list_awaiting_confirmation_counted_in_the_navigation(world):  # noqa: F811
    d = _awarded(world)[1]
    head = client_as(world["head"])

    home = head.get("/commission/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    listed = head.get("/commission/awaiting/", HTTP_ACCEPT_LANGUAGE="en")
    confirmed = head.post(f"/commission/decisions/{d.seq}/confirm/", {"back": "awaiting"})
    after = head.get("/commission/awaiting/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Awaiting your confirmation (1)" in home
    assert f'data-code="{d.code}"' in listed.content.decode()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/commission/awaiting/"
    assert Decision.objects.get().confirmed_seq is not None
    assert 'id="nothing-awaiting"' in after
    assert "Awaiting your confirmation (0)" in after
    assert client_as(world["officer"]).get("/commission/awaiting/").status_code == 403


def test_no_vote_is_preset_and_a_decision_without_every_vote_is_not_saved(world):  # noqa: F811
    client = client_as(world["officer"])
    session = _open(client)
    page = client.get(f"/commission/sessions/{session.pk}/").content.decode()
    item = session.items.get(question="degree")

    missing = client.post(
        f"/commission/items/{item.seq}/decide/",
        {"outcome": "award_degree", "degree": "1", "vote-m1": "for", "vote-m2": "for"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert 'name="vote-m1" required><option value="" selected>' in page
    assert '<option value="for" selected' not in page
    assert "a vote is missing" in missing.content.decode()
    assert not Decision.objects.exists()


def test_agenda_items_fold_to_a_summary_line_with_the_next_one_to_decide_open(world):  # noqa: F811
    client = client_as(world["officer"])
    records_person = world["quiet"]
    session = _open(client)
    from adaldyq.web.decisions import services

    services.agenda_item_add(
        officer=world["officer"], session=session, person=records_person, question="degree",
        reason="asked for a review",
    )  # fmt: skip

    page = client.get(f"/commission/sessions/{session.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    text = page.content.decode()
    assert text.count('<details class="card agenda-item" name="agenda"') == 2
    assert len(re.findall(r'<details class="card agenda-item"[^>]* open>', text)) == 1  # one open
    assert "to decide</span></summary>" in text


def test_the_decision_names_the_head_and_the_secretary_by_name_and_position(world, make_user):  # noqa: F811
    head = account(
        "head-2",
        "head",
        institution=world["insts"]["k1"],
        full_name="Ахметов Серік",
        position={"en": "Head of the institution"},
    )
    client, d = _awarded(world)
    client_as(head).post(f"/commission/decisions/{d.seq}/confirm/")

    page = client.get(f"/commission/decisions/{d.seq}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'id="confirmed-by">Ахметов Серік, Head of the institution<' in page
    assert ">head-2<" not in page


def test_the_confirmation_names_the_head_by_name_and_position_on_the_page_and_the_pdf(world):  # noqa: F811
    import shutil
    import subprocess

    world["head"].full_name = "Сәрсенбаев Ерлан Маратұлы"
    world["head"].save()
    client, d = _awarded(world)
    assert (
        client_as(world["head"]).post(f"/commission/decisions/{d.seq}/confirm/").status_code == 302
    )

    page = client.get(f"/commission/decisions/{d.seq}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Сәрсенбаев Ерлан Маратұлы, Начальник учреждения" in page
    assert ">head," not in page
    if shutil.which("pdftotext"):
        pdf = client.get(f"/commission/decisions/{d.seq}/document.pdf", HTTP_ACCEPT_LANGUAGE="kk")
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Сәрсенбаев Ерлан Маратұлы, Мекеме бастығы" in " ".join(text.split())


def test_the_decision_explains_itself_in_steps_with_criteria_dates_articles_and_sources(world):  # noqa: F811
    client, d = _awarded(world)

    page = client.get(f"/commission/decisions/{d.seq}/", HTTP_ACCEPT_LANGUAGE="en")

    text = page.content.decode()
    explained = text[text.index('id="explanation"') :]
    assert '<ol class="steps explanation">' in explained
    assert '<li class="state-met">' in explained
    assert "met (since" in explained
    assert '<span class="cite">' in explained  # the article, apart from the text
    assert all(f"#{seq} ·" in explained for seq in d.fact_seqs)  # the entries it rests on
    assert "• -" not in text
    assert "[" not in explained.split("</ol>")[0]  # no bracketed citation codes in the steps
