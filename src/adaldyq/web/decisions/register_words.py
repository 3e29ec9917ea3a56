"""The deviation register in the reader's language: a flag's details, its rule, dates, counts.

Flags (adaldyq.oversight) carry codes and a JSON `detail`; the register page, its CSV and XLSX
exports and `adaldyq oversight export --lang` all show them through these functions, in the active
language (`django.utils.translation.override` for the command line).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override, pgettext_lazy

from adaldyq.law.messages import article_name
from adaldyq.web.decisions import labels
from adaldyq.web.institutions.models import INSTITUTION_TYPES
from adaldyq.web.records.forms import CONDITIONS, INCENTIVE_KINDS, PENALTY_KINDS, RELATIONSHIPS

#: The register's columns as its filters, sort order and exports name them.
COLUMNS = (
    "kind",
    "person",
    "institution",
    "officer",
    "on",
    "evidence",
    "rule",
    "confidence",
    "detail",
)

#: What each key of a flag's `detail` (or an entry's payload) means.
DETAIL_LABELS = {
    "decision": pgettext_lazy("flag detail", "decision"),
    "step": pgettext_lazy("flag detail", "step"),
    "target": pgettext_lazy("flag detail", "to"),
    "for": pgettext_lazy("flag detail", "to"),
    "to": pgettext_lazy("flag detail", "to"),
    "qualified_on": pgettext_lazy("flag detail", "qualified on"),
    "delay_days": pgettext_lazy("flag detail", "days of delay"),
    "seen_until": pgettext_lazy("flag detail", "seen until"),
    "still_open": pgettext_lazy("flag detail", "still open"),
    "waiting_days": pgettext_lazy("flag detail", "days waiting"),
    "would_qualify_on": pgettext_lazy("flag detail", "would have qualified on"),
    "days_before": pgettext_lazy("flag detail", "days before"),
    "degree": pgettext_lazy("flag detail", "degree"),
    "since": pgettext_lazy("flag detail", "since"),
    "until": pgettext_lazy("flag detail", "until"),
    "days": pgettext_lazy("flag detail", "days"),
    "hours": pgettext_lazy("flag detail", "hours"),
    "kind": pgettext_lazy("flag detail", "kind"),
    "year": pgettext_lazy("flag detail", "year"),
    "number": pgettext_lazy("flag detail", "number"),
    "entitlement": pgettext_lazy("flag detail", "entitlement"),
    "condition": pgettext_lazy("flag detail", "condition"),
    "type": pgettext_lazy("flag detail", "type of institution"),
    "from_type": pgettext_lazy("flag detail", "from the type"),
    "to_type": pgettext_lazy("flag detail", "to the type"),
    "visitor": pgettext_lazy("flag detail", "visitor"),
    "visitors": pgettext_lazy("flag detail", "visitors"),
    "registered_to": pgettext_lazy("flag detail", "registered to"),
    "people": pgettext_lazy("flag detail", "people"),
    "recorded_at": pgettext_lazy("flag detail", "recorded by the institution"),
    "held_in": pgettext_lazy("flag detail", "held in"),
    "measure": pgettext_lazy("flag detail", "measure"),
    "level": pgettext_lazy("flag detail", "level"),
    "unit": pgettext_lazy("flag detail", "unit"),
    "n": pgettext_lazy("flag detail", "cases"),
    "k": pgettext_lazy("flag detail", "of them flagged"),
    "rate": pgettext_lazy("flag detail", "share"),
    "national": pgettext_lazy("flag detail", "national share"),
    "z": pgettext_lazy("flag detail", "z-score"),
    "ratio": pgettext_lazy("flag detail", "times the national share"),
    "p_value": pgettext_lazy("flag detail", "chance of so many or more (p)"),
    "q_value": pgettext_lazy("flag detail", "the same, over all institutions and officers (q)"),
    "fdr": pgettext_lazy("flag detail", "false discovery rate allowed"),
    "min_ratio": pgettext_lazy("flag detail", "least times the national share"),
    "upper_95": pgettext_lazy("flag detail", "funnel limit 95 %"),
    "upper_998": pgettext_lazy("flag detail", "funnel limit 99.8 %"),
    "leads": pgettext_lazy("flag detail", "its leads"),
    "decision_on": pgettext_lazy("flag detail", "decided on"),
    "fact": pgettext_lazy("flag detail", "fact"),
    "fact_on": pgettext_lazy("flag detail", "fact dated"),
    "recorded_on": pgettext_lazy("flag detail", "recorded on"),
    "days_late": pgettext_lazy("flag detail", "days late"),
    "corrected_on": pgettext_lazy("flag detail", "withdrawn or corrected on"),
    "withdrawn": pgettext_lazy("flag detail", "withdrawn"),
    "recorded_again": pgettext_lazy("flag detail", "the same fact recorded again"),
    "with": pgettext_lazy("flag detail", "supported as recorded"),
    "without": pgettext_lazy("flag detail", "supported without it"),
    "session": pgettext_lazy("flag detail", "session"),
    "outcome": pgettext_lazy("flag detail", "outcome"),
    "direction": pgettext_lazy("flag detail", "departure"),
    "proposal": pgettext_lazy("flag detail", "engine's proposal"),
    "terms": pgettext_lazy("flag detail", "terms"),
    "reason_code": pgettext_lazy("flag detail", "reason"),
    "reason": pgettext_lazy("flag detail", "reason"),
    "status": pgettext_lazy("flag detail", "quorum"),
    "present": pgettext_lazy("flag detail", "present"),
    "members": pgettext_lazy("flag detail", "members"),
    "figure": pgettext_lazy("flag detail", "figure of the law pack"),
    "ids": pgettext_lazy("flag detail", "entries"),
    "institutions": pgettext_lazy("flag detail", "institutions"),
    "institution": pgettext_lazy("flag detail", "institution"),
    "skipped": pgettext_lazy("flag detail", "requests skipped"),
    "occupancy": pgettext_lazy("flag detail", "occupancy"),
    "capacity": pgettext_lazy("flag detail", "capacity"),
    "ground": pgettext_lazy("flag detail", "ground"),
    "count": pgettext_lazy("flag detail", "transfers"),
    "months": pgettext_lazy("flag detail", "months"),
    "km": pgettext_lazy("flag detail", "km from home"),
    "nearer_km": pgettext_lazy("flag detail", "km from home, nearest with room"),
    "proposed": pgettext_lazy("flag detail", "proposed"),
    "on": pgettext_lazy("flag detail", "date"),
    "name": pgettext_lazy("flag detail", "name"),
    "relationship": pgettext_lazy("flag detail", "relationship"),
    "penalty": pgettext_lazy("flag detail", "penalty"),
    "malicious": pgettext_lazy("flag detail", "malicious"),
    "diligent": pgettext_lazy("flag detail", "diligent"),
    "month": pgettext_lazy("flag detail", "month"),
    "text": pgettext_lazy("flag detail", "text"),
    "as": pgettext_lazy("flag detail", "as"),
    "approved": pgettext_lazy("flag detail", "approved"),
}
_DECISION_KINDS = {
    "degree": gettext_lazy("degree of behaviour"),
    "condition": gettext_lazy("conditions of serving the sentence"),
    "recognition": gettext_lazy("recognition as an offender"),
    "revocation": gettext_lazy("revocation of the degree"),
}
_MEASURES = {
    "decisions_without_grounds": gettext_lazy("decisions without grounds"),
    "penalties_before_qualifying": gettext_lazy("penalties shortly before a qualification"),
    "late_decisions": gettext_lazy("late decisions"),
    "long_visits": gettext_lazy("long visits"),
    "withdrawals": gettext_lazy("facts withdrawn, among the entries written"),
    "corrections": gettext_lazy("facts corrected, among the entries written"),
}
_LEVELS = {"institution": gettext_lazy("institution"), "officer": gettext_lazy("officer")}
_VISIT_KINDS = {"short": gettext_lazy("short visit"), "long": gettext_lazy("long visit")}
_VOCABULARY: dict[str, Mapping[str, Any]] = {
    "decision": _DECISION_KINDS,
    "step": _DECISION_KINDS,
    "condition": dict(CONDITIONS),
    "type": dict(INSTITUTION_TYPES),
    "from_type": dict(INSTITUTION_TYPES),
    "to_type": dict(INSTITUTION_TYPES),
    "measure": _MEASURES,
    "level": _LEVELS,
    "direction": labels.DIRECTION_LABELS,
    "status": labels.QUORUM_LABELS,
    "outcome": labels.OUTCOME_LABELS,
    "reason_code": labels.REASON_LABELS,
    "relationship": dict(RELATIONSHIPS),
    "penalty": dict(PENALTY_KINDS),
    "as": labels.RECOGNITION_LABELS,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHARES = frozenset({"rate", "national", "fdr", "upper_95", "upper_998"})
_CHANCES = frozenset({"p_value", "q_value"})


def date_text(value: date | str | None) -> str:
    """A date as the reader's language writes it (kk, ru 05.12.2026; en 5 Dec 2026)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            return value
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    return date_format(value, "SHORT_DATE_FORMAT")


