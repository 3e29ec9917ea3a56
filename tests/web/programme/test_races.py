"""Two requests at once on each check-then-write of the programme and the public councils' visits
(issue 14): the host's answer, an official's attendance, a questionnaire, an observation's
assignment and its answer. One wins, the other is refused in words, and the ledger holds one entry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from adaldyq.web.programme import projection, services
from tests.web.concurrency import POSTGRES_ONLY, at_once, entries_of, one_refused, twice_at_once
from tests.web.programme.conftest import DAY, STATIONS, official
from tests.web.programme.test_monitoring import _record

pytestmark = [POSTGRES_ONLY, pytest.mark.django_db(transaction=True)]
DUE = DAY + timedelta(days=30)


def _visit(world: dict[str, Any], *, confirmed: bool, capacity: int = 3) -> Any:
    visit = services.visit_plan(
        officer=world["agency"], host="M-ALM", day=DAY, route=STATIONS, capacity=capacity,
        on=DAY - timedelta(days=20),
    )  # fmt: skip
    if confirmed:
        visit = services.visit_decide(
            officer=world["head"], visit=visit, confirmed=True, on=DAY - timedelta(days=10)
        )
    return visit


def test_two_answers_of_the_host_at_once_record_one(world: dict[str, Any]) -> None:
    visit = _visit(world, confirmed=False)

    results = at_once(
        lambda: services.visit_decide(officer=world["head"], visit=visit, confirmed=True),
        lambda: services.visit_decide(
            officer=world["head"], visit=visit, confirmed=False, reason="quarantine"
        ),
    )

    one_refused(results, "already answered")
    assert entries_of(projection.VISIT_DECIDED) == 1


def test_two_officials_at_the_last_place_at_once_one_attends(world: dict[str, Any]) -> None:
    visit = _visit(world, confirmed=True, capacity=1)

    results = at_once(
        *(
            lambda n=n: services.attendance_record(
                officer=world["agency"], visit=visit, official=official(n), on=DAY
            )
            for n in (1, 2)
        )
    )

    one_refused(results, "capacity is reached")
    assert entries_of(projection.ATTENDANCE_RECORDED) == 1


def test_one_official_recorded_twice_at_once_attends_once(world: dict[str, Any]) -> None:
    visit = _visit(world, confirmed=True)

    results = twice_at_once(
        lambda: services.attendance_record(
            officer=world["agency"], visit=visit, official=official(1), on=DAY
        )
    )

    one_refused(results, "already recorded")
    assert entries_of(projection.ATTENDANCE_RECORDED) == 1


def test_more_questionnaires_than_attendees_at_once_are_refused(world: dict[str, Any]) -> None:
    visit = _visit(world, confirmed=True)
    services.attendance_record(officer=world["agency"], visit=visit, official=official(1), on=DAY)

    results = twice_at_once(
        lambda: services.answer_record(
            officer=world["agency"], visit=visit, useful=4, recommend=True, on=DAY
        )
    )

    one_refused(results, "as many questionnaires as attendees")
    assert entries_of(projection.ANSWERED) == 1


@pytest.fixture
def observation(world: dict[str, Any], make_user: Any) -> dict[str, Any]:
    people = {**world, "council": make_user("council", "public_council")}
    visit = _record(people)
    return {**people, "observation": visit.observations.order_by("id").first()}


def test_an_observation_assigned_twice_at_once_is_assigned_once(
    observation: dict[str, Any],
) -> None:
    o = observation["observation"]

    results = at_once(
        *(
            lambda to=to: services.observation_assign(
                member=observation["council"], observation=o, to=to, due=DUE, on=DAY
            )
            for to in ("the head", "the regional department")
        )
    )

    one_refused(results, "already assigned")
    assert entries_of(projection.MONITORING_ASSIGNED) == 1


def test_an_assignment_answered_twice_at_once_is_answered_once(
    observation: dict[str, Any],
) -> None:
    o = services.observation_assign(
        member=observation["council"], observation=observation["observation"], to="the head",
        due=DUE, on=DAY,
    )  # fmt: skip

    results = at_once(
        *(
            lambda text=text: services.assignment_answer(
                officer=observation["head"], observation=o, answer=text, on=DAY
            )
            for text in ("Repaired.", "Ordered the repair.")
        )
    )

    one_refused(results, "already answered")
    assert entries_of(projection.MONITORING_ANSWERED) == 1
