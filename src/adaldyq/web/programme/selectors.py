"""Reads of the programme: the register, the figures (shared by the page, the CSV and the CLI)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from adaldyq.web.programme.models import (
    Answer,
    Attendance,
    MonitoringVisit,
    Observation,
    Official,
    ProgrammeVisit,
)

#: Categories of civil servants (Law of the Republic of Kazakhstan "On civil service").
CATEGORIES: dict[str, Any] = {
    "political": _("political civil servant"),
    "corps_a": _("administrative civil servant, corps A"),
    "corps_b": _("administrative civil servant, corps B"),
    "other": _("other official"),
}


def official_key(name: str, body: str) -> str:
    """The stable key of an official: the same name in the same body is the same official."""
    text = "|".join(
        " ".join(unicodedata.normalize("NFKC", s).casefold().split()) for s in (name, body)
    )
    return "o-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def visits_visible(visible: frozenset[str] | None) -> QuerySet[ProgrammeVisit]:
    """The programme visits hosted by the institutions `visible` names (None: all)."""
    found = ProgrammeVisit.objects.all()
    return found if visible is None else found.filter(host__in=visible)


#: What public councils' members inspect (`models.TOPICS`), as the pages name it.
TOPIC_LABELS: dict[str, Any] = {
    "cells": _("cells and living conditions"),
    "food": _("food"),
    "medical": _("medical care"),
    "complaints": _("complaints received"),
    "other": _("other observations"),
}


def monitoring_visible(visible: frozenset[str] | None) -> QuerySet[MonitoringVisit]:
    """The public councils' monitoring visits to the institutions `visible` names (None: all)."""
    found = MonitoringVisit.objects.all()
    return found if visible is None else found.filter(institution__in=visible)


def overdue_q(on: date) -> Q:
    """Assignments late on `on`: open after their due date, or answered after it (the rule of
    `adaldyq.oversight.monitoring.overdue`, in SQL)."""
    return Q(due__lt=on, answered_on__isnull=True) | Q(answered_on__gt=F("due"))


def overdue_assignments(visible: frozenset[str] | None, on: date) -> QuerySet[Observation]:
    """The late assignments of the monitoring visits `visible` names, the oldest due date first."""
    found = Observation.objects.filter(due__isnull=False).filter(overdue_q(on))
    if visible is not None:
        found = found.filter(visit__institution__in=visible)
    return found.select_related("visit").order_by("due", "id")


def monitoring_figures(visible: frozenset[str] | None, on: date) -> dict[str, Any]:
    """The monitoring visits in numbers, and every late assignment (for the CLI and the page)."""
    visits = monitoring_visible(visible)
    observations = Observation.objects.filter(visit__in=visits)
    assigned = observations.filter(due__isnull=False)
    return {
        "on": on.isoformat(),
        "visits": visits.count(),
        "observations": observations.count(),
        "by_topic": {
            str(r["topic"]): int(r["n"])
            for r in observations.values("topic").annotate(n=Count("id")).order_by("topic")
        },
        "assignments": assigned.count(),
        "answered": assigned.filter(answered_on__isnull=False).count(),
        "overdue": [
            {
                "observation": o.id,
                "visit": o.visit_id,
                "institution": o.visit.institution,
                "to": o.assigned_to,
                "due": o.due.isoformat() if o.due else None,
                "answered_on": o.answered_on.isoformat() if o.answered_on else None,
                "days_late": ((o.answered_on or on) - o.due).days if o.due else None,
            }
            for o in overdue_assignments(visible, on)
        ],
    }


def _counts(rows: QuerySet[Attendance], field: str) -> dict[str, int]:
    """Distinct officials per value of `field`, largest first."""
    got = rows.values(field).annotate(n=Count("official", distinct=True)).order_by("-n", field)
    return {str(r[field]): int(r["n"]) for r in got}