_DEGREE = re.compile(r"^(?:degree )?\+?(\d+)$")


def _target(detail: Mapping[str, Any], value: Any) -> str:
    """A degree ("2", "degree 2": +2) or a condition ("light": in words) a flag names as the step."""
    kind = detail.get("decision") or detail.get("step")
    degree = _DEGREE.match(str(value))
    if degree is not None and kind in (None, "degree"):
        return f"+{degree.group(1)}"
    return str(dict(CONDITIONS).get(str(value), value))


def value_text(key: str, value: Any, detail: Mapping[str, Any] | None = None) -> str:
    """One value of a flag's detail (or an entry's payload) in words."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in ("target", "for", "to"):
        return _target(detail or {}, value)
    if key == "kind":
        kinds: Mapping[str, Any] = {**_VISIT_KINDS, **dict(INCENTIVE_KINDS)}
        return str(kinds.get(str(value), value))
    if key in _CHANCES and isinstance(value, int | float):
        return f"{value:.2g}" if value < 0.001 else number_format(value, 3)
    if key == "leads" and value:
        return str(labels.FLAG_LABELS.get(str(value), value))
    if key in _SHARES and isinstance(value, int | float):
        return f"{number_format(value * 100, 1)} %"
    if isinstance(value, float):
        return number_format(value, 2)
    if key == "proposal" and isinstance(value, Mapping):
        names = {code: str(name) for code, name in CONDITIONS}
        return labels.describe(str(value.get("outcome", "")), dict(value), names)
    if isinstance(value, Mapping):
        return ", ".join(f"{_key(k)}: {value_text(k, v, value)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(value_text(key, v, detail) for v in value)
    vocab = _VOCABULARY.get(key)
    if vocab is not None and str(value) in vocab:
        return str(vocab[str(value)])
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date_text(value)
    return str(value)


def _key(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key.replace("_", " ")))


def detail_pairs(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of every key of a flag's detail, in the detail's order."""
    return [(_key(k), value_text(k, v, detail)) for k, v in detail.items()]


