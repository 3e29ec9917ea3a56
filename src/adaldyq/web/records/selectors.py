"""Reads of the personal file, and the law engine's answer for it."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Self

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation

from adaldyq import files
from adaldyq.core.errors import AdaldyqError
from adaldyq.core.person import Person as CorePerson
from adaldyq.core.person import Sentence
from adaldyq.law import LawPack, Result, evaluate
from adaldyq.law.amendments import Book, subject_of
from adaldyq.ledger.sql import read_entries_by_subject, table_exists
from adaldyq.web.accounts.scope import people_visible_to
from adaldyq.web.institutions.models import Institution

try:
    from adaldyq.law.explain import render_lines  # type: ignore[attr-defined]
except ImportError:  # the engine keeps the plain-language lines in law.messages
    from adaldyq.law.messages import render_lines
from adaldyq.law.messages import CONDITION_NAMES
from adaldyq.web.records.explanation import Explanation, explanation
from adaldyq.web.records.models import Fact, Person, Proposal
from adaldyq.web.records.projection import FACT_TYPES

#: SQLite's trigram index of `Person.search_text` (records migration 0003).
SEARCH_INDEX = "records_person_search"

#: A qualification that has waited longer than this for a decision is flagged (issue 4).
WAITING_DAYS_FLAGGED = 30


@functools.cache
def shipped_law_pack() -> LawPack:
    """The shipped law pack, loaded once per process; ADALDYQ_LAW_OVERLAY=demo adds the demo's figures."""
    overlay = os.environ.get("ADALDYQ_LAW_OVERLAY") or None
    return LawPack.load(overlay=overlay) if overlay else LawPack.load()


class _LawInForce:
    """`law_pack()`: the pack in force, the shipped pack plus the amendments approved in the ledger
    (ADR 0026). One indexed look-up a call (the pack's last amendment entry); the pack is rebuilt only
    when an amendment entry was added since, in this process or another."""

    def __init__(self) -> None:
        self._cached: tuple[int, LawPack] | None = None

    def cache_clear(self) -> None:
        """Forget the packs (tests that change ADALDYQ_LAW_OVERLAY)."""
        shipped_law_pack.cache_clear()
        self._cached = None

    def __call__(self) -> LawPack:
        base = shipped_law_pack()
        subject = subject_of(base)
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(seq) FROM ledger_entries WHERE subject = %s", [subject])
            row = cursor.fetchone()
            last = row[0] if row else None
            if last is None:
                return base
            cached = self._cached
            if cached is not None and cached[0] == last and cached[1].id == base.id:
                return cached[1]
            entries = read_entries_by_subject(cursor, subject)
        law = Book.from_entries(entries, base).in_force(base)
        self._cached = (last, law)
        return law


law_pack = _LawInForce()


def law_pack_at(seq: int) -> LawPack:
    """The pack in force when ledger entry `seq` was recorded: the shipped pack plus the amendments
    approved before it. Re-running a past decision uses the law it was computed under (ADR 0026)."""
    current = law_pack()
    base = shipped_law_pack()
    if current is base:
        return base
    with connection.cursor() as cursor:
        entries = read_entries_by_subject(cursor, subject_of(base))
    return Book.from_entries(entries, base).in_force(base, upto=seq - 1)


def person_search(*, user: Any, q: str = "", institution_id: int | None = None) -> QuerySet[Person]:
    """People in the user's scope whose name or number matches `q`, optionally in one institution.

    Each word must occur in `search_text`. On SQLite the words of three letters or more are looked up in
    the trigram index first (records migration 0003), so a rare word reads a few rows, not all of them;
    PostgreSQL's planner uses its trigram index for the `LIKE` by itself. The `LIKE` stays either way,
    but on SQLite as `instr(search_text, word) > 0` (`records.models.Occurs`).
    """
    people = people_visible_to(user)
    words = [word.casefold() for word in q.split()]
    indexed = [w for w in words if len(w) >= 3]
    if indexed and _has_search_index():
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in indexed)
        people = people.filter(admitted_seq__in=RawSQL(_SEARCH_INDEX_SQL, [match]))  # noqa: S611 - bound parameter
    lookup = "search_text__occurs" if connection.vendor == "sqlite" else "search_text__contains"
    for word in words:
        people = people.filter(**{lookup: word})
    if institution_id:
        people = people.filter(institution_id=institution_id)
    return people.order_by("surname", "given_name", "id")


