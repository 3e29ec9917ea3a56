"""The deviation register as a CSV or XLSX file in the reader's language (the page and the CLI).

Columns and kinds in words, the detail as "key: value" text, the rule as readers of the language
cite it, dates in the language's format (real dates in XLSX). A cell whose text starts with a
formula prefix (=, +, -, @, a tab or a carriage return) is written with a leading apostrophe, so that
a spreadsheet shows it as text and never evaluates it (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from adaldyq.web.decisions import labels
from adaldyq.web.decisions.register_words import (
    COLUMNS,
    date_text,
    detail_text,
    rule_text,
)
from adaldyq.web.spreadsheets import inert

LANGUAGES = ("kk", "ru", "en")
#: The exported columns: the register's, and the officer's name and position after the login.
EXPORT_COLUMNS = (*COLUMNS[:4], "officer_name", *COLUMNS[4:])
#: The XLSX number format of a date cell, as each language writes dates in tables.
_XLSX_DATE = {"kk": "dd.mm.yyyy", "ru": "dd.mm.yyyy", "en": "d mmm yyyy"}


def flag_label(kind: str) -> str:
    """A kind of flag in words (the code itself when no words are known)."""
    return str(labels.FLAG_LABELS.get(kind, kind.replace("_", " ")))


def header(lang: str) -> list[str]:
    """The column names in `lang`."""
    with override(lang):
        names = [str(labels.COLUMN_LABELS[c]) for c in EXPORT_COLUMNS]
    return [name[:1].upper() + name[1:] for name in names]


def officer_names(logins: Iterable[str], *, part: str = "") -> dict[str, str]:
    """ "Full Name, position" of each login the users table knows, in the active language (`part`
    "name": the name alone).

    A data folder with a ledger and no web tables (an imported ledger) names nobody.
    """
    from django.db import DatabaseError

    from adaldyq.web.accounts.names import person_name
    from adaldyq.web.accounts.selectors import signatories

    wanted = {str(u) for u in logins if u}
    try:
        known = signatories(wanted)
    except DatabaseError:
        return {}
    return {login: person_name(login, part) for login in known}


def _texts(row: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> dict[str, str]:
    evidence = row.get("evidence") or []
    officer = str(row.get("officer") or "")
    return {
        "kind": flag_label(str(row.get("kind", ""))),
        "person": str(row.get("person") or ""),
        "institution": str(row.get("institution") or ""),
        "officer": officer,
        "officer_name": names.get(officer, ""),
        "on": date_text(row.get("on")),
        "evidence": " ".join(f"#{e}" for e in evidence),
        "rule": rule_text(str(row.get("rule") or ""), lang),
        "confidence": str(row.get("confidence") or ""),
        "detail": detail_text(row.get("detail") or {}),
    }


def table(rows: Sequence[Mapping[str, Any]], lang: str) -> list[list[str]]:
    """The header and one line of text cells per flag, in `lang`, every cell inert."""
    with override(lang):
        names = officer_names(str(r.get("officer") or "") for r in rows)
        out = [header(lang)]
        for r in rows:
            texts = _texts(r, lang, names)
            out.append([inert(texts[c]) for c in EXPORT_COLUMNS])
    return out


def write_csv(rows: Sequence[Mapping[str, Any]], lang: str, handle: IO[str]) -> int:
    """Write the register as CSV (UTF-8 with a byte-order mark, so spreadsheets read Cyrillic)."""
    lines = table(rows, lang)
    handle.write("\ufeff")
    csv.writer(handle).writerows(lines)
    return len(lines) - 1


def csv_text(rows: Sequence[Mapping[str, Any]], lang: str) -> str:
    out = io.StringIO()
    write_csv(rows, lang, out)
    return out.getvalue()


def write_xlsx(rows: Sequence[Mapping[str, Any]], lang: str, target: Path | IO[bytes]) -> int:
    """Write the register as an XLSX workbook: text cells written as text, dates as dates."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(
        target if not isinstance(target, Path) else str(target),
        {"in_memory": True} if not isinstance(target, Path) else {"constant_memory": True},
    )
    with override(lang):
        names = officer_names(str(r.get("officer") or "") for r in rows)
        sheet = book.add_worksheet(_("Flags")[:31])
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": _XLSX_DATE.get(lang, "dd.mm.yyyy")})
        for j, name in enumerate(header(lang)):
            sheet.write_string(0, j, name, bold)
        n = 0
        for n, r in enumerate(rows, 1):
            texts = _texts(r, lang, names)
            for j, c in enumerate(EXPORT_COLUMNS):
                on = r.get("on") if c == "on" else None
                if on:
                    sheet.write_datetime(
                        n, j, on if isinstance(on, date) else date.fromisoformat(on), day
                    )
                else:
                    sheet.write_string(n, j, inert(texts[c]))
        sheet.autofilter(0, 0, max(n, 1), len(EXPORT_COLUMNS) - 1)
        sheet.freeze_panes(1, 0)
    book.close()
    return n
