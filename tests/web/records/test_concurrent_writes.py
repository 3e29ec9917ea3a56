"""Two writes to one personal file at once: the file is locked, the second sees the first's change."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.utils import translation

from adaldyq.core.errors import InputError
from adaldyq.web.records import services
from adaldyq.web.records.models import Fact, Person
from tests.web.fixtures import person_payload, register

DB = os.environ.get("ADALDYQ_TEST_DB", "sqlite")

pytestmark = [
    pytest.mark.skipif(
        DB != "postgres",
        reason="the SQLite test database is shared memory, whose table locks fail at once instead of waiting",
    ),
    pytest.mark.django_db(transaction=True),
]


def _at_once(*writes: Callable[[], Any]) -> list[Any]:
    """Run the writes in threads released together; each one's result or the error it raised."""
    start = threading.Barrier(len(writes))
    out: list[Any] = [None] * len(writes)

    def run(i: int, write: Callable[[], Any]) -> None:
        start.wait()
        try:
            with translation.override("en"):
                out[i] = write()
        except InputError as exc:
            out[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


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

    results = _at_once(correct("wrong kind", "bonus"), correct("another kind", "gratitude"))

    refused = [r for r in results if isinstance(r, InputError)]
    assert len(refused) == 1
    assert "already corrected" in str(refused[0])
    assert Fact.objects.filter(corrects=original).count() == 1


def test_a_withdrawal_and_a_fact_resting_on_what_it_withdraws_at_once_one_is_refused(
    officer, person
) -> None:
    first = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "degree_awarded", "on": "2023-06-01", "degree": 1},
    )

    results = _at_once(
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
