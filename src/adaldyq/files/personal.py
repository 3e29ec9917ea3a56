"""A person's file folded from their ledger entries: the admission, the standing facts, the corrections.

    from adaldyq.files import PersonalFile
    pf = PersonalFile.fold("PF-000001", rows)   # rows: (seq, type, canonical entry object), seq order
    pf.facts            # the standing facts in (day, seq) order; the admission is the first `Arrived`
    pf.placement        # institution and condition now; pf.placements() after each placement fact
    pf.events()         # the case-format facts the law engine reads (adaldyq.law.evaluate)
    pf.programme()      # the re-socialisation programme, its reviews, certificates and damage

The fold is the one reading of ADR 0004's corrections: an entry with `corrects` takes the place of
the entry it corrects; a `fact_voided` entry withdraws it; a correction without `on` keeps the
original's day. Entries that are not facts of the file (who opened it, oversight's notes) and
undated entries are passed over. The fold is pure: the caller reads the ledger (`oversight.files`
streams it from SQL, the web gives its `Entry`s) and hands the rows over.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, Final

from adaldyq.core.errors import AdaldyqError, InputError
from adaldyq.core.facts import EVENT_TYPES, RECORDED_ONLY
from adaldyq.core.person import Person, Sentence
from adaldyq.files.facts import (
    PAROLE_FIELDS,
    Arrived,
    ConditionChanged,
    DamageAwarded,
    DamagePaid,
    Fact,
    FactError,
    ParoleFacts,
    ProgrammeReviewed,
    ProgrammeSet,
    QualificationGained,
    Released,
    Transferred,
    parse_fact,
)
from adaldyq.law.engine import Result, evaluate
from adaldyq.law.pack import LawPack
from adaldyq.ledger.entry import Entry

__all__ = [
    "FACT_VOIDED",
    "NOT_FACTS",
    "PERSON_ADMITTED",
    "PLACEMENT_KINDS",
    "VOCABULARY",
    "Admission",
    "Correction",
    "PersonalFile",
    "Placement",
    "Programme",
    "Row",
    "parole_of",
    "placement_of",
    "programme_of",
    "release_of",
]

PERSON_ADMITTED: Final = "person_admitted"
FACT_VOIDED: Final = "fact_voided"
#: Entry types about a person that are not facts of the file: the web's record of who read what, and
#: electronic monitoring's feeds and the violations its devices show (ADR 0043; its zones are facts).
NOT_FACTS: Final = frozenset(
    {
        "file_opened",
        "note_written",
        "device_feed_opened",
        "device_feed_revoked",
        "device_violation",
        "device_violation_closed",
    }
)
#: The kinds that move a person between institutions or conditions, or out of them (a release).
PLACEMENT_KINDS: Final = frozenset(
    {Arrived.TYPE, ConditionChanged.TYPE, Transferred.TYPE, Released.TYPE}
)

#: The kinds the law engine accepts (the rules' facts and those it leaves to other features).
VOCABULARY: Final = frozenset(EVENT_TYPES) | RECORDED_ONLY

#: One entry as the fold reads it: sequence number, type and the canonical entry object (its
#: `payload`, `actor`, `corrects`, `reason`, `recorded_at`), the object being the caller's own.
Row = tuple[int, str, dict[str, Any]]

_fromiso: Final = date.fromisoformat
_by_day: Final = attrgetter("on")
#: ISO dates seen before: a ledger shares a few thousand distinct days.
_DATES: Final[dict[str, date]] = {}


def _day(raw: str) -> date:
    d = _DATES.get(raw)
    if d is None:
        d = _fromiso(raw)
        if len(_DATES) < 100_000:
            _DATES[raw] = d
    return d


# Slotted dataclasses with a written `__init__`, not frozen: the module is compiled (ADR 0013,
# ADR 0014), where only a written `__init__` is native. Treat them as read-only.
@dataclass(slots=True, init=False, unsafe_hash=True)
class Admission:
    """The opening of the file (`person_admitted`): identity, sentence, first institution."""

    seq: int
    recorded_at: str
    officer: str
    authority: str
    #: The payload as recorded (identity, `sentence`, `institution`, `condition`, `gravity`, ...).
    payload: dict[str, Any]

    def __init__(
        self, seq: int, recorded_at: str, officer: str, authority: str, payload: dict[str, Any]
    ) -> None:
        self.seq = seq
        self.recorded_at = recorded_at
        self.officer = officer
        self.authority = authority
        self.payload = payload

    @property
    def institution(self) -> str:
        """The institution code on admission ("" if unknown)."""
        return str(self.payload.get("institution") or "")

    @property
    def sentence(self) -> Sentence:
        """The term as the admission gives it."""
        s = self.payload.get("sentence") or {}
        start = _fromiso(s["start"])
        if s.get("life"):
            return Sentence(start, life=True)
        return Sentence(
            start, int(s.get("years", 0)), int(s.get("months", 0)), int(s.get("days", 0))
        )

    def person(self, institution_type: str, parole: dict[str, bool | None] | None = None) -> Person:
        """What the law engine needs besides the facts, in an institution of `institution_type`;
        `parole`: the facts the parole rules read (`parole_of`; none known without it)."""
        p = self.payload
        sentence = self.sentence
        flags = parole_of(()) if parole is None else parole
        return Person(
            sex=str(p.get("sex", "male")),
            born=_fromiso(p["born"]) if p.get("born") else sentence.start,
            institution=institution_type,
            sentence=sentence,
            gravity=p.get("gravity") or None,
            corruption=flags["corruption"],
            damage_compensated=flags["damage_compensated"],
            procedural_agreement=flags["procedural_agreement"],
        )


@dataclass(slots=True, init=False, unsafe_hash=True)
class Correction:
    """An entry that corrects an earlier one, with its reason; `replacement` None withdraws it."""

    seq: int
    corrects: int
    reason: str
    recorded_at: str
    officer: str
    authority: str
    #: The fact that takes the original's place (None: withdrawn, or not a dated fact).
    replacement: Fact | None
    #: The fact it corrected, where it stood in the file when the correction came.
    original: Fact | None

    def __init__(
        self,
        seq: int,
        corrects: int,
        reason: str,
        recorded_at: str,
        officer: str,
        authority: str,
        replacement: Fact | None,
        original: Fact | None,
    ) -> None:
        self.seq = seq
        self.corrects = corrects
        self.reason = reason
        self.recorded_at = recorded_at
        self.officer = officer
        self.authority = authority
        self.replacement = replacement
        self.original = original


@dataclass(slots=True, init=False, unsafe_hash=True)
class Placement:
    """Where a person is held after a placement fact: institution and condition of detention.
    After a release the institution is "" (held nowhere) and `released` is true."""

    institution: str
    condition: str
    #: The placement fact that set it (None: only the admission's payload is known).
    fact: Fact | None

    def __init__(self, institution: str, condition: str, fact: Fact | None) -> None:
        self.institution = institution
        self.condition = condition
        self.fact = fact

    @property
    def released(self) -> bool:
        """Out of the institutions: the placement fact is a release."""
        return isinstance(self.fact, Released)


@dataclass(slots=True, init=False, unsafe_hash=True)
class PersonalFile:
    """One person's file as the ledger says it stands."""

    person: str
    #: The admission (None: the ledger has entries about the subject but no admission).
    admission: Admission | None
    #: Standing facts in (day, seq) order; the admission is the first `Arrived` fact.
    facts: tuple[Fact, ...]
    #: Every correction and withdrawal, in recording order.
    corrections: tuple[Correction, ...]
    #: Entries read for this person, corrections and bookkeeping included.
    entries: int

    def __init__(
        self,
        person: str,
        admission: Admission | None,
        facts: tuple[Fact, ...],
        corrections: tuple[Correction, ...] = (),
        entries: int = 0,
    ) -> None:
        self.person = person
        self.admission = admission
        self.facts = facts
        self.corrections = corrections
        self.entries = entries

    @property
    def institution(self) -> str:
        """The institution code on admission ("" if unknown)."""
        return "" if self.admission is None else self.admission.institution

    def events(self) -> list[dict[str, Any]]:
        """The facts the law engine reads (case format, its vocabulary only), in date order."""
        return [f.event for f in self.facts if f.type in VOCABULARY]

    def record(self, fact: Fact, *, law: LawPack, on: date, institution_type: str) -> PersonalFile:
        """The file with `fact` standing in it, once the law engine reads it on `on` (see `check`)."""
        facts = tuple(sorted((*self.facts, fact), key=_day_then_entry))
        changed = PersonalFile(self.person, self.admission, facts, self.corrections, self.entries)
        changed.check(law=law, on=on, institution_type=institution_type)
        return changed

    def correct(
        self,
        seq: int,
        replacement: Fact | None,
        *,
        reason: str,
        law: LawPack,
        on: date,
        institution_type: str,
    ) -> PersonalFile:
        """The file with the standing fact of entry `seq` replaced (None: withdrawn), checked as
        `record` is; `seq` may also be a withdrawal, which a replacement undoes. Raises `InputError`
        when no fact or withdrawal of that entry stands or the reason is blank."""
        original = self.standing(seq)
        withdrawal = any(c.seq == seq and c.replacement is None for c in self.corrections)
        if original is None and not withdrawal:  # a withdrawal is corrected to bring a fact back
            raise InputError(f"entry {seq} is not a standing fact of file {self.person}")
        if not reason.strip():
            raise InputError("a correction needs a reason")
        kept = [f for f in self.facts if f.seq != seq]
        if replacement is not None:
            kept.append(replacement)
        note = Correction(-1, seq, reason, "", "", "", replacement, original)
        changed = PersonalFile(
            self.person,
            self.admission,
            tuple(sorted(kept, key=_day_then_entry)),
            (*self.corrections, note),
            self.entries,
        )
        changed.check(law=law, on=on, institution_type=institution_type)
        return changed

    def check(self, *, law: LawPack, on: date, institution_type: str) -> Result:
        """The engine's result for the file on `on` in an institution of `institution_type`;
        `InputError` with the engine's words where it cannot read the facts (e.g. a second degree
        before the first)."""
        if self.admission is None:
            raise InputError(f"file {self.person} has no admission")
        try:
            return evaluate(self.law_person(institution_type, on=on), self.events(), on=on, law=law)
        except AdaldyqError as exc:
            raise InputError(exc.diagnostics()) from None

    def parole(self, on: date | None = None) -> dict[str, bool | None]:
        """The facts the parole rules read, as the file says them on `on` (now by default):
        `corruption`, `damage_compensated`, `procedural_agreement`, None where it does not say."""
        return parole_of(self.facts, on)

    def law_person(self, institution_type: str, *, on: date | None = None) -> Person:
        """What the law engine reads besides the facts on `on`: the admission's identity and
        sentence, an institution of `institution_type`, the parole facts (`parole`)."""
        if self.admission is None:
            raise InputError(f"file {self.person} has no admission")
        return self.admission.person(institution_type, self.parole(on))

    def placements(self) -> Iterator[Placement]:
        """Institution and condition after each placement fact, in date order (a release: held
        nowhere)."""
        return _placements(self.facts, self.institution)

    def programme(self) -> Programme:
        """The re-socialisation programme, its reviews, the certificates and the damage as the
        file says them now (`programme_of`)."""
        return programme_of(self.facts)

    @property
    def placement(self) -> Placement:
        """Institution and condition now (the admission's, "regular", before any placement fact;
        institution "" after a release)."""
        return placement_of(self.facts, self.institution)

    def standing(self, seq: int) -> Fact | None:
        """The standing fact recorded by entry `seq` (None: corrected, withdrawn or not a fact)."""
        for f in self.facts:
            if f.seq == seq:
                return f
        return None

    @classmethod
    def fold(cls, person: str, rows: Iterable[Row]) -> PersonalFile:
        """The file from one person's entries, in sequence order (see the module's docstring)."""
        admission: Admission | None = None
        standing: dict[int, Fact] = {}
        corrections: list[Correction] = []
        entries = 0
        for seq, kind, obj in rows:
            entries += 1
            if kind in NOT_FACTS:
                continue
            # Typed as the canonical entry is: the compiled fold then reads them as dicts and text.
            payload: dict[str, Any] = obj["payload"]
            actor: dict[str, Any] = obj["actor"]
            recorded_at: str = obj["recorded_at"]
            officer: str = actor["id"]
            authority: str = actor["authority"]
            corrects = obj["corrects"]
            original = None if corrects is None else standing.pop(corrects, None)
            if kind == PERSON_ADMITTED:
                admission = Admission(seq, recorded_at, officer, authority, payload)
                raw = payload.get("on") or (payload.get("sentence") or {}).get("start")
                if raw is None:
                    raise FactError("an admission needs its day", kind=kind, seq=seq, field="on")
                day = _day(raw)
                standing[seq] = parse_fact(
                    Arrived.TYPE,
                    {
                        "on": day.isoformat(),
                        "condition": payload.get("condition") or "regular",
                        "institution": payload.get("institution"),
                    },
                    on=day,
                    seq=seq,
                    recorded_at=recorded_at,
                    officer=officer,
                    authority=authority,
                )
                continue
            fact: Fact | None = None
            if kind != FACT_VOIDED:
                raw_on = payload.get("on")
                if raw_on is None and original is not None:
                    payload["on"] = original.event["on"]
                    on = original.on
                elif raw_on is None:
                    on = None  # not a dated fact
                else:
                    if not isinstance(raw_on, str):
                        raise FactError(
                            f"must be a date YYYY-MM-DD, not {raw_on!r}",
                            kind=kind,
                            seq=seq,
                            field="on",
                        )
                    try:
                        on = _day(raw_on)
                    except ValueError:
                        raise FactError(
                            f"must be a date YYYY-MM-DD, not {raw_on!r}",
                            kind=kind,
                            seq=seq,
                            field="on",
                        ) from None
                    if len(raw_on) != 10:  # another ISO form: the engine reads YYYY-MM-DD
                        payload["on"] = on.isoformat()
                if on is not None:
                    fact = parse_fact(
                        kind,
                        payload,
                        on=on,
                        seq=seq,
                        recorded_at=recorded_at,
                        officer=officer,
                        authority=authority,
                    )
                    standing[seq] = fact
            if corrects is not None:
                corrections.append(
                    Correction(
                        seq,
                        corrects,
                        obj.get("reason") or "",
                        recorded_at,
                        officer,
                        authority,
                        fact,
                        original,
                    )
                )
        # Entries come in seq order, so a stable sort by day gives (day, seq) order; most files are
        # recorded day after day, and a pass that finds them in order spares the sort.
        facts = tuple(standing.values())
        for i in range(1, len(facts)):
            if facts[i].on < facts[i - 1].on:
                facts = tuple(sorted(facts, key=_by_day))
                break
        return PersonalFile(person, admission, facts, tuple(corrections), entries)

    @classmethod
    def from_entries(cls, person: str, entries: Iterable[Entry]) -> PersonalFile:
        """The file from the ledger's `Entry`s about `person` (in sequence order)."""
        return PersonalFile.fold(person, [(e.seq, e.type, _object(e)) for e in entries])


