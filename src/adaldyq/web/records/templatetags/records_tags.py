"""Words for facts in the timeline."""

from __future__ import annotations

import functools
import html
from typing import Any
from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from adaldyq.core.facts import PROBATION_KINDS
from adaldyq.files import INSIDE_KINDS
from adaldyq.web.accounts.names import person_name
from adaldyq.web.accounts.selectors import signatories
from adaldyq.web.accounts.templatetags.site_tags import condition_name
from adaldyq.web.institutions.models import institution_label
from adaldyq.web.records.forms import (
    CONDITIONS,
    INCENTIVE_KINDS,
    MALICIOUS_ITEMS,
    PENALTY_KINDS,
    RECOGNITIONS,
    RELATIONSHIPS,
)

register = template.Library()


def escape(value: Any) -> str:
    """`django.utils.html.escape` without its lazy-string wrapper (the same text: `html.escape(str(v))`).

    The timeline escapes several hundred values per page; Django's `keep_lazy` check around each
    call was a fifth of the page's rendering (ADR 0012). The result goes into `mark_safe` markup.
    """
    return html.escape(str(value))


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
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def fact_details(fact: Any) -> str:
    """The type-specific fields of a fact, in words."""
    d = fact.data or {}
    parts = []
    if fact.kind in ("arrived", "transferred") and d.get("condition"):
        parts.append(
            _("condition: %(c)s") % {"c": _CHOICES["condition"].get(d["condition"], d["condition"])}
        )
    if fact.kind == "condition_changed":
        parts.append(_("to: %(c)s") % {"c": _choice("to", d.get("to"))})
    if fact.kind == "incentive" and d.get("kind"):
        parts.append(str(_CHOICES["kind"].get(d["kind"], d["kind"])))
    if fact.kind == "penalty":
        if d.get("kind"):
            parts.append(str(_CHOICES["penalty"].get(d["kind"], d["kind"])))
        if d.get("malicious"):
            item = _CHOICES["malicious"].get(d["malicious"], d["malicious"])
            parts.append(_("malicious: %(item)s") % {"item": item})
    if fact.kind == "degree_awarded":
        parts.append(f"+{d.get('degree')}")
    if fact.kind == "recognised":
        parts.append(str(_choice("as", d.get("as"))))
    if fact.kind == "work_assessed":
        parts.append(_("diligent") if d.get("diligent") else _("not diligent"))
    if fact.kind in ("work_hours", "study_hours"):
        parts.append(
            _("%(hours)s h in %(month)s") % {"hours": d.get("hours"), "month": d.get("month", "")}
        )
    if fact.kind == "parole_facts":
        parts.extend(_parole_details(d))
    if fact.kind in ("court_submitted", "court_decided", "released"):
        from adaldyq.web.release.labels import court_details

        parts.extend(court_details(fact.kind, d))
    if fact.kind == "device_zone":
        from adaldyq.web.emonitoring.labels import zone_details

        parts.extend(zone_details(d))
    if fact.kind in INSIDE_KINDS:
        from adaldyq.web.work.labels import inside_details

        parts.extend(inside_details(fact.kind, d))
    if fact.kind in PROBATION_KINDS:
        from adaldyq.web.release.labels import probation_details

        parts.extend(probation_details(fact.kind, d))
    if fact.kind == "visitor_registered":
        rel = _choice("relationship", d.get("relationship"))
        parts.append(f"{d.get('name', '')} ({rel})")
    if fact.kind == "visit" and d:
        parts.append(str(_choice("visit", d.get("kind")) or ""))
        if d.get("days"):
            parts.append(_("%(n)s d.") % {"n": d["days"]})
        if d.get("hours"):
            parts.append(_("%(n)s h") % {"n": d["hours"]})
        visitors = d.get("visitors") or ([d["visitor"]] if d.get("visitor") else [])
        if visitors:
            parts.append(_("visitors: %(ids)s") % {"ids": ", ".join(map(str, visitors))})
    return "; ".join(str(p) for p in parts if p)


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


@functools.cache
def _strftime_format(fmt: str) -> str | None:
    """The strftime equivalent of a Django date format, or None when it needs Django's formatter."""
    out = []
    for ch in fmt:
        if ch in _STRFTIME:
            out.append(_STRFTIME[ch])
        elif ch.isalpha() or ch == "\\":
            return None
        else:
            out.append(ch.replace("%", "%%"))
    return "".join(out)


def _short(value: Any, format_name: str) -> str:
    """`date_format(value, format_name)`, through strftime when the language's format allows it.

    A timeline has dozens of rows with two dates each; Django's formatter parses the format for
    every value (a tenth of a file page's time, ADR 0012). Same text: d.m.Y H:i is d.m.Y H:i.
    """
    return _formatted(value, _strftime_format(get_format(format_name)), format_name)


