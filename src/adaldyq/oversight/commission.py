"""Flags of the commission's decisions, from the ledger's `decision_recorded` entries (issue 5).

    from adaldyq.oversight.commission import COMMISSION_FLAG_KINDS, commission_flags, read_commission_flags
    flags = read_commission_flags(cursor)          # one SQL pass over the decision entries
    flags = commission_flags(entries)              # or from (seq, actor_id, authority, payload) rows

Every `decision_recorded` entry carries the engine's proposal next to the outcome, the quorum the
law pack set that day and who was present (docs/decisions/0009-commission-decisions.md), so these
flags need no engine run: they read what the entry says was known when the commission decided.

- `commission_contrary_to_proposal`: the outcome differs from the engine's proposal, in either
  direction (`detail.direction`: `without_grounds` a change the engine did not propose,
  `grounds_refused` a proposed change refused or deferred, `different_change` another change);
- `commission_without_quorum`: the quorum was not met, or could not be determined because the law
  pack lacks the figure (`detail.status` = `not_met` | `not_determinable`, confidence "?");
- `commission_without_public_representative`: no member of the public was present.

Pure: no Django; the cursor is any DB-API cursor on the ledger's tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import orjson

from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.files import authority_institution
from adaldyq.oversight.register import Flag

__all__ = [
    "COMMISSION_FLAG_KINDS",
    "DECISION_RECORDED",
    "commission_flags",
    "read_commission_flags",
]

DECISION_RECORDED = "decision_recorded"
_RULE = "PEC arts. 17, 95, 103 (LAW.md §2-3)"

#: Every kind of commission flag, with the rule it rests on.
COMMISSION_FLAG_KINDS: dict[str, str] = {
    "commission_contrary_to_proposal": _RULE,
    "commission_without_quorum": "PEC art. 17 (the commission's quorum; law pack commission.quorum)",
    "commission_without_public_representative": "PEC arts. 17, 103 (public representatives)",
}

Row = tuple[int, str, str, dict[str, Any]]


def _flag(
    kind: str, seq: int, officer: str, authority: str, p: dict[str, Any], conf: str, **detail: Any
) -> Flag:
    on = date.fromisoformat(p["on"]) if p.get("on") else None
    evidence = {seq, *(int(s) for s in (p.get("session_seq"),) if s is not None)}
    return Flag(
        kind=kind,
        person=str(p.get("person") or ""),
        institution=str(p.get("institution") or authority_institution(authority)),
        officer=officer,
        on=on,
        evidence=tuple(sorted(evidence)),
        rule=COMMISSION_FLAG_KINDS[kind],
        confidence=conf,
        detail={"session": p.get("session"), "outcome": p.get("outcome"), **detail},
    )


def commission_flags(rows: Iterable[Row]) -> list[Flag]:
    """Flags of `decision_recorded` entries given as (seq, actor id, actor authority, payload)."""
    out: list[Flag] = []
    for seq, officer, authority, p in rows:
        if p.get("deviates"):
            out.append(
                _flag(
                    "commission_contrary_to_proposal", seq, officer, authority, p,
                    str(p.get("proposal", {}).get("confidence") or "P"),
                    direction=p.get("direction"), proposal=p.get("proposal"),
                    terms=p.get("terms"), reason_code=p.get("reason_code"),
                )
            )  # fmt: skip
        quorum = p.get("quorum") or {}
        status = quorum.get("status")
        # An unknown quorum (the law pack's figure is "?") is not a breach: the decision itself says
        # "quorum not determinable"; only a quorum known and not met is flagged.
        if status == "not_met":
            out.append(
                _flag(
                    "commission_without_quorum", seq, officer, authority, p,
                    "?" if status == "not_determinable" else str(quorum.get("confidence") or "?"),
                    status=status, present=quorum.get("present"), members=quorum.get("members"),
                    figure=quorum.get("figure"),
                )
            )  # fmt: skip
        if not p.get("public_present"):
            out.append(
                _flag(
                    "commission_without_public_representative", seq, officer, authority, p, "S",
                    present=quorum.get("present"),
                )
            )  # fmt: skip
    out.sort(key=lambda f: (f.kind, f.on or date.min, f.person, f.evidence))
    return out


def read_commission_flags(cursor: Cursor) -> list[Flag]:
    """Read every `decision_recorded` entry (one query) and flag it; corrections are not used."""
    sql = "SELECT seq, body FROM ledger_entries WHERE type = %s ORDER BY seq"
    execute(cursor, sql, (DECISION_RECORDED,))
    rows: list[Row] = []
    for seq, body in cursor.fetchall():
        obj = orjson.loads(body if isinstance(body, bytes) else bytes(body))
        actor = obj.get("actor") or {}
        officer, authority = str(actor.get("id", "")), str(actor.get("authority", ""))
        rows.append((int(seq), officer, authority, obj["payload"]))
    return commission_flags(rows)
