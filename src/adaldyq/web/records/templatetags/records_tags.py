"""Words for facts in the timeline."""

from __future__ import annotations

import functools
from datetime import tzinfo
from typing import Any, NamedTuple, TypeAlias
from urllib.parse import quote

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format, get_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from adaldyq.core.facts import PROBATION_KINDS
from adaldyq.files import INSIDE_KINDS
from adaldyq.web.accounts.names import person_name
from adaldyq.web.accounts.selectors import signatories
from adaldyq.web.accounts.templatetags.site_tags import condition_name
from adaldyq.web.idempotency.keys import FIELD as IDEMPOTENCY_FIELD
from adaldyq.web.idempotency.keys import new_token
from adaldyq.web.institutions.models import institution_code, institution_label
from adaldyq.web.institutions.views import register_token
from adaldyq.web.jinja import fragment
from adaldyq.web.records.forms import (
    CONDITIONS,
    INCENTIVE_KINDS,
    MALICIOUS_ITEMS,
    PENALTY_KINDS,
    RECOGNITIONS,
    RELATIONSHIPS,
)
from adaldyq.web.records.models import full_name
from adaldyq.web.records.selectors import search_institutions

register = template.Library()


KIND_LABELS = {
    "arrived": gettext_lazy("Arrival"),
    "incentive": gettext_lazy("Incentive"),
    "penalty": gettext_lazy("Penalty"),
    "joined_organisation": gettext_lazy("Joined the voluntary organisation"),
    "left_organisation": gettext_lazy("Left the voluntary organisation"),
    "degree_awarded": gettext_lazy("Degree of behaviour awarded"),
    "degree_revoked": gettext_lazy("Degree of behaviour revoked"),
    "recognised": gettext_lazy("Recognition as offender"),
    "work_assessed": gettext_lazy("Assessment of the attitude to work"),
    "condition_changed": gettext_lazy("Transfer between conditions"),
    "work_hours": gettext_lazy("Work hours"),
    "study_hours": gettext_lazy("Study hours"),
    "visitor_registered": gettext_lazy("Relative or visitor"),
    "visit": gettext_lazy("Visit"),
    "transferred": gettext_lazy("Transfer to another institution"),
    "fact_voided": gettext_lazy("Withdrawn entry"),
    "parole_facts": gettext_lazy("Facts for parole"),
    "court_submitted": gettext_lazy("Submission to the court"),
    "court_decided": gettext_lazy("The court's decision"),
    "released": gettext_lazy("Release"),
    "reporting_set": gettext_lazy("Reporting schedule"),
    "checked_in": gettext_lazy("Check-in with the probation service"),
    "probation_violation": gettext_lazy("Violation on probation"),
    "programme_joined": gettext_lazy("Re-socialisation programme"),
    "employed": gettext_lazy("Employment"),
    "medical_aid": gettext_lazy("Medical aid"),
    "probation_closed": gettext_lazy("End of probation"),
    "device_zone": gettext_lazy("Zone of electronic monitoring"),
}
_CHOICES: dict[str, dict[str, Any]] = {
    "condition": dict(CONDITIONS),
    "to": dict(CONDITIONS),
    "kind": dict(INCENTIVE_KINDS),
    "penalty": dict(PENALTY_KINDS),
    "visit": {"short": gettext_lazy("short visit"), "long": gettext_lazy("long visit")},
    "malicious": dict(MALICIOUS_ITEMS),
    "as": dict(RECOGNITIONS),
    "relationship": dict(RELATIONSHIPS),
}


def _choice(name: str, value: Any) -> Any:
    """A recorded code in words (the code itself when it is not one of the choices)."""
    return _CHOICES[name].get(value, value) if isinstance(value, str) else value


@register.filter
def relationship_label(value: str) -> str:
    return str(_CHOICES["relationship"].get(value, value))


@register.filter
def kind_label(kind: str) -> str:
    return _kind_label(kind, get_language())


@functools.lru_cache(maxsize=1024)
def _kind_label(kind: str, lang: str | None) -> str:
    """A fact's kind in words in `lang` (the current language), kept: a timeline names the same few
    kinds in every row, and a lazy translation is several calls each time."""
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def fact_details(fact: Any) -> str:
    """The type-specific fields of a fact, in words."""
    return _details(fact.kind, fact.data or {}, get_language())


