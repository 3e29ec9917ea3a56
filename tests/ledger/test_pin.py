"""A verifier's pin and the witnesses that vouch for a tree (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adaldyq.ledger import Ledger, Signer
from adaldyq.ledger.checkpoint import Checkpoint, split_note
from adaldyq.ledger.errors import StoreError
from adaldyq.ledger.pin import Pin, PinBrokenError, cosigners
from adaldyq.ledger.witness import LedgerLogSource, Witness
from tests.ledger.conftest import draft
from tests.ledger.test_tamper import Attacker


def _head(note: str) -> Checkpoint:
    return Checkpoint.parse(split_note(note)[0])


def test_honest_growth_stays_consistent_with_the_pin(
    ledger: Ledger, signer: Signer, tmp_path: Path
) -> None:
    ledger.append_many([draft(n) for n in range(16)])
    pin = Pin.first_use(tmp_path / "pin.json", ledger.sign_checkpoint(signer))
    ledger.append_many([draft(n) for n in range(16, 40)])
    later = _head(ledger.sign_checkpoint(signer))
    with ledger.reading() as cursor:
        pin.check(cursor, later.size, later.root)
        pin.check(cursor, pin.size, pin.root)
    assert Pin.first_use(tmp_path / "pin.json", ledger.latest_checkpoint() or "") == pin  # kept


def test_a_history_rewritten_and_re_signed_with_the_real_key_breaks_the_pin(
    ledger: Ledger, signer: Signer, tmp_path: Path
) -> None:
    ledger.append_many([draft(n) for n in range(16)])
    pin = Pin.first_use(tmp_path / "pin.json", ledger.sign_checkpoint(signer))
    attacker = Attacker(ledger)
    with ledger.transaction() as cursor:
        attacker.truncate_from(cursor, 9)
        attacker.run(cursor, "DELETE FROM ledger_checkpoints")
    ledger.append_many([draft(n + 500) for n in range(9, 30)])
    forged = _head(ledger.sign_checkpoint(signer))  # the operator re-signs with the stolen key

    with ledger.reading() as cursor, pytest.raises(PinBrokenError, match="not consistent"):
        pin.check(cursor, forged.size, forged.root)


def test_witnesses_that_cosigned_are_counted_with_their_own_keys(
    ledger: Ledger, signer: Signer, tmp_path: Path
) -> None:
    ledger.append_many([draft(n) for n in range(10)])
    ledger.sign_checkpoint(signer)
    for name in ("ombudsman", "prosecutor"):
        Witness(tmp_path / "witnesses" / name).update(LedgerLogSource(ledger, [signer.verifier]))
    ledger.append_many([draft(n) for n in range(10, 14)])
    head = _head(ledger.sign_checkpoint(signer))
    Witness(tmp_path / "witnesses" / "ombudsman").update(LedgerLogSource(ledger, [signer.verifier]))

    assert cosigners(tmp_path / "witnesses", 10) == ["ombudsman", "prosecutor"]
    assert cosigners(tmp_path / "witnesses", 14, head.root) == ["ombudsman"]
    assert cosigners(tmp_path / "witnesses", 15) == []
    (tmp_path / "witnesses" / "prosecutor" / "witness.pub").write_text(
        Signer.generate("impostor").verifier.encode() + "\n"
    )
    assert cosigners(tmp_path / "witnesses", 10) == [
        "ombudsman"
    ]  # a forged key vouches for nothing


@pytest.mark.parametrize("foreign", [b'{"origin": "adaldyq.ledger", "size": 3}', b"not json"])
def test_a_witness_refuses_a_folder_whose_state_is_another_programs(
    ledger: Ledger, signer: Signer, tmp_path: Path, foreign: bytes
) -> None:
    ledger.append_many([draft(n) for n in range(4)])
    ledger.sign_checkpoint(signer)
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "state.json").write_bytes(foreign)  # e.g. `ledger witness-serve`'s state

    with pytest.raises(StoreError, match="not the state of this witness"):
        Witness(tmp_path / "w").update(LedgerLogSource(ledger, [signer.verifier]))
