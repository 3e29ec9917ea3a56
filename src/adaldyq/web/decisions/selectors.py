"""Reads of the commission's work: the engine's agenda, a person's decisions, verification, flags."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from adaldyq.core.errors import AdaldyqError
from adaldyq.law import Result, evaluate
from adaldyq.ledger import sql as ledger_sql
from adaldyq.ledger.checkpoint import Checkpoint, Verifier, open_note
from adaldyq.ledger.entry import parse_entry
from adaldyq.ledger.errors import LedgerError
from adaldyq.ledger.keys import load_verifiers
from adaldyq.ledger.merkle import hash_leaf, verify_inclusion
from adaldyq.web.accounts.roles import INSTITUTION_ROLES, Role
from adaldyq.web.accounts.scope import (
    can_confirm_decision,
    institutions_visible_to,
    people_visible_to,
    register_institutions,
)
from adaldyq.web.accounts.scope import can_see_register as can_see_register  # decided there
from adaldyq.web.decisions.models import AgendaItem, Decision, Session
from adaldyq.web.decisions.projection import payload_of
from adaldyq.web.decisions.proposals import grounds_for, proposal_for, short_code
from adaldyq.web.decisions.register_words import COLUMNS
from adaldyq.web.records.explanation import Explanation, explanation
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.projection import FACT_TYPES
from adaldyq.web.records.selectors import (
    WAITING_DAYS_FLAGGED,
    core_person,
    law_pack,
    law_pack_at,
    personal_file,
)

# ---- the facts a proposal is computed from -------------------------------------------------------


def case_of(
    person: Person, on: date, facts: list[Fact] | None = None
) -> tuple[dict[str, Any], list[int]]:
    """The person's standing facts as a case-format object on `on`, and the entries they come from."""
    pf = personal_file(person, facts=facts)
    standing = [f for f in pf.facts if f.type in FACT_TYPES and f.on <= on]
    cp = core_person(person)
    s = cp.sentence
    sentence: dict[str, Any] = (
        {"start": s.start.isoformat(), "life": True}
        if s.life
        else {"start": s.start.isoformat(), "years": s.years, "months": s.months, "days": s.days}
    )
    case = {
        "id": person.pk,
        "as_of": on.isoformat(),
        "person": {
            "sex": cp.sex,
            "born": cp.born.isoformat(),
            "institution": cp.institution,
            "sentence": sentence,
            "gravity": cp.gravity,
        },
        "events": [f.event for f in standing],
    }
    return case, [f.seq for f in standing]


def case_of_decision(decision: Decision) -> dict[str, Any]:
    """The case a decision was computed from, rebuilt from the entries it names (check its hash)."""
    person = Person.objects.select_related("institution").get(pk=decision.person_id)
    facts = list(Fact.objects.filter(seq__in=decision.fact_seqs))
    for f in facts:  # as they stood then: later corrections do not count
        f.superseded_by_id = None
        f.void = False
    case, _ = case_of(person, decision.on, facts)
    case["as_of"] = decision.proposal.get("as_of") or decision.on.isoformat()
    return case


def evaluate_case(person: Person, on: date) -> tuple[Result, dict[str, Any], list[int]]:
    """The engine's result for the person on `on`, with the case and the entries it read."""
    case, seqs = case_of(person, on)
    result = evaluate(core_person(person), case["events"], on=on, law=law_pack(), case_id=person.pk)
    return result, case, seqs


# ---- the agenda ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposed:
    """One question for the agenda, with the engine's proposal."""

    person: Person
    question: str
    grounds: str
    proposal: dict[str, Any]


def deferred_items(institution_code: str) -> list[tuple[str, str]]:
    """(person, question) whose latest decision in the institution was to defer."""
    latest: dict[tuple[str, str], str] = {}
    rows = Decision.objects.filter(institution_code=institution_code).order_by("seq")
    for person_id, question, outcome in rows.values_list("person_id", "question", "outcome"):
        latest[(person_id, question)] = outcome
    return [k for k, v in latest.items() if v == "defer"]


