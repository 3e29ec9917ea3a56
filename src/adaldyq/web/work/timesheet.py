"""A timesheet read into rows of hours (`services.HoursRow`): CSV (UTF-8, comma or semicolon) or XLSX
(the first sheet), its header in Kazakh, Russian or English.

Columns (any order; a header's case and spaces do not matter):

    number       personal file number    "number", "№ личного дела", "номер личного дела",
                                          "жеке іс нөмірі", "жеке іс №"
    date         the day                  "date", "day", "дата", "күні", "күн"
    place        the place's code         "place", "место", "участок", "орын"
                 ("<institution>/<code>", or the code with an `institution` column)
    institution  (optional)               "institution", "учреждение", "мекеме"
    hours        hours that day           "hours", "часы", "часов", "сағат"

A value that cannot be read leaves its field empty: the row is then refused with its reason by the
checks every list goes through (`services.hours_check`), never dropped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from adaldyq.core.errors import InputError
from adaldyq.web.work.services import HoursRow

HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "number": ("number", "№ личного дела", "номер личного дела", "жеке іс нөмірі", "жеке іс №"),
    "date": ("date", "day", "дата", "күні", "күн"),
    "place": ("place", "место", "участок", "орын"),
    "institution": ("institution", "учреждение", "мекеме"),
    "hours": ("hours", "часы", "часов", "сағат"),
}
REQUIRED: Final = ("number", "date", "place", "hours")
_ALIASES: Final = {alias: key for key, aliases in HEADERS.items() for alias in aliases}


def _fold(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _columns(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _ALIASES.get(_fold(name))
        if key is not None and key not in found:
            found[key] = i
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        raise InputError(
            f"the header has no column {missing[0]!r} (one of: {', '.join(HEADERS[missing[0]])})"
        )
    return found


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 -- a day, no time
        except ValueError:
            continue
    return None


def _hours(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value or "").strip().replace(",", "."))
    except ValueError:
        return None


def _text(value: Any) -> str:
    """A cell as text: a number a spreadsheet stored as 1234.0 is the 1234 that was typed."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value or "").strip()


def _rows(table: Iterable[list[Any]]) -> Iterator[HoursRow]:
    it = iter(table)
    header = next(it, None)
    if header is None:
        raise InputError("the timesheet is empty")
    cols = _columns(header)
    for line, cells in enumerate(it, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue  # an empty line
        cells = [*cells, *([None] * (len(header) - len(cells)))]
        place = _text(cells[cols["place"]]).upper()
        if "institution" in cols and "/" not in place:
            place = f"{_text(cells[cols['institution']])}/{place}"
        yield HoursRow(
            line=line,
            person=_text(cells[cols["number"]]),
            on=_day(cells[cols["date"]]),
            place=place,
            hours=_hours(cells[cols["hours"]]),
        )


def read(path: Path) -> list[HoursRow]:
    """The rows of a timesheet file (`.xlsx`, else CSV); InputError for a file it cannot read."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
            raise InputError(f"{path.name}: not an XLSX workbook ({type(exc).__name__})") from None
        try:
            sheet = book.worksheets[0]
            return list(_rows([list(r) for r in sheet.iter_rows(values_only=True)]))
        finally:
            book.close()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text") from None
    return parse_csv(text)


def parse_csv(text: str) -> list[HoursRow]:
    """The rows of a CSV timesheet (comma or semicolon, as spreadsheets save it)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(_rows(list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)))
