"""Template helpers of the transfers pages: look-ups and the words for reason and flag codes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from adaldyq.web.institutions.models import INSTITUTION_TYPES
from adaldyq.web.records.forms import SEXES

register = template.Library()

LABELS: dict[str, Any] = {
    "placement.wrong_type": _("another institution type"),
    "placement.wrong_sex": _("holds the other sex"),
    "placement.minors_only": _("the person is a minor; only institutions for minors"),
    "placement.adults_only": _("an institution for minors"),
    "placement.medical_needed": _("the person needs a medical institution"),
    "placement.medical_reserved": _("a medical institution, kept for those who need treatment"),
    "placement.mixed_unit": _("a mixed-security unit is never a placement"),
    "placement.full": _("full"),
    "placement.farther": _("farther from home"),
    "placement.nearest_free": _("the nearest institution of the right kind with a free place"),
    "placement.all_full": _(
        "every institution of the right kind is full: the nearest, over its limit"
    ),
    "placement.none_of_kind": _("no institution of the right kind exists"),
    "closer_to_home": _("closer to home"),
    "safety": _("safety"),
    "operational_need": _("operational need"),
    "reorganisation": _("reorganisation"),
    "law_and_order": _("law and order"),
    "minor_children": _("minor children"),
    "sick_parent": _("sick parent"),
    "sole_carer": _("sole carer"),
    "queue_jumped": _("decided out of queue order"),
    "over_capacity": _("into a full institution"),
    "no_art88_ground": _("no ground of art. 88"),
    "consent_missing": _("no consent where needed"),
    "type_changed_without_court": _("change of type without a court"),
    "mixed_unit_placement": _("placement in a mixed-security unit"),
    "repeated_transfers": _("repeated transfers"),
    "placed_far_from_home": _("placed far from home while a nearer place was free"),
    "against_proposal": _("against the system's proposal"),
    # the rules a flag rests on (placement/flags.py FLAG_RULES), in words
    "queue.order": _("transfers into an institution are decided in its queue's order"),
    "placement.respect_capacity": _(
        "no placement into a full institution while one of the right kind has room"
    ),
    "flags.art88_ground": _("a transfer needs one of the grounds of art. 88"),
    "grounds.operational_need": _("a transfer for operational need needs the person's consent"),
    "flags.same_type": _("a transfer is to the same type; a change of type is for a court"),
    "placement.mixed_units_not_a_placement": _(
        "a mixed-security unit is never a placement for a sentence"
    ),
    "flags.repeated_transfers.count": _("repeated transfers of one person within a short time"),
    "flags.far_from_home.tolerance_km": _("placement as near home as a free place allows"),
    "flags.against_proposal": _(
        "a placement other than the system's proposal needs a written reason"
    ),
    "open": _("open"),
    "granted": _("granted"),
    "refused": _("refused"),
    "placement": _("placement"),
    "transfer": _("transfer"),
    "person": _("the person"),
    "relative": _("a relative"),
    "administration": _("the administration"),
    "type_change.degree_held": _("degree of behaviour held"),
    "type_change.condition_held": _("conditions held"),
    "type_change.not_excluded": _("not excluded by the crime"),
    "type_change.fraction_served": _("part of the term served"),
    "type_change.fraction_of_life": _("part of a life term (not determinable)"),
    "type_change.counted_from": _("counted from the arrival"),
    "type_change.gravity_missing": _("gravity of the crime not recorded"),
    # a person's sex (as the personal file's form names it), and the institution types (the register's)
    **dict(SEXES),
    **dict(INSTITUTION_TYPES),
}


@register.filter
def label(code: Any) -> Any:
    """The words for a code (reason, ground, flag, status), else the code."""
    return LABELS.get(str(code), str(code).replace("_", " "))


@register.filter
def region_name(key: Any) -> str:
    """A region's name in the reader's language (`adaldyq.core.regions`), else the key; "—" for none."""
    from django.utils.translation import get_language

    from adaldyq.core.regions import regions_by_key

    if not key:
        return "—"
    found = regions_by_key().get(str(key))
    if found is None:
        return str(key)
    lang = (get_language() or "kk")[:2]
    return found.name(lang if lang in ("kk", "ru", "en") else "en")


@register.filter
def confidence_name(code: Any) -> str:
    """A confidence code of the law pack or the rules ("P") in words in the reader's language."""
    from django.utils.translation import get_language

    from adaldyq.law.messages import CONFIDENCE_NAMES

    lang = (get_language() or "kk")[:2]
    return str(
        CONFIDENCE_NAMES.get(lang if lang in ("kk", "ru") else "en", {}).get(str(code), code)
    )


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key] or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