def agenda_draw(*, institution_id: int, institution_code: str, on: date) -> list[Proposed]:
    """Everyone in the institution the engine puts before the commission on `on`, in name order."""
    people = list(
        Person.objects.filter(institution_id=institution_id)
        .select_related("institution")
        .prefetch_related("facts")
        .order_by("surname", "given_name", "id")
    )
    deferred = set(deferred_items(institution_code))
    out: list[Proposed] = []
    for person in people:
        try:
            result, _, _ = evaluate_case(person, on)
        except AdaldyqError:
            continue  # a file the engine cannot read is shown on the file itself, not here
        questions = dict(grounds_for(result))
        for q in ("degree", "condition"):
            if (person.pk, q) in deferred and q not in questions:
                questions[q] = "deferred"
        for q, grounds in questions.items():
            proposal = proposal_for(result, q) | {"as_of": on.isoformat()}
            out.append(Proposed(person, q, grounds, proposal))
    return out


def sessions_visible_to(user: Any) -> QuerySet[Session]:
    """Sessions of the user's institution, region, or all of them for read-all roles (the scope's
    institutions, ADR 0005)."""
    qs = Session.objects.select_related("institution")
    visible = institutions_visible_to(user)
    return qs if visible is None else qs.filter(institution__code__in=visible)


def can_run_session(user: Any, session: Session | None = None) -> bool:
    """Staff of the institution (its records officer acting as secretary, or its head)."""
    if getattr(user, "role", "") not in INSTITUTION_ROLES or not user.institution_id:
        return False
    return session is None or session.institution_id == user.institution_id


def can_confirm(user: Any, decision: Decision) -> bool:
    """The head of the decision's institution (the scope decides, ADR 0005)."""
    return can_confirm_decision(
        user,
        institution=decision.institution_code,
        recorded_by=decision.recorded_by,
        deviates=bool(decision.deviates),
    )


def decisions_awaiting(user: Any) -> QuerySet[Decision]:
    """The decisions of the head's institution that wait for the head's confirmation, oldest first."""
    inst = getattr(user, "institution", None)
    if getattr(user, "role", "") != Role.head or inst is None:
        return Decision.objects.none()
    return (
        Decision.objects.filter(institution_code=inst.code, confirmed_seq=None)
        .exclude(deviates=True, recorded_by=user.get_username())  # another person confirms those
        .order_by("seq")
    )


def head_deviations(user: Any) -> QuerySet[Decision]:
    """The decisions departing from the engine's proposal that await a head's confirmation: their
    institution's, but those they recorded themselves (nothing for another role)."""
    return decisions_awaiting(user).filter(deviates=True)


def deviations_awaiting(user: Any) -> list[Decision]:
    """Unconfirmed decisions departing from the engine's proposal that `user` may confirm (ADR
    0037): a head's institution's, but their own; a regional department's, those recorded by the
    head of an institution of its region."""
    role = getattr(user, "role", "")
    if role == Role.head:
        return list(head_deviations(user))
    if role != Role.regional:
        return []
    return list(regional_deviations(user)[:200])


def regional_deviations(user: Any) -> QuerySet[Decision]:
    """The departures a regional department confirms (ADR 0037), oldest first: unconfirmed, of an
    institution of its region, recorded by that institution's head (`can_confirm`'s rule as a
    query, so that the menu counts them in SQL)."""
    from adaldyq.web.accounts.models import User

    if getattr(user, "role", "") != Role.regional:
        return Decision.objects.none()
    by_its_head = User.objects.filter(
        username=OuterRef("recorded_by"),
        role=Role.head.value,
        institution__code=OuterRef("institution_code"),
    )
    return (
        Decision.objects.filter(
            institution_code__in=register_institutions(user) or (),
            confirmed_seq=None,
            deviates=True,
        )
        .exclude(recorded_by__in=("", user.get_username()))
        .filter(Exists(by_its_head))
        .order_by("seq")
    )


def decisions_of(*, user: Any, person: Person) -> QuerySet[Decision]:
    """A person's decisions, newest first, if the user may read the person."""
    if not people_visible_to(user).filter(pk=person.pk).exists():
        return Decision.objects.none()
    return Decision.objects.filter(person=person).select_related("session").order_by("-seq")


