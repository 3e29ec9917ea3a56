"""The personal file folded from ledger entries: facts, corrections, withdrawals, placement."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaldyq.files import (
    Arrived,
    ConditionChanged,
    DegreeAwarded,
    DegreeRevoked,
    FactError,
    Incentive,
    JoinedOrganisation,
    LeftOrganisation,
    OtherFact,
    ParoleFacts,
    Penalty,
    PersonalFile,
    Placement,
    Recognised,
    StudyHours,
    Transferred,
    WorkAssessed,
    WorkHours,
    parse_fact,
)
from adaldyq.ledger.entry import Actor, Draft, make_entry

ADMISSION = {
    "on": "2024-01-10",
    "number": "A-1",
    "surname": "Ахметов",
    "given_name": "Ерлан",
    "sex": "male",
    "born": "1990-05-01",
    "institution": "UK-1",
    "condition": "regular",
    "sentence": {"start": "2023-12-01", "years": 5},
}


class Ledger:
    """Entries of one person as the ledger writes them (real canonical objects, seq from 1)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str, dict[str, Any]]] = []

    def add(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        corrects: int | None = None,
        reason: str | None = None,
        who: str = "officer-1",
    ) -> int:
        seq = len(self.rows) + 1
        draft = Draft(Actor(who, "role:records_officer@UK-1"), "p-1", kind, payload,
                      corrects=corrects, reason=reason)  # fmt: skip
        entry = make_entry(seq, f"2026-01-01T00:00:{seq:02d}.000000Z", draft)
        self.rows.append((seq, kind, orjson.loads(entry.body)))
        return seq

    def fold(self) -> PersonalFile:
        return PersonalFile.fold(
            "p-1", [(s, k, orjson.loads(orjson.dumps(o))) for s, k, o in self.rows]
        )


def test_the_admission_opens_the_file_with_its_arrival_as_the_first_fact() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))

    pf = ledger.fold()

    assert pf.admission is not None
    assert pf.admission.seq == 1
    arrived = Arrived(on=date(2024, 1, 10), condition="regular", institution="UK-1")
    assert pf.facts == (arrived.recorded(seq=1, recorded_at="2026-01-01T00:00:01.000000Z",
                                         officer="officer-1", authority="role:records_officer@UK-1"),)  # fmt: skip
    assert pf.admission.person("medium").sentence.release_on == date(2028, 11, 30)


def test_each_fact_knows_its_entry_its_day_and_the_moment_it_was_recorded() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    ledger.add("penalty", {"on": "2024-03-01", "kind": "reprimand", "malicious": "gambling"})

    penalty = ledger.fold().facts[1]

    assert isinstance(penalty, Penalty)
    assert (penalty.seq, penalty.on, penalty.recorded_at) == (
        2,
        date(2024, 3, 1),
        "2026-01-01T00:00:02.000000Z",
    )
    assert (penalty.kind, penalty.malicious, penalty.item) == ("reprimand", True, "gambling")
    assert penalty.event == {
        "on": "2024-03-01",
        "type": "penalty",
        "kind": "reprimand",
        "malicious": "gambling",
    }


def test_a_correction_takes_the_place_of_the_fact_it_corrects_and_keeps_its_reason() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    wrong = ledger.add("degree_awarded", {"on": "2024-05-01", "degree": 2})
    ledger.add("degree_awarded", {"on": "2024-05-01", "degree": 1}, corrects=wrong, reason="typo")

    pf = ledger.fold()

    assert [(type(f), f.seq) for f in pf.facts] == [(Arrived, 1), (DegreeAwarded, 3)]
    (c,) = pf.corrections
    assert (c.seq, c.corrects, c.reason, c.original.seq if c.original else None) == (
        3,
        2,
        "typo",
        2,
    )
    assert isinstance(c.replacement, DegreeAwarded)
    assert c.replacement.degree == 1


def test_a_withdrawal_removes_the_fact_and_a_correction_without_a_day_keeps_the_original_day() -> (
    None
):
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    a = ledger.add("incentive", {"on": "2024-02-01", "kind": "gratitude"})
    b = ledger.add("incentive", {"on": "2024-02-02", "kind": "bonus"})
    ledger.add("fact_voided", {"on": "2024-02-01"}, corrects=a, reason="entered twice")
    ledger.add("incentive", {"kind": "extra_parcel"}, corrects=b, reason="wrong kind")

    pf = ledger.fold()

    assert [f.seq for f in pf.facts] == [1, 5]
    assert isinstance(pf.facts[1], Incentive)
    assert (pf.facts[1].on, pf.facts[1].kind) == (date(2024, 2, 2), "extra_parcel")
    assert pf.corrections[0].replacement is None
    assert pf.standing(a) is None