def figures(visible: frozenset[str] | None = None) -> dict[str, Any]:
    """Everything the programme's page, CSV and `adaldyq programme report` show.

    `attendees` counts officials (an official who came twice is one attendee; `attendances` counts
    both); `coverage` compares the imported list of officials with those who have attended.
    """
    visits = visits_visible(visible)
    rows = Attendance.objects.filter(visit__in=visits)
    per_official = Counter(rows.values_list("official", flat=True))
    months: dict[str, int] = {}
    for day, _official in rows.order_by("day").values_list("day", "official"):
        months.setdefault(day.strftime("%Y-%m"), 0)
        months[day.strftime("%Y-%m")] += 1
    return {
        "attendees": len(per_official),
        "attendances": sum(per_official.values()),
        "visits": visits.count(),
        "visits_by_status": {
            r["status"]: r["n"] for r in visits.values("status").annotate(n=Count("id"))
        },
        "by_category": _counts(rows, "category"),
        "by_body": _counts(rows, "body"),
        "by_region": _counts(rows, "region"),
        "by_institution": _counts(rows, "host"),
        "by_month": months,
        "repeat": {
            "officials": sum(1 for n in per_official.values() if n > 1),
            "most": max(per_official.values(), default=0),
        },
        "coverage": coverage(),
        "questionnaire": questionnaire(visits),
    }


def coverage() -> dict[str, Any]:
    """Of the officials in scope (the imported list), how many have attended, overall and by body."""
    attended = set(Attendance.objects.values_list("official", flat=True).distinct())
    by_body: dict[str, dict[str, int]] = {}
    for key, body in Official.objects.values_list("key", "body"):
        cell = by_body.setdefault(body, {"in_scope": 0, "attended": 0})
        cell["in_scope"] += 1
        cell["attended"] += key in attended
    in_scope = sum(c["in_scope"] for c in by_body.values())
    reached = sum(c["attended"] for c in by_body.values())
    return {
        "in_scope": in_scope,
        "attended": reached,
        "share": round(reached / in_scope, 4) if in_scope else None,  # unknown without a list
        "by_body": dict(sorted(by_body.items())),
    }


def not_reached(body: str | None = None) -> QuerySet[Official]:
    """Officials in scope who have not attended any programme visit, by body."""
    attended = Attendance.objects.values("official")
    found = Official.objects.exclude(key__in=attended)
    return found.filter(body=body) if body else found


def attendance_rows(visible: frozenset[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """Each attendance as (date, host, region, name, body, position, category), oldest first."""
    rows = Attendance.objects.filter(visit__in=visits_visible(visible)).order_by(
        "day", "host", "name"
    )
    for a in rows.iterator(chunk_size=2000):
        yield (
            a.day.isoformat(), a.host, a.region, a.name, a.body, a.position,
            str(CATEGORIES.get(a.category, a.category)),
        )  # fmt: skip


#: Questionnaires are shown only in groups of at least this many answers (no one's answer singled out).
MIN_GROUP = 10


def _summary(rows: QuerySet[Answer]) -> dict[str, Any]:
    n = rows.count()
    if n < MIN_GROUP:
        return {"answers": n, "shown": False}
    useful = list(rows.values_list("useful", flat=True))
    yes = rows.filter(recommend=True).count()
    return {
        "answers": n,
        "shown": True,
        "useful_mean": round(sum(useful) / n, 2),
        "recommend_share": round(yes / n, 4),
    }


def questionnaire(visits: QuerySet[ProgrammeVisit]) -> dict[str, Any]:
    """The anonymous questionnaires in aggregate: overall and by host institution, each group only
    when it has at least MIN_GROUP answers (smaller groups give their count alone)."""
    rows = Answer.objects.filter(visit__in=visits)
    hosts = sorted(set(rows.values_list("host", flat=True)))
    return {
        "min_group": MIN_GROUP,
        "overall": _summary(rows),
        "by_institution": {h: _summary(rows.filter(host=h)) for h in hosts},
    }
