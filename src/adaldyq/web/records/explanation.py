"""The engine's answer as the file page shows it: steps and their criteria, from the structured result.

The page used to show the text renderer's lines (`adaldyq.law.messages.render_lines`) cut apart at
"!" and "- ": citations in brackets with confidence codes ("[ҚАК 95-бап; S: қосалқы дереккөз]"), a
footnote citing LAW.md, and "not determinable" with nothing said of what is missing. Here each finding
of the result becomes a `Step` with its `Criterion` rows: the condition in words (the engine's
`condition_phrase`), its state, the date it is or will be met, the article as the reader cites it and
the source's confidence as separate values, and, for what cannot be determined, what is missing and
who can add it. Templates lay them out (issue 13; issue 14 asks the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from adaldyq.law import Result
from adaldyq.law.amendments import amendment_of
from adaldyq.law.explain import Condition, Finding, Ref
from adaldyq.law.messages import (
    CONFIDENCE_NAMES,
    ENTITLEMENT_NAMES,
    article_name,
    condition_phrase,
    step_heading,
)

#: The state of a criterion or a step.
MET, DUE, NOT_MET, UNKNOWN = "met", "due", "not_met", "unknown"
#: The state of the grounds for strict conditions when there are none (a sanction has no "not yet").
NONE = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class Cited:
    """What a line of the page rests on in the law, in the reader's language."""

    #: The article as a reader of the language cites it ("ст. 95 УИК"); "" when none.
    article: str
    #: LAW.md's confidence code of the figure it rests on, and its name in the language.
    confidence: str
    confidence_name: str
    #: For a line that cannot be determined: what is missing and who can add it.
    missing: str = ""
    #: The amendment to the law pack the figure comes from (its entry number), None when shipped.
    amendment: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion(Cited):
    """One condition of a step, in words."""

    text: str
    state: str
    #: The date it is met, or will be if no new facts come (None when not known).
    met_on: date | None