#: The types of a fact's data a row's words may be kept for (`_details`): plain values only.
_PLAIN = frozenset((str, int, float, bool, type(None)))


def _details(kind: str, data: dict[str, Any], lang: str | None) -> str:
    """`fact_details` of a fact of `kind` with `data` in `lang` (the current language), kept per
    process when the data are plain values: a timeline says the same few things in most rows (an
    incentive's kind, a month's hours), and a phrase is several translations each time. The key
    holds each value's type (1, 1.0 and True are equal keys but not the same words)."""
    types = tuple(map(type, data.values()))
    if _PLAIN.issuperset(types):
        return _kept_details(kind, tuple(data.items()), types, lang)
    return _fact_words(kind, data)


@functools.lru_cache(maxsize=4096)
def _kept_details(
    kind: str, items: tuple[tuple[str, Any], ...], types: tuple[type, ...], lang: str | None
) -> str:
    return _fact_words(kind, dict(items))


def _fact_words(kind: str, d: dict[str, Any]) -> str:
    """The words of `fact_details` for a fact of `kind` with data `d`, in the current language."""
    parts = []
    if kind in ("arrived", "transferred") and d.get("condition"):
        parts.append(
            _("condition: %(c)s") % {"c": _CHOICES["condition"].get(d["condition"], d["condition"])}
        )
    if kind == "condition_changed":
        parts.append(_("to: %(c)s") % {"c": _choice("to", d.get("to"))})
    if kind == "incentive" and d.get("kind"):
        parts.append(_incentive_kind(d["kind"], get_language()))
    if kind == "penalty":
        if d.get("kind"):
            parts.append(str(_CHOICES["penalty"].get(d["kind"], d["kind"])))
        if d.get("malicious"):
            item = _CHOICES["malicious"].get(d["malicious"], d["malicious"])
            parts.append(_("malicious: %(item)s") % {"item": item})
    if kind == "degree_awarded":
        parts.append(f"+{d.get('degree')}")
    if kind == "recognised":
        parts.append(str(_choice("as", d.get("as"))))
    if kind == "work_assessed":
        parts.append(_("diligent") if d.get("diligent") else _("not diligent"))
    if kind in ("work_hours", "study_hours"):
        parts.append(
            _("%(hours)s h in %(month)s") % {"hours": d.get("hours"), "month": d.get("month", "")}
        )
    if kind == "parole_facts":
        parts.extend(_parole_details(d))
    if kind in ("court_submitted", "court_decided", "released"):
        from adaldyq.web.release.labels import court_details

        parts.extend(court_details(kind, d))
    if kind == "device_zone":
        from adaldyq.web.emonitoring.labels import zone_details

        parts.extend(zone_details(d))
    if kind in INSIDE_KINDS:
        from adaldyq.web.work.labels import inside_details

        parts.extend(inside_details(kind, d))
    if kind in PROBATION_KINDS:
        from adaldyq.web.release.labels import probation_details

        parts.extend(probation_details(kind, d))
    if kind == "visitor_registered":
        rel = _choice("relationship", d.get("relationship"))
        parts.append(f"{d.get('name', '')} ({rel})")
    if kind == "visit" and d:
        parts.append(str(_choice("visit", d.get("kind")) or ""))
        if d.get("days"):
            parts.append(_("%(n)s d.") % {"n": d["days"]})
        if d.get("hours"):
            parts.append(_("%(n)s h") % {"n": d["hours"]})
        visitors = d.get("visitors") or ([d["visitor"]] if d.get("visitor") else [])
        if visitors:
            parts.append(_("visitors: %(ids)s") % {"ids": ", ".join(map(str, visitors))})
    return "; ".join(str(p) for p in parts if p)


@functools.lru_cache(maxsize=256)
def _incentive_kind(kind: str, lang: str | None) -> str:
    """An incentive's kind in words in `lang` (most of a timeline's rows are incentives)."""
    return str(_CHOICES["kind"].get(kind, kind))


