"""The position a role stands for, in words a document may carry ("Head of the institution").

A user's own position (`User.position_kk/_ru/_en`) comes first; these are the words shown when a user has
none in the page's language, so that no page names a person by a login alone.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from adaldyq.web.accounts.roles import Role

LANGUAGES = ("kk", "ru", "en")

ROLE_POSITIONS: dict[Role, Promise] = {
    Role.records_officer: pgettext_lazy("position", "Records officer"),
    Role.head: pgettext_lazy("position", "Head of the institution"),
    Role.regional: pgettext_lazy("position", "Officer of the regional department"),
    Role.committee: pgettext_lazy("position", "Officer of the Penal System Committee"),
    Role.prosecutor: pgettext_lazy("position", "Prosecutor"),
    Role.anticorruption: pgettext_lazy("position", "Officer of the Anti-Corruption Agency"),
    Role.ombudsman: pgettext_lazy("position", "Commissioner for Human Rights"),
    Role.public_council: pgettext_lazy("position", "Member of the public council"),
    Role.prisoner: pgettext_lazy("position", "Convicted person"),
    Role.law_admin: pgettext_lazy("position", "Lawyer of the legal department"),
    Role.probation_officer: pgettext_lazy("position", "Probation officer"),
}

#: Positions of staff that no web role names (the demo's commission members sign in as records officers).
COMMISSION_MEMBER = pgettext_lazy("position", "Member of the institution's commission")


def position_in_every_language(position: Promise) -> dict[str, str]:
    """The words of a position in kk, ru and en, as `User.position_<lang>` stores them."""
    out = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            out[lang] = str(position)
    return out


def position_in_language(role: str, kk: str, ru: str, en: str) -> str:
    """A user's position in the current language; else the role's words; else theirs in another one."""
    own = {"kk": kk, "ru": ru, "en": en}
    lang = (translation.get_language() or "kk")[:2]
    if own.get(lang):
        return own[lang]
    return role_position(role) or next((p for p in own.values() if p), "")


def role_position(role: str) -> str:
    """The words of a role's position in the current language ("" for no or an unknown role)."""
    try:
        return str(ROLE_POSITIONS[Role(role)])
    except ValueError:
        return ""
