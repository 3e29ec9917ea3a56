"""Maker-checker for overrides (ADR 0037): one person asks, a second person with the authority
confirms, and only then does the override take effect.

override_request(...)   the maker's `override_requested` entry (nothing else is written)
override_confirm(...)   a second person's `override_confirmed` and, in the same transaction, the
                        entries of the effect, planned by the app the override belongs to
override_refuse(...)    a second person's `override_refused`, with a reason; nothing takes effect

Each kind's effect is planned by a function of its app (`EFFECTS`), called inside the confirming
transaction after the override's row is locked: it checks the rules again as they stand on that
day and returns the drafts to append. Of two confirmations at once, the second waits for the
first's lock, then finds the override settled and is refused: one effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from adaldyq.core.errors import InputError
from adaldyq.web.accounts.scope import can_confirm_override
from adaldyq.web.overrides import projection
from adaldyq.web.overrides.models import KINDS, PENDING, Override
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import Actor, Draft, Entry
from adaldyq.web.records.models import Person
from adaldyq.web.records.services import actor_of

log = logging.getLogger(__name__)


class OverrideError(InputError):
    """An override the maker-checker rule refuses; the message is translated. Nothing was written."""


class OverridePendingError(InputError):
    """Raised by an app's write when what was asked departs from the law or the rules with a reason:
    the override was recorded and waits for a second person; nothing else was written."""

    def __init__(self, override: Override) -> None:
        self.override = override
        super().__init__(f"override #{override.seq} awaits a second person's confirmation")

    def diagnostics(self) -> str:
        return pending_message(self.override)


def pending_message(override: Override) -> str:
    """What the maker is told: recorded, and it takes effect only when a second person confirms."""
    return gettext(
        "Override no. %(seq)s is recorded with your reason. It takes effect only when a second "
        "person with the authority confirms it; until then nothing has changed."
    ) % {"seq": override.seq}


@dataclass(frozen=True, slots=True)
class Effect:
    """What an app plans for a confirmed override: its entries and what they produce."""

    #: The entries of the effect (each names both people in its payload's `override`).
    drafts: Sequence[Draft]
    #: The app's projections that apply them (besides the personal file's).
    projectors: Sequence[Callable[[Entry], None]]
    #: The id of what was produced (a booking, a move).
    produced: str


#: Each kind's planner: `(override, checker: Actor, on: date) -> Effect` (its entries by
#: `maker_of(override)`, each with `stamp(override, checker)`), raising InputError when
#: the rules refuse it as things stand (the confirmation is then refused and nothing is written).
EFFECTS: dict[str, str] = {
    "visit_booking": "adaldyq.web.visits.services.booking_override_effect",
    "placement": "adaldyq.web.transfers.services.placement_override_effect",
    "transfer": "adaldyq.web.transfers.services.transfer_override_effect",
}


def stamp(override: Override, checker: Actor) -> dict[str, Any]:
    """What an effect's entry says of the override: its number, both people and the reason."""
    return {
        "seq": override.seq,
        "requested_by": override.requested_by,
        "confirmed_by": checker.id,
        "confirmed_authority": checker.authority,
        "reason": override.reason,
        "rules": list(override.rules),
    }


def maker_of(override: Override) -> Actor:
    """The actor of an effect's entries: the person who decided it, on their authority (the
    register's flags name them as the officer); the entry's `override` names the confirmer, whose
    own `override_confirmed` entry precedes it in the same transaction."""
    return Actor(override.requested_by, override.requested_authority)


def override_request_draft(
    *,
    maker: Any,
    kind: str,
    person: Person,
    institution: str,
    rules: Sequence[str],
    grounds: dict[str, Any],
    action: dict[str, Any],
    reason: str,
    on: date | None = None,
) -> Draft:
    """The maker's `override_requested` entry, for the app to append in its own transaction."""
    if kind not in KINDS:
        raise ValueError(f"unknown override kind {kind!r}")
    if not reason.strip():
        raise OverrideError(gettext("An override needs a written reason."))
    if not rules:
        raise ValueError("an override names the rules it departs from")
    payload = {
        "day": (on or timezone.localdate()).isoformat(),
        "kind": kind,
        "institution": institution,
        "rules": sorted(set(rules)),
        "grounds": grounds,
        "action": action,
        "reason": reason.strip(),
    }
    return Draft(
        actor=actor_of(maker),
        subject=person.pk,
        type=projection.OVERRIDE_REQUESTED,
        payload=payload,
    )


