"""The Merkle tree kept as C2SP tlog-tiles: the arithmetic of full tiles and the right edge (ADR 0046).

A tile of tile level L and index N holds the hashes of tree level 8*L with indexes 256*N .. 256*N+255
(level 0: the entries' leaf hashes). The store keeps every full tile once, as one immutable blob of
256 * 32 bytes, and per tile level the one partial tile at the right edge (0 to 255 hashes), which
every append rewrites. Any complete node of the tree is the root of an aligned run of 2**r hashes
inside one tile (r = level mod 8), so a proof reads one tile per tile level and hashes inside it.

Nothing here touches a database: `grow` says what a batch of leaf hashes adds, `node_of` computes a
node from the tile holding it.
"""

from __future__ import annotations

from collections.abc import Iterable

from adaldyq.ledger import hashing
from adaldyq.ledger.merkle import NodeKey

__all__ = [
    "HEIGHT",
    "TILE",
    "WIDTH",
    "Edge",
    "edge_widths",
    "grow",
    "node_of",
    "tile_roots",
    "tiles_for",
]

WIDTH = 256
HEIGHT = 8  # log2(WIDTH): a tile is a subtree of height 8
TILE = 32 * WIDTH  # bytes of a full tile

Edge = dict[int, bytes]
"""The right edge of a tree: per tile level that has hashes, the partial tile's hashes (0-255), joined."""


def edge_widths(size: int) -> dict[int, tuple[int, int]]:
    """Per tile level that a tree of `size` entries has hashes at: (edge tile index, its width)."""
    widths = {}
    level = 0
    while (count := size >> (HEIGHT * level)) > 0:
        widths[level] = divmod(count, WIDTH)
        level += 1
    return widths


def tile_roots(joined: bytes) -> bytes:
    """The roots of consecutive full tiles (joined hashes, a multiple of 256), joined."""
    for _ in range(HEIGHT):
        joined = hashing.node_level(joined)
    return joined


def grow(size: int, edge: Edge, leaves: bytes) -> tuple[list[tuple[int, int, bytes]], Edge]:
    """What appending `leaves` (joined leaf hashes) to the tree of `size` entries stores.

    Returns the tiles the batch fills, as (tile level, index, 256 joined hashes), and the right edge
    of the grown tree: only its lowest levels change; the others are the same bytes as in `edge`.
    """
    full: list[tuple[int, int, bytes]] = []
    after = dict(edge)
    level, incoming = 0, leaves
    while incoming:
        count = size >> (HEIGHT * level)
        joined = edge.get(level, b"") + incoming
        done = len(joined) // TILE
        first = count // WIDTH
        full.extend((level, first + k, joined[k * TILE : (k + 1) * TILE]) for k in range(done))
        after[level] = joined[done * TILE :]
        incoming = tile_roots(joined[: done * TILE]) if done else b""
        level += 1
    return full, after


def tiles_for(keys: Iterable[NodeKey]) -> set[tuple[int, int]]:
    """The tiles (tile level, index) that hold the nodes `keys`."""
    found = set()
    for level, index in keys:
        tile_level, rest = divmod(level, HEIGHT)
        found.add((tile_level, (index << rest) // WIDTH))
    return found


def node_of(level: int, index: int, tile: bytes) -> bytes | None:
    """Node (level, index) from the hashes of the tile that holds it, or None if it lacks them."""
    rest = level % HEIGHT
    first = (index << rest) % WIDTH
    run = tile[32 * first : 32 * (first + (1 << rest))]
    if len(run) != 32 << rest:
        return None
    for _ in range(rest):
        run = hashing.node_level(run)
    return run
