"""Merkle tree hashing and proofs of RFC 9162 (Certificate Transparency v2, same tree as RFC 6962).

A node is named by `(level, index)`: the complete subtree of 2**level leaves starting at leaf
`index * 2**level`. The store keeps every complete node, so any proof reads O(log n) of them.
Proof generation takes a `node(level, index) -> hash` function; `nodes_for_inclusion` and
`nodes_for_consistency` list the nodes a proof will ask for, so a store can fetch them in one query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

from adaldyq.ledger.errors import ProofError

__all__ = [
    "EMPTY_ROOT",
    "CompactRange",
    "NodeKey",
    "complete_levels",
    "consistency_path",
    "frontier_keys",
    "hash_children",
    "hash_leaf",
    "inclusion_path",
    "nodes_for_consistency",
    "nodes_for_inclusion",
    "root_from_leaf_hashes",
    "subtree_hash",
    "verify_consistency",
    "verify_inclusion",
]

NodeKey = tuple[int, int]
NodeReader = Callable[[int, int], bytes]

_sha256 = hashlib.sha256
EMPTY_ROOT = _sha256(b"").digest()
"""MTH({}): the root of the empty tree."""


def hash_leaf(data: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d}) = SHA-256(0x00 || d)."""
    return _sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: SHA-256(0x01 || MTH(left) || MTH(right))."""
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def frontier_keys(size: int) -> list[NodeKey]:
    """The complete subtrees whose concatenation is the first `size` leaves, left to right."""
    keys = []
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, (size >> level) - 1))
    return keys


class CompactRange:
    """The right edge of a tree: one hash per complete subtree of its frontier (O(log n) state)."""

    __slots__ = ("hashes", "levels", "size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        keys = frontier_keys(size)
        if len(keys) != len(hashes):
            raise ProofError(
                f"a tree of {size} leaves has {len(keys)} frontier hashes, not {len(hashes)}"
            )
        self.size = size
        self.levels = [level for level, _ in keys]
        self.hashes = list(hashes)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; return the nodes above level 0 that it completes, as (level, index, hash)."""
        index = self.size
        level, node = 0, leaf_hash
        completed = []
        while self.levels and self.levels[-1] == level:
            self.levels.pop()
            node = hash_children(self.hashes.pop(), node)
            level += 1
            completed.append((level, index >> level, node))
        self.levels.append(level)
        self.hashes.append(node)
        self.size = index + 1
        return completed

    def root(self) -> bytes:
        """MTH of the leaves so far."""
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = hash_children(left, root)
        return root

    def copy(self) -> CompactRange:
        """An independent copy."""
        return CompactRange(self.size, self.hashes)


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH of a sequence of leaf hashes, in O(log n) memory."""
    compact = CompactRange()
    for leaf in leaf_hashes:
        compact.append(leaf)
    return compact.root()


def complete_levels(leaf_hashes: list[bytes]) -> list[list[bytes]]:
    """All complete nodes over leaves that start at an aligned offset: levels[L][i] covers 2**L leaves."""
    levels = [leaf_hashes]
    current = leaf_hashes
    sha256 = _sha256
    while len(current) > 1:
        pairs = iter(current)  # an odd last node has no sibling yet
        current = [
            sha256(b"\x01" + left + right).digest()
            for left, right in zip(pairs, pairs, strict=False)
        ]
        levels.append(current)
    return levels


def subtree_hash(start: int, stop: int, node: NodeReader) -> bytes:
    """MTH(D[start:stop]) from complete nodes (start aligned, as in every RFC 9162 recursion)."""
    width = stop - start
    if width & (width - 1) == 0 and start % width == 0:
        level = width.bit_length() - 1
        return node(level, start >> level)
    k = _split(width)
    return hash_children(subtree_hash(start, start + k, node), subtree_hash(start + k, stop, node))


def inclusion_path(index: int, size: int, node: NodeReader) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[0:size]), leaf to root."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, stop, m = 0, size, index
    while stop - start > 1:
        k = _split(stop - start)
        if m < k:
            path.append(subtree_hash(start + k, stop, node))
            stop = start + k
        else:
            path.append(subtree_hash(start, start + k, node))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_path(old_size: int, new_size: int, node: NodeReader) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(old_size, D[0:new_size])."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size in (0, new_size):
        return []
    path: list[bytes] = []
    start, stop, m, whole = 0, new_size, old_size, True
    while m != stop - start:
        k = _split(stop - start)
        if m <= k:
            path.append(subtree_hash(start + k, stop, node))
            stop = start + k
        else:
            path.append(subtree_hash(start, start + k, node))
            start, m, whole = start + k, m - k, False
    if not whole:
        path.append(subtree_hash(start, stop, node))
    path.reverse()
    return path


def _recorded(run: Callable[[NodeReader], object]) -> list[NodeKey]:
    keys: list[NodeKey] = []

    def record(level: int, index: int) -> bytes:
        keys.append((level, index))
        return bytes(32)

    run(record)
    return keys


def nodes_for_inclusion(index: int, size: int) -> list[NodeKey]:
    """The complete nodes `inclusion_path(index, size)` reads (control flow never depends on hashes)."""
    return _recorded(lambda node: inclusion_path(index, size, node))


def nodes_for_consistency(old_size: int, new_size: int) -> list[NodeKey]:
    """The complete nodes `consistency_path(old_size, new_size)` reads."""
    return _recorded(lambda node: consistency_path(old_size, new_size, node))


def nodes_for_root(size: int) -> list[NodeKey]:
    """The complete nodes the root of a tree of `size` leaves is made of."""
    return frontier_keys(size)


def root_from_nodes(size: int, node: NodeReader) -> bytes:
    """MTH(D[0:size]) from its frontier nodes."""
    if size == 0:
        return EMPTY_ROOT
    return subtree_hash(0, size, node)


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 §2.1.3.2; raise ProofError unless `path` proves leaf `index` under `root`."""
    if index >= size or index < 0:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    if r != root:
        raise ProofError(
            f"inclusion proof for leaf {index} does not lead to the root of size {size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2; raise ProofError unless the tree of `old_size` is a prefix of the new one."""
    if old_size < 0 or old_size > new_size:
        raise ProofError(f"size went from {old_size} down to {new_size}")
    if old_size == new_size:
        if path:
            raise ProofError("consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    if old_size == 0:
        if path:
            raise ProofError("consistency proof from the empty tree must be empty")
        return
    if not path:
        raise ProofError("consistency proof is empty")
    nodes = list(path)
    if old_size & (old_size - 1) == 0:
        nodes.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != old_root:
        raise ProofError(
            f"the tree of size {new_size} does not contain the tree of size {old_size}"
        )
    if sr != new_root:
        raise ProofError(f"consistency proof does not lead to the root of size {new_size}")
