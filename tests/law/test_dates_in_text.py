"""Dates in the engine's sentences as each language's readers write them (ADR 0021): kk and ru
"21.05.2026", en "21 May 2026"; in Kazakh a date before a postposition takes "ж." ("21.05.2026 ж.
бастап"), never a case ending glued to the figures ("2022-08-01-ден")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import orjson
import pytest

from adaldyq.law import LawPack, evaluate, parse_case
from adaldyq.law.messages import date_text, kk_date, render_lines

LAW = LawPack.load()
ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "cases" / "law").glob("*.json"))
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
GLUED = re.compile(r"\d-(?:ден|дан|нан|тен|тан|дегі|дағы|тегі|тағы)\b")


@pytest.mark.parametrize(
    ("on", "lang", "text"),
    [
        (date(2026, 5, 21), "kk", "21.05.2026"),
        (date(2026, 5, 21), "ru", "21.05.2026"),
        (date(2026, 5, 21), "en", "21 May 2026"),
        (date(2026, 12, 5), "en", "5 Dec 2026"),
        (date(2022, 8, 1), "ru", "01.08.2022"),
    ],
)
def test_a_date_is_written_as_the_pages_write_it(on: date, lang: str, text: str) -> None:
    assert date_text(on, lang) == text


def test_a_kazakh_date_before_a_postposition_carries_the_years_word() -> None:
    assert kk_date(date(2026, 5, 21), "abl") + " бастап" == "21.05.2026 ж. бастап"
    assert kk_date(date(2022, 8, 10), "loc") == "10.08.2022 ж. жағдай бойынша"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_no_sentence_writes_an_iso_date_or_glues_a_case_ending(case: Path, lang: str) -> None:
    c = parse_case(orjson.loads(case.read_bytes()))
    lines = render_lines(evaluate(c.person, c.events, on=c.as_of, law=LAW, case_id=c.id), lang)

    dated = [
        line
        for line in lines
        if re.search(r"\d{2}\.\d{2}\.\d{4}|\d{1,2} [A-Z][a-z]{2} \d{4}", line)
    ]
    assert dated, "every case names at least one date"
    for line in lines:
        assert not ISO.search(line), line
        assert not GLUED.search(line), line
