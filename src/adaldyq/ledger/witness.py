"""The witness an oversight body runs: it remembers what it saw and cosigns only consistent growth.

State folder:

    witness.key / witness.pub   the witness's own Ed25519 key (signed-note formats)
    log.pub                     the ledger keys it trusts, oldest (pinned on first sight) first
    state.json                  last size, root and right-edge hashes (compact range)
    leaves.bin                  the leaf hashes it has checked, 32 bytes each (a mirror)
    checkpoints.jsonl           every checkpoint it cosigned

On update it fetches the latest checkpoint, checks the consistency proof from the size it saw
last, recomputes the new leaves onto its compact range, checks the signature with the key in
effect, and cosigns (C2SP tlog-cosignature). Any inconsistency raises WitnessAlarmError with the
first entry whose leaf differs from the one it mirrored: a log rewritten from some entry on and
re-signed with the real key is caught, and the entry named.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import orjson

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Checkpoint, Signer, Verifier, cosign, open_note, split_note
from adaldyq.ledger.entry import KEY_CHANGED
from adaldyq.ledger.errors import LedgerError, ProofError, StoreError, WitnessAlarmError
from adaldyq.ledger.keys import KeyHistory
from adaldyq.ledger.merkle import CompactRange, hash_leaf, verify_consistency
from adaldyq.ledger.store import Ledger

__all__ = ["LedgerLogSource", "LogSource", "Witness", "WitnessResult"]

_BATCH = 50_000
_KEY_CHANGED_MARK = b'"type":"' + KEY_CHANGED.encode() + b'"'


class LedgerLogSource:
    """A live ledger seen by a witness (through the ledger's own connection)."""

    def __init__(self, ledger: Ledger, verifiers: list[Verifier]) -> None:
        self.ledger = ledger
        self._verifiers = verifiers

    def latest_checkpoint(self) -> str | None:
        """The newest stored checkpoint."""
        return self.ledger.latest_checkpoint()

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """From the stored tree, O(log n)."""
        with self.ledger.reading() as cursor:
            return sql.read_consistency_proof(cursor, old_size, new_size)

    def bodies(self, start: int, stop: int) -> list[bytes]:
        """Stored entry bodies."""
        with self.ledger.reading() as cursor:
            return [row[3] for row in sql.read_rows(cursor, start, stop)]

    def verifiers(self) -> list[Verifier]:
        """The keys in the data directory."""
        return self._verifiers


class LogSource(Protocol):
    """What a witness reads from a log: a live ledger or a bundle."""

    def latest_checkpoint(self) -> str | None:
        """The newest signed checkpoint."""

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """RFC 9162 consistency proof."""

    def bodies(self, start: int, stop: int) -> list[bytes]:
        """Entry bodies start..stop-1."""

    def verifiers(self) -> list[Verifier]:
        """Keys the log publishes (used only to pin on first sight)."""


@dataclass(frozen=True, slots=True)
class WitnessResult:
    """What one update did."""

    old_size: int
    new_size: int
    note: str


def witness_key(directory: Path, name: str) -> Signer:
    """A witness's own key in its folder (witness.key, 0600, and witness.pub), made on its first run."""
    directory.mkdir(parents=True, exist_ok=True)
    key_path = directory / "witness.key"
    if key_path.exists():
        return Signer.decode(key_path.read_text())
    signer = Signer.generate(name)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(signer.encode() + "\n")
    (directory / "witness.pub").write_text(signer.verifier.encode() + "\n")
    return signer


class Witness:
    """A witness's state folder."""

    def __init__(self, directory: Path, *, name: str = "witness.adaldyq") -> None:
        self.directory = directory
        self.signer = witness_key(directory, name)

    @property
    def verifier(self) -> Verifier:
        """The witness's public key (checks its cosignatures)."""
        return self.signer.verifier

    def _state(self) -> dict[str, object]:
        path = self.directory / "state.json"
        if not path.exists():
            return {"size": 0, "frontier": [], "keys_seqs": [], "keys": []}
        try:
            state: object = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            state = None
        if not isinstance(state, dict) or not {"size", "frontier", "keys_seqs", "keys"} <= set(
            state
        ):
            # another program's state.json (`ledger witness-serve` keeps its own in such a folder)
            raise StoreError(f"{path}: not the state of this witness; give it a folder of its own")
        return state

    def pinned(self) -> list[Verifier]:
        """The ledger key the witness trusts as root, if pinned."""
        path = self.directory / "log.pub"
        if not path.exists():
            return []
        return [Verifier.decode(line) for line in path.read_text().splitlines() if line.strip()]

    def pin(self, key: Verifier) -> None:
        """Trust `key` as the ledger's root key."""
        (self.directory / "log.pub").write_text(key.encode() + "\n")

    def _mirror(self, start: int, stop: int) -> list[bytes]:
        with (self.directory / "leaves.bin").open("rb") as mirror:
            mirror.seek(start * 32)
            data = mirror.read((stop - start) * 32)
        return [data[i : i + 32] for i in range(0, len(data), 32)]

    def update(self, source: LogSource, *, now: datetime | None = None) -> WitnessResult:
        """Check the log's newest checkpoint against everything seen; cosign it or raise."""
        pinned = self.pinned()
        if not pinned:
            published = source.verifiers()
            if not published:
                raise StoreError("no ledger key to trust: pass the ledger's public key")
            self.pin(published[0])
            pinned = published[:1]
        note = source.latest_checkpoint()
        if note is None:
            raise StoreError("the log has no checkpoint yet")
        body, _ = split_note(note)
        claimed = Checkpoint.parse(body)
        state = self._state()
        old_size = int(str(state["size"]))
        frontier = [base64.b64decode(h) for h in state["frontier"]]  # type: ignore[attr-defined]
        compact = CompactRange(old_size, frontier)
        old_root = compact.root()
        new_size = claimed.size
        if new_size < old_size:
            self._alarm(source, old_size, f"the log shrank from {old_size} to {new_size} entries")
        if old_size:
            try:
                proof = source.consistency_proof(old_size, new_size)
                verify_consistency(old_size, new_size, old_root, claimed.root, proof)
            except (ProofError, StoreError) as exc:
                self._alarm(
                    source, old_size, f"checkpoint of size {new_size} is inconsistent: {exc}"
                )
        history = KeyHistory(pinned[0])
        for seq, key in zip(state["keys_seqs"], state["keys"], strict=True):  # type: ignore[call-overload]
            history.seqs.append(int(seq))
            history.keys.append(Verifier.decode(str(key)))
        new_leaves: list[bytes] = []
        for start in range(old_size, new_size, _BATCH):
            bodies = source.bodies(start, min(new_size, start + _BATCH))
            for seq, entry_body in enumerate(bodies, start):
                leaf = hash_leaf(entry_body)
                new_leaves.append(leaf)
                compact.append(leaf)
                if _KEY_CHANGED_MARK in entry_body:
                    obj = orjson.loads(entry_body)
                    if obj.get("type") == KEY_CHANGED:
                        history.apply(seq, obj["payload"])
        if compact.size != new_size or compact.root() != claimed.root:
            self._alarm(
                source, old_size, f"the entries do not hash to the root signed for size {new_size}"
            )
        try:
            open_note(note, [history.key_at(new_size)])
        except LedgerError as exc:
            raise WitnessAlarmError(f"checkpoint of size {new_size}: {exc}") from None
        stamp = int((now or datetime.now(UTC)).timestamp())
        cosigned = cosign(note, self.signer, stamp)
        with (self.directory / "leaves.bin").open("ab") as mirror:
            mirror.write(b"".join(new_leaves))
            mirror.flush()
            os.fsync(mirror.fileno())
        with (self.directory / "checkpoints.jsonl").open("ab") as seen:
            seen.write(orjson.dumps({"size": new_size, "note": cosigned}) + b"\n")
        new_state = {
            "size": new_size,
            "root": base64.b64encode(claimed.root).decode(),
            "frontier": [base64.b64encode(h).decode() for h in compact.hashes],
            "keys_seqs": history.seqs,
            "keys": [key.encode() for key in history.keys[1:]],
        }
        tmp = self.directory / "state.json.tmp"
        tmp.write_bytes(orjson.dumps(new_state, option=orjson.OPT_INDENT_2))
        tmp.replace(self.directory / "state.json")
        return WitnessResult(old_size, new_size, cosigned)

    def _alarm(self, source: LogSource, seen_size: int, message: str) -> None:
        """Find the first entry that differs from the mirror and raise."""
        for start in range(0, seen_size, _BATCH):
            stop = min(seen_size, start + _BATCH)
            mirrored = self._mirror(start, stop)
            bodies = source.bodies(start, stop)
            for seq, (mine, body) in enumerate(zip(mirrored, bodies, strict=False), start):
                if hash_leaf(body) != mine:
                    raise WitnessAlarmError(
                        f"ALARM: {message}; entry {seq} differs from the one this witness "
                        f"saw in the checkpoint of size {seen_size}",
                        seq=seq,
                    )
            if len(bodies) < len(mirrored):
                missing = start + len(bodies)
                raise WitnessAlarmError(
                    f"ALARM: {message}; entries from {missing} on, seen in the checkpoint of "
                    f"size {seen_size}, are gone",
                    seq=missing,
                )
        raise WitnessAlarmError(f"ALARM: {message}", seq=None)
