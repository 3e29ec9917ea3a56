"""Paper files transcribed into the ledger (issue 23, ADR 0040): the import template, the reading of a
filled one, and the comparison of two officers' transcriptions of one page.

    from adaldyq.files.paper import COLUMNS, read_table, read_batch, compare
    rows = read_table("file.xlsx", content)       # header row in kk, ru or en; one dict a row
    batch = read_batch(rows, scans={"p1.jpg"})    # PaperRow per good row, Refusal per bad one
    compare(first, second)                        # the differences of two readings of one page

One row is one fact of one page of one paper file: the personal file's number, the paper file's
number, the page, the scan of that page (a file of the batch), the kind and the day, and the fields
of the kind. The row of kind `admission` opens the file (identity, sentence, institution). A row is
checked as a ledger payload is (`parse_fact`): a bad row is refused with its line, the column and why.
Pure: no database; the web's `paper` app decides what a row means for the files the ledger holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from adaldyq.core.errors import InputError
from adaldyq.core.sheets import SheetError, read_cells
from adaldyq.files.facts import Fact, FactError, parse_fact

__all__ = [
    "ADMISSION",
    "COLUMNS",
    "KINDS",
    "PAPER_KINDS",
    "Difference",
    "PaperBatch",
    "PaperRow",
    "Refusal",
    "compare",
    "headers",
    "read_batch",
    "read_table",
    "template_csv",
    "template_xlsx",
]

#: The kind of the row that opens a personal file (its entry is `person_admitted`).
ADMISSION: Final = "admission"

#: The columns of the template: key, then the header in kk, ru, en (any of the three is read).
COLUMNS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("number", "Жеке іс нөмірі", "Номер личного дела", "Personal file number"),
    ("paper_file", "Қағаз істің нөмірі", "Номер бумажного дела", "Paper file number"),
    ("page", "Парақ", "Лист", "Page"),
    ("scan", "Парақтың сканы (файл)", "Скан листа (файл)", "Scan of the page (file)"),
    ("kind", "Түрі", "Вид", "Kind"),
    ("on", "Күні", "Дата", "Date"),
    ("detail", "Мазмұны", "Содержание", "Detail"),
    ("degree", "Дәреже", "Степень", "Degree"),
    ("condition", "Жағдай", "Условия", "Conditions"),
    ("recognised_as", "Танылды", "Признан", "Recognised as"),
    ("malicious", "Қасақана", "Злостное", "Malicious"),
    ("diligent", "Адал", "Добросовестное", "Diligent"),
    ("hours", "Сағат", "Часы", "Hours"),
    ("month", "Ай", "Месяц", "Month"),
    ("institution", "Мекеме", "Учреждение", "Institution"),
    ("corruption", "Сыбайлас жемқорлық", "Коррупционное", "Corruption"),
    ("damage_compensated", "Залал өтелді", "Ущерб возмещён", "Damage compensated"),
    (
        "procedural_agreement",
        "Процестік келісім",
        "Процессуальное соглашение",
        "Procedural agreement",
    ),
    ("surname", "Тегі", "Фамилия", "Surname"),
    ("given_name", "Аты", "Имя", "Given name"),
    ("patronymic", "Әкесінің аты", "Отчество", "Patronymic"),
    ("sex", "Жынысы", "Пол", "Sex"),
    ("born", "Туған күні", "Дата рождения", "Born"),
    ("sentence_start", "Мерзімнің басы", "Начало срока", "Sentence start"),
    ("sentence_years", "Мерзім, жыл", "Срок, лет", "Sentence, years"),
    ("sentence_months", "Мерзім, ай", "Срок, месяцев", "Sentence, months"),
    ("sentence_days", "Мерзім, күн", "Срок, дней", "Sentence, days"),
    ("gravity", "Ауырлығы", "Тяжесть", "Gravity"),
)
_LANGS: Final = ("kk", "ru", "en")
#: Every header the reader accepts, case-folded, to its key (the key itself too).
_HEADER_KEYS: Final = {name.casefold(): col[0] for col in COLUMNS for name in (col[0], *col[1:])}

#: The kinds a paper file records, with their names in kk, ru, en (the code itself is read too).
KINDS: Final[dict[str, tuple[str, str, str]]] = {
    ADMISSION: ("Қабылдау", "Поступление", "Admission"),
    "incentive": ("Көтермелеу", "Поощрение", "Incentive"),
    "penalty": ("Жаза", "Взыскание", "Penalty"),
    "joined_organisation": (
        "Ерікті ұйымға кірді",
        "Вступил в самодеятельную организацию",
        "Joined the organisation",
    ),
    "left_organisation": (
        "Ерікті ұйымнан шықты",
        "Вышел из самодеятельной организации",
        "Left the organisation",
    ),
    "degree_awarded": ("Дәреже берілді", "Присвоена степень", "Degree awarded"),
    "recognised": ("Бұзушы деп танылды", "Признан нарушителем", "Recognised as an offender"),
    "degree_revoked": ("Дәреже алынды", "Степень отменена", "Degree revoked"),
    "work_assessed": ("Еңбекке көзқарасы бағаланды", "Оценено отношение к труду", "Work assessed"),
    "condition_changed": ("Жағдайы өзгерді", "Изменены условия", "Conditions changed"),
    "transferred": ("Басқа мекемеге ауыстырылды", "Переведён в другое учреждение", "Transferred"),
    "work_hours": ("Жұмыс сағаттары", "Часы работы", "Work hours"),
    "study_hours": ("Оқу сағаттары", "Часы учёбы", "Study hours"),
    "parole_facts": ("Шартты босату фактілері", "Факты для УДО", "Facts for parole"),
}
#: The kinds of the file's facts (all but the admission).
PAPER_KINDS: Final = frozenset(KINDS) - {ADMISSION}
_KIND_KEYS: Final = {
    name.casefold(): code for code, names in KINDS.items() for name in (code, *names)
}
_YES: Final = frozenset({"yes", "true", "1", "иә", "да", "y", "+"})
_NO: Final = frozenset({"no", "false", "0", "жоқ", "нет", "n", "-"})
#: Fields of the row each kind reads, and the payload field each becomes.
_FIELDS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "incentive": (("detail", "kind"),),
    "penalty": (("detail", "kind"), ("malicious", "malicious")),
    "degree_awarded": (("degree", "degree"),),
    "recognised": (("recognised_as", "as"),),
    "work_assessed": (("diligent", "diligent"),),
    "condition_changed": (("condition", "to"),),
    "transferred": (("institution", "institution"), ("condition", "condition")),
    "work_hours": (("hours", "hours"), ("month", "month")),
    "study_hours": (("hours", "hours"), ("month", "month")),
    "parole_facts": (
        ("corruption", "corruption"),
        ("damage_compensated", "damage_compensated"),
        ("procedural_agreement", "procedural_agreement"),
    ),
}
_FLAGS: Final = frozenset(
    {"malicious", "diligent", "corruption", "damage_compensated", "procedural_agreement"}
)
#: The columns every row fills (where on paper, what kind, which day).
_WHERE: Final = frozenset({"number", "paper_file", "page", "scan", "kind", "on"})
#: The columns an admission reads.
_ADMISSION_COLUMNS: Final = frozenset(
    {"surname", "given_name", "patronymic", "sex", "born", "sentence_start", "sentence_years",
     "sentence_months", "sentence_days", "gravity", "institution", "condition"}
)  # fmt: skip
#: The rows a batch holds at most (a national import is several batches).
MAX_ROWS: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class Refusal:
    """A row that is not imported: its line (the header is line 1), the column and why."""

    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class PaperRow:
    """One good row: where on paper it stands and what it says."""

    line: int
    #: The personal file's number, the paper file's number, the page and the scan's file name.
    number: str
    paper_file: str
    page: int
    scan: str
    kind: str
    on: date
    #: The ledger payload (`on` and the kind's fields; for the admission, the person's fields).
    payload: dict[str, Any] = field(compare=False)
    #: The fact (None for the admission).
    fact: Fact | None = field(compare=False, default=None)

    @property
    def page_key(self) -> tuple[str, str, int]:
        """The page this row was read from: (personal file, paper file, page)."""
        return (self.number, self.paper_file, self.page)

    def reading(self) -> tuple[str, str]:
        """What the row says, to compare with another transcription: kind and canonical fields."""
        return (self.kind, _canonical(self.payload))


@dataclass(slots=True)
class PaperBatch:
    """A read batch: its good rows in file order, its refused rows, the scans it names."""

    rows: list[PaperRow]
    refused: list[Refusal]

    def pages(self) -> dict[tuple[str, str, int], list[PaperRow]]:
        """The rows of each page, in file order."""
        out: dict[tuple[str, str, int], list[PaperRow]] = {}
        for r in self.rows:
            out.setdefault(r.page_key, []).append(r)
        return out


def headers(lang: str) -> list[str]:
    """The template's header row in `lang` (kk, ru or en)."""
    at = 1 + _LANGS.index(lang if lang in _LANGS else "en")
    return [col[at] for col in COLUMNS]


