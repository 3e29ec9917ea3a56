"""The tree stored as tiles (ADR 0046): the same roots and proofs as the reference computation, and
the conversion of a ledger that kept one row per node."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaldyq.ledger import Ledger, Signer, StoreError, StoreSource, sql, verify_source
from adaldyq.ledger.merkle import (
    CompactRange,
    complete_levels,
    consistency_path,
    hash_leaf,
    inclusion_path,
    root_from_leaf_hashes,
    root_from_nodes,
)
from adaldyq.ledger.migrate import convert_to_tiles, keeps_node_rows
from adaldyq.ledger.tiles import export_tiles, tile_bytes
from adaldyq.ledger.tree import grow, node_of
from tests.ledger.conftest import draft, expected_tiles, stored_tiles
from tests.pgserver import new_schema

Fresh = Callable[[], AbstractContextManager[str]]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Fresh:
    """Makes a new, empty database for each example of a property test."""
    if request.param == "sqlite":

        @contextlib.contextmanager
        def sqlite() -> Iterator[str]:
            yield f"sqlite:///{tmp_path_factory.mktemp('tiles') / 'ledger.sqlite3'}"

        return sqlite
    postgres = request.getfixturevalue("ledger_postgres")
    return lambda: new_schema(postgres)


def _leaf(i: int) -> bytes:
    return hashlib.sha256(i.to_bytes(8, "big")).digest()


def _reader(levels: list[list[bytes]]) -> Callable[[int, int], bytes]:
    return lambda level, index: levels[level][index]


@settings(max_examples=10, deadline=None)
@given(
    start=st.sampled_from([0, 1, 255, 256, 257, 65_279, 65_535, 65_536, 65_790]),
    batches=st.lists(st.integers(1, 700), min_size=1, max_size=6),
    data=st.data(),
)
def test_tiles_grown_batch_by_batch_give_the_reference_roots_and_proofs(
    start: int, batches: list[int], data: st.DataObject
) -> None:
    """Without a database: sizes on both sides of the tile boundaries of levels 0 and 1."""
    leaves = [_leaf(i) for i in range(start + sum(batches))]
    full: dict[tuple[int, int], bytes] = {}
    edge: dict[int, bytes] = {}
    size = 0
    for count in [start, *batches]:
        tiles, edge = grow(size, edge, b"".join(leaves[size : size + count]))
        assert all((level, index) not in full for level, index, _ in tiles)  # written once
        full.update({(level, index): hashes for level, index, hashes in tiles})
        size += count
    want = expected_tiles(leaves)
    assert sorted((*key, hashes) for key, hashes in full.items()) == want[0]
    assert edge == {level: hashes for level, (_, hashes) in want[1].items()}

    def node(level: int, index: int) -> bytes:
        tile_level, rest = divmod(level, 8)
        key = (tile_level, (index << rest) // 256)
        digest = node_of(level, index, full.get(key, edge[tile_level]))
        assert digest is not None
        return digest

    levels = complete_levels(leaves)
    old = data.draw(st.integers(1, size))
    seq = data.draw(st.integers(0, size - 1))
    assert root_from_nodes(old, node) == root_from_leaf_hashes(leaves[:old])
    assert inclusion_path(seq, size, node) == inclusion_path(seq, size, _reader(levels))
    assert consistency_path(old, size, node) == consistency_path(old, size, _reader(levels))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(st.tuples(st.integers(1, 300), st.booleans()), min_size=1, max_size=6),
    data=st.data(),
)
def test_the_tiled_store_gives_the_reference_roots_and_proofs(
    fresh: Fresh, batches: list[tuple[int, bool]], data: st.DataObject
) -> None:
    """Appends and bulk imports of random sizes across the boundaries of level-0 tiles."""
    with fresh() as url, Ledger.open(url) as ledger:
        done = 0
        for count, bulk in batches:
            drafts = [draft(n) for n in range(done, done + count)]
            if bulk:
                with ledger.bulk() as add:
                    add(drafts)
            else:
                ledger.append_many(drafts)
            done += count
        leaves = [hash_leaf(e.body) for e in ledger.entries()]
        with ledger.reading() as cursor:
            assert stored_tiles(cursor) == expected_tiles(leaves)
        levels = complete_levels(leaves)
        for _ in range(3):
            old = data.draw(st.integers(0, done))
            seq = data.draw(st.integers(0, done - 1))
            assert ledger.root(old) == root_from_leaf_hashes(leaves[:old])
            proof = ledger.inclusion_proof(seq, done)
            assert list(proof.path) == inclusion_path(seq, done, _reader(levels))
            proof.verify()
            consistency = ledger.consistency_proof(old, done)
            assert list(consistency.path) == consistency_path(old, done, _reader(levels))
            consistency.verify()


def test_concurrent_appenders_take_turns_and_the_tiles_stay_whole(
    ledger_url: str, signer: Signer
) -> None:
    """Four connections append at once: the head row's lock orders them, so one sequence and one
    set of tiles come out, as the reference computes them from the entries."""
    Ledger.open(ledger_url).close()
    errors: list[BaseException] = []

    def append(k: int) -> None:
        try:
            with Ledger.open(ledger_url) as ledger:
                for n in range(25):
                    ledger.append_many([draft(1000 * k + 10 * n + i) for i in range(1 + n % 7)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Ledger.open(ledger_url) as ledger:
        entries = ledger.entries()
        assert [e.seq for e in entries] == list(range(ledger.size()))
        assert ledger.size() == 4 * sum(1 + n % 7 for n in range(25))
        with ledger.reading() as cursor:
            assert stored_tiles(cursor) == expected_tiles([hash_leaf(e.body) for e in entries])
        ledger.sign_checkpoint(signer)
        with ledger.reading() as cursor:
            assert verify_source(StoreSource(cursor), signer.verifier).ok


def test_a_stored_full_tile_is_served_and_exported_as_it_is_stored(
    ledger: Ledger, signer: Signer, tmp_path: Path
) -> None:
    ledger.append_many([draft(n) for n in range(600)])
    ledger.sign_checkpoint(signer)
    with ledger.reading() as cursor:
        full, edge = stored_tiles(cursor)
        assert [(level, index) for level, index, _ in full] == [(0, 0), (0, 1)]
        assert tile_bytes(cursor, "tile/0/001", 600) == full[1][2]
        assert tile_bytes(cursor, "tile/0/002.p/88", 600) == edge[0][1]
        export_tiles(cursor, tmp_path)
    assert (tmp_path / "tile/0/001").read_bytes() == full[1][2]
    assert (tmp_path / "tile/1/000.p/2").read_bytes() == edge[1][1]


# A ledger as it was written before ADR 0046: the same entries, the tree as one row per node.


def as_node_rows(cursor: Any, dialect: str, leaves: list[bytes]) -> None:
    """Turn a tiled ledger of these leaves into the layout of the node rows (every complete node
    above the leaves), with its append-only triggers, as `ensure_schema` made it before ADR 0046."""
    compact, nodes = CompactRange(), []
    for leaf in leaves:
        nodes.extend(compact.append(leaf))
    blob, big = ("BLOB", "INTEGER") if dialect == "sqlite" else ("BYTEA", "BIGINT")
    for table in ("ledger_tiles", "ledger_edge"):
        if dialect == "sqlite":
            for event in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
        cursor.execute(f"DROP TABLE {table}")
    cursor.execute(
        f"CREATE TABLE ledger_nodes (level {big} NOT NULL, idx {big} NOT NULL, "
        f"hash {blob} NOT NULL, PRIMARY KEY (level, idx))"
    )
    sql._many(cursor, "INSERT INTO ledger_nodes (level, idx, hash) VALUES (%s, %s, %s)", nodes)
    if dialect == "sqlite":
        cursor.execute(
            "CREATE TRIGGER ledger_nodes_no_delete BEFORE DELETE ON ledger_nodes "
            "BEGIN SELECT RAISE(ABORT, 'ledger_nodes is append-only'); END"
        )
    else:
        cursor.execute(
            "CREATE TRIGGER ledger_nodes_append_only BEFORE UPDATE OR DELETE ON ledger_nodes "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
        )


def _as_node_rows(ledger: Ledger) -> None:
    leaves = [hash_leaf(e.body) for e in ledger.entries()]
    with ledger.transaction() as cursor:
        as_node_rows(cursor, ledger.dialect, leaves)


@pytest.fixture
def node_rows(ledger_url: str, signer: Signer) -> Iterator[Ledger]:
    """A ledger of 70,000 entries and four signed checkpoints, its tree kept as node rows."""
    with Ledger.open(ledger_url) as ledger:
        for stop in (300, 5_000, 65_536, 70_000):
            with ledger.bulk() as add:
                add([draft(n) for n in range(ledger.size(), stop)])
            ledger.sign_checkpoint(signer)
        _as_node_rows(ledger)
    with (
        Ledger.open(ledger_url, create=False) as ledger,
        pytest.raises(StoreError, match="migrate-tiles"),
    ):
        ledger.append(draft(1))  # no tile tables yet
    with Ledger.open(ledger_url) as ledger:  # as most commands open it: the tile tables made
        yield ledger


def test_a_node_row_ledger_is_converted_verified_and_a_second_run_does_nothing(
    node_rows: Ledger, signer: Signer
) -> None:
    ledger = node_rows
    root = root_from_leaf_hashes(hash_leaf(e.body) for e in ledger.entries())
    with ledger.reading() as cursor:
        assert keeps_node_rows(cursor)
    with pytest.raises(StoreError, match="migrate-tiles"):
        ledger.append(draft(1))  # the tile tables are empty: appends refuse
    with ledger.transaction() as cursor:
        done = convert_to_tiles(cursor, ledger.dialect, [signer.verifier])
    assert done is not None
    assert (done.size, done.tiles, done.checkpoints, done.root) == (70_000, 273 + 1, 4, root)
    leaves = [hash_leaf(e.body) for e in ledger.entries()]
    with ledger.reading() as cursor:
        assert not keeps_node_rows(cursor)
        assert stored_tiles(cursor) == expected_tiles(leaves)
    with ledger.transaction() as cursor:
        assert convert_to_tiles(cursor, ledger.dialect, [signer.verifier]) is None
    ledger.append_many([draft(n) for n in range(70_000, 70_100)])
    ledger.sign_checkpoint(signer)
    with ledger.reading() as cursor:
        report = verify_source(StoreSource(cursor), signer.verifier)
    assert report.ok, report.faults
    assert report.checkpoints_checked == 5


def test_the_conversion_refuses_a_ledger_that_does_not_verify_and_keeps_its_rows(
    node_rows: Ledger, signer: Signer
) -> None:
    ledger = node_rows
    with (
        pytest.raises(StoreError, match="is not signed by a key in effect"),
        ledger.transaction() as cursor,
    ):
        convert_to_tiles(cursor, ledger.dialect, [Signer.generate("other/log").verifier])
    if ledger.dialect == "sqlite":
        drop = "DROP TRIGGER ledger_nodes_no_delete"
    else:
        drop = "DROP TRIGGER ledger_nodes_append_only ON ledger_nodes"
    with ledger.transaction() as cursor:  # one node of level 8 (what tile level 1 keeps) changed
        cursor.execute(drop)
        sql.execute(cursor, "DELETE FROM ledger_nodes WHERE level = 8 AND idx = 3")
        sql.execute(
            cursor, "INSERT INTO ledger_nodes (level, idx, hash) VALUES (8, 3, %s)", [bytes(32)]
        )
    with (
        pytest.raises(StoreError, match=r"^tree node \(8, 3\) over entries 768\.\.1023"),
        ledger.transaction() as cursor,
    ):
        convert_to_tiles(cursor, ledger.dialect, [signer.verifier])
    with ledger.reading() as cursor:
        assert keeps_node_rows(cursor)  # rolled back: the rows stay, no tile was kept
        assert stored_tiles(cursor) == ([], {})


def test_a_changed_full_tile_is_named_at_its_entry_and_a_tile_too_many_is_a_fault(
    ledger: Ledger, signer: Signer
) -> None:
    from tests.ledger.test_tamper import Attacker

    ledger.append_many([draft(n) for n in range(600)])
    ledger.sign_checkpoint(signer)
    attacker = Attacker(ledger)
    with ledger.reading() as cursor:
        ((tile,),) = attacker.run(
            cursor, "SELECT hashes FROM ledger_tiles WHERE level = 0 AND idx = 1"
        )
    tile = bytes(tile)
    changed = tile[: 5 * 32] + bytes(32) + tile[6 * 32 :]
    for statement, params, first, words in [
        (
            "UPDATE ledger_tiles SET hashes = %s WHERE level = 0 AND idx = 1",
            (changed,),
            261,
            "tile 0/1",
        ),
        (
            "INSERT INTO ledger_tiles (level, idx, hashes) VALUES (0, 7, %s)",
            (tile,),
            None,
            "256 extra",
        ),
    ]:
        cursor = ledger.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE" if ledger.dialect == "sqlite" else "BEGIN")
        try:
            attacker.run(cursor, statement, params)
            report = verify_source(StoreSource(cursor), signer.verifier)
        finally:
            cursor.execute("ROLLBACK")
        assert report.first is not None
        assert (report.first.seq, words in report.first.message) == (first, True), report.first
    with ledger.reading() as cursor:
        assert verify_source(StoreSource(cursor), signer.verifier).ok
