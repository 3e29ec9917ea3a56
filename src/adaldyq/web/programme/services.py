"""Writes of the programme. Each appends a ledger entry and projects it in one durable transaction.

visit_plan(...)         the Agency's territorial department plans a visit (`programme_visit_planned`)
visit_decide(...)       the host institution confirms or refuses the date (`programme_visit_decided`)
attendance_record(...)  an official attended (`programme_attendance_recorded`)
officials_import(...)   a list of officials in scope (`programme_officials_imported`)
stations_list(...)      the host institution's own route stations (`programme_route_stations_listed`)

Public councils' monitoring visits (ADR 0038):

monitoring_record(...)   a public council's visit with its observations and documents
observation_assign(...)  an observation becomes an assignment: responsible official/body, due date
assignment_answer(...)   the institution's answer to an assignment
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext

from adaldyq.core.errors import InputError
from adaldyq.core.regions import regions_by_key
from adaldyq.core.sheets import SheetError, read_sheet
from adaldyq.web.institutions.models import Institution
from adaldyq.web.programme import projection
from adaldyq.web.programme.models import (
    CONFIRMED,
    PLANNED,
    TOPICS,
    Answer,
    Attendance,
    MonitoringVisit,
    Observation,
    ProgrammeVisit,
    RouteStations,
)
from adaldyq.web.programme.selectors import CATEGORIES, official_key
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import Draft
from adaldyq.web.records.services import actor_of
from adaldyq.web.text import checked_name, checked_text

OFFICIALS_SUBJECT = "programme:officials"
MAX_IMPORT = 20_000
#: A route station's name and the list's length, at most.
MAX_STATION, MAX_STATIONS = 200, 40

V = TypeVar("V", ProgrammeVisit, MonitoringVisit)


def _record(who: Any, subject: str, kind: str, payload: dict[str, Any]) -> None:
    """Append one entry of `kind` about `subject`, written by `who`, and project it."""
    ledger_port.commit(
        [Draft(actor=actor_of(who), subject=subject, type=kind, payload=payload)],
        projection.project,
    )


#: A new visit's id and its entries' subject: a programme visit "PV-...", a monitoring one "MV-...".
_NEW_VISIT = {ProgrammeVisit: ("PV", "programme"), MonitoringVisit: ("MV", "monitoring")}


def _new_visit(
    who: Any, model: type[V], kind: str, *, on: date, place: Institution, day: date, **more: Any
) -> V:
    """Record a new visit of `model` to `place` on `day` (an entry of `kind` written on `on`, which
    says the visit's id, its institution's region and what `more` says) and read it back."""
    prefix, subject = _NEW_VISIT[model]
    visit = f"{prefix}-{secrets.token_hex(5).upper()}"
    payload = {"on": on.isoformat(), "visit": visit, "region": place.region_id,
               "day": day.isoformat(), **more}  # fmt: skip
    _record(who, f"{subject}:{visit}", kind, payload)
    return model.objects.get(id=visit)


def _record_checked(
    who: Any, row: ProgrammeVisit | Observation, kind: str, payload: Callable[[Any], dict[str, Any]]
) -> None:
    """A check-then-write on `row` (a visit, an observation): `payload` checks the row as it stands
    under its lock in the writing transaction and gives the entry's payload (issue 14)."""
    actor = actor_of(who)
    # a programme visit's entries are about the visit; an observation's, about its monitoring visit
    if isinstance(row, ProgrammeVisit):
        subject = f"programme:{row.id}"
    else:
        subject = f"monitoring:{row.visit_id}"

    def drafts(now: Any) -> list[Draft]:
        return [Draft(actor=actor, subject=subject, type=kind, payload=payload(now))]

    ledger_port.commit_locked(type(row), row.pk, drafts, projection.project)


def _today() -> date:
    return timezone.localdate()


