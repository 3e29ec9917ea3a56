"""The personal-file pages: scope, openings, forms that reject bad input in the user's language."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, FileOpening, Person
from tests.web.fixtures import (
    admission_form,
    ledger_size,
    nothing_written,
    person_payload,
    signed_in,
)

pytestmark = pytest.mark.django_db


def test_opening_a_file_shows_the_law_and_records_the_opening(world) -> None:
    _, _, person = world

    response = signed_in("officer").get(f"/people/{person.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Омаров" in html
    assert 'id="degree-qualifies">+1<' in html
    assert FileOpening.objects.filter(person=person, by="officer").count() == 1


def test_a_file_outside_the_scope_is_refused_and_no_opening_is_recorded(world, make_user) -> None:
    insts, _, person = world
    make_user("other", "records_officer", institution=insts["a1"])
    with nothing_written():
        response = signed_in("other").get(f"/people/{person.pk}/")

        assert response.status_code == 403


def test_a_prisoner_reads_their_own_file_in_plain_words_and_no_other(world, make_user) -> None:
    _, officer, person = world
    other = services.person_admit(officer=officer, person=person_payload("KA-0002"))
    make_user("self", "prisoner", person_id=person.pk)
    client = signed_in("self", "kk")

    own = client.get(f"/people/{person.pk}/")

    assert own.status_code == 200
    assert "Record a fact" not in own.content.decode()
    assert client.get(f"/people/{other.pk}/").status_code == 403
    assert client.get("/").url == f"/people/{person.pk}/"


def test_recording_a_penalty_changes_the_qualification(world) -> None:
    _, _, person = world
    client = signed_in("officer")

    response = client.post(
        f"/people/{person.pk}/record/penalty/",
        {"penalty-on": "2023-06-01", "penalty-violation": "smoking", "penalty-malicious": ""},
    )

    assert response.status_code == 302
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="degree-qualifies">+0<' in html or 'id="degree-qualifies">0<' in html


def test_a_future_date_is_refused_in_russian_and_writes_nothing(world) -> None:
    _, _, person = world
    client = signed_in("officer", "ru")
    client.cookies["django_language"] = "ru"
    before = (ledger_size(), Fact.objects.count())

    response = client.post(
        f"/people/{person.pk}/record/incentive/",
        {"incentive-on": "2999-01-01", "incentive-kind": "gratitude"},
    )

    assert response.status_code == 400
    assert "Дата в будущем" in response.content.decode()
    assert (ledger_size(), Fact.objects.count()) == before


def test_a_missing_field_is_refused_with_a_message(world) -> None:
    _, _, person = world
    with nothing_written():
        response = signed_in("officer").post(
            f"/people/{person.pk}/record/penalty/", {"penalty-on": "2023-06-01"}
        )

        assert response.status_code == 400
        assert "This field is required." in response.content.decode()


def test_an_oversight_body_cannot_record_facts(world, make_user) -> None:
    _, _, person = world
    make_user("prosecutor", "prosecutor")
    with nothing_written():
        response = signed_in("prosecutor").post(
            f"/people/{person.pk}/record/incentive/",
            {"incentive-on": "2023-06-01", "incentive-kind": "gratitude"},
        )

        assert response.status_code == 403


def test_a_correction_through_the_page_keeps_the_original(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")
    client = signed_in("officer")

    response = client.post(
        f"/people/{person.pk}/entries/{inc.seq}/correct/",
        {
            f"c{inc.seq}-reason": "the date was mistyped",
            f"c{inc.seq}-reason_code": "typing_error",
            f"c{inc.seq}-on": "2023-05-02",
            f"c{inc.seq}-kind": "gratitude",
        },
    )

    assert response.status_code == 302
    inc.refresh_from_db()
    assert inc.superseded_by_id is not None
    assert Fact.objects.get(pk=inc.superseded_by_id).on.isoformat() == "2023-05-02"


def test_a_correction_without_a_reason_is_refused(world) -> None:
    _, _, person = world
    inc = Fact.objects.get(person=person, kind="incentive")
    with nothing_written():
        response = signed_in("officer").post(
            f"/people/{person.pk}/entries/{inc.seq}/correct/",
            {f"c{inc.seq}-reason": "", f"c{inc.seq}-withdraw": "on"},
        )

        assert response.status_code == 400


def test_an_oversight_note_is_recorded(world, make_user) -> None:
    _, _, person = world
    make_user("ombudsman", "ombudsman")

    response = signed_in("ombudsman").post(
        f"/people/{person.pk}/notes/", {"text": "visited on 3 March"}
    )

    assert response.status_code == 302
    assert person.notes.get().author == "ombudsman"


def test_search_finds_by_name_and_number_within_scope(world, make_user) -> None:
    insts, _, _ = world
    client = signed_in("officer")

    assert "Омаров" in client.get("/people/?q=омаров").content.decode()
    assert "Омаров" in client.get("/people/?q=KA-0001").content.decode()
    make_user("almaty", "records_officer", institution=insts["a1"])
    assert "Омаров" not in signed_in("almaty").get("/people/?q=KA-0001").content.decode()


def test_the_institutions_page_draws_the_map(world) -> None:
    html = signed_in("officer").get("/institutions/").content.decode()

    assert "<svg" in html
    assert "UK-161/1" in html


def test_an_admission_through_the_page_opens_a_file(world) -> None:
    client = signed_in("officer")
    form = admission_form(
        "KA-0100", given_name="Бауыржан", home_region="mangystau", arrived_on="2024-02-01"
    )

    response = client.post("/people/admit/", form)

    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    person = Person.objects.get(number="KA-0100")
    assert (person.home_region, person.sentence_type) == ("mangystau", "medium")


def test_the_admission_asks_for_the_home_region_by_name_in_the_readers_language(world) -> None:
    kk = signed_in("officer", "kk").get("/people/admit/").content.decode()
    refused = signed_in("officer").post("/people/admit/", {"number": "KA-0101"})

    assert '<option value="mangystau">Маңғыстау облысы</option>' in kk
    assert "home_region" in refused.context["form"].errors
    assert "sentence_type" in refused.context["form"].errors


def test_search_through_the_trigram_index_finds_what_a_scan_finds(world) -> None:
    """Records migration 0003: the index narrows the rows read, never what a search finds."""
    from adaldyq.web.accounts.models import User
    from adaldyq.web.records.models import Person
    from adaldyq.web.records.selectors import _has_search_index, person_search

    insts, officer, _ = world
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert _has_search_index()
        else:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE indexname = 'records_person_search_trgm'"
            )
            assert cursor.fetchone() is not None
    for i, (surname, given) in enumerate(
        [("Ахметов", "Нұрлан"), ("Иванова", "Анна"), ('Ким "Тим"', "Ли"), ("Омарова", "Айгүл")]
    ):
        services.person_admit(
            officer=officer,
            person=person_payload(f"KA-01{i}", surname=surname, given_name=given),
        )
    user = User.objects.get(username="officer")

    def found(q: str) -> list[str]:
        return list(person_search(user=user, q=q).values_list("surname", flat=True))

    def scanned(q: str) -> list[str]:
        people = Person.objects.filter(institution=insts["k1"])
        for word in q.split():
            people = people.filter(search_text__contains=word.casefold())
        return list(
            people.order_by("surname", "given_name", "id").values_list("surname", flat=True)
        )

    for q in [
        "омаров",
        "ОМАРОВ",
        "ров",
        "ов",
        "нұрлан ахм",
        "ka-010",
        "ka-01",
        '"тим"',
        "тим",
        "zzz",
        "ан ива",
        "%",
        "_",
        "a%b",
    ]:
        assert found(q) == scanned(q), q
    assert found("омаров") == ["Омаров", "Омарова"]
    assert found("нұрл") == ["Ахметов"]

    services.read_models_rebuild()  # the index follows the read model through a replay
    assert found("нұрл") == ["Ахметов"]
    assert found("айгүл омар") == ["Омарова"]


def test_the_institutions_page_kept_per_language_follows_every_change_it_shows(world) -> None:
    """The rendered register is kept per (language, token); triggers change the token (ADR 0012)."""
    import re

    from adaldyq.web.institutions.models import Institution
    from adaldyq.web.institutions.views import register_token

    insts, officer, person = world
    client = signed_in("officer")
    # the row the institutions migration inserts; a transactional test's flush before this one empties it
    from tests.ledger_state import register_version_row

    register_version_row()

    def people_in(code: str, lang: str = "en") -> int:
        html = client.get("/institutions/", headers={"accept-language": lang}).content.decode()
        row = re.search(rf"<td>{re.escape(code)} [^<]*</td>.*?</tr>", html, re.S)
        assert row is not None, code
        return int(
            re.findall(r'<td class="num">([\d\s,\xa0]+)</td>', row.group(0))[-1].replace(",", "")
        )

    assert people_in("UK-161/1") == 1
    token = register_token()
    assert token
    assert people_in("UK-161/1") == 1
    assert register_token() == token  # reading changes nothing
    services.file_opening_record(
        user=officer, person=person
    )  # a ledger write that changes nothing shown
    assert register_token() == token

    services.person_admit(officer=officer, person=person_payload("KA-0002"))
    assert register_token() != token
    assert people_in("UK-161/1") == 2
    assert people_in("UK-161/1", "ru") == 2

    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "transferred", "on": "2023-06-01", "institution": insts["a1"].code},
    )
    assert people_in("UK-161/1") == 1
    assert people_in(insts["a1"].code) == 1

    Institution.objects.filter(pk=insts["k1"].pk).update(name="Renamed colony")
    assert "Renamed colony" in client.get("/institutions/").content.decode()


def test_the_search_filter_kept_per_scope_and_language_follows_a_renamed_institution(
    world, make_user
) -> None:
    """The search's institution options are kept per (language, register token, scope): each user
    is offered their scope's institutions, and a rename (a new token) shows at the next search."""
    from adaldyq.web.institutions.models import Institution
    from tests.ledger_state import register_version_row

    _, officer, _ = world
    register_version_row()
    make_user("committee", "committee")

    def options(username: str, lang: str = "en") -> list[tuple[str, str]]:
        html = signed_in(username, lang).get("/people/?q=x").content.decode()
        return re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', html)

    assert len(options("committee")) == Institution.objects.count() > 1
    assert options("officer") == options("officer")  # the second from what was kept
    assert [pk for pk, _ in options("officer")] == [str(officer.institution_id)]
    Institution.objects.filter(pk=officer.institution_id).update(
        name="Renamed colony", name_ru="Переименованная колония"
    )
    for username in ("committee", "officer"):
        assert any(label.endswith("Renamed colony") for _, label in options(username))
        assert any(
            label.endswith("Переименованная колония") for _, label in options(username, "ru")
        )


