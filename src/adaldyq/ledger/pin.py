"""What a verifier pinned, and the witnesses that vouch for a tree (issue 16).

A verifier (the public `/verify/` page of a deployment, or anyone's own copy) pins the first signed
checkpoint it sees (trust on first use) in a small file of its own. Every later answer must come from a
tree consistent with that pin: the stored consistency proof between the pinned tree and the checkpoint the
answer uses must verify against the pinned root. A history rewritten before the pinned size and re-signed
with the real key (by someone holding the database and the key) fails this check, however consistent the
database is with itself.

Witnesses (`adaldyq.ledger.witness`) cosign the checkpoints they checked; `cosigners` counts, for a tree
size, the witnesses whose cosignature on a checkpoint at least that large verifies with their own key.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Checkpoint, Verifier, split_note, verify_cosignature
from adaldyq.ledger.errors import LedgerError, ProofError
from adaldyq.ledger.merkle import verify_consistency

__all__ = ["Pin", "PinBrokenError", "cosigners"]


class PinBrokenError(LedgerError):
    """The tree an answer comes from is not consistent with the checkpoint the verifier pinned."""


@dataclass(frozen=True, slots=True)
class Pin:
    """The first checkpoint a verifier saw: its size and root (and the note, for people to read)."""

    size: int
    root: bytes
    note: str

    @classmethod
    def load(cls, path: Path) -> Pin | None:
        """The pin kept at `path`, or None when nothing is pinned yet."""
        if not path.exists():
            return None
        data = orjson.loads(path.read_bytes())
        return cls(int(data["size"]), base64.b64decode(data["root"]), str(data["note"]))

    @classmethod
    def first_use(cls, path: Path, note: str) -> Pin:
        """Pin `note` at `path` unless a pin is there already (the existing pin wins); return the pin."""
        existing = cls.load(path)
        if existing is not None:
            return existing
        checkpoint = Checkpoint.parse(split_note(note)[0])
        pin = cls(checkpoint.size, checkpoint.root, note)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"size": pin.size, "root": base64.b64encode(pin.root).decode(), "note": note}
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        try:
            os.link(tmp, path)  # never replaces a pin another process made first
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return cls.load(path) or pin

    def check(self, cursor: Any, size: int, root: bytes) -> None:
        """Raise PinBrokenError unless the tree (size, root) and the pinned tree are one history."""
        try:
            if size == self.size:
                if root != self.root:
                    raise ProofError("the same size with another root")
            elif size > self.size:
                if self.size:
                    proof = sql.read_consistency_proof(cursor, self.size, size)
                    verify_consistency(self.size, size, self.root, root, proof)
            else:
                proof = sql.read_consistency_proof(cursor, size, self.size)
                verify_consistency(size, self.size, root, self.root, proof)
        except (ProofError, LedgerError) as exc:
            raise PinBrokenError(
                f"the tree of {size} entries is not consistent with the checkpoint of {self.size} "
                f"entries this verifier pinned: {exc}"
            ) from None


def cosigners(witnesses_dir: Path, size: int, root: bytes | None = None) -> list[str]:
    """The witnesses (folders under `witnesses_dir`) that cosigned a checkpoint of at least `size`
    entries (of exactly `root` when given and the sizes match), each checked with its own key."""
    names: list[str] = []
    if not witnesses_dir.is_dir():
        return names
    for folder in sorted(p for p in witnesses_dir.iterdir() if p.is_dir()):
        pub, seen = folder / "witness.pub", folder / "checkpoints.jsonl"
        if not pub.exists() or not seen.exists():
            continue
        try:
            verifier = Verifier.decode(pub.read_text().strip())
        except LedgerError:
            continue
        for line in reversed(seen.read_bytes().splitlines()):
            try:
                record = orjson.loads(line)
                note = str(record["note"])
                checkpoint = Checkpoint.parse(split_note(note)[0])
                if checkpoint.size < size:
                    break  # the newest first: an older one is smaller still
                if root is not None and checkpoint.size == size and checkpoint.root != root:
                    continue
                verify_cosignature(note, verifier)
            except (LedgerError, KeyError, ValueError, orjson.JSONDecodeError):
                continue
            names.append(folder.name)
            break
    return names
