"""The register brought up to date in place (`Register.refresh`): the same flags as built afresh."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import orjson
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


def _rows(reg: Register) -> bytes:
    """The register's flags as the keeper stores them, to the byte."""
    return orjson.dumps([f.to_dict() for f in reg.flags()])


def _voided(seq: int, person: str, on: date) -> Draft:
    return Draft(HEAD, person, "fact_voided", {"on": on.isoformat()}, corrects=seq, reason="error")


def _writes_of_every_kind() -> list[list[Draft]]:
    """Writes, each a batch the register is refreshed after: a penalty, an incentive, a court's
    refusal, a transfer, visits and a visitor's registration (which changes other people's visit
    flags: the same visitor visits them), a withdrawal, a visit on a day no visit fell on before."""
    day = INCENTIVE + timedelta(days=40)
    return [
        [fact("penalty", day, "PF-0", kind="reprimand")],
        [fact("incentive", day, "PF-4", kind="gratitude"),
         fact("degree_awarded", QUALIFIES + timedelta(days=60), "PF-4", HEAD, degree=1)],
        [fact("court_submitted", day, "PF-5", ground="parole"),
         fact("court_decided", day + timedelta(days=5), "PF-5", ground="parole",
              outcome="refused", refusal="late_submission", reason="late")],
        [fact("transferred", day, "PF-2", institution="UK-2", condition="regular")],
        [fact("visitor_registered", day, "PF-0", visitor="V1", relationship="mother",
              approved=True),
         fact("visit", day + timedelta(days=3), "PF-3", kind="long", visitor="V2")],
        [_voided(3 * 1 + 1, "PF-1", day)],  # PF-1's incentive withdrawn
        [fact("visit", date(2020, 11, 17), "PF-5", kind="short", visitor="V2")],
    ]  # fmt: skip


def test_a_register_refreshed_after_writes_of_every_kind_is_the_one_built_afresh(
    ledger: Ledger, demo_law: LawPack
) -> None:
    with _built(ledger, demo_law, REVIEW_ON) as reg:
        reg.flags()  # the flags kept from here: each refresh computes the changed ones only
        for batch in _writes_of_every_kind():
            ledger.append_many(batch)
            with ledger.reading() as cursor:
                assert reg.refresh(cursor)
            refreshed = _rows(reg)
            with _built(ledger, demo_law, REVIEW_ON) as fresh:
                assert refreshed == _rows(fresh)
                assert reg.rate_units() == fresh.rate_units()
                assert reg.not_determinable() == fresh.not_determinable()
                assert reg.counts() == fresh.counts()


def test_a_registration_changes_the_flags_of_other_people_the_visitor_visits(
    ledger: Ledger, demo_law: LawPack
) -> None:
    with _built(ledger, demo_law, REVIEW_ON) as reg:
        before = {(f.kind, f.person) for f in reg.flags()}
        ledger.append_many([fact("visitor_registered", INCENTIVE, "PF-0", visitor="V1",
                                 relationship="mother", approved=True)])  # fmt: skip
        with ledger.reading() as cursor:
            assert reg.refresh(cursor)
        after = {(f.kind, f.person) for f in reg.flags()}

    # PF-1's visit by V1 was unregistered; V1 is now PF-0's registered visitor
    assert ("visit_unregistered_visitor", "PF-1") in before
    assert ("visit_unregistered_visitor", "PF-1") not in after
    assert ("visit_under_other_prisoner", "PF-1") in after


def test_a_kind_whose_flags_did_not_change_keeps_its_version(
    ledger: Ledger, demo_law: LawPack
) -> None:
    with _built(ledger, demo_law, REVIEW_ON) as reg:
        versions = {k: v.version for k, v in reg.kept_flags().items()}
        ledger.append_many([fact("degree_awarded", QUALIFIES + timedelta(days=90), "PF-2",
                                 HEAD, degree=1)])  # fmt: skip
        with ledger.reading() as cursor:
            assert reg.refresh(cursor)
        moved = {k for k, v in reg.kept_flags().items() if v.version != versions.get(k)}

    assert "delayed_award" in moved
    assert "visit_unregistered_visitor" not in moved


def _latest(cursor) -> int:
    cursor.execute("SELECT max(seq) FROM ledger_entries")
    return int(cursor.fetchone()[0])


def test_the_other_sources_kept_are_those_read_afresh(ledger: Ledger) -> None:
    from adaldyq.oversight.sources import KeptSources, other_flags

    kept = KeptSources()
    with ledger.reading() as cursor:
        kept.refresh(cursor, sites=[], on=REVIEW_ON, upto=_latest(cursor))
    versions = dict(kept.versions)
    day = INCENTIVE + timedelta(days=40)
    closure = {"first_day": day.isoformat(), "last_day": (day + timedelta(days=20)).isoformat(),
               "days": 21, "long": True, "room": ""}  # fmt: skip
    batches = [
        [fact("court_submitted", day, "PF-5", ground="parole"),
         fact("court_decided", day + timedelta(days=5), "PF-5", ground="parole",
              outcome="refused", refusal="late_submission", reason="late")],
        [Draft(HEAD, "UK-1", "visit_closure_recorded", closure)],
        [fact("incentive", day, "PF-4", kind="gratitude")],  # nothing for these sources
    ]  # fmt: skip
    for batch in batches:
        ledger.append_many(batch)
        with ledger.reading() as cursor:
            kept.refresh(cursor, sites=[], on=REVIEW_ON, upto=_latest(cursor))
            assert kept.flags() == other_flags(cursor, sites=[], on=REVIEW_ON)

    kinds = {f.kind for f in kept.flags()}
    assert {"release_refused_late_submission", "long_closure"} <= kinds
    moved = {name for name, v in kept.versions.items() if v != versions[name]}
    assert moved == {"release", "closures"}
