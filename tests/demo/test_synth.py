"""The synthetic population: deterministic, valid against the case format, abuses recorded."""

from __future__ import annotations

from collections import Counter
from datetime import date

import orjson
import pytest

from adaldyq.core.regions import regions_by_key
from adaldyq.demo.figures import ABUSE_KINDS, CONDITIONS
from adaldyq.demo.register import national_register, small_register
from adaldyq.demo.synth import (
    CASE_EVENT_TYPES,
    EXTRA_EVENT_TYPES,
    Population,
    generate,
    iter_people,
    person_as_case,
    write_cases_jsonl,
    write_planted_jsonl,
)
from adaldyq.law import LawPack, evaluate, parse_case


@pytest.fixture(scope="module")
def small() -> Population:
    return generate("small")


def test_the_same_seed_gives_the_same_people() -> None:
    first = generate(300, seed=7)
    second = generate(300, seed=7)

    assert first.people == second.people
    assert first.institutions == second.institutions
    assert first.officers == second.officers


def test_another_seed_gives_other_people() -> None:
    assert generate(50, seed=7).people != generate(50, seed=8).people


def test_the_first_people_do_not_depend_on_how_many_follow() -> None:
    register = small_register(3, 3000)

    many = list(iter_people(register, count=200, seed=3))
    few = list(iter_people(register, count=50, seed=3))

    assert many[:50] == few


def test_events_are_in_date_order_within_the_history_window(small: Population) -> None:
    for p in small.people:
        dates = [e.on for e in p.events]
        assert dates == sorted(dates), p.id
        assert p.events[0].type == "arrived"
        assert dates[-1] <= small.as_of


def test_events_use_exactly_the_case_vocabulary_and_the_documented_extras(
    small: Population,
) -> None:
    types = {e.type for p in small.people for e in p.events}

    assert types <= CASE_EVENT_TYPES | EXTRA_EVENT_TYPES
    assert types >= CASE_EVENT_TYPES


def test_conditions_exist_in_the_institution_type(small: Population) -> None:
    for p in small.people:
        allowed = CONDITIONS[p.institution_type]
        for e in p.events:
            if e.type == "arrived":
                assert e.data["condition"] in allowed, p.id
            if e.type == "condition_changed":
                assert e.data["to"] in allowed, p.id


def test_each_positive_degree_is_awarded_only_after_the_one_below(small: Population) -> None:
    for p in small.people:
        held = 0
        for e in p.events:
            if e.type == "degree_awarded":
                assert e.data["degree"] == max(held, 0) + 1, p.id
                held = int(e.data["degree"])
            elif e.type == "recognised":
                held = -1
            elif e.type == "degree_revoked":
                held = 0


def test_the_term_ends_after_it_starts_and_after_the_date_of_the_data(small: Population) -> None:
    for p in small.people:
        release = p.sentence.release_on
        assert release is None or release > small.as_of > p.sentence.start
        assert p.born < p.sentence.start
        assert (release is None) == p.sentence.life


def test_people_are_placed_coherently_with_their_institution(small: Population) -> None:
    institutions = {i.id: i for i in small.institutions}
    officers = {o.id: o for o in small.officers}
    for p in small.people:
        inst = institutions[p.institution]
        assert p.institution_type == inst.type
        assert p.sex == inst.sex
        assert p.home_region in regions_by_key()
        if inst.minors:
            assert (p.sentence.start - p.born).days < 18 * 366
        for e in p.events:
            assert officers[e.officer].institution == inst.id


def test_every_first_degree_not_planted_is_one_the_engine_supports_on_its_day(
    small: Population,
) -> None:
    law = LawPack.load()
    lawful = unlawful = 0
    for p in small.people:
        planted = {i for a in p.planted for i in a.events}
        case = person_as_case(p, small.as_of)
        person = parse_case(case).person
        facts = list(case["events"])
        for i, e in enumerate(p.events):
            if e.type == "degree_awarded" and e.data["degree"] == 1 and i not in planted:
                before = [f for f in facts if f["on"] < e.on.isoformat()]
                result = evaluate(person, before, on=e.on, law=law)
                ok = result.finding("degree.1").met is True
                lawful += ok
                unlawful += not ok
    assert lawful > 500
    assert unlawful == 0


def test_a_small_recorded_share_of_people_carry_planted_abuses_of_every_kind(
    small: Population,
) -> None:
    share = len(small.planted) / len(small.people)
    kinds = Counter(a.kind for a in small.planted)

    assert 0.01 < share < 0.06
    # the loopholes of an electronic file too (issue 15): a late entry, withdrawals and corrections
    # that changed an outcome, and the withdrawing officer's withdrawals
    assert set(kinds) == set(ABUSE_KINDS) | {
        "late_entry_changed_outcome", "withdrawal_changed_outcome", "fact_withdrawn",
    }  # fmt: skip


