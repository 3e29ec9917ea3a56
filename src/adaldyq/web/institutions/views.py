"""The register page: a table and a map drawn from coordinates (no tiles, no network)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from adaldyq.web.institutions.selectors import (
    institutions_with_population,
    load_percent,
    map_points,
    map_size,
)

#: The register's rendered map and table, per (language, register token), in this process (ADR 0012).
#: The same for every user who may open the page; a write that changes what it shows changes the token
#: in its own transaction (institutions migration 0002), so a cached page is never older than the token.
_PAGES: dict[tuple[str, str], SafeString] = {}
_PAGES_KEPT = 8


def register_token() -> str | None:
    """The register's current version token, or None when the row is missing (then nothing is kept)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM institutions_registerversion WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else None


def register_html() -> SafeString:
    """The map and the table of every institution with its population, in the current language."""
    institutions = list(institutions_with_population())
    points, centres = map_points(institutions)
    width, height = map_size()
    rows = [(i, load_percent(i.population, i.capacity)) for i in institutions]  # type: ignore[attr-defined]
    return render_to_string(
        "institutions/_register.html",
        {
            "institutions": institutions,
            "rows": rows,
            "over": sum(1 for _, load in rows if load > 100),
            "points": points,
            "centres": centres,
            "width": width,
            "height": height,
            "total_capacity": sum(i.capacity for i in institutions),
            "total_population": sum(i.population for i in institutions),  # type: ignore[attr-defined]
        },
    )


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    token = register_token()  # read before the rows: a page kept under it is at least as new
    key = (get_language() or "", token or "")
    html = _PAGES.get(key) if token else None
    if html is None:
        html = register_html()
        if token:
            if len(_PAGES) >= _PAGES_KEPT:
                _PAGES.clear()
            _PAGES[key] = html
    return render(request, "institutions/list.html", {"register": html})