def _formatted(value: Any, strf: str | None, format_name: str) -> str:
    """`value` in the strftime form `strf` of the format `format_name`, or by Django's formatter."""
    return value.strftime(strf) if strf is not None else date_format(value, format_name)


def _row_start(
    fact: Any,
    date_fmt: str | None,
    datetime_fmt: str | None,
    marked: int | None = None,
    who: str | None = None,
) -> str:
    """The row opening and the first four cells of a timeline row (one Python pass: pages open fast).

    Built with `escape` on every value rather than `format_html` per row (the same text: both escape
    with `html.escape`); a file has dozens of rows. `who`: the recorder as `person_name` names them.
    """
    classes = " ".join(
        c
        for c in (
            "superseded" if fact.superseded_by_id else "",
            "correction" if fact.corrects_id else "",
            "marked" if fact.seq == marked else "",
        )
        if c
    )
    kind = kind_label(fact.kind) + (" — " + _("withdrawn") if fact.void else "")
    notes = ""
    if fact.corrects_id:
        notes += '<div class="muted keep">{}: «{}»</div>'.format(
            escape(_("corrects entry #%(n)s") % {"n": fact.corrects_id}), escape(fact.reason)
        )
    if fact.superseded_by_id:
        notes += '<div class="muted">{}</div>'.format(
            escape(_("corrected by entry #%(n)s") % {"n": fact.superseded_by_id})
        )
    if who is None:
        who = person_name(fact.recorded_by)
    on = _formatted(fact.on, date_fmt, "SHORT_DATE_FORMAT")
    at_text = _formatted(localtime(fact.recorded_at), datetime_fmt, "SHORT_DATETIME_FORMAT")
    current = ' aria-current="true"' if fact.seq == marked else ""
    return (
        f'<tr class="{escape(classes)}" id="entry-{escape(fact.seq)}"{current}><td>{escape(on)}</td>'
        f"<td>{escape(kind)}</td><td>{escape(fact_details(fact))}{notes}</td>"
        f'<td class="keep">{escape(who)}'
        f'<div class="muted">{escape(at_text)}</div></td>'
    )


