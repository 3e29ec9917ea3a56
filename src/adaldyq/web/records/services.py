"""Writes of the personal file. Each one appends a ledger entry and projects it in one durable transaction.

person_admit(...)         a new personal file (entry `person_admitted`)
fact_record(...)          one fact of the case vocabulary (entry of that type)
fact_correct(...)         a correction that points at the original and gives a reason
correction_record(...)    a correction as a form gives it (an old penalty's withdrawal: proposed)
fact_propose(...)         a fact recorded very late, for the head's confirmation (issue 15)
withdrawal_propose(...)   the withdrawal of an old penalty, for the head's confirmation
proposal_confirm(...)     the head's confirmation: the fact or the withdrawal itself
proposal_refuse(...)      the head's refusal, with a reason

A fact is recorded or corrected into the file as the ledger holds it: the file is locked, folded
from its entries (`adaldyq.files.PersonalFile`), changed and checked by the law engine, and the entry
appended and projected, all in one durable transaction (ADR 0014).
file_opening_record(...)  who opened whose file (entry `file_opened`)
access_record(...)        who saw which files on a page (`file_opened` for one, `files_listed` for many)
note_write(...)           an oversight body's own note (entry `note_written`)
"""

from __future__ import annotations

import multiprocessing as mp
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from adaldyq import files
from adaldyq.core.errors import InputError
from adaldyq.web.records import ledger_port, projection
from adaldyq.web.records.entry_rules import (
    CORRECTION_REASONS,
    LATE_REASONS,
    entry_lateness,
    rules,
    withdrawal_needs_head,
)
from adaldyq.web.records.ledger_port import Actor, Draft, Entry
from adaldyq.web.records.models import Fact, Person, Proposal
from adaldyq.web.records.projection import (
    ENTRY_PROPOSED,
    FACT_TYPES,
    FILE_OPENED,
    FILES_LISTED,
    NOTE_WRITTEN,
    PERSON_ADMITTED,
    PROPOSAL_REFUSED,
)
from adaldyq.web.records.selectors import institution_type_of, law_pack
from adaldyq.web.rows import by_pk, lock
from adaldyq.web.text import checked_name, checked_reference


def actor_of(user: Any) -> Actor:
    """The ledger actor for a signed-in user: the username, on the authority of their role and scope;
    through an API token, the token's id too ("role:head@M-ALM token:adq_...", ADR 0041). An `Actor`
    (the command line's, a public filer's) is its own actor."""
    if isinstance(user, Actor):
        return user
    scope = ""
    if getattr(user, "institution_id", None):
        scope = f"@{user.institution.code}"
    elif getattr(user, "region_id", None):
        scope = f"@{user.region_id}"
    token = getattr(user, "api_token", "")
    via = f" token:{token}" if token else ""
    return Actor(user.get_username(), f"role:{user.role}{scope}{via}")


def file_append(drafts: Sequence[Draft], *projectors: ledger_port.Projector) -> list[Entry]:
    """Append and project in the caller's transaction: the personal file's facts into the file (the
    records' projection), every entry through the calling app's `projectors`."""
    return ledger_port.append_projected(drafts, projection.project, *projectors)


def file_commit(
    drafts: Sequence[Draft] | Callable[[], Sequence[Draft]], *projectors: ledger_port.Projector
) -> list[Entry]:
    """`file_append` in a durable transaction of its own: the entries and their rows, or nothing."""
    return ledger_port.commit(drafts, projection.project, *projectors)


def file_commit_locked(
    model: type[ledger_port.M],
    pk: Any,
    drafts: Callable[[ledger_port.M], Sequence[Draft]],
    *projectors: ledger_port.Projector,
) -> list[Entry]:
    """`file_commit` of a check-then-write on the row `pk` of `model`, checked again under its lock
    (`ledger_port.commit_locked`)."""
    return ledger_port.commit_locked(model, pk, drafts, projection.project, *projectors)


def _fact(fact: Mapping[str, Any]) -> files.Fact:
    """A fact of the case vocabulary from its mapping (`type`, `on`, fields): `files.parse_fact`."""
    kind = fact.get("type")
    if kind not in FACT_TYPES:
        raise InputError(f"unknown fact type {kind!r}")
    payload = {k: v for k, v in fact.items() if k != "type"}
    raw = payload.get("on")
    on = raw if isinstance(raw, date) else None
    if on is None:
        try:
            on = date.fromisoformat(str(raw))
        except ValueError:
            raise InputError(f"{kind}: `on` must be a date YYYY-MM-DD, not {raw!r}") from None
    payload["on"] = on.isoformat()
    return files.parse_fact(str(kind), payload, on=on)


