"""The forms of the law-pack administration (ADR 0026)."""

from __future__ import annotations

from typing import Any

import orjson
from django import forms
from django.utils.translation import gettext_lazy as _

from adaldyq.law.amendments import CONFIDENCES

CONFIDENCE_LABELS = {
    "L": _("L: the text of the law in force"),
    "L-old": _("L-old: the text of an earlier edition"),
    "S": _("S: a secondary source"),
    "P": _("P: the project's interpretation"),
    "?": _("?: unknown (the value stays empty)"),
}


class ProposeForm(forms.Form):
    figure = forms.CharField(label=_("Figure of the law pack"), max_length=200)
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=500,
        help_text=_(
            "A number, a fraction such as 2/3, or a text; empty when the figure is unknown."
        ),
    )
    valid_from = forms.DateField(label=_("In force from"))
    valid_to = forms.DateField(label=_("In force until"), required=False)
    article = forms.CharField(label=_("Article"), max_length=200)
    edition = forms.CharField(label=_("Edition of the law"), max_length=300)
    document = forms.FileField(label=_("Source document"))
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=[(c, CONFIDENCE_LABELS[c]) for c in CONFIDENCES]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def payload(self) -> dict[str, Any]:
        """The amendment as the ledger records it (the document's hash is added by the service)."""
        d = self.cleaned_data
        text = d["value"].strip()
        try:
            value = orjson.loads(text) if text else None
        except orjson.JSONDecodeError:
            value = text
        return {
            "figure": d["figure"].strip(),
            "value": value,
            "valid_from": d["valid_from"].isoformat(),
            "valid_to": d["valid_to"].isoformat() if d["valid_to"] else None,
            "article": d["article"],
            "edition": d["edition"],
            "confidence": d["confidence"],
            "reason": d["reason"],
        }


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: in force from its date")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for a refusal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