def detail_text(detail: Mapping[str, Any]) -> str:
    """A flag's detail as readable "key: value" text, pairs separated by "; "."""
    return "; ".join(f"{k}: {v}" for k, v in detail_pairs(detail))


#: The notes in a rule's text that are not article references, as readers of each language read
#: them (the article references themselves are rewritten by `law.messages.article_name`).
_RULE_NOTES = {
    "oversight statistics (ADR 0008): share against the national distribution": gettext_lazy(
        "oversight statistics: a share far above the national distribution (ADR 0008)"
    ),
    "oversight statistics (ADR 0025): exact binomial test against the national rate, "
    "Benjamini-Hochberg across institutions and officers": gettext_lazy(
        "oversight statistics: an exact binomial test of the share against the national share, "
        "with Benjamini-Hochberg control over all institutions and officers (ADR 0025)"
    ),
    "(LAW.md §6): the court refused because the administration did not submit on time": gettext_lazy(
        "(project law notes, LAW.md §6): the court refused because the administration did not submit "
        "the materials on time"
    ),
    "(LAW.md §2-3)": gettext_lazy("(project law notes, LAW.md §2-3)"),
    "(LAW.md §2)": gettext_lazy("(project law notes, LAW.md §2)"),
    "(LAW.md §4)": gettext_lazy("(project law notes, LAW.md §4)"),
    "(LAW.md §2, project rule P)": gettext_lazy(
        "(project law notes, LAW.md §2; the project's interpretation)"
    ),
    "(LAW.md §4: who may visit)": gettext_lazy("(who may visit; project law notes, LAW.md §4)"),
    "(the commission's quorum; law pack commission.quorum)": gettext_lazy(
        "(the commission's quorum)"
    ),
    "(public representatives)": gettext_lazy("(public representatives on the commission)"),
    "(the published queue order, rules.yaml queue.*)": gettext_lazy(
        "(the published order of the queue)"
    ),
    "(the population limit)": gettext_lazy("(the institution's population limit)"),
    "seed 003 section 4": gettext_lazy("expert report, section 4"),
    "closure of visits longer than the configured limit": gettext_lazy(
        "visits closed for longer than the limit this deployment sets"
    ),
    "assignment of a public council's monitoring visit not answered by its due date": gettext_lazy(
        "assignment of a public council's monitoring visit not answered by its due date"
    ),
    "observation of a public council found again at a later visit": gettext_lazy(
        "observation of a public council found again at a later visit"
    ),
    # the probation service's electronic monitoring (ADR 0043)
    "away from home in the curfew hours: the court's duties on release": gettext_lazy(
        "away from home in the curfew hours: the court's duties on release"
    ),
    "inside an exclusion zone: the court's duties on release": gettext_lazy(
        "inside an exclusion zone: the court's duties on release"
    ),
    "the device's strap or case opened: the court's duties on release": gettext_lazy(
        "the device's strap or case opened: the court's duties on release"
    ),
    "the device's battery under 10%: the court's duties on release": gettext_lazy(
        "the device's battery under 10%: the court's duties on release"
    ),
    "no event from the device for more than 30 minutes: the court's duties on release": gettext_lazy(
        "no event from the device for more than 30 minutes: the court's duties on release"
    ),
    ", as the probation service's monitoring reads them (P, ADR 0043)": gettext_lazy(
        ", as the probation service's monitoring reads them (P, ADR 0043)"
    ),
    "project rule": gettext_lazy("the project's rule"),
    # the placement rules name the Code the law pack calls PEC
    "Code arts.": "PEC arts.",
    "Code art.": "PEC art.",
}
_RULE_NOTE = re.compile("|".join(re.escape(k) for k in sorted(_RULE_NOTES, key=len, reverse=True)))
#: Internal references a rule may end with: "(issue 7)", "(placement.nearest_to_home)".
_INTERNAL = re.compile(r"\s*\((?:issue \d+|rules\.yaml [a-z_.*]+|(?:[a-z_]+\.)+[a-z_*]+)\)")
_MANDELA = re.compile(r"Mandela Rules? (\d+(?:\s?\([a-z]\))?(?:, \d+(?:\s?\([a-z]\))?)*)")


