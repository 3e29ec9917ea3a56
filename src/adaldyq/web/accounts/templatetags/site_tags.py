"""The site header's pieces (rendered once per language and role, ADR 0012) and the filters every page
uses: `person_name` (a user by name and position, never by login) and `cited`.

Every page extends base.html, whose header reversed nine URLs and translated a dozen labels for
every request although they depend only on the language, the user's role and, for a prisoner, their
own file. Those two pieces are kept per process under exactly those keys (and the URL prefix); the
parts that differ per request (CSRF tokens, the page to return to, the user's name) stay in
base.html.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop

from adaldyq.web.accounts.names import person_name
from adaldyq.web.accounts.twofactor import second_factor_missing

register = template.Library()

_PIECES: dict[tuple[Any, ...], SafeString] = {}
_ADDRESSES: dict[tuple[str, str, str], str] = {}
_KEPT = 1000  # a bound: one entry per language and role, plus one per prisoner who signs in


@receiver(setting_changed)
def _forget_pieces(**kwargs: Any) -> None:
    """A test that changes the settings (the static files' storage, the languages) gets them anew."""
    _PIECES.clear()
    _ADDRESSES.clear()


def _piece(name: str, key: tuple[Any, ...], context: dict[str, Any]) -> SafeString:
    """The template `name` rendered with `context`, kept under `key` (what the context holds)."""
    full = (name, get_language(), get_script_prefix(), *key)
    html = _PIECES.get(full)
    if html is None:
        html = _keep(full, render_to_string(name, context))
    return html


def _keep(full: tuple[Any, ...], html: SafeString) -> SafeString:
    if len(_PIECES) >= _KEPT:
        _PIECES.clear()
    _PIECES[full] = html
    return html


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context) -> str:
    """The main navigation of a signed-in user (nothing for an anonymous visitor)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    request = context.get("request")
    if request is not None and second_factor_missing(request):
        return ""  # the code is still to come: no page but the sign-in's (ADR 0039)
    role = getattr(user, "role", "")
    person_id = getattr(user, "person_id", None) if role == "prisoner" else None
    from adaldyq.web.accounts.scope import can_see_register, scope_key

    register = can_see_register(user)  # decided by the role: the piece stays cached per role
    # the menu's predicates (accounts.menu) read the role and the prisoner's own file only
    full = ("menu", get_language(), get_script_prefix(), role, person_id, register)
    links = _PIECES.get(full)
    if links is None:
        from adaldyq.web.accounts.menu import menu_html

        links = _keep(full, menu_html(user))
    tasks = [task for task in _task_table() if task.shown(user)]
    if not tasks:
        return links
    # The task lists' counts: counted afresh on every page, in one query from SQL made once per
    # user and minute.
    from adaldyq.web.rows import counts_of

    scope = scope_key(user)
    counted = [[one for one in task.counted if one.shown(user)] for task in tasks]
    counts = iter(
        counts_of(
            [
                ((one.name, *scope), functools.partial(one.rows, user))
                for ones in counted
                for one in ones
            ]
        )
    )
    for task, ones in zip(tasks, counted, strict=True):
        count = sum(next(counts) for _ in ones)
        links += format_html(
            ' <a href="{}" id="{}">{}</a>',
            _address(task.page),
            task.link,
            gettext(task.words) % {"count": count},
        )
    return links


@dataclass(frozen=True, slots=True)
class _Counted:
    """Rows a task list counts: the count's name (with the user's scope, its key in
    `rows.counts_of`), who they are counted for and the user's rows."""

    name: str
    shown: Callable[[Any], bool]
    rows: Callable[[Any], QuerySet[Any]]


@dataclass(frozen=True, slots=True)
class _Task:
    """A task list the menu counts: the link's id, the list's page, its words and what it counts,
    summed (each of its counts for whom its predicate says)."""

    link: str
    page: str
    words: str  # the catalogue's words, with "%(count)s"
    counted: tuple[_Counted, ...]

    def shown(self, user: Any) -> bool:
        """Whether `user` sees the list: whom its first count is counted for."""
        return self.counted[0].shown(user)


@functools.cache
def _task_table() -> tuple[_Task, ...]:
    """The task lists and what each counts, shown by predicates of `accounts.scope` as the menu's
    links are (ADR 0005), not by role tests of their own."""
    from adaldyq.web.accounts.scope import (
        can_confirm_entries,
        can_place,
        confirms_heads_departures,
        confirms_overrides,
    )
    from adaldyq.web.decisions.selectors import (
        decisions_awaiting,
        head_deviations,
        regional_deviations,
    )
    from adaldyq.web.overrides.selectors import awaiting as overrides_awaiting
    from adaldyq.web.records.selectors import proposals_awaiting
    from adaldyq.web.transfers.selectors import awaiting_placement

    placing = _Counted("awaiting_placement", can_place, awaiting_placement)
    decisions = _Counted("decisions_awaiting", can_confirm_entries, decisions_awaiting)
    entries = _Counted("proposals_awaiting", can_confirm_entries, proposals_awaiting)
    overrides = _Counted("overrides_awaiting", confirms_overrides, overrides_awaiting)
    # the commission's decisions departing from the proposal that await a head, a regional department
    heads = _Counted("head_deviations", can_confirm_entries, head_deviations)
    regions = _Counted("regional_deviations", confirms_heads_departures, regional_deviations)
    return (
        # the committee's and a regional department's task list
        _Task("nav-awaiting", "transfers:awaiting", _AWAITING, (placing,)),
        # the head's task lists: the commission's decisions, the entries
        _Task("nav-confirm", "decisions:awaiting", _TO_CONFIRM, (decisions,)),
        _Task("nav-entries", "records:confirmations", _ENTRIES, (entries,)),
        # overrides a second person confirms (ADR 0037), and the departures awaiting them
        _Task("nav-overrides", "overrides:list", _OVERRIDES, (overrides, heads, regions)),
    )


