"""Writes of the paper import (issue 23, ADR 0040).

paper_import(...)   a filled template and the scans of its pages: checked row by row, then every
                    row or none written in one durable transaction (or, `dry_run`, only reported)
page_settle(...)    a head settles the differences of two readings of a page: the settlement is an
                    entry, and each reading the head takes from the second officer a correction

A page read for the first time is written into the files: each fact is an entry of its kind whose
`paper` (`files.ENTRY_META`) names the batch, the paper file, the page and the scan's hash; the
officer who uploads is the entry's actor (who transcribed, and when: the entry's time). A page read
a second time, by another officer, is not written again: it is compared with the first reading and
the comparison is an entry (`paper_page_checked`) that keeps the second reading.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from adaldyq import files
from adaldyq.core.errors import AdaldyqError, InputError
from adaldyq.files.paper import ADMISSION, PaperRow, Refusal, compare, read_batch, read_table
from adaldyq.web.institutions.models import Institution
from adaldyq.web.paper import projection
from adaldyq.web.paper.models import DISPUTED, SINGLE, PaperPage, PaperSource
from adaldyq.web.records import ledger_port
from adaldyq.web.records import projection as records_projection
from adaldyq.web.records.entry_rules import entry_lateness
from adaldyq.web.records.ledger_port import Actor, Draft, Entry
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.selectors import institution_type_of, law_pack
from adaldyq.web.records.services import actor_of, file_commit
from adaldyq.web.rows import lock

__all__ = ["Report", "Upload", "page_settle", "paper_import"]

#: A scan at most (a photographed page), and the scans of one batch at most.
MAX_SCAN = 10 * 1024 * 1024
MAX_SCANS = 10_000
#: Entries appended and projected per step of the import (the progress bar moves per step).
CHUNK = 20_000
#: The rows a report lists of what was (or would be) written.
PREVIEW = 200


@dataclass(frozen=True)
class Upload:
    """A scan uploaded with the batch: its file name (as the rows name it), type and bytes."""

    name: str
    type: str
    content: bytes


@dataclass
class Report:
    """What an import did, or (a dry run, or refused rows) would do."""

    batch: str
    rows: int = 0
    refused: list[Refusal] = field(default_factory=list)
    people: int = 0
    facts: int = 0
    pages: int = 0
    checked: int = 0
    agreed: int = 0
    disputed: int = 0
    entries: int = 0
    written: bool = False
    #: The first rows as they are (or would be) written: line, number, kind, on, what.
    preview: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report for `--format json` and the page."""
        return {
            "batch": self.batch, "rows": self.rows, "written": self.written,
            "people": self.people, "facts": self.facts, "pages": self.pages,
            "checked": self.checked, "agreed": self.agreed, "disputed": self.disputed,
            "entries": self.entries,
            "refused": [{"line": r.line, "column": r.column, "problem": r.problem}
                        for r in self.refused],
        }  # fmt: skip


class _Plan:
    """The entries a batch makes, gathered while its rows are checked against the files."""

    def __init__(self, actor: Actor, batch: str, scans: dict[str, str]) -> None:
        self.actor, self.batch, self.scans = actor, batch, scans
        self.refused: list[Refusal] = []
        self.admissions: dict[str, PaperRow] = {}
        self.facts: dict[str, list[PaperRow]] = defaultdict(list)
        self.late: dict[int, dict[str, str]] = {}  # line -> the late reason ADR 0033 asks for
        self.checks: list[Draft] = []
        self.pages: set[tuple[str, str, int]] = set()
        self.agreed = self.disputed = 0
        self._meta: dict[tuple[str, int, str], dict[str, Any]] = {}

    def refuse(self, row: PaperRow, column: str, problem: str) -> None:
        self.refused.append(Refusal(row.line, column, problem))

    def meta(self, row: PaperRow) -> dict[str, Any]:
        """The `paper` of a row's entry: one mapping per page, shared by its rows' drafts."""
        key = (row.paper_file, row.page, row.scan)
        found = self._meta.get(key)
        if found is None:
            found = self._meta[key] = {"batch": self.batch, "file": row.paper_file,
                                       "page": row.page, "scan": self.scans[row.scan]}  # fmt: skip
        return found


def _digest(content: bytes) -> str:
    return f"sha256:{hashlib.sha256(content).hexdigest()}"


def _chunks(values: Sequence[Any], n: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), n):
        yield values[i : i + n]