#: A search result's values, in this order (`records_tags.person_rows`): the search reads these,
#: not model objects.
PERSON_ROW_FIELDS: Final = (
    "pk", "number", "surname", "given_name", "patronymic", "born", "institution__code",
    "institution__code_local", "condition",
)  # fmt: skip


def search_institutions(
    *, institution_id: int | None, region_id: str | None
) -> list[tuple[Any, ...]]:
    """The institutions of the search's filter: (pk, code, name, name_kk, name_ru, code_local) by
    code; only the user's institution or region when they have one."""
    rows = Institution.objects.order_by("code").values_list(
        "pk", "code", "name", "name_kk", "name_ru", "code_local"
    )
    if institution_id:
        rows = rows.filter(pk=institution_id)
    elif region_id:
        rows = rows.filter(region_id=region_id)
    return list(rows)


_SEARCH_INDEX_SQL = f"SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH %s"  # noqa: S608
_search_index: dict[tuple[str, str], bool] = {}


def _has_search_index() -> bool:
    """Whether this SQLite database has the FTS5 trigram table (once per database and process)."""
    if connection.vendor != "sqlite":
        return False
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    found = _search_index.get(key)
    if found is None:
        with connection.cursor() as cursor:
            found = _search_index[key] = table_exists(cursor, SEARCH_INDEX, "sqlite")
    return found


def core_person(person: Person) -> CorePerson:
    """The engine's view of a person (the institution's type, the sentence)."""
    if person.life:
        sentence = Sentence(start=person.sentence_start, life=True)
    else:
        sentence = Sentence(
            person.sentence_start,
            person.sentence_years,
            person.sentence_months,
            person.sentence_days,
        )
    return CorePerson(
        sex=person.sex,
        born=person.born,
        institution=institution_type_of(person),
        sentence=sentence,
        gravity=person.gravity or None,
        corruption=person.corruption,
        damage_compensated=person.damage_compensated,
        procedural_agreement=person.procedural_agreement,
    )


def institution_type_of(person: Person) -> str:
    """The type of the person's institution, as the law reads it: awaiting placement, the type the
    court set ("medium" while none is known)."""
    if person.institution_id and person.institution:
        return str(person.institution.type)
    return str(person.sentence_type or "medium")


def _admission(person: Person) -> files.Admission:
    """The file's admission as the read model keeps it (identity, sentence, gravity)."""
    sentence: dict[str, Any] = {"start": person.sentence_start.isoformat()}
    if person.life:
        sentence["life"] = True
    else:
        sentence.update(
            years=person.sentence_years, months=person.sentence_months, days=person.sentence_days
        )
    payload = {
        "on": person.admitted_on.isoformat(),
        "sex": person.sex,
        "born": person.born.isoformat(),
        "sentence": sentence,
        "gravity": person.gravity or None,
    }  # the institution of arrival: the admission's `arrived` row (the person's row is today's)
    return files.Admission(person.admitted_seq, "", "", "", payload)


#: What the fold reads of a fact row (`_as_row`): a reader of many people's rows asks for these
#: alone (`Fact.objects.only(*FOLDED_FIELDS)`).
FOLDED_FIELDS: Final = (
    "seq", "person_id", "kind", "on", "data", "corrects_id", "void", "recorded_by", "recorded_at",
    "reason",
)  # fmt: skip


def _as_row(f: Fact | TimelineFact | CaseFact) -> files.Row:
    """A fact row of the read model as the fold reads a ledger entry: each row is the entry that
    made it (a correction points at its original, a withdrawal is `fact_voided`)."""
    recorded_at = getattr(f, "recorded_at", None)
    obj = {
        "payload": {"on": f.on.isoformat(), **f.data},
        "actor": {"id": getattr(f, "recorded_by", ""), "authority": ""},
        "corrects": getattr(f, "corrects_id", None),
        "reason": getattr(f, "reason", ""),
        "recorded_at": recorded_at.isoformat() if recorded_at is not None else "",
    }
    return (f.seq, files.FACT_VOIDED if f.void else f.kind, obj)


