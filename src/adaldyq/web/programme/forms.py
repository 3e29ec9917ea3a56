"""Forms of the programme pages; the services do the checking that matters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.core.regions import load_regions
from adaldyq.web.programme.selectors import CATEGORIES
from adaldyq.web.text import NameField, TextField


def _regions() -> list[tuple[str, str]]:
    from adaldyq.web.accounts.templatetags.site_tags import region_name

    return [(r.key, region_name(r.key)) for r in load_regions()]


def host_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The register's institutions for a programme visit's host: correctional institutions, then
    pre-trial detention centres (the programme visits both)."""
    from adaldyq.web.institutions.models import INSTITUTION_KINDS, Institution

    rows = list(Institution.objects.order_by("code"))
    return [
        (str(label), [(i.code, i.label) for i in rows if i.kind == kind])
        for kind, label in INSTITUTION_KINDS
        if any(i.kind == kind for i in rows)
    ]


class HostForm(forms.Form):
    """The first step of planning: the host, whose own list of route stations the plan offers."""

    host = forms.ChoiceField(label=_("Host institution"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = host_choices()  # type: ignore[attr-defined]


class StationsForm(forms.Form):
    stations = forms.CharField(
        label=_("Route stations: one a line, in the order a visit passes them"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("From the investigators' offices to the cells and the exercise yards."),
    )

    def clean_stations(self) -> list[str]:
        return [s.strip() for s in str(self.cleaned_data["stations"]).splitlines() if s.strip()]


class PlanForm(forms.Form):
    host = forms.CharField(widget=forms.HiddenInput, max_length=40)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label=_("Capacity (officials)"), min_value=1, max_value=500)
    route = forms.MultipleChoiceField(
        label=_("Route: the stations of the host institution's own list"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    invited = forms.CharField(
        label=_("Invited officials: one key a line, from the list of officials"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    hearings = forms.CharField(
        label=_(
            "Court hearings of corruption cases: court; case number; date (YYYY-MM-DD), one a line"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean_hearings(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        for line in str(self.cleaned_data.get("hearings", "")).splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                court, case, day = parts
                date.fromisoformat(day)
            except ValueError:
                raise forms.ValidationError(
                    _("Write each hearing as: court; case number; date (YYYY-MM-DD).")
                ) from None
            found.append({"court": court, "case": case, "day": day})
        return found

    def __init__(self, *args: Any, stations: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(s, s) for s in stations]  # type: ignore[attr-defined]
        self.fields["route"].initial = list(stations)

    def clean_invited(self) -> list[str]:
        return [s.strip() for s in str(self.cleaned_data.get("invited", "")).split() if s.strip()]


class DecideForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Confirm the date")), ("no", _("Refuse the date"))],
        coerce=lambda v: v == "yes",
    )
    reason = forms.CharField(
        label=_("Reason (closure, quarantine, capacity...)"), required=False, max_length=1000
    )


class AttendanceForm(forms.Form):
    name = NameField(label=_("Full name"), max_length=200)
    body = TextField(label=_("Public body"), max_length=200)
    position = TextField(label=_("Position"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=list(CATEGORIES.items()))
    region = forms.ChoiceField(label=_("Region"), choices=_regions)

    def official(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of officials (CSV or XLSX: name, body, position, category, region)")
    )


class AnswerForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("How useful was the visit? (1: not at all, 5: very)"),
        choices=[(str(i), str(i)) for i in range(1, 6)], coerce=int,
    )  # fmt: skip
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend the visit to colleagues?"),
        choices=[("yes", _("yes")), ("no", _("no"))], coerce=lambda v: v == "yes",
    )  # fmt: skip


# ---- public councils' monitoring visits ---------------------------------------------------------


def _institutions() -> list[tuple[str, str]]:
    from adaldyq.web.accounts.templatetags.site_tags import institution_name
    from adaldyq.web.institutions.models import Institution

    codes = Institution.objects.order_by("code").values_list("code", flat=True)
    return [(code, str(institution_name(code))) for code in codes]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); none gives an empty list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class MonitoringForm(forms.Form):
    """A monitoring visit: the institution, the day, who visited, an observation per topic with its
    photographs or documents (the fields `text_<topic>` and `file_<topic>`)."""

    institution = forms.ChoiceField(label=_("Institution visited"), choices=_institutions)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    council = TextField(label=_("Public council (or its commission)"), max_length=300)
    members = forms.CharField(
        label=_("Members who visited: one full name a line"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from adaldyq.web.programme.models import TOPICS
        from adaldyq.web.programme.selectors import TOPIC_LABELS

        for topic in TOPICS:
            self.fields[f"text_{topic}"] = forms.CharField(
                label=TOPIC_LABELS[topic],
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=2000,
            )
            self.fields[f"repeats_{topic}"] = forms.CharField(
                label=_("Found again: the number of an earlier observation (optional)"),
                required=False,
                max_length=50,
            )
            self.fields[f"file_{topic}"] = MultipleFileField(
                label=_("Photographs or documents (optional)"), required=False
            )

    def clean_members(self) -> list[str]:
        return [s.strip() for s in str(self.cleaned_data["members"]).splitlines() if s.strip()]


class AssignForm(forms.Form):
    observation = forms.CharField(widget=forms.HiddenInput, max_length=50)
    to = TextField(label=_("Responsible official or body"), max_length=300)
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class MonitoringAnswerForm(forms.Form):
    observation = forms.CharField(widget=forms.HiddenInput, max_length=50)
    answer = forms.CharField(
        label=_("The institution's answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
