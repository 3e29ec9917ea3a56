"""The personal file's forms for the facts of life in prison (issue 19): the damage awarded and each
payment, the re-socialisation programme and its quarterly reviews, a certificate gained. They are
the file's forms (`records.forms.FACT_FORMS`, added when the app is ready) and record through its
one service."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.web.records.forms import FactForm
from adaldyq.web.work.labels import ACTIVITIES, NEEDS, PAYERS, PROGRESS, QUALIFICATIONS


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2)


class DamageAwardedForm(FactForm):
    type, title = "damage_awarded", _("Damage awarded by the court")
    amount = _amount(_("Sum awarded (tenge)"))

    def fields_payload(self) -> dict[str, Any]:
        return {"amount": float(self.cleaned_data["amount"])}


class DamagePaidForm(FactForm):
    type, title = "damage_paid", _("Payment towards the damage")
    amount = _amount(_("Sum paid (tenge)"))
    by = forms.ChoiceField(label=_("Who paid"), choices=list(PAYERS.items()))

    def fields_payload(self) -> dict[str, Any]:
        return {"amount": float(self.cleaned_data["amount"]), "by": self.cleaned_data["by"]}


class ProgrammeSetForm(FactForm):
    type, title = "programme_set", _("Individual re-socialisation programme")
    needs = forms.MultipleChoiceField(
        label=_("Needs assessed"), choices=list(NEEDS.items()), widget=forms.CheckboxSelectMultiple
    )
    goals = forms.CharField(
        label=_("Goals (one a line)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activities = forms.MultipleChoiceField(
        label=_("Activities planned"),
        choices=list(ACTIVITIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def fields_payload(self) -> dict[str, Any]:
        goals = [g.strip() for g in self.cleaned_data.get("goals", "").splitlines() if g.strip()]
        return {
            "needs": list(self.cleaned_data["needs"]),
            "goals": goals,
            "activities": list(self.cleaned_data.get("activities") or []),
        }


class ProgrammeReviewedForm(FactForm):
    type, title = "programme_reviewed", _("Quarterly review of the programme")
    quarter = forms.CharField(label=_("Quarter (YYYY-Qn)"), max_length=7)
    progress = forms.ChoiceField(label=_("The programme is"), choices=list(PROGRESS.items()))
    note = forms.CharField(
        label=_("What was done, what was not"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_quarter(self) -> str:
        q = str(self.cleaned_data["quarter"]).strip().upper()
        if not re.fullmatch(r"\d{4}-Q[1-4]", q):
            raise forms.ValidationError(_("Write the quarter as YYYY-Qn, e.g. 2025-Q3."))
        return q

    def fields_payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        note = str(d.get("note") or "").strip()
        return {
            "quarter": d["quarter"],
            "progress": d["progress"],
            **({"note": note} if note else {}),
        }


class QualificationForm(FactForm):
    type, title = "qualification_gained", _("Certificate or qualification gained")
    kind = forms.ChoiceField(label=_("Kind"), choices=list(QUALIFICATIONS.items()))
    title_text = forms.CharField(label=_("As written on the document"), max_length=300)

    def fields_payload(self) -> dict[str, Any]:
        return {"kind": self.cleaned_data["kind"], "title": self.cleaned_data["title_text"].strip()}


INSIDE_FORMS: tuple[type[FactForm], ...] = (
    DamageAwardedForm,
    DamagePaidForm,
    ProgrammeSetForm,
    ProgrammeReviewedForm,
    QualificationForm,
)
