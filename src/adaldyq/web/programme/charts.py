"""Inline SVG charts of the programme's figures: no script, no CDN, coordinates written by Python
(never by the template, which would localise a decimal point into a comma)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 640, 200, 24


def _n(value: float) -> str:
    """A coordinate as SVG reads it: a dot, at most one decimal."""
    return f"{value:.1f}"


def bars(values: Mapping[str, int], *, title: str, chart_id: str) -> SafeString:
    """A bar per key (in the given order), its count on top; an empty mapping draws an empty frame."""
    items = list(values.items())
    top = max((v for _, v in items), default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(items), 1)
    width = max(step * 0.8, 1.0)
    rows = []
    for i, (label, value) in enumerate(items):
        h = (HEIGHT - 2 * PAD) * value / top
        x = PAD + i * step
        y = HEIGHT - PAD - h
        rows.append(
            (
                label, value, _n(x), _n(y), _n(width), _n(h), _n(x + width / 2), _n(y - 3),
                _n(HEIGHT - PAD + 12),
            )
        )  # fmt: skip
    body = format_html_join(
        "",
        '<g><title>{}: {}</title><rect x="{}" y="{}" width="{}" height="{}" class="bar"></rect>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="9">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="8">{}</text></g>',
        (
            (label, value, x, y, w, h, cx, ty, value, cx, ly, label)
            for label, value, x, y, w, h, cx, ty, ly in rows
        ),
    )
    return format_html(
        '<svg id="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><style>.bar{{fill:#2b6cb0}}</style>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"></line>{}</svg>',
        chart_id, title, WIDTH, HEIGHT, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, body,
    )  # fmt: skip
