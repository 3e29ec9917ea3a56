"""How pages and documents name a person: "Full Name, position", never the login (issue 13).

`person_name(who)` takes a user, or a login as the ledger records actors ("UK-5/O03", "head"); the
template filter of the same name (site_tags) and the Python-built rows (timelines, PDFs) both use it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from adaldyq.web.accounts.selectors import signatories


def _name_and_position(name: str, position: str, login: str, part: str) -> str:
    if part == "position":
        return position
    if name and name != login:
        return f"{name}, {position}" if position and part != "name" else name
    if position:  # a user without a name on record: the position, and the login to tell them apart
        return _("%(position)s (login %(login)s)") % {"position": position, "login": login}
    return login


def person_name(who: Any, part: str = "") -> str:
    """ "Full Name, position" in the current language; `part` "name" or "position" gives one of them.

    A login that no user has (an actor of an imported ledger) is shown as it is.
    """
    if who is None or who == "":
        return ""
    if hasattr(who, "display_name"):  # a User
        return _name_and_position(who.display_name, who.position, who.username, part)
    login = str(who)
    found = signatories((login,)).get(login)
    if found is None:
        return "" if part == "position" else login
    return _name_and_position(found.name, found.position, login, part)
