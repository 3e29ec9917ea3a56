"""The open queue per target institution, and the flags on decisions that depart from it."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.core.errors import InputError
from adaldyq.placement import (
    TransferDecision,
    TransferRequest,
    capacity_flags,
    check_request,
    far_from_home_flags,
    ground_flags,
    mixed_unit_flags,
    next_in_queue,
    placement_flags,
    points,
    proposal_flags,
    queue,
    queue_jump_flags,
    queue_position,
    repeated_transfer_flags,
    request_number,
)
from tests.placement.conftest import ON, REGISTER, profile


def request(n: int, *, filed: date = date(2025, 1, 1), km: float = 0.0, **kw) -> TransferRequest:
    kw.setdefault("ground", "closer_to_home")
    return TransferRequest(
        request_number(n), f"PF-{n}", kw.pop("target", "UK-AST"), filed_on=filed,
        from_institution="UK-ALA", distance_gained_km=km, **kw,
    )  # fmt: skip


def decide(ident: str, person: str, on: date, to: str = "UK-AST", **kw) -> TransferDecision:
    kw.setdefault("from_institution", "UK-ALA")
    kw.setdefault("ground", "closer_to_home")
    return TransferDecision(ident, person, on, to, **kw)


# --- the queue -------------------------------------------------------------------------------------
def test_points_add_km_gained_waiting_family_and_ground() -> None:
    r = request(1, filed=date(2025, 1, 1), km=450, family=("minor_children", "sick_parent"))

    p = points(r, on=date(2025, 3, 2))  # 60 days

    assert (p.km, p.waiting, p.family, p.ground) == (4.5, 2.0, 6.0, 0.0)
    assert p.total == 12.5


def test_a_request_that_moves_away_from_home_gains_no_points_for_distance() -> None:
    assert points(request(1, km=-300), on=date(2025, 1, 1)).km == 0.0


def test_the_queue_orders_by_points_then_filing_date_then_number() -> None:
    reqs = [
        request(1, filed=date(2025, 1, 10)),
        request(2, filed=date(2025, 1, 1), km=0),
        request(3, filed=date(2025, 1, 10)),
        request(4, filed=date(2025, 2, 1), km=500),
        request(5, filed=date(2025, 2, 1), ground="safety", target="UK-AST"),
    ]

    line = queue(reqs, "UK-AST", on=date(2025, 3, 1))

    assert [r.number for r in line] == [
        "TR-000005", "TR-000004", "TR-000002", "TR-000001", "TR-000003",
    ]  # fmt: skip


def test_the_order_of_two_open_requests_does_not_change_with_the_date() -> None:
    reqs = [request(1, filed=date(2025, 1, 1)), request(2, filed=date(2025, 2, 1), km=200)]

    early = queue(reqs, "UK-AST", on=date(2025, 2, 1))
    late = queue(reqs, "UK-AST", on=date(2027, 2, 1))

    assert [r.number for r in early] == [r.number for r in late] == ["TR-000002", "TR-000001"]


@pytest.mark.parametrize(("on", "position"), [(date(2025, 1, 31), None), (date(2025, 2, 1), 2)])
def test_a_request_enters_the_queue_on_the_day_it_is_filed(on: date, position: int | None) -> None:
    reqs = [request(1, filed=date(2025, 1, 1)), request(2, filed=date(2025, 2, 1))]

    assert queue_position(reqs, "TR-000002", on=on) == position


def test_closed_requests_leave_the_queue_and_the_next_moves_up() -> None:
    reqs = [request(1), request(2, filed=date(2025, 1, 2)), request(3, target="UK-PAV")]

    assert next_in_queue(reqs, "UK-AST", on=ON).number == "TR-000001"
    assert next_in_queue(reqs, "UK-AST", on=ON, closed={"TR-000001"}).number == "TR-000002"
    assert queue_position(reqs, "TR-000002", on=ON, closed={"TR-000001"}) == 1
    assert next_in_queue(reqs, "UK-KAR-MAX", on=ON) is None


def test_an_unknown_request_number_or_ground_is_refused() -> None:
    with pytest.raises(InputError, match="no transfer request"):
        queue_position([request(1)], "TR-999999", on=ON)
    with pytest.raises(InputError, match="ground: expected one of"):
        check_request(request(1, ground="bribe"))
    with pytest.raises(InputError, match="family: unknown circumstance"):
        check_request(request(1, family=("cousin",)))
    with pytest.raises(InputError):
        request_number(0)


def test_requests_and_decisions_survive_the_round_trip_to_ledger_payloads() -> None:
    r = request(7, km=120.5, family=("sick_parent",), consent=True, filed_by="relative")
    d = decide("TD-1", "PF-7", ON, request="TR-000007", reason="x", capacity_override=True)

    assert TransferRequest.from_dict(r.to_dict()) == r
    assert TransferDecision.from_dict(d.to_dict()) == d
    with pytest.raises(InputError, match="transfer request"):
        TransferRequest.from_dict({"number": "TR-1"})


# --- out of order ----------------------------------------------------------------------------------
def test_granting_the_first_in_line_is_not_flagged_and_the_second_then_is_not_either() -> None:
    reqs = [request(1), request(2, filed=date(2025, 1, 2))]
    decisions = [
        decide("TD-1", "PF-1", date(2025, 2, 1), request="TR-000001"),
        decide("TD-2", "PF-2", date(2025, 2, 1), request="TR-000002"),
    ]

    assert queue_jump_flags(reqs, decisions) == []


def test_granting_the_second_before_the_first_is_flagged_with_the_skipped_request() -> None:
    reqs = [request(1), request(2, filed=date(2025, 1, 2))]
    decisions = [decide("TD-2", "PF-2", date(2025, 2, 1), request="TR-000002", reason="urgent")]

    (flag,) = queue_jump_flags(reqs, decisions)

    assert flag.kind == "queue_jumped"
    assert flag.evidence == ("TD-2", "TR-000002", "TR-000001")
    assert flag.detail["reason"] == "urgent"


@pytest.mark.parametrize(
    ("filed", "flagged"),
    [(date(2025, 2, 1), True), (date(2025, 2, 2), False)],
    ids=["filed the same day", "filed the next day"],
)
def test_a_transfer_without_a_request_jumps_every_request_open_on_its_date(
    filed: date, flagged: bool
) -> None:
    reqs = [request(1, filed=filed)]

    flags = queue_jump_flags(reqs, [decide("TD-9", "PF-9", date(2025, 2, 1))])

    assert bool(flags) is flagged


@pytest.mark.parametrize(
    ("withdrawn_on", "flagged"), [(date(2025, 2, 1), False), (date(2025, 2, 2), True)]
)
def test_a_withdrawn_request_is_not_skipped_from_the_day_it_is_withdrawn(
    withdrawn_on: date, flagged: bool
) -> None:
    reqs = [request(1), request(2, filed=date(2025, 1, 2))]
    decisions = [decide("TD-2", "PF-2", date(2025, 2, 1), request="TR-000002")]

    flags = queue_jump_flags(reqs, decisions, withdrawn={"TR-000001": withdrawn_on})

    assert bool(flags) is flagged


def test_a_transfer_for_safety_goes_ahead_of_requests_to_be_closer_to_home() -> None:
    reqs = [request(1)]

    assert queue_jump_flags(reqs, [decide("TD-1", "PF-9", ON, ground="safety")]) == []


# --- capacity --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("held", "flagged"), [(98, False), (99, True)])
def test_a_move_into_an_institution_at_its_limit_is_flagged(held: int, flagged: bool) -> None:
    decisions = [decide("TD-1", "PF-1", ON), decide("TD-2", "PF-2", ON)]  # the 2nd finds held + 1

    flags = capacity_flags(decisions, REGISTER, {"UK-AST": held})

    assert [f.evidence for f in flags] == ([("TD-2", "UK-AST")] if flagged else [])


def test_an_override_of_the_limit_is_still_flagged_and_says_so() -> None:
    d = decide("TD-1", "PF-1", ON, capacity_override=True, reason="court order")

    (flag,) = capacity_flags([d], REGISTER, {"UK-AST": 100})

    assert flag.detail == {
        "occupancy": 100, "capacity": 100, "override": True, "reason": "court order",
    }  # fmt: skip


def test_a_move_out_frees_a_place_for_the_next_move_in() -> None:
    decisions = [
        decide("TD-1", "PF-1", ON, to="UK-PAV", from_institution="UK-AST", ground="safety"),
        decide("TD-2", "PF-2", ON),
    ]

    assert capacity_flags(decisions, REGISTER, {"UK-AST": 100}) == []


# --- grounds, consent, type, mixed units, repetition ------------------------------------------------
@pytest.mark.parametrize(
    ("ground", "consent", "kind"),
    [
        (None, False, "no_art88_ground"),
        ("household_chores", False, "no_art88_ground"),
        ("operational_need", False, "consent_missing"),
        ("operational_need", True, None),
        ("law_and_order", False, None),
    ],
)
def test_a_transfer_needs_an_art88_ground_and_consent_where_required(
    ground: str | None, consent: bool, kind: str | None
) -> None:
    d = decide("TD-1", "PF-1", ON, ground=ground, consent=consent)

    flags = ground_flags([d], REGISTER)

    assert [f.kind for f in flags] == ([kind] if kind else [])


def test_a_transfer_to_another_type_without_a_court_is_flagged() -> None:
    d = decide("TD-1", "PF-1", ON, to="UK-KAR-MAX", ground="safety")

    (flag,) = ground_flags([d], REGISTER)

    assert flag.kind == "type_changed_without_court"
    assert flag.detail == {"from_type": "medium", "to_type": "maximum"}


def test_every_placement_or_transfer_into_a_mixed_unit_is_flagged() -> None:
    decisions = [
        decide("TD-1", "PF-1", ON, to="SI-KAR", reason="household work"),
        TransferDecision("TD-2", "PF-2", ON, "SI-KAR"),
        decide("TD-3", "PF-3", ON),
    ]

    assert [f.evidence for f in mixed_unit_flags(decisions, REGISTER)] == [
        ("TD-1", "SI-KAR"), ("TD-2", "SI-KAR"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("second", "flagged"), [(date(2025, 3, 1), False), (date(2025, 2, 28), True)]
)
def test_two_transfers_of_one_person_within_twelve_months_are_flagged(
    second: date, flagged: bool
) -> None:
    decisions = [
        decide("TD-1", "PF-1", date(2024, 3, 1), ground="safety"),
        decide("TD-2", "PF-1", second, ground="safety"),
    ]

    flags = repeated_transfer_flags(decisions)

    assert [f.evidence for f in flags] == ([("TD-2", "TD-1")] if flagged else [])


# --- placement far from home, against the proposal --------------------------------------------------
def test_a_placement_far_from_home_while_a_nearer_place_was_free_is_flagged() -> None:
    people = {"PF-1": profile("PF-1")}
    d = TransferDecision("TD-1", "PF-1", ON, "UK-ALA", proposed="UK-AST", reason="no reason")

    far = far_from_home_flags([d], REGISTER, {}, people)
    against = proposal_flags([d])

    assert [(f.kind, f.evidence) for f in far] == [("placed_far_from_home", ("TD-1", "UK-AST"))]
    assert far[0].detail["nearer"] == "UK-AST"
    assert [(f.kind, f.evidence) for f in against] == [("against_proposal", ("TD-1", "UK-AST"))]


def test_a_placement_farther_away_is_not_flagged_when_every_nearer_place_was_full() -> None:
    people = {"PF-1": profile("PF-1")}
    d = TransferDecision("TD-1", "PF-1", ON, "UK-PAV")

    assert far_from_home_flags([d], REGISTER, {"UK-AST": 100}, people) == []


def test_all_flags_come_together_by_date() -> None:
    reqs = [request(1), request(2, filed=date(2025, 1, 2))]
    decisions = [
        decide("TD-1", "PF-2", date(2025, 2, 1), request="TR-000002"),
        decide("TD-2", "PF-3", date(2025, 1, 15), to="SI-KAR", ground=None),
    ]

    flags = placement_flags(
        decisions=decisions, institutions=REGISTER, occupancy={"UK-AST": 100}, requests=reqs
    )

    assert [(f.on, f.kind) for f in flags] == [
        (date(2025, 1, 15), "mixed_unit_placement"),
        (date(2025, 1, 15), "no_art88_ground"),
        (date(2025, 2, 1), "over_capacity"),
        (date(2025, 2, 1), "queue_jumped"),
    ]
    assert all(f.ref.confidence in {"S", "P"} for f in flags)
    assert flags[0].to_dict()["evidence"] == ["TD-2", "SI-KAR"]