def visit_plan(
    *,
    officer: Any,
    host: str,
    day: date,
    route: list[str],
    capacity: int,
    invited: list[str] | None = None,
    hearings: list[dict[str, str]] | None = None,
    on: date | None = None,
) -> ProgrammeVisit:
    """Plan a programme visit to `host` on `day`; it waits for the host institution's answer."""
    on = on or _today()
    place = Institution.objects.filter(code=host).first()
    if place is None:
        raise InputError(gettext("No institution with this code."))
    if day < on:
        raise InputError(gettext("A programme visit is planned for a day to come."))
    stations = _route(host, route)
    if capacity < 1:
        raise InputError(gettext("The capacity is at least one official."))
    invited = [i for i in dict.fromkeys(invited or []) if i]
    if len(invited) > capacity:
        raise InputError(gettext("More officials are invited than the visit can take."))
    for h in hearings or []:
        if not h.get("court") or not h.get("case"):
            raise InputError(gettext("A court hearing needs the court and the case number."))
    return _new_visit(
        officer, ProgrammeVisit, projection.VISIT_PLANNED, on=on, place=place, day=day,
        host=host, route=stations, capacity=capacity, invited=invited, hearings=list(hearings or []),
    )  # fmt: skip


def _route(host: str, chosen: list[str]) -> list[str]:
    """The stations chosen for a visit, in the order of the host's own list; every one from it."""
    listed = RouteStations.objects.filter(institution=host).first()
    if listed is None:
        raise InputError(
            gettext(
                "The host institution has not listed its route stations yet; its head lists them."
            )
        )
    wanted = {s.strip() for s in chosen if s.strip()}
    if not wanted:
        raise InputError(gettext("Name at least one station of the route."))
    unknown = sorted(wanted - set(listed.stations))
    if unknown:
        raise InputError(
            gettext("Not a station of the host institution's list: %(value)s")
            % {"value": unknown[0]}
        )
    return [s for s in listed.stations if s in wanted]


def stations_list(
    *, officer: Any, host: str, stations: list[str], on: date | None = None
) -> RouteStations:
    """The host institution's own list of route stations, in order; it replaces the previous list
    (visits already planned keep the route they were planned with)."""
    if not Institution.objects.filter(code=host).exists():
        raise InputError(gettext("No institution with this code."))
    clean = list(dict.fromkeys(checked_text(s) for s in stations if s.strip()))
    if not clean:
        raise InputError(gettext("Name at least one station of the route."))
    if len(clean) > MAX_STATIONS or any(len(s) > MAX_STATION for s in clean):
        raise InputError(
            gettext("At most %(n)s stations of at most %(chars)s characters each.")
            % {"n": MAX_STATIONS, "chars": MAX_STATION}
        )
    payload = {"on": (on or _today()).isoformat(), "institution": host, "stations": clean}
    ledger_port.commit(
        [
            Draft(
                actor=actor_of(officer),
                subject=f"programme:stations:{host}",
                type=projection.STATIONS_LISTED,
                payload=payload,
            )
        ],
        projection.project,
    )
    return RouteStations.objects.get(institution=host)


def visit_decide(
    *,
    officer: Any,
    visit: ProgrammeVisit,
    confirmed: bool,
    reason: str = "",
    on: date | None = None,
) -> ProgrammeVisit:
    """The host institution confirms the date or refuses it with a reason."""
    reason = reason.strip()
    if not confirmed and not reason:
        raise InputError(gettext("Say why the date is refused."))

    def decided(now: ProgrammeVisit) -> dict[str, Any]:
        if now.status != PLANNED:
            raise InputError(gettext("The host institution has already answered."))
        on_ = (on or _today()).isoformat()
        return {"on": on_, "visit": now.id, "confirmed": confirmed, "reason": reason}

    _record_checked(officer, visit, projection.VISIT_DECIDED, decided)
    visit.refresh_from_db()
    return visit


def _official_row(row: dict[str, str]) -> dict[str, str]:
    """One official's fields, stripped and checked; InputError says what is wrong."""
    # one name is one text (adaldyq.core.text): NFKC, no bidi or zero-width characters
    clean = {
        k: checked_text(str(row.get(k, "") or ""), required=False) for k in ("body", "position")
    }
    clean["name"] = checked_name(str(row.get("name", "") or ""), required=False)
    clean["category"] = str(row.get("category", "") or "").strip()
    clean["region"] = str(row.get("region", "") or "").strip()
    if not clean["name"] or not clean["body"]:
        raise InputError(gettext("The official's name and body are required."))
    if clean["category"] not in CATEGORIES:
        raise InputError(
            gettext("Unknown category of official: %(value)s") % {"value": clean["category"]}
        )
    if clean["region"] not in regions_by_key():
        raise InputError(gettext("Unknown region: %(value)s") % {"value": clean["region"]})
    clean["official"] = official_key(clean["name"], clean["body"])
    return clean