def paper_import(
    *,
    actor: Actor,
    name: str,
    content: bytes,
    scans: Sequence[Upload],
    dry_run: bool = False,
    institution: str | None = None,
    may_record: Callable[[Person], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import a filled template (CSV or XLSX) with the scans its rows name: every row or none.

    `institution`: files opened by the batch must be in it (an institution's officer imports into
    their own); `may_record`: the existing files the officer may add to (None: any, the command
    line). `progress(done, total)` is called as entries are written. Raises `InputError` for a file
    that is not a template; a refused row is in the report, and then nothing is written."""
    names = [s.name for s in scans]
    if len(set(names)) != len(names):
        raise InputError(gettext("Two scans of the batch have the same file name."))
    if len(scans) > MAX_SCANS:
        raise InputError(gettext("A batch has at most 10,000 scans; split it."))
    for s in scans:
        if not s.content or len(s.content) > MAX_SCAN:
            raise InputError(
                gettext("The scan %(name)s is empty or larger than 10 MB.") % {"name": s.name}
            )
    batch = read_batch(read_table(name, content), scans=names)
    report = Report(batch=uuid.uuid4().hex[:16], rows=len(batch.rows) + len(batch.refused))
    hashes = {s.name: _digest(s.content) for s in scans}
    plan = _Plan(actor, report.batch, hashes)
    plan.refused.extend(batch.refused)
    with transaction.atomic(durable=True):
        people = _plan_rows(plan, batch.pages(), institution, may_record)
        report.refused = sorted(plan.refused, key=lambda r: (r.line, r.column))
        report.people = len(plan.admissions)
        report.facts = sum(len(v) for v in plan.facts.values())
        report.pages, report.checked = len(plan.pages), len(plan.checks)
        report.agreed, report.disputed = plan.agreed, plan.disputed
        report.preview = _preview(plan)
        if report.refused or dry_run:
            return report
        data = Path(settings.DATA_DIR)
        from adaldyq.law.amendments import store_document

        stored = [
            {"document": store_document(data, s.content), "name": s.name[:200],
             "type": s.type[:100]}
            for s in scans
        ]  # fmt: skip
        drafts = _drafts(plan, people, name, len(batch.rows), stored)
        report.entries = _append(drafts, plan, progress)
        report.written = True
    return report


def _plan_rows(
    plan: _Plan,
    pages: dict[tuple[str, str, int], list[PaperRow]],
    institution: str | None,
    may_record: Callable[[Person], bool] | None,
) -> dict[str, Person]:
    """Check every page's rows against the files the ledger holds; gather what to write."""
    numbers = sorted({key[0] for key in pages})
    existing: dict[str, Person] = {}
    for part in _chunks(numbers):
        qs = Person.objects.select_for_update(of=("self",)).filter(number__in=part)
        existing.update((p.number, p) for p in qs.select_related("institution"))
    known: dict[tuple[str, str, int], PaperPage] = {}
    ids = [p.pk for p in existing.values()]
    for part in _chunks(ids):
        for pg in PaperPage.objects.filter(person_id__in=part):
            known[(pg.person_id, pg.paper_file, pg.page)] = pg
    for (number, file, page), rows in pages.items():
        person = existing.get(number)
        seen = known.get((person.pk, file, page)) if person is not None else None
        if seen is not None:
            _second_reading(plan, person, seen, rows)  # type: ignore[arg-type]
            continue
        plan.pages.add((number, file, page))
        for r in rows:
            if r.kind != ADMISSION:
                plan.facts[number].append(r)
            elif person is not None:
                plan.refuse(r, "number", gettext("a personal file with this number exists"))
            elif number in plan.admissions:
                plan.refuse(r, "kind", gettext("the file is opened twice in this batch (line %(line)s)")
                            % {"line": plan.admissions[number].line})  # fmt: skip
            elif (
                institution is not None and r.payload.get("institution", institution) != institution
            ):
                plan.refuse(r, "institution", gettext("you import into %(code)s only")
                            % {"code": institution})  # fmt: skip
            else:
                if institution is not None:
                    r.payload["institution"] = institution
                plan.admissions[number] = r
    _check_files(plan, existing, may_record)
    return existing


def _second_reading(plan: _Plan, person: Person, page: PaperPage, rows: list[PaperRow]) -> None:
    """A page read before: compared with the first reading, if another officer reads it now."""
    if page.status != SINGLE:
        for r in rows:
            plan.refuse(r, "page", gettext("this page was already read twice"))
        return
    if page.first_by == plan.actor.id:
        for r in rows:
            plan.refuse(r, "page", gettext(
                "you read this page first; the second reading is another officer's"))  # fmt: skip
        return
    sources = PaperSource.objects.filter(
        person_id=person.pk, paper_file=page.paper_file, page=page.page
    ).exclude(kind=records_projection.PERSON_ADMITTED)
    standing = Fact.objects.filter(
        seq__in=[s.seq for s in sources], superseded_by__isnull=True, void=False
    ).order_by("seq")
    first = [
        PaperRow(0, person.number, page.paper_file, page.page, "", f.kind, f.on,
                 {"on": f.on.isoformat(), **f.data})
        for f in standing
    ]  # fmt: skip
    second = [r for r in rows if r.kind != ADMISSION]  # the admission is not compared (ADR 0040)
    found = compare(first, second)
    plan.checks.append(
        Draft(
            actor=plan.actor,
            subject=person.pk,
            type=projection.PAGE_CHECKED,
            payload={
                "batch": plan.batch, "file": page.paper_file, "page": page.page,
                "scan": plan.scans[rows[0].scan],
                "first": [f.seq for f in standing],
                "second": [{"kind": r.kind, "payload": r.payload, "line": r.line} for r in second],
                "differences": [
                    {"first": None if d.first is None else standing[d.first].seq,
                     "second": d.second}
                    for d in found
                ],
            },
        )
    )  # fmt: skip
    if found:
        plan.disputed += 1
    else:
        plan.agreed += 1


def _check_files(
    plan: _Plan, existing: dict[str, Person], may_record: Callable[[Person], bool] | None
) -> None:
    """Each file with its new facts, as the law engine reads it today; the lateness rules of ADR
    0033 for the files opened before."""
    today = timezone.localdate()
    law = law_pack()
    types = dict(Institution.objects.values_list("code", "type"))
    for number in sorted(set(plan.facts) | set(plan.admissions)):
        rows = plan.facts.get(number, [])
        person = existing.get(number)
        admission = plan.admissions.get(number)
        if person is None and admission is None:
            for r in rows:
                plan.refuse(r, "number", gettext(
                    "no personal file %(number)s: open it with a row of the kind admission")
                    % {"number": number})  # fmt: skip
            continue
        if person is not None and may_record is not None and not may_record(person):
            for r in rows:
                plan.refuse(r, "number", gettext("the file %(number)s is outside your scope")
                            % {"number": number})  # fmt: skip
            continue
        if person is not None:  # a file opened before: the lateness rules, then its entries
            late = _lateness(plan, person, rows, today)
            if late:
                continue
            pf = ledger_port.file_of(person.pk)
            kind = institution_type_of(person)
        elif admission is not None:
            pf = files.PersonalFile.fold(number, [(0, files.PERSON_ADMITTED, {
                "payload": dict(admission.payload), "actor": {"id": "", "authority": ""},
                "corrects": None, "recorded_at": ""})])  # fmt: skip
            code = str(admission.payload.get("institution") or "")
            kind = types.get(code) or str(admission.payload.get("sentence_type") or "medium")
        new = [r.fact for r in rows if r.fact is not None]
        whole = files.PersonalFile(
            pf.person, pf.admission,
            tuple(sorted((*pf.facts, *new), key=lambda f: (f.on, f.seq if f.seq >= 0 else 1 << 62))),
            pf.corrections, pf.entries,
        )  # fmt: skip
        try:
            whole.check(law=law, on=today, institution_type=kind)
        except AdaldyqError as exc:
            why = gettext("the law engine refuses the file %(number)s with these facts: %(why)s") % {
                "number": number, "why": exc.diagnostics()}  # fmt: skip
            for r in [*([admission] if admission else []), *rows]:
                plan.refuse(r, "", why)


def _lateness(plan: _Plan, person: Person, rows: list[PaperRow], today: date) -> bool:
    """ADR 0033 on an existing file: a fact long past its day carries the paper as its reason; one
    the head would have to confirm is refused (the file's form proposes it). True: a row refused."""
    refused = False
    for r in rows:
        need = entry_lateness(person=person, kind=r.kind, on=r.on, today=today)
        if need == "head":
            refused = True
            plan.refuse(r, "on", gettext(
                "dated %(days)s days ago in a file opened before: the head of the institution must "
                "confirm it, so record it with the file's form, which proposes it")
                % {"days": (today - r.on).days})  # fmt: skip
        elif need == "reason":
            plan.late[r.line] = {
                "code": "paper_file",
                "reason": f"paper file {r.paper_file}, page {r.page}",
            }
    return refused


def _drafts(
    plan: _Plan, people: dict[str, Person], name: str, rows: int, stored: list[dict[str, str]]
) -> list[Draft]:
    actor = plan.actor
    out = [Draft(actor=actor, subject=f"paper:{plan.batch}", type=projection.BATCH_IMPORTED,
                 payload={"batch": plan.batch, "name": name[:200], "rows": rows,
                          "scans": stored})]  # fmt: skip
    ids: dict[str, str] = {number: p.pk for number, p in people.items()}
    for number, r in plan.admissions.items():
        ids[number] = f"p-{uuid.uuid4().hex[:12]}"
        out.append(Draft(actor=actor, subject=ids[number], type=files.PERSON_ADMITTED,
                         payload={**r.payload, "paper": plan.meta(r)}))  # fmt: skip
    for number, facts in plan.facts.items():
        subject = ids[number]
        for r in facts:
            payload = {**r.payload, "paper": plan.meta(r)}
            if r.line in plan.late:
                payload["late"] = plan.late[r.line]
            out.append(Draft(actor=actor, subject=subject, type=r.kind, payload=payload))
    out.extend(plan.checks)
    return out


def _append(drafts: list[Draft], plan: _Plan, progress: Callable[[int, int], None] | None) -> int:
    """Append and project the drafts in chunks, inside the caller's durable transaction."""
    records = records_projection.BatchProjector()
    paper = projection.BulkProjector()
    done = 0
    if progress is not None:
        progress(0, len(drafts))
    with connection.cursor() as cursor:
        for start in range(0, len(drafts), CHUNK):
            entries: list[Entry] = ledger_port.append_many(cursor, drafts[start : start + CHUNK])
            records.add(entries)
            paper.add(entries)
            done += len(entries)
            if progress is not None:
                progress(done, len(drafts))
    records.finish()
    paper.finish()
    return done


def _preview(plan: _Plan) -> list[dict[str, Any]]:
    rows = [*plan.admissions.values(), *(r for v in plan.facts.values() for r in v)]
    rows.sort(key=lambda r: r.line)
    return [
        {"line": r.line, "number": r.number, "kind": r.kind, "on": r.on,
         "paper_file": r.paper_file, "page": r.page,
         "what": ", ".join(f"{k}={v}" for k, v in r.payload.items() if k not in ("on", "sentence"))}
        for r in rows[:PREVIEW]
    ]  # fmt: skip


def page_settle(*, head: Any, page: PaperPage, choices: Sequence[str], reason: str) -> PaperPage:
    """A head settles a disputed page: for each difference, the first or the second reading. The
    settlement is an entry; each second reading taken is a correction of the first (or a fact
    recorded, or withdrawn), checked by the law engine, in the same durable transaction."""

    actor = actor_of(head)
    if not reason.strip():
        raise InputError(gettext("a settlement needs a reason"))
    if len(choices) != len(page.differences) or any(c not in ("first", "second") for c in choices):
        raise InputError(gettext("choose the first or the second reading for every difference"))
    if actor.id in (page.first_by, page.second_by):
        raise InputError(gettext("one who read the page cannot settle it: another head does"))
    person = Person.objects.select_related("institution").get(pk=page.person_id)
    law: dict[str, Any] = {"law": law_pack(), "on": timezone.localdate(),
                           "institution_type": institution_type_of(person)}  # fmt: skip
    meta = {"batch": f"settle-{page.check_seq}", "file": page.paper_file, "page": page.page,
            "scan": page.second_scan or page.scan, "settles": page.check_seq}  # fmt: skip

    def settle() -> list[Draft]:
        lock(Person, person.pk)
        if PaperPage.objects.filter(pk=page.pk, status=DISPUTED).count() != 1:
            raise InputError(gettext("this page was already settled"))
        pf = ledger_port.file_of(person.pk)
        drafts = [Draft(actor=actor, subject=person.pk, type=projection.PAGE_SETTLED,
                        payload={"check": page.check_seq, "file": page.paper_file,
                                 "page": page.page, "choices": list(choices),
                                 "reason": reason.strip()})]  # fmt: skip
        for d, choice in zip(page.differences, choices, strict=True):
            if choice == "first":
                continue
            first, second = d.get("first"), d.get("second")
            new = None
            if second is not None:
                payload = dict(second["payload"])
                day = date.fromisoformat(payload["on"])
                new = files.parse_fact(second["kind"], dict(payload), on=day)
            if first is not None:
                original = pf.standing(int(first))
                if original is None:
                    raise InputError(gettext("entry %(seq)s was corrected meanwhile; read the "
                                             "page again") % {"seq": first})  # fmt: skip
                pf = pf.correct(int(first), new, reason=reason.strip(), **law)
                drafts.append(Draft(
                    actor=actor, subject=person.pk,
                    type=files.FACT_VOIDED if new is None else new.type,
                    payload={"on": original.on.isoformat(), "paper": meta} if new is None
                    else {**second["payload"], "paper": meta},
                    corrects=int(first), reason=reason.strip(),
                ))  # fmt: skip
            elif new is not None:
                pf = pf.record(new, **law)
                drafts.append(Draft(actor=actor, subject=person.pk, type=new.type,
                                    payload={**second["payload"], "paper": meta}))  # fmt: skip
        return drafts

    file_commit(settle, projection.project)
    return PaperPage.objects.get(pk=page.pk)