def _write(person: Person, change: Callable[[files.PersonalFile], Draft]) -> Entry:
    """Lock the file, load it from the ledger, let `change` check it and give the draft, then append
    and project in the same durable transaction: two writes to one file run one after the other,
    each on the file as the other left it (SQLite's writes are serialised by its IMMEDIATE mode)."""

    def locked_draft() -> list[Draft]:
        lock(Person, person.pk)
        return [change(ledger_port.file_of(person.pk))]

    return ledger_port.commit(locked_draft, projection.project)[0]


def _law(person: Person) -> dict[str, Any]:
    """What a file's check needs: the law pack, today and the type of the person's institution."""
    return {
        "law": law_pack(),
        "on": timezone.localdate(),
        "institution_type": institution_type_of(person),
    }


#: The parts of a person's name in an admission (`person_admitted`).
NAME_PARTS = ("surname", "given_name", "patronymic")


def person_admit(*, officer: Any, person: Mapping[str, Any]) -> Person:
    """Open a personal file: identity, sentence, institution and condition on arrival."""
    pid = str(person.get("id") or f"p-{uuid.uuid4().hex[:12]}")
    payload = {k: v for k, v in person.items() if k != "id"}
    if "number" in payload:
        payload["number"] = checked_reference(str(payload["number"] or ""))
    for part in NAME_PARTS:  # one name is one text (adaldyq.core.text): NFKC, no bidi or zero-width
        if part in payload:
            payload[part] = checked_name(str(payload[part] or ""), required=part != "patronymic")
    entry = ledger_port.commit(
        [Draft(actor=actor_of(officer), subject=pid, type=PERSON_ADMITTED, payload=payload)],
        projection.project,
    )[0]
    return Person.objects.get(pk=entry.subject)


def _late_days(on: date) -> int:
    return (timezone.localdate() - on).days


def _late_given(late: Mapping[str, Any] | None) -> dict[str, str] | None:
    """The reason code and the written reason for a late fact, or None when either is missing."""
    if not late:
        return None
    code, reason = str(late.get("code") or "").strip(), str(late.get("reason") or "").strip()
    if code not in {c for c, _ in LATE_REASONS} or not reason:
        return None
    return {"code": code, "reason": reason}


def fact_record(
    *, officer: Any, person: Person, fact: Mapping[str, Any], late: Mapping[str, Any] | None = None
) -> Fact:
    """Record one fact (`{"type": ..., "on": "YYYY-MM-DD", ...fields}`) in the person's file, once the
    law engine reads the file with it (e.g. no second degree before the first).

    A fact recorded long after its day (`entry_rules`): `late` gives the reason code and the written
    reason, kept in the entry; beyond the head's threshold it is refused here (`fact_propose`)."""
    new = _fact(fact)
    need = entry_lateness(person=person, kind=new.type, on=new.on, today=timezone.localdate())
    given = _late_given(late)
    if need == "head":
        raise InputError(
            gettext(
                "This fact is dated %(days)s days ago: recording it needs the confirmation of the "
                "head of the institution; propose it for confirmation."
            )
            % {"days": _late_days(new.on)}
        )
    if need == "reason" and given is None:
        raise InputError(
            gettext(
                "This fact is dated %(days)s days ago: recording it late needs a reason code and a "
                "written reason."
            )
            % {"days": _late_days(new.on)}
        )
    meta = {"late": given} if need == "reason" and given else {}

    def record(pf: files.PersonalFile) -> Draft:
        pf.record(new, **_law(person))
        return Draft(
            actor=actor_of(officer),
            subject=person.pk,
            type=new.type,
            payload={**new.payload(), **meta},
        )

    recorded: Fact = by_pk(Fact, _write(person, record).seq)  # Fact.objects.get(pk=...), no builder
    return recorded


