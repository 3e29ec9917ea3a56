"""Flags of placements and transfers, read from the ledger's entries (issue 7, ADR 0011).

    from adaldyq.placement.ledger import TRANSFER_FLAG_KINDS, read_transfer_flags, transfer_flags
    flags = read_transfer_flags(cursor, sites=sites)   # oversight `Flag`s (evidence: ledger seqs)
    rows = transfer_flags(cursor, sites=sites)         # the same as dicts (`Flag.to_dict()`)

The web app (adaldyq.web.transfers) writes `placement_proposed`, `placement_decided`,
`transfer_requested` and `transfer_decided` entries whose payloads are `Proposal`,
`TransferRequest` and `TransferDecision` dicts, with the occupancy the staff saw when deciding.
Here they are read back in ledger order and given to the pure flag functions of
`adaldyq.placement.flags`: the queue is replayed from the requests and decisions; the capacity
and far-from-home flags use the occupancy recorded with each decision (what was known then); the
institutions register is handed in as `Site`s (the web reads it: `adaldyq.web.institutions.register`).

Pure: no Django; the cursor is any DB-API cursor on the ledger's tables (sqlite3, psycopg, or
Django's wrapper).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import orjson

from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.register import Flag
from adaldyq.placement import flags as pf
from adaldyq.placement.model import Profile, Site, TransferDecision, TransferRequest
from adaldyq.placement.rules import PlacementRules, default_rules

__all__ = ["ENTRY_TYPES", "TRANSFER_FLAG_KINDS", "read_transfer_flags", "transfer_flags"]

PLACEMENT_PROPOSED = "placement_proposed"
PLACEMENT_DECIDED = "placement_decided"
TRANSFER_REQUESTED = "transfer_requested"
TRANSFER_DECIDED = "transfer_decided"
ENTRY_TYPES = (PLACEMENT_PROPOSED, PLACEMENT_DECIDED, TRANSFER_REQUESTED, TRANSFER_DECIDED)

#: Every kind of transfer flag, with the rule it rests on (as `adaldyq oversight` lists kinds).
TRANSFER_FLAG_KINDS: dict[str, str] = {
    "queue_jumped": "Code art. 88; Mandela Rule 59 (the published queue order, rules.yaml queue.*)",
    "over_capacity": "Code art. 88 (the population limit)",
    "no_art88_ground": "Code art. 88",
    "consent_missing": "Code art. 88 (3)",
    "type_changed_without_court": "Code arts. 88, 96",
    "mixed_unit_placement": "Mandela Rule 11; seed 003 section 4",
    "repeated_transfers": "seed 003 section 4 (rules.yaml flags.repeated_transfers)",
    "placed_far_from_home": "Mandela Rule 59; Code art. 88",
    "against_proposal": "Code art. 88; Mandela Rule 59 (issue 7)",
}

Row = tuple[int, str, str, str, dict[str, Any]]


def read_rows(cursor: Cursor) -> list[Row]:
    """(seq, type, actor id, subject, payload) of every placement and transfer entry, in order."""
    marks = ", ".join(["%s"] * len(ENTRY_TYPES))
    sql = f"SELECT seq, body FROM ledger_entries WHERE type IN ({marks}) ORDER BY seq"  # noqa: S608
    execute(cursor, sql, ENTRY_TYPES)
    rows: list[Row] = []
    for seq, body in cursor.fetchall():
        obj = orjson.loads(body if isinstance(body, bytes) else bytes(body))
        actor = obj.get("actor") or {}
        rows.append(
            (int(seq), str(obj["type"]), str(actor.get("id", "")), str(obj.get("subject", "")),
             obj["payload"])
        )  # fmt: skip
    return rows


def flags_of_rows(
    rows: Iterable[Row], sites: Iterable[Site], *, rules: PlacementRules | None = None
) -> list[Flag]:
    """Flags of the entries `rows` (as `read_rows` gives them) against the institutions `sites`."""
    rules = rules or default_rules()
    all_sites = list(sites)
    capacity = {s.id: s.capacity for s in all_sites}
    requests: list[TransferRequest] = []
    decisions: list[TransferDecision] = []
    withdrawn: dict[str, date] = {}
    seq_of: dict[str, int] = {}
    officer_of: dict[str, str] = {}
    proposals: dict[int, dict[str, Any]] = {}
    snapshot: dict[str, dict[str, Any]] = {}
    profiles: dict[str, Profile] = {}
    far_occupancy: dict[str, dict[str, int]] = {}
    for seq, kind, actor, subject, p in rows:
        if kind == PLACEMENT_PROPOSED:
            proposals[seq] = p
        elif kind == TRANSFER_REQUESTED:
            r = TransferRequest.from_dict(p["request"])
            requests.append(r)
            seq_of[r.number] = seq
        elif kind == TRANSFER_DECIDED and p.get("outcome") != "granted":
            withdrawn[str(p["request"])] = date.fromisoformat(p["on"])
        elif kind in (PLACEMENT_DECIDED, TRANSFER_DECIDED) and p.get("decision"):
            d = TransferDecision.from_dict(p["decision"])
            decisions.append(d)
            seq_of[d.id] = seq
            officer_of[d.id] = actor
            snapshot[d.id] = p
            proposed = proposals.get(int(p.get("proposal_seq") or 0))
            if kind == PLACEMENT_DECIDED and proposed is not None:
                prof = proposed.get("profile") or {}
                if prof.get("home_region") and prof.get("sex") in ("male", "female"):
                    profiles[subject] = Profile(
                        subject, prof["sex"], prof["home_region"], prof.get("type", ""),
                        bool(prof.get("minor")), bool(prof.get("medical")),
                    )  # fmt: skip
                far_occupancy[d.id] = _occupancy_seen(proposed["proposal"], capacity)
    found = [
        *pf.queue_jump_flags(requests, decisions, withdrawn=withdrawn, rules=rules),
        *pf.ground_flags(decisions, all_sites, rules=rules),
        *pf.mixed_unit_flags(decisions, all_sites, rules=rules),
        *pf.repeated_transfer_flags(decisions, rules=rules),
        *pf.proposal_flags(decisions, rules=rules),
    ]
    for d in decisions:  # what staff saw when deciding: the occupancy recorded with the decision
        occ = (snapshot[d.id].get("occupancy") or {}).get("before")
        if occ is not None:
            found += pf.capacity_flags([d], all_sites, {d.to_institution: int(occ)}, rules=rules)
        if d.id in far_occupancy:
            found += pf.far_from_home_flags(
                [d], all_sites, far_occupancy[d.id], profiles, rules=rules
            )
    to_of = {d.id: d.to_institution for d in decisions}
    out = [_oversight_flag(f, seq_of, officer_of, to_of) for f in found]
    out.sort(key=lambda f: (f.kind, f.on or date.min, f.person, f.evidence))
    return out


def _occupancy_seen(proposal: dict[str, Any], capacity: dict[str, int]) -> dict[str, int]:
    """Occupancy per institution as the proposal saw it (capacity minus the free places shown)."""
    occ = {a["institution"]: capacity.get(a["institution"], 0) - int(a["free"])
           for a in proposal.get("alternatives", [])}  # fmt: skip
    chosen = proposal.get("institution")
    if chosen:
        occ[chosen] = capacity.get(chosen, 0) if proposal.get("over_capacity") else 0
    return occ


def _oversight_flag(
    f: Any, seq_of: dict[str, int], officer_of: dict[str, str], to_of: dict[str, str]
) -> Flag:
    decision = f.evidence[0]
    seqs = tuple(sorted({seq_of[e] for e in f.evidence if e in seq_of}))
    others = [e for e in f.evidence[1:] if e not in seq_of]
    detail = {**f.detail, "decision": decision, "ids": list(f.evidence)}
    if others:
        detail["institutions"] = others
    return Flag(
        kind=f.kind,
        person=f.person,
        institution=to_of.get(decision, ""),
        officer=officer_of.get(decision, ""),
        on=f.on,
        evidence=seqs,
        rule=f"{f.ref.article} ({f.ref.key})",
        confidence=f.ref.confidence,
        detail=detail,
    )


def read_transfer_flags(
    cursor: Cursor, *, sites: Sequence[Site], rules: PlacementRules | None = None
) -> list[Flag]:
    """Every placement and transfer flag of the ledger against the institutions register `sites`,
    as oversight `Flag`s."""
    return flags_of_rows(read_rows(cursor), sites, rules=rules)


def transfer_flags(
    cursor: Cursor, *, sites: Sequence[Site], rules: PlacementRules | None = None
) -> list[dict[str, Any]]:
    """`read_transfer_flags` as dicts (kind, person, institution, officer, on, evidence, rule,
    confidence, detail), the shape of `adaldyq oversight flags --format jsonl`."""
    return [f.to_dict() for f in read_transfer_flags(cursor, sites=sites, rules=rules)]