def explanation_of(decision: Decision, lang: str) -> Explanation:
    """The engine's explanation as steps and criteria (met or not, from when, article, confidence),
    recomputed from the case the decision names, in `lang`."""
    from adaldyq.law import parse_case

    case = parse_case(case_of_decision(decision))
    law = law_pack_at(decision.seq)  # the law as it stood when the decision was recorded
    result = evaluate(case.person, case.events, on=case.as_of, law=law, case_id=case.id)
    return explanation(result, lang, waiting_flagged_after=WAITING_DAYS_FLAGGED)


def sources_of(decision: Decision) -> list[Fact]:
    """The entries of the personal file the decision's proposal was computed from, in date order."""
    return list(Fact.objects.filter(seq__in=decision.fact_seqs).order_by("on", "seq"))


def next_step(person: Person, lang: str, on: date | None = None) -> tuple[date | None, str]:
    """The earliest date on which the person may take a next step (a higher degree, a transfer)."""
    on = on or timezone.localdate()
    try:
        result, _, _ = evaluate_case(person, on)
    except AdaldyqError:
        return None, ""
    best: tuple[date, str] | None = None
    for f in result.findings:
        higher = f.id.startswith("degree.") and isinstance(f.value, int) and f.value > result.degree
        if not (higher or f.id.startswith(f"transfer.{result.condition}.")):
            continue
        if f.met_on is None:
            continue
        when = max(f.met_on, on)
        if best is None or when < best[0]:
            best = (when, f.id)
    return best if best else (None, "")


# ---- verification of a printed decision ----------------------------------------------------------

#: A code as printed: ten base32 characters in two groups of five (proposals.short_code).
CODE_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
CODE_LENGTH = 10


def code_normalise(text: str) -> str | None:
    """The printed form (L4AKN-JEK4R) of a code typed in any case, with or without the dash or
    spaces; None when it cannot be a code (wrong length or characters), so nothing is looked up."""
    if len(text) > 4 * CODE_LENGTH:  # a pasted page, not a code: not read further
        return None
    bare = "".join(c for c in text.upper() if c not in " -\t\n")
    if len(bare) != CODE_LENGTH or not set(bare) <= CODE_ALPHABET:
        return None
    return f"{bare[:5]}-{bare[5:]}"


#: A check's outcome: passed, failed, or not yet possible (an entry no checkpoint covers yet).
PASSED, FAILED, PENDING = "passed", "failed", "pending"


@dataclass(slots=True)
class Verification:
    """What `/verify/<code>` shows: each check, and the checkpoint that covers the entry.

    `state` is "verified" when every check passed, "pending" when the record agrees with the ledger
    but a signed checkpoint does not cover its entries yet (the signer will, by `due`), "failed" when
    something really differs, and "unknown" when no decision has the code.
    """

    code: str
    decision: Decision | None = None
    #: A submission to the court (issue 19) when the code is one's: its fact row (records.Fact).
    submission: Any = None
    #: (what was checked, PASSED | FAILED | PENDING, detail)
    checks: list[tuple[str, str, str]] = field(default_factory=list)
    checkpoint: dict[str, Any] = field(default_factory=dict)
    #: When the ledger's signer should have covered the pending entries (None: no signer runs).
    due: datetime | None = None
    #: The independent witnesses whose cosignature on the checkpoint (or a later one) verifies.
    witnesses: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.decision is None and self.submission is None:
            return "unknown"
        outcomes = {outcome for _, outcome, _ in self.checks}
        if FAILED in outcomes or not outcomes:
            return "failed"
        return "pending" if PENDING in outcomes else "verified"

    @property
    def ok(self) -> bool:
        return self.state == "verified"

    @property
    def overdue(self) -> bool:
        """The pending entries should have been covered by now: the signer may not be running."""
        return self.due is not None and timezone.now() > self.due

    def add(self, label: str, passed: bool, detail: str) -> None:
        self.checks.append((label, PASSED if passed else FAILED, detail))


