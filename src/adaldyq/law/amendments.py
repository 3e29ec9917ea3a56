"""Amendments to the law pack as ledger entries, in force only once a second person approves them.

A deployment fills the figures the shipped pack holds as unknown, and follows the Code when it changes,
without a release (LAW.md §4, issue 22, ADR 0026). An amendment names one figure, its value (or null:
"unknown"), `valid_from` and optional `valid_to`, the article and the edition of the law it rests on,
the SHA-256 of the source document, the confidence code and the reason. It is recorded as
`law_amendment_proposed`; a *different* person records `law_amendment_approved` (maker-checker) or
`law_amendment_refused` (with a reason). The pack in force is the shipped pack plus the approved
amendments, applied in the order of their approvals: an amendment closes the values it overlaps on its
dates and leaves every other date as it was, and the pack's hash covers the amendments, so every result
names the law it was computed under.

    book = Book.from_entries(ledger.entries_by_subject(subject_of(law)), law)
    draft = propose(law, payload, actor)           # a Draft to append; AmendmentError names the field
    draft = approve(book, seq, actor)              # refused for the proposer and for a settled one
    law_in_force = book.in_force(law)              # or law.with_amendments(book.approved())
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from adaldyq.core.dates import as_date
from adaldyq.core.errors import LawPackError
from adaldyq.law.pack import Figure, LawPack, Value
from adaldyq.ledger import Actor, Draft, Entry

PROPOSED: Final = "law_amendment_proposed"
APPROVED: Final = "law_amendment_approved"
REFUSED: Final = "law_amendment_refused"
TYPES: Final = frozenset({PROPOSED, APPROVED, REFUSED})
#: LAW.md's codes a person may enter; D (demo, not law) belongs to the demo overlay only.
CONFIDENCES: Final = ("L", "L-old", "S", "P", "?")
_FIELDS: Final = (
    "figure",
    "value",
    "valid_from",
    "valid_to",
    "article",
    "edition",
    "document",
    "confidence",
    "reason",
    "imported",
)
_REQUIRED: Final = frozenset(_FIELDS) - {"valid_to", "imported"}
#: Where an amendment carried from another deployment comes from (`amendment_files`, ADR 0028).
_IMPORTED: Final = {
    "origin": str,
    "tree_size": int,
    "root": str,
    "proposal": int,
    "approval": int,
    "proposed_by": str,
    "approved_by": str,
}
_DOCUMENT: Final = re.compile(r"^sha256:[0-9a-f]{64}$")
_FRACTION: Final = re.compile(r"^[1-9][0-9]*/[1-9][0-9]*$")
#: Units counted in whole things: a count of them is a whole number, not negative, or "unlimited"
#: (as the pack itself says of money transfers).
_COUNT_UNITS: Final = frozenset(
    {"visits", "parcels", "transfers", "count", "days", "months", "years", "hours", "minutes"}
)
_AMOUNT_UNITS: Final = frozenset({"MRP"})


class AmendmentError(LawPackError):
    """An amendment, an approval or a refusal that cannot be recorded; one line naming the field."""


def subject_of(law: LawPack) -> str:
    """The ledger subject of a pack's amendments (`law:kz`)."""
    return "law:" + law.id.split("+", 1)[0]


@dataclass(frozen=True, slots=True)
class Amendment:
    """One proposed change of one figure, as its entry's payload says."""

    figure: str
    value: Any
    valid_from: date
    valid_to: date | None
    article: str
    edition: str
    document: str
    confidence: str
    reason: str
    #: For one approved in another deployment: its log's origin and checkpoint, the two entries there
    #: and the two people (ADR 0028); None for one proposed here.
    imported: dict[str, Any] | None = None

    def to_payload(self) -> dict[str, Any]:
        """The entry's payload (JSON-ready)."""
        out: dict[str, Any] = {
            "figure": self.figure,
            "value": self.value,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "article": self.article,
            "edition": self.edition,
            "document": self.document,
            "confidence": self.confidence,
            "reason": self.reason,
        }
        if self.imported is not None:
            out["imported"] = dict(self.imported)
        return out


def _date(raw: Any, name: str) -> date:
    found = as_date(raw)
    if found is None:
        raise AmendmentError(f"{name}: not a date YYYY-MM-DD: {raw!r}")
    return found


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    return "mapping"


def _check_value(fig: Figure, value: Any) -> None:
    """The value fits the figure as the pack holds it: its kind and its unit."""
    where = f"value of {fig.key} (unit {fig.unit})"
    kind = _kind(value)
    known = {_kind(v.value) for v in fig.values if v.value is not None}
    if known and kind not in known:
        raise AmendmentError(f"{where}: {kind}, where the pack holds {' or '.join(sorted(known))}")
    if fig.unit in _COUNT_UNITS and value != "unlimited":
        if kind != "number" or not isinstance(value, int) or value < 0:
            raise AmendmentError(f"{where}: expected a whole number, 0 or more, or 'unlimited'")
    elif fig.unit in _AMOUNT_UNITS:
        if kind != "number" or value < 0:
            raise AmendmentError(f"{where}: expected an amount, 0 or more")
    elif fig.unit == "fraction" and (kind != "text" or not _FRACTION.match(value)):
        raise AmendmentError(f"{where}: expected a fraction such as 2/3")
    elif not known and kind not in {"number", "text", "list"}:
        raise AmendmentError(f"{where}: expected a number, a text or a list")


