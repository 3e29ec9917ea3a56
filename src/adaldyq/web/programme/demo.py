"""The demo's year of the officials' visits programme (synthetic): a list of officials in scope, about
a visit a working day over the regions' institutions, their answers and attendance (issue 20).

Entries have the services' shapes (`projection` documents them) and are appended in one transaction
in batches, as the demo loads people: a service call per write would commit 3,000 times.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from adaldyq.core.regions import load_regions
from adaldyq.web.institutions.models import Institution
from adaldyq.web.programme import projection
from adaldyq.web.programme.selectors import official_key
from adaldyq.web.programme.services import OFFICIALS_SUBJECT, _chunks
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import Actor, Draft

#: Bodies whose heads the programme takes; "%(region)s" bodies exist in every region.
CENTRAL = (
    "Ministry of Internal Affairs", "Ministry of Justice", "Ministry of Finance",
    "Ministry of Health", "Ministry of Education", "Ministry of Agriculture",
    "Ministry of Energy", "Ministry of Transport", "Agency for Civil Service Affairs",
    "State Revenue Committee", "Committee of the Penal System",
)  # fmt: skip
REGIONAL = ("Akimat of %s", "Directorate of Public Health of %s", "Directorate of Education of %s",
            "Directorate of Finance of %s")  # fmt: skip
POSITIONS = {
    "political": ("akim", "deputy akim", "vice minister", "chairman of the committee"),
    "corps_a": ("head of department", "deputy chairman of the committee"),
    "corps_b": ("head of directorate", "head of unit", "deputy head of directorate"),
    "other": ("chief expert",),
}
SURNAMES = ("Synthetov", "Demoev", "Testbaev", "Primerov", "Obraztsov", "Sampleuly", "Fakebekov",
            "Modelev", "Mockbayev", "Proxyev", "Stubov", "Dummin")  # fmt: skip
GIVEN = ("Arman", "Dana", "Yerlan", "Aigul", "Marat", "Saule", "Nurlan", "Gulnara", "Timur", "Asel")
ROUTE = ("investigators' offices", "reception of the detained", "search room", "cells",
         "medical unit", "canteen", "exercise yards", "visits rooms")  # fmt: skip


def _officials(rng: random.Random, n: int) -> list[dict[str, str]]:
    regions = [r.key for r in load_regions()]
    bodies = [(b, "") for b in CENTRAL] + [(body % r, r) for r in regions for body in REGIONAL]
    found: dict[str, dict[str, str]] = {}
    while len(found) < n:
        body, region = rng.choice(bodies)
        category = rng.choices(list(POSITIONS), weights=(2, 3, 6, 1))[0]
        row = {
            "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {len(found) + 1}",
            "body": body,
            "position": rng.choice(POSITIONS[category]),
            "category": category,
            "region": region or rng.choice(regions),
        }
        row["official"] = official_key(row["name"], row["body"])
        found[row["official"]] = row
    return list(found.values())


def plant(*, today: date, attendances: int = 2500, seed: int = 2024) -> dict[str, int]:
    """Plant a year of programme visits ending yesterday and a few to come; returns counts."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    hosts = list(Institution.objects.order_by("code").values_list("code", "region_id"))
    if not hosts or attendances <= 0:
        return {"visits": 0, "attendances": 0, "officials": 0, "entries": 0}
    officials = _officials(rng, max(20, attendances * 6 // 5))
    agency = Actor("demo-agency", "role:anticorruption (demo)")
    drafts: list[Draft] = [
        Draft(actor=agency, subject=OFFICIALS_SUBJECT, type=projection.OFFICIALS_IMPORTED,
              payload={"on": (today - timedelta(days=380)).isoformat(), "officials": chunk})
        for chunk in _chunks(officials)
    ]  # fmt: skip
    per_visit = 10
    n_visits = max(1, attendances // per_visit)
    made = {"visits": 0, "attendances": 0, "officials": len(officials)}
    regulars = rng.sample(officials, k=max(1, len(officials) // 10))  # who comes more than once
    for i in range(n_visits + n_visits // 12 + 4):
        future = i >= n_visits + n_visits // 12
        code, region = hosts[i % len(hosts)] if i % 3 else rng.choice(hosts)
        day = (
            today + timedelta(days=rng.randint(3, 40))
            if future
            else today - timedelta(days=rng.randint(1, 365))
        )
        visit = f"PV-DEMO{i + 1:05d}"
        subject = f"programme:{visit}"
        route = [s for s in ROUTE if s in ROUTE[:4] or rng.random() < 0.5]
        hearings = (
            [{"court": f"Specialised inter-district criminal court of {region}",
              "case": f"1-{rng.randint(100, 999)}/{day.year}", "day": (day + timedelta(days=1)).isoformat()}]
            if rng.random() < 0.4 else []
        )  # fmt: skip
        drafts.append(Draft(actor=agency, subject=subject, type=projection.VISIT_PLANNED, payload={
            "on": (day - timedelta(days=rng.randint(10, 30))).isoformat(), "visit": visit,
            "host": code, "region": region, "day": day.isoformat(), "route": route,
            "capacity": per_visit + 2, "invited": [], "hearings": hearings,
        }))  # fmt: skip
        made["visits"] += 1
        if future:
            continue  # waiting for the host's answer
        head = Actor(f"demo-head:{code}", f"role:head@{code} (demo)")
        refused = i >= n_visits  # the last twelfth: refused with a reason
        drafts.append(Draft(actor=head, subject=subject, type=projection.VISIT_DECIDED, payload={
            "on": (day - timedelta(days=5)).isoformat(), "visit": visit, "confirmed": not refused,
            "reason": rng.choice(("quarantine", "repairs of the route", "capacity")) if refused else "",
        }))  # fmt: skip
        if refused:
            continue
        came: dict[str, dict[str, str]] = {}
        while len(came) < per_visit:
            pool = regulars if rng.random() < 0.15 else officials
            o = rng.choice(pool)
            came[o["official"]] = o
        for o in came.values():
            drafts.append(Draft(actor=agency, subject=subject, type=projection.ATTENDANCE_RECORDED,
                                payload={"on": day.isoformat(), "visit": visit, **o}))  # fmt: skip
            made["attendances"] += 1
        for _ in range(per_visit * 7 // 10):  # most hand the anonymous questionnaire in
            drafts.append(Draft(actor=agency, subject=subject, type=projection.ANSWERED, payload={
                "on": day.isoformat(), "visit": visit,
                "useful": rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 6, 5))[0],
                "recommend": rng.random() < 0.8,
            }))  # fmt: skip
    made["entries"] = len(drafts)
    with transaction.atomic(durable=True):
        for start in range(0, len(drafts), 2000):
            ledger_port.append_projected(drafts[start : start + 2000], projection.project)
    return made


def plant_for(people: int, *, today: date) -> dict[str, int]:
    """The demo's programme, scaled down for a population smaller than the small demo's 3,000."""
    return plant(today=today, attendances=2500 if people >= 3000 else max(20, people // 2))
