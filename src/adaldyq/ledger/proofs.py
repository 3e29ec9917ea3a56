"""Inclusion and consistency proofs as values that travel (JSON both ways) and verify themselves."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from adaldyq.ledger.errors import ProofError
from adaldyq.ledger.merkle import verify_consistency, verify_inclusion

__all__ = ["ConsistencyProof", "InclusionProof"]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any) -> bytes:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise ProofError(f"{text!r} is not a base64 hash") from None
    if len(data) != 32:
        raise ProofError("a hash must be 32 bytes")
    return data


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """Entry `seq` (whose leaf hash is `leaf_hash`) is in the tree of `size` entries with `root`."""

    seq: int
    size: int
    leaf_hash: bytes
    path: tuple[bytes, ...]
    root: bytes

    def verify(self) -> None:
        """Raise ProofError unless the path leads from the leaf to the root."""
        verify_inclusion(self.leaf_hash, self.seq, self.size, self.path, self.root)

    def to_json(self) -> dict[str, Any]:
        """JSON object with base64 hashes."""
        return {
            "type": "inclusion",
            "seq": self.seq,
            "tree_size": self.size,
            "leaf_hash": _b64(self.leaf_hash),
            "inclusion_path": [_b64(p) for p in self.path],
            "root_hash": _b64(self.root),
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> InclusionProof:
        """Read what `to_json` wrote."""
        try:
            return cls(
                int(obj["seq"]),
                int(obj["tree_size"]),
                _unb64(obj["leaf_hash"]),
                tuple(_unb64(p) for p in obj["inclusion_path"]),
                _unb64(obj["root_hash"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProofError(f"inclusion proof is malformed: {exc}") from None


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    """The tree of `old_size` entries (root `old_root`) is a prefix of the tree of `new_size`."""

    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    path: tuple[bytes, ...]

    def verify(self) -> None:
        """Raise ProofError unless the path proves the old tree is a prefix of the new one."""
        verify_consistency(self.old_size, self.new_size, self.old_root, self.new_root, self.path)

    def to_json(self) -> dict[str, Any]:
        """JSON object with base64 hashes."""
        return {
            "type": "consistency",
            "old_size": self.old_size,
            "new_size": self.new_size,
            "old_root_hash": _b64(self.old_root),
            "new_root_hash": _b64(self.new_root),
            "consistency_path": [_b64(p) for p in self.path],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ConsistencyProof:
        """Read what `to_json` wrote."""
        try:
            return cls(
                int(obj["old_size"]),
                int(obj["new_size"]),
                _unb64(obj["old_root_hash"]),
                _unb64(obj["new_root_hash"]),
                tuple(_unb64(p) for p in obj["consistency_path"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProofError(f"consistency proof is malformed: {exc}") from None