def _day_then_entry(f: Fact) -> tuple[date, int]:
    """A fact not yet recorded (seq -1) comes after the recorded ones of its day."""
    return (f.on, f.seq if f.seq >= 0 else 1 << 62)


def _placements(facts: Iterable[Fact], institution: str) -> Iterator[Placement]:
    condition = "regular"
    for f in facts:
        if isinstance(f, Arrived):
            condition = f.condition
            institution = f.institution or institution
        elif isinstance(f, ConditionChanged):
            condition = f.to
        elif isinstance(f, Transferred):
            institution = f.institution or institution
            condition = f.condition
        elif isinstance(f, Released):
            institution = ""  # the release ends the placement; a new arrival starts another
        else:
            continue
        yield Placement(institution, condition, f)


def placement_of(facts: Iterable[Fact], institution: str = "") -> Placement:
    """Where the standing `facts` (in date order) leave a person: the one reading of arrivals,
    condition changes and transfers (`institution`: the admission's, before any of them)."""
    last = Placement(institution, "regular", None)
    for last in _placements(facts, institution):  # noqa: B007 - the last one is the answer
        pass
    return last


def release_of(facts: Iterable[Fact], institution: str = "") -> tuple[Released, str] | None:
    """The release that ended the placement the standing `facts` (in date order) leave, with the
    institution it was from; None while the person is held or awaits placement."""
    out: tuple[Released, str] | None = None
    held = institution
    for p in _placements(facts, institution):
        if isinstance(p.fact, Released):
            out = (p.fact, out[1] if out is not None else held)
        else:
            out, held = None, p.institution
    return out


