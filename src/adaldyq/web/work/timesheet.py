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

The file is read by `adaldyq.core.sheets` (the one reader of the lists people hand in). A value that
cannot be read leaves its field empty: the row is then refused with its reason by the
checks every list goes through (`services.hours_check`), never dropped.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Final

from adaldyq.core.errors import InputError
from adaldyq.core.sheets import read_sheet
from adaldyq.web.work.services import HoursRow

HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "number": ("number", "№ личного дела", "номер личного дела", "жеке іс нөмірі", "жеке іс №"),
    "date": ("date", "day", "дата", "күні", "күн"),
    "place": ("place", "место", "участок", "орын"),
    "institution": ("institution", "учреждение", "мекеме"),
    "hours": ("hours", "часы", "часов", "сағат"),
}
REQUIRED: Final = ("number", "date", "place", "hours")


def _day(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 -- a day, no time
        except ValueError:
            continue
    return None


def _hours(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def read(path: Path) -> list[HoursRow]:
    """The rows of a timesheet file; InputError for a file it cannot read or a column it lacks."""
    return parse(path.read_bytes())


def parse(data: bytes) -> list[HoursRow]:
    """The rows of a timesheet as uploaded (CSV or XLSX, read by `core.sheets`), each with its line."""
    missing, sheet = read_sheet(data).keyed(HEADERS)
    lacking = [k for k in REQUIRED if k in missing]
    if lacking:
        raise InputError(
            f"the header has no column {lacking[0]!r} (one of: {', '.join(HEADERS[lacking[0]])})"
        )
    out = []
    for line, row in sheet.rows:
        place = row.get("place", "").upper()
        if row.get("institution") and "/" not in place:
            place = f"{row['institution']}/{place}"
        out.append(
            HoursRow(
                line=line,
                person=row.get("number", ""),
                on=_day(row.get("date", "")),
                place=place,
                hours=_hours(row.get("hours", "")),
            )
        )
    return out
