"""A test run once in each of the site's three languages (Kazakh, Russian, English), with what that
language says: no table can leave a language out."""

from __future__ import annotations

from typing import Any

import pytest


def in_each_language(names: str | tuple[str, ...], *, kk: Any, ru: Any, en: Any) -> Any:
    """Parametrize a test over `lang` ("kk", "ru", "en") and `names`: each language's values (one
    value, or a tuple of one value a name when there are several names)."""
    many = isinstance(names, tuple)
    rows = [
        (lang, *(said if many else (said,))) for lang, said in (("kk", kk), ("ru", ru), ("en", en))
    ]
    return pytest.mark.parametrize(("lang", *(names if many else (names,))), rows)
