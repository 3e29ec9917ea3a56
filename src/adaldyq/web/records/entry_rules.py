"""When a fact may be entered as it is, needs a reason, or needs the head (issue 15, ADR 0033).

    entry_lateness(person=..., kind=..., on=..., today=...)  -> "on_time" | "reason" | "head"
    withdrawal_needs_head(original=..., officer=..., today=...) -> bool

The figures are the project's (P), not the law's; a deployment sets them in its settings
(`ADALDYQ_ENTRY_RULES`, a dict with the keys of `DEFAULTS`):

- `reason_days`: a fact of the engine's vocabulary recorded more than this many days after its day
  asks for a reason code and a written reason;
- `head_days`: beyond this many, it is a proposal that counts for nothing until a head of the
  institution other than the proposer confirms it (maker-checker);
- `withdraw_head_days`: withdrawing a penalty older than this many days needs the head (a records
  officer's withdrawal is a proposal the head confirms);
- `history_days`: for this many days after a file is opened, its paper history is being entered and
  no fact is late (oversight still reads every late fact a later decision rests on, ADR 0025).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from adaldyq.core.facts import EVENT_TYPES

__all__ = [
    "CORRECTION_REASONS",
    "DEFAULTS",
    "LATE_REASONS",
    "entry_lateness",
    "rules",
    "withdrawal_needs_head",
]

DEFAULTS: Final = {"reason_days": 30, "head_days": 90, "withdraw_head_days": 30, "history_days": 30}

#: Why a fact is recorded long after its day.
LATE_REASONS: Final = (
    ("paper_file", _("found in the paper file")),
    ("reported_late", _("reported late by the unit where it happened")),
    ("omitted", _("omitted by mistake when it happened")),
    ("ordered", _("ordered by a court, the prosecutor or the head")),
    ("other", _("other (say why)")),
)
#: Why a fact is corrected or withdrawn.
CORRECTION_REASONS: Final = (
    ("typing_error", _("a typing error (date, kind, figure)")),
    ("wrong_file", _("recorded in the wrong person's file")),
    ("recorded_twice", _("recorded twice")),
    ("annulled", _("annulled by the head, the prosecutor or a court")),
    ("new_information", _("new information about what happened")),
    ("other", _("other (say why)")),
)


def rules() -> dict[str, int]:
    """The figures in force: the defaults with the deployment's settings over them."""
    return {**DEFAULTS, **getattr(settings, "ADALDYQ_ENTRY_RULES", {})}


def entry_lateness(*, person: Any, kind: str, on: date, today: date) -> str:
    """ "on_time", "reason" (a reason code and a written reason) or "head" (the head confirms)."""
    if kind not in EVENT_TYPES:
        return "on_time"  # visits, hours, visitors: no outcome of the engine rests on them
    r = rules()
    opened = person.opened_on
    if opened is not None and today <= opened + timedelta(days=r["history_days"]):
        return "on_time"  # the file's paper history, entered as the file is opened
    late = (today - on).days
    if late > r["head_days"]:
        return "head"
    return "reason" if late > r["reason_days"] else "on_time"


def withdrawal_needs_head(*, original: Any, officer: Any, today: date) -> bool:
    """A penalty older than `withdraw_head_days` withdrawn by someone who is not a head (while the
    file's paper history is entered, `history_days` after it is opened, its corrections are not)."""
    if original.kind != "penalty" or getattr(officer, "role", "") == "head":
        return False
    r = rules()
    opened = original.person.opened_on
    if opened is not None and today <= opened + timedelta(days=r["history_days"]):
        return False
    return bool((today - original.on).days > r["withdraw_head_days"])