def attendance_record(
    *, officer: Any, visit: ProgrammeVisit, official: dict[str, str], on: date | None = None
) -> Attendance:
    """Record that an official attended a confirmed visit, on or after its day."""
    on = on or _today()
    row = _official_row(official)

    def attended(now: ProgrammeVisit) -> dict[str, Any]:  # under the visit's lock: its capacity
        if now.status != CONFIRMED:
            raise InputError(
                gettext("Attendance is recorded at a visit the host institution confirmed.")
            )
        if now.day > on:
            raise InputError(gettext("Attendance is recorded on the day of the visit or after it."))
        here = Attendance.objects.filter(visit=now)
        if here.filter(official=row["official"]).exists():
            raise InputError(gettext("This official's attendance is already recorded."))
        if here.count() >= now.capacity:
            raise InputError(gettext("The visit's capacity is reached."))
        return {"on": on.isoformat(), "visit": now.id, **row}

    _record_checked(officer, visit, projection.ATTENDANCE_RECORDED, attended)
    return Attendance.objects.get(visit=visit, official=row["official"])


def answer_record(
    *, officer: Any, visit: ProgrammeVisit, useful: int, recommend: bool, on: date | None = None
) -> None:
    """Enter one anonymous questionnaire of a visit (from the forms the attendees handed in): the
    entry names no official; a visit takes no more questionnaires than it had attendees."""
    if not 1 <= int(useful) <= 5:
        raise InputError(gettext("The answer is on a scale of 1 to 5."))

    def answered(now: ProgrammeVisit) -> dict[str, Any]:  # under the visit's lock: the count
        if now.status != CONFIRMED or now.day > (on or _today()):
            raise InputError(gettext("Questionnaires are entered after a visit that took place."))
        if Answer.objects.filter(visit=now).count() >= Attendance.objects.filter(visit=now).count():
            raise InputError(gettext("This visit has as many questionnaires as attendees."))
        return {"on": (on or _today()).isoformat(), "visit": now.id, "useful": int(useful),
                "recommend": bool(recommend)}  # fmt: skip

    _record_checked(officer, visit, projection.ANSWERED, answered)


@dataclass(frozen=True)
class BadRow:
    line: int
    problem: str


class ImportRefusedError(InputError):
    """A list with bad rows: nothing is imported; `.bad` names every one."""

    def __init__(self, bad: list[BadRow]) -> None:
        self.bad = bad
        super().__init__("; ".join(f"line {b.line}: {b.problem}" for b in bad[:20]))

    def diagnostics(self) -> str:
        return gettext("%(n)s rows are wrong; nothing was imported.") % {"n": len(self.bad)}


FIELDS = ("name", "body", "position", "category", "region")
#: The headings a personnel registry's list may use for each field (kk, ru; any case).
HEADINGS = {
    "name": ("ФИО", "Ф.И.О.", "Аты-жөні", "Тегі, аты, әкесінің аты"),
    "body": ("Орган", "Государственный орган", "Мемлекеттік орган"),
    "position": ("Должность", "Лауазымы", "Лауазым"),
    "category": ("Категория", "Санаты", "Санат"),
    "region": ("Регион", "Область", "Өңір", "Облыс"),
}


def sheet_refusal(exc: SheetError) -> str:
    """What a page says of a file that is not a table (`adaldyq.core.sheets`), in its language."""
    return {
        "encoding": gettext("The file is neither UTF-8 text nor an Excel workbook (.xlsx)."),
        "workbook": gettext("The Excel workbook cannot be read."),
        "header": gettext("The file has no header row."),
        "too_long": gettext("The list is too long."),
    }.get(exc.code, exc.diagnostics())


