"""The ledger in SQLite and PostgreSQL: append, read, prove, checkpoint, verify."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from adaldyq.ledger import (
    Draft,
    GroupCommitWriter,
    Ledger,
    MalformedEntryError,
    Signer,
    StoreError,
    StoreSource,
    append_entries,
    open_note,
    read_entries_by_subject,
    verify_source,
)
from adaldyq.ledger.merkle import hash_leaf, root_from_leaf_hashes
from adaldyq.ledger.sql import read_entries_of_types
from tests.ledger.conftest import OFFICER, draft, expected_tiles, stored_tiles


def verify(ledger: Ledger, signer: Signer):
    with ledger.reading() as cursor:
        return verify_source(StoreSource(cursor), signer.verifier)


def test_appends_get_one_gap_free_sequence_and_the_tree_matches_a_recomputation(
    ledger: Ledger,
) -> None:
    entries = [ledger.append(draft(0)), *ledger.append_many([draft(n) for n in range(1, 37)])]

    assert [e.seq for e in entries] == list(range(37))
    assert ledger.size() == 37
    assert ledger.root() == root_from_leaf_hashes([hash_leaf(e.body) for e in entries])
    assert ledger.root(5) == root_from_leaf_hashes([hash_leaf(e.body) for e in entries[:5]])


def test_entries_read_back_equal_what_was_appended(ledger: Ledger) -> None:
    appended = ledger.append_many([draft(n) for n in range(20)])

    assert ledger.entries() == appended
    assert ledger.entries(3, 5) == appended[3:5]
    assert ledger.entry(7) == appended[7]
    assert ledger.entries_by_subject("P-0002") == [e for e in appended if e.subject == "P-0002"]
    assert appended[0].recorded_at.endswith("Z")


def test_every_inclusion_and_consistency_proof_verifies(ledger: Ledger) -> None:
    ledger.append_many([draft(n) for n in range(21)])

    for seq in range(21):
        ledger.inclusion_proof(seq).verify()
        ledger.inclusion_proof(seq, 21 if seq > 15 else 16).verify()
    for old in range(22):
        ledger.consistency_proof(old).verify()


def test_a_correction_is_a_new_entry_that_points_at_the_old_one(ledger: Ledger) -> None:
    wrong = ledger.append(draft(1))

    fixed = ledger.append(
        Draft(OFFICER, wrong.subject, "incentive", {"n": 2}, corrects=wrong.seq, reason="typo")
    )

    assert ledger.entry(wrong.seq) == wrong
    assert fixed.draft.corrects == wrong.seq
    with pytest.raises(MalformedEntryError):
        ledger.append(Draft(OFFICER, "P-1", "incentive", {}, corrects=99, reason="future"))


def test_stored_rows_cannot_be_updated_or_deleted(ledger: Ledger) -> None:
    ledger.append(draft(1))

    for statement in ("UPDATE ledger_entries SET subject = 'x'", "DELETE FROM ledger_entries"):
        with pytest.raises(Exception, match="append-only"), ledger.transaction() as cursor:
            cursor.execute(statement)
    assert ledger.size() == 1


def test_a_signed_checkpoint_opens_with_the_key_and_verify_passes(
    ledger: Ledger, signer: Signer
) -> None:
    ledger.append_many([draft(n) for n in range(10)])

    note = ledger.sign_checkpoint(signer)
    ledger.append(draft(11))
    ledger.sign_checkpoint(signer)

    checkpoint, _ = open_note(note, [signer.verifier])
    assert (checkpoint.size, checkpoint.root) == (10, ledger.root(10))
    report = verify(ledger, signer)
    assert report.ok, report.faults
    assert (report.size, report.checkpoints_checked) == (11, 2)


def test_the_callers_transaction_holds_the_entry_until_it_commits(ledger: Ledger) -> None:
    def write_then_fail() -> None:
        with ledger.transaction() as cursor:
            append_entries(cursor, [draft(1)])
            raise RuntimeError("the read model failed")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert ledger.size() == 0

    with ledger.transaction() as cursor:
        append_entries(cursor, [draft(2)])
        assert [e.payload["n"] for e in read_entries_by_subject(cursor, "P-0002")] == [2]
    assert ledger.size() == 1


def test_a_subjects_entries_can_be_read_without_some_types_and_in_order(ledger: Ledger) -> None:
    with ledger.transaction() as cursor:
        append_entries(
            cursor,
            [
                draft(1, "P-1"),
                draft(2, "P-1", "file_opened"),
                draft(3, "P-2"),
                draft(4, "P-1", "note_written"),
                draft(5, "P-1", "penalty"),
            ],
        )
        every = read_entries_by_subject(cursor, "P-1")
        facts = read_entries_by_subject(cursor, "P-1", except_types=["file_opened", "note_written"])

    assert [e.payload["n"] for e in every] == [1, 2, 4, 5]
    assert [(e.payload["n"], e.type) for e in facts] == [(1, "incentive"), (5, "penalty")]


def test_group_commit_shares_commits_between_threads(ledger_url: str, signer: Signer) -> None:
    seqs: list[int] = []
    with GroupCommitWriter(ledger_url) as writer:

        def client(k: int) -> None:
            for n in range(25):
                seqs.append(writer.append(draft(k * 100 + n)).seq)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        batches = writer.batches

    assert sorted(seqs) == list(range(200))
    assert batches < 200
    with Ledger.open(ledger_url) as ledger:
        assert verify(ledger, signer).ok


def test_a_url_that_is_not_a_database_is_refused() -> None:
    with pytest.raises(StoreError, match="DATABASE_URL"):
        Ledger.open("mysql://nowhere")


def test_a_bulk_import_equals_entry_by_entry_appends_and_rebuilds_the_indexes(
    ledger: Ledger, signer: Signer
) -> None:
    sizes = [1, 1100, 3, 1500, 1, 17]  # batches over 1,000 go through COPY on PostgreSQL
    with ledger.bulk() as add:
        done = 0
        for size in sizes:
            first, count = add([draft(n) for n in range(done, done + size)])
            assert (first, count) == (done, size)
            done += size
    entries = ledger.entries()
    assert [e.payload["n"] for e in entries] == list(range(done))
    assert ledger.root() == root_from_leaf_hashes([hash_leaf(e.body) for e in entries])
    for old in (0, 1, 2, 1101, 1104, 2604, done):
        ledger.consistency_proof(old).verify()
    for seq in (0, 1, 1100, 2603, done - 1):
        ledger.inclusion_proof(seq).verify()
    assert ledger.entries_by_subject("P-0003") == [e for e in entries if e.subject == "P-0003"]
    with ledger.reading() as cursor:
        if ledger.dialect == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'ledger_entries_by_%'")
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ledger_entries_by_%'"
            )
        assert sorted(r[0] for r in cursor.fetchall()) == [
            "ledger_entries_by_subject",
            "ledger_entries_by_type",  # ADR 0047
        ]
        assert [e.seq for e in read_entries_of_types(cursor, 0, done, ["incentive"])] == list(
            range(done)
        )
    assert verify(ledger, signer).ok


def test_batches_of_any_size_build_the_same_tree_as_single_appends(
    ledger_url: str, hash_path: str
) -> None:
    import random

    rng = random.Random(11)
    with Ledger.open(ledger_url) as ledger:
        done = 0
        while done < 300:
            size = rng.choice([1, 2, 3, 5, 8, 13, 31, 64])
            ledger.append_many([draft(n) for n in range(done, done + size)])
            done += size
        with ledger.reading() as cursor:
            stored = stored_tiles(cursor)
        leaves = [hash_leaf(e.body) for e in ledger.entries()]
    assert stored == expected_tiles(leaves)
    assert stored[1][1][1] != b""  # the level-1 edge: the roots of the full tiles of level 0


def test_a_bulk_import_stays_gap_free_when_another_writer_appends_between_batches(
    ledger_url: str, signer: Signer, hash_path: str
) -> None:
    with Ledger.open(ledger_url) as ledger, Ledger.open(ledger_url) as other:
        firsts = []
        with ledger.bulk() as add:
            for n in range(4):
                firsts.append(add([draft(1000 * n + k) for k in range(100)]))
                if n < 2:
                    other.append_many([draft(-1 - n)] * 3)  # lands between two batches
        assert firsts == [(0, 100), (103, 100), (206, 100), (306, 100)]
        entries = ledger.entries()
        assert [e.seq for e in entries] == list(range(406))
        assert [e.payload["n"] for e in entries[100:103]] == [-1, -1, -1]
        with ledger.reading() as cursor:
            assert stored_tiles(cursor) == expected_tiles([hash_leaf(e.body) for e in entries])
        assert verify(ledger, signer).ok


def test_bulk_bodies_are_the_canonical_bytes_of_any_draft(
    ledger: Ledger, signer: Signer, hash_path: str
) -> None:
    from adaldyq.ledger import Actor
    from adaldyq.ledger.entry import make_entry

    other = Actor('officer "9" ü', "order\n7")
    odd = ["P-\u2028", 'a"b\\c\n\t\x7f', "😀 Қазақ", "P-1"]
    if ledger.dialect == "sqlite":  # PostgreSQL's text holds no NUL
        odd.append("x\x00y")
    drafts = [
        Draft(
            other if n % 3 else OFFICER,
            odd[n % (4 if n < 70 else len(odd))],  # the first batch goes through SQLite's JSON
            odd[(n + 1) % 4],
            {"z": [1, {"b": None, "a": "ü"}], "a": n, "f": 1.5},
            schema=1 + n % 2,
        )
        for n in range(150)
    ]
    drafts.append(Draft(OFFICER, "P-1", "incentive", {"n": 1}, corrects=3, reason="typo"))
    with ledger.bulk() as add:
        add(drafts[:70])
        add(drafts[70:])
    entries = ledger.entries()
    for entry, given in zip(entries, drafts, strict=True):
        assert entry.body == make_entry(entry.seq, entry.recorded_at, given).body
        assert entry.draft == given
    for subject in odd:
        assert ledger.entries_by_subject(subject) == [e for e in entries if e.subject == subject]
    assert verify(ledger, signer).ok


def test_an_error_while_a_batch_is_stored_is_raised_and_loses_only_that_batch(
    ledger_url: str, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adaldyq.ledger import sql

    real, calls = sql.write_batch, []

    def failing(cursor: object, batch: sql.Batch) -> None:
        calls.append(batch.size)
        if len(calls) == 2:
            raise StoreError("disk full")
        real(cursor, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(sql, "write_batch", failing)

    def run(ledger: Ledger) -> None:
        with ledger.bulk() as add:
            assert add([draft(n) for n in range(100)]) == (0, 100)
            add([draft(n) for n in range(100, 200)])  # may return before the batch is stored
            add([draft(n) for n in range(200, 300)])

    with Ledger.open(ledger_url) as ledger:
        with pytest.raises(StoreError, match="disk full"):
            run(ledger)
        monkeypatch.setattr(sql, "write_batch", real)
        assert ledger.size() == 100
        assert [e.payload["n"] for e in ledger.entries()] == list(range(100))
        assert ledger.entries_by_subject("P-0003") == [
            e for e in ledger.entries() if e.subject == "P-0003"
        ]
        assert verify(ledger, signer).ok


def test_a_bulk_import_checkpoints_in_a_thread_and_the_wal_starts_again(
    tmp_path: Path, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from adaldyq.ledger import store

    checkpoint = store._Checkpointer._checkpoint
    checkpoints = []

    def slow_checkpoint(self: store._Checkpointer) -> None:  # never done before the next batch
        time.sleep(0.05)
        checkpoint(self)
        checkpoints.append(threading.current_thread().name)

    monkeypatch.setattr(store._Checkpointer, "_checkpoint", slow_checkpoint)
    monkeypatch.setattr(store._Checkpointer, "RESTART_ROWS", 300)
    path = tmp_path / "ledger.sqlite3"
    wal = tmp_path / "ledger.sqlite3-wal"
    salts = set()
    with Ledger.open(f"sqlite:///{path}") as ledger:
        with ledger.bulk() as add:
            for n in range(20):
                add([draft(100 * n + k) for k in range(100)])
                salts.add(wal.read_bytes()[16:24])  # the WAL header's salts change on each restart
        assert ledger.size() == 2000
        assert verify(ledger, signer).ok
        pages = ledger.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        assert pages == 1000  # the default again after the import
    assert 5 <= len(salts) <= 9  # restarted about every 3 batches (300 rows), not after each one
    assert checkpoints
    assert set(checkpoints) == {"ledger-checkpointer"}
    assert not [t for t in threading.enumerate() if t.name == "ledger-checkpointer"]


def test_sign_if_grown_signs_a_tree_once_and_again_only_after_it_grew(
    ledger: Ledger, signer: Signer
) -> None:
    ledger.append_many([draft(n) for n in range(3)])

    first = ledger.sign_if_grown(signer)
    again = ledger.sign_if_grown(signer)
    ledger.append(draft(3))
    grown = ledger.sign_if_grown(signer)

    assert first is not None
    assert again is None
    assert grown is not None
    assert [size for size, _ in ledger.checkpoints()] == [3, 4]