_PART = re.compile(r"\bPEC art\. (\d+) \((\d+)\)")


def _mandela(m: re.Match[str]) -> str:
    numbers = m.group(1)
    several = "," in numbers
    return ngettext(
        "the Nelson Mandela Rules, rule %(n)s",
        "the Nelson Mandela Rules, rules %(n)s",
        2 if several else 1,
    ) % {"n": numbers}


def rule_text(rule: str | None, lang: str) -> str:
    """A flag's rule in `lang`: each article cited as its readers cite it, the notes translated."""
    return _rule_text(rule, lang) if rule else ""


@functools.lru_cache(maxsize=512)  # a register has thousands of flags and a few dozen rules
def _rule_text(rule: str, lang: str) -> str:
    with override(lang):
        text = _INTERNAL.sub("", rule)
        text = _RULE_NOTE.sub(lambda m: str(_RULE_NOTES[m.group(0)]), text)
        text = _MANDELA.sub(_mandela, text)
        text = _PART.sub(
            lambda m: (
                _("%(article)s, part %(part)s")
                % {"article": article_name(f"PEC art. {m.group(1)}", lang), "part": m.group(2)}
            ),
            text,
        )
    text = article_name(text, lang)
    return re.sub(r"\s+", " ", text).strip(" ;")


# ---- counts ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a count table: the value filtered on, its words, how many, its bar's width."""

    value: str
    label: str
    n: int
    #: The bar's width in per cent of the largest count, written for CSS (never localised).
    width: str


def counts(rows: Iterable[Mapping[str, Any]], key: str, names: Mapping[str, str]) -> list[Count]:
    """How many flags of each value of `key`, largest first; `names` gives each value's words."""
    counted = Counter(str(r.get(key) or "") for r in rows)
    top = max(counted.values(), default=0)
    out = [
        Count(value, names.get(value, value) or "—", n, f"{100 * n / top:.1f}" if top else "0")
        for value, n in counted.items()
    ]
    out.sort(key=lambda c: (-c.n, c.label))
    return out