def fact_propose(
    *, officer: Any, person: Person, fact: Mapping[str, Any], late: Mapping[str, Any] | None
) -> Proposal:
    """Propose a fact recorded very late for the head's confirmation: it counts for nothing until a
    head other than the proposer confirms it (`proposal_confirm`); the file is checked with it now."""
    new = _fact(fact)
    given = _late_given(late)
    if given is None:
        raise InputError(gettext("A fact recorded late needs a reason code and a written reason."))

    def propose(pf: files.PersonalFile) -> Draft:
        pf.record(new, **_law(person))  # the engine must accept the file with it
        return Draft(
            actor=actor_of(officer),
            subject=person.pk,
            type=ENTRY_PROPOSED,
            payload={
                "action": "record", "fact": {"type": new.type, **new.payload()},
                "code": given["code"], "reason": given["reason"],
                "days_late": _late_days(new.on),
            },
        )  # fmt: skip

    return Proposal.objects.get(pk=_write(person, propose).seq)


def withdrawal_propose(
    *, officer: Any, person: Person, original: Fact, reason_code: str, reason: str
) -> Proposal:
    """Propose the withdrawal of an old penalty for the head's confirmation (`entry_rules`)."""
    if original.person_id != person.pk:
        raise InputError(gettext("the entry belongs to another file"))
    if reason_code not in {c for c, _ in CORRECTION_REASONS} or not reason.strip():
        raise InputError(gettext("a correction needs a reason code and a written reason"))

    def propose(pf: files.PersonalFile) -> Draft:
        if pf.standing(original.seq) is None:
            raise InputError(gettext("this entry was already corrected or withdrawn"))
        return Draft(
            actor=actor_of(officer),
            subject=person.pk,
            type=ENTRY_PROPOSED,
            payload={"action": "withdraw", "entry": original.seq, "code": reason_code,
                     "reason": reason.strip()},
        )  # fmt: skip

    return Proposal.objects.get(pk=_write(person, propose).seq)


def _pending(proposal: Proposal, head: Any) -> None:
    """Refuse a decision on a proposal already decided, or by its own proposer."""
    status = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first()
    if status != "pending":
        raise InputError(gettext("this proposal was already decided"))
    if proposal.proposed_by == head.get_username():
        raise InputError(
            gettext("the one who proposed an entry cannot confirm or refuse it: another head does")
        )


def proposal_confirm(*, head: Any, proposal: Proposal) -> Fact:
    """The head confirms a proposal: the head's entry is the fact (or the withdrawal) itself, naming
    the proposal (`confirms`); from then on it counts."""
    person = proposal.person

    def confirm(pf: files.PersonalFile) -> Draft:
        _pending(proposal, head)  # under the file's lock: a decision committed meanwhile is seen
        if proposal.action == "withdraw":
            seq = int(proposal.entry or -1)
            original = pf.standing(seq)
            if original is None:
                raise InputError(gettext("this entry was already corrected or withdrawn"))
            pf.correct(seq, None, reason=proposal.reason, **_law(person))
            return Draft(
                actor=actor_of(head), subject=person.pk, type=files.FACT_VOIDED,
                payload={"on": original.on.isoformat(), "reason_code": proposal.code,
                         "confirms": proposal.seq},
                corrects=seq, reason=proposal.reason,
            )  # fmt: skip
        new = _fact(proposal.fact)
        pf.record(new, **_law(person))
        return Draft(
            actor=actor_of(head), subject=person.pk, type=new.type,
            payload={**new.payload(), "late": {"code": proposal.code, "reason": proposal.reason},
                     "confirms": proposal.seq},
        )  # fmt: skip

    return Fact.objects.get(pk=_write(person, confirm).seq)


def proposal_refuse(*, head: Any, proposal: Proposal, reason: str) -> None:
    """The head refuses a proposal, with a reason: it never counts."""
    if not reason.strip():
        raise InputError(gettext("a refusal needs a reason"))

    def refuse(pf: files.PersonalFile) -> Draft:
        _pending(proposal, head)
        return Draft(
            actor=actor_of(head), subject=proposal.person_id, type=PROPOSAL_REFUSED,
            payload={"proposal": proposal.seq, "reason": reason.strip()},
        )  # fmt: skip

    _write(proposal.person, refuse)