def personal_file(
    person: Person, *, facts: list[Fact] | list[TimelineFact] | list[CaseFact] | None = None
) -> files.PersonalFile:
    """The person's file folded by `adaldyq.files` (ADR 0014) from the read model's fact rows, each
    row the entry that made it; the admission from the person's row.

    `facts`: every fact row of the person when the caller has them (or only the standing ones).
    """
    rows = list(person.facts.all()) if facts is None else facts
    pf = file_of_rows(person.pk, rows)
    return files.PersonalFile(person.pk, _admission(person), pf.facts, pf.corrections, pf.entries)


def file_of_rows(
    person_id: str, rows: list[Fact] | list[TimelineFact] | list[CaseFact]
) -> files.PersonalFile:
    """The file the fact rows of one person fold to (`adaldyq.files`), without its admission: for
    readers of many people's rows at once (placements, counts)."""
    return files.PersonalFile.fold(person_id, [_as_row(f) for f in sorted(rows, key=_seq)])


def _seq(f: Fact | TimelineFact | CaseFact) -> int:
    return f.seq


def case_events(
    person: Person,
    *,
    extra: Mapping[str, Any] | None = None,
    without: int | None = None,
    facts: list[Fact] | list[TimelineFact] | list[CaseFact] | None = None,
) -> list[dict[str, Any]]:
    """The standing facts as case-format events in date order (`personal_file(...).events()`);
    `extra` added after the facts of its day, entry `without` left out.

    `facts`: every fact row of the person when the caller has them already (the file page's timeline).
    """
    pf = personal_file(person, facts=facts)
    events = [f.event for f in pf.facts if f.seq != without and f.type in FACT_TYPES]
    if extra is not None:
        day = str(extra["on"])
        at = next((i for i, e in enumerate(events) if e["on"] > day), len(events))
        events.insert(at, dict(extra))
    return events


@dataclass(frozen=True, slots=True)
class LawToday:
    """The engine's answer for a person today, and what it says in words."""

    result: Result | None
    warnings: list[str]
    error: str = ""
    #: The steps, criteria and entitlements as values for the page (records.explanation).
    explained: Explanation | None = None
    condition: str = ""
    may_move_to: tuple[str, ...] = ()
    lang: str = "en"
    #: The file the answer read (None: its facts could not be read; `error` says why).
    file: files.PersonalFile | None = None

    @property
    def lines(self) -> list[str]:
        """The text renderer's lines (the API's `explanation`; the page lays out `explained`
        instead), made when asked: the file page has no use for them."""
        return render_lines(self.result, self.lang) if self.result is not None else []


def law_today(
    person: Person,
    *,
    lang: str,
    on: date | None = None,
    facts: list[Fact] | list[TimelineFact] | list[CaseFact] | None = None,
) -> LawToday:
    """Evaluate the person's standing facts on `on` (today by default) and explain it in `lang`.

    `facts`: the person's fact rows when the caller has read them already (one query less).
    """
    on = on or timezone.localdate()
    pf = None
    try:
        pf = personal_file(person, facts=facts)
        result = evaluate(
            pf.law_person(institution_type_of(person), on=on),
            pf.events(),
            on=on,
            law=law_pack(),
            case_id=person.pk,
        )
    except AdaldyqError as exc:
        return LawToday(None, [], exc.diagnostics(), file=pf)
    lang = lang if lang in ("en", "ru", "kk") else "en"
    with translation.override(lang):
        explained = explanation(result, lang, waiting_flagged_after=WAITING_DAYS_FLAGGED)
    names = CONDITION_NAMES[lang]
    return LawToday(
        result=result,
        warnings=list(explained.warnings),
        explained=explained,
        condition=names.get(result.condition, result.condition),
        may_move_to=tuple(names.get(c, c) for c in result.may_move_to),
        lang=lang,
        file=pf,
    )