def _parole_details(d: dict[str, Any]) -> list[str]:
    """What a `parole_facts` entry says, one whole phrase per fact it states."""
    said = {
        "corruption": (_("a corruption crime"), _("not a corruption crime")),
        "damage_compensated": (
            _("the damage fully compensated"),
            _("the damage not fully compensated"),
        ),
        "procedural_agreement": (_("a procedural agreement"), _("no procedural agreement")),
    }
    return [str(yes if d[k] else no) for k, (yes, no) in said.items() if isinstance(d.get(k), bool)]


#: Django date format characters that strftime writes identically (numbers with leading zeros).
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}
#: Django date format characters as `str.format` fields of the value (0) and its month's short name
#: (1), written as Django's formatter writes them (`django.utils.dateformat`).
_FIELDS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "M": "{1}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}


class DatePattern(NamedTuple):
    """A Django date format as a `str.format` pattern of the value and its month's short name,
    `months` the short names (Django's `M`) in the language the pattern was made for."""

    pattern: str
    months: tuple[str, ...]

    def __call__(self, value: Any) -> str:
        return self.pattern.format(value, self.months[value.month])


#: A date format as a value is written with it: strftime's form, a `DatePattern`, or None (Django's
#: formatter).
DateForm: TypeAlias = str | DatePattern | None


@functools.lru_cache(maxsize=64)
def _date_form(fmt: str, lang: str | None) -> DateForm:
    """How a date is written in the Django date format `fmt` in `lang` (the current language):
    through strftime when every character allows it (d.m.Y H:i), else by a `DatePattern` (English's
    j M Y: a day without its zero, a month's name), else None: Django's formatter."""
    if all(ch in _STRFTIME or not (ch.isalpha() or ch == "\\") for ch in fmt):
        return "".join(_STRFTIME.get(ch, ch.replace("%", "%%")) for ch in fmt)
    if not all(ch in _FIELDS or not (ch.isalpha() or ch == "\\") for ch in fmt):
        return None
    pattern = "".join(_FIELDS.get(ch, ch.replace("{", "{{").replace("}", "}}")) for ch in fmt)
    months = ("", *(str(MONTHS_3[m]).title() for m in range(1, 13)))
    return DatePattern(pattern, months)


def _short(value: Any, format_name: str) -> str:
    """`date_format(value, format_name)`, through strftime or a `DatePattern` when the language's
    format allows it.

    A timeline has dozens of rows with two dates each; Django's formatter parses the format for
    every value (a tenth of a file page's time, ADR 0012). Same text: d.m.Y H:i is d.m.Y H:i.
    """
    return _formatted(value, _date_form(get_format(format_name), get_language()), format_name)


def _formatted(value: Any, form: DateForm, format_name: str) -> str:
    """`value` in the form `form` of the format `format_name` (`_date_form`)."""
    if form is None:
        return date_format(value, format_name)
    if isinstance(form, str):
        text: str = value.strftime(form)
        return text
    return form(value)


class PaperText(NamedTuple):
    """Where on paper an imported entry was read, in words (the timeline row's last cell)."""

    where: str
    url: str
    who: str
    checked: str
    checked_label: str


class TimelineRow(NamedTuple):
    """A timeline row's values for records/_timeline_rows.html (Jinja2, ADR 0050): the fact's
    fields the row shows, its dates, the recorder's name and the fact in words."""

    seq: int
    superseded_by: int | None
    corrects: int | None
    void: bool
    reason: str
    on: str
    kind: str
    details: str
    who: str
    at: str
    paper: PaperText | None = None


class RowFormats(NamedTuple):
    """What every row of a timeline is written with, read once per timeline (`_formats`): the
    language's short date and date-time formats as values are written with them (`_date_form`),
    the language and the time zone."""

    date: DateForm
    datetime: DateForm
    lang: str | None
    tz: tzinfo


