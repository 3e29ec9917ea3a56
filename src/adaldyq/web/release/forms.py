"""The forms of the court's part (issue 19): the submission, the court's decision, the release."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from adaldyq.web.records.templatetags.records_tags import KIND_LABELS
from adaldyq.web.release.labels import (
    AREA_LABELS,
    CLOSED_LABELS,
    DUTY_LABELS,
    GROUND_LABELS,
    HANDLING_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    REFUSAL_LABELS,
    STATUS_LABELS,
    VIOLATION_LABELS,
)

_DAY = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what a date input reads


def _choice(
    label: Any,
    words: Mapping[str, Any],
    codes: Iterable[str],
    *,
    none: bool = False,
    required: bool = True,
) -> forms.ChoiceField:
    """A choice of one of `codes`, each in the words the pages use for it (`release.labels`); `none`:
    a first choice "—" of none, and then none is needed."""
    choices = [(code, words[code]) for code in codes]
    return forms.ChoiceField(
        label=label,
        choices=[("", "—"), *choices] if none else choices,
        required=required and not none,
    )


class SubmissionForm(forms.Form):
    ground = _choice(_("Ground"), GROUND_LABELS, RELEASE_GROUNDS)
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    on = forms.DateField(label=_("Day of the submission"), widget=_DAY)


class DecisionForm(forms.Form):
    ground = _choice(_("Ground"), GROUND_LABELS, RELEASE_GROUNDS)
    outcome = _choice(_("The court's decision"), OUTCOME_LABELS, OUTCOME_LABELS)
    refusal = _choice(_("Ground of a refusal"), REFUSAL_LABELS, REFUSAL_REASONS, none=True)
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

    ground = _choice(_("Ground of the release"), GROUND_LABELS, RELEASED_GROUNDS)
    on = forms.DateField(label=_("Day of the release"), widget=_DAY)
    region = forms.ChoiceField(label=_("Region the person is released to"), choices=())
    every_days = forms.IntegerField(
        label=_("Report to the probation service every (days)"), min_value=1, required=False
    )
    mode = _choice(_("How"), MODE_LABELS, MODE_LABELS, required=False)

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


#: The facts of the probation officer's day, the commonest first (in the words of the timeline).
DAY_KINDS = ("checked_in", "probation_violation", "programme_joined", "employed", "medical_aid",
             "reporting_set", "probation_closed")  # fmt: skip


class ProbationForm(forms.Form):
    """One fact of the probation officer's day; the fields its kind needs, the rest ignored."""

    kind = _choice(_("What happened"), KIND_LABELS, DAY_KINDS)
    on = forms.DateField(label=_("Day"), widget=_DAY)
    mode = _choice(_("How"), MODE_LABELS, MODE_LABELS, required=False)
    every_days = forms.IntegerField(label=_("Every (days)"), min_value=1, required=False)
    violation = _choice(_("Violation"), VIOLATION_LABELS, VIOLATION_KINDS, required=False)
    handling = _choice(_("Measure taken"), HANDLING_LABELS, VIOLATION_HANDLING, none=True)
    area = _choice(_("Programme"), AREA_LABELS, PROGRAMME_AREAS, required=False)
    status = _choice(_("State of the programme"), STATUS_LABELS, PROGRAMME_STATUSES, required=False)
    reason = _choice(_("Why probation ends"), CLOSED_LABELS, PROBATION_CLOSED, required=False)
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
