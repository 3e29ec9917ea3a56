"""Forms of placement and transfers (choices from the placement rules and the register)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.web.institutions.models import SENTENCE_TYPES, Institution
from adaldyq.web.text import DocumentField, ReferenceField

GROUNDS = [
    ("closer_to_home", _("to serve closer to home (Mandela Rule 59)")),
    ("safety", _("for my safety (art. 88 (1))")),
    ("operational_need", _("operational need, with my consent (art. 88 (3))")),
    ("reorganisation", _("reorganisation or liquidation (art. 88 (2))")),
    ("law_and_order", _("to maintain law and order (art. 88 (4))")),
]
FAMILY = [
    ("minor_children", _("minor children near the target")),
    ("sick_parent", _("a sick parent near the target")),
    ("sole_carer", _("the person is a sole carer")),
]


def institution_choices() -> list[tuple[str, str]]:
    return [
        (i.code, f"{i.label} ({i.get_type_display()})")
        for i in Institution.objects.exclude(type="mixed").order_by("code")
    ]


class RequestForm(forms.Form):
    target = forms.ChoiceField(label=_("Institution asked for"))
    ground = forms.ChoiceField(label=_("Ground"), choices=GROUNDS)
    family = forms.MultipleChoiceField(
        label=_("Family circumstances"), choices=FAMILY, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    consent = forms.BooleanField(label=_("The person consents to the transfer"), required=False)
    contact = forms.CharField(
        label=_("How to tell the family of the decision (phone or address)"), max_length=200,
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)  # noqa: S101 - declared so above
        target.choices = institution_choices()


class PublicRequestForm(RequestForm):
    number = ReferenceField(label=_("Personal file number"), max_length=40)
    document = DocumentField(label=_("Your identity document number"))
    field_order = ("number", "document", "target", "ground", "family", "consent", "contact")


class StatusForm(forms.Form):
    request = ReferenceField(label=_("Request number"), max_length=20)
    code = forms.CharField(label=_("One-time code"), max_length=20)


class ProposeForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Institution type the sentence requires"), choices=SENTENCE_TYPES
    )
    medical = forms.BooleanField(label=_("Needs treatment (medical institution)"), required=False)


class DecideForm(forms.Form):
    reason = forms.CharField(
        label=_("Written reason (required for a departure)"), widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )  # fmt: skip
    capacity_override = forms.BooleanField(
        label=_("Override the population limit (flagged)"), required=False
    )
