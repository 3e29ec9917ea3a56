"""The file warns when the held degree is unsupported or a qualification waited more than 30 days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from adaldyq.web.records import services
from adaldyq.web.records.selectors import law_today
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db
TODAY = date.today()  # noqa: DTZ011


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


@pytest.fixture
def officer(make_user):
    return make_user("officer", "records_officer", institution=register()["k1"])


def _person(officer, incentive_days_ago: int):
    person = services.person_admit(
        officer=officer,
        person=person_payload(sentence={"start": _ago(900), "years": 8}, on=_ago(890)),
    )
    services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": _ago(incentive_days_ago)}
    )
    return person


@pytest.mark.parametrize(("incentive_days_ago", "warned"), [(100, False), (160, True)])
def test_a_qualification_waiting_more_than_30_days_is_flagged(
    officer, incentive_days_ago, warned
) -> None:
    person = _person(officer, incentive_days_ago)  # +1 is due 3 months after the incentive

    today = law_today(person, lang="en")

    assert today.result.qualifies_for_degree == 1
    assert bool(today.warnings) is warned


def test_a_degree_the_facts_do_not_support_is_flagged(officer) -> None:
    person = _person(officer, 160)
    services.fact_record(
        officer=officer, person=person, fact={"type": "degree_awarded", "on": _ago(20), "degree": 1}
    )
    services.fact_record(
        officer=officer, person=person, fact={"type": "penalty", "on": _ago(5), "kind": "noise"}
    )

    today = law_today(person, lang="en")

    assert today.result.gap.unsupported
    assert any("not supported" in w or "support" in w for w in today.warnings), today.warnings
