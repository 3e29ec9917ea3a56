"""RFC 9162 hashing of whole batches: leaf hashes and tree levels as joined 32-byte digests.

Import and verification hash millions of entries; one `hashlib` call costs more in Python's and
OpenSSL 3's per-call set-up than the hashing itself. When the compiled `_hashes` extension was
built (`setup.py`, with OpenSSL's headers), these functions hash a whole batch in one call to
OpenSSL's SHA-256 with Python's lock released; otherwise they do the same through `hashlib`. The
two give the same bytes (tested against each other on random input), so everything that uses
them behaves the same either way. ADR 0004, fourth amendment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

import orjson

__all__ = [
    "NATIVE",
    "leaf_hashes",
    "leaf_hashes_joined",
    "node_level",
    "split",
    "tails_match",
]

_sha256 = hashlib.sha256
_TAIL = b',"seq":%d,"subject":%b,"type":%b,"v":1}'


def py_leaf_hashes(bodies: Sequence[bytes]) -> bytes:
    """SHA-256(0x00 || body) of each body, joined (hashlib)."""
    for i, body in enumerate(bodies):
        if type(body) is not bytes:
            raise TypeError(f"body {i} is {type(body).__name__}, not bytes")
    sha256 = _sha256
    return b"".join([sha256(b"\x00" + body).digest() for body in bodies])


def split(blob: bytes, lengths: Sequence[int]) -> list[bytes]:
    """The pieces of `blob` of the given lengths, in order; ValueError unless they fill it exactly."""
    for length in lengths:
        if type(length) is not int:
            raise TypeError("lengths must be ints")
        if length < 0:
            raise ValueError("lengths do not fit the blob")
    ends = list(accumulate(lengths))
    if (ends[-1] if ends else 0) != len(blob):
        raise ValueError("lengths do not add up to the blob's size")
    view = memoryview(blob)
    return [bytes(view[end - length : end]) for end, length in zip(ends, lengths, strict=True)]


def py_leaf_hashes_joined(blob: bytes, lengths: Sequence[int]) -> bytes:
    """The leaf hashes of the bodies cut one after another out of `blob`, joined (hashlib)."""
    return py_leaf_hashes(split(blob, lengths))


def py_node_level(hashes: bytes) -> bytes:
    """SHA-256(0x01 || left || right) of each aligned pair of 32-byte hashes, joined (hashlib).

    An odd last hash has no sibling yet and makes no parent.
    """
    if len(hashes) % 32:
        raise ValueError("a level is a whole number of 32-byte hashes")
    sha256 = _sha256
    view = memoryview(hashes)
    return b"".join(
        [sha256(b"\x01" + view[i : i + 64]).digest() for i in range(0, len(hashes) - 63, 64)]
    )


def py_tails_match(
    start: int, blob: bytes, lengths: Sequence[int], subjects: str | bytes, types: str | bytes
) -> bool:
    """Whether body i (cut from `blob`) ends with `,"seq":start+i,"subject":S,"type":T,"v":1}`.

    S and T are the i-th elements of the JSON arrays `subjects` and `types` (SQLite's
    `json_group_array` of the indexed columns), written as orjson writes strings. False for
    anything that is not two arrays of strings as long as the bodies.
    """
    if start < 0:
        raise ValueError("start must not be negative")
    bodies = split(blob, lengths)
    try:
        subject_list: Any = orjson.loads(subjects)
        type_list: Any = orjson.loads(types)
    except orjson.JSONDecodeError:
        return False
    if not (isinstance(subject_list, list) and isinstance(type_list, list)):
        return False
    if len(subject_list) != len(bodies) or len(type_list) != len(bodies):
        return False
    if not all(type(v) is str for v in subject_list) or not all(type(v) is str for v in type_list):
        return False
    dumps = orjson.dumps
    try:
        tails = map(
            _TAIL.__mod__,
            zip(
                range(start, start + len(bodies)),
                map(dumps, subject_list),
                map(dumps, type_list),
                strict=True,
            ),
        )
        return all(map(bytes.endswith, bodies, tails))
    except TypeError:  # a lone surrogate: not UTF-8, not what the ledger writes
        return False


leaf_hashes: Callable[[Sequence[bytes]], bytes]
leaf_hashes_joined: Callable[[bytes, Sequence[int]], bytes]
node_level: Callable[[bytes], bytes]
tails_match: Callable[[int, bytes, Sequence[int], str | bytes, str | bytes], bool]
pack_rows: (
    Callable[[list[str], list[str], list[bytes]], tuple[bytes, bytes, bytes, bytes] | None] | None
)
"""A batch's entry columns joined with a 60-digit index a row (`sql.pack_rows`), or None when the
extension is not built (the batch then goes to SQLite as JSON)."""

try:
    from adaldyq.ledger import _hashes
except ImportError:  # not built (no compiler, no OpenSSL headers, or ADALDYQ_PURE_PYTHON=1)
    NATIVE = False
    leaf_hashes = py_leaf_hashes
    leaf_hashes_joined = py_leaf_hashes_joined
    node_level = py_node_level
    tails_match = py_tails_match
    pack_rows = None
else:
    NATIVE = True
    leaf_hashes = _hashes.leaf_hashes
    leaf_hashes_joined = _hashes.leaf_hashes_joined
    node_level = _hashes.node_level
    tails_match = _hashes.tails_match
    pack_rows = _hashes.pack_rows
