"""Tampering with the stored ledger is caught by verify or by a witness, at the exact entry."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from adaldyq.ledger import Ledger, Signer, StoreSource, WitnessAlarmError, verify_source
from adaldyq.ledger.entry import make_entry
from adaldyq.ledger.merkle import hash_leaf
from adaldyq.ledger.migrate import build_tiles
from adaldyq.ledger.sql import APPEND_ONLY
from adaldyq.ledger.verify import Report
from adaldyq.ledger.witness import LedgerLogSource, Witness
from tests.ledger.conftest import draft

SIZE = 40


class Attacker:
    """Someone with write access to the database, who first drops the append-only triggers."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        with ledger.transaction() as cursor:
            for table in APPEND_ONLY:
                if ledger.dialect == "sqlite":
                    for event in ("update", "delete"):
                        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")

    def run(self, cursor: Any, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        if self.ledger.dialect == "sqlite":
            statement = statement.replace("%s", "?")
        cursor.execute(statement, params)
        try:
            return list(cursor.fetchall())
        except Exception:  # statements without rows
            return []

    def row(self, cursor: Any, seq: int) -> tuple[Any, ...]:
        rows = self.run(
            cursor,
            "SELECT seq, subject, type, body, hash FROM ledger_entries WHERE seq = %s",
            (seq,),
        )
        return tuple(bytes(v) if isinstance(v, memoryview) else v for v in rows[0])

    def swap(self, cursor: Any, a: int, b: int) -> None:
        """Entries `a` and `b` change places (each keeps the other's body and hash)."""
        rows = {a: self.row(cursor, b), b: self.row(cursor, a)}
        for seq, (_, subject, type_, body, digest) in rows.items():
            self.run(
                cursor,
                "UPDATE ledger_entries SET subject = %s, type = %s, body = %s, hash = %s WHERE seq = %s",
                (subject, type_, body, digest, seq),
            )

    def truncate_from(self, cursor: Any, seq: int) -> None:
        """Cut the log at `seq` and make the tree whole again (its tiles built anew)."""
        self.run(cursor, "DELETE FROM ledger_entries WHERE seq >= %s", (seq,))
        self.run(cursor, "DELETE FROM ledger_tiles")
        self.run(cursor, "DELETE FROM ledger_edge")
        self.run(cursor, "UPDATE ledger_head SET size = %s WHERE id = 1", (seq,))
        build_tiles(cursor, seq)


def check(ledger: Ledger, signer: Signer) -> Report:
    with ledger.reading() as cursor:
        return verify_source(StoreSource(cursor), signer.verifier)


@pytest.fixture
def signed(ledger: Ledger, signer: Signer) -> Ledger:
    """A ledger of 40 entries with checkpoints at 16 and 40, verified clean."""
    ledger.append_many([draft(n) for n in range(16)])
    ledger.sign_checkpoint(signer)
    ledger.append_many([draft(n) for n in range(16, SIZE)])
    ledger.sign_checkpoint(signer)
    assert check(ledger, signer).ok
    return ledger


def first_bad(ledger: Ledger, signer: Signer) -> int | None:
    report = check(ledger, signer)
    assert not report.ok
    assert report.first is not None
    return report.first.seq


def test_one_changed_payload_byte_is_caught_at_its_entry(signed: Ledger, signer: Signer) -> None:
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        _, _, _, body, _ = attacker.row(cursor, 13)
        forged = body.replace(b'"n":13', b'"n":18')
        attacker.run(cursor, "UPDATE ledger_entries SET body = %s WHERE seq = 13", (forged,))

    assert first_bad(signed, signer) == 13


def test_a_changed_payload_with_its_hash_recomputed_is_caught_by_the_tree(
    signed: Ledger, signer: Signer
) -> None:
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        _, _, _, body, _ = attacker.row(cursor, 13)
        forged = body.replace(b'"n":13', b'"n":18')
        attacker.run(
            cursor,
            "UPDATE ledger_entries SET body = %s, hash = %s WHERE seq = 13",
            (forged, hash_leaf(forged)),
        )

    assert first_bad(signed, signer) == 13  # the level-0 tile keeps the leaf hash it was given


def test_a_deleted_entry_is_caught_at_its_entry(signed: Ledger, signer: Signer) -> None:
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        attacker.run(cursor, "DELETE FROM ledger_entries WHERE seq = 21")

    assert first_bad(signed, signer) == 21


def test_two_swapped_entries_are_caught_at_the_first(signed: Ledger, signer: Signer) -> None:
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        attacker.swap(cursor, 5, 30)

    assert first_bad(signed, signer) == 5


@pytest.mark.parametrize("at", [17, 22])
def test_an_inserted_entry_is_caught_at_its_place(signed: Ledger, signer: Signer, at: int) -> None:
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        for seq in range(SIZE - 1, at - 1, -1):
            attacker.run(
                cursor, "UPDATE ledger_entries SET seq = %s WHERE seq = %s", (seq + 1, seq)
            )
        forged = make_entry(at, "2026-01-01T00:00:00.000000Z", draft(999, subject="P-0003"))
        attacker.run(
            cursor,
            "INSERT INTO ledger_entries (seq, subject, type, body, hash) VALUES (%s, %s, %s, %s, %s)",
            (at, forged.subject, forged.type, forged.body, hash_leaf(forged.body)),
        )
        attacker.run(cursor, "UPDATE ledger_head SET size = %s WHERE id = 1", (SIZE + 1,))

    assert first_bad(signed, signer) == at


def test_a_truncated_tail_is_caught_where_it_was_cut(signed: Ledger, signer: Signer) -> None:
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        attacker.truncate_from(cursor, 33)

    assert first_bad(signed, signer) == 33


def test_a_tail_rewritten_and_re_signed_with_the_real_key_is_caught_by_the_witness(
    signed: Ledger, signer: Signer, tmp_path: Path
) -> None:
    witness = Witness(tmp_path / "witness")
    source = LedgerLogSource(signed, [signer.verifier])
    assert witness.update(source).new_size == SIZE
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        attacker.truncate_from(cursor, 25)
        attacker.run(cursor, "DELETE FROM ledger_checkpoints WHERE size > 25")
    signed.append_many([draft(n, subject="P-0001") for n in range(100, 120)])
    signed.sign_checkpoint(signer)

    assert check(signed, signer).ok  # the database alone is consistent again
    with pytest.raises(WitnessAlarmError) as alarm:
        witness.update(source)
    assert alarm.value.seq == 25


def test_a_witness_cosigns_honest_growth_and_alarms_on_a_shrunk_log(
    signed: Ledger, signer: Signer, tmp_path: Path
) -> None:
    from adaldyq.ledger.checkpoint import verify_cosignature

    witness = Witness(tmp_path / "witness")
    source = LedgerLogSource(signed, [signer.verifier])
    witness.update(source)
    signed.append_many([draft(n) for n in range(SIZE, SIZE + 9)])
    signed.sign_checkpoint(signer)

    result = witness.update(source)

    assert (result.old_size, result.new_size) == (SIZE, SIZE + 9)
    verify_cosignature(result.note, witness.verifier)
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        attacker.truncate_from(cursor, 30)
        attacker.run(cursor, "DELETE FROM ledger_checkpoints WHERE size > 30")
    signed.sign_checkpoint(signer)
    with pytest.raises(WitnessAlarmError) as alarm:
        witness.update(source)
    assert alarm.value.seq == 30


def _mutations(rng: random.Random, cursor: Any, attacker: Attacker) -> str:
    """Apply one random change to the stored rows; return what it was."""

    def flip(value: bytes) -> bytes:
        data = bytearray(value)
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
        return bytes(data)

    kind = rng.choice(
        [
            "body",
            "hash",
            "subject",
            "type",
            "seq",
            "delete",
            "duplicate",
            "node",
            "node_delete",
            "node_extra",
            "note",
            "note_size",
            "head",
        ]
    )
    seq = rng.randrange(SIZE)
    # The column names below come from the fixed list above, never from input.
    if kind in ("body", "hash"):
        (value,) = attacker.run(
            cursor,
            f"SELECT {kind} FROM ledger_entries WHERE seq = %s",  # noqa: S608
            (seq,),
        )[0]
        attacker.run(
            cursor,
            f"UPDATE ledger_entries SET {kind} = %s WHERE seq = %s",  # noqa: S608
            (flip(bytes(value)), seq),
        )
    elif kind in ("subject", "type"):
        attacker.run(
            cursor,
            f"UPDATE ledger_entries SET {kind} = {kind} || 'x' WHERE seq = %s",  # noqa: S608
            (seq,),
        )
    elif kind == "seq":
        attacker.run(
            cursor,
            "UPDATE ledger_entries SET seq = %s WHERE seq = %s",
            (SIZE + rng.randrange(5), seq),
        )
    elif kind == "delete":
        attacker.run(cursor, "DELETE FROM ledger_entries WHERE seq = %s", (seq,))
    elif kind == "duplicate":
        attacker.run(
            cursor,
            "INSERT INTO ledger_entries (seq, subject, type, body, hash) "
            "SELECT %s, subject, type, body, hash FROM ledger_entries WHERE seq = %s",
            (SIZE + rng.randrange(3), seq),
        )
    elif kind.startswith("node"):  # the tree's hashes: the tiles and the right edge's rows
        tiles = [
            (table, *row)
            for table in ("ledger_tiles", "ledger_edge")
            # The table names come from the fixed tuple above.
            for row in attacker.run(cursor, f"SELECT level, idx, hashes FROM {table}")  # noqa: S608
        ]
        table, level, index, value = rng.choice(tiles)
        if kind == "node":
            attacker.run(
                cursor,
                f"UPDATE {table} SET hashes = %s WHERE level = %s AND idx = %s",  # noqa: S608
                (flip(bytes(value)), level, index),
            )
        elif kind == "node_delete":
            attacker.run(
                cursor,
                f"DELETE FROM {table} WHERE level = %s AND idx = %s",  # noqa: S608
                (level, index),
            )
        elif table == "ledger_edge":  # a hash more on the edge
            attacker.run(
                cursor,
                "UPDATE ledger_edge SET hashes = %s WHERE level = %s",
                (bytes(value) + bytes(value)[:32], level),
            )
        else:
            attacker.run(
                cursor,
                "INSERT INTO ledger_tiles (level, idx, hashes) VALUES (%s, %s, %s)",
                (level, index + 1000, bytes(value)),
            )
    elif kind == "note":
        size, note = rng.choice(attacker.run(cursor, "SELECT size, note FROM ledger_checkpoints"))
        raw = bytearray(note.encode())
        i = rng.randrange(len(raw))
        raw[i] = (raw[i] + rng.randrange(1, 26)) % 128 or 65
        changed = raw.decode(errors="replace")
        if changed == note:
            changed = note + "x"
        attacker.run(
            cursor, "UPDATE ledger_checkpoints SET note = %s WHERE size = %s", (changed, size)
        )
    elif kind == "note_size":
        attacker.run(cursor, "UPDATE ledger_checkpoints SET size = size - 1 WHERE size = %s", (16,))
    else:
        attacker.run(
            cursor,
            "UPDATE ledger_head SET size = %s WHERE id = 1",
            (SIZE + rng.choice([-3, -1, 1, 2]),),
        )
    return f"{kind} at {seq}"


def test_every_one_of_many_random_mutations_of_the_stored_rows_is_caught(
    signed: Ledger, signer: Signer, hash_path: str
) -> None:
    attacker = Attacker(signed)
    rng = random.Random(20261122)
    count = 1000
    missed = []
    for _ in range(count):
        cursor: Any
        if signed.dialect == "sqlite":
            cursor = signed.connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
        else:
            cursor = signed.connection.cursor()
            cursor.execute("BEGIN")
        try:
            what = _mutations(rng, cursor, attacker)
            report = verify_source(StoreSource(cursor), signer.verifier)
            if report.ok:
                missed.append(what)
        finally:
            cursor.execute("ROLLBACK")

    assert missed == []
    assert check(signed, signer).ok


@pytest.mark.parametrize(
    "tamper", ["body", "hash_too", "delete", "swap", "node", "truncate", "key"]
)
def test_worker_processes_name_the_same_first_entry_as_one_process(
    signed: Ledger, signer: Signer, monkeypatch: pytest.MonkeyPatch, tamper: str, hash_path: str
) -> None:
    from adaldyq.ledger import verify

    monkeypatch.setattr(verify, "CHUNK_BITS", 2)  # chunks of 4 entries: 10 chunks over 2 workers
    monkeypatch.setattr(verify, "CHUNK", 4)
    monkeypatch.setattr(verify, "PARALLEL_FROM", 0)

    def both() -> tuple[Report, Report]:
        with signed.reading() as cursor:
            one = verify_source(StoreSource(cursor), signer.verifier)
            many = verify_source(StoreSource(cursor, url=signed.url, workers=2), signer.verifier)
        return one, many

    one, many = both()
    assert one.ok
    assert many.ok
    assert one.root == many.root == signed.root()
    attacker = Attacker(signed)
    with signed.transaction() as cursor:
        if tamper in ("body", "hash_too"):
            _, _, _, body, _ = attacker.row(cursor, 13)
            forged = body.replace(b'"n":13', b'"n":18')
            attacker.run(cursor, "UPDATE ledger_entries SET body = %s WHERE seq = 13", (forged,))
            if tamper == "hash_too":
                attacker.run(
                    cursor,
                    "UPDATE ledger_entries SET hash = %s WHERE seq = 13",
                    (hash_leaf(forged),),
                )
        elif tamper == "delete":
            attacker.run(cursor, "DELETE FROM ledger_entries WHERE seq = 21")
        elif tamper == "swap":
            attacker.swap(cursor, 5, 30)
        elif tamper == "node":  # leaf 13's hash in the edge tile of level 0
            ((hashes,),) = attacker.run(cursor, "SELECT hashes FROM ledger_edge WHERE level = 0")
            hashes = bytes(hashes)
            attacker.run(
                cursor,
                "UPDATE ledger_edge SET hashes = %s WHERE level = 0",
                (hashes[: 13 * 32] + bytes(32) + hashes[14 * 32 :],),
            )
        elif tamper == "truncate":
            attacker.truncate_from(cursor, 33)
        else:
            attacker.run(cursor, "UPDATE ledger_checkpoints SET note = note || 'x' WHERE size = 16")

    one, many = both()
    assert not one.ok
    assert not many.ok
    assert one.first == many.first