def timeline(person: Person) -> list[Fact]:
    """Every fact of the file with its corrections, newest first (originals stay visible)."""
    return list(person.facts.order_by("-on", "-seq"))


@dataclass(frozen=True, slots=True)
class RelativeRow:
    seq: int
    name: str
    relationship: str


@dataclass(frozen=True, slots=True)
class NoteRow:
    seq: int
    author: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OpeningRow:
    seq: int
    by: str
    at: datetime
    #: The page that showed the file: "" the file itself, else a route name (records.access).
    page: str = ""


_RELATIVES_SQL = (
    "SELECT 'r', seq, name, relationship, NULL FROM records_relative WHERE person_id = %s"
)
_NOTES_SQL = "SELECT 'n', seq, author, text, at FROM records_note WHERE person_id = %s"
_OPENINGS_SQL = (  # the file opened, or shown in a list (records_filelisting): the 20 newest
    'SELECT \'o\', seq, "by", page, at FROM (SELECT seq, "by", page, at FROM records_fileopening '
    'WHERE person_id = %s UNION ALL SELECT seq, "by", page, at FROM records_filelisting '
    "WHERE person_id = %s ORDER BY seq DESC LIMIT 20) AS newest"
)


def _datetime(value: Any) -> datetime:
    """A date-time column's value as the ORM gives it (SQLite's text parsed, made aware)."""
    return _datetimes()(value)


def _datetimes() -> Callable[[Any], datetime]:
    """`_datetime` for the rows of one query: the database's converter looked up once (the
    connection is a context-local read each time). SQLite's driver gives a naive date-time in UTC,
    which is made aware here as the converter would (`timezone.make_aware`); anything else goes
    through the converter itself."""
    ops = connection.ops
    convert = getattr(ops, "convert_datetimefield_value", None)
    if convert is None:
        return _unchanged
    db = ops.connection
    tz = db.timezone if settings.USE_TZ else None

    def converted(value: Any) -> datetime:
        if tz is not None and type(value) is datetime and value.tzinfo is None:
            return value.replace(tzinfo=tz)
        out: datetime = convert(value, None, db)
        return out

    return converted


def _unchanged(value: Any) -> datetime:
    out: datetime = value
    return out


def file_side_rows(
    person: Person, *, notes: bool, openings: bool
) -> tuple[list[RelativeRow], list[NoteRow], list[OpeningRow]]:
    """The file's relatives, oversight notes (if `notes`) and 20 newest openings (if `openings`).

    One query (a UNION ALL) instead of three through the ORM: the same rows and order as
    `person.relatives.all()`, `person.notes.all()` and `person.openings.all()[:20]`, one database
    round trip for a page that every opening of a file renders (ADR 0012).
    """
    parts = [_RELATIVES_SQL] + [_NOTES_SQL] * notes + [_OPENINGS_SQL] * openings
    query = " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(query, [person.pk] * query.count("%s"))
        rows = cursor.fetchall()
    relatives = sorted(
        (RelativeRow(seq, name, rel) for kind, seq, name, rel, _ in rows if kind == "r"),
        key=lambda r: r.seq,
    )
    note_rows = sorted(
        (
            NoteRow(seq, by, text, _datetime(when))
            for kind, seq, by, text, when in rows
            if kind == "n"
        ),
        key=lambda n: n.seq,
    )
    opening_rows = sorted(
        (
            OpeningRow(seq, by, _datetime(when), page or "")
            for kind, seq, by, page, when in rows
            if kind == "o"
        ),
        key=lambda o: -o.seq,
    )
    return relatives, note_rows, opening_rows


