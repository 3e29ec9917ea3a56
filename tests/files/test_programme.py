"""The re-socialisation programme, its reviews, the certificates and the damage, folded from the
standing facts of a file (`files.programme_of`, `PersonalFile.programme`; issue 14, issue 19)."""

from __future__ import annotations

from datetime import date

from adaldyq.files import (
    DamagePaid,
    Programme,
    ProgrammeReviewed,
    ProgrammeSet,
    QualificationGained,
    programme_of,
)
from tests.files.test_personal_file import ADMISSION, Ledger


def _ledger() -> Ledger:
    ledger = Ledger()
    ledger.add("person_admitted", dict(ADMISSION))
    return ledger


def _review(ledger: Ledger, on: str, quarter: str, progress: str = "partly") -> int:
    return ledger.add("programme_reviewed", {"on": on, "quarter": quarter, "progress": progress})


def test_a_file_without_these_facts_shows_nothing_and_owes_nothing_known() -> None:
    programme = _ledger().fold().programme()

    assert programme == Programme()
    assert (programme.shown, programme.paid, programme.outstanding) == (False, 0.0, None)


def test_the_reviews_are_latest_first_and_start_afresh_with_a_programme_drawn_up_again() -> None:
    ledger = _ledger()
    first = ledger.add("programme_set", {"on": "2024-01-20", "needs": ["work"]})
    _review(ledger, "2024-04-01", "2024-Q2")
    _review(ledger, "2024-07-01", "2024-Q3", "fulfilled")
    second = ledger.add(
        "programme_set",
        {"on": "2024-08-01", "needs": ["general_education"], "activities": ["school"]},
    )
    after = _review(ledger, "2024-10-01", "2024-Q4", "not_fulfilled")
    # recorded late, dated before the second programme: a review of the first
    _review(ledger, "2024-07-15", "2024-Q3")

    pf = ledger.fold()
    programme = pf.programme()

    assert programme == programme_of(pf.facts)
    assert isinstance(programme.current, ProgrammeSet)
    assert (programme.current.seq, programme.current.needs) == (second, ("general_education",))
    assert programme.current.activities == ("school",)
    assert [r.seq for r in programme.reviews] == [after]
    assert [(r.quarter, r.progress) for r in programme.reviews] == [("2024-Q4", "not_fulfilled")]
    assert programme.shown
    # the same file a day before the second programme: the first, with its three reviews, latest first
    earlier = programme_of(f for f in pf.facts if f.on < date(2024, 8, 1))
    assert earlier.current is not None
    assert earlier.current.seq == first
    assert [r.quarter for r in earlier.reviews] == ["2024-Q3", "2024-Q3", "2024-Q2"]
    assert [r.on for r in earlier.reviews] == [
        date(2024, 7, 15),
        date(2024, 7, 1),
        date(2024, 4, 1),
    ]


def test_the_latest_award_stands_and_the_payments_are_summed_by_payer() -> None:
    ledger = _ledger()
    ledger.add("damage_awarded", {"on": "2024-01-15", "amount": 500000})
    ledger.add("damage_paid", {"on": "2024-02-01", "amount": 20000, "by": "relatives"})
    ledger.add("damage_paid", {"on": "2024-03-01", "amount": 30000.5, "by": "person"})
    ledger.add("damage_paid", {"on": "2024-04-01", "amount": 50000, "by": "relatives"})
    ledger.add("damage_awarded", {"on": "2024-05-01", "amount": 300000})  # on appeal

    programme = ledger.fold().programme()

    assert programme.awarded == 300000.0
    assert programme.paid_by == (("relatives", 70000.0), ("person", 30000.5))
    assert programme.paid == 100000.5
    assert programme.outstanding == 199999.5


def test_what_is_owed_is_never_below_nothing_and_payments_without_an_award_owe_nothing_known() -> (
    None
):
    ledger = _ledger()
    ledger.add("damage_paid", {"on": "2024-02-01", "amount": 80000, "by": "person"})

    unknown = ledger.fold().programme()
    ledger.add("damage_awarded", {"on": "2024-03-01", "amount": 50000})
    overpaid = ledger.fold().programme()

    assert (unknown.shown, unknown.awarded, unknown.outstanding, unknown.paid) == (
        True,
        None,
        None,
        80000.0,
    )
    assert (overpaid.awarded, overpaid.paid, overpaid.outstanding) == (50000.0, 80000.0, 0.0)


def test_corrected_and_withdrawn_facts_count_as_the_file_now_says_them() -> None:
    ledger = _ledger()
    first = ledger.add("programme_set", {"on": "2024-01-20", "needs": ["work"]})
    _review(ledger, "2024-04-01", "2024-Q2")
    second = ledger.add("programme_set", {"on": "2024-05-01", "needs": ["health"]})
    award = ledger.add("damage_awarded", {"on": "2024-01-15", "amount": 500000})
    paid = ledger.add("damage_paid", {"on": "2024-02-01", "amount": 20000, "by": "relatives"})
    ledger.add("damage_paid", {"on": "2024-03-01", "amount": 10000, "by": "person"})
    cert = ledger.add("qualification_gained", {"on": "2024-06-01", "kind": "other"})
    ledger.add("qualification_gained", {"on": "2024-02-10", "kind": "school_certificate"})

    ledger.add("fact_voided", {"on": "2024-05-01"}, corrects=second, reason="another person's")
    ledger.add("fact_voided", {"on": "2024-02-01"}, corrects=paid, reason="entered twice")
    ledger.add("damage_awarded", {"amount": 400000}, corrects=award, reason="typo in the sum")
    fixed = ledger.add(
        "qualification_gained",
        {"on": "2024-06-01", "kind": "vocational_certificate", "title": "welder"},
        corrects=cert,
        reason="the certificate's kind",
    )

    programme = ledger.fold().programme()

    # the withdrawn second programme gives way to the first, and its review counts again
    assert programme.current is not None
    assert programme.current.seq == first
    assert [r.quarter for r in programme.reviews] == ["2024-Q2"]
    assert all(isinstance(r, ProgrammeReviewed) for r in programme.reviews)
    assert programme.awarded == 400000.0
    assert programme.paid_by == (("person", 10000.0),)
    assert programme.outstanding == 390000.0
    assert all(isinstance(q, QualificationGained) for q in programme.qualifications)
    assert [(q.on, q.kind, q.seq) for q in programme.qualifications] == [
        (date(2024, 2, 10), "school_certificate", cert + 1),
        (date(2024, 6, 1), "vocational_certificate", fixed),
    ]


def test_the_fold_reads_typed_facts_made_by_hand_in_the_order_given() -> None:
    paid = DamagePaid(on=date(2024, 2, 1), amount=100.0, by="person")
    programme = programme_of([paid, DamagePaid(on=date(2024, 3, 1), amount=50.0, by="person")])

    assert programme.paid_by == (("person", 150.0),)
    assert programme.outstanding is None