def test_placement_follows_arrival_condition_changes_and_transfers_in_date_order() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    ledger.add("transferred", {"on": "2024-09-01", "institution": "UK-7", "condition": "regular"})
    ledger.add("condition_changed", {"on": "2024-06-01", "to": "light"})
    ledger.add("condition_changed", {"on": "2024-10-01", "to": "strict"})

    pf = ledger.fold()

    assert [(p.institution, p.condition) for p in pf.placements()] == [
        ("UK-1", "regular"), ("UK-1", "light"), ("UK-7", "regular"), ("UK-7", "strict")]  # fmt: skip
    assert (pf.placement.institution, pf.placement.condition) == ("UK-7", "strict")
    assert isinstance(pf.placement.fact, ConditionChanged)


def test_a_file_without_an_admission_places_nobody() -> None:
    pf = PersonalFile.fold("p-1", [])

    assert pf.placement == Placement("", "regular", None)
    assert pf.events() == []


def test_bookkeeping_and_undated_entries_are_not_facts_and_other_kinds_are_carried() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    ledger.add("file_opened", {})
    ledger.add("note_written", {"text": "seen"})
    ledger.add("visit", {"on": "2024-04-04", "kind": "short", "visitor": "v-1"})
    ledger.add("visitor_registered", {"name": "Айгүл"})

    pf = ledger.fold()

    assert [f.type for f in pf.facts] == ["arrived", "visit"]
    assert isinstance(pf.facts[1], OtherFact)
    assert pf.facts[1].event["visitor"] == "v-1"
    assert pf.entries == 5


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("degree_awarded", {"degree": 4}, "degree"),
        ("degree_awarded", {}, "degree"),
        ("recognised", {"as": "hooligan"}, "as"),
        ("condition_changed", {"to": "luxurious"}, "to"),
        ("work_assessed", {"diligent": "yes"}, "diligent"),
        ("penalty", {"malicious": 3}, "malicious"),
        ("transferred", {"institution": "UK-2", "condition": "open"}, "condition"),
        ("work_hours", {"hours": "many"}, "hours"),
        ("incentive", {"kind": 7}, "kind"),
    ],
)
def test_a_payload_that_is_not_a_fact_of_its_kind_is_refused_naming_entry_kind_and_field(
    kind: str, payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(FactError) as caught:
        parse_fact(kind, {"on": "2024-01-01", **payload}, on=date(2024, 1, 1), seq=42)

    assert (caught.value.seq, caught.value.kind, caught.value.field) == (42, kind, field)
    assert str(caught.value).startswith(f"entry 42 ({kind}), field {field!r}: ")


def test_a_malformed_day_in_the_ledger_is_refused_with_the_entry_named() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    ledger.add("incentive", {"on": "2024-13-01"})

    with pytest.raises(FactError, match=r"entry 2 \(incentive\), field 'on'"):
        ledger.fold()


def test_a_fact_of_every_kind_made_by_hand_writes_the_event_and_payload_the_fold_reads_back() -> (
    None
):
    facts = [
        Penalty(on=date(2024, 1, 2), kind="reprimand", malicious=True, item="gambling"),
        Penalty(on=date(2024, 1, 3)),
        DegreeAwarded(on=date(2024, 1, 4), degree=1),
        Transferred(on=date(2024, 1, 5), institution="UK-2", condition="light"),
        WorkHours(on=date(2024, 1, 31), hours=120.0, month="2024-01"),
        ConditionChanged(on=date(2024, 2, 1), to="strict"),
        Arrived(on=date(2024, 2, 2), condition="light", institution="UK-3"),
        Incentive(on=date(2024, 2, 3), kind="bonus"),
        JoinedOrganisation(on=date(2024, 2, 4)),
        LeftOrganisation(on=date(2024, 2, 5)),
        Recognised(on=date(2024, 2, 6), as_="offender"),
        DegreeRevoked(on=date(2024, 2, 7)),
        WorkAssessed(on=date(2024, 2, 8), diligent=False),
        StudyHours(on=date(2024, 2, 29), hours=12.5, month="2024-02"),
        OtherFact(on=date(2024, 3, 1), kind="visit"),
        ParoleFacts(on=date(2024, 3, 2), corruption=False, damage_compensated=True),
    ]
    for fact in facts:
        back = parse_fact(fact.type, fact.payload(), on=fact.on)

        assert back == fact
        assert back.event == fact.event


# --- properties ----------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2024, 1, 10), max_value=date(2030, 12, 31))
FACTS = st.one_of(
    st.builds(lambda d: ("incentive", {"on": d.isoformat(), "kind": "bonus"}), DAYS),
    st.builds(
        lambda d, m: ("penalty", {"on": d.isoformat(), "kind": "x", "malicious": m}),
        DAYS,
        st.booleans(),
    ),
    st.builds(
        lambda d, n: ("degree_awarded", {"on": d.isoformat(), "degree": n}), DAYS, st.integers(1, 3)
    ),
    st.builds(
        lambda d, c: ("condition_changed", {"on": d.isoformat(), "to": c}),
        DAYS,
        st.sampled_from(["regular", "light", "preferential", "strict"]),
    ),
    st.builds(
        lambda d, i: (
            "transferred",
            {"on": d.isoformat(), "institution": i, "condition": "regular"},
        ),
        DAYS,
        st.sampled_from(["UK-2", "UK-3"]),
    ),
)
#: A history: facts, each then kept, corrected (to another fact) or withdrawn.
HISTORY = st.lists(
    st.tuples(FACTS, st.sampled_from(["keep", "correct", "withdraw"]), FACTS), max_size=12
)


def _write(history: list[Any]) -> tuple[Ledger, list[tuple[int, str, dict[str, Any]]]]:
    """The history into a ledger; returns the facts that should stand as (seq, kind, payload)."""
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    standing: list[tuple[int, str, dict[str, Any]]] = []
    for (kind, payload), fate, (kind2, payload2) in history:
        seq = ledger.add(kind, dict(payload))
        if fate == "keep":
            standing.append((seq, kind, payload))
        elif fate == "withdraw":
            ledger.add("fact_voided", {"on": payload["on"]}, corrects=seq, reason="wrong file")
        else:
            new = ledger.add(kind2, dict(payload2), corrects=seq, reason="wrong fact")
            standing.append((new, kind2, payload2))
    return ledger, standing


@settings(max_examples=150, deadline=None)
@given(HISTORY)
def test_the_standing_facts_are_those_neither_corrected_nor_withdrawn_in_day_then_entry_order(
    history: list[Any],
) -> None:
    ledger, expected = _write(history)

    pf = ledger.fold()

    want = sorted(expected, key=lambda s: (s[2]["on"], s[0]))
    assert [(f.seq, f.type) for f in pf.facts[1:]] == [(s, k) for s, k, _ in want]
    assert all(pf.facts[i].on <= pf.facts[i + 1].on for i in range(len(pf.facts) - 1))
    assert len(pf.corrections) == sum(1 for _, fate, _ in history if fate != "keep")


@settings(max_examples=150, deadline=None)
@given(HISTORY)
def test_the_events_the_engine_reads_are_the_standing_facts_payloads_with_their_type(
    history: list[Any],
) -> None:
    ledger, expected = _write(history)

    events = ledger.fold().events()

    want = sorted(expected, key=lambda s: (s[2]["on"], s[0]))
    assert events[1:] == [{**p, "type": k} for _, k, p in want]


@settings(max_examples=150, deadline=None)
@given(HISTORY)
def test_the_placement_is_the_last_placement_fact_read_in_date_order(history: list[Any]) -> None:
    ledger, _ = _write(history)

    pf = ledger.fold()

    institution, condition = "UK-1", "regular"
    for f in pf.facts:
        if f.type == "transferred":
            institution, condition = f.event["institution"], f.event["condition"]
        elif f.type == "condition_changed":
            condition = f.event["to"]
    assert (pf.placement.institution, pf.placement.condition) == (institution, condition)


@settings(max_examples=100, deadline=None)
@given(HISTORY, st.data())
def test_folding_a_file_from_ledger_entries_or_from_rows_gives_the_same_file(
    history: list[Any], data: st.DataObject
) -> None:
    from adaldyq.ledger.entry import parse_entry

    ledger, _ = _write(history)
    entries = [parse_entry(orjson.dumps(o, option=orjson.OPT_SORT_KEYS)) for _, _, o in ledger.rows]

    assert PersonalFile.from_entries("p-1", entries) == ledger.fold()


def test_a_day_later_than_every_other_sorts_last_whatever_its_entry() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    late = ledger.add("incentive", {"on": (date(2024, 1, 10) + timedelta(days=400)).isoformat()})
    ledger.add("incentive", {"on": "2024-02-01"})

    assert ledger.fold().facts[-1].seq == late


# --- recording into a file: the engine reads the file with the new fact -------------------------


@pytest.fixture(scope="module")
def kz_law() -> Any:
    from adaldyq.law import LawPack

    return LawPack.load()


def test_recording_a_fact_the_engine_reads_gives_a_file_where_it_stands(kz_law: Any) -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    pf = ledger.fold()

    changed = pf.record(
        Incentive(on=date(2024, 2, 1), kind="bonus"),
        law=kz_law,
        on=date(2024, 3, 1),
        institution_type="medium",
    )

    assert [f.type for f in changed.facts] == ["arrived", "incentive"]
    assert [f.type for f in pf.facts] == ["arrived"]  # the loaded file is unchanged


def test_recording_a_second_degree_before_the_first_is_refused_with_the_engines_words(
    kz_law: Any,
) -> None:
    from adaldyq.core.errors import InputError

    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))

    with pytest.raises(InputError, match="degree"):
        ledger.fold().record(
            DegreeAwarded(on=date(2024, 2, 1), degree=2),
            law=kz_law,
            on=date(2024, 3, 1),
            institution_type="medium",
        )