def parse_amendment(payload: Any, law: LawPack) -> Amendment:
    """An amendment checked against the pack's schema; AmendmentError (one line) names the field."""
    if not isinstance(payload, dict):
        raise AmendmentError("an amendment is a mapping of " + ", ".join(_FIELDS))
    extra = sorted(set(payload) - set(_FIELDS))
    if extra:
        raise AmendmentError(f"unknown fields {extra}; an amendment has {', '.join(_FIELDS)}")
    missing = sorted(k for k in _REQUIRED if k not in payload)
    if missing:
        raise AmendmentError(f"missing fields {missing}")
    key = payload["figure"]
    fig = law.figures.get(key) if isinstance(key, str) else None
    if fig is None:
        raise AmendmentError(f"figure: the law pack {law.id} has no figure {key!r}")
    start = _date(payload["valid_from"], "valid_from")
    end = _date(payload["valid_to"], "valid_to") if payload.get("valid_to") is not None else None
    if end is not None and end < start:
        raise AmendmentError(f"valid_to: {end} is before valid_from {start}")
    conf = payload["confidence"]
    if conf not in CONFIDENCES:
        raise AmendmentError(f"confidence: {conf!r} is not one of {', '.join(CONFIDENCES)}")
    value = payload["value"]
    if (value is None) != (conf == "?"):
        raise AmendmentError(
            "value: an unknown figure is value null with confidence '?', and only then"
        )
    if value is not None:
        _check_value(fig, value)
    texts: dict[str, str] = {}
    for name in ("article", "edition", "reason"):
        text = payload[name]
        if not isinstance(text, str) or not text.strip():
            raise AmendmentError(f"{name}: must be said (a non-empty text)")
        texts[name] = text.strip()
    doc = payload["document"]
    if not isinstance(doc, str) or not _DOCUMENT.match(doc):
        raise AmendmentError("document: the source document's hash, sha256: and 64 hex digits")
    imported = payload.get("imported")
    if imported is not None and (
        not isinstance(imported, dict)
        or set(imported) != set(_IMPORTED)
        or any(
            not isinstance(imported[k], t) or isinstance(imported[k], bool)
            for k, t in _IMPORTED.items()
        )
    ):
        raise AmendmentError("imported: " + ", ".join(_IMPORTED) + " of the exporting deployment")
    return Amendment(
        key,
        value,
        start,
        end,
        texts["article"],
        texts["edition"],
        doc,
        conf,
        texts["reason"],
        dict(imported) if imported is not None else None,
    )


@dataclass(slots=True)
class Proposal:
    """A proposed amendment and what became of it."""

    seq: int
    amendment: Amendment
    proposer: Actor
    recorded_at: str
    status: str = "proposed"  # proposed | approved | refused
    decided_by: Actor | None = None
    decided_seq: int | None = None
    decided_at: str | None = None
    refusal: str | None = None


@dataclass(slots=True)
class Book:
    """Every amendment of one pack, from its ledger entries."""

    proposals: dict[int, Proposal] = field(default_factory=dict)
    #: Entries that do not count, each with why (an approval by the proposer, a malformed one).
    ignored: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def from_entries(cls, entries: list[Entry], law: LawPack) -> Book:
        """The book from the pack's entries, in ledger order; an entry breaking the rules is ignored
        (and listed in `ignored`), as the writers refuse it in the first place."""
        book = cls()
        for e in entries:
            if e.type not in TYPES:
                continue
            try:
                if e.type == PROPOSED:
                    amendment = parse_amendment(e.payload, law)
                    book.proposals[e.seq] = Proposal(e.seq, amendment, e.draft.actor, e.recorded_at)
                else:
                    p = book._settle(e.payload.get("proposal"), e.draft.actor)
                    p.decided_by, p.decided_seq, p.decided_at = e.draft.actor, e.seq, e.recorded_at
                    if e.type == APPROVED:
                        p.status = "approved"
                    else:
                        p.status, p.refusal = "refused", str(e.payload.get("reason", ""))
            except AmendmentError as exc:
                book.ignored.append((e.seq, str(exc)))
        return book

    def _settle(self, seq: Any, actor: Actor) -> Proposal:
        p = self.proposals.get(seq) if isinstance(seq, int) else None
        if p is None:
            raise AmendmentError(f"no proposed amendment #{seq}")
        if p.status != "proposed":
            raise AmendmentError(f"amendment #{seq} is already {p.status} (#{p.decided_seq})")
        if actor.id == p.proposer.id:
            raise AmendmentError(
                f"amendment #{seq} was proposed by {actor.id}; another person must review it"
            )
        return p

    def approved(self, upto: int | None = None) -> list[Proposal]:
        """The approved proposals in the order of their approvals (those recorded up to `upto`)."""
        out = [
            p
            for p in self.proposals.values()
            if p.status == "approved"
            and p.decided_seq is not None
            and (upto is None or p.decided_seq <= upto)
        ]
        return sorted(out, key=lambda p: p.decided_seq or 0)

    def pending(self) -> list[Proposal]:
        """Proposals awaiting review, oldest first."""
        return [p for p in self.proposals.values() if p.status == "proposed"]

    def in_force(self, law: LawPack, upto: int | None = None) -> LawPack:
        """The shipped pack plus the approved amendments (those approved up to entry `upto`)."""
        return with_amendments(law, self.approved(upto))


