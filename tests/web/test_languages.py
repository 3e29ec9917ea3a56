"""Pages read right in Kazakh, Russian and English: dates that cannot be misread, every message translated."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.utils import formats, translation

from tests.languages import in_each_language

DAY = date(1978, 5, 10)  # 10 May: 05/10 would be 5 October to an American reader


@in_each_language(
    kk=("10.05.1978", "10.05.1978 09:05"),
    ru=("10.05.1978", "10.05.1978 09:05"),
    en=("10 May 1978", "10 May 1978, 09:05"),
)
def test_a_language_writes_every_date_one_way_day_first(lang: str, written: str, at: str) -> None:
    """One date format per language on every page and document (ADR 0021): long or short alike."""
    moment = datetime(1978, 5, 10, 9, 5, tzinfo=UTC)
    with translation.override(lang):
        assert formats.date_format(DAY, "DATE_FORMAT") == written
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == written
        assert formats.date_format(moment, "DATETIME_FORMAT") == at
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == at


def test_english_reads_iso_and_day_first_dates_only() -> None:
    with translation.override("en"):
        assert formats.get_format("DATE_INPUT_FORMATS") == ["%Y-%m-%d", "%d.%m.%Y"]
        assert (
            formats.date_format(datetime(2026, 11, 23, 9, 5, tzinfo=UTC), "SHORT_DATETIME_FORMAT")
            == "23 Nov 2026, 09:05"
        )


WEB = Path(__file__).resolve().parents[2] / "src" / "adaldyq" / "web"
CATALOGUES = sorted(WEB.glob("**/locale/*/LC_MESSAGES/django.po"))
GETTEXT = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")


@GETTEXT
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(WEB)))
def test_the_compiled_catalogues_are_those_of_the_po_files(po: Path, tmp_path: Path) -> None:
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    assert mo.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"run: msgfmt -o {po.with_suffix('.mo')} {po}"
    )


@GETTEXT
@pytest.mark.parametrize(
    "po", [p for p in CATALOGUES if "/en/" not in str(p)], ids=lambda p: str(p.relative_to(WEB))
)
def test_every_message_is_translated_and_none_is_fuzzy(po: Path) -> None:
    """An untranslated or fuzzy message shows in English on a Kazakh or Russian page."""
    for flag in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        # the first entry printed is the header (an empty msgid, fuzzy by convention)
        entries = [e for e in left.split("\n\n")[1:] if e.strip()]
        assert not entries, f"{po}: {flag[2:]}:\n" + "\n\n".join(entries)


@in_each_language(kk="ҚР ҚАК 134–145-баптары", ru="ст. 134–145 УИК РК", en="PEC arts. 134–145")
def test_pages_cite_articles_as_their_readers_do(lang: str, cited: str) -> None:
    from django.template import Context, Template

    page = Template("{% load site_tags %}[{{ a|cited }}][{{ none|cited }}]")

    with translation.override(lang):
        text = page.render(Context({"a": "PEC arts. 134-145", "none": None}))

    assert text == f"[{cited}][]"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_kind_of_flag_and_register_column_has_words_in_the_language(lang: str) -> None:
    from adaldyq.oversight.sources import all_flag_kinds
    from adaldyq.web.decisions.labels import COLUMN_LABELS, FLAG_LABELS
    from adaldyq.web.decisions.views import COLUMNS

    assert set(all_flag_kinds()) <= set(FLAG_LABELS)
    assert set(COLUMNS) <= set(COLUMN_LABELS)
    with translation.override("en"):
        english = {k: str(v) for k, v in {**FLAG_LABELS, **COLUMN_LABELS}.items()}
    with translation.override(lang):
        mine = {k: str(v) for k, v in {**FLAG_LABELS, **COLUMN_LABELS}.items()}
    assert [k for k in mine if mine[k] == english[k]] == []


@pytest.mark.parametrize(
    ("source", "kk", "ru"),
    [
        ("{% load transfers_tags %}{{ 'medium'|label }}", None, None),
        ("{% load transfers_tags %}{{ 'female'|label }}", "әйел", "женский"),
        ("{% load decisions_tags %}{{ 'not_met'|quorum }}", None, None),
    ],
)
def test_codes_on_pages_are_shown_in_words(source: str, kk: str | None, ru: str | None) -> None:
    from django.template import Context, Template

    page = Template(source)
    with translation.override("en"):
        english = page.render(Context())
    assert "_" not in english
    assert english != "medium"
    for lang, want in (("kk", kk), ("ru", ru)):
        with translation.override(lang):
            text = page.render(Context())
        assert text != english
        if want is not None:
            assert text == want


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_timeline_names_every_kind_the_generator_and_the_forms_give(lang: str) -> None:
    from types import SimpleNamespace

    from adaldyq.demo.figures import INCENTIVE_KINDS, PENALTY_KINDS
    from adaldyq.web.records.templatetags.records_tags import fact_details

    def shown(fact_type: str, **data: object) -> str:
        with translation.override(lang):
            return fact_details(SimpleNamespace(kind=fact_type, data=data))

    for code in INCENTIVE_KINDS:
        assert "_" not in shown("incentive", kind=code), code
    for code in PENALTY_KINDS:
        assert "_" not in shown("penalty", kind=code)
        assert code not in shown("penalty", kind=code)
    visit = shown("visit", kind="long", days=2, visitor="PF-1/V3", visitors=["PF-1/V3"])
    assert "long" not in visit
    assert "kind:" not in visit
    assert "PF-1/V3" in visit
    assert shown("penalty", kind="swore at the guard") == "swore at the guard"  # words stay


def test_the_verify_page_counts_proof_hashes_in_the_language() -> None:
    from django.utils.translation import ngettext

    def hashes(n: int) -> str:
        return ngettext("%(n)d hash", "%(n)d hashes", n) % {"n": n}

    with translation.override("ru"):
        assert [hashes(n) for n in (1, 3, 13)] == ["1 хэш", "3 хэша", "13 хэшей"]
    with translation.override("kk"):
        assert hashes(13) == "13 хэш"


@pytest.mark.django_db
@in_each_language(kk="мәтін", ru="заметка", en="a note needs text")
def test_a_refusal_of_the_services_speaks_the_users_language(
    make_user, lang: str, says: str
) -> None:
    from adaldyq.core.errors import InputError
    from adaldyq.web.records import services
    from tests.web.fixtures import person_payload, register

    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    ombudsman = make_user("ombudsman", "ombudsman")
    person = services.person_admit(officer=officer, person=person_payload())

    with translation.override(lang), pytest.raises(InputError, match=says):
        services.note_write(author=ombudsman, person=person, text="  ")


@pytest.mark.parametrize(
    "mo",
    [p for p in WEB.glob("*/locale/*/LC_MESSAGES/django.mo") if "/en/" not in str(p)],
    ids=lambda p: str(p.relative_to(WEB)),
)
def test_no_app_catalogue_says_what_the_sites_catalogue_says_otherwise(mo: Path) -> None:
    """The site's catalogue (LOCALE_PATHS) comes before every app's: an app's other translation of the
    same words would never show, and a reader of the app's file would be misled. A word with two
    meanings takes a context (pgettext) instead."""
    import gettext

    site_mo = WEB / "locale" / mo.parts[-3] / "LC_MESSAGES" / "django.mo"
    with site_mo.open("rb") as f:
        site = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    with mo.open("rb") as f:
        own = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    shadowed = sorted(
        str(k) for k, v in own.items() if isinstance(k, str) and k and k in site and site[k] != v
    )
    assert shadowed == []
