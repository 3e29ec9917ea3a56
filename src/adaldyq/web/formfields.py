"""Choice fields whose choices every form of a class shares.

Django deep-copies each field of a form for every form it makes, and a choice field's choices with
it: every choice and its lazy translation, about 20 Python calls a choice. A records officer's file
page makes a form of each kind of fact (3 M instructions of the page went to those copies). The
choices given here are constants of their modules; a form that needs its own sets them
(`field.choices = ...`), which gives its copy a new list and leaves the shared one as it was.
"""

from __future__ import annotations

from typing import Any

from django import forms


class _SharedChoices:
    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        # Field's copy (its widget, validators and messages copied), the choices list shared.
        field: Any = self
        return forms.Field.__deepcopy__(field, memo)


class ChoiceField(_SharedChoices, forms.ChoiceField):
    """`forms.ChoiceField`, its choices shared by the forms that copy it."""


class TypedChoiceField(_SharedChoices, forms.TypedChoiceField):
    """`forms.TypedChoiceField`, its choices shared by the forms that copy it."""