def test_a_correction_needs_a_standing_fact_and_a_reason(kz_law: Any) -> None:
    from adaldyq.core.errors import InputError

    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    seq = ledger.add("incentive", {"on": "2024-02-01", "kind": "bonus"})
    pf = ledger.fold()
    law = {"law": kz_law, "on": date(2024, 3, 1), "institution_type": "medium"}

    with pytest.raises(InputError, match="reason"):
        pf.correct(seq, None, reason=" ", **law)
    with pytest.raises(InputError, match="not a standing fact"):
        pf.correct(99, None, reason="typo", **law)
    withdrawn = pf.correct(seq, None, reason="entered twice", **law)
    assert [f.type for f in withdrawn.facts] == ["arrived"]
    assert withdrawn.corrections[-1].original == pf.facts[1]


def test_parole_facts_are_read_from_the_file_the_later_entry_standing_for_what_it_says() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", {**ADMISSION, "gravity": "grave"})
    ledger.add(
        "parole_facts", {"on": "2024-02-01", "corruption": True, "procedural_agreement": False}
    )
    ledger.add("parole_facts", {"on": "2024-06-01", "damage_compensated": True})

    pf = ledger.fold()

    assert pf.parole() == {
        "corruption": True,
        "damage_compensated": True,
        "procedural_agreement": False,
    }
    assert pf.parole(date(2024, 3, 1)) == {
        "corruption": True,
        "damage_compensated": None,
        "procedural_agreement": False,
    }
    person = pf.law_person("medium")
    assert (person.corruption, person.damage_compensated, person.procedural_agreement) == (
        True,
        True,
        False,
    )
    assert pf.events()[1:] == [
        {
            "on": "2024-02-01",
            "type": "parole_facts",
            "corruption": True,
            "procedural_agreement": False,
        },
        {"on": "2024-06-01", "type": "parole_facts", "damage_compensated": True},
    ]