def _example(lang: str) -> list[list[str]]:
    at = _LANGS.index(lang if lang in _LANGS else "en")
    adm, inc = KINDS[ADMISSION][at], KINDS["incentive"][at]
    first = {"number": "PF-0001", "paper_file": "A-17/2019", "page": "1", "scan": "page-001.jpg"}
    admission = {**first, "kind": adm, "on": "2019-03-04", "surname": "Ахметов",
                 "given_name": "Ерлан", "sex": "male", "born": "1988-05-14",
                 "sentence_start": "2019-02-20", "sentence_years": "5", "gravity": "medium",
                 "institution": "", "condition": "regular"}  # fmt: skip
    incentive = {**first, "page": "2", "scan": "page-002.jpg", "kind": inc, "on": "2019-09-12",
                 "detail": "gratitude"}  # fmt: skip
    return [[row.get(col[0], "") for col in COLUMNS] for row in (admission, incentive)]


def template_csv(lang: str) -> str:
    """The CSV template (UTF-8, comma) with the header in `lang` and two example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers(lang))
    writer.writerows(_example(lang))
    return out.getvalue()


def template_xlsx(lang: str) -> bytes:
    """The XLSX template: the sheet to fill (header in `lang`, two example rows, every cell text)
    and a sheet naming the kinds in kk, ru and en."""
    import xlsxwriter  # type: ignore[import-untyped]

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("paper")
    sheet.write_row(0, 0, headers(lang), bold)
    for i, row in enumerate(_example(lang), 1):
        sheet.write_row(i, 0, row, text)
    sheet.set_column(0, len(COLUMNS) - 1, 18, text)
    kinds = book.add_worksheet("kinds")
    kinds.write_row(0, 0, ["code", "kk", "ru", "en"], bold)
    for i, (code, names) in enumerate(KINDS.items(), 1):
        kinds.write_row(i, 0, [code, *names])
    book.close()
    return buf.getvalue()


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8, comma or semicolon) or XLSX file, keyed by column; an unknown
    header or a file that is neither is an `InputError`."""
    try:
        table = read_cells(content)
    except SheetError as exc:
        raise InputError(f"{name}: {exc}") from None
    if not table:
        raise InputError(f"{name}: empty, no header row")
    keys = []
    for i, head in enumerate(table[0]):
        key = _HEADER_KEYS.get(head.strip().casefold())
        if key is None and head.strip():
            raise InputError(f"{name}: column {i + 1} {head!r} is not a column of the template")
        keys.append(key)
    missing = {"number", "paper_file", "page", "scan", "kind", "on"} - {k for k in keys if k}
    if missing:
        raise InputError(f"{name}: the template's columns {sorted(missing)} are missing")
    if len(table) - 1 > MAX_ROWS:
        raise InputError(f"{name}: more than {MAX_ROWS:,} rows; split it into batches")
    # A row keeps its filled cells only (most of a template's columns are empty for a given kind):
    # a column left out reads as empty (`row.get(column, "")`).
    return [
        {
            k: v.strip()
            for k, v in zip(keys, row, strict=False)
            if v and k is not None and not v.isspace()
        }
        for row in table[1:]
    ]


