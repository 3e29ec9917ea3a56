"""Forms of the paper import (issue 23)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.web.programme.forms import MultipleFileField


class ImportForm(forms.Form):
    """A filled template and the scans of its pages."""

    table = forms.FileField(label=_("Filled template (CSV or XLSX)"))
    scans = MultipleFileField(label=_("Scans of the pages"), required=False)


class SettleForm(forms.Form):
    """A head's settlement of a page: for each difference, the first or the second reading."""

    reason = forms.CharField(
        label=_("Reason for the settlement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, differences: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = (("first", _("the first reading")), ("second", _("the second reading")))
        for i in range(differences):
            self.fields[f"d{i}"] = forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                label=_("Difference %(n)s") % {"n": i + 1},
            )

    def choices(self, differences: int) -> list[str]:
        return [self.cleaned_data[f"d{i}"] for i in range(differences)]