def propose(law: LawPack, payload: Any, actor: Actor) -> Draft:
    """The entry proposing an amendment, checked against the pack."""
    amendment = parse_amendment(payload, law)
    return Draft(
        actor=actor, subject=subject_of(law), type=PROPOSED, payload=amendment.to_payload()
    )


def approve(book: Book, seq: int, actor: Actor, law: LawPack) -> Draft:
    """The entry approving proposal `seq`; refused for its proposer and for a settled proposal."""
    book._settle(seq, actor)
    return Draft(actor=actor, subject=subject_of(law), type=APPROVED, payload={"proposal": seq})


def refuse(book: Book, seq: int, actor: Actor, law: LawPack, reason: str) -> Draft:
    """The entry refusing proposal `seq`, with the reason (said, never empty)."""
    if not reason.strip():
        raise AmendmentError("reason: a refusal says why")
    book._settle(seq, actor)
    return Draft(
        actor=actor,
        subject=subject_of(law),
        type=REFUSED,
        payload={"proposal": seq, "reason": reason.strip()},
    )


#: Where a source document is kept, by its hash, inside a data folder (the CLI's and the web's).
DOCUMENTS: Final = "documents"


def store_document(directory: Path, content: bytes) -> str:
    """Keep a source document in `directory/documents/` under its hash; return `sha256:<hex>`."""
    digest = hashlib.sha256(content).hexdigest()
    folder = directory / DOCUMENTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sha256-{digest}"
    if not path.exists():
        tmp = folder / f".sha256-{digest}.part"
        tmp.write_bytes(content)
        tmp.replace(path)
    return f"sha256:{digest}"


_SOURCE: Final = re.compile(r"^amendment #(\d+) ")


def amendment_of(source: str) -> int | None:
    """The amendment (its proposal's entry number) a value's source names, None for a shipped one."""
    found = _SOURCE.match(source)
    return int(found.group(1)) if found else None


def _source(p: Proposal) -> str:
    a = p.amendment
    return f"amendment #{p.seq} approved #{p.decided_seq}: {a.article}, {a.edition}; document {a.document}"


def _apply(values: tuple[Value, ...], new: Value) -> tuple[Value, ...]:
    """`values` with `new` in force on its dates: what it overlaps is closed or cut, the rest kept."""
    end = new.valid_to or date.max
    out: list[Value] = []
    for v in values:
        v_end = v.valid_to or date.max
        if v_end < new.valid_from or v.valid_from > end:
            out.append(v)
            continue
        if v.valid_from < new.valid_from:
            out.append(_span(v, v.valid_from, new.valid_from - timedelta(days=1)))
        if new.valid_to is not None and v_end > new.valid_to:
            out.append(_span(v, new.valid_to + timedelta(days=1), v.valid_to))
    out.append(new)
    return tuple(sorted(out, key=lambda v: v.valid_from))


def _span(v: Value, start: date, end: date | None) -> Value:
    return Value(start, end, v.value, v.source, v.confidence, v.planned, v.amendment)


def with_amendments(law: LawPack, approved: list[Proposal]) -> LawPack:
    """The pack in force: `law` with the approved amendments applied in the order given."""
    if not approved:
        return law
    figures: dict[str, Figure] = {}
    for p in approved:
        a = p.amendment
        fig = figures.get(a.figure) or law.figures.get(a.figure)
        if fig is None:
            raise AmendmentError(f"amendment #{p.seq}: the law pack has no figure {a.figure!r}")
        new = Value(a.valid_from, a.valid_to, a.value, _source(p), a.confidence, None, p.seq)
        figures[a.figure] = Figure(
            fig.key, fig.description, fig.unit, fig.article, _apply(fig.values, new)
        )
    described = [
        {"seq": p.seq, "approved": p.decided_seq, **p.amendment.to_payload()} for p in approved
    ]
    return law.with_values(figures, described)
