"""The demo's year of the officials' visits programme (synthetic): a list of officials in scope, about
a visit a working day over the regions' institutions, their answers and attendance (issue 20).

Entries have the services' shapes (`projection` documents them) and are appended in one transaction
in batches, as the demo loads people: a service call per write would commit 3,000 times.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from adaldyq.core.regions import load_regions
from adaldyq.web.institutions.models import Institution
from adaldyq.web.programme import projection
from adaldyq.web.programme.selectors import official_key
from adaldyq.web.programme.services import OFFICIALS_SUBJECT, _chunks
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import Actor, Draft

#: Bodies whose heads the programme takes (as the personnel registry names them, in Russian); the
#: "%s" bodies exist in every region, named with the region's name.
CENTRAL = (
    "Министерство внутренних дел", "Министерство юстиции", "Министерство финансов",
    "Министерство здравоохранения", "Министерство просвещения", "Министерство сельского хозяйства",
    "Министерство энергетики", "Министерство транспорта", "Агентство по делам государственной службы",
    "Комитет государственных доходов", "Комитет уголовно-исполнительной системы",
)  # fmt: skip
REGIONAL = ("Акимат (%s)", "Управление здравоохранения (%s)", "Управление образования (%s)",
            "Управление финансов (%s)")  # fmt: skip
POSITIONS = {
    "political": ("аким", "заместитель акима", "вице-министр", "председатель комитета"),
    "corps_a": ("руководитель департамента", "заместитель председателя комитета"),
    "corps_b": (
        "руководитель управления",
        "руководитель отдела",
        "заместитель руководителя управления",
    ),
    "other": ("главный эксперт",),
}
SURNAMES = ("Синтетов", "Демоев", "Тестбаев", "Примеров", "Образцов", "Самплулы", "Фейкбеков",
            "Моделев", "Мокбаев", "Проксиев", "Стубов", "Даммин")  # fmt: skip
GIVEN = (
    "Арман",
    "Дана",
    "Ерлан",
    "Айгуль",
    "Марат",
    "Сауле",
    "Нурлан",
    "Гульнара",
    "Тимур",
    "Асель",
)
ROUTE = ("кабинеты следователей", "приём задержанных", "комната обыска", "камеры",
         "медицинская часть", "столовая", "прогулочные дворики", "комнаты свиданий")  # fmt: skip


def _officials(rng: random.Random, n: int) -> list[dict[str, str]]:
    loaded = load_regions()
    regions = [r.key for r in loaded]
    bodies = [(b, "") for b in CENTRAL] + [
        (body % r.name("ru"), r.key) for r in loaded for body in REGIONAL
    ]
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
    drafts += [  # each host's head lists its route stations first (a remand centre's start at reception)
        Draft(actor=Actor(f"demo-head:{code}", f"role:head@{code} (demo)"),
              subject=f"programme:stations:{code}", type=projection.STATIONS_LISTED,
              payload={"on": (today - timedelta(days=390)).isoformat(), "institution": code,
                       "stations": list(ROUTE)})
        for code, _region in hosts
    ]  # fmt: skip
    per_visit = 10
    n_visits = max(1, attendances // per_visit)
    region_names = {r.key: r.name("ru") for r in load_regions()}
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
            [{"court": f"Специализированный межрайонный суд по уголовным делам ({region_names.get(region, region)})",
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
            "reason": rng.choice(("карантин", "ремонт на маршруте", "нет мест")) if refused else "",
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


#: The demo's monitoring observations (synthetic, in Russian as the commissions write their acts):
#: topic, text, and the assignment it becomes (responsible, due in days from today, answer or None).
OBSERVATIONS = (
    ("cells", "В камерах № 3 и № 7 не работает принудительная вентиляция, окна не открываются.",
     ("Начальник учреждения", -10, None)),
    ("food", "Меню соблюдается, пробу пищи члены комиссии сняли; раздаточная чистая.", None),
    ("medical", "В медицинской части нет стоматолога с сентября; очередь на приём 14 человек.",
     ("Медицинская часть учреждения", -30, "Стоматолог принят на работу 1 числа, очередь закрыта.")),
    ("complaints", "Получено 5 письменных обращений: о свиданиях (3) и о посылках (2); переданы "
     "в учреждение для ответа.", ("Начальник учреждения", 20, None)),
)  # fmt: skip


def plant_monitoring(*, today: date, data_dir: Path | None = None) -> dict[str, int]:
    """Three public councils' monitoring visits with their observations, a document each (kept in
    `data_dir`, by default the deployment's data folder), and assignments: one answered in time,
    one still open, one overdue (no answer after its due date)."""
    from django.conf import settings

    from adaldyq.law.amendments import store_document

    folder = Path(data_dir or settings.DATA_DIR)
    hosts = list(Institution.objects.order_by("code").values_list("code", "region_id")[:3])
    region_names = {r.key: r.name("ru") for r in load_regions()}
    council = Actor("demo-public-council", "role:public_council (demo)")
    drafts: list[Draft] = []
    made = {"monitoring_visits": 0, "monitoring_assignments": 0}
    for i, (code, region) in enumerate(hosts):
        visit, day = f"MV-DEMO{i + 1:03d}", today - timedelta(days=45 - 10 * i)
        act = (f"Акт посещения {code} от {day.isoformat()} (синтетический документ демо-версии)"
               ).encode()  # fmt: skip
        document = {"document": store_document(folder, act),
                    "name": f"akt-{code}.txt", "type": "text/plain"}  # fmt: skip
        observations = [
            {"topic": topic, "text": text, "documents": [document] if n == 0 else []}
            for n, (topic, text, _a) in enumerate(OBSERVATIONS)
        ]
        subject = f"monitoring:{visit}"
        drafts.append(Draft(actor=council, subject=subject, type=projection.MONITORING_RECORDED,
                            payload={
            "on": day.isoformat(), "visit": visit, "institution": code, "region": region,
            "day": day.isoformat(),
            "council": "Постоянная комиссия по противодействию коррупции общественного совета "
                       f"({region_names.get(region, region)})",
            "members": ["Демоева Айгуль", "Синтетов Ерлан"], "observations": observations,
        }))  # fmt: skip
        made["monitoring_visits"] += 1
        if i:
            continue  # the first visit's observations become assignments
        for n, (_topic, _text, assignment) in enumerate(OBSERVATIONS, start=1):
            if assignment is None:
                continue
            to, due_in, answer = assignment
            observation, due = f"{visit}-{n}", today + timedelta(days=due_in)
            common = {"visit": visit, "observation": observation, "institution": code}
            drafts.append(Draft(actor=council, subject=subject, type=projection.MONITORING_ASSIGNED,
                                payload={"on": (day + timedelta(days=1)).isoformat(), **common,
                                         "to": to, "due": due.isoformat()}))  # fmt: skip
            made["monitoring_assignments"] += 1
            if answer:
                head = Actor(f"demo-head:{code}", f"role:head@{code} (demo)")
                drafts.append(Draft(actor=head, subject=subject,
                                    type=projection.MONITORING_ANSWERED,
                                    payload={"on": (due - timedelta(days=2)).isoformat(), **common,
                                             "answer": answer}))  # fmt: skip
    with transaction.atomic(durable=True):
        ledger_port.append_projected(drafts, projection.project)
    return {**made, "entries": len(drafts)}


def plant_for(people: int, *, today: date, data_dir: Path | None = None) -> dict[str, int]:
    """The demo's programme, scaled down for a population smaller than the small demo's 3,000, and
    the public councils' monitoring visits."""
    made = plant(today=today, attendances=2500 if people >= 3000 else max(20, people // 2))
    monitoring = plant_monitoring(today=today, data_dir=data_dir)
    return {**made, **monitoring, "entries": made["entries"] + monitoring["entries"]}
