"""What the transfer rules refuse (issue 13), on SQLite and PostgreSQL: a transfer into an
institution for the other sex, of another type than the court set, a mixed unit or one for minors,
"closer to home" that is farther, a ground art. 88 does not know, and a second open request of the
same person, also filed at the same moment. Each is refused before anything is written, by the
service, on the public page and on the staff pages, naming the rule in the reader's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from adaldyq.web.institutions.services import institution_upsert
from adaldyq.web.records import services as records
from adaldyq.web.transfers import services
from adaldyq.web.transfers.models import Request
from adaldyq.web.transfers.services import TransferRefusedError, public_actor
from tests.languages import in_each_language
from tests.web.concurrency import Race, race_database_url  # noqa: F401 - the fixture
from tests.web.fixtures import nothing_written, relative_approved
from tests.web.transfers.conftest import TODAY
from tests.web.transfers.race_worker import FILERS


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages of the services in English (pages choose by the request's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def more(world: dict[str, Any]) -> dict[str, Any]:
    """Besides the small register: a women's colony, a maximum-security colony and one for minors,
    all in Karaganda; a man at home in Karaganda held in Almaty, who may ask to come closer."""
    for code, type_, sex, minors in [
        ("F-KAR", "medium", "female", False),
        ("MAX-KAR", "maximum", "male", False),
        ("J-KAR", "medium", "male", True),
    ]:
        institution_upsert(code=code, name=code, region_key="karaganda", type=type_,
                           capacity=5, sex=sex, minors=minors, lat=49.79, lon=73.09)  # fmt: skip
    world["man"] = world["admit"]("KA-0001", institution="M-ALM", home="karaganda")
    world["far"] = world["admit"]("KA-0002", institution="M-AKM", home="karaganda")
    return world


#: (who, target, ground, refusal code, words of the English message)
REFUSED = [
    ("man", "F-KAR", "closer_to_home", "wrong_sex", "is an institution for women"),
    ("man", "MAX-KAR", "closer_to_home", "wrong_type", "only a court can, under art. 96"),
    ("man", "X-KAR", "safety", "mixed_unit", "mixed-security unit of a pre-trial centre"),
    ("man", "J-KAR", "closer_to_home", "adults_only", "institution for minors"),
    ("far", "M-ALM", "closer_to_home", "not_closer", "is not closer to home"),
    ("man", "M-KAR", "bribe", "unknown_ground", "not a ground for a transfer under art. 88"),
    ("man", "M-ALM", "safety", "same_institution", "already in M-ALM"),
]
IDS = [r[3] for r in REFUSED]
#: The public form offers neither a mixed unit nor a ground outside its list: the service refuses them.
PUBLIC = [r for r in REFUSED if r[3] not in ("mixed_unit", "unknown_ground")]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "target", "ground", "code", "words"), REFUSED, ids=IDS)
def test_the_service_refuses_what_the_rules_exclude_and_writes_nothing(
    more: dict[str, Any], who: str, target: str, ground: str, code: str, words: str
) -> None:
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.transfer_request_file(
                actor=public_actor("N1"), person=more[who], target=target, ground=ground, on=TODAY
            )

        assert err.value.code == code
        assert words in err.value.diagnostics()
    assert not Request.objects.exists()


@pytest.mark.django_db
def test_closer_to_home_farther_says_by_how_much_and_names_the_region(more: dict[str, Any]) -> None:
    with pytest.raises(TransferRefusedError) as err:
        services.transfer_request_file(
            actor=public_actor("N1"), person=more["far"], target="M-ALM", ground="closer_to_home",
            on=TODAY,
        )  # fmt: skip

    detail = err.value.refusals[0].detail
    assert detail["km_there"] > detail["km_now"] + 200
    assert "Karaganda Region" in err.value.diagnostics()
    assert err.value.refusals[0].ref.article == "Code art. 88; Mandela Rule 59"


@pytest.mark.django_db
def test_every_rule_that_refuses_is_named_not_only_the_first(more: dict[str, Any]) -> None:
    more["insts"]["F-MAX"] = institution_upsert(
        code="F-MAX", name="F-MAX", region_key="almaty", type="maximum", capacity=5,
        sex="female", lat=43.3, lon=77.0,
    )  # fmt: skip

    with pytest.raises(TransferRefusedError) as err:
        services.transfer_request_file(
            actor=public_actor("N1"), person=more["far"], target="F-MAX", ground="closer_to_home",
            on=TODAY,
        )  # fmt: skip

    assert [r.code for r in err.value.refusals] == [
        "transfer.wrong_type", "transfer.wrong_sex", "transfer.not_closer"
    ]  # fmt: skip


def _relative(world: dict[str, Any], person: Any, document: str = "N 0123456") -> None:
    relative_approved(
        officer=world["clerk"], person=person, document=document, on=TODAY, approved_on=TODAY
    )


def _asked_on_the_public_page(
    world: dict[str, Any], person: Any, target: str, ground: str, lang: str
) -> Any:
    """The public page's answer to `person`'s approved relative asking for a transfer, in `lang`."""
    _relative(world, person)
    return Client(headers={"accept-language": lang}).post(
        "/transfer/",
        {"number": person.number, "document": "N0123456", "target": target, "ground": ground},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "target", "ground", "code", "words"), PUBLIC, ids=[r[3] for r in PUBLIC]
)
def test_the_public_page_refuses_and_says_which_rule(
    more: dict[str, Any], who: str, target: str, ground: str, code: str, words: str
) -> None:
    response = _asked_on_the_public_page(more, more[who], target, ground, "en")

    assert response.status_code == 409
    assert words in response.content.decode()
    assert not Request.objects.exists()


@pytest.mark.django_db
@in_each_language(
    kk="— әйелдерге арналған мекеме. Ерлер мен әйелдер жазаны бөлек",
    ru="— учреждение для женщин. Мужчины и женщины отбывают наказание в раздельных",
    en="is an institution for women. Men and women serve their sentences in separate",
)
def test_the_refusal_is_in_the_readers_language(
    more: dict[str, Any], lang: str, words: str
) -> None:
    response = _asked_on_the_public_page(more, more["man"], "F-KAR", "closer_to_home", lang)

    assert response.status_code == 409
    assert words in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "words"), [("ru", "не ближе к дому"), ("kk", "үйге жақын емес")])
def test_farther_is_refused_with_the_region_named_in_the_language(
    more: dict[str, Any], lang: str, words: str
) -> None:
    response = _asked_on_the_public_page(more, more["far"], "M-ALM", "closer_to_home", lang)

    body = response.content.decode()
    assert words in body
    assert {"ru": "Карагандинская область", "kk": "Қарағанды облысы"}[lang] in body


@pytest.mark.django_db
def test_a_second_open_request_is_refused_and_the_next_is_filed_once_the_first_is_decided(
    more: dict[str, Any],
) -> None:
    first, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=more["man"], target="M-KAR", ground="closer_to_home",
        on=TODAY,
    )  # fmt: skip
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.transfer_request_file(
                actor=public_actor("N2"), person=more["man"], target="M-AKM", ground="closer_to_home",
                on=TODAY,
            )  # fmt: skip
        assert err.value.code == "already_open"
        assert first.number in err.value.diagnostics()

    services.transfer_decide(
        officer=more["committee"], request=first, grant=False, on=TODAY, reason="no place"
    )
    again, _ = services.transfer_request_file(
        actor=public_actor("N2"), person=more["man"], target="M-AKM", ground="closer_to_home",
        on=TODAY,
    )  # fmt: skip
    assert again.status == "open"


@pytest.mark.django_db
def test_four_open_requests_at_once_on_the_public_page_file_one(more: dict[str, Any]) -> None:
    _relative(more, more["man"])
    c = Client(headers={"accept-language": "en"})
    form = {"number": "KA-0001", "document": "N0123456", "ground": "closer_to_home"}

    answers = [
        c.post("/transfer/", {**form, "target": t}) for t in ("M-KAR", "M-AKM", "M-KAR", "M-AKM")
    ]

    assert [a.status_code for a in answers] == [200, 409, 409, 409]
    assert "TR-000001" in answers[1].content.decode()
    assert Request.objects.count() == 1


@pytest.mark.django_db
def test_the_read_model_itself_holds_one_open_request_per_person(more: dict[str, Any]) -> None:
    from django.db import IntegrityError, transaction

    Request.objects.create(number="TR-900001", seq=900001, person_id=more["man"].pk,
                           target="M-KAR", ground="safety", filed_on=TODAY)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.create(number="TR-900002", seq=900002, person_id=more["man"].pk,
                               target="M-AKM", ground="safety", filed_on=TODAY)  # fmt: skip
    Request.objects.create(number="TR-900003", seq=900003, person_id=more["man"].pk,
                           target="M-AKM", ground="safety", filed_on=TODAY, status="refused")  # fmt: skip


# ---- staff: filings, decisions, placements --------------------------------------------------


def _staff(user: Any) -> Client:
    c = Client(headers={"accept-language": "en"})
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_staff_filing_a_transfer_to_another_type_is_refused_on_the_page(
    more: dict[str, Any],
) -> None:
    response = _staff(more["committee"]).post(
        f"/transfers/people/{more['man'].pk}/", {"target": "MAX-KAR", "ground": "safety"}
    )

    assert response.status_code == 409
    assert "only a court can, under art. 96" in response.content.decode()
    assert not Request.objects.exists()


@pytest.mark.django_db
def test_a_decision_checks_the_rules_again_on_the_day_it_is_taken(more: dict[str, Any]) -> None:
    r, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=more["man"], target="M-KAR", ground="closer_to_home",
        on=TODAY,
    )  # fmt: skip
    records.fact_record(officer=more["clerk"], person=more["man"], fact={
        "type": "transferred", "on": TODAY.isoformat(), "institution": "M-KAR",
        "condition": "regular"})  # fmt: skip
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.transfer_decide(officer=more["committee"], request=r, grant=True, on=TODAY)

        assert err.value.code == "same_institution"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "code"),
    [("F-KAR", "wrong_sex"), ("MAX-KAR", "wrong_type"), ("J-KAR", "adults_only")],
)
def test_a_placement_elsewhere_is_refused_where_the_rules_exclude_it_even_with_a_reason(
    more: dict[str, Any], target: str, code: str
) -> None:
    person = more["admit"]("KA-0009", institution=None, sentence_type="medium")
    p = services.placement_propose(
        officer=more["committee"], person=person, type="medium", on=TODAY
    )
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.placement_decide(
                officer=more["committee"],
                placement=p,
                institution=target,
                on=TODAY,
                reason="family",
            )

        assert err.value.code == code


@pytest.mark.django_db
def test_a_proposal_keeps_to_the_type_the_court_set(more: dict[str, Any]) -> None:
    person = more["admit"]("KA-0009", institution=None, sentence_type="medium")

    with pytest.raises(TransferRefusedError) as err:
        services.placement_propose(
            officer=more["committee"], person=person, type="maximum", on=TODAY
        )

    assert err.value.code == "wrong_type"


# ---- at the same moment, from several processes ------------------------------------------


def test_four_relatives_filing_at_once_get_one_request_and_three_clear_refusals(
    race_database_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    race = Race("tests.web.transfers.race_worker", race_database_url, tmp_path)
    race.setup()

    results = race.run("file", FILERS)

    filed = [r for r in results if "filed" in r]
    refused = [r for r in results if "refused" in r]
    assert len(filed) == 1
    assert [r["refused"] for r in refused] == ["already_open"] * (FILERS - 1)
    assert all(filed[0]["filed"] in r["message"] for r in refused)
