"""The register brought up to date in place (`Register.refresh`): the same flags as built afresh."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from adaldyq.law import LawPack
from adaldyq.ledger import Draft, Ledger
from adaldyq.oversight import Flag, Register, build_register
from tests.oversight.test_flags import HEAD, INCENTIVE, QUALIFIES, REGISTER, admitted, fact

REVIEW_ON = date(2020, 12, 31)


def _flags(reg) -> list[tuple]:
    return [(f.kind, f.person, f.on, f.evidence, f.flag_class) for f in reg.flags()]


@contextmanager
def _built(ledger: Ledger, law: LawPack, on: date | None) -> Iterator[Register]:
    """The register built from `ledger` as it is now, closed on leaving."""
    with ledger.reading() as cursor:
        reg = build_register(cursor, law=law, register=REGISTER, on=on)
    try:
        yield reg
    finally:
        reg.close()


def _fresh(ledger: Ledger, law: LawPack) -> list[tuple]:
    with _built(ledger, law, REVIEW_ON) as reg:
        return _flags(reg)


def _history() -> list[Draft]:
    drafts: list[Draft] = []
    for i in range(6):
        person = f"PF-{i}"
        drafts += [
            admitted(person),
            fact("incentive", INCENTIVE, person, kind="gratitude"),
            fact("visit", INCENTIVE + timedelta(days=10), person, kind="short", visitor="V1"),
        ]
    return drafts


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    """The ledger holding `_history()`."""
    with Ledger.open(ledger_url) as ledger:
        ledger.append_many(_history())
        yield ledger


def test_a_refreshed_register_lists_what_a_fresh_one_does(
    ledger: Ledger, demo_law: LawPack
) -> None:
    with _built(ledger, demo_law, REVIEW_ON) as reg:
        before = _flags(reg)
        # an award without grounds for one, a late award for another, a new person with a visit
        ledger.append_many([fact("degree_awarded", INCENTIVE + timedelta(days=20), "PF-1",
                                 HEAD, degree=1)])  # fmt: skip
        ledger.append_many([
            fact("degree_awarded", QUALIFIES + timedelta(days=90), "PF-2", HEAD, degree=1),
            admitted("PF-9"),
            fact("visit", QUALIFIES, "PF-9", kind="long", visitor="V1"),
        ])  # fmt: skip
        with ledger.reading() as cursor:
            assert reg.refresh(cursor)
            again = reg.refresh(cursor)  # nothing new: nothing to do
        refreshed = _flags(reg)
    fresh = _fresh(ledger, demo_law)

    assert again
    assert refreshed == fresh
    assert refreshed != before
    kinds = {(k, p) for k, p, *_ in refreshed}
    assert ("decision_without_grounds", "PF-1") in kinds
    assert ("delayed_award", "PF-2") in kinds


def test_a_fact_after_the_review_date_asks_for_a_new_register(
    ledger: Ledger, demo_law: LawPack
) -> None:
    with _built(ledger, demo_law, None) as reg:  # reviewed on the latest fact's day
        ledger.append_many([fact("incentive", date(2021, 3, 1), "PF-3", kind="gratitude")])
        with ledger.reading() as cursor:
            assert reg.refresh(cursor) is False


def test_flag_is_still_the_public_shape() -> None:
    assert Flag.__dataclass_fields__.keys() >= {
        "kind",
        "person",
        "evidence",
        "detail",
        "flag_class",
    }
