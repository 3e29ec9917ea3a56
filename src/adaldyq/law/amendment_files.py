"""Approved amendments carried from one deployment to another in a file the receiver checks (ADR 0028).

A test deployment and production must run the same law (issue 22). `export_amendments` writes every
approved amendment of a pack with the two entries that made it law (the proposal and the approval by
another person), each with its RFC 9162 inclusion proof in the exporting ledger's latest signed checkpoint,
and the source documents by their hash. The checkpoint signs the file: `read_amendments` opens it with the
exporting deployment's public keys (its `keys/ledger.pub`), checks every entry's inclusion, every
document's hash and the exporter's maker-checker (proposer and approver two people), and returns the
amendments. The receiver records each as a new proposal that names where it comes from
(`Amendment.imported`): it is in force there only once a second person there approves it.

    obj = export_amendments(law, entries, note, proof_of, documents)    # JSON-ready
    carried, documents = read_amendments(obj, verifiers, law)           # AmendmentError names the fault
    drafts = import_drafts(carried, book, law, actor)                   # the ones not imported before
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from adaldyq.law.amendments import (
    APPROVED,
    PROPOSED,
    AmendmentError,
    Book,
    Proposal,
    parse_amendment,
    propose,
    subject_of,
)
from adaldyq.law.pack import LawPack
from adaldyq.ledger import Actor, Draft, Entry, InclusionProof, LedgerError, Verifier, parse_entry
from adaldyq.ledger.checkpoint import open_note

FORMAT: Final = "adaldyq-law-amendments/1"


@dataclass(frozen=True, slots=True)
class Carried:
    """An approved amendment of another deployment, its two entries checked against its checkpoint."""

    proposal: Proposal
    origin: str
    tree_size: int
    root: str

    def provenance(self) -> dict[str, Any]:
        """What the receiving proposal's `imported` field says of where the amendment comes from."""
        p = self.proposal
        assert p.decided_by is not None  # noqa: S101 -- an approved proposal has its reviewer
        return {
            "origin": self.origin,
            "tree_size": self.tree_size,
            "root": self.root,
            "proposal": p.seq,
            "approval": p.decided_seq,
            "proposed_by": p.proposer.id,
            "approved_by": p.decided_by.id,
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        raise AmendmentError(f"{what}: not base64") from None


def export_amendments(
    law: LawPack,
    entries: list[Entry],
    note: str | None,
    proof_of: Callable[[int, int], list[bytes]],
    documents: dict[str, bytes],
) -> dict[str, Any]:
    """The file's object: the approved amendments among the pack's `entries`, proven in the signed
    checkpoint `note`; `proof_of(seq, size)` reads an inclusion path, `documents` maps `sha256:` hashes
    to the source documents at hand (a missing one is listed, not invented)."""
    approved = Book.from_entries(entries, law).approved()
    by_seq = {e.seq: e for e in entries}
    needed = sorted(s for p in approved for s in (p.seq, p.decided_seq) if s is not None)
    if note is None:
        raise AmendmentError(
            "the ledger has no signed checkpoint: sign one first (`adaldyq ledger sign`)"
        )
    size = int(note.split("\n", 2)[1]) if note.count("\n") >= 2 else 0
    if needed and needed[-1] >= size:
        raise AmendmentError(
            f"the latest signed checkpoint (size {size}) does not cover entry #{needed[-1]}: "
            "sign a newer one first (`adaldyq ledger sign`)"
        )
    wanted = sorted({p.amendment.document for p in approved})
    return {
        "format": FORMAT,
        "law": subject_of(law),
        "law_pack": law.id,
        "checkpoint": note,
        "entries": [
            {
                "body": by_seq[s].body.decode(),
                "inclusion_path": [_b64(h) for h in proof_of(s, size)],
            }
            for s in needed
        ],
        "documents": {d: _b64(documents[d]) for d in wanted if d in documents},
        "documents_missing": [d for d in wanted if d not in documents],
    }


def read_amendments(
    obj: Any, verifiers: list[Verifier], law: LawPack
) -> tuple[list[Carried], dict[str, bytes]]:
    """The approved amendments a file carries, each checked; AmendmentError names what fails."""
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise AmendmentError(f"not a file of approved amendments ({FORMAT})")
    if obj.get("law") != subject_of(law):
        raise AmendmentError(
            f"the file amends {obj.get('law')!r}, this deployment's law is {subject_of(law)!r}"
        )
    try:
        checkpoint, _ = open_note(str(obj.get("checkpoint", "")), verifiers)
    except LedgerError as exc:
        raise AmendmentError(f"checkpoint: {exc}") from None
    rows = obj.get("entries")
    if not isinstance(rows, list):
        raise AmendmentError("entries: a list of entries with their inclusion paths")
    proven: list[Entry] = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("inclusion_path"), list):
            raise AmendmentError(f"entries[{i}]: a body and its inclusion_path")
        try:
            entry = parse_entry(str(row.get("body", "")).encode())
            InclusionProof(
                entry.seq,
                checkpoint.size,
                entry.leaf_hash,
                tuple(_unb64(h, f"entries[{i}].inclusion_path") for h in row["inclusion_path"]),
                checkpoint.root,
            ).verify()
        except LedgerError as exc:
            raise AmendmentError(
                f"entries[{i}]: not in the signed checkpoint of size {checkpoint.size}: {exc}"
            ) from None
        if entry.subject != subject_of(law) or entry.type not in (PROPOSED, APPROVED):
            raise AmendmentError(f"entries[{i}]: #{entry.seq} is not an amendment of this law")
        proven.append(entry)
    book = Book.from_entries(sorted(proven, key=lambda e: e.seq), law)
    if book.ignored:
        seq, why = book.ignored[0]
        raise AmendmentError(f"entry #{seq}: {why}")
    for p in book.pending():
        raise AmendmentError(f"entry #{p.seq}: a proposal whose approval is not in the file")
    documents: dict[str, bytes] = {}
    raw_documents = obj.get("documents") or {}
    if not isinstance(raw_documents, dict):
        raise AmendmentError("documents: a mapping of sha256: hashes to base64 contents")
    for name, text in raw_documents.items():
        content = _unb64(text, f"documents[{name}]")
        if name != "sha256:" + hashlib.sha256(content).hexdigest():
            raise AmendmentError(f"documents[{name}]: the content does not have that hash")
        documents[name] = content
    origin, root = checkpoint.origin, _b64(checkpoint.root)
    carried = [Carried(p, origin, checkpoint.size, root) for p in book.approved()]
    return carried, documents


def import_drafts(carried: list[Carried], book: Book, law: LawPack, actor: Actor) -> list[Draft]:
    """The proposals recording the carried amendments here, leaving out those imported before (the
    same origin and proposal); each still needs a second person here to approve it."""
    seen = {
        (i.get("origin"), i.get("proposal"))
        for p in book.proposals.values()
        if (i := p.amendment.imported) is not None
    }
    drafts = []
    for c in carried:
        if (c.origin, c.proposal.seq) in seen:
            continue
        payload = {**c.proposal.amendment.to_payload(), "imported": c.provenance()}
        drafts.append(propose(law, parse_amendment(payload, law).to_payload(), actor))
    return drafts