def _row(
    fact: Any, formats: RowFormats, who: str | None = None, paper: PaperText | None = None
) -> TimelineRow:
    """One timeline row's values. `who`: the recorder as `person_name` names them."""
    return TimelineRow(
        fact.seq,
        fact.superseded_by_id,
        fact.corrects_id,
        fact.void,
        fact.reason,
        _formatted(fact.on, formats.date, "SHORT_DATE_FORMAT"),
        _kind_label(fact.kind, formats.lang),
        _details(fact.kind, fact.data or {}, formats.lang),
        person_name(fact.recorded_by) if who is None else who,
        _formatted(  # `localtime` without its check: a recorded time is always aware
            fact.recorded_at.astimezone(formats.tz), formats.datetime, "SHORT_DATETIME_FORMAT"
        ),
        paper,
    )


def _formats() -> RowFormats:
    """The formats, language and time zone of the timeline's rows now (`RowFormats`)."""
    lang = get_language()
    return RowFormats(
        _date_form(get_format("SHORT_DATE_FORMAT"), lang),
        _date_form(get_format("SHORT_DATETIME_FORMAT"), lang),
        lang,
        get_current_timezone(),
    )


@register.inclusion_tag("records/_error_summary.html")
def error_summary(*forms: Any, form_id: str = "") -> dict[str, Any]:
    """The summary at the top of a refused form: every error, each linked to its field (or the form).

    `forms`: the form objects sent together (None and unbound ones are skipped); `form_id`: the id
    of the form element, the link of errors that belong to no visible field.
    """
    items: list[tuple[str, str]] = []
    for form in forms:
        if form is None or not form.is_bound or not form.errors:
            continue
        items.extend((form_id, str(e)) for e in form.non_field_errors())
        for field in form:
            target = form_id if field.is_hidden else field.auto_id or form_id
            items.extend((target, f"{field.label}: {e}") for e in field.errors)
    return {"items": items}


#: A step's or criterion's state in words (`law.explain`'s MET, DUE, NOT_MET, NONE; anything else
#: cannot be determined yet). "met" and "due" name their date.
_STATE_WORDS = {
    "not_met": gettext_lazy("not met yet"),
    "none": gettext_lazy("none"),
}


@functools.lru_cache(maxsize=4096)
def _long_date(day: Any, lang: str | None) -> str:
    """`date_format(day, "DATE_FORMAT")` in `lang` (the current language), kept: an explanation
    names the same few days in many criteria, and Django's formatter parses the format each time."""
    return str(date_format(day, "DATE_FORMAT"))


def state_text(state: str, met_on: Any = None) -> str:
    """A step's or criterion's state in words; "met" and "due" name their date."""
    return _state_text(state, met_on, get_language())


@functools.lru_cache(maxsize=4096)
def _state_text(state: str, met_on: Any, lang: str | None) -> str:
    """`state_text` in `lang` (the current language), kept: an explanation says a few states of a
    few days in many criteria, each a translation and a date formatted."""
    if state == "met":
        if not met_on:
            return _("met")
        return _("met (since %(date)s)") % {"date": _long_date(met_on, get_language())}
    if state == "due":
        return _("from %(date)s, if no new facts change it") % {
            "date": _long_date(met_on, get_language()) if met_on else ""
        }
    return str(_STATE_WORDS.get(state, _("cannot be determined yet")))


@register.simple_tag
def law_explanation(explained: Any, is_self: bool) -> SafeString:
    """The file page's steps with their criteria and the entitlements (Jinja2, ADR 0050): a file
    page shows a few dozen criteria, each with its state, article and confidence."""
    return fragment(
        "records/_law_explanation.html",
        {
            "steps": explained.steps,
            "entitlements": entitlements_table(explained.entitlements, is_self),
            "is_self": is_self,
            "step_ids": True,
            "amendments": True,
            "badges": not is_self,
            "say_none": False,
        },
    )


def entitlements_table(rows: tuple[Any, ...], is_self: bool) -> SafeString:
    """The entitlements' table under the explanation (records/_entitlements.html), kept per
    process for the same rows, view and language: the table says the same for everyone held in the
    same conditions under the same law, and its values are dozens of escapes and numbers
    localised. The key is the whole table's content, so what is kept is what would be rendered."""
    try:
        return _kept_entitlements(rows, is_self, get_language())
    except TypeError:  # a value that cannot be a key (none today): rendered each time
        return _entitlements(rows, is_self)


