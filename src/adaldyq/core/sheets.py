"""Tables that people hand in: a CSV file or an Excel workbook, read as rows of text with their lines.

Registries, personnel departments and institutions keep their lists in Excel and export CSV in
whatever form their office suite writes: UTF-8 with or without a byte-order mark, commas or
semicolons. `read_sheet` takes the bytes as uploaded and gives one shape for both, so that every
import names a refused row by the line a person sees in their own program (the spreadsheet's row
number, the CSV file's line). Headers are matched through aliases, so that a list with Kazakh or
Russian column names reads like one with the English keys.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adaldyq.core.errors import InputError
from adaldyq.core.text import fold_whitespace

__all__ = ["Sheet", "SheetError", "read_cells", "read_sheet"]

#: The rows of a sheet, at most: a list beyond this is refused before it is read whole.
MAX_ROWS = 200_000
_XLSX_MAGIC = b"PK\x03\x04"


class SheetError(InputError):
    """The file is not a table we can read. `code` says why, for a page to say it in its language:
    "encoding" (neither UTF-8 nor a workbook), "workbook" (a damaged workbook), "header" (no
    header row), "too_long" (more rows than `limit`)."""

    def __init__(self, code: str, message: str, *, limit: int = 0) -> None:
        self.code = code
        self.limit = limit
        super().__init__(message)


@dataclass(frozen=True)
class Sheet:
    """A table's header (as written) and its rows, each with the line a person sees it on."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def keyed(self, aliases: Mapping[str, Iterable[str]]) -> tuple[list[str], Sheet]:
        """The same rows keyed by our field names, with the fields the header lacks.

        `aliases` maps a field to the headings that mean it (any case; spaces folded): for example
        `{"name": ("name", "ФИО", "аты-жөні")}`. Columns that no alias names are kept as written.
        """
        by_heading = {
            _heading(a): field for field, names in aliases.items() for a in (field, *names)
        }
        renamed = {h: by_heading.get(_heading(h), h) for h in self.header}
        missing = [f for f in aliases if f not in renamed.values()]
        rows = tuple((n, {renamed[k]: v for k, v in row.items()}) for n, row in self.rows)
        return missing, Sheet(tuple(renamed[h] for h in self.header), rows)


def _heading(text: str) -> str:
    return fold_whitespace(text).casefold()


def read_cells(data: bytes) -> list[list[str]]:
    """A CSV file (UTF-8, comma, semicolon or tab) or an XLSX workbook's first sheet as rows of text
    cells, the header first, row i at line i + 1 (empty rows kept, trailing ones dropped); Excel's
    numbers and dates come back as a person typed them ("12", "2026-03-01"). Cells are not stripped."""
    if data.startswith(_XLSX_MAGIC):
        rows = _xlsx(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SheetError(
                "encoding", "the file is neither UTF-8 text nor an Excel workbook (.xlsx)"
            ) from None
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def read_sheet(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """`read_cells` as a header and rows keyed by it, each with its line; empty rows skipped (their
    line numbers are not reused), cells stripped. More than `max_rows` rows is a SheetError."""
    rows = read_cells(data)
    start = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if start is None:
        raise SheetError("header", "the file has no header row")
    header = tuple(c.strip() for c in rows[start])
    found: list[tuple[int, dict[str, str]]] = []
    for line, cells in enumerate(rows[start + 1 :], start=start + 2):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(found) >= max_rows:
            raise SheetError(
                "too_long", f"the list has more than {max_rows:,} rows", limit=max_rows
            )
        # a cell beyond the header is kept under its column's number, for the import to refuse it
        names = [*header, *(f"column {i + 1}" for i in range(len(header), len(cells)))]
        cells += [""] * (len(names) - len(cells))
        found.append((line, dict(zip(names, cells, strict=True))))
    return Sheet(header, tuple(found))


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError(
            "workbook", f"the Excel workbook cannot be read ({type(exc).__name__})"
        ) from None
    try:
        return [
            [_cell(v) for v in values] for values in book.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
