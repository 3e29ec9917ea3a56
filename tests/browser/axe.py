"""axe-core (vendored from the npm registry, tests/browser/vendor/axe-core) run on a page in the browser.

    problems = serious_violations(page)     # [] when axe finds nothing serious or critical

The script is evaluated through the DevTools protocol, which the site's Content Security Policy does not
govern: the application never serves it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Any) -> list[str]:
    """Every serious or critical violation axe finds on the page, one line each (rule, impact, the
    first elements it names)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
        if v.get("impact") in SERIOUS
    ]


#: Pairs of an axis' labels whose boxes meet (a label Vega hid, opacity 0, is not drawn).
_OVERLAPS = """() => {
  const found = [];
  document.querySelectorAll('[data-vega-spec] svg .role-axis-label').forEach((axis) => {
    const shown = [...axis.querySelectorAll('text')].filter(
      (t) => t.textContent.trim() && Number(t.getAttribute('opacity') ?? 1) > 0);
    const boxes = shown.map((t) => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [x, a] = boxes[i], [y, b] = boxes[j];
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        found.push(`${x} / ${y}`);
    }
  });
  return found;
}"""


def overlapping_labels(page: Any) -> list[str]:
    """The axis labels of the page's drawn charts that run into each other ("label / label")."""
    return list(page.evaluate(_OVERLAPS))