def test_a_withdrawn_parole_fact_says_nothing_again() -> None:
    ledger = Ledger()
    ledger.add("person_admitted", {**ADMISSION, "gravity": "grave"})
    seq = ledger.add("parole_facts", {"on": "2024-02-01", "corruption": True})
    ledger.add(
        "fact_voided", {"on": "2024-02-01"}, corrects=seq, reason="another person's sentence"
    )

    assert ledger.fold().parole()["corruption"] is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"on": "2024-02-01"}, "says none of corruption, damage_compensated, procedural_agreement"),
        ({"on": "2024-02-01", "corruption": "yes"}, "field 'corruption': must be true or false"),
    ],
)
def test_a_parole_facts_entry_says_at_least_one_of_them_as_true_or_false(payload, message) -> None:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    ledger.add("parole_facts", payload)

    with pytest.raises(FactError, match=message):
        ledger.fold()


def test_the_engine_reads_the_parole_facts_through_the_file() -> None:
    from adaldyq.law import LawPack

    ledger = Ledger()
    ledger.add("person_admitted", {**ADMISSION, "gravity": "grave"})
    law, on = LawPack.load(), date(2026, 1, 1)
    unknown = ledger.fold().check(law=law, on=on, institution_type="medium")

    ledger.add("parole_facts", {"on": "2024-02-01", "corruption": True})
    corrupt = ledger.fold().check(law=law, on=on, institution_type="medium")
    ledger.add("parole_facts", {"on": "2024-03-01", "corruption": False})
    cleared = ledger.fold().check(law=law, on=on, institution_type="medium")

    assert unknown.finding("parole").conditions[-1].code == "release.corruption_unknown"
    assert corrupt.finding("parole").conditions[-1].code == "release.corruption_exception_unknown"
    assert corrupt.parole_from is None
    assert cleared.parole_from == unknown.parole_from is not None
    assert "release.corruption" not in {c.code[:18] for c in cleared.finding("parole").conditions}
