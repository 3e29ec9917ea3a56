"""The C2SP tlog-witness protocol: a witness apart from the log, over HTTP (issue 16)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from adaldyq.ledger import Ledger, Signer, sql
from adaldyq.ledger.checkpoint import verify_cosignature
from adaldyq.ledger.witness_protocol import (
    ProtocolWitness,
    WitnessRefusedError,
    add_checkpoint,
    serve,
)
from tests.ledger.conftest import draft
from tests.ledger.test_tamper import Attacker


@pytest.fixture
def witness(tmp_path: Path, signer: Signer) -> ProtocolWitness:
    w = ProtocolWitness(tmp_path / "witness")
    w.trust(signer.verifier)
    return w


@pytest.fixture
def url(witness: ProtocolWitness) -> Iterator[str]:
    server = serve(witness, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/add-checkpoint"
    server.shutdown()
    server.server_close()


def _request(old: int, proof: list[bytes], note: str) -> bytes:
    return (
        f"old {old}\n" + "".join(base64.b64encode(h).decode() + "\n" for h in proof) + "\n" + note
    ).encode()


def test_a_log_grows_under_the_witness_over_http(
    ledger: Ledger, signer: Signer, witness: ProtocolWitness, url: str
) -> None:
    ledger.append_many([draft(n) for n in range(10)])
    first = ledger.sign_checkpoint(signer)
    line = add_checkpoint(url, 0, [], first)
    verify_cosignature(first + line, witness.verifier)
    ledger.append_many([draft(n) for n in range(10, 25)])
    second = ledger.sign_checkpoint(signer)
    with ledger.reading() as cursor:
        proof = sql.read_consistency_proof(cursor, 10, 25)
    verify_cosignature(second + add_checkpoint(url, 10, proof, second), witness.verifier)
    assert witness.latest(signer.name)[0] == 25
    with pytest.raises(WitnessRefusedError) as stale:
        add_checkpoint(url, 10, proof, second)  # the witness has moved on: 409 and its size
    assert (stale.value.status, str(stale.value).endswith("25")) == (409, True)


def test_a_rewritten_history_re_signed_with_the_real_key_is_refused(
    ledger: Ledger, signer: Signer, witness: ProtocolWitness
) -> None:
    ledger.append_many([draft(n) for n in range(12)])
    note = ledger.sign_checkpoint(signer)
    assert witness.add_checkpoint(_request(0, [], note)).status == 200
    attacker = Attacker(ledger)
    with ledger.transaction() as cursor:
        attacker.truncate_from(cursor, 4)
        attacker.run(cursor, "DELETE FROM ledger_checkpoints")
    ledger.append_many([draft(n + 900) for n in range(4, 20)])
    forged = ledger.sign_checkpoint(signer)
    with ledger.reading() as cursor:
        proof = sql.read_consistency_proof(cursor, 12, 20)

    answer = witness.add_checkpoint(_request(12, proof, forged))

    assert answer.status == 422
    assert witness.latest(signer.name)[0] == 12  # nothing cosigned, the state kept


@pytest.mark.parametrize(
    ("mangle", "status"),
    [
        (lambda body, note: body.replace(b"old 0", b"old 00"), 400),
        (lambda body, note: body.replace(b"old 0", b"old 99"), 400),
        (lambda body, note: body.replace(b"\n\n", b"\n"), 400),
        (lambda body, note: body.replace(b"old 0\n", b"old 0\nnot-base64!\n"), 400),
        (lambda body, note: body.replace(b"adaldyq.test/ledger\n", b"another.log/x\n", 1), 404),
    ],
)
def test_malformed_and_unknown_requests_get_the_specs_status(
    ledger: Ledger, signer: Signer, witness: ProtocolWitness, mangle, status: int
) -> None:
    ledger.append_many([draft(n) for n in range(3)])
    note = ledger.sign_checkpoint(signer)
    assert witness.add_checkpoint(mangle(_request(0, [], note), note)).status == status


def test_a_checkpoint_signed_by_another_key_of_the_same_name_is_forbidden(
    ledger: Ledger, witness: ProtocolWitness
) -> None:
    impostor = Signer.generate("adaldyq.test/ledger")
    ledger.append_many([draft(n) for n in range(3)])
    note = ledger.sign_checkpoint(impostor)
    assert witness.add_checkpoint(_request(0, [], note)).status == 403


def test_a_proof_that_does_not_verify_is_unprocessable(
    ledger: Ledger, signer: Signer, witness: ProtocolWitness
) -> None:
    ledger.append_many([draft(n) for n in range(8)])
    assert witness.add_checkpoint(_request(0, [], ledger.sign_checkpoint(signer))).status == 200
    ledger.append_many([draft(n) for n in range(8, 16)])
    note = ledger.sign_checkpoint(signer)
    assert witness.add_checkpoint(_request(8, [bytes(32)], note)).status == 422