def test_the_file_side_rows_are_the_orm_rows_in_one_query(world, make_user) -> None:
    """Relatives, notes and the 20 newest openings come from one query with the ORM's rows and order."""
    from django.test.utils import CaptureQueriesContext

    from adaldyq.web.records.selectors import file_side_rows

    _, officer, person = world
    ombudsman = make_user("ombudsman", "ombudsman")
    for name in ("Айгүл", "Ерлан"):
        services.fact_record(
            officer=officer,
            person=person,
            fact={
                "type": "visitor_registered",
                "on": "2023-06-01",
                "name": name,
                "relationship": "sibling",
            },
        )
    services.note_write(author=ombudsman, person=person, text="first <b>note</b>")
    services.note_write(author=ombudsman, person=person, text="second")
    for _ in range(23):
        services.file_opening_record(user=ombudsman, person=person)

    with CaptureQueriesContext(connection) as queries:
        relatives, notes, openings = file_side_rows(person, notes=True, openings=True)

    assert len(queries.captured_queries) == 1
    assert [(r.seq, r.name, r.relationship) for r in relatives] == [
        (r.seq, r.name, r.relationship) for r in person.relatives.all()
    ]
    assert [(n.seq, n.author, n.text, n.at) for n in notes] == [
        (n.seq, n.author, n.text, n.at) for n in person.notes.all()
    ]
    assert len(openings) == 20
    assert [(o.seq, o.by, o.at) for o in openings] == [
        (o.seq, o.by, o.at) for o in person.openings.all()[:20]
    ]
    assert file_side_rows(person, notes=False, openings=False)[1:] == ([], [])
    html = signed_in("ombudsman").get(f"/people/{person.pk}/").content.decode()
    assert "first &lt;b&gt;note&lt;/b&gt;" in html
    assert "Ерлан" in html


