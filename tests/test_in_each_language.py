"""`tests.languages.in_each_language` names the words from the test's own last parameters."""

from __future__ import annotations

import pytest

from tests.languages import in_each_language


def test_the_words_take_the_names_of_the_tests_last_parameters() -> None:
    def test(fixture: object, lang: str, title: str, hidden: str) -> None: ...

    marked = in_each_language(kk=("a", "b"), ru=("c", "d"), en=("e", "f"))(test)
    (mark,) = marked.pytestmark  # type: ignore[attr-defined]
    assert mark.args == (
        ("lang", "title", "hidden"),
        [("kk", "a", "b"), ("ru", "c", "d"), ("en", "e", "f")],
    )


def test_languages_that_say_different_numbers_of_words_are_refused() -> None:
    with pytest.raises(TypeError, match="different numbers of words"):
        in_each_language(kk=("a", "b"), ru="c", en=("e", "f"))


def test_a_test_without_lang_before_its_words_is_refused() -> None:
    def test(title: str, lang: str) -> None: ...

    with pytest.raises(TypeError, match="`lang` must come before"):
        in_each_language(kk="a", ru="b", en="c")(test)
