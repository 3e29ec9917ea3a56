"""A writer process for the crash and concurrency tests.

    python -m tests.ledger.appender URL NAME COUNT THREADS

Appends COUNT entries (subject NAME, payload {"i": i}) from THREADS threads through a
GroupCommitWriter (THREADS=0: one `Ledger.append` per entry) and prints `seq i` for each entry
as soon as the append has returned, that is once the entry is durable.
"""

from __future__ import annotations

import sys
import threading

from adaldyq.ledger import Actor, Draft, GroupCommitWriter, Ledger

ACTOR = Actor("writer", "test")


def main(url: str, name: str, count: int, threads: int) -> None:
    lock = threading.Lock()

    def acked(seq: int, i: int) -> None:
        with lock:
            sys.stdout.write(f"{seq} {i}\n")
            sys.stdout.flush()

    if threads == 0:
        with Ledger.open(url) as ledger:
            for i in range(count):
                acked(ledger.append(Draft(ACTOR, name, "work_hours", {"i": i})).seq, i)
        return
    with GroupCommitWriter(url) as writer:

        def client(k: int) -> None:
            for i in range(k, count, threads):
                acked(writer.append(Draft(ACTOR, name, "work_hours", {"i": i})).seq, i)

        workers = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
