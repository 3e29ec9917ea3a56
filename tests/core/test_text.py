"""Names and document numbers fold to one text and refuse what hides (adaldyq.core.text)."""

from __future__ import annotations

import pytest

from adaldyq.core.text import (
    document_problem,
    fold_whitespace,
    hidden_characters,
    name_problem,
    normalise_document,
    normalise_name,
    text_problem,
)

HIDING = {
    "a right-to-left override": "ombudsman\u202e",
    "a right-to-left mark": "Омар\u200fова",
    "a zero-width space": "Омар\u200bова",
    "a zero-width joiner": "Омар\u200dова",
    "a zero-width non-joiner": "Омар\u200cова",
    "a soft hyphen": "Омар\u00adова",
    "a byte-order mark": "\ufeffОмарова",
    "a NUL": "Омар\x00ова",
    "an escape": "Омар\x1bова",
    "a private-use character": "Омар\ue000ова",
}


@pytest.mark.parametrize("text", HIDING.values(), ids=HIDING.keys())
def test_a_name_or_number_with_a_hidden_character_is_refused_naming_it(text: str) -> None:
    name = name_problem(text)
    number = document_problem(text.replace("Омарова", "N0123456"))

    assert name is not None
    assert name[0] == "hidden"
    assert str(name[1]["found"]).startswith("U+")
    assert number is not None
    assert number[0] == "hidden"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("\uff2f\uff4d\uff41\uff52\uff4f\uff56\uff41", "Omarova"),  # full-width letters
        ("  Омарова \t Айгүл\n", "Омарова Айгүл"),  # whitespace folded, a tab too
        ("Omarova\u00a0Aigul", "Omarova Aigul"),  # a no-break space
        ("\ufb01lat", "filat"),  # a ligature
        ("O\u0301", "\u00d3"),  # a combining accent composed
    ],
)
def test_a_name_is_kept_in_nfkc_with_whitespace_folded(typed: str, kept: str) -> None:
    assert name_problem(typed) is None
    assert normalise_name(typed) == kept


def test_an_empty_name_is_refused_only_where_one_is_required() -> None:
    assert name_problem(" \t ") == ("empty", {})
    assert name_problem(" ", required=False) is None


def test_ordinary_whitespace_is_not_a_hidden_character() -> None:
    assert hidden_characters("a\tb\nc d\u00a0e") == []
    assert hidden_characters("a\u202eb\u200dc") == ["U+200D", "U+202E"]


def test_a_full_width_document_number_reads_as_its_digits() -> None:
    assert normalise_document("\uff2e\uff10\uff11\uff12 3456") == "N0123456"


def test_text_beside_a_name_keeps_its_signs_and_refuses_what_hides() -> None:
    assert fold_whitespace("  Начальник\tотряда  № 2 ") == "Начальник отряда № 2"
    assert text_problem("Начальник отряда № 2") is None
    assert text_problem("Начальник\u202e") == ("hidden", {"found": "U+202E"})
    assert text_problem("", required=False) is None