@functools.lru_cache(maxsize=512)
def _kept_entitlements(rows: tuple[Any, ...], is_self: bool, lang: str | None) -> SafeString:
    return _entitlements(rows, is_self)


def _entitlements(rows: tuple[Any, ...], is_self: bool) -> SafeString:
    return fragment("records/_entitlements.html", {"entitlements": rows, "is_self": is_self})


@register.simple_tag
def explanation_steps(steps: Any) -> SafeString:
    """A decision's steps with their criteria (the commission's pages and documents)."""
    return fragment(
        "records/_steps.html",
        {
            "steps": steps,
            "step_ids": False,
            "amendments": False,
            "badges": True,
            "say_none": True,
        },
    )


@register.simple_tag
def fact_row(fact: Any) -> SafeString:
    """One timeline row without its controls (the correction page)."""
    rows = [_row(fact, _formats())]
    return fragment(
        "records/_timeline_rows.html", {"rows": rows, "writable": False, "marked": None}
    )


@register.simple_tag
def timeline(
    years: Any, writable: bool, file_url: str, marked: int | None = None, paper: Any = None
) -> SafeString:
    """The file's timeline: a section per year (`records.views.TimelineYear`), each entry a row
    with the "Correct" control where an entry may be corrected.

    `marked`: the entry a link points at (`?entry=N`), marked as the current row. `paper`: where on
    paper the imported entries were read (`paper.selectors.sources_of`), shown in the entry's cell
    with a link to the scan (issue 23).

    A compiled Jinja2 template rather than a Django template loop (ADR 0050): a file has dozens of
    entries and the loop, its conditions and its translations were a fifth of the page (ADR 0012).
    """
    formats = _formats()
    logins = {f.recorded_by for y in years for f in y.facts}
    signatories(logins)  # the recorders read in one query, not one per name
    names = {login: person_name(login) for login in logins}  # a few officers record most rows
    shown = [
        (
            y.year,
            y.open,
            [
                _row(
                    f,
                    formats,
                    names[f.recorded_by],
                    _paper_text(paper.get(f.seq)) if paper else None,
                )
                for f in y.facts
            ],
        )
        for y in years
    ]
    return fragment(
        "records/_timeline.html",
        {"years": shown, "writable": writable, "file_url": file_url, "marked": marked},
    )


#: How many officers read the page an imported fact stands on (`paper.models.PaperSource.checked`).
PAPER_CHECKED = {
    "single": gettext_lazy("transcribed once"),
    "double": gettext_lazy("transcribed twice, the same"),
    "settled": gettext_lazy("transcribed twice, settled by a head"),
}


def _paper_text(source: Any) -> PaperText | None:
    """Where on paper an imported entry was read: file, page, the scan, who and when, how often."""
    if source is None:
        return None
    return PaperText(
        where=_("paper file %(file)s, page %(page)s")
        % {"file": source.paper_file, "page": source.page},
        url=reverse("paper:scan", args=[str(source.scan).removeprefix("sha256:")]),
        who=_("transcribed by %(who)s on %(day)s")
        % {
            "who": person_name(source.transcribed_by),
            "day": _formatted(localtime(source.transcribed_at).date(), None, "SHORT_DATE_FORMAT"),
        },
        checked=source.checked,
        checked_label=str(PAPER_CHECKED.get(source.checked, source.checked)),
    )


@register.simple_tag
def opening_rows(openings: Any) -> SafeString:
    """The rows of "Who read this file": who, when, on which page, the entry."""
    fmt = _date_form(get_format("SHORT_DATETIME_FORMAT"), get_language())
    tz = get_current_timezone()
    rows = [
        (
            person_name(o.by),
            _formatted(localtime(o.at, tz), fmt, "SHORT_DATETIME_FORMAT"),
            READ_PAGES.get(o.page, o.page),
            o.seq,
        )
        for o in openings
    ]
    return fragment("records/_opening_rows.html", {"rows": rows})


