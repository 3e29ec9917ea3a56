"""The forms of the court's part (issue 19): the submission, the court's decision, the release."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from adaldyq.core.regions import load_regions
from adaldyq.files import COURT_DUTIES, REFUSAL_REASONS, RELEASE_GROUNDS, RELEASED_GROUNDS
from adaldyq.files.facts import (
    PROBATION_CLOSED,
    PROGRAMME_AREAS,
    PROGRAMME_STATUSES,
    VIOLATION_HANDLING,
    VIOLATION_KINDS,
)
from adaldyq.web.release.labels import (
    AREA_LABELS,
    CLOSED_LABELS,
    DUTY_LABELS,
    GROUND_LABELS,
    HANDLING_LABELS,
    REFUSAL_LABELS,
    STATUS_LABELS,
    VIOLATION_LABELS,
)

_DAY = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what a date input reads


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
    """The release: it ends the placement; on parole or substitution it opens the probation file in
    the region the person is released to, with the first reporting schedule when stated."""

    ground = forms.ChoiceField(
        label=_("Ground of the release"), choices=[(g, GROUND_LABELS[g]) for g in RELEASED_GROUNDS]
    )
    on = forms.DateField(label=_("Day of the release"), widget=_DAY)
    region = forms.ChoiceField(label=_("Region the person is released to"), choices=())
    every_days = forms.IntegerField(
        label=_("Report to the probation service every (days)"), min_value=1, required=False
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=[("in_person", _("in person")), ("phone", _("by phone"))],
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = (get_language() or "kk")[:2]
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)  # noqa: S101 - declared above
        region.choices = [(r.key, r.name(lang)) for r in load_regions()]

    def fact(self) -> dict[str, Any]:
        """The `released` fact the form states (checked by `adaldyq.files.parse_fact`)."""
        d = self.cleaned_data
        out: dict[str, Any] = {"type": "released", "on": d["on"].isoformat(),
                               "ground": d["ground"], "region": d["region"]}  # fmt: skip
        if d.get("every_days") and d["ground"] in RELEASE_GROUNDS:
            out.update(every_days=d["every_days"], mode=d.get("mode") or "in_person")
        return out


class ProbationForm(forms.Form):
    """One fact of the probation officer's day; the fields its kind needs, the rest ignored."""

    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            ("checked_in", _("Check-in with the probation service")),
            ("probation_violation", _("Violation on probation")),
            ("programme_joined", _("Re-socialisation programme")),
            ("employed", _("Employment")),
            ("medical_aid", _("Medical aid")),
            ("reporting_set", _("Reporting schedule")),
            ("probation_closed", _("End of probation")),
        ],
    )
    on = forms.DateField(label=_("Day"), widget=_DAY)
    mode = forms.ChoiceField(
        label=_("How"), choices=[("in_person", _("in person")), ("phone", _("by phone"))],
        required=False,
    )  # fmt: skip
    every_days = forms.IntegerField(label=_("Every (days)"), min_value=1, required=False)
    violation = forms.ChoiceField(
        label=_("Violation"), choices=[(k, VIOLATION_LABELS[k]) for k in VIOLATION_KINDS],
        required=False,
    )  # fmt: skip
    handling = forms.ChoiceField(
        label=_("Measure taken"),
        choices=[("", "—"), *((k, HANDLING_LABELS[k]) for k in VIOLATION_HANDLING)],
        required=False,
    )
    area = forms.ChoiceField(
        label=_("Programme"), choices=[(k, AREA_LABELS[k]) for k in PROGRAMME_AREAS],
        required=False,
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("State of the programme"),
        choices=[(k, STATUS_LABELS[k]) for k in PROGRAMME_STATUSES], required=False,
    )  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Why probation ends"),
        choices=[(k, CLOSED_LABELS[k]) for k in PROBATION_CLOSED], required=False,
    )  # fmt: skip
    text = forms.CharField(label=_("Note, employer or kind of aid"), max_length=300, required=False)

    def fact(self) -> dict[str, Any]:
        """The fact the form states, for `adaldyq.files.parse_fact` to check."""
        d = self.cleaned_data
        kind = d["kind"]
        out: dict[str, Any] = {"type": kind, "on": d["on"].isoformat()}
        text = (d.get("text") or "").strip()
        if kind == "checked_in":
            out["mode"] = d.get("mode") or None
        elif kind == "reporting_set":
            out.update(every_days=d.get("every_days"), mode=d.get("mode") or None)
        elif kind == "probation_violation":
            out["kind"] = d.get("violation") or None
            if d.get("handling"):
                out["handling"] = d["handling"]
            if text:
                out["text"] = text
        elif kind == "programme_joined":
            out.update(area=d.get("area") or None, status=d.get("status") or "started")
        elif kind == "employed" and text:
            out["employer"] = text
        elif kind == "medical_aid" and text:
            out["kind"] = text
        elif kind == "probation_closed":
            out["reason"] = d.get("reason") or None
        return out
