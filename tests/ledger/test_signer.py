"""The guarded signer signs only trees that extend the last one it signed (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaldyq.ledger import Ledger, Signer
from adaldyq.ledger.checkpoint import Checkpoint, open_note, split_note
from adaldyq.ledger.merkle import hash_leaf
from adaldyq.ledger.signer import GuardedSigner, SignerRefusalError
from tests.ledger.conftest import draft
from tests.ledger.test_tamper import Attacker


@pytest.fixture
def guarded(signer: Signer, tmp_path: Path) -> GuardedSigner:
    return GuardedSigner(signer, tmp_path / "signer")


def _size(note: str) -> int:
    return Checkpoint.parse(split_note(note)[0]).size


def test_it_signs_growth_once_and_the_note_opens_with_the_key(
    ledger: Ledger, guarded: GuardedSigner, signer: Signer
) -> None:
    ledger.append_many([draft(n) for n in range(10)])
    first = guarded.sign(ledger)
    assert first is not None
    assert (first.old_size, first.size) == (0, 10)
    open_note(first.note, [signer.verifier])
    assert guarded.sign(ledger) is None  # nothing new, nothing signed
    ledger.append_many([draft(n) for n in range(10, 17)])
    second = guarded.sign(ledger)
    assert second is not None
    assert (second.old_size, second.size) == (10, 17)
    assert _size(ledger.latest_checkpoint() or "") == 17
    assert guarded.signed_size() == 17


def test_an_old_entry_rewritten_with_the_tree_recomputed_is_refused(
    ledger: Ledger, guarded: GuardedSigner
) -> None:
    ledger.append_many([draft(n) for n in range(20)])
    assert guarded.sign(ledger) is not None
    attacker = Attacker(ledger)
    with ledger.transaction() as cursor:  # history from entry 5 on replaced, the tree recomputed
        attacker.truncate_from(cursor, 5)
    ledger.append_many([draft(n + 100) for n in range(5, 26)])  # another history from entry 5 on

    with pytest.raises(SignerRefusalError, match="does not extend"):
        guarded.sign(ledger)
    assert guarded.signed_size() == 20
    assert _size(ledger.latest_checkpoint() or "") == 20  # nothing new was signed


def test_a_changed_body_of_a_new_entry_is_refused(ledger: Ledger, guarded: GuardedSigner) -> None:
    ledger.append_many([draft(n) for n in range(8)])
    assert guarded.sign(ledger) is not None
    ledger.append_many([draft(n) for n in range(8, 12)])
    attacker = Attacker(ledger)
    with ledger.transaction() as cursor:
        body = attacker.row(cursor, 10)[3]
        attacker.run(
            cursor,
            "UPDATE ledger_entries SET body = %s WHERE seq = 10",
            (body.replace(b'"n":10', b'"n":11'),),
        )
    with pytest.raises(SignerRefusalError, match="do not hash"):
        guarded.sign(ledger)


def test_a_shrunk_ledger_is_refused(ledger: Ledger, guarded: GuardedSigner) -> None:
    ledger.append_many([draft(n) for n in range(12)])
    assert guarded.sign(ledger) is not None
    attacker = Attacker(ledger)
    with ledger.transaction() as cursor:
        attacker.truncate_from(cursor, 7)
    with pytest.raises(SignerRefusalError, match="shrank"):
        guarded.sign(ledger)


def test_a_first_run_hashes_every_entry_itself(ledger: Ledger, guarded: GuardedSigner) -> None:
    ledger.append_many([draft(n) for n in range(6)])
    attacker = Attacker(ledger)
    with ledger.transaction() as cursor:
        body = attacker.row(cursor, 2)[3]
        forged = body.replace(b'"n":2', b'"n":3')
        attacker.run(
            cursor,
            "UPDATE ledger_entries SET body = %s, hash = %s WHERE seq = 2",
            (forged, hash_leaf(forged)),
        )
    with pytest.raises(SignerRefusalError):
        guarded.sign(ledger)


def test_state_of_another_log_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    ledger.append_many([draft(n) for n in range(3)])
    GuardedSigner(Signer.generate("log.one"), tmp_path / "s").sign(ledger)
    with pytest.raises(SignerRefusalError, match=r"log\.one"):
        GuardedSigner(Signer.generate("log.two"), tmp_path / "s").sign(ledger)