def _day(text: str) -> date:
    """YYYY-MM-DD, or DD.MM.YYYY as the paper files write it."""
    if len(text) == 10 and text[2] == "." and text[5] == ".":
        text = f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return date.fromisoformat(text)


def _flag(text: str) -> bool | None:
    t = text.casefold()
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ValueError(text)


def _canonical(payload: Mapping[str, Any]) -> str:
    return repr(sorted((k, v) for k, v in payload.items() if v not in (None, "")))


class _RowError(Exception):
    def __init__(self, column: str, problem: str) -> None:
        self.column, self.problem = column, problem


def _admission_payload(r: Mapping[str, str], on: date) -> dict[str, Any]:
    for col in ("surname", "given_name", "sex", "born", "sentence_start"):
        if not r.get(col):
            raise _RowError(col, "an admission needs it")
    if r["sex"] not in ("male", "female"):
        raise _RowError("sex", f"must be male or female, not {r['sex']!r}")
    sentence: dict[str, Any] = {}
    for col in ("born", "sentence_start"):
        try:
            _day(r[col])
        except ValueError:
            raise _RowError(col, f"must be a date YYYY-MM-DD, not {r[col]!r}") from None
    sentence["start"] = _day(r["sentence_start"]).isoformat()
    for part in ("years", "months", "days"):
        raw = r.get(f"sentence_{part}", "") or "0"
        if not raw.isdigit():
            raise _RowError(f"sentence_{part}", f"must be a whole number, not {raw!r}")
        if int(raw):
            sentence[part] = int(raw)
    if not any(sentence.get(p) for p in ("years", "months", "days")):
        raise _RowError("sentence_years", "the term is missing")
    condition = r.get("condition") or "regular"
    if condition not in ("regular", "light", "preferential", "strict"):
        raise _RowError(
            "condition", f"must be regular, light, preferential or strict, not {condition!r}"
        )
    payload: dict[str, Any] = {
        "on": on.isoformat(),
        "number": r["number"],
        "surname": r["surname"],
        "given_name": r["given_name"],
        "sex": r["sex"],
        "born": _day(r["born"]).isoformat(),
        "sentence": sentence,
        "condition": condition,
    }
    for col in ("patronymic", "gravity", "institution"):
        if r.get(col):
            payload[col] = r[col]
    return payload


