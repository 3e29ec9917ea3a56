"""The facts of life in prison the file types (issue 19): each read from its payload and written back
the same, and every bad field named."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.files import FactError, parse_fact

ON = date(2024, 3, 5)


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("work_hours", {"hours": 6.5, "month": "2024-03", "place": "W1"}),
        ("study_hours", {"hours": 4.0, "month": "2024-03", "place": "S1"}),
        ("damage_awarded", {"amount": 500000.0}),
        ("damage_paid", {"amount": 20000.0, "by": "relatives"}),
        (
            "programme_set",
            {
                "needs": ["general_education", "damage_compensation"],
                "goals": ["finish the 9th grade"],
                "activities": ["school", "damage_payments"],
            },
        ),
        ("programme_reviewed", {"quarter": "2024-Q1", "progress": "partly", "note": "school only"}),
        ("qualification_gained", {"kind": "vocational_certificate", "title": "welder, grade 3"}),
    ],
)
def test_a_fact_is_read_from_its_payload_and_written_back_the_same(kind, payload) -> None:
    fact = parse_fact(kind, {"on": ON.isoformat(), **payload}, on=ON)

    made = type(fact)(
        on=ON, **{k: tuple(v) if isinstance(v, list) else v for k, v in payload.items()}
    )

    assert fact.type == kind
    assert made.payload() == {"on": ON.isoformat(), **payload}


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("damage_paid", {"amount": 10, "by": "neighbour"}, "by"),
        ("damage_paid", {"amount": -5, "by": "person"}, "amount"),
        ("damage_awarded", {"amount": "much"}, "amount"),
        ("programme_set", {"needs": []}, "needs"),
        ("programme_set", {"needs": ["flying"]}, "needs"),
        ("programme_set", {"needs": ["work"], "goals": [""]}, "goals"),
        ("programme_reviewed", {"quarter": "2024-Q5", "progress": "partly"}, "quarter"),
        ("programme_reviewed", {"quarter": "2024-Q1", "progress": "great"}, "progress"),
        ("qualification_gained", {"kind": "diploma"}, "kind"),
        ("work_hours", {"hours": 3, "month": "2024-03", "place": 7}, "place"),
    ],
)
def test_a_bad_field_is_named(kind, payload, field) -> None:
    with pytest.raises(FactError) as err:
        parse_fact(kind, {"on": ON.isoformat(), **payload}, on=ON, seq=12)

    assert err.value.field == field
    assert "entry 12" in str(err.value)