def test_the_file_timeline_is_the_orm_timeline_and_names_the_recorders(world, make_user) -> None:
    """One query gives the timeline's rows, values and order the ORM gave; the page names each
    recorder by name and position, and a login no user has as it is."""
    from django.test.utils import CaptureQueriesContext

    from adaldyq.web.accounts.models import User
    from adaldyq.web.records.selectors import file_timeline, timeline

    _, officer, person = world
    User.objects.filter(pk=officer.pk).update(full_name="Омаров Ерлан Серікұлы")
    head = make_user("head", "head", institution=officer.institution)
    penalty = services.fact_record(
        officer=officer, person=person, fact={"type": "penalty", "on": "2023-07-01", "kind": "x"}
    )
    services.fact_correct(
        officer=head, person=person, original=penalty, reason="wrong date", replacement=None
    )
    services.fact_record(
        officer=head,
        person=person,
        fact={"type": "work_hours", "on": "2023-07-01", "hours": 80, "month": "2023-06"},
    )
    Fact.objects.filter(person=person, kind="work_hours").update(recorded_by="gone")  # no such user

    with CaptureQueriesContext(connection) as queries:
        rows = file_timeline(person)

    assert len(queries.captured_queries) == 1
    expected = timeline(person)
    fields = ("seq", "kind", "on", "data", "recorded_by", "recorded_at")
    fields += ("corrects_id", "reason", "superseded_by_id", "void")
    assert [tuple(getattr(f, k) for k in fields) for f in rows] == [
        tuple(getattr(f, k) for k in fields) for f in expected
    ]
    assert any(f.void for f in rows)
    assert any(f.superseded_by_id for f in rows)
    page = signed_in("head").get(f"/people/{person.pk}/", headers={"accept-language": "ru"})
    cells = re.findall(r'<td class="keep">([^<]*)<div class="muted">', page.content.decode())
    assert set(cells) == {
        "Омаров Ерлан Серікұлы, Инспектор группы специального учёта",
        "Начальник учреждения (логин head)",
        "gone",
    }