#: Where a file was read (the `page` of its `file_opened` or `files_listed` entry: a route name).
READ_PAGES = {
    "": gettext_lazy("the personal file"),
    "api:person_file": gettext_lazy("the personal file through the API"),
    "records:search": gettext_lazy("search results"),
    "records:correct": gettext_lazy("an entry's correction form"),
    "ledger-entry": gettext_lazy("an entry of the file as evidence"),
    "api:people": gettext_lazy("search results"),
    "visits:person": gettext_lazy("the visits page"),
    "visits:board": gettext_lazy("the institution's visits schedule"),
    "transfers:person": gettext_lazy("the placement and transfers page"),
    "transfers:placement": gettext_lazy("a placement proposal"),
    "transfers:propose": gettext_lazy("a placement proposal"),
    "transfers:request": gettext_lazy("a transfer request"),
    "transfers:index": gettext_lazy("lists of placement and transfers"),
    "transfers:awaiting": gettext_lazy("lists of placement and transfers"),
    "transfers:art96": gettext_lazy("lists of placement and transfers"),
    "transfers:flags": gettext_lazy("lists of placement and transfers"),
    "decisions:decision": gettext_lazy("a commission decision"),
    "decisions:document": gettext_lazy("a decision's document (PDF)"),
    "decisions:case": gettext_lazy("the data a decision was computed from (JSON)"),
    "decisions:mine": gettext_lazy("decisions about the person"),
    "decisions:session": gettext_lazy("a commission sitting"),
    "decisions:awaiting": gettext_lazy("a commission sitting"),
    "decisions:register": gettext_lazy("Deviation register"),
}


#: The fields of the unbound fact forms, rendered once per form class, kind (their prefix) and
#: language (ADR 0012, ADR 0050). An unbound fact form's markup depends on nothing else (no initial values, no person, no
#: date, no row of the database: its choices are constants of their modules), and Django renders
#: every widget through its own template. A bound form (the user's input and errors) or one that
#: asks whether a repeat is meant (`show_again`) is rendered each time.
_UNBOUND_FIELDS: dict[tuple[type, str, str | None], SafeString] = {}
#: A fact form's title (a lazy translation) in words, per form class and language.
_TITLES: dict[tuple[type, str | None], str] = {}
#: The menu's links to the recording forms, per (kinds and their classes, language).
_LINKS: dict[tuple[tuple[tuple[str, type], ...], str | None], SafeString] = {}


def _title(form_class: type, lang: str | None) -> str:
    title = _TITLES.get((form_class, lang))
    if title is None:
        title = _TITLES[form_class, lang] = str(form_class.title)  # type: ignore[attr-defined]
    return title


def _form_class(form: Any) -> type:
    return form if isinstance(form, type) else type(form)


def _fields_html(kind: str, form: Any, lang: str | None) -> SafeString:
    """The fields of the form of `kind` (records/_fields.html): `form` a form, or a form class for
    its unbound form, whose markup is kept."""
    if not isinstance(form, type):
        return render_to_string("records/_fields.html", {"form": form})
    html = _UNBOUND_FIELDS.get((form, kind, lang))
    if html is None:
        unbound = form(prefix=kind)
        html = _UNBOUND_FIELDS[form, kind, lang] = render_to_string(
            "records/_fields.html", {"form": unbound}
        )
    return html


@functools.cache
def _no_errors() -> SafeString:
    """The error summary of a form without errors (records/_error_summary.html: only its line end)."""
    return render_to_string("records/_error_summary.html", {"items": []})


@register.simple_tag
def record_links(forms: dict[str, Any]) -> SafeString:
    """The menu's links to the file page's recording forms (`forms`: kind to a form or its class)."""
    lang = get_language()
    key = (tuple((kind, _form_class(f)) for kind, f in forms.items()), lang)
    html = _LINKS.get(key)
    if html is None:
        links = [(kind, _title(cls, lang)) for kind, cls in key[0]]
        html = _LINKS[key] = fragment("records/_record_links.html", {"links": links})
    return html


