"""What the portal calls each table, dimension, key and measure, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from adaldyq.core.regions import regions_by_key
from adaldyq.files import RELEASE_GROUNDS
from adaldyq.web.institutions.models import INSTITUTION_TYPES
from adaldyq.web.programme.selectors import CATEGORIES
from adaldyq.web.records.forms import CONDITIONS
from adaldyq.web.release.labels import GROUND_LABELS

#: Each table: its title and what it counts (the order is the portal's).
TABLES: dict[str, tuple[Promise, Promise]] = {
    "population_by_type_and_sex": (
        _("People held, by institution type and sex"),
        _("People held in each type of institution on the day of the figures, men and women."),
    ),
    "population_by_condition_and_type": (
        _("People held, by conditions of detention and institution type"),
        _(
            "People in regular, light, preferential and strict conditions in each type of institution."
        ),
    ),
    "population_by_region_and_sex": (
        _("People held, by region and sex"),
        _("People held in the institutions of each region, men and women."),
    ),
    "degrees_by_type": (
        _("Degrees of behaviour, by institution type"),
        _(
            "The degree of behaviour each person holds (Code art. 95): from the third positive to the third negative; 0 is none."
        ),
    ),
    "distance_from_home": (
        _("Distance from home, by sex"),
        _(
            "How far each person is held from the centre of their home region: great-circle distance times 1.3, the placement rule's estimate of the road."
        ),
    ),
    "visits_and_entitlements": (
        _("Visits held and the entitlement to visits"),
        _(
            "People in each type of institution and conditions, the short and long visits they had in the 12 months to the day of the figures, and the visits a year the law entitles each of them to, where the law pack knows the figure."
        ),
    ),
    "work_and_study": (
        _("Work and study, in people and full-time equivalents"),
        _(
            "People with hours of paid work, of study, of both or of neither in the month before the day of the figures, and those hours as full-time equivalents (40 hours a week)."
        ),
    ),
    "transfers_by_ground": (
        _("Transfer requests, by ground and outcome"),
        _(
            "Requests to be transferred to another institution, by the ground given, granted, refused or not yet decided."
        ),
    ),
    "programme_by_category": (
        _("The officials' visits programme, by category of official"),
        _(
            "Officials in scope of the Anti-Corruption Agency's programme who have attended a visit, and those not yet reached; attendances count every visit."
        ),
    ),
    "probation_by_region_and_ground": (
        _("People on probation, by region and ground of release"),
        _(
            "People released early on parole or with the unserved part of the term replaced by a milder punishment, whose probation had not ended on the day of the figures, by the region where the probation service supervises them."
        ),
    ),
    "probation_support_by_region": (
        _("Support for people on probation, by region"),
        _(
            "Of the people on probation on the day of the figures, those who since their release joined a re-socialisation programme, took up work, were given medical aid, or completed an education programme. A person is counted under each kind of support they had, so the total column adds up kinds of support, not people."
        ),
    ),
    "probation_repeat_offences": (
        _("Repeat offences within one and three years of release"),
        _(
            "Of the people released on parole or substitution at least one (or three) years before the day of the figures, those who committed a new offence within one (or three) years of their release. A person released three years ago or more is counted in both rows."
        ),
    ),
}

#: The dimensions of the rows and columns.
DIMENSIONS: dict[str, Promise] = {
    "institution_type": _("institution type"),
    "sex": _("sex"),
    "condition": _("conditions of detention"),
    "region": _("region"),
    "degree": _("degree of behaviour"),
    "distance": _("distance from home"),
    "placement": _("institution type and conditions"),
    "measure": _("figure"),
    "activity": _("work and study"),
    "ground": _("ground"),
    "outcome": _("outcome"),
    "category": _("category of official"),
    "reached": _("reached by the programme"),
    "release_ground": _("ground of release"),
    "support": _("support since release"),
    "years_since_release": _("years since release"),
    "repeat": _("new offence"),
}

#: What a count counts.
UNITS: dict[str, Promise] = {
    "people": _("people"),
    "requests": _("requests"),
    "officials": _("officials"),
}

#: Measures beside the counts.
MEASURES: dict[str, Promise] = {
    "short_visits": _("short visits in 12 months"),
    "long_visits": _("long visits in 12 months"),
    "work_fte": _("work, full-time equivalents"),
    "study_fte": _("study, full-time equivalents"),
    "attendances": _("attendances"),
}

#: The keys of rows and columns, by dimension.
KEYS: dict[str, dict[str, Promise]] = {
    "institution_type": dict(INSTITUTION_TYPES),
    "sex": {"male": _("men"), "female": _("women")},
    "condition": dict(CONDITIONS),
    "degree": {
        "3": _("third positive degree"),
        "2": _("second positive degree"),
        "1": _("first positive degree"),
        "0": _("no degree"),
        "-1": _("first negative degree"),
        "-2": _("second negative degree"),
        "-3": _("third negative degree"),
    },
    "distance": {
        "home": _("in the home region"),
        "0-250": _("under 250 km"),
        "250-500": _("250 to 500 km"),
        "500-1000": _("500 to 1,000 km"),
        "1000+": _("1,000 km or more"),
    },
    "activity": {
        "work": _("work only"),
        "study": _("study only"),
        "both": _("work and study"),
        "neither": _("neither"),
    },
    "ground": {
        "closer_to_home": _("to serve closer to home"),
        "safety": _("safety (art. 88 (1))"),
        "operational_need": _("operational need (art. 88 (3))"),
        "reorganisation": _("reorganisation or liquidation (art. 88 (2))"),
        "law_and_order": _("law and order (art. 88 (4))"),
    },
    "outcome": {"granted": _("granted"), "refused": _("refused"), "pending": _("not yet decided")},
    "category": CATEGORIES,
    "reached": {"attended": _("attended a visit"), "not_attended": _("not yet reached")},
    "measure": {"people": _("people")},
    "release_ground": {g: GROUND_LABELS[g] for g in RELEASE_GROUNDS},
    "support": {
        "programme": _("re-socialisation programme"),
        "employment": _("employment"),
        "medical_aid": _("medical aid"),
        "education": _("education completed"),
    },
    "years_since_release": {"1": _("within one year"), "3": _("within three years")},
    "repeat": {"reoffended": _("new offence"), "not_reoffended": _("no new offence")},
}

TOTAL = _("total")


def key_label(dimension: str, key: str, lang: str) -> str:
    """The name of `key` of `dimension` in the active language (`lang` for regions)."""
    if key == "total":
        return str(TOTAL)
    if dimension == "region":
        region = regions_by_key().get(key)
        return region.name(lang) if region is not None else key
    if dimension == "placement":
        kind, _slash, condition = key.partition("/")
        return f"{key_label('institution_type', kind, lang)}, {key_label('condition', condition, lang)}"
    label = KEYS.get(dimension, {}).get(key)
    return str(label) if label is not None else key


def title(table_id: str) -> str:
    """The table's title in the active language."""
    found = TABLES.get(table_id)
    return str(found[0]) if found else table_id


def description(table_id: str) -> str:
    """What the table counts, in the active language."""
    found = TABLES.get(table_id)
    return str(found[1]) if found else ""


def dimension(name: str) -> str:
    """A dimension's name in the active language."""
    found = DIMENSIONS.get(name)
    return str(found) if found is not None else name


def measure(name: str) -> str:
    """A measure's name in the active language."""
    found = MEASURES.get(name)
    return str(found) if found is not None else name


def unit(name: str) -> str:
    """What a count counts, in the active language."""
    found = UNITS.get(name)
    return str(found) if found is not None else name


def every_language(render: Any) -> dict[str, str]:
    """`render()` in kk, ru and en (the data dictionary names each thing in all three)."""
    from django.utils import translation

    out = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            out[lang] = str(render(lang))
    return out
