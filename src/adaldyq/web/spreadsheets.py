"""Text cells for the exports a spreadsheet opens (CSV and XLSX: the register of flags, the
dashboards, the programme's attendance)."""

from __future__ import annotations

#: A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """`text`, with an apostrophe in front when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text