def fact_correct(
    *,
    officer: Any,
    person: Person,
    original: Fact,
    reason: str,
    replacement: Mapping[str, Any] | None,
    reason_code: str = "",
) -> Fact:
    """Correct a fact: a new entry that points at the original, with a reason (and its code, kept
    in the entry); None withdraws it. Withdrawing an old penalty needs the head (`entry_rules`):
    others propose it (`withdrawal_propose`)."""
    if original.person_id != person.pk:
        raise InputError(gettext("the entry belongs to another file"))
    if not reason.strip():
        raise InputError(gettext("a correction needs a reason"))
    if replacement is None and withdrawal_needs_head(
        original=original, officer=officer, today=timezone.localdate()
    ):
        raise InputError(
            gettext(
                "Withdrawing a penalty older than %(days)s days needs the head of the institution; "
                "propose the withdrawal for confirmation."
            )
            % {"days": rules()["withdraw_head_days"]}
        )
    new = None if replacement is None else _fact(replacement)
    meta = {"reason_code": reason_code} if reason_code else {}

    def correct(pf: files.PersonalFile) -> Draft:
        # Read under the file's lock: a correction committed meanwhile is seen here.
        if Fact.objects.filter(seq=original.seq, superseded_by__isnull=False).exists():
            raise InputError(
                gettext("this entry was already corrected; correct the correction instead")
            )
        pf.correct(original.seq, new, reason=reason, **_law(person))
        return Draft(
            actor=actor_of(officer),
            subject=person.pk,
            type=files.FACT_VOIDED if new is None else new.type,
            payload={"on": original.on.isoformat(), **meta}
            if new is None
            else {**new.payload(), **meta},
            corrects=original.seq,
            reason=reason,
        )

    return Fact.objects.get(pk=_write(person, correct).seq)


def correction_record(
    *,
    officer: Any,
    person: Person,
    original: Fact,
    correction: dict[str, Any],
    replacement: dict[str, Any] | None,
) -> Fact | Proposal:
    """A correction as the form or the API gives it: recorded, or, for the withdrawal of an old
    penalty by someone who is not a head, proposed for the head's confirmation (`entry_rules`)."""
    if replacement is None and withdrawal_needs_head(
        original=original, officer=officer, today=timezone.localdate()
    ):
        return withdrawal_propose(
            officer=officer, person=person, original=original,
            reason_code=correction["reason_code"], reason=correction["reason"],
        )  # fmt: skip
    return fact_correct(
        officer=officer, person=person, original=original, reason=correction["reason"],
        replacement=replacement, reason_code=correction["reason_code"],
    )  # fmt: skip


def file_opening_record(
    *, user: Any, person: Person, entry: int | None = None, page: str = ""
) -> None:
    """Record that `user` opened `person`'s file now (or, with `entry`, read that entry of it; with
    `page`, saw it on that page: a route name such as "visits:person")."""
    payload: dict[str, Any] = {} if entry is None else {"entry": entry}
    if page:
        payload["page"] = page
    ledger_port.commit(
        [Draft(actor=actor_of(user), subject=person.pk, type=FILE_OPENED, payload=payload)],
        projection.project,
    )[0]


#: Files per `files_listed` entry: an entry stays far below the 64 KiB an entry bundle holds
#: (ADR 0022); a longer list (an export) is several entries of one append.
LISTED_PER_ENTRY = 1000


def access_record(*, user: Any, page: str, people: Iterable[str]) -> None:
    """Record that `user` was shown the files of `people` on `page` (a route name), in one append:
    one file is a `file_opened` entry about it, many a `files_listed` entry naming them all (subject
    "people"); none, nothing. Every response that shows personal data calls this once (issue 16)."""
    shown = list(dict.fromkeys(str(p) for p in people))
    if not shown:
        return
    actor = actor_of(user)
    if len(shown) == 1:
        drafts = [Draft(actor=actor, subject=shown[0], type=FILE_OPENED, payload={"page": page})]
    else:
        drafts = [
            Draft(
                actor=actor,
                subject="people",
                type=FILES_LISTED,
                payload={"page": page, "people": shown[i : i + LISTED_PER_ENTRY]},
            )
            for i in range(0, len(shown), LISTED_PER_ENTRY)
        ]
    ledger_port.commit(drafts, projection.project)


def note_write(*, author: Any, person: Person, text: str) -> None:
    """An oversight body's note on a file."""
    if not text.strip():
        raise InputError(gettext("a note needs text"))
    ledger_port.commit(
        [
            Draft(
                actor=actor_of(author),
                subject=person.pk,
                type=NOTE_WRITTEN,
                payload={"text": text.strip()},
            )
        ],
        projection.project,
    )[0]


