"""Forms of the visits pages; services do the checking that matters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from adaldyq.web.text import DocumentField, NameField, ReferenceField
from adaldyq.web.visits.selectors import DOCUMENT_TYPES, KIND_NAMES, RELATIONSHIPS, WHERE_NAMES


def document_type_choices() -> list[tuple[str, object]]:
    return [("", "—"), *DOCUMENT_TYPES.items()]


class VisitorForm(forms.Form):
    name = NameField(label=_("Full name"), max_length=200)
    document_type = forms.ChoiceField(
        label=_("Identity document"), choices=document_type_choices, required=False
    )
    document = DocumentField(label=_("Identity document number"))
    relationship = forms.ChoiceField(label=_("Relationship"), choices=list(RELATIONSHIPS.items()))
    evidence = forms.CharField(label=_("Evidence of the relationship"), max_length=500)


class DecisionForm(forms.Form):
    """Another officer's decision on a visitor, with the identity document seen (for an approval)."""

    approved = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1"
    )
    document_seen = forms.BooleanField(
        label=_("I saw the identity document, and it matches"), required=False
    )
    document_type = forms.ChoiceField(
        label=_("Document seen"), choices=document_type_choices, required=False
    )
    document = forms.CharField(label=_("Number read from the document"), required=False)


class RoomForm(forms.Form):
    room = forms.SlugField(label=_("Room code"), max_length=40)
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Visits"), choices=list(KIND_NAMES.items()))
    capacity = forms.IntegerField(label=_("Places per session"), min_value=1, max_value=200)
    starts = forms.CharField(
        label=_("Session start times (short visits)"), required=False, help_text="09:00 11:00 14:00"
    )
    weekdays = forms.CharField(label=_("Weekdays (1 = Monday)"), initial="1 2 3 4 5 6 7")
    visitors_max = forms.IntegerField(label=_("Visitors per visit at most"), min_value=1, initial=3)
    book_min_days = forms.IntegerField(label=_("Book from (days ahead)"), min_value=0, initial=1)
    book_max_days = forms.IntegerField(label=_("Book up to (days ahead)"), min_value=0, initial=28)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class ClosureForm(forms.Form):
    room = forms.CharField(label=_("Room code (empty: every room)"), required=False, max_length=40)
    first_day = forms.DateField(
        label=pgettext_lazy("first day", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=pgettext_lazy("last day", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class WhereaboutsForm(forms.Form):
    where = forms.ChoiceField(label=_("Held in"), choices=list(WHERE_NAMES.items()))
    first_day = forms.DateField(
        label=pgettext_lazy("first day", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class IdentityForm(forms.Form):
    document = DocumentField(label=_("Your identity document number"))
    number = ReferenceField(label=_("Personal file number of the person you visit"), max_length=40)


class ManageForm(forms.Form):
    document = DocumentField(label=_("Your identity document number"))
    code = forms.CharField(label=_("Booking code"), max_length=20)