def parse_officials(source: str | bytes) -> list[dict[str, str]]:
    """The rows of a list of officials: CSV (UTF-8, comma or semicolon) or an XLSX workbook, with the
    columns name, body, position, category, region (or their kk/ru headings, `HEADINGS`).

    Every bad row is named by its line (ImportRefusedError) and then nothing is imported.
    """
    try:
        sheet = read_sheet(source.encode("utf-8") if isinstance(source, str) else source)
    except SheetError as exc:
        raise ImportRefusedError([BadRow(1, sheet_refusal(exc))]) from None
    missing, sheet = sheet.keyed(HEADINGS)
    if missing:
        raise ImportRefusedError(
            [BadRow(1, gettext("Missing columns: %(names)s") % {"names": ", ".join(missing)})]
        )
    rows: list[dict[str, str]] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    for line, cells in sheet.rows:
        try:
            row = _official_row(cells)
        except InputError as exc:
            bad.append(BadRow(line, str(exc)))
            continue
        if row["official"] in seen:
            bad.append(
                BadRow(
                    line,
                    gettext("The same official as on line %(n)s.") % {"n": seen[row["official"]]},
                )
            )
            continue
        seen[row["official"]] = line
        rows.append(row)
    if len(rows) + len(bad) > MAX_IMPORT:
        bad.append(BadRow(MAX_IMPORT + 1, gettext("The list is too long.")))
    if bad:
        raise ImportRefusedError(bad)
    if not rows:
        raise ImportRefusedError([BadRow(1, gettext("The list holds no officials."))])
    return rows


#: Bytes of rows in one entry at most: an entry bundle holds an entry of up to 65,535 bytes
#: (`adaldyq.ledger.tiles`); rows measured with every non-ASCII character escaped, an upper bound.
ENTRY_BUDGET = 40_000


