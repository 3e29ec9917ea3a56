"""A test run once in each of the site's three languages (Kazakh, Russian, English), with what that
language says: no table can leave a language out."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

Test = TypeVar("Test", bound=Callable[..., Any])


def in_each_language(*, kk: Any, ru: Any, en: Any) -> Callable[[Test], Test]:
    """Parametrize a test over `lang` ("kk", "ru", "en") and what each language says: one value, or
    a tuple of one value a word. The words are the test's last parameters, so that their names are
    written once, in its signature:

        @in_each_language(kk=("Жетіспейді", "маман"), ru=(...), en=("Missing", "officer"))
        def test_the_page_says_what_is_missing(person, lang, missing, who): ...
    """
    said = {"kk": kk, "ru": ru, "en": en}
    widths = {len(value) if isinstance(value, tuple) else 1 for value in said.values()}
    if len(widths) != 1:
        raise TypeError(f"in_each_language: the languages say different numbers of words: {said}")
    (width,) = widths

    def parametrize(test: Test) -> Test:
        params = tuple(inspect.signature(test).parameters)
        names = params[-width:]
        if "lang" not in params[:-width]:
            raise TypeError(
                f"{test.__name__}: `lang` must come before the {width} word parameter(s) {names}"
            )
        rows = [
            (lang, *(value if isinstance(value, tuple) else (value,)))
            for lang, value in said.items()
        ]
        marked: Test = pytest.mark.parametrize(("lang", *names), rows)(test)
        return marked

    return parametrize
