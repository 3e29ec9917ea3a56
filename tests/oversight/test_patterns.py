"""Findings, patterns and leads: exact binomial tests with Benjamini-Hochberg, no minimum count."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from adaldyq.law import LawPack
from adaldyq.ledger import Actor, Draft, Ledger
from adaldyq.oversight import Flag, build_register, flag_class
from adaldyq.oversight.stats import bh_adjust, binomial_sf, funnel_limit
from tests.oversight.test_flags import INCENTIVE, OFFICER, QUALIFIES, REGISTER, admitted, fact

NEW = Actor("UK-1/N01", "role:records_officer@UK-1")
ONCE = Actor("UK-1/O05", "role:records_officer@UK-1")


def _exact_sf(k: int, n: int, p: float) -> float:
    return math.fsum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (10, 10, 0.1),
        (3, 20, 0.1),
        (1, 1, 0.5),
        (50, 1000, 0.04),
        (5, 7, 0.9),
        (0, 5, 0.3),
        (6, 5, 0.3),
    ],
)
def test_the_binomial_tail_is_exact(k: int, n: int, p: float) -> None:
    assert binomial_sf(k, n, p) == pytest.approx(_exact_sf(k, n, p), rel=1e-9, abs=1e-300)


def test_benjamini_hochberg_adjusts_as_the_textbook_does() -> None:
    # p-values 0.01, 0.04, 0.03, 0.5 (m = 4): sorted 0.01*4/1, 0.03*4/2, 0.04*4/3, 0.5*4/4, then the
    # running minimum from the largest down
    assert bh_adjust([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.0533333, 0.0533333, 0.5])


def test_the_funnel_limit_is_the_first_count_rare_enough() -> None:
    k = funnel_limit(100, 0.1, 0.025)

    assert binomial_sf(k, 100, 0.1) <= 0.025 < binomial_sf(k - 1, 100, 0.1)


def _admitted(person: str) -> Draft:
    draft = admitted(person)
    draft.payload["institution_type"] = "medium"  # no institutions register in a bare data folder
    return draft


def _population() -> list[Draft]:
    """40 people each penalised by the usual officer long before any qualification; 10 penalised by a
    new officer 5 days before they would qualify; one by another officer, once, the same way."""
    drafts: list[Draft] = []
    for i in range(40):
        person = f"PF-A{i:02d}"
        drafts += [_admitted(person), fact("penalty", date(2020, 1, 10), person, kind="smoking")]
    for i in range(10):
        person = f"PF-B{i:02d}"
        drafts += [
            _admitted(person),
            fact("incentive", INCENTIVE, person, kind="gratitude"),
            fact("penalty", QUALIFIES - timedelta(days=5), person, NEW, kind="smoking"),
        ]
    drafts += [
        _admitted("PF-C00"),
        fact("incentive", INCENTIVE, "PF-C00", kind="gratitude"),
        fact("penalty", QUALIFIES - timedelta(days=5), "PF-C00", ONCE, kind="smoking"),
    ]
    return drafts


def _flags(url: str, law: LawPack) -> list[Flag]:
    with Ledger.open(url) as ledger:
        ledger.append_many(_population())
        with ledger.reading() as cursor:
            reg = build_register(cursor, law=law, register=REGISTER, on=date(2020, 12, 31))
    try:
        return reg.flags()
    finally:
        reg.close()


def test_an_officer_with_10_of_10_penalties_before_qualifying_is_a_pattern(
    ledger_url: str, demo_law: LawPack
) -> None:
    found = _flags(ledger_url, demo_law)

    leads = [f for f in found if f.kind == "penalty_before_qualifying"]
    assert len(leads) == 11
    assert {f.flag_class for f in leads} == {"lead"}
    patterns = [
        f
        for f in found
        if f.flag_class == "pattern" and f.detail["measure"] == "penalties_before_qualifying"
    ]
    assert [(f.detail["level"], f.detail["unit"]) for f in patterns] == [("officer", NEW.id)]
    (pattern,) = patterns
    d = pattern.detail
    assert (d["n"], d["k"], d["rate"]) == (10, 10, 1.0)
    assert d["national"] == pytest.approx(11 / 51, abs=1e-4)
    assert d["p_value"] == pytest.approx((11 / 51) ** 10, rel=1e-2)
    assert d["q_value"] <= 0.05
    assert d["leads"] == "penalty_before_qualifying"
    assert pattern.evidence == tuple(sorted(f.evidence[0] for f in leads if f.officer == NEW.id))
    assert d["rate"] > d["upper_998"] > d["upper_95"] > d["national"]
    # the officer with one such penalty of one, and the usual officer, do not stand out
    assert not [
        f for f in found if f.flag_class == "pattern" and f.officer in (ONCE.id, OFFICER.id)
    ]


def test_every_flag_has_a_class_and_a_finding_names_its_person() -> None:
    from adaldyq.oversight.sources import all_flag_kinds

    classes = {k: flag_class(k) for k in all_flag_kinds()}

    assert set(classes.values()) == {"finding", "pattern", "lead"}
    assert classes["penalty_before_qualifying"] == "lead"
    assert classes["rate_outlier"] == "pattern"
    assert classes["decision_without_grounds"] == "finding"


def test_the_command_shows_findings_and_patterns_and_leads_only_with_all(
    tmp_path: Path, demo_law: LawPack
) -> None:
    with Ledger.open(f"sqlite:///{tmp_path / 'adaldyq.sqlite3'}") as ledger:
        ledger.append_many(_population())
    runner = CliRunner()
    args = [
        "oversight",
        "flags",
        "--data-dir",
        str(tmp_path),
        "--overlay",
        "demo",
        "--on",
        "2020-12-31",
    ]
    from adaldyq.cli.__main__ import app

    default = runner.invoke(app, [*args, "--format", "jsonl"])
    every = runner.invoke(app, [*args, "--format", "jsonl", "--all"])
    of_officer = runner.invoke(app, [*args, "--format", "jsonl", "--all", "--officer", NEW.id])

    assert default.exit_code == every.exit_code == of_officer.exit_code == 0, default.output
    shown = [orjson.loads(line) for line in default.output.splitlines()]
    assert {r["class"] for r in shown} == {"pattern"}
    assert {r["class"] for r in map(orjson.loads, every.output.splitlines())} == {"pattern", "lead"}
    leads = [r for r in map(orjson.loads, of_officer.output.splitlines()) if r["class"] == "lead"]
    assert len(leads) == 10
    assert all(r["person"] for r in leads)


def test_the_score_counts_an_officer_with_five_planted_leads_as_a_planted_pattern() -> None:
    from adaldyq.oversight import score_classes

    planted = [
        {"kind": "penalty_before_qualifying", "person": f"PF-{i}", "institution": "UK-1",
         "officer": NEW.id, "entries": [i]}
        for i in range(5)
    ] + [{"kind": "delayed_award", "person": "PF-9", "institution": "UK-1", "officer": "x",
          "entries": [90]}]  # fmt: skip
    pattern = Flag(
        "rate_outlier", "", "UK-1", NEW.id, None, (0, 1), "", "P",
        {"measure": "penalties_before_qualifying", "level": "officer", "unit": NEW.id},
    )  # fmt: skip
    finding = Flag("delayed_award", "PF-9", "UK-1", "x", date(2020, 1, 1), (90,), "", "S")
    lead = Flag(
        "penalty_before_qualifying", "PF-0", "UK-1", NEW.id, date(2020, 1, 1), (0,), "", "S"
    )

    findings, patterns = score_classes([pattern, finding, lead], planted)

    assert (findings.planted, findings.found, findings.flags, findings.leads_only) == (1, 1, 1, 0)
    assert (patterns.planted, patterns.found, patterns.flags, patterns.precision) == (1, 1, 1, 1.0)
    alone, _ = score_classes([finding, lead], planted)
    assert alone.leads_only == 1  # without its pattern, the planted penalty is only a lead
