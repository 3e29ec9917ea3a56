"""The ledger as C2SP tlog-tiles: hash tiles, entry bundles and the checkpoint (issue 21).

The layout of `../shared/specs/c2sp-tlog-tiles.md`, which is also how the database keeps the tree
(`ledger_tiles` and `ledger_edge`, ADR 0046): a hash tile is served as it is stored.

    checkpoint                      the newest signed checkpoint (C2SP tlog-checkpoint)
    tile/<L>/<N>[.p/<W>]            256 (or W) hashes of tree level 8*L, from index 256*N
    tile/entries/<N>[.p/<W>]        the entries of level-0 tile N, each a big-endian uint16 length
                                    and the entry's canonical bytes (RFC 9162 leaves hash them)

`export_tiles` writes every tile and bundle a client needs for the newest checkpoint into a folder that any
web server can serve; `verify_tiles` checks such a folder (or a mirror of it) with nothing but the folder
and the log's public key; `tile_bytes` serves one resource from the database (the web's `/ledger/...`).
Where we differ from the spec is named in ADR 0021 (entry bundles of personal files are not public).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Checkpoint, Verifier, open_note, split_note
from adaldyq.ledger.errors import LedgerError, ProofError
from adaldyq.ledger.merkle import CompactRange, hash_children, hash_leaf
from adaldyq.ledger.tree import HEIGHT, WIDTH

__all__ = [
    "WIDTH",
    "TileError",
    "TilesSource",
    "export_tiles",
    "is_tiles",
    "parse_tile_path",
    "tile_bytes",
    "tile_path",
    "verify_tiles",
]

MAX_ENTRY = 0xFFFF  # entry bundles prefix each entry with a uint16 length


class TileError(LedgerError):
    """A tile path that names no tile of this tree, or a tile folder that does not verify."""


def _index_path(index: int) -> str:
    parts = []
    while True:
        parts.append(f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    parts.reverse()
    return "/".join([f"x{p}" for p in parts[:-1]] + [parts[-1]])


def tile_path(level: int | str, index: int, width: int = WIDTH) -> str:
    """`tile/<L>/<N>[.p/<W>]`, or `tile/entries/<N>[.p/<W>]` for level "entries"."""
    suffix = "" if width == WIDTH else f".p/{width}"
    return f"tile/{level}/{_index_path(index)}{suffix}"


def parse_tile_path(path: str) -> tuple[int | None, int, int]:
    """(level or None for an entry bundle, index, width) of a tile path; TileError if malformed."""
    parts = path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise TileError(f"not a tile path: {path[:80]!r}")
    level: int | None
    if parts[1] == "entries":
        level = None
    elif parts[1].isdigit() and (parts[1] == "0" or not parts[1].startswith("0")):
        level = int(parts[1])
        if level > 63:
            raise TileError("a tile level is at most 63")
    else:
        raise TileError(f"not a tile level: {parts[1][:10]!r}")
    rest = parts[2:]
    width = WIDTH
    if len(rest) >= 2 and rest[-2].endswith(".p"):
        w = rest[-1]
        if not w.isdigit() or w.startswith("0") or not 1 <= int(w) <= 255:
            raise TileError("a partial tile's width is 1 to 255")
        width = int(w)
        rest = [*rest[:-2], rest[-2][:-2]]
    if not rest or len(rest) > 7:
        raise TileError("a tile index has 1 to 7 path elements")
    digits = []
    for k, element in enumerate(rest):
        last = k == len(rest) - 1
        body = element if last else element.removeprefix("x")
        if (not last and not element.startswith("x")) or len(body) != 3 or not body.isdigit():
            raise TileError(f"not a tile index element: {element[:10]!r}")
        digits.append(body)
    index = int("".join(digits))
    if len(rest) > 1 and digits[0] == "000":
        raise TileError("a tile index has no leading zero elements")
    return level, index, width


def tile_bytes(cursor: Any, path: str, size: int) -> bytes:
    """The resource at `path` for the tree of `size` entries: hash tile or entry bundle.

    A full tile is served for any tree that holds it; a partial one of width W when the tree holds its
    W hashes (the partial tile of an older checkpoint stays servable: it never changes)."""
    level, index, width = parse_tile_path(path)
    tree_level = 0 if level is None else HEIGHT * level
    count = size >> tree_level  # complete hashes that level has
    start = index * WIDTH
    if width == WIDTH:
        if start + WIDTH > count:
            raise TileError(f"no full tile {path} in a tree of {size} entries")
    elif start + width > count or start + WIDTH <= count:
        raise TileError(f"no partial tile {path} in a tree of {size} entries")
    if level is None:
        rows = sql.read_rows(cursor, start, start + width)
        return b"".join(_bundled(row[3]) for row in rows)
    hashes = sql.read_level_blob(cursor, tree_level, start, start + width)  # the stored tile
    if len(hashes) != 32 * width:
        raise TileError(f"the stored tree lacks hashes of tile {path}")
    return hashes


def _bundled(body: bytes) -> bytes:
    if len(body) > MAX_ENTRY:
        raise TileError(
            f"an entry of {len(body)} bytes does not fit an entry bundle's uint16 length"
        )
    return struct.pack(">H", len(body)) + body


def _tiles_of(size: int) -> list[tuple[int, int, int]]:
    """(tile level, index, width) of every hash tile a tree of `size` entries has."""
    tiles = []
    level = 0
    while True:
        count = size >> (HEIGHT * level)
        if count == 0:
            break
        for index in range(count // WIDTH):
            tiles.append((level, index, WIDTH))
        if count % WIDTH:
            tiles.append((level, count // WIDTH, count % WIDTH))
        level += 1
    return tiles


def _write(directory: Path, relative: str, data: bytes) -> None:
    target = directory / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def export_tiles(
    cursor: Any, directory: Path, *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the checkpoint, every hash tile and every entry bundle of the newest signed tree into
    `directory` (C2SP tlog-tiles); return that tree's size. Existing full tiles are immutable and kept."""
    note = sql.read_latest_checkpoint(cursor)
    if note is None:
        raise TileError("no signed checkpoint yet: sign one first (adaldyq ledger checkpoint)")
    size = Checkpoint.parse(split_note(note)[0]).size
    for level, index, width in _tiles_of(size):
        relative = tile_path(level, index, width)
        if width == WIDTH and (directory / relative).exists():
            continue
        _write(directory, relative, tile_bytes(cursor, relative, size))
        if level == 0:
            bundle = tile_path("entries", index, width)
            _write(directory, bundle, tile_bytes(cursor, bundle, size))
            if progress is not None:
                progress(width)
    _write(directory, "checkpoint", note.encode())
    return size


