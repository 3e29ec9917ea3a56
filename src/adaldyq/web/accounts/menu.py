"""The main menu: its links in order, each shown by the predicate of `accounts.scope` that its page's
view calls too (docs/decisions/0005-roles-and-scopes.md, amended), so that a link and its page
cannot disagree about who may open it.

Every predicate here reads only the user's role and, for the prisoner, their own file: the menu is
rendered once per language, role and file and kept (`site_tags.nav_links`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from adaldyq.web.accounts.scope import (
    can_amend_law,
    can_enter_work_lists,
    can_read_probation_register,
    can_see_register,
    has_own_file,
    in_probation_service,
    is_official,
    is_signed_in,
    is_staff,
)

if TYPE_CHECKING:
    from adaldyq.web.accounts.scope import Asker


@dataclass(frozen=True, slots=True)
class Link:
    """One link of the menu: its page (a URL name), its words, who sees it and its element id."""

    page: str
    label: Any  # a lazy translation: the words in the reader's language
    shown: Callable[[Asker], bool]
    id: str = ""
    own_file: bool = False  # the page takes the prisoner's own file as its argument


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the menu: the first of its links that the user sees (an either-or), or with
    `every` each of them, joined by `joined`."""

    links: tuple[Link, ...]
    every: bool = False
    joined: str = ""


#: Between the lines, as the menu's template wrote them (the menu's HTML did not change when its
#: decisions moved here).
_BETWEEN = "\n        "

#: The probation register: the probation service's first link, and one of the committee's and
#: the oversight bodies'.
_PROBATION_REGISTER = Link(
    "probation:register", _("Probation register"), can_read_probation_register, "nav-probation"
)


def _one(page: str, label: Any, shown: Callable[[Asker], bool], element: str = "") -> Line:
    """A line of one link."""
    return Line((Link(page, label, shown, element),))


#: The probation service's menu: its register, never a prison file.
PROBATION = (
    Line(
        (
            _PROBATION_REGISTER,
            Link("probation:report", _("Figures of probation"), can_read_probation_register),
        ),
        every=True,
        joined=" ",
    ),
)

#: Everyone else's menu.
MAIN = (
    Line(
        (
            Link("lawadmin:amendments", _("Amendments to the law pack"), can_amend_law, "nav-law"),
            Link("records:search", _("People"), is_official),
        ),
        every=True,
    ),
    _one("institutions:list", _("Institutions"), is_signed_in),
    Line(
        (
            Link("visits:board", _("Visits"), is_staff),
            Link("visits:person", _("Visits"), has_own_file, own_file=True),
        )
    ),
    _one("ledger", _("Ledger"), is_official),
    Line(
        (
            Link("transfers:index", _("Transfers"), is_staff),
            Link("transfers:person", _("Transfers"), has_own_file, own_file=True),
        )
    ),
    Line(
        (
            Link("decisions:sessions", _("Commission"), is_official),
            Link("decisions:mine", _("Decisions"), has_own_file),
        )
    ),
    Line(
        (
            Link("work:list", _("Work and study"), can_enter_work_lists, "nav-work"),
            Link("work:report", _("Work and study"), is_staff, "nav-work"),
        )
    ),
    _one("release:due", _("Parole due"), is_staff, "nav-parole"),
    _one("programme:register", _("Officials' visits programme"), is_staff, "nav-programme"),
    _one("programme:monitoring", _("Public monitoring visits"), is_staff, "nav-monitoring"),
    _one("paper:index", _("Paper files"), is_staff, "nav-paper"),
    Line(
        (
            Link("decisions:register", _("Deviation register"), can_see_register, "nav-register"),
            Link("dashboards:index", _("Dashboards"), can_see_register, "nav-dashboards"),
        ),
        every=True,
        joined=_BETWEEN,
    ),
    Line((_PROBATION_REGISTER,)),
)


def links_of(user: Asker) -> list[tuple[Line, list[Link]]]:
    """The links `user` sees, line by line (a line may show none)."""
    lines = PROBATION if in_probation_service(user) else MAIN
    shown = []
    for line in lines:
        seen = [link for link in line.links if link.shown(user)]
        shown.append((line, seen if line.every else seen[:1]))
    return shown


def menu_html(user: Asker) -> SafeString:
    """The menu of `user` in the current language."""
    own = (getattr(user, "person_id", None),)
    lines = (
        format_html_join(
            line.joined,
            '<a href="{}"{}>{}</a>',
            (
                (
                    reverse(link.page, args=own if link.own_file else ()),
                    format_html(' id="{}"', link.id) if link.id else "",
                    # the catalogue's words, as {% translate %} writes them (unescaped)
                    mark_safe(str(link.label)),  # noqa: S308 - our catalogues' text
                )
                for link in links
            ),
        )
        for line, links in links_of(user)
    )
    return format_html("{}\n", format_html_join(_BETWEEN, "{}", ((line,) for line in lines)))
