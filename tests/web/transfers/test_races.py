"""Two decisions at once (issue 14): one placement proposal decided twice, one transfer request
granted twice, and two people placed into an institution's last place. The checks run under the
proposal's or request's lock and the institution's: one wins, the other is refused by its rule, and
the ledger holds one decision."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.web.transfers import projection, services
from adaldyq.web.transfers.services import TransferRefusedError, public_actor
from tests.web.concurrency import POSTGRES_ONLY, at_once, entries_of, twice_at_once
from tests.web.transfers.conftest import TODAY

pytestmark = [POSTGRES_ONLY, pytest.mark.django_db(transaction=True)]


def _decisions() -> int:
    return entries_of(projection.PLACEMENT_DECIDED, projection.TRANSFER_DECIDED)


def _refused(results: list[Any]) -> list[str]:
    return [r.code for r in results if isinstance(r, TransferRefusedError)]


def test_one_proposal_decided_twice_at_once_places_once(world: dict[str, Any]) -> None:
    p = world["proposed"]("KA-0001")

    results = twice_at_once(
        lambda: services.placement_decide(
            officer=world["committee"], placement=p, institution=p.proposed, on=TODAY
        )
    )

    assert _refused(results) == ["not_open"]
    assert _decisions() == 1


def test_two_people_into_the_last_place_at_once_one_is_placed(world: dict[str, Any]) -> None:
    world["admit"]("KA-0100", institution="M-KAR")  # M-KAR holds 1 of its 2 places
    first, second = world["proposed"]("KA-0001"), world["proposed"]("KA-0002")
    assert first.proposed == second.proposed == "M-KAR"

    results = at_once(
        *(
            lambda p=p: services.placement_decide(
                officer=world["committee"], placement=p, institution="M-KAR", on=TODAY
            )
            for p in (first, second)
        )
    )

    assert _refused(results) == ["over_capacity"]
    assert _decisions() == 1


def test_one_request_granted_twice_at_once_moves_once(world: dict[str, Any]) -> None:
    man = world["admit"]("KA-0001", institution="M-ALM", home="karaganda")
    r, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=man, target="M-KAR", ground="closer_to_home", on=TODAY
    )

    results = twice_at_once(
        lambda: services.transfer_decide(
            officer=world["committee"], request=r, grant=True, on=TODAY
        )
    )

    assert _refused(results) == ["not_open"]
    assert _decisions() == 1
