"""Dates on the web pages cannot be misread in any of the three languages."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.utils import formats, translation

DAY = date(1978, 5, 10)  # 10 May: 05/10 would be 5 October to an American reader


@pytest.mark.parametrize(
    ("lang", "long", "short"),
    [
        ("en", "10 May 1978", "1978-05-10"),
        ("ru", "10 мая 1978 г.", "10.05.1978"),
        ("kk", "1978 ж. 10 мамыр", "10.05.1978"),
    ],
)
def test_dates_are_day_first_or_iso(lang: str, long: str, short: str) -> None:
    with translation.override(lang):
        assert formats.date_format(DAY, "DATE_FORMAT") == long
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short


def test_english_reads_iso_and_day_first_dates_only() -> None:
    with translation.override("en"):
        assert formats.get_format("DATE_INPUT_FORMATS") == ["%Y-%m-%d", "%d.%m.%Y"]
        assert (
            formats.date_format(datetime(2026, 11, 23, 9, 5, tzinfo=UTC), "SHORT_DATETIME_FORMAT")
            == "2026-11-23 09:05"
        )


LOCALE = Path(__file__).resolve().parents[2] / "src" / "adaldyq" / "web" / "locale"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_compiled_catalogues_are_those_of_the_po_files(lang: str, tmp_path: Path) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    assert mo.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"run: msgfmt -o {po.with_suffix('.mo')} {po}"
    )
