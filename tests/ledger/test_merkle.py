"""RFC 9162 / RFC 6962 hashing and proofs: published test vectors and a naive MTH."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaldyq.ledger.errors import ProofError
from adaldyq.ledger.merkle import (
    EMPTY_ROOT,
    CompactRange,
    complete_levels,
    consistency_path,
    hash_children,
    hash_leaf,
    inclusion_path,
    nodes_for_consistency,
    nodes_for_inclusion,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

# The Certificate Transparency test vectors (certificate-transparency merkle tests, RFC 6962).
LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 Merkle Tree Hash, literally and recursively."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def reader(leaf_hashes: list[bytes]):
    levels = complete_levels(leaf_hashes)
    return lambda level, index: levels[level][index]


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_from_leaf_hashes([]) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_certificate_transparency_vectors(size: int) -> None:
    leaf_hashes = [hash_leaf(leaf) for leaf in LEAVES[:size]]

    assert root_from_leaf_hashes(leaf_hashes).hex() == ROOTS[size - 1]
    assert mth(LEAVES[:size]).hex() == ROOTS[size - 1]


def test_the_inclusion_proof_of_leaf_5_in_8_matches_the_vector() -> None:
    leaf_hashes = [hash_leaf(leaf) for leaf in LEAVES]

    path = inclusion_path(5, 8, reader(leaf_hashes))

    assert [p.hex()[:16] for p in path] == [
        "bc1a0643b12e4d2d",
        "ca854ea128ed050b",
        "d37ee418976dd957",
    ]
    verify_inclusion(leaf_hashes[5], 5, 8, path, bytes.fromhex(ROOTS[7]))


def test_the_consistency_proof_from_3_to_8_matches_the_vector() -> None:
    leaf_hashes = [hash_leaf(leaf) for leaf in LEAVES]

    path = consistency_path(3, 8, reader(leaf_hashes))

    assert [p.hex()[:16] for p in path] == [
        "0298d122906dcfc1",
        "07506a85fd9dd2f1",
        "fac54203e7cc696c",
        "6b47aaf29ee3c2af",
    ]
    verify_consistency(3, 8, bytes.fromhex(ROOTS[2]), bytes.fromhex(ROOTS[7]), path)


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=70), st.data())
def test_proofs_from_stored_nodes_verify_against_the_naive_mth(leaves: list[bytes], data) -> None:
    n = len(leaves)
    leaf_hashes = [hash_leaf(leaf) for leaf in leaves]
    node = reader(leaf_hashes)
    index = data.draw(st.integers(0, n - 1))
    old = data.draw(st.integers(1, n))

    path = inclusion_path(index, n, node)
    proof = consistency_path(old, n, node)

    verify_inclusion(leaf_hashes[index], index, n, path, mth(leaves))
    verify_consistency(old, n, mth(leaves[:old]), mth(leaves), proof)
    assert len(nodes_for_inclusion(index, n)) <= 2 * n.bit_length()
    assert len(nodes_for_consistency(old, n)) <= 2 * n.bit_length()


@given(st.lists(st.binary(max_size=4), min_size=2, max_size=40), st.data())
def test_a_proof_with_any_hash_changed_fails(leaves: list[bytes], data) -> None:
    n = len(leaves)
    leaf_hashes = [hash_leaf(leaf) for leaf in leaves]
    index = data.draw(st.integers(0, n - 1))
    path = inclusion_path(index, n, reader(leaf_hashes))
    if not path:
        return
    at = data.draw(st.integers(0, len(path) - 1))
    bad = [*path]
    bad[at] = hash_children(bad[at], bad[at])

    with pytest.raises(ProofError):
        verify_inclusion(leaf_hashes[index], index, n, bad, mth(leaves))


@given(st.lists(st.binary(max_size=4), min_size=2, max_size=40), st.data())
def test_a_consistency_proof_against_a_rewritten_tree_fails(leaves: list[bytes], data) -> None:
    n = len(leaves)
    old = data.draw(st.integers(1, n - 1))
    changed = data.draw(st.integers(0, old - 1))
    forged = [*leaves]
    forged[changed] = forged[changed] + b"!"
    path = consistency_path(old, n, reader([hash_leaf(leaf) for leaf in forged]))

    with pytest.raises(ProofError):
        verify_consistency(old, n, mth(leaves[:old]), mth(forged), path)


@given(st.integers(0, 300))
def test_the_compact_range_completes_every_node_once(n: int) -> None:
    leaf_hashes = [hash_leaf(i.to_bytes(2, "big")) for i in range(n)]
    compact = CompactRange()
    completed = []

    for leaf in leaf_hashes:
        completed.extend(compact.append(leaf))

    levels = complete_levels(leaf_hashes) if n else [[]]
    assert bool(completed) == (n > 1)
    assert {(lv, i): h for lv, i, h in completed} == {
        (lv, i): h for lv in range(1, len(levels)) for i, h in enumerate(levels[lv])
    }
    assert compact.root() == root_from_leaf_hashes(leaf_hashes)


def test_sizes_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ProofError):
        verify_inclusion(EMPTY_ROOT, 3, 3, [], EMPTY_ROOT)
    with pytest.raises(ProofError):
        verify_consistency(4, 3, EMPTY_ROOT, EMPTY_ROOT, [])
    with pytest.raises(ProofError):
        verify_consistency(2, 3, EMPTY_ROOT, EMPTY_ROOT, [])
