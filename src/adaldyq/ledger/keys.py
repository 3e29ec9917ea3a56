"""Signing keys: where they live in the data directory, and how they rotate.

The data directory holds `keys/ledger.key` (the current signing key, mode 0600) and
`keys/ledger.pub` (every verifier key the ledger has used, oldest first; the first line is the
trust root). A rotation appends a `ledger_key_changed` entry whose payload names the old and the
new key and carries a signature by each, so a verifier that trusts only the first key can follow
the chain: a checkpoint of size n must be signed by the key in effect after entries 0..n-1.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import os
from pathlib import Path
from typing import Any

from adaldyq.ledger.checkpoint import Signer, Verifier
from adaldyq.ledger.entry import KEY_CHANGED, Actor, Draft
from adaldyq.ledger.errors import MalformedCheckpointError, SignatureError, StoreError

__all__ = [
    "DEFAULT_ORIGIN",
    "KeyHistory",
    "check_key_change",
    "key_change_draft",
    "load_signer",
    "load_verifiers",
    "save_new_signer",
]

DEFAULT_ORIGIN = "adaldyq.local/ledger"
_CONTEXT = b"adaldyq ledger key change\n"


def _message(old: str, new: str) -> bytes:
    return _CONTEXT + old.encode() + b"\n" + new.encode() + b"\n"


def key_change_draft(old: Signer, new: Signer, actor: Actor) -> Draft:
    """The entry that hands signing from `old` to `new`, signed by both."""
    old_text, new_text = old.verifier.encode(), new.verifier.encode()
    message = _message(old_text, new_text)
    payload = {
        "from": old_text,
        "to": new_text,
        "from_signature": base64.b64encode(old.sign(message)).decode(),
        "to_signature": base64.b64encode(new.sign(message)).decode(),
    }
    return Draft(actor=actor, subject="ledger", type=KEY_CHANGED, payload=payload)


def check_key_change(payload: dict[str, Any]) -> tuple[Verifier, Verifier]:
    """The (old, new) keys of a key-change payload whose two signatures verify."""
    try:
        old = Verifier.decode(payload["from"])
        new = Verifier.decode(payload["to"])
        message = _message(payload["from"], payload["to"])
        from_sig = base64.b64decode(payload["from_signature"], validate=True)
        to_sig = base64.b64decode(payload["to_signature"], validate=True)
    except (KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise MalformedCheckpointError(f"key change payload is malformed: {exc}") from None
    if not old.verify(message, from_sig):
        raise SignatureError("key change is not signed by the old key")
    if not new.verify(message, to_sig):
        raise SignatureError("key change is not signed by the new key")
    return old, new


class KeyHistory:
    """Which key signs checkpoints at which tree size, from the trust root and key changes."""

    def __init__(self, root: Verifier) -> None:
        self.seqs: list[int] = []
        self.keys: list[Verifier] = [root]

    @property
    def current(self) -> Verifier:
        """The key in effect after every change applied so far."""
        return self.keys[-1]

    def apply(self, seq: int, payload: dict[str, Any]) -> None:
        """Follow the key change recorded at `seq`; raise if the old key is not the one in effect."""
        old, new = check_key_change(payload)
        if old != self.current:
            raise SignatureError(
                f"key change at entry {seq} is from {old.name}+{old.key_hash.hex()}, "
                f"but the key in effect is {self.current.name}+{self.current.key_hash.hex()}"
            )
        self.seqs.append(seq)
        self.keys.append(new)

    def key_at(self, size: int) -> Verifier:
        """The key that must sign the checkpoint of `size` entries."""
        return self.keys[bisect.bisect_left(self.seqs, size)]


def _keys_dir(data_dir: Path) -> Path:
    return data_dir / "keys"


def load_signer(data_dir: Path) -> Signer | None:
    """The current signing key of the data directory, or None."""
    path = _keys_dir(data_dir) / "ledger.key"
    return Signer.decode(path.read_text()) if path.exists() else None


def load_verifiers(data_dir: Path) -> list[Verifier]:
    """Every public key the ledger has used, oldest (the trust root) first."""
    path = _keys_dir(data_dir) / "ledger.pub"
    if not path.exists():
        return []
    return [Verifier.decode(line) for line in path.read_text().splitlines() if line.strip()]


def create_signer(data_dir: Path, origin: str) -> Signer:
    """Make the data directory's first signing key (explicitly: nothing else makes one)."""
    if load_signer(data_dir) is not None:
        raise StoreError(
            f"a signing key already exists in {_keys_dir(data_dir)}: use `adaldyq ledger rotate-key`"
        )
    signer = Signer.generate(origin)
    save_new_signer(data_dir, signer)
    return signer


def require_signer(data_dir: Path) -> Signer:
    """The data directory's signing key; a missing key is an error, never replaced by a new one."""
    signer = load_signer(data_dir)
    if signer is None:
        raise StoreError(
            f"no signing key in {_keys_dir(data_dir)}: create it once with `adaldyq ledger "
            "key-create` (a missing key is never replaced silently)"
        )
    return signer


def save_new_signer(data_dir: Path, signer: Signer) -> None:
    """Make `signer` the current key and add its public key to ledger.pub."""
    keys = _keys_dir(data_dir)
    keys.mkdir(parents=True, exist_ok=True)
    tmp = keys / "ledger.key.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(signer.encode() + "\n")
        out.flush()
        os.fsync(out.fileno())
    with (keys / "ledger.pub").open("a") as out:
        out.write(signer.verifier.encode() + "\n")
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(keys / "ledger.key")
