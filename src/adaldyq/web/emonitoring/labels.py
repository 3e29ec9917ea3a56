"""The words of electronic monitoring on pages (kk/ru/en: the app's catalogue)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VIOLATION_LABELS = {
    "curfew": gettext_lazy("away from home during the curfew hours"),
    "exclusion_zone": gettext_lazy("inside an exclusion zone"),
    "tamper": gettext_lazy("bracelet's strap or case opened"),
    "battery": gettext_lazy("bracelet's battery below 10%"),
    "signal_lost": gettext_lazy("no signal from the bracelet for over 30 minutes"),
}
ZONE_LABELS = {
    "home": gettext_lazy("home (curfew)"),
    "exclusion": gettext_lazy("exclusion zone"),
}
EVENT_LABELS = {
    "fix": gettext_lazy("position"),
    "tamper": gettext_lazy("tampering"),
    "battery": gettext_lazy("battery"),
    "home_unit": gettext_lazy("home unit"),
}


def event_words(e: Any) -> str:
    """What one stored event says, in words."""
    if e.kind == "fix":
        return _("%(lat).5f, %(lon).5f (within %(acc)s m)") % {
            "lat": e.lat, "lon": e.lon, "acc": f"{e.accuracy:g}",
        }  # fmt: skip
    if e.kind == "battery":
        return _("charge %(level)s%%") % {"level": e.level}
    if e.kind == "home_unit":
        return _("bracelet at home") if e.present else _("bracelet not at home")
    return _("opened: %(what)s") % {"what": e.what}


def zone_details(d: dict[str, Any]) -> list[str]:
    """A `device_zone` fact in the personal file's timeline."""
    parts = [f"{d.get('name', '')}: {ZONE_LABELS.get(d.get('kind', ''), d.get('kind', ''))}"]
    if d.get("ended"):
        parts.append(_("no longer a zone"))
        return parts
    curfew = d.get("curfew")
    if curfew:
        parts.append(_("curfew from %(start)s to %(end)s") % {"start": curfew.get("from"),
                                                              "end": curfew.get("to")})  # fmt: skip
    parts.append(_("%(n)s points") % {"n": len(d.get("polygon") or [])})
    return parts
