"""Words for the facts of life in prison the file keeps (issue 19): the damage and its payments, the
re-socialisation programme and its reviews, certificates; in this app's catalogue."""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adaldyq.web.words import label_of, labels_of

KIND_LABELS: Final = {
    "damage_awarded": gettext_lazy("Damage awarded by the court"),
    "damage_paid": gettext_lazy("Payment towards the damage"),
    "programme_set": gettext_lazy("Individual re-socialisation programme"),
    "programme_reviewed": gettext_lazy("Quarterly review of the programme"),
    "qualification_gained": gettext_lazy("Certificate or qualification gained"),
}
PAYERS: Final = {
    "person": gettext_lazy("paid by the person"),
    "relatives": gettext_lazy("paid by relatives"),
}
NEEDS: Final = {
    "general_education": gettext_lazy("general education"),
    "vocational_training": gettext_lazy("vocational training"),
    "work": gettext_lazy("work"),
    "addiction_treatment": gettext_lazy("treatment of an addiction"),
    "health": gettext_lazy("health"),
    "psychological_support": gettext_lazy("psychological support"),
    "family_ties": gettext_lazy("family ties"),
    "legal_assistance": gettext_lazy("legal assistance"),
    "documents": gettext_lazy("identity documents"),
    "housing_after_release": gettext_lazy("housing after release"),
    "damage_compensation": gettext_lazy("making good the damage caused by the crime"),
}
ACTIVITIES: Final = {
    "work": gettext_lazy("paid work"),
    "school": gettext_lazy("school"),
    "vocational_course": gettext_lazy("vocational course"),
    "addiction_programme": gettext_lazy("addiction programme"),
    "psychological_programme": gettext_lazy("work with a psychologist"),
    "legal_assistance": gettext_lazy("legal assistance"),
    "social_assistance": gettext_lazy("social assistance"),
    "family_contact": gettext_lazy("contact with the family"),
    "sport_and_culture": gettext_lazy("sport and culture"),
    "damage_payments": gettext_lazy("payments towards the damage"),
}
PROGRESS: Final = {
    "fulfilled": gettext_lazy("fulfilled"),
    "partly": gettext_lazy("partly fulfilled"),
    "not_fulfilled": gettext_lazy("not fulfilled"),
}
QUALIFICATIONS: Final = {
    "school_certificate": gettext_lazy("school certificate"),
    "vocational_certificate": gettext_lazy("vocational certificate"),
    "work_qualification": gettext_lazy("work qualification"),
    "other": gettext_lazy("other certificate"),
}


#: The codes of needs, activities and payers in words (the file page's filters and details).
needs_words = labels_of(NEEDS)
activities_words = labels_of(ACTIVITIES)
payer_words = label_of(PAYERS)


def tenge(amount: Any) -> str:
    """A sum of tenge as the pages write it (whole tenge without a decimal point)."""
    value = float(amount or 0)
    return f"{value:,.0f}".replace(",", "\u00a0") if value == int(value) else f"{value:,.2f}"


def inside_details(kind: str, d: dict[str, Any]) -> list[str]:
    """What an entry of one of these kinds says, in whole phrases."""
    if kind == "damage_awarded":
        return [_("%(sum)s tenge") % {"sum": tenge(d.get("amount"))}]
    if kind == "damage_paid":
        by = PAYERS.get(str(d.get("by")), d.get("by"))
        return [_("%(sum)s tenge, %(by)s") % {"sum": tenge(d.get("amount")), "by": by}]
    if kind == "programme_set":
        out = [_("needs: %(list)s") % {"list": needs_words(d.get("needs"))}]
        if d.get("activities"):
            out.append(_("activities: %(list)s") % {"list": activities_words(d["activities"])})
        if d.get("goals"):
            out.append(_("goals: %(list)s") % {"list": "; ".join(d["goals"])})
        return out
    if kind == "programme_reviewed":
        progress = PROGRESS.get(str(d.get("progress")), d.get("progress"))
        out = [
            _("%(quarter)s: %(progress)s") % {"quarter": d.get("quarter", ""), "progress": progress}
        ]
        return [*out, str(d["note"])] if d.get("note") else out
    title = QUALIFICATIONS.get(str(d.get("kind")), d.get("kind"))
    return [f"{title}: {d['title']}" if d.get("title") else str(title)]
