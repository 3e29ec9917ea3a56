"""People's names and identity document numbers as people type them: one normal form, and a reason
when the text cannot be accepted (issue 16; ADR 0017).

Every path that takes a name or a document number (web forms, the API, CSV imports, commands, the
services behind them) folds it here and refuses it here, so that one name is one text everywhere:

- NFKC: full-width and other compatibility forms read as the letters and digits they show
  ("Ｏｍａｒｏｖａ" is "Omarova"); whitespace of any kind is one space (names) or none (numbers).
- Control and format characters are refused, not removed: a bidi override (U+202E), a right-to-left
  mark (U+200F), a zero-width space or joiner, a NUL. Text that displays as one thing and compares as
  another is how a visitor is registered twice under one face, or a list shows a name backwards.
  Also refused: surrogates, private-use and unassigned code points.

Pure: the words of each refusal, in the reader's language, are the web's (`adaldyq.web.text`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

#: Unicode categories never part of a name or a number: controls (Cc: NUL, ESC...), format (Cf: bidi
#: marks and overrides, zero-width space, joiner and non-joiner, soft hyphen), surrogates (Cs),
#: private use (Co), unassigned (Cn). Ordinary whitespace (space, tab, line breaks) is folded instead.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

#: Document numbers: sensible lengths without spaces (the RK identity card has 9 digits, its passport
#: a letter and 8 digits; foreign passports and birth certificates run a little longer).
DOCUMENT_MIN, DOCUMENT_MAX = 5, 20
#: Besides letters and digits, what series and numbers are written with.
DOCUMENT_SEPARATORS = frozenset("-/.")


def hidden_characters(text: str) -> list[str]:
    """The code points of `text` (after NFKC) that are controls or format characters, each written
    as U+ and its hex digits (U+202E)."""
    folded = unicodedata.normalize("NFKC", text)
    found = {c for c in folded if unicodedata.category(c) in HIDDEN_CATEGORIES and not c.isspace()}
    return [f"U+{ord(c):04X}" for c in sorted(found)]


def normalise_name(name: str) -> str:
    """A name as it is kept and compared: NFKC, runs of whitespace one space, no space at the ends."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def name_problem(name: str, *, required: bool = True) -> tuple[str, dict[str, object]] | None:
    """Why `name` cannot be a person's name ("hidden" or "empty", with parameters), or None."""
    return _problem(name, normalise_name, required=required)


def fold_whitespace(text: str) -> str:
    """Text beside a name (a position, a public body): runs of whitespace one space, no space at the
    ends, and otherwise as typed. Not NFKC, which would write "№ 5" as "No 5" and "½" as "1⁄2"."""
    return " ".join(text.split())


def text_problem(text: str, *, required: bool = True) -> tuple[str, dict[str, object]] | None:
    """Why `text` beside a name cannot be kept ("hidden" or "empty", with parameters), or None."""
    return _problem(text, fold_whitespace, required=required)


def _problem(
    text: str, normal: Callable[[str], str], *, required: bool
) -> tuple[str, dict[str, object]] | None:
    """ "hidden" when `text` holds a control or format character; "empty" when it is required and
    its normal form is empty."""
    hidden = hidden_characters(text)
    if hidden:
        return "hidden", {"found": " ".join(hidden)}
    if required and not normal(text):
        return "empty", {}
    return None


def normalise_document(document: str) -> str:
    """The form document numbers are compared in: NFKC, no whitespace, upper case."""
    return "".join(unicodedata.normalize("NFKC", document).split()).upper()


def document_problem(document: str) -> tuple[str, dict[str, object]] | None:
    """Why `document` cannot be a document number (a problem's key and parameters), or None."""
    hidden = hidden_characters(document)
    if hidden:
        return "hidden", {"found": " ".join(hidden)}
    number = normalise_document(document)
    if not number:
        return "empty", {}
    odd = sorted({c for c in number if not c.isalnum() and c not in DOCUMENT_SEPARATORS})
    if odd:
        return "characters", {"found": " ".join(odd)}
    if not any(c.isdigit() for c in number):
        return "no_digit", {}
    if len(number) < DOCUMENT_MIN:
        return "short", {"min": DOCUMENT_MIN}
    if len(number) > DOCUMENT_MAX:
        return "long", {"max": DOCUMENT_MAX}
    return None
