"""Amendments to the law pack: proposed and approved by two people, applied from their date only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adaldyq.law import LawPack
from adaldyq.law.amendments import (
    APPROVED,
    PROPOSED,
    REFUSED,
    AmendmentError,
    Book,
    approve,
    parse_amendment,
    propose,
    refuse,
    subject_of,
)
from adaldyq.ledger import Actor, Draft, Entry, Ledger
from tests.law.conftest import person, run

LONG = "entitlements.mixed.regular.long_visits_per_year"
SHORT = "entitlements.mixed.regular.short_visits_per_year"
DOC = "sha256:" + "ab" * 32
MAKER = Actor("lawyer-a", "legal department")
CHECKER = Actor("lawyer-b", "legal department")


def payload(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "figure": LONG,
        "value": 2,
        "valid_from": "2024-03-01",
        "article": "PEC art. 134",
        "edition": "as amended by Law No. 1-VIII of 1 February 2024",
        "document": DOC,
        "confidence": "L",
        "reason": "the Code now states the figure",
    }
    base.update(changes)
    return base


class Log:
    """A ledger in memory (SQLite), the book read from it after each write."""

    def __init__(self, tmp_path: Any, law: LawPack) -> None:
        self.ledger = Ledger.open(f"sqlite:///{tmp_path / 'l.sqlite3'}")
        self.law = law

    def add(self, draft: Draft) -> Entry:
        return self.ledger.append(draft)

    def book(self) -> Book:
        return Book.from_entries(self.ledger.entries_by_subject(subject_of(self.law)), self.law)


@pytest.fixture
def log(tmp_path: Any, kz_law: LawPack) -> Any:
    out = Log(tmp_path, kz_law)
    yield out
    out.ledger.close()


def test_an_approved_amendment_changes_the_entitlement_from_its_date_and_not_before(
    log: Log, kz_law: LawPack
) -> None:
    p = person("mixed", start=date(2020, 1, 10))
    before, after = date(2024, 2, 29), date(2024, 3, 1)

    def long_visits(law: LawPack, on: date) -> Any:
        rights = {e.name: e for e in run(law, p, [], on).entitlements}
        return rights["long_visits_per_year"]

    assert not long_visits(kz_law, after).determinable
    proposal = log.add(propose(kz_law, payload(), MAKER))
    assert proposal.type == PROPOSED
    # proposed only: not in force
    assert log.book().in_force(kz_law).hash == kz_law.hash
    log.add(approve(log.book(), proposal.seq, CHECKER, kz_law))
    law = log.book().in_force(kz_law)
    assert law.hash != kz_law.hash
    assert run(law, p, [], after).law_pack["hash"] == law.hash
    right = long_visits(law, after)
    assert right.determinable
    assert right.value == 2
    assert right.ref.confidence == "L"
    assert f"amendment #{proposal.seq}" in right.ref.source
    assert not long_visits(law, before).determinable
    # the planned note of the shipped value stays on the dates the amendment does not cover
    assert long_visits(law, before).planned == {"value": 2, "year": 2019}


def test_the_proposer_cannot_approve_and_a_settled_proposal_stays_settled(
    log: Log, kz_law: LawPack
) -> None:
    seq = log.add(propose(kz_law, payload(), MAKER)).seq
    with pytest.raises(AmendmentError, match="another person must review it"):
        approve(log.book(), seq, MAKER, kz_law)
    log.add(refuse(log.book(), seq, CHECKER, kz_law, "the edition is not in force yet"))
    book = log.book()
    assert book.proposals[seq].status == "refused"
    assert book.proposals[seq].refusal == "the edition is not in force yet"
    with pytest.raises(AmendmentError, match="already refused"):
        approve(book, seq, Actor("lawyer-c", "legal department"), kz_law)
    assert book.in_force(kz_law).hash == kz_law.hash
    with pytest.raises(AmendmentError, match="no proposed amendment #999"):
        approve(book, 999, CHECKER, kz_law)
    with pytest.raises(AmendmentError, match="reason"):
        refuse(book, seq, CHECKER, kz_law, "  ")


def test_an_approval_written_around_the_rules_does_not_count(log: Log, kz_law: LawPack) -> None:
    seq = log.add(propose(kz_law, payload(), MAKER)).seq
    forged = log.add(
        Draft(actor=MAKER, subject=subject_of(kz_law), type=APPROVED, payload={"proposal": seq})
    )
    book = log.book()
    assert book.proposals[seq].status == "proposed"
    assert book.ignored == [
        (forged.seq, f"amendment #{seq} was proposed by lawyer-a; another person must review it")
    ]
    assert book.in_force(kz_law).hash == kz_law.hash


def test_a_later_amendment_closes_an_earlier_one_from_its_date(log: Log, kz_law: LawPack) -> None:
    # A shipped known figure: short visits, mixed regular, 2 since 2015 (S).
    first = log.add(propose(kz_law, payload(figure=SHORT, value=3, valid_from="2020-01-01"), MAKER))
    log.add(approve(log.book(), first.seq, CHECKER, kz_law))
    second = log.add(
        propose(
            kz_law,
            payload(figure=SHORT, value=4, valid_from="2022-01-01", valid_to="2022-12-31"),
            CHECKER,
        )
    )
    log.add(approve(log.book(), second.seq, MAKER, kz_law))
    law = log.book().in_force(kz_law)
    on = {
        d: law.resolve(SHORT, date.fromisoformat(d))
        for d in ("2019-12-31", "2020-01-01", "2022-06-01", "2023-01-01")
    }
    assert [r.value for r in on.values()] == [2, 3, 4, 3]
    assert [r.ref.confidence for r in on.values()] == ["S", "L", "L", "L"]
    values = law.figures[SHORT].values
    assert [v.amendment for v in values] == [None, first.seq, second.seq, first.seq]
    # up to the first approval only: the pack as it stood then
    assert (
        log.book().in_force(kz_law, upto=first.seq + 1).resolve(SHORT, date(2022, 6, 1)).value == 3
    )
    # the shipped pack is untouched
    assert kz_law.resolve(SHORT, date(2022, 6, 1)).value == 2


def test_an_amendment_may_say_a_figure_is_unknown(log: Log, kz_law: LawPack) -> None:
    seq = log.add(
        propose(
            kz_law,
            payload(figure=SHORT, value=None, confidence="?", valid_from="2025-01-01"),
            MAKER,
        )
    ).seq
    log.add(approve(log.book(), seq, CHECKER, kz_law))
    law = log.book().in_force(kz_law)
    assert law.resolve(SHORT, date(2024, 12, 31)).value == 2
    assert law.resolve(SHORT, date(2025, 1, 1)).value is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"figure": "entitlements.mixed.regular.nothing"}, "figure: the law pack kz has no figure"),
        ({"value": -1}, "expected a whole number, 0 or more, or 'unlimited'"),
        ({"value": "two"}, "expected a whole number"),
        ({"value": None}, "value: an unknown figure is value null with confidence '?'"),
        ({"confidence": "?"}, "value: an unknown figure is value null"),
        ({"confidence": "D"}, "confidence: 'D' is not one of"),
        ({"valid_from": "2024-13-01"}, "valid_from: not a date"),
        ({"valid_to": "2024-01-01"}, "valid_to: 2024-01-01 is before valid_from 2024-03-01"),
        ({"document": "abc"}, "document: the source document's hash"),
        ({"article": " "}, "article: must be said"),
        ({"colour": "red"}, "unknown fields ['colour']"),
        ({"figure": "parole.fractions.grave", "value": 3}, ""),
    ],
)
def test_an_amendment_is_checked_against_the_pack(
    kz_law: LawPack, changes: dict[str, Any], message: str
) -> None:
    if not message:  # a fraction figure takes a fraction
        key = next(k for k, f in kz_law.figures.items() if f.unit == "fraction")
        with pytest.raises(AmendmentError, match="number, where the pack holds text") as caught:
            parse_amendment(payload(figure=key, value=3), kz_law)
        assert "\n" not in str(caught.value)
        assert parse_amendment(payload(figure=key, value="1/2"), kz_law).value == "1/2"
        return
    with pytest.raises(
        AmendmentError, match=message.replace("(", r"\(").replace("[", r"\[")
    ) as caught:
        parse_amendment(payload(**changes), kz_law)
    assert "\n" not in str(caught.value)


def test_missing_fields_are_named(kz_law: LawPack) -> None:
    raw = payload()
    del raw["reason"], raw["document"]
    with pytest.raises(AmendmentError, match=r"missing fields \['document', 'reason'\]"):
        parse_amendment(raw, kz_law)


def test_refusal_entry_type(log: Log, kz_law: LawPack) -> None:
    seq = log.add(propose(kz_law, payload(), MAKER)).seq
    entry = log.add(refuse(log.book(), seq, CHECKER, kz_law, "wrong edition"))
    assert entry.type == REFUSED
    assert entry.payload == {"proposal": seq, "reason": "wrong edition"}
