"""Names and document numbers on every path of the web (forms, the API's forms, imports, services):
`adaldyq.core.text` folds and refuses, this module says why in the reader's language.

Forms use `NameField` and `DocumentField` (a refusal under the field); services, importers and the
commands behind them use `checked_name` and `checked_document` (an InputError in one line), so a path
that skips a form is refused the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.core.errors import InputError
from adaldyq.core.text import (
    document_problem,
    fold_whitespace,
    name_problem,
    normalise_document,
    normalise_name,
    text_problem,
)

NAME_PROBLEMS = {
    "empty": _("Write the name."),
    "hidden": _(
        "The name contains invisible or control characters (%(found)s); type it again by hand."
    ),
}
TEXT_PROBLEMS = {
    "empty": _("Fill in this field."),
    "hidden": _(
        "The text contains invisible or control characters (%(found)s); type it again by hand."
    ),
}
DOCUMENT_PROBLEMS = {
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


def _said(words: Mapping[str, object], problem: tuple[str, dict[str, object]]) -> str:
    key, params = problem
    return str(words[key]) % params if params else str(words[key])


def name_message(problem: tuple[str, dict[str, object]]) -> str:
    """A name's problem in the active language."""
    return _said(NAME_PROBLEMS, problem)


def document_message(problem: tuple[str, dict[str, object]]) -> str:
    """A document number's problem in the active language."""
    return _said(DOCUMENT_PROBLEMS, problem)


def checked_name(name: str, *, required: bool = True) -> str:
    """`name` in its normal form, or an InputError saying (in the active language) what is wrong."""
    problem = name_problem(name, required=required)
    if problem is not None:
        raise InputError(name_message(problem))
    return normalise_name(name)


def checked_text(text: str, *, required: bool = True) -> str:
    """Text beside a name (a position, a public body) with whitespace folded, or an InputError when it
    hides a control or format character."""
    problem = text_problem(text, required=required)
    if problem is not None:
        raise InputError(_said(TEXT_PROBLEMS, problem))
    return fold_whitespace(text)


def checked_reference(number: str) -> str:
    """A personal file's or a request's number as typed, in NFKC with whitespace folded, or an
    InputError when it hides a control or format character."""
    problem = name_problem(number)
    if problem is not None:
        raise InputError(_said(TEXT_PROBLEMS, problem))
    return normalise_name(number)


def checked_document(document: str) -> str:
    """`document` in its normal form, or an InputError saying what is wrong with it."""
    problem = document_problem(document)
    if problem is not None:
        raise InputError(document_message(problem))
    return normalise_document(document)


def clean_name(value: str, *, required: bool = True) -> str:
    """A form's name in its normal form, or a ValidationError saying what is wrong with it."""
    problem = name_problem(value, required=required)
    if problem is not None:
        raise forms.ValidationError(name_message(problem), code=problem[0])
    return normalise_name(value)


def clean_document_number(value: str) -> str:
    """A form's document number in its normal form, or a ValidationError saying what is wrong."""
    problem = document_problem(value)
    if problem is not None:
        raise forms.ValidationError(document_message(problem), code=problem[0])
    return normalise_document(value)


class NameField(forms.CharField):
    """A person's name: NFKC, whitespace folded, no control or format (bidi, zero-width) characters."""

    def clean(self, value: object) -> str:
        return clean_name(str(super().clean(value)), required=self.required)


class TextField(forms.CharField):
    """Text beside a name (a position, a public body): whitespace folded, no control or format
    characters; otherwise as typed (no NFKC: "№" stays "№")."""

    def clean(self, value: object) -> str:
        text = str(super().clean(value))
        problem = text_problem(text, required=self.required)
        if problem is not None:
            raise forms.ValidationError(_said(TEXT_PROBLEMS, problem), code=problem[0])
        return fold_whitespace(text)


class ReferenceField(forms.CharField):
    """A personal file's or a request's number: NFKC (full-width digits read as digits), whitespace
    folded, no control or format characters."""

    def clean(self, value: object) -> str:
        text = str(super().clean(value))
        problem = name_problem(text, required=self.required)
        if problem is not None:
            raise forms.ValidationError(_said(TEXT_PROBLEMS, problem), code=problem[0])
        return normalise_name(text)


class DocumentField(forms.CharField):
    """An identity document's number: NFKC, no control or bidi characters, 5 to 20 characters."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 60)  # before normalising: spaces and full-width forms
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> str:
        return clean_document_number(str(super().clean(value)))
