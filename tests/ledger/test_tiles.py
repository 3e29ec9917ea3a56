"""The ledger as C2SP tlog-tiles (issue 21): the spec's layout, a mirror that verifies on its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adaldyq.ledger import Ledger, Signer
from adaldyq.ledger.errors import LedgerError
from adaldyq.ledger.tiles import (
    TileError,
    _tiles_of,
    export_tiles,
    parse_tile_path,
    tile_bytes,
    tile_path,
    verify_tiles,
)
from tests.ledger.conftest import draft


def test_paths_are_the_specs() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 0, 17) == "tile/1/000.p/17"
    assert tile_path("entries", 5, 112) == "tile/entries/005.p/112"
    assert parse_tile_path("tile/0/x001/x234/067") == (0, 1234067, 256)
    assert parse_tile_path("tile/entries/005.p/112") == (None, 5, 112)


@pytest.mark.parametrize(
    "bad",
    ["tile/0/1", "tile/00/000", "tile/64/000", "tile/0/x1/000", "tile/0/000.p/0", "tile/0/000.p/256",
     "tile/0/000.p/07", "tile/x/000", "tiles/0/000", "tile/0/x000/001", "tile/0/" + "x000/" * 8 + "001"],
)  # fmt: skip
def test_malformed_paths_are_refused(bad: str) -> None:
    with pytest.raises(TileError):
        parse_tile_path(bad)


def test_the_specs_example_tree_of_70000_entries() -> None:
    tiles = _tiles_of(70_000)
    assert [t for t in tiles if t[0] == 0 and t[2] == 256] == [(0, i, 256) for i in range(273)]
    assert (0, 273, 112) in tiles
    assert [t for t in tiles if t[0] > 0] == [(1, 0, 256), (1, 1, 17), (2, 0, 1)]
    assert [t for t in _tiles_of(256) if t[0] == 1] == [(1, 0, 1)]


@pytest.fixture
def grown(ledger: Ledger, signer: Signer) -> Ledger:
    ledger.append_many([draft(n, subject=f"P-{n % 7:04d}") for n in range(600)])
    ledger.sign_checkpoint(signer)
    return ledger


def test_an_exported_folder_and_a_copy_of_it_verify_with_only_the_public_key(
    grown: Ledger, signer: Signer, tmp_path: Path
) -> None:
    with grown.reading() as cursor:
        size = export_tiles(cursor, tmp_path / "tiles")
    assert size == 600
    names = {
        p.relative_to(tmp_path / "tiles").as_posix()
        for p in (tmp_path / "tiles").rglob("*")
        if p.is_file()
    }
    assert names == {"checkpoint", "tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/1/000.p/2",
                     "tile/entries/000", "tile/entries/001", "tile/entries/002.p/88"}  # fmt: skip
    assert len((tmp_path / "tiles/tile/0/000").read_bytes()) == 8192
    shutil.copytree(tmp_path / "tiles", tmp_path / "mirror")
    head = verify_tiles(tmp_path / "mirror", [signer.verifier])
    with grown.reading() as cursor:
        from adaldyq.ledger import sql

        assert (head.size, head.root) == (600, sql.read_root(cursor, 600))


def test_a_changed_entry_or_hash_in_the_mirror_is_named(
    grown: Ledger, signer: Signer, tmp_path: Path
) -> None:
    with grown.reading() as cursor:
        export_tiles(cursor, tmp_path / "tiles")
    bundle = tmp_path / "tiles/tile/entries/001"
    data = bundle.read_bytes()
    bundle.write_bytes(data.replace(b'"n":300', b'"n":301', 1))
    with pytest.raises(TileError, match="entry 300 does not hash to tile/0/001"):
        verify_tiles(tmp_path / "tiles", [signer.verifier])
    bundle.write_bytes(data)
    tile = tmp_path / "tiles/tile/1/000.p/2"
    tile.write_bytes(bytes(32) + tile.read_bytes()[32:])
    with pytest.raises(TileError, match=r"tile/1/000\.p/2 does not match"):
        verify_tiles(tmp_path / "tiles", [signer.verifier])
    with pytest.raises(LedgerError):
        verify_tiles(tmp_path / "tiles", [Signer.generate("adaldyq.test/ledger").verifier])


def test_only_the_partial_tile_of_a_signed_size_is_served(grown: Ledger) -> None:
    with grown.reading() as cursor:
        assert len(tile_bytes(cursor, "tile/0/002.p/88", 600)) == 88 * 32
        assert len(tile_bytes(cursor, "tile/0/002.p/87", 600)) == 87 * 32  # an older tree's
        with pytest.raises(TileError):
            tile_bytes(cursor, "tile/0/002.p/89", 600)
        with pytest.raises(TileError):
            tile_bytes(cursor, "tile/0/001.p/5", 600)  # tile 1 is full: no partial of it
        with pytest.raises(TileError):
            tile_bytes(cursor, "tile/0/002", 600)  # not full yet
        bundle = tile_bytes(cursor, "tile/entries/000", 600)
        assert bundle[:2] == len(bundle[2 : 2 + int.from_bytes(bundle[:2], "big")]).to_bytes(
            2, "big"
        )


def test_a_witness_follows_the_log_through_its_tiles_and_alarms_on_a_rewrite(
    grown: Ledger, signer: Signer, tmp_path: Path
) -> None:
    from adaldyq.ledger import sql
    from adaldyq.ledger.merkle import verify_consistency
    from adaldyq.ledger.tiles import TilesSource
    from adaldyq.ledger.witness import Witness
    from tests.ledger.test_tamper import Attacker

    with grown.reading() as cursor:
        export_tiles(cursor, tmp_path / "v1")
    (tmp_path / "v1" / "keys.txt").write_text(signer.verifier.encode() + "\n")
    witness = Witness(tmp_path / "witness")
    assert witness.update(TilesSource(tmp_path / "v1")).new_size == 600

    grown.append_many([draft(n) for n in range(600, 1100)])
    grown.sign_checkpoint(signer)
    with grown.reading() as cursor:
        export_tiles(cursor, tmp_path / "v1")  # the same folder grows; full tiles stay as they were
        stored = sql.read_consistency_proof(cursor, 600, 1100)
        old_root, new_root = sql.read_root(cursor, 600), sql.read_root(cursor, 1100)
    source = TilesSource(tmp_path / "v1")
    assert source.consistency_proof(600, 1100) == stored
    verify_consistency(600, 1100, old_root, new_root, stored)
    assert witness.update(source).new_size == 1100

    attacker = Attacker(grown)
    with grown.transaction() as cursor:
        attacker.truncate_from(cursor, 300)
        attacker.run(cursor, "DELETE FROM ledger_checkpoints")
    grown.append_many([draft(n + 7000) for n in range(300, 1200)])
    grown.sign_checkpoint(signer)  # re-signed with the real key
    with grown.reading() as cursor:
        export_tiles(cursor, tmp_path / "v2")
    with pytest.raises(LedgerError, match="ALARM"):
        witness.update(TilesSource(tmp_path / "v2"))
