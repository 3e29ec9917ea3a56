"""The forms of the officer's monitoring page: a zone, a device feed."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.web.emonitoring.labels import ZONE_LABELS

_DAY = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
_TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
_PAIR = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*")


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Name of the zone"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind of zone"), choices=list(ZONE_LABELS.items()))
    polygon = forms.CharField(
        label=_("Corners of the zone: one point a line, longitude and latitude in degrees"),
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "76.8990, 43.2390"}),
    )
    curfew_from = forms.TimeField(label=_("Curfew from"), widget=_TIME, required=False)
    curfew_to = forms.TimeField(label=_("Curfew until"), widget=_TIME, required=False)
    on = forms.DateField(label=_("In force from"), widget=_DAY)

    def clean_polygon(self) -> list[list[float]]:
        points = []
        for line in str(self.cleaned_data["polygon"]).splitlines():
            if not line.strip():
                continue
            m = _PAIR.fullmatch(line)
            if m is None:
                raise forms.ValidationError(
                    _("Write each point as longitude, latitude: “%(line)s” is not one.")
                    % {"line": line.strip()[:40]}
                )
            points.append([float(m.group(1)), float(m.group(2))])
        return points

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours = (data.get("curfew_from"), data.get("curfew_to"))
        if data.get("kind") == "home" and not all(hours):
            raise forms.ValidationError(_("A home needs the curfew hours."))
        return data

    def zone(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {"on": d["on"].isoformat(), "name": d["name"], "kind": d["kind"],
                               "polygon": d["polygon"]}  # fmt: skip
        if d["kind"] == "home":
            out["curfew"] = {"from": d["curfew_from"].strftime("%H:%M"),
                             "to": d["curfew_to"].strftime("%H:%M")}  # fmt: skip
        return out


class FeedForm(forms.Form):
    device = forms.CharField(label=_("Device (serial number)"), max_length=80)