@dataclass(slots=True)
class CaseFact:
    """A fact as the law engine reads it (`case_events`), without a model object."""

    seq: int
    kind: str
    on: date
    data: dict[str, Any]
    superseded_by_id: int | None
    void: bool

    @classmethod
    def read(
        cls,
        seq: int,
        kind: str,
        on: Any,
        data: Any,
        superseded_by_id: int | None = None,
        void: bool = False,
        **more: Any,
    ) -> Self:
        """A fact from the columns of its row as the database gives them (SQLite: text); a
        standing one unless it says it is superseded or void."""
        return cls(
            seq=seq,
            kind=kind,
            on=on if isinstance(on, date) else date.fromisoformat(on),
            data=json.loads(data) if isinstance(data, (str, bytes)) else data,
            superseded_by_id=superseded_by_id,
            void=void,
            **more,
        )


@dataclass(slots=True)
class TimelineFact(CaseFact):
    """A fact row as the file page shows it (the `Fact` fields it reads): a fact and its recording."""

    recorded_by: str
    recorded_at: datetime
    corrects_id: int | None
    reason: str


_TIMELINE_SELECT = (
    'SELECT f.seq, f.kind, f."on", f.data, f.recorded_by, f.recorded_at, f.corrects_id, f.reason, '
    "f.superseded_by_id, f.void FROM records_fact f "
)
_TIMELINE_WHERE = 'WHERE f.person_id = %s ORDER BY f."on" DESC, f.seq DESC'
_TIMELINE_SQL = _TIMELINE_SELECT + _TIMELINE_WHERE


_CASE_FACTS_SQL = (
    'SELECT f.person_id, f.seq, f.kind, f."on", f.data FROM records_fact f '
    "WHERE f.superseded_by_id IS NULL AND f.void = %s AND f.person_id IN ({})"
)


def case_facts(ids: list[str], *, kinds: Iterable[str] | None = None) -> dict[str, list[CaseFact]]:
    """Person id -> their standing facts, for many people in a few queries and without model objects.

    A page that evaluates the law for a list of people (art. 96) reads their files this way: one
    query per 500 people instead of one per person, and no `Fact` instances to build (ADR 0012).
    `kinds`: only facts of these kinds (a reader that needs a part of each file, e.g. probation).
    """
    out: dict[str, list[CaseFact]] = {pid: [] for pid in ids}
    only = sorted(kinds) if kinds is not None else []
    extra = " AND f.kind IN ({})".format(", ".join(["%s"] * len(only))) if only else ""
    with connection.cursor() as cursor:
        for i in range(0, len(ids), 500):  # within every database's limit of bound parameters
            chunk = ids[i : i + 500]
            sql = _CASE_FACTS_SQL.format(", ".join(["%s"] * len(chunk))) + extra
            cursor.execute(sql, [False, *chunk, *only])
            for pid, seq, kind, on, data in cursor.fetchall():
                out[pid].append(CaseFact.read(seq, kind, on, data))
    return out


def file_timeline(person: Person) -> list[TimelineFact]:
    """`timeline(person)` in one query and without model objects.

    The file page reads every fact of the person (dozens, some files hundreds) for the timeline and
    the law engine; building `Fact` instances was a sixth of the page (ADR 0012). Same rows, same
    order, same values. The recorders are named by `accounts.names.person_name` (kept per process).
    """
    with connection.cursor() as cursor:
        cursor.execute(_TIMELINE_SQL, [person.pk])
        rows = cursor.fetchall()
    as_datetime = _datetimes()
    out = []
    for (
        seq,
        kind,
        on,
        data,
        recorded_by,
        recorded_at,
        corrects_id,
        reason,
        superseded_by_id,
        void,
    ) in rows:
        out.append(
            TimelineFact.read(
                seq,
                kind,
                on,
                data,
                recorded_by=recorded_by,
                recorded_at=as_datetime(recorded_at),
                corrects_id=corrects_id,
                reason=reason,
                superseded_by_id=superseded_by_id,
                void=bool(void),
            )
        )
    return out


def proposals_awaiting(user: Any) -> QuerySet[Proposal]:
    """The entries proposed for the head's confirmation in `user`'s scope, oldest first (ADR 0033)."""
    from adaldyq.web.accounts.scope import people_visible_to

    return (
        Proposal.objects.filter(status="pending", person__in=people_visible_to(user))
        .select_related("person")
        .order_by("seq")
    )
