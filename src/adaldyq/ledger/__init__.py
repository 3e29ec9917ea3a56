"""The tamper-evident ledger: entries, an RFC 9162 Merkle tree, signed checkpoints, proofs.

Public surface (docs/decisions/0004-ledger-format.md):

Entries
    Actor(id, authority), Draft(actor, subject, type, payload, schema=1, corrects=None,
    reason=None), Entry (seq, recorded_at, draft, body), parse_entry(body) -> Entry

In your own transaction (the hook for read models; any DB-API cursor: sqlite3, psycopg, or
Django's `connection.cursor()`, whose `%s` placeholders the SQL uses; nothing here commits)
    ensure_schema(cursor, dialect=None)              create the ledger_* tables (idempotent)
    append_entries(cursor, drafts, *, now=None)      -> list[Entry], durable when you commit
    read_size(cursor) -> int
    read_entry(cursor, seq) -> Entry
    read_entries(cursor, start=0, stop=None) -> list[Entry]
    read_entries_by_subject(cursor, subject) -> list[Entry]
    read_latest_checkpoint(cursor) -> str | None     (a signed note)
    read_inclusion_proof(cursor, seq, size) / read_consistency_proof(cursor, old, new)
    On SQLite, open the transaction with BEGIN IMMEDIATE (Django: OPTIONS transaction_mode
    "IMMEDIATE"); on PostgreSQL use READ COMMITTED (Django's default).

On a connection the ledger owns
    Ledger.open(url) with sqlite:///PATH or postgresql://...: append, append_many, entries,
    inclusion_proof, consistency_proof, sign_checkpoint, latest_checkpoint
    GroupCommitWriter(url).append(draft): many threads, one commit per batch

Checking
    verify_source(StoreSource(cursor) | Bundle(dir), trust_root) -> Report
    InclusionProof / ConsistencyProof .verify(), verify_inclusion, verify_consistency
    Witness(state_dir).update(source)
"""

from adaldyq.ledger.checkpoint import Checkpoint, Signer, Verifier, cosign, open_note, sign_note
from adaldyq.ledger.entry import KEY_CHANGED, Actor, Draft, Entry, parse_entry
from adaldyq.ledger.errors import (
    LedgerError,
    MalformedCheckpointError,
    MalformedEntryError,
    ProofError,
    SignatureError,
    StoreError,
    WitnessAlarmError,
)
from adaldyq.ledger.merkle import hash_children, hash_leaf, verify_consistency, verify_inclusion
from adaldyq.ledger.proofs import ConsistencyProof, InclusionProof
from adaldyq.ledger.sql import (
    append_entries,
    ensure_schema,
    read_consistency_proof,
    read_entries,
    read_entries_by_subject,
    read_entry,
    read_inclusion_proof,
    read_latest_checkpoint,
    read_size,
)
from adaldyq.ledger.store import GroupCommitWriter, Ledger
from adaldyq.ledger.verify import Fault, Report, StoreSource, verify_source

__all__ = [
    "KEY_CHANGED",
    "Actor",
    "Checkpoint",
    "ConsistencyProof",
    "Draft",
    "Entry",
    "Fault",
    "GroupCommitWriter",
    "InclusionProof",
    "Ledger",
    "LedgerError",
    "MalformedCheckpointError",
    "MalformedEntryError",
    "ProofError",
    "Report",
    "SignatureError",
    "Signer",
    "StoreError",
    "StoreSource",
    "Verifier",
    "WitnessAlarmError",
    "append_entries",
    "cosign",
    "ensure_schema",
    "hash_children",
    "hash_leaf",
    "open_note",
    "parse_entry",
    "read_consistency_proof",
    "read_entries",
    "read_entries_by_subject",
    "read_entry",
    "read_inclusion_proof",
    "read_latest_checkpoint",
    "read_size",
    "sign_note",
    "verify_consistency",
    "verify_inclusion",
    "verify_source",
]
