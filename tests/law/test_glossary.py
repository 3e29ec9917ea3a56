"""docs/glossary.md is the one source for the law's terms: the explanations and the catalogues use its words.

Where an English text uses a term of the glossary, its Russian and Kazakh texts must use the glossary's
words for it, inflected as the sentence needs: each word is looked for by its stem (the word without its
last letters, which Russian and Kazakh endings change).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adaldyq.law.messages import ENTITLEMENT_NAMES, UI, T

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
CATALOGUES = ROOT / "src" / "adaldyq" / "web" / "locale"


def _glossary() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("term", "---"):
            rows.append((cells[0], cells[1], cells[2], cells[3]))
    return rows


TERMS = _glossary()


def _stem(word: str) -> str:
    """A word without the letters its endings change (at least four letters kept)."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def _uses(text: str, words: str) -> bool:
    low = text.lower()
    return all(_stem(w.lower()) in low for w in words.split())


def _in_english(text: str, term: str) -> bool:
    return re.search(rf"\b{re.escape(term)}\b", text, re.IGNORECASE) is not None


def _misses(texts: dict[str, dict[str, str]]) -> list[str]:
    out = []
    for key, t in texts.items():
        en = t.get("en", "")
        for term, ru, kk, _article in TERMS:
            if not _in_english(en, term):
                continue
            for lang, words in (("ru", ru), ("kk", kk)):
                if lang in t and not _uses(t[lang], words):
                    out.append(f"{key} [{lang}]: {term!r} should read {words!r}: {t[lang]!r}")
    return out


def test_the_glossary_gives_each_term_in_three_languages_with_its_article() -> None:
    assert len(TERMS) >= 30
    for term, ru, kk, article in TERMS:
        assert all((term, ru, kk, article)), term
        assert article == "—" or re.fullmatch(r"(PEC|CC) arts?\. [\d, ]+", article), article


def test_the_penalty_and_the_punishment_are_told_apart_in_kazakh() -> None:
    kk = {term: kk for term, _ru, kk, _a in TERMS}
    assert kk["penalty"] == "жазалау шарасы"
    assert kk["punishment"] == "жаза"


def test_the_law_engines_explanations_use_the_glossarys_words() -> None:
    assert _misses({**T, **UI, **ENTITLEMENT_NAMES}) == []


def _po(lang: str) -> dict[str, str]:
    text = (CATALOGUES / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for block in text.split("\n\n"):
        mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        mstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if mid and mstr:
            key = "".join(re.findall(r'"(.*)"', mid.group(1)))
            out[key] = "".join(re.findall(r'"(.*)"', mstr.group(1)))
    return out


#: Terms whose English words also have everyday senses in the web's texts ("release" of a version,
#: "institution" as a place on a map, a "parcel" at the gate): the catalogues are checked for the others.
_CATALOGUE_TERMS = (
    "degree of behaviour",
    "incentive",
    "penalty",
    "malicious offender",
    "voluntary organisation of convicts",
    "attitude to work",
    "light conditions",
    "preferential conditions",
    "strict conditions",
    "regular conditions",
    "parole",
    "short visit",
    "long visit",
    "life imprisonment",
)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_web_catalogues_use_the_glossarys_words(lang: str) -> None:
    po = _po(lang)
    column = 1 if lang == "ru" else 2
    misses = []
    for msgid, msgstr in po.items():
        if not msgid or not msgstr:
            continue
        for row in TERMS:
            if (
                row[0] in _CATALOGUE_TERMS
                and _in_english(msgid, row[0])
                and not _uses(msgstr, row[column])
            ):
                misses.append(f"{row[0]!r} should read {row[column]!r}: {msgid!r} -> {msgstr!r}")
    assert misses == []
