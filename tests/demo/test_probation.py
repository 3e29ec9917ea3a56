"""The demo's people on probation (issue 19): the product's fact kinds, in the seed's proportions."""

from __future__ import annotations

from datetime import date

import pytest

from adaldyq.demo.entries import person_drafts
from adaldyq.demo.probation import PAROLE_PER_PRISONER, parolees_for
from adaldyq.demo.register import small_register
from adaldyq.demo.synth import iter_people
from adaldyq.files import PersonalFile
from adaldyq.release.probation import figures, probation_of

AS_OF = date(2026, 12, 31)
PRISONERS = 700


@pytest.fixture(scope="module")
def found() -> dict:
    people = iter_people(small_register(2024, PRISONERS), count=0, as_of=AS_OF,
                         parolees=parolees_for(PRISONERS))  # fmt: skip
    files = []
    for p in people:
        drafts, _ = person_drafts(p, lambda officer: f"role:any@{officer}")
        rows = [
            (seq, d.type, {"payload": dict(d.payload), "actor": {"id": d.actor.id, "authority": ""},
                           "corrects": None, "recorded_at": ""})
            for seq, d in enumerate(drafts)
        ]  # fmt: skip
        pf = PersonalFile.fold(p.id, rows)  # every payload read as the product reads it
        assert pf.placement.released
        files.append(probation_of(pf, region=p.home_region))
    return figures([f for f in files if f is not None], on=AS_OF)


def test_about_the_seeds_share_of_prisoners_is_on_parole(found: dict) -> None:
    assert found["on_parole"] == pytest.approx(PRISONERS * PAROLE_PER_PRISONER, rel=0.12)


def test_the_files_have_every_figure_the_ministry_reports(found: dict) -> None:
    assert all(found[k] > 0 for k in ("programmes", "employed", "medical_aid", "checkins"))
    assert found["repeat_1y"]["reoffended"] > 0
    assert 0 < found["repeat_1y"]["share"] < found["repeat_3y"]["share"] < 0.5
    assert set(found["by_ground"]) == {"parole", "substitution"}
    assert len(found["regions"]) > 10
