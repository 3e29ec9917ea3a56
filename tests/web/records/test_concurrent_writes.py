"""Two writes to one personal file at once: the file is locked, the second sees the first's change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adaldyq.core.errors import InputError
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, Person
from tests.web.concurrency import POSTGRES_ONLY, at_once, one_refused
from tests.web.fixtures import person_payload, register

pytestmark = [
    POSTGRES_ONLY,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def officer(make_user):
    return make_user("officer", "records_officer", institution=register()["k1"])


@pytest.fixture
def person(officer) -> Person:
    return services.person_admit(officer=officer, person=person_payload())


def test_two_corrections_of_one_entry_at_once_one_corrects_and_the_other_is_refused(
    officer, person
) -> None:
    original = services.fact_record(
        officer=officer, person=person, fact={"type": "incentive", "on": "2023-05-12"}
    )

    def correct(reason: str, kind: str) -> Callable[[], Any]:
        return lambda: services.fact_correct(
            officer=officer,
            person=person,
            original=original,
            reason=reason,
            replacement={"type": "incentive", "on": "2023-05-12", "kind": kind},
        )

    results = at_once(correct("wrong kind", "bonus"), correct("another kind", "gratitude"))

    one_refused(results, "already corrected")
    assert Fact.objects.filter(corrects=original).count() == 1


def test_a_withdrawal_and_a_fact_resting_on_what_it_withdraws_at_once_one_is_refused(
    officer, person
) -> None:
    first = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "degree_awarded", "on": "2023-06-01", "degree": 1},
    )

    results = at_once(
        lambda: services.fact_correct(
            officer=officer, person=person, original=first, reason="not decided", replacement=None
        ),
        lambda: services.fact_record(
            officer=officer,
            person=person,
            fact={"type": "degree_awarded", "on": "2023-12-01", "degree": 2},
        ),
    )

    assert sum(isinstance(r, InputError) for r in results) == 1
    standing = {
        f.data.get("degree")
        for f in Fact.objects.filter(person=person, kind="degree_awarded", void=False)
        if f.superseded_by_id is None
    }
    assert standing in ({1, 2}, set())
