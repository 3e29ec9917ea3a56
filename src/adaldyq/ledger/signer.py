"""The log's signer: signs a tree head only when it extends the last tree this signer signed (issue 16).

A checkpoint signed by the deployment's key says "these are the entries". Whoever holds the database and
the key could rewrite an entry, recompute the stored tree and sign again; the signer makes that visible
instead of signing it. It keeps its own state folder (apart from the database; in production another
user's, ideally another machine's):

    state.json      the size and right-edge hashes (compact range) of the last tree it signed

and before it signs the current tree it checks, like a witness (`adaldyq.ledger.witness`):

- the tree has not shrunk;
- the stored consistency proof from its last size proves the stored tree extends the root it signed;
- the new entries' bodies hash, leaf by leaf onto its compact range, to the stored root.

It signs the root it computed itself, never a stored one. On first use (no state) it hashes every
entry. Anything that does not hold raises `SignerRefusalError` and nothing is signed. The signer never
makes a key: `adaldyq ledger key-create` does, explicitly.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from adaldyq.ledger import hashing, sql
from adaldyq.ledger.checkpoint import Checkpoint, Signer, sign_note
from adaldyq.ledger.entry import utc_timestamp
from adaldyq.ledger.errors import LedgerError, ProofError
from adaldyq.ledger.merkle import CompactRange, verify_consistency
from adaldyq.ledger.store import Ledger

__all__ = ["GuardedSigner", "Signed", "SignerRefusalError"]

_BATCH = 50_000


class SignerRefusalError(LedgerError):
    """The current tree does not extend the tree this signer signed last; nothing was signed."""


@dataclass(frozen=True, slots=True)
class Signed:
    """One checkpoint the signer signed."""

    old_size: int
    size: int
    note: str
    frontier: tuple[bytes, ...] = ()


class GuardedSigner:
    """A signing key with the memory of the last tree it signed (its state folder)."""

    def __init__(self, signer: Signer, state_dir: Path) -> None:
        self.signer = signer
        self.state_dir = state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(state_dir, 0o700)

    def _state(self) -> CompactRange:
        path = self.state_dir / "state.json"
        if not path.exists():
            return CompactRange()
        state = orjson.loads(path.read_bytes())
        if state.get("origin") != self.signer.name:
            raise SignerRefusalError(
                f"the signer's state in {self.state_dir} is for the log {state.get('origin')!r}, "
                f"not {self.signer.name!r}"
            )
        return CompactRange(int(state["size"]), [base64.b64decode(h) for h in state["frontier"]])

    def _save(self, compact: CompactRange) -> None:
        state = {
            "origin": self.signer.name,
            "size": compact.size,
            "root": base64.b64encode(compact.root()).decode(),
            "frontier": [base64.b64encode(h).decode() for h in compact.hashes],
        }
        tmp = self.state_dir / "state.json.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(orjson.dumps(state, option=orjson.OPT_INDENT_2))
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(self.state_dir / "state.json")

    def signed_size(self) -> int:
        """The size of the last tree this signer signed (0: none yet)."""
        return self._state().size

    def sign(self, ledger: Ledger, *, now: datetime | None = None) -> Signed | None:
        """Sign the ledger's current tree if it grew and extends the last signed one; None if it did
        not grow; raise SignerRefusalError (nothing signed) if it does not extend it."""
        with ledger.transaction() as cursor:
            signed = self.sign_in(cursor, now=now)
        if signed is not None:
            self.remember(signed)
        return signed

    def sign_in(self, cursor: Any, *, now: datetime | None = None) -> Signed | None:
        """`sign` inside the caller's transaction (the web's own connection); the caller commits,
        then calls `remember(signed)` (before the commit, a rollback would leave the state ahead)."""
        compact = self._state()
        old_size = compact.size
        old_root = compact.root()
        size = sql.read_size(cursor)
        if size == old_size:
            if size and sql.read_root(cursor, size) != old_root:
                raise SignerRefusalError(
                    f"the stored tree of {size} entries is not the one this signer signed"
                )
            return None
        if size < old_size:
            raise SignerRefusalError(
                f"the ledger shrank from {old_size} entries (signed) to {size}"
            )
        stored_root = sql.read_root(cursor, size)
        if old_size:
            try:
                proof = sql.read_consistency_proof(cursor, old_size, size)
                verify_consistency(old_size, size, old_root, stored_root, proof)
            except (ProofError, LedgerError) as exc:
                raise SignerRefusalError(
                    f"the tree of {size} entries does not extend the tree of {old_size} this "
                    f"signer signed: {exc}"
                ) from None
        for start in range(old_size, size, _BATCH):
            rows = sql.read_rows(cursor, start, min(size, start + _BATCH))
            # 32 bytes a leaf, hashed in C where built
            joined = hashing.leaf_hashes([row[3] for row in rows])
            for at in range(0, len(joined), 32):
                compact.append(joined[at : at + 32])
        if compact.size != size or compact.root() != stored_root:
            raise SignerRefusalError(
                f"entries {old_size} to {size - 1} do not hash to the stored root of the tree of "
                f"{size} entries"
            )
        when = utc_timestamp(now or datetime.now(UTC)).split(".")[0] + "Z"
        checkpoint = Checkpoint(self.signer.name, size, compact.root(), (f"time {when}",))
        note = sql.write_checkpoint(cursor, size, sign_note(checkpoint, self.signer))
        return Signed(old_size, size, note, tuple(compact.hashes))

    def remember(self, signed: Signed) -> None:
        """Keep the signed tree as the one the next must extend (after its checkpoint committed)."""
        self._save(CompactRange(signed.size, list(signed.frontier)))