@register.simple_tag(takes_context=True)
def record_forms(
    context: template.Context, forms: dict[str, Any], person_id: str, open_form: str | None
) -> SafeString:
    """The file page's recording forms, each in its `<details>` with the request's CSRF input and a
    one-use key of its own (ADR 0015).

    `forms`: kind to a form class (its unbound form: the fields' markup kept per class and language)
    or a form (the one sent and refused, or the one asking whether a repeat is meant: rendered).
    """
    lang = get_language()
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    rows = []
    for kind, form in forms.items():
        cls = _form_class(form)
        summary = _no_errors()
        if not isinstance(form, type) and form.is_bound:
            summary = render_to_string(
                "records/_error_summary.html", error_summary(form, form_id=f"form-{kind}")
            )
        rows.append(
            (
                kind,
                _title(cls, lang),
                open_form == kind,
                new_token(user),
                summary,
                _fields_html(kind, form, lang),
            )
        )
    marker = "k"  # the kind's place in the address: the last part, after the person's id
    url = reverse("records:record", args=[person_id, marker])
    at = url.rindex(marker)
    return fragment(
        "records/_record_forms.html",
        {
            "forms": rows,
            "action_head": url[:at],
            "action_tail": url[at + len(marker) :],
            "csrf": CsrfTokenNode().render(context),
            "idempotency_field": IDEMPOTENCY_FIELD,
        },
    )


@register.simple_tag
def person_rows(people: Any) -> SafeString:
    """The rows of the people search from its values (`selectors.PERSON_ROW_FIELDS`): one
    `reverse` and the date format read once for all of them (ADR 0012)."""
    marker = "0"
    url = reverse("records:file", args=[marker])
    head, tail = url[: url.rindex(marker)], url[url.rindex(marker) + len(marker) :]
    date_fmt = _date_form(get_format("SHORT_DATE_FORMAT"), get_language())
    rows = [
        (
            number,
            head + quote(str(pk), safe=RFC3986_SUBDELIMS + "~:@") + tail,
            full_name(surname, given_name, patronymic),
            _formatted(born, date_fmt, "SHORT_DATE_FORMAT"),
            institution_code(code, code_local) if code else "",
            condition_name(condition),
        )
        for pk, number, surname, given_name, patronymic, born, code, code_local, condition in people
    ]
    return fragment("records/_person_rows.html", {"rows": rows})


#: The search's institution filter, rendered, per (language, register token, the user's
#: institution and region, the chosen one) in this process. The options are the register's rows in
#: the user's scope; every change of an institution or a region gives the register a new token in
#: its own transaction (institutions migration 0002), so kept options are never older than the token
#: read before them (as the register page keeps its table, ADR 0012).
_OPTIONS: dict[tuple[Any, ...], SafeString] = {}
_OPTIONS_KEPT = 64


@register.simple_tag
def institution_options(user: Any, selected: int | None) -> SafeString:
    """`<option>`s of the search's institution filter: the institutions in `user`'s scope, each
    named once with its code in the page's script."""
    token = register_token()  # read before the rows: options kept under it are at least as new
    institution = getattr(user, "institution_id", None)
    region = None if institution else getattr(user, "region_id", None)
    key = (get_language() or "", token, institution, region, selected)
    html = _OPTIONS.get(key) if token else None
    if html is None:
        rows = search_institutions(institution_id=institution, region_id=region)
        options = [
            (pk, institution_label(code, code_local, name, name_kk, name_ru))
            for pk, code, name, name_kk, name_ru, code_local in rows
        ]
        html = fragment(
            "records/_options.html", {"options": options, "chosen": selected, "blank": False}
        )
        if token:
            if len(_OPTIONS) >= _OPTIONS_KEPT:
                _OPTIONS.clear()
            _OPTIONS[key] = html
    return html


@register.simple_tag
def correction_reason_options(chosen: str = "") -> SafeString:
    """The options of the correction's reason code (`entry_rules.CORRECTION_REASONS`)."""
    from adaldyq.web.records.entry_rules import CORRECTION_REASONS

    return fragment(
        "records/_options.html", {"options": CORRECTION_REASONS, "chosen": chosen, "blank": True}
    )


@register.filter
def probation_words(event: dict[str, Any], kind: str) -> str:
    """A fact of the probation file in words (its `event`, as the fold keeps it)."""
    from adaldyq.web.release.labels import probation_details

    return "; ".join(p for p in probation_details(kind, event) if p)
