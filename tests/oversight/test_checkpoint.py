"""The review saved between runs (ADR 0047): read while it includes the whole ledger, brought up to
date with the files of newer entries only, reviewed afresh otherwise; always the flags of a fresh
register."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from adaldyq.law import LawPack
from adaldyq.ledger import Draft, Ledger
from adaldyq.oversight import Thresholds, build_register
from adaldyq.oversight.checkpoint import checkpointed
from tests.oversight.test_flags import HEAD, INCENTIVE, QUALIFIES, REGISTER, admitted, fact
from tests.oversight.test_refresh import REVIEW_ON, _flags, _history


def _fresh(ledger: Ledger, law: LawPack, on: date | None) -> tuple[date, list[tuple]]:
    with ledger.reading() as cursor:
        reg = build_register(cursor, law=law, register=REGISTER, on=on)
    try:
        return reg.on, _flags(reg)
    finally:
        reg.close()


def _saved(
    ledger: Ledger, path: Path, law: LawPack, on: date | None, **kw
) -> tuple[str, date, list[tuple]]:
    with ledger.reading() as cursor:
        reg, how = checkpointed(cursor, path, law=law, register=REGISTER, on=on, **kw)
    try:
        return how, reg.on, _flags(reg)
    finally:
        reg.close()


def test_a_saved_review_is_read_then_refreshed_and_lists_what_a_fresh_one_does(
    ledger_url: str, demo_law: LawPack, tmp_path: Path
) -> None:
    path = tmp_path / "oversight" / "review.duckdb"
    with Ledger.open(ledger_url) as ledger:
        ledger.append_many(_history())
        built = _saved(ledger, path, demo_law, REVIEW_ON)
        read = _saved(ledger, path, demo_law, REVIEW_ON)
        ledger.append_many([
            fact("degree_awarded", INCENTIVE + timedelta(days=20), "PF-1", HEAD, degree=1),
            fact("degree_awarded", QUALIFIES + timedelta(days=90), "PF-2", HEAD, degree=1),
            admitted("PF-9"),
            fact("visit", QUALIFIES, "PF-9", kind="long", visitor="V1"),
        ])  # fmt: skip
        refreshed = _saved(ledger, path, demo_law, REVIEW_ON)
        again = _saved(ledger, path, demo_law, REVIEW_ON)
        fresh = _fresh(ledger, demo_law, REVIEW_ON)
        other = _saved(ledger, path, demo_law, REVIEW_ON, thresholds=Thresholds(delay_days=60))

    assert (built[0], read[0], refreshed[0], again[0]) == ("built", "read", "refreshed", "read")
    assert read[1:] == built[1:]
    assert refreshed[1:] == again[1:] == fresh
    assert refreshed[2] != built[2]
    assert {("decision_without_grounds", "PF-1"), ("delayed_award", "PF-2")} <= {
        (k, p) for k, p, *_ in refreshed[2]
    }
    assert other[0] == "built"  # other settings: every file reviewed


def test_without_a_review_date_a_newer_fact_or_the_latest_withdrawn_reviews_every_file(
    ledger_url: str, demo_law: LawPack, tmp_path: Path
) -> None:
    path = tmp_path / "review.duckdb"
    later = INCENTIVE + timedelta(days=200)
    with Ledger.open(ledger_url) as ledger:
        ledger.append_many(_history())
        first = _saved(ledger, path, demo_law, None)
        (late,) = ledger.append_many([fact("incentive", later, "PF-3", kind="gratitude")])
        newer = _saved(ledger, path, demo_law, None)
        newer_fresh = _fresh(ledger, demo_law, None)
        ledger.append_many([
            Draft(HEAD, "PF-3", "fact_voided", {"on": later.isoformat()}, corrects=late.seq,
                  reason="entered in error"),
        ])  # fmt: skip
        withdrawn = _saved(ledger, path, demo_law, None)
        withdrawn_fresh = _fresh(ledger, demo_law, None)

    assert first[0] == "built"
    assert (newer[0], newer[1:]) == ("built", newer_fresh)
    assert newer[1] == later
    assert (withdrawn[0], withdrawn[1:]) == ("built", withdrawn_fresh)
    assert withdrawn[1] == first[1] < later


def test_a_review_saved_from_another_ledger_is_not_read(
    ledger_url: str, demo_law: LawPack, tmp_path: Path
) -> None:
    path = tmp_path / "review.duckdb"
    with Ledger.open(f"sqlite:///{tmp_path / 'other.sqlite3'}") as other:
        other.append_many([*_history(), admitted("PF-7")])
        assert _saved(other, path, demo_law, REVIEW_ON)[0] == "built"
    with Ledger.open(ledger_url) as ledger:
        ledger.append_many(_history()[:-1])
        how, _, flags = _saved(ledger, path, demo_law, REVIEW_ON)
        fresh = _fresh(ledger, demo_law, REVIEW_ON)

    assert (how, flags) == ("built", fresh[1])
