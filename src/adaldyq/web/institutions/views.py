"""The register page: a table and a map drawn from coordinates (no tiles, no network)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from adaldyq.web.institutions.selectors import institutions_with_population, map_points, map_size


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    institutions = list(institutions_with_population())
    points, centres = map_points(institutions)
    width, height = map_size()
    return render(
        request,
        "institutions/list.html",
        {
            "institutions": institutions,
            "points": points,
            "centres": centres,
            "width": width,
            "height": height,
            "total_capacity": sum(i.capacity for i in institutions),
            "total_population": sum(i.population for i in institutions),  # type: ignore[attr-defined]
        },
    )
