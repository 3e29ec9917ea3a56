"""Placement and transfer services at their boundaries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from adaldyq.placement.ledger import read_transfer_flags, transfer_flags
from adaldyq.web.institutions.register import read_sites
from adaldyq.web.overrides.models import Override
from adaldyq.web.overrides.services import OverridePendingError, override_confirm
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.transfers import projection, selectors, services
from adaldyq.web.transfers.models import Move, Placement, Request
from adaldyq.web.transfers.services import TransferRefusedError, public_actor
from tests.web.fixtures import nothing_written
from tests.web.transfers.conftest import TODAY

pytestmark = pytest.mark.django_db


def _confirmed(world: dict[str, Any], call: Any) -> Override:
    """A departure asked by one committee member, then confirmed by another (ADR 0037)."""
    with pytest.raises(OverridePendingError) as pending:
        call()
    return override_confirm(checker=world["clerk"], override=pending.value.override, on=TODAY)


def _flags() -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        return transfer_flags(cursor, sites=read_sites(cursor))


def test_the_proposal_is_the_nearest_free_institution_of_the_type_with_every_alternative_explained(
    world: dict[str, Any],
) -> None:
    p = world["proposed"]("KA-0001")

    assert p.proposed == "M-KAR"
    why = {a["institution"]: a["reasons"] for a in p.proposal["alternatives"]}
    assert why["X-KAR"] == ["placement.mixed_unit"]
    assert why["M-AKM"] == ["placement.farther"]
    assert why["M-ALM"] == ["placement.farther"]


def test_a_placement_against_the_proposal_without_a_reason_is_refused_and_writes_nothing(
    world: dict[str, Any],
) -> None:
    p = world["proposed"]("KA-0001")
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.placement_decide(
                officer=world["committee"], placement=p, institution="M-ALM", on=TODAY
            )

        assert err.value.code == "reason_required"


def test_a_placement_against_the_proposal_with_a_reason_moves_the_person_and_is_flagged(
    world: dict[str, Any],
) -> None:
    p = world["proposed"]("KA-0001")
    person = p.person

    o = _confirmed(world, lambda: services.placement_decide(
        officer=world["committee"], placement=p, institution="M-ALM", on=TODAY,
        reason="family moved to Almaty",
    ))  # fmt: skip
    move = Move.objects.get(pk=o.effect)

    assert Person.objects.get(pk=person.pk).institution.code == "M-ALM"
    assert Fact.objects.filter(person_id=person.pk, kind="transferred").count() == 1
    assert move.against_proposal
    kinds = {f["kind"] for f in _flags()}
    assert {"against_proposal", "placed_far_from_home"} <= kinds


def test_the_proposed_placement_raises_no_flag(world: dict[str, Any]) -> None:
    p = world["proposed"]("KA-0001")

    services.placement_decide(
        officer=world["committee"], placement=p, institution="M-KAR", on=TODAY
    )

    assert _flags() == []


def _two_requests(world: dict[str, Any]) -> tuple[Request, Request]:
    a = world["admit"]("KA-0001", institution="M-ALM")
    b = world["admit"]("KA-0002", institution="M-ALM")
    first, code = services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home",
        family=("minor_children",), filed_by="relative", contact="+7 701 000 00 01",
        on=TODAY - timedelta(days=10),
    )  # fmt: skip
    second, _ = services.transfer_request_file(
        actor=public_actor("N2"), person=b, target="M-KAR", ground="closer_to_home",
        filed_by="relative", on=TODAY,
    )  # fmt: skip
    assert code
    return first, second


def test_requests_get_numbers_and_positions_by_the_published_rule(world: dict[str, Any]) -> None:
    first, second = _two_requests(world)

    assert (first.number, second.number) == ("TR-000001", "TR-000002")
    assert first.distance_gained_km > 900
    assert selectors.position_of(first, on=TODAY).position == 1
    assert selectors.position_of(second, on=TODAY).position == 2


def test_the_one_time_code_opens_the_request_and_a_wrong_code_does_not(
    world: dict[str, Any],
) -> None:
    a = world["admit"]("KA-0001", institution="M-ALM")
    r, code = services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home",
        filed_by="relative", on=TODAY,
    )  # fmt: skip

    assert services.request_by_code(number=r.number.lower(), code=code.lower()) == r
    assert services.request_by_code(number=r.number, code="WRONG123") is None


def test_granting_out_of_order_needs_a_reason(world: dict[str, Any]) -> None:
    _first, second = _two_requests(world)
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.transfer_decide(
                officer=world["committee"], request=second, grant=True, on=TODAY
            )

        assert err.value.code == "reason_required"
        assert err.value.detail["skipped"] == ["TR-000001"]


def test_granting_out_of_order_with_a_reason_moves_the_person_informs_the_family_and_is_flagged(
    world: dict[str, Any],
) -> None:
    first, second = _two_requests(world)

    _confirmed(world, lambda: services.transfer_decide(
        officer=world["committee"], request=second, grant=True, on=TODAY,
        reason="urgent medical care",
    ))  # fmt: skip

    move = Move.objects.get(request=second.number)
    assert move.out_of_order
    assert move.skipped == [first.number]
    assert Person.objects.get(pk=second.person_id).institution.code == "M-KAR"
    assert move.informed_seq is not None
    jumped = [f for f in _flags() if f["kind"] == "queue_jumped"]
    assert len(jumped) == 1
    assert jumped[0]["person"] == second.person_id
    assert jumped[0]["detail"]["reason"] == "urgent medical care"
    assert jumped[0]["evidence"] == sorted([move.seq, first.seq, second.seq])


def test_granting_in_order_is_not_flagged_and_tells_the_family_through_the_request_contact(
    world: dict[str, Any],
) -> None:
    first, _second = _two_requests(world)

    services.transfer_decide(officer=world["committee"], request=first, grant=True, on=TODAY)

    move = Move.objects.get(request=first.number)
    assert move.informed_contact == "+7 701 000 00 01"
    assert _flags() == []


def test_a_transfer_into_a_full_institution_is_refused_unless_overridden_with_a_reason(
    world: dict[str, Any],
) -> None:
    world["admit"]("KA-0010", institution="M-KAR")
    world["admit"]("KA-0011", institution="M-KAR")  # M-KAR holds 2 of 2
    first, _ = _two_requests(world)

    with pytest.raises(TransferRefusedError) as err:
        services.transfer_decide(
            officer=world["committee"], request=first, grant=True, on=TODAY, capacity_override=True
        )
    assert err.value.code == "over_capacity"

    _confirmed(world, lambda: services.transfer_decide(
        officer=world["committee"], request=first, grant=True, on=TODAY,
        capacity_override=True, reason="court order",
    ))  # fmt: skip

    over = [f for f in _flags() if f["kind"] == "over_capacity"]
    assert len(over) == 1
    assert over[0]["detail"]["override"] is True
    assert over[0]["detail"]["occupancy"] == 2


def test_a_refusal_needs_a_reason_and_closes_the_request(world: dict[str, Any]) -> None:
    first, second = _two_requests(world)

    with pytest.raises(TransferRefusedError):
        services.transfer_decide(officer=world["committee"], request=first, grant=False, on=TODAY)
    services.transfer_decide(
        officer=world["committee"], request=first, grant=False, on=TODAY, reason="no place"
    )

    assert Request.objects.get(pk=first.number).status == "refused"
    assert selectors.position_of(first, on=TODAY) is None
    assert selectors.position_of(second, on=TODAY).position == 1


def test_operational_need_without_consent_is_refused(world: dict[str, Any]) -> None:
    a = world["admit"]("KA-0001", institution="M-ALM")
    r, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="operational_need", on=TODAY
    )

    with pytest.raises(TransferRefusedError) as err:
        services.transfer_decide(officer=world["committee"], request=r, grant=True, on=TODAY)

    assert err.value.code == "consent_missing"


def test_an_unknown_ground_is_refused_before_anything_is_written(world: dict[str, Any]) -> None:
    a = world["admit"]("KA-0001", institution="M-ALM")
    with nothing_written():
        with pytest.raises(TransferRefusedError) as err:
            services.transfer_request_file(
                actor=public_actor("N1"), person=a, target="M-KAR", ground="bribe", on=TODAY
            )

        assert err.value.code == "unknown_ground"


def test_occupancy_over_time_counts_the_ledger_placements(world: dict[str, Any]) -> None:
    a = world["admit"]("KA-0001", institution="M-ALM")  # arrived 2023-02-01
    r, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home", on=TODAY
    )
    services.transfer_decide(officer=world["committee"], request=r, grant=True, on=TODAY)

    series = selectors.occupancy_series([TODAY - timedelta(days=1), TODAY])

    assert series["M-ALM"] == [1, 0]
    assert series["M-KAR"] == [0, 1]


def test_a_replay_rebuilds_identical_read_models(world: dict[str, Any]) -> None:
    _first, second = _two_requests(world)
    _confirmed(world, lambda: services.transfer_decide(
        officer=world["committee"], request=second, grant=True, on=TODAY, reason="urgent"
    ))  # fmt: skip
    p = world["proposed"]("KA-0003")
    _confirmed(world, lambda: services.placement_decide(
        officer=world["committee"], placement=p, institution="M-AKM", on=TODAY,
        reason="closer to the family",
    ))  # fmt: skip

    def rows() -> list[Any]:
        return [
            list(Placement.objects.order_by("seq").values()),
            list(Request.objects.order_by("seq").values()),
            list(Move.objects.order_by("seq").values()),
        ]

    before = rows()
    applied = projection.rebuild()

    assert applied >= 6  # transactional tests of other apps may leave entries behind
    assert rows() == before


def test_flags_read_through_the_oversight_flag_type(world: dict[str, Any]) -> None:
    _first, second = _two_requests(world)
    _confirmed(world, lambda: services.transfer_decide(
        officer=world["committee"], request=second, grant=True, on=TODAY, reason="urgent"
    ))  # fmt: skip

    with connection.cursor() as cursor:
        found = read_transfer_flags(cursor, sites=read_sites(cursor))

    assert [f.kind for f in found] == ["queue_jumped"]
    assert found[0].institution == "M-KAR"
    assert found[0].officer == "committee"
