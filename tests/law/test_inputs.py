"""Bad input is refused with the case and the field named, never a traceback."""

from datetime import date

import pytest

from adaldyq.core.errors import CaseError
from adaldyq.law import evaluate, parse_case
from tests.law.conftest import case, ev, person


def _evaluate(kz_law, obj):
    c = parse_case(obj)
    return evaluate(c.person, c.events, on=c.as_of, law=kz_law, case_id=c.id)


@pytest.mark.parametrize(
    ("events", "field", "message"),
    [
        ([ev("2022-02-01", "bribe")], "events[0].type", "unknown event type 'bribe'"),
        ([ev("1980-03-01", "incentive")], "events[0].on", "dates out of order"),
        (
            [ev("2022-02-01", "arrived", condition="luxury")],
            "events[0].condition",
            "does not exist",
        ),
        ([ev("2022-02-01", "condition_changed", to="luxury")], "events[0].to", "does not exist"),
        (
            [ev("2022-02-01", "degree_awarded", degree=3)],
            "events[0].degree",
            "needs degree 2 first",
        ),
        ([ev("2022-02-01", "degree_awarded", degree=4)], "events[0].degree", "1, 2 or 3"),
        ([ev("2022-02-01", "degree_awarded")], "events[0].degree", "needs 'degree'"),
        ([ev("2022-13-01", "incentive")], "events[0].on", "not an ISO date"),
        (
            [ev("2022-02-01", "recognised", **{"as": "saint"})],
            "events[0].as",
            "unknown recognition",
        ),
        (
            [ev("2022-02-01", "work_assessed", diligent="yes")],
            "events[0].diligent",
            "true or false",
        ),
    ],
)
def test_bad_events_name_the_case_and_the_field(kz_law, events, field, message) -> None:
    with pytest.raises(CaseError, match=message) as err:
        _evaluate(kz_law, case(events=events))

    assert err.value.field == field
    assert err.value.case == "c1"
    assert "c1" in err.value.diagnostics()


def test_the_engine_refuses_facts_out_of_date_order_given_directly(kz_law) -> None:
    events = [ev("2022-03-01", "incentive"), ev("2022-02-01", "penalty")]

    with pytest.raises(CaseError, match="date order") as err:
        evaluate(person(), events, on=date(2023, 1, 1), law=kz_law, case_id="api")

    assert err.value.field == "events[1].on"


def test_a_case_file_with_days_out_of_order_is_refused_not_reordered(kz_law) -> None:
    events = [ev("2022-05-15", "incentive"), ev("2022-02-01", "arrived")]

    with pytest.raises(CaseError, match="facts must be in date order") as err:
        _evaluate(kz_law, case(events=events, as_of="2022-08-15"))

    assert err.value.field == "events[1].on"


def test_a_condition_that_does_not_exist_in_a_minimum_institution_is_refused(kz_law) -> None:
    obj = case(events=[ev("2022-02-01", "condition_changed", to="preferential")])
    obj["person"]["institution"] = "minimum"

    with pytest.raises(CaseError, match="does not exist in minimum"):
        _evaluate(kz_law, obj)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sex": "other"}, "person.sex"),
        ({"institution": "spa"}, "person.institution"),
        ({"born": "yesterday"}, "person.born"),
        ({"gravity": "petty"}, "person.gravity"),
        ({"sentence": {"start": "2022-01-10", "years": -1}}, "person.sentence.years"),
        ({"sentence": {"start": "2022-01-10"}}, "person.sentence"),
    ],
)
def test_a_bad_person_names_the_field(kz_law, change, field) -> None:
    obj = case()
    obj["person"].update(change)

    with pytest.raises(CaseError) as err:
        _evaluate(kz_law, obj)

    assert err.value.field == field


def test_an_award_of_the_third_degree_without_the_second_is_refused_even_after_the_date(
    kz_law,
) -> None:
    events = [ev("2022-02-01", "arrived"), ev("2024-02-01", "degree_awarded", degree=3)]

    with pytest.raises(CaseError, match="needs degree 2"):
        evaluate(person(), events, on=date(2023, 1, 1), law=kz_law)


def test_recorded_only_facts_such_as_work_hours_are_accepted_and_ignored_by_the_rules(
    kz_law,
) -> None:
    events = [
        ev("2022-02-01", "arrived"),
        ev("2022-03-01", "work_hours", hours=120, month="2022-02"),
    ]

    assert evaluate(person(), events, on=date(2023, 1, 1), law=kz_law).facts == 2


def test_a_fact_that_is_not_an_object_or_lacks_a_field_is_named_by_its_index(kz_law) -> None:
    with pytest.raises(CaseError) as not_object:
        evaluate(
            person(), [ev("2022-02-01", "arrived"), "penalty"], on=date(2023, 1, 1), law=kz_law
        )
    with pytest.raises(CaseError, match="needs 'to'") as missing:
        evaluate(
            person(),
            [ev("2022-02-01", "arrived"), ev("2022-03-01", "condition_changed")],
            on=date(2023, 1, 1),
            law=kz_law,
        )

    assert not_object.value.field == "events[1]"
    assert missing.value.field == "events[1].to"


def test_facts_dated_by_date_objects_give_what_iso_strings_give(kz_law) -> None:
    as_strings = [ev("2022-02-01", "arrived"), ev("2022-03-01", "incentive")]
    as_dates = [{**e, "on": date.fromisoformat(e["on"])} for e in as_strings]

    a = evaluate(person(), as_strings, on=date(2022, 7, 1), law=kz_law).to_dict()
    b = evaluate(person(), as_dates, on=date(2022, 7, 1), law=kz_law).to_dict()

    assert a == b
    assert a["qualifies_for_degree"] == 1


def test_a_fact_dated_by_a_number_is_refused_by_name(kz_law) -> None:
    events = [ev("2022-02-01", "arrived"), {"on": 20220301, "type": "incentive"}]

    with pytest.raises(CaseError, match="not an ISO date") as err:
        evaluate(person(), events, on=date(2022, 7, 1), law=kz_law, case_id="api")

    assert err.value.field == "events[1].on"


def test_a_case_given_as_other_mappings_reads_as_the_same_dicts(kz_law) -> None:
    """`parse_case` reads dicts directly and copies other mappings: the same result either way."""
    from types import MappingProxyType

    obj = case(events=[ev("2022-02-01", "arrived"), ev("2022-03-01", "incentive")])
    person = dict(obj["person"])
    person["sentence"] = MappingProxyType(dict(person["sentence"]))
    wrapped = MappingProxyType({**obj, "person": MappingProxyType(person)})
    assert _evaluate(kz_law, wrapped).to_dict() == _evaluate(kz_law, obj).to_dict()
    with pytest.raises(CaseError, match="a case must be a JSON object"):
        parse_case(["not", "a", "mapping"])
    with pytest.raises(CaseError) as err:
        parse_case(case(person=("male",)))
    assert err.value.field == "person"


def test_a_case_keeps_the_facts_list_it_was_given_and_reads_it_like_a_list() -> None:
    events = [ev("2022-02-01", "arrived"), ev("2022-03-01", "incentive")]
    c = parse_case(case(events=events))
    assert c.events.facts is events  # a view: the facts are not copied
    assert c.events == events
    assert len(c.events) == 2
    assert list(c.events) == events
    assert c.events[1] is events[1]
    assert type(c.events[:1]) is list
    assert c.events[:1] == events[:1]