def _read_tile(directory: Path, relative: str, width: int) -> list[bytes]:
    data = (directory / relative).read_bytes()
    if len(data) != 32 * width:
        raise TileError(f"{relative}: {len(data)} bytes, not {32 * width}")
    return [data[i : i + 32] for i in range(0, len(data), 32)]


def _read_bundle(directory: Path, relative: str, width: int) -> list[bytes]:
    data = (directory / relative).read_bytes()
    entries, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise TileError(f"{relative}: cut inside a length")
        (length,) = struct.unpack_from(">H", data, at)
        entries.append(data[at + 2 : at + 2 + length])
        at += 2 + length
    if at != len(data) or len(entries) != width:
        raise TileError(f"{relative}: {len(entries)} entries, not {width}")
    return entries


def verify_tiles(
    directory: Path,
    verifiers: list[Verifier],
    *,
    progress: Callable[[int], None] | None = None,
) -> Checkpoint:
    """Check a tiles folder with nothing but the folder and the log's keys: the checkpoint's signature,
    every entry against its level-0 tile, every tile against the level above, the root against the
    checkpoint. Return the checkpoint; raise TileError (naming the first resource) otherwise."""
    try:
        note = (directory / "checkpoint").read_text()
    except FileNotFoundError:
        raise TileError(f"no checkpoint in {directory}") from None
    checkpoint, _ = open_note(note, verifiers)
    size = checkpoint.size
    compact = CompactRange()
    below: list[bytes] = []  # hashes of the level being read, to check against the level above
    for level in range(64):
        count = size >> (HEIGHT * level)
        if count == 0:
            break
        hashes: list[bytes] = []
        for index in range((count + WIDTH - 1) // WIDTH):
            width = min(WIDTH, count - index * WIDTH)
            relative = tile_path(level, index, width)
            try:
                tile = _read_tile(directory, relative, width)
            except FileNotFoundError:
                raise TileError(f"missing {relative}") from None
            if level == 0:
                bundle = tile_path("entries", index, width)
                try:
                    entries = _read_bundle(directory, bundle, width)
                except FileNotFoundError:
                    raise TileError(f"missing {bundle}") from None
                for k, entry in enumerate(entries):
                    if hash_leaf(entry) != tile[k]:
                        raise TileError(f"entry {index * WIDTH + k} does not hash to {relative}")
                    compact.append(tile[k])
                if progress is not None:
                    progress(width)
            hashes.extend(tile)
        if level > 0:
            for k, h in enumerate(hashes):
                if _subtree(below[k * WIDTH : (k + 1) * WIDTH]) != h:
                    raise TileError(f"{tile_path(level, k // WIDTH, min(WIDTH, count - k // WIDTH * WIDTH))} "
                                    f"does not match the tiles below it at hash {k % WIDTH}")  # fmt: skip
        below = hashes
    if compact.size != size or compact.root() != checkpoint.root:
        raise ProofError(f"the entries do not hash to the root signed for size {size}")
    return checkpoint


def _subtree(hashes: list[bytes]) -> bytes:
    """The root of a complete subtree of 256 hashes."""
    level = hashes
    while len(level) > 1:
        level = [hash_children(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def is_tiles(directory: Path) -> bool:
    """Whether `directory` holds a tlog-tiles layout (a checkpoint file and tile/)."""
    return (directory / "checkpoint").is_file() and (directory / "tile").is_dir()


class TilesSource:
    """A tiles folder (or a mirror of one) read as a witness's log source (`adaldyq.ledger.witness`)."""

    def __init__(self, directory: Path) -> None:
        if not (directory / "checkpoint").exists() or not (directory / "tile").is_dir():
            raise TileError(f"{directory} is not a tlog-tiles folder (no checkpoint and tile/)")
        self.directory = directory
        self._size = Checkpoint.parse(split_note(self.latest_checkpoint() or "")[0]).size
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def latest_checkpoint(self) -> str | None:
        """The folder's checkpoint."""
        return (self.directory / "checkpoint").read_text()

    def verifiers(self) -> list[Verifier]:
        """The keys shipped beside the tiles (keys.txt), oldest first; a witness pins the first."""
        path = self.directory / "keys.txt"
        if not path.exists():
            return []
        return [Verifier.decode(line) for line in path.read_text().splitlines() if line.strip()]

    def _tile(self, level: int, index: int) -> list[bytes]:
        key = (level, index)
        if key not in self._tiles:
            count = self._size >> (HEIGHT * level)
            width = min(WIDTH, count - index * WIDTH)
            if width <= 0:
                raise TileError(f"no tile {level}/{index} in a tree of {self._size} entries")
            self._tiles[key] = _read_tile(self.directory, tile_path(level, index, width), width)
        return self._tiles[key]

    def node(self, level: int, index: int) -> bytes:
        """The complete node (level, index) of the tree, from the tiles (RFC 9162 levels)."""
        tile_level, rest = divmod(level, HEIGHT)
        first = index << rest  # the first hash of tile level `tile_level` the node covers
        hashes = [
            self._tile(tile_level, i // WIDTH)[i % WIDTH] for i in range(first, first + (1 << rest))
        ]
        return _subtree(hashes)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """RFC 9162 consistency proof computed from the tiles."""
        from adaldyq.ledger.merkle import consistency_path

        if new_size != self._size:
            raise TileError(f"the folder holds the tree of {self._size} entries, not {new_size}")
        return consistency_path(old_size, new_size, self.node)

    def bodies(self, start: int, stop: int) -> list[bytes]:
        """Entries start..stop-1 from the entry bundles."""
        out: list[bytes] = []
        for index in range(start // WIDTH, (stop + WIDTH - 1) // WIDTH):
            width = min(WIDTH, self._size - index * WIDTH)
            bundle = _read_bundle(self.directory, tile_path("entries", index, width), width)
            lo = max(start, index * WIDTH) - index * WIDTH
            hi = min(stop, index * WIDTH + width) - index * WIDTH
            out.extend(bundle[lo:hi])
        return out