def _chunks(rows: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    chunks: list[list[dict[str, str]]] = [[]]
    size = 0
    for row in rows:
        n = len(json.dumps(row, ensure_ascii=True)) + 2
        if chunks[-1] and size + n > ENTRY_BUDGET:
            chunks.append([])
            size = 0
        chunks[-1].append(row)
        size += n
    return chunks


def officials_import(*, officer: Any, text: str | bytes, on: date | None = None) -> int:
    """Import a list of officials in scope (CSV text, or a file's bytes: CSV or XLSX): every row or
    none (one transaction; an entry per chunk of rows that fits an entry bundle)."""
    rows = parse_officials(text)
    actor = actor_of(officer)
    day = (on or _today()).isoformat()
    ledger_port.commit(
        [
            Draft(
                actor=actor,
                subject=OFFICIALS_SUBJECT,
                type=projection.OFFICIALS_IMPORTED,
                payload={"on": day, "officials": chunk},
            )
            for chunk in _chunks(rows)
        ],
        projection.project,
    )
    return len(rows)


# ---- public councils' monitoring visits (issue 20, ADR 0038) ------------------------------------

#: An observation's text at most (an entry bundle holds 65,535 bytes; five topics of Cyrillic text).
MAX_OBSERVATION = 2000
#: A photograph or document attached to an observation at most (kept in the data folder by hash).
MAX_DOCUMENT = 10 * 1024 * 1024
MAX_DOCUMENTS = 10


@dataclass(frozen=True)
class Upload:
    """A photograph or document attached to an observation: its name, content type and bytes."""

    name: str
    type: str
    content: bytes


def _paragraphs(text: str) -> str:
    """A longer text (an observation, an answer): each line checked and folded, paragraphs kept."""
    lines = [checked_text(line, required=False) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _store(upload: Upload) -> dict[str, str]:
    from pathlib import Path

    from django.conf import settings

    from adaldyq.law.amendments import store_document

    if not upload.content:
        raise InputError(gettext("The attached file is empty."))
    if len(upload.content) > MAX_DOCUMENT:
        raise InputError(gettext("An attached file is at most 10 MB."))
    name = checked_text(upload.name, required=False)[:200] or "document"
    stored = store_document(Path(settings.DATA_DIR), upload.content)
    return {"document": stored, "name": name, "type": upload.type[:100]}


def monitoring_record(
    *,
    member: Any,
    institution: str,
    day: date,
    council: str,
    members: list[str],
    observations: list[tuple[str, str, list[Upload]]],
    repeats: dict[str, str] | None = None,
    on: date | None = None,
) -> MonitoringVisit:
    """Record a public council's monitoring visit to `institution` on `day`: who visited and what
    they observed per topic, each observation with its photographs or documents (stored by hash);
    `repeats` maps a topic to the earlier observation (of an earlier visit to the same institution)
    its observation finds again: a finding for oversight."""
    on = on or _today()
    place = Institution.objects.filter(code=institution).first()
    if place is None:
        raise InputError(gettext("No institution with this code."))
    if day > on:
        raise InputError(gettext("A monitoring visit is recorded on its day or after it."))
    council = checked_text(council, required=False)
    names = [checked_name(m, required=False) for m in members]
    names = [m for m in dict.fromkeys(names) if m]
    if not council or not names:
        raise InputError(gettext("Name the public council and at least one member who visited."))
    found: list[dict[str, Any]] = []
    uploads = sum(len(files) for _t, _x, files in observations)
    if uploads > MAX_DOCUMENTS:
        raise InputError(gettext("At most 10 files are attached to one visit."))
    for topic, text, files in observations:
        if topic not in TOPICS:
            raise InputError(gettext("Unknown topic: %(value)s") % {"value": topic})
        text = _paragraphs(text)
        if not text:
            continue
        if len(text) > MAX_OBSERVATION:
            raise InputError(gettext("An observation is at most 2,000 characters."))
        row: dict[str, Any] = {"topic": topic, "text": text}
        earlier = (repeats or {}).get(topic, "").strip()
        if earlier:
            before = Observation.objects.filter(
                id=earlier, visit__institution=institution, visit__day__lt=day
            ).first()
            if before is None:
                raise InputError(
                    gettext("No earlier observation %(value)s of a visit to this institution.")
                    % {"value": earlier}
                )
            row["repeats"] = before.id
        row["documents"] = [_store(f) for f in files]
        found.append(row)
    if not found:
        raise InputError(gettext("Write at least one observation."))
    return _new_visit(
        member, MonitoringVisit, projection.MONITORING_RECORDED, on=on, place=place, day=day,
        institution=institution, council=council, members=names, observations=found,
    )  # fmt: skip


def observation_assign(
    *, member: Any, observation: Observation, to: str, due: date, on: date | None = None
) -> Observation:
    """Make an observation an assignment to the responsible official or body, due on `due`."""
    on = on or _today()
    to = checked_text(to, required=False)
    if not to:
        raise InputError(gettext("Name the responsible official or body."))
    if due <= on:
        raise InputError(gettext("The due date is a day to come."))

    def assigned(now: Observation) -> dict[str, Any]:
        if now.assigned_seq is not None:
            raise InputError(gettext("This observation is already assigned."))
        visit = now.visit
        return {"on": on.isoformat(), "visit": visit.id, "observation": now.id,
                "institution": visit.institution, "to": to, "due": due.isoformat()}  # fmt: skip

    _record_checked(member, observation, projection.MONITORING_ASSIGNED, assigned)
    observation.refresh_from_db()
    return observation


def assignment_answer(
    *, officer: Any, observation: Observation, answer: str, on: date | None = None
) -> Observation:
    """The institution's answer to an assignment (late if after its due date: a finding)."""
    on = on or _today()
    answer = _paragraphs(answer)
    if not answer:
        raise InputError(gettext("Write the answer."))
    if len(answer) > MAX_OBSERVATION:
        raise InputError(gettext("An answer is at most 2,000 characters."))

    def answered(now: Observation) -> dict[str, Any]:
        if now.assigned_seq is None:
            raise InputError(gettext("Only an assigned observation is answered."))
        if now.answered_seq is not None:
            raise InputError(gettext("This assignment is already answered."))
        visit = now.visit
        return {"on": on.isoformat(), "visit": visit.id, "observation": now.id,
                "institution": visit.institution, "answer": answer}  # fmt: skip

    _record_checked(officer, observation, projection.MONITORING_ANSWERED, answered)
    observation.refresh_from_db()
    return observation
