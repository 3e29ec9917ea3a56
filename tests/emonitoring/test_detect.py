"""Device events read against a person's zones (issue 19, ADR 0043): no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adaldyq.emonitoring import Detector, EventError, FeedState, ZoneError, parse_event, zone_of
from adaldyq.files import FactError, parse_fact

ALMATY = ZoneInfo("Asia/Almaty")
HOME = [[76.899, 43.239], [76.901, 43.239], [76.901, 43.241], [76.899, 43.241]]
MARKET = [[76.948, 43.248], [76.952, 43.248], [76.952, 43.252], [76.948, 43.252]]


def zone(name: str, kind: str, polygon: Any, **extra: Any) -> Any:
    payload = {"on": "2026-01-01", "name": name, "kind": kind, "polygon": polygon, **extra}
    return zone_of(parse_fact("device_zone", payload, on=date(2026, 1, 1), seq=7))


def local(hour: int, minute: int = 0, day: int = 6) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ALMATY).astimezone(UTC)


def fix(n: int, at: datetime, lon: float, lat: float, accuracy: float = 10) -> Any:
    return parse_event({"id": f"e{n}", "kind": "fix", "at": at.isoformat(), "lon": lon, "lat": lat,
                        "accuracy": accuracy})  # fmt: skip


@pytest.fixture
def detector() -> Detector:
    zones = [zone("home", "home", HOME, curfew={"from": "22:00", "to": "06:00"}),
             zone("market", "exclusion", MARKET)]  # fmt: skip
    return Detector(zones, tz=ALMATY)


def test_a_fix_away_from_home_in_curfew_hours_opens_a_curfew_violation_that_ends_at_home(
    detector: Detector,
) -> None:
    state = FeedState()
    events = [
        fix(1, local(21, 50), 76.93, 43.26),  # away, before the curfew: nothing
        fix(2, local(22, 10), 76.93, 43.26),  # away in the curfew
        fix(3, local(22, 12), 76.93, 43.26),
        fix(4, local(22, 14), 76.900, 43.240),  # home
    ]
    found = detector.run(events, state)
    assert [(e.kind, e.zone, e.events) for e in found.opened] == [("curfew", "home", ["e2", "e3"])]
    assert [(e.kind, e.last_id, e.count) for e in found.closed] == [("curfew", "e3", 2)]
    assert state.open == {}


def test_a_fix_whose_accuracy_reaches_the_homes_edge_says_nothing(detector: Detector) -> None:
    # 76.9012 is about 16 m east of the edge: with 50 m of accuracy, it may be inside.
    found = detector.run([fix(1, local(23), 76.9012, 43.240, accuracy=50)], FeedState())
    assert found.opened == []
    found = detector.run([fix(1, local(23), 76.9012, 43.240, accuracy=5)], FeedState())
    assert [e.kind for e in found.opened] == ["curfew"]


def test_the_home_unit_missing_the_bracelet_at_night_is_a_curfew_violation(
    detector: Detector,
) -> None:
    unit = parse_event(
        {"id": "u1", "kind": "home_unit", "at": local(2).isoformat(), "present": False}
    )
    assert [e.kind for e in detector.run([unit], FeedState()).opened] == ["curfew"]


def test_entering_an_exclusion_zone_is_one_violation_per_entry(detector: Detector) -> None:
    state = FeedState()
    inside, outside = (76.950, 43.250), (76.96, 43.26)
    events = [
        fix(i, local(12, 2 * i), *(inside if i in (1, 2, 5) else outside)) for i in range(1, 6)
    ]
    found = detector.run(events, state)
    assert [(e.kind, e.zone, e.first_id) for e in found.opened] == [
        ("exclusion_zone", "market", "e1"), ("exclusion_zone", "market", "e5"),
    ]  # fmt: skip
    assert list(state.open) == ["exclusion_zone:market"]


def test_tamper_low_battery_and_a_silence_are_violations(detector: Detector) -> None:
    state = FeedState()
    at = local(12)
    events = [
        parse_event({"id": "t1", "kind": "tamper", "at": at.isoformat(), "what": "strap"}),
        parse_event({"id": "b1", "kind": "battery", "at": (at + timedelta(minutes=1)).isoformat(),
                     "level": 7}),
        parse_event({"id": "b2", "kind": "battery", "at": (at + timedelta(minutes=50)).isoformat(),
                     "level": 90}),
    ]  # fmt: skip
    found = detector.run(events, state)
    assert sorted(e.kind for e in found.opened) == ["battery", "signal_lost", "tamper"]
    lost = next(e for e in found.opened if e.kind == "signal_lost")
    assert lost.events == ["b1", "b2"]


def test_a_sweep_finds_a_silent_device_once(detector: Detector) -> None:
    state = FeedState()
    detector.run([fix(1, local(12), 76.96, 43.26)], state)
    assert detector.sweep(state, now=local(12, 20)).opened == []
    assert [e.kind for e in detector.sweep(state, now=local(13)).opened] == ["signal_lost"]
    assert detector.sweep(state, now=local(14)).opened == []
    again = detector.run([fix(2, local(14, 5), 76.96, 43.26)], FeedState.from_json(state.to_json()))
    assert again.opened == []


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"id": "x", "kind": "fix", "at": "2026-12-06T10:00:00+05:00", "lat": 91, "lon": 1,
          "accuracy": 5}, "lat"),
        ({"id": "x", "kind": "fix", "at": "2026-12-06T10:00:00", "lat": 1, "lon": 1,
          "accuracy": 5}, "at"),
        ({"id": "x", "kind": "battery", "at": "2026-12-06T10:00:00Z", "level": 5.5}, "level"),
        ({"id": "x", "kind": "battery", "at": "2026-12-06T10:00:00Z", "level": 5, "lat": 1}, "lat"),
        ({"id": "", "kind": "tamper", "at": "2026-12-06T10:00:00Z"}, "id"),
        ({"id": "x", "kind": "smoke", "at": "2026-12-06T10:00:00Z"}, "kind"),
        ({"id": "x", "kind": "home_unit", "at": "2026-12-06T10:00:00Z"}, "present"),
        ({"id": "x", "kind": "tamper", "at": "2099-01-01T00:00:00Z"}, "at"),
    ],
)  # fmt: skip
def test_a_report_that_is_not_an_event_names_its_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(EventError) as caught:
        parse_event(raw, now=datetime(2026, 12, 7, tzinfo=UTC))
    assert caught.value.field == field


def test_a_zone_whose_edges_cross_is_refused_and_a_zone_needs_three_points() -> None:
    with pytest.raises(ZoneError):
        zone("bow", "exclusion", [[0, 0], [1, 1], [1, 0], [0, 1]])
    with pytest.raises(FactError, match="polygon"):
        zone("line", "exclusion", [[0, 0], [1, 1]])
    with pytest.raises(FactError, match="curfew"):
        zone("market", "exclusion", MARKET, curfew={"from": "22:00", "to": "06:00"})