def _check_entry(cursor: Any, seq: int) -> tuple[bytes | None, dict[str, Any] | None, str]:
    """The stored body, its payload if it reads as a canonical entry, and what is wrong ("" if none)."""
    cursor.execute("SELECT body, hash FROM ledger_entries WHERE seq = %s", [seq])
    row = cursor.fetchone()
    if row is None:
        return None, None, "missing"
    body, stored = bytes(row[0]), bytes(row[1])
    try:
        entry = parse_entry(body)
    except LedgerError as exc:
        return body, None, f"not canonical: {exc}"
    if entry.seq != seq:
        return body, None, f"the body says entry {entry.seq}"
    if hash_leaf(body) != stored:
        return body, entry.payload, "hash column differs from the body"
    return body, entry.payload, ""


def _due(decision: Decision) -> datetime | None:
    """The latest of the decision's entries' times plus the signer's interval (None: no signer)."""
    every = float(getattr(settings, "LEDGER_SIGN_EVERY", 0) or 0)
    if not every:
        return None
    latest = max(t for t in (decision.recorded_at, decision.confirmed_at) if t is not None)
    return latest + timedelta(seconds=every)


def _signed_at(text: str | None) -> datetime | str | None:
    """The checkpoint's `time` line (UTC, `...Z`) as an aware moment, shown in the site's time zone
    like every other time of the page; the text as written when it is not such a moment."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


def _check_history(v: Verification, cursor: Any, note: str, checkpoint: Checkpoint) -> None:
    """The checkpoint continues the history this verifier pinned first (a rewrite re-signed with the
    real key fails here), and the independent witnesses that cosigned it (ADR 0020)."""
    from adaldyq.ledger.pin import Pin, PinBrokenError, cosigners
    from adaldyq.ledger.witness_protocol import http_cosigners

    data = Path(settings.DATA_DIR)
    pin = Pin.first_use(
        Path(getattr(settings, "LEDGER_PIN_FILE", "") or data / "verifier" / "pin.json"), note
    )
    try:
        pin.check(cursor, checkpoint.size, checkpoint.root)
    except PinBrokenError as exc:
        v.add("pin", False, str(exc))
    else:
        v.add("pin", True, f"{pin.size}")
    keys_file = data / "witnesses.keys"
    keys = (
        [Verifier.decode(k) for k in keys_file.read_text().split() if k]
        if keys_file.exists()
        else []
    )
    v.witnesses = sorted(
        set(cosigners(data / "witnesses", checkpoint.size, checkpoint.root))
        | set(http_cosigners(data / "cosigned", keys, checkpoint.size))
    )


def decision_verify(code: str) -> Verification:
    """Recompute the entry hashes and check inclusion proofs against the latest signed checkpoint.

    An entry that no signed checkpoint covers yet is pending, not failed: its hash, code and stored
    row are still checked, and the signer covers it within its interval.
    """
    v = Verification(code)
    decision = Decision.objects.filter(code=code).first()
    if decision is None:
        return _submission_verify(v, code)
    v.decision = decision
    seqs = [("decision", decision.seq)]
    if decision.confirmed_seq is not None:
        seqs.append(("confirmation", decision.confirmed_seq))
    _verify_entries(v, code, seqs, payload_of(decision))
    if v.state == "pending":
        v.due = _due(decision)
    return v


def _submission_verify(v: Verification, code: str) -> Verification:
    """A submission to the court (issue 19): its `court_submitted` entry, by the same checks."""
    for fact in Fact.objects.filter(kind="court_submitted").only("seq", "entry_hash", "data", "on"):
        if _code_of_leaf(fact.entry_hash) == code:
            v.submission = fact
            _verify_entries(v, code, [("submission", fact.seq)], fact.data)
            break
    return v


def _code_of_leaf(leaf_hex: str) -> str:
    """The short code of an entry from its leaf hash (as `proposals.short_code` from its body)."""
    text = base64.b32encode(bytes.fromhex(leaf_hex)).decode()[:10]
    return f"{text[:5]}-{text[5:]}"


def _verify_entries(
    v: Verification, code: str, seqs: list[tuple[str, int]], row: dict[str, Any]
) -> None:
    """Each entry's hash and body, the code of the first, the stored row against its payload, the
    latest signed checkpoint and its history, and an inclusion proof of each entry."""
    main = seqs[0][1]
    with connection.cursor() as cursor:
        bodies: dict[int, bytes] = {}
        stated: dict[str, Any] = {}
        for label, seq in seqs:
            body, payload, problem = _check_entry(cursor, seq)
            v.add(f"entry:{label}", not problem, problem or f"#{seq}")
            if body is not None:
                bodies[seq] = body
            if seq == main:
                stated = payload or {}
        body = bodies.get(main)
        shown = "" if body is None else hash_leaf(body).hex()[:16]
        v.add("code", body is not None and short_code(body) == code, shown)
        diff = [k for k, val in row.items() if stated.get(k) != val]
        v.add("row", not diff, ", ".join(diff))
        note = ledger_sql.read_latest_checkpoint(cursor)
        checkpoint: Checkpoint | None = None
        if note is not None:
            try:
                checkpoint, key = open_note(note, load_verifiers(settings.DATA_DIR))
            except LedgerError as exc:
                v.add("checkpoint", False, str(exc))
                return
            v.checkpoint = {
                "size": checkpoint.size,
                "root": checkpoint.root.hex(),
                "time": _signed_at(checkpoint.time),
                "key": key.encode(),
            }
            v.add("checkpoint", True, f"{key.name} · {checkpoint.size}")
            _check_history(v, cursor, note, checkpoint)
        for label, seq in seqs:
            if checkpoint is None or seq >= checkpoint.size:
                v.checks.append((f"proof:{label}", PENDING, ""))
                continue
            try:
                path = ledger_sql.read_inclusion_proof(cursor, seq, checkpoint.size)
                leaf = hash_leaf(bodies.get(seq, b""))
                verify_inclusion(leaf, seq, checkpoint.size, path, checkpoint.root)
            except LedgerError as exc:
                v.add(f"proof:{label}", False, str(exc))
            else:
                hashes = ngettext("%(n)d hash", "%(n)d hashes", len(path)) % {"n": len(path)}
                v.add(f"proof:{label}", True, hashes)


def decisions_for_session(session: Session) -> dict[int, Decision]:
    """The session's decisions by agenda item."""
    return {d.item_id: d for d in session.decisions.all() if d.item_id is not None}


