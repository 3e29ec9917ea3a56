"""The engine's proposal for a commission question, and how a decision compares with it.

No Django here: a `Result` of the law engine in, plain JSON-ready mappings out, so the same rules
serve the services, the tests and anyone recomputing a decision from its ledger entry.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import orjson

from adaldyq.law import LawPack, Result
from adaldyq.ledger.merkle import hash_leaf

#: Questions a commission decides on (LAW.md §2 degrees, §3 conditions).
QUESTIONS = ("degree", "condition")
#: Outcomes of a decision; the first four change the personal file once the head confirms.
OUTCOMES = ("award_degree", "recognise", "revoke_degree", "transfer", "refuse", "defer")
CHANGES = frozenset({"award_degree", "recognise", "revoke_degree", "transfer"})
#: Why a person is on the agenda.
GROUNDS = ("qualifies_higher", "unsupported", "transfer_grounds", "deferred", "manual")
#: Member groups of the commission (PEC art. 17: staff; local executive body; the public).
GROUPS = ("staff", "local_executive", "public")
VOTES = ("for", "against", "abstain")
RECOGNITIONS = ("offender", "systematic_offender", "malicious_offender")

#: The fixed list of reason codes a departure from the proposal must give (data, not prose).
REASON_CODES: tuple[str, ...] = (
    "facts_missing_from_file",
    "facts_disputed",
    "conduct_not_in_facts",
    "proceedings_pending",
    "safety_of_person",
    "law_read_differently",
    "prisoner_request",
    "other",
)

QUORUM_KEY = "commission.quorum"


def proposal_for(result: Result, question: str) -> dict[str, Any]:
    """What the engine proposes on `question` for a person whose evaluation is `result`."""
    pack = result.law_pack
    base = {"law_pack": pack.get("hash", "")}
    if question == "degree":
        held, fit = result.degree, result.qualifies_for_degree
        finding = result.finding(f"degree.{fit}") if fit else None
        conf = finding.confidence if finding is not None else "P"
        if fit is None:
            return {**base, "outcome": "not_determinable", "confidence": "?", "held": held}
        if held < 0 or fit == held:
            return {**base, "outcome": "refuse", "confidence": conf, "held": held}
        if fit == 0:
            return {**base, "outcome": "revoke_degree", "confidence": "P", "held": held}
        return {**base, "outcome": "award_degree", "degree": fit, "confidence": conf, "held": held}
    if question == "condition":
        targets = list(result.may_move_to)
        if not targets:
            return {**base, "outcome": "refuse", "confidence": "S", "from": result.condition}
        finding = result.finding(f"transfer.{result.condition}.{targets[0]}")
        conf = finding.confidence if finding is not None else "S"
        return {
            **base,
            "outcome": "transfer",
            "to": targets[0],
            "confidence": conf,
            "from": result.condition,
        }
    raise ValueError(f"unknown question {question!r}")


def grounds_for(result: Result) -> list[tuple[str, str]]:
    """(question, grounds) pairs that put a person on the agenda today; deferred cases come apart."""
    out = []
    held, fit = result.degree, result.qualifies_for_degree
    if fit is not None and held >= 0 and fit > held:
        out.append(("degree", "qualifies_higher"))
    elif result.gap.unsupported:
        out.append(("degree", "unsupported"))
    if result.may_move_to:
        out.append(("condition", "transfer_grounds"))
    return out


def terms_of(outcome: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The terms an outcome needs (a degree, a recognition, a target condition), nothing else."""
    if outcome == "award_degree":
        return {"degree": int(data["degree"])}
    if outcome == "recognise":
        return {"as": str(data["as"])}
    if outcome == "transfer":
        return {"to": str(data["to"])}
    return {}


def compare(
    outcome: str, terms: Mapping[str, Any], proposal: Mapping[str, Any]
) -> tuple[bool | None, str]:
    """(deviates, direction): None when the proposal was not determinable; direction names the way."""
    proposed = proposal.get("outcome")
    if proposed == "not_determinable":
        return None, ""
    if outcome == proposed and dict(terms) == terms_of(outcome, proposal):
        return False, ""
    if outcome in CHANGES and proposed not in CHANGES:
        return True, "without_grounds"
    if proposed in CHANGES and outcome not in CHANGES:
        return True, "grounds_refused"
    return True, "different_change" if outcome in CHANGES else "other"


def quorum_status(law: LawPack, on: date, members: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The quorum the law pack sets on `on` and whether the attendance meets it; never a guess."""
    from fractions import Fraction

    res = law.resolve(QUORUM_KEY, on)
    present = sum(1 for m in members if m.get("present"))
    total = len(members)
    out: dict[str, Any] = {
        "figure": None if res.value is None else str(res.value),
        "confidence": res.ref.confidence,
        "article": res.ref.article,
        "present": present,
        "members": total,
    }
    if res.value is None:
        out["status"] = "not_determinable"
    else:
        met = total > 0 and Fraction(present, total) >= Fraction(str(res.value))
        out["status"] = "met" if met else "not_met"
    return out


def canonical(obj: Any) -> bytes:
    """Sorted keys, compact, UTF-8: the bytes the facts hash is taken of."""
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


def facts_hash(case: Mapping[str, Any]) -> str:
    """`sha256:` of the canonical JSON of a case-format object (person, as_of, events)."""
    return "sha256:" + hashlib.sha256(canonical(case)).hexdigest()


def short_code(entry_body: bytes) -> str:
    """The document's short code: the first 50 bits of the entry's leaf hash, base32, as two groups of five characters (L4AKN-JEK4R)."""
    text = base64.b32encode(hash_leaf(entry_body)).decode()[:10]
    return f"{text[:5]}-{text[5:]}"
