"""Several processes append at once, and writers die mid-append: one sequence, nothing acknowledged lost."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from adaldyq.ledger import Ledger, Signer, StoreSource, verify_source

ROOT = Path(__file__).resolve().parents[2]


def appender(url: str, name: str, count: int, threads: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.appender", url, name, str(count), str(threads)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def verified(url: str, signer: Signer) -> Ledger:
    ledger = Ledger.open(url)
    ledger.sign_checkpoint(signer)
    with ledger.reading() as cursor:
        report = verify_source(StoreSource(cursor), signer.verifier)
    assert report.ok, report.faults
    return ledger


def test_eight_processes_appending_at_once_get_one_gap_free_sequence(
    ledger_url: str, signer: Signer
) -> None:
    Ledger.open(ledger_url).close()
    writers = [appender(ledger_url, f"W{k}", 40, 0 if k % 2 else 4) for k in range(8)]
    acked: dict[str, list[int]] = {}
    for k, writer in enumerate(writers):
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        acked[f"W{k}"] = [int(line.split()[0]) for line in out.splitlines()]

    all_seqs = sorted(seq for seqs in acked.values() for seq in seqs)
    assert all_seqs == list(range(320))
    with verified(ledger_url, signer) as ledger:
        for name, seqs in acked.items():
            assert sorted(e.seq for e in ledger.entries_by_subject(name)) == sorted(seqs)


def test_writers_killed_mid_append_lose_no_acknowledged_entry(
    ledger_url: str, signer: Signer
) -> None:
    Ledger.open(ledger_url).close()
    rng = random.Random(7)
    acked: dict[int, tuple[str, int]] = {}
    for round_ in range(3):
        name = f"K{round_}"
        writer = appender(ledger_url, name, 100_000, 1 + round_ * 3)
        assert writer.stdout is not None
        first = writer.stdout.readline()  # the writer is appending, however loaded the machine
        time.sleep(0.6 + rng.random() * 0.8)
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
        out = first + out
        assert writer.returncode == -signal.SIGKILL
        for line in out.splitlines():
            seq, i = line.split()
            acked[int(seq)] = (name, int(i))
        with verified(ledger_url, signer) as ledger:
            size = ledger.size()
            assert max(acked) < size
            stored = {e.seq: (e.subject, e.payload["i"]) for e in ledger.entries()}
        assert all(stored[seq] == fact for seq, fact in acked.items())
    assert len(acked) > 30
