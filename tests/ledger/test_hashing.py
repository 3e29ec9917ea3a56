"""Batch hashing (`adaldyq.ledger.hashing`): the compiled extension and the hashlib path agree.

Every function is checked against hashlib written out here, for the path in use and for both
paths side by side when the extension is built (it is wherever `scripts/setup` found a C compiler
and OpenSSL's headers; `ADALDYQ_PURE_PYTHON=1` leaves it out).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from adaldyq.ledger import hashing
from adaldyq.ledger.merkle import hash_children, hash_leaf
from tests.ledger.test_merkle import LEAVES, ROOTS, mth

try:
    from adaldyq.ledger import _hashes as native
except ImportError:
    native = None

PY = ModuleType("py")  # the hashlib functions under the extension's names
PY.leaf_hashes = hashing.py_leaf_hashes  # type: ignore[attr-defined]
PY.leaf_hashes_joined = hashing.py_leaf_hashes_joined  # type: ignore[attr-defined]
PY.node_level = hashing.py_node_level  # type: ignore[attr-defined]
PY.tails_match = hashing.py_tails_match  # type: ignore[attr-defined]
IMPLEMENTATIONS = [pytest.param(PY, id="hashlib"), pytest.param(hashing, id="in-use")]
if native is not None:
    IMPLEMENTATIONS.append(pytest.param(native, id="native"))

bodies_st = st.lists(st.binary(max_size=600), max_size=70)  # 16 and more: the lock is released
digests_st = st.lists(st.binary(min_size=32, max_size=32), max_size=70)
text_st = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)


def leaf(body: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + body).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_the_extension_is_the_one_in_use_when_built() -> None:
    assert hashing.NATIVE is (native is not None)
    if native is not None:
        assert hashing.leaf_hashes is native.leaf_hashes
        assert hashing.node_level is native.node_level


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_the_certificate_transparency_roots(impl: Any) -> None:
    for size in range(1, len(LEAVES) + 1):
        level = impl.leaf_hashes(LEAVES[:size])
        nodes = [level[i : i + 32] for i in range(0, len(level), 32)]
        # the root from complete levels and the odd right edges, as a compact range does
        while len(nodes) > 1:
            joined = impl.node_level(b"".join(nodes))
            parents = [joined[i : i + 32] for i in range(0, len(joined), 32)]
            nodes = parents + (nodes[-1:] if len(nodes) % 2 else [])
        assert nodes[0].hex() == ROOTS[size - 1]
        assert nodes[0] == mth(LEAVES[:size])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@given(bodies=bodies_st)
def test_leaf_hashes_are_hashlibs(impl: Any, bodies: list[bytes]) -> None:
    expected = b"".join(leaf(body) for body in bodies)
    assert impl.leaf_hashes(bodies) == expected
    assert impl.leaf_hashes(tuple(bodies)) == expected
    assert impl.leaf_hashes_joined(b"".join(bodies), [len(b) for b in bodies]) == expected
    assert expected == b"".join(hash_leaf(body) for body in bodies)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@given(digests=digests_st)
def test_a_level_is_hashlibs_pairs(impl: Any, digests: list[bytes]) -> None:
    expected = b"".join(node(digests[i], digests[i + 1]) for i in range(0, len(digests) - 1, 2))
    joined = b"".join(digests)
    assert impl.node_level(joined) == expected
    assert impl.node_level(bytearray(joined)) == expected
    assert impl.node_level(memoryview(joined)) == expected
    assert expected == b"".join(
        hash_children(digests[i], digests[i + 1]) for i in range(0, len(digests) - 1, 2)
    )


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_bad_input_is_refused_alike(impl: Any) -> None:
    with pytest.raises(ValueError, match="32-byte"):
        impl.node_level(bytes(33))
    with pytest.raises(TypeError):
        impl.leaf_hashes([b"a", "b"])
    with pytest.raises(TypeError):
        impl.leaf_hashes([b"a", bytearray(b"b")])
    with pytest.raises(TypeError):
        impl.leaf_hashes_joined(b"ab", [1, 1.0])
    with pytest.raises(ValueError, match="lengths"):
        impl.leaf_hashes_joined(b"abc", [1, 1])  # one byte left over
    with pytest.raises(ValueError, match="lengths"):
        impl.leaf_hashes_joined(b"abc", [2, 2])  # beyond the blob
    with pytest.raises(ValueError, match="lengths"):
        impl.leaf_hashes_joined(b"abc", [4, -1])
    with pytest.raises(ValueError, match="lengths"):
        impl.tails_match(0, b"abc", [1], "[]", "[]")


def body_with_tail(seq: int, subject: str, type_: str, head: bytes = b'{"payload":{}') -> bytes:
    return head + b',"seq":%d,"subject":%s,"type":%s,"v":1}' % (
        seq,
        orjson.dumps(subject),
        orjson.dumps(type_),
    )


@given(
    start=st.integers(0, 2**40),
    columns=st.lists(st.tuples(text_st, text_st, st.binary(max_size=20)), max_size=40),
    data=st.data(),
)
def test_tails_agree_with_hashlib_path_and_with_the_columns(
    start: int, columns: list[tuple[str, str, bytes]], data: st.DataObject
) -> None:
    subjects = [s for s, _, _ in columns]
    types = [t for _, t, _ in columns]
    bodies = [body_with_tail(start + i, s, t, head) for i, (s, t, head) in enumerate(columns)]
    # the columns as SQLite's json_group_array writes them (what verification reads)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT, y TEXT)")
    db.executemany(
        "INSERT INTO t VALUES (?, ?, ?)",
        list(zip(range(len(columns)), subjects, types, strict=True)),
    )
    got_s, got_t = db.execute("SELECT json_group_array(s), json_group_array(y) FROM t").fetchone()
    assert got_s.encode() == orjson.dumps(subjects)  # SQLite escapes as orjson does
    assert got_t.encode() == orjson.dumps(types)
    blob, lengths = b"".join(bodies), [len(b) for b in bodies]
    impls = [hashing.py_tails_match] + ([native.tails_match] if native is not None else [])
    for tails_match in impls:
        assert tails_match(start, blob, lengths, got_s, got_t.encode()) is True
    if not columns:
        return
    # one change anywhere in the tails, the columns or the seq: both paths see it
    at = data.draw(st.integers(0, len(columns) - 1))
    change = data.draw(st.sampled_from(["seq", "subject", "type", "byte", "cut"]))
    if change == "seq":
        bodies[at] = body_with_tail(start + at + 1, subjects[at], types[at], columns[at][2])
    elif change == "subject":
        subjects[at] = subjects[at] + "x"
    elif change == "type":
        types[at] = "x" + types[at]
    elif change == "byte":
        tail = len(body_with_tail(start + at, subjects[at], types[at], b""))
        k = data.draw(st.integers(1, tail))
        body = bytearray(bodies[at])
        body[-k] ^= data.draw(st.integers(1, 255))
        bodies[at] = bytes(body)
    else:
        bodies[at] = bodies[at][:-1]
    blob, lengths = b"".join(bodies), [len(b) for b in bodies]
    args = (start, blob, lengths, orjson.dumps(subjects).decode(), orjson.dumps(types))
    expected = hashing.py_tails_match(*args)
    assert expected is False
    for tails_match in impls:
        assert tails_match(*args) is expected


@pytest.mark.parametrize(
    ("subjects", "types"),
    [
        ("[1]", '["t"]'),  # a number where a subject should be
        ("[null]", '["t"]'),
        ('["s"]', '["t","u"]'),  # one more type than bodies
        ('["s"]', "[]"),
        ('["s"', '["t"]'),  # not JSON
        ('["s"]', '{"t":1}'),
    ],
)
def test_tails_of_anything_but_arrays_of_strings_do_not_match(subjects: str, types: str) -> None:
    body = body_with_tail(7, "s", "t")
    assert hashing.py_tails_match(7, body, [len(body)], '["s"]', '["t"]') is True
    impls: list[Callable[..., bool]] = [hashing.py_tails_match]
    if native is not None:
        impls.append(native.tails_match)
        assert native.tails_match(7, body, [len(body)], '["s"]', '["t"]') is True
    for tails_match in impls:
        assert tails_match(7, body, [len(body)], subjects, types) is False


@pytest.mark.skipif(native is None, reason="the hashing extension is not built here")
@pytest.mark.parametrize(
    "subjects",
    ['["\\u0073"]', '["s"] ', '[ "s"]'],  # "s" as SQLite never writes it: the slow path decides
)
def test_the_extension_reads_the_arrays_only_as_sqlite_writes_them(subjects: str) -> None:
    body = body_with_tail(7, "s", "t")
    assert hashing.py_tails_match(7, body, [len(body)], subjects, '["t"]') is True
    assert native is not None
    assert native.tails_match(7, body, [len(body)], subjects, '["t"]') is False


@pytest.mark.skipif(native is None, reason="the hashing extension is not built here")
def test_invalid_utf8_in_a_column_never_matches_natively() -> None:
    body = b'{"x":1,"seq":0,"subject":"\xff","type":"t","v":1}'
    assert native is not None
    assert native.tails_match(0, body, [len(body)], b'["\xff"]', b'["t"]') is False
    surrogate = b'{"x":1,"seq":0,"subject":"\xed\xa0\x80","type":"t","v":1}'
    assert (
        native.tails_match(0, surrogate, [len(surrogate)], b'["\xed\xa0\x80"]', b'["t"]') is False
    )
    good = '{"x":1,"seq":0,"subject":"Қ😀","type":"t","v":1}'.encode()
    assert native.tails_match(0, good, [len(good)], '["Қ😀"]', '["t"]') is True


@pytest.mark.skipif(native is None, reason="the hashing extension is not built here")
def test_threads_hashing_at_once_get_their_own_results() -> None:
    work = [[bytes([k]) * (50 + i % 300) for i in range(5000)] for k in range(4)]
    expected = [hashing.py_leaf_hashes(bodies) for bodies in work]
    got: list[bytes] = [b""] * len(work)

    def run(k: int) -> None:
        for _ in range(5):
            got[k] = hashing.leaf_hashes(work[k])
            assert hashing.node_level(got[k]) == hashing.py_node_level(expected[k])

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == expected


def test_split_is_the_inverse_of_join() -> None:
    bodies = [b"", b"a", b"\x00bc", b"", b"def"]
    assert hashing.split(b"".join(bodies), [len(b) for b in bodies]) == bodies
    assert hashing.split(b"", []) == []


def unpack(index: bytes, subjects: bytes, types: bytes, bodies: bytes) -> list[tuple[Any, ...]]:
    """The rows a packed batch holds, read back by its index as the SQL statement does."""
    rows = []
    for at in range(0, len(index), 60):
        n = [int(index[at + k : at + k + 10]) for k in range(0, 60, 10)]
        rows.append(
            (
                subjects[n[0] : n[0] + n[1]].decode(),
                types[n[2] : n[2] + n[3]].decode(),
                bodies[n[4] : n[4] + n[5]],
            )
        )
    return rows


no_nul_st = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1
)


@pytest.mark.skipif(native is None, reason="the hashing extension is not built here")
@given(rows=st.lists(st.tuples(no_nul_st, no_nul_st, st.binary()), max_size=40))
@example(rows=[("s", "t", b"")] * 2 + [("s", "t", b"x")])
def test_packed_rows_hold_the_columns_and_sqlite_inserts_them(
    rows: list[tuple[str, str, bytes]],
) -> None:
    from adaldyq.ledger import sql

    assert native is not None
    subjects, types, bodies = ([r[c] for r in rows] for c in range(3))
    packed = native.pack_rows(subjects, types, bodies)
    if rows and not b"".join(bodies):
        assert packed is None  # an empty blob would be bound as NULL: the rows are bound instead
        return
    assert packed is not None
    assert unpack(*packed) == rows
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE ledger_entries (seq INTEGER PRIMARY KEY, subject TEXT, type TEXT, "
        "body BLOB, hash BLOB)"
    )
    leaves = hashing.leaf_hashes(bodies)
    db.execute(sql._ENTRIES_FROM_INDEX, (7, leaves, len(rows), *packed))
    stored = db.execute(
        "SELECT seq, subject, type, body, hash, typeof(subject), typeof(body) FROM ledger_entries"
    ).fetchall()
    assert stored == [
        (7 + i, s, t, b, leaves[32 * i : 32 * i + 32], "text", "blob")
        for i, (s, t, b) in enumerate(rows)
    ]


@pytest.mark.skipif(native is None, reason="the hashing extension is not built here")
def test_rows_that_cannot_be_packed_are_left_to_the_caller() -> None:
    assert native is not None
    assert native.pack_rows(["a\x00b"], ["t"], [b"x"]) is None  # NUL: SQLite's text would end
    assert native.pack_rows(["a"], ["\ud800"], [b"x"]) is None  # a lone surrogate is not UTF-8
    assert native.pack_rows(["a"], ["t"], [bytearray(b"x")]) is None
    assert native.pack_rows([1], ["t"], [b"x"]) is None  # type: ignore[list-item]
    assert native.pack_rows([], [], []) == (b"", b"", b"", b"")
    assert native.pack_rows(["a", "b"], ["t", "u"], [b"", b""]) is None  # bound as NULL
    with pytest.raises(ValueError, match="one length"):
        native.pack_rows(["a"], ["t", "u"], [b"x"])