_AWAITING = gettext_noop("Awaiting placement (%(count)s)")
_TO_CONFIRM = gettext_noop("Awaiting your confirmation (%(count)s)")
_ENTRIES = gettext_noop("Entries to confirm (%(count)s)")
_OVERRIDES = gettext_noop("Overrides awaiting confirmation (%(count)s)")


@register.simple_tag(name="address")
def _address(name: str) -> str:
    """`{% url name %}` of an address without arguments, kept (it cannot change while the process
    runs but for the script's prefix, which is part of the key)."""
    key = ("address", name, get_script_prefix())
    url = _ADDRESSES.get(key)
    if url is None:
        url = _ADDRESSES[key] = reverse(name)
    return url


@register.simple_tag
def assets() -> str:
    """The icon's, the stylesheet's and the scripts' tags: their static addresses do not change while
    the process runs (the manifest's names)."""
    return _piece("accounts/_assets.html", (), {})


@register.simple_tag(takes_context=True)
def account_links(context: template.Context) -> str:
    """Beside the signed-in user's name: enrolling an authenticator (a records officer without one
    confirmed), the API tokens (everyone but a prisoner) and the sign-out button."""
    user = context.get("user")
    role = getattr(user, "role", "")
    verified = getattr(user, "is_verified", None)
    enrol = role == "records_officer" and not (verified() if callable(verified) else verified)
    tokens = bool(role) and role != "prisoner"
    return _piece(
        "accounts/_account_links.html", (enrol, tokens), {"enrol": enrol, "tokens": tokens}
    )


@register.simple_tag
def language_buttons() -> str:
    """The language switch's buttons, the current language marked."""
    return _piece("accounts/_languages.html", (), {"LANG": get_language()})


@register.filter
def cited(article: str | None) -> str:
    """A law pack's article reference, or a text citing some (a flag's rule), as readers of the page's
    language cite them ("ст. 95 УИК")."""
    from adaldyq.law.messages import article_name

    return article_name(article, get_language() or "kk") if article else ""


@register.filter(name="person_name")
def person_name_filter(who: Any, part: str = "") -> str:
    """How a page names a person: "Full Name, position" in the page's language (accounts.names).

    `who` is a user or a login as the ledger records actors; `part` "name" or "position" gives one.
    """
    return person_name(who, part)


@register.filter
def institution_name(institution: Any) -> str:
    """An institution (or its code, Latin or Cyrillic) by name with its code once, in the page's
    language and script ("УК-5, Маңғыстау облысы"); an unknown code as it is."""
    if institution is None or institution == "":
        return ""
    if hasattr(institution, "label"):
        return str(institution.label)
    from adaldyq.web.institutions.selectors import institution_names

    names = institution_names(str(institution))
    return names.label if names is not None else str(institution)


@register.filter
def region_name(region: Any) -> str:
    """A region (or its key, "mangystau") by its name in the page's language; an unknown key as it is."""
    if region is None or region == "":
        return ""
    if hasattr(region, "name_kk"):
        return str(region.name)
    from adaldyq.core.regions import regions_by_key

    found = regions_by_key().get(str(region))
    lang = (get_language() or "kk")[:2]
    return found.name(lang if lang in ("kk", "ru") else "en") if found is not None else str(region)


@register.filter
def condition_name(code: Any) -> str:
    """A condition of detention ("light") in the page's language ("облегчённые"); unknown as it is."""
    from adaldyq.law.messages import CONDITION_NAMES

    lang = (get_language() or "kk")[:2]
    names = CONDITION_NAMES.get(lang if lang in ("kk", "ru") else "en", {})
    return str(names.get(str(code), code or ""))


@register.simple_tag(takes_context=True)
def views_alarm(context: template.Context) -> str:
    """For the oversight roles, on every page: the last check found rows of the read models that differ
    from the ledger (`adaldyq ledger audit-views`). Nothing while it found none, or never ran."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    from adaldyq.web.accounts.roles import OVERSIGHT_ROLES

    if getattr(user, "role", "") not in OVERSIGHT_ROLES:
        return ""
    from django.utils import formats, timezone

    from adaldyq.web.audit.services import last_check

    check = last_check()
    if check is None or not check.differences:
        return ""
    when = formats.date_format(timezone.localtime(check.checked_at), "DATETIME_FORMAT")
    return format_html(
        '<p class="warning" role="alert" id="views-alarm">{}</p>',
        gettext(
            "The pages do not agree with the ledger: the check of %(when)s found rows that differ "
            "from what the ledger says: %(count)s. Until the cause is found, rely on the ledger "
            "and the file's entries, not on lists and counts; the command "
            "'adaldyq ledger audit-views' lists each row."
        )
        % {"when": when, "count": check.differences},
    )