@dataclass(frozen=True, slots=True)
class Step:
    """A next step the law opens (a degree, a condition, parole), with its criteria."""

    id: str
    heading: str
    state: str
    met_on: date | None
    criteria: tuple[Criterion, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """What is missing for the undeterminable criteria, each said once."""
        return tuple(dict.fromkeys(c.missing for c in self.criteria if c.missing))


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitlementRow(Cited):
    name: str
    #: The value, None when the law pack lacks the figure.
    value: Any


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything the file page says of the law today, as values for its template."""

    warnings: tuple[str, ...]
    steps: tuple[Step, ...]
    entitlements: tuple[EntitlementRow, ...]


def _file_fact_name(key: str) -> str:
    """A fact of the personal file the engine needs (a `person.*` reference), in words."""
    names = {
        "person.gravity": _("the gravity of the offence (from the court's sentence)"),
        "person.sentence": _("the term of the sentence"),
        "person.born": _("the date of birth"),
        "person.corruption": _(
            "whether the crime is a corruption crime (from the court's sentence)"
        ),
        "person.corruption_exception": _(
            "whether the person is of a category the exclusion of corruption crimes from parole "
            "does not apply to (pregnancy, a minor child raised alone, a disability of group I or II)"
        ),
        "person.damage_compensated": _(
            "whether the damage caused by the crime is fully compensated"
        ),
        "person.procedural_agreement": _(
            "whether there is a procedural agreement (from the court's sentence)"
        ),
    }
    return names.get(key, _("a fact of the personal file"))


def _cite(article: str, lang: str) -> str:
    """The article as a reader of `lang` cites it; the project's own rules (LAW.md) in words."""
    if "LAW.md" in article:
        return _("the project's reading of the law")
    return article_name(article, lang)


def _missing(ref: Ref | None, lang: str) -> str:
    """What is missing for a criterion that cannot be determined, and who can add it."""
    if ref is not None and ref.key.startswith("person."):
        return _(
            "Missing: %(what)s, which the personal file does not give. Who can add it: the "
            "records officer of the institution, in the file."
        ) % {"what": _file_fact_name(ref.key)}
    article = _cite(ref.article, lang) if ref is not None else ""
    return _(
        "Missing: the figure the law sets for this (%(article)s), which the system's law pack "
        "does not hold yet. Who can add it: the law-pack administrator of the ministry's legal "
        "department, with a second reviewer."
    ) % {"article": article or "—"}


def _state(met: bool | None, met_on: date | None, on: date) -> str:
    if met is None:
        return UNKNOWN
    if met:
        return MET
    return DUE if met_on is not None and met_on > on else NOT_MET


def _criterion(c: Condition, on: date, lang: str) -> Criterion:
    ref = c.ref
    state = _state(c.met, c.met_on, on)
    return Criterion(
        text=condition_phrase(c, lang),
        state=state,
        met_on=c.met_on,
        **_cited(ref, lang, unknown=state == UNKNOWN),
    )


def _cited(ref: Ref | None, lang: str, *, unknown: bool) -> dict[str, Any]:
    """The `Cited` fields of a line resting on `ref` (none: nothing cited); `unknown`: the line
    cannot be determined, and says what is missing."""
    return {
        "article": _cite(ref.article, lang) if ref is not None else "",
        "confidence": ref.confidence if ref is not None else "",
        "confidence_name": _confidence_name(ref, lang),
        "missing": _missing(ref, lang) if unknown else "",
        "amendment": amendment_of(ref.source) if ref is not None else None,
    }


def _confidence_name(ref: Ref | None, lang: str) -> str:
    if ref is None:
        return ""
    if ref.confidence == "?" and ref.key.startswith("person."):
        return _("not in the file")
    return CONFIDENCE_NAMES[lang].get(ref.confidence, ref.confidence)


def _step(f: Finding, heading: str, on: date, lang: str) -> Step:
    criteria = tuple(_criterion(c, on, lang) for c in f.conditions)
    return Step(f.id, heading, _state(f.met, f.met_on, on), f.met_on, criteria)


def explanation(result: Result, lang: str, *, waiting_flagged_after: int) -> Explanation:
    """The steps of `result` (degrees above the held one, transfers, parole and substitution)."""
    on = result.as_of
    warnings = []
    if result.gap.unsupported:
        warnings.append(_("The facts no longer support the degree of behaviour held."))
    waiting = result.gap.waiting_days
    if (
        result.gap.waiting_since is not None
        and waiting is not None
        and waiting > waiting_flagged_after
    ):
        warnings.append(
            _("Qualified for a higher degree since %(since)s: %(days)s days without a decision.")
            % {"since": date_format(result.gap.waiting_since, "DATE_FORMAT"), "days": waiting}
        )
    steps = []
    for f in result.findings:
        if (
            f.id.startswith("degree.")
            and f.value is not None
            and int(f.value) > max(result.degree, 0)
        ):
            heading = _("Degree of behaviour %(degree)s") % {"degree": f"+{f.value}"}
            steps.append(_step(f, heading, on, lang))
    strict = []
    for f in result.findings:
        if f.id.startswith("transfer."):
            step = _step(f, step_heading(f, lang), on, lang)
            if f.value == "strict":
                # a sanction, not a step to work towards (issue 17): its grounds, none or since when
                if f.met is False:
                    used = any(c.code == "transfer.strict_ground_used" for c in f.conditions)
                    step = Step(step.id, step.heading, NONE, None, step.criteria if used else ())
                strict.append(step)
            else:
                steps.append(step)
    steps.extend(strict)
    for key, heading in (
        ("parole", _("Parole (release on licence)")),
        ("substitution", _("Replacement by a milder punishment")),
    ):
        found = result.finding(key)
        if found is not None and not (found.met is False and found.value is None):
            step = _step(found, heading, on, lang)
            if found.value and isinstance(found.value, date):
                step = Step(
                    step.id,
                    step.heading,
                    DUE if found.value > on else MET,
                    found.value,
                    step.criteria,
                )
            steps.append(step)
    ents = tuple(
        EntitlementRow(
            name=ENTITLEMENT_NAMES.get(e.name, {}).get(lang, e.name),
            value=e.value if e.determinable else None,
            **_cited(e.ref, lang, unknown=not e.determinable),
        )
        for e in result.entitlements
    )
    return Explanation(tuple(warnings), tuple(steps), ents)
