"""The forms of the court's part (issue 19): the submission, the court's decision, the release."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.files import COURT_DUTIES, REFUSAL_REASONS, RELEASE_GROUNDS, RELEASED_GROUNDS
from adaldyq.web.release.labels import DUTY_LABELS, GROUND_LABELS, REFUSAL_LABELS

_DAY = forms.DateInput(attrs={"type": "date"})


class SubmissionForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"), choices=[(g, GROUND_LABELS[g]) for g in RELEASE_GROUNDS]
    )
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    on = forms.DateField(label=_("Day of the submission"), widget=_DAY)


class DecisionForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"), choices=[(g, GROUND_LABELS[g]) for g in RELEASE_GROUNDS]
    )
    outcome = forms.ChoiceField(
        label=_("The court's decision"),
        choices=[("granted", _("granted")), ("refused", _("refused"))],
    )
    refusal = forms.ChoiceField(
        label=_("Ground of a refusal"),
        choices=[("", "—"), *((r, REFUSAL_LABELS[r]) for r in REFUSAL_REASONS)],
        required=False,
    )
    reason = forms.CharField(label=_("The court's reason"), widget=forms.Textarea, required=False)
    years = forms.IntegerField(label=_("Unserved part: years"), min_value=0, required=False)
    months = forms.IntegerField(label=_("months"), min_value=0, required=False)
    days = forms.IntegerField(label=_("days"), min_value=0, required=False)
    duties = forms.MultipleChoiceField(
        label=_("Duties imposed by the court"),
        choices=[(d, DUTY_LABELS[d]) for d in COURT_DUTIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    on = forms.DateField(label=_("Day of the decision"), widget=_DAY)

    def fact(self) -> dict[str, Any]:
        """The `court_decided` fact the form states (checked by `adaldyq.files.parse_fact`)."""
        d = self.cleaned_data
        out: dict[str, Any] = {"type": "court_decided", "on": d["on"].isoformat(),
                               "ground": d["ground"], "outcome": d["outcome"]}  # fmt: skip
        if d["outcome"] == "refused":
            out["refusal"] = d["refusal"] or None
            out["reason"] = d["reason"]
        else:
            if d.get("reason"):
                out["reason"] = d["reason"]
            if any(d.get(k) for k in ("years", "months", "days")):
                out["unserved"] = {k: d.get(k) or 0 for k in ("years", "months", "days")}
            out["duties"] = list(d["duties"])
        return out


class ReleaseForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground of the release"), choices=[(g, GROUND_LABELS[g]) for g in RELEASED_GROUNDS]
    )
    on = forms.DateField(label=_("Day of the release"), widget=_DAY)