def parole_of(facts: Iterable[Fact], on: date | None = None) -> dict[str, bool | None]:
    """The facts the parole rules read, from the standing `facts` (in date order) dated on or
    before `on` (all without it): each `ParoleFacts` entry says some of them and the later one
    stands. None: nothing says it (the parole rules then say it is missing, never guess)."""
    out: dict[str, bool | None] = dict.fromkeys(PAROLE_FIELDS)
    for f in facts:
        if on is not None and f.on > on:
            break
        if isinstance(f, ParoleFacts):
            if f.corruption is not None:
                out["corruption"] = f.corruption
            if f.damage_compensated is not None:
                out["damage_compensated"] = f.damage_compensated
            if f.procedural_agreement is not None:
                out["procedural_agreement"] = f.procedural_agreement
    return out


# One made per page that shows it: the dataclass's own `__init__` (not native under mypyc) will do.
@dataclass(slots=True, unsafe_hash=True)
class Programme:
    """A person's re-socialisation programme as the standing facts say it, with the certificates
    and the damage caused by the crime (issue 19; the file page and the court submission show it)."""

    #: The latest programme drawn up or revised (None: none is recorded).
    current: ProgrammeSet | None = None
    #: The quarterly reviews since `current` was drawn up, the latest first.
    reviews: tuple[ProgrammeReviewed, ...] = ()
    #: Certificates and qualifications gained, in date order.
    qualifications: tuple[QualificationGained, ...] = ()
    #: The damage the court awarded (the latest award stands); None: no award is recorded.
    awarded: float | None = None
    #: The sums paid towards the damage by each payer (`DAMAGE_PAYERS`), in order of first payment.
    paid_by: tuple[tuple[str, float], ...] = ()

    @property
    def paid(self) -> float:
        """All paid towards the damage."""
        total = 0.0
        for _by, amount in self.paid_by:
            total += amount
        return total

    @property
    def outstanding(self) -> float | None:
        """What is still owed, never below nothing (None: no award is recorded)."""
        return None if self.awarded is None else max(self.awarded - self.paid, 0.0)

    @property
    def shown(self) -> bool:
        """Whether the file says anything of these."""
        return (
            self.current is not None
            or bool(self.reviews or self.qualifications or self.paid_by)
            or self.awarded is not None
        )


def programme_of(facts: Iterable[Fact]) -> Programme:
    """The programme, its reviews, the certificates and the damage from the standing `facts` (in
    date order): a programme drawn up again starts its reviews afresh."""
    current: ProgrammeSet | None = None
    reviews: list[ProgrammeReviewed] = []
    qualifications: list[QualificationGained] = []
    awarded: float | None = None
    paid: dict[str, float] = {}
    for f in facts:
        if isinstance(f, ProgrammeSet):
            current, reviews = f, []
        elif isinstance(f, ProgrammeReviewed):
            reviews.append(f)
        elif isinstance(f, QualificationGained):
            qualifications.append(f)
        elif isinstance(f, DamageAwarded):
            awarded = f.amount
        elif isinstance(f, DamagePaid):
            paid[f.by] = paid.get(f.by, 0.0) + f.amount
    reviews.reverse()
    return Programme(current, tuple(reviews), tuple(qualifications), awarded, tuple(paid.items()))


def _object(entry: Entry) -> dict[str, Any]:
    """The entry's canonical object with a payload of the fold's own (the fold writes into it)."""
    obj = entry.to_json()
    obj["payload"] = dict(entry.payload)
    return obj
