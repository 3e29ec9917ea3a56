"""The demo's year of programme visits: about 2,500 attendances over the regions, every figure fed."""

from __future__ import annotations

import time
from datetime import date

import pytest

from adaldyq.web.programme import projection
from adaldyq.web.programme.demo import plant
from adaldyq.web.programme.models import Answer, Attendance, ProgrammeVisit
from adaldyq.web.programme.selectors import figures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)


def test_a_year_of_visits_feeds_every_figure(world) -> None:
    started = time.perf_counter()
    made = plant(today=TODAY, attendances=2500)
    took = time.perf_counter() - started
    assert made["attendances"] == 2500
    assert Attendance.objects.count() == 2500
    f = figures()
    assert f["attendances"] == 2500
    assert f["attendees"] < 2500
    assert f["repeat"]["officials"] > 0
    assert len(f["by_month"]) >= 12
    assert len(f["by_category"]) == 4
    assert set(f["by_institution"]) == set(world["insts"])
    assert 0 < f["coverage"]["attended"] < f["coverage"]["in_scope"]
    q = f["questionnaire"]["overall"]
    assert q["shown"]
    assert q["answers"] == 2500 * 7 // 10
    statuses = set(ProgrammeVisit.objects.values_list("status", flat=True))
    assert statuses == {"planned", "confirmed", "refused"}
    assert all(v.day > TODAY for v in ProgrammeVisit.objects.filter(status="planned"))

    def rows() -> dict[str, list[tuple[object, ...]]]:  # every column but the automatic id
        return {
            m.__name__: sorted(
                tuple(r.values())
                for r in m.objects.values(
                    *(f.attname for f in m._meta.concrete_fields if not f.auto_created)
                )
            )
            for m in (Attendance, Answer, ProgrammeVisit)
        }

    before = rows()
    projection.rebuild()
    assert rows() == before
    print(f"planted in {took:.1f} s")
