"""The explanation records' helpers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaldyq.law.explain import CONFIDENCES, weaker, weakest

codes = st.sampled_from([*CONFIDENCES, "X"])  # "X": a code the ranking does not know (weakest)


@given(codes, codes)
def test_weaker_of_two_is_weakest_of_the_two(a: str, b: str) -> None:
    assert weaker(a, b) == weakest(a, b)


def test_weakest_ranks_the_codes_of_law_md() -> None:
    assert weakest("L", "S", "P") == "P"
    assert weakest("L", "L-old") == "L-old"
    assert weakest("D", "?") == "?"
    assert weakest() == "L"


@pytest.mark.parametrize(
    ("article", "en", "ru", "kk"),
    [
        ("PEC art. 95", "PEC art. 95", "ст. 95 УИК", "ҚАК 95-бап"),
        ("CC art. 72", "CC art. 72", "ст. 72 УК", "ҚК 72-бап"),
        ("PEC arts. 134-145", "PEC arts. 134–145", "ст. 134–145 УИК", "ҚАК 134–145-баптар"),
        ("LAW.md §6", "LAW.md §6", "LAW.md §6", "LAW.md §6"),
    ],
)
def test_articles_are_cited_as_readers_of_each_language_cite_them(
    article: str, en: str, ru: str, kk: str
) -> None:
    from adaldyq.law.messages import article_name

    assert [article_name(article, lang) for lang in ("en", "ru", "kk")] == [en, ru, kk]