def items_of(session: Session) -> list[AgendaItem]:
    return list(session.items.select_related("person").order_by("position", "seq"))


#: The filters of the register: the kind, institution and officer match exactly (the count tables
#: link to them), the person by any part of the number.
EXACT_FILTERS = ("kind", "institution", "officer")


def register_rows(
    user: Any, state: dict[str, Any], params: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The rows of the stored register (`register_state`) that `user` sees (their institutions),
    filtered and sorted as asked (the page's and the API's query: kind, institution, officer exactly,
    person by any part of the number, source=commission, all=1 for the leads too, sort=[-]column)."""
    found = [] if params.get("source", "") == "commission" else state["flags"]
    rows = [dict(r) for r in (*found, *state["other"])]  # the page adds its own keys to each row
    visible = register_institutions(user)
    if visible is not None:
        rows = [r for r in rows if r["institution"] in visible]
    for key in EXACT_FILTERS:
        want = params.get(key, "").strip().casefold()
        if want:
            rows = [r for r in rows if str(r[key] or "").casefold() == want]
    person = params.get("person", "").strip().casefold()
    if person:
        rows = [r for r in rows if person in str(r["person"]).casefold()]
    if not register_with_leads(params):  # leads are reached from their pattern, or with ?all=1
        rows = [r for r in rows if r["class"] != "lead"]
    sort = params.get("sort", "on")
    if sort.lstrip("-") in COLUMNS:
        rows.sort(key=lambda r: str(r[sort.lstrip("-")] or ""), reverse=sort.startswith("-"))
    return rows


def register_with_leads(params: Mapping[str, str]) -> bool:
    """Leads shown too: asked for (`all`), or a kind asked for by name (a pattern's link to its leads)."""
    return bool(params.get("all") or params.get("kind"))