def test_planted_abuses_point_at_events_of_their_person(small: Population) -> None:
    people = {p.id: p for p in small.people}
    for a in small.planted:
        person = people[a.person]
        assert a.events, a
        assert a.institution == person.institution
        events = [person.all_events[i] for i in a.events]
        if a.kind.startswith("visit"):
            assert any(e.type == "visit" for e in events)
        if a.kind == "delayed_award":
            assert int(a.detail["delay_days"]) >= 90
        if a.kind in ("visits_above_entitlement", "penalty_before_qualifying", "delayed_award"):
            assert a.officer in {e.officer for e in events}


def test_a_person_as_a_case_has_the_case_format_keys_and_vocabulary(small: Population) -> None:
    case = person_as_case(small.people[0], small.as_of)

    assert set(case) == {"id", "as_of", "person", "events"}
    assert set(case["person"]) == {"sex", "born", "institution", "sentence", "gravity"}
    assert {e["type"] for e in case["events"]} <= CASE_EVENT_TYPES
    assert all(set(e) >= {"on", "type"} for e in case["events"])


def test_a_case_as_of_an_earlier_date_leaves_out_later_events(small: Population) -> None:
    person = max(small.people, key=lambda p: len(p.events))
    on = date(2023, 1, 1)

    case = person_as_case(person, on)

    assert all(e["on"] <= on.isoformat() for e in case["events"])


def test_cases_and_planted_abuses_are_written_one_json_object_a_line(small, tmp_path) -> None:
    people = small.people[:100]
    planted = small.planted

    written = write_cases_jsonl(tmp_path / "cases.jsonl", people, small.as_of)
    write_planted_jsonl(tmp_path / "planted.jsonl", planted)

    lines = (tmp_path / "cases.jsonl").read_bytes().splitlines()
    assert written == len(lines) == 100
    assert [orjson.loads(x) for x in lines] == [
        orjson.loads(orjson.dumps(person_as_case(p, small.as_of))) for p in people
    ]
    rows = [orjson.loads(x) for x in (tmp_path / "planted.jsonl").read_bytes().splitlines()]
    assert [r["kind"] for r in rows] == [a.kind for a in planted]
    assert all(r["events"][0].startswith(r["person"] + "#") for r in rows)


def test_the_national_register_has_the_counts_of_the_law_and_gaps_by_region() -> None:
    register = national_register(2024)
    types = Counter(i.type for i in register)
    with_maximum = {i.region for i in register if i.type == "maximum"}

    assert types == {
        "medium": 27,
        "minimum": 16,
        "maximum": 13,
        "complete": 1,
        "extreme": 1,
        "mixed": 20,
    }
    assert {i.region for i in register if i.type == "mixed"} == set(regions_by_key())
    assert len(with_maximum) < 20
    assert any(i.sex == "female" for i in register)
    assert sum(i.minors for i in register) == 1
    assert any(i.medical for i in register)


def test_the_small_register_has_every_type_sized_for_its_people() -> None:
    register = small_register(2024, 3000)

    assert 8 <= len(register) <= 10
    assert {i.type for i in register} == set(CONDITIONS)
    assert 3000 < sum(i.capacity for i in register) < 3600


def test_a_new_officer_records_only_penalties_planted_before_a_qualification(
    small: Population,
) -> None:
    from adaldyq.demo.synth import PATTERN_ASKED, pattern_officer

    officer = pattern_officer(small.institutions)
    assert officer in small.officers
    recorded = [(p, e) for p in small.people for e in p.events if e.officer == officer.id]
    planted = [a for a in small.planted if a.officer == officer.id]

    assert 5 <= len(planted) <= PATTERN_ASKED  # enough for a pattern, found by the score
    assert {a.kind for a in planted} == {"penalty_before_qualifying"}
    assert {e.type for _, e in recorded} == {"penalty"}
    assert len(recorded) == len(planted)  # nothing else: every one of them is planted
    assert {p.institution for p, _ in recorded} == {officer.institution}


def test_the_loopholes_are_entries_recorded_after_the_history_in_order(small: Population) -> None:
    from adaldyq.demo.loopholes import later_stages

    planted = [p for p in small.people if p.later]
    assert len(planted) >= 20
    for person in planted:
        assert [later.stage for later in person.later] == sorted(
            {later.stage for later in person.later}
        )  # one entry a stage, stages in order
        for later in person.later:
            if later.corrects is None:
                continue
            target = person.all_events[later.corrects]
            assert target.type in ("penalty", "incentive")
            assert later.reason
            if later.event.type == "fact_voided":
                assert later.event.on == target.on
    stages = later_stages(planted)
    assert sum(len(s) for s in stages) == sum(len(p.later) for p in planted)
