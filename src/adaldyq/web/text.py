"""Names and document numbers on every path of the web (forms, the API's forms, imports, services):
`adaldyq.core.text` folds and refuses, this module says why in the reader's language.

Forms use `NameField` and `DocumentField` (a refusal under the field); services, importers and the
commands behind them use `checked_name` and `checked_document` (an InputError in one line), so a path
that skips a form is refused the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

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


def _document_problem(
    document: str, *, required: bool = True
) -> tuple[str, dict[str, object]] | None:
    return document_problem(document)  # a document number is always required


@dataclass(frozen=True, slots=True)
class _Kind:
    """One kind of typed text: why it is refused, the words that say so, its normal form."""

    problem: Callable[..., tuple[str, dict[str, object]] | None]
    words: Mapping[str, object]
    normal: Callable[[str], str]

    def checked(self, text: str, *, required: bool = True, form: bool = False) -> str:
        """`text` in its normal form, or the refusal in the active language: a form's
        ValidationError (`form`), else an InputError."""
        problem = self.problem(text, required=required)
        if problem is None:
            return self.normal(text)
        if form:
            raise forms.ValidationError(_said(self.words, problem), code=problem[0])
        raise InputError(_said(self.words, problem))


_NAME = _Kind(name_problem, NAME_PROBLEMS, normalise_name)
#: Text beside a name (a position, a public body): not NFKC, "№" stays "№".
_TEXT = _Kind(text_problem, TEXT_PROBLEMS, fold_whitespace)
#: A personal file's or a request's number: folded as a name, refused in the words of text.
_REFERENCE = _Kind(name_problem, TEXT_PROBLEMS, normalise_name)
_DOCUMENT = _Kind(_document_problem, DOCUMENT_PROBLEMS, normalise_document)


def checked_name(name: str, *, required: bool = True) -> str:
    """`name` in its normal form, or an InputError saying (in the active language) what is wrong."""
    return _NAME.checked(name, required=required)


def checked_text(text: str, *, required: bool = True) -> str:
    """Text beside a name (a position, a public body) with whitespace folded, or an InputError when it
    hides a control or format character."""
    return _TEXT.checked(text, required=required)


def checked_reference(number: str) -> str:
    """A personal file's or a request's number as typed, in NFKC with whitespace folded, or an
    InputError when it hides a control or format character."""
    return _REFERENCE.checked(number)


def checked_document(document: str) -> str:
    """`document` in its normal form, or an InputError saying what is wrong with it."""
    return _DOCUMENT.checked(document)


def clean_name(value: str, *, required: bool = True) -> str:
    """A form's name in its normal form, or a ValidationError saying what is wrong with it."""
    return _NAME.checked(value, required=required, form=True)


def clean_document_number(value: str) -> str:
    """A form's document number in its normal form, or a ValidationError saying what is wrong."""
    return _DOCUMENT.checked(value, form=True)


class _KindField(forms.CharField):
    """A form field of one kind of typed text, folded and refused as its kind says."""

    kind: ClassVar[_Kind]

    def clean(self, value: object) -> str:
        return self.kind.checked(str(super().clean(value)), required=self.required, form=True)


class NameField(_KindField):
    """A person's name: NFKC, whitespace folded, no control or format (bidi, zero-width) characters."""

    kind = _NAME


class TextField(_KindField):
    """Text beside a name (a position, a public body): whitespace folded, no control or format
    characters; otherwise as typed (no NFKC: "№" stays "№")."""

    kind = _TEXT


class ReferenceField(_KindField):
    """A personal file's or a request's number: NFKC (full-width digits read as digits), whitespace
    folded, no control or format characters."""

    kind = _REFERENCE


class DocumentField(_KindField):
    """An identity document's number: NFKC, no control or bidi characters, 5 to 20 characters."""

    kind = _DOCUMENT

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 60)  # before normalising: spaces and full-width forms
        super().__init__(**kwargs)  # type: ignore[arg-type]
