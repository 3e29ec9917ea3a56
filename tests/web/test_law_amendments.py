"""The web's law pack in force includes the approved amendments (ADR 0026): a visit figure amended
changes bookings from its date and not before, and the impact preview names who gets another answer."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from adaldyq.law.amendments import approve, propose
from adaldyq.ledger import Actor, Draft
from adaldyq.ledger.sql import append_entries
from adaldyq.web.records.amendments import amendment_book, impact
from adaldyq.web.records.selectors import law_pack, shipped_law_pack
from adaldyq.web.visits.services import BookingRefusedError
from tests.languages import in_each_language
from tests.web.fixtures import booked_by_staff, client_as
from tests.web.visits.conftest import world  # noqa: F401 -- the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("base_law")]

SHORT = "entitlements.medium.regular.short_visits_per_year"
MAKER = Actor("lawyer-a", "role:law_admin")
CHECKER = Actor("lawyer-b", "role:law_admin")


def _write(draft: Draft) -> int:
    """Append in one durable transaction, as the web writes (the ledger's own SQL)."""
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        return append_entries(cursor, [draft])[0].seq


def _propose(value: int = 2, valid_from: str = "2025-06-10") -> int:
    payload = {
        "figure": SHORT,
        "value": value,
        "valid_from": valid_from,
        "article": "PEC art. 134",
        "edition": "as amended on 1 May 2025",
        "document": "sha256:" + "cd" * 32,
        "confidence": "L",
        "reason": "the Code states the figure",
    }
    return _write(propose(shipped_law_pack(), payload, MAKER))


def _approve(seq: int) -> None:
    _write(approve(amendment_book(), seq, CHECKER, shipped_law_pack()))


def _book(w: dict[str, Any], day: date) -> Any:
    return booked_by_staff(
        w["officer"], w["person"], w["short"], day, w["visitor"].visitor,
        today=day - timedelta(days=2),
    )[0]  # fmt: skip


def test_an_approved_visit_figure_changes_bookings_from_its_date_and_not_before(world) -> None:  # noqa: F811
    seq = _propose()
    assert law_pack().hash == shipped_law_pack().hash  # proposed, not in force
    _approve(seq)
    law = law_pack()
    assert law.hash != shipped_law_pack().hash
    assert law_pack() is law  # kept until another amendment entry is added

    before = _book(world, date(2025, 6, 2))
    assert (before.determinable, before.figure) == (False, None)
    after = _book(world, date(2025, 6, 16))
    assert (after.determinable, after.figure, after.confidence) == (True, 2, "L")
    with pytest.raises(BookingRefusedError) as refused:
        _book(world, date(2025, 6, 23))  # the year's two short visits are used
    assert {r.rule for r in refused.value.refusals} == {"entitlement_used"}


def test_the_impact_preview_names_who_gets_another_answer_and_when(world) -> None:  # noqa: F811
    seq = _propose(value=3, valid_from="2025-06-10")
    found = impact(seq, today=date(2025, 7, 1))
    assert found.dates == [date(2025, 6, 10), date(2025, 7, 1)]
    assert found.people == 1
    changes = {(c.number, c.on, c.what, c.without, c.with_it) for c in found.changes}
    assert changes == {
        ("KA-0001", date(2025, 6, 10), "entitlement:short_visits_per_year", None, 3),
        ("KA-0001", date(2025, 7, 1), "entitlement:short_visits_per_year", None, 3),
    }
    assert found.per_institution == {"UK-161/1": 1}
    # a figure the medium regular prisoner does not hold changes nobody's answer
    other = _write(
        propose(
            shipped_law_pack(),
            {
                "figure": "entitlements.extreme.strict.parcels_per_year",
                "value": 1,
                "valid_from": "2025-01-01",
                "article": "PEC art. 140",
                "edition": "as amended on 1 May 2025",
                "document": "sha256:" + "cd" * 32,
                "confidence": "L",
                "reason": "the Code states the figure",
            },
            MAKER,
        )
    )
    assert impact(other, today=date(2025, 7, 1)).changes == []


def test_the_preview_in_forked_workers_finds_what_one_process_finds(world, monkeypatch) -> None:  # noqa: F811
    from adaldyq.web.records import amendments

    seq = _propose(value=3, valid_from="2025-06-10")
    alone = impact(seq, today=date(2025, 7, 1))
    monkeypatch.setattr(amendments, "PARALLEL_FROM", 1)  # the one person's file in a worker's share
    forks: list[str] = []
    real = amendments.mp.get_context
    monkeypatch.setattr(amendments.mp, "get_context", lambda m: forks.append(m) or real(m))
    shared = impact(seq, today=date(2025, 7, 1), workers=2)
    assert forks == ["fork"]
    assert shared.changes == alone.changes
    assert len(shared.changes) == 2
    assert shared.not_evaluated == alone.not_evaluated
    assert amendments._SHARED == {}  # nothing left for the next preview


# ---- the pages of the legal department --------------------------------------------------------------


def _form(**over: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "figure": SHORT,
        "value": "2",
        "valid_from": "2025-06-10",
        "valid_to": "",
        "article": "PEC art. 134",
        "edition": "as amended on 1 May 2025",
        "confidence": "L",
        "reason": "the Code states the figure",
        "document": SimpleUploadedFile("law.pdf", b"%PDF the amending law"),
    }
    data.update(over)
    return data


def test_one_administrator_proposes_another_reviews_with_the_impact_and_approves(
    world,  # noqa: F811
    make_user: Any,
) -> None:
    import hashlib

    from django.conf import settings

    maker = client_as(make_user("lawyer-a", "law_admin"))
    checker = client_as(make_user("lawyer-b", "law_admin"))
    response = maker.post("/law/amendments/", _form())
    assert response.status_code == 302
    seq = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    digest = hashlib.sha256(b"%PDF the amending law").hexdigest()
    assert (Path(settings.DATA_DIR) / "documents" / f"sha256-{digest}").is_file()
    assert amendment_book().proposals[seq].proposer.id == "lawyer-a"

    own = maker.get(f"/law/amendments/{seq}/")
    assert 'id="own"' in own.content.decode()
    assert maker.post(f"/law/amendments/{seq}/", {"decision": "approve"}).status_code == 302
    assert amendment_book().proposals[seq].status == "proposed"  # the proposer cannot approve

    page = checker.get(f"/law/amendments/{seq}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "1 person of 1 gets a different answer with this amendment." in text
    assert "KA-0001" in text
    assert law_pack().hash == shipped_law_pack().hash
    assert checker.post(f"/law/amendments/{seq}/", {"decision": "approve"}).status_code == 302
    assert amendment_book().proposals[seq].status == "approved"
    assert law_pack().resolve(SHORT, date(2025, 6, 10)).value == 2
    listing = checker.get("/law/amendments/").content.decode()
    assert f'data-seq="{seq}"' in listing


def test_a_bad_amendment_is_refused_with_the_reason_in_one_line(world, make_user: Any) -> None:  # noqa: F811
    client = client_as(make_user("lawyer-a", "law_admin"))
    response = client.post("/law/amendments/", _form(value="-1"), follow=True)
    text = response.content.decode()
    assert "expected a whole number, 0 or more" in text
    assert amendment_book().proposals == {}


def test_a_refusal_says_why(world, make_user: Any) -> None:  # noqa: F811
    maker = client_as(make_user("lawyer-a", "law_admin"))
    checker = client_as(make_user("lawyer-b", "law_admin"))
    seq = int(maker.post("/law/amendments/", _form())["Location"].rstrip("/").rsplit("/", 1)[1])
    checker.post(f"/law/amendments/{seq}/", {"decision": "refuse", "reason": ""})
    assert amendment_book().proposals[seq].status == "proposed"
    checker.post(f"/law/amendments/{seq}/", {"decision": "refuse", "reason": "wrong edition"})
    p = amendment_book().proposals[seq]
    assert (p.status, p.refusal, p.decided_by.id if p.decided_by else None) == (
        "refused",
        "wrong edition",
        "lawyer-b",
    )


def test_only_the_legal_department_opens_the_pages(world, make_user: Any) -> None:  # noqa: F811
    for role in ("committee", "prosecutor", "ombudsman"):
        client = client_as(make_user(f"u-{role}", role))
        assert client.get("/law/amendments/").status_code == 403


@in_each_language(
    kk=["Заң пакетіне түзетулер", "Түзету ұсыну", "Заңның редакциясы"],
    ru=["Поправки к пакету норм", "Предложить поправку", "Редакция закона"],
    en=["Amendments to the law pack", "Propose an amendment", "Edition of the law"],
)
def test_the_pages_speak_the_readers_language(
    world,  # noqa: F811
    make_user: Any,
    lang: str,
    words: list[str],
) -> None:
    maker = client_as(make_user("lawyer-a", "law_admin"))
    checker = client_as(make_user("lawyer-b", "law_admin"))
    seq = int(maker.post("/law/amendments/", _form())["Location"].rstrip("/").rsplit("/", 1)[1])
    for client in (maker, checker):
        client.cookies["django_language"] = lang
    text = maker.get("/law/amendments/").content.decode()
    for w in words:
        assert w in text
    review = checker.get(f"/law/amendments/{seq}/").content.decode()
    expected = {
        "kk": "1 адамның 1 адамы осы түзетумен басқа жауап алады.",
        "ru": "1 человек из 1 получает с этой поправкой другой ответ.",
        "en": "1 person of 1 gets a different answer with this amendment.",
    }[lang]
    assert expected in review


def test_the_pack_at_an_entry_is_the_law_as_it_stood_then(world) -> None:  # noqa: F811
    from adaldyq.web.records.selectors import law_pack_at

    seq = _propose()
    assert law_pack_at(seq + 5) is shipped_law_pack()
    _approve(seq)
    approved = amendment_book().proposals[seq].decided_seq
    assert approved is not None
    assert law_pack_at(approved).hash == shipped_law_pack().hash  # recorded before the approval
    assert law_pack_at(approved + 1).hash == law_pack().hash
    assert law_pack().hash != shipped_law_pack().hash


def test_the_file_shows_the_figure_with_its_amendment(world) -> None:  # noqa: F811
    from datetime import UTC, datetime

    import time_machine
    from django.urls import reverse

    from adaldyq.web.records.selectors import law_today

    seq = _propose()
    _approve(seq)
    person = world["person"]
    before = law_today(person, lang="en", on=date(2025, 6, 9)).explained
    after = law_today(person, lang="en", on=date(2025, 6, 10)).explained
    assert before is not None
    assert after is not None
    name = "short visits a year"
    assert [(e.value, e.amendment) for e in before.entitlements if e.name == name] == [(None, None)]
    assert [(e.value, e.amendment) for e in after.entitlements if e.name == name] == [(2, seq)]
    client = client_as(world["officer"])
    client.cookies["django_language"] = "ru"
    with time_machine.travel(datetime(2025, 7, 1, 12, tzinfo=UTC), tick=False):
        page = client.get(reverse("records:file", args=[person.pk])).content.decode()
    assert f"по поправке № {seq}" in page
