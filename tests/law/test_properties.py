"""Properties of the engine over generated histories (hypothesis)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaldyq.core.errors import CaseError
from adaldyq.law import LawPack, Timeline, evaluate, parse_case
from tests.law.conftest import person

LAW = LawPack.load()
START = date(2020, 1, 10)
KINDS = ["incentive", "penalty", "joined_organisation", "left_organisation", "work_assessed"]


@st.composite
def histories(draw):
    """Lawful-shaped histories: facts in date order, degrees awarded in order."""
    n = draw(st.integers(0, 30))
    offsets = sorted(draw(st.lists(st.integers(0, 2000), min_size=n, max_size=n)))
    events = [{"on": (START + timedelta(days=20)).isoformat(), "type": "arrived"}]
    held = 0
    for off in offsets:
        on = (START + timedelta(days=20 + off)).isoformat()
        kind = draw(st.sampled_from([*KINDS, "degree_awarded"]))
        if kind == "degree_awarded":
            if held >= 3:
                continue
            held += 1
            events.append({"on": on, "type": kind, "degree": held})
        elif kind == "work_assessed":
            events.append({"on": on, "type": kind, "diligent": draw(st.booleans())})
        else:
            events.append({"on": on, "type": kind})
    return events


dates = st.dates(min_value=date(2020, 1, 10), max_value=date(2026, 12, 31))


@settings(max_examples=150, deadline=None)
@given(histories(), dates, st.integers(0, 2100))
def test_a_new_penalty_never_raises_the_degree_qualified_for(events, on, at) -> None:
    p = person(start=START)
    when = START + timedelta(days=20 + at)
    with_penalty = sorted(
        [*events, {"on": when.isoformat(), "type": "penalty"}], key=lambda e: e["on"]
    )

    before = evaluate(p, events, on=on, law=LAW).qualifies_for_degree
    after = evaluate(p, with_penalty, on=on, law=LAW).qualifies_for_degree

    assert after <= before


@settings(max_examples=150, deadline=None)
@given(histories(), dates)
def test_facts_dated_after_the_evaluation_date_change_nothing(events, on) -> None:
    p = person(start=START)
    upto = [e for e in events if e["on"] <= on.isoformat()]

    full = evaluate(p, events, on=on, law=LAW).to_dict()
    cut = evaluate(p, upto, on=on, law=LAW).to_dict()

    full.pop("facts"), cut.pop("facts")
    assert full == cut


@settings(max_examples=150, deadline=None)
@given(histories(), dates, st.randoms(use_true_random=False))
def test_facts_out_of_date_order_are_refused_at_the_first_fact_out_of_order(
    events, on, rnd
) -> None:
    days = sorted({e["on"] for e in events})
    rnd.shuffle(days)
    by_day = {d: [e for e in events if e["on"] == d] for d in days}
    shuffled = [e for d in days for e in by_day[d]]  # days in any order, each day's facts as listed
    first = next(
        (i for i in range(1, len(shuffled)) if shuffled[i]["on"] < shuffled[i - 1]["on"]), None
    )

    if first is None:
        assert _evaluate_file(shuffled, on) == _evaluate_file(events, on)
        return
    with pytest.raises(CaseError) as err:
        _evaluate_file(shuffled, on)
    # the pass stops at the first fact out of order, or earlier at a degree awarded before the one
    # it needs (a degree 2 whose degree 1 now comes after it)
    field = str(err.value.field)
    index = int(field[len("events[") : field.index("]")])
    assert field == f"events[{first}].on" or (index < first and field.endswith(".degree"))


def _evaluate_file(events, on):
    case = parse_case(
        {
            "id": "p",
            "as_of": on.isoformat(),
            "person": {
                "sex": "male",
                "born": "1985-04-02",
                "institution": "medium",
                "sentence": {"start": START.isoformat(), "years": 8},
            },
            "events": events,
        }
    )
    return evaluate(case.person, case.events, on=case.as_of, law=LAW).to_dict()


@settings(max_examples=150, deadline=None)
@given(histories(), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 120)), max_size=8))
def test_a_timeline_gives_what_evaluating_each_prefix_gives(events, points) -> None:
    """`Timeline.at(i, on)` equals `evaluate(events[:i], on)`, whether or not the points go back."""
    p = person(start=START)
    timeline = Timeline(p, events, law=LAW)
    for upto, extra in points:
        upto = min(upto, len(events))
        last = date.fromisoformat(events[upto - 1]["on"]) if upto else START
        on = last + timedelta(days=extra - 20)  # sometimes before the last fact: evaluated afresh
        want = evaluate(p, events[:upto], on=on, law=LAW, release=False).to_dict()
        got = timeline.at(upto, on).to_dict()
        assert got == want


@settings(max_examples=150, deadline=None)
@given(histories(), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 400)), max_size=8))
def test_a_timeline_says_a_qualification_as_its_whole_result_says_it(events, points) -> None:
    """`Timeline.qualifies_at(i, on, held, k)` is `at(i, on)` holding `held` and qualifying for `k`,
    for every degree held and asked, though it finds only what its answer needs."""
    p = person(start=START)
    whole, asked = Timeline(p, events, law=LAW), Timeline(p, events, law=LAW)
    for upto, extra in points:
        upto = min(upto, len(events))
        last = date.fromisoformat(events[upto - 1]["on"]) if upto else START
        on = last + timedelta(days=extra - 20)
        r = whole.at(upto, on)
        for held in range(-3, 4):
            for k in range(-3, 5):  # 4: no rule gives it
                want = r.degree == held and r.qualifies_for_degree == k
                assert asked.qualifies_at(upto, on, held, k) == want, (upto, on, held, k)


def test_a_timeline_refuses_what_evaluate_refuses() -> None:
    events = [
        {"on": "2020-02-01", "type": "arrived"},
        {"on": "2020-03-01", "type": "degree_awarded", "degree": 2},
    ]
    timeline = Timeline(person(start=START), events, law=LAW)

    assert timeline.at(1, date(2020, 2, 1)).condition == "regular"
    with pytest.raises(CaseError, match="needs degree 1 first"):
        timeline.at(2, date(2020, 3, 1))
