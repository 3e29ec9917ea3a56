"""Identity document numbers as people type them: one normal form, and a reason when one is unusable.

A number is compared in NFKC form without spaces and in upper case ('n 012 3456' = 'N0123456';
full-width digits read as digits). Control and format characters (bidi overrides, zero-width
spaces) are refused rather than removed: a number that displays as one thing and compares as
another is how a visitor is registered twice under one face.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext_lazy as _

#: Sensible lengths without spaces: the RK identity card has 9 digits, its passport a letter and 8
#: digits; foreign passports and birth certificates run a little longer.
MIN_LENGTH, MAX_LENGTH = 5, 20
#: Besides letters and digits, what series and numbers are written with.
SEPARATORS = frozenset("-/.")
#: Unicode categories never part of a number: controls, format (bidi, zero-width), surrogates,
#: private use, unassigned.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

PROBLEMS = {
    "empty": _("Write the number of the identity document."),
    "hidden": _(
        "The document number contains invisible or control characters; type it again by hand."
    ),
    "characters": _(
        "A document number has only letters, digits, spaces and the signs - / . (found: %(found)s)."
    ),
    "no_digit": _("A document number contains digits."),
    "short": _("The document number is too short: at least %(min)s characters without spaces."),
    "long": _("The document number is too long: at most %(max)s characters without spaces."),
}


def normalise_document(document: str) -> str:
    """The form numbers are compared in: NFKC, no whitespace, upper case."""
    return "".join(unicodedata.normalize("NFKC", document).split()).upper()


def document_problem(document: str) -> tuple[str, dict[str, object]] | None:
    """Why `document` cannot be a document number (a key of PROBLEMS and its parameters), or None."""
    text = unicodedata.normalize("NFKC", document)
    if any(unicodedata.category(c) in _HIDDEN and not c.isspace() for c in text):
        return "hidden", {}
    number = normalise_document(text)
    if not number:
        return "empty", {}
    odd = sorted({c for c in number if not c.isalnum() and c not in SEPARATORS})
    if odd:
        return "characters", {"found": " ".join(odd)}
    if not any(c.isdigit() for c in number):
        return "no_digit", {}
    if len(number) < MIN_LENGTH:
        return "short", {"min": MIN_LENGTH}
    if len(number) > MAX_LENGTH:
        return "long", {"max": MAX_LENGTH}
    return None


def document_message(problem: tuple[str, dict[str, object]]) -> str:
    """The problem in the active language."""
    key, params = problem
    return str(PROBLEMS[key]) % params if params else str(PROBLEMS[key])