def _fact_payload(kind: str, r: Mapping[str, str], on: date) -> tuple[dict[str, Any], Fact]:
    payload: dict[str, Any] = {"on": on.isoformat()}
    for col, name in _FIELDS.get(kind, ()):
        raw = r.get(col, "")
        if not raw:
            continue
        if col in _FLAGS:
            try:
                payload[name] = _flag(raw)
            except ValueError:
                raise _RowError(col, f"must be yes or no, not {raw!r}") from None
        elif col == "degree":
            if not raw.isdigit():
                raise _RowError(col, f"must be 1, 2 or 3, not {raw!r}")
            payload[name] = int(raw)
        elif col == "hours":
            try:
                payload[name] = float(raw.replace(",", "."))
            except ValueError:
                raise _RowError(col, f"must be a number, not {raw!r}") from None
        else:
            payload[name] = raw
    try:
        fact = parse_fact(kind, dict(payload), on=on)
    except FactError as exc:
        column = next((c for c, n in _FIELDS.get(kind, ()) if n == exc.field), exc.field or "")
        raise _RowError(column, str(exc).split(": ", 1)[-1]) from None
    return payload, fact


def read_batch(rows: Iterable[Mapping[str, str]], *, scans: Iterable[str]) -> PaperBatch:
    """Check every row of a filled template (`read_table`): the good rows, and each refused row with
    its line, column and why. `scans`: the file names of the scans uploaded with the batch."""
    have = set(scans)
    good: list[PaperRow] = []
    refused: list[Refusal] = []
    for line, r in enumerate(rows, 2):
        if not any(r.values()):
            continue  # an empty line of a spreadsheet
        try:
            good.append(_row(line, r, have))
        except _RowError as exc:
            refused.append(Refusal(line, exc.column, exc.problem))
    return PaperBatch(good, refused)


def _row(line: int, r: Mapping[str, str], scans: set[str]) -> PaperRow:
    for col in ("number", "paper_file", "page", "scan", "kind", "on"):
        if not r.get(col):
            raise _RowError(col, "is required")
    if not r["page"].isdigit() or int(r["page"]) < 1:
        raise _RowError("page", f"must be a page number, 1 or more, not {r['page']!r}")
    if r["scan"] not in scans:
        raise _RowError("scan", f"no scan {r['scan']!r} was uploaded with the batch")
    kind = _KIND_KEYS.get(r["kind"].casefold())
    if kind is None:
        raise _RowError(
            "kind", f"{r['kind']!r} is not a kind of the template (see its sheet of kinds)"
        )
    try:
        on = _day(r["on"])
    except ValueError:
        raise _RowError("on", f"must be a date YYYY-MM-DD or DD.MM.YYYY, not {r['on']!r}") from None
    allowed = _ADMISSION_COLUMNS if kind == ADMISSION else {c for c, _ in _FIELDS.get(kind, ())}
    for col, value in r.items():
        if value and col not in _WHERE and col not in allowed:
            raise _RowError(col, f"is not read for a row of the kind {kind}: leave it empty")
    fact = None
    if kind == ADMISSION:
        payload = _admission_payload(r, on)
    else:
        payload, fact = _fact_payload(kind, r, on)
    return PaperRow(line, r["number"], r["paper_file"], int(r["page"]), r["scan"], kind, on,
                    payload, fact)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Difference:
    """One place where two readings of a page differ: what the first read (its index among the
    page's rows, None: not there), what the second read (None: not there)."""

    first: int | None
    second: int | None


def compare(first: Sequence[PaperRow], second: Sequence[PaperRow]) -> list[Difference]:
    """The differences of two readings of one page: rows that read the same are paired and left out;
    of the others, those of the same kind are paired in order (a fact read differently), and what is
    left was read by one officer only. Empty: the two agree."""
    unmatched_second = list(range(len(second)))
    by_reading: dict[tuple[str, str], list[int]] = {}
    for j in unmatched_second:
        by_reading.setdefault(second[j].reading(), []).append(j)
    left_first: list[int] = []
    for i, row in enumerate(first):
        same = by_reading.get(row.reading())
        if same:
            unmatched_second.remove(same.pop(0))
        else:
            left_first.append(i)
    out: list[Difference] = []
    for i in left_first:
        pair = next((j for j in unmatched_second if second[j].kind == first[i].kind), None)
        if pair is not None:
            unmatched_second.remove(pair)
        out.append(Difference(i, pair))
    out.extend(Difference(None, j) for j in unmatched_second)
    return out
