"""The words of the court's part and the release (issue 19), kk/ru/en."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from adaldyq.core.regions import regions_by_key

GROUND_LABELS = {
    "parole": _("parole"),
    "substitution": _("substitution with a milder punishment"),
    "term_served": _("the term served in full"),
    "other": _("another ground"),
}
OUTCOME_LABELS = {"granted": _("granted"), "refused": _("refused")}
REFUSAL_LABELS = {
    "late_submission": _("the administration did not submit on time"),
    "not_corrected": _("the court did not find the person corrected"),
    "damage_not_compensated": _("the damage is not compensated"),
    "violations": _("violations of the order of serving the sentence"),
    "other": _("another reason"),
}
DUTY_LABELS = {
    "report": _("report to the probation service on the days it sets"),
    "residence": _("not change the place of residence without notifying the probation service"),
    "places": _("not visit the places the court named"),
    "curfew": _("stay at home at the hours the court set"),
    "treatment": _("undergo treatment"),
    "work_or_study": _("work or study"),
    "family_support": _("support the family"),
    "other": _("another duty, as the court words it"),
}


def court_details(kind: str, d: dict[str, Any]) -> list[str]:
    """A submission, a court's decision or a release in words (the timeline, the submission PDF)."""
    parts = [str(GROUND_LABELS.get(d.get("ground", ""), d.get("ground", "")))]
    if kind == "court_submitted" and d.get("court"):
        parts.append(str(d["court"]))
    if kind == "court_decided":
        parts.append(str(OUTCOME_LABELS.get(d.get("outcome", ""), d.get("outcome", ""))))
        if d.get("refusal"):
            parts.append(str(REFUSAL_LABELS.get(d["refusal"], d["refusal"])))
        if d.get("reason"):
            parts.append(str(d["reason"]))
        u = d.get("unserved")
        if isinstance(u, dict):
            parts.append(
                gettext("unserved part: %(y)s y. %(m)s m. %(d)s d.")
                % {"y": u.get("years", 0), "m": u.get("months", 0), "d": u.get("days", 0)}
            )
        for duty in d.get("duties") or []:
            parts.append(str(DUTY_LABELS.get(duty, duty)))
    if kind == "released" and d.get("region"):
        region = regions_by_key().get(str(d["region"]))
        name = region.name((get_language() or "kk")[:2]) if region else str(d["region"])
        parts.append(gettext("released to %(region)s") % {"region": name})
    if kind == "released" and d.get("every_days"):
        mode = str(MODE_LABELS.get(str(d.get("mode", "")), d.get("mode", "")))
        parts.append(
            gettext("to report every %(n)s days, %(mode)s") % {"n": d["every_days"], "mode": mode}
        )
    return parts


MODE_LABELS = {"in_person": _("in person"), "phone": _("by phone")}
VIOLATION_LABELS = {
    "missed_checkin": _("did not report on the set day"),
    "curfew": _("away from home at the hours the court set"),
    "exclusion_zone": _("in a place the court forbade"),
    "duty": _("another duty not kept"),
    "new_offence": _("a new criminal offence"),
    "other": _("another violation"),
}
HANDLING_LABELS = {
    "warning": _("written warning"),
    "court_submission": _("submission to the court"),
    "none": _("no further measure"),
}
AREA_LABELS = {
    "education": _("education"),
    "treatment": _("treatment"),
    "employment": _("employment"),
    "housing": _("housing"),
}
STATUS_LABELS = {"started": _("started"), "completed": _("completed"), "left": _("left")}
CLOSED_LABELS = {
    "term_ended": _("the unserved part has run"),
    "revoked": _("the release revoked by the court"),
    "other": _("another reason"),
}


def probation_details(kind: str, d: dict[str, Any]) -> list[str]:
    """A fact of the probation file in words."""
    if kind == "reporting_set":
        return [
            gettext("every %(n)s days") % {"n": d.get("every_days")},
            str(MODE_LABELS.get(d.get("mode", ""), "")),
        ]
    if kind == "checked_in":
        return [str(MODE_LABELS.get(d.get("mode", ""), d.get("mode", "")))]
    if kind == "probation_violation":
        out = [str(VIOLATION_LABELS.get(d.get("kind", ""), d.get("kind", "")))]
        if d.get("handling"):
            out.append(str(HANDLING_LABELS.get(d["handling"], d["handling"])))
        return [*out, str(d.get("text") or "")]
    if kind == "programme_joined":
        return [
            str(AREA_LABELS.get(d.get("area", ""), d.get("area", ""))),
            str(STATUS_LABELS.get(d.get("status", ""), d.get("status", ""))),
        ]
    if kind in ("employed", "medical_aid"):
        return [str(d.get("employer") or d.get("kind") or "")]
    return [str(CLOSED_LABELS.get(d.get("reason", ""), d.get("reason", "")))]