def _formats() -> tuple[str | None, str | None]:
    """The strftime forms of the language's short date and date-time formats (None: Django's formatter)."""
    return (
        _strftime_format(get_format("SHORT_DATE_FORMAT")),
        _strftime_format(get_format("SHORT_DATETIME_FORMAT")),
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


@register.simple_tag
def state_label(state: str, met_on: Any = None) -> str:
    """A step's or criterion's state, `<span class="state">...</span>` (the explanation's every row).

    A tag rather than an included template: a file page shows a few dozen of them (ADR 0012)."""
    if state == "met":
        text = (
            _("met (since %(date)s)") % {"date": _long_date(met_on, get_language())}
            if met_on
            else _("met")
        )
    elif state == "due":
        text = _("from %(date)s, if no new facts change it") % {
            "date": _long_date(met_on, get_language()) if met_on else ""
        }
    else:
        text = str(_STATE_WORDS.get(state, _("cannot be determined yet")))
    return mark_safe(f'<span class="state">{escape(text)}</span>')  # noqa: S308 - escaped


@register.simple_tag
def fact_row_start(fact: Any) -> str:
    """The row opening and the first four cells of one timeline row (the correction page)."""
    return mark_safe(_row_start(fact, *_formats()))  # noqa: S308 - every value escaped


@register.simple_tag
def timeline_rows(
    facts: Any, writable: bool, file_url: str, marked: int | None = None, paper: Any = None
) -> str:
    """Every row of the file's timeline, with the "Correct" control where an entry may be corrected.

    `marked`: the entry a link points at (`?entry=N`), marked as the current row. `paper`: where on
    paper the imported entries were read (`paper.selectors.sources_of`), shown in the entry's cell
    with a link to the scan (issue 23).

    One Python pass instead of a template loop (ADR 0012): a file has dozens of entries and the loop,
    its conditions and its translations were a fifth of the page. The markup is the loop's.
    """
    formats = _formats()
    correct, reason = escape(_("Correct")), escape(_("Reason for the correction"))
    base = escape(file_url)
    rows = []
    logins = {f.recorded_by for f in facts}
    signatories(logins)  # the recorders read in one query, not one per name
    names = {login: person_name(login) for login in logins}  # a few officers record most rows
    for f in facts:
        cell = f'<td class="keep">#{escape(f.seq)}'
        source = paper.get(f.seq) if paper else None
        if source is not None:
            cell += _paper_source(source)
        if writable and not f.superseded_by_id and not f.void:
            url = f"{base}entries/{escape(f.seq)}/correct/"
            cell += (
                f'\n<details hx-get="{url}" hx-trigger="toggle once" hx-target="find .correction-slot">'
                f"<summary>{correct}</summary>\n"
                f'<div class="correction-slot"><a href="{url}">{reason} →</a></div>\n</details>'
            )
        rows.append(_row_start(f, *formats, marked, names[f.recorded_by]) + cell + "</td></tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above


#: How many officers read the page an imported fact stands on (`paper.models.PaperSource.checked`).
PAPER_CHECKED = {
    "single": gettext_lazy("transcribed once"),
    "double": gettext_lazy("transcribed twice, the same"),
    "settled": gettext_lazy("transcribed twice, settled by a head"),
}


def _paper_source(source: Any) -> str:
    """Where on paper an imported entry was read: file, page, the scan, who and when, how often."""
    from django.urls import reverse

    where = _("paper file %(file)s, page %(page)s") % {
        "file": source.paper_file,
        "page": source.page,
    }
    who = _("transcribed by %(who)s on %(day)s") % {
        "who": person_name(source.transcribed_by),
        "day": _formatted(localtime(source.transcribed_at).date(), None, "SHORT_DATE_FORMAT"),
    }
    url = reverse("paper:scan", args=[str(source.scan).removeprefix("sha256:")])
    return (
        f'<div class="paper-source muted" data-checked="{escape(source.checked)}">'
        f'{escape(where)} · <a href="{escape(url)}">{escape(_("scan"))}</a> · {escape(who)} · '
        f"<strong>{escape(PAPER_CHECKED.get(source.checked, source.checked))}</strong></div>"
    )


@register.simple_tag
def opening_rows(openings: Any) -> str:
    """The rows of "Who read this file": who, when, on which page, the entry (one Python pass)."""
    fmt = _strftime_format(get_format("SHORT_DATETIME_FORMAT"))
    rows = []
    for o in openings:
        text = _formatted(localtime(o.at), fmt, "SHORT_DATETIME_FORMAT")
        page = READ_PAGES.get(o.page, o.page)
        rows.append(
            f"<tr><td>{escape(person_name(o.by))}</td><td>{escape(text)}</td>"
            f'<td>{escape(page)}</td><td class="muted">#{escape(o.seq)}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped


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


#: The fields of the unbound fact forms, rendered once per form, prefix and language (ADR 0012). An
#: unbound fact form's markup depends on nothing else (no initial values, no person, no date), and
#: Django renders every widget through its own template: ten forms were a third of a records
#: officer's file page. A bound form (one with the user's input and errors) is rendered each time.
_UNBOUND_FIELDS: dict[tuple[type, str, str], str] = {}


@register.simple_tag
def fact_fields(form: Any) -> str:
    """The fields of a fact form (records/_fields.html), from the cache when the form is unbound."""
    if form.is_bound or form.initial or getattr(form, "show_again", False):
        return render_to_string("records/_fields.html", {"form": form})
    key = (type(form), form.prefix or "", get_language() or "")
    html = _UNBOUND_FIELDS.get(key)
    if html is None:
        html = _UNBOUND_FIELDS[key] = render_to_string("records/_fields.html", {"form": form})
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


@register.simple_tag
def person_rows(people: Any) -> str:
    """The rows of the people search (one Python pass, one `reverse` for all of them; ADR 0012)."""
    marker = "0"
    url = reverse("records:file", args=[marker])
    head, tail = url[: url.rindex(marker)], url[url.rindex(marker) + len(marker) :]
    rows = []
    for p in people:
        link = head + quote(str(p.pk), safe=RFC3986_SUBDELIMS + "~:@") + tail
        code = p.institution.display_code if p.institution_id and p.institution else ""
        rows.append(
            f"<tr><td>{escape(p.number)}</td>"
            f'<td><a href="{escape(link)}">{escape(p.full_name)}</a></td>'
            f"<td>{escape(_short(p.born, 'SHORT_DATE_FORMAT'))}</td>"
            f"<td>{escape(code)}</td><td>{escape(condition_name(p.condition))}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped


@register.simple_tag
def institution_options(institutions: Any, selected: int | None) -> str:
    """`<option>`s of the search's institution filter from (pk, code, name, name_kk, name_ru,
    code_local) rows, each named once with its code in the page's script."""
    options = []
    for pk, code, name, name_kk, name_ru, code_local in institutions:
        label = institution_label(code, code_local, name, name_kk, name_ru)
        chosen = " selected" if pk == selected else ""
        options.append(f'<option value="{escape(pk)}"{chosen}>{escape(label)}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value escaped


@register.simple_tag
def correction_reason_options(chosen: str = "") -> str:
    """The options of the correction's reason code (`entry_rules.CORRECTION_REASONS`)."""
    from adaldyq.web.records.entry_rules import CORRECTION_REASONS

    options = ['<option value="">—</option>']
    for code, label in CORRECTION_REASONS:
        selected = " selected" if code == chosen else ""
        options.append(f'<option value="{escape(code)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value escaped


@register.filter
def probation_words(event: dict[str, Any], kind: str) -> str:
    """A fact of the probation file in words (its `event`, as the fold keeps it)."""
    from adaldyq.web.release.labels import probation_details

    return "; ".join(p for p in probation_details(kind, event) if p)