#: Ledgers with at least this many entries are replayed in two processes (`read_models_rebuild`).
PIPELINE_FROM = 200_000
_CHUNK = 20_000


def read_models_rebuild(
    *,
    durable: bool = True,
    pipelined: bool | None = None,
    before_finish: Callable[[], object] | None = None,
) -> int:
    """Drop every read-model row and project the whole ledger again; returns the entries read.

    `durable=False` inside a caller's transaction (`adaldyq ledger audit-views` rolls it back).
    `pipelined`: a forked process parses the entries and builds the rows while this one writes
    them (ADR 0047); by default for a ledger of `PIPELINE_FROM` entries or more. `before_finish`: called
    once every entry's rows are written, before the placements are settled (the check indexes its
    shadow tables there).
    """
    count = 0
    with transaction.atomic(durable=durable):
        projection.clear_read_models()
        projector = projection.BatchProjector(complete=True)
        with connection.cursor() as cursor:
            if pipelined is None:
                pipelined = (
                    "fork" in mp.get_all_start_methods()
                    and ledger_port.size(cursor) >= PIPELINE_FROM
                )
            if pipelined:
                count = _pipelined(cursor, projector)
            else:
                chunk: list[Entry] = []
                for entry in ledger_port.entries(cursor, batch=_CHUNK):
                    chunk.append(entry)
                    if len(chunk) >= _CHUNK:
                        projector.add(chunk)
                        count += len(chunk)
                        chunk = []
                projector.add(chunk)
                count += len(chunk)
        if before_finish is not None:
            before_finish()
        projector.finish()
    return count


def _builder(projector: projection.BatchProjector, inbox: Any, outbox: Any) -> None:
    """The forked process: entries' bodies in, the rows they make out (`BatchProjector.build`)."""
    import gc
    import traceback

    from adaldyq.ledger.entry import parse_entry

    gc.disable()  # hundreds of thousands of acyclic objects: reference counting frees them
    try:
        while (bodies := inbox.get()) is not None:
            outbox.put(projector.build([parse_entry(b) for b in bodies]))
    except BaseException:
        outbox.put(traceback.format_exc())


def _pipelined(cursor: Any, projector: projection.BatchProjector) -> int:
    """Replay in two processes: this one reads the bodies and writes the rows, a forked one parses
    the entries and builds the rows (no database there); two chunks in flight."""
    import queue

    ctx = mp.get_context("fork")
    inbox, outbox = ctx.Queue(), ctx.Queue()
    child = ctx.Process(target=_builder, args=(projector, inbox, outbox), daemon=True)
    child.start()

    def take() -> projection.Built:
        while True:
            try:
                built = outbox.get(timeout=5)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError("the replay's builder process ended early") from None
                continue
            if isinstance(built, str):
                raise RuntimeError(f"the replay's builder process failed:\n{built}")
            return built  # type: ignore[no-any-return]

    count, in_flight = 0, 0
    try:
        for bodies in ledger_port.bodies(cursor, batch=_CHUNK):
            inbox.put(bodies)
            count += len(bodies)
            in_flight += 1
            if in_flight > 2:
                projector.write(take())
                in_flight -= 1
        inbox.put(None)
        for _ in range(in_flight):
            projector.write(take())
        child.join(timeout=30)
    finally:
        if child.is_alive():
            child.terminate()
            child.join()
        inbox.close()
        outbox.close()
    return count


def other_read_models_rebuild(*, durable: bool = True) -> dict[str, int]:
    """The read models of the other web apps, rebuilt from the ledger by each app's `projection` module.

    An app's `projection.rebuild()` is called when it has one; otherwise its `clear_read_models()` and
    then `project(entry)` for every entry, in one durable transaction. Returns entries applied per app.
    """
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    applied: dict[str, int] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("adaldyq.web.") or config.label == "records":
            continue
        if find_spec(f"{config.name}.projection") is None:
            continue
        module = import_module(f"{config.name}.projection")
        if hasattr(module, "rebuild"):
            applied[config.label] = int(module.rebuild(durable=durable) or 0)
        elif hasattr(module, "clear_read_models") and hasattr(module, "project"):
            applied[config.label] = ledger_port.replay(
                module.project, module.clear_read_models, durable=durable
            )
    return applied
