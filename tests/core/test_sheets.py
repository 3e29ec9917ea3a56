"""Tables people hand in, read one way whether CSV or Excel (adaldyq.core.sheets)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter

from adaldyq.core.sheets import SheetError, read_sheet


def _xlsx(rows: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    fmt = book.add_format({"num_format": "dd.mm.yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, fmt)
            else:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def test_csv_and_excel_give_the_same_rows_with_the_lines_a_person_sees() -> None:
    csv_rows = read_sheet("\ufeffa;b\n\n 1 ;2026-03-01\n3;x\n".encode())
    xlsx_rows = read_sheet(_xlsx([["a", "b"], [], [1, date(2026, 3, 1)], [3, "x"]]))
    assert csv_rows.header == xlsx_rows.header == ("a", "b")
    assert (
        csv_rows.rows
        == xlsx_rows.rows
        == (
            (3, {"a": "1", "b": "2026-03-01"}),
            (4, {"a": "3", "b": "x"}),
        )
    )


def test_headings_are_matched_by_alias_and_missing_fields_named() -> None:
    sheet = read_sheet("ФИО,  ОРГАН ,extra\nA,B,C\n".encode())
    missing, keyed = sheet.keyed({"name": ("фио",), "body": ("Орган",), "region": ("Область",)})
    assert missing == ["region"]
    assert keyed.rows == ((2, {"name": "A", "body": "B", "extra": "C"}),)


def test_cells_beyond_the_header_are_kept_to_be_refused_not_dropped() -> None:
    assert read_sheet(b"a\n1,2\n").rows == ((2, {"a": "1", "column 2": "2"}),)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("имя".encode("cp1251"), "encoding"),
        (b"PK\x03\x04 not really a workbook", "workbook"),
        (b"\n\n", "header"),
        (b"a\n1\n2\n3\n", "too_long"),
    ],
)
def test_what_is_not_a_table_is_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(SheetError) as refused:
        read_sheet(data, max_rows=2)
    assert refused.value.code == code