def override_request(**kwargs: Any) -> Override:
    """Record the maker's request on its own (see `override_request_draft`); returns its row."""
    draft = override_request_draft(**kwargs)
    (entry,) = ledger_port.commit([draft], projection.project)
    return Override.objects.get(pk=entry.seq)


def append_request(draft: Draft) -> Override:
    """Append a request in the caller's open transaction; returns its row."""
    (entry,) = ledger_port.append_projected([draft], projection.project)
    return Override.objects.get(pk=entry.seq)


def _settle(checker: Any, override: Override) -> Override:
    """The override's row, locked, if `checker` may settle it (OverrideError otherwise)."""
    locked = (
        Override.objects.select_for_update(of=("self",))
        .select_related("person__institution")
        .get(pk=override.pk)
    )
    if locked.status != PENDING:
        raise OverrideError(
            gettext("Override no. %(seq)s is already settled.") % {"seq": locked.seq}
        )
    if actor_of(checker).id == locked.requested_by:
        raise OverrideError(
            gettext(
                "You asked for this override: a second person confirms or refuses it "
                "(four-eyes rule)."
            )
        )
    if not can_confirm_override(checker, locked):
        raise OverrideError(
            gettext("You do not have the authority to confirm or refuse this override.")
        )
    return locked


def _settling(actor: Actor, locked: Override, type: str, on: date, **more: Any) -> Draft:
    """The entry that settles `locked` (confirms or refuses it) on day `on`: the override and who
    asked for it, and what `more` says."""
    payload = {"day": on.isoformat(), "override": locked.seq, "requested_by": locked.requested_by}
    return Draft(actor=actor, subject=locked.person_id, type=type, payload={**payload, **more})


def override_confirm(*, checker: Any, override: Override, on: date | None = None) -> Override:
    """Confirm another person's override: the effect takes place now, or not at all.

    The row is locked first, so that of two confirmations at once one takes effect and the other
    is told it is settled. The app checks its rules again (a seat may be gone, the person moved);
    a refusal of its rules refuses the confirmation, and nothing is written.
    """
    on = on or timezone.localdate()
    actor = actor_of(checker)
    with transaction.atomic(durable=True):
        locked = _settle(checker, override)
        plan: Callable[[Override, Actor, date], Effect] = import_string(EFFECTS[locked.kind])
        effect = plan(locked, actor, on)
        confirmed = _settling(
            actor,
            locked,
            projection.OVERRIDE_CONFIRMED,
            on,
            kind=locked.kind,
            effect=effect.produced,
        )
        from adaldyq.web.records import projection as records_projection

        ledger_port.append_projected(
            [confirmed, *effect.drafts],
            projection.project,
            records_projection.project,
            *effect.projectors,
        )
    log.info("override %s confirmed by %s: %s", locked.seq, actor.id, effect.produced)
    return Override.objects.get(pk=locked.pk)


def override_refuse(
    *, checker: Any, override: Override, reason: str, on: date | None = None
) -> Override:
    """Refuse another person's override, with a reason; it closes and nothing takes effect."""
    if not reason.strip():
        raise OverrideError(gettext("A refusal needs a written reason."))
    on = on or timezone.localdate()
    actor = actor_of(checker)
    with transaction.atomic(durable=True):
        locked = _settle(checker, override)
        refused = _settling(actor, locked, projection.OVERRIDE_REFUSED, on, reason=reason.strip())
        ledger_port.append_projected([refused], projection.project)
    return Override.objects.get(pk=locked.pk)
